// @ts-check
// cl-sandbox's offline stand-in for Checkout.com Web Components (the CDN
// script that sets window.CheckoutWebComponents; loadCheckoutWebComponents
// from the npm package calls it). The "card" component only, with
// tokenize(): the card goes from the frame to the sandbox's Tokens API with
// the public key, the page gets the token. Types from
// @checkout.com/checkout-web-components; for tests and demos only.
/** @typedef {import("@checkout.com/checkout-web-components").Component} CkoComponent */
/** @typedef {import("@checkout.com/checkout-web-components").Options} CkoOptions */
/** @typedef {import("@checkout.com/checkout-web-components").TokenizeResult} CkoTokenizeResult */

/** @param {string} code @param {string} message */
function ckoError(code, message) {
  return Object.assign(new Error(message), { type: "Integration", code });
}

/** @param {CkoOptions} options @param {string} name @returns {CkoComponent} */
function ckoCard(options, name) {
  if (name !== "card" && name !== "flow") throw ckoError("component_not_supported", `The sandbox stand-in emulates the card component, not ${name}.`);
  const card = new CardFrame("checkout_com", { key: options.publicKey }, () => {});
  /** @type {CkoComponent} */
  const component = {
    type: "card",
    selectedType: "card",
    selectedPaymentMethodId: undefined,
    name: "Card",
    submit() {
      throw ckoError("method_not_supported", "The sandbox stand-in tokenizes only: use tokenize().");
    },
    async tokenize() {
      const got = await card.collect();
      if (!got.ok) throw Object.assign(new Error(got.error?.message ?? "Tokenization failed"), { type: "Request", code: "tokenize_request_failed" });
      return /** @type {CkoTokenizeResult} */ ({ type: "card", data: got.ok });
    },
    isValid: () => card.valid,
    isAvailable: async () => true,
    isPayButtonRequired: () => true,
    unselect() {},
    mount(element) {
      card.mount(kitElement(element, "Checkout Web Components"), "Card details (Checkout.com)");
      return component;
    },
    unmount() {
      card.unmount();
      return component;
    },
  };
  return component;
}

/** @type {import("@checkout.com/checkout-web-components").WindowCheckoutWebComponents} */
const CheckoutWebComponents = (options) => {
  if (!options?.publicKey?.startsWith("pk_sbox_")) throw ckoError("invalid_public_key", "A sandbox public key (pk_sbox_...) is required.");
  return {
    create: (name) => ckoCard(options, name),
    update: async () => {},
  };
};

if (!(/** @type {any} */ (window).CheckoutWebComponents)) /** @type {any} */ (window).CheckoutWebComponents = CheckoutWebComponents;
