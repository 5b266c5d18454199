//! Every path of every flow, table-driven against the simulated edge:
//! retries and their budget, `Retry-After`, token refresh, lost creates,
//! already placed orders, declines, double confirms, `processing`, wallet
//! saves, resume, abort.

use super::sim::{run, Reply, Reply::*};
use super::{Create, Fact, Pay, Place, Reads, Single};
use crate::error::ErrorKind;
use crate::fixtures::{ORDER_WITH_STRIPE_METHOD, STRIPE_PAYMENT_CREATED};
use crate::json::Json;
use crate::validate::SourceType;

const PENDING: &str = r#"{"data":{"id":"o1","type":"orders","attributes":{"status":"pending"}}}"#;
const PLACED: &str = r#"{"data":{"id":"o1","type":"orders","attributes":{"status":"placed"}}}"#;
const PLACING: &str = r#"{"data":{"id":"o1","type":"orders","attributes":{"status":"placing"}}}"#;
const EXPIRED: &str = r#"{"errors":[{"code":"INVALID_TOKEN","status":"401"}]}"#;
const REFUSED: &str = r#"{"errors":[{"code":"UNAUTHORIZED","status":"401"}]}"#;
const INVALID: &str = r#"{"errors":[{"code":"VALIDATION_ERROR","status":"422"}]}"#;
const BUSY: &str = r#"{"errors":[{"code":"SERVICE_UNAVAILABLE","status":"503"}]}"#;
const NO_METHOD_NO_SOURCE: &str =
    r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_method":{"data":null},"payment_source":{"data":null}}}}"#;
const NO_METHOD: &str = r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_method":{"data":null}}}}"#;
const WITH_SOURCE: &str = r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_source":{"data":{"type":"stripe_payments","id":"s1"}}}},
  "included":[{"id":"s1","type":"stripe_payments","attributes":{"client_secret":"pi_1_secret_a"}}]}"#;
const WITHOUT_SOURCE: &str = r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_source":{"data":null}}}}"#;
const IN_SYNC: &str = r#"{"data":{"id":"s1","type":"stripe_payments","attributes":{"mismatched_amounts":false}}}"#;
const MISMATCHED: &str = r#"{"errors":[{"code":"VALIDATION_ERROR","status":"422","meta":{"error":"mismatched_amounts"}}]}"#;
const STALE: &str = r#"{"data":{"id":"s1","type":"stripe_payments","attributes":{"mismatched_amounts":true}}}"#;

/// A table row: name, what the edge answers, the trace expected, the outcome expected.
type Row<T, E> = (&'static str, Vec<Reply>, Vec<T>, Result<E, ErrorKind>);

const WALLET: &str = r#"{"data":{"id":"o1","type":"orders","relationships":{"available_customer_payment_sources":{"data":[]}}}}"#;

#[test]
fn gets_are_retried_within_their_budget_and_honour_retry_after() {
    let get = "GET /api/orders/o1";
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, Vec<Reply>, Vec<String>, Result<(), (ErrorKind, Option<u16>)>)> = vec![
        (
            "5xx then ok",
            vec![Http(503, BUSY), Http(503, BUSY), Http(200, PENDING)],
            vec![get.into(), "wait 300".into(), get.into(), "wait 600".into(), get.into()],
            Ok(()),
        ),
        (
            "budget spent",
            vec![Http(503, BUSY), Http(503, BUSY), Http(503, BUSY)],
            vec![get.into(), "wait 300".into(), get.into(), "wait 600".into(), get.into()],
            Err((ErrorKind::Api, Some(503))),
        ),
        ("Retry-After", vec![Later(429, "{}"), Http(200, PENDING)], vec![get.into(), "wait 2000".into(), get.into()], Ok(())),
        ("network", vec![Fail(ErrorKind::Network), Http(200, PENDING)], vec![get.into(), "wait 300".into(), get.into()], Ok(())),
        ("4xx final", vec![Http(422, INVALID)], vec![get.into()], Err((ErrorKind::Api, Some(422)))),
        ("timeout final", vec![Fail(ErrorKind::Timeout)], vec![get.into()], Err((ErrorKind::Timeout, None))),
        ("abort final", vec![Fail(ErrorKind::Aborted)], vec![get.into()], Err((ErrorKind::Aborted, None))),
    ];
    for (name, script, expected, outcome) in cases {
        let mut flow = Single::new(crate::api::order_request("o1").unwrap(), "o1", false, Reads::Order);
        let (trace, result) = run(&mut flow, script);
        assert_eq!(trace, expected, "{name}");
        assert_eq!(result.map(|_| ()).map_err(|e| (e.kind, e.status)), outcome, "{name}");
    }
}

#[test]
fn an_expired_token_is_asked_for_once_when_it_can_be_renewed() {
    let cases = [
        (true, vec![Http(401, EXPIRED), Http(200, PENDING)], 2, true),
        (true, vec![Http(401, EXPIRED), Http(401, EXPIRED)], 2, false),
        (false, vec![Http(401, EXPIRED)], 1, false),
        (true, vec![Http(401, REFUSED)], 1, false),
    ];
    for (refreshable, script, sends, ok) in cases {
        let mut flow = Single::new(crate::api::order_request("o1").unwrap(), "o1", refreshable, Reads::Order);
        let (trace, result) = run(&mut flow, script);
        assert_eq!(trace.len(), sends, "{trace:?}");
        assert_eq!(result.is_ok(), ok);
    }
}

#[test]
fn a_create_learns_the_type_posts_once_and_recovers_a_lost_answer() {
    let get_method = "GET /api/orders/o1";
    let post = "POST /api/stripe_payments";
    // Cold: one GET for the type, one POST; the facts remember both.
    let mut cold = Create::new("o1", Json::Object(Vec::new()), None, None, false).unwrap();
    let (trace, result) = run(&mut cold, vec![Http(200, ORDER_WITH_STRIPE_METHOD), Http(201, STRIPE_PAYMENT_CREATED)]);
    assert_eq!(trace, [get_method, post]);
    let facts = result.unwrap().facts;
    assert!(facts.contains(&Fact::SourceType("o1".into(), SourceType::STRIPE)));
    assert!(facts.contains(&Fact::SourceOrder("eqRZMSaNqM".into(), "o1".into())));

    let cases: Vec<Row<&str, ()>> = vec![
        ("POSTs are never repeated", vec![Http(503, BUSY)], vec![post], Err(ErrorKind::Api)),
        ("lost answer, source made", vec![Fail(ErrorKind::Network), Http(200, WITH_SOURCE)], vec![post, get_method], Ok(())),
        (
            "lost answer, nothing made",
            vec![Fail(ErrorKind::Timeout), Http(200, WITHOUT_SOURCE)],
            vec![post, get_method],
            Err(ErrorKind::Timeout),
        ),
        (
            "lost answer, reread fails",
            vec![Fail(ErrorKind::Network), Http(404, "{}")],
            vec![post, get_method],
            Err(ErrorKind::Network),
        ),
    ];
    for (name, script, expected, outcome) in cases {
        // The order had no payment source before (an earlier answer said so).
        let mut warm = Create::new("o1", Json::Object(Vec::new()), Some(SourceType::STRIPE), Some(None), false).unwrap();
        let (trace, result) = run(&mut warm, script);
        assert_eq!(trace, expected, "{name}");
        assert_eq!(result.map(|_| ()).map_err(|e| e.kind), outcome, "{name}");
    }

    // A lost answer is recovered only from a source that is surely new.
    let lost = || vec![Fail(ErrorKind::Network), Http(200, WITH_SOURCE)];
    for (previous, recovered) in
        [(Some(None), true), (Some(Some("s0".to_string())), true), (Some(Some("s1".to_string())), false), (None, false)]
    {
        let mut flow = Create::new("o1", Json::Object(Vec::new()), Some(SourceType::STRIPE), previous.clone(), false).unwrap();
        let (_, result) = run(&mut flow, lost());
        assert_eq!(result.is_ok(), recovered, "previous source {previous:?}: never an older source, never a guess");
    }

    // paymentMethod() tells what the order's source is, for a later create.
    let mut read = Single::new(crate::api::payment_method_request("o1").unwrap(), "o1", false, Reads::PaymentMethod);
    let (_, found) = run(&mut read, vec![Http(200, NO_METHOD_NO_SOURCE)]);
    assert!(found.unwrap().facts.contains(&Fact::OrderSource("o1".into(), None)));

    let mut none = Create::new("o1", Json::Object(Vec::new()), None, None, false).unwrap();
    let (trace, result) = run(&mut none, vec![Http(200, NO_METHOD)]);
    assert_eq!((trace.len(), result.unwrap_err().kind), (1, ErrorKind::NoPaymentMethod), "no POST without a method");
}

#[test]
fn an_order_is_placed_once_whatever_the_write_answers() {
    let place = "PATCH /api/orders/o1 _place";
    let get = "GET /api/orders/o1";
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, Vec<Reply>, Vec<&str>, Result<&str, u16>)> = vec![
        ("placed", vec![Http(200, PLACED)], vec![place], Ok("placed")),
        ("already placed (401)", vec![Http(401, REFUSED), Http(200, PLACED)], vec![place, get], Ok("placed")),
        ("already placed (422)", vec![Http(422, INVALID), Http(200, PLACED)], vec![place, get], Ok("placed")),
        ("refused, still pending", vec![Http(422, INVALID), Http(200, PENDING)], vec![place, get], Err(422)),
        (
            "refused, reread fails",
            vec![Http(401, REFUSED), Http(503, BUSY), Http(503, BUSY), Http(503, BUSY)],
            vec![place, get, "wait 300", get, "wait 600", get],
            Err(401),
        ),
        (
            "placing, then placed",
            vec![Http(200, PLACING), Http(200, PLACING), Http(200, PLACED)],
            vec![place, "wait 500", get, "wait 1000", get],
            Ok("placed"),
        ),
        (
            "refused while placing",
            vec![Http(401, REFUSED), Http(200, PLACING), Http(200, PLACED)],
            vec![place, get, "wait 500", get],
            Ok("placed"),
        ),
        (
            "placing too long: the order as it is, not an error",
            vec![
                Http(200, PLACING),
                Http(200, PLACING),
                Http(200, PLACING),
                Http(200, PLACING),
                Http(200, PLACING),
                Http(200, PLACING),
            ],
            vec![place, "wait 500", get, "wait 1000", get, "wait 2000", get, "wait 4000", get, "wait 8000", get],
            Ok("placing"),
        ),
        ("placing, a look fails", vec![Http(200, PLACING), Http(404, "{}")], vec![place, "wait 500", get], Ok("placing")),
    ];
    for (name, script, expected, outcome) in cases {
        let mut flow = Place::new("o1", false).unwrap();
        let (trace, result) = run(&mut flow, script);
        assert_eq!(trace, expected, "{name}");
        let got = result.map(|f| f.value.get("status").and_then(Json::as_str).unwrap_or_default().to_string());
        assert_eq!(got.as_deref().map_err(|e| e.status.unwrap_or(0)), outcome, "{name}");
    }
    let mut lost = Place::new("o1", false).unwrap();
    let (trace, result) = run(&mut lost, vec![Fail(ErrorKind::Network)]);
    assert_eq!((trace.len(), result.unwrap_err().kind), (1, ErrorKind::Network), "a PATCH is not repeated blindly");
}

#[test]
fn the_stripe_handoff_confirms_settles_places_and_saves() {
    let confirm = "stripe confirm";
    let retrieve = "stripe retrieve";
    let place = "PATCH /api/orders/o1 _place";
    let save = "PATCH /api/orders/o1 _save_payment_source_to_customer_wallet";
    type Case = (&'static str, bool, u32, Vec<Reply>, Vec<&'static str>, Result<&'static str, ErrorKind>);
    let cases: Vec<Case> = vec![
        (
            "authorized",
            false,
            30_000,
            vec![Stripe(None, "requires_capture"), Http(200, PLACED)],
            vec![confirm, place],
            Ok("requires_capture"),
        ),
        (
            "declined",
            false,
            30_000,
            vec![Stripe(Some("card_declined"), "requires_payment_method")],
            vec![confirm],
            Err(ErrorKind::Stripe),
        ),
        (
            "double submit",
            false,
            30_000,
            vec![Stripe(Some("payment_intent_unexpected_state"), "requires_capture"), Http(200, PLACED)],
            vec![confirm, place],
            Ok("requires_capture"),
        ),
        (
            "processing",
            false,
            30_000,
            vec![Stripe(None, "processing"), Stripe(None, "succeeded"), Http(200, PLACED)],
            vec![confirm, "wait 1000", retrieve, place],
            Ok("succeeded"),
        ),
        (
            "processing too long: pending",
            false,
            2000,
            vec![Stripe(None, "processing"), Stripe(None, "processing"), Stripe(None, "processing")],
            vec![confirm, "wait 1000", retrieve, "wait 1000", retrieve],
            Ok("processing"),
        ),
        ("a voucher to pay: pending", false, 30_000, vec![Stripe(None, "requires_action")], vec![confirm], Ok("requires_action")),
        (
            "a failed look while processing: pending",
            false,
            30_000,
            vec![Stripe(None, "processing"), Fail(ErrorKind::Stripe)],
            vec![confirm, "wait 1000", retrieve],
            Ok("processing"),
        ),
        ("canceled", false, 30_000, vec![Stripe(None, "canceled")], vec![confirm], Err(ErrorKind::Stripe)),
        ("Stripe.js threw", false, 30_000, vec![Fail(ErrorKind::Stripe)], vec![confirm], Err(ErrorKind::Stripe)),
        (
            "already placed",
            false,
            30_000,
            vec![Stripe(None, "requires_capture"), Http(401, REFUSED), Http(200, PLACED)],
            vec![confirm, place, "GET /api/orders/o1"],
            Ok("requires_capture"),
        ),
        (
            "saved",
            true,
            30_000,
            vec![Stripe(None, "requires_capture"), Http(200, PLACED), Http(200, WALLET)],
            vec![confirm, place, save],
            Ok("requires_capture"),
        ),
    ];
    for (name, save_it, limit, script, expected, outcome) in cases {
        let mut flow = Pay::confirm("o1", "s1", save_it, limit, false).unwrap();
        let script = std::iter::once(Http(200, IN_SYNC)).chain(script).collect();
        let (trace, result) = run(&mut flow, script);
        let trace: Vec<String> = trace.into_iter().skip(1).collect();
        assert_eq!(trace, expected, "{name}");
        let got = result.map(|f| {
            let paid = f.paid.unwrap();
            let placed = f.value.get("status").and_then(Json::as_str) == Some("placed");
            assert_eq!(placed, !paid.pending, "{name}: placed exactly when not pending");
            paid.intent.status
        });
        assert_eq!(got.as_deref().map_err(|e| e.kind), outcome, "{name}");
    }
    // A failed wallet save never fails the placed order.
    let mut flow = Pay::confirm("o1", "s1", true, 30_000, false).unwrap();
    let (_, result) =
        run(&mut flow, vec![Http(200, IN_SYNC), Stripe(None, "requires_capture"), Http(200, PLACED), Http(422, INVALID)]);
    let paid = result.unwrap().paid.unwrap();
    assert_eq!(paid.wallet.unwrap().unwrap_err().status, Some(422));
}

#[test]
fn a_changed_total_is_re_synced_before_the_shopper_authorizes() {
    let check = "GET /api/stripe_payments/s1";
    let update = "PATCH /api/stripe_payments/s1 _update";
    let cases: Vec<Row<&str, &str>> = vec![
        (
            "in sync",
            vec![Http(200, IN_SYNC), Stripe(None, "requires_capture"), Http(200, PLACED)],
            vec![check, "stripe confirm", "PATCH /api/orders/o1 _place"],
            Ok("placed"),
        ),
        (
            "stale: re-synced first",
            vec![Http(200, STALE), Http(200, IN_SYNC), Stripe(None, "requires_capture"), Http(200, PLACED)],
            vec![check, update, "stripe confirm", "PATCH /api/orders/o1 _place"],
            Ok("placed"),
        ),
        ("the check fails: nothing is confirmed", vec![Http(404, "{}")], vec![check], Err(ErrorKind::Api)),
        (
            "changed after authorizing: re-synced, and the page is told, once",
            vec![
                Http(200, IN_SYNC),
                Stripe(None, "requires_capture"),
                Http(422, MISMATCHED),
                Http(200, PENDING),
                Http(200, IN_SYNC),
            ],
            vec![check, "stripe confirm", "PATCH /api/orders/o1 _place", "GET /api/orders/o1", update],
            Err(ErrorKind::Api),
        ),
        (
            "the re-sync fails: nothing is confirmed",
            vec![Http(200, STALE), Http(422, INVALID)],
            vec![check, update],
            Err(ErrorKind::Api),
        ),
    ];
    for (name, script, expected, outcome) in cases {
        let mut flow = Pay::confirm("o1", "s1", false, 30_000, false).unwrap();
        let (trace, result) = run(&mut flow, script);
        assert_eq!(trace, expected, "{name}");
        let got = result.map(|f| f.value.get("status").and_then(Json::as_str).unwrap_or_default().to_string());
        assert_eq!(got.as_deref().map_err(|e| e.kind), outcome, "{name}");
    }
}

const ORDER_OF_PI_1: &str = r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_source":{"data":{"type":"stripe_payments","id":"s1"}}}},
  "included":[{"id":"s1","type":"stripe_payments","attributes":{"stripe_id":"pi_1"}}]}"#;

#[test]
fn resuming_checks_the_intent_belongs_to_the_order() {
    let verify = "GET /api/orders/o1";
    let cases: Vec<Row<&str, ()>> = vec![
        (
            "this order's intent",
            vec![Http(200, ORDER_OF_PI_1), Stripe(None, "requires_capture"), Http(200, PLACED)],
            vec![verify, "stripe retrieve", "PATCH /api/orders/o1 _place"],
            Ok(()),
        ),
        ("another order's intent", vec![Http(200, ORDER_OF_PI_1)], vec![verify], Err(ErrorKind::InvalidInput)),
        ("an order without a Stripe source", vec![Http(200, WITHOUT_SOURCE)], vec![verify], Err(ErrorKind::InvalidInput)),
    ];
    for (i, (name, script, expected, outcome)) in cases.into_iter().enumerate() {
        let intent = if i == 1 { "pi_2" } else { "pi_1" };
        let mut flow = Pay::resume("o1", intent, 30_000, false).unwrap();
        let (trace, result) = run(&mut flow, script);
        assert_eq!(trace, expected, "{name}");
        assert_eq!(result.map(|_| ()).map_err(|e| e.kind), outcome, "{name}");
    }
}

#[test]
fn resuming_never_confirms_and_treats_any_stripe_error_as_final() {
    let cases: Vec<(Vec<Reply>, Vec<&str>, bool)> = vec![
        (vec![Stripe(None, "requires_capture"), Http(200, PLACED)], vec!["stripe retrieve", "PATCH /api/orders/o1 _place"], true),
        (vec![Stripe(Some("resource_missing"), "requires_capture")], vec!["stripe retrieve"], false),
        (vec![Stripe(None, "requires_payment_method")], vec!["stripe retrieve"], false),
    ];
    for (script, expected, ok) in cases {
        let mut flow = Pay::resume("o1", "pi_1", 30_000, false).unwrap();
        let script = std::iter::once(Http(200, ORDER_OF_PI_1)).chain(script).collect();
        let (trace, result) = run(&mut flow, script);
        let trace: Vec<String> = trace.into_iter().skip(1).collect();
        assert_eq!(trace, expected);
        assert_eq!(result.is_ok(), ok);
    }
}

const PENDING_WITH: fn(&str) -> String = |source| {
    format!(
        r#"{{"data":{{"id":"o1","type":"orders","attributes":{{"status":"pending"}},"relationships":{{"payment_source":{{"data":{source}}}}}}}}}"#
    )
};

fn source_answer(ty: &str, attributes: &str) -> String {
    format!(r#"{{"data":{{"id":"g1","type":"{ty}","attributes":{attributes}}}}}"#)
}

/// Leaks a test string so the scripted replies (`&'static str`) can hold it.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn every_gateway_step_patches_its_source_then_places_acts_redirects_or_waits() {
    use crate::gateway::GatewayStep;
    let look = "GET /api/orders/o1";
    let place = "PATCH /api/orders/o1 _place";
    let of = |ty: &str| leak(PENDING_WITH(&format!(r#"{{"type":"{ty}","id":"g1"}}"#)));
    let answer = |ty: &str, attrs: &str| leak(source_answer(ty, attrs));
    let not_authorized = r#"{"errors":[{"code":"PAYMENT_NOT_AUTHORIZED","status":"422","source":{"pointer":"/data/relationships/payment_source"}}]}"#;
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, GatewayStep, Vec<Reply>, Vec<&str>, Result<&str, ErrorKind>)> = vec![
        (
            "PayPal approved",
            GatewayStep::PaypalApproved { payer_id: "P1".into() },
            vec![
                Http(200, of("paypal_payments")),
                Http(200, answer("paypal_payments", r#"{"status":"approved"}"#)),
                Http(200, PLACED),
            ],
            vec![look, "PATCH /api/paypal_payments/g1", place],
            Ok("placed"),
        ),
        (
            "Adyen 3-D Secure",
            GatewayStep::AdyenSubmit(Json::Object(Vec::new())),
            vec![
                Http(200, of("adyen_payments")),
                Http(
                    200,
                    answer(
                        "adyen_payments",
                        r#"{"payment_response":{"resultCode":"ChallengeShopper","action":{"type":"threeDS2"}}}"#,
                    ),
                ),
            ],
            vec![look, "PATCH /api/adyen_payments/g1 _authorize"],
            Ok("action"),
        ),
        (
            "Adyen refused: never placed",
            GatewayStep::AdyenSubmit(Json::Object(Vec::new())),
            vec![
                Http(200, of("adyen_payments")),
                Http(200, answer("adyen_payments", r#"{"payment_response":{"resultCode":"Refused"}}"#)),
            ],
            vec![look, "PATCH /api/adyen_payments/g1 _authorize"],
            Err(ErrorKind::Gateway),
        ),
        (
            "Checkout.com 3-D Secure redirect",
            GatewayStep::CheckoutComToken { token: "tok_1".into() },
            vec![
                Http(200, of("checkout_com_payments")),
                Http(
                    200,
                    answer(
                        "checkout_com_payments",
                        r#"{"payment_response":{"status":"Pending"},"redirect_uri":"https://3ds.example/1"}"#,
                    ),
                ),
            ],
            vec![look, "PATCH /api/checkout_com_payments/g1 _authorize"],
            Ok("redirect"),
        ),
        (
            "Satispay still pending",
            GatewayStep::SatispayReturned,
            vec![Http(200, of("satispay_payments")), Http(200, answer("satispay_payments", r#"{"status":"PENDING"}"#))],
            vec![look, "PATCH /api/satispay_payments/g1 _refresh"],
            Ok("pending"),
        ),
        (
            "Braintree declined at _place",
            GatewayStep::BraintreeNonce { nonce: "fake-processor-declined-visa-nonce".into() },
            vec![
                Http(200, of("braintree_payments")),
                Http(200, answer("braintree_payments", "{}")),
                Http(422, not_authorized),
                Http(200, PENDING),
            ],
            vec![look, "PATCH /api/braintree_payments/g1", place, look],
            Err(ErrorKind::Gateway),
        ),
        (
            "placed already: no second step",
            GatewayStep::PaypalApproved { payer_id: "P1".into() },
            vec![Http(200, PLACED), Http(401, REFUSED), Http(200, PLACED)],
            vec![look, place, look],
            Ok("placed"),
        ),
        (
            "a source of another type: nothing sent",
            GatewayStep::KlarnaAuthorized { auth_token: "k".into() },
            vec![Http(200, of("paypal_payments"))],
            vec![look],
            Err(ErrorKind::InvalidInput),
        ),
        (
            "the step refused by the API",
            GatewayStep::KlarnaAuthorized { auth_token: "k".into() },
            vec![Http(200, of("klarna_payments")), Http(422, INVALID)],
            vec![look, "PATCH /api/klarna_payments/g1"],
            Err(ErrorKind::Api),
        ),
    ];
    for (name, step, script, expected, outcome) in cases {
        let mut flow = super::Authorize::new("o1", step, false, false).unwrap();
        let (trace, result) = run(&mut flow, script);
        assert_eq!(trace, expected, "{name}");
        let status = result.map(|f| f.value.get("status").and_then(Json::as_str).unwrap_or_default().to_string());
        assert_eq!(status.as_deref().map_err(|e| e.kind), outcome, "{name}");
    }
}

#[test]
fn a_gateway_payment_saves_to_the_wallet_after_placing() {
    let of = leak(PENDING_WITH(r#"{"type":"klarna_payments","id":"g1"}"#));
    let step = crate::gateway::GatewayStep::KlarnaAuthorized { auth_token: "k".into() };
    let mut flow = super::Authorize::new("o1", step, true, false).unwrap();
    let script =
        vec![Http(200, of), Http(200, leak(source_answer("klarna_payments", "{}"))), Http(200, PLACED), Http(200, WALLET)];
    let (trace, result) = run(&mut flow, script);
    assert_eq!(trace.last().map(String::as_str), Some("PATCH /api/orders/o1 _save_payment_source_to_customer_wallet"));
    let finished = result.unwrap();
    assert_eq!(finished.value.get("status").and_then(Json::as_str), Some("placed"));
    assert!(matches!(finished.paid.and_then(|p| p.wallet), Some(Ok(Json::Array(_)))));
}
