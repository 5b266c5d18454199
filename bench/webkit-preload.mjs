// Does WebKit (Safari's engine) use the preloaded .wasm for init()'s fetch, or download it twice?
// And does the loading the README recommends (the .wasm's fetch started by a line in the page's head
// and handed to init()) download each file once?
// Run by bench/webkit-preload.sh, which installs WebKitGTK's WebDriver and Xvfb and builds pkg/ first.
// Serves the built package and one page per case from a local server, loads each page in a fresh
// MiniBrowser session through WebKitWebDriver, and counts the server's GETs of the .wasm and the JS.
// Each case has its own path prefix, so no case can be answered from another's cache. Prints one line
// per case and exits non-zero if the recommended loading downloads either file more than once.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const MINIBROWSER = process.env.MINIBROWSER || "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

// The README's loading: the .wasm's fetch first in the head, then the module's modulepreload.
const EARLY_FETCH = `<script>self.clCheckoutWasm = fetch("pkg/cl_checkout_bg.wasm")</script>
<link rel="modulepreload" href="pkg/cl_checkout.js">`;
const hints = (crossorigin) => `<link rel="modulepreload" href="pkg/cl_checkout.js">
<link rel="preload" href="pkg/cl_checkout_bg.wasm" as="fetch" type="application/wasm"${crossorigin ? " crossorigin" : ""}>`;

// [name, head of the page, Cache-Control of the package's files, whether it is the README's loading]
const cases = [
  ["no hints", "", "no-store", false],
  ["both hints, crossorigin", hints(true), "no-store", false],
  ["both hints, no crossorigin", hints(false), "no-store", false],
  ["both hints, crossorigin, cacheable files (max-age, as CDNs send)", hints(true), "public, max-age=31536000", false],
  ["the .wasm's fetch started in the head, handed to init(), + modulepreload (the README's)", EARLY_FETCH, "no-store", true],
];

const page = (head) => `<!doctype html><meta charset="utf-8">${head}
<script type="module">
  import init from "./pkg/cl_checkout.js";
  init(self.clCheckoutWasm && { module_or_path: self.clCheckoutWasm }).then(() => (document.title = "loaded"), (e) => (document.title = "failed: " + e));
</script>`;

const gets = new Map();
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const [, n, ...rest] = url.pathname.split("/");
  const c = cases[Number(n)];
  const file = rest.join("/");
  if (!c) return res.writeHead(404).end();
  if (file === "index.html") return res.writeHead(200, { "content-type": "text/html" }).end(page(c[1]));
  if (file !== "pkg/cl_checkout.js" && file !== "pkg/cl_checkout_bg.wasm") return res.writeHead(404).end();
  gets.set(n + file, (gets.get(n + file) || 0) + 1);
  const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
  res.writeHead(200, { "content-type": type, "cache-control": c[2] }).end(readFileSync(`${root}/${file}`));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const site = `http://127.0.0.1:${server.address().port}`;

const driverPort = 4444 + Math.floor(Math.random() * 1000);
const driver = spawn("WebKitWebDriver", [`--port=${driverPort}`], { stdio: "ignore" });
const wd = async (method, path, body) => {
  const r = await fetch(`http://127.0.0.1:${driverPort}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  const { value } = await r.json();
  if (!r.ok) throw new Error(`WebDriver ${path}: ${JSON.stringify(value)}`);
  return value;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let failed = false;
try {
  for (let i = 0; i < 50; i++) {
    try {
      await wd("GET", "/status");
      break;
    } catch {
      await sleep(100);
    }
  }
  for (const [i, [name, , , recommended]] of cases.entries()) {
    const caps = { browserName: "MiniBrowser", "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } };
    const { sessionId } = await wd("POST", "/session", { capabilities: { alwaysMatch: caps } });
    try {
      await wd("POST", `/session/${sessionId}/url`, { url: `${site}/${i}/index.html` });
      let title = "";
      for (let t = 0; t < 100 && !title; t++) {
        title = await wd("POST", `/session/${sessionId}/execute/sync`, { script: "return document.title", args: [] });
        if (!title) await sleep(100);
      }
      await sleep(500); // a late second download would still be counted
      const [wasm, js] = ["pkg/cl_checkout_bg.wasm", "pkg/cl_checkout.js"].map((f) => gets.get(i + f) || 0);
      console.log(`webkit-preload: ${name}: ${title || "no answer"}, .wasm downloaded ${wasm}×, JavaScript ${js}×`);
      if (title !== "loaded" || (recommended && (wasm !== 1 || js !== 1))) failed = true;
    } finally {
      await wd("DELETE", `/session/${sessionId}`);
    }
  }
} finally {
  driver.kill();
  server.close();
}
process.exit(failed ? 1 : 0);
