//! The browser edge: the exported `Checkout` class. Each method reads its
//! JavaScript arguments into a flow of the core (`crate::flow`), runs it on
//! the one executor (`run::spawn`), and converts the result back. Nothing
//! here decides what a request looks like or what an answer means.

mod convert;
#[cfg(feature = "gateways")]
mod gateways;
mod http;
mod js;
mod run;
mod stripe;

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::api;
use crate::error::CheckoutError;
use crate::flow::{Create, Fact, Flow, Place, Reads, Single};
use crate::json::Json;
use crate::request::DEFAULT_TIMEOUT_MS;
use crate::validate::{BaseUrl, SourceType};
use convert::{error_to_js, is_plain_object, js_to_json};
pub(crate) use convert::{json_text, parse_json};
use js::{get, kind, AbortSignal, Function, Kind, Promise};
use run::{spawn, Finish};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

const MAX_TIMEOUT_MS: f64 = 600_000.0;

enum AccessToken {
    Fixed(String),
    /// Called before each request; may return a string or a Promise of one.
    Provider(Function),
}

/// What a `Checkout` remembers, by list and key (orders and sources of one
/// page session), kept in one JavaScript object: a few JavaScript values
/// instead of Rust lists of Rust values, whose search, insert and drop code
/// the `.wasm` would carry (measured in the README's build notes). A key is
/// its list's capital letter and the id, so no key can name one of
/// `Object.prototype`'s members (they all start with a lower-case letter or `_`).
pub(super) struct Remembered(JsValue);

/// The lists of [`Remembered`]: `payment_source_type` per order (a string),
/// so `createPaymentSource` needs no second GET after `paymentMethod` or
/// `selectPaymentMethod`;
const SOURCE_TYPES: &str = "T";
/// the order of each payment source this `Checkout` created or switched to
/// (a string), so `mountStripe` knows which order to place;
const SOURCE_ORDERS: &str = "S";
/// and each order's payment source as last seen (a string; `null`: it had none).
const ORDER_SOURCES: &str = "O";

impl Remembered {
    fn new() -> Remembered {
        Remembered(js::new_object())
    }

    fn key(list: &str, id: &str) -> String {
        let mut key = String::from(list);
        key.push_str(id);
        key
    }

    /// What `list` holds for `id` (`undefined`: nothing).
    fn get(&self, list: &str, id: &str) -> JsValue {
        get(&self.0, &Remembered::key(list, id))
    }

    /// Remembers `value` (`undefined` forgets).
    fn set(&self, list: &str, id: &str, value: &JsValue) {
        js::reflect_set(&self.0, &Remembered::key(list, id), value);
    }

    /// The order's payment source type, when known.
    fn source_type(&self, order_id: &str) -> Option<SourceType> {
        self.get(SOURCE_TYPES, order_id).as_string().and_then(|t| SourceType::known(&t))
    }

    /// An id remembered in `list`: `Some(None)` when it was seen to be none.
    fn id(&self, list: &str, key: &str) -> Option<Option<String>> {
        let value = self.get(list, key);
        match kind(&value) {
            Kind::Null => Some(None),
            Kind::String => Some(value.as_string()),
            _ => None,
        }
    }
}

pub(super) struct Inner {
    base: BaseUrl,
    token: AccessToken,
    timeout_ms: u32,
    /// The caller's signal: aborting it stops every call of this Checkout.
    signal: Option<AbortSignal>,
    /// What earlier calls learned.
    memo: Remembered,
}

/// A checkout session against one Commerce Layer organization, as one method
/// call sees it (`call` builds it from what `methods.js` keeps; the browser
/// tests build one with `try_new`).
pub struct Checkout {
    inner: Rc<Inner>,
}

// A Checkout keeps no Rust memory between calls. `new Checkout(options)`
// (`open`) validates the options and gives `methods.js` what it keeps: a
// plain object of the validated options and of what the Checkout remembers
// (`Remembered`); each method call (`call`) reads it again. So no
// wasm-bindgen class ships (its shims, borrow flags, messages and glue), and
// nothing needs freeing: `free()` is JavaScript (measured in the README's
// build notes).
const KEEP_BASE_URL: &str = "baseUrl";
const KEEP_TOKEN: &str = "accessToken";
const KEEP_TIMEOUT: &str = "timeoutMs";
const KEEP_SIGNAL: &str = "signal";
/// The kept object's `Remembered`: a key no page option is read from.
const KEEP_MEMO: &str = "memo";

/// `new Checkout(options)` (method 17 of `call`): what `methods.js` keeps
/// for the Checkout, or the `CheckoutError` it throws for bad options.
fn open(options: &JsValue) -> JsValue {
    let inner = match read_options(options, Remembered::new()) {
        Ok(inner) => inner,
        Err(e) => return error_to_js(e),
    };
    let kept = js::new_object();
    let token = match &inner.token {
        AccessToken::Fixed(token) => JsValue::from_str(token),
        AccessToken::Provider(f) => f.clone().into(),
    };
    let signal = inner.signal.clone().map_or(JsValue::UNDEFINED, JsValue::from);
    js::reflect_set(&kept, KEEP_BASE_URL, &JsValue::from_str(inner.base.as_str()));
    js::reflect_set(&kept, KEEP_TOKEN, &token);
    js::reflect_set(&kept, KEEP_TIMEOUT, &JsValue::from_f64(f64::from(inner.timeout_ms)));
    js::reflect_set(&kept, KEEP_SIGNAL, &signal);
    js::reflect_set(&kept, KEEP_MEMO, &inner.memo.0);
    kept
}

/// Every method of the JavaScript class, by its number in `methods.js`
/// (which defines them; `types.d.ts` declares them), on the Checkout `kept`
/// (what `open` gave), and the package's functions of no Checkout
/// (`stripeOptions`, `gatewayHandoff`, `new Checkout` itself): one export and
/// one argument shim instead of one per method (-810 B gzip, and -83 B for
/// the functions). A `CheckoutError` to throw is returned, and
/// `methods.js` throws it (no method returns an `Error` otherwise): no
/// multivalue shim.
#[wasm_bindgen(js_name = c, skip_typescript)]
pub fn call(kept: JsValue, method: u32, a: JsValue, b: JsValue, c: JsValue, d: JsValue) -> JsValue {
    // The functions of no Checkout.
    match method {
        13 => return stripe::stripe_options(&a),
        17 => return open(&a),
        #[cfg(feature = "gateways")]
        16 => return gateways::gateway_handoff(&a),
        _ => {}
    }
    match read_options(&kept, Remembered(get(&kept, KEEP_MEMO))) {
        Ok(inner) => Checkout { inner: Rc::new(inner) }.call(method, a, b, c, d),
        Err(e) => error_to_js(e),
    }
}

impl Checkout {
    /// The method numbered `method` (in `methods.js`).
    fn call(&self, method: u32, a: JsValue, b: JsValue, c: JsValue, d: JsValue) -> JsValue {
        match method {
            0 => self.payment_method(a).into(),
            1 => self.create_payment_source(a, b).into(),
            2 => self.order(a).into(),
            3 => self.available_payment_methods(a).into(),
            4 => self.select_payment_method(a, b).into(),
            5 => self.save_to_wallet(a).into(),
            6 => self.wallet_sources(a).into(),
            7 => self.use_wallet_source(a, b).into(),
            8 => self.create_customer_payment_source(a).into(),
            9 => self.place_order(a).into(),
            10 => self.mount_stripe(a, b, c, d).unwrap_or_else(|thrown| thrown),
            11 => self.resume_stripe(a, b, c).into(),
            12 => self.confirm_stripe(a, b).into(),
            #[cfg(feature = "gateways")]
            14 => self.pay_with_gateway(a, b, c).into(),
            #[cfg(feature = "gateways")]
            15 => self.resume_gateway(a, b).into(),
            _ => error_to_js(crate::flow::unexpected()),
        }
    }
}

impl Checkout {
    /// `new Checkout(options)` with the `CheckoutError` returned rather than
    /// thrown (`new Checkout` throws it; the browser tests call this).
    pub fn try_new(options: JsValue) -> Result<Checkout, JsValue> {
        read_options(&options, Remembered::new()).map(|inner| Checkout { inner: Rc::new(inner) }).map_err(error_to_js)
    }

    /// The order's payment method, or `null` when none is selected.
    pub fn payment_method(&self, order_id: JsValue) -> Promise {
        self.on_order(OnOrder::PaymentMethod, &order_id, &JsValue::UNDEFINED)
    }

    /// Creates the payment source the order's payment method calls for.
    /// (`methods.js` shares a call in flight for the same order.)
    pub fn create_payment_source(&self, order_id: JsValue, attributes: JsValue) -> Promise {
        self.run(|me| {
            let order_id = arg_string(&order_id, "order id")?;
            let attributes = arg_object(&attributes, "attributes")?;
            let (known, previous) = (me.memo.source_type(&order_id), me.memo.id(ORDER_SOURCES, &order_id));
            Ok(Box::new(Create::new(&order_id, attributes, known, previous, me.refreshable())?))
        })
    }

    /// The order with its line items, payment method and payment source.
    pub fn order(&self, order_id: JsValue) -> Promise {
        self.on_order(OnOrder::Order, &order_id, &JsValue::UNDEFINED)
    }

    /// The payment methods the order may use.
    pub fn available_payment_methods(&self, order_id: JsValue) -> Promise {
        self.on_order(OnOrder::AvailablePaymentMethods, &order_id, &JsValue::UNDEFINED)
    }

    /// Sets the order's payment method; resolves with the order.
    pub fn select_payment_method(&self, order_id: JsValue, payment_method_id: JsValue) -> Promise {
        self.on_order(OnOrder::SelectPaymentMethod, &order_id, &payment_method_id)
    }

    /// Saves the order's payment source to the customer's wallet; resolves
    /// with the wallet.
    pub fn save_to_wallet(&self, order_id: JsValue) -> Promise {
        self.on_order(OnOrder::SaveToWallet, &order_id, &JsValue::UNDEFINED)
    }

    /// The customer's saved payment sources.
    pub fn wallet_sources(&self, order_id: JsValue) -> Promise {
        self.on_order(OnOrder::WalletSources, &order_id, &JsValue::UNDEFINED)
    }

    /// Pays the order with a saved source; resolves with the order.
    pub fn use_wallet_source(&self, order_id: JsValue, customer_payment_source_id: JsValue) -> Promise {
        self.on_order(OnOrder::UseWalletSource, &order_id, &customer_payment_source_id)
    }

    /// Saves a payment source to a customer's wallet.
    pub fn create_customer_payment_source(&self, input: JsValue) -> Promise {
        self.run(|me| {
            // Read whole as JSON (the one safe reader of page values); the core checks each member.
            let input = if is_plain_object(&input) { js_to_json(&input, &mut String::from("input"), 0)? } else { Json::Null };
            let req = api::create_customer_payment_source_request(&input)?;
            Ok(Box::new(Single::new(req, "", me.refreshable(), Reads::CustomerPaymentSource)))
        })
    }

    /// Places the order; resolves with the placed order.
    pub fn place_order(&self, order_id: JsValue) -> Promise {
        self.on_order(OnOrder::PlaceOrder, &order_id, &JsValue::UNDEFINED)
    }

    /// Mounts Stripe's Payment Element for a `stripe_payments` source into
    /// `target`: the mounted payment's handle, that `methods.js`'s
    /// `StripePayment` holds and confirms with.
    pub fn mount_stripe(
        &self,
        stripe: JsValue,
        payment_source: JsValue,
        target: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        stripe::mount_payment(&self.inner, &stripe, &payment_source, &target, &options).map_err(error_to_js)
    }

    /// `confirm(options)` of the mounted payment `handle` (from `mount_stripe`).
    pub fn confirm_stripe(&self, handle: JsValue, options: JsValue) -> Promise {
        stripe::confirm_payment(&self.inner, &handle, &options)
    }

    /// On the page Stripe sends the shopper back to: checks the PaymentIntent
    /// named in the URL and places the order. Resolves `null` when the URL is
    /// not a Stripe return. Never confirms; never places twice.
    pub fn resume_stripe(&self, stripe: JsValue, order_id: JsValue, url: JsValue) -> Promise {
        let (flow, driver) =
            match arg_string(&order_id, "order id").and_then(|_| stripe::resume(&self.inner, stripe, &order_id, &url)) {
                Ok(Some((flow, driver))) => (Ok(flow), Some(driver)),
                Ok(None) => return Promise::resolve(&JsValue::NULL),
                Err(e) => (Err(e), None),
            };
        spawn(self.inner.clone(), flow, driver, Finish::Stripe)
    }
}

/// The methods that are one flow on one order, read by one path
/// (`Checkout::on_order`) rather than one copy per method in the `.wasm`.
#[derive(Clone, Copy)]
enum OnOrder {
    PaymentMethod,
    Order,
    AvailablePaymentMethods,
    SelectPaymentMethod,
    SaveToWallet,
    WalletSources,
    UseWalletSource,
    PlaceOrder,
}

impl Checkout {
    /// Runs the flow `what` calls for on the order `order_id`; `other` is
    /// the second id of `selectPaymentMethod` and `useWalletSource`.
    fn on_order(&self, what: OnOrder, order_id: &JsValue, other: &JsValue) -> Promise {
        self.run(|me| {
            let order_id = arg_string(order_id, "order id")?;
            let refreshable = me.refreshable();
            let (req, reads) = match what {
                OnOrder::PaymentMethod => (api::payment_method_request(&order_id), Reads::PaymentMethod),
                OnOrder::Order => (api::order_request(&order_id), Reads::Order),
                OnOrder::AvailablePaymentMethods => (api::available_payment_methods_request(&order_id), Reads::PaymentMethods),
                OnOrder::SelectPaymentMethod => {
                    let req =
                        arg_string(other, "payment method id").and_then(|pm| api::select_payment_method_request(&order_id, &pm));
                    (req, Reads::Order)
                }
                OnOrder::SaveToWallet => (api::save_to_wallet_request(&order_id), Reads::Wallet),
                OnOrder::WalletSources => (api::wallet_sources_request(&order_id), Reads::Wallet),
                OnOrder::UseWalletSource => {
                    let req = arg_string(other, "customer payment source id")
                        .and_then(|cps| api::use_wallet_source_request(&order_id, &cps));
                    (req, Reads::Order)
                }
                OnOrder::PlaceOrder => return Ok(Box::new(Place::new(&order_id, refreshable)?)),
            };
            Ok(Box::new(Single::new(req?, &order_id, refreshable, reads)))
        })
    }

    /// Runs the flow `make` builds (from the arguments, synchronously) on the
    /// one executor; resolves with its value, rejects with a `CheckoutError`.
    fn run(&self, make: impl FnOnce(&Inner) -> Result<Box<dyn Flow>, CheckoutError>) -> Promise {
        spawn(self.inner.clone(), make(&self.inner), None, Finish::Value)
    }
}

impl Inner {
    /// Whether an expired token can be renewed (the page gave a function).
    fn refreshable(&self) -> bool {
        matches!(self.token, AccessToken::Provider(_))
    }

    fn learn(&self, facts: &[Fact]) {
        for fact in facts {
            let (list, key, value) = match fact {
                Fact::SourceType(order, t) => (SOURCE_TYPES, order, JsValue::from_str(t.as_str())),
                Fact::NoPaymentMethod(order) => (SOURCE_TYPES, order, JsValue::UNDEFINED),
                Fact::SourceOrder(source, order) => (SOURCE_ORDERS, source, JsValue::from_str(order)),
                Fact::OrderSource(order, source) => {
                    (ORDER_SOURCES, order, source.as_deref().map_or(JsValue::NULL, JsValue::from_str))
                }
            };
            self.memo.set(list, key, &value);
        }
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }

    /// Whether `text` contains the fixed access token.
    fn token_in(&self, text: &str) -> bool {
        matches!(&self.token, AccessToken::Fixed(t) if t.len() >= 8 && crate::text::find(text, t).is_some())
    }
}

// Out of line, as arg_object and url_arg: inlined, each was larger (-19, -15, -3 B gzip).
#[inline(never)]
fn read_options(options: &JsValue, memo: Remembered) -> Result<Inner, CheckoutError> {
    if !kind(options).is_object() {
        return Err(CheckoutError::invalid_input(
            "new Checkout(options) needs an options object: { baseUrl, accessToken, timeoutMs? }.",
        ));
    }
    let base = match get(options, KEEP_BASE_URL).as_string() {
        Some(url) => BaseUrl::parse(&url)?,
        None => BaseUrl::parse("")?,
    };
    let token = get(options, KEEP_TOKEN);
    let token = if let Some(t) = token.as_string().filter(|t| !t.is_empty()) {
        AccessToken::Fixed(t)
    } else if kind(&token) == Kind::Function {
        AccessToken::Provider(token.unchecked_into())
    } else {
        return Err(CheckoutError::invalid_input(
            "accessToken must be a non-empty string, or a function returning one (or a Promise of one).",
        ));
    };
    let timeout = get(options, KEEP_TIMEOUT);
    let timeout_ms = if kind(&timeout) == Kind::Undefined {
        DEFAULT_TIMEOUT_MS
    } else {
        match js::number_of(&timeout) {
            Some(ms) if (1.0..=MAX_TIMEOUT_MS).contains(&ms) => ms as u32,
            _ => return Err(CheckoutError::invalid_input("timeoutMs must be a number of milliseconds from 1 to 600000.")),
        }
    };
    let signal = get(options, KEEP_SIGNAL);
    let signal = if kind(&signal) == Kind::Undefined {
        None
    } else {
        Some(signal.dyn_into::<AbortSignal>().map_err(|_| CheckoutError::invalid_input("signal must be an AbortSignal."))?)
    };
    Ok(Inner { base, token, timeout_ms, signal, memo })
}

// The page's address and history, where there are any (not in a worker or
// on a server): two lines of JavaScript instead of `js_sys::global()`'s
// lookup machinery in the `.wasm`.
#[wasm_bindgen(
    inline_js = "export function href(){const l=globalThis.location;return l&&l.href}export function replaceUrl(u){const h=globalThis.history;h&&h.replaceState(h.state,'',u)}"
)]
extern "C" {
    /// The page's address (`location.href`), where there is one.
    #[wasm_bindgen(js_name = href)]
    pub(super) fn location_href() -> Option<String>;
    /// Puts `url` in the address bar without a navigation (`history.replaceState`).
    #[wasm_bindgen(catch, js_name = replaceUrl)]
    pub(super) fn replace_url(url: &str) -> Result<(), JsValue>;
}

/// A `url` argument of the resume methods: a string, or `undefined` for `current` (the page's address).
#[inline(never)]
pub(super) fn url_arg(url: &JsValue, current: Option<String>) -> Result<String, CheckoutError> {
    match url.as_string() {
        Some(u) => Ok(u),
        None if kind(url) == Kind::Undefined => Ok(current.unwrap_or_default()),
        None => Err(CheckoutError::invalid_input("url must be a string (it defaults to location.href).")),
    }
}

fn arg_string(value: &JsValue, what: &str) -> Result<String, CheckoutError> {
    value.as_string().ok_or_else(|| {
        let mut m = String::from("The ");
        m.push_str(what);
        m.push_str(" must be a string.");
        CheckoutError::invalid_input(m)
    })
}

/// An optional plain-object argument, as JSON (`undefined` → `{}`).
#[inline(never)]
fn arg_object(value: &JsValue, what: &str) -> Result<Json, CheckoutError> {
    match kind(value) {
        Kind::Undefined => return Ok(Json::Object(Vec::new())),
        Kind::Plain => {}
        _ => {
            let mut m = String::from(what);
            m.push_str(" must be a plain object.");
            return Err(CheckoutError::invalid_input(m));
        }
    }
    js_to_json(value, &mut String::from(what), 0)
}
