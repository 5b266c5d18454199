//! Checks on everything that ends up in a URL: the base URL from the caller,
//! ids from the caller, and the `payment_source_type` from the server.

use cl_gateways::{Gateway, GATEWAYS};

use crate::error::CheckoutError;
use crate::json::Json;
use crate::text::{all_bytes, is_word_byte};

/// The origin requests go to, e.g. `https://yourdomain.commercelayer.io`
/// (no trailing slash, no path).
#[derive(Clone, Debug, PartialEq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Accepts an origin: `https://host[:port]`, or `http://` for loopback
    /// hosts only. A trailing `/` is tolerated; paths, queries, fragments and
    /// credentials are refused, as is every other scheme.
    pub fn parse(input: &str) -> Result<BaseUrl, CheckoutError> {
        let refuse = |why: &str| {
            let mut m = String::from("baseUrl ");
            m.push_str(why);
            m.push_str(": pass the origin of your Commerce Layer organization, e.g. \"https://yourdomain.commercelayer.io\".");
            Err(CheckoutError::invalid_input(m))
        };
        let trimmed = input.strip_suffix("/").unwrap_or(input);
        let (secure, rest) = if let Some(rest) = strip_prefix_ignore_case(trimmed, "https://") {
            (true, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(trimmed, "http://") {
            (false, rest)
        } else if trimmed.is_empty() {
            return refuse("is missing");
        } else {
            return refuse("must start with https://");
        };
        let (host, port) = match crate::text::rfind_byte(rest.as_bytes(), |b| b == b':') {
            Some(i) if !rest.ends_with("]") => (&rest[..i], Some(&rest[i + 1..])),
            _ => (rest, None),
        };
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && (host == "[::1]" || all_bytes(host, |b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
        if !host_ok {
            return refuse("must be an origin only (scheme and host, no path, query or credentials)");
        }
        if let Some(port) = port {
            if port.is_empty() || port.len() > 5 || !all_bytes(port, |b| b.is_ascii_digit()) {
                return refuse("has an invalid port");
            }
        }
        let loopback = ["localhost", "127.0.0.1", "[::1]"].iter().any(|h| host.eq_ignore_ascii_case(h));
        if !secure && !loopback {
            return refuse("must use https:// (http:// is allowed only for localhost and 127.0.0.1)");
        }
        let mut origin = String::from(if secure { "https://" } else { "http://" });
        origin.push_str(&rest.to_ascii_lowercase());
        Ok(BaseUrl(origin))
    }

    /// The origin, e.g. `https://yourdomain.commercelayer.io`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub(crate) fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// Longest page URL accepted from the server.
const MAX_PAGE_URL: usize = 2048;

/// A URL from the server that the shopper's page will navigate to (a
/// gateway's approval, payment or 3-D Secure page): `https://` with a plain
/// host (or `http://` on loopback, as the sandbox serves), no credentials, no
/// spaces or control characters, at most 2,048 bytes. `None` otherwise:
/// `javascript:` and look-alike hosts never become a location.
///
/// ```
/// use cl_checkout::validate::page_url;
/// assert!(page_url("https://www.paypal.com/checkoutnow?token=EC-1").is_some());
/// assert!(page_url("javascript:alert(1)").is_none());
/// assert!(page_url("https://user@evil.example/").is_none());
/// ```
pub fn page_url(url: &str) -> Option<&str> {
    if url.len() > MAX_PAGE_URL || !all_bytes(url, |b| b > b' ' && b != 0x7f && b != b'\\') {
        return None;
    }
    let scheme_end = crate::text::find(url, "://")?;
    let after = url.get(scheme_end + 3..)?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let origin = url.get(..scheme_end + 3 + end)?;
    BaseUrl::parse(origin).ok().map(|_| url)
}

/// Longer ids are refused; Commerce Layer's are 10 characters.
const MAX_ID_LEN: usize = 64;

/// Checks a Commerce Layer id: 1–64 letters, digits, `_` or `-`.
/// `what` names the argument in the error ("order id", …).
pub fn id<'a>(what: &str, value: &'a str) -> Result<&'a str, CheckoutError> {
    let ok = !value.is_empty() && value.len() <= MAX_ID_LEN && all_bytes(value, |b| is_word_byte(b) || b == b'-');
    if ok {
        Ok(value)
    } else {
        let mut m = String::from("The ");
        m.push_str(what);
        m.push_str(if value.is_empty() {
            " is empty"
        } else {
            " is not a Commerce Layer id (1 to 64 letters, digits, '_' or '-')"
        });
        m.push_str(": pass the id exactly as the API returned it.");
        Err(CheckoutError::invalid_input(m))
    }
}

/// The member `key` of a JSON object the page gave, as text: `None` when it
/// is missing or `null`; an `invalid_input` error naming it as `what` when it
/// is not a string.
pub fn string_member<'a>(object: &'a Json, key: &str, what: &str) -> Result<Option<&'a str>, CheckoutError> {
    match object.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => {
            let mut m = String::from(what);
            m.push_str(" must be a string.");
            Err(CheckoutError::invalid_input(m))
        }
    }
}

/// One of the ten payment source types of Commerce Layer's API (the table
/// of `cl_gateways`, declared there once); each is also the path segment of
/// its collection (`POST /api/<type>`).
#[derive(Clone, Copy, Debug)]
pub struct SourceType(&'static Gateway);

impl PartialEq for SourceType {
    fn eq(&self, other: &SourceType) -> bool {
        self.0.source_type == other.0.source_type
    }
}

impl Eq for SourceType {}

impl SourceType {
    /// `stripe_payments`, the one type the module hands to Stripe.js.
    pub const STRIPE: SourceType = SourceType(&cl_gateways::STRIPE);

    /// Every type, in the API's order.
    pub fn all() -> impl Iterator<Item = SourceType> {
        GATEWAYS.iter().map(|g| SourceType(g))
    }

    /// The type's name, e.g. `stripe_payments`.
    pub fn as_str(self) -> &'static str {
        self.0.source_type
    }

    /// What differs for this type's gateway.
    pub fn gateway(self) -> &'static Gateway {
        self.0
    }

    /// The type named `value`, if it is one of the ten (no error built).
    pub fn known(value: &str) -> Option<SourceType> {
        cl_gateways::find(value).map(SourceType)
    }

    /// Reads a `payment_source_type` sent by the server. Anything that is not
    /// a plain snake_case word is refused before it can reach a URL, and so is
    /// a well-formed name that is not one of the ten types.
    ///
    /// ```
    /// use cl_checkout::validate::SourceType;
    /// assert_eq!(SourceType::parse("stripe_payments"), Ok(SourceType::STRIPE));
    /// assert!(SourceType::parse("../orders").is_err());
    /// ```
    pub fn parse(value: &str) -> Result<SourceType, CheckoutError> {
        if let Some(known) = SourceType::known(value) {
            return Ok(known);
        }
        // Lowercase words joined by single underscores (one pass over the bytes:
        // no string searcher in the `.wasm` for an error message).
        let mut prev = b'_';
        let mut plain = value.len() <= MAX_ID_LEN;
        for &b in value.as_bytes() {
            plain &= b.is_ascii_lowercase() || (b == b'_' && prev != b'_');
            prev = b;
        }
        plain &= prev != b'_';
        let mut m = String::from("The order's payment method has payment_source_type ");
        if plain {
            m.push_str("\"");
            m.push_str(value);
            m.push_str("\", which is not a Commerce Layer payment source type this module supports");
        } else {
            // Hostile text is not echoed: it could be long or shaped to mislead.
            m.push_str("that is not a plain resource name (refused, nothing was sent)");
        }
        m.push_str(". Choose another payment method, or upgrade cl-checkout if the API has added a type.");
        Err(CheckoutError::new(crate::error::ErrorKind::UnsupportedSourceType, m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn accepts_https_origins_and_loopback_http() {
        for (input, origin) in [
            ("https://yourdomain.commercelayer.io", "https://yourdomain.commercelayer.io"),
            ("https://YourDomain.commercelayer.io/", "https://yourdomain.commercelayer.io"),
            ("HTTPS://x.example:8443", "https://x.example:8443"),
            ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
            ("http://localhost:3000/", "http://localhost:3000"),
            ("http://[::1]:9000", "http://[::1]:9000"),
        ] {
            assert_eq!(BaseUrl::parse(input).unwrap().as_str(), origin, "{input}");
        }
    }

    #[test]
    fn refuses_other_schemes_paths_and_remote_http() {
        for input in [
            "",
            "yourdomain.commercelayer.io",
            "http://yourdomain.commercelayer.io",
            "http://127.0.0.2",
            "javascript:alert(1)",
            "ftp://x.example",
            "file:///etc/passwd",
            "https://x.example/api",
            "https://x.example?x=1",
            "https://x.example#f",
            "https://user:pw@x.example",
            "https://",
            "https://x.example:",
            "https://x.example:99999x",
            "https://x .example",
            "http://localhost.evil.example",
        ] {
            let e = BaseUrl::parse(input).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidInput, "{input}");
            assert!(e.message.starts_with("baseUrl "), "{input}: {}", e.message);
        }
    }

    #[test]
    fn ids_have_the_commerce_layer_shape() {
        assert_eq!(id("order id", "eqkykhjlVw"), Ok("eqkykhjlVw"));
        assert!(id("order id", "a_b-C9").is_ok());
        for bad in ["", "../orders", "a/b", "a?b", "a b", "é", &"x".repeat(65)] {
            let e = id("order id", bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidInput);
            assert!(e.message.starts_with("The order id"), "{}", e.message);
        }
    }

    #[test]
    fn the_typescript_union_is_the_gateway_table() {
        let dts = include_str!("browser/types.d.ts");
        let start = dts.find("export type PaymentSourceType =").unwrap();
        let union = &dts[start..start + dts[start..].find(';').unwrap()];
        let named: Vec<&str> = union.split('"').skip(1).step_by(2).collect();
        let table: Vec<&str> = SourceType::all().map(SourceType::as_str).collect();
        assert_eq!(named, table, "src/browser/types.d.ts PaymentSourceType must list the gateway table, in order");
    }

    #[test]
    fn every_known_source_type_round_trips() {
        for t in SourceType::all() {
            assert_eq!(SourceType::parse(t.as_str()), Ok(t));
        }
    }

    #[test]
    fn unknown_and_hostile_source_types_are_refused() {
        let unknown = SourceType::parse("bitcoin_payments").unwrap_err();
        assert_eq!(unknown.kind, ErrorKind::UnsupportedSourceType);
        assert!(unknown.message.contains("\"bitcoin_payments\""));
        for hostile in
            ["../orders", "stripe_payments?x=1", "stripe_payments/../../x", "Stripe_Payments", "", "_x", "x__y", "%2e%2e"]
        {
            let e = SourceType::parse(hostile).unwrap_err();
            assert_eq!(e.kind, ErrorKind::UnsupportedSourceType, "{hostile}");
            assert!(e.message.contains("not a plain resource name"), "{hostile}");
            assert!(hostile.is_empty() || !e.message.contains(hostile), "echoed {hostile}");
        }
    }
}
