//! The API answers of Commerce Layer's documentation pages (docs.commercelayer.io how-tos), copied into tests/fixtures/.

pub const ORDER_WITH_STRIPE_METHOD: &str = include_str!("../tests/fixtures/order_with_stripe_method.json");
pub const STRIPE_PAYMENT_CREATED: &str = include_str!("../tests/fixtures/stripe_payment_created.json");
pub const ORDER_WITH_WALLET: &str = include_str!("../tests/fixtures/order_with_wallet.json");
pub const CUSTOMER_PAYMENT_SOURCE_CREATED: &str = include_str!("../tests/fixtures/customer_payment_source_created.json");
