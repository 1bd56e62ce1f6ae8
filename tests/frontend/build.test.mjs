// Unit tests of the build API helpers (frontend/js/build.js) and translations (frontend/js/i18n.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, interpretBuildResponse, rejection, storeUrl } from '../../frontend/js/build.js';
import { dictionaries, pickLanguage, setLanguage, t } from '../../frontend/js/i18n.js';

test('build request body', () => {
  const body = buildRequest({ version: '23.05.4', versionCode: 'r1', target: 'ath79/generic', profile: 'p', packages: ['a', 'b'], defaults: '  ', rootfsSizeMb: '' });
  assert.deepEqual(body, { version: '23.05.4', version_code: 'r1', target: 'ath79/generic', profile: 'p', packages: ['a', 'b'], diff_packages: true, client: 'fwhub-selector/1' });
  const full = buildRequest({ version: 'v', target: 't/s', profile: 'p', packages: [], defaults: 'echo hi', rootfsSizeMb: '256' });
  assert.equal(full.defaults, 'echo hi');
  assert.equal(full.rootfs_size_mb, 256);
  assert.equal('version_code' in full, false);
});

test('responses: queued, running, done, failed', () => {
  assert.deepEqual(interpretBuildResponse(202, { detail: 'queued', queue_position: 3 }), { state: 'queued', position: 3 });
  assert.deepEqual(interpretBuildResponse(202, { detail: 'started', imagebuilder_status: 'building_image' }), { state: 'running', step: 'building_image' });
  assert.deepEqual(interpretBuildResponse(202, {}, { 'x-imagebuilder-status': 'validate_manifest' }), { state: 'running', step: 'validate_manifest' });
  assert.equal(interpretBuildResponse(200, { images: [] }).state, 'done');
  assert.deepEqual(interpretBuildResponse(500, { detail: 'Error: x', stdout: 'o', stderr: 'e' }), { state: 'failed', message: 'Error: x', stdout: 'o', stderr: 'e' });
  assert.equal(interpretBuildResponse(502, null).message, 'HTTP 502');
  assert.equal(interpretBuildResponse(529, { detail: 'server overload' }).state, 'overloaded');
});

test('rejections name the field they concern', () => {
  assert.deepEqual(interpretBuildResponse(422, { detail: 'Unsupported package(s): nosuch' }), { state: 'rejected', message: 'Unsupported package(s): nosuch', field: 'packages' });
  assert.equal(rejection('Handling `defaults` not enabled on server').field, 'defaults');
  assert.equal(rejection('Unsupported profile: x. The requested profile was either dropped').field, 'device');
  assert.equal(rejection('Unsupported version: 1').field, 'version');
  assert.equal(rejection('Something else').field, null);
  const schema = rejection([{ type: 'less_than_equal', loc: ['body', 'rootfs_size_mb'], msg: 'Input should be less than or equal to 1024' }]);
  assert.deepEqual(schema, { message: 'rootfs_size_mb: Input should be less than or equal to 1024', field: 'rootfs_size_mb' });
  assert.equal(rejection([{ loc: ['body', 'packages', 0], msg: 'String should match pattern' }]).field, 'packages');
});

test('store URLs', () => {
  assert.equal(storeUrl('http://h/', 'abc', 'a b.bin'), 'http://h/store/abc/a%20b.bin');
});

test('languages: browser preference by primary subtag, English fallback', () => {
  assert.equal(pickLanguage(['de-AT', 'en']), 'de');
  assert.equal(pickLanguage(['fr-FR', 'en-GB']), 'en');
  assert.equal(pickLanguage(['fr']), 'en');
  assert.equal(pickLanguage([]), 'en');
});

test('every language has every English key, placeholders intact', () => {
  const placeholders = (text) => (text.match(/\{\w+\}/g) || []).sort().join(',');
  for (const [lang, dict] of Object.entries(dictionaries)) {
    for (const [key, text] of Object.entries(dictionaries.en)) {
      assert.ok(key in dict, `${lang} lacks ${key}`);
      assert.equal(placeholders(dict[key]), placeholders(text), `${lang} ${key}`);
    }
  }
  setLanguage('de');
  assert.equal(t('build.queued', { position: 2 }), 'In der Warteschlange: Position 2.');
  setLanguage('xx');
  assert.equal(t('build.queued', { position: 2 }), 'Queued: position 2 in the queue.');
  assert.equal(t('no.such.key'), 'no.such.key');
});
