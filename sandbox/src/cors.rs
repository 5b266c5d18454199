//! Who may call the sandbox from a browser. The API (`/api`, `/oauth`, the
//! Stripe emulation) grants CORS to the origins the sandbox was started with
//! (`--allow-origin`, default: any loopback origin), as a Commerce Layer
//! organization allows its storefront's origins. The control routes
//! (`/sandbox/*`) get no CORS grant and refuse a request that carries
//! another site's `Origin`: any web page the developer visits could
//! otherwise read the request log, reset the sandbox or arm faults.

use crate::http::{Request, Response};
use crate::store::Config;

/// Whether `origin` is `http(s)://` on a loopback host, any port.
pub fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else { return false };
    let host =
        if rest.starts_with('[') { rest.split_inclusive(']').next().unwrap_or("") } else { rest.split(':').next().unwrap_or("") };
    let port_ok = rest[host.len()..].strip_prefix(':').is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = host == "localhost" || host == "[::1]" || host.starts_with("127.") && host.split('.').count() == 4;
    host_ok && port_ok && !rest.contains('/')
}

/// Whether the request's `Origin` may read API answers.
pub fn origin_allowed(config: &Config, req: &Request) -> bool {
    req.header("Origin").is_some_and(|origin| origin_ok(config, origin))
}

/// Whether pages of `origin` are the storefront's (CORS, and the gateway
/// pages that post their result back to the page that opened them).
pub fn origin_ok(config: &Config, origin: &str) -> bool {
    if origin == config.base_url {
        return true;
    }
    if config.allowed_origins.is_empty() {
        is_loopback_origin(origin)
    } else {
        config.allowed_origins.iter().any(|o| o == origin)
    }
}

/// The CORS answer for an allowed origin (preflights included).
pub fn grant(req: &Request, resp: &mut Response) {
    let origin = req.header("Origin").unwrap_or_default().to_string();
    for (k, v) in [
        ("Access-Control-Allow-Origin", origin.as_str()),
        ("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS"),
        ("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type"),
        ("Access-Control-Expose-Headers", "X-Ratelimit-Limit, X-Ratelimit-Interval, X-Ratelimit-Remaining, Retry-After"),
        ("Access-Control-Max-Age", "600"),
        ("Vary", "Origin"),
        // Lets pages read sizes and timings of these cross-origin answers (benchmarks).
        ("Timing-Allow-Origin", origin.as_str()),
    ] {
        resp.headers.push((k.into(), v.into()));
    }
}

/// Control routes: scripts and tests (no `Origin`) and the sandbox's own
/// pages only; never another site, and never a cross-site browser request.
pub fn control_allowed(req: &Request, own_origin: &str) -> Result<(), &'static str> {
    if !req.peer.ip().is_loopback() {
        return Err("The sandbox's control routes answer loopback only.");
    }
    if req.header("Sec-Fetch-Site").is_some_and(|s| s.eq_ignore_ascii_case("cross-site")) {
        return Err("The sandbox's control routes refuse requests from other sites.");
    }
    match req.header("Origin") {
        None => Ok(()),
        Some(o) if o == own_origin => Ok(()),
        Some(_) => Err("The sandbox's control routes refuse requests from other sites' pages: call them from a script or test."),
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_origin;

    #[test]
    fn loopback_origins() {
        for ok in ["http://127.0.0.1:8080", "http://localhost:3000", "https://localhost", "http://[::1]:5173", "http://127.1.2.3"]
        {
            assert!(is_loopback_origin(ok), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example",
            "http://127.0.0.1:80/x",
            "null",
            "http://10.0.0.1",
            "http://127.0.0.1:",
        ] {
            assert!(!is_loopback_origin(bad), "{bad}");
        }
    }
}
