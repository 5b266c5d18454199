//! The Stripe handoff's decisions, without Stripe.js: what a PaymentIntent
//! status means for the order, what a return URL carries, and how a Stripe
//! error reads. The browser edge only calls Stripe.js and follows these.

use crate::error::{redact, CheckoutError, ErrorKind, StripeDetails};
use crate::text;

/// What to do with an order once its PaymentIntent has this status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Authorized (`requires_capture`) or paid (`succeeded`): place the order.
    Place,
    /// `processing`: ask again in a moment.
    Wait,
    /// Anything else: the payment did not go through.
    Fail,
}

/// What a PaymentIntent status means for the order.
pub fn next_step(status: &str) -> Next {
    match status {
        "requires_capture" | "succeeded" => Next::Place,
        "processing" => Next::Wait,
        _ => Next::Fail,
    }
}

/// The PaymentIntent id (`pi_…`) of a client secret shaped like one
/// (`pi_…_secret_…`, word characters only); `None` otherwise.
pub fn intent_of(secret: &str) -> Option<&str> {
    let word = |s: &str| !s.is_empty() && text::all_bytes(s, text::is_word_byte);
    let (intent, rest) = text::split_once(secret, "_secret_")?;
    (intent.starts_with("pi_") && word(intent) && word(rest) && secret.len() <= 200).then_some(intent)
}

/// Query parameters Stripe appends to `return_url` after a redirect.
const RETURN_PARAMS: [&str; 3] = ["payment_intent", "payment_intent_client_secret", "redirect_status"];

/// What a page Stripe returned to carries: the client secret, and the same
/// URL without Stripe's parameters (to put back in the address bar).
#[derive(Debug, PartialEq)]
pub struct Return {
    /// The intent's client secret (checked by [`intent_of`]), only ever handed to Stripe.js.
    pub client_secret: String,
    /// The URL without Stripe's parameters.
    pub clean_url: String,
}

impl Return {
    /// The PaymentIntent's id (`pi_…`).
    pub fn intent_id(&self) -> &str {
        intent_of(&self.client_secret).unwrap_or_default()
    }
}

/// `Ok(None)` when the URL is not a Stripe return.
pub fn read_return_url(url: &str) -> Result<Option<Return>, CheckoutError> {
    let (before_fragment, fragment) = match text::split_once(url, "#") {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let Some((base, query)) = text::split_once(before_fragment, "?") else {
        return Ok(None);
    };
    let mut secret = None;
    let mut kept: Vec<&str> = Vec::new();
    for pair in text::split(query, "&").filter(|p| !p.is_empty()) {
        let key = text::split_once(pair, "=").map_or(pair, |(k, _)| k);
        if key == "payment_intent_client_secret" {
            secret = text::split_once(pair, "=").map(|(_, v)| v);
        }
        if !RETURN_PARAMS.contains(&key) {
            kept.push(pair);
        }
    }
    let Some(secret) = secret else {
        return Ok(None);
    };
    if intent_of(secret).is_none() {
        return Err(CheckoutError::invalid_input(
            "The page URL carries a payment_intent_client_secret that is not shaped like one; nothing was sent.",
        ));
    }
    let mut clean_url = String::from(base);
    // Pushed one by one: `join` would bring its own generic code into the .wasm.
    for (i, pair) in kept.iter().enumerate() {
        clean_url.push_str(if i == 0 { "?" } else { "&" });
        clean_url.push_str(pair);
    }
    if let Some(f) = fragment {
        clean_url.push_str("#");
        clean_url.push_str(f);
    }
    Ok(Some(Return { client_secret: secret.to_string(), clean_url }))
}

/// A Stripe.js `{ error }` (decline, failed authentication, …) as a
/// `CheckoutError` of kind `stripe`, with Stripe's fields kept.
pub fn stripe_error(details: StripeDetails) -> CheckoutError {
    let mut m = String::new();
    let advice = match (details.error_type.as_deref(), details.code.as_deref()) {
        (_, Some("payment_intent_authentication_failure")) => {
            m.push_str("The card's authentication (3-D Secure) failed");
            "Ask the shopper to try again or use another card, then call confirm() again."
        }
        (Some("card_error"), _) => {
            m.push_str("The card was declined");
            "Ask the shopper for another card, then call confirm() again: the same payment is retried."
        }
        (Some("validation_error"), _) => {
            m.push_str("The payment details are incomplete or invalid");
            "Let the shopper fix the highlighted fields, then call confirm() again."
        }
        _ => {
            m.push_str("Stripe could not confirm the payment");
            "Try again; if it keeps failing, check the Stripe configuration of this market."
        }
    };
    if let Some(code) = details.decline_code.as_deref().or(details.code.as_deref()) {
        m.push_str(" (");
        m.push_str(code);
        m.push_str(")");
    }
    if let Some(text) = &details.message {
        m.push_str(": ");
        m.push_str(crate::text::trim_final_dots(text));
    }
    m.push_str(". ");
    m.push_str(advice);
    let mut e = CheckoutError::new(ErrorKind::Stripe, redact(&m));
    e.stripe = Some(Box::new(details));
    e
}

/// The PaymentIntent ended in a status that is not a payment.
pub fn intent_failed(status: &str, last_error: Option<&str>) -> CheckoutError {
    let mut m = String::from("The payment was not completed (PaymentIntent ");
    m.push_str(status);
    m.push_str(")");
    if let Some(text) = last_error {
        m.push_str(": ");
        m.push_str(crate::text::trim_final_dots(text));
    }
    m.push_str(". Let the shopper pay again; the order was not placed.");
    let mut e = CheckoutError::new(ErrorKind::Stripe, redact(&m));
    e.stripe = Some(Box::new(StripeDetails { payment_intent_status: Some(status.to_string()), ..StripeDetails::default() }));
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_steps() {
        assert_eq!(next_step("requires_capture"), Next::Place);
        assert_eq!(next_step("succeeded"), Next::Place);
        assert_eq!(next_step("processing"), Next::Wait);
        for s in ["requires_payment_method", "requires_action", "requires_confirmation", "canceled", ""] {
            assert_eq!(next_step(s), Next::Fail, "{s}");
        }
    }

    #[test]
    fn client_secret_shape() {
        assert_eq!(intent_of("pi_3Pgafy_secret_Dm43xiq1k0ywr"), Some("pi_3Pgafy"));
        for bad in ["", "xxxx_secret_yyyy", "pi_1_secret_", "pi_1_secret_a&b", "pi_1", "pi_../x_secret_y"] {
            assert_eq!(intent_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_and_cleans_a_return_url() {
        let url = "https://shop.example/checkout?order=o1&payment_intent=pi_1&payment_intent_client_secret=pi_1_secret_abc&redirect_status=succeeded#pay";
        let r = read_return_url(url).unwrap().unwrap();
        assert_eq!(r.client_secret, "pi_1_secret_abc");
        assert_eq!(r.intent_id(), "pi_1");
        assert_eq!(r.clean_url, "https://shop.example/checkout?order=o1#pay");
        let only = read_return_url("https://shop.example/c?payment_intent_client_secret=pi_1_secret_abc").unwrap().unwrap();
        assert_eq!(only.clean_url, "https://shop.example/c");
    }

    #[test]
    fn urls_without_a_secret_are_not_returns() {
        assert_eq!(read_return_url("https://shop.example/checkout?order=o1").unwrap(), None);
        assert_eq!(read_return_url("https://shop.example/checkout").unwrap(), None);
        assert_eq!(read_return_url("https://shop.example/#payment_intent_client_secret=pi_1_secret_a").unwrap(), None);
        let e = read_return_url("https://shop.example/?payment_intent_client_secret=pi_1_secret_a%26x").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(!e.message.contains("pi_1"));
    }

    #[test]
    fn declines_read_like_stripe_and_keep_its_fields() {
        let e = stripe_error(StripeDetails {
            error_type: Some("card_error".into()),
            code: Some("card_declined".into()),
            decline_code: Some("insufficient_funds".into()),
            message: Some("Your card has insufficient funds.".into()),
            payment_intent_status: Some("requires_payment_method".into()),
        });
        assert_eq!(e.kind, ErrorKind::Stripe);
        assert_eq!(
            e.message,
            "The card was declined (insufficient_funds): Your card has insufficient funds. Ask the shopper for another card, then call confirm() again: the same payment is retried."
        );
        assert_eq!(e.stripe.as_ref().unwrap().decline_code.as_deref(), Some("insufficient_funds"));
        let auth = stripe_error(StripeDetails {
            error_type: Some("invalid_request_error".into()),
            code: Some("payment_intent_authentication_failure".into()),
            message: Some("failed for pi_1_secret_abc".into()),
            ..StripeDetails::default()
        });
        assert!(auth.message.starts_with("The card's authentication (3-D Secure) failed"));
        assert!(!auth.message.contains("_secret_"));
        assert!(intent_failed("canceled", None).message.contains("canceled"));
    }
}
