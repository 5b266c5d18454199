// Shared by the end-to-end suites: the sandbox (started by scripts/test.sh,
// or here), a static file server on its own origin, Chromium, and admin calls.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function sandbox() {
  if (process.env.CL_SANDBOX_URL) return { url: process.env.CL_SANDBOX_URL, stop() {} };
  const child = spawn(join(ROOT, "target/debug/cl-sandbox"), ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`cl-sandbox exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css" };

/**
 * Serves files under `root` on 127.0.0.1 (its own origin, so API calls are cross-origin as in production).
 * With `gzip`, compressed (level 9) for a browser that accepts it, as a CDN or web host serves scripts and `.wasm`.
 */
export async function staticServer(headers = {}, root = ROOT, { gzip = false } = {}) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    if (path.endsWith("/")) path += "index.html";
    try {
      let body = await readFile(join(root, path));
      const zipped = gzip && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
      if (zipped) body = gzipSync(body, { level: 9 });
      const encoding = zipped ? { "Content-Encoding": "gzip", Vary: "Accept-Encoding" } : {};
      res.writeHead(200, { "Content-Type": TYPES[extname(path)] ?? "application/octet-stream", "Cache-Control": "no-store", ...encoding, ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** The demo checkout (www/serve.mjs) against the sandbox at `sandboxUrl`: `{ url, stop }`. */
export async function demoServer(sandboxUrl) {
  const child = spawn(process.execPath, [join(ROOT, "www/serve.mjs"), "0", sandboxUrl], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/demo checkout: (http:\/\/\S+?)\//);
      if (m) resolve(m[1]);
    });
  });
  return { url, stop: () => child.kill() };
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function admin(base, method, path, body) {
  const res = await fetch(`${base}/sandbox${path}`, { method, body: body && JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  if (res.status >= 300) throw new Error(`sandbox ${path}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

export async function token(base, customer = false) {
  const seed = await admin(base, "GET", "/seed");
  const body = { grant_type: customer ? "password" : "client_credentials", client_id: seed.client_id, scope: seed.scope };
  if (customer) Object.assign(body, { username: seed.customer.email, password: seed.customer.password });
  const res = await fetch(`${base}/oauth/token`, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  return (await res.json()).access_token;
}

/**
 * Calls the sandbox's API at `base` as a storefront with `tok`: `(method, path, data)` resolves with the answer's
 * JSON; `data` is the request document's primary data.
 */
export const storefrontApi = (base, tok) => (method, path, data) =>
  fetch(`${base}/api${path}`, {
    method,
    body: data && JSON.stringify({ data }),
    headers: { Accept: "application/vnd.api+json", "Content-Type": "application/vnd.api+json", Authorization: `Bearer ${tok}` },
  }).then((r) => r.json());

/** Confirms a stripe_payments' PaymentIntent with `card` on the sandbox, as Stripe.js would; resolves with the intent. */
export async function confirmCard(base, source, card = "4242424242424242") {
  const intent = source.client_secret.split("_secret_")[0];
  const body = new URLSearchParams({ key: source.publishable_key, client_secret: source.client_secret, "payment_method_data[card][number]": card });
  return (await fetch(`${base}/v1/payment_intents/${intent}/confirm`, { method: "POST", body })).json();
}

/**
 * Runs `fn(cl, checkout, args)` in `page`, where the package's module is `window.cl`, with a `Checkout` for
 * `args.base` and `args.token`: `{ ok }`, or `{ err }` (a plain copy of what was thrown).
 */
export function checkoutInPage(page, fn, args) {
  return page.evaluate(
    async ({ src, args }) => {
      const fn = new Function(`return (${src})`)();
      const checkout = new window.cl.Checkout({ baseUrl: args.base, accessToken: args.token });
      try {
        return { ok: await fn(window.cl, checkout, args) };
      } catch (e) {
        return { err: { name: e.name, message: e.message, kind: e.kind, status: e.status, errors: e.errors, guard: window.cl.isCheckoutError(e), isError: e instanceof Error } };
      }
    },
    { src: fn.toString(), args },
  );
}
