// The package's entry point (scripts/build.sh bundles it with the glue
// wasm-bindgen generates into one cl_checkout.js): the glue, and Checkout's
// class. The .wasm exports `n(options)`, which validates a Checkout's options, and one method,
// `c(kept, number, ...arguments)` (`open` and `call` in src/browser/mod.rs): one export and one
// argument shim instead of one per method. A method's number is its place in the list below;
// types.d.ts declares them.
import * as glue from "./cl_checkout.js";
import { checkoutError } from "./errors.js";

// The two CheckoutErrors the .wasm cannot build because it is not there to
// ask (before init(), after free()), by the function it builds its own with.
const usageError = (message) => checkoutError(message, "invalid_input", null, [], null);

// Before init() has the .wasm, the glue's exports fail with a TypeError on
// its missing exports; once loaded they throw only CheckoutErrors (a page's
// throwing getters are caught in the .wasm).
const asNotLoaded = (e) => (e instanceof TypeError ? usageError("The module is not loaded: await init() first.") : e);
const afterInit = (f) => (...args) => {
  try {
    return f(...args);
  } catch (e) {
    throw asNotLoaded(e);
  }
};
// A synchronous failure (stripeOptions, gatewayHandoff, mountStripe) comes back from the .wasm
// as the CheckoutError to throw: no result is an Error otherwise.
const thrown = (result) => {
  if (result instanceof Error) throw result;
  return result;
};
// The .wasm's functions of no Checkout, by number: 13 stripeOptions, 16 the gateways entry
// point's gatewayHandoff (scripts/build.sh appends its export), 17 new Checkout's (below).
const unbound = (number) => (source) => thrown(afterInit(glue.c)(null, number, source));
export const stripeOptions = unbound(13);

// A Checkout keeps no memory in the .wasm: what it keeps (the validated options and what it
// remembers; src/browser/mod.rs: open, call) is here, out of the page's sight (a logged Checkout
// shows no token), and free() lets go of it.
const kept = new WeakMap();
export class Checkout {
  constructor(options) {
    kept.set(this, unbound(17)(options));
  }
  free() {
    kept.delete(this);
  }
}
if (Symbol.dispose) Checkout.prototype[Symbol.dispose] = Checkout.prototype.free;

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
// 12 is a mounted Stripe payment's confirm (below), 13 stripeOptions (above); the
// `gateways` entry point (esbuild --define:GATEWAYS=true) has two more.
// (forEach skips the two holes).
if (GATEWAYS) (methods[14] = "payWithGateway"), (methods[15] = "resumeGateway");

// A freed Checkout (free(), or the end of its `using` block) has nothing
// kept left to answer with: its methods reject, or for mountStripe (10,
// synchronous) the error is thrown.
function call(checkout, number, ...args) {
  const keeps = kept.get(checkout);
  if (keeps) return glue.c(keeps, number, ...args);
  const freed = usageError("This Checkout was freed: create a new one.");
  return number == 10 ? freed : Promise.reject(freed);
}

methods.forEach((name, number) => {
  Checkout.prototype[name] = function (a, b, c, d) {
    return thrown(call(this, number, a, b, c, d));
  };
});

// createPaymentSource: a second call for an order while one runs shares its Promise (one
// payment source per shopper click); once it settles, the next call creates anew.
const creating = new WeakMap();
const createPaymentSource = Checkout.prototype.createPaymentSource;
Checkout.prototype.createPaymentSource = function (orderId, attributes) {
  let running = creating.get(this);
  if (!running) creating.set(this, (running = new Map()));
  if (!running.has(orderId))
    running.set(
      orderId,
      createPaymentSource.call(this, orderId, attributes).finally(() => running.delete(orderId)),
    );
  return running.get(orderId);
};

// mountStripe's handle: the mounted payment (mountStripe gives it: the
// Stripe objects, the order, the source) is kept here, and confirm hands it back.
const mountStripe = Checkout.prototype.mountStripe;
Checkout.prototype.mountStripe = function (stripe, paymentSource, target, options) {
  const payment = mountStripe.call(this, stripe, paymentSource, target, options);
  // One confirm at a time: a second call while one runs gets its Promise, and once it has
  // resolved (placed, or pending: never pay again) every call gets its outcome; after a
  // rejection the next call confirms anew.
  let confirming;
  return {
    confirm: (confirmOptions) =>
      confirming ||
      (confirming = call(this, 12, payment, confirmOptions).catch((e) => {
        confirming = null;
        throw e;
      })),
    // The handle holds Stripe's element (src/browser/stripe.rs, mount): after free() too.
    unmount: () => {
      try {
        payment.element.unmount();
      } catch {}
    },
  };
};

// The early read (types.d.ts documents prefetchOrder). Only the JavaScript
// is there before init() has the .wasm, so this starts the one request that
// paymentMethod and createPaymentSource begin with (the core builds it:
// api::payment_method_request; a native test keeps EARLY_READ equal to it).
// It waits in one slot for the next request any Checkout sends: http.rs's
// `send` takes the slot and uses the answer only when that request is this
// one, sent within 10 s; anything else sent first (a PATCH, another order)
// drops it, so no answer older than a call in between is ever used. The slot
// is on globalThis (under a registered symbol) because the .wasm's `send`
// and this module are separate modules for wasm-bindgen.
const EARLY_READ = "?include=payment_method,payment_source&fields[orders]=payment_method,payment_source&fields[stripe_payments]=mismatched_amounts";
export function prefetchOrder(options, orderId) {
  try {
    const { baseUrl, accessToken, timeoutMs } = options, origin = new URL(baseUrl).origin;
    // The core's rules at their strictest: baseUrl an origin and nothing else, https (http on loopback
    // only); a string token; the id's characters. Anything it would refuse (or spell otherwise) is not
    // read early: the method called later says what is wrong.
    if (
      baseUrl.replace(/\/$/, "").toLowerCase() != origin ||
      !/^(https:|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$))/.test(origin) ||
      typeof accessToken != "string" ||
      !accessToken ||
      typeof orderId != "string" ||
      !/^[\w-]{1,64}$/.test(orderId)
    )
      return;
    const url = `${origin}/api/orders/${orderId}${EARLY_READ}`;
    const headers = { Accept: "application/vnd.api+json", Authorization: `Bearer ${accessToken}` };
    const abort = new AbortController(), slot = Symbol.for("cl-checkout.early");
    // The Checkout's timeout (by default request::DEFAULT_TIMEOUT_MS, which a native test holds this
    // literal to); an aborted early read rejects as fetch would.
    setTimeout(() => abort.abort(new DOMException("", "TimeoutError")), timeoutMs || 15000);
    globalThis[slot]?.abort.abort();
    const answer = fetch(url, { headers, signal: abort.signal });
    answer.catch(() => {}); // unused or failed: whoever takes it sees the failure
    globalThis[slot] = { request: url + JSON.stringify(headers), answer, abort, at: Date.now() };
  } catch {
    // Not an object, not a URL: nothing to read early.
  }
}

/** Whether `value` is an error thrown or rejected by this module (types.d.ts declares it). */
export function isCheckoutError(value) {
  return value instanceof Error && value.name === "CheckoutError" && typeof value.kind === "string";
}

export { default, initSync } from "./cl_checkout.js";
