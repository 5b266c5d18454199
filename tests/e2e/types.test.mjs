// The published declarations type-check a consumer using every public method
// and error field under --strict, and reject the misuses marked @ts-expect-error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

function tsc(project) {
  try {
    execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, project)], { encoding: "utf8" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
}

test("pkg/cl_checkout.d.ts passes tsc --strict, accepts a real Stripe instance, and catches misuse", () => {
  tsc("tests/types/tsconfig.json");
});

test("the sandbox's browser-library stand-ins type-check against @stripe/stripe-js, @adyen/adyen-web, @types/braintree-web and @checkout.com/checkout-web-components", () => {
  tsc("tests/types/tsconfig.standin.json");
});

test("the demo's gateway glue type-checks against the providers' npm types and pkg/gateways/cl_checkout.d.ts", () => {
  tsc("tests/types/tsconfig.demo.json");
});
