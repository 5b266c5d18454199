//! The sandbox against Commerce Layer's published schema and behaviour:
//! every writable field is accepted and every other one refused as the API
//! refuses it, lists page/filter/sort as the API does, the checkout triggers
//! behave, and the sandbox keeps its own secrets. Every answer of these
//! tests is also checked by the sandbox's conformance tally.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

fn schema() -> Value {
    serde_json::from_str(include_str!("../schema/resources.json")).unwrap()
}

/// A value of the schema type `ty` (the first listed value for enums).
fn sample(field: &Value) -> Value {
    if let Some(first) = field["enum"].as_array().and_then(|v| v.first()) {
        return first.clone();
    }
    match field["type"].as_str().unwrap_or("string") {
        "boolean" => json!(true),
        "integer" => json!(1),
        "float" => json!(1.5),
        "object" => json!({"sample": true}),
        "array" => json!(["sample"]),
        "datetime" => json!("2026-01-01T00:00:00.000Z"),
        _ => json!("sample"),
    }
}

/// `(name, field)` of `ty` that a storefront may write (`creatable` or `updatable`).
fn writable(schema: &Value, ty: &str, op: &str) -> Vec<(String, Value)> {
    schema["resources"][ty]["fields"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, f)| f[op] == true && f["prohibited"] != true)
        .map(|(n, f)| (n.clone(), f.clone()))
        .collect()
}

/// Every other field (read-only or prohibited): the API names it in a 400.
fn not_writable(schema: &Value, ty: &str, op: &str) -> Vec<String> {
    schema["resources"][ty]["fields"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(n, f)| (f[op] != true || f["prohibited"] == true) && *n != "id")
        .map(|(n, _)| n.clone())
        .collect()
}

fn assert_refused(answer: &Answer, field: &str) {
    assert_eq!(answer.status, 400, "{field}: {}", answer.body);
    let e = &answer.body["errors"][0];
    assert_eq!(e["code"], "PARAM_NOT_ALLOWED", "{field}");
    assert_eq!(e["source"]["pointer"], format!("/data/attributes/{field}"));
    assert!(e["detail"].as_str().unwrap().contains(field));
}

/// What the gateway table says each type requires on create, with test values.
fn required(ty: &str) -> Value {
    let mut attrs = json!({});
    for name in cl_gateways::find(ty).map_or(&[][..], |g| g.required) {
        attrs[*name] = json!(if name.ends_with("_url") { "https://shop.example/r" } else { "tok_1" });
    }
    attrs
}

fn create_source(addr: SocketAddr, tok: &str, ty: &str, order: &str, attributes: Value) -> Answer {
    let body = json!({"data": {"type": ty, "attributes": attributes,
                               "relationships": {"order": {"data": {"type": "orders", "id": order}}}}});
    api(addr, tok, "POST", &format!("/api/{ty}"), &body.to_string())
}

#[test]
fn every_writable_field_is_accepted_and_every_other_refused_by_name() {
    let addr = start();
    let tok = token(addr);
    let s = schema();
    for ty in cl_gateways::GATEWAYS.map(|g| g.source_type) {
        let order = fresh_order(addr, json!({"payment_source_type": ty}));
        for (name, field) in writable(&s, ty, "creatable") {
            let mut attrs = required(ty);
            attrs[&name] = sample(&field);
            let answer = create_source(addr, &tok, ty, &order, attrs);
            assert_eq!(answer.status, 201, "{ty}.{name} on create: {}", answer.body);
            assert_eq!(answer.body["data"]["attributes"][&name], sample(&field), "{ty}.{name} stored");
        }
        for name in not_writable(&s, ty, "creatable") {
            let mut attrs = required(ty);
            attrs[&name] = json!("x");
            assert_refused(&create_source(addr, &tok, ty, &order, attrs), &name);
        }
        let created = create_source(addr, &tok, ty, &order, required(ty));
        let id = created.body["data"]["id"].as_str().unwrap().to_string();
        for (name, field) in writable(&s, ty, "updatable") {
            let body = json!({"data": {"type": ty, "id": id, "attributes": {&name: sample(&field)}}});
            let answer = api(addr, &tok, "PATCH", &format!("/api/{ty}/{id}"), &body.to_string());
            assert!(answer.status != 400 && answer.status < 500, "{ty}.{name} on update: {} {}", answer.status, answer.body);
        }
        for name in not_writable(&s, ty, "updatable") {
            let body = json!({"data": {"type": ty, "id": id, "attributes": {&name: "x"}}});
            assert_refused(&api(addr, &tok, "PATCH", &format!("/api/{ty}/{id}"), &body.to_string()), &name);
        }
    }

    let order = fresh_order(addr, json!({"payment_source_type": "wire_transfers"}));
    for (name, field) in writable(&s, "orders", "updatable") {
        let answer = patch_order(addr, &tok, &order, json!({&name: sample(&field)}));
        assert!(answer.status != 400 && answer.status < 500, "orders.{name}: {} {}", answer.status, answer.body);
        if !name.starts_with('_') && field["fetchable"] == true {
            assert_eq!(answer.body["data"]["attributes"][&name], sample(&field), "orders.{name} stored");
        }
    }
    for name in not_writable(&s, "orders", "updatable") {
        assert_refused(&patch_order(addr, &tok, &order, json!({&name: "x"})), &name);
    }
    let typo = patch_order(addr, &tok, &order, json!({"place_async": "soon"}));
    assert_eq!((typo.status, typo.body["errors"][0]["code"].as_str()), (400, Some("INVALID_FIELD_VALUE")));

    let doc = api(addr, &tok, "GET", &format!("/api/orders/{order}?include=line_items"), "").body;
    let item = doc["included"][0]["id"].as_str().unwrap().to_string();
    for (name, field) in writable(&s, "line_items", "updatable") {
        let body = json!({"data": {"type": "line_items", "id": item, "attributes": {&name: sample(&field)}}});
        let answer = api(addr, &tok, "PATCH", &format!("/api/line_items/{item}"), &body.to_string());
        assert!(answer.status != 400 && answer.status < 500, "line_items.{name}: {} {}", answer.status, answer.body);
    }
    let price = json!({"data": {"type": "line_items", "id": item, "attributes": {"unit_amount_cents": 1}}});
    assert_refused(&api(addr, &tok, "PATCH", &format!("/api/line_items/{item}"), &price.to_string()), "unit_amount_cents");

    let tally = conformance(addr);
    assert_eq!(tally["violation_count"], 0, "{}", tally["violations"]);
    assert!(tally["resources"].as_u64().unwrap() > 150, "{tally}");
}

#[test]
fn full_gets_carry_every_fetchable_field_and_nothing_else() {
    let addr = start();
    let tok = token(addr);
    let order = fresh_order(addr, json!({"payment_source_type": "stripe_payments"}));
    let source = stripe_source(addr, &tok, &order).body["data"].clone();
    let attrs = source["attributes"].as_object().unwrap();
    assert!(!attrs.contains_key("amount_cents") && !attrs.contains_key("intent_status"));
    assert!(attrs.contains_key("charge_id") && attrs["charge_id"].is_null(), "unset fields are null");
    let doc =
        api(addr, &tok, "GET", &format!("/api/orders/{order}?include=line_items,payment_method,payment_source,market"), "").body;
    assert!(doc["data"]["attributes"]["number"].is_string(), "orders.number is a string");
    assert_eq!(doc["data"]["relationships"].as_object().unwrap().len(), 40, "every relationship, with links");
    assert_eq!(doc["included"].as_array().unwrap().len(), 5);
    // Sparse fieldsets still cut attributes and relationships.
    let sparse = api(addr, &tok, "GET", &format!("/api/orders/{order}?fields[orders]=number,payment_method"), "").body;
    assert_eq!(sparse["data"]["attributes"].as_object().unwrap().len(), 1);
    assert_eq!(sparse["data"]["relationships"].as_object().unwrap().len(), 1);
    let tally = conformance(addr);
    assert_eq!(tally["violation_count"], 0, "{}", tally["violations"]);
}

#[test]
fn lists_page_filter_and_sort_as_the_api_does() {
    let addr = start();
    let (customer, _) = {
        let made = admin(addr, "POST", "/sandbox/orders", json!({"payment_source_type": "stripe_payments", "wallet": 30}));
        (made["customer_id"].as_str().unwrap().to_string(), made)
    };
    // The wallet customer signs in through a customer token made for it.
    let tok = admin(addr, "POST", "/sandbox/tokens", json!({"customer": customer}))["access_token"].as_str().unwrap().to_string();
    let first = api(addr, &tok, "GET", "/api/customer_payment_sources", "").body;
    assert_eq!(first["data"].as_array().unwrap().len(), 10, "page[size] defaults to 10");
    assert_eq!((first["meta"]["record_count"].as_u64(), first["meta"]["page_count"].as_u64()), (Some(30), Some(3)));
    assert!(first["links"]["next"].as_str().unwrap().contains("page%5Bnumber%5D=2"));
    assert!(first["links"].get("prev").is_none());
    let last = api(addr, &tok, "GET", "/api/customer_payment_sources?page[size]=25&page[number]=2", "").body;
    assert_eq!(last["data"].as_array().unwrap().len(), 5);
    assert!(last["links"]["prev"].is_string() && last["links"].get("next").is_none());
    let too_big = api(addr, &tok, "GET", "/api/customer_payment_sources?page[size]=26", "");
    assert_eq!((too_big.status, too_big.body["errors"][0]["code"].as_str()), (400, Some("INVALID_PAGE_VALUE")));

    let one = first["data"][3]["attributes"]["payment_source_token"].as_str().unwrap().to_string();
    let eq = api(addr, &tok, "GET", &format!("/api/customer_payment_sources?filter[q][payment_source_token_eq]={one}"), "").body;
    assert_eq!(eq["meta"]["record_count"], 1);
    let two = first["data"][5]["attributes"]["payment_source_token"].as_str().unwrap().to_string();
    let within =
        api(addr, &tok, "GET", &format!("/api/customer_payment_sources?filter[q][payment_source_token_in]={one},{two}"), "");
    assert_eq!(within.body["meta"]["record_count"], 2);
    let not_allowed = api(addr, &tok, "GET", "/api/customer_payment_sources?filter[q][customer_token_eq]=x", "");
    assert_eq!((not_allowed.status, not_allowed.body["errors"][0]["code"].as_str()), (400, Some("FILTER_NOT_ALLOWED")));

    let sorted = api(addr, &tok, "GET", "/api/customer_payment_sources?sort=-reference,-created_at&page[size]=25", "");
    assert_eq!(sorted.status, 200);
    let guest = token(addr);
    let methods = api(
        addr,
        &guest,
        "GET",
        "/api/payment_methods?filter[q][payment_source_type_in]=stripe_payments,wire_transfers&sort=name",
        "",
    )
    .body;
    let names: Vec<&str> =
        methods["data"].as_array().unwrap().iter().map(|m| m["attributes"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Credit card (Stripe)", "Wire transfer"]);
    let bad_sort = api(addr, &guest, "GET", "/api/payment_methods?sort=moto", "");
    assert_eq!(bad_sort.body["errors"][0]["code"], "INVALID_SORT_CRITERIA");
    let tally = conformance(addr);
    assert_eq!(tally["violation_count"], 0, "{}", tally["violations"]);
}

#[test]
fn ids_in_the_body_must_match_the_url() {
    let addr = start();
    let tok = token(addr);
    let order = fresh_order(addr, json!({"payment_source_type": "wire_transfers"}));
    let body = json!({"data": {"type": "orders", "id": "SomeOther1", "attributes": {}}});
    let wrong = api(addr, &tok, "PATCH", &format!("/api/orders/{order}"), &body.to_string());
    assert_eq!((wrong.status, wrong.body["errors"][0]["code"].as_str()), (400, Some("KEY_NOT_INCLUDED_IN_URL")));
    let body = json!({"data": {"type": "orders", "attributes": {}}});
    let missing = api(addr, &tok, "PATCH", &format!("/api/orders/{order}"), &body.to_string());
    assert_eq!((missing.status, missing.body["errors"][0]["code"].as_str()), (400, Some("KEY_ORDER_MISMATCH")));
}

/// Pays `order` with a Stripe test card and places it; returns the source id.
fn pay_and_place(addr: SocketAddr, tok: &str, order: &str) -> (String, Answer) {
    let source = stripe_source(addr, tok, order).body["data"].clone();
    assert_eq!(confirm_card(addr, &source["attributes"], "4242424242424242").status, 200);
    (source["id"].as_str().unwrap().to_string(), patch_order(addr, tok, order, json!({"_place": true})))
}

#[test]
fn placed_orders_refuse_writes_with_401_and_place_async_goes_through_placing() {
    let addr = start();
    let tok = customer_token(addr, false);
    let order = fresh_order(addr, json!({"payment_source_type": "stripe_payments", "customer": true}));
    let (source, placed) = pay_and_place(addr, &tok, &order);
    assert_eq!(placed.body["data"]["attributes"]["status"], "placed");
    let again = patch_order(addr, &tok, &order, json!({"_place": true}));
    assert_eq!((again.status, again.body["errors"][0]["code"].as_str()), (401, Some("UNAUTHORIZED")));
    let email = patch_order(addr, &tok, &order, json!({"customer_email": "x@example.com"}));
    assert_eq!(email.status, 401);
    let update = json!({"data": {"type": "stripe_payments", "id": source, "attributes": {"_update": true}}});
    assert_eq!(api(addr, &tok, "PATCH", &format!("/api/stripe_payments/{source}"), &update.to_string()).status, 401);
    // The customer still saves the card after placing, as the React components do.
    let saved = patch_order(addr, &tok, &order, json!({"_save_payment_source_to_customer_wallet": true}));
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(api(addr, &tok, "GET", &format!("/api/orders/{order}"), "").body["data"]["attributes"]["status"], "placed");

    let guest = token(addr);
    let later = fresh_order(addr, json!({"payment_source_type": "stripe_payments", "place_async": true}));
    let (_, placing) = pay_and_place(addr, &guest, &later);
    assert_eq!(placing.body["data"]["attributes"]["status"], "placing");
    let start = Instant::now();
    loop {
        let status = api(addr, &guest, "GET", &format!("/api/orders/{later}"), "").body["data"]["attributes"]["status"].clone();
        if status == "placed" {
            break;
        }
        assert_eq!(status, "placing");
        assert!(start.elapsed() < Duration::from_secs(5), "placing never ended");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_connect_market_pays_a_connected_account() {
    let addr = start();
    let seed = admin(addr, "GET", "/sandbox/seed", Value::Null);
    let body = json!({"grant_type": "client_credentials", "client_id": seed["client_id"], "scope": seed["connect_scope"]});
    let answer = send(addr, "POST", "/oauth/token", &[("Content-Type", "application/json")], body.to_string().as_bytes());
    let tok = answer.body["access_token"].as_str().unwrap().to_string();
    let order = fresh_order(addr, json!({"payment_source_type": "stripe_payments", "market": "connect"}));
    // The main market's token cannot see a Connect order.
    assert_eq!(api(addr, &token(addr), "GET", &format!("/api/orders/{order}"), "").status, 404);
    let source = stripe_source(addr, &tok, &order);
    assert_eq!(source.status, 201, "{}", source.body);
    let attrs = &source.body["data"]["attributes"];
    assert_eq!(attrs["connected_account"], seed["connected_account"]);
    let secret = attrs["client_secret"].as_str().unwrap();
    let intent = secret.split("_secret_").next().unwrap();
    let key = attrs["publishable_key"].as_str().unwrap();
    let platform = send(addr, "GET", &format!("/v1/payment_intents/{intent}?key={key}&client_secret={secret}"), &[], b"");
    assert_eq!(platform.status, 404, "without stripeAccount Stripe.js finds no such intent");
    let account = attrs["connected_account"].as_str().unwrap();
    let connected = send(
        addr,
        "GET",
        &format!("/v1/payment_intents/{intent}?key={key}&client_secret={secret}&_stripe_account={account}"),
        &[],
        b"",
    );
    assert_eq!((connected.status, connected.body["status"].as_str()), (200, Some("requires_payment_method")));
}

#[test]
fn control_routes_refuse_other_sites_and_the_api_grants_cors_to_allowed_origins_only() {
    let addr = start();
    let own = format!("http://{addr}");
    let reset = |origin: Option<&str>| {
        let mut headers = vec![("Content-Type", "text/plain")];
        if let Some(o) = origin {
            headers.push(("Origin", o));
        }
        send(addr, "POST", "/sandbox/reset", &headers, b"")
    };
    assert_eq!(reset(Some("https://evil.example")).status, 403);
    assert_eq!(reset(Some("http://127.0.0.1:9")).status, 403, "another local page is another site's page too");
    assert_eq!(reset(None).status, 200, "scripts and tests send no Origin");
    assert_eq!(reset(Some(&own)).status, 200);
    let log = send(addr, "GET", "/sandbox/requests", &[("Origin", "https://evil.example")], b"");
    assert_eq!(log.status, 403);
    assert!(!log.head.contains("Access-Control-Allow-Origin"));
    let cross = send(addr, "GET", "/sandbox/seed", &[("Sec-Fetch-Site", "cross-site")], b"");
    assert_eq!(cross.status, 403);
    let local = send(addr, "GET", "/sandbox/seed", &[("Origin", &own)], b"");
    assert!(!local.head.contains("Access-Control-Allow-Origin"), "control routes never get a CORS grant");

    let preflight = |origin: &str| {
        send(addr, "OPTIONS", "/api/orders/x", &[("Origin", origin), ("Access-Control-Request-Method", "PATCH")], b"").head
    };
    assert!(preflight("http://localhost:5173").contains("Access-Control-Allow-Origin: http://localhost:5173"));
    assert!(!preflight("https://evil.example").contains("Access-Control-Allow-Origin"));

    let options = cl_sandbox::Options { port: 0, allowed_origins: vec!["https://shop.example".into()], ..Default::default() };
    let strict = cl_sandbox::start(options).unwrap().0;
    let head = |origin: &str| send(strict, "OPTIONS", "/api/orders/x", &[("Origin", origin)], b"").head;
    assert!(head("https://shop.example").contains("Access-Control-Allow-Origin: https://shop.example"));
    assert!(!head("http://localhost:5173").contains("Access-Control-Allow-Origin"));
}

#[test]
fn the_request_log_masks_card_data_secrets_passwords_and_tokens() {
    let addr = start();
    let tok = customer_token(addr, false);
    let order = fresh_order(addr, json!({"payment_source_type": "stripe_payments", "customer": true}));
    let source = stripe_source(addr, &tok, &order).body["data"]["attributes"].clone();
    confirm_card(addr, &source, "4000002760003184");
    let secret = source["client_secret"].as_str().unwrap();
    let external = fresh_order(addr, json!({"payment_source_type": "external_payments"}));
    create_source(addr, &token(addr), "external_payments", &external, json!({"payment_source_token": "tok_very_secret_1"}));
    let log = admin(addr, "GET", "/sandbox/requests", Value::Null).to_string();
    for leaked in [secret, "4000002760003184", "sandbox-password", "tok_very_secret_1", &tok] {
        assert!(!log.contains(leaked), "{leaked} is in the log");
    }
    assert!(log.contains("[masked]") && log.contains("/v1/payment_intents/"));
}

#[test]
fn wallet_entries_belong_to_their_customer() {
    let addr = start();
    let made = admin(addr, "POST", "/sandbox/orders", json!({"payment_source_type": "stripe_payments", "wallet": 2}));
    let cps = made["wallet"][0].as_str().unwrap().to_string();
    let guest = token(addr);
    let listed = api(addr, &guest, "GET", "/api/customer_payment_sources", "").body;
    assert_eq!(listed["meta"]["record_count"], 0, "a guest token lists no wallet");
    let other = customer_token(addr, true);
    assert_eq!(api(addr, &other, "GET", &format!("/api/customer_payment_sources/{cps}"), "").status, 404);
    assert_eq!(api(addr, &other, "DELETE", &format!("/api/customer_payment_sources/{cps}"), "").status, 404);
    assert_eq!(api(addr, &guest, "DELETE", &format!("/api/customer_payment_sources/{cps}"), "").status, 404);
    let owner = admin(addr, "POST", "/sandbox/tokens", json!({"customer": made["customer_id"]}))["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(api(addr, &owner, "GET", &format!("/api/customer_payment_sources/{cps}"), "").status, 200);
    assert_eq!(api(addr, &owner, "DELETE", &format!("/api/customer_payment_sources/{cps}"), "").status, 204);
}

#[test]
fn a_head_without_end_is_cut_at_the_cap() {
    let addr = start();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let line = vec![b'a'; 64 * 1024];
    let _ = stream.write_all(b"GET /");
    let _ = stream.write_all(&line);
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 431"), "{}", String::from_utf8_lossy(&out[..out.len().min(80)]));
}

#[test]
fn connections_past_the_cap_are_turned_away() {
    let addr = start();
    let held: Vec<TcpStream> = (0..cl_sandbox::http::MAX_CONNECTIONS).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut extra = TcpStream::connect(addr).unwrap();
    extra.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut out = Vec::new();
    let _ = extra.read_to_end(&mut out);
    assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 503"));
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(send(addr, "GET", "/sandbox/seed", &[], b"").status, 200, "served again once they close");
}
