//! Every gateway's handoff but Stripe's, in one shape: the order's payment
//! source is looked up (the page may be a fresh load after a redirect), the
//! step the page brings is PATCHed onto it, the gateway's answer decides
//! (`crate::gateway::verdict`): place (once, then save to the wallet when
//! asked), hand an action or a redirect to the page, or wait.

use super::call::{Call, Step};
use super::settle::PlaceThenSave;
use super::{Action, Event, Finished, Flow};
use crate::api;
use crate::error::{CheckoutError, ErrorKind};
use crate::gateway::{self, GatewayStep, Verdict};
use crate::json::Json;

enum AuthorizeState {
    /// Reading the order: already placed? which source?
    Looking(Call),
    /// The step, PATCHed onto the payment source.
    Stepping(Call),
    /// Placing, then saving to the wallet when asked.
    Placing(PlaceThenSave),
}

/// `payWithGateway(orderId, step, { saveToWallet })` and `resumeGateway`.
pub struct Authorize {
    order_id: String,
    step: GatewayStep,
    save_to_wallet: bool,
    refreshable: bool,
    state: AuthorizeState,
}

/// What the page gets when the order is not placed (yet): `{ status, … }`
/// (the status says it all; there is no wallet to report).
fn outcome(status: &str, extra: Option<(&str, Json)>) -> Action {
    let mut value = Json::object([("status", Json::str(status)), ("order", Json::Null)]);
    if let Some((key, v)) = extra {
        value.insert(key, v);
    }
    Action::Done(Ok(Box::new(Finished::value(value))))
}

/// A `_place` refused because the gateway did not authorize (Braintree,
/// Klarna, Axerve authorize on `_place`): a decline, with the API's errors kept.
fn refused_payment(mut e: CheckoutError) -> CheckoutError {
    let about_payment = e.status == Some(422)
        && e.errors.iter().any(|x| {
            x.code() == Some("PAYMENT_NOT_AUTHORIZED")
                || x.source().and_then(|s| s.get("pointer")).and_then(Json::as_str) == Some("/data/relationships/payment_source")
        });
    if about_payment {
        e.kind = ErrorKind::Gateway;
        e.message = "The gateway did not authorize the payment: nothing was charged and the order is still open. Ask the shopper for another card or payment method, then try again.".into();
    }
    e
}

impl Authorize {
    /// Runs `step` for `order_id`'s payment source.
    pub fn new(order_id: &str, step: GatewayStep, save_to_wallet: bool, refreshable: bool) -> Result<Authorize, CheckoutError> {
        let look = Call::new(api::order_status_and_source_request(order_id)?, refreshable);
        Ok(Authorize { order_id: order_id.to_string(), step, save_to_wallet, refreshable, state: AuthorizeState::Looking(look) })
    }

    fn place(&mut self) -> Action {
        PlaceThenSave::begin(&self.order_id, self.save_to_wallet, self.refreshable, &mut self.state, AuthorizeState::Placing)
    }

    fn looked(&mut self, status: &str, source: Option<String>) -> Action {
        // Placed already (a second tab, the return page loaded twice): never a second step.
        if matches!(status, "placed" | "approved" | "placing") {
            return self.place();
        }
        let Some(source) = source else {
            let mut m = String::from("The order's payment source is not a ");
            m.push_str(self.step.source_type());
            m.push_str(": nothing was sent. Create it with createPaymentSource() before this step.");
            return Action::Done(Err(CheckoutError::invalid_input(m)));
        };
        let req = api::gateway_step_request(&self.step, &source);
        Call::begin(req, self.refreshable, &mut self.state, AuthorizeState::Stepping).unwrap_or_else(|e| Action::Done(Err(e)))
    }

    fn answered(&mut self, source: Json) -> Action {
        match gateway::verdict(&self.step, &source) {
            Ok(Verdict::Place) => self.place(),
            Ok(Verdict::Action(action)) => outcome("action", Some(("action", action))),
            Ok(Verdict::Redirect(url)) => outcome("redirect", Some(("url", Json::String(url)))),
            Ok(Verdict::Pending) => outcome("pending", None),
            Err(e) => Action::Done(Err(e)),
        }
    }
}

impl Flow for Authorize {
    fn start(&mut self) -> Action {
        match &mut self.state {
            AuthorizeState::Looking(call) | AuthorizeState::Stepping(call) => call.start(),
            AuthorizeState::Placing(place) => place.start(),
        }
    }

    fn handle(&mut self, event: Event) -> Action {
        match &mut self.state {
            AuthorizeState::Looking(call) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(answer) => {
                    match answer.and_then(|doc| api::decode_order_status_and_source(&doc, self.step.source_type())) {
                        Ok((status, source)) => self.looked(&status, source),
                        Err(e) => Action::Done(Err(e)),
                    }
                }
            },
            AuthorizeState::Stepping(call) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(answer) => match answer.and_then(|doc| doc.single(self.step.source_type())) {
                    Ok(source) => self.answered(source),
                    Err(e) => Action::Done(Err(e)),
                },
            },
            AuthorizeState::Placing(place) => match place.handle(event) {
                Action::Done(Ok(mut placed)) => {
                    placed.value = Json::object([("status", Json::str("placed")), ("order", placed.value)]);
                    Action::Done(Ok(placed))
                }
                Action::Done(Err(e)) => Action::Done(Err(refused_payment(e))),
                other => other,
            },
        }
    }
}
