//! Every call of the public API as a pair: a request builder (validated input
//! → [`ApiRequest`]) and a decoder (HTTP status + body → typed result or
//! [`CheckoutError`]). No I/O here; the browser edge sends and receives.

use crate::error::{self, CheckoutError, ErrorKind};
use crate::gateway::GatewayStep;
use crate::json::Json;
use crate::jsonapi::{check_identity, Document};
use crate::request::{ApiRequest, Method};
use crate::validate::{self, SourceType};

const ORDERS: &str = "orders";
const PAYMENT_METHODS: &str = "payment_methods";
const CUSTOMER_PAYMENT_SOURCES: &str = "customer_payment_sources";

/// Reads any answer: an error status becomes an `api` error, a success body
/// must be a JSON:API document.
pub fn read(status: u16, body: &str) -> Result<Document, CheckoutError> {
    if !(200..300).contains(&status) {
        return Err(error::from_error_response(status, body));
    }
    Document::from_json(error::parse_success_body(status, body)?)
}

/// The order's payment method, with its source type already checked.
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentMethod {
    /// The type its payment sources have.
    pub source_type: SourceType,
    /// The payment method, flattened.
    pub resource: Json,
}

/// The first item of a to-one relationship's list (`truncate` + `pop`: no
/// `IntoIter` and its drop code in the `.wasm`).
fn first(mut list: Vec<Json>) -> Option<Json> {
    list.truncate(1);
    list.pop()
}

fn order_path(method: Method, order_id: &str) -> Result<ApiRequest, CheckoutError> {
    Ok(ApiRequest::new(method, &[ORDERS, validate::id("order id", order_id)?]))
}

/// A JSON:API request document as text: `{"data":{"type":…,"id":…,"attributes":…,"relationships":{…}}}`.
/// `attributes` is JSON text (an object); each relationship is (name, type, id). Written directly, not
/// built as a [`Json`] tree (-355 B raw, -77 B gzip in the `.wasm`): types and relationship names are the module's
/// own constants and ids have passed [`validate::id`] (letters, digits, `_`, `-`), so none needs escaping.
fn document(ty: &str, id: Option<&str>, attributes: Option<&str>, relationships: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(r#"{"data":{"type":""#);
    out.push_str(ty);
    if let Some(id) = id {
        out.push_str(r#"","id":""#);
        out.push_str(id);
    }
    out.push_str("\"");
    if let Some(attributes) = attributes {
        out.push_str(r#","attributes":"#);
        out.push_str(attributes);
    }
    let mut separator = r#","relationships":{""#;
    for (name, ty, id) in relationships {
        out.push_str(separator);
        separator = r#",""#;
        out.push_str(name);
        out.push_str(r#"":{"data":{"type":""#);
        out.push_str(ty);
        out.push_str(r#"","id":""#);
        out.push_str(id);
        out.push_str(r#""}}"#);
    }
    if !relationships.is_empty() {
        out.push_str("}");
    }
    out.push_str("}}");
    out
}

/// A PATCH of the order: `attributes` is JSON text.
/// A PATCH of the order: its path (the id checked), the include, and the document.
fn order_patch(
    order_id: &str,
    query: &'static str,
    attributes: Option<&str>,
    relationships: &[(&str, &str, &str)],
) -> Result<ApiRequest, CheckoutError> {
    let req = order_path(Method::Patch, order_id)?.query(query);
    Ok(req.body(document(ORDERS, Some(order_id), attributes, relationships)))
}

/// GET the order with nothing but what `query` includes (its sparse
/// fieldset keeps the order's own attributes out of the answer).
fn order_with_only(order_id: &str, query: &'static str) -> Result<ApiRequest, CheckoutError> {
    Ok(order_path(Method::Get, order_id)?.query(query))
}

/// GET the order's payment method (to learn its payment source type).
pub fn payment_method_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    // The payment source comes along (linkage needs the include) so a lost create can later be told apart
    // from a source the order already had; a fresh order has none, and a Stripe one is cut to one field.
    order_with_only(
        order_id,
        "include=payment_method,payment_source&fields[orders]=payment_method,payment_source&fields[stripe_payments]=mismatched_amounts",
    )
}

/// What the answer says of the order's payment source: `None` when it does
/// not say (the relationship was not asked for), `Some(None)` when it has none.
pub fn decode_order_source(doc: &Document) -> Option<Option<String>> {
    if !doc.has_linkage("payment_source") {
        return None;
    }
    let linked = doc.linkage("payment_source").ok()?;
    Some(linked.and_then(|pairs| pairs.first().map(|(_, id)| (*id).to_string())))
}

/// The order's payment method (`None` when it has none), its type checked.
pub fn decode_payment_method(doc: &Document) -> Result<Option<PaymentMethod>, CheckoutError> {
    check_identity(&doc.data, ORDERS)?;
    if !doc.has_linkage("payment_method") {
        return Err(CheckoutError::decode(
            "The order came back without its payment_method relationship although it was requested.",
        ));
    }
    let Some(resource) = first(doc.related("payment_method", PAYMENT_METHODS)?) else {
        return Ok(None);
    };
    let source_type = match resource.get("payment_source_type") {
        Some(Json::String(s)) => SourceType::parse(s)?,
        _ => return Err(CheckoutError::decode("The order's payment method has no payment_source_type.")),
    };
    Ok(Some(PaymentMethod { source_type, resource }))
}

/// The error for an order without a payment method; no POST is sent then.
pub fn no_payment_method(order_id: &str) -> CheckoutError {
    let mut m = String::from("Order ");
    m.push_str(order_id);
    m.push_str(" has no payment method yet: let the shopper choose one (selectPaymentMethod) before creating a payment source.");
    CheckoutError::new(ErrorKind::NoPaymentMethod, m)
}

/// POST `/api/<source_type>` with the order relationship. `attributes` must
/// be a JSON object (the gateway-specific fields, possibly empty).
pub fn create_payment_source_request(
    source_type: SourceType,
    order_id: &str,
    attributes: Json,
) -> Result<ApiRequest, CheckoutError> {
    let order_id = validate::id("order id", order_id)?;
    if !attributes.is_object() {
        return Err(CheckoutError::invalid_input("attributes must be a plain object (or left out)."));
    }
    let ty = source_type.as_str();
    let body = document(ty, None, Some(&attributes.to_json_string()), &[("order", ORDERS, order_id)]);
    Ok(ApiRequest::new(Method::Post, &[ty]).body(body))
}

/// The created payment source (a Stripe one must carry a client secret).
pub fn decode_payment_source(doc: &Document, source_type: SourceType) -> Result<Json, CheckoutError> {
    decode_payment_source_json(doc.single(source_type.as_str())?, source_type)
}

fn decode_payment_source_json(source: Json, source_type: SourceType) -> Result<Json, CheckoutError> {
    if source_type == SourceType::STRIPE {
        let secret_ok = source.get("client_secret").and_then(Json::as_str).is_some_and(|s| !s.is_empty());
        if !secret_ok {
            return Err(CheckoutError::decode(
                "The created stripe_payments has no client_secret: check the Stripe gateway of this market in Commerce Layer.",
            ));
        }
    }
    Ok(source)
}

const STRIPE_PAYMENTS: &str = "stripe_payments";

/// GET a Stripe payment source's `mismatched_amounts` only: whether the
/// order's total changed since its PaymentIntent's amount was set.
pub fn stripe_amounts_request(source_id: &str) -> Result<ApiRequest, CheckoutError> {
    let id = validate::id("payment source id", source_id)?;
    Ok(ApiRequest::new(Method::Get, &[STRIPE_PAYMENTS, id]).query("fields[stripe_payments]=mismatched_amounts"))
}

/// PATCH `_update: true`: the PaymentIntent takes the order's current total.
pub fn stripe_update_amount_request(source_id: &str) -> Result<ApiRequest, CheckoutError> {
    let id = validate::id("payment source id", source_id)?;
    let req = ApiRequest::new(Method::Patch, &[STRIPE_PAYMENTS, id]).query("fields[stripe_payments]=mismatched_amounts");
    Ok(req.body(document(STRIPE_PAYMENTS, Some(id), Some(r#"{"_update":true}"#), &[])))
}

/// GET the order's status and payment source: where a gateway step begins
/// (the page may have come back from the gateway on a fresh load).
pub fn order_status_and_source_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    order_with_only(order_id, "include=payment_source&fields[orders]=status,payment_source")
}

/// The order's status and the id of its payment source of `source_type`
/// (`None` when its source is of another type, or it has none).
pub fn decode_order_status_and_source(doc: &Document, source_type: &str) -> Result<(String, Option<String>), CheckoutError> {
    check_identity(&doc.data, ORDERS)?;
    let status = doc.data.get("attributes").and_then(|a| a.get("status")).and_then(Json::as_str).unwrap_or_default();
    let source = doc.linkage("payment_source")?.and_then(|l| l.into_iter().find(|(t, _)| *t == source_type));
    Ok((status.to_string(), source.map(|(_, id)| id.to_string())))
}

/// PATCH a gateway step's attributes (and trigger) onto the order's payment source.
pub fn gateway_step_request(step: &GatewayStep, source_id: &str) -> Result<ApiRequest, CheckoutError> {
    let id = validate::id("payment source id", source_id)?;
    let ty = step.source_type();
    Ok(ApiRequest::new(Method::Patch, &[ty, id]).body(document(ty, Some(id), Some(&step.attributes().to_json_string()), &[])))
}

/// GET the order's payment source with only its Stripe `stripe_id` (the
/// PaymentIntent's id), to check a return URL's intent against the order.
pub fn order_stripe_intent_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    order_with_only(order_id, "include=payment_source&fields[orders]=payment_source&fields[stripe_payments]=stripe_id")
}

/// The PaymentIntent id of the order's Stripe payment source, if it has one.
pub fn decode_order_stripe_intent(doc: &Document) -> Result<Option<String>, CheckoutError> {
    check_identity(&doc.data, ORDERS)?;
    let sources = doc.related("payment_source", STRIPE_PAYMENTS).unwrap_or_default();
    Ok(sources.first().and_then(|s| s.get("stripe_id")).and_then(Json::as_str).map(str::to_string))
}

/// Whether the answered Stripe payment source's amount no longer matches the order.
pub fn decode_mismatched_amounts(doc: &Document) -> Result<bool, CheckoutError> {
    let source = doc.single(STRIPE_PAYMENTS)?;
    Ok(matches!(source.get("mismatched_amounts"), Some(Json::Bool(true))))
}

/// After a create whose answer was lost (connection dropped, timeout), the
/// order tells whether the source was made: GET it with its payment source.
pub fn order_payment_source_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    order_with_only(order_id, "include=payment_source&fields[orders]=payment_source")
}

/// The order's payment source when it is of `source_type` (the one a lost
/// create made); `None` when the create never reached the API.
pub fn decode_order_payment_source(doc: &Document, source_type: SourceType) -> Result<Option<Json>, CheckoutError> {
    check_identity(&doc.data, ORDERS)?;
    let Some(source) = doc.related("payment_source", source_type.as_str()).ok().and_then(first) else {
        return Ok(None);
    };
    decode_payment_source_json(source, source_type).map(Some)
}

/// GET the payment methods the order may use.
pub fn available_payment_methods_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    order_with_only(order_id, "include=available_payment_methods&fields[orders]=available_payment_methods")
}

/// The payment methods the order may use.
pub fn decode_available_payment_methods(doc: &Document) -> Result<Vec<Json>, CheckoutError> {
    check_identity(&doc.data, ORDERS)?;
    doc.related("available_payment_methods", PAYMENT_METHODS)
}

/// PATCH the order's `payment_method` relationship; the answer includes the
/// payment method so its source type is known without another GET.
pub fn select_payment_method_request(order_id: &str, payment_method_id: &str) -> Result<ApiRequest, CheckoutError> {
    let pm = validate::id("payment method id", payment_method_id)?;
    order_patch(order_id, "include=payment_method", None, &[("payment_method", PAYMENT_METHODS, pm)])
}

/// An order answer: the flattened order, and its payment method's source
/// type when the payment method was included and is a known type.
pub fn decode_order(doc: &Document) -> Result<(Json, Option<SourceType>), CheckoutError> {
    let order = doc.single(ORDERS)?;
    let source_type = order
        .get("payment_method")
        .and_then(|pm| pm.get("payment_source_type"))
        .and_then(Json::as_str)
        .and_then(SourceType::known);
    Ok((order, source_type))
}

/// The order with what a checkout page shows: line items, payment method and source.
pub fn order_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    Ok(order_path(Method::Get, order_id)?.query("include=line_items,payment_method,payment_source"))
}

/// PATCH `_save_payment_source_to_customer_wallet`, answered with the wallet.
pub fn save_to_wallet_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    let attributes = r#"{"_save_payment_source_to_customer_wallet":true}"#;
    order_patch(order_id, "include=available_customer_payment_sources", Some(attributes), &[])
}

/// GET the customer's saved payment sources for the order.
pub fn wallet_sources_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    order_with_only(order_id, "include=available_customer_payment_sources&fields[orders]=available_customer_payment_sources")
}

/// The customer payment sources of a wallet answer.
pub fn decode_wallet(doc: &Document) -> Result<Vec<Json>, CheckoutError> {
    check_identity(&doc.data, ORDERS)?;
    doc.related("available_customer_payment_sources", CUSTOMER_PAYMENT_SOURCES)
}

/// The answer includes the order's new payment source (for Stripe, the one
/// to confirm), and nothing else.
pub fn use_wallet_source_request(order_id: &str, customer_payment_source_id: &str) -> Result<ApiRequest, CheckoutError> {
    let cps = validate::id("customer payment source id", customer_payment_source_id)?;
    let mut attributes = String::from(r#"{"_customer_payment_source_id":""#);
    attributes.push_str(cps);
    attributes.push_str(r#""}"#);
    order_patch(order_id, "include=payment_source", Some(&attributes), &[])
}

/// The answer is the order alone, as small as the API sends it.
pub fn place_order_request(order_id: &str) -> Result<ApiRequest, CheckoutError> {
    order_patch(order_id, "", Some(r#"{"_place":true}"#), &[])
}

/// What `createCustomerPaymentSource` says when its input is unusable.
const CUSTOMER_PAYMENT_SOURCE_NEEDS: &str =
    "createCustomerPaymentSource needs { customer_id, payment_source: { type, id } } or the gateway's payment_source_token (and customer_token).";

/// POST `/api/customer_payment_sources` from `createCustomerPaymentSource`'s
/// argument as the page gave it (read as JSON): `customer_id`, and either
/// `payment_source: { type, id }` (a payment source the API has) or the
/// gateway's `payment_source_token` (a card saved without an order); optional
/// `payment_method_id`, `customer_token`, `reference`, `reference_origin`,
/// `metadata`: every attribute and relationship the API lets a storefront create.
pub fn create_customer_payment_source_request(input: &Json) -> Result<ApiRequest, CheckoutError> {
    if !input.is_object() {
        return Err(CheckoutError::invalid_input(CUSTOMER_PAYMENT_SOURCE_NEEDS));
    }
    let customer = validate::id("customer_id", validate::string_member(input, "customer_id", "customer_id")?.unwrap_or(""))?;
    let mut relationships = vec![("customer", "customers", customer)];
    match input.get("payment_source") {
        None | Some(Json::Null) if validate::string_member(input, "payment_source_token", "payment_source_token")?.is_some() => {}
        Some(source) if source.is_object() => {
            let ty = validate::string_member(source, "type", "payment_source.type")?.unwrap_or("");
            let source_type = SourceType::known(ty).ok_or_else(|| {
                CheckoutError::invalid_input(
                    "payment_source.type must be a payment source type such as \"stripe_payments\" (the type of the source to save).",
                )
            })?;
            let id = validate::string_member(source, "id", "payment_source.id")?.unwrap_or("");
            relationships.push(("payment_source", source_type.as_str(), validate::id("payment_source.id", id)?));
        }
        _ => return Err(CheckoutError::invalid_input(CUSTOMER_PAYMENT_SOURCE_NEEDS)),
    }
    if let Some(pm) = validate::string_member(input, "payment_method_id", "payment_method_id")? {
        relationships.push(("payment_method", PAYMENT_METHODS, validate::id("payment_method_id", pm)?));
    }
    // Each key once, so pushed rather than inserted.
    let mut attributes = Vec::new();
    for key in ["customer_token", "payment_source_token", "reference", "reference_origin"] {
        if let Some(v) = validate::string_member(input, key, key)? {
            attributes.push((key.to_string(), Json::str(v)));
        }
    }
    match input.get("metadata") {
        None | Some(Json::Null) => {}
        Some(metadata) if metadata.is_object() => attributes.push(("metadata".to_string(), metadata.clone())),
        Some(_) => return Err(CheckoutError::invalid_input("metadata must be a plain object.")),
    }
    let attributes = Json::Object(attributes).to_json_string();
    let body = document(CUSTOMER_PAYMENT_SOURCES, None, Some(&attributes), &relationships);
    Ok(ApiRequest::new(Method::Post, &[CUSTOMER_PAYMENT_SOURCES]).body(body))
}

/// The created customer payment source.
pub fn decode_customer_payment_source(doc: &Document) -> Result<Json, CheckoutError> {
    doc.single(CUSTOMER_PAYMENT_SOURCES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::validate::BaseUrl;

    fn url(req: &ApiRequest) -> String {
        req.url(&BaseUrl::parse("https://shop.example").unwrap())
    }

    fn body(req: &ApiRequest) -> Json {
        parse(req.body.as_deref().unwrap()).unwrap()
    }

    /// `prefetchOrder` (src/browser/methods.js) sends this request before the
    /// `.wasm` is there; `send` uses its answer only if the core's request is
    /// the same, so a drift would silently lose the early read.
    #[test]
    fn the_early_read_of_methods_js_is_the_payment_method_request() {
        let req = payment_method_request("o1").unwrap();
        let full = url(&req);
        let query = full.strip_prefix("https://shop.example/api/orders/o1").unwrap();
        let js = include_str!("browser/methods.js");
        assert!(js.contains(&format!("const EARLY_READ = \"{query}\";")), "methods.js's EARLY_READ is not {query}");
        assert!(js.contains("`${origin}/api/orders/${orderId}${EARLY_READ}`"));
        assert_eq!(req.headers(), r#"{"Accept":"application/vnd.api+json"}"#);
        assert!(js.contains("{ Accept: \"application/vnd.api+json\", Authorization: `Bearer ${accessToken}` }"));
        // And it gives up when the Checkout would: the same default timeout.
        let default = crate::request::DEFAULT_TIMEOUT_MS;
        assert!(js.contains(&format!("timeoutMs || {default})")), "methods.js's default timeout is not {default}");
    }

    #[test]
    fn payment_method_is_one_sparse_get() {
        let req = payment_method_request("eqkykhjlVw").unwrap();
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            url(&req),
            "https://shop.example/api/orders/eqkykhjlVw?include=payment_method,payment_source&fields[orders]=payment_method,payment_source&fields[stripe_payments]=mismatched_amounts"
        );
        assert_eq!(req.body, None);
    }

    #[test]
    fn decodes_the_documented_payment_method_answer() {
        let doc = read(200, crate::fixtures::ORDER_WITH_STRIPE_METHOD).unwrap();
        let pm = decode_payment_method(&doc).unwrap().unwrap();
        assert_eq!(pm.source_type, SourceType::STRIPE);
        assert_eq!(pm.resource.get("id").unwrap().as_str(), Some("WmOodsVPmQ"));
        assert_eq!(pm.resource.get("name").unwrap().as_str(), Some("Stripe Payment"));
    }

    #[test]
    fn an_order_without_payment_method_decodes_to_none() {
        let doc = read(200, r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_method":{"data":null}}}}"#).unwrap();
        assert_eq!(decode_payment_method(&doc).unwrap(), None);
        assert_eq!(no_payment_method("o1").kind, ErrorKind::NoPaymentMethod);
        // The relationship must be answered, not silently missing.
        let missing =
            read(200, r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_method":{"links":{}}}}}"#).unwrap();
        assert_eq!(decode_payment_method(&missing).unwrap_err().kind, ErrorKind::Decode);
    }

    #[test]
    fn hostile_source_types_from_the_server_are_refused() {
        for ty in ["../orders", "stripe_payments?x=1", "bitcoin_payments"] {
            let text = format!(
                r#"{{"data":{{"id":"o1","type":"orders","relationships":{{"payment_method":{{"data":{{"type":"payment_methods","id":"p"}}}}}}}},
                "included":[{{"id":"p","type":"payment_methods","attributes":{{"payment_source_type":"{ty}"}}}}]}}"#
            );
            let e = decode_payment_method(&read(200, &text).unwrap()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::UnsupportedSourceType, "{ty}");
        }
        let no_type = r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_method":{"data":{"type":"payment_methods","id":"p"}}}},"included":[{"id":"p","type":"payment_methods","attributes":{"payment_source_type":7}}]}"#;
        assert_eq!(decode_payment_method(&read(200, no_type).unwrap()).unwrap_err().kind, ErrorKind::Decode);
    }

    #[test]
    fn creates_every_source_type_with_the_order_relationship() {
        for t in SourceType::all() {
            let attrs = parse(r#"{"return_url":"https://shop.example/done"}"#).unwrap();
            let req = create_payment_source_request(t, "eqkykhjlVw", attrs).unwrap();
            assert_eq!(req.method, Method::Post);
            assert_eq!(url(&req), format!("https://shop.example/api/{}", t.as_str()));
            let expected = format!(
                r#"{{"data":{{"type":"{}","attributes":{{"return_url":"https://shop.example/done"}},"relationships":{{"order":{{"data":{{"type":"orders","id":"eqkykhjlVw"}}}}}}}}}}"#,
                t.as_str()
            );
            assert_eq!(body(&req), parse(&expected).unwrap());
        }
        let bad =
            create_payment_source_request(SourceType::parse("wire_transfers").unwrap(), "o1", Json::Array(vec![])).unwrap_err();
        assert_eq!(bad.kind, ErrorKind::InvalidInput);
        assert!(
            create_payment_source_request(SourceType::parse("wire_transfers").unwrap(), "../x", Json::Object(vec![])).is_err()
        );
    }

    #[test]
    fn decodes_the_documented_stripe_source_and_requires_its_secret() {
        let doc = read(201, crate::fixtures::STRIPE_PAYMENT_CREATED).unwrap();
        let source = decode_payment_source(&doc, SourceType::STRIPE).unwrap();
        assert_eq!(source.get("client_secret").unwrap().as_str(), Some("xxxx_secret_yyyy"));
        assert_eq!(source.get("id").unwrap().as_str(), Some("eqRZMSaNqM"));
        // The answer must be the type that was asked for.
        assert_eq!(
            decode_payment_source(&doc, SourceType::parse("adyen_payments").unwrap()).unwrap_err().kind,
            ErrorKind::Decode
        );
        let no_secret =
            read(201, r#"{"data":{"id":"s1","type":"stripe_payments","attributes":{"client_secret":null}}}"#).unwrap();
        assert_eq!(decode_payment_source(&no_secret, SourceType::STRIPE).unwrap_err().kind, ErrorKind::Decode);
        let wire = read(201, r#"{"data":{"id":"w1","type":"wire_transfers","attributes":{}}}"#).unwrap();
        assert!(decode_payment_source(&wire, SourceType::parse("wire_transfers").unwrap()).is_ok());
    }

    #[test]
    fn a_lost_create_is_found_on_the_order() {
        let req = order_payment_source_request("o1").unwrap();
        assert_eq!(url(&req), "https://shop.example/api/orders/o1?include=payment_source&fields[orders]=payment_source");
        let made = read(
            200,
            r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_source":{"data":{"type":"stripe_payments","id":"s1"}}}},
            "included":[{"id":"s1","type":"stripe_payments","attributes":{"client_secret":"pi_1_secret_2"}}]}"#,
        )
        .unwrap();
        let found = decode_order_payment_source(&made, SourceType::STRIPE).unwrap().unwrap();
        assert_eq!(found.get("id").unwrap().as_str(), Some("s1"));
        // A source of another type (an older choice) is not the lost one.
        assert_eq!(decode_order_payment_source(&made, SourceType::parse("adyen_payments").unwrap()).unwrap(), None);
        let none = read(200, r#"{"data":{"id":"o1","type":"orders","relationships":{"payment_source":{"data":null}}}}"#).unwrap();
        assert_eq!(decode_order_payment_source(&none, SourceType::STRIPE).unwrap(), None);
    }

    #[test]
    fn wallet_requests_match_the_docs() {
        let save = save_to_wallet_request("qaMAhZkZvd").unwrap();
        assert_eq!(
            (save.method, url(&save).as_str()),
            (Method::Patch, "https://shop.example/api/orders/qaMAhZkZvd?include=available_customer_payment_sources")
        );
        assert_eq!(
            body(&save),
            parse(
                r#"{"data":{"type":"orders","id":"qaMAhZkZvd","attributes":{"_save_payment_source_to_customer_wallet":true}}}"#
            )
            .unwrap()
        );
        let reuse = use_wallet_source_request("qaMAhZkZvd", "QgDXpwsqDx").unwrap();
        assert_eq!(
            body(&reuse),
            parse(r#"{"data":{"type":"orders","id":"qaMAhZkZvd","attributes":{"_customer_payment_source_id":"QgDXpwsqDx"}}}"#)
                .unwrap()
        );
        assert!(use_wallet_source_request("qaMAhZkZvd", "Qg/../x").is_err());
        let list = wallet_sources_request("qaMAhZkZvd").unwrap();
        assert_eq!(
            url(&list),
            "https://shop.example/api/orders/qaMAhZkZvd?include=available_customer_payment_sources&fields[orders]=available_customer_payment_sources"
        );
    }

    #[test]
    fn decodes_the_documented_wallet() {
        let doc = read(200, crate::fixtures::ORDER_WITH_WALLET).unwrap();
        let wallet = decode_wallet(&doc).unwrap();
        assert_eq!(wallet.len(), 1);
        assert_eq!(wallet[0].get("name").unwrap().as_str(), Some("XXXX-XXXX-XXXX-1111"));
        assert_eq!(wallet[0].get("type").unwrap().as_str(), Some("customer_payment_sources"));
    }

    #[test]
    fn select_and_place_are_patches() {
        let select = select_payment_method_request("o1", "pm1").unwrap();
        assert_eq!(url(&select), "https://shop.example/api/orders/o1?include=payment_method");
        assert_eq!(
            body(&select),
            parse(r#"{"data":{"type":"orders","id":"o1","relationships":{"payment_method":{"data":{"type":"payment_methods","id":"pm1"}}}}}"#).unwrap()
        );
        let place = place_order_request("o1").unwrap();
        assert_eq!(body(&place), parse(r#"{"data":{"type":"orders","id":"o1","attributes":{"_place":true}}}"#).unwrap());
        let (order, ty) = decode_order(&read(200, crate::fixtures::ORDER_WITH_STRIPE_METHOD).unwrap()).unwrap();
        assert_eq!(ty, Some(SourceType::STRIPE));
        assert_eq!(order.get("id").unwrap().as_str(), Some("eqkykhjlVw"));
    }

    #[test]
    fn customer_payment_source_body_matches_the_docs() {
        let input = parse(
            r#"{"customer_id":"QWERtyUpBa","payment_source":{"type":"stripe_payments","id":"QWERtyUpBa"},
            "reference":"ANY-EXTERNAL-REFEFERNCE","metadata":{"foo":"bar"},"payment_method_id":null}"#,
        )
        .unwrap();
        let req = create_customer_payment_source_request(&input).unwrap();
        assert_eq!(url(&req), "https://shop.example/api/customer_payment_sources");
        assert_eq!(
            body(&req),
            parse(
                r#"{"data":{"type":"customer_payment_sources","attributes":{"reference":"ANY-EXTERNAL-REFEFERNCE","metadata":{"foo":"bar"}},
                "relationships":{"customer":{"data":{"type":"customers","id":"QWERtyUpBa"}},"payment_source":{"data":{"type":"stripe_payments","id":"QWERtyUpBa"}}}}}"#
            )
            .unwrap()
        );
        let with = |key: &str, value: Json| {
            let mut changed = input.clone();
            changed.insert(key, value);
            changed
        };
        let source = |ty: &str, id: Json| Json::object([("type", Json::str(ty)), ("id", id)]);
        for (broken, says) in [
            (with("customer_id", Json::str("")), "customer_id is empty"),
            (with("customer_id", Json::Number("7".into())), "customer_id must be a string"),
            (with("payment_source", source("../x", Json::str("a"))), "payment_source.type must be"),
            (with("payment_source", source("stripe_payments", Json::str("a b"))), "payment_source.id is not"),
            (with("payment_source", source("stripe_payments", Json::Bool(true))), "payment_source.id must be a string"),
            (with("payment_source", Json::Null), "needs { customer_id"),
            (with("payment_source", Json::str("stripe_payments")), "needs { customer_id"),
            (with("payment_method_id", Json::str("../pm")), "payment_method_id is not"),
            (with("reference", Json::Array(vec![])), "reference must be a string"),
            (with("metadata", Json::str("x")), "metadata must be a plain object"),
            (Json::str("x"), "needs { customer_id"),
        ] {
            let e = create_customer_payment_source_request(&broken).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidInput);
            assert!(e.message.contains(says), "{}", e.message);
        }
        // A card saved without an order: the gateway's tokens and the payment method.
        let tokens = parse(
            r#"{"customer_id":"QWERtyUpBa","payment_method_id":"WmOodsVPmQ","customer_token":"cus_xxxyyyzzz","payment_source_token":"pm_xxxyyyzzz"}"#,
        )
        .unwrap();
        assert_eq!(
            body(&create_customer_payment_source_request(&tokens).unwrap()),
            parse(
                r#"{"data":{"type":"customer_payment_sources","attributes":{"customer_token":"cus_xxxyyyzzz","payment_source_token":"pm_xxxyyyzzz"},
                "relationships":{"customer":{"data":{"type":"customers","id":"QWERtyUpBa"}},"payment_method":{"data":{"type":"payment_methods","id":"WmOodsVPmQ"}}}}}"#
            )
            .unwrap()
        );
        let created = read(201, crate::fixtures::CUSTOMER_PAYMENT_SOURCE_CREATED).unwrap();
        assert_eq!(
            decode_customer_payment_source(&created).unwrap().get("customer_token").unwrap().as_str(),
            Some("cus_xxxyyyzzz")
        );
    }

    #[test]
    fn error_statuses_and_broken_bodies_are_typed() {
        assert_eq!(read(404, r#"{"errors":[{"code":"RECORD_NOT_FOUND","status":"404"}]}"#).err().unwrap().kind, ErrorKind::Api);
        assert_eq!(read(200, r#"{"data":{"id":"o1""#).err().unwrap().kind, ErrorKind::Decode);
        assert_eq!(read(200, r#"{"errors":[]}"#).err().unwrap().kind, ErrorKind::Decode);
        assert_eq!(read(200, "[]").err().unwrap().kind, ErrorKind::Decode);
    }
}
