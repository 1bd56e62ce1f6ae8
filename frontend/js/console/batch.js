// A mass upgrade (batch) as the batch page keeps it: the API's counters, the per-device rows
// merged from progress changes, and which actions its status allows. Pure functions.

export const OPERATION_STATUSES = ['queued', 'pending', 'in-progress', 'success', 'failed', 'aborted', 'cancelled'];
export const FINAL_BATCH = new Set(['success', 'failed', 'cancelled']);

/** Operations that ended, from the counters. */
export function finishedCount(counts = {}) {
  return ['success', 'failed', 'aborted', 'cancelled'].reduce((sum, key) => sum + (Number(counts[key]) || 0), 0);
}

/** Whole percent of the batch's finished operations. */
export function batchPercent(batch) {
  const total = Number(batch.total) || 0;
  if (!total) return 0;
  return Math.round((finishedCount(batch.counts) * 100) / total);
}

/** The actions a batch's status allows. */
export function batchActions(status) {
  return {
    cancel: ['scheduled', 'in-progress', 'paused'].includes(status),
    pause: ['scheduled', 'in-progress'].includes(status),
    resume: status === 'paused',
  };
}

export function isBatchFinal(status) {
  return FINAL_BATCH.has(status);
}

/**
 * Rows keyed by operation id: the first page of `operations` of the batch, then every change of
 * progress/?since= merged in (a newer `modified` wins; unknown ids are added). Returns a new Map.
 */
export function mergeChanges(rows, changes) {
  const merged = new Map(rows);
  for (const change of changes || []) {
    const old = merged.get(change.id);
    if (!old || !old.modified || !change.modified || change.modified >= old.modified) merged.set(change.id, { ...old, ...change });
  }
  return merged;
}

/** The summary line read to screen readers: "12 out of 20 done: 10 succeeded, 2 failed." */
export function summary(batch) {
  const counts = batch.counts || {};
  const parts = [];
  if (counts.success) parts.push(`${counts.success} succeeded`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.aborted) parts.push(`${counts.aborted} aborted`);
  if (counts.cancelled) parts.push(`${counts.cancelled} cancelled`);
  return `${finishedCount(counts)} out of ${Number(batch.total) || 0} done${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** The URL of the next progress poll of a batch. */
export function progressUrl(base, cursor) {
  return cursor === undefined || cursor === null ? `${base}progress/` : `${base}progress/?since=${encodeURIComponent(cursor)}`;
}
