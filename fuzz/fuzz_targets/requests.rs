//! Any caller input: a request is built only from valid ids, its path never
//! gains a segment, query or fragment, and its body is always JSON.
#![no_main]

use cl_checkout::api;
use cl_checkout::json::{self, Json};
use cl_checkout::stripe::read_return_url;
use cl_checkout::validate::{BaseUrl, SourceType};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let a = parts.next().unwrap_or_default();
    let b = parts.next().unwrap_or_default();
    let base = BaseUrl::parse("https://shop.example").unwrap();
    if let Ok(req) = api::payment_method_request(a) {
        assert_eq!(req.path, format!("/api/orders/{a}"));
        assert!(!a.contains(['/', '?', '#', '%', '.']) && !a.is_empty());
        assert!(req.url(&base).starts_with("https://shop.example/api/orders/"));
    }
    for t in SourceType::all() {
        if let Ok(req) = api::create_payment_source_request(t, a, json::parse(b).unwrap_or(Json::Object(vec![]))) {
            assert!(json::parse(req.body.as_deref().unwrap()).is_ok());
            assert_eq!(req.path, format!("/api/{}", t.as_str()));
        }
    }
    // Any JSON as the argument, and a well-formed one with the fuzzer's strings in every member.
    let any = json::parse(b).unwrap_or(Json::Null);
    let members = Json::object([
        ("customer_id", Json::str(a)),
        ("payment_source", Json::object([("type", Json::str(b)), ("id", Json::str(a))])),
        ("payment_source_token", Json::str(a)),
        ("reference", Json::str(b)),
        ("metadata", any.clone()),
    ]);
    for input in [any, members] {
        if let Ok(req) = api::create_customer_payment_source_request(&input) {
            assert!(json::parse(req.body.as_deref().unwrap()).is_ok());
        }
    }
    if let Ok(url) = BaseUrl::parse(a) {
        assert!(!url.as_str().contains(['?', '#', '@', ' ']));
    }
    if let Ok(Some(ret)) = read_return_url(&text) {
        assert!(!ret.clean_url.contains(&ret.client_secret));
    }
});
