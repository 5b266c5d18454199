//! The one error type, and the one place that turns an HTTP answer into it.

use crate::json::{self, Json, ParseError};

/// What kind of failure a [`CheckoutError`] is (JavaScript's `err.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The API answered with an error status (the `errors` array says why).
    Api,
    /// No answer: offline, DNS, CORS, connection dropped.
    Network,
    /// No answer within the configured time.
    Timeout,
    /// The caller's `AbortSignal` stopped the call.
    Aborted,
    /// A successful status whose body is not the JSON:API document expected.
    Decode,
    /// The caller passed something unusable; nothing was sent.
    InvalidInput,
    /// The order has no payment method yet.
    NoPaymentMethod,
    /// The order's `payment_source_type` is unknown or not a plain resource name.
    UnsupportedSourceType,
    /// Stripe.js reported an error (decline, failed authentication, …).
    Stripe,
    /// Another gateway declined the payment (Adyen, Checkout.com, PayPal, Satispay).
    Gateway,
}

impl ErrorKind {
    /// The name JavaScript sees, e.g. `invalid_input`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Decode => "decode",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NoPaymentMethod => "no_payment_method",
            ErrorKind::UnsupportedSourceType => "unsupported_source_type",
            ErrorKind::Stripe => "stripe",
            ErrorKind::Gateway => "gateway",
        }
    }
}

/// One entry of a JSON:API `errors[]` array, normalised, as JavaScript sees
/// it: an object of `code`, `title`, `detail`, `status` (strings; `status`
/// always a string, as Commerce Layer sends it), `source` and `meta`
/// (objects), each `null` when missing. Kept as that object (read through
/// the accessors below), so handing it to JavaScript builds nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiErrorObject(Json);

impl ApiErrorObject {
    /// The string member `key` (`from_json` made each one a string or `null`).
    fn text(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Json::as_str)
    }

    /// The object member `key` (`from_json` made each one an object or `null`).
    fn nested(&self, key: &str) -> Option<&Json> {
        self.0.get(key).filter(|v| v.is_object())
    }

    /// The API's error code, e.g. `VALIDATION_ERROR`.
    pub fn code(&self) -> Option<&str> {
        self.text("code")
    }

    /// A short summary.
    pub fn title(&self) -> Option<&str> {
        self.text("title")
    }

    /// What went wrong.
    pub fn detail(&self) -> Option<&str> {
        self.text("detail")
    }

    /// The HTTP status, as a string.
    pub fn status(&self) -> Option<&str> {
        self.text("status")
    }

    /// Where: `{ pointer }` into the request document.
    pub fn source(&self) -> Option<&Json> {
        self.nested("source")
    }

    /// More about it, e.g. `{ error: "blank" }`.
    pub fn meta(&self) -> Option<&Json> {
        self.nested("meta")
    }

    /// As JavaScript sees it.
    pub fn as_json(&self) -> &Json {
        &self.0
    }

    fn from_json(value: &Json) -> Option<ApiErrorObject> {
        if !value.is_object() {
            return None;
        }
        let text = |key: &str| match value.get(key) {
            Some(Json::String(s)) => Json::String(redact(s)),
            Some(Json::Number(n)) => Json::String(n.clone()),
            _ => Json::Null,
        };
        // `source` and `meta` are the server's to fill: client secrets are hidden at any depth.
        let nested = |key: &str| {
            let Some(mut found) = value.get(key).filter(|v| v.is_object()).cloned() else {
                return Json::Null;
            };
            found.map_strings(&mut |s| {
                if crate::text::find(s, "_secret_").is_some() {
                    *s = redact(s);
                }
            });
            found
        };
        Some(ApiErrorObject(Json::object([
            ("code", text("code")),
            ("title", text("title")),
            ("detail", text("detail")),
            ("status", text("status")),
            ("source", nested("source")),
            ("meta", nested("meta")),
        ])))
    }
}

/// What Stripe.js said about a failed payment (kind `stripe`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StripeDetails {
    /// Stripe's error `type`, e.g. `card_error`.
    pub error_type: Option<String>,
    /// Stripe's error code, e.g. `card_declined`.
    pub code: Option<String>,
    /// Why the bank declined, e.g. `insufficient_funds`.
    pub decline_code: Option<String>,
    /// Stripe's message, fit for the shopper.
    pub message: Option<String>,
    /// The PaymentIntent's status when the error came.
    pub payment_intent_status: Option<String>,
}

impl StripeDetails {
    /// As JavaScript sees it (`err.stripe`).
    pub fn to_json(&self) -> Json {
        let text = |v: &Option<String>| v.as_deref().map_or(Json::Null, |s| Json::String(redact(s)));
        Json::object([
            ("type", text(&self.error_type)),
            ("code", text(&self.code)),
            ("decline_code", text(&self.decline_code)),
            ("message", text(&self.message)),
            ("payment_intent_status", text(&self.payment_intent_status)),
        ])
    }
}

/// The one error type: every failure reaches JavaScript as one of these.
/// One pointer wide: its details are boxed ([`ErrorDetails`], reached
/// through `Deref`), so a `Result` carrying it is hardly larger than its
/// success value, and each `?` moves a pointer instead of the whole error.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckoutError(Box<ErrorDetails>);

impl std::ops::Deref for CheckoutError {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for CheckoutError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

/// What a [`CheckoutError`] says.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDetails {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// What happened and what to do, with no secret in it.
    pub message: String,
    /// The HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// The API's `errors[]`, normalised.
    pub errors: Vec<ApiErrorObject>,
    /// What Stripe.js said, for kind `stripe`.
    pub stripe: Option<Box<StripeDetails>>,
}

/// The message, as `err.message` reads in JavaScript.
impl std::fmt::Display for CheckoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl CheckoutError {
    /// An error with no HTTP status or details.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::with_message(kind, message.into())
    }

    /// One copy of the construction for the module's hundred-odd error
    /// sites, rather than one inlined at each (-84 B gzip).
    #[inline(never)]
    fn with_message(kind: ErrorKind, message: String) -> Self {
        CheckoutError(Box::new(ErrorDetails { kind, message, status: None, errors: Vec::new(), stripe: None }))
    }

    /// The caller passed something unusable; nothing was sent.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// A success answer that is not what was expected.
    pub fn decode(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Decode, message)
    }

    fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Removes every occurrence of `secret` (the caller's access token) from
    /// the message and the error objects. Tokens shorter than 8 characters
    /// are left alone: replacing them would garble ordinary words.
    pub fn without_secret(mut self, secret: &str) -> Self {
        if secret.len() >= 8 {
            let scrub = |s: &mut String| {
                if crate::text::find(s, secret).is_some() {
                    *s = crate::text::replace_all(s, secret, "[redacted]");
                }
            };
            scrub(&mut self.message);
            for e in &mut self.errors {
                e.0.map_strings(&mut |s| scrub(s));
            }
        }
        self
    }
}

/// Turns a non-success HTTP answer into a `CheckoutError`. `body` may be a
/// JSON:API error document, another JSON value, HTML from a proxy, or empty.
pub fn from_error_response(status: u16, body: &str) -> CheckoutError {
    let mut errors = Vec::new();
    // A plain loop, as on the `.wasm`'s other paths: each `collect` of an adapter chain is its own
    // copy of Vec's from-iterator code (the README's build notes list the sites and what they saved).
    if let Some(list) = json::parse(body).ok().as_ref().and_then(|doc| doc.get("errors")).and_then(Json::as_array) {
        for entry in list {
            if let Some(e) = ApiErrorObject::from_json(entry) {
                errors.push(e);
            }
        }
    }
    let mut message = String::from("Commerce Layer answered ");
    push_number(&mut message, status);
    if let Some(first) = errors.first() {
        let code = first.code().unwrap_or("error");
        message.push_str(" (");
        message.push_str(code);
        message.push_str(")");
        if let Some(text) = first.detail().or(first.title()) {
            message.push_str(": ");
            message.push_str(crate::text::trim_final_dots(text));
        }
    } else if blank(body) {
        message.push_str(" with an empty body");
    } else {
        message.push_str(" with a body that is not a JSON:API error document");
    }
    message.push_str(". ");
    message.push_str(advice(status, errors.first().and_then(ApiErrorObject::code)));
    let mut e = CheckoutError::new(ErrorKind::Api, message).with_status(status);
    e.errors = errors;
    e
}

fn advice(status: u16, code: Option<&str>) -> &'static str {
    match (status, code) {
        (401, Some("INVALID_TOKEN")) => "The access token has expired: get a new one and try again.",
        (401, _) => "The access token was refused: check that it is valid for this organization and market.",
        (403, _) => "This token may not do that: use a sales-channel or customer token with access to the order.",
        (404, _) => "Check the id, and that the token's market and owner can see this resource.",
        (406, _) | (415, _) => "The request was not sent as JSON:API; this is a bug in the module, please report it.",
        (409, _) | (423, _) => "The resource changed or is locked: read it again before retrying.",
        (422, _) => "Fix what the errors array points at, then try again.",
        (429, _) => "Too many requests: wait a few seconds before trying again.",
        (500..=599, _) => "The service or a proxy in front of it failed: try again shortly.",
        _ => "See the errors array for details.",
    }
}

/// Turns a body that arrived with a success status into a JSON value, or a
/// `decode` error naming what was wrong with it.
pub fn parse_success_body(status: u16, body: &str) -> Result<Json, CheckoutError> {
    json::parse(body).map_err(|e| {
        let what = match e {
            _ if blank(body) => "was empty",
            ParseError::TooDeep => "nests deeper than any JSON:API document should",
            // One message for both: the browser's JSON.parse cannot tell them apart.
            ParseError::Truncated | ParseError::Invalid(_) => "is cut off or not JSON",
        };
        let mut message = String::from("The response body (HTTP ");
        push_number(&mut message, status);
        message.push_str(") ");
        message.push_str(what);
        message.push_str(". A proxy or the network may have changed it: try again.");
        CheckoutError::decode(message).with_status(status)
    })
}

/// Whether `text` is empty or only ASCII whitespace.
fn blank(text: &str) -> bool {
    crate::text::all_bytes(text, |b| b.is_ascii_whitespace())
}

const DIGITS: &str = "0123456789";

/// Appends a decimal number without pulling in the formatting machinery
/// (a digit as a one-byte `&str`: `String::push` of a `char` brings UTF-8 encoding).
pub fn push_number(out: &mut String, n: u16) {
    let mut place = 10_000u16;
    let mut started = false;
    while place > 0 {
        let digit = (n / place % 10) as u8;
        if digit != 0 || started || place == 1 {
            out.push_str(DIGITS.get(usize::from(digit)..usize::from(digit) + 1).unwrap_or("0"));
            started = true;
        }
        place /= 10;
    }
}

/// Hides anything shaped like a Stripe client secret (`pi_…_secret_…`).
/// Applied to every text that comes from the server into an error.
pub fn redact(text: &str) -> String {
    const MARK: &str = "_secret_";
    if crate::text::find(text, MARK).is_none() {
        return text.to_string();
    }
    // Bytes, not chars: a word is ASCII, and every byte of a multi-byte
    // character ends one, so the cuts fall on character boundaries.
    let not_word = |b: u8| !crate::text::is_word_byte(b);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = crate::text::find(rest, MARK) {
        let start = rest.as_bytes().get(..at).and_then(|head| crate::text::rfind_byte(head, not_word)).map_or(0, |i| i + 1);
        let after = &rest[at + MARK.len()..];
        let mut end = 0;
        while after.as_bytes().get(end).is_some_and(|&b| crate::text::is_word_byte(b)) {
            end += 1;
        }
        out.push_str(&rest[..start]);
        out.push_str("[redacted client_secret]");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_api_errors_are_kept_and_summarised() {
        let body = r#"{"errors":[{"title":"is invalid","detail":"quantity - must be less than or equal to 100","code":"VALIDATION_ERROR","status":"422","source":{"pointer":"/data/attributes/quantity"},"meta":{"error":"less_than_or_equal_to","count":10}}]}"#;
        let e = from_error_response(422, body);
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.status, Some(422));
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.errors[0].code(), Some("VALIDATION_ERROR"));
        assert_eq!(e.errors[0].status(), Some("422"));
        assert_eq!(e.errors[0].source().unwrap().get("pointer").unwrap().as_str(), Some("/data/attributes/quantity"));
        assert_eq!(e.errors[0].meta().unwrap().get("error").unwrap().as_str(), Some("less_than_or_equal_to"));
        assert_eq!(
            e.errors[0].as_json().to_json_string(),
            r#"{"code":"VALIDATION_ERROR","title":"is invalid","detail":"quantity - must be less than or equal to 100","status":"422","source":{"pointer":"/data/attributes/quantity"},"meta":{"error":"less_than_or_equal_to","count":10}}"#
        );
        // Missing members are null; a numeric status becomes a string.
        let sparse = from_error_response(500, r#"{"errors":[{"status":500,"source":"not an object"}]}"#);
        assert_eq!(
            sparse.errors[0].as_json().to_json_string(),
            r#"{"code":null,"title":null,"detail":null,"status":"500","source":null,"meta":null}"#
        );
        assert_eq!(
            e.message,
            "Commerce Layer answered 422 (VALIDATION_ERROR): quantity - must be less than or equal to 100. Fix what the errors array points at, then try again."
        );
    }

    #[test]
    fn each_status_gets_advice() {
        let cases = [
            (401, r#"{"errors":[{"code":"INVALID_TOKEN","title":"Invalid token","status":"401"}]}"#, "expired"),
            (401, r#"{"errors":[{"code":"UNAUTHORIZED","title":"Access denied","status":"401"}]}"#, "refused"),
            (404, r#"{"errors":[{"code":"RECORD_NOT_FOUND","title":"Not found","status":"404"}]}"#, "Check the id"),
            (429, r#"{"errors":[{"code":"TOO_MANY_REQUESTS","status":"429"}]}"#, "wait"),
            (500, r#"{"errors":[{"code":"INTERNAL_SERVER_ERROR","status":"500"}]}"#, "try again shortly"),
        ];
        for (status, body, hint) in cases {
            let e = from_error_response(status, body);
            assert!(e.message.contains(hint), "{status}: {}", e.message);
            assert_eq!(e.errors.len(), 1);
        }
    }

    #[test]
    fn non_json_error_bodies_still_give_a_clear_error() {
        let e = from_error_response(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        assert_eq!((e.kind, e.status, e.errors.len()), (ErrorKind::Api, Some(502), 0));
        assert_eq!(
            e.message,
            "Commerce Layer answered 502 with a body that is not a JSON:API error document. The service or a proxy in front of it failed: try again shortly."
        );
        assert!(from_error_response(503, "").message.contains("empty body"));
        // JSON, but not an errors document; malformed entries are skipped.
        assert!(from_error_response(500, r#"{"errors":"boom"}"#).errors.is_empty());
        assert_eq!(from_error_response(500, r#"{"errors":[1,{"code":"X"}]}"#).errors.len(), 1);
    }

    #[test]
    fn success_bodies_that_are_not_json_are_decode_errors() {
        let cut = parse_success_body(200, r#"{"data":{"id":"x","#).unwrap_err();
        assert_eq!((cut.kind, cut.status), (ErrorKind::Decode, Some(200)));
        assert!(cut.message.contains("cut off"), "{}", cut.message);
        assert!(parse_success_body(200, "<html>").unwrap_err().message.contains("not JSON"));
        assert!(parse_success_body(200, "  ").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn client_secrets_from_the_server_are_redacted() {
        let body = r#"{"errors":[{"code":"X","detail":"intent pi_123_secret_abcDEF failed; also xxxx_secret_yyyy."}]}"#;
        let e = from_error_response(422, body);
        assert!(!e.message.contains("_secret_"), "{}", e.message);
        assert_eq!(e.errors[0].detail(), Some("intent [redacted client_secret] failed; also [redacted client_secret]."));
        assert_eq!(redact("no secret here"), "no secret here");
    }

    #[test]
    fn the_access_token_is_scrubbed() {
        let token = "eyJhbGciOiJIUzI1NiJ9.payload.sig";
        let body = format!(r#"{{"errors":[{{"code":"UNAUTHORIZED","detail":"token {token} is bad"}}]}}"#);
        let e = from_error_response(401, &body).without_secret(token);
        assert!(!e.message.contains(token));
        assert!(!e.errors[0].detail().unwrap().contains(token));
    }

    #[test]
    fn secrets_planted_anywhere_in_errors_never_survive() {
        let token = "eyJhbGciOiJIUzI1NiJ9.payload.sig";
        let secret = "pi_3Abc_secret_Xyz123";
        let body = format!(
            r#"{{"errors":[{{"code":"X","detail":"{secret} and {token}","source":{{"pointer":"/data/{token}","deep":[{{"x":"{secret}"}}]}},
            "meta":{{"{secret}":"key","nested":{{"more":["{token}",{{"again":"{secret}"}}]}}}}}}]}}"#
        );
        let e = from_error_response(422, &body).without_secret(token);
        let everything = format!("{} {}", e.message, e.errors.iter().map(|x| x.as_json().to_json_string()).collect::<String>());
        assert!(!everything.contains(token) && !everything.contains("_secret_"), "{everything}");
        assert!(everything.contains("[redacted]") && everything.contains("[redacted client_secret]"));
    }

    #[test]
    fn numbers_are_written_without_fmt() {
        for n in [0u16, 7, 42, 404, 65535] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
