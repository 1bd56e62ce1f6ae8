// bench/selector.mjs — the measuring half of bench/selector: drives Debian's chromium (headless,
// through the playwright-core that tests/browser pins) against a running stack and prints
//   (1) page load to interactive, cold (a new browser context per load: empty HTTP cache) and warm
//       (a new page in one context whose HTTP cache is filled);
//   (2) search latency over the stable release's full catalog: a query typed into the device
//       field → the suggestions list rendered (and → the next frame), next to search() of
//       frontend/js/search.js alone in node over the same index;
//   (3) the bytes of a first visit before the release's .overview.json is requested, and of the
//       overview itself, on the wire (CDP Network.loadingFinished encodedDataLength: headers and
//       body as sent, compressed if nginx compressed) and decoded (Network.dataReceived).
// "Interactive" is app.js's own signal: start() sets body[data-ready="true"] after .versions.json,
// the preselected release's .overview.json (fetched and indexed, so the search answers) and the
// server's overview.json are loaded. It is timed in the page (a MutationObserver installed before
// any script of the page runs), relative to the navigation start (performance.timeOrigin).
// Usage: node bench/selector.mjs URL [loads, default 10] [search repeats per query, default 60]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');
const S = await import(pathToFileURL(path.join(ROOT, 'frontend/js/search.js')).href);

const BASE = (process.argv[2] || '').replace(/\/+$/, '');
const LOADS = Number(process.argv[3] || 10);
const REPEATS = Number(process.argv[4] || 60);
const CHROMIUM = process.env.FWHUB_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const QUERIES = ['archer c7', 'c7 v5', 'gl-mt6000', 'tplink,archer-c7-v5', 'x', 'netgear r7800'];
const FRAME_MS = 1000 / 60;
const NODE_REPEATS = 2000;
if (!BASE) throw new Error('usage: node bench/selector.mjs URL [loads] [search repeats]');

// ---- helpers --------------------------------------------------------------------------------

/** Nearest-rank percentile of a list of numbers. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
const ms = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const stats = (values, p) => `median ${ms(percentile(values, 50))} ms, p${p} ${ms(percentile(values, p))} ms`;

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}

// Runs in the page before its own scripts: records when app.js declares the page ready.
function installReadyProbe() {
  const marks = (window.__bench = { ready: null });
  new MutationObserver(() => {
    if (marks.ready === null && document.body && document.body.dataset.ready === 'true') marks.ready = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
}

/** A page that fails the benchmark on any script error of the page. */
async function newPage(context) {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    console.error(`selector: page error: ${error.message}`);
    process.exitCode = 1;
  });
  return page;
}

/** Loads the page and returns its timings, milliseconds from the navigation start. */
async function load(page) {
  await page.goto(`${BASE}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench && window.__bench.ready !== null, null, { timeout: 30000, polling: 50 });
  return page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const overview = performance.getEntriesByType('resource').find((e) => /\/\.overview\.json$/.test(e.name));
    const resources = performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'));
    return {
      ready: window.__bench.ready,
      fcp: paint ? paint.startTime : NaN,
      overview: overview ? overview.responseEnd : NaN,
      requests: resources.length,
      fromCache: resources.filter((e) => e.transferSize === 0).length,
    };
  });
}

// ---- (1) load to interactive ----------------------------------------------------------------

// Cold and warm loads alternate, so that both meet the same load of the machine.
async function loads(browser) {
  const cold = [];
  const warm = [];
  const warmContext = await browser.newContext({ locale: 'en-US' });
  await warmContext.addInitScript(installReadyProbe);
  for (let i = 0; i <= LOADS; i++) {
    const context = await browser.newContext({ locale: 'en-US' });
    await context.addInitScript(installReadyProbe);
    const coldTiming = await load(await newPage(context));
    await context.close();
    const page = await newPage(warmContext);
    const warmTiming = await load(page);
    await page.close();
    if (i === 0) continue; // the first round warms nginx and chromium and fills the warm context's cache
    cold.push(coldTiming);
    warm.push(warmTiming);
  }
  await warmContext.close();
  return { cold, warm };
}

// ---- (3) bytes of a first visit -------------------------------------------------------------

async function firstVisitBytes(browser) {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript(installReadyProbe);
  const page = await newPage(context);
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!/^https?:/.test(e.request.url)) return; // data: URLs (the favicon) cost nothing
    requests.set(e.requestId, { url: e.request.url, started: e.timestamp, wire: 0, decoded: 0, encoding: '', done: false });
  });
  cdp.on('Network.responseReceived', (e) => {
    const request = requests.get(e.requestId);
    if (!request) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    request.encoding = headers['content-encoding'] || '';
    request.status = e.response.status;
  });
  cdp.on('Network.dataReceived', (e) => {
    const request = requests.get(e.requestId);
    if (request) request.decoded += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const request = requests.get(e.requestId);
    if (!request) return;
    request.wire = e.encodedDataLength;
    request.done = true;
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await load(page);
  await page.waitForLoadState('networkidle');
  for (const [id, request] of requests) {
    try {
      const body = await cdp.send('Network.getResponseBody', { requestId: id });
      request.gzip = gzipSync(Buffer.from(body.body, body.base64Encoded ? 'base64' : 'utf8'), { level: 6 }).length;
    } catch {
      request.gzip = request.decoded;
    }
  }
  await context.close();
  const all = [...requests.values()];
  const unfinished = all.filter((r) => !r.done);
  if (unfinished.length) throw new Error(`requests without loadingFinished: ${unfinished.map((r) => r.url).join(', ')}`);
  const overview = all.find((r) => /\/(releases\/[^/]+|snapshots)\/\.overview\.json$/.test(new URL(r.url).pathname));
  if (!overview) throw new Error("the release's .overview.json was not requested");
  const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
  const before = all.filter((r) => r.started < overview.started);
  const after = all.filter((r) => r !== overview && r.started >= overview.started);
  return { all, before, after, overview, sum };
}

// ---- (2) search latency ---------------------------------------------------------------------

// Runs in the page: times every input event of the device field from the capture phase of its
// beforeinput (the keystroke or paste reaching the page) to (a) the end of its handlers with the
// list's style and layout forced (the list is rendered) and (b) the next frame after it.
function installSearchProbe() {
  const input = document.getElementById('search');
  const list = document.getElementById('search-list');
  const records = (window.__search = []);
  let started = null;
  const start = (event) => {
    if (event.target === input && started === null) started = performance.now();
  };
  window.addEventListener('beforeinput', start, true);
  window.addEventListener('input', start, true);
  window.addEventListener('input', (event) => {
    if (event.target !== input) return;
    const t0 = started;
    started = null;
    list.getBoundingClientRect();
    const record = { query: input.value, rendered: performance.now() - t0, items: list.children.length, open: !list.hidden, frame: null };
    records.push(record);
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        record.frame = performance.now() - t0;
      };
      channel.port2.postMessage(null);
    });
  });
}

// Waits in the page until `count` input events are timed up to their next frame, returns their
// records and empties the field for the next query (one round trip).
const collect = (page, count) =>
  page.evaluate(
    (n) =>
      new Promise((resolve) => {
        const check = () => {
          const records = window.__search;
          if (records.length < n || !records.slice(0, n).every((r) => r.frame !== null)) {
            requestAnimationFrame(check);
            return;
          }
          const result = records.slice();
          const input = document.getElementById('search');
          input.value = '';
          input.dispatchEvent(new Event('input', { bubbles: true }));
          records.length = 0;
          resolve(result);
        };
        check();
      }),
    count,
  );

async function searchLatency(browser) {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await newPage(context);
  await page.goto(`${BASE}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.evaluate(installSearchProbe);
  await page.focus('#search');
  const pasted = {};
  for (const query of QUERIES) {
    const rendered = [];
    const frame = [];
    let sample = null;
    await page.keyboard.insertText(query); // what the list shows first, for the check at the end
    const first = await page.$eval('#search-list [role="option"] .detail', (node) => node.textContent).catch(() => '');
    await collect(page, 1);
    for (let i = 0; i < REPEATS + 5; i++) {
      await page.keyboard.insertText(query);
      const [record] = await collect(page, 1);
      if (record.query !== query) throw new Error(`the field holds "${record.query}", not "${query}"`);
      if (i < 5) continue; // warm-up: the JIT, the style sheet
      rendered.push(record.rendered);
      frame.push(record.frame);
      sample = record;
    }
    pasted[query] = { rendered, frame, items: sample.items, open: sample.open, first };
  }
  // Typed key by key (every prefix of every query answers on its own).
  const typed = { rendered: [], frame: [] };
  for (let round = 0; round < Math.max(3, Math.ceil(REPEATS / 10)); round++) {
    for (const query of QUERIES) {
      await page.keyboard.type(query);
      const records = await collect(page, query.length);
      if (records.length !== query.length || records.at(-1).query !== query) throw new Error(`typing "${query}" gave ${records.length} input events`);
      if (round === 0) continue;
      for (const r of records) {
        typed.rendered.push(r.rendered);
        typed.frame.push(r.frame);
      }
    }
  }
  await context.close();
  return { pasted, typed };
}

/** search() of frontend/js/search.js alone, over the same index the page builds. */
function nodeSearch(doc) {
  const builds = [];
  let index;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    index = S.buildIndex(doc.profiles || []);
    builds.push(performance.now() - t0);
  }
  const times = {};
  for (const query of QUERIES) {
    for (let i = 0; i < 200; i++) S.search(index, query, 15);
    const list = [];
    for (let i = 0; i < NODE_REPEATS; i++) {
      const t0 = performance.now();
      S.search(index, query, 15);
      list.push(performance.now() - t0);
    }
    times[query] = { list, total: S.search(index, query, 15).total };
  }
  return { index, builds: builds.slice(5), times };
}

// ---- run ------------------------------------------------------------------------------------

const started = performance.now();
const loadAverage = os.loadavg()[0];
const versions = await getJson(`${BASE}/.versions.json`);
const version = versions.stable_version;
const doc = await getJson(`${BASE}/${S.versionPath(version)}/.overview.json`);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const node = nodeSearch(doc);
  const { cold, warm } = await loads(browser);
  const bytes = await firstVisitBytes(browser);
  const search = await searchLatency(browser);

  const entries = node.index.length;
  console.log(`selector: headless chromium ${browser.version()}, ${os.cpus().length} cores (load average ${loadAverage.toFixed(1)} at the start), ${version} catalog (${doc.profiles.length} profiles, ${entries} titles indexed), ${BASE}/`);
  console.log('  interactive = app.js sets body[data-ready="true"]: .versions.json, the release\'s .overview.json (fetched and indexed) and the server\'s overview.json loaded');
  const loadLine = (name, list) =>
    `  load to interactive, ${name}, ${list.length} loads: ${stats(list.map((t) => t.ready), 90)}` +
    ` (first contentful paint median ${ms(percentile(list.map((t) => t.fcp), 50))} ms, overview received median ${ms(percentile(list.map((t) => t.overview), 50))} ms`;
  console.log(`${loadLine('cold (new context, empty cache)', cold)})`);
  const cached = warm.map((t) => t.fromCache);
  console.log(`${loadLine('warm (new page, HTTP cache filled)', warm)}, ${percentile(cached, 50)} of ${warm[0].requests} requests from the cache without a round trip)`);

  const { before, after, overview, sum } = bytes;
  const encodings = [...new Set(bytes.all.map((r) => r.encoding || 'identity'))].join(', ');
  const overviewPath = new URL(overview.url).pathname;
  console.log(
    `  first visit before ${overviewPath} is requested: ${before.length} requests, ${kB(sum(before, 'wire'))} on the wire, ` +
      `${kB(sum(before, 'decoded'))} decoded (target < 150 kB; gzip -6 would send ${kB(sum(before, 'gzip'))} of bodies)`,
  );
  const heaviest = [...before].sort((a, b) => b.wire - a.wire).slice(0, 4);
  console.log(`    heaviest: ${heaviest.map((r) => `${new URL(r.url).pathname} ${kB(r.wire)}`).join(', ')}`);
  console.log(
    `  the release's overview ${overviewPath}: ${kB(overview.wire)} on the wire, ${kB(overview.decoded)} decoded ` +
      `(gzip -6 would send ${kB(overview.gzip)})${after.length ? `; after it: ${after.length} requests, ${kB(sum(after, 'wire'))}` : ''}`,
  );
  const gzipOn = /^\s*gzip\s+on\s*;/m.test(readFileSync(path.join(ROOT, 'nginx/fwhub.conf'), 'utf8'));
  console.log(`  content-encoding of the responses: ${encodings} (nginx/fwhub.conf ${gzipOn ? 'turns gzip on' : 'turns no gzip on'})`);

  console.log(
    `  search over all ${doc.profiles.length} profiles (target: answers within a frame, ${FRAME_MS.toFixed(1)} ms), each query entered ${REPEATS} times:` +
      ` input event → suggestions rendered (handlers, style, layout), → next frame (adds the wait for it); search() alone in node, ${NODE_REPEATS} runs:`,
  );
  for (const query of QUERIES) {
    const p = search.pasted[query];
    const n = node.times[query];
    console.log(
      `    ${`"${query}"`.padEnd(22)} ${String(n.total).padStart(4)} matches, ${String(p.items).padStart(2)} shown:` +
        ` rendered ${stats(p.rendered, 99)}; next frame ${stats(p.frame, 99)}; search() ${stats(n.list, 99)}`,
    );
  }
  console.log(
    `  search typed key by key (${QUERIES.join(', ')}), ${search.typed.rendered.length} keystrokes: rendered ${stats(search.typed.rendered, 99)},` +
      ` max ${ms(Math.max(...search.typed.rendered))} ms; next frame ${stats(search.typed.frame, 99)}`,
  );
  console.log(`  building the search index in node: ${stats(node.builds, 90)}`);
  console.log(`  (measured in ${((performance.now() - started) / 1000).toFixed(0)} s)`);

  // Sanity: what the issue asks the search to find is found.
  const c7 = search.pasted['tplink,archer-c7-v5'];
  if (!c7.items || !/tplink_archer-c7-v5/.test(c7.first)) throw new Error(`"tplink,archer-c7-v5" did not find the Archer C7 v5 first (got "${c7.first}")`);
  for (const query of QUERIES) {
    const p = search.pasted[query];
    if (p.items !== Math.min(15, node.times[query].total) || p.open !== p.items > 0) throw new Error(`"${query}": ${p.items} suggestions shown`);
  }
} finally {
  await browser.close();
}
