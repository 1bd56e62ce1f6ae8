// Formatting of values the console shows (sizes, times, rates, statuses): pure functions.

const UNITS = ['B', 'KiB', 'MiB', 'GiB'];

/** 1536 → "1.5 KiB". */
export function bytes(value) {
  let n = Number(value);
  if (!Number.isFinite(n) || n < 0) return '';
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${unit === 0 ? n : n.toFixed(n < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** An ISO time as "2026-11-25 10:00:05" in the given time zone (UTC by default); '' when absent. */
export function dateTime(iso, timeZone = 'UTC') {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Seconds as "1 h 2 min", "3 min 5 s", "42 s". */
export function duration(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Bytes per second from a transfer's start: "1.2 MiB/s"; '' before the first second's data. */
export function rate(loadedBytes, elapsedMs) {
  if (!(elapsedMs > 0) || !(loadedBytes > 0)) return '';
  return `${bytes((loadedBytes * 1000) / elapsedMs)}/s`;
}

/** Remaining seconds of a transfer at its average rate so far; null when unknown. */
export function remainingSeconds(loadedBytes, totalBytes, elapsedMs) {
  if (!(loadedBytes > 0) || !(totalBytes > 0) || !(elapsedMs > 0)) return null;
  return ((totalBytes - loadedBytes) * elapsedMs) / loadedBytes / 1000;
}

/** A whole percentage 0–100 of done/total (0 when total is 0). */
export function percent(done, total) {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((done * 100) / total)));
}

/** A rate in percent as the API gives it (2 decimals) → "12.5 %". */
export function ratePercent(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return `${Number(n.toFixed(2))} %`;
}

const STATUS_LABELS = {
  queued: 'Queued',
  pending: 'Pending (offline, retried later)',
  'in-progress': 'In progress',
  success: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  aborted: 'Aborted',
  scheduled: 'Scheduled',
  paused: 'Paused',
  idle: 'Idle',
};

/** The words for an operation's or batch's status. */
export function statusLabel(status) {
  return STATUS_LABELS[status] || String(status || '');
}

/** Statuses after which nothing changes any more. */
export const FINAL_STATUSES = new Set(['success', 'failed', 'cancelled', 'aborted']);

export function isFinal(status) {
  return FINAL_STATUSES.has(status);
}

/** The text of an API error answer: detail, error, or the first field message. */
export function errorText(body, fallback = 'The request failed.') {
  if (!body || typeof body !== 'object') return fallback;
  if (typeof body.error === 'string') return body.error;
  if (body.errors && typeof body.errors === 'object') {
    const lines = Object.entries(body.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`);
    if (lines.length) return lines.join('; ');
  }
  if (typeof body.detail === 'string') return body.detail;
  return fallback;
}
