// The official @commercelayer/sdk v7 (tree-shaken imports, Stripe only, its
// default queries) doing the benchmark's calls. Its fetch is pointed at the
// sandbox's origin; nothing else is changed.
import CommerceLayer, { orders, stripe_payments, customer_payment_sources, customers } from "@commercelayer/sdk";

export async function setup({ base, token }) {
  CommerceLayer({
    organization: "sandbox",
    accessToken: token,
    fetch: (url, init) => fetch(String(url).replace("https://sandbox.commercelayer.io", base), init),
  });
}

export const flows = {
  stripeSource: async (order) => {
    const o = await orders.retrieve(order, { include: ["payment_method"] });
    if (o.payment_method?.payment_source_type !== "stripe_payments") throw new Error("not a Stripe order");
    return (await stripe_payments.create({ order: orders.relationship(order) })).client_secret;
  },
  saveToWallet: (order) =>
    orders._save_payment_source_to_customer_wallet(order, { include: ["available_customer_payment_sources"] }).then((o) => o.available_customer_payment_sources),
  listWallet: (order) => orders.retrieve(order, { include: ["available_customer_payment_sources"] }).then((o) => o.available_customer_payment_sources),
  reuse: (order, cps) => orders._customer_payment_source_id(order, cps),
  createCustomerPaymentSource: (customer, source) =>
    customer_payment_sources.create({ customer: customers.relationship(customer), payment_source: { type: "stripe_payments", id: source } }),
  place: (order) => orders._place(order),
  order: (order) => orders.retrieve(order, { include: ["line_items"] }),
};
