// cl-checkout doing the benchmark's calls.
import init, { Checkout } from "cl-checkout";

let co;
export async function setup({ base, token }) {
  await init();
  co = new Checkout({ baseUrl: base, accessToken: token });
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
