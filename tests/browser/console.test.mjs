// Browser tests of the operator console (frontend/console/): playwright-core drives Debian's
// chromium against the running stack (FWHUB_TEST_URL, FWHUB_TEST_STATE, FWHUB_ADMIN) with real
// simulated devices (scripts/devsim) registered by scripts/lib/demo_fleet.py in two organizations:
// "alpha" (20 devices, 2 of them faulty, an administrator) and "beta" (2 devices, a build with an
// image, an operator). Screenshots go to FWHUB_TEST_ARTIFACTS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.FWHUB_TEST_URL || '').replace(/\/+$/, '');
const STATE = process.env.FWHUB_TEST_STATE || '';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '../..');
const ADMIN = process.env.FWHUB_ADMIN || path.join(ROOT, 'build/bin/fwhub-admin');
const ARTIFACTS = process.env.FWHUB_TEST_ARTIFACTS || path.join(ROOT, 'build/test-artifacts/browser');
const CHROMIUM = process.env.FWHUB_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const UPGRADER = '/api/v1/firmware-upgrader';

if (!BASE || !STATE) throw new Error('FWHUB_TEST_URL and FWHUB_TEST_STATE must be set (run through scripts/test)');
mkdirSync(ARTIFACTS, { recursive: true });

const hex = randomBytes(3).toString('hex');
const work = mkdtempSync(path.join(tmpdir(), 'fwhub-console-test-'));
const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');
let browser;
let alpha;
let beta;

/** Sets up an organization with simulated devices (scripts/lib/demo_fleet.py); returns its summary. */
function fleet({ slug, username, role, count, prefix, faults = null, noBuild = false }) {
  const args = ['--state', STATE, '--url', BASE, '--admin', ADMIN, '--devsim-state', path.join(work, slug), '--slug', slug, '--name', slug, '--username', username, '--role', role, '--count', String(count), '--name-prefix', prefix, '--reboot-seconds', '2'];
  if (faults) {
    writeFileSync(path.join(work, `${slug}-faults.json`), JSON.stringify(faults));
    args.push('--faults', path.join(work, `${slug}-faults.json`));
  }
  if (noBuild) args.push('--no-build');
  const done = spawnSync('python3', [path.join(ROOT, 'scripts/lib/demo_fleet.py'), ...args], { encoding: 'utf8', timeout: 180000 });
  assert.equal(done.status, 0, `demo_fleet.py failed: ${done.stderr}`);
  return { ...JSON.parse(done.stdout), devsim: path.join(work, slug) };
}

/** A sysupgrade image (tests/doubles/openwrt_image.py) for the boards, padded to about `kib` KiB. */
function image(file, boards, revision, kib = 0) {
  const script = `import os, sys; sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'tests/doubles'))}); import openwrt_image as o
img = o.build_image({'etc/banner': 'test', 'usr/pad': os.urandom(${kib * 1024})}, o.metadata(${JSON.stringify(boards)}, '23.05.4', '${revision}', 'ath79/generic', 'x'))
open(${JSON.stringify(file)}, 'wb').write(img[0] if isinstance(img, tuple) else img)`;
  const done = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  assert.equal(done.status, 0, done.stderr);
  return readFileSync(file);
}

async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    // A refused request (401, 404, 409) is logged by chromium as a console error; those are expected here.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) page.problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  return page;
}

const title = (page) => page.textContent('#page-title');
const waitTitle = (page, text, timeout = 30000) => page.waitForFunction((t) => document.querySelector('#page-title')?.textContent === t, text, { timeout });

async function signIn(page, who) {
  await page.goto(`${BASE}/console/`);
  await page.waitForSelector('body[data-ready="true"]');
  await waitTitle(page, 'Sign in');
  await page.fill('#signin-form input[name="username"]', who.username);
  await page.fill('#signin-form input[name="password"]', who.password);
  await page.click('#signin-form button[type="submit"]');
  await waitTitle(page, 'Devices');
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

/** The API as the signed-in page's session (cookie + CSRF token from auth/me). */
async function sessionApi(page) {
  const me = await (await page.request.get(`${BASE}/api/v1/auth/me`)).json();
  const headers = { 'X-CSRF-Token': me.csrf_token };
  return {
    get: async (p) => (await page.request.get(`${BASE}${p}`)).json(),
    status: async (p) => (await page.request.get(`${BASE}${p}`)).status(),
    post: async (p, data) => page.request.post(`${BASE}${p}`, { headers, data }),
    upload: async (p, name, buffer) => page.request.post(`${BASE}${p}`, { headers, multipart: { file: { name, mimeType: 'application/octet-stream', buffer } } }),
  };
}

/** Rows of a table: the text of each cell. */
const rowsOf = (page, selector) => page.$$eval(`${selector} tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  alpha = fleet({
    slug: `alpha${hex}`,
    username: `alpha-admin-${hex}`,
    role: 'admin',
    count: 20,
    prefix: 'a-',
    noBuild: true,
    faults: { 'sim-007': { sysupgrade_test_fails: true }, 'sim-013': { returns_old_version: true } },
  });
  beta = fleet({ slug: `beta${hex}`, username: `beta-operator-${hex}`, role: 'operator', count: 2, prefix: 'b-' });
});

after(async () => {
  for (const org of [alpha, beta]) if (org) spawnSync(path.join(ROOT, 'scripts/devsim'), ['stop', '--state', org.devsim]);
  rmSync(work, { recursive: true, force: true });
  if (browser) await browser.close();
});

describe('operator console', () => {
  test('sign in: a wrong password is refused; devices paginate, sort and filter on the server; sign out', async () => {
    const page = await newPage();
    await page.goto(`${BASE}/console/`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await title(page), 'Sign in');
    assert.equal(await page.isHidden('#nav'), true, 'no navigation before signing in');
    await page.fill('#signin-form input[name="username"]', alpha.username);
    await page.fill('#signin-form input[name="password"]', 'not the password');
    await page.click('#signin-form button[type="submit"]');
    await page.waitForSelector('#signin-form .form-error:not([hidden])');
    assert.ok((await page.textContent('#signin-form .form-error')).length > 0);
    assert.equal(await page.evaluate(() => document.activeElement.className), 'form-error', 'focus goes to the message');

    await page.fill('#signin-form input[name="password"]', alpha.password);
    await page.click('#signin-form button[type="submit"]');
    await waitTitle(page, 'Devices');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'page-title', 'focus moves to the new page heading');
    assert.equal(await page.inputValue('#organization'), alpha.organization);
    assert.equal(await page.textContent('#role'), 'admin');
    await page.waitForSelector('.list table tbody tr[data-id]');
    assert.match(await page.textContent('.table-status'), /^20 items$/);
    let rows = await rowsOf(page, '.list table');
    assert.equal(rows.length, 10, 'first page of 10');
    assert.equal(rows[0][0], 'a-sim-001');

    // Sort by name, descending, through the column's button (server ordering=-name).
    const ordered = page.waitForResponse((r) => r.url().includes('ordering=-name'));
    await page.click('th button.sort[data-field="name"]');
    await page.click('th button.sort[data-field="name"]');
    await ordered;
    await page.waitForFunction(() => document.querySelector('.list tbody tr td')?.textContent === 'a-sim-020');
    assert.equal(await page.getAttribute('th:has(button[data-field="name"])', 'aria-sort'), 'descending');
    assert.match(page.url(), /ordering=-name/);
    // Next page.
    await page.click('text=Next page');
    await page.waitForFunction(() => document.querySelector('.page-of').textContent === 'Page 2 of 2');
    rows = await rowsOf(page, '.list table');
    assert.equal(rows[0][0], 'a-sim-010');
    // Filter by name on the server.
    await page.fill('.filters input[name="name"]', 'a-sim-007');
    await page.click('.filters button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('.table-status').textContent === '1 item');
    rows = await rowsOf(page, '.list table');
    assert.deepEqual(rows.map((r) => r[0]), ['a-sim-007']);
    // The address keeps the list's state: a reload shows the same.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('.table-status')?.textContent === '1 item');
    await shot(page, '01-devices');

    await page.click('#signout');
    await waitTitle(page, 'Sign in');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await title(page), 'Sign in', 'the session is gone on the server');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('upload an image with a progress bar; a file without metadata is refused with the reason', async () => {
    const page = await newPage();
    await signIn(page, alpha);
    await page.click('#nav a[data-section="categories"]');
    await waitTitle(page, 'Categories');
    await page.fill('form:has(button:text("Create category")) input[name="name"]', 'Routers');
    await page.click('button:text("Create category")');
    await page.waitForSelector('.list tbody tr:has-text("Routers")');

    await page.click('#nav a[data-section="builds"]');
    await waitTitle(page, 'Builds');
    await page.fill('form:has(button:text("Create build")) input[name="version"]', '23.05.4');
    await page.click('button:text("Create build")');
    await waitTitle(page, 'Build 23.05.4');
    alpha.build = new URL(page.url()).hash.split('/')[2];

    const boards = [...new Set(alpha.devices.map((d) => d.board_name))];
    const file = path.join(work, 'openwrt-23.05.4-alpha-squashfs-sysupgrade.bin');
    const bytes = image(file, boards, 'r24012-d8dd03c46f', 6144);
    await page.evaluate(() => {
      window.progressValues = [];
      window.progressTexts = [];
      const bar = document.querySelector('#upload-progress');
      const status = document.querySelector('#upload-status');
      new MutationObserver(() => window.progressValues.push(Number(bar.value))).observe(bar, { attributes: true, attributeFilter: ['value'] });
      new MutationObserver(() => window.progressTexts.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
    });
    // A slow link (2 MiB/s up), so that the 6 MiB upload is seen in between.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });
    await page.setInputFiles('#upload-form input[type="file"]', file);
    await page.click('#upload-form button[type="submit"]');
    await page.waitForFunction(() => /^Uploaded /.test(document.querySelector('#upload-status').textContent), null, { timeout: 60000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const values = await page.evaluate(() => window.progressValues);
    assert.equal(values.at(-1), 100, `the bar ends full: ${values}`);
    assert.ok(values.some((v) => v > 0 && v < 100), `the bar showed progress in between: ${values}`);
    const texts = await page.evaluate(() => window.progressTexts);
    assert.ok(texts.some((t) => /^\d+ % · [\d.]+ (KiB|MiB) of 6\.\d MiB · [\d.]+ (KiB|MiB)\/s/.test(t)), `percent, bytes and rate shown: ${texts.slice(0, 5)}`);
    await page.waitForSelector('.list tbody tr:has-text("sysupgrade")');
    const shown = await page.$eval('.list tbody tr code.sha', (c) => c.textContent);
    assert.equal(shown, sha256(bytes), 'the shown sha256 is the file\'s');
    const download = await page.request.get(await page.$eval('.list tbody tr a[download]', (a) => a.href));
    assert.equal(download.status(), 200);
    assert.equal(sha256(await download.body()), sha256(bytes), 'the download is the uploaded file');
    const boardsCell = await page.$eval('.list tbody tr td[data-label="Boards"]', (td) => td.textContent);
    for (const board of boards) assert.ok(boardsCell.includes(board), `boards from the image's metadata: ${board}`);
    await shot(page, '02-uploaded');

    // A sysupgrade file without fwtool metadata is refused; the API's reason is shown.
    const plain = path.join(work, 'plain-sysupgrade.bin');
    writeFileSync(plain, randomBytes(4096));
    await page.setInputFiles('#upload-form input[type="file"]', plain);
    await page.fill('#upload-form input[name="type"]', 'other-squashfs-sysupgrade.bin');
    await page.click('#upload-form button[type="submit"]');
    await page.waitForFunction(() => /^Upload failed: /.test(document.querySelector('#upload-status').textContent));
    assert.match(await page.textContent('#upload-form'), /metadata|image|board/i);
    assert.equal((await rowsOf(page, '.list table')).filter((r) => r.length > 1).length, 1, 'still one image');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an operator upgrades one device: the operation page follows its log to the end', async () => {
    const page = await newPage();
    await signIn(page, beta);
    assert.equal(await page.textContent('#role'), 'operator');
    await page.waitForSelector('.list tbody tr[data-id]');
    assert.equal(await page.isVisible('text=Add a device'), false, 'operators cannot add devices');
    await page.click('a:text("b-sim-001")');
    await waitTitle(page, 'b-sim-001');
    assert.equal(await page.isVisible('text=Edit device'), false, 'nor edit them');
    assert.equal(await page.isVisible('text=Delete device'), false, 'nor delete them');

    // Refresh the device info over SSH.
    await page.click('#refresh-info');
    await page.waitForFunction(() => !/never/.test(document.querySelector('#device-info').textContent), null, { timeout: 60000 });
    assert.match(await page.textContent('#device-info'), /22\.03\.5|Free memory/);

    // The image that fits is preselected; the upgrade asks first.
    assert.match(await page.$eval('#firmware-form select[name="image"]', (s) => s.selectedOptions[0].textContent), /fits this device/);
    await page.click('#firmware-form button[type="submit"]');
    await page.waitForSelector('#confirm[open]');
    assert.match(await page.textContent('#confirm-text'), /b-sim-001/);
    await page.click('#confirm-ok');
    await page.waitForFunction(() => location.hash.startsWith('#/operations/'));
    await page.waitForSelector('#operation-log');
    await page.evaluate(() => {
      window.logChanges = 0;
      new MutationObserver(() => window.logChanges++).observe(document.querySelector('#operation-log'), { childList: true, characterData: true, subtree: true });
    });
    await page.waitForFunction(() => document.querySelector('#operation-status').textContent.startsWith('Succeeded'), null, { timeout: 120000 });
    const id = new URL(page.url()).hash.split('/')[2];
    const api = await sessionApi(page);
    const operation = await api.get(`${UPGRADER}/upgrade-operation/${id}/`);
    assert.equal(operation.status, 'success');
    assert.equal(await page.textContent('#operation-log'), operation.log, 'the page shows the whole log');
    assert.ok(await page.evaluate(() => window.logChanges) >= 1, 'the log grew while watching');
    assert.equal(await page.$eval('#operation-progress', (p) => p.value), 100);
    assert.equal(await page.isHidden('#operation-cancel'), true, 'a finished operation cannot be cancelled');
    await shot(page, '03-operation');

    // The device's history lists it.
    await page.click('#main a:text("b-sim-001")');
    await waitTitle(page, 'b-sim-001');
    await page.waitForSelector(`section:has(h2:text("History of operations")) tbody tr:has-text("Succeeded")`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('mass upgrade wizard on 20 devices with 2 faulty ones: dry run, batch counters, a failed device\'s log', async () => {
    const page = await newPage();
    await signIn(page, alpha);
    assert.ok(alpha.build, 'the upload test made the build');
    await page.goto(`${BASE}/console/#/builds/${alpha.build}`);
    await waitTitle(page, 'Build 23.05.4');
    await page.click('a:text("Mass upgrade…")');
    await waitTitle(page, 'Mass upgrade to 23.05.4');
    await page.waitForFunction(() => /1 image/.test(document.querySelector('#wizard-images').textContent));
    await page.click('#wizard-next'); // → filters
    assert.equal(await page.evaluate(() => document.activeElement.id), 'step-1-title', 'focus on the step heading');
    // Without "devices without firmware" nothing would be upgraded, and the reason says why.
    await page.uncheck('#wizard input[name="upgrade_all"]');
    await page.click('#wizard-next'); // → dry run
    await page.waitForSelector('#will-not-upgrade');
    assert.equal((await rowsOf(page, '#will-upgrade')).filter((r) => r.length === 2).length, 0);
    const skipped = await rowsOf(page, '#will-not-upgrade');
    assert.equal(skipped.length, 20);
    assert.match(skipped[0][1], /without firmware/);
    assert.equal(await page.isDisabled('#wizard-next'), true, 'nothing to upgrade: no next step');
    await page.click('#wizard-back');
    await page.check('#wizard input[name="upgrade_all"]');
    await page.click('#wizard-next');
    await page.waitForFunction(() => /^20 devices will be upgraded, 0 will not/.test(document.querySelector('#dry-run-summary')?.textContent || ''));
    assert.equal((await rowsOf(page, '#will-upgrade')).length, 20);
    await shot(page, '04-dry-run');
    await page.click('#wizard-next'); // → options
    await page.fill('#wizard input[name="max_parallel"]', '10');
    await page.click('#wizard-next'); // → summary
    assert.match(await page.textContent('#wizard-summary'), /20 \(0 left out\)/);
    await page.click('#wizard-next'); // start
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => location.hash.startsWith('#/batches/'));
    await page.waitForSelector('#batch-operations tbody tr[data-id]');
    await page.waitForFunction(() => /20 out of 20/.test(document.querySelector('#batch-report').textContent) && /Failed/.test(document.querySelector('#batch-status').textContent), null, { timeout: 240000 });
    const counter = (status) => page.$eval(`#batch-counters dd[data-status="${status}"]`, (dd) => Number(dd.textContent));
    assert.equal(await counter('success'), 18);
    assert.equal((await counter('failed')) + (await counter('aborted')), 2);
    assert.equal(await counter('in-progress'), 0);
    assert.equal(await counter('queued'), 0);
    assert.equal(await page.$eval('#batch-progress', (p) => p.value), 100);
    assert.match(await page.textContent('#batch-report'), /20 out of 20/);
    assert.match(await page.textContent('#batch-live'), /18 succeeded/);
    assert.equal(await page.isHidden('#batch-cancel'), true, 'a finished batch cannot be cancelled');
    const rows = await rowsOf(page, '#batch-operations');
    assert.equal(rows.length, 20);
    const bad = rows.filter((r) => !/Succeeded/.test(r[1])).map((r) => r[0]).sort();
    assert.deepEqual(bad, ['a-sim-007', 'a-sim-013']);
    await shot(page, '05-batch');

    // The failed device's log.
    await page.click('a[aria-label="Log of a-sim-013"]');
    await waitTitle(page, 'Upgrade of a-sim-013');
    await page.waitForFunction(() => /Failed|Aborted/.test(document.querySelector('#operation-status').textContent));
    assert.ok((await page.textContent('#operation-log')).trim().split('\n').length >= 3, 'the log tells what happened');
    await page.goBack();
    await page.click('a[aria-label="Log of a-sim-007"]');
    await waitTitle(page, 'Upgrade of a-sim-007');
    await page.waitForFunction(() => /Aborted|Failed/.test(document.querySelector('#operation-status').textContent));
    assert.match(await page.textContent('#operation-log'), /sysupgrade|image check/i);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('pause and resume a batch, cancel one device, then cancel the batch: running upgrades finish, the rest are cancelled', async () => {
    const page = await newPage();
    await signIn(page, alpha);
    const api = await sessionApi(page);
    const build = await api.get(`${UPGRADER}/build/${alpha.build}/`);
    const second = await (await api.post(`${UPGRADER}/build/`, { category: build.category, version: '23.05.5' })).json();
    const boards = [...new Set(alpha.devices.map((d) => d.board_name))];
    const file = path.join(work, 'openwrt-23.05.5-alpha-squashfs-sysupgrade.bin');
    const upload = await api.upload(`${UPGRADER}/build/${second.id}/image/`, path.basename(file), image(file, boards, 'r24100-0123456789'));
    assert.equal(upload.status(), 201, await upload.text());
    await page.goto(`${BASE}/console/#/builds/${second.id}/upgrade`);
    await waitTitle(page, 'Mass upgrade to 23.05.5');
    await page.click('#wizard-next');
    await page.click('#wizard-next');
    await page.waitForSelector('#dry-run-summary');
    await page.click('#wizard-next');
    await page.fill('#wizard input[name="max_parallel"]', '1');
    await page.click('#wizard-next');
    await page.click('#wizard-next');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => location.hash.startsWith('#/batches/'));
    const counter = (status) => page.$eval(`#batch-counters dd[data-status="${status}"]`, (dd) => Number(dd.textContent));
    // Pause: no new upgrade starts; the queued ones wait.
    await page.waitForSelector('#batch-pause:not([hidden])');
    await page.click('#batch-pause');
    await page.waitForFunction(() => /Paused/.test(document.querySelector('#batch-status').textContent));
    await page.waitForSelector('#batch-resume:not([hidden])');
    assert.equal(await page.isHidden('#batch-pause'), true);
    await page.waitForFunction(() => document.querySelector('#batch-counters dd[data-status="in-progress"]').textContent === '0', null, { timeout: 60000 });
    const waiting = await counter('queued');
    assert.ok(waiting >= 15, `devices wait while paused (${waiting} queued)`);
    // Cancel one waiting device from its row.
    await page.click('button[aria-label="Cancel the upgrade of a-sim-020"]');
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-ok');
    await page.waitForSelector('#batch-operations tr[data-status="cancelled"]:has-text("a-sim-020")');
    assert.equal(await counter('cancelled'), 1);
    assert.equal(await counter('queued'), waiting - 1);
    // Resume, then cancel the rest.
    await page.click('#batch-resume');
    await page.waitForFunction(() => /In progress/.test(document.querySelector('#batch-status').textContent));
    await page.waitForSelector('#batch-cancel:not([hidden])');
    await page.click('#batch-cancel');
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#batch-status').textContent), null, { timeout: 120000 });
    const cancelled = await page.$eval('#batch-counters dd[data-status="cancelled"]', (dd) => Number(dd.textContent));
    assert.ok(cancelled >= 15, `most devices were cancelled (${cancelled})`);
    assert.equal(await page.isHidden('#batch-pause'), true);
    assert.equal(await page.isHidden('#batch-resume'), true);
    await shot(page, '06-cancelled');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an operator of another organization sees none of it', async () => {
    const page = await newPage();
    await signIn(page, beta);
    const orgs = await page.$$eval('#organization option', (options) => options.map((o) => o.value));
    assert.deepEqual(orgs, [beta.organization]);
    await page.waitForSelector('.list tbody tr[data-id]');
    const names = (await rowsOf(page, '.list table')).map((r) => r[0]);
    assert.deepEqual(names.sort(), ['b-sim-001', 'b-sim-002']);
    await page.click('#nav a[data-section="builds"]');
    await waitTitle(page, 'Builds');
    await page.waitForSelector('.list tbody tr');
    const builds = await rowsOf(page, '.list table');
    assert.equal(builds.length, 1, `only beta's build: ${JSON.stringify(builds)}`);
    await page.click('#nav a[data-section="categories"]');
    await waitTitle(page, 'Categories');
    await page.waitForSelector('.list tbody tr');
    assert.equal((await rowsOf(page, '.list table')).length, 1);

    // Alpha's objects by address: not found, as if they did not exist.
    const alphaDevice = alpha.devices[0].id;
    await page.goto(`${BASE}/console/#/devices/${alphaDevice}`);
    await waitTitle(page, 'Not found');
    assert.ok(alpha.build, 'the upload test made alpha\'s build');
    await page.goto(`${BASE}/console/#/builds/${alpha.build}`);
    await waitTitle(page, 'Not found');
    await page.goto(`${BASE}/console/#/builds/${alpha.build}/upgrade`);
    await waitTitle(page, 'Not found');
    const api = await sessionApi(page);
    const history = await api.get(`${UPGRADER}/upgrade-operation/?page_size=100`);
    assert.ok(history.results.every((o) => !alpha.devices.some((d) => d.id === o.device)), 'no operation of alpha');
    const batches = await api.get(`${UPGRADER}/batch-upgrade-operation/?page_size=100`);
    assert.equal(batches.count, 0, 'no batch of alpha');
    await page.goto(`${BASE}/console/#/batches`);
    await waitTitle(page, 'Mass upgrades');
    await page.waitForSelector('.list tbody tr td.empty');
    assert.equal(await api.status(`/api/v1/devices/${alphaDevice}/`), 404);
    const text = await page.textContent('body');
    assert.ok(!text.includes('a-sim-'), 'no device name of alpha anywhere');
    await shot(page, '07-other-organization');
    await page.context().close();
  });

  test('keyboard and tablet: skip link, dialog focus and Escape, no horizontal scrolling at 768 px', async () => {
    const page = await newPage({ viewport: { width: 768, height: 1024 }, hasTouch: true });
    await signIn(page, beta);
    // A fresh load leaves the focus at the top of the page: the first Tab reaches the skip link.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip', 'the skip link comes first');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    for (const section of ['devices', 'builds', 'batches', 'credentials', 'categories']) {
      await page.click(`#nav a[data-section="${section}"]`);
      await page.waitForFunction((s) => document.querySelector(`#nav a[data-section="${s}"]`).getAttribute('aria-current') === 'page', section);
      await page.waitForSelector('#page-title');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${section}: page is ${overflow}px wider than a tablet`);
    }
    await page.click('#nav a[data-section="devices"]');
    await page.click('a:text("b-sim-002")');
    await waitTitle(page, 'b-sim-002');
    await page.focus('#firmware-form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#confirm[open]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-cancel', 'the safe choice has the focus');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#confirm').open);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Upgrade firmware…', 'focus returns to the button');
    const api = await sessionApi(page);
    const device = beta.devices.find((d) => d.name === 'b-sim-002');
    const history = await api.get(`${UPGRADER}/device/${device.id}/upgrade-operation/`);
    assert.equal(history.count, 0, 'Escape started nothing');
    await shot(page, '08-tablet');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
