//! `/api/*`: orders, payment methods, the ten payment source types,
//! customer payment sources, customers, markets and line items. What may be
//! read and written comes from the published schema (`crate::schema`); the
//! triggers a checkout relies on are modelled in `crate::triggers`.

use serde_json::{json, Map, Value};

use crate::http::{Request, Response};
pub use crate::render::JSON_API;
use crate::render::{check_include, document, invalid_include, list, Query};
use crate::schema::{schema, FieldType};
use crate::store::{Key, Rel, Resource, Store};
use crate::{stripe, triggers};

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

pub fn not_found(_ty: &str, id: &str) -> Response {
    error(404, "RECORD_NOT_FOUND", "Record not found", &format!("The record identified by {id} could not be found."), None, None)
}

pub fn invalid(detail: &str, pointer: &str, meta_error: &str) -> Response {
    error(422, "VALIDATION_ERROR", "is invalid", detail, Some(pointer), Some(json!({"error": meta_error})))
}

fn not_allowed(name: &str, pointer: &str) -> Response {
    error(400, "PARAM_NOT_ALLOWED", "Param not allowed", &format!("{name} is not allowed."), Some(pointer), None)
}

/// What the API answers a sales-channel or customer token that writes to an
/// order it may no longer change (placed, approved, …): the official React
/// components treat this 401 as "re-read the order".
pub fn unauthorized() -> Response {
    error(401, "UNAUTHORIZED", "Access denied", "You are not authorized to perform this action on this resource.", None, None)
}

pub fn ok(store: &Store, status: u16, primary: &Resource, q: &Query) -> Response {
    if let Err((ty, name)) = check_include(&[primary], &q.include) {
        return invalid_include(&ty, &name);
    }
    Response::new(status, JSON_API, document(store, &[primary], false, q).to_string())
}

/// Who is calling: a sales channel (guest) or a customer, in one market.
pub struct Caller {
    pub customer: Option<String>,
    pub market: String,
}

pub fn is_source_type(ty: &str) -> bool {
    cl_gateways::find(ty).is_some()
}

/// Reads `{"data":{...}}`, checking `type` and, on updates, `id` as
/// JSONAPI::Resources (which Commerce Layer runs on) does.
fn read_data(req: &Request, ty: &str, id: Option<&str>) -> Result<Map<String, Value>, Response> {
    let body: Value = serde_json::from_slice(&req.body)
        .map_err(|_| error(400, "BAD_REQUEST", "Bad request", "The request body is not valid JSON", None, None))?;
    let Some(Value::Object(data)) = body.get("data").cloned() else {
        return Err(error(400, "PARAM_MISSING", "Missing Parameter", "The required parameter, data, is missing.", None, None));
    };
    if data.get("type").and_then(Value::as_str) != Some(ty) {
        return Err(error(409, "CONFLICT", "Type mismatch", &format!("data.type must be {ty}"), Some("/data/type"), None));
    }
    if let Some(id) = id {
        match data.get("id") {
            None | Some(Value::Null) => {
                return Err(error(
                    400,
                    "KEY_ORDER_MISMATCH",
                    "A key is required",
                    "The resource object does not contain a key.",
                    None,
                    None,
                ))
            }
            Some(given) if given.as_str() != Some(id) => {
                let key = given.as_str().map_or_else(|| given.to_string(), str::to_string);
                return Err(error(
                    400,
                    "KEY_NOT_INCLUDED_IN_URL",
                    "Key is not included in URL",
                    &format!("The URL does not support the key {key}"),
                    None,
                    None,
                ));
            }
            Some(_) => {}
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

/// Whether a trigger's value asks for the action (`true`, `"true"`, `1`, …).
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true" || s == "1",
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// Checks a write against the schema: every attribute must exist and be
/// creatable (or updatable), not prohibited for storefront tokens, and of
/// the field's type; every relationship must be writable. The API's answers:
/// 400 `PARAM_NOT_ALLOWED` naming the field, 400 `INVALID_FIELD_VALUE`.
fn check_write(ty: &str, data: &Map<String, Value>, creating: bool) -> Result<(), Response> {
    let Some(spec) = schema().resource(ty) else { return Ok(()) };
    for (name, value) in attributes(data) {
        let pointer = format!("/data/attributes/{name}");
        let writable = spec.field(&name).is_some_and(|f| (if creating { f.creatable } else { f.updatable }) && !f.prohibited);
        let Some(field) = spec.field(&name).filter(|_| writable) else { return Err(not_allowed(&name, &pointer)) };
        let typed = if field.trigger && field.ty == FieldType::Boolean {
            matches!(value, Value::Bool(_) | Value::String(_) | Value::Number(_))
        } else {
            field.ty.accepts(&value)
        };
        let listed = match (&field.values, &value) {
            (Some(values), Value::String(s)) => values.contains(s),
            _ => true,
        };
        if !typed || !listed {
            let shown = value.as_str().map_or_else(|| value.to_string(), str::to_string);
            return Err(error(
                400,
                "INVALID_FIELD_VALUE",
                "Invalid field value",
                &format!("{shown} is not a valid value for {name}."),
                Some(&pointer),
                None,
            ));
        }
    }
    if let Some(rels) = data.get("relationships").and_then(Value::as_object) {
        for name in rels.keys() {
            let writable = spec.relationship(name).is_some_and(|r| if creating { r.creatable } else { r.updatable });
            if !writable {
                return Err(not_allowed(name, &format!("/data/relationships/{name}")));
            }
        }
    }
    Ok(())
}

/// Stores the written attributes that are data (triggers are actions).
fn store_attributes(res: &mut Resource, data: &Map<String, Value>) {
    let Some(spec) = schema().resource(&res.ty) else { return };
    for (name, value) in attributes(data) {
        if spec.field(&name).is_some_and(|f| !f.trigger) {
            res.attributes.insert(name, value);
        }
    }
}

/// `Ok(None)` when the relationship is absent, `Ok(Some(None))` for `{"data":null}`.
pub fn linkage(data: &Map<String, Value>, name: &str) -> Result<Option<Option<Key>>, Response> {
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

/// The order, if it exists and the caller may see it: same market, and a
/// customer sees only their own orders.
pub fn visible_order<'a>(store: &'a Store, caller: &Caller, id: &str) -> Option<&'a Resource> {
    let order = store.get("orders", id)?;
    if order.rel_one("market").map(|(_, m)| m.as_str()) != Some(caller.market.as_str()) {
        return None;
    }
    match &caller.customer {
        Some(c) => (order.rel_one("customer").map(|(_, id)| id) == Some(c)).then_some(order),
        None => Some(order),
    }
}

/// A storefront may change an order only while it is a cart.
pub fn is_open(order: &Resource) -> bool {
    matches!(order.str_attr("status"), Some("draft" | "pending"))
}

/// A wallet entry, if it is the caller's: a guest token has no wallet.
fn own_wallet_entry<'a>(store: &'a Store, caller: &Caller, id: &str) -> Option<&'a Resource> {
    let cps = store.get("customer_payment_sources", id)?;
    let customer = caller.customer.as_ref()?;
    (cps.rel_one("customer").map(|(_, c)| c) == Some(customer)).then_some(cps)
}

/// A payment source is visible through its order, or through the caller's wallet.
fn visible_source<'a>(store: &'a Store, caller: &Caller, ty: &str, id: &str) -> Option<&'a Resource> {
    let source = store.get(ty, id)?;
    let through_order = source.rel_one("order").is_some_and(|(_, o)| visible_order(store, caller, o).is_some());
    let through_wallet = store
        .all("customer_payment_sources")
        .into_iter()
        .any(|cps| cps.rel_one("payment_source") == Some(&source.key()) && own_wallet_entry(store, caller, &cps.id).is_some());
    (through_order || through_wallet).then_some(source)
}

fn method_not_allowed(req: &Request) -> Response {
    error(405, "METHOD_NOT_ALLOWED", "Method not allowed", &format!("{} is not allowed here", req.method), None, None)
}

pub fn handle(store: &mut Store, req: &Request, caller: &Caller, segments: &[&str]) -> Response {
    let q = Query::from_pairs(&req.query);
    triggers::settle(store);
    match (req.method.as_str(), segments) {
        ("GET", ["orders", id]) => match visible_order(store, caller, id) {
            Some(o) => ok(store, 200, o, &q),
            None => not_found("orders", id),
        },
        ("PATCH", ["orders", id]) => patch_order(store, req, caller, id, &q),
        ("GET", ["payment_methods"]) => {
            let mine = store
                .all("payment_methods")
                .into_iter()
                .filter(|pm| pm.rel_one("market").is_some_and(|(_, m)| *m == caller.market))
                .collect();
            list(store, "payment_methods", mine, &q, &req.path)
        }
        ("GET", ["payment_methods", id]) => match store.get("payment_methods", id) {
            Some(pm) => ok(store, 200, pm, &q),
            None => not_found("payment_methods", id),
        },
        ("GET", ["markets", id]) if *id == caller.market => match store.get("markets", id) {
            Some(m) => ok(store, 200, m, &q),
            None => not_found("markets", id),
        },
        ("GET", ["customers", id]) if caller.customer.as_deref() == Some(*id) => match store.get("customers", id) {
            Some(c) => ok(store, 200, c, &q),
            None => not_found("customers", id),
        },
        ("GET", ["line_items", id]) => match line_item(store, caller, id) {
            Some(li) => ok(store, 200, li, &q),
            None => not_found("line_items", id),
        },
        ("PATCH", ["line_items", id]) => patch_line_item(store, req, caller, id, &q),
        ("POST", ["customer_payment_sources"]) => create_customer_payment_source(store, req, caller, &q),
        ("GET", ["customer_payment_sources"]) => {
            let mine = store
                .all("customer_payment_sources")
                .into_iter()
                .filter(|c| own_wallet_entry(store, caller, &c.id).is_some())
                .collect();
            list(store, "customer_payment_sources", mine, &q, &req.path)
        }
        ("GET", ["customer_payment_sources", id]) => match own_wallet_entry(store, caller, id) {
            Some(c) => ok(store, 200, c, &q),
            None => not_found("customer_payment_sources", id),
        },
        ("PATCH", ["customer_payment_sources", id]) => patch_customer_payment_source(store, req, caller, id, &q),
        ("DELETE", ["customer_payment_sources", id]) => {
            if own_wallet_entry(store, caller, id).is_none() {
                return not_found("customer_payment_sources", id);
            }
            store.remove("customer_payment_sources", id);
            Response::empty(204)
        }
        ("POST", [ty]) if is_source_type(ty) => create_payment_source(store, req, caller, ty, &q),
        ("GET", [ty]) if is_source_type(ty) => {
            let visible: Vec<String> = store
                .all(ty)
                .into_iter()
                .filter(|s| visible_source(store, caller, ty, &s.id).is_some())
                .map(|s| s.id.clone())
                .collect();
            let items = visible.iter().filter_map(|id| store.get(ty, id)).collect();
            list(store, ty, items, &q, &req.path)
        }
        ("GET", [ty, id]) if is_source_type(ty) => {
            if visible_source(store, caller, ty, id).is_none() {
                return not_found(ty, id);
            }
            stripe::sync_source(store, ty, id);
            match store.get(ty, id) {
                Some(s) => ok(store, 200, s, &q),
                None => not_found(ty, id),
            }
        }
        ("PATCH", [ty, id]) if is_source_type(ty) => patch_payment_source(store, req, caller, ty, id, &q),
        (_, [ty, ..]) if is_source_type(ty) || schema().resource(ty).is_some() => method_not_allowed(req),
        _ => error(404, "NOT_FOUND", "Not found", &format!("{} does not exist", req.path), None, None),
    }
}

fn line_item<'a>(store: &'a Store, caller: &Caller, id: &str) -> Option<&'a Resource> {
    let li = store.get("line_items", id)?;
    let order = li.rel_one("order")?;
    visible_order(store, caller, &order.1).map(|_| li)
}

fn create_payment_source(store: &mut Store, req: &Request, caller: &Caller, ty: &str, q: &Query) -> Response {
    let data = match read_data(req, ty, None) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Err(r) = check_write(ty, &data, true) {
        return r;
    }
    let attrs = attributes(&data);
    // What the gateway table says the API requires. (The schema also marks
    // Checkout.com's `token` required; its Flow integration creates the
    // source first and tokenizes through `payment_session`.)
    for name in cl_gateways::find(ty).map_or(&[][..], |g| g.required) {
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
    if !is_open(order) {
        return unauthorized();
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
    let market = order.rel_one("market").map(|(_, m)| m.clone()).unwrap_or_default();
    let mut source = store.new_resource(ty, json!({}));
    store_attributes(&mut source, &data);
    triggers::gateway_attributes(store, &mut source, amount, &market);
    source.internal.insert("amount_cents".into(), json!(amount));
    source.set_rel("order", Rel::One(Some(("orders".into(), order_id.clone()))));
    let key = source.key();
    store.insert(source);
    if let Some(order) = store.get_mut("orders", &order_id) {
        order.set_rel("payment_source", Rel::One(Some(key.clone())));
    }
    match store.get(&key.0, &key.1) {
        Some(created) => ok(store, 201, created, q),
        None => not_found(ty, &key.1),
    }
}

fn patch_payment_source(store: &mut Store, req: &Request, caller: &Caller, ty: &str, id: &str, q: &Query) -> Response {
    let Some(source) = visible_source(store, caller, ty, id) else { return not_found(ty, id) };
    let order_open = source.rel_one("order").and_then(|(_, o)| store.get("orders", o)).is_some_and(is_open);
    let data = match read_data(req, ty, Some(id)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Err(r) = check_write(ty, &data, false) {
        return r;
    }
    if !order_open {
        return unauthorized();
    }
    if let Some(source) = store.get_mut(ty, id) {
        store_attributes(source, &data);
    }
    if let Err(r) = triggers::payment_source(store, ty, id, &attributes(&data)) {
        return r;
    }
    match store.get(ty, id) {
        Some(source) => ok(store, 200, source, q),
        None => not_found(ty, id),
    }
}

fn patch_order(store: &mut Store, req: &Request, caller: &Caller, id: &str, q: &Query) -> Response {
    let Some(order) = visible_order(store, caller, id) else { return not_found("orders", id) };
    let open = is_open(order);
    let data = match read_data(req, "orders", Some(id)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Err(r) = check_write("orders", &data, false) {
        return r;
    }
    let attrs = attributes(&data);
    if !open {
        // Once placed, the only write a storefront still makes is its customer
        // saving the payment source (the React components send it after _place).
        let no_relationships = data.get("relationships").and_then(Value::as_object).is_none_or(Map::is_empty);
        let only_wallet_save =
            caller.customer.is_some() && no_relationships && attrs.keys().all(|k| k == "_save_payment_source_to_customer_wallet");
        if !only_wallet_save {
            return unauthorized();
        }
    }
    match linkage(&data, "payment_method") {
        Ok(Some(choice)) => {
            if let Err(r) = triggers::select_payment_method(store, id, choice) {
                return r;
            }
        }
        Ok(None) => {}
        Err(r) => return r,
    }
    if let Some(rels) = data.get("relationships").and_then(Value::as_object) {
        for name in rels.keys().filter(|n| *n != "payment_method") {
            match linkage(&data, name) {
                Ok(Some(target)) => {
                    if let Some(order) = store.get_mut("orders", id) {
                        order.set_rel(name, Rel::One(target));
                    }
                }
                Ok(None) => {}
                Err(r) => return r,
            }
        }
    }
    if let Some(order) = store.get_mut("orders", id) {
        store_attributes(order, &data);
    }
    if let Err(r) = triggers::order(store, id, &attrs) {
        return r;
    }
    match store.get("orders", id) {
        Some(order) => ok(store, 200, order, q),
        None => not_found("orders", id),
    }
}

fn create_customer_payment_source(store: &mut Store, req: &Request, caller: &Caller, q: &Query) -> Response {
    let ty = "customer_payment_sources";
    let data = match read_data(req, ty, None) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Err(r) = check_write(ty, &data, true) {
        return r;
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
        Ok(Some(Some((t, id)))) if is_source_type(&t) && store.get(&t, &id).is_some() => Some((t, id)),
        Ok(None | Some(None)) => None,
        Ok(_) => return invalid("payment_source - must exist", "/data/relationships/payment_source", "blank"),
        Err(r) => return r,
    };
    let method = match linkage(&data, "payment_method") {
        Ok(Some(Some((t, id)))) if t == "payment_methods" && store.get(&t, &id).is_some() => Some((t, id)),
        Ok(None | Some(None)) => None,
        Ok(_) => return invalid("payment_method - must exist", "/data/relationships/payment_method", "blank"),
        Err(r) => return r,
    };
    let attrs = attributes(&data);
    if source.is_none() && attrs.get("payment_source_token").is_none_or(Value::is_null) {
        return invalid(
            "payment_source_token - can't be blank without a payment_source",
            "/data/attributes/payment_source_token",
            "blank",
        );
    }
    let method =
        method.or_else(|| source.as_ref().map(|(t, _)| ("payment_methods".to_string(), crate::store::payment_method_id(t))));
    let mut cps = triggers::wallet_entry(store, &customer, source, method);
    store_attributes(&mut cps, &data);
    let key = cps.key();
    store.insert(cps);
    match store.get(&key.0, &key.1) {
        Some(created) => ok(store, 201, created, q),
        None => not_found(ty, &key.1),
    }
}

fn patch_customer_payment_source(store: &mut Store, req: &Request, caller: &Caller, id: &str, q: &Query) -> Response {
    let ty = "customer_payment_sources";
    if own_wallet_entry(store, caller, id).is_none() {
        return not_found(ty, id);
    }
    let data = match read_data(req, ty, Some(id)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Err(r) = check_write(ty, &data, false) {
        return r;
    }
    if let Some(cps) = store.get_mut(ty, id) {
        store_attributes(cps, &data);
    }
    match store.get(ty, id) {
        Some(cps) => ok(store, 200, cps, q),
        None => not_found(ty, id),
    }
}

fn patch_line_item(store: &mut Store, req: &Request, caller: &Caller, id: &str, q: &Query) -> Response {
    let Some(li) = line_item(store, caller, id) else { return not_found("line_items", id) };
    let order_id = li.rel_one("order").map(|k| k.1.clone()).unwrap_or_default();
    let open = store.get("orders", &order_id).is_some_and(is_open);
    let data = match read_data(req, "line_items", Some(id)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Err(r) = check_write("line_items", &data, false) {
        return r;
    }
    if !open {
        return unauthorized();
    }
    let attrs = attributes(&data);
    if let Some(q) = attrs.get("quantity") {
        if !q.as_i64().is_some_and(|n| (1..=100).contains(&n)) {
            return invalid("quantity - must be an integer from 1 to 100", "/data/attributes/quantity", "less_than_or_equal_to");
        }
    }
    if let Some(li) = store.get_mut("line_items", id) {
        store_attributes(li, &data);
        let quantity = li.int_attr("quantity");
        let unit = li.int_attr("unit_amount_cents");
        let mut amounts = Value::Object(std::mem::take(&mut li.attributes));
        crate::store::set_amount(&mut amounts, "total_amount", unit * quantity);
        if let Value::Object(m) = amounts {
            li.attributes = m;
        }
    }
    store.recompute_totals(&order_id);
    match store.get("line_items", id) {
        Some(li) => ok(store, 200, li, q),
        None => not_found("line_items", id),
    }
}
