//! A Stripe PaymentIntent emulation: the intents behind `stripe_payments`,
//! the publishable-key routes the Stripe.js stand-in calls, and the test-card
//! outcomes of docs.stripe.com/testing.

use serde_json::{json, Value};

use crate::http::{pairs, Request, Response};
use std::time::Instant;

use crate::store::{unix_now, Key, PaymentIntent, Store, PUBLISHABLE_KEY};

/// What a test card does when charged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CardOutcome {
    Success,
    ThreeDSecure,
    Decline { code: &'static str, decline_code: Option<&'static str>, message: &'static str },
}

pub fn card_outcome(number: &str) -> CardOutcome {
    let generic =
        CardOutcome::Decline { code: "card_declined", decline_code: Some("generic_decline"), message: "Your card was declined." };
    match number {
        "4000002760003184" | "4000002500003155" | "4000000000003220" => CardOutcome::ThreeDSecure,
        "4000000000000002" | "4000000000000341" => generic,
        "4000000000009995" => CardOutcome::Decline {
            code: "card_declined",
            decline_code: Some("insufficient_funds"),
            message: "Your card has insufficient funds.",
        },
        "4000000000009987" => {
            CardOutcome::Decline { code: "card_declined", decline_code: Some("lost_card"), message: "Your card was declined." }
        }
        "4000000000009979" => {
            CardOutcome::Decline { code: "card_declined", decline_code: Some("stolen_card"), message: "Your card was declined." }
        }
        "4000000000000069" => {
            CardOutcome::Decline { code: "expired_card", decline_code: None, message: "Your card has expired." }
        }
        "4000000000000127" => {
            CardOutcome::Decline { code: "incorrect_cvc", decline_code: None, message: "Your card's security code is incorrect." }
        }
        "4000000000000119" => CardOutcome::Decline {
            code: "processing_error",
            decline_code: None,
            message: "An error occurred while processing your card. Try again in a little bit.",
        },
        _ => CardOutcome::Success,
    }
}

pub fn luhn_ok(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() < 12 || digits.len() != number.len() {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The last four digits of a card number (what wallets and receipts show).
pub fn last4(number: &str) -> &str {
    number.get(number.len().saturating_sub(4)..).unwrap_or_default()
}

/// A saved card's name as Commerce Layer shows it in the wallet.
pub fn masked_card(last4: &str) -> String {
    format!("XXXX-XXXX-XXXX-{last4}")
}

pub fn brand(number: &str) -> &'static str {
    match number.as_bytes().first() {
        Some(b'4') => "visa",
        Some(b'5') => "mastercard",
        Some(b'3') => "amex",
        _ => "unknown",
    }
}

pub fn create_intent(store: &mut Store, amount: i64, account: Option<String>) -> PaymentIntent {
    let id = format!("pi_sbx{}", store.random_chars(18));
    let secret = format!("{id}_secret_{}", store.random_chars(20));
    let intent = PaymentIntent {
        id: id.clone(),
        client_secret: secret,
        amount,
        currency: "eur".into(),
        status: "requires_payment_method".into(),
        capture_method: "manual".into(),
        payment_method: None,
        card_number: None,
        last_payment_error: None,
        next_action: None,
        created: unix_now(),
        confirmations: 0,
        settles_at: None,
        account,
    };
    store.intents.insert(id, intent.clone());
    intent
}

/// An intent for a card saved in the wallet: the payment method is attached
/// and the charge happens server-side when the order is placed.
pub fn create_intent_with_saved_card(
    store: &mut Store,
    amount: i64,
    saved_source_id: &str,
    account: Option<String>,
) -> PaymentIntent {
    let saved = store
        .get("stripe_payments", saved_source_id)
        .and_then(|s| s.str_attr("stripe_id"))
        .and_then(|pi| store.intents.get(pi))
        .map(|pi| (pi.payment_method.clone(), pi.card_number.clone()));
    let mut intent = create_intent(store, amount, account);
    if let Some((pm, card)) = saved {
        intent.payment_method = pm;
        intent.card_number = card;
        intent.status = "requires_confirmation".into();
    }
    store.intents.insert(intent.id.clone(), intent.clone());
    intent
}

fn intent_of_source<'a>(store: &'a Store, source_id: &str) -> Option<&'a PaymentIntent> {
    store.get("stripe_payments", source_id).and_then(|s| s.str_attr("stripe_id")).and_then(|pi| store.intents.get(pi))
}

/// Copies the intent's outcome onto the `stripe_payments` (the webhook's job
/// in Commerce Layer; `_refresh` and `_place` force it).
pub fn sync_source(store: &mut Store, ty: &str, id: &str) {
    if ty != "stripe_payments" {
        return;
    }
    let Some(pi) = intent_of_source(store, id).cloned() else { return };
    let Some(source) = store.get_mut(ty, id) else { return };
    if let (Some(pm), Some(card)) = (&pi.payment_method, &pi.card_number) {
        source.attributes.insert(
            "payment_method".into(),
            json!({"id": pm, "type": "card", "card": {"brand": brand(card), "last4": last4(card)}}),
        );
        source.attributes.insert(
            "payment_instrument".into(),
            json!({"issuer_type": "card", "card_type": brand(card), "card_last_digits": last4(card)}),
        );
    }
    if matches!(pi.status.as_str(), "requires_capture" | "succeeded")
        && source.attributes.get("charge_id").is_none_or(Value::is_null)
    {
        source.attributes.insert("charge_id".into(), json!(format!("ch_{}", &pi.id[3..])));
    }
}

/// `_update` on a `stripe_payments`: its intent takes the order's current total.
pub fn set_intent_amount(store: &mut Store, source_id: &str, total: i64) {
    let pi_id = store.get("stripe_payments", source_id).and_then(|s| s.str_attr("stripe_id")).map(str::to_string);
    if let Some(pi) = pi_id.and_then(|id| store.intents.get_mut(&id)) {
        pi.amount = total;
    }
}

/// Whether the intent is authorized; an intent with a saved card attached is
/// confirmed server-side first, as Commerce Layer does on `_place`.
pub fn authorize(store: &mut Store, source_id: &str) -> Result<(), String> {
    let Some(pi_id) = intent_of_source(store, source_id).map(|pi| pi.id.clone()) else {
        return Err("the stripe payment has no payment intent".into());
    };
    let pi = store.intents.get_mut(&pi_id).expect("exists");
    settle(pi);
    if pi.status == "requires_confirmation" {
        let card = pi.card_number.clone().unwrap_or_default();
        apply_charge(pi, &card, false);
    }
    let status = pi.status.clone();
    sync_source(store, "stripe_payments", source_id);
    match status.as_str() {
        "requires_capture" | "succeeded" => Ok(()),
        other => Err(format!("the Stripe payment intent is {other}; confirm it with Stripe.js before placing the order")),
    }
}

/// A `processing` payment whose time has come succeeds (authorized).
fn settle(pi: &mut PaymentIntent) {
    if pi.status == "processing" && pi.settles_at.is_some_and(|t| Instant::now() >= t) {
        pi.status = "requires_capture".into();
        pi.settles_at = None;
    }
}

/// `(name, payment_source_token)` of a Stripe source whose card is known.
pub fn card_label(store: &Store, source: &Key) -> Option<(String, String)> {
    if source.0 != "stripe_payments" {
        return None;
    }
    let pi = intent_of_source(store, &source.1)?;
    let card = pi.card_number.as_ref()?;
    Some((masked_card(last4(card)), pi.payment_method.clone().unwrap_or_default()))
}

/// Runs a charge attempt with `card` on the intent. `on_session` charges can
/// ask for 3-D Secure; server-side (saved card) ones cannot.
fn apply_charge(pi: &mut PaymentIntent, card: &str, on_session: bool) {
    pi.confirmations += 1;
    pi.card_number = Some(card.to_string());
    pi.payment_method.get_or_insert_with(|| format!("pm_sbx{}{}", last4(card), pi.id.len()));
    pi.next_action = None;
    pi.last_payment_error = None;
    match card_outcome(card) {
        CardOutcome::Success => pi.status = "requires_capture".into(),
        CardOutcome::ThreeDSecure if on_session => {
            pi.status = "requires_action".into();
            pi.next_action = Some(json!({"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}}));
        }
        CardOutcome::ThreeDSecure => {
            pi.status = "requires_payment_method".into();
            pi.last_payment_error = Some(json!({"type": "card_error", "code": "authentication_required",
                "message": "This card requires authentication for off-session payments."}));
        }
        CardOutcome::Decline { code, decline_code, message } => {
            pi.status = "requires_payment_method".into();
            pi.last_payment_error =
                Some(json!({"type": "card_error", "code": code, "decline_code": decline_code, "message": message}));
        }
    }
}

/// The client-visible subset of a PaymentIntent (what a publishable key sees).
pub fn intent_json(pi: &PaymentIntent) -> Value {
    json!({"id": pi.id, "object": "payment_intent", "amount": pi.amount, "currency": pi.currency, "status": pi.status,
           "client_secret": pi.client_secret, "capture_method": pi.capture_method, "confirmation_method": "automatic",
           "created": pi.created, "canceled_at": null, "cancellation_reason": null, "description": null, "livemode": false,
           "last_payment_error": pi.last_payment_error, "next_action": pi.next_action, "payment_method": pi.payment_method,
           "payment_method_types": ["card"], "receipt_email": null, "setup_future_usage": null, "shipping": null})
}

fn stripe_error(status: u16, kind: &str, code: &str, message: &str, pi: Option<&PaymentIntent>) -> Response {
    let mut e = json!({"type": kind, "code": code, "message": message});
    if let Some(pi) = pi {
        e["payment_intent"] = intent_json(pi);
    }
    Response::json(status, &json!({"error": e}))
}

/// Reads a form-encoded (as Stripe.js sends) or JSON body into pairs.
fn params(req: &Request) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(&req.body);
    if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&text) {
        return m.into_iter().map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect();
    }
    pairs(&text)
}

/// `/v1/payment_intents/:id[/confirm]` with a publishable key and the
/// intent's client secret; `/sandbox/payment_intents/:id/3ds` for the
/// stand-in's challenge buttons.
pub fn handle(store: &mut Store, req: &Request, segments: &[&str]) -> Response {
    let mut p = params(req);
    p.extend(req.query.iter().cloned());
    let get = |k: &str| p.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    if get("key").is_some_and(|k| k.starts_with("pk_live_")) {
        return stripe_error(401, "invalid_request_error", "api_key_live", "The sandbox refuses live keys.", None);
    }
    if get("key") != Some(PUBLISHABLE_KEY) {
        return stripe_error(401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided.", None);
    }
    let id = segments.get(1).copied().unwrap_or_default();
    // Stripe Connect: an intent of a connected account is found only when
    // Stripe.js was created with { stripeAccount } (sent as `_stripe_account`).
    let account = get("_stripe_account").map(str::to_string).or_else(|| req.header("Stripe-Account").map(str::to_string));
    let secret_ok =
        store.intents.get(id).is_some_and(|pi| Some(pi.client_secret.as_str()) == get("client_secret") && pi.account == account);
    if !secret_ok {
        return stripe_error(404, "invalid_request_error", "resource_missing", "No such payment_intent.", None);
    }
    let processing = store.processing_next;
    let pi = store.intents.get_mut(id).expect("checked");
    settle(pi);
    match (req.method.as_str(), segments) {
        ("GET", [_, _]) => Response::json(200, &intent_json(pi)),
        ("POST", [_, _, "confirm"]) => {
            if !matches!(pi.status.as_str(), "requires_payment_method" | "requires_confirmation") {
                let message = format!("This PaymentIntent's status is {}, so it cannot be confirmed.", pi.status);
                return stripe_error(400, "invalid_request_error", "payment_intent_unexpected_state", &message, Some(pi));
            }
            let card: String =
                get("payment_method_data[card][number]").unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
            if !luhn_ok(&card) {
                return stripe_error(402, "card_error", "incorrect_number", "Your card number is incorrect.", Some(pi));
            }
            apply_charge(pi, &card, true);
            if let (Some(wait), "requires_capture") = (processing, pi.status.as_str()) {
                pi.status = "processing".into();
                pi.settles_at = Some(Instant::now() + wait);
                store.processing_next = None;
            }
            let pi = store.intents.get_mut(id).expect("checked");
            match &pi.last_payment_error {
                Some(e) => {
                    let (kind, code) = (
                        e["type"].as_str().unwrap_or("card_error").to_string(),
                        e["code"].as_str().unwrap_or("card_declined").to_string(),
                    );
                    let mut resp = stripe_error(402, &kind, &code, e["message"].as_str().unwrap_or("declined"), Some(pi));
                    if let Some(dc) = e["decline_code"].as_str() {
                        let mut body: Value = serde_json::from_slice(&resp.body).unwrap_or_default();
                        body["error"]["decline_code"] = json!(dc);
                        resp.body = body.to_string().into_bytes();
                    }
                    resp
                }
                None => Response::json(200, &intent_json(pi)),
            }
        }
        ("POST", [_, _, "3ds"]) => {
            if pi.status != "requires_action" {
                return stripe_error(
                    400,
                    "invalid_request_error",
                    "payment_intent_unexpected_state",
                    "No authentication is pending.",
                    Some(pi),
                );
            }
            pi.next_action = None;
            if get("result") == Some("complete") {
                pi.status = "requires_capture".into();
            } else {
                pi.status = "requires_payment_method".into();
                pi.last_payment_error = Some(
                    json!({"type": "invalid_request_error", "code": "payment_intent_authentication_failure",
                    "message": "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again."}),
                );
            }
            Response::json(200, &intent_json(pi))
        }
        _ => stripe_error(404, "invalid_request_error", "resource_missing", "Unrecognized request URL.", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_cards_behave_as_documented() {
        assert_eq!(card_outcome("4242424242424242"), CardOutcome::Success);
        assert_eq!(card_outcome("4000002760003184"), CardOutcome::ThreeDSecure);
        assert!(matches!(card_outcome("4000000000000002"), CardOutcome::Decline { decline_code: Some("generic_decline"), .. }));
        assert!(matches!(
            card_outcome("4000000000009995"),
            CardOutcome::Decline { decline_code: Some("insufficient_funds"), .. }
        ));
        assert!(luhn_ok("4242424242424242") && luhn_ok("4000002760003184") && luhn_ok("4000000000009995"));
        assert!(!luhn_ok("4242424242424241") && !luhn_ok("42") && !luhn_ok("4242 4242 4242 4242"));
    }
}
