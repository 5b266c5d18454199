// The built npm package (pkg/) as a storefront page loads it: ES module +
// .wasm from the page's origin, API calls to the sandbox on another origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, sandbox, staticServer, browser, admin, token, checkoutInPage } from "./helpers.mjs";

let sbx, site, chrome, page;
const consoleLines = [];

before(async () => {
  sbx = await sandbox();
  site = await staticServer();
  chrome = await browser();
  page = await chrome.newPage();
  page.on("console", (m) => consoleLines.push(m.text()));
  page.on("pageerror", (e) => consoleLines.push(String(e)));
  await page.goto(`${site.url}/tests/e2e/blank.html`);
  await page.evaluate(async () => {
    const mod = await import("/pkg/cl_checkout.js");
    await mod.default();
    window.cl = mod;
  });
});

after(async () => {
  await chrome?.close();
  site?.close();
  sbx?.stop();
});

const inPage = (fn, args) => checkoutInPage(page, fn, args);

test("every method of the table works from the built package", async () => {
  const tok = await token(sbx.url, true);
  const first = (await admin(sbx.url, "POST", "/orders", { payment_source_type: null, customer: true })).id;
  const result = await inPage(async (cl, co, { first }) => {
    const methods = await co.availablePaymentMethods(first);
    const none = await co.paymentMethod(first);
    const selected = await co.selectPaymentMethod(first, methods.find((m) => m.payment_source_type === "wire_transfers").id);
    const pm = await co.paymentMethod(first);
    const source = await co.createPaymentSource(first);
    const placed = await co.placeOrder(first);
    const before = (await co.walletSources(first)).map((c) => c.id);
    const wallet = await co.saveToWallet(first);
    const listed = await co.walletSources(first);
    const cps = await co.createCustomerPaymentSource({ customer_id: "CustomerA1", payment_source: { type: "wire_transfers", id: source.id }, reference: "e2e" });
    return { methods: methods.length, none, selected: selected.payment_method.payment_source_type, pm: pm.payment_source_type,
      source: source.type, placed: [placed.status, placed.payment_status], wallet: wallet.length, listed: listed.map((c) => c.id), cps: [cps.type, cps.reference],
      walletIds: wallet.map((c) => c.id), added: wallet.map((c) => c.id).filter((id) => !before.includes(id)) };
  }, { base: sbx.url, token: tok, first });
  assert.ok(result.ok, JSON.stringify(result.err));
  const r = result.ok;
  assert.equal(r.methods, 10);
  assert.equal(r.none, null);
  assert.equal(r.selected, "wire_transfers");
  assert.equal(r.pm, "wire_transfers");
  assert.equal(r.source, "wire_transfers");
  assert.deepEqual(r.placed, ["placed", "authorized"]);
  assert.equal(r.added.length, 1, "saveToWallet adds exactly one source");
  assert.deepEqual(r.listed, r.walletIds);
  assert.deepEqual(r.cps, ["customer_payment_sources", "e2e"]);

  const second = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "wire_transfers", customer: true })).id;
  const reuse = await inPage(async (cl, co, { second, saved }) => {
    const order = await co.useWalletSource(second, saved);
    return (await co.placeOrder(second)).status + ":" + order.payment_source.type;
  }, { base: sbx.url, token: tok, second, saved: r.added[0] });
  assert.equal(reuse.ok, "placed:wire_transfers");
});

test("concurrent creates for one order share one request; once settled, a new call creates anew", async () => {
  const tok = await token(sbx.url);
  const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;
  const r = await inPage(async (cl, co, { order }) => {
    const calls = [co.createPaymentSource(order), co.createPaymentSource(order), co.createPaymentSource(order)];
    const first = (await Promise.all(calls)).map((s) => s.id);
    // Settled: the next call is the shopper choosing again. A refused call is not kept either.
    const refused = await co.createPaymentSource(order, "not an object").catch((e) => e.kind);
    const next = (await co.createPaymentSource(order)).id;
    return { first, shared: calls[0] === calls[1] && calls[1] === calls[2], refused, next };
  }, { base: sbx.url, token: tok, order });
  assert.ok(r.ok, JSON.stringify(r.err));
  assert.equal(new Set(r.ok.first).size, 1, `one source: ${r.ok.first}`);
  assert.equal(r.ok.shared, true, "the calls in flight share one Promise");
  assert.equal(r.ok.refused, "invalid_input");
  assert.notEqual(r.ok.next, r.ok.first[0]);
  const log = await admin(sbx.url, "GET", "/requests");
  const posts = log.filter((q) => q.method === "POST" && q.path === "/api/stripe_payments" && q.body.includes(order));
  assert.equal(posts.length, 2, "one POST for the three calls in flight, one for the call after them");
  const state = await admin(sbx.url, "GET", `/orders/${order}`);
  assert.equal(state.payment_sources.length, 2);
});

test("errors are real Error objects named CheckoutError, and the guard knows them", async () => {
  const tok = await token(sbx.url);
  const r = await inPage((cl, co) => co.paymentMethod("NoSuchOrder"), { base: sbx.url, token: tok });
  assert.equal(r.err.name, "CheckoutError");
  assert.equal(r.err.kind, "api");
  assert.equal(r.err.status, 404);
  assert.equal(r.err.errors[0].code, "RECORD_NOT_FOUND");
  assert.ok(r.err.guard && r.err.isError);
  const thrown = await page.evaluate(() => {
    try {
      new window.cl.Checkout({ baseUrl: "http://evil.example", accessToken: "x" });
      return null;
    } catch (e) {
      return { kind: e.kind, guard: window.cl.isCheckoutError(e), status: e.status };
    }
  });
  assert.deepEqual(thrown, { kind: "invalid_input", guard: true, status: null });
  assert.equal(await page.evaluate(() => window.cl.isCheckoutError(new Error("other"))), false);
});

test("a Checkout shows a page nothing it could log (no own property, no token), and the package exports only its API", async () => {
  const tok = await token(sbx.url);
  const r = await page.evaluate(({ base, token }) => {
    const co = new window.cl.Checkout({ baseUrl: base, accessToken: token });
    const shown = [JSON.stringify(co), JSON.stringify(Object.getOwnPropertyDescriptors(co)), Object.keys(co).join()].join("\n");
    return { own: Reflect.ownKeys(co).length, token: shown.includes(token), exports: Object.keys(window.cl).sort() };
  }, { base: sbx.url, token: tok });
  assert.deepEqual(r, {
    own: 0,
    token: false,
    exports: ["Checkout", "default", "initSync", "isCheckoutError", "prefetchOrder", "stripeOptions"],
  });
});

test("the page console stays silent: no token, no client secret, no errors", async () => {
  const tok = await token(sbx.url);
  const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;
  const r = await inPage((cl, co, { order }) => co.createPaymentSource(order).then((s) => s.client_secret.includes("_secret_")), { base: sbx.url, token: tok, order });
  assert.equal(r.ok, true);
  await inPage((cl, co) => co.paymentMethod("bad id!"), { base: sbx.url, token: tok });
  const all = consoleLines.join("\n");
  assert.ok(!all.includes(tok), "token on the console");
  assert.ok(!all.includes("_secret_"), "client secret on the console");
  // Chromium itself logs failed HTTP statuses (the 404 test above); nothing else may appear.
  const fromModule = consoleLines.filter((l) => !/^Failed to load resource: the server responded with a status of \d+/.test(l));
  assert.deepEqual(fromModule, []);
});

test("init() stays silent when the .wasm comes without its MIME type or is given the older ways, and works", async () => {
  const tok = await token(sbx.url);
  const fresh = await chrome.newPage();
  const lines = [];
  fresh.on("console", (m) => lines.push(m.text()));
  fresh.on("pageerror", (e) => lines.push(String(e)));
  await fresh.route("**/pkg/cl_checkout_bg.wasm", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
  });
  await fresh.goto(`${site.url}/tests/e2e/blank.html`);
  const got = await fresh.evaluate(async ({ base, token }) => {
    const cl = await import("/pkg/cl_checkout.js");
    const url = new URL("/pkg/cl_checkout_bg.wasm", location.href);
    const exports = await cl.default(url); // the older form: a URL, not { module_or_path }
    const again = cl.initSync(new WebAssembly.Module(await (await fetch(url)).arrayBuffer())); // ditto: initialised already
    const co = new cl.Checkout({ baseUrl: base, accessToken: token });
    const err = await co.paymentMethod("NoSuchOrder").catch((e) => e.kind);
    return { same: exports === again, err };
  }, { base: sbx.url, token: tok });
  await fresh.close();
  assert.deepEqual(got, { same: true, err: "api" });
  const fromModule = lines.filter((l) => !/^Failed to load resource: the server responded with a status of \d+/.test(l));
  assert.deepEqual(fromModule, [], "the module wrote to the console");
});

test("new Checkout, stripeOptions and gatewayHandoff before init() are CheckoutErrors that say to await init(); after it, the same class works", async () => {
  const tok = await token(sbx.url);
  const fresh = await chrome.newPage();
  await fresh.goto(`${site.url}/tests/e2e/blank.html`);
  const got = await fresh.evaluate(async ({ base, token }) => {
    const cl = await import("/pkg/gateways/cl_checkout.js");
    const options = { baseUrl: base, accessToken: token };
    const early = (() => {
      try {
        new cl.Checkout(options);
        return "constructed";
      } catch (e) {
        return { guard: cl.isCheckoutError(e), kind: e.kind, message: e.message, errors: e.errors, status: e.status, stripe: e.stripe };
      }
    })();
    const thrown = (f) => {
      try {
        return ["returned", f()];
      } catch (e) {
        return [cl.isCheckoutError(e), e.kind, e.message];
      }
    };
    const stripeEntry = await import("/pkg/cl_checkout.js"); // a module of its own, not loaded either
    const source = { id: "x", type: "stripe_payments", publishable_key: "pk_test_1" };
    const free = () => [
      thrown(() => cl.stripeOptions(source)),
      thrown(() => cl.gatewayHandoff({ id: "x", type: "wire_transfers" })),
      thrown(() => stripeEntry.stripeOptions(source)),
    ];
    const freeEarly = free();
    await cl.default();
    const co = new cl.Checkout(options);
    const bad = (() => { try { new cl.Checkout({ baseUrl: "ftp://x", accessToken: token }); } catch (e) { return [cl.isCheckoutError(e), e.kind]; } })();
    return {
      early,
      freeEarly,
      freeLater: free().slice(0, 2),
      onlyGateways: ["gatewayHandoff" in cl, "gatewayHandoff" in stripeEntry],
      later: co instanceof cl.Checkout && (await co.paymentMethod("NoSuchOrder").catch((e) => e.kind)),
      bad,
    };
  }, { base: sbx.url, token: tok });
  await fresh.close();
  const notLoaded = "The module is not loaded: await init() first.";
  assert.deepEqual(got.early, { guard: true, kind: "invalid_input", message: notLoaded, errors: [], status: null, stripe: null });
  assert.deepEqual(got.freeEarly, [[true, "invalid_input", notLoaded], [true, "invalid_input", notLoaded], [true, "invalid_input", notLoaded]]);
  // Once loaded, the same calls answer: options for a Stripe source; a wire transfer has no handoff (its own CheckoutError).
  assert.deepEqual(got.freeLater[0], ["returned", { publishableKey: "pk_test_1", options: {} }]);
  assert.equal(got.freeLater[1][0], true);
  assert.notEqual(got.freeLater[1][2], notLoaded);
  assert.deepEqual(got.onlyGateways, [true, false], "the Stripe entry point exports no gatewayHandoff");
  assert.equal(got.later, "api");
  assert.deepEqual(got.bad, [true, "invalid_input"], "a bad option after init is still the module's own error");
});

test("importing in Node (server-side rendering) does not crash; with fetch it even works", async () => {
  const mod = await import(join(ROOT, "pkg/cl_checkout.js"));
  assert.equal(typeof mod.Checkout, "function");
  mod.initSync({ module: await readFile(join(ROOT, "pkg/cl_checkout_bg.wasm")) });
  const co = new mod.Checkout({ baseUrl: sbx.url, accessToken: await token(sbx.url) });
  const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "klarna_payments" })).id;
  assert.equal((await co.paymentMethod(order)).payment_source_type, "klarna_payments");
  // Without fetch (server-side rendering), a call rejects with a clear CheckoutError.
  const saved = globalThis.fetch;
  delete globalThis.fetch;
  try {
    await assert.rejects(co.paymentMethod(order), (e) => mod.isCheckoutError(e) && e.kind === "network" && /server-side rendering/.test(e.message));
  } finally {
    globalThis.fetch = saved;
  }
});
