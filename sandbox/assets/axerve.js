// @ts-check
// cl-sandbox's offline stand-in for Axerve's lightbox (pagam/javascript/axerve.js,
// which sets window.axerve): axerve.lightBox.shop, then
// axerve.lightBox.open(paymentID, paymentToken, callback); the payment page
// opens in a frame on the sandbox's origin and the callback gets its
// response ({ status: "OK" | "KO", ... }). For tests and demos only.

/** @typedef {{ status: "OK" | "KO", paymentID?: string, transactionResult?: string, error?: { code: string, description: string } }} AxerveResponse */

const axerveLightBox = {
  shop: "",
  /** @param {string} paymentID @param {string} paymentToken @param {(response: AxerveResponse) => void} callback */
  open(paymentID, paymentToken, callback) {
    const query = `paymentID=${encodeURIComponent(paymentID)}&shop=${encodeURIComponent(axerveLightBox.shop)}`;
    kitModal(`/gateways/axerve/lightbox/${encodeURIComponent(paymentToken)}?${query}`, "Axerve payment").then(callback);
  },
};

/** @type {any} */ (window).axerve ??= {};
/** @type {any} */ (window).axerve.lightBox ??= axerveLightBox;
