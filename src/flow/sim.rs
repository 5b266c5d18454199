//! A simulated edge for the flows' tests: scripted answers, a trace of the
//! actions taken. No sockets, no sleeps: a wait is a line in the trace.

use super::{Action, Answer, Event, Finished, Flow, Intent, StripeCall, StripeResult};
use crate::error::{CheckoutError, ErrorKind, StripeDetails};
use crate::retry::WaitHints;

/// What the simulated edge answers, in order.
pub enum Reply {
    Http(u16, &'static str),
    /// An HTTP answer with `Retry-After`.
    Later(u16, &'static str),
    Fail(ErrorKind),
    Stripe(Option<&'static str>, &'static str),
}

pub fn answer(status: u16, body: &str) -> Event {
    Event::Answer(Box::new(Answer { status, body: body.to_string(), hints: WaitHints::default() }))
}

/// Runs `flow` to its end; returns the trace and the result. Panics (in
/// tests only) if the flow asks for more than the script holds.
pub fn run(flow: &mut dyn Flow, script: Vec<Reply>) -> (Vec<String>, Result<Finished, CheckoutError>) {
    let mut replies = script.into_iter();
    let mut trace = Vec::new();
    let mut action = flow.start();
    loop {
        let event = match action {
            Action::Done(result) => {
                assert!(replies.next().is_none(), "the flow ended before the script: {trace:?}");
                return (trace, result.map(|f| *f));
            }
            Action::Wait(ms) => {
                trace.push(format!("wait {ms}"));
                Event::Waited
            }
            Action::Send(req) => {
                let mut line = format!("{} {}", req.method.as_str(), req.path);
                if let Some(body) = &req.body {
                    for trigger in
                        ["_place", "_save_payment_source_to_customer_wallet", "_update", "_authorize", "_details", "_refresh"]
                    {
                        if body.contains(trigger) {
                            line.push(' ');
                            line.push_str(trigger);
                        }
                    }
                }
                trace.push(line);
                match replies.next().unwrap_or_else(|| panic!("no reply scripted after {trace:?}")) {
                    Reply::Http(status, body) => answer(status, body),
                    Reply::Later(status, body) => Event::Answer(Box::new(Answer {
                        status,
                        body: body.to_string(),
                        hints: WaitHints { retry_after: Some("2".into()), ratelimit_interval: None },
                    })),
                    Reply::Fail(kind) => Event::Failed(CheckoutError::new(kind, "no answer")),
                    Reply::Stripe(..) => panic!("a Stripe reply for a request: {trace:?}"),
                }
            }
            Action::Stripe(call) => {
                trace.push(if call == StripeCall::Confirm { "stripe confirm".into() } else { "stripe retrieve".into() });
                match replies.next().unwrap_or_else(|| panic!("no reply scripted after {trace:?}")) {
                    Reply::Stripe(error, status) => Event::Stripe(Box::new(StripeResult {
                        error: error.map(|code| StripeDetails {
                            error_type: Some("card_error".into()),
                            code: Some(code.into()),
                            ..StripeDetails::default()
                        }),
                        intent: Some(Intent { id: "pi_1".into(), status: status.into(), last_error: None }),
                    })),
                    Reply::Fail(kind) => Event::Failed(CheckoutError::new(kind, "Stripe.js threw")),
                    _ => panic!("an HTTP reply for a Stripe call: {trace:?}"),
                }
            }
        };
        action = flow.handle(event);
    }
}
