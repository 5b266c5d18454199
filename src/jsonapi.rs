//! JSON:API documents → plain resources shaped as `@commercelayer/sdk`
//! returns them: `{ id, type, ...attributes, <relationship>: nested }`.
//!
//! A relationship whose linkage is in `included` becomes the nested resource;
//! linkage that is not included becomes `{ id, type }`; `data: null` becomes
//! `null`; a relationship with only `links` is left out.

use crate::error::CheckoutError;
use crate::json::Json;

/// A success document: `data` plus an index of `included` by (type, id).
pub struct Document {
    /// The primary data.
    pub data: Json,
    included: Vec<Json>,
}

/// `included` sorted by (type, id) for binary search: linear-logarithmic
/// like a hash map for large documents, with less code in the `.wasm`.
struct Index<'a>(Vec<((&'a str, &'a str), &'a Json)>);

impl<'a> Index<'a> {
    fn get(&self, key: &(&str, &str)) -> Option<&'a Json> {
        let i = self.0.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.0.get(i).map(|entry| entry.1)
    }
}

impl Document {
    /// Reads a parsed body as a JSON:API success document.
    pub fn from_json(doc: Json) -> Result<Document, CheckoutError> {
        let Json::Object(pairs) = doc else {
            return Err(CheckoutError::decode("The response is JSON but not a JSON:API document (not an object)."));
        };
        let mut data = None;
        let mut included = Vec::new();
        for (key, value) in pairs {
            match key.as_str() {
                "data" => data = Some(value),
                "included" => match value {
                    Json::Array(items) => included = items,
                    _ => return Err(CheckoutError::decode("The response's \"included\" member is not an array.")),
                },
                _ => {}
            }
        }
        let data =
            data.ok_or_else(|| CheckoutError::decode("The response is not a JSON:API document: it has no \"data\" member."))?;
        Ok(Document { data, included })
    }

    /// The primary data as one resource (an object with string `id` and `type`).
    pub fn single(&self, expected_type: &str) -> Result<Json, CheckoutError> {
        check_identity(&self.data, expected_type)?;
        self.flatten(&self.data)
    }

    /// Flattens one resource of the document, resolving its relationships.
    pub fn flatten(&self, resource: &Json) -> Result<Json, CheckoutError> {
        let index = self.index();
        Walk { index: &index, chain: Vec::new(), expanded: 0 }.flatten(resource)
    }

    fn index(&self) -> Index<'_> {
        let mut entries = Vec::with_capacity(self.included.len());
        for r in &self.included {
            if let Some(key) = identity_of(r) {
                entries.push((key, r));
            }
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Index(entries)
    }

    /// The linkage of relationship `name` of the primary resource:
    /// `None` when absent or `null`, else the (type, id) pairs.
    pub fn linkage(&self, name: &str) -> Result<Option<Vec<(&str, &str)>>, CheckoutError> {
        let Some(rel) = self.data.get("relationships").and_then(|r| r.get(name)) else {
            return Ok(None);
        };
        match rel.get("data") {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Array(items)) => {
                let mut pairs = Vec::with_capacity(items.len());
                for item in items {
                    pairs.push(identity_of(item).ok_or_else(|| bad_linkage(name))?);
                }
                Ok(Some(pairs))
            }
            Some(one) => identity_of(one).map(|pair| Some(vec![pair])).ok_or_else(|| bad_linkage(name)),
        }
    }

    /// Whether the primary resource carries linkage for `name` at all
    /// (`data` present, even `null`), i.e. the server answered the include.
    pub fn has_linkage(&self, name: &str) -> bool {
        self.data.get("relationships").and_then(|r| r.get(name)).and_then(|r| r.get("data")).is_some()
    }

    /// The flattened related resources named by `linkage`, in order.
    /// Each must be in `included` with the expected type.
    pub fn related(&self, name: &str, expected_type: &str) -> Result<Vec<Json>, CheckoutError> {
        let index = self.index();
        let Some(pairs) = self.linkage(name)? else {
            return Ok(Vec::new());
        };
        // One walk for the whole list: its expansion budget covers them all.
        let mut walk = Walk { index: &index, chain: Vec::new(), expanded: 0 };
        let mut list = Vec::with_capacity(pairs.len());
        for &(t, id) in &pairs {
            let found = index.get(&(t, id)).filter(|_| t == expected_type).ok_or_else(|| {
                let mut m = String::from("The response's \"");
                m.push_str(name);
                m.push_str(if t == expected_type {
                    "\" resource is not included."
                } else {
                    "\" relationship links a resource of an unexpected type."
                });
                CheckoutError::decode(m)
            })?;
            list.push(walk.flatten(found)?);
        }
        Ok(list)
    }
}

fn identity_of(v: &Json) -> Option<(&str, &str)> {
    Some((v.get("type")?.as_str()?, v.get("id")?.as_str()?))
}

fn bad_linkage(name: &str) -> CheckoutError {
    let mut m = String::from("The response's \"");
    m.push_str(name);
    m.push_str("\" relationship has malformed linkage.");
    CheckoutError::decode(m)
}

/// Checks that `value` is a resource object of `expected_type` with an id.
pub fn check_identity(value: &Json, expected_type: &str) -> Result<(), CheckoutError> {
    if let Some((ty, id)) = identity_of(value) {
        if ty == expected_type && !id.is_empty() {
            return Ok(());
        }
    }
    let mut m = String::from("The response's data is not a \"");
    m.push_str(expected_type);
    m.push_str("\" resource with an id.");
    Err(CheckoutError::decode(m))
}

/// At most this many included resources are expanded into one answer;
/// past it, links stay `{ id, type }` references. A document whose
/// resources all link to each other cannot grow the result exponentially.
pub const MAX_EXPANDED: usize = 5_000;
/// Relationship chains nest at most this deep: a longer chain is a `decode`
/// error, never a stack overflow (a trap in WebAssembly).
pub const MAX_NESTING: usize = 24;

/// Expands resources with their included relationships, within bounds.
struct Walk<'a, 'i> {
    index: &'i Index<'a>,
    /// The resources being expanded, so a cycle stops at a reference.
    chain: Vec<(&'a str, &'a str)>,
    expanded: usize,
}

fn too_deep() -> CheckoutError {
    CheckoutError::decode("The response nests included resources deeper than any checkout answer does; refused.")
}

impl<'a> Walk<'a, '_> {
    fn flatten(&mut self, resource: &'a Json) -> Result<Json, CheckoutError> {
        if self.chain.len() >= MAX_NESTING {
            return Err(too_deep());
        }
        let mut out = Vec::new();
        let id = resource.get("id").and_then(Json::as_str).unwrap_or_default();
        let ty = resource.get("type").and_then(Json::as_str).unwrap_or_default();
        out.push(("id".to_string(), Json::str(id)));
        out.push(("type".to_string(), Json::str(ty)));
        if let Some(Json::Object(attributes)) = resource.get("attributes") {
            for (k, v) in attributes {
                // `id` and `type` are reserved by JSON:API; never let attributes shadow them.
                if k != "id" && k != "type" {
                    out.push((k.clone(), v.clone()));
                }
            }
        }
        if let Some(Json::Object(relationships)) = resource.get("relationships") {
            self.chain.push((ty, id));
            for (name, rel) in relationships {
                let value = match rel.get("data") {
                    None => continue,
                    Some(Json::Array(items)) => {
                        let mut list = Vec::with_capacity(items.len());
                        for item in items {
                            list.push(self.resolve(item)?);
                        }
                        Json::Array(list)
                    }
                    Some(Json::Null) => Json::Null,
                    Some(one) => self.resolve(one)?,
                };
                match out.iter_mut().find(|(k, _)| k == name) {
                    Some(slot) => slot.1 = value,
                    None => out.push((name.clone(), value)),
                }
            }
            self.chain.pop();
        }
        Ok(Json::Object(out))
    }

    fn resolve(&mut self, linkage: &'a Json) -> Result<Json, CheckoutError> {
        let Some(key) = identity_of(linkage) else {
            return Ok(Json::Null);
        };
        match self.index.get(&key) {
            Some(found) if !self.chain.contains(&key) && self.expanded < MAX_EXPANDED => {
                self.expanded += 1;
                self.flatten(found)
            }
            _ => Ok(Json::object([("id", Json::str(key.1)), ("type", Json::str(key.0))])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn doc(text: &str) -> Document {
        Document::from_json(parse(text).unwrap()).unwrap()
    }

    #[test]
    fn flattens_attributes_and_included_relationships() {
        let d = doc(r#"{"data":{"id":"o1","type":"orders","attributes":{"number":"123","status":"pending"},
            "relationships":{"payment_method":{"links":{},"data":{"type":"payment_methods","id":"pm1"}},
            "market":{"links":{}},"payment_source":{"data":null},
            "line_items":{"data":[{"type":"line_items","id":"li1"},{"type":"line_items","id":"li2"}]}}},
            "included":[{"id":"pm1","type":"payment_methods","attributes":{"payment_source_type":"stripe_payments"}},
            {"id":"li1","type":"line_items","attributes":{"quantity":2}}]}"#);
        let order = d.single("orders").unwrap();
        let expected = parse(
            r#"{"id":"o1","type":"orders","number":"123","status":"pending",
            "payment_method":{"id":"pm1","type":"payment_methods","payment_source_type":"stripe_payments"},
            "payment_source":null,
            "line_items":[{"id":"li1","type":"line_items","quantity":2},{"id":"li2","type":"line_items"}]}"#,
        )
        .unwrap();
        assert_eq!(order, expected);
        assert_eq!(d.linkage("payment_method").unwrap(), Some(vec![("payment_methods", "pm1")]));
        assert_eq!(d.linkage("market").unwrap(), None);
        assert!(d.has_linkage("payment_source") && !d.has_linkage("market"));
        assert_eq!(d.related("line_items", "line_items").unwrap_err().kind, crate::error::ErrorKind::Decode);
    }

    #[test]
    fn cycles_in_included_stop_at_a_reference() {
        let d = doc(r#"{"data":{"id":"o1","type":"orders","relationships":{"customer":{"data":{"type":"customers","id":"c1"}}}},
            "included":[{"id":"c1","type":"customers","relationships":{"orders":{"data":[{"type":"orders","id":"o1"}]},"me":{"data":{"type":"customers","id":"c1"}}}},
            {"id":"o1","type":"orders","relationships":{"customer":{"data":{"type":"customers","id":"c1"}}}}]}"#);
        let order = d.single("orders").unwrap();
        let customer = order.get("customer").unwrap();
        // o1 and c1 are being expanded, so links back to them stay references.
        let reference = |ty: &str, id: &str| Json::object([("id", Json::str(id)), ("type", Json::str(ty))]);
        assert_eq!(customer.get("orders").unwrap(), &Json::Array(vec![reference("orders", "o1")]));
        assert_eq!(customer.get("me").unwrap(), &reference("customers", "c1"));
    }

    #[test]
    fn refuses_documents_without_data_or_of_the_wrong_type() {
        assert!(Document::from_json(parse(r#"{"meta":{}}"#).unwrap()).is_err());
        assert!(Document::from_json(parse(r#"[1]"#).unwrap()).is_err());
        assert!(Document::from_json(parse(r#"{"data":{},"included":{}}"#).unwrap()).is_err());
        assert!(doc(r#"{"data":{"id":"x","type":"skus"}}"#).single("orders").is_err());
        assert!(doc(r#"{"data":{"id":"","type":"orders"}}"#).single("orders").is_err());
        assert!(doc(r#"{"data":[{"id":"x","type":"orders"}]}"#).single("orders").is_err());
        assert!(doc(r#"{"data":{"id":"x","type":"orders","relationships":{"a":{"data":[1]}}}}"#).linkage("a").is_err());
    }

    #[test]
    fn attributes_cannot_shadow_identity() {
        let d = doc(r#"{"data":{"id":"o1","type":"orders","attributes":{"id":"evil","type":"skus"}}}"#);
        let order = d.single("orders").unwrap();
        assert_eq!(order.get("id").unwrap().as_str(), Some("o1"));
        assert_eq!(order.get("type").unwrap().as_str(), Some("orders"));
    }
}
