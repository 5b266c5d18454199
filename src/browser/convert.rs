//! JavaScript ⇄ core values, and the one place a `CheckoutError` becomes a
//! JavaScript `Error`.

use wasm_bindgen::prelude::*;

use super::js::{self, json_parse, kind, length_of, new_array, number, object_keys, reflect_get, stringify, Kind};

use crate::error::CheckoutError;
use crate::json::{Json, ParseError, MAX_DEPTH};

/// The core's value as JavaScript's, built member by member, so no JSON
/// writer ships (-402 B gzip of `.wasm` for +106 B of glue). `put` defines each key
/// as plain data, as `JSON.parse` would, so a `__proto__` from the server
/// never changes a prototype. Numbers are the text JavaScript wrote them as
/// (`String(n)`, in `copy`), so `Number` gives each back exactly.
pub fn json_to_js(value: &Json) -> JsValue {
    match value {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => JsValue::from_bool(*b),
        Json::Number(text) => number(text),
        Json::String(s) => JsValue::from_str(s),
        Json::Array(items) => {
            let array = new_array();
            for item in items {
                push(&array, &json_to_js(item));
            }
            array
        }
        Json::Object(pairs) => {
            let object = js::new_object();
            for (key, item) in pairs {
                put(&object, key, &json_to_js(item));
            }
            object
        }
    }
}

/// The JSON text of `value` (request bodies): `JSON.stringify` of its
/// JavaScript value, which holds only plain data (no `toJSON` of its own).
pub fn json_text(value: &Json) -> String {
    stringify(&json_to_js(value)).as_string().unwrap_or_default()
}

// An object's member as `JSON.parse` makes it (an own, plain data property,
// whatever its name), and an array's next item.
#[wasm_bindgen(
    inline_js = "export function put(o,k,v){Object.defineProperty(o,k,{value:v,writable:!0,enumerable:!0,configurable:!0})}export function push(a,v){a[a.length]=v}"
)]
extern "C" {
    pub fn put(object: &JsValue, key: &str, value: &JsValue);
    fn push(array: &JsValue, value: &JsValue);
}

/// `JSON.parse` of a server answer, copied into the core's [`Json`] by the
/// same reader as the page's values (the `.wasm` carries no parser): nesting
/// past [`MAX_DEPTH`] and numbers JavaScript cannot hold (`1e400`) are
/// refused; the parse itself is bounded by the body's size limit in `http`.
pub fn parse_json(text: &str) -> Result<Json, ParseError> {
    let value = json_parse(text).map_err(|_| ParseError::Invalid(0))?;
    copy(&value, &mut String::new(), 0).map_err(|why| match why {
        NotData::TooDeep => ParseError::TooDeep,
        _ => ParseError::Invalid(0),
    })
}

/// Why a value is not JSON data.
enum NotData {
    TooDeep,
    NotFinite,
    TooLong,
    Unreadable,
    Other,
}

/// Reads caller data (attributes, metadata) as JSON: plain objects, arrays,
/// strings, finite numbers, booleans and null. `undefined` properties are
/// dropped, as `JSON.stringify` does; anything else is refused with the path
/// of the offending value.
pub fn js_to_json(value: &JsValue, path: &mut String, depth: usize) -> Result<Json, CheckoutError> {
    copy(value, path, depth).map_err(|why| {
        not_json(
            path,
            match why {
                NotData::TooDeep => "nests too deeply",
                NotData::NotFinite => "is not a finite number",
                NotData::TooLong => "has more than 100000 items",
                NotData::Unreadable => "could not be read (a getter or Proxy trap threw)",
                NotData::Other => "is not JSON data (use plain objects, arrays, strings, numbers, booleans or null)",
            },
        )
    })
}

/// The one reader of JavaScript values into [`Json`]; on failure `path`
/// names the offending value. One `kind` call per value says what it is.
fn copy(value: &JsValue, path: &mut String, depth: usize) -> Result<Json, NotData> {
    if depth > MAX_DEPTH {
        return Err(NotData::TooDeep);
    }
    match kind(value) {
        Kind::String => Ok(Json::String(value.as_string().unwrap_or_default())),
        Kind::Null => Ok(Json::Null),
        Kind::False => Ok(Json::Bool(false)),
        Kind::True => Ok(Json::Bool(true)),
        Kind::Number => number_text(value.unchecked_into_f64()).map(Json::Number).ok_or(NotData::NotFinite),
        Kind::Array => {
            let length = length_of(value).map_err(|_| NotData::Unreadable)?;
            // Bounded: no page can make this loop run long.
            if length > 100_000.0 {
                return Err(NotData::TooLong);
            }
            let length = length as u32;
            let mut items = Vec::with_capacity(length as usize);
            for i in 0..length {
                let len = path.len();
                path.push_str("[");
                push_index(path, i as usize);
                path.push_str("]");
                let item = reflect_get(value, &JsValue::from_f64(f64::from(i))).map_err(|_| NotData::Unreadable)?;
                items.push(copy(&item, path, depth + 1)?);
                path.truncate(len);
            }
            Ok(Json::Array(items))
        }
        Kind::Plain => {
            let mut pairs = Vec::new();
            let keys = object_keys(value).map_err(|_| NotData::Unreadable)?;
            for i in 0..length_of(&keys).unwrap_or(0.0) as u32 {
                let key = js::get_index(&keys, i);
                let name = key.as_string().unwrap_or_default();
                let len = path.len();
                path.push_str(".");
                path.push_str(&name);
                let item = reflect_get(value, &key).map_err(|_| NotData::Unreadable)?;
                if kind(&item) != Kind::Undefined {
                    pairs.push((name, copy(&item, path, depth + 1)?));
                }
                path.truncate(len);
            }
            Ok(Json::Object(pairs))
        }
        Kind::Unreadable => Err(NotData::Unreadable),
        _ => Err(NotData::Other),
    }
}

/// A finite number's JSON text (JavaScript's shortest round-trip form).
fn number_text(n: f64) -> Option<String> {
    n.is_finite().then(|| js::number_text(n))
}

/// An object literal or `Object.create(null)`; not a Date, Map, class
/// instance… (nor a Proxy whose traps throw: false, never a throw).
pub fn is_plain_object(value: &JsValue) -> bool {
    kind(value) == Kind::Plain
}

fn push_index(out: &mut String, i: usize) {
    crate::error::push_number(out, u16::try_from(i).unwrap_or(u16::MAX));
}

fn not_json(path: &str, why: &str) -> CheckoutError {
    let mut m = String::from(path);
    m.push_str(" ");
    m.push_str(why);
    m.push_str(".");
    CheckoutError::invalid_input(m)
}

// The JavaScript face of every failure, built in one call by the function
// methods.js shares (errors.js): the field names ship once, in the glue
// (-88 B .wasm, +37 B glue).
#[wasm_bindgen(module = "/src/browser/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = checkoutError)]
    fn checkout_error(message: &str, kind: &str, status: JsValue, errors: JsValue, stripe: JsValue) -> JsValue;
}

/// An `Error` named `CheckoutError` with `kind`, `status`, `errors` and `stripe`.
pub fn error_to_js(e: CheckoutError) -> JsValue {
    let status = e.status.map_or(JsValue::NULL, |s| JsValue::from_f64(f64::from(s)));
    let errors = new_array();
    for entry in &e.errors {
        push(&errors, &json_to_js(entry.as_json()));
    }
    let stripe = e.stripe.as_ref().map_or(JsValue::NULL, |d| json_to_js(&d.to_json()));
    checkout_error(&e.message, e.kind.as_str(), status, errors, stripe)
}

/// A payment's wallet result as its outcome's `wallet` and `walletError`:
/// the list, or the error beside a placed order, or neither (`null`, `null`).
pub fn wallet_values(wallet: Option<Result<Json, CheckoutError>>) -> (JsValue, JsValue) {
    match wallet {
        Some(Ok(list)) => (json_to_js(&list), JsValue::NULL),
        Some(Err(e)) => (JsValue::NULL, error_to_js(e)),
        None => (JsValue::NULL, JsValue::NULL),
    }
}

/// `outcome` with `wallet` and `walletError` set from the wallet result.
#[cfg(feature = "gateways")]
pub fn with_wallet(outcome: JsValue, wallet: Option<Result<Json, CheckoutError>>) -> JsValue {
    let (wallet, wallet_error) = wallet_values(wallet);
    js::reflect_set(&outcome, "wallet", &wallet);
    js::reflect_set(&outcome, "walletError", &wallet_error);
    outcome
}
