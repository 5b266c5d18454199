//! JavaScript ⇄ core values, and the one place a `CheckoutError` becomes a
//! JavaScript `Error`.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::CheckoutError;
use crate::json::{Json, MAX_DEPTH};

/// One `JSON.parse` of the core's output: a single crossing into JavaScript
/// and its native parser, however large the order. `JSON.parse` defines every
/// key as plain data, so a `__proto__` from the server never changes a
/// prototype. The text is the core's own serialization, so it always parses.
pub fn json_to_js(value: &Json) -> JsValue {
    js_sys::JSON::parse(&value.to_json_string()).unwrap_or(JsValue::NULL)
}

/// Reads caller data (attributes, metadata) as JSON: plain objects, arrays,
/// strings, finite numbers, booleans and null. `undefined` properties are
/// dropped, as `JSON.stringify` does; anything else is refused with the path
/// of the offending value.
pub fn js_to_json(value: &JsValue, path: &mut String, depth: usize) -> Result<Json, CheckoutError> {
    if depth > MAX_DEPTH {
        return Err(not_json(path, "nests too deeply"));
    }
    if value.is_null() {
        return Ok(Json::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Json::Bool(b));
    }
    if let Some(s) = value.as_string() {
        return Ok(Json::String(s));
    }
    if let Some(n) = value.as_f64() {
        if !n.is_finite() {
            return Err(not_json(path, "is not a finite number"));
        }
        let text: String = js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default();
        return Ok(Json::Number(text));
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        let mut items = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            let len = path.len();
            path.push('[');
            push_index(path, i);
            path.push(']');
            items.push(js_to_json(&item, path, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Json::Array(items));
    }
    if !is_plain_object(value) {
        return Err(not_json(path, "is not JSON data (use plain objects, arrays, strings, numbers, booleans or null)"));
    }
    let obj: &Object = value.unchecked_ref();
    let mut pairs = Vec::new();
    for key in Object::keys(obj).iter() {
        let name = key.as_string().unwrap_or_default();
        let item = Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
        if item.is_undefined() {
            continue;
        }
        let len = path.len();
        path.push('.');
        path.push_str(&name);
        pairs.push((name, js_to_json(&item, path, depth + 1)?));
        path.truncate(len);
    }
    Ok(Json::Object(pairs))
}

/// An object literal or `Object.create(null)`; not a Date, Map, class instance…
pub fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() || value.is_function() || Array::is_array(value) {
        return false;
    }
    let proto = Object::get_prototype_of(value);
    proto.is_null() || proto == Object::get_prototype_of(&Object::new().into())
}

fn push_index(out: &mut String, i: usize) {
    crate::error::push_number(out, u16::try_from(i).unwrap_or(u16::MAX));
}

fn not_json(path: &str, why: &str) -> CheckoutError {
    let mut m = String::from(path);
    m.push(' ');
    m.push_str(why);
    m.push('.');
    CheckoutError::invalid_input(m)
}

/// The JavaScript face of every failure: an `Error` named `CheckoutError`
/// with `kind`, `status` and `errors`.
pub fn error_to_js(e: CheckoutError) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name("CheckoutError");
    let status = e.status.map_or(JsValue::NULL, |s| JsValue::from_f64(f64::from(s)));
    let errors: Array = e.errors.iter().map(|x| json_to_js(&x.to_json())).collect();
    let _ = Reflect::set(&err, &"kind".into(), &e.kind.as_str().into());
    let _ = Reflect::set(&err, &"status".into(), &status);
    let _ = Reflect::set(&err, &"errors".into(), &errors);
    let stripe = e.stripe.as_ref().map_or(JsValue::NULL, |d| json_to_js(&d.to_json()));
    let _ = Reflect::set(&err, &"stripe".into(), &stripe);
    err.into()
}

/// A payment's wallet result as the outcome's `wallet` and `walletError`:
/// the list, or the error beside a placed order, or neither (`null`, `null`).
pub fn wallet_to_js(wallet: Option<Result<Json, CheckoutError>>) -> (JsValue, JsValue) {
    match wallet {
        Some(Ok(list)) => (json_to_js(&list), JsValue::NULL),
        Some(Err(e)) => (JsValue::NULL, error_to_js(e)),
        None => (JsValue::NULL, JsValue::NULL),
    }
}
