//! All state, in memory, behind one `Mutex` held by the server: resources
//! (JSON:API shaped), tokens, Stripe PaymentIntents, faults and the request log.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cl_gateways::GATEWAYS;
use serde_json::{json, Map, Value};

pub type Key = (String, String); // (type, id)

#[derive(Clone, Debug)]
pub enum Rel {
    One(Option<Key>),
    Many(Vec<Key>),
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub ty: String,
    pub id: String,
    /// What the API shows: only fields of the published schema (see `render`).
    pub attributes: Map<String, Value>,
    pub relationships: Vec<(String, Rel)>,
    /// The sandbox's own bookkeeping (amounts a gateway authorized, a save
    /// waiting for authorization, …): never rendered.
    pub internal: Map<String, Value>,
}

impl Resource {
    pub fn key(&self) -> Key {
        (self.ty.clone(), self.id.clone())
    }

    pub fn rel_one(&self, name: &str) -> Option<&Key> {
        self.relationships.iter().find(|(n, _)| n == name).and_then(|(_, r)| match r {
            Rel::One(k) => k.as_ref(),
            Rel::Many(_) => None,
        })
    }

    pub fn set_rel(&mut self, name: &str, rel: Rel) {
        match self.relationships.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = rel,
            None => self.relationships.push((name.to_string(), rel)),
        }
    }

    pub fn str_attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).and_then(Value::as_str)
    }

    pub fn int_attr(&self, name: &str) -> i64 {
        self.attributes.get(name).and_then(Value::as_i64).unwrap_or(0)
    }
}

pub struct TokenInfo {
    pub customer: Option<String>,
    /// The market of the token's scope: orders of other markets are invisible to it.
    pub market: String,
    pub expires_at: Instant,
}

#[derive(Clone, Debug)]
pub struct PaymentIntent {
    pub id: String,
    pub client_secret: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub capture_method: String,
    pub payment_method: Option<String>,
    /// The test card behind `payment_method`, which decides later charges.
    pub card_number: Option<String>,
    pub last_payment_error: Option<Value>,
    pub next_action: Option<Value>,
    pub created: u64,
    pub confirmations: u32,
    /// While `processing`: when the payment settles (to `requires_capture`).
    pub settles_at: Option<Instant>,
    /// Stripe Connect: the connected account that owns the intent. Stripe.js
    /// finds it only when created with `Stripe(pk, { stripeAccount })`.
    pub account: Option<String>,
}

pub struct Config {
    pub token_ttl_secs: u64,
    /// API requests allowed per 10-second window; 0 is unlimited.
    pub rate_limit: u32,
    pub base_url: String,
    /// `--allow-origin` values; empty means any loopback origin.
    pub allowed_origins: Vec<String>,
}

pub struct Store {
    pub resources: HashMap<Key, Resource>,
    /// Creation order of every resource, for stable listings.
    pub order: Vec<Key>,
    pub tokens: HashMap<String, TokenInfo>,
    /// Refresh token → customer id.
    pub refresh_tokens: HashMap<String, String>,
    pub intents: HashMap<String, PaymentIntent>,
    pub faults: Vec<crate::faults::Fault>,
    pub log: Vec<Value>,
    pub config: Config,
    pub rate_window: (Instant, u32),
    pub seed: Value,
    /// Armed by `POST /sandbox/stripe/processing`: the next successful card
    /// confirmation stays `processing` this long.
    pub processing_next: Option<Duration>,
    /// Every API answer checked against the schema (kept across resets).
    pub conformance: crate::conformance::Tally,
    /// Orders placed with `place_async`, and when each becomes `placed`.
    pub placing: Vec<(String, Instant)>,
    /// Ids of resources made off-schema on purpose, which the tally skips.
    pub off_schema: Vec<String>,
    /// Card tokens the emulated Checkout.com tokenization API issued (`crate::gateways`).
    pub card_tokens: HashMap<String, String>,
    rng: u64,
    order_number: i64,
}

pub const ORGANIZATION: &str = "sandbox";
pub const CLIENT_ID: &str = "sandbox_sales_channel_client_id";
pub const MARKET_ID: &str = "MarketSbxA";
/// A market whose Stripe gateway pays a connected account (Stripe Connect).
pub const CONNECT_MARKET_ID: &str = "MarketSbxC";
pub const CONNECTED_ACCOUNT: &str = "acct_1SbxConnectedShop";
pub const CONNECT_PAYMENT_METHOD: &str = "PmConnectS";
pub const PUBLISHABLE_KEY: &str = "pk_test_sbx_51SandboxPublishableKey";
pub const CUSTOMER: (&str, &str, &str) = ("CustomerA1", "shopper@example.com", "sandbox-password");
pub const SECOND_CUSTOMER: (&str, &str, &str) = ("CustomerB2", "second@example.com", "sandbox-password-2");

pub fn payment_method_id(source_type: &str) -> String {
    // Stable ids such as "PmStripePa": readable in logs, shaped like CL ids.
    let camel: String = source_type.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
    format!("Pm{}", &camel.chars().take(8).collect::<String>())
}

impl Store {
    pub fn new(config: Config) -> Store {
        let seed_rng = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7) | 1;
        let mut store = Store {
            resources: HashMap::new(),
            order: Vec::new(),
            tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            intents: HashMap::new(),
            faults: Vec::new(),
            log: Vec::new(),
            config,
            rate_window: (Instant::now(), 0),
            seed: Value::Null,
            processing_next: None,
            conformance: crate::conformance::Tally::default(),
            placing: Vec::new(),
            off_schema: Vec::new(),
            card_tokens: HashMap::new(),
            rng: seed_rng,
            order_number: 10_000,
        };
        store.load_seed();
        store
    }

    /// Forgets everything but the configuration, and seeds anew.
    pub fn reset(&mut self) {
        self.resources.clear();
        self.order.clear();
        self.tokens.clear();
        self.refresh_tokens.clear();
        self.intents.clear();
        self.faults.clear();
        self.log.clear();
        self.placing.clear();
        self.card_tokens.clear();
        self.load_seed();
    }

    pub fn random(&mut self) -> u64 {
        // xorshift64*: plenty for ids and secrets of a local test server.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn random_chars(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n).map(|_| ALPHABET[(self.random() % ALPHABET.len() as u64) as usize] as char).collect()
    }

    /// A fresh 10-character id that starts with a letter, like Commerce Layer's.
    pub fn new_id(&mut self) -> String {
        loop {
            let id = self.random_chars(10);
            if id.as_bytes()[0].is_ascii_alphabetic() && !self.order.iter().any(|(_, k)| *k == id) {
                return id;
            }
        }
    }

    pub fn insert(&mut self, res: Resource) {
        let key = res.key();
        if !self.resources.contains_key(&key) {
            self.order.push(key.clone());
        }
        self.resources.insert(key, res);
    }

    pub fn get(&self, ty: &str, id: &str) -> Option<&Resource> {
        self.resources.get(&(ty.to_string(), id.to_string()))
    }

    pub fn get_mut(&mut self, ty: &str, id: &str) -> Option<&mut Resource> {
        self.resources.get_mut(&(ty.to_string(), id.to_string()))
    }

    pub fn remove(&mut self, ty: &str, id: &str) -> Option<Resource> {
        let key = (ty.to_string(), id.to_string());
        self.order.retain(|k| *k != key);
        self.resources.remove(&key)
    }

    /// All resources of a type, in creation order.
    pub fn all(&self, ty: &str) -> Vec<&Resource> {
        self.order.iter().filter(|(t, _)| t == ty).filter_map(|k| self.resources.get(k)).collect()
    }

    pub fn new_resource(&mut self, ty: &str, attributes: Value) -> Resource {
        let id = self.new_id();
        self.resource_with_id(ty, &id, attributes)
    }

    /// A resource with the attributes every resource has (`created_at`,
    /// `metadata`, …) set as the API sets them; the rest stays unset (`null`).
    pub fn resource_with_id(&mut self, ty: &str, id: &str, attributes: Value) -> Resource {
        let now = now_iso();
        let mut attrs = match attributes {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        attrs.entry("metadata").or_insert(json!({}));
        attrs.insert("created_at".into(), Value::String(now.clone()));
        attrs.insert("updated_at".into(), Value::String(now));
        Resource { ty: ty.into(), id: id.into(), attributes: attrs, relationships: Vec::new(), internal: Map::new() }
    }

    fn load_seed(&mut self) {
        for (id, number, name, code) in [(MARKET_ID, 1, "Sandbox EU", "EU"), (CONNECT_MARKET_ID, 2, "Sandbox Connect", "CONNECT")]
        {
            let market = self.resource_with_id(
                "markets",
                id,
                json!({"number": number, "name": name, "code": code, "private": false, "shipping_cost_cutoff": null}),
            );
            self.insert(market);
        }
        for (id, email, _) in [CUSTOMER, SECOND_CUSTOMER] {
            let c = self.resource_with_id(
                "customers",
                id,
                json!({"email": email, "status": "prospect", "has_password": true, "total_orders_count": 0}),
            );
            self.insert(c);
        }
        for g in GATEWAYS {
            self.seed_payment_method(&payment_method_id(g.source_type), g.source_type, g.label, MARKET_ID);
        }
        self.seed_payment_method(CONNECT_PAYMENT_METHOD, "stripe_payments", "Credit card (Stripe)", CONNECT_MARKET_ID);
        let mut orders = Vec::new();
        for source_type in GATEWAYS.map(|g| g.source_type) {
            for customer in [None, Some(CUSTOMER.0)] {
                let id = self.create_order(Some(source_type), customer, 2);
                orders.push(json!({"id": id, "payment_source_type": source_type, "market": MARKET_ID,
                                   "customer_email": customer.map(|_| CUSTOMER.1)}));
            }
        }
        for customer in [None, Some(CUSTOMER.0)] {
            let id = self.create_order(None, customer, 2);
            orders.push(json!({"id": id, "payment_source_type": null, "market": MARKET_ID,
                               "customer_email": customer.map(|_| CUSTOMER.1)}));
        }
        let connect = self.create_order_in(CONNECT_MARKET_ID, Some("stripe_payments"), None, 2);
        orders.push(json!({"id": connect, "payment_source_type": "stripe_payments", "market": CONNECT_MARKET_ID,
                           "customer_email": null}));
        self.seed = json!({
            "base_url": self.config.base_url,
            "client_id": CLIENT_ID,
            "scope": format!("market:id:{MARKET_ID}"),
            "connect_scope": format!("market:id:{CONNECT_MARKET_ID}"),
            "connected_account": CONNECTED_ACCOUNT,
            "publishable_key": PUBLISHABLE_KEY,
            "customer": {"id": CUSTOMER.0, "email": CUSTOMER.1, "password": CUSTOMER.2},
            "second_customer": {"id": SECOND_CUSTOMER.0, "email": SECOND_CUSTOMER.1, "password": SECOND_CUSTOMER.2},
            "orders": orders,
        });
    }

    fn seed_payment_method(&mut self, id: &str, source_type: &str, name: &str, market: &str) {
        let mut pm = self.resource_with_id(
            "payment_methods",
            id,
            json!({"payment_source_type": source_type, "name": name, "currency_code": "EUR", "moto": false,
                   "require_capture": source_type == "stripe_payments", "auto_place": false, "auto_capture": false,
                   "disabled_at": null, "price_amount_cents": 0, "price_amount_float": 0.0, "formatted_price_amount": "€0,00",
                   "auto_capture_max_amount_cents": null, "auto_capture_max_amount_float": null,
                   "formatted_auto_capture_max_amount": null}),
        );
        pm.set_rel("market", Rel::One(Some(("markets".into(), market.into()))));
        self.insert(pm);
    }

    /// A pending order of the sandbox's main market; returns its id.
    pub fn create_order(&mut self, source_type: Option<&str>, customer: Option<&str>, line_items: usize) -> String {
        self.create_order_in(MARKET_ID, source_type, customer, line_items)
    }

    /// A pending order with `line_items` items in `market`; returns its id.
    pub fn create_order_in(
        &mut self,
        market: &str,
        source_type: Option<&str>,
        customer: Option<&str>,
        line_items: usize,
    ) -> String {
        self.order_number += 1;
        let number = self.order_number.to_string();
        let email = customer.and_then(|c| self.get("customers", c)).and_then(|c| c.str_attr("email")).map(str::to_string);
        let token = self.random_chars(32);
        let mut order = self.new_resource(
            "orders",
            json!({"number": number, "status": "pending", "payment_status": "unpaid", "fulfillment_status": "unfulfilled",
                   "guest": customer.is_none(), "editable": true, "customer_email": email.clone().unwrap_or_else(|| "guest@example.com".into()),
                   "customer_type": customer.map(|_| "returning"), "language_code": "en", "currency_code": "EUR",
                   "tax_included": true, "tax_rate": 0.0, "freight_taxable": false, "payment_method_taxable": false,
                   "adjustment_taxable": false, "gift_card_taxable": false, "requires_billing_info": false,
                   "autorefresh": true, "place_async": false, "token": token, "placed_at": null,
                   "line_item_options_count": 0, "shipments_count": 0, "tax_calculations_count": 0, "validations_count": 0,
                   "errors_count": 0}),
        );
        let payment_method = source_type.map(|t| {
            let id = if market == CONNECT_MARKET_ID { CONNECT_PAYMENT_METHOD.to_string() } else { payment_method_id(t) };
            ("payment_methods".to_string(), id)
        });
        order.set_rel("market", Rel::One(Some(("markets".into(), market.into()))));
        order.set_rel("customer", Rel::One(customer.map(|c| ("customers".into(), c.into()))));
        order.set_rel("payment_method", Rel::One(payment_method));
        order.set_rel("payment_source", Rel::One(None));
        let mut items = Vec::new();
        for i in 0..line_items {
            let (name, code, cents) = match i % 3 {
                0 => ("Black Tee", "TSHIRTMM000000FFFFFFXLXX", 2900),
                1 => ("Canvas Tote", "BAGTOTEC000000E5E5E5XXXX", 1900),
                _ => ("Sticker Pack", "STICKERS00000000000000XX", 500),
            };
            let quantity = 1 + (i % 2) as i64;
            let mut attrs = json!({"sku_code": code, "name": name, "quantity": quantity, "currency_code": "EUR",
                                   "item_type": "skus", "tax_rate": 0.0, "image_url": null});
            set_amount(&mut attrs, "unit_amount", cents);
            set_amount(&mut attrs, "total_amount", cents * quantity);
            for base in ["options_amount", "discount", "tax_amount"] {
                set_amount(&mut attrs, base, 0);
            }
            let mut li = self.new_resource("line_items", attrs);
            li.set_rel("order", Rel::One(Some(("orders".into(), order.id.clone()))));
            items.push(li.key());
            self.insert(li);
        }
        order.set_rel("line_items", Rel::Many(items));
        let id = order.id.clone();
        self.insert(order);
        self.recompute_totals(&id);
        id
    }

    /// A new customer whose wallet holds `cards` saved Stripe cards; returns
    /// the customer id and the customer payment source ids.
    pub fn create_customer_with_wallet(&mut self, cards: usize) -> (String, Vec<String>) {
        let n = self.order.len();
        let customer = self.new_resource(
            "customers",
            json!({"email": format!("wallet{n}@example.com"), "status": "repeat", "has_password": false, "total_orders_count": 1}),
        );
        let customer_key = customer.key();
        self.insert(customer);
        let mut saved = Vec::new();
        for i in 0..cards {
            let mut source = self.new_resource("stripe_payments", json!({"options": {}, "mismatched_amounts": false}));
            source.set_rel("order", Rel::One(None));
            let source_key = source.key();
            self.insert(source);
            let last4 = format!("{:04}", 4242 + i % 5000);
            let mut cps = self.new_resource(
                "customer_payment_sources",
                json!({"name": crate::stripe::masked_card(&last4), "customer_token": format!("cus_sbx_{}", customer_key.1),
                       "payment_source_token": format!("pm_sbx{last4}{i}")}),
            );
            cps.set_rel("customer", Rel::One(Some(customer_key.clone())));
            cps.set_rel("payment_method", Rel::One(Some(("payment_methods".into(), payment_method_id("stripe_payments")))));
            cps.set_rel("payment_source", Rel::One(Some(source_key)));
            saved.push(cps.id.clone());
            self.insert(cps);
        }
        (customer_key.1, saved)
    }

    /// Gives the order a new payment method of any `payment_source_type`
    /// (for tests of how clients treat a malicious or broken server).
    pub fn attach_payment_method_with_type(&mut self, order_id: &str, source_type: &str) {
        let mut pm = self.new_resource(
            "payment_methods",
            json!({"payment_source_type": source_type, "name": "Odd method", "disabled_at": "2000-01-01T00:00:00.000Z"}),
        );
        pm.set_rel("market", Rel::One(Some(("markets".into(), MARKET_ID.into()))));
        let key = pm.key();
        self.off_schema.push(pm.id.clone());
        self.insert(pm);
        if let Some(order) = self.get_mut("orders", order_id) {
            order.set_rel("payment_method", Rel::One(Some(key)));
        }
    }

    /// Recomputes the order's totals from its line items, and flags payment
    /// sources whose amount no longer matches (`mismatched_amounts`).
    pub fn recompute_totals(&mut self, order_id: &str) {
        let Some(order) = self.get("orders", order_id) else { return };
        let items: Vec<Key> = match order.relationships.iter().find(|(n, _)| n == "line_items") {
            Some((_, Rel::Many(keys))) => keys.clone(),
            _ => Vec::new(),
        };
        let total: i64 = items.iter().filter_map(|k| self.resources.get(k)).map(|li| li.int_attr("total_amount_cents")).sum();
        let source = order.rel_one("payment_source").cloned();
        let Some(order) = self.get_mut("orders", order_id) else { return };
        let mut amounts = Value::Object(std::mem::take(&mut order.attributes));
        for base in ORDER_AMOUNTS {
            let carries_total = ORDER_TOTALS.contains(&base);
            set_amount(&mut amounts, base, if carries_total { total } else { 0 });
        }
        if let Value::Object(m) = amounts {
            order.attributes = m;
        }
        order.attributes.insert("skus_count".into(), json!(items.len()));
        if let Some((ty, id)) = source {
            if let Some(src) = self.get_mut(&ty, &id) {
                if let Some(amount) = src.internal.get("amount_cents").and_then(Value::as_i64) {
                    src.attributes.insert("mismatched_amounts".into(), json!(amount != total));
                }
            }
        }
    }
}

/// The order's money fields (each as `_cents`, `_float` and `formatted_`).
const ORDER_AMOUNTS: [&str; 21] = [
    "subtotal_amount",
    "shipping_amount",
    "payment_method_amount",
    "discount_amount",
    "adjustment_amount",
    "gift_card_amount",
    "total_tax_amount",
    "subtotal_tax_amount",
    "shipping_tax_amount",
    "payment_method_tax_amount",
    "adjustment_tax_amount",
    "total_amount",
    "total_taxable_amount",
    "subtotal_taxable_amount",
    "shipping_taxable_amount",
    "payment_method_taxable_amount",
    "adjustment_taxable_amount",
    "total_amount_with_taxes",
    "fees_amount",
    "duty_amount",
    "place_total_amount",
];
/// The ones that carry the goods' total (no shipping, taxes or discounts here).
const ORDER_TOTALS: [&str; 6] = [
    "subtotal_amount",
    "total_amount",
    "total_taxable_amount",
    "subtotal_taxable_amount",
    "total_amount_with_taxes",
    "place_total_amount",
];

/// Sets `<base>_cents`, `<base>_float` and `formatted_<base>` as the API writes money.
pub fn set_amount(attrs: &mut Value, base: &str, cents: i64) {
    if let Value::Object(m) = attrs {
        m.insert(format!("{base}_cents"), json!(cents));
        m.insert(format!("{base}_float"), json!(cents as f64 / 100.0));
        m.insert(format!("formatted_{base}"), json!(euros(cents)));
    }
}

pub fn euros(cents: i64) -> String {
    format!("€{},{:02}", cents / 100, cents % 100)
}

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The current UTC time as `2026-11-23T08:42:00.000Z`.
pub fn now_iso() -> String {
    let secs = unix_now();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z", rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_method_ids_look_like_commerce_layer_ids() {
        assert_eq!(payment_method_id("stripe_payments"), "PmStripePa");
        assert_eq!(payment_method_id("wire_transfers"), "PmWireTran");
        let ids: std::collections::HashSet<_> = GATEWAYS.iter().map(|g| payment_method_id(g.source_type)).collect();
        assert_eq!(ids.len(), 10);
    }

    #[test]
    fn iso_dates() {
        let s = now_iso();
        assert_eq!(s.len(), 24);
        assert!(s.starts_with("20") && s.ends_with(".000Z"));
    }
}
