// The package as storefronts install it: `npm pack`, then the tarball in a
// fresh Vite app (built) and in a plain HTML page with <script type="module">,
// each running a smoke checkout against the sandbox in headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, sandbox, staticServer, browser, admin, token } from "./helpers.mjs";

let sbx, chrome, work, tarball;

before(async () => {
  sbx = await sandbox();
  chrome = await browser();
  work = await mkdtemp(join(tmpdir(), "cl-checkout-install-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", join(ROOT, "pkg"), "--json", "--pack-destination", work], { encoding: "utf8" }));
  tarball = join(work, packed[0].filename);
});

after(async () => {
  await chrome?.close();
  sbx?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function appWithPackage(name) {
  const dir = join(work, name);
  await cp(join(ROOT, "tests/e2e/consumer"), dir, { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module", dependencies: { "cl-checkout": `file:${tarball}` } }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
  return dir;
}

async function smoke(root, path) {
  const site = await staticServer({}, root);
  const page = await chrome.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "wire_transfers" })).id;
    const query = new URLSearchParams({ sandbox: sbx.url, token: await token(sbx.url), order });
    await page.goto(`${site.url}${path}?${query}`);
    await page.waitForFunction(() => document.getElementById("out")?.textContent, null, { timeout: 20000 });
    return { text: await page.textContent("#out"), errors };
  } finally {
    await page.close();
    site.close();
  }
}

test("the tarball holds the package and nothing else, with npm's conventions", async () => {
  const listed = JSON.parse(execFileSync("npm", ["pack", join(ROOT, "pkg"), "--dry-run", "--json"], { encoding: "utf8" }))[0];
  const files = listed.files.map((f) => f.path).sort();
  const entry = ["cl_checkout.d.ts", "cl_checkout.js", "cl_checkout_bg.wasm"];
  assert.deepEqual(files, ["LICENSE", "README.md", ...entry, ...entry.map((f) => `gateways/${f}`), "package.json"].sort());
  const manifest = JSON.parse(await readFile(join(ROOT, "pkg/package.json"), "utf8"));
  assert.equal(manifest.exports["."].types, "./cl_checkout.d.ts");
  assert.equal(manifest.exports["./gateways"].default, "./gateways/cl_checkout.js");
  assert.equal(manifest.types, "./cl_checkout.d.ts");
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.license, "MIT");
  assert.ok(manifest.repository.url && manifest.keywords.includes("commercelayer"));
});

test("a fresh Vite app builds with the package and checks out in Chromium", async () => {
  const dir = await appWithPackage("vite-app");
  await writeFile(join(dir, "index.html"), `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><p id="out"></p><script type="module" src="./smoke.js"></script></body></html>`);
  execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "error"], { cwd: dir });
  const { text, errors } = await smoke(join(dir, "dist"), "/");
  assert.equal(text, "wire_transfers wire_transfers placed true");
  assert.deepEqual(errors, []);
});

test("a plain HTML page imports it with <script type=module> and checks out", async () => {
  const dir = await appWithPackage("plain-page");
  // No bundler: the page maps the bare name to the installed file.
  await writeFile(join(dir, "index.html"), `<!doctype html><html><head><link rel="icon" href="data:,">
    <script type="importmap">{"imports":{"cl-checkout":"./node_modules/cl-checkout/cl_checkout.js"}}</script></head>
    <body><p id="out"></p><script type="module" src="./smoke.js"></script></body></html>`);
  const { text, errors } = await smoke(dir, "/");
  assert.equal(text, "wire_transfers wire_transfers placed true");
  assert.deepEqual(errors, []);
});
