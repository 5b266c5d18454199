/** The `gateways` entry point's two more methods of `Checkout`. */
export interface Checkout {
  /**
   * Runs a gateway step (what the provider's library gave) for the order's payment source:
   * placed, or an action / redirect / wait.
   */
  payWithGateway(orderId: string, step: GatewayStep, options?: GatewayPayOptions): Promise<GatewayOutcome>;
  /**
   * On the page a gateway sends the shopper back to (PayPal's `return_url`, Checkout.com's
   * `success_url`/`failure_url`, Adyen's `returnUrl`): runs the step the URL carries. Resolves
   * `null` when the URL carries none (not a return, or PayPal's cancel page).
   */
  resumeGateway(orderId: string, url?: string): Promise<GatewayOutcome | null>;
}


/**
 * What a gateway's browser library needs from a created payment source (`{ gateway, redirectUrl }`,
 * `{ gateway, clientToken }`, …), its URLs checked. Throws a `CheckoutError` for a source without a
 * gateway handoff.
 */
export function gatewayHandoff(source: PaymentSource): GatewayHandoff;

/** What a gateway's browser library needs, from `gatewayHandoff(source)`. URLs are checked (https, no credentials). */
export type GatewayHandoff =
  /** Send the shopper there (`location.assign(redirectUrl)`); they come back to your `return_url` / `redirect_url`. */
  | { gateway: "paypal_payments" | "satispay_payments"; redirectUrl: string }
  /** `Klarna.Payments.init({ client_token: clientToken })`, then `load` one container per category. */
  | { gateway: "klarna_payments"; clientToken: string; categories: JsonValue }
  /** `braintree.client.create({ authorization: clientToken })`, Hosted Fields, `threeDSecure.verifyCard`. */
  | { gateway: "braintree_payments"; clientToken: string }
  /** `AdyenCheckout({ clientKey, paymentMethodsResponse, onSubmit, onAdditionalDetails })`. */
  | { gateway: "adyen_payments"; clientKey: string; paymentMethodsResponse: JsonValue }
  /** Checkout.com's card form with `publicKey`; it gives the card token. */
  | { gateway: "checkout_com_payments"; publicKey: string }
  /** `axerve.lightBox.shop = shopLogin; axerve.lightBox.open(lightbox.paymentID, lightbox.paymentToken, callback)`;
   * `lightbox` is null unless the source was created with `{ request_token: true }`. */
  | { gateway: "axerve_payments"; shopLogin: string; lightbox: { paymentID: string; paymentToken: string } | null };

/** What a gateway's browser library (or the page it sent the shopper back to) gave. */
export type GatewayStep =
  /** PayPal's return URL carries `PayerID` (`resumeGateway` reads it for you). */
  | { gateway: "paypal_payments"; payerId: string }
  /** Klarna `authorize()` answered `{ approved: true, authorization_token }`. */
  | { gateway: "klarna_payments"; authorizationToken: string }
  /** braintree-web's nonce (after `verifyCard` when 3-D Secure applies). */
  | { gateway: "braintree_payments"; nonce: string }
  /** Adyen Web `onSubmit(state)`: `state.data` as Adyen Web types it (add `returnUrl` for redirects). */
  | { gateway: "adyen_payments"; data: object }
  /** Adyen Web `onAdditionalDetails(state)`: `state.data` (3-D Secure, redirects). */
  | { gateway: "adyen_payments"; details: object }
  /** Checkout.com's card token (`tok_…`): authorizes. */
  | { gateway: "checkout_com_payments"; token: string }
  /** Back from Checkout.com's 3-D Secure page (`resumeGateway` sees `cko-session-id`). */
  | { gateway: "checkout_com_payments"; returned: true }
  /** Back on your `redirect_url` from Satispay: asks Satispay how the payment went. */
  | { gateway: "satispay_payments" }
  /** Axerve's lightbox callback response (Commerce Layer asks Axerve for the outcome). */
  | { gateway: "axerve_payments"; paymentRequestData: object };

export interface GatewayPayOptions {
  /** Save the payment source to the customer's wallet once the order is placed. */
  saveToWallet?: boolean;
}

/**
 * What `payWithGateway` and `resumeGateway` resolve with. Only `"placed"` means paid; `"pending"` means the payment
 * may still complete (do not offer to pay again); `"action"` and `"redirect"` ask the shopper for more. A decline
 * rejects with a `CheckoutError` of kind `"gateway"` (the order stays open: ask for another method).
 */
export type GatewayOutcome =
  | { status: "placed"; order: Order; wallet: CustomerPaymentSource[] | null; walletError: CheckoutError | null }
  /** Adyen: pass `action` to `checkout.createFromAction(action).mount(…)` (or the Drop-in's `handleAction`). */
  | { status: "action"; order: null; action: { [key: string]: JsonValue }; wallet: null; walletError: null }
  /** Send the shopper to `url` (Checkout.com's 3-D Secure page); call `resumeGateway` where they come back. */
  | { status: "redirect"; order: null; url: string; wallet: null; walletError: null }
  | { status: "pending"; order: null; wallet: null; walletError: null };

