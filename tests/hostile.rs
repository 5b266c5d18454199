//! Bad and hostile input, from the page and from the server, against the
//! pure core: each case must give a typed error of the expected kind, never
//! a panic, and never a request built from the bad value.
#![cfg(not(target_arch = "wasm32"))]

use cl_checkout::api;
use cl_checkout::error::ErrorKind;
use cl_checkout::json::Json;
use cl_checkout::stripe::read_return_url;
use cl_checkout::validate::{BaseUrl, SourceType};

type Case = (&'static str, ErrorKind, Box<dyn Fn() -> Result<(), cl_checkout::error::CheckoutError>>);

fn order_with_type(ty: &str) -> String {
    format!(
        r#"{{"data":{{"id":"o1","type":"orders","relationships":{{"payment_method":{{"data":{{"type":"payment_methods","id":"p"}}}}}}}},
        "included":[{{"id":"p","type":"payment_methods","attributes":{{"payment_source_type":{ty}}}}}]}}"#
    )
}

/// Reads a server answer as `paymentMethod` would.
fn payment_method(status: u16, body: String) -> Result<(), cl_checkout::error::CheckoutError> {
    api::decode_payment_method(&api::read(status, &body)?).map(|_| ())
}

fn page_case(name: &'static str, f: impl Fn() -> Result<(), cl_checkout::error::CheckoutError> + 'static) -> Case {
    (name, ErrorKind::InvalidInput, Box::new(f))
}

fn server_case(name: &'static str, kind: ErrorKind, status: u16, body: impl Into<String>) -> Case {
    let body = body.into();
    (name, kind, Box::new(move || payment_method(status, body.clone())))
}

fn cps(customer: &str, ty: &str, id: &str, metadata: Option<Json>) -> Json {
    let mut input = Json::object([
        ("customer_id", Json::str(customer)),
        ("payment_source", Json::object([("type", Json::str(ty)), ("id", Json::str(id))])),
    ]);
    if let Some(metadata) = metadata {
        input.insert("metadata", metadata);
    }
    input
}

fn cases() -> Vec<Case> {
    let long = "a".repeat(1_000_000);
    let mut cases: Vec<Case> = Vec::new();
    // From the page: ids.
    for (name, id) in [
        ("empty order id", String::new()),
        ("path traversal id", "../orders".into()),
        ("slash in id", "a/b".into()),
        ("query in id", "a?include=customer".into()),
        ("fragment in id", "a#b".into()),
        ("encoded traversal id", "%2e%2e%2forders".into()),
        ("65-character id", "x".repeat(65)),
        ("1 MB id", long.clone()),
        ("non-ASCII id", "ordér".into()),
        ("NUL in id", "a\0b".into()),
        ("CRLF header injection id", "a\r\nX-Evil: 1".into()),
    ] {
        cases.push(page_case(name, move || api::payment_method_request(&id).map(|_| ())));
    }
    // From the page: base URLs.
    for (name, url) in [
        ("javascript: base URL", "javascript:alert(1)"),
        ("data: base URL", "data:text/html,<script>1</script>"),
        ("remote http base URL", "http://evil.example"),
        ("base URL with path", "https://x.example/api?x=1"),
        ("base URL with credentials", "https://user:pw@x.example"),
        ("empty base URL", ""),
        ("base URL with leading space", " https://x.example"),
        ("protocol-relative base URL", "//x.example"),
    ] {
        cases.push(page_case(name, move || BaseUrl::parse(url).map(|_| ())));
    }
    // From the page: attributes and inputs.
    cases.push(page_case("attributes as an array", || {
        api::create_payment_source_request(SourceType::STRIPE, "o1", Json::Array(vec![])).map(|_| ())
    }));
    cases.push(page_case("attributes as a string", || {
        api::create_payment_source_request(SourceType::STRIPE, "o1", Json::str(&"x".repeat(100_000))).map(|_| ())
    }));
    cases.push(page_case("hostile payment_source.type", || {
        api::create_customer_payment_source_request(&cps("c1", "../orders", "s1", None)).map(|_| ())
    }));
    cases.push(page_case("metadata as a string", || {
        api::create_customer_payment_source_request(&cps("c1", "stripe_payments", "s1", Some(Json::str("x")))).map(|_| ())
    }));
    cases.push(page_case("customer id with slash", || {
        api::create_customer_payment_source_request(&cps("c/1", "stripe_payments", "s1", None)).map(|_| ())
    }));
    cases.push(page_case("malformed client secret in the return URL", || {
        read_return_url("https://shop.example/?payment_intent_client_secret=pi_1_secret_a%22%3E").map(|_| ())
    }));
    // From the server: payment source types.
    for (name, ty) in [
        ("path-like source type", r#""../orders""#),
        ("source type with query", r#""stripe_payments?x=1""#),
        ("source type with traversal", r#""stripe_payments/../../admin""#),
        ("upper-case source type", r#""STRIPE_PAYMENTS""#),
        ("empty source type", r#""""#),
        ("unknown source type", r#""bitcoin_payments""#),
        ("huge source type", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""),
    ] {
        cases.push(server_case(name, ErrorKind::UnsupportedSourceType, 200, order_with_type(ty)));
    }
    // From the server: shapes and bodies.
    cases.push(server_case("source type as a number", ErrorKind::Decode, 200, order_with_type("42")));
    cases.push(server_case("source type missing", ErrorKind::Decode, 200, order_with_type("null")));
    cases.push(server_case(
        "payment method not included",
        ErrorKind::Decode,
        200,
        r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_method":{"data":{"type":"payment_methods","id":"p"}}}}}"#,
    ));
    cases.push(server_case("data is a string", ErrorKind::Decode, 200, r#"{"data":"orders"}"#));
    cases.push(server_case("data is a list", ErrorKind::Decode, 200, r#"{"data":[{"id":"o1","type":"orders"}]}"#));
    cases.push(server_case(
        "included is an object",
        ErrorKind::Decode,
        200,
        r#"{"data":{"id":"o1","type":"orders"},"included":{}}"#,
    ));
    cases.push(server_case("id is a number", ErrorKind::Decode, 200, r#"{"data":{"id":1,"type":"orders"}}"#));
    cases.push(server_case(
        "malformed linkage",
        ErrorKind::Decode,
        200,
        r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_method":{"data":{"id":7}}}}}"#,
    ));
    cases.push(server_case("100 000-deep nesting", ErrorKind::Decode, 200, "[".repeat(100_000)));
    cases.push(server_case("cut-off body", ErrorKind::Decode, 200, r#"{"data":{"id":"o1","type":"ord"#));
    cases.push(server_case("HTML with a 200", ErrorKind::Decode, 200, "<!doctype html><title>Login</title>"));
    cases.push(server_case("replacement characters (non-UTF-8 on the wire)", ErrorKind::Decode, 200, "\u{FFFD}\u{FFFD}{}"));
    cases.push(server_case("empty 200", ErrorKind::Decode, 200, ""));
    cases.push(server_case("HTML 502 from a proxy", ErrorKind::Api, 502, "<html><body>502 Bad Gateway</body></html>"));
    cases.push(server_case("errors that are not objects", ErrorKind::Api, 422, r#"{"errors":[1,"two",null]}"#));
    cases.push(server_case(
        "ten thousand errors",
        ErrorKind::Api,
        422,
        format!(r#"{{"errors":[{}]}}"#, vec![r#"{"code":"X"}"#; 10_000].join(",")),
    ));
    cases.push((
        "created source of another type",
        ErrorKind::Decode,
        Box::new(|| {
            let doc = api::read(201, r#"{"data":{"id":"s1","type":"adyen_payments","attributes":{}}}"#)?;
            api::decode_payment_source(&doc, SourceType::STRIPE).map(|_| ())
        }),
    ));
    cases.push((
        "stripe source without client_secret",
        ErrorKind::Decode,
        Box::new(|| {
            let doc = api::read(201, r#"{"data":{"id":"s1","type":"stripe_payments","attributes":{"client_secret":5}}}"#)?;
            api::decode_payment_source(&doc, SourceType::STRIPE).map(|_| ())
        }),
    ));
    cases.push((
        "a relationship chain 2 000 resources long",
        ErrorKind::Decode,
        Box::new(|| api::decode_order(&api::read(200, &chain(2_000))?).map(|_| ())),
    ));
    cases
}

/// An order whose payment method links through `n` included resources, each to the next.
fn chain(n: usize) -> String {
    let link = |i: usize| format!(r#"{{"type":"payment_methods","id":"p{i}"}}"#);
    let included: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id":"p{i}","type":"payment_methods","relationships":{{"next":{{"data":{}}}}}}}"#, link(i + 1)))
        .collect();
    format!(
        r#"{{"data":{{"id":"o1","type":"orders","relationships":{{"payment_method":{{"data":{}}}}}}},"included":[{}]}}"#,
        link(0),
        included.join(",")
    )
}

/// An order linking to the 2 nodes of layer 0, each node linking to both nodes of the next layer:
/// expanded naively, 2^layers resources.
fn lattice(layers: usize) -> String {
    let node = |l: usize, k: usize| format!(r#"{{"type":"line_items","id":"n{l}_{k}"}}"#);
    let mut included = Vec::new();
    for l in 0..layers {
        for k in 0..2 {
            let next = if l + 1 < layers { format!("[{},{}]", node(l + 1, 0), node(l + 1, 1)) } else { "[]".into() };
            included.push(format!(r#"{{"id":"n{l}_{k}","type":"line_items","relationships":{{"next":{{"data":{next}}}}}}}"#));
        }
    }
    format!(
        r#"{{"data":{{"id":"o1","type":"orders","relationships":{{"line_items":{{"data":[{},{}]}}}}}},"included":[{}]}}"#,
        node(0, 0),
        node(0, 1),
        included.join(",")
    )
}

#[test]
fn shared_links_are_expanded_within_a_budget_not_exponentially() {
    // 20 layers (the chain cap is deeper): naively 2^21 resources; capped, a bounded answer.
    let doc = api::read(200, &lattice(20)).unwrap();
    let (order, _) = api::decode_order(&doc).unwrap();
    let size = order.to_json_string().len();
    assert!(size < 2_000_000, "the expanded order is {size} bytes");
    let expanded = order.to_json_string().matches(r#""next":"#).count();
    assert!(expanded <= cl_checkout::jsonapi::MAX_EXPANDED + 2, "{expanded} resources expanded");
}

#[test]
fn every_bad_input_gets_a_typed_error() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for (name, kind, run) in &cases {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
        let result = outcome.unwrap_or_else(|_| panic!("{name}: panicked"));
        let err = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(err.kind, *kind, "{name}: {}", err.message);
        assert!(!err.message.is_empty() && err.message.len() < 400, "{name}: {}", err.message);
        for echoed in ["../", "<script", "\r\n", "evil.example"] {
            assert!(!err.message.contains(echoed), "{name} echoed {echoed:?}: {}", err.message);
        }
    }
    println!("{} bad inputs, each refused with a typed error", cases.len());
}
