// @ts-check
// cl-sandbox's offline stand-in for Klarna Payments (kp/lib/v1/api.js, which
// sets window.Klarna.Payments): init, load (the category's widget, a frame
// on the sandbox's origin) and authorize, callback style as Klarna documents
// them. Authorization is decided by the sandbox (emails with +denied@ are not
// approved); no confirmation popup is emulated. For tests and demos only.

/**
 * @typedef {{ show_form: boolean, error?: { invalid_fields?: string[] } }} KlarnaLoadResult
 * @typedef {{ approved: boolean, show_form: boolean, authorization_token?: string, finalize_required?: boolean, error?: { invalid_fields?: string[] } }} KlarnaAuthorizeResult
 * @typedef {{ payment_method_category?: string, container?: string | HTMLElement, instance_id?: string, auto_finalize?: boolean }} KlarnaOptions
 * @typedef {{ billing_address?: { email?: string, [key: string]: unknown }, [key: string]: unknown }} KlarnaData
 */

/** @type {string | null} */
let klarnaClientToken = null;

const KlarnaPayments = {
  /** @param {{ client_token: string }} options */
  init(options) {
    if (!options?.client_token) throw new Error("Klarna stand-in: init needs a client_token");
    klarnaClientToken = options.client_token;
  },
  /**
   * @param {KlarnaOptions} options
   * @param {KlarnaData | ((result: KlarnaLoadResult) => void)} [data]
   * @param {(result: KlarnaLoadResult) => void} [callback]
   */
  load(options, data, callback) {
    const done = typeof data === "function" ? data : callback;
    if (!klarnaClientToken || !options.container) return done?.({ show_form: false, error: { invalid_fields: ["client_token"] } });
    const el = kitElement(options.container, "Klarna");
    const frame = document.createElement("iframe");
    frame.title = "Klarna";
    frame.style.cssText = "border:0;width:100%;height:96px;display:block";
    frame.src = `${KIT_ORIGIN}/gateways/klarna/widget?category=${encodeURIComponent(options.payment_method_category ?? "")}`;
    el.replaceChildren(frame);
    frame.addEventListener("load", () => done?.({ show_form: true }), { once: true });
  },
  /**
   * @param {KlarnaOptions} options
   * @param {KlarnaData | ((result: KlarnaAuthorizeResult) => void)} [data]
   * @param {(result: KlarnaAuthorizeResult) => void} [callback]
   */
  authorize(options, data, callback) {
    const done = typeof data === "function" ? data : callback;
    const body = { client_token: klarnaClientToken, payment_method_category: options.payment_method_category, ...(typeof data === "object" ? data : {}) };
    kitPost("/gateways/klarna/authorize", body).then(
      (result) => done?.(result),
      () => done?.({ approved: false, show_form: true, error: { invalid_fields: [] } }),
    );
  },
};

/** @type {any} */ (window).Klarna ??= {};
/** @type {any} */ (window).Klarna.Payments ??= KlarnaPayments;
