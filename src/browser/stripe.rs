//! The Stripe handoff at the edge: calls the page's Stripe.js (real or the
//! sandbox's stand-in) and follows the decisions of `crate::stripe`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{error_to_js, is_plain_object};
use super::http::sleep;
use super::{get, Inner};
use crate::error::{CheckoutError, StripeDetails};
use crate::stripe::{intent_failed, next_step, read_return_url, stripe_error, valid_client_secret, Next};

const POLL_MS: u32 = 1000;
const DEFAULT_PROCESSING_LIMIT_MS: f64 = 30_000.0;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn now() -> f64;
}

/// A mounted Payment Element bound to one order; `confirm()` pays and places it.
#[wasm_bindgen]
pub struct StripePayment {
    state: Rc<PaymentState>,
}

pub(super) struct PaymentState {
    checkout: Rc<Inner>,
    stripe: JsValue,
    elements: JsValue,
    element: JsValue,
    order_id: String,
    /// Only ever handed to Stripe.js.
    client_secret: String,
    processing_limit_ms: f64,
    in_flight: RefCell<Option<Promise>>,
    outcome: RefCell<Option<JsValue>>,
}

/// Calls `obj[name](...args)`; a throw becomes a `stripe` error (Stripe.js
/// throws on integration mistakes) without its text, which may quote secrets.
fn call(obj: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, CheckoutError> {
    let f: Function = get(obj, name).dyn_into().map_err(|_| {
        let mut m = String::from("The Stripe object has no ");
        m.push_str(name);
        m.push_str("(): pass the instance returned by Stripe(publishable_key).");
        CheckoutError::invalid_input(m)
    })?;
    let arr: js_sys::Array = args.iter().collect();
    f.apply(obj, &arr).map_err(|_| {
        let mut m = String::from("Stripe.js threw in ");
        m.push_str(name);
        m.push_str("(): check the Stripe integration (mount target, keys, Elements options).");
        CheckoutError::new(crate::error::ErrorKind::Stripe, m)
    })
}

async fn settle(value: JsValue) -> Result<JsValue, CheckoutError> {
    JsFuture::from(Promise::resolve(&value))
        .await
        .map_err(|_| CheckoutError::new(crate::error::ErrorKind::Stripe, "A Stripe.js call was rejected; try again."))
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

fn text(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

fn details_of(error: &JsValue) -> StripeDetails {
    StripeDetails {
        error_type: text(error, "type"),
        code: text(error, "code"),
        decline_code: text(error, "decline_code"),
        message: text(error, "message"),
        payment_intent_status: text(&get(error, "payment_intent"), "status"),
    }
}

impl PaymentState {
    pub(super) fn mount(
        checkout: Rc<Inner>,
        stripe: JsValue,
        source: &JsValue,
        target: &JsValue,
        options: &JsValue,
    ) -> Result<PaymentState, CheckoutError> {
        if !stripe.is_object() {
            return Err(CheckoutError::invalid_input("mountStripe needs the page's Stripe instance: Stripe(publishable_key)."));
        }
        if text(source, "type").as_deref() != Some("stripe_payments") {
            return Err(CheckoutError::invalid_input(
                "mountStripe needs a stripe_payments payment source (from createPaymentSource or useWalletSource).",
            ));
        }
        let client_secret = text(source, "client_secret").filter(|s| valid_client_secret(s)).ok_or_else(|| {
            CheckoutError::invalid_input("The payment source has no usable client_secret; create the payment source again.")
        })?;
        if !(target.is_string() || target.is_object()) {
            return Err(CheckoutError::invalid_input("The mount target must be a CSS selector or an element."));
        }
        let options = if options.is_undefined() { Object::new().into() } else { options.clone() };
        if !is_plain_object(&options) {
            return Err(CheckoutError::invalid_input("mountStripe options must be a plain object."));
        }
        let source_id = text(source, "id").unwrap_or_default();
        let remembered = checkout.source_orders.get(&source_id);
        let order_id = text(&options, "orderId").or(remembered).ok_or_else(|| {
            CheckoutError::invalid_input("Pass options.orderId: this Checkout did not create that payment source.")
        })?;
        crate::validate::id("order id", &order_id)?;
        let processing_limit_ms = get(&options, "processingTimeoutMs").as_f64().unwrap_or(DEFAULT_PROCESSING_LIMIT_MS);

        let elements_options = get(&options, "elementsOptions");
        let elements_options = if elements_options.is_object() {
            Object::assign(&Object::new(), elements_options.unchecked_ref())
        } else {
            Object::new()
        };
        let _ = Reflect::set(&elements_options, &"clientSecret".into(), &client_secret.as_str().into());
        let elements = call(&stripe, "elements", &[elements_options.into()])?;
        let element_options = get(&options, "paymentElementOptions");
        let element_options = if element_options.is_object() { element_options } else { obj(&[("layout", "tabs".into())]) };
        let element = call(&elements, "create", &["payment".into(), element_options])?;
        call(&element, "mount", std::slice::from_ref(target))?;
        Ok(PaymentState {
            checkout,
            stripe,
            elements,
            element,
            order_id,
            client_secret,
            processing_limit_ms,
            in_flight: RefCell::new(None),
            outcome: RefCell::new(None),
        })
    }

    async fn confirm(self: Rc<Self>, return_url: String, save_to_wallet: bool) -> Result<JsValue, CheckoutError> {
        let params = obj(&[
            ("elements", self.elements.clone()),
            ("confirmParams", obj(&[("return_url", return_url.as_str().into())])),
            ("redirect", "if_required".into()),
        ]);
        let result = settle(call(&self.stripe, "confirmPayment", &[params])?).await?;
        let error = get(&result, "error");
        let intent = if error.is_object() {
            // A double submit reports an error for an intent that is already paid.
            let intent = get(&error, "payment_intent");
            match text(&intent, "status").as_deref().map(next_step) {
                Some(Next::Place) => intent,
                _ => return Err(stripe_error(details_of(&error))),
            }
        } else {
            get(&result, "paymentIntent")
        };
        let intent = settled_intent(&self.stripe, &self.client_secret, self.processing_limit_ms, intent).await?;
        let order = self.checkout.place_once(&self.order_id).await?;
        let (wallet, wallet_error) = if save_to_wallet {
            match self.checkout.save_to_wallet(&self.order_id).await {
                Ok(list) => (list, JsValue::NULL),
                Err(e) => (JsValue::NULL, error_to_js(e)),
            }
        } else {
            (JsValue::NULL, JsValue::NULL)
        };
        let outcome = outcome(order, &intent, wallet, wallet_error);
        *self.outcome.borrow_mut() = Some(outcome.clone());
        Ok(outcome)
    }
}

/// Waits out `processing` (polling `retrievePaymentIntent` with `secret`);
/// fails unless the intent ends authorized or paid.
async fn settled_intent(stripe: &JsValue, secret: &str, limit_ms: f64, mut intent: JsValue) -> Result<JsValue, CheckoutError> {
    let deadline = now() + limit_ms;
    loop {
        let status = text(&intent, "status").unwrap_or_default();
        match next_step(&status) {
            Next::Place => return Ok(intent),
            Next::Wait if now() < deadline => {
                sleep(POLL_MS).await;
                let result = settle(call(stripe, "retrievePaymentIntent", &[secret.into()])?).await?;
                intent = get(&result, "paymentIntent");
            }
            _ => {
                let last = text(&get(&intent, "last_payment_error"), "message");
                return Err(intent_failed(if status.is_empty() { "unknown" } else { &status }, last.as_deref()));
            }
        }
    }
}

fn outcome(order: JsValue, intent: &JsValue, wallet: JsValue, wallet_error: JsValue) -> JsValue {
    let pi = obj(&[("id", get(intent, "id")), ("status", get(intent, "status"))]);
    obj(&[("order", order), ("paymentIntent", pi), ("wallet", wallet), ("walletError", wallet_error)])
}

impl StripePayment {
    pub(super) fn new(state: PaymentState) -> StripePayment {
        StripePayment { state: Rc::new(state) }
    }
}

#[wasm_bindgen]
impl StripePayment {
    /// Confirms the payment with Stripe.js (3-D Secure stays in the page),
    /// then places the order. A second call while one runs returns the same
    /// Promise; after success it resolves with the same outcome.
    #[wasm_bindgen(unchecked_return_type = "Promise<StripeOutcome>")]
    pub fn confirm(&self, #[wasm_bindgen(unchecked_param_type = "ConfirmOptions")] options: JsValue) -> Promise {
        if let Some(done) = self.state.outcome.borrow().clone() {
            return Promise::resolve(&done);
        }
        if let Some(running) = self.state.in_flight.borrow().clone() {
            return running;
        }
        let state = self.state.clone();
        let promise = future_to_promise(async move {
            let result = match read_confirm_options(&options, &state.checkout) {
                Ok((url, save)) => state.clone().confirm(url, save).await,
                Err(e) => Err(e),
            };
            state.in_flight.borrow_mut().take();
            result.map_err(error_to_js)
        });
        *self.state.in_flight.borrow_mut() = Some(promise.clone());
        promise
    }

    /// Removes the Payment Element from the page.
    pub fn unmount(&self) {
        let _ = call(&self.state.element, "unmount", &[]);
    }
}

fn read_confirm_options(options: &JsValue, checkout: &Inner) -> Result<(String, bool), CheckoutError> {
    let url = get(options, "returnUrl").as_string().unwrap_or_default();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(CheckoutError::invalid_input(
            "confirm({ returnUrl }) needs the absolute http(s) URL Stripe sends the shopper back to after a redirect.",
        ));
    }
    if checkout.token_in(&url) {
        return Err(CheckoutError::invalid_input("returnUrl contains the access token; leave it out (it would end up in logs)."));
    }
    Ok((url, get(options, "saveToWallet").as_bool().unwrap_or(false)))
}

/// `resumeStripe` on the page a redirect or 3-D Secure returns to.
pub(super) async fn resume(
    checkout: Rc<Inner>,
    stripe: JsValue,
    order_id: String,
    url: JsValue,
) -> Result<JsValue, CheckoutError> {
    crate::validate::id("order id", &order_id)?;
    let location = get(&js_sys::global(), "location");
    let current = text(&location, "href");
    let url = match url.as_string() {
        Some(u) => u,
        None if url.is_undefined() => current.clone().unwrap_or_default(),
        None => return Err(CheckoutError::invalid_input("url must be a string (it defaults to location.href).")),
    };
    let Some(ret) = read_return_url(&url)? else {
        return Ok(JsValue::NULL);
    };
    if current.as_deref() == Some(url.as_str()) {
        // Take the secret out of the address bar (and so out of bookmarks and history).
        let history = get(&js_sys::global(), "history");
        let _ = call(&history, "replaceState", &[get(&history, "state"), "".into(), ret.clean_url.as_str().into()]);
    }
    let secret = ret.client_secret;
    let result = settle(call(&stripe, "retrievePaymentIntent", &[secret.as_str().into()])?).await?;
    let error = get(&result, "error");
    if error.is_object() {
        return Err(stripe_error(details_of(&error)));
    }
    let intent = settled_intent(&stripe, &secret, DEFAULT_PROCESSING_LIMIT_MS, get(&result, "paymentIntent")).await?;
    let order = checkout.place_once(&order_id).await?;
    Ok(outcome(order, &intent, JsValue::NULL, JsValue::NULL))
}
