// Shortens the names the .wasm and its glue share. wasm-bindgen names every
// import `__wbg_<name>_<16 hex digits>` under the module "./cl_checkout_bg.js"
// and every export after its Rust path; each name is stored in the .wasm and
// again in the glue, and the hashes do not compress. binaryen's
// --minify-imports-and-exports-and-modules renames them in the .wasm and prints
// the mapping; this script applies that mapping to the glue.
//
// usage: node scripts/short-names.mjs <dir with cl_checkout_bg.wasm + cl_checkout.js> [--name=<crate, for another
// module's <name>_bg.wasm + <name>.js>] [wasm-opt feature flags]
// (the features are read from the .wasm's target features section unless given)
// Runs on the unminified glue, before esbuild; fails loudly when the glue has
// a name the mapping does not cover (a wasm-bindgen upgrade changed its shape).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, ...rest] = process.argv.slice(2);
const name = rest.find((a) => a.startsWith("--name="))?.slice("--name=".length) ?? "cl_checkout";
const features = rest.filter((a) => !a.startsWith("--name="));
const wasmPath = join(dir, `${name}_bg.wasm`);
const gluePath = join(dir, `${name}.js`);
const wasmOpt = new URL("../node_modules/.bin/wasm-opt", import.meta.url).pathname;

const before = new WebAssembly.Module(readFileSync(wasmPath));
const modules = new Set(WebAssembly.Module.imports(before).map((i) => i.module));
if (modules.size !== 1) throw new Error(`short-names: expected one import module, found ${[...modules].join(", ")}`);
const [oldModule] = modules;

const printed = execFileSync(wasmOpt, [wasmPath, ...features, "--minify-imports-and-exports-and-modules", "-o", wasmPath], {
  encoding: "utf8",
});
const mapping = JSON.parse(printed.slice(printed.indexOf("{")));
const after = new WebAssembly.Module(readFileSync(wasmPath));
const [newModule, ...others] = new Set(WebAssembly.Module.imports(after).map((i) => i.module));
if (others.length) throw new Error("short-names: binaryen split the import module");

let glue = readFileSync(gluePath, "utf8");
const escape = (s) => s.replace(/[$.]/g, "\\$&");
const replace = (pattern, to, what) => {
  const next = glue.replace(pattern, to);
  if (next === glue) throw new Error(`short-names: ${what} not found in the glue`);
  glue = next;
};

// Imports: the keys of the imports object the glue builds (`name: function(...)`).
for (const [, name, short] of mapping.imports) {
  replace(new RegExp(`(?<![\\w$])${escape(name)}(?=\\s*:)`, "g"), short, `import ${name}`);
}
replace(new RegExp(`"${escape(oldModule)}"(?=\\s*:)`, "g"), JSON.stringify(newModule), `module ${oldModule}`);
// Exports: every use is `wasm.<name>`.
for (const [name, short] of mapping.exports) {
  const uses = new RegExp(`(?<=\\bwasm\\.)${escape(name)}(?![\\w$])`, "g");
  glue = glue.replace(uses, short); // unused exports (e.g. __abort_handler) have no use
}

// Nothing of the old names may remain, or the module would fail to link.
const left = [...glue.matchAll(/\bwasm\.([\w$]+)/g)].map((m) => m[1]).filter((n) => !mapping.exports.some(([, s]) => s === n));
const stale = mapping.imports.filter(([, name]) => glue.includes(name)).map(([, name]) => name);
if (left.length || stale.length || glue.includes(oldModule)) {
  throw new Error(`short-names: the glue still uses old names: ${[...left, ...stale].join(", ") || oldModule}`);
}
writeFileSync(gluePath, glue);
