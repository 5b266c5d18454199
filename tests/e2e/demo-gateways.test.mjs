// A shopper pays with every gateway through the demo checkout, in headless
// Chromium, with the sandbox's browser-library stand-ins (card fields in
// frames on the sandbox's origin) and its gateway pages: success, decline
// then retry, 3-D Secure or redirect where the gateway has one, PayPal's
// cancel, and the wallet for a gateway that saves. The sandbox's order is
// checked after each. Screenshots of each gateway's form at desktop and
// phone widths go to test-results/screenshots/gateways/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, sandbox, browser, admin, demoServer, token, storefrontApi } from "./helpers.mjs";

const SHOTS = join(ROOT, "test-results/screenshots/gateways");
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

let sbx, demo, chrome;
const problems = [];

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  sbx = await sandbox();
  demo = await demoServer(sbx.url);
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  demo?.stop();
  sbx?.stop();
  assert.deepEqual(problems, [], "no page errors or CSP violations");
});

async function open(path = "/", viewport = VIEWPORTS.desktop) {
  const page = await chrome.newPage({ viewport });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(m.text()));
  await page.goto(`${demo.url}${path}`);
  await page.waitForSelector("body[data-ready]");
  return page;
}

const orderOf = (page) => new URL(page.url()).searchParams.get("order");
const state = (order) => admin(sbx.url, "GET", `/orders/${order}`);

/** Chooses the method and waits for its widget (when it has one). */
async function choose(page, name, frameTitle) {
  await page.getByRole("radio", { name: new RegExp(`^${name.replace(".", "\\.")}\\b`) }).check();
  if (frameTitle) await page.frameLocator(`iframe[title="${frameTitle}"]`).locator("#number").waitFor();
  await page.locator("#place:not([disabled])").waitFor();
}

async function typeCard(page, frameTitle, number, holder) {
  const frame = page.frameLocator(`iframe[title="${frameTitle}"]`);
  if (holder !== undefined) await frame.locator("#holder").fill(holder);
  await frame.locator("#number").fill(number);
  await frame.locator("#expiry").fill("1230");
  await frame.locator("#cvc").fill("737");
}

async function placed(page) {
  await page.locator("#done:not([hidden])").waitFor({ timeout: 15000 });
  assert.equal(await page.textContent("#done-title"), "Thank you!");
  const s = await state(orderOf(page));
  assert.equal(s.status, "placed");
  return s;
}

async function declined(page) {
  await page.locator("#error:not([hidden])").waitFor();
  assert.match(await page.textContent("#error p"), /declined|did not approve|check the card/i);
  assert.equal((await state(orderOf(page))).status, "pending", "a decline leaves the order open");
}

/** The shopper on a gateway's own page (a sandbox stand-in), sent back to the shop. */
async function atGateway(page, button) {
  await page.waitForURL((u) => u.href.startsWith(sbx.url));
  await page.getByRole("button", { name: button }).click();
  await page.waitForURL((u) => u.href.startsWith(demo.url));
  await page.waitForSelector("body[data-ready]");
}

/** The gateway's form in the payment column, at desktop and phone widths. */
async function formShots(name, frameTitle) {
  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    const page = await open("/", viewport);
    await choose(page, name, frameTitle);
    if (frameTitle) await typeCard(page, frameTitle, "4111 1111 1111 1111", frameTitle.includes("Adyen") ? "J. Smith" : undefined);
    await page.locator(".pay").screenshot({ path: join(SHOTS, `${name.replace(/\W/g, "").toLowerCase()}-${width}.png`) });
    await page.close();
  }
}

const ADYEN = "Card details (Adyen)";
const BRAINTREE = "Secure Credit Card Frame - Credit Card Number";
const CKO = "Card details (Checkout.com)";

test("Adyen: a refused card, then an authorised one; a 3-D Secure card goes to the bank's page and back", async () => {
  await formShots("Adyen", ADYEN);
  const page = await open();
  await choose(page, "Adyen", ADYEN);
  await typeCard(page, ADYEN, "4111 1111 1111 1111", "DECLINED");
  await page.click("#place");
  await declined(page);
  await page.frameLocator(`iframe[title="${ADYEN}"]`).locator("#holder").fill("J. Smith");
  await page.click("#place");
  const s = await placed(page);
  assert.equal(s.payment_sources[0].payment_response.resultCode, "Authorised");
  assert.equal(s.payment_sources[0].authorized, true);

  const secure = await open();
  await choose(secure, "Adyen", ADYEN);
  await typeCard(secure, ADYEN, "4917 6100 0000 0000", "J. Smith");
  await secure.click("#place");
  await atGateway(secure, "Complete authentication");
  await placed(secure);
  await page.close();
  await secure.close();
});

test("Braintree: a processor decline, then a card that passes 3-D Secure in the modal", async () => {
  await formShots("Braintree", BRAINTREE);
  const page = await open();
  await choose(page, "Braintree", BRAINTREE);
  await typeCard(page, BRAINTREE, "4000 1111 1111 1115");
  await page.click("#place");
  await declined(page);
  await typeCard(page, BRAINTREE, "4000 0000 0000 1091");
  await page.click("#place");
  await page.frameLocator('iframe[title="Card authentication"]').getByRole("button", { name: "Complete authentication" }).click();
  await placed(page);
  const log = await admin(sbx.url, "GET", "/requests");
  assert.ok(log.some((r) => r.path === "/gateways/braintree/lookup"), "verifyCard looked the card up");
  assert.ok(log.some((r) => r.method === "POST" && r.path.startsWith("/gateways/braintree/3ds/")), "the shopper answered the challenge");
  await page.close();
});

test("Braintree: a failed 3-D Secure challenge is a decline; the order stays open", async () => {
  const page = await open();
  await choose(page, "Braintree", BRAINTREE);
  await typeCard(page, BRAINTREE, "4000 0000 0000 1091");
  await page.click("#place");
  await page.frameLocator('iframe[title="Card authentication"]').getByRole("button", { name: "Fail authentication" }).click();
  await declined(page);
  await page.close();
});

test("Checkout.com: a declined card, then 3-D Secure on the bank's page and back", async () => {
  await formShots("Checkout.com", CKO);
  const page = await open();
  await choose(page, "Checkout.com", CKO);
  await typeCard(page, CKO, "4000 0000 0000 0002");
  await page.click("#place");
  await declined(page);
  await typeCard(page, CKO, "4544 2491 6767 3670");
  await page.click("#place");
  await atGateway(page, "Complete authentication");
  const s = await placed(page);
  assert.equal(s.payment_sources[0].payment_response.status, "Authorized");
  await page.close();
});

/** Sets the order's email as the storefront would (Klarna decides by the billing email). */
async function setEmail(order, email) {
  const api = storefrontApi(sbx.url, await token(sbx.url));
  const answer = await api("PATCH", `/orders/${order}`, { type: "orders", id: order, attributes: { customer_email: email } });
  assert.equal(answer.data?.attributes?.customer_email, email, JSON.stringify(answer.errors));
}

test("Klarna: not approved for this shopper, then approved for another email and placed", async () => {
  await formShots("Klarna");
  const first = await open();
  const order = orderOf(first);
  await first.close();
  await setEmail(order, "shopper+denied@example.com");
  const page = await open(`/?order=${order}`);
  await choose(page, "Klarna");
  await page.frameLocator('iframe[title="Klarna"]').getByText("Pay later").waitFor();
  await page.click("#place");
  await page.locator("#error:not([hidden])").waitFor();
  assert.match(await page.textContent("#error"), /Klarna did not approve/);
  assert.equal((await state(order)).status, "pending");
  await page.close();

  await setEmail(order, "shopper@example.com");
  const again = await open(`/?order=${order}`);
  await choose(again, "Klarna");
  await again.click("#place");
  await placed(again);
  await again.close();
});

test("PayPal: cancel at PayPal and choose again, then approve and come back placed", async () => {
  await formShots("PayPal");
  const page = await open();
  await choose(page, "PayPal");
  await page.click("#place");
  await atGateway(page, "Cancel and return");
  assert.match(await page.textContent("#error"), /PayPal payment was cancelled/);
  assert.equal((await state(orderOf(page))).status, "pending");
  await choose(page, "PayPal");
  await page.click("#place");
  await atGateway(page, "Approve and pay");
  await placed(page);
  await page.close();
});

test("Satispay: cancel in the app's page and come back to choose again, then pay and come back placed", async () => {
  await formShots("Satispay");
  const page = await open();
  await choose(page, "Satispay");
  await page.click("#place");
  await atGateway(page, "Cancel");
  await declined(page);
  await choose(page, "Satispay");
  await page.click("#place");
  await atGateway(page, "Pay with Satispay");
  await placed(page);
  await page.close();
});

test("Axerve: a declined card in the lightbox, then a paid one", async () => {
  await formShots("Axerve");
  const page = await open();
  await choose(page, "Axerve");
  await page.click("#place");
  await page.frameLocator('iframe[title="Axerve payment"]').getByRole("button", { name: "Simulate a declined card" }).click();
  await declined(page);
  await page.click("#place");
  await page.frameLocator('iframe[title="Axerve payment"]').getByRole("button", { name: "Pay" }).click();
  await placed(page);
  await page.close();
});

test("external payment and wire transfer place without a gateway step", async () => {
  for (const name of ["External gateway", "Wire transfer"]) {
    const page = await open();
    await choose(page, name);
    await page.click("#place");
    await placed(page);
    await page.close();
  }
});

for (const [name, frame, number, last4, holder] of [
  ["Adyen", ADYEN, "4111 1111 1111 1111", "1111", "J. Smith"],
  ["Braintree", BRAINTREE, "5555 5555 5555 4444", "4444"],
  ["Checkout.com", CKO, "4242 4242 4242 4242", "4242"],
]) {
  test(`a signed-in customer saves a ${name} card, and the next order lists it by its last digits and pays with it`, async () => {
    const page = await open("/?customer=1");
    await choose(page, name, frame);
    // A click at the checkbox's coordinates can miss: the card frame above it grows once it reports its height
    // (after its fields are visible), moving the row. The element's own click is what a shopper's click does.
    await page.locator("#save-card").dispatchEvent("click");
    assert.ok(await page.isChecked("#save-card"), "the save checkbox is ticked");
    await typeCard(page, frame, number, holder);
    await page.click("#place");
    await placed(page);
    await page.close();

    const next = await open("/?customer=1");
    const saved = next.getByRole("radio", { name: `Saved card XXXX-XXXX-XXXX-${last4}` });
    assert.ok((await saved.count()) >= 1, "the saved card is offered by its last digits");
    await saved.first().check();
    await next.click("#place");
    const s = await placed(next);
    assert.equal(s.payment_sources.at(-1).authorized, true);
    await next.close();
  });
}

test("after every payment above, the sandbox's request log holds no card number, nonce, card token or payment token", async () => {
  const log = JSON.stringify(await admin(sbx.url, "GET", "/requests"));
  assert.ok(log.includes("/gateways/braintree/tokenize"), "the card frames' calls are in the log");
  for (const secret of ["4111111111111111", "4000111111111115", "4000000000001091", "4917610000000000", "4544249167673670",
    "tokencc_", "test_4", "axt_", '"tok_', "klarna_auth_", "fake-"]) {
    assert.equal(log.includes(secret), false, `${secret} in the request log`);
  }
});

test("the demo starts the .wasm's download in its head and init() uses it: requested once, CSP intact", async () => {
  const page = await chrome.newPage();
  const requests = [];
  const warnings = [];
  page.on("request", (r) => r.url().endsWith("_bg.wasm") && requests.push(new URL(r.url()).pathname));
  page.on("console", (m) => /preload|Content Security Policy|Refused/i.test(m.text()) && warnings.push(m.text()));
  await page.goto(`${demo.url}/`);
  await page.waitForSelector("body[data-ready]");
  // The head's fetch is the one download: init() was handed it (its own fetch would be a second request).
  assert.deepEqual(requests, ["/pkg/gateways/cl_checkout_bg.wasm"]);
  assert.equal(await page.evaluate(() => self.clCheckoutWasm instanceof Promise), true);
  assert.equal(await page.locator('link[rel="preload"][as="fetch"]').count(), 0);
  assert.deepEqual(warnings, []);
  await page.close();
});
