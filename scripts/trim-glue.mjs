// Removes from wasm-bindgen's glue what this package never runs or must not
// do, before esbuild minifies it (scripts/build.sh). Each edit is an exact
// text of the pinned wasm-bindgen (Cargo.lock) and must match: an upgrade that
// changes the glue fails the build here instead of shipping it untrimmed.
//
// usage: node scripts/trim-glue.mjs <glue .js>
import { readFileSync, writeFileSync } from "node:fs";

const edits = [
  // The module never writes to the console (README, Errors): init() still falls
  // back to WebAssembly.instantiate when a server sends the .wasm without its
  // MIME type, and still takes the older call forms, but silently.
  [
    /\n *console\.warn\("`WebAssembly\.instantiateStreaming` failed because your server does not serve Wasm with `application\/wasm` MIME type\. Falling back to `WebAssembly\.instantiate` which is slower\. Original error:\\n", e\);\n/,
    "\n",
  ],
  [/\n *console\.warn\('using deprecated parameters for `initSync\(\)`; pass a single object instead'\)\n/, "\n"],
  [/\n *console\.warn\('using deprecated parameters for the initialization function; pass a single object instead'\)\n/, "\n"],
  // Every string is passed with a realloc (wasm-bindgen's own calls), so the
  // encode-and-copy branch for callers without one never runs.
  [/\n    if \(realloc === undefined\) \{\n(?: {8}.*\n)+? {4}\}\n/, "\n"],
  // TextEncoder.encodeInto is in every browser that can run this .wasm (it
  // uses bulk memory: Chrome 75, Firefox 79, Safari 15; encodeInto came in
  // Chrome 74, Firefox 66, Safari 14.1) and in Node: no fallback.
  [/\nif \(!\('encodeInto' in cachedTextEncoder\)\) \{\n(?: {4}.*\n)+?\}\n/, "\n"],
];

const [path] = process.argv.slice(2);
let glue = readFileSync(path, "utf8");
for (const [pattern, to] of edits) {
  const next = glue.replace(pattern, to);
  if (next === glue) throw new Error(`trim-glue: ${pattern} not found in ${path} (did wasm-bindgen change?)`);
  glue = next;
}
const withoutRealloc = [...glue.matchAll(/passStringToWasm0\(([^()]*)\)/g)].filter(([, args]) => args.split(",").length !== 3);
if (withoutRealloc.length) throw new Error(`trim-glue: a string is passed without realloc: ${withoutRealloc[0][0]}`);
if (glue.includes("console.")) throw new Error(`trim-glue: ${path} still writes to the console`);
writeFileSync(path, glue);
