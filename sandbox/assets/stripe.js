// @ts-check
// cl-sandbox's offline stand-in for the part of Stripe.js v3 that cl-checkout
// and its demo call (elements, Payment Element, confirmPayment,
// retrievePaymentIntent, handleNextAction, confirmCardPayment). Same names,
// arguments and result shapes as @stripe/stripe-js; for tests and demos only.
// Card inputs live in an iframe on the sandbox's origin; the page and the
// iframe talk only through origin-checked postMessage.
(function () {
  "use strict";
  /** @typedef {import("@stripe/stripe-js").PaymentIntentResult} PaymentIntentResult */
  /** @typedef {import("@stripe/stripe-js").StripeError} StripeError */
  /** @typedef {import("@stripe/stripe-js").PaymentIntent} PaymentIntent */
  /** @typedef {import("@stripe/stripe-js").StripeElements} SjsElements */
  /** @typedef {import("@stripe/stripe-js").ConfirmPaymentData} ConfirmPaymentData */

  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const ORIGIN = new URL(script ? script.src : location.href).origin;
  let frames = 0;
  let requests = 0;

  /** @param {string} message */
  function integrationError(message) {
    const e = new Error(message);
    e.name = "IntegrationError";
    return e;
  }

  /** @param {string} secret */
  function intentId(secret) {
    const m = /^(pi_\w+?)_secret_\w+$/.exec(secret || "");
    if (!m) throw integrationError("Invalid value for clientSecret: it should look like pi_..._secret_....");
    return m[1];
  }

  /**
   * Calls the sandbox's Stripe API. Resolves like Stripe.js: {paymentIntent} or {error}.
   * @param {string} method @param {string} path @param {Record<string, string>} params
   * @returns {Promise<PaymentIntentResult>}
   */
  async function api(method, path, params) {
    const query = new URLSearchParams(params).toString();
    const init = method === "GET" ? { method } : { method, body: query, headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    try {
      const res = await fetch(`${ORIGIN}${path}${method === "GET" ? "?" + query : ""}`, init);
      const body = await res.json();
      return res.ok ? { paymentIntent: body } : { error: body.error };
    } catch {
      return { error: /** @type {StripeError} */ ({ type: "api_connection_error", message: "Could not connect to Stripe." }) };
    }
  }

  /** A tiny event emitter for elements. */
  class Emitter {
    constructor() {
      /** @type {Record<string, Array<{h: Function, once: boolean}>>} */
      this._handlers = {};
    }
    /** @param {string} name @param {Function} h */
    on(name, h) {
      (this._handlers[name] ||= []).push({ h, once: false });
      return this;
    }
    /** @param {string} name @param {Function} h */
    once(name, h) {
      (this._handlers[name] ||= []).push({ h, once: true });
      return this;
    }
    /** @param {string} name @param {Function} [h] */
    off(name, h) {
      this._handlers[name] = (this._handlers[name] || []).filter((x) => h && x.h !== h);
      return this;
    }
    /** @param {string} name @param {unknown} [event] */
    _emit(name, event) {
      const list = this._handlers[name] || [];
      this._handlers[name] = list.filter((x) => !x.once);
      for (const { h } of list) setTimeout(() => h(event), 0);
    }
  }

  class Element extends Emitter {
    /** @param {Elements} group @param {"payment" | "card"} type @param {object} options */
    constructor(group, type, options) {
      super();
      this._group = group;
      this._type = type;
      this._options = options || {};
      /** @type {HTMLIFrameElement | null} */
      this._frame = null;
      /** @type {HTMLElement | null} */
      this._container = null;
      /** @type {Map<number, (value: any) => void>} */
      this._pending = new Map();
      this._onMessage = this._onMessage.bind(this);
    }

    /** @param {string | HTMLElement} target */
    mount(target) {
      const el = typeof target === "string" ? document.querySelector(target) : target;
      if (!(el instanceof HTMLElement)) throw integrationError(`The selector you specified (${String(target)}) applies to no DOM elements that are currently on the page.`);
      if (this._frame) throw integrationError("This Element is already mounted. Use `unmount` to unmount the Element before re-mounting.");
      const n = frames++;
      const frame = document.createElement("iframe");
      frame.name = `__privateStripeFrame${n}`;
      frame.title = "Secure payment input frame";
      frame.setAttribute("allow", "payment *");
      frame.style.cssText = "border:0;width:100%;min-height:150px;display:block;overflow:hidden;color-scheme:normal";
      const config = { origin: location.origin, id: n, type: this._type };
      frame.src = `${ORIGIN}/stripe/frame.html#${encodeURIComponent(JSON.stringify(config))}`;
      el.classList.add("StripeElement", "StripeElement--empty");
      el.appendChild(frame);
      this._frame = frame;
      this._container = el;
      window.addEventListener("message", this._onMessage);
      this._emit("loaderstart", { elementType: this._type });
    }

    /** @param {MessageEvent} ev */
    _onMessage(ev) {
      if (ev.origin !== ORIGIN || !this._frame || ev.source !== this._frame.contentWindow) return;
      const msg = ev.data || {};
      if (msg.type === "ready") this._emit("ready", { elementType: this._type });
      if (msg.type === "height" && this._frame) this._frame.style.height = `${msg.px}px`;
      if (msg.type === "change" && this._container) {
        const c = this._container.classList;
        c.toggle("StripeElement--empty", !!msg.empty);
        c.toggle("StripeElement--complete", !!msg.complete);
        c.toggle("StripeElement--invalid", !!msg.error);
        const event = { elementType: this._type, empty: msg.empty, complete: msg.complete, collapsed: false, value: { type: "card" } };
        this._emit("change", msg.error ? { ...event, error: msg.error } : event);
      }
      if (msg.type === "focus" || msg.type === "blur") {
        this._container?.classList.toggle("StripeElement--focus", msg.type === "focus");
        this._emit(msg.type, { elementType: this._type });
      }
      if (msg.type === "result" && this._pending.has(msg.requestId)) {
        const resolve = /** @type {(value: any) => void} */ (this._pending.get(msg.requestId));
        this._pending.delete(msg.requestId);
        resolve(msg.result);
      }
    }

    /** Sends a request to the card frame and waits for its answer. @param {object} message */
    _ask(message) {
      const frame = this._frame;
      if (!frame || !frame.contentWindow) throw integrationError("The Element is not mounted.");
      const requestId = ++requests;
      return new Promise((resolve) => {
        this._pending.set(requestId, resolve);
        /** @type {Window} */ (frame.contentWindow).postMessage({ ...message, requestId }, ORIGIN);
      });
    }

    unmount() {
      window.removeEventListener("message", this._onMessage);
      this._frame?.remove();
      this._container?.classList.remove("StripeElement", "StripeElement--empty", "StripeElement--complete", "StripeElement--invalid", "StripeElement--focus");
      this._frame = null;
      this._container = null;
    }
    destroy() {
      this.unmount();
      this._group._elements.delete(this._type);
    }
    focus() {
      this._frame?.contentWindow?.postMessage({ type: "focus" }, ORIGIN);
    }
    blur() {}
    clear() {
      this._frame?.contentWindow?.postMessage({ type: "clear" }, ORIGIN);
    }
    /** @param {object} options */
    update(options) {
      Object.assign(this._options, options);
    }
    collapse() {
      return this;
    }
  }

  class Elements {
    /** @param {StripeInstance} stripe @param {{clientSecret?: string}} options */
    constructor(stripe, options) {
      this._stripe = stripe;
      this._clientSecret = options.clientSecret;
      /** @type {Map<string, Element>} */
      this._elements = new Map();
      if (this._clientSecret) intentId(this._clientSecret);
    }
    /** @param {"payment" | "card"} type @param {object} [options] */
    create(type, options) {
      if (type !== "payment" && type !== "card") throw integrationError(`The stand-in supports the "payment" and "card" Elements, not "${type}".`);
      if (this._elements.has(type)) throw integrationError(`Can only create one Element of type ${type}.`);
      if (type === "payment" && !this._clientSecret) throw integrationError("In order to create a payment element, you must pass a clientSecret or mode when creating the Elements group.");
      const el = new Element(this, type, options || {});
      this._elements.set(type, el);
      return el;
    }
    /** @param {"payment" | "card"} type */
    getElement(type) {
      return this._elements.get(type) || null;
    }
    /** @param {object} _options */
    update(_options) {
      return Promise.resolve();
    }
    fetchUpdates() {
      return Promise.resolve({});
    }
    async submit() {
      const el = this._elements.get("payment") || this._elements.get("card");
      if (!el) throw integrationError("No Element to submit.");
      const result = /** @type {{error?: StripeError}} */ (await el._ask({ type: "validate" }));
      return result.error ? { error: result.error } : { selectedPaymentMethod: "card" };
    }
    /** @param {string} _name @param {Function} _h */
    on(_name, _h) {}
  }

  class StripeInstance {
    /** @param {string} key @param {{stripeAccount?: string}} [options] */
    constructor(key, options) {
      if (typeof key !== "string" || !key) throw integrationError("Invalid value for Stripe(): apiKey should be a string.");
      if (key.startsWith("pk_live_")) throw integrationError("The sandbox's Stripe.js stand-in refuses live keys (pk_live_...): use a test key.");
      if (!key.startsWith("pk_test_")) throw integrationError("Invalid value for Stripe(): apiKey should be a publishable key (pk_test_...).");
      this._key = key;
      this._account = options?.stripeAccount;
    }

    /** @param {{clientSecret?: string}} [options] */
    elements(options) {
      return new Elements(this, options || {});
    }

    // The four overloads of @stripe/stripe-js, so the page's code types the same.
    /**
     * @overload
     * @param {{elements: SjsElements, confirmParams?: Partial<ConfirmPaymentData>, redirect: "if_required"}} options
     * @returns {Promise<PaymentIntentResult>}
     */
    /**
     * @overload
     * @param {{elements?: SjsElements, clientSecret: string, confirmParams?: Partial<ConfirmPaymentData>, redirect: "if_required"}} options
     * @returns {Promise<PaymentIntentResult>}
     */
    /**
     * @overload
     * @param {{elements: SjsElements, confirmParams: ConfirmPaymentData, redirect?: "always"}} options
     * @returns {Promise<never | {error: StripeError}>}
     */
    /**
     * @overload
     * @param {{elements?: SjsElements, clientSecret: string, confirmParams: ConfirmPaymentData, redirect?: "always"}} options
     * @returns {Promise<never | {error: StripeError}>}
     */
    /**
     * @param {{elements?: SjsElements, clientSecret?: string, confirmParams?: Partial<ConfirmPaymentData>, redirect?: "always" | "if_required"}} options
     * @returns {Promise<any>}
     */
    async confirmPayment(options) {
      const { confirmParams = {}, redirect = "always" } = options || {};
      const elements = /** @type {Elements | undefined} */ (/** @type {unknown} */ (options?.elements));
      const secret = options?.clientSecret || elements?._clientSecret;
      if (!elements && !secret) throw integrationError("confirmPayment needs elements or a clientSecret.");
      if (redirect !== "if_required" && !confirmParams.return_url) throw integrationError("confirmPayment: return_url is required when redirect is \"always\".");
      const el = elements && (elements.getElement("payment") || elements.getElement("card"));
      if (!el || !el._frame) throw integrationError("confirmPayment: the Payment Element is not mounted.");
      // As Stripe.js: billing details the Element does not collect must come with the confirmation.
      const fields = /** @type {{fields?: {billingDetails?: string}}} */ (el._options).fields;
      if (fields?.billingDetails === "never" && !confirmParams.payment_method_data?.billing_details) {
        throw integrationError("You specified \"never\" for fields.billingDetails when creating the payment Element, but did not pass confirmParams.payment_method_data.billing_details when calling stripe.confirmPayment().");
      }
      const result = await this._confirmWith(el, /** @type {string} */ (secret), confirmParams.return_url || "");
      if (result.paymentIntent && redirect === "always" && confirmParams.return_url) {
        const url = new URL(confirmParams.return_url);
        url.searchParams.set("payment_intent", result.paymentIntent.id);
        url.searchParams.set("payment_intent_client_secret", /** @type {string} */ (secret));
        url.searchParams.set("redirect_status", "succeeded");
        location.assign(url.toString());
        return new Promise(() => {});
      }
      return result;
    }

    /**
     * @param {string} clientSecret
     * @param {{payment_method?: {card: Element} | string, return_url?: string}} [data]
     * @param {{handleActions?: boolean}} [options]
     * @returns {Promise<PaymentIntentResult>}
     */
    async confirmCardPayment(clientSecret, data, options) {
      intentId(clientSecret);
      const pm = data?.payment_method;
      if (!pm || typeof pm === "string") throw integrationError("The stand-in confirms cards entered in a mounted card or payment Element.");
      return this._confirmWith(pm.card, clientSecret, data?.return_url || "", options?.handleActions !== false);
    }

    /** @param {Element} el @param {string} secret @param {string} returnUrl @param {boolean} [handleActions] */
    async _confirmWith(el, secret, returnUrl, handleActions = true) {
      const result = /** @type {PaymentIntentResult} */ (await el._ask({ type: "confirm", key: this._key, account: this._account, clientSecret: secret, returnUrl }));
      const pi = result.paymentIntent;
      if (pi && handleActions && pi.status === "requires_action" && pi.next_action?.type === "use_stripe_sdk") return this._challenge(secret);
      return result;
    }

    /** @param {string} clientSecret @returns {Promise<PaymentIntentResult>} */
    retrievePaymentIntent(clientSecret) {
      /** @type {Record<string, string>} */
      const params = { key: this._key, client_secret: clientSecret };
      // As real Stripe.js: a Connect account's intents are found only with { stripeAccount }.
      if (this._account) params._stripe_account = this._account;
      return api("GET", `/v1/payment_intents/${intentId(clientSecret)}`, params);
    }

    /** @param {{clientSecret: string}} options */
    async handleNextAction(options) {
      const current = await this.retrievePaymentIntent(options.clientSecret);
      if (current.paymentIntent?.status !== "requires_action") throw integrationError("handleNextAction: the PaymentIntent does not require an action.");
      return this._challenge(options.clientSecret);
    }

    /**
     * The 3-D Secure challenge: a modal with Stripe's test page, on the sandbox's origin.
     * @param {string} secret @returns {Promise<PaymentIntentResult>}
     */
    _challenge(secret) {
      return new Promise((resolve) => {
        const overlay = document.createElement("div");
        overlay.setAttribute("role", "dialog");
        overlay.setAttribute("aria-label", "Card authentication");
        overlay.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:2147483647";
        const frame = document.createElement("iframe");
        frame.name = "stripe-challenge-frame";
        frame.title = "3D Secure challenge";
        frame.style.cssText = "border:0;border-radius:8px;background:#fff;width:min(400px,92vw);height:340px";
        frame.src = `${ORIGIN}/stripe/challenge.html#${encodeURIComponent(JSON.stringify({ origin: location.origin }))}`;
        overlay.appendChild(frame);
        document.body.appendChild(overlay);
        /** @param {MessageEvent} ev */
        const onMessage = (ev) => {
          if (ev.origin !== ORIGIN || ev.source !== frame.contentWindow) return;
          if (ev.data?.type === "ready") frame.contentWindow?.postMessage({ type: "challenge", key: this._key, account: this._account, clientSecret: secret }, ORIGIN);
          if (ev.data?.type === "challenge-result") {
            window.removeEventListener("message", onMessage);
            overlay.remove();
            /** @type {PaymentIntentResult} */
            const result = ev.data.result;
            const pi = result.paymentIntent;
            if (pi && pi.status === "requires_payment_method") {
              const last = pi.last_payment_error;
              resolve({ error: /** @type {StripeError} */ ({ type: "invalid_request_error", code: "payment_intent_authentication_failure", message: last?.message, payment_intent: pi }) });
            } else {
              resolve(result);
            }
          }
        };
        window.addEventListener("message", onMessage);
      });
    }

    /** @param {{name: string}} _info */
    registerAppInfo(_info) {}
    /** @param {object} _wrapper */
    _registerWrapper(_wrapper) {}
  }

  /** @param {string} key @param {{stripeAccount?: string}} [options] */
  function Stripe(key, options) {
    return new StripeInstance(key, options);
  }
  Stripe.version = 3;
  // Conformance: instances fit @stripe/stripe-js's declarations of these methods.
  /** @type {(key: string) => Pick<import("@stripe/stripe-js").Stripe, "retrievePaymentIntent" | "confirmPayment" | "registerAppInfo">} */
  const conforming = Stripe;
  void conforming;
  /** @type {any} */ (window).Stripe = Stripe;
})();
