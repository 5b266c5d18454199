// Serves the demo checkout and the built package on their own origin, with a
// Content-Security-Policy that allows what the page needs and no more.
// Usage: node www/serve.mjs PORT SANDBOX_URL
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const [port = "8080", sandbox = "http://127.0.0.1:8765"] = process.argv.slice(2);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".svg": "image/svg+xml" };

// index.html's one inline script (the .wasm's early fetch), allowed by its hash: no 'unsafe-inline'.
const INLINE = [...(await readFile(join(ROOT, "www/index.html"), "utf8")).matchAll(/<script>([^<]*)<\/script>/g)].map(
  (m) => `'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`,
);

// Stripe.js (here the sandbox's stand-in) needs script, frame and connect;
// WebAssembly needs 'wasm-unsafe-eval' (not 'unsafe-eval').
const CSP = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${INLINE.join(" ")} ${sandbox}`,
  `connect-src 'self' ${sandbox}`,
  `frame-src ${sandbox}`,
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Only www/ and the package's files are served. */
function resolve(urlPath) {
  const path = normalize(decodeURIComponent(urlPath));
  if (path === "/" || path === "/index.html") return join(ROOT, "www/index.html");
  if (path.startsWith("/pkg/")) return join(ROOT, path);
  if (/^\/[\w.-]+\.(js|css|svg)$/.test(path)) return join(ROOT, "www", path);
  return null;
}

/** Demo only, the storefront's server side: the seed's client id and test
 * customer, and a fresh cart. The sandbox's control routes refuse pages, so
 * the page asks this server, which asks the sandbox as a script would. */
async function demoBackend(req, res, path) {
  const route = { "GET /demo/seed": ["GET", "/sandbox/seed"], "POST /demo/orders": ["POST", "/sandbox/orders"] }[`${req.method} ${path}`];
  if (!route) return false;
  let body;
  if (req.method === "POST") {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const spec = JSON.parse(Buffer.concat(chunks).toString() || "{}");
    body = JSON.stringify({ payment_source_type: spec.payment_source_type ?? null, customer: spec.customer === true });
  }
  const answer = await fetch(`${sandbox}${route[1]}`, { method: route[0], body, headers: { "Content-Type": "application/json" } });
  res.writeHead(answer.status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(Buffer.from(await answer.arrayBuffer()));
  return true;
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  try {
    if (await demoBackend(req, res, path)) return;
  } catch {
    return res.writeHead(502, { "Content-Type": "text/plain" }).end("sandbox unreachable");
  }
  const file = resolve(path);
  try {
    if (!file) throw new Error("not found");
    let body = await readFile(file);
    if (file.endsWith("index.html")) body = body.toString().replaceAll("%SANDBOX%", sandbox);
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Security-Policy": CSP,
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    });
    res.end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  }
});
server.listen(Number(port), "127.0.0.1", () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(`demo checkout: ${url}/   (sandbox: ${sandbox})`);
  console.log(`as a signed-in customer: ${url}/?customer=1`);
});
