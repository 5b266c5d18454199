//! Checks every JSON:API document the sandbox answers against the vendored
//! schema, reading the schema file directly (not through `crate::schema`,
//! which the renderer uses), so a rendering bug cannot hide itself. The
//! test command reads the tally at `GET /sandbox/conformance` and fails on
//! any violation.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

/// The vendored schema as plain JSON, parsed once.
pub fn raw_schema() -> &'static Value {
    static RAW: OnceLock<Value> = OnceLock::new();
    RAW.get_or_init(crate::schema::raw)
}

/// At most this many violations are kept (the count goes on).
const KEEP: usize = 50;

#[derive(Default)]
pub struct Tally {
    pub documents: u64,
    pub resources: u64,
    /// Resources a test made off-schema on purpose (hostile server answers).
    pub deliberate: u64,
    pub violation_count: u64,
    pub violations: Vec<String>,
}

impl Tally {
    fn violation(&mut self, text: String) {
        self.violation_count += 1;
        if self.violations.len() < KEEP {
            self.violations.push(text);
        }
    }
}

fn type_ok(ty: &str, value: &Value) -> bool {
    match (ty, value) {
        (_, Value::Null) => true,
        ("string" | "datetime", Value::String(_)) => true,
        ("boolean", Value::Bool(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("float", Value::Number(_)) => true,
        ("object", Value::Object(_)) => true,
        ("array", Value::Array(_)) => true,
        _ => false,
    }
}

/// Checks one answered document. `sparse` holds the `fields[type]` lists of
/// the request: a type without one must carry every fetchable attribute.
/// Resources whose id is in `deliberate` were made off-schema on purpose
/// (`hostile_source_type` of `POST /sandbox/orders`) and are only counted.
pub fn check(
    schema: &Value,
    doc: &Value,
    sparse: &HashMap<String, Vec<String>>,
    deliberate: &[String],
    where_: &str,
    tally: &mut Tally,
) {
    tally.documents += 1;
    let mut resources: Vec<&Value> = match &doc["data"] {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![&doc["data"]],
        _ => Vec::new(),
    };
    if let Some(included) = doc["included"].as_array() {
        resources.extend(included);
    }
    for res in resources {
        if res["id"].as_str().is_some_and(|id| deliberate.iter().any(|d| d == id)) {
            tally.deliberate += 1;
            continue;
        }
        tally.resources += 1;
        let ty = res["type"].as_str().unwrap_or_default();
        let Some(spec) = schema["resources"].get(ty) else {
            tally.violation(format!("{where_}: a resource of type {ty:?} that the schema does not have"));
            continue;
        };
        if !res["id"].is_string() {
            tally.violation(format!("{where_}: a {ty} without a string id"));
        }
        let fields = spec["fields"].as_object();
        let attributes = res["attributes"].as_object();
        for (name, value) in attributes.into_iter().flatten() {
            match fields.and_then(|f| f.get(name)) {
                Some(f) if f["fetchable"] == true && name != "id" => {
                    let expected = f["type"].as_str().unwrap_or("string");
                    if !type_ok(expected, value) {
                        tally.violation(format!("{where_}: {ty}.{name} is {value} but the schema says {expected}"));
                    }
                    if let (Some(values), Some(s)) = (f["enum"].as_array(), value.as_str()) {
                        if !values.iter().any(|v| v == s) {
                            tally.violation(format!("{where_}: {ty}.{name} is {s:?}, not one of the schema's values"));
                        }
                    }
                }
                _ => tally.violation(format!("{where_}: {ty}.{name} is not a fetchable attribute of the schema")),
            }
        }
        let wanted = sparse.get(ty);
        for (name, f) in fields.into_iter().flatten() {
            let expected = f["fetchable"] == true && name != "id" && wanted.is_none_or(|w| w.contains(name));
            if expected && !attributes.is_some_and(|a| a.contains_key(name)) {
                tally.violation(format!(
                    "{where_}: {ty}.{name} is missing (the API sends every fetchable field, null when unset)"
                ));
            }
        }
        let relationships = spec["relationships"].as_object();
        for name in res["relationships"].as_object().into_iter().flatten().map(|(n, _)| n) {
            if !relationships.is_some_and(|r| r.contains_key(name)) {
                tally.violation(format!("{where_}: {ty} has relationship {name} that the schema does not have"));
            }
        }
    }
}

/// The `fields[type]=a,b` lists of a request's query.
pub fn sparse_fields(query: &[(String, String)]) -> HashMap<String, Vec<String>> {
    query
        .iter()
        .filter_map(|(k, v)| {
            let ty = k.strip_prefix("fields[")?.strip_suffix(']')?;
            Some((ty.to_string(), v.split(',').map(str::to_string).collect()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn catches_invented_mistyped_and_missing_fields() {
        let schema = raw_schema();
        let mut tally = Tally::default();
        let doc = json!({"data": {"id": "s1", "type": "stripe_payments",
            "attributes": {"client_secret": "x", "amount_cents": 100, "mismatched_amounts": "no"}}});
        check(schema, &doc, &HashMap::new(), &[], "t", &mut tally);
        let all = tally.violations.join("\n");
        assert!(all.contains("stripe_payments.amount_cents is not a fetchable attribute"), "{all}");
        assert!(all.contains("stripe_payments.mismatched_amounts is \"no\""), "{all}");
        assert!(all.contains("stripe_payments.publishable_key is missing"), "{all}");
        // A sparse fieldset asks for less, and gets no complaint for the rest.
        let mut sparse_tally = Tally::default();
        let sparse = HashMap::from([("orders".to_string(), vec!["number".to_string()])]);
        check(
            schema,
            &json!({"data": {"id": "o1", "type": "orders", "attributes": {"number": "1"}}}),
            &sparse,
            &[],
            "t",
            &mut sparse_tally,
        );
        assert_eq!(sparse_tally.violation_count, 0, "{:?}", sparse_tally.violations);
        let mut typed = Tally::default();
        check(
            schema,
            &json!({"data": {"id": "o1", "type": "orders", "attributes": {"number": 1}}}),
            &sparse,
            &[],
            "t",
            &mut typed,
        );
        assert_eq!(typed.violation_count, 1);
        // A hostile-input fixture is counted apart, never silently passed as conforming.
        let hostile = json!({"data": {"id": "o1", "type": "orders", "attributes": {"number": 1}}});
        check(schema, &hostile, &sparse, &["o1".to_string()], "t", &mut typed);
        assert_eq!((typed.violation_count, typed.deliberate), (1, 1));
    }
}
