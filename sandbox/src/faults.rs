//! The sandbox's faults, in one place: what a fault is, how a test arms it
//! (`POST /sandbox/faults`), which request it hits, and how it is delivered
//! (an answer instead of the handler's, or damage on the wire after it).
//! A new fault is a variant here, its parsing and its delivery.

use std::time::Duration;

use serde_json::Value;

use crate::api::{error, JSON_API};
use crate::http::{Delivery, Request, Response};
use crate::store::Store;

/// A fault armed for the next `remaining` matching requests.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: Option<String>,
    pub path_prefix: String,
    pub kind: Kind,
    pub remaining: u32,
}

#[derive(Clone, Debug)]
pub enum Kind {
    /// Answers normally, this many milliseconds late.
    Delay(u64),
    /// Answers `status` without running the request: a JSON:API error, an
    /// HTML page from a "proxy", or `body` verbatim.
    Status { status: u16, html: bool, retry_after: Option<u64>, body: Option<String> },
    /// Closes the connection without a byte of answer.
    Drop,
    /// Runs the request, then cuts the answer after its status line.
    DropAfter,
    /// Runs the request, then sends half of its body.
    Truncate,
}

/// What to do with a request a fault hit.
pub enum Plan {
    /// Answer this instead of running the request.
    Answer(Response),
    /// Run the request, then deliver its answer this way.
    Run(Delivery),
}

/// `{path, fault: delay|status|drop|drop_after|truncate, method?, status?, html?, body?, delay_ms?, retry_after?, times?}`.
pub fn parse(body: &Value) -> Option<Fault> {
    let path = body.get("path")?.as_str()?.to_string();
    let kind = match body.get("fault")?.as_str()? {
        "delay" => Kind::Delay(body.get("delay_ms").and_then(Value::as_u64).unwrap_or(1000)),
        "status" => Kind::Status {
            status: body.get("status").and_then(Value::as_u64).unwrap_or(502) as u16,
            html: body.get("html").and_then(Value::as_bool).unwrap_or(false),
            retry_after: body.get("retry_after").and_then(Value::as_u64),
            body: body.get("body").and_then(Value::as_str).map(str::to_string),
        },
        "drop" => Kind::Drop,
        "drop_after" => Kind::DropAfter,
        "truncate" => Kind::Truncate,
        _ => return None,
    };
    Some(Fault {
        method: body.get("method").and_then(Value::as_str).map(str::to_string),
        path_prefix: path,
        kind,
        remaining: body.get("times").and_then(Value::as_u64).unwrap_or(1) as u32,
    })
}

/// Takes one shot of the first armed fault matching `req`.
pub fn take(store: &mut Store, req: &Request) -> Option<Kind> {
    let fault = store.faults.iter_mut().find(|f| {
        f.remaining > 0
            && req.path.starts_with(&f.path_prefix)
            && f.method.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&req.method))
    })?;
    fault.remaining -= 1;
    let kind = fault.kind.clone();
    store.faults.retain(|f| f.remaining > 0);
    Some(kind)
}

/// How `kind` (if any) is delivered; a delay is served here, before the request runs.
pub fn plan(kind: Option<Kind>) -> Plan {
    match kind {
        None => Plan::Run(Delivery::Normal),
        Some(Kind::Delay(ms)) => {
            std::thread::sleep(Duration::from_millis(ms));
            Plan::Run(Delivery::Normal)
        }
        Some(Kind::Drop) => Plan::Answer(Response { fault: Delivery::Drop, ..Response::empty(200) }),
        Some(Kind::DropAfter) => Plan::Run(Delivery::CutAfterStatus),
        Some(Kind::Truncate) => Plan::Run(Delivery::Truncate),
        Some(Kind::Status { status, html, retry_after, body }) => {
            let mut resp = if let Some(body) = body {
                Response::new(status, JSON_API, body)
            } else if html {
                let page = format!(
                    "<html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1><hr>nginx</body></html>"
                );
                Response::new(status, "text/html", page)
            } else {
                error(status, "SANDBOX_FAULT", "Injected fault", "The sandbox was told to fail this request", None, None)
            };
            if let Some(secs) = retry_after {
                resp = resp.header("Retry-After", secs.to_string());
            }
            Plan::Answer(resp)
        }
    }
}
