// The demo checkout: everything payment-related goes through cl-checkout.
// Demo-only parts (marked) stand in for what a storefront already has: a
// token from its auth and an order from its cart.
// A Stripe-only page imports "cl-checkout" (the smaller entry); this demo
// offers every gateway, so it loads "cl-checkout/gateways".
import init, { Checkout, isCheckoutError, stripeOptions, gatewayHandoff } from "/pkg/gateways/cl_checkout.js";
import { GATEWAYS, ShopperNotice, backUrl, mountGateway, resumeFromGateway, sourceAttributes } from "/gateways.js";

const SANDBOX = document.querySelector('meta[name="cl-sandbox"]').content;
const params = new URLSearchParams(location.search);
const asCustomer = params.get("customer") === "1";
const $ = (id) => document.getElementById(id);

const ui = {
  main: $("checkout"), error: $("error"), form: $("pay-form"), methods: $("method-list"),
  saved: $("saved"), savedList: $("saved-list"), card: $("card-panel"), wire: $("wire-panel"),
  saveRow: $("save-row"), saveCard: $("save-card"), place: $("place"), progress: $("progress"),
  gateway: $("gateway-panel"), gatewayWidget: $("gateway-widget"), gatewayNote: $("gateway-note"),
};

/** Demo only: a token from the sandbox's OAuth (a storefront gets it from its own auth).
 * The demo server hands over the sandbox's seed: the sandbox's control routes answer no page. */
async function demoToken() {
  // Not "token": PayPal adds its own token= to the URL it sends the shopper back to.
  if (params.get("accessToken")) return params.get("accessToken");
  const seed = await (await fetch("/demo/seed")).json();
  const body = { grant_type: asCustomer ? "password" : "client_credentials", client_id: seed.client_id, scope: seed.scope };
  if (asCustomer) Object.assign(body, { username: seed.customer.email, password: seed.customer.password });
  const res = await fetch(`${SANDBOX}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return (await res.json()).access_token;
}

/** Demo only: the order from the URL, or a fresh one from the sandbox (a storefront has its cart). */
async function demoOrder() {
  if (params.get("order")) return params.get("order");
  const res = await fetch("/demo/orders", { method: "POST", body: JSON.stringify({ payment_source_type: null, customer: asCustomer }) });
  const id = (await res.json()).id;
  params.set("order", id);
  history.replaceState(null, "", `?${params}`);
  return id;
}

/** What a shopper should read for each failure; developers get e.message in the console-free details. */
function shopperMessage(e) {
  if (!isCheckoutError(e)) return "Something went wrong. Please try again.";
  switch (e.kind) {
    case "gateway":
      return "The payment was declined. Please try again or choose another payment method.";
    case "stripe":
      return e.stripe?.message ? `${e.stripe.message} Please try again or use another card.` : "The payment did not go through. Please try again.";
    case "network":
    case "timeout":
      return "We could not reach the payment service. Check your connection and try again.";
    case "api":
      if (e.status === 401) return "Your session has expired or is not valid. Please reload the page or sign in again.";
      if (e.status === 404) return "We could not find this order. It may have been completed or removed.";
      if (e.status === 429) return "Too many attempts. Please wait a few seconds and try again.";
      if (amountChanged(e)) return "Your order total changed. Please check the new total, then select Pay again to confirm it.";
      return "The order could not be updated. Please try again.";
    case "no_payment_method":
      return "Please choose a payment method.";
    default:
      return "Something went wrong with this checkout. Please reload the page.";
  }
}

/** A message for the shopper in the alert box (the page's own checks, and every error). */
function showMessage(text) {
  ui.error.replaceChildren();
  const p = document.createElement("p");
  p.textContent = text;
  ui.error.append(p);
  ui.error.hidden = false;
}

/** The total changed after the card was authorized: the module re-synced the payment; the shopper confirms again. */
const amountChanged = (e) => e?.errors?.some((x) => x.meta?.error === "mismatched_amounts");

function showError(e) {
  if (e instanceof ShopperNotice) return showMessage(e.message);
  showMessage(shopperMessage(e));
  if (isCheckoutError(e)) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Details for developers";
    const code = document.createElement("code");
    code.textContent = `${e.kind}${e.status ? ` ${e.status}` : ""}: ${e.message}`;
    details.append(summary, code);
    ui.error.append(details);
  }
  ui.error.hidden = false;
  ui.error.focus();
}

function clearError() {
  ui.error.hidden = true;
  ui.error.replaceChildren();
}

function busy(on, text = "") {
  ui.place.disabled = on;
  ui.place.setAttribute("aria-busy", String(on));
  ui.place.classList.toggle("busy", on);
  ui.progress.textContent = text;
}

function showDone(order) {
  $("done-number").textContent = `#${order.number}`;
  $("done-detail").textContent = order.payment_status === "authorized" ? "Your payment is authorized." : `Payment status: ${order.payment_status}.`;
  reveal();
}

/** A payment that may still complete: no "pay again", the order is placed when it does. */
function showPending() {
  $("done-title").textContent = "Payment in progress";
  $("done-placed").textContent = "Your payment is being processed. There is no need to pay again: we confirm your order as soon as it completes.";
  $("done-detail").textContent = "";
  reveal();
}

function reveal() {
  ui.main.hidden = true;
  $("done").hidden = false;
  $("done-title").focus();
  $("again").href = asCustomer ? "/?customer=1" : "/";
}

function renderSummary(order) {
  $("order-number").textContent = `#${order.number}`;
  $("total").textContent = order.formatted_total_amount;
  $("who").textContent = asCustomer ? `Signed in as ${order.customer_email}` : "Checking out as a guest";
  $("lines").replaceChildren(
    ...(order.line_items ?? []).map((li) => {
      const row = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = `${li.quantity} × ${li.name}`;
      const price = document.createElement("span");
      price.textContent = li.formatted_total_amount;
      row.append(name, price);
      return row;
    }),
  );
  ui.place.querySelector(".label").textContent = `Pay ${order.formatted_total_amount}`;
}

function radio(name, value, label, checked) {
  const row = document.createElement("label");
  row.className = "choice";
  const input = document.createElement("input");
  Object.assign(input, { type: "radio", name, value, checked });
  row.append(input, document.createTextNode(` ${label}`));
  return row;
}

/** A method's radio: its name, and what the shopper pays with, as text (no logos downloaded). */
function methodChoice(m) {
  const row = radio("method", m.id, m.name, false);
  const hint = document.createElement("span");
  hint.className = "provider";
  hint.textContent = GATEWAYS[m.payment_source_type].hint;
  row.append(hint);
  return row;
}

/** A gateway payment's outcome: placed, or may still complete (no "pay again"). */
function finish(outcome) {
  if (outcome.status === "placed") return showDone(outcome.order);
  if (outcome.status === "redirect") return location.assign(outcome.url);
  return showPending();
}

async function main() {
  await init({ module_or_path: self.clCheckoutWasm }); // the download index.html's head started
  const orderId = await demoOrder();
  const checkout = new Checkout({ baseUrl: SANDBOX, accessToken: await demoToken() });
  let stripe = null;
  let payment = null; // the mounted Payment Element's handle
  let choice = null; // { kind: "stripe" | "plain" | "saved" | "gateway", id, driver }
  let driver = null; // the mounted gateway widget (mountGateway)

  // One Stripe.js instance per page, made as the source says (Connect accounts included).
  const stripeFor = (source) => {
    const { publishableKey, options } = stripeOptions(source);
    return (stripe ??= window.Stripe(publishableKey, options));
  };

  // Back from a redirect or 3-D Secure: finish that payment first.
  if (new URLSearchParams(location.search).has("payment_intent_client_secret")) {
    try {
      const source = (await checkout.order(orderId)).payment_source;
      const outcome = await checkout.resumeStripe(stripeFor(source), orderId);
      if (outcome) return outcome.pending ? showPending() : showDone(outcome.order);
    } catch (e) {
      showError(e);
    }
  }

  // Back from a gateway's page (PayPal, Satispay, 3-D Secure): finish that payment first.
  try {
    const back = await resumeFromGateway(checkout, orderId);
    if (back === "cancelled") showMessage("The PayPal payment was cancelled. Choose a payment method to try again.");
    else if (back) return finish(back);
  } catch (e) {
    showError(e);
  }

  const order = await checkout.order(orderId);
  if (order.status === "placed") return showDone(order);
  renderSummary(order);

  const methods = (await checkout.availablePaymentMethods(orderId)).filter((m) => m.payment_source_type in GATEWAYS);
  ui.methods.replaceChildren(...methods.map(methodChoice));

  if (asCustomer) {
    const wallet = await checkout.walletSources(orderId);
    if (wallet.length) {
      ui.savedList.replaceChildren(...wallet.map((c) => radio("method", `saved:${c.id}`, /^X{4}-/.test(c.name) ? `Saved card ${c.name}` : `Saved ${c.name}`, false)));
      ui.saved.hidden = false;
    }
  }

  async function choose(value) {
    clearError();
    ui.card.hidden = ui.wire.hidden = ui.gateway.hidden = true;
    ui.saveRow.hidden = true;
    ui.place.disabled = true;
    driver?.unmount();
    driver = null;
    if (value.startsWith("saved:")) {
      choice = { kind: "saved", id: value.slice(6) };
      ui.place.disabled = false;
      return;
    }
    busy(true, "Preparing payment…");
    try {
      const updated = await checkout.selectPaymentMethod(orderId, value);
      const type = updated.payment_method.payment_source_type;
      if (type === "stripe_payments") {
        payment?.unmount();
        const source = await checkout.createPaymentSource(orderId);
        // Demo only: ?processingTimeoutMs= shortens the wait for a processing payment (the e2e tests use it).
        const wait = Number(params.get("processingTimeoutMs") ?? 30000);
        // Demo only: ?billingDetails=never hides the Element's billing fields; the page then passes them at confirm.
        const hideBilling = params.get("billingDetails") === "never";
        const paymentElementOptions = hideBilling ? { layout: "tabs", fields: { billingDetails: "never" } } : undefined;
        payment = checkout.mountStripe(stripeFor(source), source, "#payment-element", { processingTimeoutMs: wait, paymentElementOptions });
        ui.card.hidden = false;
        choice = { kind: "stripe" };
      } else if (type === "wire_transfers" || type === "external_payments") {
        ui.wire.textContent = GATEWAYS[type].note;
        ui.wire.hidden = false;
        choice = { kind: "plain", type };
      } else {
        // Every other gateway: create its source, hand its library what it needs.
        const source = await checkout.createPaymentSource(orderId, sourceAttributes(type));
        ui.gatewayWidget.replaceChildren();
        ui.gatewayNote.textContent = GATEWAYS[type].note;
        ui.gateway.hidden = false;
        driver = await mountGateway({ checkout, orderId, order, handoff: gatewayHandoff(source), container: ui.gatewayWidget, base: SANDBOX, save: () => ui.saveCard.checked });
        choice = { kind: "gateway" };
      }
      ui.saveRow.hidden = !(asCustomer && GATEWAYS[type].saves);
      busy(false);
    } catch (e) {
      busy(false);
      showError(e);
    }
  }

  ui.form.addEventListener("change", (ev) => {
    if (ev.target.name === "method") choose(ev.target.value);
  });

  ui.form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!choice) return showMessage("Please choose a payment method.");
    clearError();
    busy(true, "Processing your payment…");
    try {
      let placed;
      if (choice.kind === "stripe") {
        const returnUrl = backUrl();
        const billing = params.get("billingDetails") === "never" ? { payment_method_data: { billing_details: { email: order.customer_email } } } : undefined;
        const outcome = await payment.confirm({ returnUrl, saveToWallet: ui.saveCard.checked, confirmParams: billing });
        if (outcome.pending) return showPending();
        placed = outcome.order;
      } else if (choice.kind === "gateway") {
        const outcome = await driver.pay();
        if (outcome === null) return; // on the way to the gateway's page
        return finish(outcome);
      } else if (choice.kind === "saved") {
        await checkout.useWalletSource(orderId, choice.id);
        placed = await checkout.placeOrder(orderId);
      } else {
        // Demo only: an external payment's token comes from the service that took it.
        await checkout.createPaymentSource(orderId, choice.type === "external_payments" ? { payment_source_token: "demo-pay-on-delivery" } : {});
        placed = await checkout.placeOrder(orderId);
      }
      showDone(placed);
    } catch (e) {
      busy(false);
      showError(e);
      if (amountChanged(e)) renderSummary(await checkout.order(orderId));
    }
  });

}

main()
  .catch((e) => {
    // Nothing to pay for: show only the error, not an empty summary and form.
    if (!$("order-number").textContent) ui.main.classList.add("failed");
    showError(e);
  })
  .finally(() => {
    ui.main.setAttribute("aria-busy", "false");
    document.body.dataset.ready = "true";
  });
