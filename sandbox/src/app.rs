//! The request pipeline: CORS, faults, rate limit, content negotiation,
//! tokens, then the routes (`/oauth/token`, `/api/*`, `/v1/*`, `/sandbox/*`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::api::{self, error, Caller, JSON_API};
use crate::http::{Delivery, Request, Response};
use crate::store::{Store, TokenInfo, CLIENT_ID, CONNECT_MARKET_ID, CUSTOMER, MARKET_ID, SECOND_CUSTOMER};
use crate::{cors, faults, gateways, oauth, redact, stripe};

pub type Shared = Arc<Mutex<Store>>;

pub fn handle(shared: &Shared, req: &Request) -> Response {
    let allowed = {
        let store = shared.lock().unwrap_or_else(|p| p.into_inner());
        cors::origin_allowed(&store.config, req)
    };
    let mut resp = route(shared, req);
    if allowed && !req.path.starts_with("/sandbox") {
        cors::grant(req, &mut resp);
    }
    resp.headers.push(("Cache-Control".into(), "no-store".into()));
    resp
}

fn route(shared: &Shared, req: &Request) -> Response {
    if req.method == "OPTIONS" {
        return Response::empty(204);
    }
    let segments: Vec<&str> = req.path.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(asset) = library_asset(req, &segments) {
        return asset;
    }
    if segments.first() == Some(&"sandbox") {
        let own_origin = shared.lock().map(|s| s.config.base_url.clone()).unwrap_or_default();
        if let Err(why) = cors::control_allowed(req, &own_origin) {
            return error(403, "FORBIDDEN", "Forbidden", why, None, None);
        }
        return admin(shared, req, &segments[1..]);
    }
    // Faults apply to the emulated services, never to the admin routes.
    let fault = faults::take(&mut shared.lock().unwrap_or_else(|p| p.into_inner()), req);
    let delivery = match faults::plan(fault) {
        faults::Plan::Answer(resp) => {
            if resp.fault == Delivery::Normal {
                log(shared, req, resp.status);
            }
            return resp;
        }
        faults::Plan::Run(delivery) => delivery,
    };
    let mut store = shared.lock().unwrap_or_else(|p| p.into_inner());
    let mut resp = match segments.as_slice() {
        ["oauth", "token"] if req.method == "POST" => oauth::token(&mut store, req),
        ["api", rest @ ..] => {
            let resp = api_route(&mut store, req, rest);
            check_conformance(&mut store, req, &resp);
            resp
        }
        ["v1", rest @ ..] if rest.first() == Some(&"payment_intents") => stripe::handle(&mut store, req, rest),
        ["_sandbox", rest @ ..] if rest.first() == Some(&"payment_intents") => stripe::handle(&mut store, req, rest),
        ["gateways", rest @ ..] => gateways::route(&mut store, req, rest),
        _ => error(404, "NOT_FOUND", "Not found", &format!("{} does not exist", req.path), None, None),
    };
    drop(store);
    log(shared, req, resp.status);
    resp.fault = delivery;
    resp
}

/// Checks a successful JSON:API answer against the schema (`crate::conformance`).
fn check_conformance(store: &mut Store, req: &Request, resp: &Response) {
    if !(200..300).contains(&resp.status) || resp.body.is_empty() {
        return;
    }
    let Ok(doc) = serde_json::from_slice::<Value>(&resp.body) else {
        store.conformance.documents += 1;
        store.conformance.violation_count += 1;
        return;
    };
    let where_ = format!("{} {}", req.method, req.path);
    let sparse = crate::conformance::sparse_fields(&req.query);
    let Store { off_schema, conformance, .. } = store;
    crate::conformance::check(crate::conformance::raw_schema(), &doc, &sparse, off_schema, &where_, conformance);
}

/// The browser libraries' stand-ins, at the paths their loaders use:
/// Stripe.js (`/v3/`, as js.stripe.com serves it) and its frames, and the
/// other gateways' libraries, each served with the shared kit in front inside
/// one function scope (`assets/standin-kit.js`).
fn library_asset(req: &Request, segments: &[&str]) -> Option<Response> {
    if req.method != "GET" {
        return None;
    }
    const JS: &str = "text/javascript; charset=utf-8";
    const HTML: &str = "text/html; charset=utf-8";
    let with_kit = |library: &str| format!("(() => {{\n{}\n{library}\n}})();\n", include_str!("../assets/standin-kit.js"));
    // Both card frames check cards the same way (assets/card-checks.js).
    let with_checks = |page: &str| {
        page.replace(
            "// card-checks.js (inlined by the sandbox when it serves this page)",
            include_str!("../assets/card-checks.js"),
        )
    };
    let (content_type, body) = match segments {
        ["v3"] | ["v3", "stripe.js"] | ["endive", "stripe.js"] => (JS, include_str!("../assets/stripe.js").to_string()),
        ["stripe", "frame.html"] => (HTML, with_checks(include_str!("../assets/frame.html"))),
        ["stripe", "challenge.html"] => (HTML, include_str!("../assets/challenge.html").to_string()),
        ["gateways", "card-frame.html"] => (HTML, with_checks(include_str!("../assets/card-frame.html"))),
        ["checkoutshopper", "sdk", _, "adyen.js"] => (JS, with_kit(include_str!("../assets/adyen.js"))),
        ["web", _, "js", "client.min.js" | "hosted-fields.min.js" | "three-d-secure.min.js"] => {
            (JS, with_kit(include_str!("../assets/braintree.js")))
        }
        ["checkout-web-components", "index.js"] => (JS, with_kit(include_str!("../assets/checkout-web-components.js"))),
        ["kp", "lib", "v1", "api.js"] => (JS, with_kit(include_str!("../assets/klarna.js"))),
        ["pagam", "javascript", "axerve.js"] => (JS, with_kit(include_str!("../assets/axerve.js"))),
        _ => return None,
    };
    Some(Response::new(200, content_type, body))
}

fn api_route(store: &mut Store, req: &Request, rest: &[&str]) -> Response {
    if let Some(limited) = rate_limit(store) {
        return limited;
    }
    let accept = req.header("Accept").unwrap_or("");
    if !accept.contains(JSON_API) {
        return error(406, "NOT_ACCEPTABLE", "Not acceptable", "Accept must be application/vnd.api+json", None, None);
    }
    if matches!(req.method.as_str(), "POST" | "PATCH")
        && req.header("Content-Type").map(|c| c.split(';').next().unwrap_or("").trim()) != Some(JSON_API)
    {
        return error(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "Unsupported media type",
            "Content-Type must be application/vnd.api+json",
            None,
            None,
        );
    }
    let caller = match authenticate(store, req) {
        Ok(c) => c,
        Err(r) => return r,
    };
    api::handle(store, req, &caller, rest)
}

fn authenticate(store: &Store, req: &Request) -> Result<Caller, Response> {
    let token = req.header("Authorization").and_then(|h| h.strip_prefix("Bearer ")).unwrap_or("");
    match store.tokens.get(token) {
        Some(TokenInfo { expires_at, .. }) if *expires_at <= Instant::now() => {
            Err(error(401, "INVALID_TOKEN", "Invalid token", "The access token you provided is expired.", None, None))
        }
        Some(info) => Ok(Caller { customer: info.customer.clone(), market: info.market.clone() }),
        None => Err(error(401, "UNAUTHORIZED", "Access denied", "You are not authorized to perform this action.", None, None)),
    }
}

/// A sliding count over 10-second windows, headers as Commerce Layer sends them.
fn rate_limit(store: &mut Store) -> Option<Response> {
    let limit = store.config.rate_limit;
    if limit == 0 {
        return None;
    }
    let (start, count) = &mut store.rate_window;
    if start.elapsed() >= Duration::from_secs(10) {
        *start = Instant::now();
        *count = 0;
    }
    *count += 1;
    if *count <= limit {
        return None;
    }
    let resp = error(429, "TOO_MANY_REQUESTS", "Too many requests", "You have exceeded the rate limit.", None, None);
    Some(
        resp.header("X-Ratelimit-Limit", limit.to_string())
            .header("X-Ratelimit-Interval", "10")
            .header("X-Ratelimit-Remaining", "0"),
    )
}

/// Logs a request with its secrets masked (`crate::redact`): card data,
/// client secrets, passwords and tokens never reach the log.
fn log(shared: &Shared, req: &Request, status: u16) {
    if req.path.starts_with("/sandbox") {
        return;
    }
    let mut store = shared.lock().unwrap_or_else(|p| p.into_inner());
    let body: String = redact::body(&String::from_utf8_lossy(&req.body)).chars().take(4096).collect();
    let target = redact::target(&req.target);
    let path = redact::path(&req.path);
    store.log.push(json!({"method": req.method, "path": path, "target": target, "status": status, "body": body}));
}

fn bad(detail: &str) -> Response {
    Response::json(400, &json!({"error": detail}))
}

/// `/sandbox/*`: test and demo controls (loopback only).
fn admin(shared: &Shared, req: &Request, segments: &[&str]) -> Response {
    let body: Value = if req.body.is_empty() { json!({}) } else { serde_json::from_slice(&req.body).unwrap_or(Value::Null) };
    let mut store = shared.lock().unwrap_or_else(|p| p.into_inner());
    match (req.method.as_str(), segments) {
        ("GET", ["seed"]) => Response::json(200, &store.seed.clone()),
        ("POST", ["reset"]) => {
            store.reset();
            Response::json(200, &store.seed.clone())
        }
        ("POST", ["orders"]) => {
            // {"payment_source_type": "stripe_payments"|null, "customer": true|"second", "line_items": 2,
            //  "wallet": N (a new customer with N saved cards owns the order), "hostile_source_type": "../x",
            //  "market": "connect" (the Stripe Connect market), "place_async": true}
            let source_type = body.get("payment_source_type").and_then(Value::as_str);
            if source_type.is_some_and(|t| !api::is_source_type(t)) {
                return bad("unknown payment_source_type");
            }
            let wallet_size = body.get("wallet").and_then(Value::as_u64).map(|n| n.min(1000) as usize);
            let fresh_customer = wallet_size.map(|n| store.create_customer_with_wallet(n));
            let customer = match (body.get("customer"), &fresh_customer) {
                (_, Some((id, _))) => Some(id.as_str()),
                (Some(Value::Bool(true)), _) => Some(CUSTOMER.0),
                (Some(Value::String(s)), _) if s == "second" => Some(SECOND_CUSTOMER.0),
                _ => None,
            };
            let items = body.get("line_items").and_then(Value::as_u64).unwrap_or(2).clamp(1, 1000) as usize;
            let market =
                if body.get("market").and_then(Value::as_str) == Some("connect") { CONNECT_MARKET_ID } else { MARKET_ID };
            let id = store.create_order_in(market, source_type, customer, items);
            if body.get("place_async").and_then(Value::as_bool) == Some(true) {
                if let Some(order) = store.get_mut("orders", &id) {
                    order.attributes.insert("place_async".into(), json!(true));
                }
            }
            let wallet: Vec<Value> =
                fresh_customer.as_ref().map(|(_, w)| w.iter().map(|c| json!(c)).collect()).unwrap_or_default();
            if let Some(hostile) = body.get("hostile_source_type").and_then(Value::as_str) {
                // A payment method whose payment_source_type no real API would send.
                store.attach_payment_method_with_type(&id, hostile);
            }
            let email = customer.and_then(|c| store.get("customers", c)).and_then(|c| c.str_attr("email"));
            Response::json(
                201,
                &json!({"id": id, "payment_source_type": source_type, "customer_id": customer, "wallet": wallet, "customer_email": email}),
            )
        }
        ("POST", ["faults"]) => {
            let Some(fault) = faults::parse(&body) else {
                return bad("expected {path, fault: delay|status|drop|drop_after|truncate, method?, status?, html?, delay_ms?, retry_after?, times?}");
            };
            store.faults.push(fault);
            Response::json(201, &json!({"armed": store.faults.len()}))
        }
        ("DELETE", ["faults"]) => {
            store.faults.clear();
            Response::empty(204)
        }
        ("POST", ["stripe", "processing"]) => {
            // {"seconds": 2}: the next good card confirmation stays `processing` that long.
            let secs = body.get("seconds").and_then(Value::as_u64).unwrap_or(2).min(60);
            store.processing_next = Some(Duration::from_secs(secs));
            Response::json(200, &json!({"processing_seconds": secs}))
        }
        ("POST", ["tokens"]) => {
            // {"customer": id}: a customer token for a customer a test made (no password).
            let Some(customer) = body.get("customer").and_then(Value::as_str).filter(|c| store.get("customers", c).is_some())
            else {
                return bad("expected {customer: <id of a sandbox customer>}");
            };
            let scope = format!("market:id:{MARKET_ID}");
            Response::json(200, &oauth::issue(&mut store, Some(customer.to_string()), MARKET_ID, &scope))
        }
        ("GET", ["conformance"]) => {
            let t = &store.conformance;
            Response::json(
                200,
                &json!({"documents": t.documents, "resources": t.resources, "deliberately_off_schema": t.deliberate,
                       "violation_count": t.violation_count,
                       "violations": t.violations}),
            )
        }
        ("GET", ["requests"]) => Response::json(200, &Value::Array(store.log.clone())),
        ("DELETE", ["requests"]) => {
            store.log.clear();
            Response::empty(204)
        }
        ("POST", ["config"]) => {
            if let Some(ttl) = body.get("token_ttl_seconds").and_then(Value::as_u64) {
                store.config.token_ttl_secs = ttl;
            }
            if let Some(rate) = body.get("rate_limit").and_then(Value::as_u64) {
                store.config.rate_limit = rate as u32;
                store.rate_window = (Instant::now(), 0);
            }
            Response::json(200, &json!({"token_ttl_seconds": store.config.token_ttl_secs, "rate_limit": store.config.rate_limit}))
        }
        ("GET", ["orders", id]) => match store.get("orders", id) {
            // The whole state of an order, for tests to check after a flow.
            Some(order) => {
                let sources: Vec<Value> = store
                    .order
                    .iter()
                    .filter(|(t, _)| api::is_source_type(t))
                    .filter_map(|k| store.resources.get(k))
                    .filter(|s| s.rel_one("order").is_some_and(|(_, o)| o == id))
                    .map(|s| {
                        json!({"type": s.ty, "id": s.id,
                            "intent_status": s.str_attr("stripe_id").and_then(|pi| store.intents.get(pi)).map(|pi| pi.status.clone()),
                            // Other gateways: whether _place may go through, and the gateway's answer (no secrets in either).
                            "authorized": gateways::authorization(&store, &s.ty, &s.id).is_ok(),
                            "payment_response": s.attributes.get("payment_response")})
                    })
                    .collect();
                Response::json(
                    200,
                    &json!({"id": id, "status": order.attributes["status"], "payment_status": order.attributes["payment_status"],
                    "payment_source": order.rel_one("payment_source").map(|(t, i)| json!({"type": t, "id": i})), "payment_sources": sources,
                    "total_amount_cents": order.attributes["total_amount_cents"], "market": order.rel_one("market").map(|(_, m)| m.clone()), "client_id": CLIENT_ID}),
                )
            }
            None => Response::json(404, &json!({"error": "no such order"})),
        },
        _ => Response::json(404, &json!({"error": "unknown sandbox route"})),
    }
}
