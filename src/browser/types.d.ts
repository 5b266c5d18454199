
/** JSON data as the API sends and accepts it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Options of `new Checkout(...)`. */
export interface CheckoutOptions {
  /** Origin of your organization, e.g. "https://yourdomain.commercelayer.io" (http:// only for localhost). */
  baseUrl: string;
  /** A sales-channel or customer token, or a function returning one (or a Promise of one), called before each request. */
  accessToken: string | (() => string | Promise<string>);
  /** Per-request time limit in milliseconds (default 15000). */
  timeoutMs?: number;
  /** Aborting it stops every call of this Checkout (they reject with kind "aborted"). */
  signal?: AbortSignal;
}

/**
 * A checkout session against one Commerce Layer organization: `new Checkout(options)`
 * (the class's constructor and `free()`), and these methods. Each method that talks to the
 * API resolves with its result or rejects with a `CheckoutError`. `new Checkout` before `init()` has
 * loaded the module throws one of kind "invalid_input". After `free()` (or the end of a
 * `using` block) every method fails with kind "invalid_input"; calls already running finish, a
 * mounted Stripe Element stays in the page (its `unmount()` still removes it), and `free()` again
 * does nothing.
 */
export class Checkout {
  /** Validates the options; throws a `CheckoutError` for bad ones. */
  constructor(options: CheckoutOptions);
  /**
   * Ends this Checkout: its methods fail afterwards (see below). It holds no memory in the module,
   * so one left to the garbage collector is not a leak.
   */
  free(): void;
}
export interface Checkout {
  /** The order's payment method, or `null` when none is selected. */
  paymentMethod(orderId: string): Promise<PaymentMethod | null>;
  /**
   * Creates the payment source the order's payment method calls for. A second call for the same
   * order while one runs returns the same Promise (one payment source per click).
   */
  createPaymentSource(orderId: string, attributes?: PaymentSourceAttributes): Promise<PaymentSource>;
  /** The order with its line items, payment method and payment source. */
  order(orderId: string): Promise<Order>;
  /** The payment methods the order may use. */
  availablePaymentMethods(orderId: string): Promise<PaymentMethod[]>;
  /** Sets the order's payment method; resolves with the order. */
  selectPaymentMethod(orderId: string, paymentMethodId: string): Promise<Order>;
  /** Saves the order's payment source to the customer's wallet; resolves with the wallet. */
  saveToWallet(orderId: string): Promise<CustomerPaymentSource[]>;
  /** The customer's saved payment sources. */
  walletSources(orderId: string): Promise<CustomerPaymentSource[]>;
  /** Pays the order with a saved source; resolves with the order. */
  useWalletSource(orderId: string, customerPaymentSourceId: string): Promise<Order>;
  /** Saves a payment source to a customer's wallet. */
  createCustomerPaymentSource(input: CustomerPaymentSourceInput): Promise<CustomerPaymentSource>;
  /** Places the order; resolves with the placed order. */
  placeOrder(orderId: string): Promise<Order>;
  /**
   * Mounts Stripe's Payment Element for a `stripe_payments` source into `target` and returns
   * the handle that confirms the payment. Throws a `CheckoutError` for bad arguments.
   */
  mountStripe(stripe: StripeLike, paymentSource: PaymentSource, target: string | HTMLElement, options?: MountStripeOptions): StripePayment;
  /**
   * On the page Stripe sends the shopper back to: checks the PaymentIntent named in the URL and
   * places the order. Resolves `null` when the URL is not a Stripe return. Never confirms; never
   * places twice.
   */
  resumeStripe(stripe: StripeLike, orderId: string, url?: string): Promise<StripeOutcome | null>;
}

/** The ten payment source types of the Commerce Layer API. */
export type PaymentSourceType =
  | "adyen_payments"
  | "axerve_payments"
  | "braintree_payments"
  | "checkout_com_payments"
  | "external_payments"
  | "klarna_payments"
  | "paypal_payments"
  | "satispay_payments"
  | "stripe_payments"
  | "wire_transfers";

/** A related resource that was not included: only its identity. */
export interface ResourceRef {
  id: string;
  type: string;
}

/** Every resource: id, type, the API's attributes (snake_case) and included relationships. */
export interface Resource {
  id: string;
  type: string;
  created_at?: string;
  updated_at?: string;
  reference?: string | null;
  reference_origin?: string | null;
  metadata?: { [key: string]: JsonValue };
  [attribute: string]: JsonValue | Resource | Resource[] | ResourceRef | ResourceRef[] | undefined;
}

export interface PaymentMethod extends Resource {
  type: "payment_methods";
  payment_source_type: PaymentSourceType;
  name?: string;
  disabled_at?: string | null;
  price_amount_cents?: number;
  formatted_price_amount?: string;
}

export interface PaymentSource extends Resource {
  type: PaymentSourceType;
  /** Stripe: hand this to Stripe.js; never log or store it. */
  client_secret?: string;
  /** Stripe: the key for `Stripe(publishable_key)`. */
  publishable_key?: string;
  connected_account?: string | null;
  mismatched_amounts?: boolean;
  payment_instrument?: { [key: string]: JsonValue } | null;
}

export interface CustomerPaymentSource extends Resource {
  type: "customer_payment_sources";
  /** A printable label such as "XXXX-XXXX-XXXX-1111". */
  name?: string;
  customer_token?: string;
  payment_source_token?: string;
  payment_source?: PaymentSource | ResourceRef | null;
}

export type OrderStatus = "draft" | "pending" | "editing" | "placing" | "placed" | "approved" | "cancelled";

export interface Order extends Resource {
  type: "orders";
  number?: string | number;
  status?: OrderStatus;
  payment_status?: string;
  currency_code?: string;
  total_amount_cents?: number;
  formatted_total_amount?: string;
  payment_method?: PaymentMethod | ResourceRef | null;
  payment_source?: PaymentSource | ResourceRef | null;
}

/** Gateway attributes of a new payment source, e.g. `{ return_url }` for Stripe or PayPal. */
export type PaymentSourceAttributes = { [attribute: string]: JsonValue | undefined };

/**
 * A payment source for a customer's wallet: one the API has (`payment_source`), or a gateway's tokens for a card
 * saved without an order (`payment_source_token`, `customer_token`, `payment_method_id`). One of `payment_source`
 * and `payment_source_token` is required.
 */
export interface CustomerPaymentSourceInput {
  customer_id: string;
  payment_source?: { type: PaymentSourceType; id: string };
  /** The payment method the saved source is for. */
  payment_method_id?: string;
  /** The customer's token in the gateway (e.g. Stripe's `cus_…`). */
  customer_token?: string;
  /** The payment source's token in the gateway (e.g. Stripe's `pm_…`). */
  payment_source_token?: string;
  reference?: string;
  reference_origin?: string;
  metadata?: { [key: string]: JsonValue };
}

/** One entry of the API's JSON:API `errors` array. */
export interface ApiError {
  code: string | null;
  title: string | null;
  detail: string | null;
  /** The HTTP status as a string, as Commerce Layer sends it. */
  status: string | null;
  source: { pointer?: string; parameter?: string; [key: string]: JsonValue | undefined } | null;
  meta: { [key: string]: JsonValue } | null;
}

export type CheckoutErrorKind =
  | "api"
  | "network"
  | "timeout"
  | "aborted"
  | "decode"
  | "invalid_input"
  | "no_payment_method"
  | "unsupported_source_type"
  | "stripe"
  | "gateway";

/** Every rejection and throw of this module. Tokens and client secrets never appear in it. */
export interface CheckoutError extends Error {
  name: "CheckoutError";
  kind: CheckoutErrorKind;
  /** The HTTP status when the API answered, else null. */
  status: number | null;
  errors: ApiError[];
  /** For kind "stripe": what Stripe.js reported; otherwise null. */
  stripe: StripeErrorDetails | null;
}

/** Tells this module's errors apart from others. */
export function isCheckoutError(value: unknown): value is CheckoutError;

/**
 * Starts reading the order the way `paymentMethod` and `createPaymentSource` begin, before `init()` has
 * loaded the `.wasm`, so the download and the first round trip overlap (one round trip less on a page that
 * opens with the payment form). Call it first, with the options you will give `new Checkout(...)`; the next
 * request any Checkout sends uses that answer if it is this very read of this order with this token, within
 * 10 s; any other request sent first drops it. Needs `accessToken` as a string; reads nothing (and never
 * throws) when an argument would be refused: the method called later reports it.
 */
export function prefetchOrder(options: CheckoutOptions, orderId: string): void;

/** The part of a Stripe.js instance the module calls; `Stripe(publishable_key)` (real or the sandbox's stand-in) fits. */
export interface StripeLike {
  elements(options: { clientSecret: string; [option: string]: unknown }): unknown;
  /** Called by the module with the group `elements()` returned (hence `never`: no caller builds that argument). */
  confirmPayment(options: { elements: never; confirmParams: { return_url: string; [param: string]: unknown }; redirect: "if_required" }): Promise<unknown>;
  retrievePaymentIntent(clientSecret: string): Promise<unknown>;
}

/**
 * What the page passes to `Stripe()` for this source: the publishable key, and on a Stripe Connect
 * account `{ stripeAccount }` (without it Stripe.js cannot find the connected account's PaymentIntent).
 * Throws a `CheckoutError` for a source that is not a usable Stripe one.
 */
export function stripeOptions(source: PaymentSource): StripeOptions;

/** `Stripe(publishableKey, options)` for a payment source, from `stripeOptions(source)`. */
export interface StripeOptions {
  publishableKey: string;
  /** `{ stripeAccount }` when the market's Stripe gateway pays a connected account (Stripe Connect). */
  options: { stripeAccount?: string };
}

/** The handle `mountStripe` returns: the mounted Payment Element, bound to one order. */
export interface StripePayment {
  /**
   * Confirms the payment with Stripe.js (3-D Secure stays in the page), then places the order.
   * A second call while one runs returns the same Promise; after success it resolves with the
   * same outcome.
   */
  confirm(options: ConfirmOptions): Promise<StripeOutcome>;
  /** Removes the Payment Element from the page (after the Checkout's `free()` too). */
  unmount(): void;
}

export interface MountStripeOptions {
  /** The order to place; defaults to the order this Checkout created the source for. */
  orderId?: string;
  /** Passed to `stripe.elements()` (e.g. `appearance`, `fonts`, `locale`); `clientSecret` is added. */
  elementsOptions?: { [option: string]: unknown };
  /** Passed to `elements.create("payment", …)` (default `{ layout: "tabs" }`). */
  paymentElementOptions?: { [option: string]: unknown };
  /** How long a `processing` payment is waited for (default 30000 ms). */
  processingTimeoutMs?: number;
}

export interface ConfirmOptions {
  /** Absolute URL Stripe returns to after a redirect-based method; call `resumeStripe` there. Never put the token in it. */
  returnUrl: string;
  /** Save the card to the customer's wallet once the order is placed. */
  saveToWallet?: boolean;
  /**
   * Passed to `stripe.confirmPayment` as Stripe documents them for the Payment Element: `payment_method_data`
   * (with `billing_details`, required when the Element was created with `fields: { billingDetails: "never" }`),
   * `shipping`, `receipt_email`, … (`return_url` is `returnUrl`).
   */
  confirmParams?: {
    payment_method_data?: { billing_details?: { [field: string]: unknown } };
    shipping?: { [field: string]: unknown };
    receipt_email?: string;
    [param: string]: unknown;
  };
}

/** What `confirm()` and `resumeStripe()` resolve with: paid and placed, or pending. */
export type StripeOutcome = StripePlaced | StripePending;

/** The payment is authorized (or captured) and the order placed. */
export interface StripePlaced {
  pending: false;
  /** The placed order. */
  order: Order;
  paymentIntent: { id: string; status: "requires_capture" | "succeeded" };
  /** The wallet after saving, when `saveToWallet` was asked for and worked. */
  wallet: CustomerPaymentSource[] | null;
  /** Why saving to the wallet failed; the order is placed regardless. */
  walletError: CheckoutError | null;
}

/**
 * The payment may still complete but has not yet (still `processing` after `processingTimeoutMs`, a voucher or
 * bank transfer to pay: `requires_action`). The order is not placed. Do not offer to pay again: tell the shopper
 * the payment is being processed; the order is placed when it completes (Commerce Layer's webhook), or call
 * `placeOrder` later.
 */
export interface StripePending {
  pending: true;
  order: null;
  paymentIntent: { id: string; status: "processing" | "requires_action" };
  wallet: null;
  walletError: null;
}

/** Stripe's own account of a failed payment (errors of kind "stripe"). */
export interface StripeErrorDetails {
  type: string | null;
  code: string | null;
  decline_code: string | null;
  message: string | null;
  payment_intent_status: string | null;
}
