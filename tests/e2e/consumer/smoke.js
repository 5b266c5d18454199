// A storefront's smoke checkout, as a consumer writes it against the
// published package. The page's query string brings what a storefront's own
// server would: the API's URL, an access token and the order (cart) id.
import init, { Checkout, isCheckoutError, prefetchOrder } from "cl-checkout";

const query = new URLSearchParams(location.search);
const sandbox = query.get("sandbox");
const out = document.getElementById("out");

async function run() {
  const order = query.get("order");
  const options = { baseUrl: sandbox, accessToken: query.get("token") };
  prefetchOrder(options, order); // paymentMethod's read starts while the .wasm loads
  await init();
  const checkout = new Checkout(options);
  const method = await checkout.paymentMethod(order);
  const source = await checkout.createPaymentSource(order);
  const placed = await checkout.placeOrder(order);
  let guard = false;
  try {
    await checkout.paymentMethod("../x");
  } catch (e) {
    guard = isCheckoutError(e) && e.kind === "invalid_input";
  }
  return `${method.payment_source_type} ${source.type} ${placed.status} ${guard}`;
}

run().then(
  (text) => (out.textContent = text),
  (e) => (out.textContent = `failed: ${e.message}`),
);
