// Every gateway but Stripe, paid from the built package's gateways entry
// point (pkg/gateways/) in Chromium against the sandbox's emulation of each
// gateway's test mode: success, decline then retry, 3-D Secure or redirect
// where the gateway has one, cancel for the redirect gateways, and the
// sandbox's state checked after each.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sandbox, staticServer, browser, admin, token, checkoutInPage } from "./helpers.mjs";

let sbx, site, chrome, page, tok;

before(async () => {
  sbx = await sandbox();
  site = await staticServer();
  chrome = await browser();
  page = await chrome.newPage();
  tok = await token(sbx.url);
});

after(async () => {
  await chrome?.close();
  site?.close();
  sbx?.stop();
});

const shop = (query) => `${site.url}/tests/e2e/blank.html?${query}`;

/** Loads the gateways entry point into the page where it is (a fresh load after a redirect, as in a shop). */
async function load() {
  if (!page.url().startsWith(site.url)) await page.goto(shop("start=1"));
  await page.evaluate(async () => {
    const mod = await import("/pkg/gateways/cl_checkout.js");
    await mod.default();
    window.cl = mod;
  });
}

/** Runs `fn(cl, checkout, args)` in the page, the module loaded where the page is. */
async function inPage(fn, args = {}) {
  await load();
  return checkoutInPage(page, fn, { base: sbx.url, token: tok, ...args });
}

const newOrder = async (type) => (await admin(sbx.url, "POST", "/orders", { payment_source_type: type })).id;
const state = (order) => admin(sbx.url, "GET", `/orders/${order}`);

/** Creates the order's payment source with `attributes` and returns what its library needs. */
const handoff = (order, attributes = {}) =>
  inPage(async (cl, co, { order, attributes }) => cl.gatewayHandoff(await co.createPaymentSource(order, attributes)), { order, attributes });

const pay = (order, step, options) => inPage((cl, co, { order, step, options }) => co.payWithGateway(order, step, options), { order, step, options });
const resume = (order) => inPage((cl, co, { order }) => co.resumeGateway(order), { order });

/** The shopper at the gateway's page (the sandbox's stand-in): clicks one button, and is sent back. */
async function atGateway(url, button) {
  await page.goto(url);
  await Promise.all([page.waitForURL((u) => u.href.startsWith(site.url)), page.getByRole("button", { name: button }).click()]);
  return page.url();
}

function assertDeclined(result) {
  assert.equal(result.err?.kind, "gateway", JSON.stringify(result));
  assert.ok(result.err.guard && result.err.name === "CheckoutError");
  assert.match(result.err.message, /nothing was charged|not authorize/);
}

async function assertPlaced(result, order) {
  assert.equal(result.ok?.status, "placed", JSON.stringify(result));
  assert.equal(result.ok.order.id, order);
  assert.equal((await state(order)).status, "placed");
}

test("_place is refused until the gateway's step is done", async () => {
  const order = await newOrder("braintree_payments");
  await handoff(order);
  const refused = await inPage((cl, co, { order }) => co.placeOrder(order), { order });
  assert.equal(refused.err?.status, 422);
  assert.equal((await state(order)).status, "pending");
});

test("PayPal: cancel at PayPal changes nothing; approve returns with PayerID and places once", async () => {
  const order = await newOrder("paypal_payments");
  const h = await handoff(order, { return_url: shop("paypal=return"), cancel_url: shop("paypal=cancel") });
  assert.equal(h.ok.gateway, "paypal_payments");
  assert.ok(h.ok.redirectUrl.startsWith(`${sbx.url}/gateways/paypal/approve`));

  assert.match(await atGateway(h.ok.redirectUrl, "Cancel and return"), /paypal=cancel&token=EC-/);
  assert.deepEqual(await resume(order), { ok: null });
  assert.equal((await state(order)).status, "pending");

  assert.match(await atGateway(h.ok.redirectUrl, "Approve and pay"), /PayerID=PAYER/);
  await assertPlaced(await resume(order), order);
  // The return page loaded again: the placed order, no second step.
  await assertPlaced(await resume(order), order);
});

test("Satispay: a cancelled payment is declined, a new one accepted at Satispay is placed", async () => {
  const order = await newOrder("satispay_payments");
  const first = await handoff(order, { redirect_url: shop("satispay=back") });
  await atGateway(first.ok.redirectUrl, "Cancel");
  assertDeclined(await pay(order, { gateway: "satispay_payments" }));
  assert.equal((await state(order)).status, "pending");

  const second = await handoff(order, { redirect_url: shop("satispay=back") });
  assert.notEqual(second.ok.redirectUrl, first.ok.redirectUrl);
  await atGateway(second.ok.redirectUrl, "Pay with Satispay");
  await assertPlaced(await pay(order, { gateway: "satispay_payments" }), order);
});

test("Braintree: the documented declined nonce is a decline, then a valid nonce places", async () => {
  const order = await newOrder("braintree_payments");
  const h = await handoff(order);
  assert.match(h.ok.clientToken, /^sandbox_/);
  assertDeclined(await pay(order, { gateway: "braintree_payments", nonce: "fake-processor-declined-visa-nonce" }));
  assert.equal((await state(order)).status, "pending");
  await assertPlaced(await pay(order, { gateway: "braintree_payments", nonce: "fake-valid-nonce" }), order);
});

test("Adyen: a refused card, then 3-D Secure by redirect and back with redirectResult", async () => {
  const order = await newOrder("adyen_payments");
  const h = await handoff(order);
  assert.equal(h.ok.clientKey, "test_SANDBOXADYENCLIENTKEY");
  assert.equal(h.ok.paymentMethodsResponse.paymentMethods[0].type, "scheme");
  const card = (number, holderName = "J. Smith") => ({
    paymentMethod: { type: "scheme", encryptedCardNumber: `test_${number}`, encryptedExpiryMonth: "test_03", encryptedExpiryYear: "test_2030", encryptedSecurityCode: "test_737", holderName },
    returnUrl: shop("adyen=back"),
  });
  assertDeclined(await pay(order, { gateway: "adyen_payments", data: card("4111111111111111", "DECLINED") }));
  const challenged = await pay(order, { gateway: "adyen_payments", data: card("4917610000000000") });
  assert.equal(challenged.ok?.status, "action", JSON.stringify(challenged));
  assert.equal(challenged.ok.action.type, "redirect");
  assert.equal((await state(order)).status, "pending");
  assert.match(await atGateway(challenged.ok.action.url, "Complete authentication"), /adyen=back&redirectResult=/);
  await assertPlaced(await resume(order), order);
});

test("Checkout.com: a declined card, then 3-D Secure (failed, then passed) and back with cko-session-id", async () => {
  const order = await newOrder("checkout_com_payments");
  const h = await handoff(order, { success_url: shop("cko=ok"), failure_url: shop("cko=ko") });
  const tokenize = (number) =>
    inPage(async (cl, co, { publicKey, number, base }) => {
      // What Checkout.com's card form does with the public key.
      const res = await fetch(`${base}/gateways/checkout_com/tokens`, {
        method: "POST",
        headers: { Authorization: publicKey, "Content-Type": "application/json" },
        body: JSON.stringify({ type: "card", number, expiry_month: 12, expiry_year: 2030, cvv: "100" }),
      });
      return (await res.json()).token;
    }, { publicKey: h.ok.publicKey, number });
  assertDeclined(await pay(order, { gateway: "checkout_com_payments", token: (await tokenize("4000000000000002")).ok }));

  const threeDS = (await tokenize("4544249167673670")).ok;
  const failed = await pay(order, { gateway: "checkout_com_payments", token: threeDS });
  assert.equal(failed.ok?.status, "redirect", JSON.stringify(failed));
  assert.match(await atGateway(failed.ok.url, "Fail authentication"), /cko=ko&cko-session-id=sid_/);
  assertDeclined(await resume(order));
  assert.equal((await state(order)).status, "pending");

  const again = await pay(order, { gateway: "checkout_com_payments", token: threeDS });
  assert.match(await atGateway(again.ok.url, "Complete authentication"), /cko=ok&cko-session-id=sid_/);
  await assertPlaced(await resume(order), order);
});

test("Klarna: a shopper Klarna does not approve gets no token; an approved one is placed", async () => {
  const order = await newOrder("klarna_payments");
  const h = await handoff(order);
  assert.deepEqual(h.ok.categories.map((c) => c.identifier), ["pay_later", "pay_over_time"]);
  const authorize = (email) =>
    fetch(`${sbx.url}/gateways/klarna/authorize`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_token: h.ok.clientToken, payment_method_category: "pay_later", billing_address: { email } }),
    }).then((r) => r.json());
  assert.deepEqual(await authorize("shopper+denied@example.com"), { approved: false, show_form: false });
  assertDeclined(await pay(order, { gateway: "klarna_payments", authorizationToken: "klarna_auth_made_up" }));
  const approved = await authorize("shopper@example.com");
  await assertPlaced(await pay(order, { gateway: "klarna_payments", authorizationToken: approved.authorization_token }), order);
});

test("Axerve: the lightbox's KO is a decline, its OK places; the page's word alone does not", async () => {
  const order = await newOrder("axerve_payments");
  const h = await handoff(order, { return_url: shop("axerve=back"), request_token: true });
  assert.equal(h.ok.shopLogin, "GESPAY_SANDBOX");
  const { paymentID, paymentToken } = h.ok.lightbox;
  // What the shopper's choice in Axerve's lightbox answers (the page gets it through the callback).
  const lightbox = (choice) =>
    fetch(`${sbx.url}/gateways/axerve/lightbox/${paymentToken}`, { method: "POST", body: new URLSearchParams({ choice }) }).then((r) => r.json());
  assertDeclined(await pay(order, { gateway: "axerve_payments", paymentRequestData: { status: "OK", paymentID, transactionResult: "OK" } }));
  const ko = await lightbox("decline");
  assert.equal(ko.status, "KO");
  assertDeclined(await pay(order, { gateway: "axerve_payments", paymentRequestData: ko }));
  const ok = await lightbox("pay");
  assert.deepEqual([ok.status, ok.paymentID], ["OK", paymentID]);
  await assertPlaced(await pay(order, { gateway: "axerve_payments", paymentRequestData: ok }), order);
});

test("bad steps are refused before anything is sent", async () => {
  const order = await newOrder("paypal_payments");
  for (const step of [null, { gateway: "stripe_payments" }, { gateway: "paypal_payments" }, { gateway: "braintree_payments", nonce: 1 }]) {
    const r = await pay(order, step);
    assert.equal(r.err?.kind, "invalid_input", JSON.stringify([step, r]));
  }
  const wrongType = await pay(order, { gateway: "klarna_payments", authorizationToken: "x" });
  assert.equal(wrongType.err?.kind, "invalid_input");
  // A bad order id is refused even where the URL is no gateway's return.
  const badId = await inPage((cl, co) => co.resumeGateway("../orders", "https://shop.example/back"));
  assert.equal(badId.err?.kind, "invalid_input");
  const noHandoff = await inPage((cl) => cl.gatewayHandoff({ id: "x", type: "wire_transfers" }));
  assert.equal(noHandoff.err?.kind, "invalid_input");
});

test("the sandbox's request log holds no nonce, card number, card token or Klarna token of these payments", async () => {
  const log = JSON.stringify(await admin(sbx.url, "GET", "/requests"));
  assert.match(log, /gateways\/checkout_com\/tokens/, "the log has the gateway requests");
  for (const secret of ["fake-valid-nonce", "fake-processor-declined", "4544249167673670", "4242424242424242", "test_4111", "klarna_auth_", '"tok_']) {
    assert.ok(!log.includes(secret), `the log shows ${secret}`);
  }
});
