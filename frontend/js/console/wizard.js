// The mass-upgrade wizard's logic: its steps, the dry run split into devices that will and will
// not be upgraded (with the reason), and the start request from the chosen options. Pure.

export const STEPS = ['Build', 'Filters', 'Dry run', 'Options', 'Start'];

/** Reason for firmwareless devices when only devices with firmware are upgraded. */
export const NEEDS_UPGRADE_ALL = 'no firmware set yet: included only with “Also upgrade devices without firmware”';

/**
 * The dry run answer as two lists of {device, name, image_type?, reason?}:
 * `upgraded` (device_firmwares, plus devices when upgradeAll) and `skipped` (excluded, plus
 * devices when not upgradeAll).
 */
export function planFromDryRun(dryRun, upgradeAll) {
  const upgraded = (dryRun.device_firmwares || []).map((f) => ({ device: f.device, name: f.device_name, image_type: f.image_type }));
  const skipped = (dryRun.excluded || []).map((e) => ({ device: e.device, name: e.device_name, reason: e.reason }));
  for (const d of dryRun.devices || []) {
    if (upgradeAll) upgraded.push({ device: d.id, name: d.name, image_type: d.image_type });
    else skipped.push({ device: d.id, name: d.name, reason: NEEDS_UPGRADE_ALL });
  }
  const byName = (a, b) => String(a.name).localeCompare(String(b.name));
  return { upgraded: upgraded.sort(byName), skipped: skipped.sort(byName) };
}

/** The dry run's query: the filters that are set. */
export function dryRunQuery({ group = '', location = '' } = {}) {
  const query = {};
  if (group) query.group = group;
  if (location) query.location = location;
  return query;
}

/** A local date-time input's value ("2026-11-25T10:00") as an ISO instant, or undefined. */
export function isoFromLocal(value) {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The POST body of build/{id}/upgrade/ from the wizard's choices. Empty optional values are
 * left out; the first wave is a number of devices or a percentage, never both.
 */
export function startRequest(choices) {
  const body = { upgrade_all: Boolean(choices.upgrade_all) };
  if (choices.group) body.group = choices.group;
  if (choices.location) body.location = choices.location;
  if (choices.upgrade_options) body.upgrade_options = choices.upgrade_options;
  const scheduled = isoFromLocal(choices.scheduled_at);
  if (scheduled) body.scheduled_at = scheduled;
  const deadline = isoFromLocal(choices.deadline);
  if (deadline) body.deadline = deadline;
  if (choices.persistent) body.persistent = true;
  if (Number.isFinite(choices.max_parallel) && choices.max_parallel > 0) body.max_parallel = choices.max_parallel;
  if (Number.isFinite(choices.first_wave) && choices.first_wave > 0) {
    if (choices.first_wave_unit === 'percent') body.first_wave_percent = choices.first_wave;
    else body.first_wave = Math.round(choices.first_wave);
  }
  if (Number.isFinite(choices.max_failure_rate)) body.max_failure_rate = choices.max_failure_rate;
  return body;
}

/** Field errors of the start request that map to a wizard step, so the wizard can go back there. */
export function stepOfField(fieldName) {
  if (['group', 'location', 'upgrade_all'].includes(fieldName)) return 1;
  return 3;
}
