// The published declarations type-check a consumer using every public method
// and error field under --strict, and reject the misuses marked @ts-expect-error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

test("pkg/cl_checkout.d.ts passes tsc --strict and catches misuse", () => {
  const tsc = join(ROOT, "node_modules/.bin/tsc");
  try {
    execFileSync(tsc, ["-p", join(ROOT, "tests/types/tsconfig.json")], { encoding: "utf8" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});
