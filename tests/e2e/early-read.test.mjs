// prefetchOrder: the first read of createPaymentSource starts before init()
// has the .wasm, and the module uses that answer only when it may (the same
// request, nothing sent in between, within 10 s). Each test loads the built
// package into a fresh page, with the .wasm held back so the overlap is
// visible, and watches the requests the page sends.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sandbox, staticServer, browser, admin, token } from "./helpers.mjs";

let sbx, site, chrome;

before(async () => {
  sbx = await sandbox();
  site = await staticServer();
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  site?.close();
  sbx?.stop();
});

const WASM_DELAY_MS = 400;

/**
 * Runs `fn(cl, args)` in a fresh page right after importing the package's JavaScript (before `init()`),
 * the `.wasm` answered WASM_DELAY_MS late. Resolves `{ result, api, wasmDone }`: `api` lists the API
 * requests in the order they were sent, each `{ method, path, at }` (`at`: ms since the page's start).
 * `prepare(page)`, when given, runs before the page loads (more routes).
 */
async function inFreshPage(fn, args, prepare) {
  const page = await chrome.newPage();
  await prepare?.(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const api = [];
  let wasmDone = null;
  const started = Date.now();
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.origin === sbx.url && r.method() !== "OPTIONS") api.push({ method: r.method(), path: u.pathname, at: Date.now() - started });
  });
  await page.route("**/*.wasm", async (route) => {
    await new Promise((r) => setTimeout(r, WASM_DELAY_MS));
    await route.continue();
    wasmDone = Date.now() - started;
  });
  await page.goto(`${site.url}/tests/e2e/blank.html`);
  const result = await page.evaluate(
    async ({ src, args }) => {
      const cl = await import("/pkg/cl_checkout.js");
      try {
        return { ok: await new Function(`return (${src})`)()(cl, args) };
      } catch (e) {
        return { err: { name: e.name, kind: e.kind, message: e.message } };
      }
    },
    { src: fn.toString(), args },
  );
  await page.close();
  assert.deepEqual(errors, []);
  return { result, api, wasmDone };
}

const stripeOrder = async () => (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;

test("the order is read while the .wasm loads, once, and createPaymentSource uses that answer", async () => {
  const id = await stripeOrder();
  const { result, api, wasmDone } = await inFreshPage(
    async (cl, { base, token, id }) => {
      const options = { baseUrl: base, accessToken: token };
      cl.prefetchOrder(options, id);
      await cl.default();
      const source = await new cl.Checkout(options).createPaymentSource(id);
      return { type: source.type, secret: source.client_secret.includes("_secret_") };
    },
    { base: sbx.url, token: await token(sbx.url), id },
  );
  assert.deepEqual(result.ok, { type: "stripe_payments", secret: true }, JSON.stringify(result.err));
  const reads = api.filter((r) => r.method === "GET" && r.path === `/api/orders/${id}`);
  assert.equal(reads.length, 1, `one read of the order: ${JSON.stringify(api)}`);
  assert.ok(reads[0].at < wasmDone, `the read (${reads[0].at} ms) started before the .wasm arrived (${wasmDone} ms)`);
  assert.deepEqual(api.map((r) => `${r.method} ${r.path}`), [`GET /api/orders/${id}`, "POST /api/stripe_payments"]);
});

test("a request sent in between drops the early answer: the payment method chosen after it wins", async () => {
  const id = await stripeOrder();
  const tok = await token(sbx.url);
  const wire = (await (await fetch(`${sbx.url}/api/payment_methods`, { headers: { Authorization: `Bearer ${tok}`, Accept: "application/vnd.api+json" } })).json())
    .data.find((m) => m.attributes.payment_source_type === "wire_transfers").id;
  const { result, api } = await inFreshPage(
    async (cl, { base, token, id, wire }) => {
      const options = { baseUrl: base, accessToken: token };
      cl.prefetchOrder(options, id);
      await cl.default();
      const checkout = new cl.Checkout(options);
      await checkout.selectPaymentMethod(id, wire);
      // The same read as the early one: it must not be answered with the payment method from before the PATCH.
      return (await checkout.paymentMethod(id)).payment_source_type;
    },
    { base: sbx.url, token: tok, id, wire },
  );
  assert.equal(result.ok, "wire_transfers", JSON.stringify(result.err));
  assert.deepEqual(
    api.map((r) => `${r.method} ${r.path}`),
    [`GET /api/orders/${id}`, `PATCH /api/orders/${id}`, `GET /api/orders/${id}`],
  );
});

test("another token, or an answer over 10 s old, is not used: the order is read again", async () => {
  for (const late of [false, true]) {
    const id = await stripeOrder();
    const [early, tok] = [await token(sbx.url), await token(sbx.url)];
    assert.notEqual(early, tok);
    const { result, api } = await inFreshPage(
      async (cl, { base, early, tok, id, late }) => {
        cl.prefetchOrder({ baseUrl: base, accessToken: late ? tok : early }, id);
        await cl.default();
        if (late) {
          const now = Date.now;
          Date.now = () => now() + 10_001;
        }
        return (await new cl.Checkout({ baseUrl: base, accessToken: tok }).paymentMethod(id)).payment_source_type;
      },
      { base: sbx.url, early, tok, id, late },
    );
    assert.equal(result.ok, "stripe_payments", JSON.stringify(result.err));
    assert.equal(api.filter((r) => r.method === "GET" && r.path === `/api/orders/${id}`).length, 2, `late=${late}: ${JSON.stringify(api)}`);
  }
});

test("arguments the Checkout would refuse read nothing, and prefetchOrder never throws", async () => {
  const id = await stripeOrder();
  const { result, api } = await inFreshPage(
    async (cl, { base, token, id }) => {
      const bad = [
        [{ baseUrl: base.replace("127.0.0.1", "example.com"), accessToken: token }, id], // http:// off loopback
        [{ baseUrl: `${base}/api`, accessToken: token }, id],
        [{ baseUrl: base.replace("http://", "http://user@"), accessToken: token }, id],
        [{ baseUrl: "javascript:alert(1)", accessToken: token }, id],
        [{ baseUrl: base, accessToken: () => token }, id],
        [{ baseUrl: base, accessToken: "" }, id],
        [{ baseUrl: base, accessToken: token }, "../orders"],
        [{ baseUrl: base, accessToken: token }, undefined],
        [null, id],
        [undefined, undefined],
      ];
      for (const [options, order] of bad) cl.prefetchOrder(options, order);
      await new Promise((r) => setTimeout(r, 200));
      return "done";
    },
    { base: sbx.url, token: await token(sbx.url), id },
  );
  assert.equal(result.ok, "done", JSON.stringify(result.err));
  assert.deepEqual(api, []);
});

test("the Checkout's signal stops a call that waits for the early answer", async () => {
  const id = await stripeOrder();
  // The order's read is answered late, so the abort lands while the call waits for it.
  const slowRead = (page) =>
    page.route(`${sbx.url}/api/orders/**`, async (route) => {
      if (route.request().method() === "GET") await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => {});
    });
  const { result } = await inFreshPage(
    async (cl, { base, token, id }) => {
      const stop = new AbortController();
      const options = { baseUrl: base, accessToken: token, signal: stop.signal };
      cl.prefetchOrder(options, id);
      await cl.default();
      const call = new cl.Checkout(options).createPaymentSource(id);
      setTimeout(() => stop.abort(), 200);
      const t = performance.now();
      try {
        await call;
        return { resolved: true };
      } catch (e) {
        return { kind: e.kind, ms: performance.now() - t };
      }
    },
    { base: sbx.url, token: await token(sbx.url), id },
    slowRead,
  );
  assert.equal(result.ok.kind, "aborted", JSON.stringify(result));
  assert.ok(result.ok.ms < 1200, `stopped at once, not when the answer came (${result.ok.ms} ms)`);
});
