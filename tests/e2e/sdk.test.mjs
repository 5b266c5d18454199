// The official @commercelayer/sdk (from npm, unchanged) against cl-sandbox:
// a client nobody here wrote runs the documented flows, which shows the
// sandbox speaks the API. Only its fetch is pointed at the sandbox's origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CommerceLayer } from "@commercelayer/sdk/bundle";
import { sandbox, admin, token, confirmCard } from "./helpers.mjs";

let sbx;
before(async () => (sbx = await sandbox()));
after(() => sbx?.stop());

function client(accessToken) {
  const origin = "https://sandbox.commercelayer.io";
  return CommerceLayer({
    organization: "sandbox",
    accessToken,
    fetch: (url, init) => fetch(String(url).replace(origin, sbx.url), init),
  });
}

test("SDK: stripe payment source, place, save to wallet, list, reuse, create customer payment source", async () => {
  const cl = client(await token(sbx.url, true));
  const first = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments", customer: true })).id;

  const order = await cl.orders.retrieve(first, { include: ["payment_method"] });
  assert.equal(order.payment_method.payment_source_type, "stripe_payments");

  const source = await cl.stripe_payments.create({ order: cl.orders.relationship(first) });
  assert.match(source.client_secret, /^pi_\w+_secret_\w+$/);
  assert.ok(source.publishable_key.startsWith("pk_test_"));
  assert.equal((await confirmCard(sbx.url, source)).status, "requires_capture");

  const placed = await cl.orders._place(first);
  assert.equal(placed.status, "placed");
  assert.equal(placed.payment_status, "authorized");

  // The customer's wallet is shared with the suites running beside this one (their 4242 cards
  // may be Checkout.com's): pick the Stripe one.
  const saved = await cl.orders._save_payment_source_to_customer_wallet(first, {
    include: ["available_customer_payment_sources.payment_source"],
  });
  const card = saved.available_customer_payment_sources.find(
    (c) => c.name === "XXXX-XXXX-XXXX-4242" && c.payment_source?.type === "stripe_payments",
  );
  assert.ok(card, "the card is in the wallet");

  const second = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments", customer: true })).id;
  const listed = await cl.orders.retrieve(second, { include: ["available_customer_payment_sources"] });
  assert.ok(listed.available_customer_payment_sources.some((c) => c.id === card.id));
  const reused = await cl.orders._customer_payment_source_id(second, card.id, { include: ["payment_source"] });
  assert.equal(reused.payment_source.type, "stripe_payments");
  assert.equal((await cl.orders._place(second)).status, "placed");

  const created = await cl.customer_payment_sources.create({
    customer: cl.customers.relationship("CustomerA1"),
    payment_source: { type: "stripe_payments", id: source.id },
    reference: "sdk",
  });
  assert.equal(created.type, "customer_payment_sources");
  assert.equal(created.reference, "sdk");
  assert.ok(created.customer_token.startsWith("cus_"));
});

test("SDK: every payment source type can be created for its order", async () => {
  const cl = client(await token(sbx.url));
  const required = {
    axerve_payments: { return_url: "https://shop.example/r" },
    checkout_com_payments: { success_url: "https://shop.example/ok", failure_url: "https://shop.example/ko" },
    external_payments: { payment_source_token: "tok_1" },
    paypal_payments: { return_url: "https://shop.example/r", cancel_url: "https://shop.example/c" },
  };
  for (const type of ["adyen_payments", "axerve_payments", "braintree_payments", "checkout_com_payments", "external_payments",
    "klarna_payments", "paypal_payments", "satispay_payments", "stripe_payments", "wire_transfers"]) {
    const id = (await admin(sbx.url, "POST", "/orders", { payment_source_type: type })).id;
    const created = await cl[type].create({ ...(required[type] ?? {}), order: cl.orders.relationship(id) });
    assert.equal(created.type, type);
    const order = await cl.orders.retrieve(id, { include: ["payment_source"] });
    assert.equal(order.payment_source.id, created.id);
  }
});

/** The SDK's ApiError carries the HTTP status and the API's errors array. */
const isApiError = (e) => e instanceof Error && typeof e.status === "number" && Array.isArray(e.errors);

test("SDK: errors come back as the SDK's ApiError with the API's errors array", async () => {
  const cl = client(await token(sbx.url));
  await assert.rejects(cl.orders.retrieve("NoSuchOrder"), (e) => isApiError(e) && e.status === 404 && e.errors[0].code === "RECORD_NOT_FOUND");
  const id = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "paypal_payments" })).id;
  await assert.rejects(cl.paypal_payments.create({ order: cl.orders.relationship(id) }),
    (e) => isApiError(e) && e.status === 422 && e.errors[0].source.pointer === "/data/attributes/return_url");
  await assert.rejects(client("unknown").orders.retrieve(id), (e) => isApiError(e) && e.status === 401 && e.errors[0].code === "UNAUTHORIZED");
});
