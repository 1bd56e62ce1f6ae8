// Pure logic of the firmware selector: the device search index, image ordering, versions,
// permalinks and package lists. No DOM and no network, so that node's test runner can load it.

/** Case-folds a string and treats `,` like `_`, so `tplink,archer-c7-v5` finds `tplink_archer-c7-v5`. */
export function normalize(text) {
  return String(text).toLowerCase().replace(/,/g, '_');
}

/** The display label of one title of a profile: `{vendor} {model} {variant}` or its `title`. */
export function titleLabel(title) {
  if (!title) return '';
  if (title.title) return String(title.title).trim();
  return [title.vendor, title.model, title.variant].filter(Boolean).join(' ').trim();
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural order: "v2" before "v10", case-insensitive. */
export function compareNatural(a, b) {
  return collator.compare(a, b);
}

/**
 * Builds the search index of a release from the `profiles` array of `.overview.json`
 * ([{id, target, titles}]). One entry per title, since one profile may cover several models.
 * Optional `supported_devices` (board names) are searched too when a server provides them.
 */
export function buildIndex(profiles) {
  const entries = [];
  for (const profile of profiles || []) {
    if (!profile || !profile.id || !profile.target) continue;
    const titles = Array.isArray(profile.titles) && profile.titles.length ? profile.titles : [{ title: profile.id }];
    const boards = Array.isArray(profile.supported_devices) ? profile.supported_devices : [];
    for (const title of titles) {
      const label = titleLabel(title) || profile.id;
      const nlabel = normalize(label);
      const nid = normalize(profile.id);
      entries.push({
        id: profile.id,
        target: profile.target,
        label,
        nlabel: nlabel.length === label.length ? nlabel : null,
        nid,
        haystack: [nlabel, nid, ...boards.map(normalize)].join('\n'),
      });
    }
  }
  entries.sort((a, b) => compareNatural(a.label, b.label) || compareNatural(a.id, b.id));
  return entries;
}

/** Splits a query into normalized words; empty words are dropped. */
export function queryWords(query) {
  return normalize(query || '')
    .split(/\s+/)
    .filter(Boolean);
}

const wordBoundary = /[^a-z0-9]/;

function startsWord(text, index) {
  return index === 0 || wordBoundary.test(text[index - 1]);
}

/** Character ranges [start, end) of every occurrence of the words in `text` (normalized), merged. */
export function matchRanges(ntext, words) {
  if (!ntext) return [];
  const ranges = [];
  for (const word of words) {
    let from = 0;
    for (;;) {
      const at = ntext.indexOf(word, from);
      if (at < 0) break;
      ranges.push([at, at + word.length]);
      from = at + 1;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Splits `text` into [{text, match}] parts for highlighting; `ranges` as from matchRanges. */
export function highlightParts(text, ranges) {
  const parts = [];
  let pos = 0;
  for (const [start, end] of ranges) {
    if (start > pos) parts.push({ text: text.slice(pos, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    pos = end;
  }
  if (pos < text.length) parts.push({ text: text.slice(pos), match: false });
  return parts;
}

/**
 * Searches the index: every word of the query must occur in the entry's label, profile id or a
 * board name. Entries whose label has the words at word starts rank first, then natural order.
 * Returns {total, results: [{entry, labelRanges, idRanges}]} with at most `limit` results.
 */
export function search(index, query, limit = 15) {
  const words = queryWords(query);
  if (!words.length) return { total: 0, results: [] };
  const hits = [];
  for (const entry of index) {
    let ok = true;
    for (const word of words) {
      if (entry.haystack.indexOf(word) < 0) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    let score = 0;
    const nlabel = entry.nlabel || normalize(entry.label);
    for (const word of words) {
      const at = nlabel.indexOf(word);
      if (at < 0) continue;
      score += 1;
      let pos = at;
      while (pos >= 0 && !startsWord(nlabel, pos)) pos = nlabel.indexOf(word, pos + 1);
      if (pos >= 0) score += 2;
      if (pos === 0) score += 1;
    }
    hits.push({ entry, score });
  }
  hits.sort((a, b) => b.score - a.score || compareNatural(a.entry.label, b.entry.label) || compareNatural(a.entry.id, b.entry.id));
  const results = hits.slice(0, Math.max(0, limit)).map(({ entry }) => ({
    entry,
    labelRanges: entry.nlabel ? matchRanges(entry.nlabel, words) : [],
    idRanges: matchRanges(entry.nid, words),
  }));
  return { total: hits.length, results };
}

/** Finds the entry of a profile (first title) by id and, when given, target. */
export function findProfile(index, id, target) {
  return index.find((entry) => entry.id === id && (!target || entry.target === target)) || null;
}

// ---- images ---------------------------------------------------------------------------------

const typeRank = { sysupgrade: 0, factory: 1 };

/** Orders images: sysupgrade first, then factory, then the others by type and name. */
export function sortImages(images) {
  return [...(images || [])].sort((a, b) => {
    const ra = typeRank[a.type] ?? 2;
    const rb = typeRank[b.type] ?? 2;
    return ra - rb || compareNatural(a.type || '', b.type || '') || compareNatural(a.name || '', b.name || '');
  });
}

/** The help-text key of an image type (see i18n.js `image.help.*`). */
export function imageHelpKey(image) {
  const type = String(image.type || '').toLowerCase();
  const known = ['sysupgrade', 'factory', 'kernel', 'rootfs', 'combined', 'combined-efi', 'sdcard', 'tftp', 'recovery', 'uboot'];
  if (known.includes(type)) return `image.help.${type}`;
  if (type.includes('initramfs') || image.filesystem === 'initramfs') return 'image.help.kernel';
  if (type.includes('sysupgrade')) return 'image.help.sysupgrade';
  if (type.includes('factory')) return 'image.help.factory';
  return 'image.help.other';
}

// ---- versions and paths ---------------------------------------------------------------------

export function isSnapshot(version) {
  return /SNAPSHOT$/i.test(version);
}

export function isReleaseCandidate(version) {
  return /-rc\d*$/i.test(version);
}

/** The download-server path of a version: `snapshots` or `releases/{v}`. */
export function versionPath(version) {
  return version === 'SNAPSHOT' ? 'snapshots' : `releases/${version}`;
}

/**
 * Versions shown in the release picker, newest first: `config.versions` when set, else
 * `versions_list` of .versions.json (plus upcoming_version), release candidates and snapshots
 * only when configured. Returns {versions, selected}.
 */
export function shownVersions(versionsDoc, config = {}) {
  const doc = versionsDoc || {};
  let list = Array.isArray(config.versions) && config.versions.length ? [...config.versions] : [...(doc.versions_list || [])];
  if (doc.upcoming_version && !list.includes(doc.upcoming_version) && !(config.versions && config.versions.length)) {
    list.unshift(doc.upcoming_version);
  }
  if (config.show_snapshots && !list.includes('SNAPSHOT')) list.unshift('SNAPSHOT');
  list = list.filter((v) => {
    if (isSnapshot(v)) return !!config.show_snapshots;
    if (isReleaseCandidate(v)) return !!config.show_release_candidates;
    return true;
  });
  const seen = new Set();
  list = list.filter((v) => (seen.has(v) ? false : seen.add(v)));
  list.sort((a, b) => {
    if (a === 'SNAPSHOT') return -1;
    if (b === 'SNAPSHOT') return 1;
    return compareNatural(b, a);
  });
  let selected = config.default_version && list.includes(config.default_version) ? config.default_version : null;
  if (!selected && doc.stable_version && list.includes(doc.stable_version)) selected = doc.stable_version;
  if (!selected) selected = list.find((v) => !isSnapshot(v) && !isReleaseCandidate(v)) || list[0] || null;
  return { versions: list, selected };
}

// ---- permalinks -----------------------------------------------------------------------------

/** Reads `?version=&target=&id=` from a query string; missing values are null. */
export function parsePermalink(queryString) {
  const params = new URLSearchParams(queryString || '');
  const value = (name) => {
    const v = params.get(name);
    return v ? v.trim() : null;
  };
  return { version: value('version'), target: value('target'), id: value('id') };
}

/** `?version=…&target=…&id=…` for a selection; parts that are not set are left out. */
export function buildPermalink(selection) {
  const params = new URLSearchParams();
  for (const name of ['version', 'target', 'id']) {
    if (selection && selection[name]) params.set(name, selection[name]);
  }
  const text = params.toString().replace(/%2F/gi, '/');
  return text ? `?${text}` : '';
}

/** Fills an info URL template: {id}, {target}, {version}, {title}, {vendor}, {model}, each URL-encoded. */
export function infoUrl(template, values) {
  if (!template) return '';
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? encodeURIComponent(values[key] ?? '') : whole));
}

// ---- packages -------------------------------------------------------------------------------

/**
 * The package list of a custom image: default packages, then device packages (a `-pkg` there
 * removes a default), then configured extras; each name once, in that order.
 */
export function initialPackages(defaults, devicePackages, extras) {
  const list = [];
  const add = (name) => {
    if (!name) return;
    if (name.startsWith('-')) {
      const base = name.slice(1);
      const at = list.indexOf(base);
      if (at >= 0) list.splice(at, 1);
      return;
    }
    if (!list.includes(name)) list.push(name);
  };
  for (const name of defaults || []) add(name);
  for (const name of devicePackages || []) add(name);
  for (const name of extras || []) add(name);
  return list;
}

/** Splits user input into package names (spaces, commas, newlines). */
export function parsePackageInput(text) {
  return String(text || '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Package names starting with (first) or containing the query, not already chosen; at most `limit`. */
export function suggestPackages(names, query, chosen, limit = 15) {
  const q = String(query || '').trim().toLowerCase();
  if (!q) return [];
  const taken = new Set(chosen || []);
  const prefix = [];
  const inner = [];
  for (const name of names) {
    if (taken.has(name)) continue;
    const at = name.toLowerCase().indexOf(q);
    if (at === 0) prefix.push(name);
    else if (at > 0) inner.push(name);
  }
  prefix.sort(compareNatural);
  inner.sort(compareNatural);
  return prefix.concat(inner).slice(0, limit);
}

/** "1.2 MiB" style sizes. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** "m:ss" of a duration in milliseconds. */
export function formatElapsed(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
