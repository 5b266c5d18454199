//! cl-sandbox over real HTTP on 127.0.0.1: bad input gets the API's errors,
//! faults behave as armed, and concurrent checkouts lose or duplicate nothing.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

#[test]
fn starts_fast_and_serves_its_seed() {
    let t = Instant::now();
    let addr = start();
    let seed = admin(addr, "GET", "/sandbox/seed", Value::Null);
    assert!(t.elapsed() < Duration::from_millis(500), "{:?}", t.elapsed());
    assert_eq!(seed["client_id"], "sandbox_sales_channel_client_id");
    assert_eq!(seed["customer"]["email"], "shopper@example.com");
    let orders = seed["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 23);
    assert!(orders.iter().any(|o| o["market"] == "MarketSbxC" && o["payment_source_type"] == "stripe_payments"));
    assert!(orders.iter().any(|o| o["payment_source_type"] == "stripe_payments" && o["customer_email"].is_null()));
    assert!(orders.iter().any(|o| o["payment_source_type"] == "wire_transfers" && o["customer_email"] == "shopper@example.com"));

    // Reset forgets what tests made and seeds fresh orders.
    let made = fresh_order(addr, json!({"payment_source_type": "wire_transfers"}));
    let reseeded = admin(addr, "POST", "/sandbox/reset", Value::Null);
    assert_ne!(reseeded["orders"][0]["id"], seed["orders"][0]["id"]);
    let gone = send(addr, "GET", &format!("/sandbox/orders/{made}"), &[], b"");
    assert_eq!(gone.status, 404);
}

#[test]
fn bad_input_gets_the_errors_the_api_sends() {
    let addr = start();
    let tok = token(addr);
    let order = fresh_order(addr, json!({"payment_source_type": "stripe_payments"}));
    let create = |body: &str| api(addr, &tok, "POST", "/api/stripe_payments", body);

    let malformed = create("{\"data\":");
    assert_eq!((malformed.status, first_error(&malformed)["code"].as_str()), (400, Some("BAD_REQUEST")));
    assert_eq!(first_error(&malformed)["status"], "400", "status is a string");

    let wrong_type = create(r#"{"data":{"type":"stripe_payments","attributes":[1,2]}}"#);
    assert_eq!(wrong_type.status, 400);
    assert_eq!(first_error(&wrong_type)["source"]["pointer"], "/data/attributes");

    let type_mismatch = create(r#"{"data":{"type":"orders","attributes":{}}}"#);
    assert_eq!(type_mismatch.status, 409);

    let unknown = create(&format!(
        r#"{{"data":{{"type":"stripe_payments","attributes":{{"surprise":1}},"relationships":{{"order":{{"data":{{"type":"orders","id":"{order}"}}}}}}}}}}"#
    ));
    assert_eq!((unknown.status, first_error(&unknown)["code"].as_str()), (400, Some("PARAM_NOT_ALLOWED")));
    assert_eq!(first_error(&unknown)["source"]["pointer"], "/data/attributes/surprise");

    let no_order = create(r#"{"data":{"type":"stripe_payments","attributes":{}}}"#);
    assert_eq!((no_order.status, first_error(&no_order)["code"].as_str()), (422, Some("VALIDATION_ERROR")));
    assert_eq!(first_error(&no_order)["source"]["pointer"], "/data/relationships/order");

    let huge = vec![b'x'; 2 * 1024 * 1024];
    let auth = format!("Bearer {tok}");
    let too_big = send(
        addr,
        "POST",
        "/api/stripe_payments",
        &[("Accept", JSON_API), ("Content-Type", JSON_API), ("Authorization", &auth)],
        &huge,
    );
    assert_eq!(too_big.status, 413);

    let not_acceptable =
        send(addr, "GET", &format!("/api/orders/{order}"), &[("Authorization", &auth), ("Accept", "text/html")], b"");
    assert_eq!(not_acceptable.status, 406);
    let unsupported = send(
        addr,
        "PATCH",
        &format!("/api/orders/{order}"),
        &[("Authorization", &auth), ("Accept", JSON_API), ("Content-Type", "application/json")],
        b"{}",
    );
    assert_eq!(unsupported.status, 415);

    let bad_include = api(addr, &tok, "GET", &format!("/api/orders/{order}?include=nonsense"), "");
    assert_eq!((bad_include.status, first_error(&bad_include)["code"].as_str()), (400, Some("INVALID_INCLUDE")));

    let unknown_order = api(addr, &tok, "GET", "/api/orders/Nope123456", "");
    assert_eq!((unknown_order.status, first_error(&unknown_order)["code"].as_str()), (404, Some("RECORD_NOT_FOUND")));

    let forbidden_trigger = api(
        addr,
        &tok,
        "PATCH",
        &format!("/api/orders/{order}"),
        &format!(r#"{{"data":{{"type":"orders","id":"{order}","attributes":{{"_approve":true}}}}}}"#),
    );
    assert_eq!(forbidden_trigger.status, 400);

    // Garbage on the wire, then the server still answers.
    let mut raw = TcpStream::connect(addr).unwrap();
    raw.write_all(b"\x00\x01garbage\r\n\r\n").unwrap();
    let mut out = Vec::new();
    let _ = raw.read_to_end(&mut out);
    assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 400"));
    assert_eq!(api(addr, &tok, "GET", &format!("/api/orders/{order}"), "").status, 200);
}

#[test]
fn tokens_expire_and_unknown_ones_are_refused() {
    let addr = start();
    admin(addr, "POST", "/sandbox/config", json!({"token_ttl_seconds": 0}));
    let expired = token(addr);
    let answer = api(addr, &expired, "GET", "/api/payment_methods", "");
    assert_eq!((answer.status, first_error(&answer)["code"].as_str()), (401, Some("INVALID_TOKEN")));
    let answer = api(addr, "made-up", "GET", "/api/payment_methods", "");
    assert_eq!((answer.status, first_error(&answer)["code"].as_str()), (401, Some("UNAUTHORIZED")));
    let bad_client = send(
        addr,
        "POST",
        "/oauth/token",
        &[("Content-Type", "application/json")],
        br#"{"grant_type":"client_credentials","client_id":"x"}"#,
    );
    assert_eq!(bad_client.status, 401);
}

#[test]
fn rate_limit_answers_429_with_headers() {
    let addr = start();
    admin(addr, "POST", "/sandbox/config", json!({"rate_limit": 3}));
    let tok = token(addr);
    let statuses: Vec<u16> = (0..5).map(|_| api(addr, &tok, "GET", "/api/payment_methods", "").status).collect();
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let limited = api(addr, &tok, "GET", "/api/payment_methods", "");
    assert!(
        limited.head.contains("X-Ratelimit-Limit: 3") && limited.head.contains("X-Ratelimit-Remaining: 0"),
        "{}",
        limited.head
    );
}

#[test]
fn faults_fire_as_armed_then_stop() {
    let addr = start();
    let tok = token(addr);
    admin(addr, "POST", "/sandbox/faults", json!({"path": "/api/payment_methods", "fault": "status", "status": 503, "times": 2}));
    let statuses: Vec<u16> = (0..3).map(|_| api(addr, &tok, "GET", "/api/payment_methods", "").status).collect();
    assert_eq!(statuses, [503, 503, 200]);
    admin(addr, "POST", "/sandbox/faults", json!({"path": "/api/payment_methods", "fault": "drop"}));
    assert_eq!(api(addr, &tok, "GET", "/api/payment_methods", "").status, 0, "dropped: no answer at all");
    admin(addr, "POST", "/sandbox/faults", json!({"path": "/api/payment_methods", "fault": "truncate"}));
    let cut = api(addr, &tok, "GET", "/api/payment_methods", "");
    assert_eq!((cut.status, cut.body.is_null()), (200, true), "status sent, body cut");
}

#[test]
fn concurrent_checkouts_lose_and_duplicate_nothing() {
    let addr = start();
    let tok = token(addr);
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let tok = tok.clone();
            std::thread::spawn(move || {
                let order = fresh_order(addr, json!({"payment_source_type": "stripe_payments"}));
                let source = stripe_source(addr, &tok, &order);
                assert_eq!(source.status, 201);
                let attrs = &source.body["data"]["attributes"];
                let intent = attrs["stripe_id"].as_str().unwrap();
                let confirm = confirm_card(addr, attrs, "4242424242424242");
                assert_eq!(confirm.status, 200);
                let place = format!(r#"{{"data":{{"type":"orders","id":"{order}","attributes":{{"_place":true}}}}}}"#);
                let placed = api(addr, &tok, "PATCH", &format!("/api/orders/{order}"), &place);
                assert_eq!(placed.body["data"]["attributes"]["status"], "placed");
                (order, intent.to_string())
            })
        })
        .collect();
    let results: Vec<(String, String)> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let intents: std::collections::HashSet<_> = results.iter().map(|(_, pi)| pi.clone()).collect();
    assert_eq!(intents.len(), 16, "one intent per checkout");
    for (order, _) in &results {
        let state = admin(addr, "GET", &format!("/sandbox/orders/{order}"), Value::Null);
        assert_eq!(state["status"], "placed");
        assert_eq!(state["payment_sources"].as_array().unwrap().len(), 1, "exactly one payment source");
    }
}

#[test]
fn a_changed_total_flags_mismatched_amounts_until_the_source_is_updated() {
    let addr = start();
    let tok = token(addr);
    let order = fresh_order(addr, json!({"payment_source_type": "stripe_payments"}));
    let source = stripe_source(addr, &tok, &order).body["data"].clone();
    let (sid, attrs) = (source["id"].as_str().unwrap().to_string(), source["attributes"].clone());
    let doc = api(addr, &tok, "GET", &format!("/api/orders/{order}?include=line_items"), "").body;
    let item = doc["included"][0]["id"].as_str().unwrap().to_string();
    let more = format!(r#"{{"data":{{"type":"line_items","id":"{item}","attributes":{{"quantity":5}}}}}}"#);
    assert_eq!(api(addr, &tok, "PATCH", &format!("/api/line_items/{item}"), &more).status, 200);
    let after = api(addr, &tok, "GET", &format!("/api/stripe_payments/{sid}"), "");
    assert_eq!(after.body["data"]["attributes"]["mismatched_amounts"], true);

    assert_eq!(confirm_card(addr, &attrs, "4242424242424242").status, 200);
    let place = format!(r#"{{"data":{{"type":"orders","id":"{order}","attributes":{{"_place":true}}}}}}"#);
    let refused = api(addr, &tok, "PATCH", &format!("/api/orders/{order}"), &place);
    assert_eq!((refused.status, first_error(&refused)["meta"]["error"].as_str()), (422, Some("mismatched_amounts")));

    let update = format!(r#"{{"data":{{"type":"stripe_payments","id":"{sid}","attributes":{{"_update":true}}}}}}"#);
    let updated = api(addr, &tok, "PATCH", &format!("/api/stripe_payments/{sid}"), &update);
    assert_eq!(updated.body["data"]["attributes"]["mismatched_amounts"], false);
    assert_eq!(api(addr, &tok, "PATCH", &format!("/api/orders/{order}"), &place).body["data"]["attributes"]["status"], "placed");
}

#[test]
fn customers_sign_in_and_refresh_their_token() {
    let addr = start();
    let login = json!({"grant_type": "password", "client_id": "sandbox_sales_channel_client_id", "username": "shopper@example.com", "password": "sandbox-password"});
    let answer = send(addr, "POST", "/oauth/token", &[("Content-Type", "application/json")], login.to_string().as_bytes());
    assert_eq!((answer.status, answer.body["owner_type"].as_str()), (200, Some("customer")));
    let refresh = json!({"grant_type": "refresh_token", "client_id": "sandbox_sales_channel_client_id", "refresh_token": answer.body["refresh_token"]});
    let again = send(addr, "POST", "/oauth/token", &[("Content-Type", "application/json")], refresh.to_string().as_bytes());
    assert_eq!((again.status, again.body["owner_id"].as_str()), (200, Some("CustomerA1")));
    let wrong = json!({"grant_type": "password", "client_id": "sandbox_sales_channel_client_id", "username": "shopper@example.com", "password": "nope"});
    assert_eq!(
        send(addr, "POST", "/oauth/token", &[("Content-Type", "application/json")], wrong.to_string().as_bytes()).status,
        401
    );
    // A customer sees only its own orders.
    let tok = answer.body["access_token"].as_str().unwrap();
    let other = admin(addr, "POST", "/sandbox/orders", json!({"payment_source_type": "wire_transfers", "customer": "second"}))
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(api(addr, tok, "GET", &format!("/api/orders/{other}"), "").status, 404);
}

#[test]
fn browser_library_stand_ins_are_served_at_their_loaders_paths() {
    let addr = start();
    for (path, global) in [
        ("/v3/", "window).Stripe"),
        ("/checkoutshopper/sdk/6.45.2/adyen.js", "AdyenWeb"),
        ("/web/3.144.0/js/client.min.js", "braintree"),
        ("/web/3.144.0/js/hosted-fields.min.js", "braintree"),
        ("/web/3.144.0/js/three-d-secure.min.js", "braintree"),
        ("/checkout-web-components/index.js", "CheckoutWebComponents"),
        ("/kp/lib/v1/api.js", "Klarna"),
        ("/pagam/javascript/axerve.js", "axerve"),
    ] {
        let page = get_text(addr, path);
        assert!(page.starts_with("HTTP/1.1 200"), "{path}");
        assert!(page.contains(global), "{path} sets {global}");
    }
    // Both card frames carry the shared card checks, inlined where each says.
    for path in ["/stripe/frame.html", "/gateways/card-frame.html"] {
        let page = get_text(addr, path);
        assert!(page.contains("function luhn(") && !page.contains("inlined by the sandbox"), "{path}");
    }
}

/// The whole answer to a GET, as text (pages and scripts are not JSON).
fn get_text(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    raw
}
