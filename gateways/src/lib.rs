//! The one table of Commerce Layer's payment source types: each is declared
//! here, once, with what differs per gateway. The module (`cl-checkout`),
//! its TypeScript types (checked against this table by a test), the
//! sandbox and the tests all read it; a new type is one entry here.
#![no_std]
#![deny(missing_docs)]

/// One payment source type and what its gateway needs.
#[derive(Debug)]
pub struct Gateway {
    /// The JSON:API type, also its collection's path: `POST /api/<source_type>`.
    pub source_type: &'static str,
    /// The provider, as a shopper reads it. (The descriptive fields are left
    /// out of the WebAssembly build, which never reads them: bytes on phones.)
    #[cfg(not(target_arch = "wasm32"))]
    pub label: &'static str,
    /// Attributes the API requires when the source is created (the page passes them).
    pub required: &'static [&'static str],
    /// What the provider's browser library needs from the created source.
    #[cfg(not(target_arch = "wasm32"))]
    pub page_needs: &'static [&'static str],
    /// What the page sends back (attribute or trigger) to complete the payment before `_place`.
    #[cfg(not(target_arch = "wasm32"))]
    pub completes_with: &'static [&'static str],
}

/// Adyen: Adyen Web (Drop-in or Card).
pub static ADYEN: Gateway = Gateway {
    source_type: "adyen_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Adyen",
    required: &[],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["public_key", "payment_methods"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &["payment_request_data", "_authorize", "payment_request_details", "_details"],
};

/// Axerve (Fabrick): its hosted payment page.
pub static AXERVE: Gateway = Gateway {
    source_type: "axerve_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Axerve",
    required: &["return_url"],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["login"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &["payment_request_data", "_update"],
};

/// Braintree: braintree-web Hosted Fields and 3-D Secure.
pub static BRAINTREE: Gateway = Gateway {
    source_type: "braintree_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Braintree",
    required: &[],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["client_token"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &["payment_method_nonce"],
};

/// Checkout.com: card tokenized in the page, 3-D Secure by redirect.
pub static CHECKOUT_COM: Gateway = Gateway {
    source_type: "checkout_com_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Checkout.com",
    required: &["success_url", "failure_url"],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["public_key", "payment_session"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &["token", "_authorize", "_details"],
};

/// A gateway of the merchant's own, behind Commerce Layer's external gateway.
pub static EXTERNAL: Gateway = Gateway {
    source_type: "external_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "External gateway",
    required: &["payment_source_token"],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &[],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &[],
};

/// Klarna Payments.
pub static KLARNA: Gateway = Gateway {
    source_type: "klarna_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Klarna",
    required: &[],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["client_token", "payment_methods", "session_id"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &["auth_token"],
};

/// PayPal: approval by redirect.
pub static PAYPAL: Gateway = Gateway {
    source_type: "paypal_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "PayPal",
    required: &["return_url", "cancel_url"],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["approval_url"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &["paypal_payer_id"],
};

/// Satispay: approval in its app, by redirect.
pub static SATISPAY: Gateway = Gateway {
    source_type: "satispay_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Satispay",
    required: &[],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["payment_url"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &["_refresh"],
};

/// Stripe: the Payment Element and a PaymentIntent.
pub static STRIPE: Gateway = Gateway {
    source_type: "stripe_payments",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Credit card (Stripe)",
    required: &[],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &["client_secret", "publishable_key", "connected_account"],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &[],
};

/// A bank transfer: nothing to complete in the page.
pub static WIRE_TRANSFER: Gateway = Gateway {
    source_type: "wire_transfers",
    #[cfg(not(target_arch = "wasm32"))]
    label: "Wire transfer",
    required: &[],
    #[cfg(not(target_arch = "wasm32"))]
    page_needs: &[],
    #[cfg(not(target_arch = "wasm32"))]
    completes_with: &[],
};

/// Every payment source type of Commerce Layer's API, in the API's order.
pub static GATEWAYS: [&Gateway; 10] =
    [&ADYEN, &AXERVE, &BRAINTREE, &CHECKOUT_COM, &EXTERNAL, &KLARNA, &PAYPAL, &SATISPAY, &STRIPE, &WIRE_TRANSFER];

/// The gateway of `source_type`, if it is one of the ten.
#[allow(clippy::manual_find)]
pub fn find(source_type: &str) -> Option<&'static Gateway> {
    // A plain loop: `iter().find` is its own copy of the iterator code in the `.wasm`.
    for g in GATEWAYS {
        if g.source_type == source_type {
            return Some(g);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_distinct_types_found_by_name() {
        for (i, g) in GATEWAYS.iter().enumerate() {
            assert!(GATEWAYS.iter().skip(i + 1).all(|other| other.source_type != g.source_type));
            assert_eq!(find(g.source_type).map(|f| f.label), Some(g.label));
        }
        assert!(find("bitcoin_payments").is_none());
    }
}
