//! One request, seen through: GETs retried on network errors, 5xx and 429
//! (`crate::retry` decides how long to wait), an expired token asked for
//! again once when the page gave a token function. POSTs and PATCHes are
//! never repeated blindly.

use super::{unexpected, Action, Event};
use crate::api;
use crate::error::{CheckoutError, ErrorKind};
use crate::jsonapi::Document;
use crate::request::ApiRequest;
use crate::retry::{self, WaitHints};

/// The sub-machine every flow sends its requests through.
#[derive(Debug)]
pub struct Call {
    req: ApiRequest,
    attempt: u32,
    refreshed: bool,
    refreshable: bool,
}

/// A [`Call`]'s answer to an event: act, or the request's outcome.
pub enum Step {
    /// Perform this action and report back.
    Act(Action),
    /// The request is settled.
    Answered(Result<Document, CheckoutError>),
}

fn expired(e: &CheckoutError) -> bool {
    e.status == Some(401) && e.errors.first().and_then(|x| x.code()) == Some("INVALID_TOKEN")
}

impl Call {
    /// `refreshable`: the page gave a token function (a fixed token cannot be renewed).
    pub fn new(req: ApiRequest, refreshable: bool) -> Call {
        Call { req, attempt: 1, refreshed: false, refreshable }
    }

    /// Moves a flow on to `req`: its state becomes `wrap(call)` and the first
    /// action is the send. A request that cannot be built is the caller's to report.
    /// Inlined like `enter`: out of line, each flow's state type was its own copy (28 B gzip more).
    #[inline(always)]
    pub fn begin<S>(
        req: Result<ApiRequest, CheckoutError>,
        refreshable: bool,
        state: &mut S,
        wrap: impl FnOnce(Call) -> S,
    ) -> Result<Action, CheckoutError> {
        Ok(Call::enter(req?, refreshable, state, wrap))
    }

    /// [`Call::begin`] with a request already built (the caller keeps what it
    /// needs for a request that could not be). Inlined into each caller, as
    /// `begin`'s body was before it was split out (46 B gzip less in the `.wasm`).
    #[inline(always)]
    pub fn enter<S>(req: ApiRequest, refreshable: bool, state: &mut S, wrap: impl FnOnce(Call) -> S) -> Action {
        let call = Call::new(req, refreshable);
        let first = call.start();
        *state = wrap(call);
        first
    }

    /// Sends the request.
    pub fn start(&self) -> Action {
        Action::Send(Box::new(self.req.clone()))
    }

    /// Reads an answer, a failure or the end of a wait.
    pub fn handle(&mut self, event: Event) -> Step {
        let (err, hints) = match event {
            Event::Answer(a) => match api::read(a.status, &a.body) {
                Ok(doc) => return Step::Answered(Ok(doc)),
                Err(e) => (e, a.hints),
            },
            Event::Failed(e) => (e, WaitHints::default()),
            Event::Waited => return Step::Act(self.start()),
            Event::Stripe(_) => return Step::Answered(Err(unexpected())),
        };
        if expired(&err) && self.refreshable && !self.refreshed {
            self.refreshed = true;
            return Step::Act(self.start());
        }
        let wait = if self.req.method.is_idempotent() && err.kind != ErrorKind::Aborted {
            retry::wait_before_retry(self.attempt, &err, &hints)
        } else {
            None
        };
        match wait {
            Some(ms) => {
                self.attempt += 1;
                Step::Act(Action::Wait(ms))
            }
            None => Step::Answered(Err(err)),
        }
    }
}
