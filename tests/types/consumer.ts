// Type-checked with `tsc --noEmit --strict` against pkg/cl_checkout.d.ts:
// every public method and error field, plus misuses the types must catch.
import init, { Checkout, isCheckoutError, prefetchOrder, stripeOptions } from "../../pkg/cl_checkout.js";
import type { CheckoutError, CustomerPaymentSource, Order, PaymentMethod, PaymentSource, StripeOutcome, StripePayment } from "../../pkg/cl_checkout.js";
import type { Stripe, StripeConstructorOptions } from "@stripe/stripe-js";

export async function flow(orderId: string): Promise<string> {
  prefetchOrder({ baseUrl: "https://shop.commercelayer.io", accessToken: "token" }, orderId);
  await init();
  const checkout = new Checkout({ baseUrl: "https://shop.commercelayer.io", accessToken: async () => "token", timeoutMs: 10_000 });
  const method: PaymentMethod | null = await checkout.paymentMethod(orderId);
  const kind: string | undefined = method?.payment_source_type;
  const methods: PaymentMethod[] = await checkout.availablePaymentMethods(orderId);
  const selected: Order = await checkout.selectPaymentMethod(orderId, methods[0].id);
  const source: PaymentSource = await checkout.createPaymentSource(orderId, { return_url: "https://shop.example/back" });
  const secret: string | undefined = source.client_secret;
  const wallet: CustomerPaymentSource[] = await checkout.saveToWallet(orderId);
  const listed: CustomerPaymentSource[] = await checkout.walletSources(orderId);
  const reused: Order = await checkout.useWalletSource(orderId, listed[0].id);
  const created: CustomerPaymentSource = await checkout.createCustomerPaymentSource({
    customer_id: "CustomerA1",
    payment_source: { type: "stripe_payments", id: source.id },
    metadata: { origin: "storefront" },
  });
  const placed: Order = await checkout.placeOrder(orderId);
  return [kind, selected.status, secret, wallet.length, reused.id, created.name, placed.payment_status].join();
}

/** The page's real Stripe.js instance fits the module's parameter type. */
export async function pay(checkout: Checkout, stripe: Stripe, orderId: string): Promise<string> {
  const order: Order = await checkout.order(orderId);
  const source = await checkout.createPaymentSource(orderId);
  const { publishableKey, options } = stripeOptions(source);
  const forStripe: [string, StripeConstructorOptions] = [publishableKey, options];
  const payment: StripePayment = checkout.mountStripe(stripe, source, "#payment-element", {
    elementsOptions: { appearance: { theme: "stripe" } },
    processingTimeoutMs: 20_000,
  });
  const outcome: StripeOutcome = await payment.confirm({
    returnUrl: "https://shop.example/checkout",
    saveToWallet: true,
    confirmParams: { payment_method_data: { billing_details: { name: "Ada", email: "ada@example.com" } }, receipt_email: "ada@example.com" },
  });
  if (outcome.pending) {
    const later: null = outcome.order;
    // @ts-expect-error a pending payment has no placed order to read
    outcome.order.status;
    return ["pending", outcome.paymentIntent.status, later].join();
  }
  const status: "requires_capture" | "succeeded" = outcome.paymentIntent.status;
  const walletError: CheckoutError | null = outcome.walletError;
  const resumed: StripeOutcome | null = await checkout.resumeStripe(stripe, orderId);
  payment.unmount();
  // @ts-expect-error confirm needs the returnUrl
  await payment.confirm({});
  return [forStripe[0], order.id, status, walletError?.kind, resumed?.pending ? "pending" : resumed?.order.status].join();
}

export function describe(e: unknown): string {
  if (isCheckoutError(e)) {
    const err: CheckoutError = e;
    const status: number | null = err.status;
    const codes: (string | null)[] = err.errors.map((x) => x.code);
    const pointer: string | undefined = err.errors[0]?.source?.pointer;
    const decline: string | null | undefined = err.stripe?.decline_code;
    return `${err.kind} ${status} ${codes.join()} ${pointer} ${decline}`;
  }
  return String(e);
}

export async function misuse(checkout: Checkout) {
  // @ts-expect-error baseUrl is required
  new Checkout({ accessToken: "t" });
  // @ts-expect-error accessToken must be a string or a function
  new Checkout({ baseUrl: "https://x.example", accessToken: 42 });
  // @ts-expect-error order ids are strings
  await checkout.paymentMethod(42);
  // @ts-expect-error prefetchOrder takes the Checkout's options
  prefetchOrder({ accessToken: "t" }, "o1");
  // @ts-expect-error attributes are JSON data
  await checkout.createPaymentSource("o1", { when: new Date() });
  // @ts-expect-error payment_source.type is one of the ten types
  await checkout.createCustomerPaymentSource({ customer_id: "c", payment_source: { type: "cash", id: "x" } });
  // @ts-expect-error kind is a closed set
  const k: CheckoutError["kind"] = "oops";
  // @ts-expect-error the wallet is a list
  const one: CustomerPaymentSource = await checkout.walletSources("o1");
  return [k, one];
}
