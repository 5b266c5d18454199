//! When a failed request is worth sending again, and after how long.
//! GETs only: a POST or PATCH that failed without an answer may have been
//! applied, so it is never repeated blindly (see `Checkout` for how a lost
//! create is recovered).

use crate::error::{CheckoutError, ErrorKind};

/// Attempts per request, the first included.
pub const MAX_ATTEMPTS: u32 = 3;
/// No single wait is longer, whatever the server asks.
const MAX_WAIT_MS: u32 = 10_000;
const BASE_WAIT_MS: u32 = 300;

/// What the answer's headers said about waiting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaitHints {
    /// `Retry-After`, in seconds.
    pub retry_after: Option<String>,
    /// `X-Ratelimit-Interval`, in seconds, when `X-Ratelimit-Remaining` is 0.
    pub ratelimit_interval: Option<String>,
}

/// The headers [`WaitHints::read`] reads, in its arguments' order (the edge
/// reads them from the Response).
pub const HINT_HEADERS: &str = "Retry-After,X-Ratelimit-Interval,X-Ratelimit-Remaining";

impl WaitHints {
    /// The hints of an answer's [`HINT_HEADERS`] (`None`: absent): the rate
    /// limit's interval counts only once no request remains.
    pub fn read(retry_after: Option<String>, interval: Option<String>, remaining: Option<String>) -> WaitHints {
        WaitHints { retry_after, ratelimit_interval: interval.filter(|_| remaining.as_deref() == Some("0")) }
    }
}

/// `Some(ms)` to wait before attempt number `attempt + 1` (attempts count
/// from 1), or `None` to give up and report `err`.
pub fn wait_before_retry(attempt: u32, err: &CheckoutError, hints: &WaitHints) -> Option<u32> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    let backoff = BASE_WAIT_MS << (attempt - 1);
    match (err.kind, err.status) {
        (ErrorKind::Network, _) => Some(backoff),
        (ErrorKind::Api, Some(429)) => {
            let asked = seconds(hints.retry_after.as_deref()).or(seconds(hints.ratelimit_interval.as_deref()));
            Some(asked.map_or(backoff, |s| s.saturating_mul(1000)).min(MAX_WAIT_MS))
        }
        (ErrorKind::Api, Some(500..=599)) => {
            Some(seconds(hints.retry_after.as_deref()).map_or(backoff, |s| s.saturating_mul(1000)).min(MAX_WAIT_MS))
        }
        _ => None,
    }
}

/// A header's whole seconds, as `u32::from_str` reads them once trimmed of
/// ASCII whitespace (without a sign: delta-seconds has none), in one loop
/// rather than core's integer parser and `trim_ascii` in the `.wasm`.
fn seconds(value: Option<&str>) -> Option<u32> {
    let (mut n, mut ended) = (None::<u32>, false);
    for &b in value?.as_bytes() {
        if b.is_ascii_digit() && !ended {
            n = Some(n.unwrap_or(0).checked_mul(10)?.checked_add(u32::from(b - b'0'))?);
        } else if b.is_ascii_whitespace() {
            ended = n.is_some();
        } else {
            return None;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16) -> CheckoutError {
        crate::error::from_error_response(status, "")
    }

    #[test]
    fn seconds_are_whole_unsigned_numbers_within_whitespace() {
        for (text, read) in [("2", Some(2)), (" 30\t", Some(30)), ("4294967295", Some(u32::MAX)), ("007", Some(7))] {
            assert_eq!(seconds(Some(text)), read, "{text:?}");
            assert_eq!(seconds(Some(text)), text.trim_ascii().parse().ok(), "{text:?}");
        }
        for text in ["", " ", "4294967296", "1 2", "+5", "-1", "1.5", "2s", "٣"] {
            assert_eq!(seconds(Some(text)), None, "{text:?}");
        }
        assert_eq!(seconds(None), None);
    }

    #[test]
    fn network_errors_and_server_errors_back_off() {
        let none = WaitHints::default();
        let net = CheckoutError::new(ErrorKind::Network, "x");
        assert_eq!(wait_before_retry(1, &net, &none), Some(300));
        assert_eq!(wait_before_retry(2, &net, &none), Some(600));
        assert_eq!(wait_before_retry(3, &net, &none), None);
        assert_eq!(wait_before_retry(1, &api(502), &none), Some(300));
        assert_eq!(wait_before_retry(1, &api(503), &WaitHints { retry_after: Some("2".into()), ..none.clone() }), Some(2000));
    }

    #[test]
    fn rate_limits_honour_the_headers_within_a_cap() {
        let e = api(429);
        assert_eq!(wait_before_retry(1, &e, &WaitHints { retry_after: Some("1".into()), ..Default::default() }), Some(1000));
        assert_eq!(
            wait_before_retry(1, &e, &WaitHints { ratelimit_interval: Some("3".into()), ..Default::default() }),
            Some(3000)
        );
        assert_eq!(wait_before_retry(1, &e, &WaitHints { retry_after: Some("3600".into()), ..Default::default() }), Some(10_000));
        assert_eq!(wait_before_retry(1, &e, &WaitHints { retry_after: Some("soon".into()), ..Default::default() }), Some(300));
    }

    #[test]
    fn the_rate_limit_interval_counts_once_nothing_remains() {
        let read = |remaining: &str| WaitHints::read(None, Some("30".into()), Some(remaining.into()));
        assert_eq!(read("0").ratelimit_interval.as_deref(), Some("30"));
        assert_eq!(read("12").ratelimit_interval, None);
        assert_eq!(
            WaitHints::read(Some("2".into()), Some("30".into()), None),
            WaitHints { retry_after: Some("2".into()), ratelimit_interval: None }
        );
        assert_eq!(HINT_HEADERS.split(',').count(), 3, "one name per argument of WaitHints::read");
    }

    #[test]
    fn other_failures_are_final() {
        let none = WaitHints::default();
        for e in [api(400), api(401), api(404), api(422), CheckoutError::new(ErrorKind::Timeout, "t"), CheckoutError::decode("d")]
        {
            assert_eq!(wait_before_retry(1, &e, &none), None, "{:?}", e.kind);
        }
    }
}
