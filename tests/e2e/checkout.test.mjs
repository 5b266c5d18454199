// The demo checkout driven as a shopper would, in headless Chromium, with the
// sandbox's state checked after each flow. Screenshots of the main states go
// to test-results/screenshots/ at desktop and phone widths.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, sandbox, browser, admin, token, confirmCard, demoServer, storefrontApi } from "./helpers.mjs";

const SHOTS = join(ROOT, "test-results/screenshots");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let sbx, demo, demoUrl, chrome;
const consoleLines = [];

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  sbx = await sandbox();
  demo = await demoServer(sbx.url);
  demoUrl = demo.url;
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  demo?.stop();
  sbx?.stop();
});

async function open(path = "/", viewport = DESKTOP) {
  const page = await chrome.newPage({ viewport });
  page.on("console", (m) => consoleLines.push(m.text()));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  await page.goto(`${demoUrl}${path}`);
  await page.waitForSelector("body[data-ready]");
  return page;
}

/** Calls the API as a storefront with `tok` (helpers' storefrontApi against this suite's sandbox). */
const apiAs = (tok) => storefrontApi(sbx.url, tok);

/** Whether the request log holds a re-sync (`_update`) of a Stripe payment source. */
const resynced = async () =>
  (await admin(sbx.url, "GET", "/requests")).some((r) => r.method === "PATCH" && r.path.startsWith("/api/stripe_payments/") && r.body.includes("_update"));

const orderOf = (page) => new URL(page.url()).searchParams.get("order");
const card = (page) => page.frameLocator('iframe[name^="__privateStripeFrame"]');

async function typeCard(page, number) {
  const frame = card(page);
  await frame.locator("#Field-numberInput").fill(number);
  await frame.locator("#Field-expiryInput").fill("1234");
  await frame.locator("#Field-cvcInput").fill("123");
}

async function chooseCard(page) {
  await page.getByLabel("Credit card (Stripe)").check();
  await card(page).locator("#Field-numberInput").waitFor();
}

async function placed(page) {
  await page.locator("#done:not([hidden])").waitFor({ timeout: 15000 });
  return page.locator("#done-number").textContent();
}

/** The shopper's message; the whole error box (developer details included) must hold no secret. */
async function errorText(page) {
  await page.locator("#error:not([hidden])").waitFor({ timeout: 15000 });
  const box = await page.locator("#error").textContent();
  assert.ok(!box.includes("_secret_") && !/eyJ[\w-]+\./.test(box), box);
  return page.locator("#error p").textContent();
}

const state = (order) => admin(sbx.url, "GET", `/orders/${order}`);

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test("pay with 4242 and place the order", async () => {
  const page = await open();
  await shot(page, "01-checkout-desktop");
  await chooseCard(page);
  await typeCard(page, "4242 4242 4242 4242");
  await shot(page, "02-card-entered-desktop");
  await page.click("#place");
  assert.match(await placed(page), /^#\d+$/);
  await shot(page, "03-placed-desktop");
  const s = await state(orderOf(page));
  assert.equal(s.status, "placed");
  assert.equal(s.payment_status, "authorized");
  assert.equal(s.payment_sources.length, 1);
  assert.equal(s.payment_sources[0].intent_status, "requires_capture");
  await page.close();
});

test("a payment that is still processing is waited for, then the order is placed", async () => {
  const page = await open();
  await chooseCard(page);
  await typeCard(page, "4242 4242 4242 4242");
  await admin(sbx.url, "POST", "/stripe/processing", { seconds: 2 });
  const started = Date.now();
  await page.click("#place");
  await placed(page);
  assert.ok(Date.now() - started >= 2000, "the module polled until the payment settled");
  const s = await state(orderOf(page));
  assert.equal(s.status, "placed");
  assert.equal(s.payment_sources[0].intent_status, "requires_capture");
  const log = await admin(sbx.url, "GET", "/requests");
  const intent = log.filter((r) => r.method === "GET" && r.path.startsWith("/v1/payment_intents/"));
  assert.ok(intent.length >= 2, "retrievePaymentIntent was polled");
  await page.close();
});

test("a payment still processing at the time limit is pending: no order placed, no 'pay again'", async () => {
  const page = await open("/?processingTimeoutMs=1500");
  await chooseCard(page);
  await typeCard(page, "4242 4242 4242 4242");
  await admin(sbx.url, "POST", "/stripe/processing", { seconds: 30 });
  await page.click("#place");
  await page.locator("#done:not([hidden])").waitFor();
  assert.equal(await page.textContent("#done-title"), "Payment in progress");
  assert.match(await page.textContent("#done"), /no need to pay again/);
  assert.equal(await page.isVisible("#place"), false, "no way to pay a second time");
  const s = await state(orderOf(page));
  assert.equal(s.status, "pending", "not placed while the payment is processing");
  assert.equal(s.payment_sources.length, 1);
  await page.screenshot({ path: join(SHOTS, "10-pending-desktop.png") });
  await page.close();
});

test("a total changed after the card form opened is re-synced before the shopper authorizes", async () => {
  const page = await open();
  await chooseCard(page);
  const order = orderOf(page);
  const api = apiAs(await token(sbx.url));
  const item = (await api("GET", `/orders/${order}?include=line_items`)).included[0].id;
  await api("PATCH", `/line_items/${item}`, { type: "line_items", id: item, attributes: { quantity: 3 } });
  const before = (await api("GET", `/orders/${order}`)).data.attributes.total_amount_cents;
  await typeCard(page, "4242 4242 4242 4242");
  await page.click("#place");
  await placed(page);
  const s = await state(order);
  assert.equal(s.status, "placed", "not refused for mismatched amounts");
  assert.equal(s.total_amount_cents, before);
  assert.ok(await resynced(), "the intent was re-synced");
  await page.close();
});

test("a Payment Element without billing fields is confirmed with the billing details the page passes", async () => {
  const page = await open("/?billingDetails=never");
  await chooseCard(page);
  await typeCard(page, "4242 4242 4242 4242");
  await page.click("#place");
  await placed(page);
  assert.equal((await state(orderOf(page))).status, "placed");
  // Without them, Stripe.js (and its stand-in) refuses: the module reports it as a CheckoutError.
  const refused = await page.evaluate(async () => {
    const el = document.createElement("div");
    document.body.append(el);
    return new Promise((resolve) => {
      const s = window.Stripe("pk_test_sbx_x");
      try {
        const elements = s.elements({ clientSecret: "pi_x_secret_y" });
        elements.create("payment", { fields: { billingDetails: "never" } }).mount(el);
        s.confirmPayment({ elements, redirect: "if_required" }).then(() => resolve("confirmed"), (e) => resolve(`${e.name}: ${e.message}`));
      } catch (e) {
        resolve(`${e.name}: ${e.message}`);
      }
    });
  });
  assert.match(refused, /^IntegrationError: .*billingDetails/);
  await page.close();
});

test("paying without a method asks for one; a saved wire transfer is not called a card", async () => {
  const page = await open();
  // The Pay button waits for a choice; a form submitted anyway (Enter, a script) gets a message, not an error.
  await page.$eval("#pay-form", (form) => form.requestSubmit());
  assert.equal(await page.textContent("#error p"), "Please choose a payment method.");
  await page.close();

  const api = apiAs(await token(sbx.url, true));
  const wired = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "wire_transfers", customer: true })).id;
  const wire = await api("POST", "/wire_transfers", { type: "wire_transfers", attributes: {}, relationships: { order: { data: { type: "orders", id: wired } } } });
  await api("POST", "/customer_payment_sources", {
    type: "customer_payment_sources",
    attributes: {},
    relationships: { customer: { data: { type: "customers", id: "CustomerA1" } }, payment_source: { data: { type: "wire_transfers", id: wire.data.id } } },
  });
  const customer = await open("/?customer=1");
  const labels = await customer.locator("#saved-list label").allTextContents();
  assert.ok(labels.some((l) => /Saved wire transfers/.test(l)), labels.join(" | "));
  assert.ok(!labels.some((l) => /Saved card wire/.test(l)), labels.join(" | "));
  await customer.close();
});

test("a total that changed after authorizing is re-synced and confirmed again, never looped", async () => {
  const page = await open();
  await chooseCard(page);
  const order = orderOf(page);
  const mismatched = JSON.stringify({ errors: [{ code: "VALIDATION_ERROR", status: "422", title: "is invalid",
    detail: "payment_source - the amount changed", meta: { error: "mismatched_amounts" } }] });
  await admin(sbx.url, "POST", "/faults", { path: `/api/orders/${order}`, method: "PATCH", fault: "status", status: 422, body: mismatched });
  await typeCard(page, "4242 4242 4242 4242");
  await page.click("#place");
  await page.locator("#error:not([hidden])").waitFor();
  assert.match(await page.textContent("#error p"), /total changed/);
  assert.equal((await state(order)).status, "pending");
  assert.ok(await resynced(), "re-synced");
  await page.click("#place");
  await placed(page);
  assert.equal((await state(order)).status, "placed");
  await page.close();
});

test("a declined card shows why, and a retry with a good card pays the same payment", async () => {
  const page = await open("/", PHONE);
  await chooseCard(page);
  await typeCard(page, "4000 0000 0000 0002");
  await page.click("#place");
  assert.match(await errorText(page), /declined/i);
  await shot(page, "04-declined-phone");
  assert.equal((await state(orderOf(page))).status, "pending");
  await typeCard(page, "4242 4242 4242 4242");
  await page.click("#place");
  await placed(page);
  await shot(page, "05-placed-phone");
  const s = await state(orderOf(page));
  assert.equal(s.status, "placed");
  assert.equal(s.payment_sources.length, 1, "the retry used the same payment source");
  await page.close();
});

test("insufficient funds reads as such", async () => {
  const page = await open();
  await chooseCard(page);
  await typeCard(page, "4000 0000 0000 9995");
  await page.click("#place");
  assert.match(await errorText(page), /insufficient funds/i);
  await page.close();
});

test("3-D Secure: completing the challenge pays", async () => {
  const page = await open();
  await chooseCard(page);
  await typeCard(page, "4000 0027 6000 3184");
  await page.click("#place");
  const challenge = page.frameLocator('iframe[name="stripe-challenge-frame"]');
  await challenge.locator("#test-source-authorize-3ds:not([disabled])").waitFor();
  await shot(page, "06-3ds-challenge-desktop");
  await challenge.locator("#test-source-authorize-3ds").click();
  await placed(page);
  assert.equal((await state(orderOf(page))).payment_status, "authorized");
  await page.close();
});

test("3-D Secure: failing the challenge leaves the order unpaid and says so", async () => {
  const page = await open();
  await chooseCard(page);
  await typeCard(page, "4000 0027 6000 3184");
  await page.click("#place");
  const challenge = page.frameLocator('iframe[name="stripe-challenge-frame"]');
  await challenge.locator("#test-source-fail-3ds:not([disabled])").click();
  assert.match(await errorText(page), /authenticat/i);
  const s = await state(orderOf(page));
  assert.equal(s.status, "pending");
  assert.equal(s.payment_sources[0].intent_status, "requires_payment_method");
  await page.close();
});

test("a customer saves a card, and the next order pays with it without typing it", async () => {
  const first = await open("/?customer=1");
  await chooseCard(first);
  await typeCard(first, "5555 5555 5555 4444");
  await first.check("#save-card");
  await first.click("#place");
  await placed(first);
  await first.close();

  const second = await open("/?customer=1", PHONE);
  const saved = second.getByLabel("Saved card XXXX-XXXX-XXXX-4444").first();
  await saved.waitFor();
  await shot(second, "07-saved-card-phone");
  await saved.check();
  await second.click("#place");
  await placed(second);
  const s = await state(orderOf(second));
  assert.equal(s.status, "placed");
  assert.equal(s.payment_status, "authorized");
  await second.close();
});

test("wire transfer places the order without Stripe", async () => {
  const page = await open();
  await page.getByLabel("Wire transfer").check();
  await page.locator("#wire-panel:not([hidden])").waitFor();
  await page.locator("#place:not([disabled])").waitFor();
  await page.click("#place");
  await placed(page);
  const s = await state(orderOf(page));
  assert.equal(s.status, "placed");
  assert.equal(s.payment_sources[0].type, "wire_transfers");
  await page.close();
});

test("a wrong token and a missing order show clear errors", async () => {
  const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: null })).id;
  const badToken = await open(`/?order=${order}&accessToken=not-a-valid-token`);
  assert.match(await errorText(badToken), /session has expired or is not valid/);
  await shot(badToken, "08-wrong-token-desktop");
  await badToken.close();
  const missing = await open("/?order=NoSuchOrder1", PHONE);
  assert.match(await errorText(missing), /could not find this order/);
  await shot(missing, "09-missing-order-phone");
  await missing.close();
});

test("returning from a redirect finishes the payment once and cleans the address bar", async () => {
  // A redirect-based method was confirmed on Stripe's side; the shopper lands back on the page.
  const page = await open();
  await chooseCard(page);
  const order = orderOf(page);
  const source = (await state(order)).payment_sources[0];
  assert.equal(source.type, "stripe_payments");
  await page.close();
  const intent = await confirmOutOfBand(order);
  const back = await open(`/?order=${order}&payment_intent=${intent.id}&payment_intent_client_secret=${intent.client_secret}&redirect_status=succeeded`);
  await placed(back);
  assert.ok(!back.url().includes("_secret_"), "the secret left the address bar");
  assert.equal((await state(order)).status, "placed");
  await back.reload();
  await back.waitForSelector("body[data-ready]");
  await placed(back);
  assert.equal((await state(order)).status, "placed");
  await back.close();
});

test("a return URL carrying another order's payment places nothing", async () => {
  const paid = await open();
  await chooseCard(paid);
  const other = orderOf(paid);
  await paid.close();
  const intent = await confirmOutOfBand(other);
  const mine = await open();
  await chooseCard(mine);
  const order = orderOf(mine);
  await mine.close();
  const back = await open(`/?order=${order}&payment_intent=${intent.id}&payment_intent_client_secret=${intent.client_secret}&redirect_status=succeeded`);
  await back.locator("#error:not([hidden])").waitFor();
  assert.equal((await state(order)).status, "pending", "this order was not placed with another order's payment");
  assert.equal((await state(other)).status, "pending", "nor was the other order");
  await back.close();
});

/** Confirms the order's PaymentIntent with a good card, as a redirect-based method would have. */
async function confirmOutOfBand(order) {
  const doc = await apiAs(await token(sbx.url))("GET", `/orders/${order}?include=payment_source`);
  const source = doc.included.find((r) => r.type === "stripe_payments").attributes;
  const confirmed = await confirmCard(sbx.url, source);
  assert.equal(confirmed.status, "requires_capture");
  return { id: confirmed.id, client_secret: source.client_secret };
}

test("a double click on Pay confirms and places once", async () => {
  const page = await open();
  await chooseCard(page);
  await typeCard(page, "4242 4242 4242 4242");
  await page.evaluate(() => {
    const form = document.getElementById("pay-form");
    form.requestSubmit();
    form.requestSubmit();
  });
  await placed(page);
  const log = await admin(sbx.url, "GET", "/requests");
  const order = orderOf(page);
  const places = log.filter((r) => r.method === "PATCH" && r.path === `/api/orders/${order}` && r.body.includes("_place"));
  const confirms = log.filter((r) => r.path.endsWith("/confirm") && r.status === 200);
  assert.equal(places.filter((r) => r.status === 200).length, 1, "placed once");
  assert.ok(confirms.length >= 1);
  await page.close();
});

test("the Stripe.js stand-in refuses live keys and keeps card fields on the sandbox's origin", async () => {
  const page = await open();
  const refused = await page.evaluate(() => {
    try {
      window.Stripe("pk_live_51AbCdEf");
      return null;
    } catch (e) {
      return e.name;
    }
  });
  assert.equal(refused, "IntegrationError");
  await chooseCard(page);
  const frameOrigin = new URL(await page.getAttribute('iframe[name^="__privateStripeFrame"]', "src")).origin;
  assert.equal(frameOrigin, new URL(sbx.url).origin);
  assert.notEqual(frameOrigin, new URL(page.url()).origin);
  // Page scripts cannot reach into the card fields: the frame's document is another origin's.
  await typeCard(page, "4242 4242 4242 4242");
  const readable = await page.evaluate(() => document.querySelector('iframe[name^="__privateStripeFrame"]').contentDocument !== null);
  assert.equal(readable, false);
  await page.close();
});

test("the Stripe.js stand-in finds a Connect account's PaymentIntent only through Stripe(pk, { stripeAccount })", async () => {
  const seed = await admin(sbx.url, "GET", "/seed");
  const auth = await fetch(`${sbx.url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: seed.client_id, scope: seed.connect_scope }),
  });
  const { access_token } = await auth.json();
  const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments", market: "connect" })).id;
  const created = await apiAs(access_token)("POST", "/stripe_payments", {
    type: "stripe_payments",
    attributes: {},
    relationships: { order: { data: { type: "orders", id: order } } },
  });
  const { attributes } = created.data;
  assert.equal(attributes.connected_account, seed.connected_account);
  const page = await open();
  const found = await page.evaluate(async ({ pk, secret, account }) => {
    const platform = await window.Stripe(pk).retrievePaymentIntent(secret);
    const connected = await window.Stripe(pk, { stripeAccount: account }).retrievePaymentIntent(secret);
    return [platform.error?.code ?? null, connected.paymentIntent?.status ?? null];
  }, { pk: attributes.publishable_key, secret: attributes.client_secret, account: attributes.connected_account });
  assert.deepEqual(found, ["resource_missing", "requires_payment_method"]);
  await page.close();
});

test("a Stripe Connect market pays through stripeOptions(source): the page's Stripe.js names the connected account", async () => {
  const seed = await admin(sbx.url, "GET", "/seed");
  const auth = await fetch(`${sbx.url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: seed.client_id, scope: seed.connect_scope }),
  });
  const { access_token } = await auth.json();
  const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: null, market: "connect" })).id;
  const page = await open(`/?order=${order}&accessToken=${encodeURIComponent(access_token)}`);
  await chooseCard(page);
  await typeCard(page, "4242 4242 4242 4242");
  await page.click("#place");
  await placed(page);
  const s = await state(order);
  assert.equal(s.status, "placed");
  assert.equal(s.market, "MarketSbxC");
  await page.close();
});

test("nothing secret or broken reached the console during the whole suite", () => {
  const text = consoleLines.join("\n");
  assert.ok(!text.includes("_secret_"), text);
  assert.ok(!/eyJ[\w-]+\.[\w-]+\./.test(text), "no access token");
  assert.deepEqual(consoleLines.filter((l) => l.startsWith("pageerror") || /Content Security Policy/i.test(l)), []);
});
