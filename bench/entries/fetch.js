// A hand-written fetch() baseline: the same requests as cl-checkout, no
// validation, no error mapping, no flattening beyond what each flow returns.
let base, headers;
export async function setup(cfg) {
  base = `${cfg.base}/api`;
  headers = { Accept: "application/vnd.api+json", "Content-Type": "application/vnd.api+json", Authorization: `Bearer ${cfg.token}` };
}

async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify({ data: body }) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
const patch = (order, attributes, query = "") => call("PATCH", `/orders/${order}${query}`, { type: "orders", id: order, attributes });
const included = (doc, type) => (doc.included ?? []).filter((r) => r.type === type);

export const flows = {
  stripeSource: async (order) => {
    const doc = await call("GET", `/orders/${order}?include=payment_method&fields[orders]=payment_method`);
    const type = included(doc, "payment_methods")[0].attributes.payment_source_type;
    const created = await call("POST", `/${type}`, { type, attributes: {}, relationships: { order: { data: { type: "orders", id: order } } } });
    return created.data.attributes.client_secret;
  },
  saveToWallet: (order) =>
    patch(order, { _save_payment_source_to_customer_wallet: true }, "?include=available_customer_payment_sources").then((d) => included(d, "customer_payment_sources")),
  listWallet: (order) =>
    call("GET", `/orders/${order}?include=available_customer_payment_sources&fields[orders]=available_customer_payment_sources`).then((d) => included(d, "customer_payment_sources")),
  reuse: (order, cps) => patch(order, { _customer_payment_source_id: cps }, "?include=payment_method,payment_source"),
  createCustomerPaymentSource: (customer, source) =>
    call("POST", "/customer_payment_sources", {
      type: "customer_payment_sources",
      attributes: {},
      relationships: { customer: { data: { type: "customers", id: customer } }, payment_source: { data: { type: "stripe_payments", id: source } } },
    }),
  place: (order) => patch(order, { _place: true }, "?include=payment_method,payment_source"),
  order: (order) => call("GET", `/orders/${order}?include=line_items,payment_method,payment_source`),
};
