// Unit tests of image ordering, versions, permalinks and package lists (frontend/js/search.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../frontend/js/search.js';

test('images: sysupgrade first, then factory, then the others', () => {
  const images = [
    { type: 'kernel', name: 'k.bin' },
    { type: 'factory', name: 'f.bin' },
    { type: 'combined', name: 'c.img.gz' },
    { type: 'sysupgrade', name: 's.bin' },
    { type: 'factory', name: 'a-factory.bin' },
  ];
  assert.deepEqual(S.sortImages(images).map((i) => i.name), ['s.bin', 'a-factory.bin', 'f.bin', 'c.img.gz', 'k.bin']);
  assert.equal(images[0].name, 'k.bin', 'the input is not changed');
  assert.deepEqual(S.sortImages(undefined), []);
});

test('image help keys per type', () => {
  assert.equal(S.imageHelpKey({ type: 'sysupgrade' }), 'image.help.sysupgrade');
  assert.equal(S.imageHelpKey({ type: 'kernel', filesystem: 'initramfs' }), 'image.help.kernel');
  assert.equal(S.imageHelpKey({ type: 'nand-factory' }), 'image.help.factory');
  assert.equal(S.imageHelpKey({ type: 'something' }), 'image.help.other');
});

test('versions: stable preselected, rc and snapshots only when configured, newest first', () => {
  const doc = { stable_version: '23.05.4', versions_list: ['19.07.10', '23.05.4', '24.10.0-rc2'], upcoming_version: '24.10.0-rc2' };
  assert.deepEqual(S.shownVersions(doc, {}), { versions: ['23.05.4', '19.07.10'], selected: '23.05.4' });
  assert.deepEqual(S.shownVersions(doc, { show_release_candidates: true }).versions, ['24.10.0-rc2', '23.05.4', '19.07.10']);
  assert.deepEqual(S.shownVersions(doc, { show_snapshots: true }).versions, ['SNAPSHOT', '23.05.4', '19.07.10']);
  assert.deepEqual(S.shownVersions(doc, { versions: ['19.07.10'] }), { versions: ['19.07.10'], selected: '19.07.10' });
  assert.equal(S.shownVersions(doc, { default_version: '19.07.10' }).selected, '19.07.10');
  assert.deepEqual(S.shownVersions({ versions_list: ['21.02.7', '21.02.10'] }, {}).versions, ['21.02.10', '21.02.7']);
  assert.deepEqual(S.shownVersions(null, {}), { versions: [], selected: null });
});

test('version paths', () => {
  assert.equal(S.versionPath('23.05.4'), 'releases/23.05.4');
  assert.equal(S.versionPath('SNAPSHOT'), 'snapshots');
  assert.equal(S.versionPath('23.05-SNAPSHOT'), 'releases/23.05-SNAPSHOT');
});

test('permalinks round-trip and keep the slash of the target readable', () => {
  const sel = { version: '23.05.4', target: 'ath79/generic', id: 'tplink_archer-c7-v5' };
  const link = S.buildPermalink(sel);
  assert.equal(link, '?version=23.05.4&target=ath79/generic&id=tplink_archer-c7-v5');
  assert.deepEqual(S.parsePermalink(link), sel);
  assert.deepEqual(S.parsePermalink('?version=SNAPSHOT'), { version: 'SNAPSHOT', target: null, id: null });
  assert.deepEqual(S.parsePermalink(''), { version: null, target: null, id: null });
  assert.equal(S.buildPermalink({ version: '19.07.10' }), '?version=19.07.10');
  // odd characters survive the round trip
  const odd = { version: '1 & 2', target: 'a/b', id: 'x=y' };
  assert.deepEqual(S.parsePermalink(S.buildPermalink(odd)), odd);
});

test('info URL template', () => {
  assert.equal(
    S.infoUrl('https://wiki/?q={title}&t={target}&{unknown}', { title: 'TP-Link Archer C7 v5', target: 'ath79/generic' }),
    'https://wiki/?q=TP-Link%20Archer%20C7%20v5&t=ath79%2Fgeneric&{unknown}',
  );
  assert.equal(S.infoUrl('', {}), '');
});

test('initial packages: defaults, device packages (with removals), extras, each once', () => {
  assert.deepEqual(
    S.initialPackages(['base-files', 'wpad-basic-mbedtls', 'dnsmasq'], ['-wpad-basic-mbedtls', 'wpad-openssl', 'dnsmasq'], ['luci', 'base-files']),
    ['base-files', 'dnsmasq', 'wpad-openssl', 'luci'],
  );
  assert.deepEqual(S.initialPackages(undefined, undefined, undefined), []);
});

test('package input and suggestions', () => {
  assert.deepEqual(S.parsePackageInput(' htop, luci-app-sqm\nnano '), ['htop', 'luci-app-sqm', 'nano']);
  const names = ['luci', 'luci-app-sqm', 'luci-ssl', 'sqm-scripts', 'htop', 'libluci'];
  assert.deepEqual(S.suggestPackages(names, 'luci', ['luci']), ['luci-app-sqm', 'luci-ssl', 'libluci']);
  assert.deepEqual(S.suggestPackages(names, 'SQM', []), ['sqm-scripts', 'luci-app-sqm']);
  assert.deepEqual(S.suggestPackages(names, '', []), []);
  assert.equal(S.suggestPackages(names, 'l', [], 2).length, 2);
});

test('sizes and elapsed time', () => {
  assert.equal(S.formatBytes(512), '512 B');
  assert.equal(S.formatBytes(1536), '1.5 KiB');
  assert.equal(S.formatBytes(20 * 1024 * 1024), '20 MiB');
  assert.equal(S.formatElapsed(0), '0:00');
  assert.equal(S.formatElapsed(65_400), '1:05');
});
