//! The Stripe handoff at the edge: mounts the Payment Element, performs the
//! Stripe.js calls the core's `flow::Pay` asks for, and converts results.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::convert::{copy_object, error_to_js, is_plain_object, json_to_js, wallet_to_js};
use super::{get, location_href, replace_url, spawn, url_arg, Finish, Inner};
use crate::error::{CheckoutError, StripeDetails};
use crate::flow::{Finished, Flow, Intent, Pay, StripeCall, StripeResult};
use crate::stripe::{read_return_url, valid_client_secret};

const DEFAULT_PROCESSING_LIMIT_MS: u32 = 30_000;
const NOT_STRIPE: &str =
    "mountStripe and stripeOptions need a stripe_payments payment source (from createPaymentSource or useWalletSource).";
const MAX_PROCESSING_LIMIT_MS: f64 = 600_000.0;

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
    /// The `stripe_payments` whose amount is checked against the order before confirming.
    source_id: String,
    /// Only ever handed to Stripe.js.
    client_secret: String,
    processing_limit_ms: u32,
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
            return Err(CheckoutError::invalid_input(NOT_STRIPE));
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
        crate::validate::id("payment source id", &source_id)?;
        let remembered = checkout.source_orders.get(&source_id);
        let order_id = text(&options, "orderId").or(remembered).ok_or_else(|| {
            CheckoutError::invalid_input("Pass options.orderId: this Checkout did not create that payment source.")
        })?;
        crate::validate::id("order id", &order_id)?;
        let limit = get(&options, "processingTimeoutMs");
        let processing_limit_ms = match limit.as_f64() {
            None if limit.is_undefined() => DEFAULT_PROCESSING_LIMIT_MS,
            Some(ms) if (0.0..=MAX_PROCESSING_LIMIT_MS).contains(&ms) => ms as u32,
            _ => {
                return Err(CheckoutError::invalid_input(
                    "processingTimeoutMs must be a number of milliseconds from 0 to 600000 (default 30000).",
                ))
            }
        };

        let elements_options = get(&options, "elementsOptions");
        let elements_options =
            if elements_options.is_object() { copy_object(&elements_options, "elementsOptions")? } else { Object::new() };
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
            source_id,
            client_secret,
            processing_limit_ms,
            in_flight: RefCell::new(None),
            outcome: RefCell::new(None),
        })
    }

    /// The flow and the Stripe.js driver of `confirm(options)`.
    fn confirm_flow(&self, options: &JsValue) -> Result<Task, CheckoutError> {
        let (return_url, save_to_wallet) = read_confirm_options(options, &self.checkout)?;
        // The page's confirmParams (billing details, shipping, receipt email) go to Stripe.js as given; return_url is ours.
        let given = get(options, "confirmParams");
        let confirm_params = if given.is_undefined() {
            Object::new()
        } else if is_plain_object(&given) {
            copy_object(&given, "confirmParams")?
        } else {
            return Err(CheckoutError::invalid_input("confirmParams must be a plain object (Stripe's confirmParams)."));
        };
        let _ = Reflect::set(&confirm_params, &"return_url".into(), &return_url.as_str().into());
        let params = obj(&[
            ("elements", self.elements.clone()),
            ("confirmParams", confirm_params.into()),
            ("redirect", "if_required".into()),
        ]);
        let driver = Driver { stripe: self.stripe.clone(), client_secret: self.client_secret.clone(), confirm: params };
        let refreshable = self.checkout.refreshable();
        let pay = Pay::confirm(&self.order_id, &self.source_id, save_to_wallet, self.processing_limit_ms, refreshable)?;
        Ok((Box::new(pay), driver))
    }

    /// A confirm settled: a success is kept (later calls get it), and the next call may start.
    pub(super) fn settled(&self, outcome: &Result<JsValue, CheckoutError>) {
        if let Ok(done) = outcome {
            *self.outcome.borrow_mut() = Some(done.clone());
        }
        self.in_flight.borrow_mut().take();
    }
}

/// A Stripe flow and the driver that performs its Stripe.js calls.
pub(super) type Task = (Box<dyn Flow>, Driver);

/// Performs a flow's Stripe.js calls and reads what they resolve with.
pub(super) struct Driver {
    stripe: JsValue,
    /// Only ever handed to Stripe.js.
    client_secret: String,
    /// The argument of `confirmPayment` (unused when resuming).
    confirm: JsValue,
}

impl Driver {
    /// Calls Stripe.js; what it returns (a Promise) is awaited by the executor.
    pub(super) fn call(&self, call: StripeCall) -> Result<JsValue, CheckoutError> {
        match call {
            StripeCall::Confirm => self::call(&self.stripe, "confirmPayment", std::slice::from_ref(&self.confirm)),
            StripeCall::Retrieve => self::call(&self.stripe, "retrievePaymentIntent", &[self.client_secret.as_str().into()]),
        }
    }
}

/// A Stripe.js call's Promise rejected (Stripe.js resolves `{ error }` for payment failures).
pub(super) fn rejected() -> CheckoutError {
    CheckoutError::new(crate::error::ErrorKind::Stripe, "A Stripe.js call was rejected; try again.")
}

/// `{ error }` / `{ paymentIntent }` as the core reads them.
pub(super) fn read_result(result: &JsValue) -> StripeResult {
    let error = get(result, "error");
    if error.is_object() {
        return StripeResult { error: Some(details_of(&error)), intent: read_intent(&get(&error, "payment_intent")) };
    }
    StripeResult { error: None, intent: read_intent(&get(result, "paymentIntent")) }
}

fn read_intent(intent: &JsValue) -> Option<Intent> {
    if !intent.is_object() {
        return None;
    }
    Some(Intent {
        id: text(intent, "id").unwrap_or_default(),
        status: text(intent, "status").unwrap_or_default(),
        last_error: text(&get(intent, "last_payment_error"), "message"),
    })
}

/// `{ pending, order, paymentIntent: { id, status }, wallet, walletError }`.
pub(super) fn outcome(finished: Finished) -> JsValue {
    let (intent, pending, wallet) = match finished.paid {
        Some(paid) => (paid.intent, paid.pending, paid.wallet),
        None => (Intent::default(), false, None),
    };
    let (wallet, wallet_error) = wallet_to_js(wallet);
    let pi = obj(&[("id", intent.id.as_str().into()), ("status", intent.status.as_str().into())]);
    obj(&[
        ("pending", pending.into()),
        ("order", json_to_js(&finished.value)),
        ("paymentIntent", pi),
        ("wallet", wallet),
        ("walletError", wallet_error),
    ])
}

/// What the page passes to `Stripe()` for this source: the publishable key,
/// and on a Stripe Connect account `{ stripeAccount }` (without it Stripe.js
/// cannot find the connected account's PaymentIntent).
/// Throws a `CheckoutError` for a source that is not a usable Stripe one.
#[wasm_bindgen(js_name = stripeOptions, unchecked_return_type = "StripeOptions")]
pub fn stripe_options(#[wasm_bindgen(unchecked_param_type = "PaymentSource")] source: &JsValue) -> JsValue {
    // Thrown rather than returned as a Result: no second catch-unwind shim in the .wasm.
    read_stripe_options(source).unwrap_or_else(|e| wasm_bindgen::throw_val(error_to_js(e)))
}

fn read_stripe_options(source: &JsValue) -> Result<JsValue, CheckoutError> {
    if text(source, "type").as_deref() != Some("stripe_payments") {
        return Err(CheckoutError::invalid_input(NOT_STRIPE));
    }
    let key = text(source, "publishable_key").filter(|k| k.starts_with("pk_") && crate::validate::id("key", k).is_ok());
    let key = key.ok_or_else(|| {
        CheckoutError::invalid_input(
            "The payment source has no publishable_key: check the market's Stripe gateway in Commerce Layer.",
        )
    })?;
    let options = Object::new();
    let account = get(source, "connected_account");
    if let Some(account) = account.as_string() {
        if !account.starts_with("acct_") || crate::validate::id("connected account", &account).is_err() {
            return Err(CheckoutError::invalid_input(
                "The payment source's connected_account is not a Stripe account id (acct_…).",
            ));
        }
        let _ = Reflect::set(&options, &"stripeAccount".into(), &account.into());
    }
    Ok(obj(&[("publishableKey", key.into()), ("options", options.into())]))
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
        let (flow, driver) = match self.state.confirm_flow(&options) {
            Ok((flow, driver)) => (Ok(flow), Some(driver)),
            Err(e) => (Err(e), None),
        };
        let finish = Finish::Stripe(Some(self.state.clone()));
        let promise = spawn(self.state.checkout.clone(), flow, driver, finish);
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

/// `resumeStripe` on the page a redirect or 3-D Secure returns to: the flow
/// and driver, or `None` when the URL is not a Stripe return.
pub(super) fn resume(
    checkout: &Inner,
    stripe: JsValue,
    order_id: &JsValue,
    url: &JsValue,
) -> Result<Option<Task>, CheckoutError> {
    let order_id = order_id.as_string().unwrap_or_default();
    crate::validate::id("order id", &order_id)?;
    let current = location_href();
    let url = url_arg(url, current.clone())?;
    let Some(ret) = read_return_url(&url)? else {
        return Ok(None);
    };
    if current.as_deref() == Some(url.as_str()) {
        // Take the secret out of the address bar (and so out of bookmarks and history).
        let _ = replace_url(&ret.clean_url);
    }
    let intent = crate::text::split_once(&ret.client_secret, "_secret_").map_or("", |(intent, _)| intent);
    let pay = Pay::resume(&order_id, intent, DEFAULT_PROCESSING_LIMIT_MS, checkout.refreshable())?;
    let driver = Driver { stripe, client_secret: ret.client_secret, confirm: JsValue::UNDEFINED };
    Ok(Some((Box::new(pay), driver)))
}
