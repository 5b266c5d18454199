// Test harness only: lets pages on loopback origins (the wasm-bindgen-test
// runner's page) reach the sandbox's control routes, which refuse other
// sites' pages. It forwards /sandbox/* from a script (no Origin header) and
// grants CORS to loopback origins only; it lives as long as the test run.
// Usage: node scripts/control-proxy.mjs SANDBOX_URL  → prints "control proxy on URL"
import { createServer } from "node:http";

const sandbox = process.argv[2];
const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

const server = createServer(async (req, res) => {
  const origin = req.headers.origin;
  const cors = origin && loopback.test(origin)
    ? { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "GET, POST, DELETE", "Access-Control-Allow-Headers": "Content-Type", Vary: "Origin" }
    : {};
  if (origin && !cors["Access-Control-Allow-Origin"]) return res.writeHead(403).end();
  if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
  if (!req.url.startsWith("/sandbox/")) return res.writeHead(404, cors).end();
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  try {
    const answer = await fetch(`${sandbox}${req.url}`, { method: req.method, body, headers: { "Content-Type": "application/json" } });
    res.writeHead(answer.status, { ...cors, "Content-Type": answer.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    res.writeHead(502, cors).end();
  }
});
server.listen(0, "127.0.0.1", () => console.log(`control proxy on http://127.0.0.1:${server.address().port}`));
