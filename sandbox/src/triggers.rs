//! The triggers a checkout relies on (`_place`, `place_async`, `_refresh`,
//! `_update`, `_authorize`/`_details`, wallet saves and reuse), and what each
//! gateway answers on create. Triggers with no checkout meaning
//! (`_update_taxes`, `_validate`, `_billing_address_same_as_shipping`, …)
//! are accepted as no-ops: the schema already checked they may be sent.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::api::{invalid, is_open, truthy};
use crate::http::Response;
use crate::store::{
    now_iso, payment_method_id, Key, Rel, Resource, Store, CONNECTED_ACCOUNT, CONNECT_MARKET_ID, PUBLISHABLE_KEY,
};
use crate::{api, stripe};

/// How long an order placed with `place_async` stays `placing`.
const ASYNC_PLACING: Duration = Duration::from_millis(1500);

/// Orders placed asynchronously whose time has come become `placed`. Only
/// the orders waiting are looked at: this runs before every API request.
pub fn settle(store: &mut Store) {
    if store.placing.is_empty() {
        return;
    }
    let now = Instant::now();
    let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut store.placing).into_iter().partition(|(_, at)| *at <= now);
    store.placing = waiting;
    for (id, _) in due {
        finish_placing(store, &id);
    }
}

/// What each gateway answers on create (read-only attributes of the schema).
pub fn gateway_attributes(store: &mut Store, source: &mut Resource, amount: i64, market: &str) {
    let extra = match source.ty.as_str() {
        // A storefront may pass an existing intent (`stripe_id`, `client_secret`):
        // the API then uses it instead of creating one.
        "stripe_payments"
            if ["stripe_id", "client_secret"].iter().any(|k| source.attributes.get(*k).is_some_and(Value::is_string)) =>
        {
            json!({"publishable_key": PUBLISHABLE_KEY, "mismatched_amounts": false})
        }
        "stripe_payments" => {
            let account = (market == CONNECT_MARKET_ID).then(|| CONNECTED_ACCOUNT.to_string());
            let intent = stripe::create_intent(store, amount, account.clone());
            json!({"client_secret": intent.client_secret, "stripe_id": intent.id, "publishable_key": PUBLISHABLE_KEY,
                   "connected_account": account, "mismatched_amounts": false,
                   "options": source.attributes.get("options").cloned().unwrap_or(json!({}))})
        }
        _ => crate::gateways::on_create(store, source),
    };
    if let Value::Object(m) = extra {
        source.attributes.extend(m);
    }
}

/// `_update`, `_refresh`, `_authorize`, `_details` on a payment source.
pub fn payment_source(store: &mut Store, ty: &str, id: &str, attrs: &Map<String, Value>) -> Result<(), Response> {
    if truthy(attrs.get("_update")) {
        update_amount(store, ty, id);
    }
    if truthy(attrs.get("_refresh")) {
        stripe::sync_source(store, ty, id);
    }
    crate::gateways::step(store, ty, id, attrs)?;
    Ok(())
}

/// `_update`: the gateway's amount takes the order's current total.
fn update_amount(store: &mut Store, ty: &str, id: &str) {
    let total = store
        .get(ty, id)
        .and_then(|s| s.rel_one("order").cloned())
        .and_then(|(_, o)| store.get("orders", &o))
        .map(|o| o.int_attr("total_amount_cents"));
    let Some(total) = total else { return };
    if ty == "stripe_payments" {
        stripe::set_intent_amount(store, id, total);
    }
    if let Some(s) = store.get_mut(ty, id) {
        s.attributes.insert("mismatched_amounts".into(), json!(false));
        s.internal.insert("amount_cents".into(), json!(total));
    }
}

/// The order triggers, in the order the API applies them.
pub fn order(store: &mut Store, id: &str, attrs: &Map<String, Value>) -> Result<(), Response> {
    if truthy(attrs.get("_refresh")) {
        store.recompute_totals(id);
        if let Some(o) = store.get_mut("orders", id) {
            o.attributes.insert("refreshed_at".into(), json!(now_iso()));
        }
    }
    if truthy(attrs.get("_nullify_payment_source")) {
        if let Some(o) = store.get_mut("orders", id) {
            o.set_rel("payment_source", Rel::One(None));
        }
    }
    if let Some(cps) = attrs.get("_customer_payment_source_id") {
        let Some(cps) = cps.as_str() else {
            return Err(invalid(
                "_customer_payment_source_id - must be a string",
                "/data/attributes/_customer_payment_source_id",
                "invalid",
            ));
        };
        use_wallet_source(store, id, cps)?;
    }
    if truthy(attrs.get("_save_payment_source_to_customer_wallet")) {
        request_wallet_save(store, id)?;
    }
    if truthy(attrs.get("_place")) {
        place(store, id)?;
    }
    Ok(())
}

pub fn select_payment_method(store: &mut Store, order_id: &str, choice: Option<Key>) -> Result<(), Response> {
    let pointer = "/data/relationships/payment_method";
    let market = store.get("orders", order_id).and_then(|o| o.rel_one("market").cloned());
    if let Some((t, pm)) = &choice {
        let available = t == "payment_methods"
            && store
                .get("payment_methods", pm)
                .is_some_and(|p| p.attributes["disabled_at"].is_null() && p.rel_one("market") == market.as_ref());
        if !available {
            return Err(invalid("payment_method - is not available for this order", pointer, "not_available"));
        }
    }
    let Some(order) = store.get_mut("orders", order_id) else { return Ok(()) };
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
        _ => crate::gateways::authorization(store, ty, id),
    }
}

fn place(store: &mut Store, order_id: &str) -> Result<(), Response> {
    let status = store.get("orders", order_id).and_then(|o| o.str_attr("status")).unwrap_or_default().to_string();
    if status != "pending" {
        return Err(api::error(
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
    let mismatched =
        store.get(&source.0, &source.1).and_then(|s| s.attributes.get("mismatched_amounts")).and_then(Value::as_bool);
    if mismatched == Some(true) {
        return Err(invalid(
            "payment_source - the amount changed since the payment source was created: update or recreate it",
            "/data/relationships/payment_source",
            "mismatched_amounts",
        ));
    }
    if let Err(why) = authorization(store, &source) {
        return Err(api::error(
            422,
            "PAYMENT_NOT_AUTHORIZED",
            "Payment not authorized",
            &format!("payment_source - {why}"),
            Some("/data/relationships/payment_source"),
            Some(json!({"error": "not_authorized"})),
        ));
    }
    let is_async = store.get("orders", order_id).and_then(|o| o.attributes.get("place_async")).and_then(Value::as_bool);
    if is_async == Some(true) {
        if let Some(order) = store.get_mut("orders", order_id) {
            order.attributes.insert("status".into(), json!("placing"));
            order.attributes.insert("editable".into(), json!(false));
        }
        store.placing.push((order_id.to_string(), Instant::now() + ASYNC_PLACING));
        return Ok(());
    }
    finish_placing(store, order_id);
    Ok(())
}

fn finish_placing(store: &mut Store, order_id: &str) {
    let now = now_iso();
    let Some(order) = store.get_mut("orders", order_id) else { return };
    for (k, v) in [("status", json!("placed")), ("payment_status", json!("authorized")), ("editable", json!(false))] {
        order.attributes.insert(k.into(), v);
    }
    order.attributes.insert("placed_at".into(), json!(now.clone()));
    order.attributes.insert("payment_updated_at".into(), json!(now));
    if order.internal.remove("save_pending").is_some() {
        save_to_wallet(store, order_id);
    }
}

/// Saves now when the source is authorized, else when the order is placed.
fn request_wallet_save(store: &mut Store, order_id: &str) -> Result<(), Response> {
    let Some(order) = store.get("orders", order_id) else { return Ok(()) };
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
    let placed = !is_open(order);
    if placed || authorization(store, &source).is_ok() {
        save_to_wallet(store, order_id);
    } else if let Some(order) = store.get_mut("orders", order_id) {
        order.internal.insert("save_pending".into(), json!(true));
    }
    Ok(())
}

fn save_to_wallet(store: &mut Store, order_id: &str) {
    let Some(order) = store.get("orders", order_id) else { return };
    let (Some(customer), Some(source)) = (order.rel_one("customer").cloned(), order.rel_one("payment_source").cloned()) else {
        return;
    };
    let method = order.rel_one("payment_method").cloned();
    let already = store.all("customer_payment_sources").iter().any(|c| c.rel_one("payment_source") == Some(&source));
    if already {
        return;
    }
    let cps = wallet_entry(store, &customer.1, Some(source), method);
    store.insert(cps);
}

/// A customer payment source as the gateway would name it: a known card by
/// its last digits, else by its gateway token or its type; the gateway's
/// token, or a fresh one. Not inserted: the caller may add attributes.
pub fn wallet_entry(store: &mut Store, customer: &str, source: Option<Key>, method: Option<Key>) -> Resource {
    let label = source
        .as_ref()
        .and_then(|s| stripe::card_label(store, s).or_else(|| crate::gateways::card_label(store, s)))
        .filter(|(_, token)| !token.is_empty());
    let source_token = source.as_ref().and_then(|(t, id)| store.get(t, id)).and_then(|s| s.str_attr("payment_source_token"));
    let (name, token) = match (label, source_token.map(str::to_string)) {
        (Some(label), _) => label,
        (None, Some(token)) => (token.clone(), token),
        (None, None) => {
            let name = source.as_ref().map_or_else(|| "saved payment source".to_string(), |(t, _)| t.replace('_', " "));
            (name, format!("tok_{}", store.random_chars(14)))
        }
    };
    let mut cps = store.new_resource(
        "customer_payment_sources",
        json!({"name": name, "customer_token": format!("cus_sbx_{customer}"), "payment_source_token": token}),
    );
    cps.set_rel("customer", Rel::One(Some(("customers".into(), customer.to_string()))));
    cps.set_rel("payment_method", Rel::One(method));
    cps.set_rel("payment_source", Rel::One(source));
    cps
}

fn use_wallet_source(store: &mut Store, order_id: &str, cps_id: &str) -> Result<(), Response> {
    let pointer = "/data/attributes/_customer_payment_source_id";
    let Some(order) = store.get("orders", order_id) else { return Ok(()) };
    let customer = order.rel_one("customer").cloned();
    let amount = order.int_attr("total_amount_cents");
    let market = order.rel_one("market").map(|(_, m)| m.clone()).unwrap_or_default();
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
        let account = (market == CONNECT_MARKET_ID).then(|| CONNECTED_ACCOUNT.to_string());
        let intent = stripe::create_intent_with_saved_card(store, amount, &saved.1, account.clone());
        source.attributes.extend(
            json!({"client_secret": intent.client_secret, "stripe_id": intent.id, "publishable_key": PUBLISHABLE_KEY,
                   "connected_account": account, "payment_method": {"id": token}, "mismatched_amounts": false, "options": {}})
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
        if let Some(last4) = old.internal.get(crate::gateways::CARD_LAST4) {
            source.internal.insert(crate::gateways::CARD_LAST4.into(), last4.clone());
        }
        source.internal.insert(crate::gateways::VAULTED.into(), json!(true));
    }
    source.internal.insert("amount_cents".into(), json!(amount));
    source.set_rel("order", Rel::One(Some(("orders".into(), order_id.into()))));
    let key = source.key();
    store.insert(source);
    if let Some(order) = store.get_mut("orders", order_id) {
        order.set_rel("payment_method", Rel::One(Some(("payment_methods".into(), payment_method_id(&saved.0)))));
        order.set_rel("payment_source", Rel::One(Some(key)));
    }
    Ok(())
}
