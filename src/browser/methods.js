// The package's entry point (scripts/build.sh bundles it with the glue
// wasm-bindgen generates into one cl_checkout.js): the glue, and Checkout's
// methods. The .wasm exports one method, `c(number, ...arguments)`
// (Checkout::call in src/browser/mod.rs): one export and one argument shim
// instead of one per method. A method's number is its place in this list;
// types.d.ts declares them.
import { Checkout } from "./cl_checkout.js";

const methods = [
  "paymentMethod",
  "createPaymentSource",
  "order",
  "availablePaymentMethods",
  "selectPaymentMethod",
  "saveToWallet",
  "walletSources",
  "useWalletSource",
  "createCustomerPaymentSource",
  "placeOrder",
  "mountStripe",
  "resumeStripe",
];
// 12 and 13 are a mounted Stripe payment's confirm and unmount (below); the
// `gateways` entry point (esbuild --define:GATEWAYS=true) has two more.
// (forEach skips the two holes).
if (GATEWAYS) (methods[14] = "payWithGateway"), (methods[15] = "resumeGateway");

// A synchronous failure (mountStripe's bad arguments) comes back as the
// CheckoutError to throw: no method has an Error as its result.
methods.forEach((name, number) => {
  Checkout.prototype[name] = function (a, b, c, d) {
    const result = this.c(number, a, b, c, d);
    if (result instanceof Error) throw result;
    return result;
  };
});

// mountStripe's handle: the Checkout keeps the mounted payment (mountStripe
// gives its number), and the handle's two methods call it.
const mountStripe = Checkout.prototype.mountStripe;
Checkout.prototype.mountStripe = function (stripe, paymentSource, target, options) {
  const payment = mountStripe.call(this, stripe, paymentSource, target, options);
  return {
    confirm: (confirmOptions) => this.c(12, payment, confirmOptions),
    unmount: () => void this.c(13, payment),
  };
};

/** Whether `value` is an error thrown or rejected by this module (types.d.ts declares it). */
export function isCheckoutError(value) {
  return value instanceof Error && value.name === "CheckoutError" && typeof value.kind === "string";
}

export * from "./cl_checkout.js";
export { default } from "./cl_checkout.js";
