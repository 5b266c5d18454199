// Type-checked with `tsc --noEmit --strict` against pkg/gateways/cl_checkout.d.ts:
// the gateways entry point's handoffs, steps and outcomes, plus misuses the types must catch.
import init, { Checkout, gatewayHandoff } from "../../pkg/gateways/cl_checkout.js";
import type { GatewayHandoff, GatewayOutcome, Order, PaymentSource } from "../../pkg/gateways/cl_checkout.js";

export async function pay(orderId: string, nonce: string): Promise<string> {
  await init();
  const checkout = new Checkout({ baseUrl: "https://shop.commercelayer.io", accessToken: "token" });
  const source: PaymentSource = await checkout.createPaymentSource(orderId);
  const handoff: GatewayHandoff = gatewayHandoff(source);
  if (handoff.gateway === "braintree_payments") {
    const token: string = handoff.clientToken;
    void token;
  }
  if (handoff.gateway === "paypal_payments") {
    const url: string = handoff.redirectUrl;
    void url;
  }
  const back: GatewayOutcome | null = await checkout.resumeGateway(orderId);
  // @ts-expect-error a step names its gateway
  await checkout.payWithGateway(orderId, { nonce });
  // @ts-expect-error PayPal's step needs the payer id
  await checkout.payWithGateway(orderId, { gateway: "paypal_payments" });
  void back;
  // @ts-expect-error Adyen's state.data is an object, not a string
  await checkout.payWithGateway(orderId, { gateway: "adyen_payments", data: "state" });
  // @ts-expect-error Axerve's lightbox hands back its response object
  await checkout.payWithGateway(orderId, { gateway: "axerve_payments", paymentRequestData: "OK" });
  if (handoff.gateway === "axerve_payments" && handoff.lightbox) {
    const token: string = handoff.lightbox.paymentToken;
    void token;
  }
  const outcome: GatewayOutcome = await checkout.payWithGateway(orderId, { gateway: "braintree_payments", nonce }, { saveToWallet: true });
  switch (outcome.status) {
    case "placed": {
      const order: Order = outcome.order;
      return order.id;
    }
    case "action":
      return JSON.stringify(outcome.action);
    case "redirect":
      return outcome.url;
    case "pending":
      // @ts-expect-error a pending payment has no placed order to read
      return outcome.order.id;
  }
}
