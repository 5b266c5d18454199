//! Sends an [`ApiRequest`] with the global `fetch` (window, worker or Node)
//! and hands the status and body to the core.

use wasm_bindgen::prelude::*;

use super::js::{self, AbortSignal, Promise};

use crate::error::{CheckoutError, ErrorKind};
use crate::flow::Answer;
use crate::request::ApiRequest;
use crate::retry::{WaitHints, HINT_HEADERS};
use crate::validate::BaseUrl;

/// Bodies past this size are refused rather than parsed (no checkout
/// answer comes near it; a runaway proxy or attacker might).
const MAX_BODY_CHARS: f64 = 16.0 * 1024.0 * 1024.0;

// `fetch` with the caller's signal and the timeout combined:
// `AbortSignal.any([AbortSignal.timeout(ms), caller])` where the browser has
// both; without `any` (Safari before 17.4, Chrome before 116, Firefox before
// 124) the timeout alone, and the caller's abort is honoured between requests
// (`run::Run::next` checks it); never a call into a missing function. Where
// there is no `fetch` (server-side rendering) the call throws (`catch`): a
// clear error instead of a bare ReferenceError. The Promise resolves with
// `[status, text, ...the headers named in `hints`]`, the body read; it
// rejects with fetch's error when the request could not be sent, and with
// `[error]` when the answer was cut off while its body was read. The
// core's headers come as JSON text; the token's `Authorization` is added
// here, last (the module builds no header text holding the token).
// Each send first takes the slot of `prefetchOrder`'s early read
// (methods.js): its answer stands in for this request's only when it is
// the same request (URL and headers) and a GET started within 10 s; else
// the early read is aborted. The caller's signal stops it too.
#[wasm_bindgen(
    inline_js = "export function send(url,method,h,token,body,ms,caller,hints){const headers=JSON.parse(h),k=Symbol.for('cl-checkout.early'),e=globalThis[k];let early;headers.Authorization='Bearer '+token;if(e){delete globalThis[k];if(e.request==url+JSON.stringify(headers)&&method=='GET'&&Date.now()-e.at<1e4){early=e.answer;caller&&caller.addEventListener('abort',()=>e.abort.abort(),{once:!0})}else e.abort.abort()}const S=globalThis.AbortSignal,t=S&&S.timeout&&S.timeout(ms),signal=t&&caller&&S.any?S.any([t,caller]):t||caller;return(early||fetch(url,{method,headers,body,signal})).then(async r=>{try{return[r.status,await r.text(),...hints.split(',').map(n=>r.headers.get(n))]}catch(e){throw[e]}})}"
)]
extern "C" {
    #[wasm_bindgen(catch, js_name = send)]
    fn fetch_with(
        url: &str,
        method: &str,
        headers: &str,
        token: &str,
        body: Option<&str>,
        timeout_ms: u32,
        caller: Option<AbortSignal>,
        hints: &str,
    ) -> Result<Promise, JsValue>;
}

/// Starts sending the request: the Promise of its answer (see `send` above).
/// `signal` (the caller's) and the timeout both stop it, and reading its body.
pub fn send(
    base: &BaseUrl,
    req: &ApiRequest,
    token: &str,
    timeout_ms: u32,
    signal: Option<&AbortSignal>,
) -> Result<Promise, CheckoutError> {
    let (url, method) = (req.url(base), req.method.as_str());
    fetch_with(&url, method, req.headers(), token, req.body.as_deref(), timeout_ms, signal.cloned(), HINT_HEADERS)
        .map_err(|_| unavailable())
}

/// What `send`'s Promise resolved with, as the core's answer; a body past
/// the size limit is refused.
pub fn answer(sent: &JsValue) -> Result<Box<Answer>, CheckoutError> {
    let item = |i| js::get_index(sent, i);
    let text = item(1);
    // Measured in JavaScript, before the body is copied into the module's memory.
    if js::length_of(&text).unwrap_or(0.0) > MAX_BODY_CHARS {
        return Err(CheckoutError::decode("The response body is larger than 16 MiB; refused."));
    }
    let hints = WaitHints::read(item(2).as_string(), item(3).as_string(), item(4).as_string());
    Ok(Box::new(Answer {
        status: js::number_of(&item(0)).unwrap_or(0.0) as u16,
        body: text.as_string().unwrap_or_default(),
        hints,
    }))
}

/// Why `send`'s Promise rejected (`thrown`): not sent, or cut off while the body was read.
pub fn failed_send(thrown: &JsValue, req: &ApiRequest) -> CheckoutError {
    if js::kind(thrown) == js::Kind::Array {
        failed(&js::get_index(thrown, 0), req, "was cut off while its answer was read")
    } else {
        failed(thrown, req, "could not be sent")
    }
}

fn unavailable() -> CheckoutError {
    CheckoutError::new(
        ErrorKind::Network,
        "fetch is not available here (server-side rendering?): call cl-checkout in the browser.",
    )
}

/// The caller's `AbortSignal` stopped `req` before it was sent.
pub fn aborted(req: &ApiRequest) -> CheckoutError {
    report(req, "was not sent", ABORTED)
}

const ABORTED: (ErrorKind, &str) = (ErrorKind::Aborted, ": the caller's AbortSignal stopped it.");

/// Classifies a rejected fetch: the timeout signal, the caller's signal, or the network.
fn failed(e: &JsValue, req: &ApiRequest, what: &str) -> CheckoutError {
    let name = js::get(e, "name").as_string().unwrap_or_default();
    let cause = match name.as_str() {
        "TimeoutError" => (ErrorKind::Timeout, " in time (timeoutMs). The network is slow or the service is busy: try again."),
        "AbortError" => ABORTED,
        _ => (
            ErrorKind::Network,
            ": the network failed, the page is offline, or the server did not allow this origin (CORS). Check the connection and baseUrl, then try again.",
        ),
    };
    report(req, what, cause)
}

/// "The request METHOD /path <what><advice>", of the cause's kind.
fn report(req: &ApiRequest, what: &str, (kind, advice): (ErrorKind, &str)) -> CheckoutError {
    let mut m = String::from("The request ");
    m.push_str(req.method.as_str());
    m.push_str(" ");
    m.push_str(&req.path);
    m.push_str(" ");
    m.push_str(what);
    m.push_str(advice);
    CheckoutError::new(kind, m)
}
