//! Helpers shared by the sandbox's HTTP test suites: raw requests on their
//! own connections, tokens, fresh orders, Stripe confirmation.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::{json, Value};

pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Value,
}

/// One request on its own connection; the body is parsed as JSON (or Null).
pub fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    // The server may answer (413) and close before reading a huge body.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Answer { status, head: head.to_string(), body: serde_json::from_str(body).unwrap_or(Value::Null) }
}

pub const JSON_API: &str = "application/vnd.api+json";

pub fn api(addr: SocketAddr, token: &str, method: &str, path: &str, body: &str) -> Answer {
    let auth = format!("Bearer {token}");
    send(addr, method, path, &[("Accept", JSON_API), ("Content-Type", JSON_API), ("Authorization", &auth)], body.as_bytes())
}

pub fn admin(addr: SocketAddr, method: &str, path: &str, body: Value) -> Value {
    let answer = send(addr, method, path, &[("Content-Type", "application/json")], body.to_string().as_bytes());
    assert!(answer.status < 300, "{path}: {}", answer.status);
    answer.body
}

pub fn token(addr: SocketAddr) -> String {
    let body = json!({"grant_type": "client_credentials", "client_id": "sandbox_sales_channel_client_id", "scope": "market:id:MarketSbxA"});
    let answer = send(addr, "POST", "/oauth/token", &[("Content-Type", "application/json")], body.to_string().as_bytes());
    assert_eq!(answer.status, 200);
    answer.body["access_token"].as_str().unwrap().to_string()
}

pub fn start() -> SocketAddr {
    let options = cl_sandbox::Options { port: 0, ..Default::default() };
    cl_sandbox::start(options).unwrap().0
}

pub fn first_error(answer: &Answer) -> &Value {
    &answer.body["errors"][0]
}

/// A fresh order from `POST /sandbox/orders`; returns its id.
pub fn fresh_order(addr: SocketAddr, spec: Value) -> String {
    admin(addr, "POST", "/sandbox/orders", spec)["id"].as_str().unwrap().to_string()
}

/// Creates the order's stripe_payments; returns the answer.
pub fn stripe_source(addr: SocketAddr, tok: &str, order: &str) -> Answer {
    let body = json!({"data": {"type": "stripe_payments", "attributes": {},
                               "relationships": {"order": {"data": {"type": "orders", "id": order}}}}});
    api(addr, tok, "POST", "/api/stripe_payments", &body.to_string())
}

/// Confirms the source's PaymentIntent with `card`, as the Stripe.js stand-in does.
pub fn confirm_card(addr: SocketAddr, source_attributes: &Value, card: &str) -> Answer {
    let secret = source_attributes["client_secret"].as_str().unwrap();
    let key = source_attributes["publishable_key"].as_str().unwrap();
    let intent = secret.split("_secret_").next().unwrap();
    let form = format!("key={key}&client_secret={secret}&payment_method_data[card][number]={card}");
    send(
        addr,
        "POST",
        &format!("/v1/payment_intents/{intent}/confirm"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
}

/// A token of the seeded customer (`second`: the other one) in the main market.
pub fn customer_token(addr: SocketAddr, second: bool) -> String {
    let (user, password) =
        if second { ("second@example.com", "sandbox-password-2") } else { ("shopper@example.com", "sandbox-password") };
    let body = json!({"grant_type": "password", "client_id": "sandbox_sales_channel_client_id", "scope": "market:id:MarketSbxA",
                      "username": user, "password": password});
    let answer = send(addr, "POST", "/oauth/token", &[("Content-Type", "application/json")], body.to_string().as_bytes());
    assert_eq!(answer.status, 200);
    answer.body["access_token"].as_str().unwrap().to_string()
}

/// `PATCH /api/orders/:id` with `attributes`.
pub fn patch_order(addr: SocketAddr, tok: &str, order: &str, attributes: Value) -> Answer {
    let body = json!({"data": {"type": "orders", "id": order, "attributes": attributes}});
    api(addr, tok, "PATCH", &format!("/api/orders/{order}"), &body.to_string())
}

/// What the sandbox's own conformance check counted so far.
pub fn conformance(addr: SocketAddr) -> Value {
    admin(addr, "GET", "/sandbox/conformance", Value::Null)
}
