//! Commerce Layer's published resource schema, as vendored in
//! `sandbox/schema/resources.json` (see `scripts/vendor-schema.mjs`): which
//! fields a resource has, their types, what a sales channel may write, and
//! which relationships exist. Rendering and writes follow it, so the sandbox
//! sends and accepts what the API does, not what was convenient to type.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    String,
    Boolean,
    Integer,
    Float,
    Object,
    Datetime,
    Array,
}

impl FieldType {
    fn parse(name: &str) -> FieldType {
        match name {
            "boolean" => FieldType::Boolean,
            "integer" => FieldType::Integer,
            "float" => FieldType::Float,
            "object" => FieldType::Object,
            "datetime" => FieldType::Datetime,
            "array" => FieldType::Array,
            _ => FieldType::String,
        }
    }

    /// Whether `value` has this type (`null` is every type's "unset").
    pub fn accepts(self, value: &Value) -> bool {
        match (self, value) {
            (_, Value::Null) => true,
            (FieldType::String | FieldType::Datetime, Value::String(_)) => true,
            (FieldType::Boolean, Value::Bool(_)) => true,
            (FieldType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (FieldType::Float, Value::Number(_)) => true,
            (FieldType::Object, Value::Object(_)) => true,
            (FieldType::Array, Value::Array(_)) => true,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    pub ty: FieldType,
    pub creatable: bool,
    pub updatable: bool,
    pub fetchable: bool,
    pub filterable: bool,
    pub sortable: bool,
    /// Not writable by sales-channel and customer tokens (the ones a storefront has).
    pub prohibited: bool,
    /// An action (`_place`, `_refresh`, …), never stored.
    pub trigger: bool,
    pub values: Option<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct Relationship {
    pub many: bool,
    pub creatable: bool,
    pub updatable: bool,
    pub includable: bool,
    /// The JSON:API types it may point at.
    pub targets: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Resource {
    pub fields: Vec<(String, Field)>,
    pub relationships: Vec<(String, Relationship)>,
    pub filters: Vec<String>,
}

impl Resource {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }

    pub fn relationship(&self, name: &str) -> Option<&Relationship> {
        self.relationships.iter().find(|(n, _)| n == name).map(|(_, r)| r)
    }

    /// The attributes a full GET carries, in schema order (`id` is not one).
    pub fn fetchable(&self) -> impl Iterator<Item = (&str, &Field)> {
        self.fields.iter().filter(|(n, f)| f.fetchable && n != "id").map(|(n, f)| (n.as_str(), f))
    }
}

pub struct Schema {
    resources: HashMap<String, Resource>,
}

/// The vendored subset of the published schema, parsed once.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| parse(include_str!("../schema/resources.json")))
}

/// The raw vendored document, for checks that must not share this parser.
pub fn raw() -> Value {
    serde_json::from_str(include_str!("../schema/resources.json")).unwrap_or(Value::Null)
}

impl Schema {
    pub fn resource(&self, ty: &str) -> Option<&Resource> {
        self.resources.get(ty)
    }

    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.resources.keys().map(String::as_str)
    }
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    Some(v?.as_array()?.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

fn parse(text: &str) -> Schema {
    let doc: Value = serde_json::from_str(text).expect("the vendored schema is JSON");
    let mut resources = HashMap::new();
    for (ty, spec) in doc["resources"].as_object().into_iter().flatten() {
        let fields = spec["fields"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, f)| {
                let field = Field {
                    ty: FieldType::parse(f["type"].as_str().unwrap_or("string")),
                    creatable: flag(f, "creatable"),
                    updatable: flag(f, "updatable"),
                    fetchable: flag(f, "fetchable"),
                    filterable: flag(f, "filterable"),
                    sortable: flag(f, "sortable"),
                    prohibited: flag(f, "prohibited"),
                    trigger: flag(f, "trigger") || name.starts_with('_'),
                    values: strings(f.get("enum")),
                };
                (name.clone(), field)
            })
            .collect();
        let relationships = spec["relationships"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, r)| {
                let targets = match r.get("resource_type").and_then(Value::as_str) {
                    Some(t) => vec![t.to_string()],
                    None => strings(r.get("enum")).unwrap_or_default(),
                };
                let rel = Relationship {
                    many: r["type"] == "has_many",
                    creatable: flag(r, "creatable") && !flag(r, "prohibited"),
                    updatable: flag(r, "updatable") && !flag(r, "prohibited"),
                    includable: r.get("includable").and_then(Value::as_bool).unwrap_or(true),
                    targets,
                };
                (name.clone(), rel)
            })
            .collect();
        let filters = strings(spec.get("filters")).unwrap_or_default();
        resources.insert(ty.clone(), Resource { fields, relationships, filters });
    }
    Schema { resources }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_schema_has_the_checkout_resources() {
        let s = schema();
        for ty in ["orders", "line_items", "payment_methods", "customer_payment_sources", "customers", "markets"] {
            assert!(s.resource(ty).is_some(), "{ty}");
        }
        let orders = s.resource("orders").unwrap();
        assert_eq!(orders.field("number").unwrap().ty, FieldType::String);
        assert!(orders.field("_place").unwrap().trigger);
        assert!(!orders.field("status").unwrap().updatable);
        assert!(orders.relationship("payment_source").unwrap().targets.contains(&"stripe_payments".to_string()));
        let stripe = s.resource("stripe_payments").unwrap();
        assert!(stripe.field("amount_cents").is_none() && stripe.field("intent_status").is_none());
    }
}
