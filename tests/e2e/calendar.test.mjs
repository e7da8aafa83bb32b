// calendar.test.mjs: the browser test of the compliance calendar and the
// security dashboard (issue 6, items 2 and 6: attaching evidence closes a
// duty; the CISO's dashboard).
//
// `isms init --demo` gives the reference agency (level C) with its
// calendar: what fell due more than 25 days ago is closed, but the demo
// keeps 資料備份有效性測試 (owner: 資訊人員、系統管理者) open, so it is
// overdue.  The test runs isms on a test clock (ISMS_TEST_CLOCK,
// src/core/time.c) that says 24 November 2026 (Taipei), 10:00, whatever
// the real date: the year of the demo's outages, drill results and
// incident, so that the dashboard's goal tiles have this year's values
// (their phishing rates are recomputed here over unique recipients).  The test adds ciso1, officer1, it1 and clerk1 (staff); the
// officer reports an incident through the JSON API (a token), so that one
// incident is open.  Every number the pages show is recomputed here from
// the database (read-only, with Debian's python3 and its sqlite3 module)
// and from today's date in Asia/Taipei.
//
// 1. The CISO goes from the home page to 資通安全儀表板 with the keyboard
//    (skip link, Tab, Enter).  The dashboard's 各章節應辦事項 table has the
//    database's counts per chapter (done, on track, due soon, overdue) and
//    standing; 逾期及 30 日內到期之應辦事項 lists the overdue duties, then
//    those due soon, with their days overdue or left; the open incident
//    has its notification clock running; the five highest risks are
//    those of the risk register.  Each count of chapter 玖 opens the
//    calendar filtered to exactly those occurrences (the overdue one as
//    `chapter=9&status=overdue`); the CISO may close the backup test.
// 2. it1 opens the backup test from the calendar (僅列我負責的) and closes
//    it with the keyboard: without a note the browser's required check
//    stops the form (and the server, asked without the browser's check,
//    says 請說明辦理情形。 with 400); without evidence the server says
//    結案須有佐證… (both above the occurrence's closing form again, the
//    typed note kept in it); with a small PDF and a note the page says 已完成, shows
//    the file's name, size and SHA-256 (computed here) and downloads the
//    same bytes.
// 3. it1 opens an occurrence of 資安防護組: no close form, the hint says
//    who may close, and a close posted anyway is refused (403).
// 4. clerk1 (staff) reads the calendar and an occurrence, with no close
//    or reopen form; the dashboard has the duties but no incident or risk
//    part.
// 5. The CISO's dashboard: chapter 玖's overdue count fell by one and the
//    backup test left the overdue list; the CISO reopens it with a reason
//    (the confirm dialog: dismissed first, nothing happens; then
//    accepted) and it is overdue again, on the page and on the dashboard.
// 6. Printed (print media), the dashboard has no navigation and no print
//    button.
// No console errors, page errors or CSP violations, and no failed page
// loads but the expected 400 and 403.  Last, the audit trail verifies and
// holds the closing and the reopening.
//
// Plain Node (no test framework): exits 0 on success, 1 with a message on
// failure.  It always stops the server, closes the browser and removes its
// temporary directory.  Drives Debian's chromium through playwright-core.
//
// Environment:
//   ISMS_BIN            the isms binary (default build/dev/isms)
//   ISMS_SOURCE         the source root (default the repository root)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   E2E_SCREENSHOT_DIR  if set, screenshots of the dashboard, the filtered
//                       calendar, the closed occurrence, the staff's
//                       dashboard and the printed dashboard (and, on
//                       failure, of the page at the failure) are copied
//                       here

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { run, serve, stop, until, focusedDescription, submit, where, SOURCE, BROWSER, SHOT_DIR, STEP_TIMEOUT_MS } from './lib.mjs';

const WATCHDOG_MS = 150000; // the whole test, whatever hangs
const PYTHON = '/usr/bin/python3';

const PASSWORD = 'E2e-Passw0rd!';
const MARKER = `e2e-${process.pid}-${Date.now().toString(36)}`;
const INCIDENT = `公文系統異常登入（${MARKER}）`;
const NOTE = `已自備份還原公文系統資料庫至測試主機並核對筆數（${MARKER}）`;
const REASON = `佐證未含還原後之核對紀錄（${MARKER}）`;
// A minimal valid PDF, as tests/integration/test_calendar.py sends.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
  '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
const PDF_NAME = 'backup-restore-test.pdf';
const PDF_SHA = createHash('sha256').update(PDF).digest('hex');

// Labels, from src/core/messages.def.
const NEED_NOTE = '請說明辦理情形。';
const NEED_EVIDENCE = '結案須有佐證：請上傳檔案，或連結本系統中的紀錄。';
const NOT_OWNER = '僅負責群組之成員、資通安全專職人員、策略規劃組或資通安全長可以結案。';
const REOPEN_CONFIRM = '確定要重新開啟此應辦事項？';
const STANDING = { done: '已完成', track: '進行中', soon: '即將到期', overdue: '逾期' };
const OWNER = { it: '資訊人員、系統管理者', protection: '資安防護組' };
const messages = readFileSync(join(SOURCE, 'src', 'core', 'messages.def'), 'utf8');
const CHAPTER = {}; // 9 → '玖 資通安全防護及控制措施'
for (const m of messages.matchAll(/^MSG\(M_CH_(\d+), "([^"]+)"/gm)) CHAPTER[Number(m[1])] = m[2];

// The duty the demo keeps open (data/demo/reference-systems.json,
// calendar_history.keep_open) and its name in the catalog.
const demo = JSON.parse(readFileSync(join(SOURCE, 'data', 'demo', 'reference-systems.json'), 'utf8'));
const BACKUP = 'backup_restore_test';
const catalog = JSON.parse(readFileSync(join(SOURCE, 'data', 'rules', 'obligations.json'), 'utf8'));
const BACKUP_DUTY = catalog.plan.find((d) => d.id === BACKUP);

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

// ---- dates in Asia/Taipei, on the test clock ------------------------------

// What the test clock adds to the real time, in seconds: the day the
// test runs on is 24 November 2026 (ROC 115, the year of the demo's
// outages, drills and incident), from 10:00 on, Taipei time.
const CLOCK_SKEW = Math.round(
  (Date.parse('2026-11-24T10:00:00+08:00') - Date.now()) / 1000);

// The time as isms sees it (milliseconds).
function now() {
  return Date.now() + CLOCK_SKEW * 1000;
}

// Today in Taipei, YYYY-MM-DD (the server's "today").
function taipeiToday() {
  return new Date(now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
// Whole days from date a to date b (YYYY-MM-DD).
function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

// ---- the database, read-only --------------------------------------------------

// Rows of a query on the database, through Debian's python3 and sqlite3
// (read-only: the server keeps writing in WAL mode).
const PY_QUERY = [
  'import json, sqlite3, sys',
  "c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)",
  'print(json.dumps(c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))',
].join('\n');
function dbQuery(db, sql, args = []) {
  return new Promise((ok, fail) => {
    const p = spawn(PYTHON, ['-I', '-c', PY_QUERY, db, sql, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', fail);
    p.on('exit', (code) => {
      if (code === 0) ok(JSON.parse(out));
      else fail(new Error(`${PYTHON} sqlite3 ${JSON.stringify(sql)} exited ${code}:\n${err}`));
    });
  });
}

// The occurrences of this year and the next (the window of the calendar
// and of the dashboard), each with its standing today as the pages
// compute it: done, void, overdue (due before today), soon (due within 30
// days) or track.
async function occurrences(db) {
  const today = taipeiToday();
  const year = Number(today.slice(0, 4));
  const rows = await dbQuery(db,
    'SELECT id, duty, due_on, owner, chapter, status FROM occurrence WHERE due_on BETWEEN ? AND ? ORDER BY due_on, id',
    [`${year}-01-01`, `${year + 1}-12-31`]);
  return rows.map(([id, duty, due, owner, chapter, status]) => {
    const left = daysBetween(today, due);
    const standing = status !== 'open' ? status : left < 0 ? 'overdue' : left <= 30 ? 'soon' : 'track';
    return { id, duty, due, owner, chapter, status, standing, left };
  });
}

// ---- small helpers -------------------------------------------------------

// The text of each cell of a table's body rows, keyed by column header.
async function tableRows(table) {
  const headers = (await table.locator('thead th').allInnerTexts()).map((t) => t.trim());
  const rows = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = (await row.locator('th, td').allInnerTexts()).map((t) => t.trim());
    rows.push(Object.fromEntries(headers.map((h, i) => [h, cells[i]])));
  }
  return rows;
}

// `s` as a regular expression that matches it literally.
function re(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The <dd> after the record's <dt> whose text is `label`.
function recordValue(page, label) {
  return page.locator('dl.record > dt', { hasText: new RegExp(`^${re(label)}$`) }).locator('xpath=following-sibling::dd[1]');
}

async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}

// Presses Tab until `locator` has the focus (at most `max` presses).
async function tabTo(page, locator, what, max = 60) {
  let tabs = 0;
  await until(async () => {
    if (await isFocused(locator)) return true;
    if (++tabs > max) throw new Error(`not reached after ${max} Tab presses`);
    await page.keyboard.press('Tab');
    return false;
  }, async () => `Tab should reach ${what}, focus is on ${await focusedDescription(page)}`, 15000);
  return tabs;
}

// Presses Enter on the focused submit button and waits until a new
// document has loaded (as lib.mjs's submit() does for a click).  Returns
// the HTTP status of the document shown.
async function enterAndWait(page) {
  await page.evaluate(() => (window.__e2eOld = true));
  await page.keyboard.press('Enter');
  await until(
    () => page.evaluate(() => !window.__e2eOld && document.readyState === 'complete').catch(() => false),
    'no new page loaded after pressing Enter on the form',
  );
  return page.evaluate(() => performance.getEntriesByType('navigation')[0].responseStatus);
}

// The occurrence ids of `rows` (occurrences()), ascending: the pages
// list them by due date, and the order within a day is not checked.
function idsOf(rows) {
  return rows.map((o) => o.id).sort((a, b) => a - b);
}

// The occurrence ids a list of links to occurrences shows, ascending,
// once it is checked that their due dates (the <time> in the same row or
// item) never go back.
async function shownIds(items, what) {
  const shown = await items.evaluateAll((els) => els.map((el) => ({
    href: el.querySelector('a[href^="/r/duty/calendar/"]').getAttribute('href'),
    due: el.querySelector('time').getAttribute('datetime'),
  })));
  for (let i = 1; i < shown.length; i++) {
    assert.ok(shown[i - 1].due <= shown[i].due, `${what}: by due date (${JSON.stringify(shown.slice(i - 1, i + 1))})`);
  }
  return shown.map((s) => Number(s.href.split('/').pop())).sort((a, b) => a - b);
}

// The occurrence ids a calendar page lists (ascending).
function calendarIds(page) {
  return shownIds(page.locator('table.calendar tbody tr'), 'the calendar');
}

// The line of counts above the calendar, for the standings of `rows`.
function countsLine(rows) {
  const n = (s) => rows.filter((r) => r.standing === s).length;
  return `已完成 ${n('done')} 項、進行中 ${n('track')} 項、即將到期 ${n('soon')} 項、逾期 ${n('overdue')} 項。`;
}

// ---- the test ------------------------------------------------------------

async function main(tmp, cleanup) {
  assert.ok(BACKUP_DUTY, `data/rules/obligations.json has the plan duty ${BACKUP}`);
  assert.equal(BACKUP_DUTY.name, '資料備份有效性測試', 'the backup test\'s name in the catalog');
  assert.equal(BACKUP_DUTY.owner, 'it', 'the backup test belongs to the IT staff');
  assert.deepEqual(demo.calendar_history.keep_open, [BACKUP], 'the demo keeps the backup test open');
  assert.equal(CHAPTER[9], '玖 資通安全防護及控制措施', 'chapter 9\'s title (M_CH_9)');

  // Every isms this test starts (lib.mjs passes the environment on) runs
  // on the test clock.
  const clock = join(tmp, 'clock');
  writeFileSync(clock, `${CLOCK_SKEW}\n`);
  process.env.ISMS_TEST_CLOCK = clock;
  log(`test clock: ${new Date(now()).toISOString()} (${CLOCK_SKEW} s from the real time)`);

  const db = join(tmp, 'e2e.db');
  const serverLog = [];
  cleanup.serverLog = serverLog;

  begin('isms init --demo');
  await run(['init', '--db', db, '--demo']);
  begin('isms user add ciso1, officer1, it1, clerk1');
  const otpOf = async (login, name, role) => {
    const added = await run(['user', 'add', login, '--name', name, '--role', role, '--db', db]);
    const otp = added.out.trim().split('\n').pop().trim();
    assert.ok(otp.length >= 12 && !/\s/.test(otp), `one-time password of ${login}: ${JSON.stringify(otp)}`);
    return otp;
  };
  const cisoOtp = await otpOf('ciso1', '資安長', 'ciso');
  await otpOf('officer1', '資安專職人員', 'officer');
  const itOtp = await otpOf('it1', '系統管理者', 'it');
  const clerkOtp = await otpOf('clerk1', '業務承辦人', 'staff');
  const token = (await run(['token', 'create', '--user', 'officer1', '--name', 'e2e', '--scope', 'write', '--db', db]))
    .out.trim();
  assert.match(token, /^isms_[0-9a-f]{64}$/, 'the officer\'s API token');

  begin('isms serve');
  const { proc, port } = await serve(db, serverLog);
  cleanup.server = proc;
  let serverDied = null;
  proc.on('exit', (code, sig) => (serverDied = code ?? sig));
  const base = `http://127.0.0.1:${port}`;
  log(`server on ${base}`);

  // What the demo left: the backup test, open and overdue.
  const start = await occurrences(db);
  const backup = start.find((o) => o.duty === BACKUP && o.standing === 'overdue');
  assert.ok(backup, `the demo's ${BACKUP} is overdue: ${JSON.stringify(start.filter((o) => o.duty === BACKUP))}`);
  assert.equal(backup.chapter, 9, 'the backup test is a duty of chapter 9');
  const daysOverdue = -backup.left;
  log(`${BACKUP_DUTY.name}: occurrence ${backup.id}, due ${backup.due}, ${daysOverdue} day(s) overdue on ${taipeiToday()}`);
  const backupPath = `/r/duty/calendar/${backup.id}`;

  begin('officer1 reports an incident through the API');
  const created = await fetch(`${base}/api/v1/incident`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      title: INCIDENT,
      aware_at: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      description: `公文系統於夜間出現多筆異常登入紀錄（${MARKER}）`,
    }),
  });
  assert.equal(created.status, 201, `POST /api/v1/incident: ${await created.clone().text()}`);
  const incidentId = (await created.json()).id;

  begin('launch chromium');
  const browser = await chromium.launch({
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
  });
  cleanup.browser = browser;

  // Console errors, uncaught page errors, CSP violations and failed page
  // or static loads, with the step they happened in, for every context.
  // An expected error status (a refused close: 400, 403) is allowed
  // explicitly, in its step only.
  const problems = [];
  let allowStatus = null;
  let allowAbort = null;
  const newPage = async (who) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-TW', acceptDownloads: true });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    await context.exposeBinding('__e2eCspViolation', (_src, v) => {
      problems.push(`[${step}] ${who}: CSP violation: ${v.directive} blocked ${v.blocked} at ${v.source}`);
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
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') {
        problems.push(`[${step}] ${who}: console error: ${m.text()} (${m.location().url || page.url()})`);
      }
    });
    page.on('pageerror', (e) => problems.push(`[${step}] ${who}: page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() || r.url().startsWith(`${base}/static/`)) {
        if (r.status() >= 400 && r.status() !== allowStatus) {
          problems.push(`[${step}] ${who}: HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
        }
      }
    });
    page.on('requestfailed', (r) => {
      // A link that downloads ends its navigation as aborted.
      if (r.url() === allowAbort && r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`[${step}] ${who}: request failed: ${r.url().slice(0, 80)} (${r.failure()?.errorText})`);
    });
    // A dialog nobody expects is a problem (and is dismissed).
    page.on('dialog', (d) => {
      if (page.listenerCount('dialog') === 1) {
        problems.push(`[${step}] ${who}: unexpected ${d.type()} dialog: ${d.message()}`);
        d.dismiss().catch(() => {});
      }
    });
    return page;
  };
  // The expected status shows as "Failed to load resource" in the console;
  // that line, and only that one, is tolerated where the status is expected.
  const noProblems = (whereText, { expect = null } = {}) => {
    const real = problems.filter(
      (p) => !(expect && new RegExp(`console error: Failed to load resource: .*status of ${expect}`).test(p)),
    );
    assert.deepEqual(real, [], `console errors, page errors, CSP violations or failed loads ${whereText}`);
    problems.length = 0;
  };
  const screenshot = async (page, name) => {
    const shot = join(tmp, name);
    await page.screenshot({ path: shot, fullPage: true });
    let kept = shot;
    if (SHOT_DIR) {
      mkdirSync(SHOT_DIR, { recursive: true });
      kept = join(SHOT_DIR, name);
      copyFileSync(shot, kept);
    }
    log(`screenshot: ${kept}${SHOT_DIR ? '' : ' (removed with the temp dir; set E2E_SCREENSHOT_DIR to keep it)'}`);
  };

  // Signs `login` in with the one-time password, which must be changed
  // first; ends on the plan overview.
  const signIn = async (page, login, otp) => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('使用者 ID').fill(login);
    await page.getByLabel('通行碼', { exact: true }).fill(otp);
    await submit(page, page.getByRole('button', { name: '登入', exact: true }));
    assert.equal(where(page), '/account/password', `${login}: the one-time password leads to the password change`);
    await page.getByLabel('目前通行碼').fill(otp);
    await page.getByLabel('新通行碼', { exact: true }).fill(PASSWORD);
    await page.getByLabel('再次輸入新通行碼').fill(PASSWORD);
    await submit(page, page.getByRole('button', { name: '變更通行碼' }));
    assert.equal(where(page), '/account?changed=1', `${login}: the password was changed`);
    const home = await page.goto(`${base}/`);
    assert.equal(home.status(), 200, `${login}: GET / status`);
    await page.getByRole('heading', { level: 1, name: '計畫總覽' }).waitFor();
    assert.match(await page.getByRole('banner').innerText(), new RegExp(`（${login}）`), `${login} is shown signed in`);
  };

  // The dashboard's parts and what the database says they should show.
  const chapterTable = (page) => page.locator('table.dash-chapters');
  const chapterRow = (page, ch) => chapterTable(page).locator('tbody tr', {
    has: page.locator('th', { hasText: new RegExp(`^${re(CHAPTER[ch])}$`) }),
  });
  const expectedChapters = (occ) => {
    const rows = [];
    for (let ch = 4; ch <= 17; ch++) {
      const mine = occ.filter((o) => o.chapter === ch);
      const n = (s) => mine.filter((o) => o.standing === s).length;
      if (!n('done') && !n('track') && !n('soon') && !n('overdue')) continue;
      rows.push({
        計畫章節: CHAPTER[ch],
        整體狀態: n('overdue') ? '逾期' : n('soon') ? '即將到期' : '按進度',
        已完成: String(n('done')),
        進行中: String(n('track')),
        即將到期: String(n('soon')),
        逾期: String(n('overdue')),
      });
    }
    return rows;
  };
  const nextPart = (page) => page.locator('section.dash-part', { has: page.locator('h2', { hasText: '逾期及 30 日內到期之應辦事項' }) });
  const nextIds = (page, cls) => shownIds(nextPart(page).locator(`ul.dash-next li.${cls}`), `the ${cls} duties`);
  // The dashboard's duties against the database, now.
  const checkDuties = async (page, whereText) => {
    const occ = await occurrences(db);
    assert.deepEqual(await tableRows(chapterTable(page)), expectedChapters(occ),
      `各章節應辦事項 has the database's counts ${whereText}`);
    // At most 30 lines, the overdue first (there are far fewer in the demo).
    const overdue = occ.filter((o) => o.standing === 'overdue');
    const soon = occ.filter((o) => o.standing === 'soon');
    assert.ok(overdue.length + soon.length <= 30, `${overdue.length + soon.length} lines: the list is not cut short`);
    assert.deepEqual(await nextIds(page, 'overdue'), idsOf(overdue), `the overdue duties ${whereText}`);
    assert.deepEqual(await nextIds(page, 'due-soon'), idsOf(soon), `the duties due in 30 days ${whereText}`);
    const classes = await nextPart(page).locator('ul.dash-next li').evaluateAll((els) => els.map((e) => e.className));
    assert.deepEqual(classes, [...overdue.map(() => 'overdue'), ...soon.map(() => 'due-soon')], `the overdue first ${whereText}`);
    return occ;
  };

  // -- 1. the CISO's dashboard
  begin('ciso signs in');
  const ciso = await newPage('ciso');
  cleanup.pages.ciso = ciso;
  await signIn(ciso, 'ciso1', cisoOtp);
  noProblems('while the ciso signs in');

  begin('ciso: 資通安全儀表板 with the keyboard');
  await ciso.locator('body').focus();
  await ciso.keyboard.press('Tab');
  const skip = ciso.getByRole('link', { name: '跳至主要內容' });
  await until(() => isFocused(skip), async () =>
    `the first Tab should focus the skip link, focus is on ${await focusedDescription(ciso)}`);
  await ciso.keyboard.press('Enter');
  await until(() => isFocused(ciso.getByRole('main')), async () =>
    `Enter on the skip link should focus <main>, focus is on ${await focusedDescription(ciso)}`);
  const dashLink = ciso.getByRole('main').getByRole('link', { name: '資通安全儀表板', exact: true });
  assert.equal(await dashLink.count(), 1, 'the home page links to the dashboard');
  const tabs = await tabTo(ciso, dashLink, '資通安全儀表板', 20);
  log(`reached with ${tabs} Tab press(es) after the skip link`);
  await ciso.keyboard.press('Enter');
  await ciso.waitForURL(`${base}/dashboard`);
  await ciso.getByRole('heading', { level: 1, name: '資通安全儀表板' }).waitFor();
  const parts = (await ciso.locator('section.dash-part h2').allInnerTexts()).map((t) => t.trim());
  for (const want of ['各章節應辦事項', '逾期及 30 日內到期之應辦事項', '未結案事件', '風險值最高之風險']) {
    assert.ok(parts.includes(want), `the ciso's dashboard has ${want}: ${JSON.stringify(parts)}`);
  }
  noProblems('on the way to the dashboard');

  begin('dashboard: duties by chapter, overdue and due soon');
  const before = await checkDuties(ciso, 'for the ciso');
  const ch9 = expectedChapters(before).find((r) => r.計畫章節 === CHAPTER[9]);
  assert.equal(ch9.整體狀態, '逾期', 'chapter 玖 is overdue');
  assert.match(await chapterRow(ciso, 9).locator('span.standing').getAttribute('class'), /\boverdue\b/,
    'chapter 玖\'s standing is marked overdue');
  const backupItem = nextPart(ciso).locator('li.overdue', { has: ciso.locator(`a[href="${backupPath}"]`) });
  assert.equal(await backupItem.count(), 1, 'the overdue list has the backup test');
  const itemText = await backupItem.innerText();
  for (const want of [BACKUP_DUTY.name, OWNER.it, `已逾期 ${daysOverdue} 日`]) {
    assert.ok(itemText.includes(want), `the backup test's line says ${want}: ${JSON.stringify(itemText)}`);
  }
  assert.equal(await backupItem.locator('time').getAttribute('datetime'), backup.due, 'the line has the due date');
  await screenshot(ciso, 'calendar-dashboard.png');

  begin('dashboard: the open incident and the highest risks');
  const irPart = ciso.locator('section.dash-part', { has: ciso.locator('h2', { hasText: '未結案事件' }) });
  const openIr = await tableRows(irPart.locator('table.ir-open'));
  // Open: not archived, and no step yet, or the last step not 結案.
  const openInDb = await dbQuery(db,
    'SELECT i.id FROM incident i WHERE i.archived = 0 AND coalesce((SELECT s.step FROM incident_step s ' +
    "WHERE s.incident = i.id ORDER BY s.id DESC LIMIT 1), '') <> 'closed'");
  assert.deepEqual(openInDb.map((r) => r[0]), [incidentId], 'the database has only the reported incident open');
  assert.equal(openIr.length, 1, `one open incident on the dashboard: ${JSON.stringify(openIr)}`);
  assert.equal(openIr[0]['事件名稱'], INCIDENT, 'the dashboard shows the reported incident');
  assert.match(openIr[0]['通報'], /^剩餘 0 小時 [0-5]?\d 分$/, 'its notification clock runs');
  assert.equal(await irPart.getByRole('link', { name: INCIDENT, exact: true }).getAttribute('href'),
    `/r/incident/${incidentId}`, 'the incident links to its page');
  const riskPart = ciso.locator('section.dash-part', { has: ciso.locator('h2', { hasText: '風險值最高之風險' }) });
  const risks = await tableRows(riskPart.locator('table.dash-risks'));
  const topRisks = await dbQuery(db, 'SELECT id, threat, value FROM risk WHERE archived = 0 ORDER BY value DESC');
  assert.deepEqual(risks.map((r) => Number(r['風險值'])), topRisks.slice(0, 5).map((r) => r[2]),
    `the five highest risk values: ${JSON.stringify(risks)}`);
  const riskHrefs = await riskPart.locator('tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const [i, href] of riskHrefs.entries()) {
    const row = topRisks.find((r) => `/r/risk/${r[0]}` === href);
    assert.ok(row, `risk link ${href} is a risk of the register`);
    assert.equal(risks[i]['風險值'], String(row[2]), `${href}: the value shown is the register's`);
    assert.equal(risks[i][Object.keys(risks[i])[0]], row[1], `${href}: the threat shown is the register's`);
  }
  assert.equal(risks[0][Object.keys(risks[0])[0]], topRisks[0][1], 'the highest risk comes first');
  noProblems('on the dashboard');

  begin('dashboard: the goals against the plan\'s targets');
  // Every bound goal metric has a tile: its name, its target, met or not
  // met in words, and a trend line.  The phishing rates are recomputed
  // here from the imported results over unique recipients (a click counts
  // as an open), for this year's social-engineering drills.
  const kpiPart = ciso.locator('section.dash-part.kpis');
  assert.equal(await kpiPart.locator('h2 a').getAttribute('href'), '/r/goal_metric/kpi',
    'the goals part leads to the goals page');
  const metrics = await dbQuery(db,
    'SELECT id, metric, comparator, target, kpi FROM goal_metric WHERE archived = 0 AND kpi IS NOT NULL ORDER BY id');
  assert.deepEqual(metrics.map((m) => m[4]).sort(),
    ['availability', 'incident_timeliness', 'phishing_click', 'phishing_open'], 'the demo binds its four metrics');
  const tiles = kpiPart.locator('article.kpi-tile');
  assert.equal(await tiles.count(), metrics.length, 'one tile per bound metric');
  const rates = await dbQuery(db,
    'SELECT count(DISTINCT r.recipient), ' +
    'count(DISTINCT CASE WHEN r.opened OR r.clicked THEN r.recipient END), ' +
    'count(DISTINCT CASE WHEN r.clicked THEN r.recipient END) ' +
    "FROM drill_result r JOIN drill d ON d.id = r.drill WHERE d.archived = 0 AND substr(d.held_on, 1, 4) = ?",
    [taipeiToday().slice(0, 4)]);
  const [recipients, opened, clicked] = rates[0];
  assert.ok(recipients > 0, 'this year\'s drill has results');
  const meets = (v, cmp, t) => ({ '>=': v >= t, '>': v > t, '<=': v <= t, '<': v < t, '=': v === t })[cmp];
  for (const [id, name, cmp, target, kind] of metrics) {
    const tile = kpiPart.locator(`article#kpi-${id}`);
    const text = await tile.innerText();
    assert.ok(text.includes(name), `tile ${id} names ${name}: ${JSON.stringify(text)}`);
    assert.ok(text.includes(`目標`) && text.includes(String(target)), `tile ${id} shows its target ${target}`);
    assert.match(text, /達成目標|未達成目標/, `tile ${id} says met or missed in words`);
    assert.equal(await tile.locator('svg.kpi-trend[role="img"]').count(), 1, `tile ${id} has its trend line`);
    if (kind === 'phishing_open' || kind === 'phishing_click') {
      const rate = 100 * (kind === 'phishing_open' ? opened : clicked) / recipients;
      const met = meets(rate, cmp, target);
      assert.ok(text.includes(met ? '達成目標' : '未達成目標'),
        `${kind}: ${rate.toFixed(1)} % ${cmp} ${target} is ${met ? 'met' : 'missed'}: ${JSON.stringify(text)}`);
      assert.ok(text.includes(`${rate.toFixed(1)}%`), `${kind} shows ${rate.toFixed(1)}%: ${JSON.stringify(text)}`);
    }
  }
  noProblems('on the goals');

  begin('dashboard: each count of chapter 玖 opens the calendar at those rows');
  // The overdue count last, so the page ends on the overdue calendar.
  for (const [col, word] of [['已完成', 'done'], ['進行中', 'track'], ['即將到期', 'soon'], ['逾期', 'overdue']]) {
    const want = before.filter((o) => o.chapter === 9 && o.standing === word);
    const cell = chapterRow(ciso, 9).locator('td').nth(['已完成', '進行中', '即將到期', '逾期'].indexOf(col) + 1);
    const link = cell.getByRole('link');
    if (!want.length) {
      assert.equal(await link.count(), 0, `chapter 玖 has no ${col}: a 0 without a link`);
      continue;
    }
    await ciso.goto(`${base}/dashboard`);
    assert.equal(await link.innerText(), String(want.length), `chapter 玖's ${col} count`);
    const href = await link.getAttribute('href');
    await link.click();
    await ciso.waitForURL((u) => u.pathname === '/r/duty/calendar');
    assert.deepEqual(await calendarIds(ciso), idsOf(want),
      `chapter 玖's ${col} count (${href}) opens the calendar at exactly its ${want.length} occurrence(s)`);
    assert.equal((await ciso.locator('p.count[role=status]').innerText()).trim(), countsLine(want),
      `the calendar's counts for chapter 玖's ${col}`);
  }
  assert.equal(where(ciso), '/r/duty/calendar?chapter=9&status=overdue', 'the overdue count\'s address');
  await ciso.getByRole('heading', { level: 1, name: '應辦事項行事曆' }).waitFor();
  assert.equal(await ciso.locator('form.filters select[name=chapter]').inputValue(), '9', 'the chapter filter shows 玖');
  assert.equal(await ciso.locator('form.filters select[name=status]').inputValue(), 'overdue', 'the status filter shows 逾期');
  const overdueRows = await tableRows(ciso.locator('table.calendar').first());
  assert.ok(overdueRows.every((r) => r['計畫章節'] === CHAPTER[9]), `every row is chapter 玖: ${JSON.stringify(overdueRows)}`);
  const backupRow = ciso.locator('table.calendar tbody tr', { has: ciso.locator(`a[href="${backupPath}"]`) });
  assert.match(await backupRow.innerText(), new RegExp(`逾期\\s+已逾期 ${daysOverdue} 日`), 'the row says how late it is');
  await screenshot(ciso, 'calendar-chapter9-overdue.png');
  noProblems('on the filtered calendar');

  begin('ciso: may close the backup test');
  await backupRow.getByRole('link', { name: BACKUP_DUTY.name, exact: true }).click();
  await ciso.waitForURL(`${base}${backupPath}`);
  await ciso.getByRole('heading', { level: 1, name: BACKUP_DUTY.name }).waitFor();
  assert.equal(await ciso.locator('form[action$="/close"]').count(), 1, 'the ciso has the close form');
  noProblems('on the occurrence, for the ciso');

  // -- 2. it1 closes the backup test with evidence
  begin('it1 signs in, opens the backup test from 僅列我負責的');
  const it = await newPage('it1');
  cleanup.pages.it = it;
  await signIn(it, 'it1', itOtp);
  await it.getByRole('main').getByRole('link', { name: '應辦事項行事曆', exact: true }).click();
  await it.waitForURL(`${base}/r/duty/calendar`);
  await it.locator('form.filters select[name=status]').selectOption({ label: '逾期' });
  await it.locator('form.filters').getByLabel('僅列我負責的').check();
  await submit(it, it.getByRole('button', { name: '套用', exact: true }));
  assert.equal(where(it), '/r/duty/calendar?year=&owner=&chapter=&status=overdue&mine=1', 'the filters\' address');
  const mineOverdue = before.filter((o) => o.standing === 'overdue' && o.owner === 'it');
  assert.deepEqual(await calendarIds(it), idsOf(mineOverdue), 'it1\'s overdue duties');
  await it.locator('table.calendar').getByRole('link', { name: BACKUP_DUTY.name, exact: true }).click();
  await it.waitForURL(`${base}${backupPath}`);
  await it.getByRole('heading', { level: 1, name: BACKUP_DUTY.name }).waitFor();
  assert.equal((await recordValue(it, '負責群組').innerText()).trim(), OWNER.it, 'the owner group');
  assert.equal((await recordValue(it, '計畫章節').innerText()).trim(), CHAPTER[9], 'the chapter');
  assert.match(await recordValue(it, '狀態').innerText(), new RegExp(`^逾期 已逾期 ${daysOverdue} 日$`), 'overdue, with the days');
  assert.equal(await recordValue(it, '期限').locator('time').getAttribute('datetime'), backup.due, 'the due date');
  noProblems('on the occurrence, for it1');

  const note = it.getByLabel('辦理情形說明');
  const closeButton = it.locator('form[action$="/close"]').getByRole('button', { name: '結案', exact: true });
  begin('it1: close without a note (the browser\'s required check)');
  let posts = 0;
  const countPosts = (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/close')) posts++;
  };
  it.on('request', countPosts);
  await it.locator('body').focus();
  await tabTo(it, closeButton, 'the 結案 button');
  await it.keyboard.press('Enter');
  await until(() => isFocused(note), async () =>
    `the browser should move the focus to the empty note, focus is on ${await focusedDescription(it)}`);
  assert.ok(await note.evaluate((el) => el.validity.valueMissing), 'the note is reported missing');
  assert.equal(posts, 0, 'nothing was sent');
  assert.equal(where(it), backupPath, 'still on the occurrence');
  it.off('request', countPosts);

  begin('it1: close without a note (the server\'s check)');
  // What a browser without the required check would send.
  await note.evaluate((el) => el.removeAttribute('required'));
  allowStatus = 400;
  await tabTo(it, closeButton, 'the 結案 button');
  assert.equal(await enterAndWait(it), 400, 'closing without a note is answered 400');
  assert.equal((await it.getByRole('heading', { level: 1 }).innerText()).trim(), BACKUP_DUTY.name,
    'a refused close shows the occurrence again');
  assert.match(await it.locator('section.close .error-summary').innerText(), new RegExp(re(NEED_NOTE)),
    `the closing form says ${NEED_NOTE}`);
  noProblems('on the refused close (no note)', { expect: 400 });

  begin('it1: close without evidence');
  allowStatus = null;
  await it.goto(`${base}${backupPath}`);
  await it.locator('body').focus();
  await tabTo(it, note, 'the note');
  await it.keyboard.type(NOTE);
  await tabTo(it, closeButton, 'the 結案 button');
  allowStatus = 400;
  assert.equal(await enterAndWait(it), 400, 'closing without evidence is answered 400');
  assert.match(await it.locator('section.close .error-summary').innerText(), new RegExp(re(NEED_EVIDENCE)),
    'the closing form says evidence is needed');
  assert.equal(await note.inputValue(), NOTE, 'the typed note is still in the form');
  noProblems('on the refused close (no evidence)', { expect: 400 });
  allowStatus = null;
  assert.deepEqual(await dbQuery(db, 'SELECT status, evidence FROM occurrence WHERE id = ?', [backup.id]), [['open', null]],
    'the refused closes wrote nothing');

  begin('it1: close with a PDF and a note');
  await it.goto(`${base}${backupPath}`);
  await it.locator('body').focus();
  await tabTo(it, note, 'the note');
  await it.keyboard.type(NOTE);
  await it.getByLabel('佐證檔案').setInputFiles({ name: PDF_NAME, mimeType: 'application/pdf', buffer: PDF });
  await tabTo(it, closeButton, 'the 結案 button');
  assert.equal(await enterAndWait(it), 200, 'status after closing');
  assert.equal(where(it), backupPath, 'closing lands on the occurrence');
  assert.equal((await recordValue(it, '狀態').innerText()).trim(), '已完成', 'the occurrence says 已完成');
  assert.equal((await recordValue(it, '辦理人').innerText()).trim(), 'it1', 'closed by it1');
  assert.equal((await recordValue(it, '辦理情形說明').innerText()).trim(), NOTE, 'the note is kept');
  const evidence = recordValue(it, '佐證').getByRole('link');
  assert.equal((await evidence.innerText()).trim(), `${PDF_NAME}（${PDF.length} 位元組，SHA-256 ${PDF_SHA}）`,
    'the evidence shows its name, size and SHA-256');
  assert.equal(await evidence.getAttribute('href'), `${backupPath}/evidence`, 'the evidence link');
  assert.equal(await it.locator('form[action$="/close"], form[action$="/reopen"]').count(), 0,
    'it1 can neither close it again nor reopen it');
  const history = await tableRows(it.locator('main table.list').last());
  assert.equal(history.length, 1, `one history entry: ${JSON.stringify(history)}`);
  assert.deepEqual([history[0]['事項'], history[0]['辦理人']], ['結案', 'it1'], 'the history has the closing');
  assert.ok(history[0]['辦理情形說明'].includes(NOTE), 'the history has the note');
  await screenshot(it, 'calendar-closed.png');

  begin('it1: the evidence downloads as uploaded');
  allowAbort = `${base}${backupPath}/evidence`;
  const [download] = await Promise.all([it.waitForEvent('download'), evidence.click()]);
  const saved = join(tmp, 'evidence.pdf');
  await download.saveAs(saved);
  assert.equal(await download.failure(), null, 'the download completed');
  assert.ok(readFileSync(saved).equals(PDF), 'the downloaded bytes are the uploaded PDF');
  const res = await it.request.get(`${base}${backupPath}/evidence`);
  assert.equal(res.status(), 200, 'GET the evidence');
  assert.equal(res.headers()['x-evidence-sha256'], PDF_SHA, 'X-Evidence-SHA256');
  assert.equal(res.headers()['content-type'].split(';')[0], 'application/pdf', 'the evidence is served as a PDF');
  assert.deepEqual(await dbQuery(db,
    'SELECT o.status, o.closed_by, f.sha256, f.size FROM occurrence o JOIN evidence_file f ON f.id = o.evidence WHERE o.id = ?',
    [backup.id]), [['done', 'it1', PDF_SHA, PDF.length]], 'the database has the closing and the file\'s hash');
  noProblems('while downloading the evidence');
  allowAbort = null;

  // -- 3. it1 and another group's duty
  begin('it1: an occurrence of 資安防護組');
  const theirs = before.find((o) => o.owner === 'protection' && o.status === 'open');
  assert.ok(theirs, 'the protection group has an open occurrence');
  const theirsPath = `/r/duty/calendar/${theirs.id}`;
  assert.equal((await it.goto(`${base}${theirsPath}`)).status(), 200, 'it1 reads it');
  assert.equal((await recordValue(it, '負責群組').innerText()).trim(), OWNER.protection, 'owned by 資安防護組');
  assert.equal(await it.locator('form[action$="/close"]').count(), 0, 'no close form for it1');
  assert.equal(await it.getByRole('main').locator('p.hint', { hasText: NOT_OWNER }).count(), 1,
    `the page says ${NOT_OWNER}`);
  const csrf = await it.locator('input[name="_csrf"]').first().inputValue();
  const forced = await it.request.post(`${base}${theirsPath}/close`, {
    multipart: { _csrf: csrf, note: '越權結案', file: { name: 'x.pdf', mimeType: 'application/pdf', buffer: PDF } },
    maxRedirects: 0,
  });
  assert.equal(forced.status(), 403, 'a close posted anyway is refused');
  assert.match(await forced.text(), new RegExp(re(NOT_OWNER)), 'the refusal says who may close');
  assert.deepEqual(await dbQuery(db, 'SELECT status FROM occurrence WHERE id = ?', [theirs.id]), [['open']], 'still open');
  noProblems('on another group\'s occurrence');

  // -- 4. the clerk (staff) reads only
  begin('clerk signs in: the calendar');
  const clerk = await newPage('clerk');
  cleanup.pages.clerk = clerk;
  await signIn(clerk, 'clerk1', clerkOtp);
  const cal = await clerk.goto(`${base}/r/duty/calendar`);
  assert.equal(cal.status(), 200, 'the clerk reads the calendar');
  const current = await occurrences(db);
  assert.equal((await clerk.locator('p.count[role=status]').innerText()).trim(), countsLine(current), 'the calendar\'s counts');
  assert.deepEqual(await calendarIds(clerk), idsOf(current), 'the clerk sees every occurrence of the two years');
  assert.equal(await clerk.getByRole('link', { name: '新增自訂應辦事項' }).count(), 0, 'the clerk cannot add a duty');
  for (const [path, what] of [[backupPath, 'the closed backup test'], [theirsPath, 'an open duty']]) {
    assert.equal((await clerk.goto(`${base}${path}`)).status(), 200, `the clerk reads ${what}`);
    assert.equal(await clerk.locator('form[action$="/close"], form[action$="/reopen"]').count(), 0,
      `no close or reopen form on ${what}`);
  }
  assert.equal(await clerk.getByRole('main').locator('p.hint', { hasText: NOT_OWNER }).count(), 1,
    'the open duty says who may close it');
  noProblems('on the clerk\'s calendar');

  begin('clerk: the dashboard');
  assert.equal((await clerk.goto(`${base}/dashboard`)).status(), 200, 'the clerk opens the dashboard');
  const clerkParts = (await clerk.locator('section.dash-part h2').allInnerTexts()).map((t) => t.trim());
  for (const want of ['各章節應辦事項', '逾期及 30 日內到期之應辦事項']) {
    assert.ok(clerkParts.includes(want), `the clerk's dashboard has ${want}: ${JSON.stringify(clerkParts)}`);
  }
  for (const not of ['未結案事件', '風險值最高之風險']) {
    assert.ok(!clerkParts.includes(not), `the clerk's dashboard has no ${not}: ${JSON.stringify(clerkParts)}`);
  }
  assert.equal(await clerk.locator('table.ir-open, table.dash-risks').count(), 0, 'no incident or risk table');
  assert.ok(!(await clerk.getByRole('main').innerText()).includes(INCIDENT), 'the incident is not named');
  await checkDuties(clerk, 'for the clerk');
  await screenshot(clerk, 'calendar-dashboard-staff.png');
  noProblems('on the clerk\'s dashboard');

  // -- 5. the CISO sees it done, then reopens it
  begin('ciso: the dashboard after the closing');
  await ciso.goto(`${base}/dashboard`);
  const after = await checkDuties(ciso, 'after the closing');
  const count9 = (occ) => occ.filter((o) => o.chapter === 9 && o.standing === 'overdue').length;
  assert.equal(count9(after), count9(before) - 1, 'one overdue duty of chapter 玖 fewer in the database');
  const overdue9 = chapterRow(ciso, 9).locator('td').nth(4);
  assert.equal((await overdue9.innerText()).trim(), String(count9(before) - 1), 'chapter 玖\'s overdue count fell by one');
  assert.equal(await nextPart(ciso).locator(`a[href="${backupPath}"]`).count(), 0, 'the backup test left the overdue list');
  noProblems('on the dashboard after the closing');

  begin('ciso: reopen the backup test');
  await ciso.goto(`${base}${backupPath}`);
  assert.equal((await recordValue(ciso, '狀態').innerText()).trim(), '已完成', 'the ciso sees it done');
  const reopenForm = ciso.locator('form[action$="/reopen"]');
  assert.equal(await reopenForm.count(), 1, 'the ciso has the reopen form');
  await reopenForm.getByLabel('重新開啟原因').fill(REASON);
  const reopenButton = reopenForm.getByRole('button', { name: '重新開啟', exact: true });
  const dialogs = [];
  let answer = 'dismiss';
  const onDialog = (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    (answer === 'accept' ? d.accept() : d.dismiss()).catch(() => {});
  };
  ciso.on('dialog', onDialog);
  let reopenPosts = 0;
  const countReopens = (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/reopen')) reopenPosts++;
  };
  ciso.on('request', countReopens);
  await reopenButton.click();
  await until(() => dialogs.length > 0, 'the reopen button should ask for confirmation (a confirm dialog)');
  assert.deepEqual(dialogs, [`confirm: ${REOPEN_CONFIRM}`], 'the confirm dialog\'s question');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(reopenPosts, 0, 'dismissed: nothing was sent');
  assert.equal(where(ciso), backupPath, 'dismissed: still on the occurrence');
  answer = 'accept';
  assert.equal(await submit(ciso, reopenButton), 200, 'status after reopening');
  assert.equal(dialogs.length, 2, 'the second click asked again');
  ciso.off('dialog', onDialog);
  ciso.off('request', countReopens);
  assert.equal(where(ciso), backupPath, 'reopening lands on the occurrence');
  assert.match(await recordValue(ciso, '狀態').innerText(), new RegExp(`^逾期 已逾期 ${daysOverdue} 日$`), 'overdue again');
  assert.equal(await ciso.locator('form[action$="/close"]').count(), 1, 'it can be closed again');
  const history2 = await tableRows(ciso.locator('main table.list').last());
  assert.deepEqual(history2.map((h) => [h['事項'], h['辦理人']]), [['結案', 'it1'], ['重新開啟', 'ciso1']],
    `the history keeps both steps: ${JSON.stringify(history2)}`);
  assert.ok(history2[1]['辦理情形說明'].includes(REASON), 'the history has the reason');
  noProblems('after reopening');

  begin('ciso: the dashboard after reopening');
  await ciso.goto(`${base}/dashboard`);
  const reopened = await checkDuties(ciso, 'after reopening');
  assert.equal(count9(reopened), count9(before), 'the overdue count of chapter 玖 is back');
  assert.equal((await overdue9.innerText()).trim(), String(count9(before)), 'the dashboard says so');
  assert.equal(await nextPart(ciso).locator(`li.overdue a[href="${backupPath}"]`).count(), 1, 'the backup test is overdue again');
  noProblems('on the dashboard after reopening');

  // -- 6. printed
  begin('print media');
  const printButton = ciso.locator('div.actions button.print');
  assert.ok(await printButton.isVisible(), 'on screen the print button shows (app.js unhides it)');
  assert.ok(await ciso.locator('nav.chapters').isVisible(), 'on screen the navigation shows');
  await ciso.emulateMedia({ media: 'print' });
  for (const [what, sel] of [['the header', 'header.top'], ['the chapter navigation', 'nav.chapters'],
    ['the print button', 'div.actions button.print']]) {
    assert.equal(await ciso.locator(sel).count(), 1, `${what} is on the page`);
    assert.ok(!(await ciso.locator(sel).isVisible()), `${what} is hidden in print`);
  }
  assert.ok(await chapterTable(ciso).isVisible(), 'the chapter table prints');
  await screenshot(ciso, 'calendar-dashboard-print.png');
  await ciso.emulateMedia({ media: 'screen' });
  noProblems('while printing');

  assert.equal(serverDied, null, `the server stopped during the test (${serverDied})`);
  return { db, id: backup.id };
}

// The audit trail holds together and has the closing and the reopening.
async function checkAudit(db, id) {
  begin('isms audit verify');
  const verify = await run(['audit', 'verify', '--db', db]);
  log(verify.out.trim());
  begin('isms audit export');
  const exported = await run(['audit', 'export', '--db', db]);
  const rows = exported.out.trim().split('\n').map((l) => JSON.parse(l));
  const mine = rows.filter((r) => r.object === `occurrence/${id}`);
  assert.deepEqual(mine.map((r) => `${r.actor}:${r.action}`), ['it1:duty-closed', 'ciso1:duty-reopened'],
    'the audit trail has the closing and the reopening');
}

// ---- run, always cleaning up ----------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), 'isms-e2e-'));
const cleanup = { server: null, browser: null, pages: {}, serverLog: [] };
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

let result = null;
try {
  result = await main(tmp, cleanup);
} catch (e) {
  failure = e;
  if (SHOT_DIR) {
    for (const [who, p] of Object.entries(cleanup.pages)) {
      const name = `calendar-failure-${who}.png`;
      try {
        mkdirSync(SHOT_DIR, { recursive: true });
        await p.screenshot({ path: join(SHOT_DIR, name), fullPage: true, timeout: 3000 });
        console.error(`failure screenshot: ${join(SHOT_DIR, name)} (page ${p.url()})`);
      } catch {
        // the page may be gone; the message below is what matters
      }
    }
  }
} finally {
  if (cleanup.browser) {
    await cleanup.browser.close().catch((e) => console.error(`closing the browser: ${e.message}`));
  }
  if (cleanup.server) {
    const code = await stop(cleanup.server);
    if (code !== 0 && !failure) {
      failure = new Error(`the server did not stop cleanly on SIGTERM (exit ${code})`);
    }
  }
}
// The database is read once the server has stopped.
if (!failure && result) {
  try {
    await checkAudit(result.db, result.id);
  } catch (e) {
    failure = e;
  }
}
rmSync(tmp, { recursive: true, force: true });
clearTimeout(watchdog);

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (failure) {
  console.error(`\nFAIL at step "${step}" after ${secs} s:\n${failure.stack || failure}`);
  if (cleanup.serverLog.length) {
    console.error(`\nserver stderr:\n${cleanup.serverLog.join('').slice(-4000)}`);
  }
  process.exit(1);
}
console.log(`\ndone in ${secs} s`);
console.log('calendar: 1 passed, 0 failed');
