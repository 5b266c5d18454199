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

    /// `Reflect.get(target, key)`, one import for every key: a name, a key
    /// JavaScript gave (`Object.keys`, which a Rust string may not spell: a
    /// lone surrogate), an index.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    /// `Reflect.set(target, key, value)` (on the module's own objects: never throws).
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn reflect_set(target: &JsValue, key: &str, value: &JsValue) -> bool;
    /// `JSON.parse(text)`.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    /// `Object.keys(value)`.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn object_keys(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `Object()`: a new empty plain object of this realm.
    #[wasm_bindgen(js_name = Object)]
    pub fn new_object() -> JsValue;
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
}

// What a value is, in one call instead of one import per question (is it
// null, a boolean, an array, a plain object…): the codes are `Kind`'s. An
// object whose prototype or array-ness cannot be read (a Proxy's trap threw,
// a revoked Proxy) is `Kind::Unreadable`, never a throw.
#[wasm_bindgen(
    inline_js = "export function kind(v){if(v===void 0)return 0;if(v===null)return 1;switch(typeof v){case'boolean':return 2+v;case'number':return 4;case'string':return 5;case'function':return 6;case'object':try{if(Array.isArray(v))return 7;const p=Object.getPrototypeOf(v);return p===null||p===Object.prototype?8:9}catch{return 10}}return 11}"
)]
extern "C" {
    #[wasm_bindgen(js_name = kind)]
    fn kind_code(value: &JsValue) -> u32;
}

/// What a JavaScript value is (the snippet's codes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Undefined,
    Null,
    False,
    True,
    Number,
    String,
    Function,
    Array,
    /// An object literal or `Object.create(null)` (of this realm).
    Plain,
    /// Any other object: a Date, a Map, a class instance, an element…
    Object,
    /// An object whose prototype could not be read (a Proxy trap threw).
    Unreadable,
    /// A symbol or a bigint.
    Other,
}

/// What `value` is.
pub fn kind(value: &JsValue) -> Kind {
    match kind_code(value) {
        0 => Kind::Undefined,
        1 => Kind::Null,
        2 => Kind::False,
        3 => Kind::True,
        4 => Kind::Number,
        5 => Kind::String,
        6 => Kind::Function,
        7 => Kind::Array,
        8 => Kind::Plain,
        9 => Kind::Object,
        10 => Kind::Unreadable,
        _ => Kind::Other,
    }
}

impl Kind {
    /// An object (`typeof` "object", not null): arrays and plain objects too, not functions.
    pub fn is_object(self) -> bool {
        (Kind::Array..=Kind::Unreadable).contains(&self)
    }
}

/// `value` as a number, when it is one (two calls that write no memory, where
/// wasm-bindgen's `as_f64` returns through it: its import's glue is larger).
pub fn number_of(value: &JsValue) -> Option<f64> {
    (kind(value) == Kind::Number).then(|| value.unchecked_into_f64())
}

/// `obj[key]`, or `undefined` where reading it threw.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    reflect_get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `value.length`, or 0 where it is not a number.
pub fn length_of(value: &JsValue) -> Result<f64, JsValue> {
    value.unchecked_ref::<Sized>().length().map(|n| number_of(&n).unwrap_or(0.0))
}

/// `obj[i]`, or `undefined` where reading it threw.
pub fn get_index(obj: &JsValue, i: u32) -> JsValue {
    reflect_get(obj, &JsValue::from_f64(f64::from(i))).unwrap_or(JsValue::UNDEFINED)
}
