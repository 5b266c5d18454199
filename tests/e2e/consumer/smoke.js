// A storefront's smoke checkout, as a consumer writes it against the
// published package; the sandbox URL comes from the page's query string.
import init, { Checkout, isCheckoutError } from "cl-checkout";

const sandbox = new URLSearchParams(location.search).get("sandbox");
const out = document.getElementById("out");

async function run() {
  await init();
  const seed = await (await fetch(`${sandbox}/sandbox/seed`)).json();
  const auth = await fetch(`${sandbox}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: seed.client_id, scope: seed.scope }),
  });
  const { access_token } = await auth.json();
  const order = (await (await fetch(`${sandbox}/sandbox/orders`, { method: "POST", body: JSON.stringify({ payment_source_type: "wire_transfers" }) })).json()).id;
  const checkout = new Checkout({ baseUrl: sandbox, accessToken: access_token });
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
