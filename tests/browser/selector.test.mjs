// Browser tests of the firmware selector: playwright-core drives Debian's chromium against the
// running stack (FWHUB_TEST_URL, set by scripts/test). Screenshots of the main states go to
// FWHUB_TEST_ARTIFACTS (default: build/test-artifacts/browser).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.FWHUB_TEST_URL || '').replace(/\/+$/, '');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = process.env.FWHUB_TEST_ARTIFACTS || path.join(HERE, '../../build/test-artifacts/browser');
const CHROMIUM = process.env.FWHUB_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DEVICE = { target: 'ath79/generic', id: 'tplink_archer-c7-v5', label: 'TP-Link Archer C7 v5' };

if (!BASE) throw new Error('FWHUB_TEST_URL must be set (run through scripts/test)');
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
let stable;
let server;

const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

async function getJson(url) {
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}`);
  return response.json();
}

/** A new page; console errors and page errors are collected in page.problems. */
async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  return page;
}

async function open(page, query = '') {
  await page.goto(`${BASE}/${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

function permalink(version, device = DEVICE) {
  return `?version=${version}&target=${device.target}&id=${device.id}`;
}

/** Downloads every image link of a list; checks HTTP 200 and that the shown sha256 is the file's. */
async function checkImageLinks(page, listSelector) {
  const images = await page.$$eval(`${listSelector} li.image`, (items) =>
    items.map((li) => ({ href: li.querySelector('a.download').href, type: li.querySelector('a.download').dataset.type, sha: li.querySelector('code.sha').textContent.trim() })),
  );
  assert.ok(images.length > 0, 'images are listed');
  for (const image of images) {
    const response = await page.request.get(image.href);
    assert.equal(response.status(), 200, image.href);
    const body = await response.body();
    assert.equal(sha256(body), image.sha, `sha256 of ${image.href}`);
    image.bytes = body.length;
  }
  // Each image shows its size, read from the download server (cross-origin for release images).
  await page.waitForFunction((selector) => [...document.querySelectorAll(`${selector} li.image .size`)].every((s) => s.textContent.trim() !== ''), listSelector);
  const sizes = await page.$$eval(`${listSelector} li.image .size`, (items) => items.map((s) => s.textContent.trim()));
  images.forEach((image, i) => assert.match(sizes[i], /^\d+(\.\d+)? (B|KiB|MiB|kB|MB)$/, `size of ${image.href}: ${sizes[i]} (${image.bytes} bytes)`));
  return images;
}

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  stable = (await getJson(`${BASE}/.versions.json`)).stable_version;
  server = (await getJson(`${BASE}/json/v1/overview.json`)).server;
});

after(async () => {
  if (browser) await browser.close();
});

describe('firmware selector', () => {
  test('type "archer c7", pick v5: images in order, links download with the shown sha256', async () => {
    const page = await newPage();
    await open(page);
    assert.equal(await page.inputValue('#version'), stable, 'the stable release is preselected');
    await page.click('#search');
    await page.keyboard.type('archer c7');
    await page.waitForSelector('#search-list:not([hidden]) li');
    const options = await page.$$eval('#search-list li', (items) => items.map((li) => ({ text: li.textContent, marks: [...li.querySelectorAll('.model mark')].map((m) => m.textContent.toLowerCase()) })));
    assert.ok(options.length > 0 && options.length <= 15, `${options.length} suggestions`);
    for (const option of options) {
      assert.match(option.text.toLowerCase(), /archer.*c7/);
      assert.ok(option.marks.includes('archer') && option.marks.some((m) => m.startsWith('c7')), `highlighted: ${option.marks}`);
    }
    assert.equal(await page.getAttribute('#search', 'aria-expanded'), 'true');
    await shot(page, '01-suggestions');
    await page.click(`#search-list li:has-text("${DEVICE.label}")`);
    await page.waitForSelector('#device:not([hidden])');
    assert.equal(await page.textContent('#device-title'), DEVICE.label);
    const url = new URL(page.url());
    assert.deepEqual(Object.fromEntries(url.searchParams), { version: stable, target: DEVICE.target, id: DEVICE.id });

    const doc = await getJson(`${BASE}/json/v1/releases/${stable}/targets/${DEVICE.target}/${DEVICE.id}.json`);
    assert.equal(await page.textContent('#about-revision'), doc.version_code);
    assert.equal(await page.textContent('#about-target'), DEVICE.target);
    assert.equal(await page.textContent('#about-version'), doc.version_number);
    assert.match(await page.getAttribute('#about-info a', 'href'), /Archer%20C7%20v5/);

    const images = await checkImageLinks(page, '#images');
    assert.equal(images.length, doc.images.length);
    const types = images.map((i) => i.type);
    assert.equal(types[0], 'sysupgrade');
    assert.equal(types[1], 'factory');
    for (const image of doc.images) assert.ok(images.some((i) => i.href.endsWith(`/${image.name}`) && i.sha === image.sha256), image.name);
    await shot(page, '02-device');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a board name finds its device', async () => {
    const page = await newPage();
    await open(page);
    await page.fill('#search', 'tplink,archer-c7-v5');
    await page.waitForSelector('#search-list:not([hidden]) li');
    const first = await page.textContent('#search-list li:first-child .detail');
    assert.match(first, /tplink_archer-c7-v5/);
    await page.fill('#search', 'no such device anywhere');
    await page.waitForFunction(() => document.querySelector('#search-list').hidden);
    assert.match(await page.textContent('#search-status'), /No device matches/);
    await page.context().close();
  });

  test('permalink restores the selection; back and forward work', async () => {
    const page = await newPage();
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    assert.equal(await page.textContent('#device-title'), DEVICE.label);
    assert.equal(await page.inputValue('#search'), DEVICE.label);

    await page.fill('#search', 'wndr3700 v2');
    await page.waitForSelector('#search-list:not([hidden]) li');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#device-title').textContent.includes('WNDR3700 v2'));
    assert.equal(new URL(page.url()).searchParams.get('id'), 'netgear_wndr3700-v2');

    await page.goBack();
    await page.waitForFunction((label) => document.querySelector('#device-title').textContent === label, DEVICE.label);
    assert.equal(new URL(page.url()).searchParams.get('id'), DEVICE.id);
    await page.goForward();
    await page.waitForFunction(() => document.querySelector('#device-title').textContent.includes('WNDR3700 v2'));

    // the permalink link of the page is the page's own address
    const href = await page.getAttribute('#permalink', 'href');
    assert.equal(new URL(href, page.url()).href, page.url());
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('another release keeps the device when it exists there', async () => {
    const versions = (await getJson(`${BASE}/.versions.json`)).versions_list.filter((v) => v !== stable);
    const other = versions.find((v) => !/rc|SNAPSHOT/i.test(v));
    const page = await newPage();
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    const shown = await page.$$eval('#version option', (opts) => opts.map((o) => o.value));
    assert.ok(shown.includes(stable));
    if (!other) return;
    const overview = await getJson(`${BASE}/releases/${other}/.overview.json`);
    const exists = overview.profiles.some((p) => p.id === DEVICE.id && p.target === DEVICE.target);
    await page.selectOption('#version', other);
    await page.waitForFunction((v) => new URL(location.href).searchParams.get('version') === v, other);
    if (exists) {
      await page.waitForFunction((v) => document.querySelector('#about-version').textContent === v, other);
      assert.equal(new URL(page.url()).searchParams.get('id'), DEVICE.id);
    } else {
      assert.equal(await page.isHidden('#device'), true);
    }
    await page.context().close();
  });

  test('an unknown device in a permalink is reported', async () => {
    const page = await newPage();
    await open(page, `?version=${stable}&target=ath79/generic&id=no_such_device`);
    await page.waitForSelector('#load-error:not([hidden])');
    assert.match(await page.textContent('#load-error'), /no_such_device/);
    assert.equal(await page.isHidden('#device'), true);
    await page.context().close();
  });

  test('customise: add and remove packages, first-boot script, build, download the custom image', async () => {
    const page = await newPage();
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    await page.click('#customise-summary');
    const doc = await getJson(`${BASE}/json/v1/releases/${stable}/targets/${DEVICE.target}/${DEVICE.id}.json`);
    const chips = await page.$$eval('#packages li', (items) => items.map((li) => li.dataset.package));
    for (const name of doc.default_packages) if (!doc.device_packages.includes(`-${name}`)) assert.ok(chips.includes(name), `default package ${name} prefilled`);
    for (const name of doc.device_packages) if (!name.startsWith('-')) assert.ok(chips.includes(name), `device package ${name} prefilled`);

    // add htop from the suggestions of the package index
    await page.click('#pkg-add');
    await page.keyboard.type('hto');
    await page.waitForSelector('#pkg-list:not([hidden]) li');
    await page.click('#pkg-list li:has-text("htop")');
    await page.waitForSelector('#packages li[data-package="htop"]');
    // remove a default package
    const removed = 'ppp-mod-pppoe';
    assert.ok(chips.includes(removed));
    await page.click(`#packages li[data-package="${removed}"] button`);
    assert.equal(await page.$(`#packages li[data-package="${removed}"]`), null);

    const marker = `echo fwhub-browser-test-${Date.now()}`;
    if (server.allow_defaults) {
      await page.click('#defaults-template');
      assert.match(await page.inputValue('#defaults'), /uci/);
      await page.fill('#defaults', `${await page.inputValue('#defaults')}\n${marker}\n`);
    }
    // record every status text the page shows
    await page.evaluate(() => {
      window.statusLog = [];
      new MutationObserver(() => window.statusLog.push(document.querySelector('#build-status').textContent)).observe(document.querySelector('#build-status'), { childList: true, characterData: true, subtree: true });
    });
    await page.click('#build-button');
    await page.waitForSelector('#build-result:not([hidden])', { timeout: 120000 });
    const log = await page.evaluate(() => window.statusLog);
    if (server.allow_defaults) assert.ok(log.some((s) => /Queued|Building/.test(s)), `status shown while waiting: ${log}`);
    assert.match(await page.textContent('#build-status'), /Build finished/);
    await shot(page, '03-custom-build');

    const images = await checkImageLinks(page, '#custom-images');
    const hash = new URL(images[0].href).pathname.split('/')[2];
    const result = await getJson(`${BASE}/api/v1/build/${hash}`);
    assert.ok('htop' in result.manifest, 'htop is in the built image');
    assert.ok(!(removed in result.manifest), `${removed} was removed`);
    assert.ok(result.request.packages.includes('htop'));
    if (server.allow_defaults) assert.ok(result.request.defaults.includes(marker), 'the first-boot script was sent');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an unknown package shows the server\'s message next to the packages', async () => {
    const page = await newPage();
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    await page.click('#customise-summary');
    await page.fill('#pkg-add', 'no-such-package-fwhub');
    await page.press('#pkg-add', 'Enter');
    await page.waitForSelector('#packages li[data-package="no-such-package-fwhub"]');
    await page.click('#build-button');
    await page.waitForSelector('#packages-error:not([hidden])');
    const message = await page.textContent('#packages-error');
    const direct = await fetch(`${BASE}/api/v1/build`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: stable, target: DEVICE.target, profile: DEVICE.id, packages: ['no-such-package-fwhub'] }),
    });
    assert.equal(message, (await direct.json()).detail, 'the server\'s own message');
    assert.equal(await page.getAttribute('#pkg-add', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'pkg-add');
    assert.match(await page.textContent('#build-status'), /refused/);
    await shot(page, '04-rejected');
    await page.context().close();
  });

  test('a failing build shows the error and the build output', async () => {
    const page = await newPage();
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    await page.click('#customise-summary');
    await page.fill('#pkg-add', 'wpad-openssl');
    await page.click('#pkg-add-button');
    await page.click('#build-button');
    await page.waitForSelector('#build-failure:not([hidden])', { timeout: 120000 });
    assert.match(await page.textContent('#build-error'), /conflicts/);
    assert.match(await page.textContent('#build-stderr'), /wpad/);
    await shot(page, '05-failed');
    await page.context().close();
  });

  test('keyboard only: search, choose, customise, add a package', async () => {
    const page = await newPage();
    await open(page);
    // Tab from the top of the page to the search field
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'search'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement.id);
    }
    assert.equal(focused, 'search');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.keyboard.type('c7 v5');
    await page.waitForSelector('#search-list:not([hidden]) li');
    await page.keyboard.press('ArrowDown');
    const active = await page.getAttribute('#search', 'aria-activedescendant');
    assert.ok(active, 'an option is active');
    assert.equal(await page.getAttribute(`#${active}`, 'aria-selected'), 'true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getAttribute('#search', 'aria-activedescendant'), active);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#device:not([hidden])');
    assert.equal(await page.textContent('#device-title'), DEVICE.label);
    // Escape closes suggestions
    await page.keyboard.type('x');
    await page.keyboard.press('Escape');
    // Tab on to the Customise summary and open it
    focused = '';
    for (let i = 0; i < 40 && focused !== 'customise-summary'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement.id);
    }
    assert.equal(focused, 'customise-summary');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 80 && focused !== 'pkg-add'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement.id);
    }
    assert.equal(focused, 'pkg-add');
    await page.keyboard.type('luci-app-s');
    await page.waitForSelector('#pkg-list:not([hidden]) li');
    await page.keyboard.press('ArrowDown');
    const picked = await page.textContent(`#${await page.getAttribute('#pkg-add', 'aria-activedescendant')}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#packages li[data-package="${picked}"]`);
    assert.match(await page.textContent('#packages-live'), new RegExp(picked));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('language: switcher, remembered, browser language preselected', async () => {
    const page = await newPage();
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    assert.equal(await page.textContent('h1'), 'Firmware Selector');
    await page.selectOption('#lang', 'de');
    assert.equal(await page.textContent('h1'), 'Firmware-Auswahl');
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.match(await page.textContent('#images li.image .hint'), /OpenWrt schon läuft/);
    assert.match(await page.textContent('#images a.download'), /Herunterladen/);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.textContent('h1'), 'Firmware-Auswahl', 'the choice is remembered');
    await shot(page, '06-german');
    await page.context().close();

    const german = await newPage({ locale: 'de-DE' });
    await open(german);
    assert.equal(await german.inputValue('#lang'), 'de');
    assert.equal(await german.textContent('label[for="search"]'), 'Gerät');
    await german.context().close();
    const french = await newPage({ locale: 'fr-FR' });
    await open(french);
    assert.equal(await french.inputValue('#lang'), 'en');
    await french.context().close();
  });

  test('a phone-sized viewport has no horizontal scrolling', async () => {
    const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    await page.click('#customise-summary');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.tap('#search');
    await page.fill('#search', 'archer');
    await page.waitForSelector('#search-list:not([hidden]) li');
    const box = await page.$eval('#search-list', (el) => el.getBoundingClientRect().right);
    assert.ok(box <= 360, 'suggestions fit the screen');
    await shot(page, '07-phone');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('download-only mode without a build server', async () => {
    const page = await newPage();
    await page.route('**/config.js', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/asu_url:[^\n]*/, "asu_url: '',");
      await route.fulfill({ response, body });
    });
    await open(page, permalink(stable));
    await page.waitForSelector('#device:not([hidden])');
    assert.equal(await page.isHidden('#customise-details'), true);
    assert.equal(await page.isVisible('#download-only'), true);
    await checkImageLinks(page, '#images');
    await page.context().close();
  });
});
