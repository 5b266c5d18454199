// A CheckoutError as JavaScript sees it: an Error with these fields. The
// .wasm builds every one through this function (error_to_js in convert.rs),
// and methods.js the two it cannot (before init(), after free()); the build
// bundles this file once for both.
export function checkoutError(message, kind, status, errors, stripe) {
  return Object.assign(Error(message), { name: "CheckoutError", kind, status, errors, stripe });
}
