//! Every multi-step decision of the module, as sans-I/O state machines.
//!
//! A flow takes [`Event`]s (an HTTP answer, a failed request, a finished
//! wait, what Stripe.js answered) and emits [`Action`]s (send this request,
//! wait this long, call Stripe.js, done). The browser edge runs one small
//! executor that performs actions and reports events; it decides nothing.
//! Time is an input: a flow counts the waits it asked for, so every path is
//! tested natively, deterministically, without sleeps or sockets.

mod authorize;
mod call;
mod checkout;
mod pay;
mod settle;
#[cfg(test)]
mod sim;
#[cfg(test)]
mod tests;

pub use authorize::Authorize;
pub use call::Call;
pub use checkout::{Create, Place, Reads, Single};
pub use pay::{Pay, POLL_MS};
pub use settle::PlaceThenSave;

use crate::error::{CheckoutError, StripeDetails};
use crate::json::Json;
use crate::request::ApiRequest;
use crate::retry::WaitHints;
use crate::validate::SourceType;

/// An HTTP answer as the edge read it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
    /// What the headers said about waiting before a retry.
    pub hints: WaitHints,
}

/// What happened since the last action.
#[derive(Debug)]
pub enum Event {
    /// The request of [`Action::Send`] was answered.
    Answer(Box<Answer>),
    /// No usable answer: network, timeout, abort, no token, a Stripe.js throw.
    Failed(CheckoutError),
    /// The wait of [`Action::Wait`] is over.
    Waited,
    /// Stripe.js answered the call of [`Action::Stripe`] (boxed: the
    /// largest event, it would size every `Event` the flows pass along).
    Stripe(Box<StripeResult>),
}

/// What the edge should do next.
#[derive(Debug)]
pub enum Action {
    /// Send this request (with the current access token; a token function
    /// is called before each send, so a resend after an expired token
    /// carries a fresh one).
    Send(Box<ApiRequest>),
    /// Wait this many milliseconds, then report [`Event::Waited`].
    Wait(u32),
    /// Call Stripe.js, then report [`Event::Stripe`].
    Stripe(StripeCall),
    /// The flow is over.
    Done(Result<Box<Finished>, CheckoutError>),
}

/// The Stripe.js calls a flow may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StripeCall {
    /// `stripe.confirmPayment({ elements, confirmParams, redirect: "if_required" })`.
    Confirm,
    /// `stripe.retrievePaymentIntent(clientSecret)`.
    Retrieve,
}

/// A PaymentIntent as far as the flows need it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Intent {
    /// `pi_…`.
    pub id: String,
    /// Stripe's status, e.g. `requires_capture`.
    pub status: String,
    /// `last_payment_error.message`, when Stripe gave one.
    pub last_error: Option<String>,
}

impl Intent {
    /// A status from which the payment may still complete without the
    /// shopper: `processing`, or `requires_action` for methods paid later
    /// (vouchers, bank transfers). The page must not offer to pay again.
    pub fn may_complete(&self) -> bool {
        matches!(self.status.as_str(), "processing" | "requires_action")
    }
}

/// What a Stripe.js call resolved with: `{ error }` and/or `{ paymentIntent }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StripeResult {
    /// The error Stripe.js reported, if any.
    pub error: Option<StripeDetails>,
    /// The intent: `paymentIntent`, or the error's `payment_intent`.
    pub intent: Option<Intent>,
}

/// What a flow learned that the edge keeps for later calls.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    /// The order's payment method takes this source type.
    SourceType(String, SourceType),
    /// The order has no payment method (forget what was known).
    NoPaymentMethod(String),
    /// This payment source (id) belongs to this order.
    SourceOrder(String, String),
    /// The order's payment source as last seen (`None`: it had none), so a
    /// lost create is never answered with an older source.
    OrderSource(String, Option<String>),
}

/// A Stripe payment: paid (the order is placed), or pending.
#[derive(Clone, Debug, PartialEq)]
pub struct Paid {
    /// The PaymentIntent as last seen.
    pub intent: Intent,
    /// The payment may still complete but has not yet: the order is not
    /// placed, and the shopper must not be asked to pay again.
    pub pending: bool,
    /// The wallet after saving, or why saving failed (the order is placed either way).
    pub wallet: Option<Result<Json, CheckoutError>>,
}

/// A flow's result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Finished {
    /// The resource(s) to hand to JavaScript.
    pub value: Json,
    /// What to remember.
    pub facts: Vec<Fact>,
    /// Set by the Stripe flows.
    pub paid: Option<Paid>,
}

impl Finished {
    /// A plain result with nothing to remember.
    /// Out of line: inlined at its dozen callers it cost 40 B gzip.
    #[inline(never)]
    pub fn value(value: Json) -> Finished {
        Finished { value, facts: Vec::new(), paid: None }
    }
}

/// A state machine of the checkout. `start` gives the first action; each
/// event gives the next; [`Action::Done`] ends it.
pub trait Flow {
    /// The first action.
    fn start(&mut self) -> Action;
    /// The next action after `event`.
    fn handle(&mut self, event: Event) -> Action;
}

/// An event no state of this flow expects: a bug at the edge, reported as
/// an error rather than a panic.
pub(crate) fn unexpected() -> CheckoutError {
    CheckoutError::new(
        crate::error::ErrorKind::Decode,
        "cl-checkout met an event its flow did not expect (a bug: please report it).",
    )
}
