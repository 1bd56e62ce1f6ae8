// Unit tests of the console's formatting and roles (frontend/js/console/format.js, roles.js, logtext.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytes, dateTime, duration, errorText, isFinal, percent, rate, ratePercent, remainingSeconds, statusLabel } from '../../frontend/js/console/format.js';
import { canAdminister, canOperate, pickOrganization, roleIn } from '../../frontend/js/console/roles.js';
import { appendedText } from '../../frontend/js/console/logtext.js';

test('sizes, durations, rates', () => {
  assert.equal(bytes(0), '0 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(30 * 1024 * 1024), '30 MiB');
  assert.equal(bytes(-1), '');
  assert.equal(duration(42), '42 s');
  assert.equal(duration(185), '3 min 5 s');
  assert.equal(duration(3720), '1 h 2 min');
  assert.equal(rate(2 * 1024 * 1024, 2000), '1.0 MiB/s');
  assert.equal(rate(0, 1000), '');
  assert.equal(remainingSeconds(25, 100, 1000), 3);
  assert.equal(remainingSeconds(0, 100, 1000), null);
  assert.equal(percent(1, 3), 33);
  assert.equal(percent(5, 0), 0);
  assert.equal(percent(7, 5), 100);
  assert.equal(ratePercent(12.5), '12.5 %');
  assert.equal(ratePercent(33.333333), '33.33 %');
});

test('times are shown in UTC unless a zone is given', () => {
  assert.equal(dateTime('2026-11-25T10:00:05Z'), '2026-11-25 10:00:05');
  assert.equal(dateTime('2026-11-25T10:00:05Z', 'Europe/Berlin'), '2026-11-25 11:00:05');
  assert.equal(dateTime(null), '');
  assert.equal(dateTime('yesterday'), 'yesterday');
});

test('statuses and errors', () => {
  assert.equal(statusLabel('in-progress'), 'In progress');
  assert.equal(statusLabel('something-new'), 'something-new');
  assert.ok(isFinal('aborted') && isFinal('success') && !isFinal('queued') && !isFinal('in-progress'));
  assert.equal(errorText({ error: 'No devices found' }), 'No devices found');
  assert.equal(errorText({ status: 400, detail: 'bad', errors: { name: ['This field is required.'], port: ['a', 'b'] } }), 'name: This field is required.; port: a b');
  assert.equal(errorText({ status: 404, detail: 'not found' }), 'not found');
  assert.equal(errorText(null, 'HTTP 500'), 'HTTP 500');
});

test('roles decide what the console offers', () => {
  const me = { is_superuser: false, organizations: [{ organization: 'o1', role: 'admin' }, { organization: 'o2', role: 'operator' }] };
  assert.equal(roleIn(me, 'o1'), 'admin');
  assert.ok(canAdminister(me, 'o1') && canOperate(me, 'o1'));
  assert.ok(!canAdminister(me, 'o2') && canOperate(me, 'o2'));
  assert.ok(!canAdminister(me, 'o3') && !canOperate(me, 'o3'));
  assert.ok(canAdminister({ is_superuser: true, organizations: [] }, 'o3'));
  assert.equal(roleIn(null, 'o1'), null);
  const orgs = [{ slug: 'a' }, { slug: 'b' }];
  assert.equal(pickOrganization(orgs, 'b'), orgs[1]);
  assert.equal(pickOrganization(orgs, 'gone'), orgs[0]);
  assert.equal(pickOrganization([], 'a'), null);
});

test('a growing log appends only its new text', () => {
  assert.equal(appendedText('', 'a\n'), 'a\n');
  assert.equal(appendedText('a\n', 'a\nb\n'), 'b\n');
  assert.equal(appendedText('a\n', 'a\n'), '');
  assert.equal(appendedText('a\nb\n', 'x\n'), null);
});
