//! The API flows: one request and its decoder ([`Single`]), a payment source
//! created once even when its answer is lost ([`Create`]), and an order
//! placed once whatever the write answers ([`Place`]).

use super::call::{Call, Step};
use super::{unexpected, Action, Event, Fact, Finished, Flow};
use crate::api;
use crate::error::{CheckoutError, ErrorKind};
use crate::json::Json;
use crate::jsonapi::Document;
use crate::request::ApiRequest;
use crate::validate::SourceType;

/// Reads a settled request into the flow's result.
type Decode = fn(&Document, &str) -> Result<Finished, CheckoutError>;

/// One request (with retries and token refresh) and its decoder.
pub struct Single {
    call: Call,
    order_id: String,
    decode: Decode,
}

fn payment_method(doc: &Document, order_id: &str) -> Result<Finished, CheckoutError> {
    let mut found = match api::decode_payment_method(doc)? {
        Some(pm) => {
            Finished { value: pm.resource, facts: vec![Fact::SourceType(order_id.to_string(), pm.source_type)], paid: None }
        }
        None => Finished { value: Json::Null, facts: vec![Fact::NoPaymentMethod(order_id.to_string())], paid: None },
    };
    // What the order's payment source is now: a later lost create is told apart from it.
    if let Some(source) = api::decode_order_source(doc) {
        found.facts.push(Fact::OrderSource(order_id.to_string(), source));
    }
    Ok(found)
}

/// An order answer: remembers its source type and whose payment source it has.
fn order(doc: &Document, order_id: &str) -> Result<Finished, CheckoutError> {
    let (order, source_type) = api::decode_order(doc)?;
    let mut facts = Vec::new();
    if let Some(t) = source_type {
        facts.push(Fact::SourceType(order_id.to_string(), t));
    }
    match order.get("payment_source") {
        Some(Json::Null) => facts.push(Fact::OrderSource(order_id.to_string(), None)),
        Some(source) => source_facts(&mut facts, order_id, source),
        None => {}
    }
    Ok(Finished { value: order, facts, paid: None })
}

/// The order's payment source is `source`: whose source it is, and the order's source now.
fn source_facts(facts: &mut Vec<Fact>, order_id: &str, source: &Json) {
    if let Some(id) = source.get("id").and_then(Json::as_str) {
        facts.push(Fact::SourceOrder(id.to_string(), order_id.to_string()));
        facts.push(Fact::OrderSource(order_id.to_string(), Some(id.to_string())));
    }
}

fn list(items: Vec<Json>) -> Finished {
    Finished::value(Json::Array(items))
}

/// What a [`Single`]'s answer is read as.
#[derive(Clone, Copy, Debug)]
pub enum Reads {
    /// `paymentMethod`: the order's payment method (and what it tells of the source type).
    PaymentMethod,
    /// `order`, `selectPaymentMethod`, `useWalletSource`: the order.
    Order,
    /// `availablePaymentMethods`.
    PaymentMethods,
    /// `walletSources`, `saveToWallet`: the wallet.
    Wallet,
    /// `createCustomerPaymentSource`: the created source.
    CustomerPaymentSource,
}

impl Single {
    /// `req` (one of `api`'s builders), its answer read as `reads` says.
    pub fn new(req: ApiRequest, order_id: &str, refreshable: bool, reads: Reads) -> Single {
        let decode: Decode = match reads {
            Reads::PaymentMethod => payment_method,
            Reads::Order => order,
            Reads::PaymentMethods => |doc, _| api::decode_available_payment_methods(doc).map(list),
            Reads::Wallet => |doc, _| api::decode_wallet(doc).map(list),
            Reads::CustomerPaymentSource => |doc, _| api::decode_customer_payment_source(doc).map(Finished::value),
        };
        Single { call: Call::new(req, refreshable), order_id: order_id.to_string(), decode }
    }
}

impl Flow for Single {
    fn start(&mut self) -> Action {
        self.call.start()
    }

    fn handle(&mut self, event: Event) -> Action {
        match self.call.handle(event) {
            Step::Act(action) => action,
            Step::Answered(answer) => Action::Done(answer.and_then(|doc| (self.decode)(&doc, &self.order_id)).map(Box::new)),
        }
    }
}

enum CreateState {
    /// Reading the order's payment method to learn the source type.
    Method(Call),
    /// The POST.
    Post(Call, SourceType),
    /// The POST's answer was lost: does the order have the source now?
    Recover(Call, SourceType, CheckoutError),
}

/// `createPaymentSource`: one source per shopper click, even when the
/// create's answer is lost (the order is re-read instead of POSTing again).
/// The re-read is trusted only when the order's source before the POST is
/// known and differs: never an older source and its stale client secret.
pub struct Create {
    order_id: String,
    attributes: Json,
    refreshable: bool,
    /// The order's payment source before the POST: `None` if unknown.
    previous: Option<Option<String>>,
    state: CreateState,
}

impl Create {
    /// `known`: the order's source type when an earlier call learned it (no GET then);
    /// `previous`: the order's payment source as an earlier call saw it, if any did.
    pub fn new(
        order_id: &str,
        attributes: Json,
        known: Option<SourceType>,
        previous: Option<Option<String>>,
        refreshable: bool,
    ) -> Result<Create, CheckoutError> {
        crate::validate::id("order id", order_id)?;
        let state = match known {
            Some(t) => {
                CreateState::Post(Call::new(api::create_payment_source_request(t, order_id, attributes.clone())?, refreshable), t)
            }
            None => CreateState::Method(Call::new(api::payment_method_request(order_id)?, refreshable)),
        };
        Ok(Create { order_id: order_id.to_string(), attributes, refreshable, previous, state })
    }

    fn post(&mut self, source_type: SourceType) -> Action {
        let req =
            api::create_payment_source_request(source_type, &self.order_id, std::mem::replace(&mut self.attributes, Json::Null));
        Call::begin(req, self.refreshable, &mut self.state, |call| CreateState::Post(call, source_type))
            .unwrap_or_else(|e| Action::Done(Err(e)))
    }

    fn created(&self, source: Json, source_type: SourceType) -> Action {
        let mut facts = vec![Fact::SourceType(self.order_id.clone(), source_type)];
        source_facts(&mut facts, &self.order_id, &source);
        Action::Done(Ok(Box::new(Finished { value: source, facts, paid: None })))
    }
}

impl Create {
    /// Whether `source` is surely not the one the order had before the POST.
    fn is_new(&self, source: &Json) -> bool {
        let id = source.get("id").and_then(Json::as_str);
        matches!(&self.previous, Some(before) if before.as_deref() != id)
    }
}

impl Flow for Create {
    fn start(&mut self) -> Action {
        match &self.state {
            CreateState::Method(call) | CreateState::Post(call, _) | CreateState::Recover(call, _, _) => call.start(),
        }
    }

    fn handle(&mut self, event: Event) -> Action {
        match &mut self.state {
            CreateState::Method(call) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(Err(e)) => Action::Done(Err(e)),
                Step::Answered(Ok(doc)) => match api::decode_payment_method(&doc) {
                    Ok(Some(pm)) => {
                        self.previous = api::decode_order_source(&doc);
                        self.post(pm.source_type)
                    }
                    Ok(None) => Action::Done(Err(api::no_payment_method(&self.order_id))),
                    Err(e) => Action::Done(Err(e)),
                },
            },
            CreateState::Post(call, t) => {
                let source_type = *t;
                match call.handle(event) {
                    Step::Act(action) => action,
                    Step::Answered(Ok(doc)) => match api::decode_payment_source(&doc, source_type) {
                        Ok(source) => self.created(source, source_type),
                        Err(e) => Action::Done(Err(e)),
                    },
                    // No answer: the API may have made the source. Look before trying again.
                    Step::Answered(Err(e)) if matches!(e.kind, ErrorKind::Network | ErrorKind::Timeout) => {
                        match api::order_payment_source_request(&self.order_id) {
                            Ok(req) => Call::enter(req, self.refreshable, &mut self.state, |call| {
                                CreateState::Recover(call, source_type, e)
                            }),
                            Err(_) => Action::Done(Err(e)),
                        }
                    }
                    Step::Answered(Err(e)) => Action::Done(Err(e)),
                }
            }
            CreateState::Recover(call, t, lost) => {
                let source_type = *t;
                match call.handle(event) {
                    Step::Act(action) => action,
                    Step::Answered(answer) => {
                        // The flow ends here: the lost create's error moves out (no copy).
                        let lost = std::mem::replace(lost, unexpected());
                        match answer.and_then(|doc| api::decode_order_payment_source(&doc, source_type)) {
                            Ok(Some(source)) if self.is_new(&source) => self.created(source, source_type),
                            _ => Action::Done(Err(lost)),
                        }
                    }
                }
            }
        }
    }
}

enum PlaceState {
    Placing(Call),
    /// `_place` was refused: is the order placed already?
    Rereading(Call, CheckoutError),
    /// The order is `placing` (asynchronous placing): waiting to read it again.
    Waiting(Box<Finished>),
    /// Reading a `placing` order again.
    Polling(Call, Box<Finished>),
}

/// Waits between reads of a `placing` order: about 15 s in all, then the
/// order is returned as it is (`placing`: it will be placed, nothing to pay again).
const PLACING_WAITS_MS: [u32; 5] = [500, 1000, 2000, 4000, 8000];

/// `placeOrder`: an order already placed (another tab, a double submit) is
/// the result, never an error. A refusal of `_place` (401 for storefront
/// tokens on a placed order, 422 otherwise) re-reads the order; an order
/// answered `placing` (`place_async`) is read again until it is placed.
pub struct Place {
    order_id: String,
    refreshable: bool,
    polls: usize,
    state: PlaceState,
}

impl Place {
    /// Places `order_id`.
    pub fn new(order_id: &str, refreshable: bool) -> Result<Place, CheckoutError> {
        let call = Call::new(api::place_order_request(order_id)?, refreshable);
        Ok(Place { order_id: order_id.to_string(), refreshable, polls: 0, state: PlaceState::Placing(call) })
    }

    /// An order read after `_place`: done, or `placing` and worth another look.
    fn settled(&mut self, found: Finished) -> Action {
        let placing = found.value.get("status").and_then(Json::as_str) == Some("placing");
        let found = Box::new(found);
        match PLACING_WAITS_MS.get(self.polls) {
            Some(ms) if placing => {
                self.polls += 1;
                self.state = PlaceState::Waiting(found);
                Action::Wait(*ms)
            }
            _ => Action::Done(Ok(found)),
        }
    }
}

fn is_placed(order: &Json) -> bool {
    matches!(order.get("status").and_then(Json::as_str), Some("placed" | "approved" | "placing"))
}

impl Flow for Place {
    fn start(&mut self) -> Action {
        match &self.state {
            PlaceState::Placing(call) | PlaceState::Rereading(call, _) | PlaceState::Polling(call, _) => call.start(),
            PlaceState::Waiting(_) => Action::Done(Err(unexpected())),
        }
    }

    fn handle(&mut self, event: Event) -> Action {
        match &mut self.state {
            PlaceState::Placing(call) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(Ok(doc)) => match order(&doc, &self.order_id) {
                    Ok(found) => self.settled(found),
                    Err(e) => Action::Done(Err(e)),
                },
                // The refusal moves into the re-reading state (no copy).
                Step::Answered(Err(e)) if e.kind == ErrorKind::Api => match api::order_request(&self.order_id) {
                    Ok(req) => Call::enter(req, self.refreshable, &mut self.state, |call| PlaceState::Rereading(call, e)),
                    Err(_) => Action::Done(Err(e)),
                },
                Step::Answered(Err(e)) => Action::Done(Err(e)),
            },
            PlaceState::Rereading(call, refused) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(answer) => {
                    // The flow ends here unless the order is placed: the refusal moves out (no copy).
                    let refused = std::mem::replace(refused, unexpected());
                    match answer.and_then(|doc| order(&doc, &self.order_id)) {
                        Ok(found) if is_placed(&found.value) => self.settled(found),
                        _ => Action::Done(Err(refused)),
                    }
                }
            },
            PlaceState::Waiting(last) => match event {
                Event::Waited => {
                    let last = std::mem::take(last);
                    match api::order_request(&self.order_id) {
                        Ok(req) => Call::enter(req, self.refreshable, &mut self.state, |call| PlaceState::Polling(call, last)),
                        Err(_) => Action::Done(Ok(last)),
                    }
                }
                _ => Action::Done(Err(unexpected())),
            },
            PlaceState::Polling(call, last) => match call.handle(event) {
                Step::Act(action) => action,
                Step::Answered(Ok(doc)) => match order(&doc, &self.order_id) {
                    Ok(found) => self.settled(found),
                    Err(_) => Action::Done(Ok(std::mem::take(last))),
                },
                // The order is placing: a failed look is no reason to fail the shopper.
                Step::Answered(Err(_)) => Action::Done(Ok(std::mem::take(last))),
            },
        }
    }
}
