#!/usr/bin/env node
// Vendors the part of Commerce Layer's published resource schema that
// cl-sandbox serves into sandbox/schema/resources.json; the vendored file is
// what the sandbox, its tests and the test command read.
//
// Source: the parsed schema the official @commercelayer/sdk is generated from
// (gen/resources.json in commercelayer/commercelayer-sdk, built from the public
// OpenAPI document data.commercelayer.app/schemas/openapi.json). The vendored
// file records the sha256 of the copy it was made from.
// Refresh: node scripts/vendor-schema.mjs PATH/TO/resources.json
// Check:   node scripts/vendor-schema.mjs --check PATH/TO/resources.json   (exit 1 when stale)
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = `${ROOT}sandbox/schema/resources.json`;
const args = process.argv.slice(2);
const check = args.includes("--check");
const source = args.find((a) => !a.startsWith("--"));

// The resources a checkout touches, by their schema id.
const RESOURCES = [
  "order", "line_item", "payment_method", "market", "customer", "customer_payment_source",
  "adyen_payment", "axerve_payment", "braintree_payment", "checkout_com_payment", "external_payment",
  "klarna_payment", "paypal_payment", "satispay_payment", "stripe_payment", "wire_transfer",
];
// What the sandbox and its conformance check read of each field and relationship.
const FIELD_KEYS = ["type", "creatable", "updatable", "fetchable", "filterable", "sortable", "trigger", "prohibited", "enum", "required"];
const REL_KEYS = ["type", "creatable", "updatable", "fetchable", "includable", "polymorphic", "virtual", "prohibited", "class_name", "enum"];

const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
const plural = (id) => `${id}s`;
const pick = (obj, keys) => Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));

if (!source || !existsSync(source)) {
  console.error("usage: node scripts/vendor-schema.mjs [--check] PATH/TO/resources.json (the SDK's gen/resources.json)");
  process.exit(2);
}
const raw = readFileSync(source);
const all = JSON.parse(raw.toString("utf8"));
const byId = new Map(all.map((r) => [r.id, r]));
const resources = {};
for (const id of RESOURCES) {
  const r = byId.get(id);
  if (!r) throw new Error(`the schema has no resource ${id}`);
  const a = r.attributes;
  const fields = Object.fromEntries(Object.entries(a.fields).map(([name, f]) => [name, pick(f, FIELD_KEYS)]));
  const relationships = Object.fromEntries(Object.entries(a.relationships ?? {}).map(([name, rel]) => {
    const out = pick(rel, REL_KEYS);
    // The JSON:API type of the related resource (polymorphic ones list theirs in `enum`).
    if (!rel.polymorphic) out.resource_type = plural(snake(rel.class_name));
    return [name, out];
  }));
  resources[plural(id)] = { actions: a.actions, fields, relationships, filters: a.filters ?? [] };
}
const text = `${JSON.stringify({
  source: "Commerce Layer resource schema (commercelayer-sdk gen/resources.json), vendored by scripts/vendor-schema.mjs",
  source_sha256: createHash("sha256").update(raw).digest("hex"),
  resources,
}, null, 1)}\n`;
if (check) {
  const current = existsSync(OUT) ? readFileSync(OUT, "utf8") : "";
  if (current !== text) {
    console.error("vendor-schema: sandbox/schema/resources.json is out of date: run node scripts/vendor-schema.mjs");
    process.exit(1);
  }
  console.log("vendor-schema: sandbox/schema/resources.json matches the published schema");
} else {
  writeFileSync(OUT, text);
  console.log(`vendor-schema: wrote ${Object.keys(resources).length} resources to sandbox/schema/resources.json`);
}
