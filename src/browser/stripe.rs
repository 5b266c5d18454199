//! The Stripe handoff at the edge: mounts the Payment Element, performs the
//! Stripe.js calls the core's `flow::Pay` asks for, and converts results.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::convert::{error_to_js, json_to_js, put, wallet_values};
use super::js::{get, get_index, kind, new_object, number_of, Kind, Promise};
use super::{location_href, replace_url, spawn, url_arg, Finish, Inner};
use crate::error::{CheckoutError, ErrorKind, StripeDetails};
use crate::flow::{Finished, Flow, Intent, Pay, StripeCall, StripeResult};
use crate::stripe::{intent_of, read_return_url};

const DEFAULT_PROCESSING_LIMIT_MS: u32 = 30_000;
const NOT_STRIPE: &str =
    "mountStripe and stripeOptions need a stripe_payments payment source (from createPaymentSource or useWalletSource).";
const MAX_PROCESSING_LIMIT_MS: f64 = 600_000.0;

// The Stripe.js calls, in a few lines of JavaScript (the core decides which
// call and when; `Driver::call`). What goes wrong comes back as `[what, name]`,
// never with Stripe's text, which may quote secrets: 0, the object has no such
// method; 1, Stripe.js threw in it; 2, the page's options object could not be
// read (a getter or Proxy trap threw). Spreading defines plain properties: a
// `__proto__` in the page's options stays data.
#[wasm_bindgen(
    inline_js = "function call(o,n,a){let f;try{f=o[n]}catch{}if(typeof f!='function')throw[0,n];try{return f.apply(o,a)}catch{throw[1,n]}}
function spread(o,n,more){try{return{...o,...more}}catch{throw[2,n]}}
export function mount(s,secret,target,eo,po,orderId,sourceId,limit){const elements=call(s,'elements',[spread(eo,'elementsOptions',{clientSecret:secret})]),element=call(elements,'create',['payment',po||{layout:'tabs'}]);call(element,'mount',[target]);return{s,secret,orderId,sourceId,limit,elements,element}}
export function confirm(s,m,cp,return_url){return call(s,'confirmPayment',[{elements:m.elements,confirmParams:spread(cp,'confirmParams',{return_url}),redirect:'if_required'}])}
export function retrieve(s,secret){return call(s,'retrievePaymentIntent',[secret])}
export function outcome(pending,order,id,status,wallet,walletError){return{pending,order,paymentIntent:{id,status},wallet,walletError}}"
)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn mount(
        stripe: &JsValue,
        secret: &str,
        target: &JsValue,
        elements: &JsValue,
        element: &JsValue,
        order_id: &str,
        source_id: &str,
        limit: u32,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    fn confirm(stripe: &JsValue, mounted: &JsValue, confirm_params: &JsValue, return_url: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    fn retrieve(stripe: &JsValue, secret: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = outcome)]
    fn outcome_of(pending: bool, order: JsValue, id: &str, status: &str, wallet: JsValue, wallet_error: JsValue) -> JsValue;
}

/// What a Stripe.js call's `[what, name]` (above) means for the page.
fn stripe_call_failed(thrown: &JsValue) -> CheckoutError {
    let name = get_index(thrown, 1).as_string().unwrap_or_default();
    let mut m = String::new();
    let error_kind = match number_of(&get_index(thrown, 0)) {
        Some(0.0) => {
            m.push_str("The Stripe object has no ");
            m.push_str(&name);
            m.push_str("(): pass the instance returned by Stripe(publishable_key).");
            ErrorKind::InvalidInput
        }
        Some(2.0) => {
            m.push_str(&name);
            m.push_str(" could not be read (a getter or Proxy trap threw).");
            ErrorKind::InvalidInput
        }
        _ => {
            m.push_str("Stripe.js threw in ");
            m.push_str(&name);
            m.push_str("(): check the Stripe integration (mount target, keys, Elements options).");
            ErrorKind::Stripe
        }
    };
    CheckoutError::new(error_kind, m)
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

/// Mounts the Payment Element: the mounted payment's handle, which the
/// page's `StripePayment` (`methods.js`) holds and hands back to `confirm`:
/// `{ s, secret, orderId, sourceId, limit, elements, element }` (the Stripe
/// instance, the client secret, only ever handed to Stripe.js, the order it
/// places, the `stripe_payments` whose amount is checked first, the
/// processing limit, and Stripe's objects; `methods.js` unmounts the element).
pub(super) fn mount_payment(
    checkout: &Inner,
    stripe: &JsValue,
    source: &JsValue,
    target: &JsValue,
    options: &JsValue,
) -> Result<JsValue, CheckoutError> {
    if !kind(stripe).is_object() {
        return Err(CheckoutError::invalid_input("mountStripe needs the page's Stripe instance: Stripe(publishable_key)."));
    }
    if text(source, "type").as_deref() != Some("stripe_payments") {
        return Err(CheckoutError::invalid_input(NOT_STRIPE));
    }
    let client_secret = text(source, "client_secret").filter(|s| intent_of(s).is_some()).ok_or_else(|| {
        CheckoutError::invalid_input("The payment source has no usable client_secret; create the payment source again.")
    })?;
    let target_kind = kind(target);
    if !(target_kind == Kind::String || target_kind.is_object()) {
        return Err(CheckoutError::invalid_input("The mount target must be a CSS selector or an element."));
    }
    let options = match kind(options) {
        Kind::Undefined => new_object(),
        Kind::Plain => options.clone(),
        _ => return Err(CheckoutError::invalid_input("mountStripe options must be a plain object.")),
    };
    let source_id = text(source, "id").unwrap_or_default();
    crate::validate::id("payment source id", &source_id)?;
    let remembered = checkout.memo.id(super::SOURCE_ORDERS, &source_id).flatten();
    let order_id = text(&options, "orderId")
        .or(remembered)
        .ok_or_else(|| CheckoutError::invalid_input("Pass options.orderId: this Checkout did not create that payment source."))?;
    crate::validate::id("order id", &order_id)?;
    let limit = get(&options, "processingTimeoutMs");
    let processing_limit_ms = match number_of(&limit) {
        None if kind(&limit) == Kind::Undefined => DEFAULT_PROCESSING_LIMIT_MS,
        Some(ms) if (0.0..=MAX_PROCESSING_LIMIT_MS).contains(&ms) => ms as u32,
        _ => {
            return Err(CheckoutError::invalid_input(
                "processingTimeoutMs must be a number of milliseconds from 0 to 600000 (default 30000).",
            ))
        }
    };

    // Options that are not objects are left out (Stripe's defaults; the Payment Element's tabs layout).
    let object_or_undefined = |v: JsValue| if kind(&v).is_object() { v } else { JsValue::UNDEFINED };
    let elements_options = object_or_undefined(get(&options, "elementsOptions"));
    let element_options = object_or_undefined(get(&options, "paymentElementOptions"));
    mount(stripe, &client_secret, target, &elements_options, &element_options, &order_id, &source_id, processing_limit_ms)
        .map_err(|thrown| stripe_call_failed(&thrown))
}

/// The flow and the Stripe.js driver of `confirm(options)` of the mounted payment `handle`.
fn confirm_flow(checkout: &Inner, handle: &JsValue, options: &JsValue) -> Result<Task, CheckoutError> {
    if kind(handle) != Kind::Plain {
        return Err(crate::flow::unexpected());
    }
    let (return_url, save_to_wallet) = read_confirm_options(options, checkout)?;
    // The page's confirmParams (billing details, shipping, receipt email) go to Stripe.js as given; return_url is ours.
    let confirm_params = get(options, "confirmParams");
    if !matches!(kind(&confirm_params), Kind::Undefined | Kind::Plain) {
        return Err(CheckoutError::invalid_input("confirmParams must be a plain object (Stripe's confirmParams)."));
    }
    let (order_id, source_id) = (text(handle, "orderId").unwrap_or_default(), text(handle, "sourceId").unwrap_or_default());
    let limit = number_of(&get(handle, "limit")).unwrap_or(0.0) as u32;
    let pay = Pay::confirm(&order_id, &source_id, save_to_wallet, limit, checkout.refreshable())?;
    let driver = Driver {
        stripe: get(handle, "s"),
        client_secret: text(handle, "secret").unwrap_or_default(),
        confirm: Some((handle.clone(), confirm_params, return_url)),
    };
    Ok((Box::new(pay), driver))
}

/// A Stripe flow and the driver that performs its Stripe.js calls.
pub(super) type Task = (Box<dyn Flow>, Driver);

/// Performs a flow's Stripe.js calls and reads what they resolve with.
pub(super) struct Driver {
    stripe: JsValue,
    /// Only ever handed to Stripe.js.
    client_secret: String,
    /// What `confirmPayment` needs: the mounted payment's handle (its
    /// elements), the page's confirmParams and the return URL (`None` when
    /// resuming: never confirms).
    confirm: Option<(JsValue, JsValue, String)>,
}

impl Driver {
    /// Calls Stripe.js; what it returns (a Promise) is awaited by the executor.
    pub(super) fn call(&self, call: StripeCall) -> Result<JsValue, CheckoutError> {
        let called = match (call, &self.confirm) {
            (StripeCall::Confirm, Some((mounted, params, return_url))) => confirm(&self.stripe, mounted, params, return_url),
            (StripeCall::Confirm, None) => return Err(crate::flow::unexpected()),
            (StripeCall::Retrieve, _) => retrieve(&self.stripe, &self.client_secret),
        };
        called.map_err(|thrown| stripe_call_failed(&thrown))
    }
}

/// A Stripe.js call's Promise rejected (Stripe.js resolves `{ error }` for payment failures).
pub(super) fn rejected() -> CheckoutError {
    CheckoutError::new(crate::error::ErrorKind::Stripe, "A Stripe.js call was rejected; try again.")
}

/// `{ error }` / `{ paymentIntent }` as the core reads them.
pub(super) fn read_result(result: &JsValue) -> StripeResult {
    let error = get(result, "error");
    if kind(&error).is_object() {
        return StripeResult { error: Some(details_of(&error)), intent: read_intent(&get(&error, "payment_intent")) };
    }
    StripeResult { error: None, intent: read_intent(&get(result, "paymentIntent")) }
}

fn read_intent(intent: &JsValue) -> Option<Intent> {
    if !kind(intent).is_object() {
        return None;
    }
    Some(Intent {
        id: text(intent, "id").unwrap_or_default(),
        status: text(intent, "status").unwrap_or_default(),
        last_error: text(&get(intent, "last_payment_error"), "message"),
    })
}

/// `{ pending, order, paymentIntent: { id, status }, wallet, walletError }`,
/// built by the snippet above: −183 B gzip of `.wasm` for +77 B of glue
/// against building the core's `Json` and converting it. Out of line
/// (-37 B gzip: inlined into each Stripe method's result).
#[inline(never)]
pub(super) fn outcome(finished: Finished) -> JsValue {
    let (intent, pending, wallet) = match finished.paid {
        Some(paid) => (paid.intent, paid.pending, paid.wallet),
        None => (Intent::default(), false, None),
    };
    let (wallet, wallet_error) = wallet_values(wallet);
    outcome_of(pending, json_to_js(&finished.value), &intent.id, &intent.status, wallet, wallet_error)
}

/// `stripeOptions(source)` (method 13 of `call`; `methods.js` throws the
/// error): what the page passes to `Stripe()` for this source: the
/// publishable key, and on a Stripe Connect account `{ stripeAccount }`
/// (without it Stripe.js cannot find the connected account's PaymentIntent).
pub(super) fn stripe_options(source: &JsValue) -> JsValue {
    read_stripe_options(source).unwrap_or_else(error_to_js)
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
    let options = new_object();
    if let Some(account) = text(source, "connected_account") {
        if !account.starts_with("acct_") || crate::validate::id("connected account", &account).is_err() {
            return Err(CheckoutError::invalid_input(
                "The payment source's connected_account is not a Stripe account id (acct_…).",
            ));
        }
        put(&options, "stripeAccount", &JsValue::from_str(&account));
    }
    let result = new_object();
    put(&result, "publishableKey", &JsValue::from_str(&key));
    put(&result, "options", &options);
    Ok(result)
}

/// Confirms the payment of the mounted payment `handle` with Stripe.js
/// (3-D Secure stays in the page), then places the order. (The page's
/// handle, in `methods.js`, lets one confirm run at a time and keeps its outcome.)
pub(super) fn confirm_payment(checkout: &Rc<Inner>, handle: &JsValue, options: &JsValue) -> Promise {
    let (flow, driver) = match confirm_flow(checkout, handle, options) {
        Ok((flow, driver)) => (Ok(flow), Some(driver)),
        Err(e) => (Err(e), None),
    };
    spawn(checkout.clone(), flow, driver, Finish::Stripe)
}

fn read_confirm_options(options: &JsValue, checkout: &Inner) -> Result<(String, bool), CheckoutError> {
    let url = get(options, "returnUrl").as_string().unwrap_or_default();
    let absolute = |scheme| crate::validate::strip_prefix_ignore_case(&url, scheme).is_some();
    if !(absolute("https://") || absolute("http://")) {
        return Err(CheckoutError::invalid_input(
            "confirm({ returnUrl }) needs the absolute http(s) URL Stripe sends the shopper back to after a redirect.",
        ));
    }
    if checkout.token_in(&url) {
        return Err(CheckoutError::invalid_input("returnUrl contains the access token; leave it out (it would end up in logs)."));
    }
    Ok((url, kind(&get(options, "saveToWallet")) == Kind::True))
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
    let pay = Pay::resume(&order_id, ret.intent_id(), DEFAULT_PROCESSING_LIMIT_MS, checkout.refreshable())?;
    let driver = Driver { stripe, client_secret: ret.client_secret, confirm: None };
    Ok(Some((Box::new(pay), driver)))
}
