//! The JavaScript built-ins the edge calls, declared here instead of taken
//! from js-sys and web-sys: js-sys links its futures executor, whose export
//! (`__wbg_jspi_task_poll`) kept a waker, its closures and their shims in
//! the `.wasm` although nothing here uses them (README, dependency notes).
//!
//! Every call that can run page code (a getter, a Proxy trap) is `catch`: a
//! throw becomes an `Err`, never an unwind through Rust frames.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JavaScript `Promise`.
    #[wasm_bindgen(typescript_type = "Promise<any>")]
    #[derive(Clone)]
    pub type Promise;
    /// `Promise.resolve(value)`.
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn resolve(value: &JsValue) -> Promise;
    /// `Promise.reject(reason)`.
    #[wasm_bindgen(static_method_of = Promise)]
    pub fn reject(reason: &JsValue) -> Promise;

    /// A function of the page (the access token provider).
    #[derive(Clone)]
    pub type Function;
    /// `f.call(this)`.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call0(this: &Function, context: &JsValue) -> Result<JsValue, JsValue>;

    /// The caller's `AbortSignal`.
    #[derive(Clone)]
    pub type AbortSignal;
    /// `signal.aborted`.
    #[wasm_bindgen(method, getter)]
    pub fn aborted(this: &AbortSignal) -> bool;

    /// A string or an array, measured without copying it.
    pub type Sized;
    /// `value.length` (a string's in UTF-16 code units: `Reflect.get`
    /// refuses a string, which is no object; a Proxy's trap may throw, or
    /// give a non-number, kept as a value so no page code runs to convert it).
    #[wasm_bindgen(method, getter, catch)]
    pub fn length(this: &Sized) -> Result<JsValue, JsValue>;

    /// `Reflect.get(target, key)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn reflect_get(target: &JsValue, key: &str) -> Result<JsValue, JsValue>;
    /// `Reflect.get(target, key)` with a key JavaScript gave (`Object.keys`),
    /// which a Rust string may not spell (a lone surrogate).
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn reflect_get_key(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    /// `Reflect.get(target, index)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn reflect_get_index(target: &JsValue, index: u32) -> Result<JsValue, JsValue>;
    /// `Reflect.set(target, key, value)` (on the module's own objects: never throws).
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn reflect_set(target: &JsValue, key: &str, value: &JsValue) -> bool;
    /// `JSON.parse(text)`.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    /// `Object.keys(value)`.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn object_keys(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `Object.getPrototypeOf(value)`.
    #[wasm_bindgen(js_namespace = Object, js_name = getPrototypeOf, catch)]
    pub fn prototype_of(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `Object()`: a new empty plain object of this realm.
    #[wasm_bindgen(js_name = Object)]
    pub fn new_object() -> JsValue;
    /// `Array.isArray(value)` (a revoked Proxy throws).
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `String(n)`: a number's shortest round-trip text.
    #[wasm_bindgen(js_name = String)]
    pub fn number_text(n: f64) -> String;
    /// `Number(text)`: the number a JSON number's text spells.
    #[wasm_bindgen(js_name = Number)]
    pub fn number(text: &str) -> JsValue;
    /// `Array()`: a new empty array.
    #[wasm_bindgen(js_name = Array)]
    pub fn new_array() -> JsValue;
    /// `JSON.stringify(value)` (of the module's own plain values).
    #[wasm_bindgen(js_namespace = JSON)]
    pub fn stringify(value: &JsValue) -> JsValue;
    /// A JavaScript `Error`.
    pub type Error;
    /// `new Error(message)`.
    #[wasm_bindgen(constructor)]
    pub fn new(message: &str) -> Error;
}

/// `obj[key]`, or `undefined` where reading it threw.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    reflect_get(obj, key).unwrap_or(JsValue::UNDEFINED)
}

/// `value.length`, or 0 where it is not a number.
pub fn length_of(value: &JsValue) -> Result<f64, JsValue> {
    value.unchecked_ref::<Sized>().length().map(|n| n.as_f64().unwrap_or(0.0))
}

/// `obj[i]`, or `undefined` where reading it threw.
pub fn get_index(obj: &JsValue, i: u32) -> JsValue {
    reflect_get_index(obj, i).unwrap_or(JsValue::UNDEFINED)
}
