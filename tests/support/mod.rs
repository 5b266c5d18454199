//! Helpers for the browser tests: talk to the sandbox (admin routes, tokens,
//! fresh orders, the request log) and read results and errors.

use js_sys::{Array, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use cl_checkout::Checkout;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch(url: &str, init: &RequestInit) -> Promise;
}

pub fn sandbox_url() -> &'static str {
    // Read at compile time: the test page cannot see the runner's environment.
    match option_env!("CL_SANDBOX_URL") {
        Some(url) => url,
        None => panic!("CL_SANDBOX_URL is set by scripts/test.sh, which starts the sandbox"),
    }
}

/// The control routes, through `scripts/control-proxy.mjs`: the sandbox
/// refuses them to pages of other origins, which this test page is.
pub fn control_url() -> &'static str {
    match option_env!("CL_SANDBOX_CONTROL_URL") {
        Some(url) => url,
        None => panic!("CL_SANDBOX_CONTROL_URL is set by scripts/test.sh, which starts the control proxy"),
    }
}

/// Sends a request to the sandbox; returns the status and the body parsed as JSON (or null).
pub async fn http(method: &str, path: &str, body: Option<&str>, content_type: &str) -> (u16, JsValue) {
    send(sandbox_url(), method, path, body, content_type).await
}

async fn send(base: &str, method: &str, path: &str, body: Option<&str>, content_type: &str) -> (u16, JsValue) {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().unwrap();
    headers.set("Content-Type", content_type).unwrap();
    init.set_headers(&headers);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    let url = format!("{base}{path}");
    let resp: Response = JsFuture::from(fetch(&url, &init)).await.expect("sandbox reachable").unchecked_into();
    let text = JsFuture::from(resp.text().unwrap()).await.unwrap().as_string().unwrap_or_default();
    (resp.status(), JSON::parse(&text).unwrap_or(JsValue::NULL))
}

pub async fn admin(method: &str, path: &str, body: &str) -> JsValue {
    let body = (!body.is_empty()).then_some(body);
    let (status, value) = send(control_url(), method, &format!("/sandbox{path}"), body, "application/json").await;
    assert!(status < 300, "sandbox admin {path} answered {status}");
    value
}

/// A sales-channel token, or the seeded customer's.
pub async fn token(customer: bool) -> String {
    let body = if customer {
        r#"{"grant_type":"password","client_id":"sandbox_sales_channel_client_id","scope":"market:id:MarketSbxA","username":"shopper@example.com","password":"sandbox-password"}"#
    } else {
        r#"{"grant_type":"client_credentials","client_id":"sandbox_sales_channel_client_id","scope":"market:id:MarketSbxA"}"#
    };
    let (status, value) = http("POST", "/oauth/token", Some(body), "application/json").await;
    assert_eq!(status, 200);
    prop_str(&value, "access_token")
}

/// A fresh pending order: `spec` is the JSON body of `POST /sandbox/orders`.
pub async fn fresh_order(spec: &str) -> String {
    prop_str(&admin("POST", "/orders", spec).await, "id")
}

/// `(method, path)` of every logged request whose target or body names `needle`.
pub async fn requests_for(needle: &str) -> Vec<(String, String)> {
    let log = admin("GET", "/requests", "").await;
    Array::from(&log)
        .iter()
        .filter(|e| prop_str(e, "target").contains(needle) || prop_str(e, "body").contains(needle))
        .map(|e| (prop_str(&e, "method"), prop_str(&e, "path")))
        .collect()
}

pub fn options(base_url: &str, token: &JsValue) -> JsValue {
    let o = js_sys::Object::new();
    Reflect::set(&o, &"baseUrl".into(), &base_url.into()).unwrap();
    Reflect::set(&o, &"accessToken".into(), token).unwrap();
    o.into()
}

pub fn checkout(token: &str) -> Checkout {
    Checkout::try_new(options(sandbox_url(), &token.into())).unwrap_or_else(|_| panic!("valid options"))
}

/// What a Promise the module returned settles with.
pub async fn settle(p: impl Into<JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p.into().unchecked_into::<Promise>()).await
}

pub fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn prop_str(v: &JsValue, key: &str) -> String {
    prop(v, key).as_string().unwrap_or_default()
}

/// Checks that `e` is a CheckoutError of `kind` (and `status`), and returns its message.
pub fn expect_error(e: &JsValue, kind: &str, status: Option<u16>) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "not a CheckoutError: {e:?}");
    assert_eq!(prop_str(e, "name"), "CheckoutError");
    let message = prop_str(e, "message");
    assert_eq!(prop_str(e, "kind"), kind, "{message}");
    let got = prop(e, "status").as_f64().map(|s| s as u16);
    assert_eq!(got, status, "{message}");
    assert!(Array::is_array(&prop(e, "errors")));
    message
}
