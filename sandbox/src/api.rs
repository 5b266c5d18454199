//! `/api/*`: orders, payment methods, the ten payment source types,
//! customer payment sources, customers and line items.

use serde_json::{json, Map, Value};

use crate::http::{Request, Response};
use crate::render::{check_include, document, Query};
use crate::store::{payment_method_id, Key, Rel, Resource, Store, PUBLISHABLE_KEY};
use crate::stripe;

pub const JSON_API: &str = "application/vnd.api+json";

/// A Commerce Layer error document.
pub fn error(status: u16, code: &str, title: &str, detail: &str, pointer: Option<&str>, meta: Option<Value>) -> Response {
    let mut e = json!({"title": title, "detail": detail, "code": code, "status": status.to_string()});
    if let Some(p) = pointer {
        e["source"] = json!({"pointer": p});
    }
    if let Some(m) = meta {
        e["meta"] = m;
    }
    Response::new(status, JSON_API, json!({"errors": [e]}).to_string())
}

pub fn not_found(ty: &str, id: &str) -> Response {
    error(404, "RECORD_NOT_FOUND", "The requested resource was not found", &format!("{ty} {id} was not found"), None, None)
}

fn invalid(detail: &str, pointer: &str, meta_error: &str) -> Response {
    error(422, "VALIDATION_ERROR", "is invalid", detail, Some(pointer), Some(json!({"error": meta_error})))
}

fn not_allowed(name: &str, pointer: &str) -> Response {
    error(400, "PARAM_NOT_ALLOWED", "Param not allowed", &format!("{name} is not allowed"), Some(pointer), None)
}

pub fn ok(store: &Store, status: u16, primary: &[&Resource], many: bool, q: &Query) -> Response {
    if let Err(name) = check_include(store, primary, &q.include) {
        return error(400, "INVALID_INCLUDE", "Invalid include", &format!("{name} is not a valid relationship"), None, None);
    }
    Response::new(status, JSON_API, document(store, primary, many, q).to_string())
}

/// Who is calling: a sales channel (guest) or a customer.
pub struct Caller {
    pub customer: Option<String>,
}

/// Per payment source type: attributes the browser may send on create
/// (the first `required` of them must be present) and on update.
struct Rules {
    create: &'static [&'static str],
    required: &'static [&'static str],
    update: &'static [&'static str],
}

const COMMON: [&str; 3] = ["reference", "reference_origin", "metadata"];

fn rules(ty: &str) -> Option<Rules> {
    let r = |create, required, update| Some(Rules { create, required, update });
    match ty {
        "adyen_payments" => {
            r(&[], &[], &["payment_request_data", "payment_request_details", "_authorize", "_details", "_balance"])
        }
        "axerve_payments" => r(
            &["return_url", "client_ip", "buyer_details", "request_token"],
            &["return_url"],
            &["payment_request_data", "_update"],
        ),
        "braintree_payments" => {
            r(&["payment_id", "local", "options"], &[], &["payment_id", "local", "options", "payment_method_nonce"])
        }
        "checkout_com_payments" => r(
            &["success_url", "failure_url", "token"],
            &["success_url", "failure_url"],
            &["token", "_authorize", "_details", "_refresh"],
        ),
        "external_payments" => r(&["payment_source_token", "options"], &["payment_source_token"], &["options"]),
        "klarna_payments" => r(&[], &[], &["auth_token", "_update"]),
        "paypal_payments" => {
            r(&["return_url", "cancel_url", "note_to_payer"], &["return_url", "cancel_url"], &["paypal_payer_id"])
        }
        "satispay_payments" => r(&["flow", "redirect_url"], &[], &["redirect_url", "_refresh"]),
        "stripe_payments" => {
            r(&["receipt_email", "options", "return_url"], &[], &["options", "return_url", "_update", "_refresh"])
        }
        "wire_transfers" => r(&[], &[], &[]),
        _ => None,
    }
}

pub fn is_source_type(ty: &str) -> bool {
    rules(ty).is_some()
}

/// Reads `{"data":{...}}`, checking `type` (and `id` when given).
fn read_data(req: &Request, ty: &str, id: Option<&str>) -> Result<Map<String, Value>, Response> {
    let body: Value = serde_json::from_slice(&req.body)
        .map_err(|_| error(400, "BAD_REQUEST", "Bad request", "The request body is not valid JSON", None, None))?;
    let Some(Value::Object(data)) = body.get("data").cloned() else {
        return Err(error(400, "BAD_REQUEST", "Bad request", "data - is missing or not an object", Some("/data"), None));
    };
    if data.get("type").and_then(Value::as_str) != Some(ty) {
        return Err(error(409, "CONFLICT", "Type mismatch", &format!("data.type must be {ty}"), Some("/data/type"), None));
    }
    if let Some(id) = id {
        if data.get("id").and_then(Value::as_str) != Some(id) {
            return Err(error(409, "CONFLICT", "Id mismatch", "data.id must match the URL", Some("/data/id"), None));
        }
    }
    for (member, pointer) in [("attributes", "/data/attributes"), ("relationships", "/data/relationships")] {
        if data.get(member).is_some_and(|v| !v.is_object()) {
            return Err(error(400, "BAD_REQUEST", "Bad request", &format!("{member} - must be an object"), Some(pointer), None));
        }
    }
    Ok(data)
}

fn attributes(data: &Map<String, Value>) -> Map<String, Value> {
    data.get("attributes").and_then(Value::as_object).cloned().unwrap_or_default()
}

/// `Ok(None)` for `{"data":null}`, `Err` for malformed linkage.
fn linkage(data: &Map<String, Value>, name: &str) -> Result<Option<Option<Key>>, Response> {
    let Some(rel) = data.get("relationships").and_then(|r| r.get(name)) else { return Ok(None) };
    let pointer = format!("/data/relationships/{name}");
    match rel.get("data") {
        Some(Value::Null) => Ok(Some(None)),
        Some(d) => match (d.get("type").and_then(Value::as_str), d.get("id").and_then(Value::as_str)) {
            (Some(t), Some(id)) => Ok(Some(Some((t.to_string(), id.to_string())))),
            _ => Err(error(400, "BAD_REQUEST", "Bad request", &format!("{name} - malformed linkage"), Some(&pointer), None)),
        },
        None => Err(error(400, "BAD_REQUEST", "Bad request", &format!("{name} - data is missing"), Some(&pointer), None)),
    }
}

/// The order, if it exists and the caller may see it.
fn visible_order<'a>(store: &'a Store, caller: &Caller, id: &str) -> Option<&'a Resource> {
    let order = store.get("orders", id)?;
    match &caller.customer {
        Some(c) => (order.rel_one("customer").map(|(_, id)| id) == Some(c)).then_some(order),
        None => Some(order),
    }
}

pub fn handle(store: &mut Store, req: &Request, caller: &Caller, segments: &[&str]) -> Response {
    let q = Query::from_pairs(&req.query);
    match (req.method.as_str(), segments) {
        ("GET", ["orders", id]) => match visible_order(store, caller, id) {
            Some(o) => ok(store, 200, &[o], false, &q),
            None => not_found("orders", id),
        },
        ("PATCH", ["orders", id]) => patch_order(store, req, caller, id, &q),
        ("GET", ["payment_methods"]) => ok(store, 200, &store.all("payment_methods"), true, &q),
        ("GET", ["payment_methods", id]) => match store.get("payment_methods", id) {
            Some(pm) => ok(store, 200, &[pm], false, &q),
            None => not_found("payment_methods", id),
        },
        ("GET", ["customers", id]) if caller.customer.as_deref() == Some(*id) => match store.get("customers", id) {
            Some(c) => ok(store, 200, &[c], false, &q),
            None => not_found("customers", id),
        },
        ("GET", ["line_items", id]) => match store.get("line_items", id) {
            Some(li) => ok(store, 200, &[li], false, &q),
            None => not_found("line_items", id),
        },
        ("PATCH", ["line_items", id]) => patch_line_item(store, req, id, &q),
        ("POST", ["customer_payment_sources"]) => create_customer_payment_source(store, req, caller, &q),
        ("GET", ["customer_payment_sources"]) => {
            let mine: Vec<&Resource> = store
                .all("customer_payment_sources")
                .into_iter()
                .filter(|c| caller.customer.is_none() || c.rel_one("customer").map(|k| &k.1) == caller.customer.as_ref())
                .collect();
            ok(store, 200, &mine, true, &q)
        }
        ("GET", ["customer_payment_sources", id]) => match store.get("customer_payment_sources", id) {
            Some(c) => ok(store, 200, &[c], false, &q),
            None => not_found("customer_payment_sources", id),
        },
        ("DELETE", ["customer_payment_sources", id]) => match store.remove("customer_payment_sources", id) {
            Some(_) => Response::empty(204),
            None => not_found("customer_payment_sources", id),
        },
        ("POST", [ty]) if is_source_type(ty) => create_payment_source(store, req, caller, ty, &q),
        ("GET", [ty, id]) if is_source_type(ty) => {
            stripe::sync_source(store, ty, id);
            match store.get(ty, id) {
                Some(s) => ok(store, 200, &[s], false, &q),
                None => not_found(ty, id),
            }
        }
        ("PATCH", [ty, id]) if is_source_type(ty) => patch_payment_source(store, req, ty, id, &q),
        (_, [ty, ..])
            if is_source_type(ty)
                || ["orders", "payment_methods", "customer_payment_sources", "customers", "line_items"].contains(ty) =>
        {
            error(405, "METHOD_NOT_ALLOWED", "Method not allowed", &format!("{} is not allowed here", req.method), None, None)
        }
        _ => error(404, "NOT_FOUND", "Not found", &format!("{} does not exist", req.path), None, None),
    }
}

fn create_payment_source(store: &mut Store, req: &Request, caller: &Caller, ty: &str, q: &Query) -> Response {
    let data = match read_data(req, ty, None) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let attrs = attributes(&data);
    let rules = rules(ty).expect("known type");
    for name in attrs.keys() {
        if !rules.create.contains(&name.as_str()) && !COMMON.contains(&name.as_str()) {
            return not_allowed(name, &format!("/data/attributes/{name}"));
        }
    }
    for name in rules.required {
        if attrs.get(*name).is_none_or(|v| v.is_null() || v == "") {
            return invalid(&format!("{name} - can't be blank"), &format!("/data/attributes/{name}"), "blank");
        }
    }
    let order_id = match linkage(&data, "order") {
        Ok(Some(Some((t, id)))) if t == "orders" => id,
        Ok(_) => return invalid("order - must exist", "/data/relationships/order", "blank"),
        Err(r) => return r,
    };
    let Some(order) = visible_order(store, caller, &order_id) else {
        return invalid("order - must exist", "/data/relationships/order", "blank");
    };
    if order.str_attr("status") != Some("pending") && order.str_attr("status") != Some("draft") {
        return invalid("order - cannot change the payment source of a placed order", "/data/relationships/order", "status");
    }
    let method_type = order
        .rel_one("payment_method")
        .and_then(|(_, id)| store.get("payment_methods", id))
        .and_then(|pm| pm.str_attr("payment_source_type"))
        .map(str::to_string);
    if method_type.as_deref() != Some(ty) {
        return invalid(
            &format!("order - the order's payment method does not take {ty}"),
            "/data/relationships/order",
            "payment_source_type",
        );
    }
    let amount = order.int_attr("total_amount_cents");
    let mut source = store.new_resource(ty, Value::Object(attrs));
    gateway_attributes(store, &mut source, amount);
    source.set_rel("order", Rel::One(Some(("orders".into(), order_id.clone()))));
    source.attributes.insert("amount_cents".into(), json!(amount));
    let key = source.key();
    store.insert(source);
    let order = store.get_mut("orders", &order_id).expect("order exists");
    order.set_rel("payment_source", Rel::One(Some(key.clone())));
    let created = store.get(&key.0, &key.1).expect("just inserted");
    ok(store, 201, &[created], false, q)
}

/// What each gateway answers on create (read-only attributes).
fn gateway_attributes(store: &mut Store, source: &mut Resource, amount: i64) {
    let token = store.random_chars(24);
    let base = store.config.base_url.clone();
    let extra = match source.ty.as_str() {
        "adyen_payments" => {
            json!({"public_key": "test_SANDBOXADYENCLIENTKEY", "payment_methods": {"paymentMethods": [{"type": "scheme", "name": "Cards"}]},
                                   "payment_response": {}, "balance": null, "expires_at": null, "mismatched_amounts": false})
        }
        "axerve_payments" => json!({"login": "sandbox-shop-login", "mismatched_amounts": false}),
        "braintree_payments" => json!({"client_token": format!("sandbox_{token}")}),
        "checkout_com_payments" => json!({"public_key": "pk_sbox_sandbox", "payment_session": {"id": format!("ps_{token}")},
                                          "redirect_uri": null, "source_id": null, "customer_token": null, "payment_response": {}}),
        "klarna_payments" => json!({"session_id": format!("klarna_{token}"), "client_token": format!("kct_{token}"),
                                    "payment_methods": [{"identifier": "pay_later", "name": "Pay later"}]}),
        "paypal_payments" => json!({"approval_url": format!("{base}/sandbox/paypal/approve?token={token}"),
                                    "paypal_id": format!("PAYID-{}", token.to_uppercase()), "status": "created", "name": null}),
        "satispay_payments" => {
            json!({"payment_id": format!("sat_{token}"), "payment_url": format!("{base}/sandbox/satispay/{token}"),
                                      "status": "pending", "payment_response": {}})
        }
        "stripe_payments" => {
            let intent = stripe::create_intent(store, amount);
            json!({"client_secret": intent.client_secret, "stripe_id": intent.id, "publishable_key": PUBLISHABLE_KEY,
                   "connected_account": null, "on_behalf_of": null, "transfer_group": null, "charge_id": null,
                   "payment_method": null, "mismatched_amounts": false, "options": source.attributes.get("options").cloned().unwrap_or(json!({}))})
        }
        _ => json!({}),
    };
    if let Value::Object(m) = extra {
        source.attributes.extend(m);
    }
    source.attributes.entry("payment_instrument").or_insert(Value::Null);
}

fn patch_payment_source(store: &mut Store, req: &Request, ty: &str, id: &str, q: &Query) -> Response {
    let data = match read_data(req, ty, Some(id)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if store.get(ty, id).is_none() {
        return not_found(ty, id);
    }
    let rules = rules(ty).expect("known type");
    let attrs = attributes(&data);
    for name in attrs.keys() {
        if !rules.update.contains(&name.as_str()) && !COMMON.contains(&name.as_str()) {
            return not_allowed(name, &format!("/data/attributes/{name}"));
        }
    }
    for (name, value) in attrs {
        match name.as_str() {
            "_update" => stripe::update_amount(store, ty, id),
            "_refresh" => stripe::sync_source(store, ty, id),
            n if n.starts_with('_') => {}
            _ => {
                store.get_mut(ty, id).expect("exists").attributes.insert(name, value);
            }
        }
    }
    let source = store.get(ty, id).expect("exists");
    ok(store, 200, &[source], false, q)
}

const ORDER_ATTRIBUTES: [&str; 9] = [
    "_place",
    "_refresh",
    "_save_payment_source_to_customer_wallet",
    "_customer_payment_source_id",
    "customer_email",
    "language_code",
    "reference",
    "reference_origin",
    "metadata",
];

fn patch_order(store: &mut Store, req: &Request, caller: &Caller, id: &str, q: &Query) -> Response {
    if visible_order(store, caller, id).is_none() {
        return not_found("orders", id);
    }
    let data = match read_data(req, "orders", Some(id)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let attrs = attributes(&data);
    for name in attrs.keys() {
        if !ORDER_ATTRIBUTES.contains(&name.as_str()) {
            return not_allowed(name, &format!("/data/attributes/{name}"));
        }
    }
    if let Some(rels) = data.get("relationships").and_then(Value::as_object) {
        if let Some(name) = rels.keys().find(|k| *k != "payment_method") {
            return not_allowed(name, &format!("/data/relationships/{name}"));
        }
    }
    match linkage(&data, "payment_method") {
        Ok(Some(choice)) => {
            if let Err(r) = select_payment_method(store, id, choice) {
                return r;
            }
        }
        Ok(None) => {}
        Err(r) => return r,
    }
    for name in ["customer_email", "language_code", "reference", "reference_origin", "metadata"] {
        if let Some(v) = attrs.get(name) {
            store.get_mut("orders", id).expect("exists").attributes.insert(name.into(), v.clone());
        }
    }
    if truthy(attrs.get("_refresh")) {
        store.recompute_totals(id);
    }
    if let Some(cps) = attrs.get("_customer_payment_source_id") {
        let Some(cps) = cps.as_str() else {
            return invalid(
                "_customer_payment_source_id - must be a string",
                "/data/attributes/_customer_payment_source_id",
                "invalid",
            );
        };
        if let Err(r) = use_wallet_source(store, id, cps) {
            return r;
        }
    }
    let save = truthy(attrs.get("_save_payment_source_to_customer_wallet"));
    if save {
        if let Err(r) = request_wallet_save(store, id) {
            return r;
        }
    }
    if truthy(attrs.get("_place")) {
        if let Err(r) = place(store, id) {
            return r;
        }
    }
    let order = store.get("orders", id).expect("exists");
    ok(store, 200, &[order], false, q)
}

fn truthy(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || matches!(v, Some(Value::String(s)) if s == "true" || s == "1")
}

fn select_payment_method(store: &mut Store, order_id: &str, choice: Option<Key>) -> Result<(), Response> {
    let pointer = "/data/relationships/payment_method";
    if store.get("orders", order_id).and_then(|o| o.str_attr("status")) != Some("pending") {
        return Err(invalid("payment_method - cannot be changed once the order is placed", pointer, "status"));
    }
    if let Some((t, pm)) = &choice {
        let available =
            t == "payment_methods" && store.get("payment_methods", pm).is_some_and(|p| p.attributes["disabled_at"].is_null());
        if !available {
            return Err(invalid("payment_method - is not available for this order", pointer, "not_available"));
        }
    }
    let order = store.get_mut("orders", order_id).expect("exists");
    let changed = order.rel_one("payment_method") != choice.as_ref();
    order.set_rel("payment_method", Rel::One(choice));
    if changed {
        // A new method needs a new source, as in Commerce Layer.
        order.set_rel("payment_source", Rel::One(None));
    }
    Ok(())
}

fn order_source(store: &Store, order_id: &str) -> Option<Key> {
    store.get("orders", order_id)?.rel_one("payment_source").cloned()
}

/// Whether the gateway has authorized the source, or why not.
fn authorization(store: &mut Store, source: &Key) -> Result<(), String> {
    let (ty, id) = source;
    match ty.as_str() {
        "stripe_payments" => stripe::authorize(store, id),
        "paypal_payments" => match store.get(ty, id).and_then(|s| s.str_attr("paypal_payer_id")) {
            Some(_) => Ok(()),
            None => Err("the PayPal payment is not approved by the payer yet (paypal_payer_id missing)".into()),
        },
        "klarna_payments" => match store.get(ty, id).and_then(|s| s.str_attr("auth_token")) {
            Some(_) => Ok(()),
            None => Err("the Klarna payment has no auth_token yet".into()),
        },
        _ => Ok(()),
    }
}

fn place(store: &mut Store, order_id: &str) -> Result<(), Response> {
    let status = store.get("orders", order_id).and_then(|o| o.str_attr("status")).unwrap_or_default().to_string();
    if status != "pending" {
        return Err(error(
            422,
            "VALIDATION_ERROR",
            "cannot transition",
            &format!("status - cannot transition from {status} to placed"),
            Some("/data/attributes/status"),
            Some(json!({"error": "transition", "from": status})),
        ));
    }
    let Some(source) = order_source(store, order_id) else {
        return Err(invalid("payment_source - can't be blank", "/data/relationships/payment_source", "blank"));
    };
    if store.get(&source.0, &source.1).and_then(|s| s.attributes.get("mismatched_amounts")).and_then(Value::as_bool) == Some(true)
    {
        return Err(invalid(
            "payment_source - the amount changed since the payment source was created: update or recreate it",
            "/data/relationships/payment_source",
            "mismatched_amounts",
        ));
    }
    if let Err(why) = authorization(store, &source) {
        return Err(error(
            422,
            "PAYMENT_NOT_AUTHORIZED",
            "Payment not authorized",
            &format!("payment_source - {why}"),
            Some("/data/relationships/payment_source"),
            Some(json!({"error": "not_authorized"})),
        ));
    }
    let now = crate::store::now_iso();
    let order = store.get_mut("orders", order_id).expect("exists");
    order.attributes.insert("status".into(), json!("placed"));
    order.attributes.insert("payment_status".into(), json!("authorized"));
    order.attributes.insert("placed_at".into(), json!(now));
    let pending_save = order.attributes.remove("_save_pending").is_some();
    if pending_save {
        save_to_wallet(store, order_id)?;
    }
    Ok(())
}

/// Saves now when the source is authorized, else when the order is placed.
fn request_wallet_save(store: &mut Store, order_id: &str) -> Result<(), Response> {
    let order = store.get("orders", order_id).expect("exists");
    if order.rel_one("customer").is_none() {
        return Err(invalid(
            "customer - a guest order has no wallet: sign the customer in to save payment sources",
            "/data/attributes/_save_payment_source_to_customer_wallet",
            "guest",
        ));
    }
    let Some(source) = order_source(store, order_id) else {
        return Err(invalid("payment_source - can't be blank", "/data/relationships/payment_source", "blank"));
    };
    let placed = order.str_attr("status") == Some("placed");
    if placed || authorization(store, &source).is_ok() {
        save_to_wallet(store, order_id)
    } else {
        store.get_mut("orders", order_id).expect("exists").attributes.insert("_save_pending".into(), json!(true));
        Ok(())
    }
}

fn save_to_wallet(store: &mut Store, order_id: &str) -> Result<(), Response> {
    let order = store.get("orders", order_id).expect("exists");
    let customer = order.rel_one("customer").cloned().expect("checked");
    let method = order.rel_one("payment_method").cloned();
    let source = order.rel_one("payment_source").cloned().expect("checked");
    let already = store.all("customer_payment_sources").iter().any(|c| c.rel_one("payment_source") == Some(&source));
    if already {
        return Ok(());
    }
    let (name, token) = stripe::card_label(store, &source).unwrap_or_else(|| {
        let name = store.get(&source.0, &source.1).and_then(|s| s.str_attr("payment_source_token")).map(str::to_string);
        (name.clone().unwrap_or_else(|| source.0.replace('_', " ")), name.unwrap_or_default())
    });
    let customer_token = format!("cus_sbx_{}", customer.1);
    let token = if token.is_empty() { format!("tok_{}", store.random_chars(14)) } else { token };
    let mut cps = store.new_resource(
        "customer_payment_sources",
        json!({"name": name, "customer_token": customer_token, "payment_source_token": token}),
    );
    cps.set_rel("customer", Rel::One(Some(customer)));
    cps.set_rel("payment_method", Rel::One(method));
    cps.set_rel("payment_source", Rel::One(Some(source)));
    store.insert(cps);
    Ok(())
}

fn use_wallet_source(store: &mut Store, order_id: &str, cps_id: &str) -> Result<(), Response> {
    let pointer = "/data/attributes/_customer_payment_source_id";
    let order = store.get("orders", order_id).expect("exists");
    if order.str_attr("status") != Some("pending") {
        return Err(invalid("_customer_payment_source_id - the order is not pending", pointer, "status"));
    }
    let customer = order.rel_one("customer").cloned();
    let amount = order.int_attr("total_amount_cents");
    let cps = store.get("customer_payment_sources", cps_id);
    let Some(cps) = cps.filter(|c| customer.is_some() && c.rel_one("customer") == customer.as_ref()) else {
        return Err(invalid(
            "_customer_payment_source_id - is not a payment source of this order's customer",
            pointer,
            "not_found",
        ));
    };
    let saved = cps
        .rel_one("payment_source")
        .cloned()
        .ok_or_else(|| invalid("customer payment source has no payment source", pointer, "blank"))?;
    let token = cps.str_attr("payment_source_token").unwrap_or_default().to_string();
    let mut source = store.new_resource(&saved.0, json!({}));
    if saved.0 == "stripe_payments" {
        let intent = stripe::create_intent_with_saved_card(store, amount, &saved.1);
        source.attributes.extend(
            json!({"client_secret": intent.client_secret, "stripe_id": intent.id, "publishable_key": PUBLISHABLE_KEY,
                   "connected_account": null, "payment_method": {"id": token}, "mismatched_amounts": false, "options": {}})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
    } else if let Some(old) = store.get(&saved.0, &saved.1) {
        for k in ["payment_source_token", "options"] {
            if let Some(v) = old.attributes.get(k) {
                source.attributes.insert(k.into(), v.clone());
            }
        }
    }
    source.attributes.insert("amount_cents".into(), json!(amount));
    source.attributes.entry("payment_instrument").or_insert(Value::Null);
    source.set_rel("order", Rel::One(Some(("orders".into(), order_id.into()))));
    let key = source.key();
    store.insert(source);
    let order = store.get_mut("orders", order_id).expect("exists");
    order.set_rel("payment_method", Rel::One(Some(("payment_methods".into(), payment_method_id(&saved.0)))));
    order.set_rel("payment_source", Rel::One(Some(key)));
    Ok(())
}

fn create_customer_payment_source(store: &mut Store, req: &Request, caller: &Caller, q: &Query) -> Response {
    let data = match read_data(req, "customer_payment_sources", None) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let attrs = attributes(&data);
    for name in attrs.keys() {
        if !COMMON.contains(&name.as_str()) && name != "customer_token" && name != "payment_source_token" {
            return not_allowed(name, &format!("/data/attributes/{name}"));
        }
    }
    let customer = match linkage(&data, "customer") {
        Ok(Some(Some((t, id)))) if t == "customers" && store.get("customers", &id).is_some() => id,
        Ok(_) => return invalid("customer - must exist", "/data/relationships/customer", "blank"),
        Err(r) => return r,
    };
    if caller.customer.as_ref().is_some_and(|c| *c != customer) {
        return invalid("customer - must be the signed-in customer", "/data/relationships/customer", "invalid");
    }
    let source = match linkage(&data, "payment_source") {
        Ok(Some(Some((t, id)))) if is_source_type(&t) && store.get(&t, &id).is_some() => (t, id),
        Ok(_) => return invalid("payment_source - must exist", "/data/relationships/payment_source", "blank"),
        Err(r) => return r,
    };
    let (name, token) = stripe::card_label(store, &source).unwrap_or_else(|| (source.0.replace('_', " "), String::new()));
    let mut fields = json!({"name": name, "customer_token": format!("cus_sbx_{customer}"),
                            "payment_source_token": if token.is_empty() { format!("tok_{}", store.random_chars(14)) } else { token }});
    for (k, v) in attrs {
        fields[k] = v;
    }
    let mut cps = store.new_resource("customer_payment_sources", fields);
    cps.set_rel("customer", Rel::One(Some(("customers".into(), customer))));
    cps.set_rel("payment_method", Rel::One(Some(("payment_methods".into(), payment_method_id(&source.0)))));
    cps.set_rel("payment_source", Rel::One(Some(source)));
    let key = cps.key();
    store.insert(cps);
    let created = store.get(&key.0, &key.1).expect("inserted");
    ok(store, 201, &[created], false, q)
}

fn patch_line_item(store: &mut Store, req: &Request, id: &str, q: &Query) -> Response {
    let data = match read_data(req, "line_items", Some(id)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Some(li) = store.get("line_items", id) else { return not_found("line_items", id) };
    let order_id = li.rel_one("order").map(|k| k.1.clone()).unwrap_or_default();
    let quantity = match attributes(&data).get("quantity").and_then(Value::as_i64) {
        Some(n) if (1..=100).contains(&n) => n,
        _ => return invalid("quantity - must be an integer from 1 to 100", "/data/attributes/quantity", "less_than_or_equal_to"),
    };
    let li = store.get_mut("line_items", id).expect("exists");
    let unit = li.int_attr("unit_amount_cents");
    li.attributes.insert("quantity".into(), json!(quantity));
    li.attributes.insert("total_amount_cents".into(), json!(unit * quantity));
    li.attributes.insert("formatted_total_amount".into(), json!(crate::store::euros(unit * quantity)));
    store.recompute_totals(&order_id);
    let li = store.get("line_items", id).expect("exists");
    ok(store, 200, &[li], false, q)
}
