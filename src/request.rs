//! A request as data: method, path, query and body. The browser edge only
//! sends it; everything about its shape is decided (and tested) here.

use crate::validate::BaseUrl;

/// How long a request may take when the page sets no `timeoutMs` (the
/// `Checkout`'s, and `prefetchOrder`'s in `methods.js`, which a test holds to it).
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// The JSON:API media type, for `Accept` and `Content-Type`.
pub const JSON_API: &str = "application/vnd.api+json";

/// The HTTP methods the module uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Reads.
    Get,
    /// Creates.
    Post,
    /// Updates and triggers.
    Patch,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }

    /// Whether repeating the request after an unclear failure is harmless.
    pub fn is_idempotent(self) -> bool {
        self == Method::Get
    }
}

/// A request of the API, as data.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiRequest {
    /// The HTTP method.
    pub method: Method,
    /// Starts with `/api/`; built only from validated segments.
    pub path: String,
    /// The query string without its `?` (a fixed string of this crate, as
    /// Commerce Layer's docs write it; empty for none): one constant per
    /// request, no list to build in the `.wasm`.
    pub query: &'static str,
    /// The JSON:API document to send, if any.
    pub body: Option<String>,
}

impl ApiRequest {
    /// `/api/<segments joined by />`; the segments must be validated already.
    pub fn new(method: Method, segments: &[&str]) -> ApiRequest {
        let mut path = String::from("/api");
        for s in segments {
            path.push_str("/");
            path.push_str(s);
        }
        ApiRequest { method, path, query: "", body: None }
    }

    /// Sets the query string (without `?`).
    pub fn query(mut self, query: &'static str) -> ApiRequest {
        self.query = query;
        self
    }

    /// Sets the JSON:API document to send.
    pub fn body(mut self, body: String) -> ApiRequest {
        self.body = Some(body);
        self
    }

    /// The full URL. The query is a fixed string of this crate (`include`,
    /// `fields[orders]`, resource names), so it needs no escaping; brackets
    /// are sent as Commerce Layer's docs write them.
    pub fn url(&self, base: &BaseUrl) -> String {
        let mut url = String::from(base.as_str());
        url.push_str(&self.path);
        if !self.query.is_empty() {
            url.push_str("?");
            url.push_str(self.query);
        }
        url
    }

    /// Headers other than `Authorization`, as a JSON object's text (one
    /// constant, nothing built at run time); the edge's `send` adds the
    /// token in JavaScript, so it never sits in a value that could be logged.
    pub fn headers(&self) -> &'static str {
        if self.body.is_some() {
            r#"{"Accept":"application/vnd.api+json","Content-Type":"application/vnd.api+json"}"#
        } else {
            r#"{"Accept":"application/vnd.api+json"}"#
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_url_and_headers() {
        let base = BaseUrl::parse("https://shop.example").unwrap();
        let req = ApiRequest::new(Method::Get, &["orders", "abc"]).query("include=payment_method");
        assert_eq!(req.url(&base), "https://shop.example/api/orders/abc?include=payment_method");
        let accept = format!(r#"{{"Accept":"{JSON_API}"}}"#);
        assert_eq!(req.headers(), accept);
        let post = ApiRequest::new(Method::Post, &["stripe_payments"]).body("{}".into());
        assert_eq!(post.url(&base), "https://shop.example/api/stripe_payments");
        assert_eq!(post.headers(), format!(r#"{{"Accept":"{JSON_API}","Content-Type":"{JSON_API}"}}"#));
        assert!(!post.method.is_idempotent());
    }
}
