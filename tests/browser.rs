//! The exported API in headless Chromium, over real HTTP, against cl-sandbox.
//! Run by scripts/test.sh (`cargo test --target wasm32-unknown-unknown --tests`).
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use cl_checkout::Checkout;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE_ORDER: &str = include_str!("fixtures/order_with_stripe_method.json");

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

/// The attributes each gateway requires on create (the gateway table), with test values.
fn required_attributes(gateway: &cl_checkout::gateways::Gateway) -> JsValue {
    let o = js_sys::Object::new();
    for name in gateway.required {
        let value = if name.ends_with("_url") { "https://shop.example/back" } else { "tok_external_123" };
        js_sys::Reflect::set(&o, &(*name).into(), &value.into()).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
async fn payment_method_is_read_with_one_get() {
    let order = fresh_order(r#"{"payment_source_type":"stripe_payments"}"#).await;
    let co = checkout(&token(false).await);
    let pm = settle(co.payment_method(order.clone().into())).await.unwrap();
    assert_eq!(prop_str(&pm, "type"), "payment_methods");
    assert_eq!(prop_str(&pm, "payment_source_type"), "stripe_payments");
    assert_eq!(prop_str(&pm, "id"), "PmStripePa");
    assert_eq!(requests_for(&order).await, vec![("GET".to_string(), format!("/api/orders/{order}"))]);
}

#[wasm_bindgen_test]
async fn an_order_without_payment_method_gives_null_and_no_post() {
    let order = fresh_order(r#"{"payment_source_type":null}"#).await;
    let co = checkout(&token(false).await);
    assert!(settle(co.payment_method(order.clone().into())).await.unwrap().is_null());
    let e = settle(co.create_payment_source(order.clone().into(), JsValue::UNDEFINED)).await.unwrap_err();
    let message = expect_error(&e, "no_payment_method", None);
    assert!(message.contains("selectPaymentMethod"), "{message}");
    assert!(requests_for(&order).await.iter().all(|(m, _)| m == "GET"));
}

#[wasm_bindgen_test]
async fn creates_every_payment_source_type_with_two_requests_cold() {
    let co = checkout(&token(false).await);
    for gateway in cl_checkout::gateways::GATEWAYS {
        let source_type = gateway.source_type;
        let order = fresh_order(&format!(r#"{{"payment_source_type":"{source_type}"}}"#)).await;
        let source = settle(co.create_payment_source(order.clone().into(), required_attributes(gateway))).await.unwrap();
        assert_eq!(prop_str(&source, "type"), source_type);
        assert!(!prop_str(&source, "id").is_empty());
        let requests = requests_for(&order).await;
        assert_eq!(
            requests,
            vec![("GET".into(), format!("/api/orders/{order}")), ("POST".into(), format!("/api/{source_type}"))],
            "{source_type}"
        );
        if source_type == "stripe_payments" {
            assert!(prop_str(&source, "client_secret").contains("_secret_"));
            assert!(prop_str(&source, "publishable_key").starts_with("pk_test_"));
        }
    }
}

#[wasm_bindgen_test]
async fn a_known_source_type_needs_no_second_get() {
    let order = fresh_order(r#"{"payment_source_type":null}"#).await;
    let co = checkout(&token(false).await);
    let methods = settle(co.available_payment_methods(order.clone().into())).await.unwrap();
    assert_eq!(Array::from(&methods).length(), 10);
    let order_after = settle(co.select_payment_method(order.clone().into(), "PmStripePa".into())).await.unwrap();
    assert_eq!(prop_str(&prop(&order_after, "payment_method"), "payment_source_type"), "stripe_payments");
    let source =
        settle(co.create_payment_source(order.clone().into(), json(r#"{"return_url":"https://shop.example/r"}"#))).await.unwrap();
    assert_eq!(prop_str(&source, "type"), "stripe_payments");
    let methods: Vec<String> = requests_for(&order).await.into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["GET", "PATCH", "POST"]);
}

/// Confirms the intent as Stripe.js would (the stand-in arrives with the Stripe handoff).
async fn pay_with_card(source: &JsValue, card: &str) {
    let secret = prop_str(source, "client_secret");
    let intent = secret.split("_secret_").next().unwrap().to_string();
    let body =
        format!("key={}&client_secret={secret}&payment_method_data[card][number]={card}", prop_str(source, "publishable_key"));
    let (status, _) =
        http("POST", &format!("/v1/payment_intents/{intent}/confirm"), Some(&body), "application/x-www-form-urlencoded").await;
    assert_eq!(status, 200);
}

#[wasm_bindgen_test]
async fn wallet_save_list_reuse_and_place() {
    let co = checkout(&token(true).await);
    let first = fresh_order(r#"{"payment_source_type":"stripe_payments","customer":true}"#).await;
    let source = settle(co.create_payment_source(first.clone().into(), JsValue::UNDEFINED)).await.unwrap();
    pay_with_card(&source, "4242424242424242").await;
    let placed = settle(co.place_order(first.clone().into())).await.unwrap();
    assert_eq!(prop_str(&placed, "status"), "placed");
    assert_eq!(prop_str(&placed, "payment_status"), "authorized");
    let wallet = Array::from(&settle(co.save_to_wallet(first.clone().into())).await.unwrap());
    let saved = wallet.iter().find(|c| prop_str(c, "name") == "XXXX-XXXX-XXXX-4242").expect("card saved");
    assert_eq!(prop_str(&saved, "type"), "customer_payment_sources");

    let second = fresh_order(r#"{"payment_source_type":"stripe_payments","customer":true}"#).await;
    let listed = Array::from(&settle(co.wallet_sources(second.clone().into())).await.unwrap());
    assert!(listed.iter().any(|c| prop_str(&c, "id") == prop_str(&saved, "id")));
    let order = settle(co.use_wallet_source(second.clone().into(), prop(&saved, "id"))).await.unwrap();
    assert_eq!(prop_str(&prop(&order, "payment_source"), "type"), "stripe_payments");
    let placed = settle(co.place_order(second.clone().into())).await.unwrap();
    assert_eq!(prop_str(&placed, "status"), "placed");
    let state = admin("GET", &format!("/orders/{second}"), "").await;
    assert_eq!(prop_str(&state, "payment_status"), "authorized");
}

#[wasm_bindgen_test]
async fn creates_a_customer_payment_source() {
    let co = checkout(&token(true).await);
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers","customer":true}"#).await;
    let source = settle(co.create_payment_source(order.into(), JsValue::UNDEFINED)).await.unwrap();
    let input = json(&format!(
        r#"{{"customer_id":"CustomerA1","payment_source":{{"type":"wire_transfers","id":"{}"}},"reference":"ref-1","metadata":{{"foo":"bar"}}}}"#,
        prop_str(&source, "id")
    ));
    let created = settle(co.create_customer_payment_source(input)).await.unwrap();
    assert_eq!(prop_str(&created, "type"), "customer_payment_sources");
    assert_eq!(prop_str(&created, "reference"), "ref-1");
    assert_eq!(prop_str(&prop(&created, "metadata"), "foo"), "bar");
    assert!(prop_str(&created, "customer_token").starts_with("cus_"));

    // A card saved without an order: the gateway's tokens and the payment method.
    let tokens = json(
        r#"{"customer_id":"CustomerA1","payment_method_id":"PmStripePa","customer_token":"cus_gw_1","payment_source_token":"pm_gw_1"}"#,
    );
    let saved = settle(co.create_customer_payment_source(tokens)).await.unwrap();
    assert_eq!(
        (prop_str(&saved, "customer_token"), prop_str(&saved, "payment_source_token")),
        ("cus_gw_1".into(), "pm_gw_1".into())
    );
    let neither = settle(co.create_customer_payment_source(json(r#"{"customer_id":"CustomerA1"}"#))).await.unwrap_err();
    expect_error(&neither, "invalid_input", None);
}

#[wasm_bindgen_test]
async fn api_errors_carry_status_and_errors_array() {
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    let co = checkout(&token(false).await);
    // 401: a token the API does not know.
    let e = settle(checkout("not-a-real-token-at-all").payment_method(order.clone().into())).await.unwrap_err();
    let message = expect_error(&e, "api", Some(401));
    assert_eq!(prop_str(&Array::from(&prop(&e, "errors")).get(0), "code"), "UNAUTHORIZED");
    assert!(!message.contains("not-a-real-token-at-all"), "{message}");
    // 404: an order that does not exist.
    let e = settle(co.payment_method("NoSuchOrder".into())).await.unwrap_err();
    expect_error(&e, "api", Some(404));
    assert_eq!(prop_str(&Array::from(&prop(&e, "errors")).get(0), "code"), "RECORD_NOT_FOUND");
    // 422: placing without a payment source.
    let e = settle(co.place_order(order.clone().into())).await.unwrap_err();
    expect_error(&e, "api", Some(422));
    let first = Array::from(&prop(&e, "errors")).get(0);
    assert_eq!(prop_str(&first, "status"), "422");
    assert_eq!(prop_str(&prop(&first, "source"), "pointer"), "/data/relationships/payment_source");
}

#[wasm_bindgen_test]
async fn an_expired_token_is_invalid_token() {
    admin("POST", "/config", r#"{"token_ttl_seconds":0}"#).await;
    let expired = token(false).await;
    admin("POST", "/config", r#"{"token_ttl_seconds":14400}"#).await;
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    let e = settle(checkout(&expired).payment_method(order.into())).await.unwrap_err();
    let message = expect_error(&e, "api", Some(401));
    assert!(message.contains("INVALID_TOKEN") && message.contains("expired"), "{message}");
    assert!(!message.contains(&expired));
}

/// Arms a fault on the order's path, then reads its payment method.
/// `times` covers every attempt: GETs are retried on these failures.
async fn payment_method_under_fault(fault: &str) -> JsValue {
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    let co = checkout(&token(false).await);
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","times":3,{fault}}}"#)).await;
    settle(co.payment_method(order.into())).await.unwrap_err()
}

#[wasm_bindgen_test]
async fn rate_limits_and_server_errors_with_json_bodies() {
    for status in [429u16, 500, 503] {
        let e = payment_method_under_fault(&format!(r#""fault":"status","status":{status}"#)).await;
        let message = expect_error(&e, "api", Some(status));
        assert_eq!(Array::from(&prop(&e, "errors")).length(), 1);
        assert!(message.contains(&status.to_string()), "{message}");
    }
}

#[wasm_bindgen_test]
async fn html_error_pages_from_a_proxy() {
    let e = payment_method_under_fault(r#""fault":"status","status":502,"html":true"#).await;
    let message = expect_error(&e, "api", Some(502));
    assert!(message.contains("not a JSON:API error document"), "{message}");
    assert_eq!(Array::from(&prop(&e, "errors")).length(), 0);
    let e = payment_method_under_fault(r#""fault":"status","status":404,"html":true"#).await;
    expect_error(&e, "api", Some(404));
}

#[wasm_bindgen_test]
async fn success_bodies_that_are_cut_off_or_not_json_api() {
    let e = payment_method_under_fault(r#""fault":"truncate""#).await;
    // Chromium either reports the cut as a network error or hands over the partial body.
    let kind = prop_str(&e, "kind");
    assert!(kind == "decode" || kind == "network", "{kind}");
    if kind == "decode" {
        assert!(prop_str(&e, "message").contains("cut off"));
    }
    let e = payment_method_under_fault(r#""fault":"status","status":200,"html":true"#).await;
    assert!(expect_error(&e, "decode", Some(200)).contains("not JSON"));
    let e = payment_method_under_fault(r#""fault":"status","status":200,"body":"{\"meta\":{}}""#).await;
    assert!(expect_error(&e, "decode", None).contains("no \"data\""));
}

#[wasm_bindgen_test]
async fn network_failures_and_timeouts() {
    let co = Checkout::try_new(options("http://127.0.0.1:9", &"tok_is_long_enough".into())).unwrap_or_else(|_| panic!());
    let e = settle(co.payment_method("AnyOrder1".into())).await.unwrap_err();
    expect_error(&e, "network", None);

    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"delay","delay_ms":1500}}"#)).await;
    let o = options(sandbox_url(), &token(false).await.into());
    js_sys::Reflect::set(&o, &"timeoutMs".into(), &300.into()).unwrap();
    let co = Checkout::try_new(o).unwrap_or_else(|_| panic!());
    let e = settle(co.payment_method(order.into())).await.unwrap_err();
    expect_error(&e, "timeout", None);
}

#[wasm_bindgen_test]
async fn hostile_source_types_are_refused_before_any_request() {
    for hostile in ["../orders", "stripe_payments?x=1", "bitcoin_payments"] {
        let order = fresh_order(&format!(r#"{{"payment_source_type":null,"hostile_source_type":"{hostile}"}}"#)).await;
        let co = checkout(&token(false).await);
        let e = settle(co.create_payment_source(order.clone().into(), JsValue::UNDEFINED)).await.unwrap_err();
        let message = expect_error(&e, "unsupported_source_type", None);
        assert!(!message.contains("../"), "{message}");
        assert_eq!(requests_for(&order).await, vec![("GET".to_string(), format!("/api/orders/{order}"))], "{hostile}");
    }
    let log = admin("GET", "/requests", "").await;
    let bad_paths =
        Array::from(&log).iter().filter(|e| prop_str(e, "path").contains("..") || prop_str(e, "target").contains("x=1")).count();
    assert_eq!(bad_paths, 0);
}

#[wasm_bindgen_test]
fn invalid_configuration_throws() {
    let good_token: JsValue = "a-valid-token".into();
    for (base, token) in [
        (JsValue::UNDEFINED, good_token.clone()),
        ("http://shop.example".into(), good_token.clone()),
        ("javascript:alert(1)".into(), good_token.clone()),
        ("ftp://shop.example".into(), good_token.clone()),
        ("https://shop.example/api".into(), good_token.clone()),
        ("https://shop.example".into(), "".into()),
        ("https://shop.example".into(), 42.into()),
        ("https://shop.example".into(), JsValue::NULL),
    ] {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"baseUrl".into(), &base).unwrap();
        js_sys::Reflect::set(&o, &"accessToken".into(), &token).unwrap();
        let e = Checkout::try_new(o.into()).err().expect("refused");
        expect_error(&e, "invalid_input", None);
    }
    assert!(Checkout::try_new(JsValue::UNDEFINED).is_err());
    assert!(Checkout::try_new(options("http://localhost:1234", &"t0ken-value".into())).is_ok());
}

#[wasm_bindgen_test]
async fn invalid_arguments_are_refused_before_any_request() {
    admin("DELETE", "/requests", "").await;
    let co = checkout(&token(false).await);
    for bad in [JsValue::from(""), "../orders".into(), "a b".into(), 42.into(), JsValue::UNDEFINED] {
        for p in [co.payment_method(bad.clone()), co.place_order(bad.clone()), co.wallet_sources(bad.clone())] {
            expect_error(&settle(p).await.unwrap_err(), "invalid_input", None);
        }
    }
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    for attrs in [json("[]"), "x".into(), js_sys::Date::new_0().into(), JsValue::NULL] {
        expect_error(&settle(co.create_payment_source(order.clone().into(), attrs)).await.unwrap_err(), "invalid_input", None);
    }
    let nested_date = js_sys::Object::new();
    js_sys::Reflect::set(&nested_date, &"when".into(), &js_sys::Date::new_0()).unwrap();
    let e = settle(co.create_payment_source(order.clone().into(), nested_date.into())).await.unwrap_err();
    assert!(expect_error(&e, "invalid_input", None).contains("attributes.when"));
    for input in [
        JsValue::UNDEFINED,
        json(r#"{"payment_source":{"type":"stripe_payments","id":"abc"}}"#),
        json(r#"{"customer_id":"CustomerA1"}"#),
        json(r#"{"customer_id":"CustomerA1","payment_source":{"type":"../x","id":"abc"}}"#),
        json(r#"{"customer_id":"Customer/1","payment_source":{"type":"stripe_payments","id":"abc"}}"#),
    ] {
        expect_error(&settle(co.create_customer_payment_source(input)).await.unwrap_err(), "invalid_input", None);
    }
    expect_error(&settle(co.use_wallet_source(order.clone().into(), "bad id".into())).await.unwrap_err(), "invalid_input", None);
    expect_error(&settle(co.select_payment_method(order.clone().into(), 7.into())).await.unwrap_err(), "invalid_input", None);
    // Nothing but the token request reached the server.
    let log = admin("GET", "/requests", "").await;
    let paths: Vec<String> = Array::from(&log).iter().map(|e| prop_str(&e, "path")).collect();
    assert!(paths.iter().all(|p| p == "/oauth/token"), "{paths:?}");
}

#[wasm_bindgen_test]
async fn token_functions_are_called_and_their_failures_reported() {
    let order = fresh_order(r#"{"payment_source_type":"stripe_payments"}"#).await;
    let tok = token(false).await;
    let provider = js_sys::Function::new_with_args("", &format!("return Promise.resolve({tok:?})"));
    let co = Checkout::try_new(options(sandbox_url(), &provider.into())).unwrap_or_else(|_| panic!());
    assert_eq!(
        prop_str(&settle(co.payment_method(order.clone().into())).await.unwrap(), "payment_source_type"),
        "stripe_payments"
    );
    let throwing = js_sys::Function::new_no_args("throw new Error('no session')");
    let co = Checkout::try_new(options(sandbox_url(), &throwing.into())).unwrap_or_else(|_| panic!());
    expect_error(&settle(co.payment_method(order.clone().into())).await.unwrap_err(), "invalid_input", None);
    let empty = js_sys::Function::new_no_args("return ''");
    let co = Checkout::try_new(options(sandbox_url(), &empty.into())).unwrap_or_else(|_| panic!());
    expect_error(&settle(co.payment_method(order.into())).await.unwrap_err(), "invalid_input", None);
}

#[wasm_bindgen_test]
async fn secrets_in_server_answers_never_reach_the_error() {
    let tok = token(false).await;
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    let body = format!(
        r#"{{\"errors\":[{{\"code\":\"X\",\"status\":\"422\",\"detail\":\"echo {tok} and pi_abc_secret_def\",\"title\":\"pi_abc_secret_def\",\"source\":{{\"pointer\":\"/{tok}\",\"deep\":[{{\"x\":\"pi_abc_secret_def\"}}]}},\"meta\":{{\"pi_abc_secret_def\":{{\"token\":\"{tok}\"}}}}}}]}}"#
    );
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"status","status":422,"body":"{body}"}}"#)).await;
    let e = settle(checkout(&tok).payment_method(order.into())).await.unwrap_err();
    expect_error(&e, "api", Some(422));
    let everything = JSON::stringify(&prop(&e, "errors")).unwrap().as_string().unwrap() + &prop_str(&e, "message");
    assert!(!everything.contains(&tok), "{everything}");
    assert!(!everything.contains("_secret_"), "{everything}");
}

#[wasm_bindgen_test]
async fn resources_are_flattened_like_the_sdk_returns_them() {
    // The documented answer, served verbatim: ids, types, attributes at the top level.
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    let escaped = FIXTURE_ORDER.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "");
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"status","status":200,"body":"{escaped}"}}"#))
        .await;
    let co = checkout(&token(false).await);
    let pm = settle(co.payment_method(order.into())).await.unwrap();
    assert_eq!(prop_str(&pm, "id"), "WmOodsVPmQ");
    assert_eq!(prop_str(&pm, "formatted_price_amount"), "€0,00");
    assert_eq!(prop(&pm, "price_amount_cents").as_f64(), Some(0.0));
    assert!(prop(&pm, "disabled_at").is_null());
    assert!(prop(&pm, "relationships").is_undefined() && prop(&pm, "attributes").is_undefined());
}

/// The GETs of `order` that reached the sandbox.
async fn gets_of(order: &str) -> usize {
    requests_for(order).await.iter().filter(|(m, _)| m == "GET").count()
}

#[wasm_bindgen_test]
async fn gets_are_retried_through_server_errors_and_rate_limits() {
    let co = checkout(&token(false).await);
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"status","status":503,"times":2}}"#)).await;
    let pm = settle(co.payment_method(order.clone().into())).await.unwrap();
    assert_eq!(prop_str(&pm, "payment_source_type"), "wire_transfers");
    assert_eq!(gets_of(&order).await, 3, "two failures, then the answer");

    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"status","status":429,"retry_after":1}}"#)).await;
    let started = js_sys::Date::now();
    assert!(settle(co.payment_method(order.clone().into())).await.is_ok());
    assert!(js_sys::Date::now() - started >= 1000.0, "Retry-After was honoured");

    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"drop"}}"#)).await;
    assert!(settle(co.payment_method(order.clone().into())).await.is_ok(), "a dropped connection is retried");
    // Client errors are final: one request.
    let e = settle(co.payment_method("NoSuchOrder9".into())).await.unwrap_err();
    expect_error(&e, "api", Some(404));
    assert_eq!(gets_of("NoSuchOrder9").await, 1);
}

#[wasm_bindgen_test]
async fn a_create_whose_answer_is_lost_is_recovered_not_repeated() {
    let co = checkout(&token(false).await);
    let order = fresh_order(r#"{"payment_source_type":"stripe_payments"}"#).await;
    settle(co.payment_method(order.clone().into())).await.unwrap();
    // The API makes the source, then the connection drops before the answer.
    admin("POST", "/faults", r#"{"path":"/api/stripe_payments","method":"POST","fault":"drop_after"}"#).await;
    let source = settle(co.create_payment_source(order.clone().into(), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(prop_str(&source, "type"), "stripe_payments");
    assert!(prop_str(&source, "client_secret").contains("_secret_"));
    let state = admin("GET", &format!("/orders/{order}"), "").await;
    let sources = Array::from(&prop(&state, "payment_sources"));
    assert_eq!(sources.length(), 1, "exactly one payment source");
    assert_eq!(prop_str(&sources.get(0), "id"), prop_str(&source, "id"));
    let posts = requests_for(&order).await.iter().filter(|(m, _)| m == "POST").count();
    assert_eq!(posts, 1, "the POST was not repeated");
}

#[wasm_bindgen_test]
async fn an_expired_token_is_refreshed_once_through_the_token_function() {
    admin("POST", "/config", r#"{"token_ttl_seconds":0}"#).await;
    let expired = token(false).await;
    admin("POST", "/config", r#"{"token_ttl_seconds":14400}"#).await;
    let fresh = token(false).await;
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    // The function hands out the expired token first, then the fresh one.
    let provider = js_sys::Function::new_with_args(
        "",
        &format!("globalThis.__tokenCalls = (globalThis.__tokenCalls || 0) + 1; return globalThis.__tokenCalls === 1 ? {expired:?} : {fresh:?};"),
    );
    let co = Checkout::try_new(options(sandbox_url(), &provider.into())).unwrap_or_else(|_| panic!());
    let pm = settle(co.payment_method(order.clone().into())).await.unwrap();
    assert_eq!(prop_str(&pm, "payment_source_type"), "wire_transfers");
    let calls = js_sys::Reflect::get(&js_sys::global(), &"__tokenCalls".into()).unwrap().as_f64();
    assert_eq!(calls, Some(2.0));
    // A function that keeps giving an expired token gets one retry, then the error.
    let stale = js_sys::Function::new_with_args("", &format!("return {expired:?}"));
    let co = Checkout::try_new(options(sandbox_url(), &stale.into())).unwrap_or_else(|_| panic!());
    let e = settle(co.payment_method(order.into())).await.unwrap_err();
    assert!(expect_error(&e, "api", Some(401)).contains("INVALID_TOKEN"));
}

#[wasm_bindgen_test]
async fn an_abort_signal_stops_a_call() {
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"delay","delay_ms":2000}}"#)).await;
    let controller = web_sys::AbortController::new().unwrap();
    let o = options(sandbox_url(), &token(false).await.into());
    js_sys::Reflect::set(&o, &"signal".into(), &controller.signal()).unwrap();
    let co = Checkout::try_new(o).unwrap_or_else(|_| panic!());
    let pending = co.payment_method(order.into());
    let abort = js_sys::Function::new_with_args("c", "setTimeout(() => c.abort(), 100)");
    abort.call1(&JsValue::NULL, &controller).unwrap();
    let started = js_sys::Date::now();
    let e = settle(pending).await.unwrap_err();
    expect_error(&e, "aborted", None);
    assert!(js_sys::Date::now() - started < 1500.0, "stopped without waiting for the answer");
}

#[wasm_bindgen_test]
async fn a_proto_key_from_the_server_stays_plain_data() {
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    let body = r#"{\"data\":{\"id\":\"o1\",\"type\":\"orders\",\"relationships\":{\"payment_method\":{\"data\":{\"type\":\"payment_methods\",\"id\":\"p\"}}}},\"included\":[{\"id\":\"p\",\"type\":\"payment_methods\",\"attributes\":{\"payment_source_type\":\"wire_transfers\",\"__proto__\":{\"polluted\":true}}}]}"#;
    admin("POST", "/faults", &format!(r#"{{"path":"/api/orders/{order}","fault":"status","status":200,"body":"{body}"}}"#)).await;
    let pm = settle(checkout(&token(false).await).payment_method(order.into())).await.unwrap();
    let target: &js_sys::Object = pm.unchecked_ref();
    let own = js_sys::Object::get_own_property_descriptor(target, &"__proto__".into());
    assert!(own.is_object(), "__proto__ is an own data property");
    assert_eq!(js_sys::Object::get_prototype_of(&pm), js_sys::Object::get_prototype_of(&js_sys::Object::new().into()));
    assert!(prop(&pm, "polluted").is_undefined());
    assert!(prop(&js_sys::Object::new().into(), "polluted").is_undefined());
}

#[wasm_bindgen_test]
async fn values_cross_to_the_api_and_back_exactly() {
    // The page's attributes become the request body (JSON.stringify of the core's value) and the
    // created source comes back through JSON.parse, the core and the member-by-member builder.
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
    let metadata = r#"{"n":[0.1,1e21,-0,123456789012,1.5e-7,-42,5e-324],"s":"quote \" back \\ slash / é 😀 \u0001 \n tab\t","nested":{"a":[[],{},null,true,false],"":"empty key","__proto__":{"p":1}}}"#;
    let attributes = json(&format!(r#"{{"metadata":{metadata}}}"#));
    let source = settle(checkout(&token(false).await).create_payment_source(order.into(), attributes)).await.unwrap();
    let text = |v: &JsValue| JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(text(&prop(&source, "metadata")), text(&json(metadata)));
    let nested = prop(&prop(&source, "metadata"), "nested");
    let nested: &js_sys::Object = nested.unchecked_ref();
    let own = js_sys::Object::get_own_property_descriptor(nested, &"__proto__".into());
    assert!(own.is_object(), "__proto__ is an own data property");
}

#[wasm_bindgen_test]
async fn an_order_placed_asynchronously_is_waited_for_until_placed() {
    let order = fresh_order(r#"{"payment_source_type":"wire_transfers","place_async":true}"#).await;
    let co = checkout(&token(false).await);
    settle(co.create_payment_source(order.clone().into(), JsValue::UNDEFINED)).await.unwrap();
    let placed = settle(co.place_order(order.clone().into())).await.unwrap();
    assert_eq!(prop_str(&placed, "status"), "placed");
    let gets = requests_for(&order).await.into_iter().filter(|(m, _)| m == "GET").count();
    assert!(gets >= 2, "the placing order was read again: {gets}");
}

/// Runs `body` in a page whose `AbortSignal` lacks `any` (Safari before 17.4, Chrome before 116, Firefox before 124).
async fn without_abort_signal_any<F: std::future::Future<Output = ()>>(body: F) {
    let ctor = js_sys::Reflect::get(&js_sys::global(), &"AbortSignal".into()).unwrap();
    let any = js_sys::Reflect::get(&ctor, &"any".into()).unwrap();
    js_sys::Reflect::delete_property(ctor.unchecked_ref::<js_sys::Object>(), &"any".into()).unwrap();
    body.await;
    js_sys::Reflect::set(&ctor, &"any".into(), &any).unwrap();
}

#[wasm_bindgen_test]
async fn without_abort_signal_any_calls_still_finish_and_aborts_still_stop_them() {
    without_abort_signal_any(async {
        let order = fresh_order(r#"{"payment_source_type":"wire_transfers"}"#).await;
        let controller = web_sys::AbortController::new().unwrap();
        let o = options(sandbox_url(), &token(false).await.into());
        js_sys::Reflect::set(&o, &"signal".into(), &controller.signal()).unwrap();
        let co = Checkout::try_new(o).unwrap_or_else(|_| panic!());
        let found = settle(co.payment_method(order.clone().into())).await.unwrap();
        assert_eq!(prop_str(&found, "payment_source_type"), "wire_transfers");
        controller.abort();
        let e = settle(co.payment_method(order.into())).await.unwrap_err();
        expect_error(&e, "aborted", None);
    })
    .await;
}
