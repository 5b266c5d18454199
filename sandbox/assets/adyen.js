// @ts-check
// cl-sandbox's offline stand-in for Adyen Web 6 (the `adyen.js` build that
// sets window.AdyenWeb): AdyenCheckout, Card and Dropin (cards only) in the
// advanced flow: onSubmit(state, component, actions) with actions.resolve /
// reject, a redirect action followed, onPaymentCompleted / onPaymentFailed.
// Types from @adyen/adyen-web; for tests and demos only.
/** @typedef {import("@adyen/adyen-web").CoreConfiguration} CoreConfiguration */
/** @typedef {import("@adyen/adyen-web").CardConfiguration} CardConfiguration */
/** @typedef {import("@adyen/adyen-web").CheckoutAdvancedFlowResponse} AdvancedFlowResponse */
/** @typedef {import("@adyen/adyen-web").PaymentAction} PaymentAction */
/** @typedef {import("@adyen/adyen-web").SubmitData} SubmitData */
/** @typedef {import("@adyen/adyen-web").SubmitActions} SubmitActions */
/** @typedef {import("@adyen/adyen-web").UIElement} UIElement */

/** What `AdyenCheckout` resolves with: the part of Core a page touches. */
class AdyenStandInCore {
  /** @param {CoreConfiguration} options */
  constructor(options) {
    this.options = options;
    this.paymentMethodsResponse = options.paymentMethodsResponse ?? {};
  }
  /** @param {PaymentAction} action */
  createFromAction(action) {
    return new AdyenStandInAction(this, action);
  }
  /** @param {{ details: Record<string, any>, paymentData?: string }} data */
  submitDetails(data) {
    const actions = { resolve: () => {}, reject: () => {} };
    this.options.onAdditionalDetails?.({ data }, /** @type {UIElement} */ (/** @type {unknown} */ (null)), actions);
  }
}

/** A redirect action: mounting it sends the shopper to the action's URL. */
class AdyenStandInAction {
  /** @param {AdyenStandInCore} core @param {PaymentAction} action */
  constructor(core, action) {
    this.core = core;
    this.action = action;
  }
  /** @param {string | HTMLElement} _target */
  mount(_target) {
    if (this.action.type !== "redirect" || !this.action.url) throw new Error(`Adyen stand-in: action type ${this.action.type} is not emulated`);
    location.assign(this.action.url);
    return this;
  }
}

class AdyenStandInCard {
  /** @param {AdyenStandInCore} checkout @param {CardConfiguration} [props] */
  constructor(checkout, props = {}) {
    if (!(checkout instanceof AdyenStandInCore)) throw new Error("Adyen stand-in: pass the instance AdyenCheckout() resolved with");
    this.core = checkout;
    this.props = props;
    this.card = new CardFrame("adyen", { key: checkout.options.clientKey, holder: !!props.hasHolderName }, (ev) => {
      if (ev.type === "change") props.onChange?.({ data: { clientStateDataIndicator: true, paymentMethod: { type: "scheme" } }, isValid: ev.valid }, /** @type {any} */ (this));
    });
  }
  get isValid() {
    return this.card.valid;
  }
  /** @param {string | HTMLElement} target */
  mount(target) {
    const el = kitElement(target, "Adyen");
    el.classList.add("adyen-checkout__card-input");
    this.card.mount(el, "Card details (Adyen)");
    return this;
  }
  unmount() {
    this.card.unmount();
    return this;
  }
  /** The pay button's job: collect the card, call onSubmit, follow what the page resolves with. */
  async submit() {
    const got = await this.card.collect();
    if (!got.ok) return;
    const options = this.core.options;
    /** @type {SubmitData} */
    const state = { data: { clientStateDataIndicator: true, paymentMethod: got.ok.paymentMethod, browserInfo: { acceptHeader: "*/*", colorDepth: 24, language: navigator.language, javaEnabled: false, screenHeight: screen.height, screenWidth: screen.width, userAgent: navigator.userAgent, timeZoneOffset: new Date().getTimezoneOffset() } }, isValid: true };
    /** @type {Promise<AdvancedFlowResponse>} */
    const answered = new Promise((resolve, reject) => {
      /** @type {SubmitActions} */
      const actions = { resolve, reject };
      const submit = this.props.onSubmit ?? options.onSubmit;
      if (!submit) reject(new Error("Adyen stand-in: onSubmit is required in the advanced flow"));
      else submit(state, /** @type {any} */ (this), actions);
    });
    const self = /** @type {UIElement} */ (/** @type {unknown} */ (this));
    try {
      const response = await answered;
      if (response.action) return this.handleAction(response.action);
      if (["Authorised", "Received", "Pending"].includes(response.resultCode)) options.onPaymentCompleted?.({ resultCode: response.resultCode }, self);
      else options.onPaymentFailed?.({ resultCode: response.resultCode }, self);
    } catch {
      options.onPaymentFailed?.(undefined, self);
    }
  }
  /** @param {PaymentAction} action */
  handleAction(action) {
    this.core.createFromAction(action).mount(document.body);
    return this;
  }
}

class AdyenStandInDropin extends AdyenStandInCard {
  /** @param {string | HTMLElement} target */
  mount(target) {
    const el = kitElement(target, "Adyen");
    const heading = document.createElement("p");
    const cards = /** @type {any[]} */ (this.core.paymentMethodsResponse.paymentMethods ?? []).find((m) => m.type === "scheme");
    heading.textContent = cards ? `${cards.name} (${(cards.brands ?? []).join(", ")})` : "Cards";
    el.appendChild(heading);
    return super.mount(el);
  }
}

/**
 * @param {CoreConfiguration} props
 * @returns {Promise<AdyenStandInCore>}
 */
async function AdyenCheckout(props) {
  if (!props?.clientKey?.startsWith("test_")) throw new Error("Adyen stand-in: a test client key (test_...) is required");
  return new AdyenStandInCore(props);
}

// Conformance: the stand-in takes what @adyen/adyen-web's AdyenCheckout takes.
/** @type {(props: Parameters<typeof import("@adyen/adyen-web").AdyenCheckout>[0]) => Promise<Pick<import("@adyen/adyen-web").ICore, "options" | "submitDetails">>} */
const adyenConforms = AdyenCheckout;
void adyenConforms;

if (!(/** @type {any} */ (window).AdyenWeb)) {
  /** @type {any} */ (window).AdyenWeb = { AdyenCheckout, Card: AdyenStandInCard, Dropin: AdyenStandInDropin };
}
