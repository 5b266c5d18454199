//! The Stripe handoff: confirm with Stripe.js (or, on the page a redirect
//! returns to, retrieve the intent), wait out `processing`, place the order
//! once, and save the card to the wallet when asked.

use super::call::{Call, Step};
use super::settle::PlaceThenSave;
use super::{unexpected, Action, Event, Finished, Flow, Intent, Paid, StripeCall, StripeResult};
use crate::api;
use crate::error::CheckoutError;
use crate::json::Json;
use crate::stripe::{intent_failed, next_step, stripe_error, Next};

/// How often a `processing` PaymentIntent is asked again.
pub const POLL_MS: u32 = 1000;

enum PayState {
    /// Before resuming: is the intent in the URL this order's?
    Verifying(Call, String),
    /// Before confirming: does the PaymentIntent's amount still match the order?
    Checking(Call),
    /// The order's total changed: re-syncing the PaymentIntent (`_update`).
    Updating(Call),
    /// Waiting for `confirmPayment` (or, when resuming, `retrievePaymentIntent`).
    Asking,
    /// A `processing` intent: waiting, then retrieving it again.
    Settling,
    /// Placing, then saving to the wallet when asked.
    Placing(PlaceThenSave),
    /// `_place` was refused because the total changed after the shopper
    /// authorized: re-syncing the PaymentIntent, then telling the page.
    Resyncing(Call, CheckoutError),
}

/// Whether the API refused `_place` because the payment's amount no longer matches the order.
/// Out of line: smaller (-18 B gzip).
#[inline(never)]
fn mismatched(e: &CheckoutError) -> bool {
    for x in &e.errors {
        if x.meta().and_then(|m| m.get("error")).and_then(Json::as_str) == Some("mismatched_amounts") {
            return true;
        }
    }
    false
}

/// The order's total changed between the authorization and `_place`: the
/// API's error, with what the page should do. Never a loop: the next
/// `confirm()` authorizes the re-synced amount.
fn amount_changed(mut e: CheckoutError) -> CheckoutError {
    e.message = "The order's total changed after the shopper authorized the payment; the payment now asks for the new total. Show the new total and call confirm() again.".into();
    e
}

/// Confirm → settle → place → (save), or resume → settle → place.
pub struct Pay {
    order_id: String,
    source_id: String,
    refreshable: bool,
    save_to_wallet: bool,
    processing_limit_ms: u32,
    waited_ms: u32,
    /// Resuming after a redirect: never confirm, and any Stripe error is final.
    resuming: bool,
    intent: Intent,
    state: PayState,
}

impl Pay {
    /// `payment.confirm(...)`: the PaymentIntent's amount is checked (and
    /// re-synced) against the order, so the shopper authorizes the right
    /// amount; Stripe.js confirms; the order is placed.
    pub fn confirm(
        order_id: &str,
        source_id: &str,
        save_to_wallet: bool,
        processing_limit_ms: u32,
        refreshable: bool,
    ) -> Result<Pay, CheckoutError> {
        let check = Call::new(api::stripe_amounts_request(source_id)?, refreshable);
        Ok(Pay {
            source_id: source_id.to_string(),
            state: PayState::Checking(check),
            ..Pay::new(order_id, save_to_wallet, processing_limit_ms, refreshable)
        })
    }

    fn new(order_id: &str, save_to_wallet: bool, processing_limit_ms: u32, refreshable: bool) -> Pay {
        Pay {
            source_id: String::new(),
            order_id: order_id.to_string(),
            refreshable,
            save_to_wallet,
            processing_limit_ms,
            waited_ms: 0,
            resuming: false,
            intent: Intent::default(),
            state: PayState::Asking,
        }
    }

    /// `resumeStripe`: the intent named in the return URL (`intent_id`) must
    /// be the order's payment source's; it is retrieved, never confirmed.
    pub fn resume(order_id: &str, intent_id: &str, processing_limit_ms: u32, refreshable: bool) -> Result<Pay, CheckoutError> {
        let verify = Call::new(api::order_stripe_intent_request(order_id)?, refreshable);
        let state = PayState::Verifying(verify, intent_id.to_string());
        Ok(Pay { resuming: true, state, ..Pay::new(order_id, false, processing_limit_ms, refreshable) })
    }

    /// After the amounts check: re-sync, or confirm.
    fn checked(&mut self, mismatched: bool) -> Action {
        if !mismatched {
            self.state = PayState::Asking;
            return Action::Stripe(StripeCall::Confirm);
        }
        let req = api::stripe_update_amount_request(&self.source_id);
        Call::begin(req, self.refreshable, &mut self.state, PayState::Updating).unwrap_or_else(|e| Action::Done(Err(e)))
    }

    /// What Stripe.js answered: decline, paid, or still processing.
    fn stripe(&mut self, result: StripeResult) -> Action {
        let intent = result.intent.unwrap_or_default();
        if let Some(details) = result.error {
            // A double submit reports an error for an intent that is already paid.
            let paid = !self.resuming && matches!(self.state, PayState::Asking) && next_step(&intent.status) == Next::Place;
            if !paid {
                return Action::Done(Err(stripe_error(details)));
            }
        }
        self.intent = intent;
        match next_step(&self.intent.status) {
            Next::Place => {
                PlaceThenSave::begin(&self.order_id, self.save_to_wallet, self.refreshable, &mut self.state, PayState::Placing)
            }
            Next::Wait if self.waited_ms < self.processing_limit_ms => {
                self.waited_ms = self.waited_ms.saturating_add(POLL_MS);
                self.state = PayState::Settling;
                Action::Wait(POLL_MS)
            }
            _ if self.intent.may_complete() => self.pending(),
            _ => {
                let status = if self.intent.status.is_empty() { "unknown" } else { &self.intent.status };
                Action::Done(Err(intent_failed(status, self.intent.last_error.as_deref())))
            }
        }
    }

    /// The payment may still complete (still `processing` at the limit, a
    /// voucher to pay, a failed look at a `processing` intent): resolve as
    /// pending, never as "pay again".
    fn pending(&mut self) -> Action {
        let paid = Paid { intent: std::mem::take(&mut self.intent), pending: true, wallet: None };
        Action::Done(Ok(Box::new(Finished { value: Json::Null, facts: Vec::new(), paid: Some(paid) })))
    }
}

impl Flow for Pay {
    fn start(&mut self) -> Action {
        match &self.state {
            PayState::Checking(call) | PayState::Verifying(call, _) => call.start(),
            _ => Action::Stripe(StripeCall::Retrieve),
        }
    }

    fn handle(&mut self, event: Event) -> Action {
        match (&mut self.state, event) {
            (PayState::Verifying(call, intent), event) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(answer) => match answer.and_then(|doc| api::decode_order_stripe_intent(&doc)) {
                    Ok(Some(id)) if id == *intent => {
                        self.state = PayState::Asking;
                        Action::Stripe(StripeCall::Retrieve)
                    }
                    Ok(_) => Action::Done(Err(CheckoutError::invalid_input(
                        "The page URL's payment is not this order's: nothing was placed.",
                    ))),
                    Err(e) => Action::Done(Err(e)),
                },
            },
            (PayState::Checking(call), event) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(answer) => match answer.and_then(|doc| api::decode_mismatched_amounts(&doc)) {
                    Ok(mismatched) => self.checked(mismatched),
                    Err(e) => Action::Done(Err(e)),
                },
            },
            (PayState::Updating(call), event) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(Ok(_)) => self.checked(false),
                Step::Answered(Err(e)) => Action::Done(Err(e)),
            },
            // A failed look at a `processing` intent is no decline: it may still complete.
            (PayState::Settling, Event::Failed(_)) => self.pending(),
            (PayState::Settling, Event::Stripe(result)) if result.error.is_some() => self.pending(),
            (PayState::Asking | PayState::Settling, Event::Stripe(result)) => self.stripe(*result),
            (PayState::Settling, Event::Waited) => Action::Stripe(StripeCall::Retrieve),
            (PayState::Asking, Event::Failed(e)) => Action::Done(Err(e)),
            (PayState::Placing(place), event) => match place.handle(event) {
                Action::Done(Ok(mut placed)) => {
                    if let Some(paid) = placed.paid.as_mut() {
                        paid.intent = std::mem::take(&mut self.intent);
                    }
                    Action::Done(Ok(placed))
                }
                // The refusal moves into the re-syncing state (no copy).
                Action::Done(Err(e)) if mismatched(&e) && !self.resuming => {
                    match api::stripe_update_amount_request(&self.source_id) {
                        Ok(req) => Call::enter(req, self.refreshable, &mut self.state, |call| PayState::Resyncing(call, e)),
                        Err(_) => Action::Done(Err(amount_changed(e))),
                    }
                }
                other => other,
            },
            (PayState::Resyncing(call, refused), event) => match call.handle(event) {
                Step::Act(action) => action,
                // The flow ends: the refusal moves out (no copy).
                Step::Answered(_) => Action::Done(Err(amount_changed(std::mem::replace(refused, unexpected())))),
            },
            _ => Action::Done(Err(unexpected())),
        }
    }
}
