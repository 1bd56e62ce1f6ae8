// Unit tests of the console's list queries and routes (frontend/js/console/query.js, router.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ariaSort, listQuery, listState, pageCount, stateQuery, toggleOrdering, withQuery } from '../../frontend/js/console/query.js';
import { href, parseHash, section } from '../../frontend/js/console/router.js';

const SPEC = { filters: ['group', 'status'], orderings: ['name', 'created'], defaultOrdering: '-created' };

test('withQuery leaves out empty values and appends to an existing query', () => {
  assert.equal(withQuery('/api/v1/devices/', { page: 2, group: '', location: null, name: 'a b' }), '/api/v1/devices/?page=2&name=a+b');
  assert.equal(withQuery('/x/?a=1', { b: 2 }), '/x/?a=1&b=2');
  assert.equal(withQuery('/x/', {}), '/x/');
});

test('listState keeps known filters and orderings only, with sane pages', () => {
  const state = listState({ page: '3', page_size: '50', ordering: '-name', group: 'lab', evil: 'x', status: '' }, SPEC);
  assert.deepEqual(state, { page: 3, page_size: 50, ordering: '-name', filters: { group: 'lab' } });
  const bad = listState({ page: '-4', page_size: '7', ordering: 'password' }, SPEC);
  assert.deepEqual(bad, { page: 1, page_size: 10, ordering: '-created', filters: {} });
});

test('listQuery adds the organization; stateQuery leaves defaults out of the address', () => {
  const state = { page: 1, page_size: 10, ordering: '-created', filters: { group: 'lab' } };
  assert.deepEqual(listQuery(state, 'acme'), { page: 1, page_size: 10, ordering: '-created', group: 'lab', organization: 'acme' });
  assert.deepEqual(stateQuery(state, '-created'), { group: 'lab' });
  assert.deepEqual(stateQuery({ ...state, page: 2, page_size: 25, ordering: 'name' }, '-created'), { group: 'lab', page: '2', page_size: '25', ordering: 'name' });
  // An address written by stateQuery reads back as the same state.
  const round = listState(stateQuery({ ...state, page: 4, ordering: 'name' }, '-created'), SPEC);
  assert.deepEqual(round, { ...state, page: 4, ordering: 'name' });
});

test('sorting toggles ascending, descending; aria-sort follows', () => {
  assert.equal(toggleOrdering('', 'name'), 'name');
  assert.equal(toggleOrdering('name', 'name'), '-name');
  assert.equal(toggleOrdering('-name', 'name'), 'name');
  assert.equal(toggleOrdering('-name', 'created'), 'created');
  assert.equal(ariaSort('name', 'name'), 'ascending');
  assert.equal(ariaSort('-name', 'name'), 'descending');
  assert.equal(ariaSort('-created', 'name'), 'none');
  assert.equal(pageCount(0, 10), 1);
  assert.equal(pageCount(21, 10), 3);
});

test('routes parse and build both ways', () => {
  assert.deepEqual(parseHash(''), { name: 'devices', params: {}, query: {} });
  assert.deepEqual(parseHash('#/devices/abc-1?page=2'), { name: 'device', params: { id: 'abc-1' }, query: { page: '2' } });
  assert.equal(parseHash('#/builds/b1/upgrade').name, 'wizard');
  assert.deepEqual(parseHash('#/builds/b1/').params, { id: 'b1' });
  assert.equal(parseHash('#/nothing/here').name, 'notfound');
  assert.equal(parseHash('#/devices/%E0%A4%A').name, 'notfound', 'a malformed escape is not a device');
  assert.equal(href('batch', { id: 'x y' }, { status: 'failed', page: '' }), '#/batches/x%20y?status=failed');
  assert.deepEqual(parseHash(href('operation', { id: 'o/1' })).params, { id: 'o/1' });
  assert.throws(() => href('device'), /needs id/);
  assert.equal(section('device'), 'devices');
  assert.equal(section('wizard'), 'builds');
  assert.equal(section('credentials'), 'credentials');
});
