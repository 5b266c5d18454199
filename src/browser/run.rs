//! The one executor. A flow's actions are performed here one JavaScript
//! Promise at a time: `Run::next` performs the next action and hands its
//! Promise to a few lines of JavaScript (`drive`), which awaits it and calls
//! back with how it settled. Rust holds no futures, so the `.wasm` carries no
//! async runtime and no compiled state machine per await point (measured in
//! the README's recipe table). It decides nothing; it remembers what the flow
//! learned.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::convert::{error_to_js, json_to_js};
use super::js::Promise;
use super::{http, stripe, AccessToken, Inner};
use crate::error::CheckoutError;
use crate::flow::{self, Action, Event, Finished, Flow};
use crate::request::ApiRequest;

// `drive` awaits once before the first step, so a method's Promise is
// returned (and remembered by the caller) before its flow can finish.
// A step returns a Promise to await, an `Error` (the CheckoutError the
// flow ended with) or the result; results are never either. `sleep` clamps
// to setTimeout's largest delay (a longer one would fire at once).
#[wasm_bindgen(
    inline_js = "export async function drive(next){for(let ok=!0,v;;){try{v=await v;ok=!0}catch(e){v=e;ok=!1}v=next(ok,v);if(v instanceof Error)throw v;if(!(v instanceof Promise))return v}}
export function sleep(ms){return new Promise(r=>setTimeout(r,Math.min(ms,2147483647)))}"
)]
extern "C" {
    fn drive(next: &JsValue) -> Promise;
    fn sleep(ms: u32) -> Promise;
}

/// What becomes of a finished flow's result.
pub(super) enum Finish {
    /// Its value, to JavaScript.
    Value,
    /// A Stripe outcome.
    Stripe,
    /// Another gateway's outcome.
    #[cfg(feature = "gateways")]
    Gateway,
}

/// What the Promise last handed to `drive` settles with.
enum Awaiting {
    /// Nothing: the flow has not started.
    Start,
    /// The access token function's value, for this request.
    Token(Box<ApiRequest>),
    /// The answer (`http::send`): status, body and wait hints.
    Response(Box<ApiRequest>),
    /// The end of a wait.
    Wait,
    /// What Stripe.js resolved with.
    Stripe,
}

struct Run {
    inner: Rc<Inner>,
    flow: Box<dyn Flow>,
    driver: Option<stripe::Driver>,
    finish: Finish,
    /// Every token sent, scrubbed from the errors.
    tokens: Vec<String>,
    awaiting: Awaiting,
}

/// Runs `flow` as a Promise that resolves with its value or rejects with a
/// `CheckoutError`: every method and the Stripe handoff share it.
pub(super) fn spawn(
    inner: Rc<Inner>,
    flow: Result<Box<dyn Flow>, CheckoutError>,
    driver: Option<stripe::Driver>,
    finish: Finish,
) -> Promise {
    let flow = flow.unwrap_or_else(|e| Box::new(Refused(Some(e))));
    let mut run = Run { inner, flow, driver, finish, tokens: Vec::new(), awaiting: Awaiting::Start };
    let next = Closure::<dyn FnMut(bool, JsValue) -> JsValue>::own_aborting(move |ok, value| run.next(ok, value));
    drive(&next.into_js_value())
}

/// A flow that could not be built: it ends at once with why.
struct Refused(Option<CheckoutError>);

impl Flow for Refused {
    fn start(&mut self) -> Action {
        Action::Done(Err(self.0.take().unwrap_or_else(flow::unexpected)))
    }

    fn handle(&mut self, _: Event) -> Action {
        self.start()
    }
}

impl Run {
    /// The Promise `drive` awaited settled (`ok`: fulfilled) with `value`:
    /// reads it, steps the flow, and returns what `drive` does next.
    fn next(&mut self, ok: bool, value: JsValue) -> JsValue {
        let event = match std::mem::replace(&mut self.awaiting, Awaiting::Start) {
            Awaiting::Start => None,
            Awaiting::Token(req) => match value.as_string() {
                Some(token) if ok && !token.is_empty() => match self.fetch(req, token) {
                    Ok(promise) => return promise,
                    Err(e) => Some(Event::Failed(e)),
                },
                _ if !ok => Some(Event::Failed(token_refused())),
                _ => Some(Event::Failed(CheckoutError::invalid_input(
                    "The accessToken function did not give a non-empty string: make it return (or resolve to) the token.",
                ))),
            },
            Awaiting::Response(_) if ok => Some(http::answer(&value).map_or_else(Event::Failed, Event::Answer)),
            Awaiting::Response(req) => Some(Event::Failed(http::failed_send(&value, &req))),
            Awaiting::Wait => Some(Event::Waited),
            Awaiting::Stripe if ok => Some(Event::Stripe(Box::new(stripe::read_result(&value)))),
            Awaiting::Stripe => Some(Event::Failed(stripe::rejected())),
        };
        let mut action = match event {
            None => self.flow.start(),
            Some(event) => self.flow.handle(event),
        };
        let inner = self.inner.clone();
        loop {
            let failed = match action {
                // Where AbortSignal.any is missing, fetch cannot see the caller's signal: check it here.
                Action::Send(req) if inner.aborted() => http::aborted(&req),
                Action::Send(req) => match &inner.token {
                    AccessToken::Fixed(token) => match self.fetch(req, token.clone()) {
                        Ok(promise) => return promise,
                        Err(e) => e,
                    },
                    AccessToken::Provider(f) => match f.call0(&JsValue::UNDEFINED) {
                        Ok(token) => return self.wait_for(Awaiting::Token(req), Promise::resolve(&token)),
                        Err(_) => token_refused(),
                    },
                },
                Action::Wait(ms) => return self.wait_for(Awaiting::Wait, sleep(ms)),
                Action::Stripe(call) => match self.driver.as_ref().map(|d| d.call(call)) {
                    Some(Ok(called)) => return self.wait_for(Awaiting::Stripe, Promise::resolve(&called)),
                    Some(Err(e)) => e,
                    None => flow::unexpected(),
                },
                Action::Done(result) => return self.finish(result),
            };
            action = self.flow.handle(Event::Failed(failed));
        }
    }

    fn wait_for(&mut self, what: Awaiting, promise: Promise) -> JsValue {
        self.awaiting = what;
        promise.into()
    }

    /// Sends `req` with `token`; the Promise of its Response.
    fn fetch(&mut self, req: Box<ApiRequest>, token: String) -> Result<JsValue, CheckoutError> {
        let inner = &self.inner;
        let sent = http::send(&inner.base, &req, &token, inner.timeout_ms, inner.signal.as_ref())?;
        if !self.tokens.contains(&token) {
            self.tokens.push(token);
        }
        Ok(self.wait_for(Awaiting::Response(req), sent))
    }

    /// The flow is over: scrubs every token sent from its errors, remembers
    /// what it learned, and gives `drive` the value or the error.
    fn finish(&mut self, result: Result<Box<Finished>, CheckoutError>) -> JsValue {
        let scrub = |mut e: CheckoutError| {
            for t in &self.tokens {
                e = e.without_secret(t);
            }
            e
        };
        let result = result.map_err(scrub).map(|mut finished| {
            if let Some(Some(Err(e))) = finished.paid.as_mut().map(|p| &mut p.wallet) {
                *e = scrub(std::mem::replace(e, flow::unexpected()));
            }
            finished
        });
        if let Ok(finished) = &result {
            self.inner.learn(&finished.facts);
        }
        let value = match std::mem::replace(&mut self.finish, Finish::Value) {
            Finish::Value => result.map(|f| json_to_js(&f.value)),
            Finish::Stripe => result.map(|f| stripe::outcome(*f)),
            #[cfg(feature = "gateways")]
            Finish::Gateway => result.map(|f| super::gateways::outcome(*f)),
        };
        value.unwrap_or_else(error_to_js)
    }
}

fn token_refused() -> CheckoutError {
    CheckoutError::invalid_input("The accessToken function threw or rejected: make it return a token string.")
}
