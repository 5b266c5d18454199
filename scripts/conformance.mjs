// Reads the sandbox's conformance tally (every JSON:API answer it gave,
// checked against the vendored Commerce Layer schema) and fails on any
// violation, or when nothing was checked.
// Usage: node scripts/conformance.mjs SANDBOX_URL
const [base] = process.argv.slice(2);
const tally = await (await fetch(`${base}/sandbox/conformance`)).json();
console.log(`conformance: ${tally.documents} API documents, ${tally.resources} resources checked against the schema, ${tally.violation_count} violations (${tally.deliberately_off_schema} resources made off-schema on purpose by hostile-input tests, skipped)`);
for (const v of tally.violations) console.log(`  ${v}`);
if (tally.violation_count > 0 || tally.resources === 0) process.exit(1);
