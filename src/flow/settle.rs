//! The end of every payment: place the order once, then, when the shopper
//! asked, save its payment source to the wallet. Saving comes after placing
//! (a failure to save never leaves the order unplaced) and its failure is
//! reported beside the placed order, not instead of it.

use super::call::{Call, Step};
use super::{Action, Event, Finished, Flow, Paid, Place};
use crate::api;
use crate::error::CheckoutError;
use crate::json::Json;

enum SettleState {
    Placing(Place),
    /// Placed (the order and what was learned); saving to the wallet.
    Saving(Call, Box<Finished>),
}

/// [`Place`], then `_save_payment_source_to_customer_wallet` when asked.
/// Finishes with the placed order and [`Paid`] (its `wallet` set when saving was asked).
pub struct PlaceThenSave {
    order_id: String,
    save_to_wallet: bool,
    refreshable: bool,
    state: SettleState,
}

impl PlaceThenSave {
    /// Places `order_id`; saves its payment source afterwards when `save_to_wallet`.
    pub fn new(order_id: &str, save_to_wallet: bool, refreshable: bool) -> Result<PlaceThenSave, CheckoutError> {
        let state = SettleState::Placing(Place::new(order_id, refreshable)?);
        Ok(PlaceThenSave { order_id: order_id.to_string(), save_to_wallet, refreshable, state })
    }

    /// Moves a flow on to placing: its state becomes `wrap(flow)` and the
    /// first action is the place request (or the error, when the order id is unusable).
    pub fn begin<S>(
        order_id: &str,
        save_to_wallet: bool,
        refreshable: bool,
        state: &mut S,
        wrap: impl FnOnce(PlaceThenSave) -> S,
    ) -> Action {
        match PlaceThenSave::new(order_id, save_to_wallet, refreshable) {
            Ok(mut place) => {
                let first = place.start();
                *state = wrap(place);
                first
            }
            Err(e) => Action::Done(Err(e)),
        }
    }

    fn done(mut placed: Box<Finished>, wallet: Option<Result<Json, CheckoutError>>) -> Action {
        placed.paid = Some(Paid { intent: Default::default(), pending: false, wallet });
        Action::Done(Ok(placed))
    }
}

impl Flow for PlaceThenSave {
    fn start(&mut self) -> Action {
        match &mut self.state {
            SettleState::Placing(place) => place.start(),
            SettleState::Saving(call, _) => call.start(),
        }
    }

    fn handle(&mut self, event: Event) -> Action {
        match &mut self.state {
            SettleState::Placing(place) => match place.handle(event) {
                Action::Done(Ok(placed)) if self.save_to_wallet => match api::save_to_wallet_request(&self.order_id) {
                    // The placed order moves into the saving state (no copy); a request that cannot be built keeps it.
                    Ok(req) => Call::enter(req, self.refreshable, &mut self.state, |call| SettleState::Saving(call, placed)),
                    Err(e) => Self::done(placed, Some(Err(e))),
                },
                Action::Done(Ok(placed)) => Self::done(placed, None),
                other => other,
            },
            SettleState::Saving(call, placed) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(answer) => {
                    let wallet = answer.and_then(|doc| api::decode_wallet(&doc)).map(Json::Array);
                    Self::done(std::mem::take(placed), Some(wallet))
                }
            },
        }
    }
}
