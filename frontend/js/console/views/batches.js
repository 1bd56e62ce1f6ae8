// Mass upgrades: the list of batches and one batch's page (live counters and progress bar,
// per-device status, progress and log, cancel one or all, pause and resume).
import { UPGRADER, get, getAll, getWithHeaders, post } from '../api.js';
import { confirmAction, details, el, field, notify, render, section } from '../dom.js';
import { dateTime, ratePercent, statusLabel } from '../format.js';
import { poll } from '../poll.js';
import { href } from '../router.js';
import { listTable } from '../table.js';
import { OPERATION_STATUSES, batchActions, batchPercent, finishedCount, isBatchFinal, mergeChanges, progressUrl, summary } from '../batch.js';
import { cancellable } from './operation.js';

const BATCH_STATUSES = ['scheduled', 'in-progress', 'paused', 'success', 'failed', 'cancelled'];
const statusBadge = (status) => el('span', { className: `status status-${status}`, text: statusLabel(status) });

export async function batchesView(ctx) {
  const builds = await getAll(`${UPGRADER}/build/`, `organization=${encodeURIComponent(ctx.organization.slug)}&ordering=-created`);
  const versions = new Map(builds.map((b) => [b.id, b.version]));
  const table = listTable({
    path: `${UPGRADER}/batch-upgrade-operation/`,
    caption: 'Mass upgrades',
    organization: ctx.organization.slug,
    query: ctx.route.query,
    sync: true,
    orderings: ['created'],
    defaultOrdering: '-created',
    filters: [
      { name: 'build', label: 'Build', kind: 'select', options: [['', 'All'], ...builds.map((b) => [b.id, b.version])] },
      { name: 'status', label: 'Status', kind: 'select', options: [['', 'All'], ...BATCH_STATUSES.map((s) => [s, statusLabel(s)])] },
    ],
    columns: [
      { label: 'Started', field: 'created', render: (b) => el('a', { href: href('batch', { id: b.id }), text: dateTime(b.created) }) },
      { label: 'Build', render: (b) => versions.get(b.build) || b.build },
      { label: 'Status', render: (b) => statusBadge(b.status) },
      { label: 'Progress', render: (b) => b.progress_report || '' },
      { label: 'Succeeded', render: (b) => ratePercent(b.success_rate) },
      { label: 'Failed', render: (b) => ratePercent(b.failed_rate) },
      { label: 'Filters', render: (b) => [b.group && `group ${b.group}`, b.location && `location ${b.location}`].filter(Boolean).join(', ') || 'none' },
    ],
    empty: 'No mass upgrades yet. Start one from a build.',
  });
  render('Mass upgrades', el('p', {}, 'Start a mass upgrade from a ', el('a', { href: href('builds'), text: 'build' }), '.'), table.node);
  await table.reload();
}

function countersList(batch) {
  return el(
    'dl',
    { className: 'counters', id: 'batch-counters' },
    OPERATION_STATUSES.flatMap((status) => [el('dt', { text: statusLabel(status) }), el('dd', { 'data-status': status, text: String((batch.counts || {})[status] || 0) })]),
  );
}

export async function batchView(ctx) {
  const id = ctx.route.params.id;
  const base = `${UPGRADER}/batch-upgrade-operation/${encodeURIComponent(id)}/`;
  const pageSize = 100;
  let page = Math.max(1, Number.parseInt(ctx.route.query.page, 10) || 1);
  let statusFilter = OPERATION_STATUSES.includes(ctx.route.query.status) ? ctx.route.query.status : '';
  const detailUrl = () => `${base}?page=${page}&page_size=${pageSize}${statusFilter ? `&status=${statusFilter}` : ''}`;
  let batch = await get(detailUrl());
  const build = await get(`${UPGRADER}/build/${batch.build}/`).catch(() => null);
  let rows = new Map();

  const bar = el('progress', { id: 'batch-progress', max: '100', value: '0', 'aria-labelledby': 'batch-progress-label' });
  const report = el('span', { id: 'batch-report' });
  const statusLine = el('p', { id: 'batch-status', className: 'status-line' });
  const live = el('p', { id: 'batch-live', className: 'visually-hidden', 'aria-live': 'polite' });
  const counters = el('div', { id: 'batch-counters-box' });
  const info = el('div');
  const stopReason = el('p', { id: 'batch-stop-reason', className: 'error', hidden: true });
  const body = el('tbody');
  const pager = el('div', { className: 'pager' });
  const buttons = {
    pause: el('button', { type: 'button', id: 'batch-pause', className: 'secondary', text: 'Pause', onclick: () => act('pause', 'Mass upgrade paused: running upgrades finish, no new ones start.') }),
    resume: el('button', { type: 'button', id: 'batch-resume', text: 'Resume', onclick: () => act('resume', 'Mass upgrade resumed.') }),
    cancel: el('button', {
      type: 'button',
      id: 'batch-cancel',
      className: 'danger',
      text: 'Cancel all',
      onclick: async () => {
        if (!(await confirmAction('Cancel this mass upgrade? Upgrades not yet reflashing are cancelled; devices already reflashing finish.', 'Cancel all'))) return;
        await act('cancel', 'Mass upgrade cancelled.');
      },
    }),
  };

  async function act(action, message) {
    try {
      await post(`${base}${action}/`);
      notify(message);
    } catch (error) {
      notify(error.message, 'error');
    }
    poller.now();
  }

  function rowOf(operation) {
    const cells = [
      el('td', { 'data-label': 'Device' }, el('a', { href: href('device', { id: operation.device }), text: operation.device_name || operation.device })),
      el('td', { 'data-label': 'Status' }, statusBadge(operation.status)),
      el('td', { 'data-label': 'Progress' }, el('progress', { max: '100', value: String(operation.progress || 0), 'aria-label': `Progress of ${operation.device_name}` }), ` ${operation.progress || 0} %`),
      el('td', { 'data-label': 'Log' }, el('a', { href: href('operation', { id: operation.id }), text: 'Log', 'aria-label': `Log of ${operation.device_name}` })),
      el('td', { 'data-label': 'Actions' }, ctx.canOperate && cancellable(operation) ? el('button', {
        type: 'button',
        className: 'secondary',
        text: 'Cancel',
        'aria-label': `Cancel the upgrade of ${operation.device_name}`,
        onclick: async () => {
          if (!(await confirmAction(`Cancel the upgrade of ${operation.device_name}?`, 'Cancel upgrade'))) return;
          try {
            await post(`${UPGRADER}/upgrade-operation/${operation.id}/cancel/`);
            notify(`Upgrade of ${operation.device_name} cancelled.`);
          } catch (error) {
            notify(error.message, 'error');
          }
          poller.now();
        },
      }) : ''),
    ];
    return el('tr', { 'data-id': operation.id, 'data-status': operation.status }, cells);
  }

  function showRows() {
    body.replaceChildren(...(rows.size ? [...rows.values()].map(rowOf) : [el('tr', {}, el('td', { colspan: '5', className: 'empty', text: 'No operations.' }))]));
  }

  function showPager(operations) {
    const pages = Math.max(1, Math.ceil((operations.count || 0) / pageSize));
    pager.replaceChildren();
    if (pages <= 1) return;
    const go = (n) => async () => {
      page = n;
      history.replaceState(null, '', href('batch', { id }, { page: n > 1 ? n : '', status: statusFilter }));
      await reloadOperations();
    };
    pager.append(
      el('button', { type: 'button', className: 'secondary', text: 'Previous page', disabled: page <= 1, onclick: go(page - 1) }),
      el('span', { text: `Page ${page} of ${pages}` }),
      el('button', { type: 'button', className: 'secondary', text: 'Next page', disabled: page >= pages, onclick: go(page + 1) }),
    );
  }

  async function reloadOperations() {
    batch = await get(detailUrl());
    rows = new Map(batch.operations.results.map((o) => [o.id, o]));
    showRows();
    showPager(batch.operations);
    showBatch(batch);
  }

  let lastSpoken = '';
  let lastSpokenAt = 0;
  function showBatch(state) {
    const percentDone = batchPercent(state);
    bar.value = percentDone;
    bar.setAttribute('aria-valuetext', `${percentDone} percent`);
    report.textContent = ` ${state.progress_report || `${finishedCount(state.counts)} out of ${state.total}`}`;
    statusLine.replaceChildren('Status: ', statusBadge(state.status));
    counters.replaceChildren(countersList(state));
    stopReason.textContent = state.stop_reason ? `Stopped: ${state.stop_reason}` : '';
    stopReason.hidden = !state.stop_reason;
    const allowed = batchActions(state.status);
    for (const [name, button] of Object.entries(buttons)) button.hidden = !ctx.canOperate || !allowed[name];
    // Screen readers hear the summary when the status changes or at most every 10 seconds.
    const text = `${statusLabel(state.status)}. ${summary(state)}`;
    const now = Date.now();
    if (text !== lastSpoken && (isBatchFinal(state.status) || now - lastSpokenAt > 10000 || !lastSpoken.startsWith(statusLabel(state.status)))) {
      live.textContent = text;
      lastSpoken = text;
      lastSpokenAt = now;
    }
  }

  const filter = field('op-status', 'Show devices', { kind: 'select', options: [['', 'All'], ...OPERATION_STATUSES.map((s) => [s, statusLabel(s)])], value: statusFilter });
  filter.querySelector('select').addEventListener('change', async (event) => {
    statusFilter = event.target.value;
    page = 1;
    history.replaceState(null, '', href('batch', { id }, { status: statusFilter }));
    await reloadOperations();
  });

  info.append(
    details([
      ['Build', build ? el('a', { href: href('build', { id: build.id }), text: build.version }) : batch.build],
      ['Filters', [batch.group && `group ${batch.group}`, batch.location && `location ${batch.location}`].filter(Boolean).join(', ') || 'none'],
      ['Devices without firmware', batch.upgrade_all ? 'included' : 'not included'],
      ['Options', Object.entries(batch.upgrade_options || {}).filter(([, on]) => on).map(([key]) => `-${key}`).join(' ') || 'none'],
      ['Scheduled', batch.scheduled_at ? dateTime(batch.scheduled_at) : 'at once'],
      ['Persistent', batch.persistent ? 'yes' : 'no'],
      ['Deadline', batch.deadline ? dateTime(batch.deadline) : 'none'],
      ['At once at most', batch.max_parallel ? String(batch.max_parallel) : 'no limit'],
      ['First wave', batch.first_wave ? String(batch.first_wave) : 'none'],
      ['Stops above failure rate', batch.first_wave ? `${ratePercent(batch.max_failure_rate)} of the first wave` : 'no staged rollout'],
      ['Started', dateTime(batch.created)],
    ]),
  );

  const table = el(
    'table',
    { id: 'batch-operations' },
    el('caption', { text: 'Devices of this mass upgrade' }),
    el('thead', {}, el('tr', {}, ['Device', 'Status', 'Progress', 'Log', 'Actions'].map((h) => el('th', { scope: 'col', text: h })))),
    body,
  );
  render(
    `Mass upgrade to ${build ? build.version : 'a build'}`,
    section('Progress', statusLine, el('p', { className: 'progress-row' }, el('span', { id: 'batch-progress-label', text: 'Done' }), ' ', bar, report), counters, stopReason, live, el('div', { className: 'actions' }, buttons.pause, buttons.resume, buttons.cancel)),
    section('Devices', filter, el('div', { className: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Devices of this mass upgrade' }, table), pager),
    section('Settings', info),
  );
  rows = new Map(batch.operations.results.map((o) => [o.id, o]));
  showRows();
  showPager(batch.operations);
  showBatch(batch);

  const poller = poll({
    url: progressUrl(base),
    intervalMs: 1500,
    fetchJson: getWithHeaders,
    nextUrl: (progress) => progressUrl(base, progress.cursor),
    onChange: (progress) => {
      const known = (progress.changes || []).filter((c) => rows.has(c.id));
      if (known.length) {
        rows = mergeChanges(rows, known);
        showRows();
      }
      showBatch({ ...batch, ...progress });
    },
    done: (progress) => isBatchFinal(progress.status),
    onError: (error) => notify(`Updating failed: ${error.message}`, 'error'),
  });
  return () => poller.stop();
}
