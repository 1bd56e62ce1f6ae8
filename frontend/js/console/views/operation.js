// One upgrade operation: status, step, progress bar and its log, following live (polling with
// If-None-Match, so an unchanged operation costs a 304), and cancelling while that is possible.
import { API, UPGRADER, get, getWithHeaders, post } from '../api.js';
import { announce, confirmAction, details, el, notify, render, section } from '../dom.js';
import { dateTime, isFinal, statusLabel } from '../format.js';
import { poll } from '../poll.js';
import { href } from '../router.js';
import { followLog } from '../log.js';

/** Reflashing begins at 65 %: from there on the operation cannot be cancelled. */
export const CANCEL_BELOW = 65;

export function cancellable(operation) {
  return ['queued', 'pending', 'in-progress'].includes(operation.status) && operation.progress < CANCEL_BELOW;
}

export async function operationView(ctx) {
  const id = ctx.route.params.id;
  const url = `${UPGRADER}/upgrade-operation/${encodeURIComponent(id)}/`;
  const first = await get(url);
  const device = await get(`${API}/devices/${first.device}/`).catch(() => null);
  const deviceName = device ? device.name : first.device;
  const bar = el('progress', { id: 'operation-progress', max: '100', value: String(first.progress), 'aria-labelledby': 'operation-progress-label' });
  const barLabel = el('span', { id: 'operation-progress-label', text: 'Progress' });
  const percentText = el('span', { id: 'operation-percent' });
  const statusText = el('p', { id: 'operation-status', className: 'status-line', 'aria-live': 'polite' });
  const info = el('div');
  const log = el('pre', { id: 'operation-log', className: 'log', tabindex: '0', 'aria-label': 'Operation log' });
  const follower = followLog(log);
  const cancel = el('button', {
    type: 'button',
    id: 'operation-cancel',
    className: 'danger',
    text: 'Cancel upgrade',
    hidden: true,
    onclick: async () => {
      if (!(await confirmAction(`Cancel the upgrade of ${deviceName}?`, 'Cancel upgrade'))) return;
      try {
        await post(`${url}cancel/`);
        notify('Upgrade cancelled.');
      } catch (error) {
        notify(error.message, 'error');
      }
      poller.now();
    },
  });
  let lastStatus = null;

  function show(operation) {
    bar.value = operation.progress;
    bar.setAttribute('aria-valuetext', `${operation.progress} percent`);
    percentText.textContent = ` ${operation.progress} %`;
    const words = `${statusLabel(operation.status)}${operation.step ? ` — ${operation.step}` : ''}`;
    if (statusText.textContent !== words) statusText.textContent = words;
    statusText.className = `status-line status-${operation.status}`;
    info.replaceChildren(
      details([
        ['Device', device ? el('a', { href: href('device', { id: device.id }), text: device.name }) : deviceName],
        ['Image', operation.image || '(deleted)'],
        ['Mass upgrade', operation.batch ? el('a', { href: href('batch', { id: operation.batch }), text: 'open the batch' }) : 'no'],
        ['Options', Object.entries(operation.upgrade_options || {}).filter(([, on]) => on).map(([key]) => `-${key}`).join(' ') || 'none'],
        ['Started', dateTime(operation.created)],
        ['Last change', dateTime(operation.modified)],
      ]),
    );
    follower.update(operation.log || '');
    cancel.hidden = !(ctx.canOperate && cancellable(operation));
    if (lastStatus && lastStatus !== operation.status && isFinal(operation.status)) announce(`Upgrade ${statusLabel(operation.status).toLowerCase()}.`);
    lastStatus = operation.status;
  }

  render(
    `Upgrade of ${deviceName}`,
    section('Status', statusText, el('p', { className: 'progress-row' }, barLabel, ' ', bar, percentText), info, el('div', { className: 'actions' }, cancel)),
    section('Log', el('p', { className: 'hint', text: 'The log follows the operation while it runs; scroll up to stop following, to the end to follow again.' }), log),
  );
  show(first);
  const poller = poll({ url, intervalMs: 1500, fetchJson: getWithHeaders, onChange: show, done: (o) => isFinal(o.status), onError: (error) => notify(`Updating failed: ${error.message}`, 'error') });
  return () => poller.stop();
}
