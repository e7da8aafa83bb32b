// business_history.test.mjs: the browser end-to-end test of isms.
//
// A person opens the plan overview, goes to the business register through
// the chapter navigation, finds 公文交換系統 with the keyboard and the
// search box, edits its 業務失效影響說明 and sees the change in the
// record's 異動紀錄; then empties the required 業務名稱 and sees the error
// summary, with the record left as it was.
//
// Plain Node (no test framework): exits 0 on success, 1 with a message on
// failure.  It always stops the server, closes the browser and removes its
// temporary directory.  Drives Debian's chromium through playwright-core.
//
// Environment:
//   ISMS_BIN            the isms binary (default build/dev/isms)
//   ISMS_SOURCE         the source root (default the repository root)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   E2E_SCREENSHOT_DIR  if set, the record page screenshot (and, on failure,
//                       a screenshot of the page at the failure) is copied here

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { run, serve, stop, until, focusedDescription, SOURCE, BIN, BROWSER, SHOT_DIR, STEP_TIMEOUT_MS } from './lib.mjs';

const WATCHDOG_MS = 90000; // the whole test, whatever hangs

const AGENCY = '高雄市政府新聞局';
const RECORD = '公文交換系統';
const IMPACT = '業務失效影響說明';
const MARKER = `e2e-${process.pid}-${Date.now().toString(36)}`;
const NEW_IMPACT = `電子公文交換中斷時改以紙本傳遞，影響機關行政效率（${MARKER}）`;

let step = 'start';
const started = Date.now();
function log(msg) {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${s}s] ${msg}`);
}
function begin(name) {
  step = name;
  log(name);
}

// ---- the server --------------------------------------------------------




// ---- small helpers on top of playwright-core ---------------------------


async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}


// Cell texts of the history row whose 欄位 is `field`, keyed by header.
async function historyRows(page) {
  const section = page.getByRole('region', { name: '異動紀錄' });
  const headers = (await section.getByRole('columnheader').allInnerTexts()).map((t) => t.trim());
  const rows = [];
  for (const row of await section.locator('tbody').getByRole('row').all()) {
    const cells = (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
    rows.push(Object.fromEntries(headers.map((h, i) => [h, cells[i]])));
  }
  return { headers, rows };
}

// The value shown for a <dt> label in the record's description list.
async function recordValue(page, label) {
  return page
    .locator('dl.record dt', { hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .innerText();
}

// ---- the test ------------------------------------------------------------

async function main(tmp, cleanup) {
  const db = join(tmp, 'e2e.db');
  const serverLog = [];
  cleanup.serverLog = serverLog;

  begin('isms init --demo');
  await run(['init', '--db', db, '--demo']);
  begin('isms user add officer1');
  const { out: added } = await run(['user', 'add', 'officer1', '--name', '承辦人', '--role', 'officer', '--db', db]);
  const otp = added.trim().split('\n').pop().trim();

  begin('isms serve');
  const { proc, port } = await serve(db, serverLog);
  cleanup.server = proc;
  let serverDied = null;
  proc.on('exit', (code, sig) => (serverDied = code ?? sig));
  const base = `http://127.0.0.1:${port}`;
  log(`server on ${base}`);

  begin('launch chromium');
  const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: BROWSER,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-TW',
  });
  cleanup.context = context;
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);

  // Console errors, uncaught page errors and CSP violations, with the step
  // they happened in.  CSP violations arrive both as console errors and
  // through the securitypolicyviolation event (reported via a binding,
  // which CSP does not govern).
  const problems = [];
  await context.exposeBinding('__e2eCspViolation', (_src, v) => {
    problems.push(`[${step}] CSP violation: ${v.directive} blocked ${v.blocked} at ${v.source}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__e2eCspViolation({
        directive: e.violatedDirective,
        blocked: e.blockedURI || '(inline)',
        source: `${e.sourceFile}:${e.lineNumber}`,
      });
    });
  });
  const page = context.pages()[0] || (await context.newPage());
  cleanup.page = page;
  page.on('console', (m) => {
    if (m.type() === 'error') {
      problems.push(`[${step}] console error: ${m.text()} (${m.location().url || page.url()})`);
    }
  });
  page.on('pageerror', (e) => problems.push(`[${step}] page error: ${e.message}`));
  // Every page load must not fail; an expected 400 is allowed explicitly.
  let allow400 = false;
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() || r.url().startsWith(`${base}/static/`)) {
      const st = r.status();
      if (st >= 400 && !(allow400 && st === 400)) {
        problems.push(`[${step}] HTTP ${st} for ${r.request().method()} ${r.url()}`);
      }
    }
  });
  // The 400 of a rejected form shows as "Failed to load resource" in the
  // console; that one line is expected in the validation step only.
  const noProblems = (where, { expect400 = false } = {}) => {
    const real = problems.filter(
      (p) => !(expect400 && /Failed to load resource: .*status of 400/.test(p)),
    );
    assert.deepEqual(real, [], `console errors, page errors or CSP violations ${where}`);
    problems.length = 0;
  };

  // -- 0. sign in: the one-time password must be changed first
  begin('sign in');
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('使用者 ID').fill('officer1');
  await page.getByLabel('通行碼', { exact: true }).fill(otp);
  await page.getByRole('button', { name: '登入' }).click();
  await page.waitForURL(`${base}/account/password`);
  await page.getByLabel('目前通行碼').fill(otp);
  await page.getByLabel('新通行碼', { exact: true }).fill('E2e-Passw0rd!');
  await page.getByLabel('再次輸入新通行碼').fill('E2e-Passw0rd!');
  await page.getByRole('button', { name: '變更通行碼' }).click();
  await page.waitForURL(/\/account\?changed=1$/);
  noProblems('while signing in');

  // -- 1. home page
  begin('home page');
  const home = await page.goto(`${base}/`);
  assert.equal(home.status(), 200, 'GET / status');
  await page.getByRole('heading', { level: 1, name: '計畫總覽' }).waitFor();
  assert.equal(await page.title(), '計畫總覽｜資通安全維護計畫管理系統', 'home page title');
  await page.getByRole('heading', { level: 2, name: AGENCY }).waitFor();
  assert.ok(
    await page.getByRole('link', { name: AGENCY }).isVisible(),
    `the agency ${AGENCY} is shown as a link on the home page`,
  );
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-TW', 'html lang');
  // Every stylesheet and script the page asks for has loaded.
  const cssOk = await page.evaluate(() => [...document.styleSheets].every((s) => s.cssRules.length > 0));
  assert.ok(cssOk, 'app.css loaded and not blocked');
  noProblems('on the home page');

  // -- 2. the business register, through the chapter navigation
  begin('navigate to 核心及非核心業務');
  const nav = page.getByRole('navigation', { name: '計畫章節' });
  await nav.getByRole('link', { name: '核心及非核心業務', exact: true }).click();
  await page.waitForURL(`${base}/r/business`);
  assert.equal(new URL(page.url()).pathname, '/r/business', 'URL after clicking the nav link');
  await page.getByRole('heading', { level: 1, name: '核心及非核心業務' }).waitFor();
  const status = page.getByRole('status').filter({ hasText: '筆' });
  await until(async () => /共 45 筆/.test(await status.innerText()), async () =>
    `register count: expected "共 45 筆", got ${JSON.stringify(await status.innerText())}`);
  assert.equal(
    await nav.getByRole('link', { name: '核心及非核心業務', exact: true }).getAttribute('aria-current'),
    'page',
    'the nav link marks the current page',
  );
  assert.equal(await page.locator('table.list tbody').getByRole('row').count(), 45, 'rows on the page');
  noProblems('on the business register');

  // -- 3. the keyboard: skip link, then Tab to the search box, type, Enter
  begin('keyboard search for 公文');
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳至主要內容' });
  await until(() => isFocused(skip), async () =>
    `first Tab should focus the skip link, focus is on ${await focusedDescription(page)}`);
  assert.ok(await skip.isVisible(), 'the skip link is visible when focused');
  await page.keyboard.press('Enter');
  const main = page.getByRole('main');
  await until(() => isFocused(main), async () =>
    `Enter on the skip link should focus <main>, focus is on ${await focusedDescription(page)}`);
  const search = page.getByRole('searchbox', { name: '搜尋' });
  let tabs = 0;
  while (!(await isFocused(search))) {
    assert.ok(++tabs <= 20, `the search box is not reached within 20 Tabs from <main>`);
    await page.keyboard.press('Tab');
  }
  log(`search box reached with ${tabs} Tab(s) after the skip link`);
  await page.keyboard.type('公文');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/r/business' && u.searchParams.get('q') === '公文');
  await until(async () => /共 1 筆/.test(await status.innerText()), async () =>
    `search 公文: expected "共 1 筆", got ${JSON.stringify(await status.innerText())}`);
  const rows = page.locator('table.list tbody').getByRole('row');
  assert.equal(await rows.count(), 1, 'rows for 公文');
  assert.ok((await rows.first().innerText()).includes(RECORD), `the only row is ${RECORD}`);
  assert.equal(await search.inputValue(), '公文', 'the search box keeps the query');
  noProblems('while searching');

  // -- 4. open the record and edit 業務失效影響說明
  begin(`open ${RECORD}`);
  await rows.first().getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: RECORD }).waitFor();
  const recordPath = new URL(page.url()).pathname;
  assert.match(recordPath, /^\/r\/business\/\d+$/, 'record URL');
  const recordUrl = `${base}${recordPath}`;
  const oldImpact = await recordValue(page, IMPACT);
  assert.ok(oldImpact.length > 0, `${IMPACT} has a value before the edit`);
  const before = await historyRows(page);
  log(`record ${recordPath}, ${IMPACT} = ${oldImpact}`);
  noProblems('on the record page');

  begin('edit');
  await page.getByRole('link', { name: '編輯', exact: true }).click();
  await page.waitForURL(`${recordUrl}/edit`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  const impactBox = page.getByLabel(IMPACT, { exact: true });
  assert.equal(await impactBox.evaluate((el) => el.tagName), 'TEXTAREA', `${IMPACT} is a textarea`);
  assert.equal(await impactBox.inputValue(), oldImpact, `the edit form shows the current ${IMPACT}`);
  await impactBox.fill(NEW_IMPACT);
  await page.getByRole('button', { name: '儲存', exact: true }).click();
  await page.waitForURL(recordUrl);
  await page.getByRole('heading', { level: 1, name: RECORD }).waitFor();
  assert.equal(new URL(page.url()).pathname, recordPath, 'saving lands on the record page');
  assert.equal(await recordValue(page, IMPACT), NEW_IMPACT, `the record shows the new ${IMPACT}`);
  await page.getByText(MARKER).first().waitFor();

  begin('history row');
  const history = page.getByRole('region', { name: '異動紀錄' });
  await history.getByRole('heading', { name: '異動紀錄' }).waitFor();
  const after = await historyRows(page);
  for (const h of ['欄位', '異動前', '異動後']) {
    assert.ok(after.headers.includes(h), `history table has a ${h} column (has ${after.headers.join(', ')})`);
  }
  const change = after.rows.filter((r) => r['欄位'] === IMPACT);
  assert.equal(change.length, 1, `exactly one history row for ${IMPACT}: ${JSON.stringify(after.rows)}`);
  assert.equal(change[0]['異動前'], oldImpact, `history 異動前 of ${IMPACT}`);
  assert.equal(change[0]['異動後'], NEW_IMPACT, `history 異動後 of ${IMPACT}`);
  assert.ok(after.rows.length > before.rows.length, 'the history grew');
  const version = await recordValue(page, '版次');
  noProblems('after saving the edit');

  // -- 5. screenshot of the record page
  begin('screenshot');
  const shot = join(tmp, 'business-record.png');
  await page.screenshot({ path: shot, fullPage: true });
  let kept = shot;
  if (SHOT_DIR) {
    mkdirSync(SHOT_DIR, { recursive: true });
    kept = join(SHOT_DIR, 'business-record.png');
    copyFileSync(shot, kept);
  }
  log(`screenshot: ${kept}${SHOT_DIR ? '' : ' (removed with the temp dir; set E2E_SCREENSHOT_DIR to keep it)'}`);

  // -- 6. a validation error: empty the required 業務名稱
  begin('validation error');
  await page.getByRole('link', { name: '編輯', exact: true }).click();
  await page.waitForURL(`${recordUrl}/edit`);
  const nameBox = page.getByLabel('業務名稱');
  assert.equal(await nameBox.inputValue(), RECORD, 'the edit form shows the name');
  await nameBox.fill('');
  allow400 = true;
  await page.getByRole('button', { name: '儲存', exact: true }).click();
  const summary = page.getByRole('alert');
  await summary.waitFor();
  const summaryText = await summary.innerText();
  assert.match(summaryText, /資料未儲存/, 'the error summary says nothing was saved');
  assert.match(summaryText, /業務名稱：此欄位必填/, 'the error summary names the field');
  assert.ok(
    await summary.getByRole('link', { name: '業務名稱：此欄位必填' }).isVisible(),
    'the error summary links to the field',
  );
  await until(() => isFocused(summary), async () =>
    `the error summary should take the focus, focus is on ${await focusedDescription(page)}`);
  const nameAfter = page.getByLabel('業務名稱');
  assert.equal(await nameAfter.getAttribute('aria-invalid'), 'true', '業務名稱 is aria-invalid');
  const describedBy = (await nameAfter.getAttribute('aria-describedby')) || '';
  assert.ok(describedBy, '業務名稱 has aria-describedby pointing at its error');
  const fieldError = page.locator(`[id="${describedBy.split(/\s+/)[0]}"]`);
  assert.equal((await fieldError.innerText()).trim(), '此欄位必填', 'the field error text');
  assert.ok(await fieldError.isVisible(), 'the field error is visible');
  assert.equal(await page.getByText('此欄位必填', { exact: true }).count(), 1, 'one field error shown');
  // The rest of what was typed is kept.
  assert.equal(await page.getByLabel(IMPACT, { exact: true }).inputValue(), NEW_IMPACT,
    `the rejected form keeps ${IMPACT}`);
  noProblems('on the rejected form', { expect400: true });
  allow400 = false;

  begin('record unchanged');
  const again = await page.goto(recordUrl);
  assert.equal(again.status(), 200, 'GET record status');
  await page.getByRole('heading', { level: 1, name: RECORD }).waitFor();
  assert.equal(await recordValue(page, '業務名稱'), RECORD, 'the name is unchanged');
  assert.equal(await recordValue(page, IMPACT), NEW_IMPACT, `${IMPACT} is unchanged`);
  assert.equal(await recordValue(page, '版次'), version, 'the version is unchanged');
  const final = await historyRows(page);
  assert.deepEqual(final.rows, after.rows, 'the rejected edit added no history');
  noProblems('after the rejected edit');

  assert.equal(serverDied, null, `the server stopped during the test (${serverDied})`);
}

// ---- run, always cleaning up ----------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), 'isms-e2e-'));
const cleanup = { server: null, context: null, page: null, serverLog: [] };
let failure = null;

const watchdog = setTimeout(() => {
  console.error(`FAIL: the test did not finish within ${WATCHDOG_MS / 1000} s (step: ${step})`);
  if (cleanup.server) cleanup.server.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}, WATCHDOG_MS);

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (cleanup.server) cleanup.server.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  });
}

try {
  await main(tmp, cleanup);
} catch (e) {
  failure = e;
  if (SHOT_DIR && cleanup.page) {
    try {
      mkdirSync(SHOT_DIR, { recursive: true });
      const p = join(SHOT_DIR, 'business-history-failure.png');
      await cleanup.page.screenshot({ path: p, fullPage: true, timeout: 3000 });
      console.error(`failure screenshot: ${p} (page ${cleanup.page.url()})`);
    } catch {
      // the page may be gone; the message below is what matters
    }
  }
} finally {
  if (cleanup.context) {
    await cleanup.context.close().catch((e) => console.error(`closing the browser: ${e.message}`));
  }
  if (cleanup.server) {
    const code = await stop(cleanup.server);
    if (code !== 0 && !failure) {
      failure = new Error(`the server did not stop cleanly on SIGTERM (exit ${code})`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  clearTimeout(watchdog);
}

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (failure) {
  console.error(`\nFAIL at step "${step}" after ${secs} s:\n${failure.stack || failure}`);
  if (cleanup.serverLog.length) {
    console.error(`\nserver stderr:\n${cleanup.serverLog.join('').slice(-4000)}`);
  }
  process.exit(1);
}
console.log(`\ndone in ${secs} s`);
console.log('business_history: 1 passed, 0 failed');
