//! Resources → JSON:API documents as Commerce Layer sends them, driven by the
//! published schema: every fetchable attribute (`null` when unset) and every
//! relationship with its links, linkage only where included, `included`,
//! `meta`, honouring `include=a,b.c` and `fields[type]=x,y`; and lists with
//! `page[size]`/`page[number]`, `filter[q][…]` and `sort`.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use crate::api::error;
use crate::http::Response;
use crate::schema::schema;
use crate::store::{Key, Rel, Resource, Store};

pub const JSON_API: &str = "application/vnd.api+json";
const DEFAULT_PAGE_SIZE: usize = 10;
const MAX_PAGE_SIZE: usize = 25;

pub struct Query {
    /// Include paths, split on dots.
    pub include: Vec<Vec<String>>,
    pub fields: HashMap<String, BTreeSet<String>>,
    /// `filter[q][<attribute>_<predicate>]` → value.
    pub filters: Vec<(String, String)>,
    pub sort: Vec<String>,
    pub page_size: Option<String>,
    pub page_number: Option<String>,
}

impl Query {
    pub fn from_pairs(pairs: &[(String, String)]) -> Query {
        let mut q = Query {
            include: Vec::new(),
            fields: HashMap::new(),
            filters: Vec::new(),
            sort: Vec::new(),
            page_size: None,
            page_number: None,
        };
        for (k, v) in pairs {
            if k == "include" {
                q.include.extend(v.split(',').filter(|p| !p.is_empty()).map(|p| p.split('.').map(str::to_string).collect()));
            } else if let Some(ty) = k.strip_prefix("fields[").and_then(|r| r.strip_suffix(']')) {
                q.fields.insert(ty.to_string(), v.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect());
            } else if let Some(name) = k.strip_prefix("filter[q][").and_then(|r| r.strip_suffix(']')) {
                q.filters.push((name.to_string(), v.clone()));
            } else if k == "sort" {
                q.sort = v.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
            } else if k == "page[size]" {
                q.page_size = Some(v.clone());
            } else if k == "page[number]" {
                q.page_number = Some(v.clone());
            }
        }
        q
    }
}

/// The relationships a resource has, stored or computed (the order's
/// `available_*` lists follow its market and the customer's wallet).
pub fn relationships(store: &Store, res: &Resource) -> Vec<(String, Rel)> {
    let mut rels = res.relationships.clone();
    if res.ty == "orders" {
        let market = res.rel_one("market").cloned();
        let methods = store
            .all("payment_methods")
            .into_iter()
            .filter(|pm| pm.rel_one("market") == market.as_ref() && pm.attributes["disabled_at"].is_null())
            .map(Resource::key)
            .collect();
        rels.push(("available_payment_methods".into(), Rel::Many(methods)));
        let customer = res.rel_one("customer").map(|(_, id)| id.clone());
        let wallet = match customer {
            Some(c) => store
                .all("customer_payment_sources")
                .into_iter()
                .filter(|cps| cps.rel_one("customer").is_some_and(|(_, id)| *id == c))
                .map(Resource::key)
                .collect(),
            None => Vec::new(),
        };
        rels.push(("available_customer_payment_sources".into(), Rel::Many(wallet)));
    }
    rels
}

/// What `name` links to: stored, computed, or the schema's empty default.
fn linkage_of(store: &Store, res: &Resource, name: &str) -> Rel {
    if let Some((_, rel)) = relationships(store, res).into_iter().find(|(n, _)| n == name) {
        return rel;
    }
    let many = schema().resource(&res.ty).and_then(|s| s.relationship(name)).is_some_and(|r| r.many);
    if many {
        Rel::Many(Vec::new())
    } else {
        Rel::One(None)
    }
}

fn targets(store: &Store, res: &Resource, name: &str) -> Vec<Key> {
    match linkage_of(store, res, name) {
        Rel::One(Some(k)) => vec![k],
        Rel::Many(ks) => ks,
        Rel::One(None) => Vec::new(),
    }
}

/// Checks every include path against the schema: each segment must be an
/// includable relationship of the types the path has reached so far.
pub fn check_include(roots: &[&Resource], include: &[Vec<String>]) -> Result<(), (String, String)> {
    for path in include {
        let mut types: BTreeSet<String> = roots.iter().map(|r| r.ty.clone()).collect();
        for segment in path {
            let valid =
                types.iter().any(|t| schema().resource(t).and_then(|s| s.relationship(segment)).is_some_and(|r| r.includable));
            if !valid {
                let ty = types.iter().next().cloned().unwrap_or_default();
                return Err((ty, segment.clone()));
            }
            let mut next_types = BTreeSet::new();
            for t in &types {
                if let Some(rel) = schema().resource(t).and_then(|s| s.relationship(segment)) {
                    next_types.extend(rel.targets.iter().cloned());
                }
            }
            types = next_types;
        }
    }
    Ok(())
}

pub fn document(store: &Store, primary: &[&Resource], many: bool, q: &Query) -> Value {
    // Which relationships get linkage, per resource, and which resources are included.
    let mut linkage: HashMap<Key, BTreeSet<String>> = HashMap::new();
    let mut included: Vec<Key> = Vec::new();
    let primary_keys: Vec<Key> = primary.iter().map(|r| r.key()).collect();
    for path in &q.include {
        let mut level = primary_keys.clone();
        for segment in path {
            let mut next = Vec::new();
            for key in &level {
                linkage.entry(key.clone()).or_default().insert(segment.clone());
                if let Some(res) = store.resources.get(key) {
                    for t in targets(store, res, segment) {
                        if store.resources.contains_key(&t) && !primary_keys.contains(&t) && !included.contains(&t) {
                            included.push(t.clone());
                        }
                        next.push(t);
                    }
                }
            }
            level = next;
        }
    }
    let render = |res: &Resource| resource(store, res, linkage.get(&res.key()), q.fields.get(&res.ty));
    let data = match (many, primary.first()) {
        (true, _) => Value::Array(primary.iter().map(|r| render(r)).collect()),
        (false, Some(one)) => render(one),
        (false, None) => Value::Null,
    };
    let mut doc = Map::new();
    doc.insert("data".into(), data);
    if !q.include.is_empty() {
        let inc: Vec<Value> = included.iter().filter_map(|k| store.resources.get(k)).map(render).collect();
        doc.insert("included".into(), Value::Array(inc));
    }
    doc.insert("meta".into(), meta());
    Value::Object(doc)
}

pub fn meta() -> Value {
    json!({"mode": "test", "organization_id": "OrgSandbx1"})
}

/// One resource object: schema attributes (sparse fieldsets apply to both
/// attributes and relationships, as in JSON:API), links, meta.
fn resource(store: &Store, res: &Resource, linkage: Option<&BTreeSet<String>>, fields: Option<&BTreeSet<String>>) -> Value {
    let base = &store.config.base_url;
    let self_link = format!("{base}/api/{}/{}", res.ty, res.id);
    let wanted = |name: &str| fields.is_none_or(|f| f.contains(name));
    let spec = schema().resource(&res.ty);
    let mut attributes = Map::new();
    let mut rels = Map::new();
    if let Some(spec) = spec {
        for (name, _) in spec.fetchable() {
            if wanted(name) {
                attributes.insert(name.to_string(), res.attributes.get(name).cloned().unwrap_or(Value::Null));
            }
        }
        for (name, _) in &spec.relationships {
            if !wanted(name) {
                continue;
            }
            let mut entry = Map::new();
            entry.insert(
                "links".into(),
                json!({"self": format!("{self_link}/relationships/{name}"), "related": format!("{self_link}/{name}")}),
            );
            if linkage.is_some_and(|l| l.contains(name)) {
                let ident = |(t, id): &Key| json!({"type": t, "id": id});
                let data = match linkage_of(store, res, name) {
                    Rel::One(Some(k)) => ident(&k),
                    Rel::One(None) => Value::Null,
                    Rel::Many(ks) => Value::Array(ks.iter().map(ident).collect()),
                };
                entry.insert("data".into(), data);
            }
            rels.insert(name.clone(), Value::Object(entry));
        }
    }
    json!({"id": res.id, "type": res.ty, "links": {"self": self_link}, "attributes": attributes,
           "relationships": rels, "meta": {"mode": "test", "organization_id": "OrgSandbx1"}})
}

/// Ransack predicates the API takes after an attribute name, longest first.
const PREDICATES: [&str; 14] =
    ["not_eq", "not_in", "present", "blank", "start", "gteq", "lteq", "cont", "null", "end", "eq", "in", "gt", "lt"];

fn filter_error(name: &str) -> Response {
    error(400, "FILTER_NOT_ALLOWED", "Filter not allowed", &format!("{name} is not allowed."), None, None)
}

/// The value `attribute` filters on: an attribute, or `<relationship>_id`.
fn filter_value(res: &Resource, attribute: &str) -> Value {
    if attribute == "id" {
        return json!(res.id);
    }
    if let Some(rel) = attribute.strip_suffix("_id") {
        if let Some(k) = res.rel_one(rel) {
            return json!(k.1);
        }
    }
    res.attributes.get(attribute).cloned().unwrap_or(Value::Null)
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn matches(res: &Resource, attribute: &str, predicate: &str, wanted: &str) -> bool {
    let value = filter_value(res, attribute);
    let text = as_text(&value);
    let list = || wanted.split(',').map(str::trim).collect::<Vec<_>>();
    let number = |s: &str| s.parse::<f64>().ok();
    let compare = |ord: &[Ordering]| match (value.as_f64(), number(wanted)) {
        (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(|o| ord.contains(&o)),
        _ => text.as_deref().is_some_and(|t| ord.contains(&t.cmp(wanted))),
    };
    let truthy = wanted == "true" || wanted == "1";
    match predicate {
        "eq" => text.as_deref() == Some(wanted),
        "not_eq" => text.as_deref() != Some(wanted),
        "in" => text.as_deref().is_some_and(|t| list().contains(&t)),
        "not_in" => !text.as_deref().is_some_and(|t| list().contains(&t)),
        "cont" => text.as_deref().is_some_and(|t| t.to_lowercase().contains(&wanted.to_lowercase())),
        "start" => text.as_deref().is_some_and(|t| t.starts_with(wanted)),
        "end" => text.as_deref().is_some_and(|t| t.ends_with(wanted)),
        "null" => value.is_null() == truthy,
        "present" => text.as_deref().is_some_and(|t| !t.is_empty()) == truthy,
        "blank" => text.as_deref().is_none_or(str::is_empty) == truthy,
        "gt" => compare(&[Ordering::Greater]),
        "gteq" => compare(&[Ordering::Greater, Ordering::Equal]),
        "lt" => compare(&[Ordering::Less]),
        "lteq" => compare(&[Ordering::Less, Ordering::Equal]),
        _ => false,
    }
}

fn sort_key(res: &Resource, field: &str) -> Value {
    if field == "id" {
        json!(res.id)
    } else {
        res.attributes.get(field).cloned().unwrap_or(Value::Null)
    }
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => as_text(a).cmp(&as_text(b)),
    }
}

fn page_param(value: Option<&String>, name: &str, default: usize, max: usize) -> Result<usize, Response> {
    let Some(text) = value else { return Ok(default) };
    match text.parse::<usize>() {
        Ok(n) if n >= 1 && n <= max => Ok(n),
        _ => Err(error(
            400,
            "INVALID_PAGE_VALUE",
            "Invalid page value",
            &format!("{text} is not a valid value for {name} page parameter."),
            None,
            None,
        )),
    }
}

/// A collection as the API lists it: filtered, sorted, one page of it, with
/// `meta.record_count`, `meta.page_count` and first/prev/next/last links.
pub fn list(store: &Store, ty: &str, mut items: Vec<&Resource>, q: &Query, path: &str) -> Response {
    let Some(spec) = schema().resource(ty) else { return error(404, "NOT_FOUND", "Not found", "No such resource", None, None) };
    for (name, value) in &q.filters {
        let parsed = PREDICATES.iter().find_map(|p| name.strip_suffix(p).and_then(|a| a.strip_suffix('_')).map(|a| (a, *p)));
        let Some((attribute, predicate)) = parsed else { return filter_error(name) };
        if !spec.filters.iter().any(|f| f == attribute) {
            return filter_error(name);
        }
        items.retain(|r| matches(r, attribute, predicate, value));
    }
    for field in q.sort.iter().rev() {
        let (name, descending) = match field.strip_prefix('-') {
            Some(n) => (n, true),
            None => (field.as_str(), false),
        };
        if !spec.field(name).is_some_and(|f| f.sortable) {
            return error(
                400,
                "INVALID_SORT_CRITERIA",
                "Invalid sort criteria",
                &format!("{name} is not a valid sort criteria for {ty}"),
                None,
                None,
            );
        }
        // Stable sorts applied last key first give a multi-key sort.
        items.sort_by(|a, b| {
            let o = compare_values(&sort_key(a, name), &sort_key(b, name));
            if descending {
                o.reverse()
            } else {
                o
            }
        });
    }
    let size = match page_param(q.page_size.as_ref(), "size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let number = match page_param(q.page_number.as_ref(), "number", 1, usize::MAX) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let record_count = items.len();
    let page_count = record_count.div_ceil(size);
    let page: Vec<&Resource> = items.into_iter().skip((number - 1).saturating_mul(size)).take(size).collect();
    if let Err((res_ty, name)) = check_include(&page, &q.include) {
        return invalid_include(&res_ty, &name);
    }
    let mut doc = document(store, &page, true, q);
    let link = |n: usize| format!("{}{path}?page%5Bnumber%5D={n}&page%5Bsize%5D={size}", store.config.base_url);
    let mut links = Map::new();
    links.insert("first".into(), json!(link(1)));
    if number > 1 {
        links.insert("prev".into(), json!(link(number - 1)));
    }
    if number < page_count {
        links.insert("next".into(), json!(link(number + 1)));
    }
    links.insert("last".into(), json!(link(page_count.max(1))));
    doc["links"] = Value::Object(links);
    doc["meta"]["record_count"] = json!(record_count);
    doc["meta"]["page_count"] = json!(page_count);
    Response::new(200, JSON_API, doc.to_string())
}

pub fn invalid_include(ty: &str, name: &str) -> Response {
    error(400, "INVALID_INCLUDE", "Invalid field", &format!("{name} is not a valid relationship of {ty}"), None, None)
}
