// The release artifact (pkg/ and pkg/gateways/, built with immediate-abort:
// a panic there is a bare `unreachable` trap) against hostile input from the
// page and from the server, in Chromium. Every call must end as a
// CheckoutError (or a value), never a RuntimeError; and after all of them the
// same module instance must still work, which a trap or a JavaScript
// exception thrown through Rust frames (a borrow left held) would break.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sandbox, staticServer, browser, admin, token } from "./helpers.mjs";

let sbx, site, chrome, tok;

before(async () => {
  sbx = await sandbox();
  site = await staticServer();
  chrome = await browser();
  tok = await token(sbx.url);
});

after(async () => {
  await chrome?.close();
  site?.close();
  sbx?.stop();
});

/** Server answers no real API sends; each is served once for the order's GET. */
function hostileBodies() {
  const deep = (n) => "[".repeat(n) + "]".repeat(n);
  const order = (attrs, extra = "") => `{"data":{"id":"o1","type":"orders","attributes":${attrs}${extra}}}`;
  return {
    "empty body": "",
    "not JSON": "<html>gateway timeout</html>",
    "truncated": '{"data":{"id":"o1","type":"ord',
    "nesting 100,000 deep": `{"data":${deep(100000)}}`,
    "nesting 1,000 deep in attributes": order(`{"x":${deep(1000)}}`),
    "lone surrogate escapes": order('{"status":"\\ud800\\udfff\\ud800","number":"\\u0000"}'),
    "invalid UTF-8 escape": order('{"status":"\\uZZZZ"}'),
    "huge numbers": order('{"total_amount_cents":1e999999,"number":-0.0e-99999999}'),
    "every type wrong": '{"data":[1,"x",null,true],"included":{"a":1},"errors":"no"}',
    "data null": '{"data":null}',
    "ids of every type": '{"data":{"id":{"x":1},"type":7,"relationships":{"payment_method":{"data":{"type":[],"id":null}}}}}',
    // (The sandbox takes fault bodies up to 1 MiB.)
    "a 900 KB string": order(`{"status":"${"x".repeat(900_000)}"}`),
    "30,000 included resources": `{"data":{"id":"o1","type":"orders"},"included":[${Array.from({ length: 30000 }, (_, i) => `{"id":"${i}","type":"t"}`).join(",")}]}`,
    "__proto__ and duplicate keys": '{"data":{"id":"o1","type":"orders","__proto__":{"polluted":1},"id":"o2","attributes":{"__proto__":null}}}',
    "errors of every shape": '{"errors":[null,1,"x",{"status":{},"code":[],"detail":{"a":1},"source":"p","meta":7}]}',
  };
}

/** Runs `fn` in a fresh page with the given entry point loaded; returns what each case gave. */
async function inFreshPage(entry, fn, args) {
  const page = await chrome.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${site.url}/tests/e2e/blank.html`);
  const out = await page.evaluate(
    async ({ entry, src, args }) => {
      const cl = await import(entry);
      await cl.default();
      const fn = new Function(`return (${src})`)();
      /** What a call gave: a value, or what was thrown, in plain words. */
      const settle = async (call) => {
        try {
          await call();
          return "value";
        } catch (e) {
          return cl.isCheckoutError(e) ? `CheckoutError:${e.kind}` : `${e?.constructor?.name ?? typeof e}: ${e?.message ?? e}`;
        }
      };
      return fn(cl, settle, args);
    },
    { entry, src: fn.toString(), args },
  );
  await page.close();
  return { out, errors };
}

test("hostile server answers reach the page as CheckoutErrors from the release build, and the module keeps working", async () => {
  const bodies = hostileBodies();
  const orders = {};
  for (const name of Object.keys(bodies)) {
    const id = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;
    orders[name] = id;
    await admin(sbx.url, "POST", "/faults", { path: `/api/orders/${id}`, method: "GET", fault: "status", status: 200, body: bodies[name], times: 3 });
  }
  const healthy = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;
  const { out, errors } = await inFreshPage("/pkg/cl_checkout.js", async (cl, settle, { base, token, orders, healthy }) => {
    const checkout = new cl.Checkout({ baseUrl: base, accessToken: token });
    const results = {};
    for (const [name, id] of Object.entries(orders)) {
      results[name] = [await settle(() => checkout.order(id)), await settle(() => checkout.paymentMethod(id)), await settle(() => checkout.createPaymentSource(id))];
    }
    results["afterwards, a healthy order"] = [await settle(() => checkout.order(healthy))];
    return results;
  }, { base: sbx.url, token: tok, orders, healthy });
  await admin(sbx.url, "DELETE", "/faults");
  assert.deepEqual(errors, []);
  for (const [name, got] of Object.entries(out)) {
    for (const r of got) assert.match(r, /^(value|CheckoutError:\w+)$/, `${name}: ${got.join(" | ")}`);
  }
  assert.deepEqual(out["afterwards, a healthy order"], ["value"]);
  assert.ok(Object.values(out).flat().some((r) => r === "CheckoutError:decode"), "hostile answers are decode errors");
});

test("hostile arguments from the page: CheckoutErrors, never a trap or a leaked exception, in both entry points", async () => {
  for (const entry of ["/pkg/cl_checkout.js", "/pkg/gateways/cl_checkout.js"]) {
    const { out, errors } = await inFreshPage(entry, async (cl, settle, { base, token }) => {
      const throwing = new Proxy({}, { get() { throw new Error("getter threw"); }, ownKeys() { throw new Error("ownKeys threw"); } });
      const getter = { get id() { throw new Error("id getter threw"); }, type: "stripe_payments" };
      const cyclic = { type: "stripe_payments", id: "x" };
      cyclic.self = cyclic;
      const deep = JSON.parse("[".repeat(5000) + "]".repeat(5000));
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      const longArray = new Proxy([], { get: (t, k) => (k === "length" ? 2 ** 32 - 1 : undefined) });
      const weird = [undefined, null, 0, -1, 1e308, NaN, "", "../x", "x".repeat(1 << 20), Symbol("s"), 10n, [], {}, () => 1,
        throwing, getter, cyclic, deep, revoked.proxy, longArray];
      // A Stripe.js look-alike that accepts everything, so mountStripe reads the page's options.
      const stripe = { elements: () => ({ create: () => ({ mount() {}, on() {}, destroy() {} }) }), confirmPayment: async () => ({}), retrievePaymentIntent: async () => ({}) };
      const source = { id: "s1", type: "stripe_payments", client_secret: "pi_1_secret_2", publishable_key: "pk_test_1" };
      const checkout = new cl.Checkout({ baseUrl: base, accessToken: token });
      const results = {};
      let i = 0;
      for (const w of weird) {
        const k = `arg ${i++}`;
        results[k] = [
          await settle(() => new cl.Checkout(w)),
          await settle(() => new cl.Checkout({ baseUrl: w, accessToken: token })),
          await settle(() => new cl.Checkout({ baseUrl: base, accessToken: w, timeoutMs: w })),
          await settle(() => checkout.order(w)),
          await settle(() => checkout.createPaymentSource("o1", w)),
          await settle(() => checkout.createCustomerPaymentSource(w)),
          await settle(() => cl.stripeOptions(w)),
          await settle(() => checkout.resumeStripe(w, "o1", "https://shop.example/?payment_intent_client_secret=pi_1_secret_2")),
          await settle(() => checkout.mountStripe(w, w, w, w)),
          await settle(() => checkout.mountStripe(stripe, source, "body", { elementsOptions: w, paymentElementOptions: w, processingTimeoutMs: w })),
          await settle(() => checkout.mountStripe(stripe, source, "body").confirm({ returnUrl: "https://shop.example/", confirmParams: w, saveToWallet: w })),
        ];
        if (cl.gatewayHandoff) {
          results[k].push(
            await settle(() => cl.gatewayHandoff(w)),
            await settle(() => checkout.payWithGateway("o1", w)),
            await settle(() => checkout.payWithGateway("o1", { gateway: "adyen_payments", data: w })),
            await settle(() => checkout.resumeGateway(w, w)),
          );
        }
      }
      results.afterwards = [await settle(() => checkout.paymentMethod("does-not-exist-1"))];
      return results;
    }, { base: sbx.url, token: tok });
    assert.deepEqual(errors, [], entry);
    for (const [name, got] of Object.entries(out)) {
      for (const r of got) assert.match(r, /^(value|CheckoutError:\w+)$/, `${entry} ${name}: ${got.join(" | ")}`);
    }
    assert.match(out.afterwards[0], /^CheckoutError:api$/, `${entry}: the module still answers after all of them`);
  }
});

test("an answer past 16 MiB is refused before it is copied into the module, and the module keeps working", async () => {
  // Too large for a sandbox fault (1 MiB): the real answer's status and headers (CORS included), with a 17 MiB body.
  const id = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;
  const page = await chrome.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const huge = `{"data":{"id":"${id}","type":"orders","attributes":{"number":"${"x".repeat(17 * 1024 * 1024)}"}}}`;
  await page.route(`${sbx.url}/api/orders/${id}?**`, async (route) => {
    if (route.request().method() !== "GET") return route.continue();
    await route.fulfill({ response: await route.fetch(), body: huge });
  });
  await page.goto(`${site.url}/tests/e2e/blank.html`);
  const got = await page.evaluate(
    async ({ base, token, id }) => {
      const cl = await import("/pkg/cl_checkout.js");
      await cl.default();
      const checkout = new cl.Checkout({ baseUrl: base, accessToken: token });
      const settle = (p) => p.then(() => "value", (e) => `${e.kind}: ${e.message}`);
      return [await settle(checkout.order(id)), await settle(checkout.paymentMethod("does-not-exist-1"))];
    },
    { base: sbx.url, token: tok, id },
  );
  await page.close();
  assert.deepEqual(errors, []);
  assert.equal(got[0], "decode: The response body is larger than 16 MiB; refused.");
  assert.match(got[1], /^api: /, "the module still answers afterwards");
});

test("a freed Checkout: every method fails as a CheckoutError (a rejection, mountStripe a throw), calls already running finish", async () => {
  const healthy = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;
  for (const entry of ["/pkg/cl_checkout.js", "/pkg/gateways/cl_checkout.js"]) {
    const { out, errors } = await inFreshPage(entry, async (cl, settle, { base, token, healthy }) => {
      let unmounted = 0;
      const stripe = { elements: () => ({ create: () => ({ mount() {}, unmount: () => unmounted++ }) }), confirmPayment: async () => ({}), retrievePaymentIntent: async () => ({}) };
      const source = { id: "s1", type: "stripe_payments", client_secret: "pi_1_secret_2", publishable_key: "pk_test_1" };
      const checkout = new cl.Checkout({ baseUrl: base, accessToken: token });
      const payment = checkout.mountStripe(stripe, source, "body", { orderId: healthy });
      const running = checkout.order(healthy);
      checkout.free();
      const results = { running: [await settle(() => running)] };
      const names = ["paymentMethod", "createPaymentSource", "order", "availablePaymentMethods", "selectPaymentMethod", "saveToWallet",
        "walletSources", "useWalletSource", "createCustomerPaymentSource", "placeOrder", "resumeStripe", "payWithGateway", "resumeGateway"];
      for (const name of names.filter((n) => checkout[n])) {
        let returned;
        results[name] = [await settle(() => (returned = checkout[name](healthy, healthy))), returned instanceof Promise ? "a Promise" : "thrown"];
      }
      let message = "";
      results.mountStripe = [await settle(() => { try { return checkout.mountStripe(stripe, source, "body", { orderId: healthy }); } catch (e) { message = e.message; throw e; } })];
      results.confirm = [await settle(() => payment.confirm({ returnUrl: "https://shop.example/" }))];
      results.unmount = [await settle(() => payment.unmount()), unmounted];
      results.message = message;
      results.freeAgain = [await settle(() => checkout.free()), await settle(() => Symbol.dispose && checkout[Symbol.dispose]())];
      return results;
    }, { base: sbx.url, token: tok, healthy });
    assert.deepEqual(errors, [], entry);
    assert.deepEqual(out.running, ["value"], `${entry}: a call running when free() came finishes`);
    assert.deepEqual(out.mountStripe, ["CheckoutError:invalid_input"], entry);
    assert.deepEqual(out.confirm, ["CheckoutError:invalid_input"], entry);
    assert.deepEqual(out.unmount, ["value", 1], `${entry}: unmount() still removes the Element after free()`);
    assert.match(out.message, /freed: create a new one/, entry);
    assert.deepEqual(out.freeAgain, ["value", "value"], `${entry}: free() or dispose again does nothing`);
    const methods = Object.keys(out).filter((k) => !["running", "mountStripe", "confirm", "unmount", "message", "freeAgain"].includes(k));
    assert.equal(methods.length, entry.includes("gateways") ? 13 : 11, entry);
    for (const name of methods) assert.deepEqual(out[name], ["CheckoutError:invalid_input", "a Promise"], `${entry} ${name}`);
  }
});
