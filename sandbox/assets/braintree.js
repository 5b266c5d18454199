// @ts-check
// cl-sandbox's offline stand-in for braintree-web 3 (client, hostedFields,
// threeDSecure; the sandbox serves it at each of their script paths and it
// sets window.braintree once). Promise style only. Hosted Fields here are one
// frame (number, expiry, CVV) mounted in the number field's container; the
// other containers stay empty. Types from @types/braintree-web; for tests and
// demos only.
/** @typedef {import("braintree-web").Client} BtClient */
/** @typedef {import("braintree-web").HostedFields} BtHostedFields */
/** @typedef {import("braintree-web").HostedFieldsTokenizePayload} BtTokenizePayload */
/** @typedef {import("braintree-web").ThreeDSecureVerifyPayload} BtVerifyPayload */
/** @typedef {import("braintree-web/three-d-secure").ThreeDSecureVerifyOptions} BtVerifyOptions */
/** @typedef {import("braintree-web/hosted-fields").HostedFieldFieldOptions} BtFieldOptions */

/** @param {string} code @param {string} message @param {"CUSTOMER" | "MERCHANT" | "NETWORK"} type */
function braintreeError(code, message, type) {
  return Object.assign(new Error(message), { name: "BraintreeError", code, type, details: undefined });
}

/** @param {{ authorization: string }} options */
async function braintreeClient(options) {
  if (!options?.authorization?.startsWith("sandbox_")) {
    throw braintreeError("CLIENT_INVALID_AUTHORIZATION", "Authorization is invalid. Make sure your client token or tokenization key is valid.", "MERCHANT");
  }
  return { authorization: options.authorization };
}

class BraintreeStandInHostedFields {
  /** @param {{ authorization: string }} client @param {BtFieldOptions} fields */
  constructor(client, fields) {
    /** @type {Record<string, Function[]>} */
    this.handlers = {};
    this.card = new CardFrame("braintree", { key: client.authorization }, (ev) => {
      const name = ev.type === "change" ? "validityChange" : ev.type;
      for (const h of this.handlers[name] ?? []) h({ emittedBy: ev.field, cards: [], fields: {} });
    });
    const where = fields.number?.container ?? fields.number?.selector;
    if (!where) throw braintreeError("HOSTED_FIELDS_FIELD_INVALID", "options.fields.number is required when instantiating Hosted Fields.", "MERCHANT");
    this.card.mount(kitElement(where, "Hosted Fields"), "Secure Credit Card Frame - Credit Card Number");
  }
  /** @param {string} event @param {Function} handler */
  on(event, handler) {
    (this.handlers[event] ??= []).push(handler);
  }
  /** @returns {Promise<BtTokenizePayload>} */
  async tokenize() {
    const got = await this.card.collect();
    if (!got.ok) throw braintreeError("HOSTED_FIELDS_FIELDS_INVALID", got.error?.message ?? "Some payment input fields are invalid. Cannot tokenize invalid card fields.", "CUSTOMER");
    return got.ok;
  }
  async teardown() {
    this.card.unmount();
  }
  /** @param {string} _field (one frame holds every field) */
  async focus(_field) {
    this.card.focus();
  }
  /** @param {string} _field */
  async clear(_field) {
    this.card.clear();
  }
}

class BraintreeStandInThreeDSecure {
  /** @param {BtVerifyOptions} options @returns {Promise<BtVerifyPayload>} */
  async verifyCard(options) {
    const lookup = await kitPost("/gateways/braintree/lookup", { nonce: options.nonce, amount: options.amount });
    if (lookup.error) throw braintreeError("THREEDS_LOOKUP_ERROR", lookup.error, "CUSTOMER");
    await new Promise((next) => (options.onLookupComplete ? options.onLookupComplete(/** @type {any} */ ({ requiresUserAuthentication: lookup.challenge }), () => next(null)) : next(null)));
    const result = lookup.challenge ? await kitModal(`/gateways/braintree/3ds/${encodeURIComponent(options.nonce)}`, "Card authentication") : lookup;
    const shifted = !!result.liabilityShifted;
    return /** @type {BtVerifyPayload} */ ({ nonce: result.nonce, type: "CreditCard", description: "", liabilityShiftPossible: lookup.challenge, liabilityShifted: shifted,
      threeDSecureInfo: { liabilityShiftPossible: lookup.challenge, liabilityShifted: shifted, status: shifted ? "authenticate_successful" : "authenticate_failed" } });
  }
  async teardown() {}
}

// Conformance: what a page passes to braintree-web's factories, these take.
/** @type {{ client: (o: { authorization: string }) => Promise<Pick<BtClient, "authorization">>,
 *   hostedFields: (o: { client?: any, fields: BtFieldOptions }) => Promise<Pick<BtHostedFields, "tokenize" | "teardown" | "on" | "focus" | "clear">>,
 *   threeDSecure: (o: import("braintree-web/three-d-secure").ThreeDSecureCreateOptions & { client?: any }) => Promise<Pick<import("braintree-web").ThreeDSecure, "verifyCard" | "teardown">> }} */
const braintreeFactories = {
  client: braintreeClient,
  hostedFields: async (o) => new BraintreeStandInHostedFields(o.client, o.fields),
  threeDSecure: async (o) => {
    if (!o.client) throw braintreeError("INSTANTIATION_OPTION_REQUIRED", "options.client is required when instantiating 3D Secure.", "MERCHANT");
    return new BraintreeStandInThreeDSecure();
  },
};

if (!(/** @type {any} */ (window).braintree)) {
  /** @type {any} */ (window).braintree = {
    VERSION: "3.sandbox",
    client: { create: braintreeFactories.client },
    hostedFields: { create: braintreeFactories.hostedFields },
    threeDSecure: { create: braintreeFactories.threeDSecure },
  };
}
