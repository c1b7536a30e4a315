// The web console in a real browser: Debian's chromium driven by
// playwright-core against a real `puhui serve` on a copy of the test platform.
// Each role signs in with a key made by `puhui key create`, walks its main
// flows in Chinese and English, and leaves screenshots under out/console/.
// Any console error in the page or failed request fails the test, except the
// few a step provokes on purpose (expectFailure).
//
// Environment: PUHUI_BIN (the puhui binary), PUHUI_TEST_PLATFORM_DIR (holds
// platform.db and platform.env, the ctest fixture `platform`),
// PUHUI_CONSOLE_DIR (the build's console directory), PUHUI_OUT (default out/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { chromium } from 'playwright-core';

const BIN = process.env.PUHUI_BIN;
const PLATFORM = process.env.PUHUI_TEST_PLATFORM_DIR;
const CONSOLE_DIR = process.env.PUHUI_CONSOLE_DIR;
const OUT = path.join(process.env.PUHUI_OUT || 'out', 'console');
const LANGS = ['zh', 'en'];

let tmp, server, base, browser, env;
const keys = {};
let serverLog = '';

function readEnv(file) {
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_0-9]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

function createKey(role, tenant) {
  const args = ['key', 'create', '--role', role, '--label', 'browser test ' + role];
  if (tenant) args.push('--tenant', tenant);
  const out = execFileSync(BIN, args, { env: { ...process.env, PUHUI_DB: path.join(tmp, 'platform.db') }, encoding: 'utf8' });
  const key = out.trim().split('\n').pop().trim();
  assert.match(key, /^phk_\d+_[0-9a-f]{64}$/, 'puhui key create printed ' + JSON.stringify(out));
  return key;
}

async function waitReady(url, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url + '/readyz');
      if (r.ok) return;
    } catch (e) { /* not listening yet */ }
    if (Date.now() > end) throw new Error('puhui serve was not ready in ' + ms + ' ms:\n' + serverLog);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  for (const [name, v] of Object.entries({ PUHUI_BIN: BIN, PUHUI_TEST_PLATFORM_DIR: PLATFORM, PUHUI_CONSOLE_DIR: CONSOLE_DIR })) {
    assert.ok(v, name + ' must be set (see docs/console.md)');
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'puhui-console-'));
  fs.copyFileSync(path.join(PLATFORM, 'platform.db'), path.join(tmp, 'platform.db'));
  env = readEnv(path.join(PLATFORM, 'platform.env'));
  keys.enterprise = createKey('enterprise', env.FIRM_A);
  keys.institution = createKey('institution', env.LENDER_A);
  keys.regulator = createKey('regulator', env.REGULATOR || '');
  const port = await freePort();
  base = 'http://127.0.0.1:' + port;
  server = spawn(BIN, ['serve', '--listen', '127.0.0.1:' + port, '--threads', '2', '--console', CONSOLE_DIR],
    { env: { ...process.env, PUHUI_DB: path.join(tmp, 'platform.db') }, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitReady(base, 15000);
  fs.mkdirSync(OUT, { recursive: true });
  // launch() gives chromium a fresh, temporary user-data dir of its own
  // (playwright refuses --user-data-dir here) and deletes it on close.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// A page that records every console error and failed request; check() fails
// the test on any that no step expected.
async function openPage(viewport) {
  const context = await browser.newContext({ viewport: viewport || { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = [];
  const expected = [];
  let seen = 0;
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('requestfailed', (r) => problems.push('request failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const i = expected.findIndex((x) => r.url().includes(x.path) && r.status() === x.status);
    if (i >= 0) { expected[i].seen = true; expected[i].path = '\u0000'; seen++; }
    else problems.push('HTTP ' + r.status() + ' ' + r.request().method() + ' ' + r.url());
  });
  return {
    page,
    // The browser reports a 4xx it was told to expect as a console error too.
    expectFailure(pathPart, status) { expected.push({ path: pathPart, status }); },
    check() {
      const missing = expected.filter((x) => !x.seen);
      assert.deepEqual(missing, [], 'expected failures that did not happen');
      let allowance = seen;
      const real = problems.filter((m) => {
        if (allowance > 0 && /^console: Failed to load resource: .*status of 4\d\d/.test(m)) { allowance--; return false; }
        return true;
      });
      assert.deepEqual(real, [], 'the page had errors:\n' + real.join('\n') + '\nserver log:\n' + serverLog.slice(-2000));
    },
    close: () => context.close(),
  };
}

async function signIn(page, role) {
  await page.goto(base + '/console/');
  await page.locator('input[name=key]').fill(keys[role]);
  await page.locator('form.signin button[type=submit]').click();
  await page.locator('header .who[data-role="' + role + '"]').waitFor();
  await ready(page);
}

async function ready(page) {
  await page.locator('main[data-ready="1"]').waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.chart:not(.absent)')].every((c) => c.dataset.ready === '1'));
}

async function go(page, view) {
  await page.evaluate((v) => { location.hash = '#/' + v; }, view);
  await page.locator('main[data-view="' + view.split('/')[0] + '"][data-ready="1"]').waitFor();
  await ready(page);
}

async function setLang(page, lang) {
  const now = await page.evaluate(() => document.documentElement.lang);
  if ((lang === 'zh') !== (now === 'zh-CN')) {
    await page.locator('button.lang').click();
    await ready(page);
  }
}

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, name + '.png'), fullPage: true });
}

test('the sign-in page in both languages, and a bad key is refused in the page\'s language', async () => {
  const p = await openPage();
  const { page } = p;
  await page.goto(base + '/console/');
  await page.locator('form.signin').waitFor();
  const zhTitle = await page.locator('form.signin h2').textContent();
  await shot(page, 'signin-zh');
  await page.locator('button.lang').click();
  const enTitle = await page.locator('form.signin h2').textContent();
  assert.notEqual(zhTitle, enTitle, 'the language switch changes the sign-in title');
  assert.equal(enTitle, 'Sign in');
  await shot(page, 'signin-en');
  p.expectFailure('/v1/whoami', 401);
  await page.locator('input[name=key]').fill('phk_1_' + '0'.repeat(64));
  await page.locator('form.signin button[type=submit]').click();
  const problem = page.locator('.problem');
  await problem.waitFor();
  assert.match(await problem.locator('strong').textContent(), /invalid, unknown or revoked \(401\)/);
  await page.locator('button.lang').click(); // back to zh for the next tests' storage
  p.check();
  await p.close();
});

test('a firm applies, compares offers, accepts one, revokes a consent, reads its access log and loans', async () => {
  const p = await openPage();
  const { page } = p;
  await signIn(page, 'enterprise');
  // The platform's data ends at ASOF: the application is decided as of that
  // day (the API's optional asof member, which the form never sends).
  await page.route('**/v1/applications', (route) => {
    const body = JSON.parse(route.request().postData() || '{}');
    route.continue({ postData: JSON.stringify({ ...body, asof: env.ASOF }) });
  });
  for (const lang of LANGS) {
    await setLang(page, lang);
    await go(page, 'apply');
    if (lang === 'zh') {
      // A bad amount: the server's problem is shown with its field.
      p.expectFailure('/v1/applications', 400);
      await page.locator('input[name=amount]').fill('-3');
      await page.locator('form.form-grid button[type=submit]').click();
      const problem = page.locator('.apply-result .problem');
      await problem.waitFor();
      assert.match(await problem.textContent(), /字段amount/);
      await page.locator('input[name=amount]').fill('300000');
      await page.locator('select[name=term]').selectOption('12');
      await page.locator('form.form-grid button[type=submit]').click();
      await page.locator('.apply-result .card').waitFor();
      await ready(page);
    }
    assert.ok(await page.locator('.offer').count() > 0, 'FIRM_A gets at least one offer as of ASOF');
    await page.locator('[data-chart="net-apr"] svg').first().waitFor();
    // Ranked by net cost: the first card is the best and its net APR is the lowest.
    const nets = await page.locator('.offer .offer-main .big').allTextContents();
    const sorted = [...nets].sort((a, b) => parseFloat(a) - parseFloat(b));
    assert.deepEqual(nets, sorted, 'offers ranked by net APR');
    await shot(page, 'firm-apply-' + lang);
  }
  await setLang(page, 'zh');

  // Accept the best offer: a loan is opened.
  await page.locator('.offer.best button').click();
  await page.locator('dialog.confirm button.danger').click();
  await page.locator('.offer.best .notice.ok').waitFor();
  const opened = /\d+/.exec(await page.locator('.offer.best .notice.ok').textContent())[0];

  for (const lang of LANGS) {
    await setLang(page, lang);
    await go(page, 'consents');
    await shot(page, 'firm-consents-' + lang);
    await go(page, 'access');
    await shot(page, 'firm-access-' + lang);
    await go(page, 'loans');
    await shot(page, 'firm-loans-' + lang);
  }
  await setLang(page, 'zh');

  // Revoke a consent, with the confirmation.
  await go(page, 'consents');
  const revoke = page.locator('button[data-revoke]');
  const live = await revoke.count();
  assert.ok(live > 0, 'the platform gives FIRM_A at least one live consent');
  const id = await revoke.first().getAttribute('data-revoke');
  await revoke.first().click();
  await page.locator('dialog.confirm button.secondary').click(); // cancel first: nothing happens
  assert.equal(await page.locator('button[data-revoke]').count(), live);
  await revoke.first().click();
  await page.locator('dialog.confirm button.danger').click();
  // The list is read again: the consent is there, revoked, with no button.
  await page.waitForFunction((cid) => !document.querySelector('main .loading') && document.querySelector('main table')
    && !document.querySelector('button[data-revoke="' + cid + '"]'), id);
  assert.equal(await page.locator('button[data-revoke]').count(), live - 1);

  // The access log lists reads of FIRM_A's data (the platform's decisions read it).
  await go(page, 'access');
  assert.ok(await page.locator('main table tbody tr').count() > 0, 'the access log shows the lenders\' reads');

  // My loans: LOAN_A is listed; its schedule opens.
  await go(page, 'loans');
  const rows = page.locator('main table tbody tr');
  const ids = await page.locator('main table tbody tr td:first-child').allTextContents();
  assert.ok(ids.includes(env.LOAN_A), 'LOAN_A is listed: ' + ids.join(','));
  assert.ok(ids.includes(opened), 'the loan just opened is listed: ' + ids.join(','));
  await rows.first().click();
  await page.locator('.loan-detail h3').waitFor();
  await shot(page, 'firm-loan-detail-zh');
  // Repaying more than is owed today is refused with the server's reason and
  // field; a small repayment goes through and the loan is read again.
  p.expectFailure('/repayments', 400);
  await page.locator('input[name=repay_amount]').fill('1000000.00');
  await page.locator('.loan-detail form button[type=submit]').click();
  await page.locator('.loan-detail .problem').waitFor();
  assert.match(await page.locator('.loan-detail .problem').textContent(), /字段amount/);
  await page.locator('input[name=repay_amount]').fill('0.01');
  await page.locator('.loan-detail form button[type=submit]').click();
  const repaid = page.locator('.loan-detail .notice.ok');
  await repaid.waitFor();
  assert.match(await repaid.textContent(), /¥0\.01/);
  await shot(page, 'firm-loan-repaid-zh');
  p.check();
  await p.close();
});

test('a firm on a phone', async () => {
  const p = await openPage({ width: 390, height: 844 });
  const { page } = p;
  await signIn(page, 'enterprise');
  await go(page, 'loans');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, 'no sideways scrolling of the page on a phone (overflow ' + overflow + ' px)');
  await shot(page, 'firm-phone-zh');
  p.check();
  await p.close();
});

async function call(key, method, url, body) {
  const r = await fetch(base + url, { method, headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await r.json();
  assert.ok(r.ok, method + ' ' + url + ' answered ' + r.status + ': ' + JSON.stringify(data));
  return data;
}

test('a lender opens its queue, a decision\'s reasons and trace, its portfolio and appeals', async () => {
  // The firm declined in DECLINE_A appeals over the API; the lender decides it in the console.
  const declined = await call(keys.institution, 'GET', '/v1/decisions/' + env.DECLINE_A);
  const firmKey = createKey('enterprise', declined.uscc);
  const appeal = await call(firmKey, 'POST', '/v1/decisions/' + env.DECLINE_A + '/appeals',
    { grounds: 'Our VAT filings for the last quarter were late; they are filed now.' });
  const p = await openPage();
  const { page } = p;
  await signIn(page, 'institution');
  for (const lang of LANGS) {
    await setLang(page, lang);
    await go(page, 'queue');
    assert.ok(await page.locator('main table tbody tr').count() > 0, 'LENDER_A has decisions');
    await shot(page, 'lender-queue-' + lang);
    await go(page, 'decision/' + env.DECISION_A);
    await page.locator('main ol.reasons, main p.empty').first().waitFor();
    const steps = page.locator('.trace details.step');
    if (await steps.count()) {
      await steps.first().locator('summary').click();
      assert.equal(await steps.first().getAttribute('open'), '');
    }
    await shot(page, 'lender-decision-' + lang);
    await go(page, 'portfolio');
    await page.locator('[data-chart="categories"] svg').first().waitFor();
    await shot(page, 'lender-portfolio-' + lang);
    await go(page, 'appeals');
    await shot(page, 'lender-appeals-' + lang);
  }
  // Decide the appeal: overturn, with reviewer and reason; it leaves the open list.
  await go(page, 'appeals');
  const card = page.locator('article.appeal[data-appeal="' + appeal.appeal_id + '"]');
  await card.locator('input[name=reviewer]').fill('Credit committee');
  await card.locator('textarea[name=reason]').fill('The filings are complete; the knock-out no longer applies.');
  await card.locator('input[name=limit]').fill('200000.00');
  await card.locator('input[name=rate]').fill('5.50');
  await shot(page, 'lender-appeal-deciding-en');
  await card.locator('button[data-outcome=overturn]').click();
  await page.waitForFunction((id) => document.querySelector('main .problem') || (!document.querySelector('main .loading')
    && ![...document.querySelectorAll('article.appeal')].some((a) => a.dataset.appeal === String(id))), appeal.appeal_id);
  assert.equal(await page.locator('main .problem').count(), 0, await page.locator('main').textContent());
  const decided = await call(keys.institution, 'GET', '/v1/decisions/' + env.DECLINE_A);
  assert.ok(decided.appeal && decided.appeal.status === 'overturned', 'the appeal is overturned: ' + JSON.stringify(decided.appeal));

  // The queue's filter: declined only.
  await go(page, 'queue');
  await page.locator('select[name=approved]').selectOption('false');
  await page.waitForFunction(() => document.querySelector('main .loading') === null);
  const outcomes = await page.locator('main table tbody tr .badge').allTextContents();
  assert.ok(outcomes.every((o) => o === outcomes[0]), 'the filter leaves one outcome: ' + outcomes.join(','));
  // A row opens its decision.
  await page.locator('main table tbody tr').first().click();
  await page.locator('main[data-view="decision"][data-ready="1"]').waitFor();
  p.check();
  await p.close();
});

test('a lender works its alerts: colour chips, the list, an alert\'s evidence, acknowledge, then close with a reason', async () => {
  const p = await openPage();
  const { page } = p;
  await signIn(page, 'institution');
  for (const lang of LANGS) {
    await setLang(page, lang);
    await go(page, 'alerts');
    assert.equal(await page.locator('.chips .chip').count(), 4, 'all, red, yellow, green');
    assert.ok(await page.locator('.alert-list table tbody tr').count() > 0, 'LENDER_A has alerts (tests/http/platform.sh)');
    await shot(page, 'lender-alerts-' + lang);
  }
  await setLang(page, 'zh');
  await go(page, 'alerts');
  // A colour chip filters the list to that colour.
  const level = await page.locator('.alert-list table tbody tr .badge.level').first().getAttribute('data-level');
  await page.locator('.chips .chip[data-level="' + level + '"]').click();
  await page.waitForFunction(() => !document.querySelector('.alert-list .loading'));
  const levels = await page.locator('.alert-list table tbody tr .badge.level').evaluateAll((els) => els.map((e) => e.dataset.level));
  assert.ok(levels.length > 0 && levels.every((l) => l === level), 'the chip leaves one colour: ' + levels.join(','));
  await page.locator('.chips .chip[data-level="all"]').click();
  await page.waitForFunction(() => !document.querySelector('.alert-list .loading'));

  // The platform's ALERT_A: its evidence as a table, then acknowledged in the panel.
  await page.locator('.alert-list table tbody tr', { hasText: new RegExp('^' + env.ALERT_A + '\\b') }).first().click();
  const detail = page.locator('article.alert-detail[data-alert="' + env.ALERT_A + '"]');
  await detail.waitFor();
  assert.ok(await detail.locator('table.evidence tbody tr').count() > 0, 'the evidence as a table');
  assert.equal(await detail.locator('h2 .alert-state').getAttribute('data-state'), 'open');
  await shot(page, 'lender-alert-zh');
  await detail.locator('button[data-op=ack]').click();
  await page.locator('article.alert-detail h2 .alert-state[data-state="acknowledged"]').waitFor();
  assert.equal(await page.locator('article.alert-detail button[data-op=ack]').isDisabled(), true, 'acknowledged once');
  const row = page.locator('.alert-list table tbody tr', { hasText: new RegExp('^' + env.ALERT_A + '\\b') }).first();
  assert.equal(await row.locator('.alert-state').getAttribute('data-state'), 'acknowledged', 'the list shows the new state');
  const acked = await call(keys.institution, 'GET', '/v1/alerts/' + env.ALERT_A);
  assert.equal(acked.state, 'acknowledged');
  assert.deepEqual(acked.events.map((e) => [e.event, e.by]), [['ack', 'browser test institution']]);
  await shot(page, 'lender-alert-acknowledged-zh');

  // Closing needs a reason: the server's problem is shown, then a reason closes it.
  p.expectFailure('/close', 400);
  await page.locator('article.alert-detail button[data-op=close]').click();
  await page.locator('article.alert-detail .problem').waitFor();
  assert.match(await page.locator('article.alert-detail .problem').textContent(), /字段reason/);
  await page.locator('article.alert-detail textarea[name=reason]').fill('Visited on site: seasonal dip, orders booked for March.');
  await page.locator('article.alert-detail button[data-op=close]').click();
  await page.locator('article.alert-detail h2 .alert-state[data-state="closed"]').waitFor();
  assert.equal(await page.locator('article.alert-detail .alert-act').count(), 0, 'a closed alert has no actions');
  assert.equal(await page.locator('article.alert-detail table.events tbody tr').count(), 2, 'ack and close in its history');
  await setLang(page, 'en');
  await page.locator('article.alert-detail h2 .alert-state[data-state="closed"]').waitFor();
  await shot(page, 'lender-alert-closed-en');
  await setLang(page, 'zh');
  p.check();
  await p.close();
});

test('a lender\'s alerts and a firm\'s monitoring on a phone', async () => {
  const views = [['institution', 'alerts', 'lender-alerts-phone-'], ['institution', 'alerts/' + env.ALERT_A, 'lender-alert-phone-'],
    ['enterprise', 'monitoring', 'firm-monitoring-phone-']];
  for (const [role, view, name] of views) {
    const p = await openPage({ width: 390, height: 844 });
    const { page } = p;
    await signIn(page, role);
    for (const lang of LANGS) {
      await setLang(page, lang);
      await go(page, view);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, view + ': no sideways scrolling on a phone (overflow ' + overflow + ' px)');
      if (view === 'monitoring') {
        assert.ok(await page.locator('main table tbody tr .badge.level').count() > 0,
          'FIRM_A is monitored by its lender (tests/http/platform.sh)');
      } else if (view !== 'alerts') {
        await page.locator('article.alert-detail table.evidence').waitFor();
      }
      await shot(page, name + lang);
    }
    p.check();
    await p.close();
  }
});

test('the regulator sees the market by segment, lenders\' rates and colours, and the model registry', async () => {
  const p = await openPage();
  const { page } = p;
  await signIn(page, 'regulator');
  const titles = {};
  for (const lang of LANGS) {
    await setLang(page, lang);
    await go(page, 'market');
    for (const by of ['city', 'industry', 'size']) await page.locator('[data-chart="segments-' + by + '"] svg').first().waitFor();
    titles[lang] = await page.locator('main h2').first().textContent();
    await shot(page, 'regulator-market-' + lang);
    await go(page, 'lenders');
    await page.locator('[data-chart="lender-rates"] svg').first().waitFor();
    await shot(page, 'regulator-lenders-' + lang);
    await go(page, 'models');
    assert.ok(await page.locator('main table tbody tr').count() > 0, 'the platform registers a model');
    await shot(page, 'regulator-models-' + lang);
    await go(page, 'alerts');
    await page.locator('[data-chart="alerts-by-rule"] svg').first().waitFor();
    await shot(page, 'regulator-alerts-' + lang);
  }
  // The market's counts hide groups of fewer than 3 firms, and say so.
  const summary = await call(keys.regulator, 'GET', '/v1/alerts/summary');
  const hidden = summary.suppressed_levels + summary.suppressed_rules;
  assert.equal(await page.locator('main .suppressed').count(), hidden > 0 ? 1 : 0);
  assert.equal(await page.locator('main table tbody tr').count(), summary.by_rule.length + summary.by_level.length);
  assert.equal(titles.zh, '市场概况');
  assert.equal(titles.en, 'The market');
  // The regulator has no firm's views: the firm's hash falls back to the market.
  await go(page, 'market');
  assert.equal(await page.locator('nav.tabs a[data-view=apply]').count(), 0);
  p.check();
  await p.close();
});
