// The shipped bytes may not grow past the budget (bench/size-budget.json):
// the package goes to shoppers' phones. The Stripe page loads pkg/'s two files;
// a page with other gateways loads pkg/gateways/'s instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./helpers.mjs";

test("pkg/ stays within its gzip size budget", async () => {
  const budget = JSON.parse(await readFile(join(ROOT, "bench/size-budget.json"), "utf8"));
  const files = Object.keys(budget).filter((k) => k !== "note");
  assert.ok(files.includes("cl_checkout_bg.wasm") && files.includes("gateways/cl_checkout_bg.wasm"));
  for (const file of files) {
    const gzip = gzipSync(await readFile(join(ROOT, "pkg", file)), { level: 9 }).length;
    console.log(`${file}: ${gzip} B gzip (budget ${budget[file]})`);
    assert.ok(gzip <= budget[file], `${file} is ${gzip} B gzip, over its budget of ${budget[file]} B`);
  }
});

test("the shipped .wasm holds no path of the machine that built it (a reproducible build)", async () => {
  const home = process.env.HOME ?? "/root";
  for (const file of ["cl_checkout_bg.wasm", "gateways/cl_checkout_bg.wasm"]) {
    const text = (await readFile(join(ROOT, "pkg", file))).toString("latin1");
    for (const path of [home, ROOT.replace(/\/$/, ""), ".rustup", ".cargo/registry", "rustlib"]) {
      assert.equal(text.includes(path), false, `${file} contains ${path}`);
    }
  }
});
