// @ts-check
// The demo's glue between cl-checkout and each gateway's browser library:
// what a storefront writes for every gateway but Stripe (app.js has Stripe).
// The module decides everything about the payment (the step to send, place
// once, what an answer means); this file only drives the libraries'
// widgets. Type-checked against the providers' npm types.
/** @typedef {import("../pkg/gateways/cl_checkout.js").Checkout} Checkout */
/** @typedef {import("../pkg/gateways/cl_checkout.js").GatewayHandoff} GatewayHandoff */
/** @typedef {import("../pkg/gateways/cl_checkout.js").GatewayOutcome} GatewayOutcome */
/** @typedef {import("../pkg/gateways/cl_checkout.js").Order} Order */

/**
 * What the demo shows of each gateway next to the method's name (what the
 * shopper pays with, as text: no logos downloaded), the script its browser
 * library loads from (the sandbox serves stand-ins at the providers' paths;
 * production pages load the providers' hosts), whether the customer's wallet
 * can save it, and what to say before paying.
 * @type {Record<string, { hint: string, script?: string, saves?: boolean, note: string }>}
 */
export const GATEWAYS = {
  stripe_payments: { hint: "Card", saves: true, note: "" },
  adyen_payments: { hint: "Card", script: "/checkoutshopper/sdk/6.45.2/adyen.js", saves: true, note: "" },
  braintree_payments: { hint: "Card", script: "/web/3.144.0/js/client.min.js", saves: true, note: "" },
  checkout_com_payments: { hint: "Card", script: "/checkout-web-components/index.js", saves: true, note: "" },
  klarna_payments: { hint: "Pay later", script: "/kp/lib/v1/api.js", note: "" },
  paypal_payments: { hint: "PayPal account", note: "You will be sent to PayPal to approve the payment, then back here." },
  satispay_payments: { hint: "Satispay app", note: "You will be sent to Satispay to pay, then back here." },
  axerve_payments: { hint: "Card", script: "/pagam/javascript/axerve.js", note: "Axerve's secure payment window opens when you pay." },
  wire_transfers: { hint: "Bank transfer", note: "You will receive our bank details by email. The order ships when the transfer arrives." },
  external_payments: { hint: "External", note: "Paid through the shop's own payment service." },
};

/** @type {Map<string, Promise<unknown>>} */
const loaded = new Map();
/** Loads a browser library once (the sandbox's stand-in in this demo). @param {string} src */
function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error(`Could not load ${src}`));
      document.head.append(s);
    }));
  }
  return loaded.get(src);
}

/** A message for the shopper that is not an error of the module (the library's own answer). */
export class ShopperNotice extends Error {}

/**
 * The URL a gateway (Stripe included) sends the shopper back to: this page, without the access token.
 * @param {string} [marker] which gateway's return this is (`?gateway=`), for the ones the module cannot tell by the URL
 */
export function backUrl(marker) {
  const back = new URLSearchParams(location.search);
  // Never the access token in a URL a gateway sends back (logs, history); nor a previous return's parameters.
  for (const k of ["accessToken", "PayerID", "token", "redirectResult", "cko-session-id", "gateway"]) back.delete(k);
  if (marker) back.set("gateway", marker);
  return `${location.origin}${location.pathname}?${back}`;
}

/** Attributes of the payment source a gateway needs at creation. @param {string} type */
export function sourceAttributes(type) {
  switch (type) {
    case "paypal_payments": return { return_url: backUrl("paypal"), cancel_url: backUrl("paypal-cancel") };
    case "satispay_payments": return { redirect_url: backUrl("satispay") };
    case "checkout_com_payments": return { success_url: backUrl("cko"), failure_url: backUrl("cko") };
    case "axerve_payments": return { return_url: backUrl("axerve"), request_token: true };
    default: return {};
  }
}

/**
 * Mounts the gateway's widget in `container` and returns how to pay with it.
 * `pay()` resolves with the module's outcome, or null when the shopper is
 * being sent to the gateway; it rejects with a CheckoutError or a ShopperNotice.
 * @param {{ checkout: Checkout, orderId: string, order: Order, handoff: GatewayHandoff, container: HTMLElement, base: string, save: () => boolean }} ctx
 * @returns {Promise<{ pay: () => Promise<GatewayOutcome | null>, unmount: () => void }>}
 */
export async function mountGateway(ctx) {
  const { checkout, orderId, handoff, container, base } = ctx;
  const spec = GATEWAYS[handoff.gateway];
  if (spec.script) await loadScript(`${base}${spec.script}`);
  /** @param {import("../pkg/gateways/cl_checkout.js").GatewayStep} step */
  const step = (step) => checkout.payWithGateway(orderId, step, { saveToWallet: ctx.save() });
  const w = /** @type {any} */ (window);
  switch (handoff.gateway) {
    case "paypal_payments":
    case "satispay_payments":
      return { pay: async () => (location.assign(handoff.redirectUrl), null), unmount() {} };

    case "klarna_payments": {
      /** @type {{ init(o: { client_token: string }): void, load(o: object, cb: (r: { show_form: boolean }) => void): void,
       *   authorize(o: object, data: object, cb: (r: { approved: boolean, authorization_token?: string }) => void): void }} */
      const klarna = w.Klarna.Payments;
      const category = /** @type {{ identifier: string }[]} */ (handoff.categories)[0]?.identifier;
      klarna.init({ client_token: handoff.clientToken });
      await new Promise((shown) => klarna.load({ container, payment_method_category: category }, shown));
      return {
        pay: async () => {
          const email = ctx.order.customer_email ?? "";
          /** @type {{ approved: boolean, authorization_token?: string }} */
          const answer = await new Promise((done) => klarna.authorize({ payment_method_category: category }, { billing_address: { email } }, done));
          if (!answer.approved || !answer.authorization_token) throw new ShopperNotice("Klarna did not approve this payment. Please choose another payment method.");
          return step({ gateway: "klarna_payments", authorizationToken: answer.authorization_token });
        },
        unmount: () => container.replaceChildren(),
      };
    }

    case "braintree_payments": {
      /** @type {typeof import("braintree-web")} */
      const braintree = w.braintree;
      const client = await braintree.client.create({ authorization: handoff.clientToken });
      // One container per field, as Hosted Fields wants (the sandbox's stand-in fills the first).
      const [number, expirationDate, cvv] = ["number", "expiry", "cvv"].map((name) => {
        const div = document.createElement("div");
        div.className = `bt-${name}`;
        return div;
      });
      container.append(number, expirationDate, cvv);
      const fields = await braintree.hostedFields.create({ client, fields: { number: { container: number }, expirationDate: { container: expirationDate }, cvv: { container: cvv } } });
      const threeDS = await braintree.threeDSecure.create({ client, version: 2 });
      return {
        pay: async () => {
          let card;
          try {
            card = await fields.tokenize();
          } catch {
            throw new ShopperNotice("Please check the card details.");
          }
          const amount = ((ctx.order.total_amount_cents ?? 0) / 100).toFixed(2);
          const verified = await threeDS.verifyCard({ nonce: card.nonce, bin: card.details.bin, amount });
          return step({ gateway: "braintree_payments", nonce: verified.nonce });
        },
        unmount: () => void fields.teardown(),
      };
    }

    case "adyen_payments": {
      /** @type {typeof import("@adyen/adyen-web")} */
      const AdyenWeb = w.AdyenWeb;
      /** @type {{ resolve: (o: GatewayOutcome | null) => void, reject: (e: unknown) => void } | null} */
      let waiting = null;
      const core = await AdyenWeb.AdyenCheckout({
        clientKey: handoff.clientKey,
        environment: "test",
        countryCode: "IT",
        locale: "en-US",
        paymentMethodsResponse: /** @type {any} */ (handoff.paymentMethodsResponse),
        async onSubmit(state, _component, actions) {
          try {
            const out = await step({ gateway: "adyen_payments", data: { ...state.data, returnUrl: backUrl("adyen") } });
            if (out.status === "action") {
              actions.resolve({ resultCode: "RedirectShopper", action: /** @type {any} */ (out.action) });
              return waiting?.resolve(null);
            }
            actions.resolve({ resultCode: out.status === "placed" ? "Authorised" : "Pending" });
            waiting?.resolve(out);
          } catch (e) {
            actions.reject();
            waiting?.reject(e);
          }
        },
      });
      const card = new AdyenWeb.Card(core, { hasHolderName: true, holderNameRequired: true }).mount(container);
      return {
        pay: () => {
          if (!card.isValid) {
            card.submit(); // shows what to fix
            return Promise.reject(new ShopperNotice("Please check the card details."));
          }
          return new Promise((resolve, reject) => {
            waiting = { resolve, reject };
            card.submit();
          });
        },
        unmount: () => void card.unmount(),
      };
    }

    case "checkout_com_payments": {
      /** @type {import("@checkout.com/checkout-web-components").WindowCheckoutWebComponents} */
      const load = w.CheckoutWebComponents;
      const components = await load({ publicKey: handoff.publicKey, environment: "sandbox", locale: "en" });
      const card = components.create("card", { showPayButton: false });
      card.mount(container);
      return {
        pay: async () => {
          const tokenized = await card.tokenize().catch(() => null);
          if (!tokenized || tokenized.type !== "card") throw new ShopperNotice("Please check the card details.");
          const out = await step({ gateway: "checkout_com_payments", token: tokenized.data.token });
          if (out.status === "redirect") return (location.assign(out.url), null);
          return out;
        },
        unmount: () => void card.unmount(),
      };
    }

    case "axerve_payments": {
      const lightbox = handoff.lightbox;
      if (!lightbox) throw new ShopperNotice("Axerve is not available for this order.");
      /** @type {{ shop: string, open(id: string, token: string, cb: (r: { status: string }) => void): void }} */
      const box = w.axerve.lightBox;
      return {
        pay: async () => {
          box.shop = handoff.shopLogin;
          /** @type {{ status: string }} */
          const response = await new Promise((done) => box.open(lightbox.paymentID, lightbox.paymentToken, done));
          return step({ gateway: "axerve_payments", paymentRequestData: response });
        },
        unmount() {},
      };
    }
  }
  throw new ShopperNotice("This payment method is not available here.");
}

/**
 * Back from a gateway's page: what the module makes of it (null: nothing to finish here).
 * @param {Checkout} checkout @param {string} orderId @returns {Promise<GatewayOutcome | null | "cancelled">}
 */
export async function resumeFromGateway(checkout, orderId) {
  const marker = new URLSearchParams(location.search).get("gateway");
  if (marker === "paypal-cancel") return "cancelled";
  if (marker === "satispay") return checkout.payWithGateway(orderId, { gateway: "satispay_payments" });
  return marker ? checkout.resumeGateway(orderId) : null;
}
