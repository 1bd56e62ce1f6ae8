// The mass-upgrade wizard: build → filters → dry run (devices that will and will not be upgraded,
// and why) → options → start. One step is shown at a time; its heading takes the focus.
import { UPGRADER, ApiError, get, getAll, post } from '../api.js';
import { confirmAction, details, el, field, formValues, render, showFormErrors, clearFormErrors } from '../dom.js';
import { withQuery } from '../query.js';
import { href } from '../router.js';
import { STEPS, dryRunQuery, planFromDryRun, startRequest, stepOfField } from '../wizard.js';
import { optionsFieldset, readOptions } from './options.js';

function planTable(id, caption, items, withReason) {
  const head = ['Device', withReason ? 'Reason' : 'Image type'];
  return el(
    'div',
    { className: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    el(
      'table',
      { id },
      el('caption', { text: `${caption} (${items.length})` }),
      el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col', text: h })))),
      el(
        'tbody',
        {},
        items.length
          ? items.map((item) => el('tr', {}, el('td', {}, el('a', { href: href('device', { id: item.device }), text: item.name })), el('td', { text: withReason ? item.reason : item.image_type || '' })))
          : el('tr', {}, el('td', { colspan: '2', className: 'empty', text: 'None.' })),
      ),
    ),
  );
}

export async function wizardView(ctx) {
  const builds = await getAll(`${UPGRADER}/build/`, `organization=${encodeURIComponent(ctx.organization.slug)}&ordering=-created`);
  let build = await get(`${UPGRADER}/build/${encodeURIComponent(ctx.route.params.id)}/`);
  if (!builds.some((b) => b.id === build.id)) builds.unshift(build);
  let step = 0;
  let plan = null;

  const stepList = el('ol', { className: 'steps', 'aria-label': 'Steps' }, STEPS.map((name, i) => el('li', { 'data-step': String(i), text: name })));
  const panels = STEPS.map((name, i) => el('section', { className: 'card step', id: `step-${i}`, 'aria-labelledby': `step-${i}-title`, hidden: i !== 0 }, el('h2', { id: `step-${i}-title`, tabindex: '-1', text: `Step ${i + 1} of ${STEPS.length}: ${name}` })));
  const wizard = el('form', { id: 'wizard', novalidate: true, 'aria-label': 'Mass upgrade' }, panels, el('p', { className: 'form-error', role: 'alert', tabindex: '-1', hidden: true }));

  // Step 1: the build.
  const buildField = field('build', 'Build to install', { kind: 'select', options: builds.map((b) => [b.id, `${b.version}${b.os ? ` (${b.os})` : ''}`]), value: build.id });
  const imagesNote = el('p', { className: 'hint', id: 'wizard-images' });
  async function showImages() {
    const images = await getAll(`${UPGRADER}/build/${build.id}/image/`);
    imagesNote.textContent = images.length ? `${images.length} image${images.length === 1 ? '' : 's'}: ${images.map((i) => i.type).join(', ')}` : 'This build has no images: nothing can be upgraded to it.';
  }
  buildField.querySelector('select').addEventListener('change', async (event) => {
    build = await get(`${UPGRADER}/build/${event.target.value}/`);
    history.replaceState(null, '', href('wizard', { id: build.id }));
    await showImages();
  });
  panels[0].append(buildField, imagesNote);

  // Step 2: the filters.
  panels[1].append(
    el('p', { className: 'hint', text: 'Both filters apply when both are set; leave them empty for every device of the organization.' }),
    field('group', 'Group (exact)'),
    field('location', 'Location (exact)'),
    field('upgrade_all', 'Also upgrade devices without firmware whose board fits an image of the build', { kind: 'checkbox', value: true }),
  );

  // Step 3: the dry run.
  const dryRunBox = el('div', { id: 'dry-run', 'aria-live': 'polite' });
  panels[2].append(dryRunBox);

  // Step 4: the options.
  panels[3].append(
    optionsFieldset(),
    field('max_parallel', 'Upgrade at most this many devices at once', { kind: 'number', attrs: { min: '1' }, hint: 'Empty: no limit of the batch.' }),
    el(
      'div',
      { className: 'row' },
      field('first_wave', 'First wave', { kind: 'number', attrs: { min: '1', step: 'any' }, hint: 'Upgrade these first; the rest follow only if they succeed.' }),
      field('first_wave_unit', 'Unit of the first wave', { kind: 'select', options: [['devices', 'devices'], ['percent', '% of the devices']] }),
    ),
    field('max_failure_rate', 'Stop when more than this percentage failed', { kind: 'number', attrs: { min: '0', max: '100', step: 'any' }, hint: 'Of the first wave. Empty or 0: any failure stops the rollout.' }),
    field('persistent', 'Persistent: retry devices that are offline later (10 minutes to 12 hours)', { kind: 'checkbox' }),
    field('scheduled_at', 'Start at (your local time; empty: now)', { kind: 'datetime-local' }),
    field('deadline', 'Give up on devices not upgraded by (your local time)', { kind: 'datetime-local' }),
  );

  // Step 5: the summary and start.
  const summaryBox = el('div', { id: 'wizard-summary' });
  panels[4].append(summaryBox);

  const back = el('button', { type: 'button', className: 'secondary', id: 'wizard-back', text: 'Back', onclick: () => goTo(step - 1) });
  const next = el('button', { type: 'submit', id: 'wizard-next', text: 'Next' });
  wizard.append(el('div', { className: 'actions wizard-actions' }, back, next));

  const choices = () => {
    const values = formValues(wizard);
    return { ...values, upgrade_options: readOptions(wizard) };
  };

  async function dryRun() {
    const values = choices();
    dryRunBox.replaceChildren(el('p', { text: 'Checking which devices would be upgraded…' }));
    const answer = await get(withQuery(`${UPGRADER}/build/${build.id}/upgrade/`, dryRunQuery(values)));
    plan = planFromDryRun(answer, values.upgrade_all);
    dryRunBox.replaceChildren(
      el('p', { id: 'dry-run-summary', text: `${plan.upgraded.length} device${plan.upgraded.length === 1 ? '' : 's'} will be upgraded, ${plan.skipped.length} will not.` }),
      planTable('will-upgrade', 'Will be upgraded', plan.upgraded, false),
      planTable('will-not-upgrade', 'Will not be upgraded', plan.skipped, true),
    );
  }

  function showSummary() {
    const values = choices();
    const request = startRequest(values);
    summaryBox.replaceChildren(
      details([
        ['Build', build.version],
        ['Devices', `${plan.upgraded.length} (${plan.skipped.length} left out)`],
        ['Filters', [request.group && `group ${request.group}`, request.location && `location ${request.location}`].filter(Boolean).join(', ') || 'none'],
        ['Options', Object.entries(request.upgrade_options || {}).filter(([, on]) => on).map(([key]) => `-${key}`).join(' ') || 'none'],
        ['At once at most', request.max_parallel ? String(request.max_parallel) : 'no limit'],
        ['First wave', request.first_wave ? `${request.first_wave} devices` : request.first_wave_percent ? `${request.first_wave_percent} %` : 'none'],
        ['Stop above failure rate', request.first_wave || request.first_wave_percent ? `${request.max_failure_rate || 0} % of the first wave` : 'no staged rollout'],
        ['Persistent', request.persistent ? 'yes' : 'no'],
        ['Starts', request.scheduled_at ? new Date(request.scheduled_at).toLocaleString() : 'now'],
      ]),
    );
  }

  function goTo(target, focus = true) {
    step = Math.max(0, Math.min(STEPS.length - 1, target));
    panels.forEach((panel, i) => {
      panel.hidden = i !== step;
    });
    for (const item of stepList.children) {
      if (Number(item.dataset.step) === step) item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    }
    back.hidden = step === 0;
    next.textContent = step === STEPS.length - 1 ? 'Start mass upgrade' : 'Next';
    next.disabled = step === 2 && (!plan || plan.upgraded.length === 0);
    if (focus) panels[step].querySelector('h2').focus();
  }

  let busy = false;
  wizard.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    next.setAttribute('aria-disabled', 'true');
    clearFormErrors(wizard);
    try {
      if (step === 1) {
        plan = null;
        goTo(2);
        await dryRun();
      } else if (step === 3) {
        showSummary();
        goTo(4);
      } else if (step === 4) {
        if (!(await confirmAction(`Start upgrading ${plan.upgraded.length} devices to ${build.version}?`, 'Start'))) return;
        const answer = await post(`${UPGRADER}/build/${build.id}/upgrade/`, startRequest(choices()));
        ctx.go(href('batch', { id: answer.body.batch }));
        return;
      } else goTo(step + 1);
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length) goTo(stepOfField(Object.keys(error.fields)[0]));
      showFormErrors(wizard, error);
    } finally {
      busy = false;
      next.removeAttribute('aria-disabled');
      next.disabled = step === 2 && (!plan || plan.upgraded.length === 0);
    }
  });

  render(`Mass upgrade to ${build.version}`, stepList, wizard);
  await showImages();
  goTo(0, false);
}
