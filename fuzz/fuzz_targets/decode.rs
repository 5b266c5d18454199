//! Any server answer: the parser and every decoder must return, never
//! panic, and what parses must write back to the same value.
#![no_main]

use cl_checkout::api;
use cl_checkout::json;
use cl_checkout::validate::SourceType;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&status, body)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(body);
    if let Ok(value) = json::parse(&text) {
        assert_eq!(json::parse(&value.to_json_string()).ok(), Some(value));
    }
    let status = if status % 2 == 0 { 200 } else { 400 + u16::from(status) };
    if let Ok(doc) = api::read(status, &text) {
        let _ = api::decode_payment_method(&doc);
        let _ = api::decode_payment_source(&doc, SourceType::STRIPE);
        let _ = api::decode_available_payment_methods(&doc);
        let _ = api::decode_wallet(&doc);
        let _ = api::decode_order(&doc);
        let _ = api::decode_order_payment_source(&doc, SourceType::parse("wire_transfers").unwrap_or(SourceType::STRIPE));
        let _ = api::decode_customer_payment_source(&doc);
    }
});
