// cl-checkout doing the benchmark's calls.
import init, { Checkout, prefetchOrder } from "cl-checkout";

let co;
export async function setup({ base, token, order }) {
  const options = { baseUrl: base, accessToken: token };
  // As README "Loading it in a page" recommends: the order's first read overlaps the .wasm's download.
  if (order) prefetchOrder(options, order);
  // The page's head may have started the .wasm's download (README "Loading it in a page"; the preload pages do).
  await init(self.clCheckoutWasm && { module_or_path: self.clCheckoutWasm });
  co = new Checkout(options);
}

export const flows = {
  stripeSource: (order) => co.createPaymentSource(order).then((s) => s.client_secret),
  saveToWallet: (order) => co.saveToWallet(order),
  listWallet: (order) => co.walletSources(order),
  reuse: (order, cps) => co.useWalletSource(order, cps),
  createCustomerPaymentSource: (customer, source) =>
    co.createCustomerPaymentSource({ customer_id: customer, payment_source: { type: "stripe_payments", id: source } }),
  place: (order) => co.placeOrder(order),
  order: (order) => co.order(order),
};
