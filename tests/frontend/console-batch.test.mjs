// Unit tests of the batch page's and the wizard's logic (frontend/js/console/batch.js, wizard.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchActions, batchPercent, finishedCount, isBatchFinal, mergeChanges, progressUrl, summary } from '../../frontend/js/console/batch.js';
import { NEEDS_UPGRADE_ALL, dryRunQuery, isoFromLocal, planFromDryRun, startRequest, stepOfField } from '../../frontend/js/console/wizard.js';

test('counters, percent and summary of a batch', () => {
  const batch = { status: 'in-progress', total: 20, counts: { queued: 5, 'in-progress': 3, success: 10, failed: 1, aborted: 1, cancelled: 0, pending: 0 } };
  assert.equal(finishedCount(batch.counts), 12);
  assert.equal(batchPercent(batch), 60);
  assert.equal(batchPercent({ total: 0, counts: {} }), 0);
  assert.equal(summary(batch), '12 out of 20 done: 10 succeeded, 1 failed, 1 aborted.');
  assert.equal(summary({ total: 3, counts: {} }), '0 out of 3 done.');
});

test('actions allowed per batch status', () => {
  assert.deepEqual(batchActions('in-progress'), { cancel: true, pause: true, resume: false });
  assert.deepEqual(batchActions('paused'), { cancel: true, pause: false, resume: true });
  assert.deepEqual(batchActions('scheduled'), { cancel: true, pause: true, resume: false });
  for (const final of ['success', 'failed', 'cancelled']) {
    assert.deepEqual(batchActions(final), { cancel: false, pause: false, resume: false });
    assert.ok(isBatchFinal(final));
  }
  assert.ok(!isBatchFinal('paused'));
});

test('progress changes merge into the rows; an older change does not win', () => {
  const rows = new Map([
    ['a', { id: 'a', device_name: 'one', status: 'queued', progress: 0, modified: '2026-01-01T10:00:00Z' }],
    ['b', { id: 'b', device_name: 'two', status: 'in-progress', progress: 20, modified: '2026-01-01T10:00:05Z' }],
  ]);
  const merged = mergeChanges(rows, [
    { id: 'a', status: 'in-progress', progress: 10, modified: '2026-01-01T10:00:06Z' },
    { id: 'b', status: 'queued', progress: 0, modified: '2026-01-01T10:00:01Z' },
  ]);
  assert.equal(merged.get('a').status, 'in-progress');
  assert.equal(merged.get('a').device_name, 'one', 'fields not in the change are kept');
  assert.equal(merged.get('b').progress, 20);
  assert.equal(rows.get('a').status, 'queued', 'the old map is unchanged');
  assert.equal(progressUrl('/b/1/'), '/b/1/progress/');
  assert.equal(progressUrl('/b/1/', 0), '/b/1/progress/?since=0');
  assert.equal(progressUrl('/b/1/', 42), '/b/1/progress/?since=42');
});

test('the dry run splits devices into upgraded and not, with reasons', () => {
  const dryRun = {
    device_firmwares: [{ id: 'f1', device: 'd2', device_name: 'b-router', image: 'i1', image_type: 'x-sysupgrade.bin' }],
    devices: [{ id: 'd1', name: 'a-router', model: 'M', board_name: 'b', image: 'i1', image_type: 'x-sysupgrade.bin' }],
    excluded: [{ device: 'd3', device_name: 'c-router', reason: 'deactivated' }],
  };
  const all = planFromDryRun(dryRun, true);
  assert.deepEqual(all.upgraded.map((d) => d.name), ['a-router', 'b-router']);
  assert.deepEqual(all.skipped, [{ device: 'd3', name: 'c-router', reason: 'deactivated' }]);
  const some = planFromDryRun(dryRun, false);
  assert.deepEqual(some.upgraded.map((d) => d.device), ['d2']);
  assert.deepEqual(some.skipped.map((d) => [d.name, d.reason]), [['a-router', NEEDS_UPGRADE_ALL], ['c-router', 'deactivated']]);
  assert.deepEqual(planFromDryRun({}, true), { upgraded: [], skipped: [] });
  assert.deepEqual(dryRunQuery({ group: 'lab', location: '' }), { group: 'lab' });
});

test('the start request carries only what was chosen', () => {
  assert.deepEqual(startRequest({ upgrade_all: true }), { upgrade_all: true });
  const options = { c: true, o: false, n: false, u: false, p: false, k: false, F: false };
  const full = startRequest({ upgrade_all: false, group: 'lab', location: 'rack 1', upgrade_options: options, persistent: true, max_parallel: 5, first_wave: 10, first_wave_unit: 'percent', max_failure_rate: 20, scheduled_at: '2026-11-25T10:00', deadline: '' });
  assert.deepEqual(Object.keys(full).sort(), ['first_wave_percent', 'group', 'location', 'max_failure_rate', 'max_parallel', 'persistent', 'scheduled_at', 'upgrade_all', 'upgrade_options']);
  assert.equal(full.first_wave_percent, 10);
  assert.equal(full.scheduled_at, new Date('2026-11-25T10:00').toISOString().replace('.000Z', 'Z'));
  assert.equal(startRequest({ first_wave: 3.4, first_wave_unit: 'devices' }).first_wave, 3);
  assert.equal(startRequest({ max_failure_rate: 0 }).max_failure_rate, 0, 'a typed zero is sent as it is');
  assert.equal(startRequest({ max_parallel: 0 }).max_parallel, undefined);
  assert.equal(isoFromLocal('not a date'), undefined);
  assert.equal(stepOfField('group'), 1);
  assert.equal(stepOfField('max_parallel'), 3);
});
