// Unit tests of polling with ETag / If-None-Match (frontend/js/console/poll.js) on a fake server
// and a fake timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poll } from '../../frontend/js/console/poll.js';

/** A fake timer: run() fires the pending callback. */
function fakeTimer() {
  const timer = { pending: null, set: (fn) => { timer.pending = fn; return 1; }, clear: () => { timer.pending = null; } };
  timer.fire = async () => {
    const fn = timer.pending;
    timer.pending = null;
    assert.ok(fn, 'a poll is scheduled');
    await fn();
  };
  return timer;
}

/** A server whose resource changes when told; it answers 304 to a matching If-None-Match. */
function fakeServer(initial) {
  const server = { version: 1, body: initial, requests: [] };
  server.fetchJson = async (url, headers) => {
    server.requests.push({ url, headers });
    const etag = `"v${server.version}"`;
    if (headers['If-None-Match'] === etag) return { status: 304, body: null, etag };
    return { status: 200, body: server.body, etag };
  };
  server.change = (body) => {
    server.version++;
    server.body = body;
  };
  return server;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('unchanged answers are 304s and do not call onChange; changes do; done stops', async () => {
  const server = fakeServer({ status: 'in-progress', progress: 10 });
  const timer = fakeTimer();
  const seen = [];
  const poller = poll({ url: '/op/1/', fetchJson: server.fetchJson, onChange: (b) => seen.push(b.progress), done: (b) => b.status === 'success', setTimer: timer.set, clearTimer: timer.clear });
  await tick();
  assert.deepEqual(seen, [10]);
  assert.deepEqual(server.requests[0].headers, {}, 'the first request has no validator');
  await timer.fire();
  assert.deepEqual(server.requests[1].headers, { 'If-None-Match': '"v1"' });
  assert.deepEqual(seen, [10], 'a 304 changes nothing');
  server.change({ status: 'in-progress', progress: 65 });
  await timer.fire();
  assert.deepEqual(seen, [10, 65]);
  server.change({ status: 'success', progress: 100 });
  await timer.fire();
  assert.deepEqual(seen, [10, 65, 100]);
  assert.equal(timer.pending, null, 'no poll after the final state');
  assert.equal(poller.etag, '"v3"');
});

test('errors are reported and polling goes on; stop() ends it', async () => {
  const timer = fakeTimer();
  const errors = [];
  let calls = 0;
  const poller = poll({
    url: '/x/',
    fetchJson: async () => {
      calls++;
      if (calls === 1) throw new Error('network down');
      return { status: 200, body: { n: calls }, etag: null };
    },
    onChange: () => {},
    onError: (e) => errors.push(e.message),
    setTimer: timer.set,
    clearTimer: timer.clear,
  });
  await tick();
  assert.deepEqual(errors, ['network down']);
  assert.ok(timer.pending, 'tried again later');
  await timer.fire();
  poller.stop();
  assert.equal(timer.pending, null);
  assert.equal(calls, 2);
});

test('nextUrl moves a cursor forward and drops the old validator; now() polls at once', async () => {
  const timer = fakeTimer();
  const urls = [];
  let cursor = 0;
  const poller = poll({
    url: '/batch/1/progress/',
    fetchJson: async (url, headers) => {
      urls.push([url, headers['If-None-Match'] || null]);
      cursor++;
      return { status: 200, body: { cursor }, etag: `"c${cursor}"` };
    },
    nextUrl: (body) => `/batch/1/progress/?since=${body.cursor}`,
    onChange: () => {},
    setTimer: timer.set,
    clearTimer: timer.clear,
  });
  await tick();
  await poller.now();
  assert.deepEqual(urls, [['/batch/1/progress/', null], ['/batch/1/progress/?since=1', null]]);
  assert.ok(timer.pending, 'the next poll is scheduled again');
  poller.stop();
});
