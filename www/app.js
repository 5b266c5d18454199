// The demo checkout: everything payment-related goes through cl-checkout.
// Demo-only parts (marked) stand in for what a storefront already has: a
// token from its auth and an order from its cart.
import init, { Checkout, isCheckoutError, stripeOptions } from "/pkg/cl_checkout.js";

const SANDBOX = document.querySelector('meta[name="cl-sandbox"]').content;
const params = new URLSearchParams(location.search);
const asCustomer = params.get("customer") === "1";
const $ = (id) => document.getElementById(id);

const ui = {
  main: $("checkout"), error: $("error"), form: $("pay-form"), methods: $("method-list"),
  saved: $("saved"), savedList: $("saved-list"), card: $("card-panel"), wire: $("wire-panel"),
  saveRow: $("save-row"), saveCard: $("save-card"), place: $("place"), progress: $("progress"),
};

/** Demo only: a token from the sandbox's OAuth (a storefront gets it from its own auth).
 * The demo server hands over the sandbox's seed: the sandbox's control routes answer no page. */
async function demoToken() {
  if (params.get("token")) return params.get("token");
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

const SUPPORTED = ["stripe_payments", "wire_transfers"];

async function main() {
  await init();
  const orderId = await demoOrder();
  const checkout = new Checkout({ baseUrl: SANDBOX, accessToken: await demoToken() });
  let stripe = null;
  let payment = null; // the mounted Payment Element's handle
  let choice = null; // { kind: "stripe" | "wire" | "saved", id }

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

  const order = await checkout.order(orderId);
  if (order.status === "placed") return showDone(order);
  renderSummary(order);

  const methods = (await checkout.availablePaymentMethods(orderId)).filter((m) => SUPPORTED.includes(m.payment_source_type));
  ui.methods.replaceChildren(...methods.map((m) => radio("method", m.id, m.name, false)));

  if (asCustomer) {
    const wallet = await checkout.walletSources(orderId);
    if (wallet.length) {
      ui.savedList.replaceChildren(...wallet.map((c) => radio("method", `saved:${c.id}`, /^X{4}-/.test(c.name) ? `Saved card ${c.name}` : `Saved ${c.name}`, false)));
      ui.saved.hidden = false;
    }
  }

  async function choose(value) {
    clearError();
    ui.card.hidden = ui.wire.hidden = true;
    ui.place.disabled = true;
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
        ui.saveRow.hidden = !asCustomer;
        choice = { kind: "stripe" };
      } else {
        ui.wire.hidden = false;
        choice = { kind: "wire" };
      }
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
        // Never the access token in a URL Stripe sends the shopper back to (logs, history).
        const back = new URLSearchParams(params);
        back.delete("token");
        const returnUrl = `${location.origin}${location.pathname}?${back}`;
        const billing = params.get("billingDetails") === "never" ? { payment_method_data: { billing_details: { email: order.customer_email } } } : undefined;
        const outcome = await payment.confirm({ returnUrl, saveToWallet: ui.saveCard.checked, confirmParams: billing });
        if (outcome.pending) return showPending();
        placed = outcome.order;
      } else if (choice.kind === "saved") {
        await checkout.useWalletSource(orderId, choice.id);
        placed = await checkout.placeOrder(orderId);
      } else {
        await checkout.createPaymentSource(orderId);
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
