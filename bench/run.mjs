// npm run bench: cl-checkout side by side with the official @commercelayer/sdk
// (v7, tree-shaken) and a hand-written fetch() baseline, all against the same
// local sandbox in headless Chromium, in one run. Prints one table and writes
// bench/results/latest.json. BENCH_RUNS sets the runs per measurement (default 20).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { ROOT, sandbox, staticServer, browser, admin, token, confirmCard, storefrontApi } from "../tests/e2e/helpers.mjs";

const BENCH = join(ROOT, "bench");
const DIST = join(BENCH, "dist");
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CONTENDERS = ["cl", "sdk", "fetch"];
const NAMES = { cl: "cl-checkout", sdk: "@commercelayer/sdk", fetch: "raw fetch" };
// A mid-range phone on a slow 4G network (Chrome DevTools' "Slow 4G" + 4× CPU slowdown).
const THROTTLED = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0, cpu: 4 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const stats = (xs) => ({ median: +median(xs).toFixed(1), p10: +pct(xs, 10).toFixed(1), p90: +pct(xs, 90).toFixed(1), runs: xs.length });

async function bundles() {
  await mkdir(DIST, { recursive: true });
  const sizes = {};
  for (const c of CONTENDERS) {
    await build({
      entryPoints: [join(BENCH, "entries", `${c}.js`)],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2020",
      outfile: join(DIST, `${c}.js`),
      alias: { "cl-checkout": join(ROOT, "pkg/cl_checkout.js") },
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "error",
    });
    const files = [`${c}.js`];
    if (c === "cl") {
      await copyFile(join(ROOT, "pkg/cl_checkout_bg.wasm"), join(DIST, "cl_checkout_bg.wasm"));
      files.push("cl_checkout_bg.wasm");
    }
    const parts = {};
    for (const f of files) {
      const bytes = await readFile(join(DIST, f));
      parts[f] = {
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    }
    const total = (k) => Object.values(parts).reduce((n, p) => n + p[k], 0);
    sizes[c] = { raw: total("raw"), gzip: total("gzip"), brotli: total("brotli"), parts };
    await writeFile(join(DIST, `preload-${c}.html`), await preloadPage(files));
  }
  return sizes;
}

/**
 * The bench page with each contender loaded the way a page should load it:
 * `modulepreload` for its JavaScript and, for cl-checkout, the `.wasm`'s fetch
 * started by a line in the head and handed to `init()` (README "Loading it in a
 * page": its download starts with the HTML, not after the JS ran, and Safari
 * downloads it once, where a `preload as=fetch` link is downloaded twice).
 */
async function preloadPage(files) {
  // The .wasm's line first, as the README places it (an interleaved A/B on the throttled profile, 20 runs:
  // 1,156 ms median first, 1,229 after the modulepreload, 1,209 with a preload link instead).
  const hints = [...files]
    .sort((a, b) => b.endsWith(".wasm") - a.endsWith(".wasm"))
    .map((f) => (f.endsWith(".wasm") ? `<script>self.clCheckoutWasm = fetch("./${f}")</script>` : `<link rel="modulepreload" href="./${f}">`))
    .join("");
  const page = await readFile(join(BENCH, "page.html"), "utf8");
  return page.replace("<title>bench</title>", `<title>bench</title>${hints}`);
}

/** The release recipe, one row per step (bench/recipe.sh builds each; BENCH_RECIPE=0 skips them). */
const RECIPE = [
  "stable Rust, opt-level z, LTO, wasm-opt -Oz",
  "+ pinned nightly: build-std for size, panic = immediate abort",
  "+ lol_alloc instead of Rust's default allocator",
  "+ wasm-opt --converge --strip-producers --strip-target-features",
  "+ no reference types",
  "+ one-letter import and export names (scripts/short-names.mjs)",
  "+ wasm-opt: one-caller inlining up to 15 instructions, zeroed and unused low memory, flatten + reloop",
  "+ functions ordered for gzip (scripts/order-functions.mjs)",
  "+ glue trimmed (scripts/trim-glue.mjs) and minified by esbuild, with the methods' entry point and the executor's snippet bundled in (the shipped pkg/)",
];

async function recipeSteps() {
  if (process.env.BENCH_RECIPE === "0") return null;
  execFileSync("bash", [join(BENCH, "recipe.sh")], { stdio: "inherit" });
  const steps = [];
  for (const [i, label] of RECIPE.entries()) {
    const gz = async (f) => gzipSync(await readFile(join(DIST, "recipe", String(i + 1), f)), { level: 9 }).length;
    const wasm = await gz("cl_checkout_bg.wasm");
    // Before the last step the executor's inline JavaScript is a separate snippet file the glue imports.
    const snippets = (await readdir(join(DIST, "recipe", String(i + 1)), { recursive: true })).filter((f) => f.startsWith("snippets") && f.endsWith(".js"));
    let js = await gz("cl_checkout.js");
    for (const f of snippets) js += await gz(f);
    // ...and so is the entry point that defines Checkout's methods (src/browser/methods.js).
    if (i + 1 < RECIPE.length) js += gzipSync(await readFile(join(ROOT, "src/browser/methods.js")), { level: 9 }).length;
    steps.push({ step: label, wasm_gzip: wasm, js_gzip: js, total_gzip: wasm + js, saved: i ? steps[i - 1].wasm_gzip + steps[i - 1].js_gzip - wasm - js : 0 });
  }
  return steps;
}

async function main() {
  const recipe = await recipeSteps();
  const sizes = await bundles();
  const sbx = await sandbox();
  // Scripts and the .wasm compressed (gzip -9), as a CDN or web host serves them: the throttled link carries
  // what a shopper's phone downloads, the bytes-shipped rows' gzip column.
  const site = await staticServer({}, BENCH, { gzip: true });
  const chrome = await browser();
  const tok = await token(sbx.url);
  const pageUrl = (c, extra = "", page = "page.html") => `${site.url}/${page}?c=${c}&base=${encodeURIComponent(sbx.url)}&token=${tok}${extra}`;

  // `early`: the page hands the order to the contender's setup before loading it (cl-checkout's
  // prefetchOrder, README "Loading it in a page"; the others send their first request as soon as their
  // JavaScript runs either way, so their setup ignores it and the row measures them once more).
  async function cold(c, throttled, preload = false, early = false) {
    const order = (await admin(sbx.url, "POST", "/orders", { payment_source_type: "stripe_payments" })).id;
    const context = await chrome.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (throttled) {
      const { cpu, ...net } = THROTTLED;
      await cdp.send("Network.emulateNetworkConditions", { offline: false, ...net });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
    }
    await page.goto(pageUrl(c, `&order=${order}${early ? "&early=1" : ""}`, preload ? `dist/preload-${c}.html` : "page.html"));
    const result = await (await page.waitForFunction(() => window.__result, null, { timeout: 60000 })).jsonValue();
    await context.close();
    if (!result.ok) throw new Error(`${c}: no client_secret`);
    return result.ms;
  }

  const coldTimes = { unthrottled: {}, throttled: {}, throttled_preload: {}, throttled_preload_early: {} };
  for (const profile of Object.keys(coldTimes)) {
    for (const c of CONTENDERS) coldTimes[profile][c] = [];
    const throttled = profile !== "unthrottled";
    const [preload, early] = [profile.includes("preload"), profile.includes("early")];
    for (let i = 0; i < RUNS; i++) for (const c of CONTENDERS) coldTimes[profile][c].push(await cold(c, throttled, preload, early));
  }

  // Warm flows: one loaded page per contender; fresh sandbox state per run.
  const pages = {};
  for (const c of CONTENDERS) {
    pages[c] = await (await chrome.newContext()).newPage();
    await pages[c].goto(pageUrl(c));
    await pages[c].waitForFunction(() => window.__result?.ready);
  }
  const api = storefrontApi(sbx.url, tok);
  const order = (spec) => admin(sbx.url, "POST", "/orders", spec);
  const sourceFor = async (id, type = "stripe_payments") =>
    (await api("POST", `/${type}`, { type, attributes: {}, relationships: { order: { data: { type: "orders", id } } } })).data;
  const prepare = {
    stripeSource: async () => [(await order({ payment_source_type: "stripe_payments" })).id],
    // Saved once the card is authorized, before placing: a storefront token may not write to a placed order.
    saveToWallet: async () => {
      const o = await order({ payment_source_type: "stripe_payments", wallet: 0 });
      await confirmCard(sbx.url, (await sourceFor(o.id)).attributes);
      return [o.id];
    },
    listWallet: async () => [(await order({ payment_source_type: "stripe_payments", wallet: 3 })).id],
    reuse: async () => {
      const o = await order({ payment_source_type: "stripe_payments", wallet: 1 });
      return [o.id, o.wallet[0]];
    },
    createCustomerPaymentSource: async () => {
      const o = await order({ payment_source_type: "stripe_payments", wallet: 0 });
      return [o.customer_id, (await sourceFor(o.id)).id];
    },
    place: async () => {
      const o = await order({ payment_source_type: "wire_transfers" });
      await sourceFor(o.id, "wire_transfers");
      return [o.id];
    },
  };
  const measure = (c, flow, args) =>
    pages[c].evaluate(
      async ({ flow, args, base }) => {
        performance.clearResourceTimings();
        const t0 = performance.now();
        await window.contender.flows[flow](...args);
        const ms = performance.now() - t0;
        const entries = performance.getEntriesByType("resource").filter((e) => e.name.startsWith(base));
        return { ms, requests: entries.length, bytes: entries.reduce((n, e) => n + e.encodedBodySize, 0) };
      },
      { flow, args, base: sbx.url },
    );

  const flows = {};
  for (const flow of Object.keys(prepare)) {
    flows[flow] = {};
    for (const c of CONTENDERS) flows[flow][c] = [];
    for (let i = 0; i < RUNS; i++) for (const c of CONTENDERS) flows[flow][c].push(await measure(c, flow, await prepare[flow]()));
  }
  const summarize = (runs) => ({
    ms: stats(runs.map((r) => r.ms)),
    requests: Math.max(...runs.map((r) => r.requests)),
    response_bytes: Math.round(median(runs.map((r) => r.bytes))),
  });

  // Scaling: one order read as the order grows, one wallet read as the wallet grows.
  const scaling = { line_items: {}, wallet: {} };
  for (const [kind, sizesToTry, flow] of [["line_items", [1, 10, 100, 500], "order"], ["wallet", [1, 10, 100], "listWallet"]]) {
    for (const n of sizesToTry) {
      const o = await order(kind === "line_items" ? { payment_source_type: "stripe_payments", line_items: n } : { payment_source_type: "stripe_payments", wallet: n });
      scaling[kind][n] = {};
      const runs = Object.fromEntries(CONTENDERS.map((c) => [c, []]));
      for (let i = 0; i < Math.max(5, RUNS / 2); i++) for (const c of CONTENDERS) runs[c].push((await measure(c, flow, [o.id])).ms);
      for (const c of CONTENDERS) scaling[kind][n][c] = stats(runs[c]);
    }
  }

  // Hostile answers (served through a sandbox fault): cl-checkout's bounded decoding against a plain JSON.parse.
  // The SDK is left out: these documents are built to make an unbounded denormalizer expand without end.
  const hostile_ms = {};
  for (const [name, body] of Object.entries(hostileAnswers())) {
    const o = await order({ payment_source_type: "wire_transfers" });
    hostile_ms[name] = {};
    for (const c of ["cl", "fetch"]) {
      const n = Math.max(5, RUNS / 2);
      await admin(sbx.url, "POST", "/faults", { path: `/api/orders/${o.id}`, method: "GET", fault: "status", status: 200, body, times: n });
      const runs = [];
      for (let i = 0; i < n; i++) {
        runs.push(
          await pages[c].evaluate(async (id) => {
            const t0 = performance.now();
            await window.contender.flows.order(id).catch(() => null);
            return performance.now() - t0;
          }, o.id),
        );
      }
      await admin(sbx.url, "DELETE", "/faults");
      hostile_ms[name][c] = stats(runs);
    }
  }

  await chrome.close();
  site.close();
  sbx.stop();

  const results = {
    date: new Date().toISOString(),
    runs: RUNS,
    machine: "2 cores, headless Debian Chromium, sandbox on 127.0.0.1",
    throttled_profile: "RTT 150 ms, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower (Chrome DevTools Slow 4G)",
    contenders: NAMES,
    bytes_shipped: sizes,
    recipe_steps_gzip: recipe,
    cold_ms_to_client_secret: Object.fromEntries(Object.entries(coldTimes).map(([p, by]) => [p, Object.fromEntries(CONTENDERS.map((c) => [c, stats(by[c])]))])),
    flows: Object.fromEntries(Object.entries(flows).map(([f, by]) => [f, Object.fromEntries(CONTENDERS.map((c) => [c, summarize(by[c])]))])),
    scaling_ms: scaling,
    hostile_ms,
  };
  await mkdir(join(BENCH, "results"), { recursive: true });
  await writeFile(join(BENCH, "results/latest.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(table(results));
}

/** Answers no real API sends, as `tests/hostile.rs` builds them (its size limits are asserted there). */
function hostileAnswers() {
  const order = (rels, included) => JSON.stringify({ data: { id: "o1", type: "orders", attributes: {}, relationships: rels }, included });
  const keys = `{"data":{"id":"o1","type":"orders","attributes":{${'"k":1,'.repeat(100_000)}"k":0}}}`;
  const link = (t, id) => ({ type: t, id });
  const chain = [];
  for (let i = 0; i < 2000; i++) chain.push({ id: `p${i}`, type: "payment_methods", relationships: { next: { data: link("payment_methods", `p${i + 1}`) } } });
  const lattice = [];
  for (let l = 0; l < 20; l++)
    for (let k = 0; k < 2; k++)
      lattice.push({ id: `n${l}_${k}`, type: "line_items", relationships: { next: { data: l + 1 < 20 ? [link("line_items", `n${l + 1}_0`), link("line_items", `n${l + 1}_1`)] : [] } } });
  return {
    "100,000 duplicate keys": keys,
    "links shared 2^21 ways": order({ line_items: { data: [link("line_items", "n0_0"), link("line_items", "n0_1")] } }, lattice),
    "a 2,000-link chain (refused)": order({ payment_method: { data: link("payment_methods", "p0") } }, chain),
  };
}

/** The results as one Markdown table (also pasted into the README). */
export function table(r) {
  const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : "–");
  const rows = [["measure", ...CONTENDERS.map((c) => NAMES[c]), "cl ÷ SDK", "cl ÷ fetch"]];
  for (const k of ["raw", "gzip", "brotli"]) {
    const v = CONTENDERS.map((c) => r.bytes_shipped[c][k]);
    rows.push([`bytes shipped, ${k}`, ...v.map(String), ratio(v[0], v[1]), ratio(v[0], v[2])]);
  }
  for (const st of r.recipe_steps_gzip ?? []) {
    rows.push([`recipe: ${st.step} (gzip .wasm + glue, saved)`, st.saved ? `${st.total_gzip} (−${st.saved})` : String(st.total_gzip), "–", "–", "–", "–"]);
  }
  for (const [p, label] of [
    ["unthrottled", "cold ms to client_secret"],
    ["throttled", "cold ms to client_secret, Slow 4G + 4× CPU"],
    ["throttled_preload", "the same, each loaded as its docs recommend (modulepreload; cl-checkout's .wasm fetched from the head)"],
    ["throttled_preload_early", "the same, and cl-checkout's order read started before init() (prefetchOrder)"],
  ]) {
    const v = CONTENDERS.map((c) => r.cold_ms_to_client_secret[p]?.[c]);
    if (!v[0]) continue;
    rows.push([`${label} (median, p10–p90)`, ...v.map((s) => `${s.median} (${s.p10}–${s.p90})`), ratio(v[0].median, v[1].median), ratio(v[0].median, v[2].median)]);
  }
  for (const [flow, by] of Object.entries(r.flows)) {
    const v = CONTENDERS.map((c) => by[c]);
    rows.push([`${flow}: ms median / requests / response bytes`, ...v.map((s) => `${s.ms.median} / ${s.requests} / ${s.response_bytes}`), ratio(v[0].ms.median, v[1].ms.median), ratio(v[0].ms.median, v[2].ms.median)]);
  }
  for (const [kind, byN] of Object.entries(r.scaling_ms)) {
    for (const [n, by] of Object.entries(byN)) {
      const v = CONTENDERS.map((c) => by[c].median);
      rows.push([`${kind === "line_items" ? "order with" : "wallet of"} ${n} ${kind === "line_items" ? "line items" : "sources"}: ms median`, ...v.map(String), ratio(v[0], v[1]), ratio(v[0], v[2])]);
    }
  }
  for (const [name, by] of Object.entries(r.hostile_ms ?? {})) {
    rows.push([`hostile answer, ${name}: ms median`, String(by.cl.median), "–", String(by.fetch.median), "–", ratio(by.cl.median, by.fetch.median)]);
  }
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(rows[0]), line(rows[0].map(() => "---")), ...rows.slice(1).map(line)].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
