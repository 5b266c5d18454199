//! Every gateway but Stripe (`crate::stripe`), as its test mode documents
//! it: what a created source carries, what each step (PATCH) does, whether
//! `_place` may go through, and the pages and APIs the shopper's browser
//! meets under `/gateways/` (PayPal's approval page, Satispay's payment
//! page, the 3-D Secure pages, Checkout.com's card tokens, Klarna's
//! authorization). `_place` is refused (422 `PAYMENT_NOT_AUTHORIZED`) until
//! the gateway's step is done.
//!
//! Test values (README, "Sandbox gateways"): Braintree's documented fake
//! nonces; Adyen's unencrypted `test_` card fields with 4111 1111 1111 1111
//! (authorised), 4917 6100 0000 0000 (3-D Secure by redirect) and a
//! `holderName` of `DECLINED` (refused); Checkout.com cards 4242 4242 4242
//! 4242 (authorized), 4544 2491 6767 3670 (3-D Secure) and 4000 0000 0000
//! 0002 (declined); Klarna emails with `+denied@` (not approved).

use serde_json::{json, Map, Value};

use crate::api::{error, invalid};
use crate::http::{pairs, percent_decode, Request, Response};
use crate::store::{Resource, Store};

const INTERNAL_TOKEN: &str = "gateway_token";
/// Internal mark of a source reused from a customer's wallet.
pub const VAULTED: &str = "vaulted";
/// Internal: the last four digits of the card a source was paid with (wallet labels).
pub const CARD_LAST4: &str = "card_last4";

/// Braintree's documented fake nonces that authorize.
const BRAINTREE_VALID: [&str; 4] = [
    "fake-valid-nonce",
    "fake-valid-visa-nonce",
    "fake-valid-mastercard-nonce",
    "fake-three-d-secure-visa-full-authentication-nonce",
];
/// Braintree's documented fake nonces that decline.
const BRAINTREE_DECLINED: [&str; 3] = [
    "fake-processor-declined-visa-nonce",
    "fake-processor-declined-mastercard-nonce",
    "fake-three-d-secure-visa-failed-authentication-nonce",
];

/// The read-only attributes a created source of `ty` carries.
pub fn on_create(store: &mut Store, source: &mut Resource) -> Value {
    let token = store.random_chars(24);
    let base = store.config.base_url.clone();
    source.internal.insert(INTERNAL_TOKEN.into(), json!(token));
    match source.ty.as_str() {
        "adyen_payments" => json!({"public_key": "test_SANDBOXADYENCLIENTKEY",
            "payment_methods": {"paymentMethods": [{"type": "scheme", "name": "Cards", "brands": ["visa", "mc", "amex"]}]},
            "payment_response": null, "mismatched_amounts": false, "balance": 0}),
        "axerve_payments" => {
            // Assumed: with request_token, the source carries Axerve's payment
            // id and token for its lightbox (what Axerve's Create Payment answers).
            let requested = source.attributes.get("request_token") == Some(&json!(true));
            let data = requested
                .then(|| json!({"paymentID": format!("AXP{}", token.to_uppercase()), "paymentToken": format!("axt_{token}")}));
            json!({"login": "GESPAY_SANDBOX", "mismatched_amounts": false, "payment_request_data": data})
        }
        "braintree_payments" => json!({"client_token": format!("sandbox_{token}")}),
        "checkout_com_payments" => json!({"public_key": "pk_sbox_sandbox", "payment_session": {"id": format!("ps_{token}")},
            "mismatched_amounts": false}),
        "klarna_payments" => json!({"session_id": format!("klarna_{token}"), "client_token": format!("kct_{token}"),
            "payment_methods": [{"identifier": "pay_later", "name": "Pay later"}, {"identifier": "pay_over_time", "name": "Financing"}],
            "mismatched_amounts": false}),
        "paypal_payments" => json!({"approval_url": format!("{base}/gateways/paypal/approve?token=EC-{token}"),
            "paypal_id": format!("PAYID-{}", token.to_uppercase()), "status": "created", "mismatched_amounts": false}),
        "satispay_payments" => {
            json!({"payment_id": format!("sat_{token}"), "payment_url": format!("{base}/gateways/satispay/pay/{token}"),
            "status": "PENDING", "flow": source.attributes.get("flow").cloned().unwrap_or(json!("MATCH_CODE"))})
        }
        _ => json!({}),
    }
}

fn internal(store: &Store, ty: &str, id: &str, key: &str) -> Option<Value> {
    store.get(ty, id).and_then(|s| s.internal.get(key).cloned())
}

/// An internal string of the source (`""` when unset).
fn internal_str(store: &Store, ty: &str, id: &str, key: &str) -> String {
    internal(store, ty, id, key).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn set(store: &mut Store, ty: &str, id: &str, attributes: Value, internals: Value) {
    let Some(source) = store.get_mut(ty, id) else { return };
    if let Value::Object(m) = attributes {
        source.attributes.extend(m);
    }
    if let Value::Object(m) = internals {
        source.internal.extend(m);
    }
}

fn attr(store: &Store, ty: &str, id: &str, key: &str) -> Value {
    store.get(ty, id).and_then(|s| s.attributes.get(key).cloned()).unwrap_or(Value::Null)
}

/// The card number behind Adyen's unencrypted test field (`test_4111…`).
fn adyen_test_field(value: &Value) -> Option<&str> {
    value.as_str()?.strip_prefix("test_")
}

/// A PATCH's gateway step (the attributes are already stored).
pub fn step(store: &mut Store, ty: &str, id: &str, attrs: &Map<String, Value>) -> Result<(), Response> {
    let triggered = |name: &str| attrs.get(name).is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
    match ty {
        "paypal_payments" if attrs.contains_key("paypal_payer_id") => {
            let approved_by = internal(store, ty, id, "payer_id");
            if approved_by.is_none() || approved_by.as_ref() != attrs.get("paypal_payer_id") {
                // A refused write changes nothing.
                set(store, ty, id, json!({"paypal_payer_id": null}), json!({}));
                return Err(error(
                    422,
                    "PAYMENT_NOT_APPROVED_FOR_EXECUTION",
                    "Payment not approved",
                    "paypal_payer_id - the payer has not approved this payment",
                    Some("/data/attributes/paypal_payer_id"),
                    Some(json!({"error": "not_approved"})),
                ));
            }
            set(store, ty, id, json!({"status": "approved"}), json!({}));
        }
        "klarna_payments" if attrs.contains_key("auth_token") => {
            let issued = internal(store, ty, id, "klarna_authorization");
            let authorized = issued.is_some() && issued.as_ref() == attrs.get("auth_token");
            set(store, ty, id, json!({}), json!({"authorized": authorized}));
        }
        "braintree_payments" if attrs.contains_key("payment_method_nonce") => {
            let nonce = attrs.get("payment_method_nonce").and_then(Value::as_str).unwrap_or_default();
            if let Some(card) = store.card_tokens.get(nonce).cloned() {
                record_card(store, ty, id, &card);
            }
        }
        "adyen_payments" if triggered("_authorize") => adyen_authorize(store, id)?,
        "adyen_payments" if triggered("_details") => {
            let details = attr(store, ty, id, "payment_request_details");
            let result = details.pointer("/details/redirectResult").and_then(Value::as_str).map(percent_decode);
            let expected = internal(store, ty, id, "redirect_result");
            let response = match (result, expected) {
                (Some(r), Some(Value::String(e))) if r == e && internal(store, ty, id, "authenticated") == Some(json!(true)) => {
                    json!({"resultCode": "Authorised", "pspReference": format!("SBX{id}")})
                }
                (Some(r), Some(Value::String(e))) if r == e => {
                    json!({"resultCode": "Refused", "refusalReason": "3D Not Authenticated", "pspReference": format!("SBX{id}")})
                }
                _ => {
                    return Err(invalid(
                        "payment_request_details - redirectResult is not this payment's",
                        "/data/attributes/payment_request_details",
                        "invalid",
                    ))
                }
            };
            set(store, ty, id, json!({"payment_response": response}), json!({}));
        }
        "checkout_com_payments" if triggered("_authorize") => checkout_com_authorize(store, id)?,
        "checkout_com_payments" if triggered("_details") || triggered("_refresh") => {
            let status = match internal(store, ty, id, "authenticated") {
                Some(Value::Bool(true)) => json!({"status": "Authorized", "approved": true}),
                Some(Value::Bool(false)) => {
                    json!({"status": "Declined", "approved": false, "response_summary": "Authentication failed"})
                }
                _ => json!({"status": "Pending", "approved": false}),
            };
            set(store, ty, id, json!({"payment_response": status}), json!({}));
        }
        "satispay_payments" if triggered("_refresh") => {
            let status = internal(store, ty, id, "satispay_status").unwrap_or(json!("PENDING"));
            set(store, ty, id, json!({"status": status, "payment_response": {"status": status}}), json!({}));
        }
        // As Commerce Layer asks Axerve: what the lightbox recorded decides,
        // not what the page sends.
        "axerve_payments" if triggered("_update") => {
            let result = internal_str(store, ty, id, "lightbox_result");
            set(store, ty, id, json!({}), json!({"axerve_result": result}));
        }
        _ => {}
    }
    Ok(())
}

/// Remembers the last digits of the card a source is paid with (its wallet label).
fn record_card(store: &mut Store, ty: &str, id: &str, number: &str) {
    set(store, ty, id, json!({}), json!({CARD_LAST4: crate::stripe::last4(number)}));
}

/// A saved card's label and token as the gateway names it, if the source was paid with a card.
pub fn card_label(store: &Store, source: &(String, String)) -> Option<(String, String)> {
    let last4 = internal_str(store, &source.0, &source.1, CARD_LAST4);
    let token = internal_str(store, &source.0, &source.1, INTERNAL_TOKEN);
    (!last4.is_empty()).then(|| (crate::stripe::masked_card(&last4), format!("vault_{token}")))
}

fn adyen_authorize(store: &mut Store, id: &str) -> Result<(), Response> {
    let ty = "adyen_payments";
    let data = attr(store, ty, id, "payment_request_data");
    let method = data.get("paymentMethod").cloned().unwrap_or(Value::Null);
    let pointer = "/data/attributes/payment_request_data";
    let Some(number) = method.get("encryptedCardNumber").and_then(adyen_test_field) else {
        return Err(invalid(
            "payment_request_data - paymentMethod needs encryptedCardNumber (this sandbox reads Adyen's unencrypted test_ fields)",
            pointer,
            "invalid",
        ));
    };
    record_card(store, ty, id, number);
    let holder = method.get("holderName").and_then(Value::as_str).unwrap_or_default().to_ascii_uppercase();
    let psp = format!("SBX{id}");
    let response = if holder == "DECLINED" || !matches!(number, "4111111111111111" | "4917610000000000") {
        json!({"resultCode": "Refused", "refusalReason": "Refused", "pspReference": psp})
    } else if number == "4917610000000000" {
        let Some(return_url) = data.get("returnUrl").and_then(Value::as_str).map(str::to_string) else {
            return Err(invalid("payment_request_data - returnUrl is required for 3-D Secure", pointer, "blank"));
        };
        let token = internal_str(store, ty, id, INTERNAL_TOKEN);
        let url = format!("{}/gateways/adyen/3ds/{token}", store.config.base_url);
        set(store, ty, id, json!({}), json!({"return_url": return_url}));
        json!({"resultCode": "RedirectShopper", "pspReference": psp,
               "action": {"type": "redirect", "paymentMethodType": "scheme", "method": "GET", "url": url}})
    } else {
        json!({"resultCode": "Authorised", "pspReference": psp})
    };
    set(store, ty, id, json!({"payment_response": response}), json!({}));
    Ok(())
}

fn checkout_com_authorize(store: &mut Store, id: &str) -> Result<(), Response> {
    let ty = "checkout_com_payments";
    let token = attr(store, ty, id, "token");
    let Some(card) = token.as_str().and_then(|t| store.card_tokens.get(t)).cloned() else {
        return Err(invalid("token - can't be blank or unknown: tokenize the card first", "/data/attributes/token", "blank"));
    };
    record_card(store, ty, id, &card);
    let payment = format!("pay_{}", id.to_ascii_lowercase());
    let (response, redirect) = match card.as_str() {
        "4242424242424242" => (json!({"id": payment, "status": "Authorized", "approved": true}), None),
        "4544249167673670" => {
            let t = internal_str(store, ty, id, INTERNAL_TOKEN);
            let url = format!("{}/gateways/checkout_com/3ds/{t}", store.config.base_url);
            (json!({"id": payment, "status": "Pending", "approved": false}), Some(url))
        }
        _ => (
            json!({"id": payment, "status": "Declined", "approved": false, "response_summary": "Declined - Do Not Honour"}),
            None,
        ),
    };
    set(
        store,
        ty,
        id,
        json!({"payment_response": response, "redirect_uri": redirect, "source_id": format!("src_{id}")}),
        json!({}),
    );
    Ok(())
}

/// Whether `_place` may go through for this source, or why not.
pub fn authorization(store: &Store, ty: &str, id: &str) -> Result<(), String> {
    // A source reused from the customer's wallet is charged by the gateway
    // from its vault (customer and payment source tokens): no page step.
    if internal(store, ty, id, VAULTED) == Some(json!(true)) {
        return Ok(());
    }
    let a = |key: &str| attr(store, ty, id, key);
    let response = |key: &str| a("payment_response").get(key).and_then(Value::as_str).map(str::to_string);
    let ok = match ty {
        "paypal_payments" => a("status") == json!("approved"),
        "klarna_payments" => internal(store, ty, id, "authorized") == Some(json!(true)),
        "braintree_payments" => {
            let nonce = a("payment_method_nonce");
            let nonce = nonce.as_str().unwrap_or_default();
            let card = store.card_tokens.get(nonce).map(String::as_str);
            if BRAINTREE_DECLINED.contains(&nonce) || card == Some(BRAINTREE_DECLINED_CARD) {
                return Err("the processor declined the card (Braintree: Do Not Honor)".into());
            }
            BRAINTREE_VALID.contains(&nonce) || card.is_some_and(|c| c != BRAINTREE_CHALLENGE_CARD)
        }
        "adyen_payments" => matches!(response("resultCode").as_deref(), Some("Authorised" | "Pending" | "Received")),
        "checkout_com_payments" => matches!(response("status").as_deref(), Some("Authorized" | "Captured")),
        "satispay_payments" => a("status") == json!("ACCEPTED"),
        "axerve_payments" => internal(store, ty, id, "axerve_result") == Some(json!("OK")),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("the {ty} gateway has not authorized this payment"))
    }
}

/// The source of `ty` whose gateway token is `token`.
fn by_token(store: &Store, ty: &str, token: &str) -> Option<String> {
    store
        .resources
        .values()
        .find(|r| r.ty == ty && r.internal.get(INTERNAL_TOKEN).and_then(Value::as_str) == Some(token))
        .map(|r| r.id.clone())
}

/// The JSON body of a gateway API call (`null` when it is not JSON).
fn json_body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

/// A field of the gateway pages' form posts.
fn form_value(body: &[u8], key: &str) -> Option<String> {
    pairs(&String::from_utf8_lossy(body)).into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The digits of a JSON string (a card number as the card frames send it).
fn digits(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().chars().filter(char::is_ascii_digit).collect()
}

/// `url` with `params` added to its query.
fn with_params(url: &str, params: &[(&str, &str)]) -> String {
    let mut out = url.to_string();
    for (k, v) in params {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

fn see_other(url: &str) -> Response {
    Response::empty(303).header("Location", url)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A gateway page: a title, what is paid, one button per choice, and a
/// script when the page answers in place (the modal pages).
fn page_html(title: &str, amount: &str, choices: &[(&str, &str)], script: &str) -> Response {
    let kind = if script.is_empty() { "submit" } else { "button" };
    let buttons: String = choices
        .iter()
        .map(|(value, label)| format!(r#"<button type="{kind}" name="choice" value="{value}">{}</button> "#, html_escape(label)))
        .collect();
    let body = format!(
        r#"<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{t}</title><style>body{{font:16px system-ui;max-width:28rem;margin:2rem auto;padding:0 1rem}}button{{font:inherit;padding:.6rem 1rem;margin:.3rem}}</style>
<h1>{t}</h1><p>Sandbox stand-in: no real payment. Amount: <strong>{a}</strong></p><form method="post">{buttons}</form>{script}</html>"#,
        t = html_escape(title),
        a = html_escape(amount)
    );
    Response::new(200, "text/html; charset=utf-8", body)
}

/// A gateway page the shopper is sent to (plain form posts, no script).
fn page(title: &str, amount: &str, choices: &[(&str, &str)]) -> Response {
    page_html(title, amount, choices, "")
}

/// A gateway page in a modal frame over the shop (Braintree's 3-D Secure
/// challenge, Axerve's lightbox): a button POSTs its choice here and the JSON
/// answer goes back to the page that opened the frame, at that origin only
/// (one of the storefront's origins).
fn modal_page(store: &Store, req: &Request, title: &str, amount: &str, choices: &[(&str, &str)]) -> Response {
    let origin = req.query_value("origin").map(percent_decode).unwrap_or_default();
    if !crate::cors::origin_ok(&store.config, &origin) {
        return Response::new(403, "text/plain; charset=utf-8", "This page opens only over the shop's own pages.");
    }
    let script = format!(
        r#"<script>"use strict";for(const b of document.querySelectorAll("button"))b.addEventListener("click",async()=>{{for(const x of document.querySelectorAll("button"))x.disabled=true;const r=await fetch(location.href,{{method:"POST",body:new URLSearchParams({{choice:b.value}})}});parent.postMessage(await r.json(),{})}});</script>"#,
        json!(origin)
    );
    page_html(title, amount, choices, &script)
}

/// A Hosted Fields nonce for a card (`tokencc_…`, remembered with its card).
/// What it does is the card's: 4000 1111 1111 1115 is declined by the
/// processor; 4000 0000 0000 1091 asks for a 3-D Secure challenge, and only
/// `verifyCard` turns it into an authenticated nonce; other cards authorize.
fn braintree_nonce(store: &mut Store, number: &str) -> String {
    let nonce = format!("tokencc_sbx_{}", store.random_chars(16));
    store.card_tokens.insert(nonce.clone(), number.to_string());
    nonce
}

const BRAINTREE_DECLINED_CARD: &str = "4000111111111115";
/// Prefix of a card that passed 3-D Secure (in `card_tokens`).
const AUTHENTICATED: &str = "3ds:";
const BRAINTREE_CHALLENGE_CARD: &str = "4000000000001091";

fn amount_of(store: &Store, ty: &str, id: &str) -> String {
    let cents = store.get(ty, id).and_then(|s| s.internal.get("amount_cents")).and_then(Value::as_i64).unwrap_or(0);
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn not_found() -> Response {
    Response::new(404, "text/plain; charset=utf-8", "No such payment in this sandbox.")
}

/// `/gateways/*`: what the shopper's browser meets at each gateway.
pub fn route(store: &mut Store, req: &Request, segments: &[&str]) -> Response {
    let post = req.method == "POST";
    let choice = if post { form_value(&req.body, "choice").unwrap_or_default() } else { String::new() };
    match segments {
        ["paypal", "approve"] => {
            let token =
                req.query_value("token").map(percent_decode).or_else(|| form_value(&req.body, "token")).unwrap_or_default();
            let Some(id) = token.strip_prefix("EC-").and_then(|t| by_token(store, "paypal_payments", t)) else {
                return not_found();
            };
            let ty = "paypal_payments";
            if !post {
                return page(
                    "PayPal",
                    &amount_of(store, ty, &id),
                    &[("approve", "Approve and pay"), ("cancel", "Cancel and return")],
                );
            }
            if choice == "approve" {
                let payer = format!("PAYER{}", store.random_chars(8).to_uppercase());
                set(store, ty, &id, json!({}), json!({"payer_id": payer}));
                let url = attr(store, ty, &id, "return_url");
                return see_other(&with_params(url.as_str().unwrap_or("/"), &[("token", &token), ("PayerID", &payer)]));
            }
            let url = attr(store, ty, &id, "cancel_url");
            see_other(&with_params(url.as_str().unwrap_or("/"), &[("token", &token)]))
        }
        ["satispay", "pay", token] => {
            let ty = "satispay_payments";
            let Some(id) = by_token(store, ty, token) else { return not_found() };
            if !post {
                return page("Satispay", &amount_of(store, ty, &id), &[("accept", "Pay with Satispay"), ("cancel", "Cancel")]);
            }
            let status = if choice == "accept" { "ACCEPTED" } else { "CANCELED" };
            set(store, ty, &id, json!({}), json!({"satispay_status": status}));
            match attr(store, ty, &id, "redirect_url").as_str() {
                Some(url) => see_other(url),
                None => Response::new(200, "text/plain; charset=utf-8", "Done: go back to the shop."),
            }
        }
        [gateway @ ("adyen" | "checkout_com"), "3ds", token] => {
            let ty = if *gateway == "adyen" { "adyen_payments" } else { "checkout_com_payments" };
            let Some(id) = by_token(store, ty, token) else { return not_found() };
            if !post {
                return page(
                    "3-D Secure",
                    &amount_of(store, ty, &id),
                    &[("authenticate", "Complete authentication"), ("fail", "Fail authentication")],
                );
            }
            let ok = choice == "authenticate";
            if ty == "adyen_payments" {
                let result = store.random_chars(32);
                set(store, ty, &id, json!({}), json!({"authenticated": ok, "redirect_result": result}));
                let url = internal_str(store, ty, &id, "return_url");
                return see_other(&with_params(&url, &[("redirectResult", &result)]));
            }
            set(store, ty, &id, json!({}), json!({"authenticated": ok}));
            let url = attr(store, ty, &id, if ok { "success_url" } else { "failure_url" });
            see_other(&with_params(url.as_str().unwrap_or("/"), &[("cko-session-id", &format!("sid_{token}"))]))
        }
        // Hosted Fields' tokenization (the card frame calls it with the client token).
        ["braintree", "tokenize"] if post => {
            let body = json_body(req);
            let client = body.get("authorization").and_then(Value::as_str).unwrap_or_default();
            if client.strip_prefix("sandbox_").and_then(|t| by_token(store, "braintree_payments", t)).is_none() {
                return Response::json(401, &json!({"message": "Authorization is invalid."}));
            }
            let number = digits(body.get("number"));
            if !(12..=19).contains(&number.len()) {
                return Response::json(422, &json!({"message": "Credit card number must be 12-19 digits."}));
            }
            let nonce = braintree_nonce(store, &number);
            let last4 = crate::stripe::last4(&number);
            let last2 = last4.get(2..).unwrap_or_default();
            let bin = number.get(..6).unwrap_or_default();
            Response::json(
                200,
                &json!({"nonce": nonce, "type": "CreditCard", "description": format!("ending in {last2}"),
                    "details": {"bin": bin, "lastFour": last4, "lastTwo": last2, "cardType": if number.starts_with('5') { "MasterCard" } else { "Visa" },
                        "expirationMonth": body.get("expirationMonth"), "expirationYear": body.get("expirationYear"), "cardholderName": ""},
                    "binData": {}}),
            )
        }
        // threeDSecure.verifyCard's lookup: whether the card asks for a challenge.
        ["braintree", "lookup"] if post => {
            let body = json_body(req);
            let nonce = body.get("nonce").and_then(Value::as_str).unwrap_or_default();
            let challenge = store.card_tokens.get(nonce).is_some_and(|card| card == BRAINTREE_CHALLENGE_CARD);
            Response::json(200, &json!({"challenge": challenge, "nonce": nonce, "liabilityShifted": false}))
        }
        ["braintree", "3ds", nonce] => {
            let nonce = percent_decode(nonce);
            if store.card_tokens.get(&nonce).map(String::as_str) != Some(BRAINTREE_CHALLENGE_CARD) {
                return not_found();
            }
            if !post {
                return modal_page(
                    store,
                    req,
                    "3-D Secure",
                    "",
                    &[("authenticate", "Complete authentication"), ("fail", "Fail authentication")],
                );
            }
            store.card_tokens.remove(&nonce);
            if choice != "authenticate" {
                return Response::json(200, &json!({"nonce": BRAINTREE_DECLINED[2], "liabilityShifted": false}));
            }
            // A new nonce for the authenticated card.
            let authenticated = braintree_nonce(store, &format!("{AUTHENTICATED}{BRAINTREE_CHALLENGE_CARD}"));
            Response::json(200, &json!({"nonce": authenticated, "liabilityShifted": true}))
        }
        ["axerve", "lightbox", payment_token] => {
            let ty = "axerve_payments";
            let Some(id) = percent_decode(payment_token).strip_prefix("axt_").and_then(|t| by_token(store, ty, t)) else {
                return not_found();
            };
            if !post {
                return modal_page(
                    store,
                    req,
                    "Axerve",
                    &amount_of(store, ty, &id),
                    &[("pay", "Pay"), ("decline", "Simulate a declined card")],
                );
            }
            let result = if choice == "pay" { "OK" } else { "KO" };
            set(store, ty, &id, json!({}), json!({"lightbox_result": result}));
            let payment_id = attr(store, ty, &id, "payment_request_data").get("paymentID").cloned();
            let mut answer = json!({"status": result, "paymentID": payment_id, "transactionResult": result});
            if result == "KO" {
                answer["error"] = json!({"code": "2", "description": "Transaction declined (sandbox)"});
            }
            Response::json(200, &answer)
        }
        // The Klarna Payments widget of a category (what load() shows).
        ["klarna", "widget"] if !post => {
            let category = req.query_value("category").map(percent_decode).unwrap_or_default();
            let label = if category == "pay_over_time" {
                "Financing: spread the cost in monthly payments."
            } else {
                "Pay later: pay in 30 days, no fees."
            };
            Response::new(
                200,
                "text/html; charset=utf-8",
                format!(
                    r#"<!doctype html><html lang="en"><meta charset="utf-8"><title>Klarna</title><body style="margin:0;font:15px system-ui;color:#17120f"><p style="margin:0 0 6px;font-weight:700">Klarna.</p><p style="margin:0">{}</p><p style="margin:6px 0 0;color:#6b6b6b;font-size:13px">Sandbox stand-in: no real payment.</p></body></html>"#,
                    html_escape(label)
                ),
            )
        }
        // Checkout.com's tokenization API (what its card form calls with the public key).
        ["checkout_com", "tokens"] if post => {
            let body = json_body(req);
            let number = digits(body.get("number"));
            if req.header("Authorization") != Some("pk_sbox_sandbox") || !(12..=19).contains(&number.len()) {
                return Response::json(422, &json!({"error_type": "request_invalid", "error_codes": ["card_number_invalid"]}));
            }
            let token = format!("tok_{}", store.random_chars(26).to_ascii_lowercase());
            let last4 = crate::stripe::last4(&number).to_string();
            let bin = number.get(..6).unwrap_or_default().to_string();
            store.card_tokens.insert(token.clone(), number);
            Response::json(201, &json!({"type": "card", "token": token, "bin": bin, "last4": last4, "scheme": "VISA"}))
        }
        // Klarna Payments' authorize(), as its widget asks Klarna.
        ["klarna", "authorize"] if post => {
            let body = json_body(req);
            let client_token = body.get("client_token").and_then(Value::as_str).unwrap_or_default();
            let Some(id) = client_token.strip_prefix("kct_").and_then(|t| by_token(store, "klarna_payments", t)) else {
                return Response::json(404, &json!({"error": "unknown client_token"}));
            };
            let email = body.pointer("/billing_address/email").and_then(Value::as_str).unwrap_or_default();
            if email.contains("+denied@") {
                return Response::json(200, &json!({"approved": false, "show_form": false}));
            }
            let auth = format!("klarna_auth_{}", store.random_chars(20));
            set(store, "klarna_payments", &id, json!({}), json!({"klarna_authorization": auth}));
            Response::json(200, &json!({"approved": true, "show_form": true, "authorization_token": auth}))
        }
        _ => not_found(),
    }
}
