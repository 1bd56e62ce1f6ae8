// The firmware selector page: wires the DOM to the pure logic of search.js and build.js.
import config from '../config.js';
import * as S from './search.js';
import { buildRequest, interpretBuildResponse, storeUrl } from './build.js';
import { Combobox } from './combobox.js';
import { dictionaries, languageNames, pickLanguage, setLanguage, language, t, translatePage } from './i18n.js';

const $ = (id) => document.getElementById(id);
const trimSlash = (url) => String(url || '').replace(/\/+$/, '');

const DATA_URL = trimSlash(config.data_url || window.location.origin);
const ASU_URL = trimSlash(config.asu_url || '');
const LANG_KEY = 'fwhub.selector.lang';

const state = {
  versionsDoc: null,
  version: null,
  imageBase: DATA_URL,
  releases: new Map(), // version → Promise<{index, count}>
  index: [],
  selection: null, // {version, target, id}
  profile: null, // the per-profile document
  server: null, // overview.json "server"
  packages: [],
  packageNames: null, // sorted names of the package index of the selected device
  packageNamesFor: null,
  buildView: null, // {kind, ...} for re-rendering on language change
  build: null, // {token, hash, started}
  searchInfo: null,
};

// ---- helpers --------------------------------------------------------------------------------

async function fetchJson(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function highlighted(text, ranges) {
  const span = el('span');
  for (const part of S.highlightParts(text, ranges)) span.append(part.match ? el('mark', { text: part.text }) : part.text);
  return span;
}

function showError(text) {
  const box = $('load-error');
  box.textContent = text;
  box.hidden = !text;
}

function formatDate(profile) {
  let date = null;
  if (profile.build_at) date = new Date(profile.build_at);
  else if (profile.source_date_epoch) date = new Date(Number(profile.source_date_epoch) * 1000);
  if (!date || Number.isNaN(date.getTime())) return '';
  const format = new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return `${format.format(date)} UTC`;
}

// ---- language -------------------------------------------------------------------------------

function initLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(LANG_KEY);
  } catch {
    stored = null;
  }
  const lang = setLanguage(stored && dictionaries[stored] ? stored : pickLanguage(navigator.languages || [navigator.language]));
  const select = $('lang');
  for (const [code, name] of Object.entries(languageNames)) select.append(el('option', { value: code, lang: code, text: name }));
  select.value = lang;
  select.addEventListener('change', () => {
    setLanguage(select.value);
    try {
      localStorage.setItem(LANG_KEY, select.value);
    } catch {
      // private mode: the choice lasts for this page only
    }
    applyLanguage();
  });
  applyLanguage();
}

function applyLanguage() {
  document.documentElement.lang = language();
  document.title = `${t('title')} · fwhub`;
  translatePage(document);
  renderSearchInfo();
  renderFooter();
  if (state.profile) renderDevice();
  renderPackages();
  renderFormLimits();
  renderBuildView();
}

// ---- releases and search --------------------------------------------------------------------

function loadRelease(version) {
  if (!state.releases.has(version)) {
    const url = `${DATA_URL}/${S.versionPath(version)}/.overview.json`;
    const promise = fetchJson(url).then((doc) => {
      const index = S.buildIndex(doc.profiles || []);
      return { index, count: new Set(index.map((e) => `${e.target}/${e.id}`)).size };
    });
    promise.catch(() => state.releases.delete(version));
    state.releases.set(version, promise);
  }
  return state.releases.get(version);
}

async function useRelease(version) {
  state.version = version;
  $('version').value = version;
  state.index = [];
  state.searchInfo = { key: 'search.loading', params: { version } };
  renderSearchInfo();
  try {
    const release = await loadRelease(version);
    if (state.version !== version) return;
    state.index = release.index;
    state.searchInfo = { key: 'search.ready', params: { count: release.count, version } };
    showError('');
  } catch (error) {
    state.searchInfo = null;
    showError(t('load.failed', { what: `${version}/.overview.json`, error: error.message }));
  }
  renderSearchInfo();
}

function renderSearchInfo() {
  const info = state.searchInfo;
  $('search-status').textContent = info ? t(info.key, info.params) : '';
}

function setupSearch() {
  const input = $('search');
  new Combobox(input, $('search-list'), {
    enterPicksFirst: true,
    items: (query) => {
      const result = S.search(state.index, query, config.max_suggestions || 15);
      state.lastSearch = { query, total: result.total, shown: result.results.length };
      return result.results;
    },
    render: (hit, li) => {
      li.append(el('span', { className: 'model' }, highlighted(hit.entry.label, hit.labelRanges)));
      const detail = el('span', { className: 'detail' }, highlighted(hit.entry.id, hit.idRanges), ` · ${hit.entry.target}`);
      li.append(detail);
    },
    onPick: (hit) => {
      input.value = hit.entry.label;
      state.searchInfo = null;
      renderSearchInfo();
      selectDevice({ version: state.version, target: hit.entry.target, id: hit.entry.id }, { push: true });
    },
    onResults: (items, query) => {
      if (!query.trim()) state.searchInfo = null;
      else if (!state.lastSearch || !state.lastSearch.total) state.searchInfo = { key: 'search.none', params: { query: query.trim() } };
      else if (state.lastSearch.total > state.lastSearch.shown)
        state.searchInfo = { key: 'search.more', params: { shown: state.lastSearch.shown, count: state.lastSearch.total } };
      else state.searchInfo = { key: 'search.count', params: { count: state.lastSearch.total } };
      renderSearchInfo();
    },
  });
}

// ---- device ---------------------------------------------------------------------------------

async function fetchProfile(selection) {
  const path = S.versionPath(selection.version);
  try {
    const doc = await fetchJson(`${DATA_URL}/json/v1/${path}/targets/${selection.target}/${encodeURIComponent(selection.id)}.json`);
    if (doc && doc.id) return doc;
  } catch {
    // fall back to the download-server layout below
  }
  const all = await fetchJson(`${DATA_URL}/${path}/targets/${selection.target}/profiles.json`);
  const one = all.profiles && all.profiles[selection.id];
  if (!one) return null;
  const { profiles, ...top } = all;
  return { ...top, ...one, id: selection.id };
}

async function selectDevice(selection, { push = false, replace = false } = {}) {
  const token = {};
  state.selecting = token;
  stopBuild();
  if (selection.version !== state.version) {
    await useRelease(selection.version);
    if (state.selecting !== token) return;
  }
  const entry = S.findProfile(state.index, selection.id, selection.target) || S.findProfile(state.index, selection.id, null);
  if (!entry) {
    clearDevice();
    if (state.index.length) showError(t('device.unknown', { id: selection.id, version: selection.version }));
    return;
  }
  const sel = { version: selection.version, target: entry.target, id: entry.id };
  let profile;
  try {
    profile = await fetchProfile(sel);
  } catch (error) {
    showError(t('load.failed', { what: sel.id, error: error.message }));
    return;
  }
  if (state.selecting !== token) return;
  if (!profile) {
    clearDevice();
    showError(t('device.unknown', { id: sel.id, version: sel.version }));
    return;
  }
  showError('');
  state.selection = sel;
  state.profile = profile;
  const link = S.buildPermalink(sel);
  if (push) history.pushState(sel, '', link);
  else if (replace) history.replaceState(sel, '', link);
  const search = $('search');
  if (document.activeElement !== search || !search.value) search.value = entry.label;
  renderDevice();
  resetCustomise();
}

function clearDevice() {
  state.selection = null;
  state.profile = null;
  $('device').hidden = true;
  $('customise').hidden = true;
  stopBuild();
}

function deviceTitles(profile) {
  const titles = (profile.titles || []).map(S.titleLabel).filter(Boolean);
  return titles.length ? titles : [profile.id];
}

function renderDevice() {
  const profile = state.profile;
  const sel = state.selection;
  if (!profile || !sel) return;
  const titles = deviceTitles(profile);
  $('device-title').textContent = titles.join(' / ');
  $('about-model').textContent = titles.join(', ');
  $('about-target').textContent = profile.target || sel.target;
  $('about-version').textContent = profile.version_number || sel.version;
  $('about-revision').textContent = profile.version_code || '';
  $('about-date').textContent = formatDate(profile);
  const first = (profile.titles || [])[0] || {};
  const info = S.infoUrl(config.info_url, {
    title: titles[0],
    vendor: first.vendor || '',
    model: first.model || '',
    id: sel.id,
    target: sel.target,
    version: sel.version,
  });
  $('about-info').replaceChildren(info ? el('a', { href: info, rel: 'noopener', text: `${titles[0]} – ${t('about.info.link')}` }) : '');
  $('about-info').hidden = !info;
  $('about-info-term').hidden = !info;
  $('permalink').href = S.buildPermalink(sel) || '?';
  const base = `${state.imageBase}/${S.versionPath(sel.version)}/targets/${sel.target}`;
  renderImages($('images'), profile.images, (image) => `${base}/${image.name}`);
  $('device').hidden = false;
  $('customise').hidden = false;
}

function renderImages(list, images, urlOf) {
  list.replaceChildren();
  const sorted = S.sortImages(images);
  if (!sorted.length) {
    list.append(el('li', { className: 'hint', text: t('images.none') }));
    return;
  }
  for (const image of sorted) {
    const url = urlOf(image);
    const size = el('span', { className: 'size' });
    const sha = el('code', { className: 'sha', text: image.sha256 || '' });
    const copy = el('button', {
      type: 'button',
      className: 'copy secondary',
      'aria-label': t('image.copy.label', { name: image.name }),
      text: t('image.copy'),
    });
    copy.addEventListener('click', () => copySha(copy, image.sha256));
    const item = el(
      'li',
      { className: `image type-${image.type}` },
      el(
        'div',
        { className: 'image-head' },
        el('a', { className: 'download button', href: url, download: image.name, 'data-type': image.type }, `${t('image.download')} `, el('strong', { text: String(image.type || '').toUpperCase() })),
        el('span', { className: 'name', text: image.name }),
        size,
      ),
      el('p', { className: 'hint', text: t(S.imageHelpKey(image)) }),
      image.sha256 ? el('p', { className: 'sha-row' }, el('span', { text: 'sha256 ' }), sha, copy) : null,
    );
    list.append(item);
    showSize(url, size);
  }
}

// Sizes are known for files of this origin (a HEAD costs nothing); other origins may lack CORS.
function showSize(url, target) {
  let parsed;
  try {
    parsed = new URL(url, window.location.href);
  } catch {
    return;
  }
  // Release images live on the download server: it answers CORS like downloads.openwrt.org.
  fetch(parsed, { method: 'HEAD' })
    .then((response) => {
      const length = Number(response.headers.get('content-length'));
      if (response.ok && length) target.textContent = S.formatBytes(length);
    })
    .catch(() => {});
}

async function copySha(button, text) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = el('textarea', { readonly: true, className: 'offscreen' });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
  }
  button.textContent = ok ? t('image.copied') : t('image.copy.failed');
  setTimeout(() => {
    button.textContent = t('image.copy');
  }, 2000);
}

// ---- customise ------------------------------------------------------------------------------

const defaultsTemplate = `# Runs once, at the first boot of the image (uci-defaults).
# Lines starting with # are comments. Remove what you do not need.

# Root password (empty keeps the device without one):
root_password=""
# LAN address of the device:
lan_ip_address="192.168.1.1"
# Wi-Fi network (empty SSID = Wi-Fi stays as it is):
wlan_name=""
wlan_password=""

exec >/tmp/setup.log 2>&1

if [ -n "$root_password" ]; then
  (echo "$root_password"; sleep 1; echo "$root_password") | passwd > /dev/null
fi

if [ -n "$lan_ip_address" ]; then
  uci set network.lan.ipaddr="$lan_ip_address"
  uci commit network
fi

if [ -n "$wlan_name" ] && [ -n "$wlan_password" ] && [ \${#wlan_password} -ge 8 ]; then
  for radio in $(uci -q show wireless | sed -n 's/^wireless\\.\\([^.]*\\)=wifi-device$/\\1/p'); do
    uci set wireless.$radio.disabled='0'
  done
  uci set wireless.@wifi-iface[0].ssid="$wlan_name"
  uci set wireless.@wifi-iface[0].encryption='psk2'
  uci set wireless.@wifi-iface[0].key="$wlan_password"
  uci commit wireless
fi

echo "first boot script done"
`;

function defaultPackageList() {
  const profile = state.profile || {};
  return S.initialPackages(profile.default_packages, profile.device_packages, config.extra_packages);
}

function resetCustomise() {
  state.packages = defaultPackageList();
  state.packageNames = null;
  state.buildView = null;
  clearFieldErrors();
  renderPackages();
  renderBuildView();
  if (!ASU_URL) {
    $('customise-details').hidden = true;
    $('download-only').hidden = false;
  }
  if ($('customise-details').open) loadPackageNames();
}

function renderPackages() {
  const list = $('packages');
  list.replaceChildren();
  for (const name of state.packages) {
    const remove = el('button', { type: 'button', className: 'remove', 'aria-label': t('packages.remove', { name }), text: '×' });
    remove.addEventListener('click', () => removePackage(name, remove));
    list.append(el('li', { className: 'chip', 'data-package': name }, el('span', { text: name }), remove));
  }
  $('packages-count').textContent = t('packages.count', { count: state.packages.length });
}

function announce(text) {
  $('packages-live').textContent = text;
}

function removePackage(name, button) {
  const at = state.packages.indexOf(name);
  if (at < 0) return;
  state.packages.splice(at, 1);
  const chips = $('packages').children;
  const focusNext = button && button === document.activeElement;
  renderPackages();
  announce(t('packages.removed', { name }));
  if (focusNext) {
    const next = chips[Math.min(at, chips.length - 1)];
    if (next) next.querySelector('button').focus();
    else $('pkg-add').focus();
  }
}

function addPackages(text) {
  const names = S.parsePackageInput(text);
  if (!names.length) return false;
  for (const name of names) {
    const bare = name.replace(/^\+/, '');
    if (bare.startsWith('-')) {
      const at = state.packages.indexOf(bare.slice(1));
      if (at >= 0) state.packages.splice(at, 1);
    } else if (!state.packages.includes(bare)) {
      state.packages.push(bare);
    }
  }
  renderPackages();
  announce(t('packages.added', { name: names.join(', ') }));
  $('pkg-add').value = '';
  hideFieldError('packages');
  return true;
}

async function loadPackageNames() {
  const sel = state.selection;
  const profile = state.profile;
  if (!sel || !profile) return;
  const key = `${sel.version}/${sel.target}`;
  if (state.packageNamesFor === key && state.packageNames) return;
  state.packageNamesFor = key;
  const path = S.versionPath(sel.version);
  const names = new Set();
  const sources = [`${ASU_URL || DATA_URL}/json/v1/${path}/targets/${sel.target}/index.json`];
  if (profile.arch_packages) sources.push(`${ASU_URL || DATA_URL}/json/v1/${path}/packages/${profile.arch_packages}-index.json`);
  const docs = await Promise.allSettled(sources.map((url) => fetchJson(url)));
  for (const doc of docs) {
    if (doc.status !== 'fulfilled' || !doc.value) continue;
    const packages = doc.value.packages && typeof doc.value.packages === 'object' ? doc.value.packages : doc.value;
    for (const name of Object.keys(packages)) names.add(name);
  }
  if (state.packageNamesFor === key) state.packageNames = [...names].sort(S.compareNatural);
}

function setupCustomise() {
  const details = $('customise-details');
  details.addEventListener('toggle', () => {
    if (details.open) loadPackageNames();
  });
  const input = $('pkg-add');
  new Combobox(input, $('pkg-list'), {
    items: (query) => S.suggestPackages(state.packageNames || [], query, state.packages, 15),
    render: (name, li) => {
      const q = input.value.trim().toLowerCase();
      li.append(highlighted(name, S.matchRanges(name.toLowerCase(), q ? [q] : [])));
    },
    onPick: (name) => {
      addPackages(name);
      input.focus();
    },
    onEnter: (query) => addPackages(query),
  });
  $('pkg-add-button').addEventListener('click', () => {
    addPackages(input.value);
    input.focus();
  });
  $('pkg-reset').addEventListener('click', () => {
    state.packages = defaultPackageList();
    renderPackages();
    hideFieldError('packages');
  });
  $('defaults-template').addEventListener('click', () => {
    const area = $('defaults');
    if (!area.value.trim()) area.value = defaultsTemplate;
    else area.value = `${area.value.replace(/\s*$/, '\n\n')}${defaultsTemplate}`;
    renderDefaultsLength();
    area.focus();
  });
  $('defaults').addEventListener('input', () => {
    renderDefaultsLength();
    hideFieldError('defaults');
  });
  $('rootfs').addEventListener('input', () => hideFieldError('rootfs_size_mb'));
  $('build-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitBuild();
  });
  $('build-cancel').addEventListener('click', () => {
    stopBuild();
    state.buildView = { kind: 'stopped' };
    renderBuildView();
  });
}

function serverLimits() {
  const server = state.server || {};
  return {
    allowDefaults: server.allow_defaults !== false,
    maxDefaults: Number(server.max_defaults_length) || 20480,
    maxRootfs: Number(server.max_custom_rootfs_size_mb) || 1024,
  };
}

function renderFormLimits() {
  const limits = serverLimits();
  $('defaults-field').hidden = !limits.allowDefaults;
  $('defaults-disabled').hidden = limits.allowDefaults;
  $('defaults').maxLength = limits.maxDefaults;
  $('rootfs').max = String(limits.maxRootfs);
  $('rootfs-hint').textContent = t('rootfs.hint', { max: limits.maxRootfs });
  renderDefaultsLength();
}

function renderDefaultsLength() {
  const limits = serverLimits();
  $('defaults-length').textContent = t('defaults.length', { count: $('defaults').value.length, max: limits.maxDefaults });
}

// ---- field errors ---------------------------------------------------------------------------

const fieldInputs = { packages: 'pkg-add', defaults: 'defaults', rootfs_size_mb: 'rootfs' };

function showFieldError(field, message) {
  const box = $(`${field}-error`) || $('form-error');
  box.textContent = message;
  box.hidden = false;
  const input = $(fieldInputs[field]);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

function hideFieldError(field) {
  const box = $(`${field}-error`);
  if (box) {
    box.hidden = true;
    box.textContent = '';
  }
  const input = $(fieldInputs[field]);
  if (input) input.removeAttribute('aria-invalid');
}

function clearFieldErrors() {
  for (const field of Object.keys(fieldInputs)) hideFieldError(field);
  hideFieldError('form');
}

// ---- builds ---------------------------------------------------------------------------------

function stopBuild() {
  if (state.build) {
    clearTimeout(state.build.timer);
    clearInterval(state.build.clock);
  }
  state.build = null;
  $('build-button').disabled = false;
  $('build-cancel').hidden = true;
  $('build-elapsed').textContent = '';
}

function submitBuild() {
  const sel = state.selection;
  const profile = state.profile;
  if (!sel || !profile || !ASU_URL) return;
  clearFieldErrors();
  const limits = serverLimits();
  const rootfs = $('rootfs').value.trim();
  if (rootfs && (!/^\d+$/.test(rootfs) || Number(rootfs) < 1 || Number(rootfs) > limits.maxRootfs)) {
    showFieldError('rootfs_size_mb', t('rootfs.hint', { max: limits.maxRootfs }));
    return;
  }
  const body = buildRequest({
    version: sel.version,
    versionCode: profile.version_code,
    target: sel.target,
    profile: sel.id,
    packages: state.packages,
    defaults: limits.allowDefaults ? $('defaults').value : '',
    rootfsSizeMb: rootfs || null,
  });
  stopBuild();
  const build = { token: {}, hash: null, started: Date.now(), timer: null, clock: null };
  state.build = build;
  $('build-button').disabled = true;
  $('build-cancel').hidden = false;
  build.clock = setInterval(renderElapsed, 1000);
  state.buildView = { kind: 'sending' };
  renderBuildView();
  renderElapsed();
  request(build, fetch(`${ASU_URL}/api/v1/build`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
}

function renderElapsed() {
  const build = state.build;
  $('build-elapsed').textContent = build ? t('build.elapsed', { time: S.formatElapsed(Date.now() - build.started) }) : '';
}

async function request(build, pending) {
  let outcome;
  try {
    const response = await pending;
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const headers = {
      'x-imagebuilder-status': response.headers.get('x-imagebuilder-status'),
      'x-queue-position': response.headers.get('x-queue-position'),
    };
    outcome = interpretBuildResponse(response.status, body, headers);
    if (body && body.request_hash) build.hash = body.request_hash;
  } catch (error) {
    outcome = { state: 'network', message: error.message };
  }
  if (state.build !== build) return;
  if (outcome.state === 'queued' || outcome.state === 'running') {
    state.buildView = { kind: outcome.state, position: outcome.position, step: outcome.step };
    renderBuildView();
    if (build.hash) {
      build.timer = setTimeout(() => request(build, fetch(`${ASU_URL}/api/v1/build/${build.hash}`, { cache: 'no-store' })), config.poll_interval_ms || 3000);
      return;
    }
  }
  stopBuild();
  if (outcome.state === 'done') {
    state.buildView = { kind: 'done', result: outcome.result };
  } else if (outcome.state === 'rejected') {
    state.buildView = { kind: 'rejected' };
    showFieldError(outcome.field || 'form', outcome.message);
  } else if (outcome.state === 'overloaded') {
    state.buildView = { kind: 'overloaded', message: outcome.message };
  } else if (outcome.state === 'network') {
    state.buildView = { kind: 'network', message: outcome.message };
  } else {
    state.buildView = { kind: 'failed', message: outcome.message, stdout: outcome.stdout, stderr: outcome.stderr };
  }
  renderBuildView();
}

function renderBuildView() {
  const view = state.buildView;
  const status = $('build-status');
  $('build-result').hidden = true;
  $('build-failure').hidden = true;
  status.className = '';
  if (!view) {
    status.textContent = '';
    return;
  }
  switch (view.kind) {
    case 'sending':
      status.textContent = t('build.sending');
      break;
    case 'queued':
      status.textContent = t('build.queued', { position: view.position });
      break;
    case 'running':
      status.textContent = t('build.running', { step: dictionaries.en[`step.${view.step}`] ? t(`step.${view.step}`) : view.step });
      break;
    case 'done': {
      status.textContent = t('build.done');
      status.className = 'ok';
      const result = view.result;
      renderImages($('custom-images'), result.images, (image) => storeUrl(ASU_URL, result.bin_dir || result.request_hash, image.name));
      $('build-result').hidden = false;
      break;
    }
    case 'failed':
      status.textContent = t('build.failed');
      status.className = 'error';
      $('build-error').textContent = view.message;
      $('build-stdout').textContent = view.stdout || '';
      $('build-stderr').textContent = view.stderr || '';
      $('build-stdout-box').hidden = !view.stdout;
      $('build-stderr-box').hidden = !view.stderr;
      $('build-output').hidden = !(view.stdout || view.stderr);
      $('build-failure').hidden = false;
      break;
    case 'rejected':
      status.textContent = t('build.rejected');
      status.className = 'error';
      break;
    case 'overloaded':
      status.textContent = t('build.overloaded', { message: view.message });
      status.className = 'error';
      break;
    case 'network':
      status.textContent = t('build.network', { error: view.message });
      status.className = 'error';
      break;
    case 'stopped':
      status.textContent = t('build.stopped');
      break;
    default:
      status.textContent = '';
  }
}

// ---- footer and server ----------------------------------------------------------------------

function renderFooter() {
  const server = state.server;
  const parts = [];
  if (server && server.version) parts.push(t('footer.server', { version: server.version }));
  if (server && server.contact) parts.push(t('footer.contact', { contact: server.contact }));
  $('footer-text').textContent = parts.join(' · ');
}

async function loadServer() {
  if (!ASU_URL) return;
  try {
    const overview = await fetchJson(`${ASU_URL}/json/v1/overview.json`);
    state.server = overview.server || {};
  } catch {
    state.server = {};
  }
  renderFooter();
  renderFormLimits();
}

// ---- start ----------------------------------------------------------------------------------

async function applyLocation({ replace = false } = {}) {
  const link = S.parsePermalink(window.location.search);
  const version = link.version || state.defaultVersion;
  if (link.version && !state.versions.includes(link.version)) {
    state.versions.push(link.version);
    $('version').append(el('option', { value: link.version, text: link.version }));
  }
  if (link.id) {
    await selectDevice({ version, target: link.target, id: link.id }, { replace });
  } else {
    clearDevice();
    showError('');
    if (version !== state.version) await useRelease(version);
    $('search').value = '';
  }
}

async function start() {
  initLanguage();
  setupSearch();
  setupCustomise();
  renderFormLimits();
  const serverPromise = loadServer();
  let versionsDoc = {};
  try {
    versionsDoc = await fetchJson(`${DATA_URL}/.versions.json`);
  } catch (error) {
    showError(t('load.failed', { what: '.versions.json', error: error.message }));
  }
  state.versionsDoc = versionsDoc;
  state.imageBase = trimSlash(config.image_url || versionsDoc.image_url_override || DATA_URL);
  const { versions, selected } = S.shownVersions(versionsDoc, config);
  state.versions = versions;
  state.defaultVersion = selected;
  const select = $('version');
  for (const version of versions) select.append(el('option', { value: version, text: version }));
  select.addEventListener('change', async () => {
    const version = select.value;
    const previous = state.selection;
    if (previous) {
      await useRelease(version);
      const entry = S.findProfile(state.index, previous.id, previous.target);
      if (entry) {
        selectDevice({ version, target: entry.target, id: entry.id }, { push: true });
        return;
      }
    }
    clearDevice();
    history.pushState({ version }, '', S.buildPermalink({ version }));
    await useRelease(version);
  });
  window.addEventListener('popstate', () => applyLocation());
  if (selected || S.parsePermalink(window.location.search).version) await applyLocation({ replace: true });
  await serverPromise;
  document.body.dataset.ready = 'true';
}

start();
