// Unit tests of the selector's device search (frontend/js/search.js), run with `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildIndex, search, queryWords, matchRanges, highlightParts, titleLabel, findProfile } from '../../frontend/js/search.js';

const profiles = [
  { id: 'tplink_archer-c7-v5', target: 'ath79/generic', titles: [{ vendor: 'TP-Link', model: 'Archer C7', variant: 'v5' }] },
  { id: 'tplink_archer-c7-v2', target: 'ath79/generic', titles: [{ vendor: 'TP-Link', model: 'Archer C7', variant: 'v2' }] },
  { id: 'tplink_archer-c7-v10', target: 'ath79/generic', titles: [{ vendor: 'TP-Link', model: 'Archer C7', variant: 'v10' }] },
  { id: 'tplink_archer-c60-v2', target: 'ath79/generic', titles: [{ vendor: 'TP-Link', model: 'Archer C60', variant: 'v2' }] },
  { id: 'glinet_gl-mt6000', target: 'mediatek/filogic', titles: [{ vendor: 'GL.iNet', model: 'GL-MT6000' }] },
  { id: 'netgear_wndr4700', target: 'apm821xx/nand', titles: [{ vendor: 'NETGEAR', model: 'Centria N900 WNDR4700' }, { vendor: 'NETGEAR', model: 'Centria N900 WNDR4720' }] },
  { id: 'generic', target: 'x86/64', titles: [{ title: 'Generic x86/64' }] },
  { id: 'pcengines_apu2', target: 'x86/64', titles: [{ vendor: 'PC Engines', model: 'APU2' }], supported_devices: ['pc-engines-apu2'] },
];
const index = buildIndex(profiles);
const labels = (result) => result.results.map((r) => r.entry.label);

test('titles become labels: vendor model variant, or title', () => {
  assert.equal(titleLabel({ vendor: 'TP-Link', model: 'Archer C7', variant: 'v5' }), 'TP-Link Archer C7 v5');
  assert.equal(titleLabel({ title: 'Generic x86/64' }), 'Generic x86/64');
  assert.equal(titleLabel({ vendor: 'GL.iNet', model: 'GL-MT6000' }), 'GL.iNet GL-MT6000');
});

test('one index entry per title', () => {
  assert.equal(index.length, 9);
  assert.equal(index.filter((e) => e.id === 'netgear_wndr4700').length, 2);
});

test('every word must match, in any order and case', () => {
  assert.deepEqual(labels(search(index, 'archer c7')), ['TP-Link Archer C7 v2', 'TP-Link Archer C7 v5', 'TP-Link Archer C7 v10']);
  assert.deepEqual(labels(search(index, 'C7 V5')), ['TP-Link Archer C7 v5']);
  assert.deepEqual(labels(search(index, 'v5 archer')), ['TP-Link Archer C7 v5']);
  assert.deepEqual(labels(search(index, 'archer zzz')), []);
});

test('word-start matches rank before inner matches, then natural order', () => {
  // "c6" starts a word only in "C60"; "c7" would not match it at all
  const result = search(index, 'archer c');
  assert.deepEqual(labels(result), ['TP-Link Archer C7 v2', 'TP-Link Archer C7 v5', 'TP-Link Archer C7 v10', 'TP-Link Archer C60 v2']);
  // "wndr47" matches inside a word only: equal scores, natural order
  const inner = search(index, 'wndr47');
  assert.deepEqual(labels(inner), ['NETGEAR Centria N900 WNDR4700', 'NETGEAR Centria N900 WNDR4720']);
});

test('profile ids and board names with a comma are found', () => {
  assert.deepEqual(labels(search(index, 'tplink,archer-c7-v5')), ['TP-Link Archer C7 v5']);
  assert.deepEqual(labels(search(index, 'gl-mt6000')), ['GL.iNet GL-MT6000']);
  assert.deepEqual(labels(search(index, 'pc-engines-apu2')), ['PC Engines APU2']);
});

test('the limit caps results and total counts all matches', () => {
  const result = search(index, 'tp-link', 2);
  assert.equal(result.results.length, 2);
  assert.equal(result.total, 4);
  assert.equal(search(index, '   ').total, 0);
});

test('highlight ranges cover the matched words, merged', () => {
  const [hit] = search(index, 'archer c7 v5').results;
  const parts = highlightParts(hit.entry.label, hit.labelRanges);
  assert.deepEqual(parts.filter((p) => p.match).map((p) => p.text), ['Archer', 'C7', 'v5']);
  assert.equal(parts.map((p) => p.text).join(''), 'TP-Link Archer C7 v5');
  assert.deepEqual(matchRanges('aaa', ['aa']), [[0, 3]]);
  assert.deepEqual(hit.idRanges.length > 0, true);
});

test('queryWords folds case and treats comma like underscore', () => {
  assert.deepEqual(queryWords('  TPLink,Archer   C7 '), ['tplink_archer', 'c7']);
});

test('findProfile by id and target', () => {
  assert.equal(findProfile(index, 'generic', 'x86/64').label, 'Generic x86/64');
  assert.equal(findProfile(index, 'generic', 'ath79/generic'), null);
  assert.equal(findProfile(index, 'glinet_gl-mt6000', null).target, 'mediatek/filogic');
});

test('the real 23.05.4 catalog: board names, at most 15 suggestions, fast', () => {
  const doc = JSON.parse(readFileSync(new URL('../data/openwrt/releases/23.05.4/.overview.json', import.meta.url)));
  const real = buildIndex(doc.profiles);
  assert.ok(real.length >= 1534);
  const c7 = search(real, 'archer c7', 15);
  assert.ok(c7.results.some((r) => r.entry.id === 'tplink_archer-c7-v5'));
  for (const r of c7.results) assert.match(r.entry.label.toLowerCase(), /archer.*c7/);
  assert.equal(search(real, 'tplink,archer-c7-v5').results[0].entry.id, 'tplink_archer-c7-v5');
  assert.ok(search(real, 'gl-mt6000').results.some((r) => r.entry.id === 'glinet_gl-mt6000'));
  const many = search(real, 'a', 15);
  assert.equal(many.results.length, 15);
  assert.ok(many.total > 15);
  // one keystroke must answer within a frame (16 ms); measure the mean over many queries
  const queries = ['a', 'ar', 'arc', 'arch', 'archer', 'archer c', 'archer c7', 'tp', 'tp-link', 'netgear r7', 'xiaomi', 'x86'];
  const start = performance.now();
  const rounds = 20;
  for (let i = 0; i < rounds; i++) for (const q of queries) search(real, q, 15);
  const mean = (performance.now() - start) / (rounds * queries.length);
  assert.ok(mean < 16, `mean search time ${mean.toFixed(2)} ms`);
});
