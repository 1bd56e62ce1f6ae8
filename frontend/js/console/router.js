// Hash routes of the operator console (#/devices/ID?page=2): parsing and building, pure.

/** Route patterns: name → path with :parameters. The first match wins. */
export const ROUTES = [
  ['signin', '/signin'],
  ['devices', '/devices'],
  ['device', '/devices/:id'],
  ['categories', '/categories'],
  ['builds', '/builds'],
  ['build', '/builds/:id'],
  ['wizard', '/builds/:id/upgrade'],
  ['credentials', '/credentials'],
  ['operation', '/operations/:id'],
  ['batches', '/batches'],
  ['batch', '/batches/:id'],
];

export const HOME = 'devices';

/** {name, params, query} of a location hash; unknown paths give name 'notfound'. */
export function parseHash(hash) {
  const text = String(hash || '').replace(/^#/, '');
  const [rawPath, rawQuery = ''] = text.split('?', 2);
  const path = rawPath.replace(/\/+$/, '') || '/';
  const query = Object.fromEntries(new URLSearchParams(rawQuery));
  if (path === '/') return { name: HOME, params: {}, query };
  const parts = path.split('/').slice(1);
  for (const [name, pattern] of ROUTES) {
    const want = pattern.split('/').slice(1);
    if (want.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      if (want[i].startsWith(':')) {
        try {
          params[want[i].slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else if (want[i] !== parts[i]) ok = false;
    }
    if (ok) return { name, params, query };
  }
  return { name: 'notfound', params: {}, query };
}

/** The hash of a route: href('device', {id}) → '#/devices/ID'. */
export function href(name, params = {}, query = {}) {
  const pattern = ROUTES.find(([routeName]) => routeName === name);
  if (!pattern) throw new Error(`unknown route ${name}`);
  const path = pattern[1].replace(/:(\w+)/g, (_, key) => {
    if (params[key] === undefined) throw new Error(`route ${name} needs ${key}`);
    return encodeURIComponent(params[key]);
  });
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  return `#${path}${search ? `?${search}` : ''}`;
}

/** The navigation entry a route belongs to (a device page highlights "Devices"). */
export function section(name) {
  return { device: 'devices', build: 'builds', wizard: 'builds', batch: 'batches', operation: 'batches' }[name] || name;
}
