//! Resources → JSON:API documents as Commerce Layer sends them: `links`,
//! `relationships` (linkage only where included), `included`, `meta.mode`,
//! honouring `include=a,b.c` and `fields[type]=x,y`.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use crate::store::{Key, Rel, Resource, Store, MARKET_ID};

pub struct Query {
    /// Include paths, split on dots.
    pub include: Vec<Vec<String>>,
    pub fields: HashMap<String, BTreeSet<String>>,
}

impl Query {
    pub fn from_pairs(pairs: &[(String, String)]) -> Query {
        let mut include = Vec::new();
        let mut fields = HashMap::new();
        for (k, v) in pairs {
            if k == "include" {
                include.extend(v.split(',').filter(|p| !p.is_empty()).map(|p| p.split('.').map(str::to_string).collect()));
            } else if let Some(ty) = k.strip_prefix("fields[").and_then(|r| r.strip_suffix(']')) {
                fields.insert(ty.to_string(), v.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect());
            }
        }
        Query { include, fields }
    }
}

/// The relationships a resource has, stored or computed (the order's
/// `available_*` lists follow the market and the customer's wallet).
pub fn relationships(store: &Store, res: &Resource) -> Vec<(String, Rel)> {
    let mut rels = res.relationships.clone();
    if res.ty == "orders" {
        let methods = store
            .all("payment_methods")
            .into_iter()
            .filter(|pm| pm.rel_one("market").is_some_and(|(_, m)| m == MARKET_ID) && pm.attributes["disabled_at"].is_null())
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

/// Checks every include path against the relationships that exist.
pub fn check_include(store: &Store, roots: &[&Resource], include: &[Vec<String>]) -> Result<(), String> {
    for path in include {
        let mut level: Vec<Resource> = roots.iter().map(|r| (*r).clone()).collect();
        let names_of = |res: &Resource| relationships(store, res).into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        for segment in path {
            if !level.is_empty() && !level.iter().any(|r| names_of(r).contains(segment)) {
                return Err(segment.clone());
            }
            level =
                level.iter().flat_map(|r| targets(store, r, segment)).filter_map(|k| store.resources.get(&k).cloned()).collect();
        }
    }
    Ok(())
}

fn targets(store: &Store, res: &Resource, name: &str) -> Vec<Key> {
    match relationships(store, res).into_iter().find(|(n, _)| n == name).map(|(_, r)| r) {
        Some(Rel::One(Some(k))) => vec![k],
        Some(Rel::Many(ks)) => ks,
        _ => Vec::new(),
    }
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
    let data = if many { Value::Array(primary.iter().map(|r| render(r)).collect()) } else { render(primary[0]) };
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

fn resource(store: &Store, res: &Resource, linkage: Option<&BTreeSet<String>>, fields: Option<&BTreeSet<String>>) -> Value {
    let base = &store.config.base_url;
    let self_link = format!("{base}/api/{}/{}", res.ty, res.id);
    let wanted = |name: &str| fields.is_none_or(|f| f.contains(name));
    let attributes: Map<String, Value> =
        res.attributes.iter().filter(|(k, _)| wanted(k) && !k.starts_with('_')).map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut rels = Map::new();
    for (name, rel) in relationships(store, res) {
        if !wanted(&name) {
            continue;
        }
        let mut entry = Map::new();
        entry.insert(
            "links".into(),
            json!({"self": format!("{self_link}/relationships/{name}"), "related": format!("{self_link}/{name}")}),
        );
        if linkage.is_some_and(|l| l.contains(&name)) {
            let ident = |(t, id): &Key| json!({"type": t, "id": id});
            let data = match &rel {
                Rel::One(Some(k)) => ident(k),
                Rel::One(None) => Value::Null,
                Rel::Many(ks) => Value::Array(ks.iter().map(ident).collect()),
            };
            entry.insert("data".into(), data);
        }
        rels.insert(name, Value::Object(entry));
    }
    json!({"id": res.id, "type": res.ty, "links": {"self": self_link}, "attributes": attributes,
           "relationships": rels, "meta": {"mode": "test"}})
}
