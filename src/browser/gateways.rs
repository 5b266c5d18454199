//! The other gateways' handoffs (PayPal, Klarna, Adyen, Braintree,
//! Checkout.com, Satispay, Axerve), only in the `gateways` build
//! (`cl-checkout/gateways`): a Stripe-only page downloads none of it.
//! The core decides (`crate::gateway`, `crate::flow::Authorize`); this file
//! reads the arguments and converts the outcome.

use wasm_bindgen::prelude::*;

use super::convert::{error_to_js, is_plain_object, js_to_json, json_to_js, with_wallet};
use super::js::{get, kind, Kind, Promise};
use super::{arg_object, arg_string, location_href, spawn, url_arg, Checkout, Finish};
use crate::error::CheckoutError;
use crate::flow::{Authorize, Finished, Flow};
use crate::gateway::{self, GatewayStep};
use crate::json::Json;
use crate::validate::SourceType;

#[wasm_bindgen(typescript_custom_section)]
const GATEWAY_TYPES: &str = include_str!("gateways.d.ts");

impl Checkout {
    /// Runs a gateway step (what the provider's library gave) for the
    /// order's payment source: placed, or an action / redirect / wait.
    pub fn pay_with_gateway(&self, order_id: JsValue, step: JsValue, options: JsValue) -> Promise {
        let flow = (|| -> Result<Box<dyn Flow>, CheckoutError> {
            let order_id = arg_string(&order_id, "order id")?;
            let step = GatewayStep::read(&arg_object(&step, "step")?)?;
            let save = match kind(&get(&options, "saveToWallet")) {
                Kind::Undefined | Kind::False => false,
                Kind::True => true,
                _ => return Err(CheckoutError::invalid_input("saveToWallet must be a boolean.")),
            };
            Ok(Box::new(Authorize::new(&order_id, step, save, self.inner.refreshable())?))
        })();
        spawn(self.inner.clone(), flow, None, Finish::Gateway)
    }

    /// On the page a gateway sends the shopper back to (PayPal's
    /// `return_url`, Checkout.com's `success_url`/`failure_url`, Adyen's
    /// `returnUrl`): runs the step the URL carries. Resolves `null` when the
    /// URL carries none (not a return, or PayPal's cancel page).
    pub fn resume_gateway(&self, order_id: JsValue, url: JsValue) -> Promise {
        // A bad order id is refused even on a page that is not a return (as resumeStripe does).
        let read = || -> Result<(String, String), CheckoutError> {
            let id = arg_string(&order_id, "order id")?;
            crate::validate::id("order id", &id)?;
            Ok((id, url_arg(&url, location_href())?))
        };
        let (id, url) = match read() {
            Ok(both) => both,
            Err(e) => return spawn(self.inner.clone(), Err(e), None, Finish::Gateway),
        };
        let Some(step) = gateway::read_return_url(&url) else {
            return Promise::resolve(&JsValue::NULL);
        };
        let flow = Authorize::new(&id, step, false, self.inner.refreshable()).map(|f| Box::new(f) as Box<dyn Flow>);
        spawn(self.inner.clone(), flow, None, Finish::Gateway)
    }
}

/// `gatewayHandoff(source)` (method 16 of `call`; `methods.js` throws the
/// error): what a gateway's browser library needs from a created payment
/// source (`{ gateway, redirectUrl }`, `{ gateway, clientToken }`, …), its
/// URLs checked.
pub(super) fn gateway_handoff(source: &JsValue) -> JsValue {
    read_handoff(source).map(|h| json_to_js(&h)).unwrap_or_else(error_to_js)
}

fn read_handoff(source: &JsValue) -> Result<Json, CheckoutError> {
    if !is_plain_object(source) {
        return Err(CheckoutError::invalid_input("gatewayHandoff needs the payment source createPaymentSource resolved with."));
    }
    let ty = SourceType::parse(&get(source, "type").as_string().unwrap_or_default())?;
    gateway::handoff(ty, &js_to_json(source, &mut String::from("source"), 0)?)
}

/// The outcome object: `{ status, order, action?, url?, wallet, walletError }`.
pub(super) fn outcome(finished: Finished) -> JsValue {
    with_wallet(json_to_js(&finished.value), finished.paid.and_then(|p| p.wallet))
}
