// Pure helpers for the ASU build API (POST /api/v1/build, GET /api/v1/build/{hash}): the request
// body and what a response means for the page. No DOM, no network.

/** The build request of the Customise form. */
export function buildRequest({ version, versionCode, target, profile, packages, defaults, rootfsSizeMb, client }) {
  const body = {
    version,
    target,
    profile,
    packages: [...packages],
    diff_packages: true,
    client: client || 'fwhub-selector/1',
  };
  if (versionCode) body.version_code = versionCode;
  if (defaults && defaults.trim()) body.defaults = defaults;
  if (rootfsSizeMb !== null && rootfsSizeMb !== undefined && rootfsSizeMb !== '') body.rootfs_size_mb = Number(rootfsSizeMb);
  return body;
}

/**
 * What a response means: {state, ...}
 *   queued  {position}            202 detail "queued"
 *   running {step}                202 detail "started" (imagebuilder_status)
 *   done    {result}              200
 *   failed  {message, stdout, stderr}   500 (or other 5xx)
 *   rejected {message, field}     400/422: `field` is the form field it concerns, or null
 */
export function interpretBuildResponse(status, body, headers = {}) {
  const data = body && typeof body === 'object' ? body : {};
  if (status === 200) return { state: 'done', result: data };
  if (status === 202) {
    const step = data.imagebuilder_status || headers['x-imagebuilder-status'] || null;
    if (data.detail === 'queued' || step === 'queued') {
      const position = Number(data.queue_position ?? headers['x-queue-position'] ?? 0);
      return { state: 'queued', position: Number.isFinite(position) ? position : 0 };
    }
    return { state: 'running', step: step || 'init' };
  }
  if (status === 400 || status === 422) {
    return { state: 'rejected', ...rejection(data.detail) };
  }
  if (status === 404) return { state: 'failed', message: detailText(data.detail) || 'Not found', stdout: '', stderr: '' };
  if (status === 429 || status === 529 || status === 503) {
    return { state: 'overloaded', message: detailText(data.detail) || `HTTP ${status}` };
  }
  return {
    state: 'failed',
    message: detailText(data.detail) || `HTTP ${status}`,
    stdout: typeof data.stdout === 'string' ? data.stdout : '',
    stderr: typeof data.stderr === 'string' ? data.stderr : '',
  };
}

function detailText(detail) {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((d) => (d && d.msg ? locText(d) : String(d))).join('; ');
  return '';
}

function locText(item) {
  const loc = Array.isArray(item.loc) ? item.loc.filter((part) => part !== 'body').join('.') : '';
  return loc ? `${loc}: ${item.msg}` : item.msg;
}

const fieldOfName = {
  packages: 'packages',
  packages_versions: 'packages',
  defaults: 'defaults',
  rootfs_size_mb: 'rootfs_size_mb',
  profile: 'device',
  target: 'device',
  version: 'version',
  version_code: 'version',
};

/** The message and the form field (packages, defaults, rootfs_size_mb, device, version) of a 400/422 detail. */
export function rejection(detail) {
  if (Array.isArray(detail)) {
    const first = detail.find((d) => d && Array.isArray(d.loc)) || detail[0] || {};
    const name = Array.isArray(first.loc) ? first.loc.find((part) => part !== 'body') : null;
    return { message: detailText(detail), field: fieldOfName[name] || null };
  }
  const message = detailText(detail) || 'Request rejected';
  let field = null;
  if (/package/i.test(message)) field = 'packages';
  else if (/defaults/i.test(message)) field = 'defaults';
  else if (/rootfs/i.test(message)) field = 'rootfs_size_mb';
  else if (/Unsupported (profile|target)/i.test(message)) field = 'device';
  else if (/Unsupported (version|branch)/i.test(message)) field = 'version';
  return { message, field };
}

/** Download URL of a built file. */
export function storeUrl(asuUrl, binDir, name) {
  const base = String(asuUrl || '').replace(/\/+$/, '');
  return `${base}/store/${encodeURIComponent(binDir)}/${encodeURIComponent(name)}`;
}
