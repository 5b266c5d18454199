//! The handoffs of every gateway but Stripe's (which has `crate::stripe`):
//! what the provider's browser library needs from a created payment source,
//! what the page sends back, and what the gateway's answer means. One
//! `match` per question, over the table of `cl_gateways`; the flow that runs
//! a step is `crate::flow::Authorize`.
//!
//! What each gateway expects comes from Commerce Layer's resource schema and
//! the official React components' gateway code (README, "Other gateways").

use crate::error::{CheckoutError, ErrorKind};
use crate::json::Json;
use crate::text;
use crate::validate::{self, SourceType};

/// What the page hands in once the gateway's browser library (or the page
/// the gateway sent the shopper back to) has done its part.
#[derive(Clone, Debug, PartialEq)]
pub enum GatewayStep {
    /// PayPal sent the shopper back with `PayerID`: the payer approved.
    PaypalApproved {
        /// The `PayerID` of the return URL.
        payer_id: String,
    },
    /// Klarna Payments' `authorize()` approved: its `authorization_token`.
    KlarnaAuthorized {
        /// The token to place with.
        auth_token: String,
    },
    /// braintree-web tokenized the card (after `verifyCard` for 3-D Secure).
    BraintreeNonce {
        /// The payment method nonce.
        nonce: String,
    },
    /// Adyen Web's `onSubmit`: `state.data`, to authorize.
    AdyenSubmit(Json),
    /// Adyen Web's `onAdditionalDetails` (3-D Secure, redirects): `state.data`.
    AdyenDetails(Json),
    /// Checkout.com's card form tokenized the card: authorize with the token.
    CheckoutComToken {
        /// The card token (`tok_…`).
        token: String,
    },
    /// Back from Checkout.com's 3-D Secure page (`cko-session-id`).
    CheckoutComReturned,
    /// Back from Satispay's payment page.
    SatispayReturned,
    /// Axerve's payment page gave its result data.
    AxerveUpdate(Json),
}

/// What the gateway's answer to a step means.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Authorized (or to be authorized by `_place`): place the order.
    Place,
    /// The shopper must do more in the page: hand this action (Adyen's) to the library.
    Action(Json),
    /// The shopper must go to this page (3-D Secure, the gateway's own page).
    Redirect(String),
    /// The payment may still complete; the order is not placed and nothing must be paid again.
    Pending,
}

fn missing(what: &str) -> CheckoutError {
    let mut m = String::from("The gateway step needs ");
    m.push_str(what);
    m.push_str(" (see the README's \"Other gateways\" for each gateway's step).");
    CheckoutError::invalid_input(m)
}

fn text(step: &Json, key: &str) -> Result<String, CheckoutError> {
    match step.get(key).and_then(Json::as_str) {
        Some(s) if !s.is_empty() && s.len() <= 4096 => Ok(s.to_string()),
        _ => Err(missing(key)),
    }
}

fn object(step: &Json, key: &str) -> Result<Json, CheckoutError> {
    match step.get(key) {
        Some(value) if value.is_object() => Ok(value.clone()),
        _ => Err(missing(key)),
    }
}

impl GatewayStep {
    /// Reads the page's step object, e.g. `{ gateway: "paypal_payments", payerId }`.
    ///
    /// ```
    /// use cl_checkout::gateway::GatewayStep;
    /// use cl_checkout::json::Json;
    /// let step = Json::object([("gateway", Json::str("braintree_payments")), ("nonce", Json::str("fake-valid-nonce"))]);
    /// assert_eq!(GatewayStep::read(&step), Ok(GatewayStep::BraintreeNonce { nonce: "fake-valid-nonce".into() }));
    /// ```
    pub fn read(step: &Json) -> Result<GatewayStep, CheckoutError> {
        let gateway = step.get("gateway").and_then(Json::as_str).unwrap_or_default();
        Ok(match gateway {
            "paypal_payments" => GatewayStep::PaypalApproved { payer_id: text(step, "payerId")? },
            "klarna_payments" => GatewayStep::KlarnaAuthorized { auth_token: text(step, "authorizationToken")? },
            "braintree_payments" => GatewayStep::BraintreeNonce { nonce: text(step, "nonce")? },
            "adyen_payments" if step.get("details").is_some() => GatewayStep::AdyenDetails(object(step, "details")?),
            "adyen_payments" => GatewayStep::AdyenSubmit(object(step, "data")?),
            "checkout_com_payments" if step.get("returned") == Some(&Json::Bool(true)) => GatewayStep::CheckoutComReturned,
            "checkout_com_payments" => GatewayStep::CheckoutComToken { token: text(step, "token")? },
            "satispay_payments" => GatewayStep::SatispayReturned,
            "axerve_payments" => GatewayStep::AxerveUpdate(object(step, "paymentRequestData")?),
            _ => {
                return Err(CheckoutError::invalid_input(
                    "The gateway step's `gateway` must be the payment source type it completes, e.g. \"paypal_payments\" (Stripe has confirm() and resumeStripe()).",
                ))
            }
        })
    }

    /// The payment source type this step completes.
    pub fn source_type(&self) -> &'static str {
        match self {
            GatewayStep::PaypalApproved { .. } => "paypal_payments",
            GatewayStep::KlarnaAuthorized { .. } => "klarna_payments",
            GatewayStep::BraintreeNonce { .. } => "braintree_payments",
            GatewayStep::AdyenSubmit(_) | GatewayStep::AdyenDetails(_) => "adyen_payments",
            GatewayStep::CheckoutComToken { .. } | GatewayStep::CheckoutComReturned => "checkout_com_payments",
            GatewayStep::SatispayReturned => "satispay_payments",
            GatewayStep::AxerveUpdate(_) => "axerve_payments",
        }
    }

    /// The attributes (and trigger) the step PATCHes onto the payment source.
    pub fn attributes(&self) -> Json {
        let yes = || Json::Bool(true);
        match self {
            GatewayStep::PaypalApproved { payer_id } => Json::object([("paypal_payer_id", Json::str(payer_id))]),
            GatewayStep::KlarnaAuthorized { auth_token } => Json::object([("auth_token", Json::str(auth_token))]),
            GatewayStep::BraintreeNonce { nonce } => Json::object([("payment_method_nonce", Json::str(nonce))]),
            GatewayStep::AdyenSubmit(data) => Json::object([("payment_request_data", data.clone()), ("_authorize", yes())]),
            GatewayStep::AdyenDetails(details) => {
                Json::object([("payment_request_details", details.clone()), ("_details", yes())])
            }
            GatewayStep::CheckoutComToken { token } => Json::object([("token", Json::str(token)), ("_authorize", yes())]),
            GatewayStep::CheckoutComReturned => Json::object([("_details", yes())]),
            GatewayStep::SatispayReturned => Json::object([("_refresh", yes())]),
            GatewayStep::AxerveUpdate(data) => Json::object([("payment_request_data", data.clone()), ("_update", yes())]),
        }
    }
}

/// The step a gateway's return URL carries: PayPal's `PayerID`, Checkout.com's
/// `cko-session-id`, Adyen's `redirectResult`. `None` when the URL carries
/// none (not a return, or PayPal's cancel page: nothing to do, the order
/// stays as it was).
///
/// ```
/// use cl_checkout::gateway::{read_return_url, GatewayStep};
/// let step = read_return_url("https://shop.example/pay?token=EC-1&PayerID=PAYER1");
/// assert_eq!(step, Some(GatewayStep::PaypalApproved { payer_id: "PAYER1".into() }));
/// assert_eq!(read_return_url("https://shop.example/cancel?token=EC-1"), None);
/// ```
pub fn read_return_url(url: &str) -> Option<GatewayStep> {
    let query = text::split_once(text::split(url, "#").next()?, "?")?.1;
    for pair in text::split(query, "&") {
        let (key, value) = text::split_once(pair, "=").unwrap_or((pair, ""));
        let value = value.to_string();
        if value.is_empty() || value.len() > 4096 {
            continue;
        }
        match key {
            "PayerID" => return Some(GatewayStep::PaypalApproved { payer_id: value }),
            "cko-session-id" => return Some(GatewayStep::CheckoutComReturned),
            // Percent-encoded as Adyen sent it; the API decodes it as the React components pass it.
            "redirectResult" => {
                return Some(GatewayStep::AdyenDetails(Json::object([(
                    "details",
                    Json::object([("redirectResult", Json::String(value))]),
                )])))
            }
            _ => {}
        }
    }
    None
}

fn declined(gateway: &str, reason: Option<&str>) -> CheckoutError {
    let mut m = String::from("The payment was declined by ");
    m.push_str(gateway);
    if let Some(reason) = reason.filter(|r| !r.is_empty() && r.len() <= 200) {
        m.push_str(" (");
        m.push_str(&crate::error::redact(reason));
        m.push_str(")");
    }
    m.push_str(
        ": nothing was charged and the order is still open. Ask the shopper for another card or payment method, then try again.",
    );
    CheckoutError::new(ErrorKind::Gateway, m)
}

fn unreadable(what: &str) -> CheckoutError {
    let mut m = String::from("The payment source's ");
    m.push_str(what);
    m.push_str(
        " is missing or not what its gateway sends: nothing was placed. Check the gateway's configuration in Commerce Layer.",
    );
    CheckoutError::decode(m)
}

/// A URL from the server the shopper is sent to (approval, payment and
/// 3-D Secure pages): checked before the page navigates.
fn redirect(source: &Json, key: &str) -> Result<String, CheckoutError> {
    source.get(key).and_then(Json::as_str).and_then(validate::page_url).map(str::to_string).ok_or_else(|| unreadable(key))
}

/// What the gateway's answer to `step` (the updated payment source) means.
pub fn verdict(step: &GatewayStep, source: &Json) -> Result<Verdict, CheckoutError> {
    let response = source.get("payment_response");
    let field = |key: &str| response.and_then(|r| r.get(key)).and_then(Json::as_str);
    match step {
        GatewayStep::AdyenSubmit(_) | GatewayStep::AdyenDetails(_) => match field("resultCode") {
            Some("Authorised" | "Pending" | "Received") => Ok(Verdict::Place),
            Some("RedirectShopper" | "IdentifyShopper" | "ChallengeShopper" | "PresentToShopper") => {
                match response.and_then(|r| r.get("action")) {
                    Some(action) if action.is_object() => Ok(Verdict::Action(action.clone())),
                    _ => Err(unreadable("payment_response.action")),
                }
            }
            Some("Refused" | "Cancelled" | "Error") => Err(declined("Adyen", field("refusalReason"))),
            _ => Err(unreadable("payment_response.resultCode")),
        },
        GatewayStep::CheckoutComToken { .. } | GatewayStep::CheckoutComReturned => match field("status") {
            Some("Authorized" | "Captured" | "Card Verified") => Ok(Verdict::Place),
            Some("Pending") if matches!(step, GatewayStep::CheckoutComToken { .. }) => {
                redirect(source, "redirect_uri").map(Verdict::Redirect)
            }
            Some("Pending") => Ok(Verdict::Pending),
            Some("Declined" | "Canceled" | "Expired") => Err(declined("Checkout.com", field("response_summary"))),
            _ => Err(unreadable("payment_response.status")),
        },
        GatewayStep::SatispayReturned => match source.get("status").and_then(Json::as_str) {
            Some("ACCEPTED") => Ok(Verdict::Place),
            Some("PENDING") => Ok(Verdict::Pending),
            Some("CANCELED") => Err(declined("Satispay", Some("the shopper cancelled or the payment expired"))),
            _ => Err(unreadable("status")),
        },
        GatewayStep::PaypalApproved { .. } => match source.get("status").and_then(Json::as_str) {
            Some("approved") => Ok(Verdict::Place),
            _ => Err(declined("PayPal", Some("the payer has not approved the payment"))),
        },
        // Authorized by `_place`: a decline is its refusal.
        GatewayStep::KlarnaAuthorized { .. } | GatewayStep::BraintreeNonce { .. } | GatewayStep::AxerveUpdate(_) => {
            Ok(Verdict::Place)
        }
    }
}

/// What the gateway's browser library needs from a created payment source,
/// checked (URLs before they become a location): PayPal and Satispay a page
/// to send the shopper to; Klarna and Braintree a client token; Adyen its
/// client key and payment methods; Checkout.com its public key; Axerve the
/// shop login and its lightbox's payment id and token. Stripe has `stripeOptions`; external payments and wire
/// transfers need nothing.
pub fn handoff(source_type: SourceType, source: &Json) -> Result<Json, CheckoutError> {
    let string = |key: &str| match source.get(key).and_then(Json::as_str) {
        Some(s) if !s.is_empty() => Ok(Json::str(s)),
        _ => Err(unreadable(key)),
    };
    let value = |key: &str| match source.get(key) {
        Some(v) if !matches!(v, Json::Null) => Ok(v.clone()),
        _ => Err(unreadable(key)),
    };
    let ty = Json::str(source_type.as_str());
    Ok(match source_type.as_str() {
        "paypal_payments" => Json::object([("gateway", ty), ("redirectUrl", Json::String(redirect(source, "approval_url")?))]),
        "satispay_payments" => Json::object([("gateway", ty), ("redirectUrl", Json::String(redirect(source, "payment_url")?))]),
        "klarna_payments" => {
            Json::object([("gateway", ty), ("clientToken", string("client_token")?), ("categories", value("payment_methods")?)])
        }
        "braintree_payments" => Json::object([("gateway", ty), ("clientToken", string("client_token")?)]),
        "adyen_payments" => Json::object([
            ("gateway", ty),
            ("clientKey", string("public_key")?),
            ("paymentMethodsResponse", value("payment_methods")?),
        ]),
        "checkout_com_payments" => Json::object([("gateway", ty), ("publicKey", string("public_key")?)]),
        "axerve_payments" => Json::object([("gateway", ty), ("shopLogin", string("login")?), ("lightbox", axerve_lightbox(source))]),
        _ => {
            return Err(CheckoutError::invalid_input(
                "This payment source needs no gateway handoff: Stripe has stripeOptions() and mountStripe(); external payments and wire transfers are placed with placeOrder().",
            ))
        }
    })
}

/// Axerve's payment id and token for its lightbox, from a source created
/// with `request_token: true` (`null` otherwise).
fn axerve_lightbox(source: &Json) -> Json {
    let data = source.get("payment_request_data");
    let field = |key: &str| data.and_then(|d| d.get(key)).and_then(Json::as_str).filter(|s| !s.is_empty());
    match (field("paymentID"), field("paymentToken")) {
        (Some(id), Some(token)) => Json::object([("paymentID", Json::str(id)), ("paymentToken", Json::str(token))]),
        _ => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn source(text: &str) -> Json {
        json::parse(text).unwrap()
    }

    #[test]
    fn every_gateway_but_the_plain_ones_has_a_handoff() {
        let full = source(
            r#"{"approval_url":"https://www.paypal.com/checkoutnow?token=EC-1","payment_url":"https://online.satispay.com/pay/1",
            "client_token":"ct","payment_methods":[{"identifier":"pay_later"}],"public_key":"pk","login":"GESPAY1"}"#,
        );
        for t in SourceType::all() {
            let plain = matches!(t.as_str(), "stripe_payments" | "external_payments" | "wire_transfers");
            let h = handoff(t, &full);
            assert_eq!(h.is_err(), plain, "{}", t.as_str());
            if let Ok(h) = h {
                assert_eq!(h.get("gateway").and_then(Json::as_str), Some(t.as_str()));
            }
        }
    }

    #[test]
    fn axerve_hands_its_lightbox_over_only_when_the_source_has_both_ids() {
        let axerve = SourceType::parse("axerve_payments").unwrap();
        let lightbox = |text: &str| handoff(axerve, &source(text)).unwrap().get("lightbox").cloned().unwrap();
        let both = lightbox(r#"{"login":"G","payment_request_data":{"paymentID":"P","paymentToken":"T"}}"#);
        assert_eq!(both.get("paymentToken").and_then(Json::as_str), Some("T"));
        assert_eq!(both.get("paymentID").and_then(Json::as_str), Some("P"));
        for without in [
            r#"{"login":"G"}"#,
            r#"{"login":"G","payment_request_data":{"paymentID":"P"}}"#,
            r#"{"login":"G","payment_request_data":null}"#,
        ] {
            assert_eq!(lightbox(without), Json::Null, "{without}");
        }
    }

    #[test]
    fn handoff_urls_are_checked_before_the_page_navigates() {
        for bad in ["javascript:alert(1)", "http://evil.example/pay", "https://user:pw@evil.example/", "https://a b/", "//x"] {
            let s = Json::object([("approval_url", Json::str(bad))]);
            let e = handoff(SourceType::parse("paypal_payments").unwrap(), &s).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Decode, "{bad}");
        }
        let s = Json::object([("payment_url", Json::str("http://127.0.0.1:9/sandbox/satispay/x"))]);
        assert!(handoff(SourceType::parse("satispay_payments").unwrap(), &s).is_ok());
    }

    #[test]
    fn every_step_reads_and_patches_its_gateways_fields() {
        let cases: Vec<(&str, &str, &str)> = vec![
            (r#"{"gateway":"paypal_payments","payerId":"P1"}"#, "paypal_payments", r#"{"paypal_payer_id":"P1"}"#),
            (r#"{"gateway":"klarna_payments","authorizationToken":"k"}"#, "klarna_payments", r#"{"auth_token":"k"}"#),
            (r#"{"gateway":"braintree_payments","nonce":"n"}"#, "braintree_payments", r#"{"payment_method_nonce":"n"}"#),
            (
                r#"{"gateway":"adyen_payments","data":{"paymentMethod":{"type":"scheme"}}}"#,
                "adyen_payments",
                r#"{"payment_request_data":{"paymentMethod":{"type":"scheme"}},"_authorize":true}"#,
            ),
            (
                r#"{"gateway":"adyen_payments","details":{"details":{"threeDSResult":"x"}}}"#,
                "adyen_payments",
                r#"{"payment_request_details":{"details":{"threeDSResult":"x"}},"_details":true}"#,
            ),
            (
                r#"{"gateway":"checkout_com_payments","token":"tok_1"}"#,
                "checkout_com_payments",
                r#"{"token":"tok_1","_authorize":true}"#,
            ),
            (r#"{"gateway":"checkout_com_payments","returned":true}"#, "checkout_com_payments", r#"{"_details":true}"#),
            (r#"{"gateway":"satispay_payments"}"#, "satispay_payments", r#"{"_refresh":true}"#),
            (
                r#"{"gateway":"axerve_payments","paymentRequestData":{"paymentToken":"t"}}"#,
                "axerve_payments",
                r#"{"payment_request_data":{"paymentToken":"t"},"_update":true}"#,
            ),
        ];
        for (input, ty, attributes) in cases {
            let step = GatewayStep::read(&source(input)).unwrap();
            assert_eq!(step.source_type(), ty);
            assert_eq!(step.attributes().to_json_string(), attributes, "{input}");
        }
        for bad in [
            r#"{"gateway":"stripe_payments"}"#,
            r#"{"gateway":"paypal_payments"}"#,
            r#"{"gateway":"braintree_payments","nonce":""}"#,
            r#"{"gateway":"adyen_payments","data":"x"}"#,
            r#"{}"#,
        ] {
            assert_eq!(GatewayStep::read(&source(bad)).unwrap_err().kind, ErrorKind::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn answers_mean_place_act_redirect_wait_or_decline() {
        let adyen = GatewayStep::AdyenSubmit(Json::Object(Vec::new()));
        let cko = GatewayStep::CheckoutComToken { token: "tok".into() };
        let back = GatewayStep::CheckoutComReturned;
        let paypal = GatewayStep::PaypalApproved { payer_id: "P".into() };
        let braintree = GatewayStep::BraintreeNonce { nonce: "n".into() };
        let cases: Vec<(&GatewayStep, &str, Result<Verdict, ErrorKind>)> = vec![
            (&adyen, r#"{"payment_response":{"resultCode":"Authorised"}}"#, Ok(Verdict::Place)),
            (&adyen, r#"{"payment_response":{"resultCode":"Received"}}"#, Ok(Verdict::Place)),
            (
                &adyen,
                r#"{"payment_response":{"resultCode":"ChallengeShopper","action":{"type":"threeDS2"}}}"#,
                Ok(Verdict::Action(source(r#"{"type":"threeDS2"}"#))),
            ),
            (&adyen, r#"{"payment_response":{"resultCode":"ChallengeShopper"}}"#, Err(ErrorKind::Decode)),
            (&adyen, r#"{"payment_response":{"resultCode":"Refused","refusalReason":"Refused"}}"#, Err(ErrorKind::Gateway)),
            (&adyen, r#"{"payment_response":null}"#, Err(ErrorKind::Decode)),
            (&cko, r#"{"payment_response":{"status":"Authorized"}}"#, Ok(Verdict::Place)),
            (
                &cko,
                r#"{"payment_response":{"status":"Pending"},"redirect_uri":"https://3ds.checkout.com/x"}"#,
                Ok(Verdict::Redirect("https://3ds.checkout.com/x".into())),
            ),
            (&cko, r#"{"payment_response":{"status":"Pending"},"redirect_uri":"javascript:x"}"#, Err(ErrorKind::Decode)),
            (&back, r#"{"payment_response":{"status":"Pending"}}"#, Ok(Verdict::Pending)),
            (
                &cko,
                r#"{"payment_response":{"status":"Declined","response_summary":"Insufficient Funds"}}"#,
                Err(ErrorKind::Gateway),
            ),
            (&GatewayStep::SatispayReturned, r#"{"status":"ACCEPTED"}"#, Ok(Verdict::Place)),
            (&GatewayStep::SatispayReturned, r#"{"status":"PENDING"}"#, Ok(Verdict::Pending)),
            (&GatewayStep::SatispayReturned, r#"{"status":"CANCELED"}"#, Err(ErrorKind::Gateway)),
            (&paypal, r#"{"status":"approved"}"#, Ok(Verdict::Place)),
            (&paypal, r#"{"status":"created"}"#, Err(ErrorKind::Gateway)),
            (&braintree, r#"{}"#, Ok(Verdict::Place)),
        ];
        for (step, answer, expected) in cases {
            assert_eq!(verdict(step, &source(answer)).map_err(|e| e.kind), expected, "{answer}");
        }
    }

    #[test]
    fn return_urls_name_their_step() {
        assert_eq!(read_return_url("https://s.example/r?cko-session-id=sid_1#x"), Some(GatewayStep::CheckoutComReturned));
        let adyen = read_return_url("https://s.example/r?redirectResult=X%3D%3D").unwrap();
        assert_eq!(
            adyen.attributes().to_json_string(),
            r#"{"payment_request_details":{"details":{"redirectResult":"X%3D%3D"}},"_details":true}"#
        );
        assert_eq!(read_return_url("https://s.example/r"), None);
        assert_eq!(read_return_url("https://s.example/r?PayerID="), None);
    }
}
