//! Masks secrets before a request reaches the sandbox's log: card numbers,
//! CVCs and expiry dates, client secrets, passwords and tokens, found by the
//! name they are sent under and by their shape wherever else they appear.

use serde_json::Value;

use crate::http::percent_decode;

const MASK: &str = "[masked]";

/// Whether a parameter or JSON member named `key` carries a secret. Form
/// keys such as `payment_method_data[card][number]` are judged by their last part.
pub fn is_secret_key(key: &str) -> bool {
    let last = key.rsplit(['[', '.']).next().unwrap_or(key).trim_end_matches(']').to_ascii_lowercase();
    let exact = ["number", "cvc", "cvv", "exp_month", "exp_year", "expiry", "exp", "key_secret", "authorization"];
    let parts = ["secret", "password", "token", "nonce", "encrypted", "card_number", "security_code", "cvc", "iban"];
    exact.contains(&last.as_str()) || parts.iter().any(|p| last.contains(p))
}

/// Masks what looks like a secret in free text: client secrets
/// (`pi_…_secret_…`), JWTs and runs of 12–19 digits (card numbers).
pub fn text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let chars: Vec<char> = input.chars().collect();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    let mut i = 0;
    while i < chars.len() {
        if word(chars[i]) {
            let start = i;
            while i < chars.len() && word(chars[i]) {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            let digits = token.chars().filter(char::is_ascii_digit).count();
            let card_like = digits >= 12 && token.chars().all(|c| c.is_ascii_digit() || c == '-');
            let secret = token.contains("_secret_") || token.starts_with("eyJ") || card_like;
            out.push_str(if secret { MASK } else { &token });
        } else if chars[i].is_ascii_digit() {
            i += 1;
        } else {
            // Card numbers written with spaces: "4242 4242 4242 4242".
            let start = i;
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ' ') {
                digits += usize::from(chars[j].is_ascii_digit());
                j += 1;
            }
            if chars[i] == ' ' && digits >= 12 && j > i + 1 {
                out.push(' ');
                out.push_str(MASK);
                i = j;
            } else {
                out.push(chars[start]);
                i += 1;
            }
        }
    }
    out
}

fn json(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (k, v) in members.iter_mut() {
                if is_secret_key(k) && !v.is_null() && !v.is_boolean() {
                    *v = Value::String(MASK.into());
                } else {
                    json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json),
        Value::String(s) => *s = text(s),
        _ => {}
    }
}

fn form(input: &str) -> String {
    input
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_key(&percent_decode(k)) => format!("{k}={MASK}"),
            Some((k, v)) => format!("{k}={}", text(&percent_decode(v))),
            None => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A request body (JSON or form-encoded) with its secrets masked.
pub fn body(input: &str) -> String {
    match serde_json::from_str::<Value>(input) {
        Ok(mut v) => {
            json(&mut v);
            v.to_string()
        }
        Err(_) if input.contains('=') && !input.contains('{') => form(input),
        Err(_) => text(input),
    }
}

/// A request target with secret query parameters masked.
pub fn target(input: &str) -> String {
    match input.split_once('?') {
        Some((p, query)) => format!("{}?{}", path(p), form(query)),
        None => path(input),
    }
}

/// A request path with its secrets masked: the gateway pages' own segment
/// after `/gateways/:gateway/:page/` is a payment's token or a card nonce
/// (`/gateways/braintree/3ds/tokencc_…`, `/gateways/axerve/lightbox/axt_…`).
pub fn path(input: &str) -> String {
    match input.strip_prefix("/gateways/").map(|rest| rest.splitn(3, '/').collect::<Vec<_>>()) {
        Some(parts) if parts.len() == 3 => format!("/gateways/{}/{}/{MASK}", parts[0], parts[1]),
        _ => text(input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_data_secrets_and_passwords_are_masked() {
        let stripe = "key=pk_test_x&client_secret=pi_1_secret_abc&payment_method_data%5Bcard%5D%5Bnumber%5D=4242424242424242&payment_method_data%5Bcard%5D%5Bcvc%5D=123&payment_method_data%5Bcard%5D%5Bexp_month%5D=12";
        let masked = body(stripe);
        for secret in ["pi_1_secret_abc", "4242424242424242", "=123", "=12"] {
            assert!(!masked.contains(secret), "{secret} in {masked}");
        }
        assert!(masked.contains("key=pk_test_x"));
        let oauth = r#"{"grant_type":"password","username":"a@b.c","password":"hunter22","refresh_token":"rt_x"}"#;
        let masked = body(oauth);
        assert!(!masked.contains("hunter22") && !masked.contains("rt_x") && masked.contains("a@b.c"));
        let nested =
            r#"{"data":{"attributes":{"note":"card 4000 0027 6000 3184 and pi_9_secret_z","payment_source_token":"tok_1"}}}"#;
        let masked = body(nested);
        assert!(!masked.contains("3184") && !masked.contains("pi_9_secret_z") && !masked.contains("tok_1"), "{masked}");
        let t = target("/v1/payment_intents/pi_1?key=pk_test_x&client_secret=pi_1_secret_abc");
        assert!(!t.contains("secret_abc") && t.starts_with("/v1/payment_intents/pi_1?"), "{t}");
        assert_eq!(text("order 10001 of 2 items"), "order 10001 of 2 items");
        assert_eq!(path("/gateways/braintree/3ds/tokencc_sbx_abc"), "/gateways/braintree/3ds/[masked]");
        assert_eq!(
            target("/gateways/axerve/lightbox/axt_x?paymentID=P&origin=o"),
            "/gateways/axerve/lightbox/[masked]?paymentID=P&origin=o"
        );
        assert_eq!(path("/gateways/checkout_com/tokens"), "/gateways/checkout_com/tokens");
    }
}
