// Orders the .wasm's functions so that gzip finds more of each function in
// the ones before it. gzip (deflate) matches text only within the last 32 KB
// it has read, and the code section is about 54 KB, so which functions sit
// near each other changes the compressed size (rustc's order ships about
// 290 B more than this one; a random order about 600 B more). Greedy: after
// the largest function comes, each time, the function that adds the fewest
// deflated bytes per byte of its own to the last 32 KB placed. Deterministic
// (zlib's output, ties to the earlier function), so the same .wasm always
// gets the same order. Runs before the last wasm-opt pass (release-env.sh's
// optimize_wasm), which keeps the order and writes the final encoding.
//
// usage: node scripts/order-functions.mjs <file.wasm>   (rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import binaryen from "binaryen";

const WINDOW = 32 * 1024;
const [path] = process.argv.slice(2);
const bytes = readFileSync(path);

// Each defined function's body as the code section holds it (in index order).
function bodiesOf(wasm) {
  let at = 8;
  const leb = () => {
    let value = 0, shift = 0, byte;
    do {
      byte = wasm[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < wasm.length) {
    const id = wasm[at++], length = leb(), end = at + length;
    if (id === 10) {
      const bodies = [];
      for (let n = leb(); n > 0; n--) {
        const size = leb();
        bodies.push(wasm.subarray(at, at + size));
        at += size;
      }
      return bodies;
    }
    at = end;
  }
  throw new Error(`order-functions: ${path} has no code section`);
}

function greedyOrder(bodies) {
  const deflated = (b) => deflateRawSync(b, { level: 9 }).length;
  const left = bodies.map((_, i) => i);
  const order = [];
  let recent = Buffer.alloc(0);
  const place = (i) => {
    order.push(i);
    left.splice(left.indexOf(i), 1);
    recent = Buffer.concat([recent, bodies[i]]);
    if (recent.length > WINDOW) recent = recent.subarray(recent.length - WINDOW);
  };
  place(left.reduce((a, b) => (bodies[b].length > bodies[a].length ? b : a)));
  while (left.length) {
    const base = deflated(recent);
    let best = left[0], bestCost = Infinity;
    for (const i of left) {
      const cost = (deflated(Buffer.concat([recent, bodies[i]])) - base) / bodies[i].length;
      if (cost < bestCost) (best = i), (bestCost = cost);
    }
    place(best);
  }
  return order;
}

const order = greedyOrder(bodiesOf(bytes));
const module = binaryen.readBinary(bytes);
// The features the .wasm's target features section names (wasm-opt strips it only at the end).
module.setFeatures(module.getFeatures());
const defined = [];
for (let i = 0; i < module.getNumFunctions(); i++) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
  if (!info.module) defined.push(info);
}
if (defined.length !== order.length) throw new Error(`order-functions: ${defined.length} functions, ${order.length} bodies`);
// Removing a function and adding it again puts it last: in `order`, every function moves to the end once.
for (const i of order) {
  const { name, params, results, vars, body } = defined[i];
  module.removeFunction(name);
  module.addFunction(name, params, results, vars, body);
}
if (!module.validate()) throw new Error(`order-functions: ${path} does not validate once reordered`);
writeFileSync(path, module.emitBinary());
module.dispose();
