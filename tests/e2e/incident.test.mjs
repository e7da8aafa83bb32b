// incident.test.mjs: the browser test of an incident from the report to
// its closing (issue 5: report → assess → notify → recover → report →
// close).
//
// `isms init --demo` gives the reference agency, with no incidents.  A
// clerk (role staff) follows the home page's 通報疑似資通安全事件 link with
// the keyboard, reports 官網首頁遭置換 and sees 已送出; the clerk cannot
// open the incident register (403).  The security officer's home page
// says one incident is open; the list of open incidents shows it with the
// one-hour notification clock running, and its page says 已登錄，尚未通報
// with the clocks table.  On 事件等級評估 the officer ticks the matrix cell
// 核心業務資訊或核心資通系統 × 遭輕微竄改 (labels from
// data/rules/incident.json, the set in force today) and sees 第二級 with
// the deciding article; the containment clock is then due 72 h after
// awareness.  The officer records the notification (channel, reference
// number), a 損害控制 timeline entry and the recovery (the clocks say 如期
// 完成), fills the report's fields in the register's edit form, records
// the report and closes the incident.  A second timeline entry (證據保全)
// is pasted with a national ID, a mobile number and an e-mail address
// next to the indicators it is about: saving it shows the masking preview
// instead (the note that nothing was saved takes the focus, the entry is
// not in the timeline yet), and 確認遮蔽並儲存 stores it with <TW_ID>,
// <PHONE> and <EMAIL> in their places and the indicators intact; neither
// the timeline, the report nor the database (its bytes, read once the
// server has stopped) nor the server's log holds an original.  The report downloads as ODT and PDF
// (200, the right types, the ODT's text complete); the closed incident's
// page says it is locked and offers no edit or archive, and an edit form
// opened by its address is refused on save with 此事件已結案，不可修改.
// Last, the CISO, in a second
// browser context, sees the incident read-only: no step or timeline
// forms, no edit button, the matrix disabled.  No console errors, page
// errors or CSP violations, and no failed page loads but the expected
// 403 and 409.
//
// Plain Node (no test framework): exits 0 on success, 1 with a message on
// failure.  It always stops the server, closes the browser and removes its
// temporary directory.  Drives Debian's chromium through playwright-core.
//
// Environment:
//   ISMS_BIN            the isms binary (default build/dev/isms)
//   ISMS_SOURCE         the source root (default the repository root)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   E2E_SCREENSHOT_DIR  if set, screenshots of the report form, the open
//                       list, the assessment, the closed incident and the
//                       CISO's view (and, on failure, of the page at the
//                       failure) and the two report files are copied here

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { run, serve, stop, until, focusedDescription, submit, where, SOURCE, BROWSER, SHOT_DIR, STEP_TIMEOUT_MS } from './lib.mjs';

const WATCHDOG_MS = 120000; // the whole test, whatever hangs

const TITLE = '官網首頁遭置換';
const MARKER = `e2e-${process.pid}-${Date.now().toString(36)}`;
const DESCRIPTION = `民眾來電告知機關官網首頁出現不明圖片及文字（${MARKER}）`;
const CONTACT = '資訊室 分機 123';
const CHANNEL = '國家資通安全通報應變網站';
const REFERENCE = `NCERT-${MARKER}`;
const CONTAINMENT = `暫停官網服務並改以維護頁面（${MARKER}）`;
// An evidence note pasted with personal data (masked on saving) and the
// indicators it is about (kept).
const PERSONAL = { TW_ID: 'A123456789', PHONE: '0912-345-678', EMAIL: 'wang.xm@example.com' };
const INDICATORS = ['203.0.113.45', 'update-check.example.net',
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'CVE-2024-3400'];
const EVIDENCE_NOTE = [
  `保全受害民眾來信（${MARKER}）：身分證 ${PERSONAL.TW_ID}，手機 ${PERSONAL.PHONE}，電子郵件 ${PERSONAL.EMAIL}。`,
  `來源 ${INDICATORS[0]}，中繼站 ${INDICATORS[1]}，樣本 SHA-256 ${INDICATORS[2]}，利用 ${INDICATORS[3]}。`,
].join('\n');
const EVIDENCE_MASKED = EVIDENCE_NOTE.replace(PERSONAL.TW_ID, '<TW_ID>').replace(PERSONAL.PHONE, '<PHONE>')
  .replace(PERSONAL.EMAIL, '<EMAIL>');
const PASSWORD = 'E2e-Passw0rd!';
// What the officer writes into the report's fields (the edit form's
// labels, from src/core/messages.def).
const REPORT_FIELDS = {
  應變小組成員: '資訊室主任、資安專職人員二名',
  因應事件所採取之措施: '隔離網頁伺服器，自備份還原網站內容並更換管理帳號通行碼',
  事件影響之範圍及損害評估: '僅官網首頁遭置換約 2 小時，未發現個人資料外洩',
  事件根因分析: `內容管理系統外掛未更新，遭利用已知漏洞上傳網頁（${MARKER}）`,
  '防範類似事件再次發生之措施（管理、技術、人力或資源）': '建立外掛更新程序並每週檢查，啟用網頁防竄改監控',
  前項措施之預定完成時程及成效追蹤機制: '一個月內完成，由資安專職人員每月追蹤',
};

// The incident rules in force today (Taipei), as the server picks them.
const incidentRules = JSON.parse(readFileSync(join(SOURCE, 'data', 'rules', 'incident.json'), 'utf8'));
const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const law = incidentRules.sets.find((s) => s.effective <= today && (!s.until || today <= s.until));
const KIND = law && law.kinds.find((k) => k.id === 'core');
const IMPACT = law && law.impacts.find((i) => i.id === 'tamper_minor');
// The highest-level row that the one fact matches decides.
const DECIDING = law && law.rows
  .filter((r) => r.kinds.includes('core') && r.impacts.includes('tamper_minor'))
  .sort((a, b) => b.level - a.level)[0];
const LEVEL = DECIDING && law.levels.find((l) => l.level === DECIDING.level);

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

// The files of a zip archive (an ODT): name → contents (Buffer).  Enough
// of the format for what libzip writes: stored or deflated entries, read
// through the central directory.
function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'the ODT is a zip archive (end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, `zip central directory entry ${i}`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated (method ${method})`);
    files[name] = method === 0 ? data : inflateRawSync(data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

// ---- the test ------------------------------------------------------------

async function main(tmp, cleanup) {
  assert.ok(law, `data/rules/incident.json has a rule set in force on ${today}`);
  assert.ok(KIND && IMPACT && DECIDING && LEVEL, `the ${law.name} rules have core × tamper_minor and a row for it`);
  assert.equal(LEVEL.name, '第二級', 'a minor tampering of a core system is level 2');
  log(`rules ${law.name}: ${KIND.name}／${IMPACT.name} → ${LEVEL.name} (${DECIDING.article})`);

  const db = join(tmp, 'e2e.db');
  const serverLog = [];
  cleanup.serverLog = serverLog;

  begin('isms init --demo');
  await run(['init', '--db', db, '--demo']);
  begin('isms user add clerk1, officer1, ciso1');
  const otpOf = async (login, name, role) => {
    const added = await run(['user', 'add', login, '--name', name, '--role', role, '--db', db]);
    const otp = added.out.trim().split('\n').pop().trim();
    assert.ok(otp.length >= 12 && !/\s/.test(otp), `one-time password of ${login}: ${JSON.stringify(otp)}`);
    return otp;
  };
  const clerkOtp = await otpOf('clerk1', '業務承辦人', 'staff');
  const officerOtp = await otpOf('officer1', '資安專職人員', 'officer');
  const cisoOtp = await otpOf('ciso1', '資安長', 'ciso');

  begin('isms serve');
  const { proc, port } = await serve(db, serverLog);
  cleanup.server = proc;
  let serverDied = null;
  proc.on('exit', (code, sig) => (serverDied = code ?? sig));
  const base = `http://127.0.0.1:${port}`;
  log(`server on ${base}`);

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
  // An expected error status (the clerk's 403, the locked edit's 409) is
  // allowed explicitly, in its step only.
  const problems = [];
  let allowStatus = null;
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
      problems.push(`[${step}] ${who}: request failed: ${r.url().slice(0, 80)} (${r.failure()?.errorText})`);
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

  // -- 1. the clerk reports, with the keyboard from the home page
  begin('clerk signs in');
  const clerk = await newPage('clerk');
  cleanup.pages.clerk = clerk;
  await signIn(clerk, 'clerk1', clerkOtp);
  assert.equal(await clerk.locator('.ir-alert').count(), 0, 'the clerk is not shown the open incidents');
  noProblems('while the clerk signs in');

  begin('clerk: 通報疑似資通安全事件 with the keyboard');
  const reportLink = clerk.getByRole('main').getByRole('link', { name: '通報疑似資通安全事件', exact: true });
  assert.equal(await reportLink.count(), 1, 'the home page has the link to report an incident');
  let tabs = 0;
  await until(async () => {
    if (await reportLink.evaluate((el) => el === document.activeElement)) return true;
    if (++tabs > 150) throw new Error(`not reached after ${tabs - 1} Tab presses`);
    await clerk.keyboard.press('Tab');
    return false;
  }, async () => `Tab should reach 通報疑似資通安全事件, focus is on ${await focusedDescription(clerk)}`, 15000);
  log(`reached with ${tabs} Tab press(es)`);
  await clerk.keyboard.press('Enter');
  await clerk.waitForURL(`${base}/incident/report`);
  await clerk.getByRole('heading', { level: 1, name: '通報疑似資通安全事件' }).waitFor();
  const noticed = clerk.getByLabel('發現時間');
  assert.match(await noticed.inputValue(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'the time noticed is filled in (now, Taipei)');
  noProblems('on the report form');

  begin('clerk: report 官網首頁遭置換');
  await clerk.getByLabel('事件名稱').fill(TITLE);
  await clerk.getByLabel('狀況之描述').fill(DESCRIPTION);
  await clerk.getByLabel('聯絡方式').fill(CONTACT);
  await screenshot(clerk, 'incident-report-form.png');
  assert.equal(await submit(clerk, clerk.getByRole('button', { name: '送出通報', exact: true })), 200,
    'status after sending the report');
  assert.equal(where(clerk), '/incident/report?sent=1', 'the clerk comes back to the form');
  assert.match(await clerk.getByRole('status').filter({ hasText: '已送出' }).innerText(), /已送出/,
    'the form says 已送出');
  assert.equal(await clerk.getByLabel('事件名稱').inputValue(), '', 'the form is empty again');
  noProblems('after sending the report');

  begin('clerk: /r/incident is refused');
  allowStatus = 403;
  const denied = await clerk.goto(`${base}/r/incident`);
  assert.equal(denied.status(), 403, 'the clerk gets 403 on the incident register');
  assert.match(await clerk.getByRole('main').innerText(), /您的角色沒有此項權限。/, 'the 403 page says why');
  assert.doesNotMatch(await clerk.content(), new RegExp(MARKER), 'the 403 page shows nothing of the incident');
  noProblems('on the 403 page', { expect: 403 });
  allowStatus = null;

  // -- 2. the officer: home page, open list, the incident
  begin('officer signs in');
  const page = await newPage('officer');
  cleanup.pages.officer = page;
  await signIn(page, 'officer1', officerOtp);
  const alert = page.locator('p.ir-alert[role=status]');
  assert.match(await alert.innerText(), /未結案之資通安全事件 1 件，其中 0 件有法定時限已逾期。/,
    'the home page says one incident is open');
  noProblems('while the officer signs in');

  begin('open incidents');
  await alert.getByRole('link', { name: '未結案事件', exact: true }).click();
  await page.waitForURL(`${base}/r/incident/open`);
  await page.getByRole('heading', { level: 1, name: '未結案事件' }).waitFor();
  const openTable = page.locator('table.ir-open');
  const open = await tableRows(openTable);
  assert.equal(open.length, 1, `one open incident: ${JSON.stringify(open)}`);
  assert.equal(open[0]['事件名稱'], TITLE, 'the open list shows the clerk\'s incident');
  assert.equal(open[0]['事件等級'], '未評定', 'not assessed yet');
  assert.equal(open[0]['處理狀態'], '已登錄，尚未通報', 'status in the open list');
  assert.match(open[0]['通報'], /^剩餘 0 小時 (59|58|57) 分$/, 'the one-hour notification clock runs');
  assert.equal(open[0]['完成損害控制或復原'], '—', 'the containment clock waits for the level');
  assert.equal(open[0]['調查、處理及改善報告'], '—', 'the report clock waits for the recovery');
  const notifyCell = openTable.locator('tbody tr').first().locator('td').nth(4);
  assert.equal(await notifyCell.getAttribute('class'), 'clock running', 'the notification cell is marked running');
  await screenshot(page, 'incident-open.png');
  noProblems('on the open list');

  begin('the incident page');
  await openTable.getByRole('link', { name: TITLE, exact: true }).click();
  await page.waitForURL(/\/r\/incident\/\d+$/);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  const recordPath = new URL(page.url()).pathname;
  const id = recordPath.split('/').pop();
  assert.equal((await recordValue(page, '處理狀態').innerText()).trim(), '已登錄，尚未通報', 'status on the incident page');
  assert.equal((await recordValue(page, '通報人').innerText()).trim(), 'clerk1', 'the clerk is the reporter');
  assert.match(await recordValue(page, '狀況之描述').innerText(), new RegExp(MARKER), 'the description is kept');
  const aware = await recordValue(page, '知悉時間').locator('time').getAttribute('datetime');
  const awareMs = Date.parse(aware);
  assert.ok(Number.isFinite(awareMs) && Math.abs(Date.now() - awareMs) < 5 * 60 * 1000,
    `the time of awareness is now: ${aware}`);
  const clocks = page.locator('table.clocks');
  const clockRow = (name) => clocks.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) });
  const due = async (name) => clockRow(name).locator('time').first().getAttribute('datetime');
  const utc = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  assert.equal(await clockRow('通報').getAttribute('class'), 'clock running', 'the notification clock runs');
  assert.equal(await due('通報'), utc(awareMs + 3600 * 1000), 'notification due 1 h after awareness');
  assert.match(await clockRow('通報').innerText(), /剩餘 0 小時 \d+ 分/, 'the notification clock shows the time left');
  assert.match(await clockRow('通報').innerText(), new RegExp(re(law.clocks.notify.article)), 'the notification clock cites its article');
  assert.equal(await clockRow('完成損害控制或復原').getAttribute('class'), 'clock waiting', 'containment waits for the level');
  assert.match(await clockRow('完成損害控制或復原').innerText(), /評定等級後起算顯示/, 'containment says it waits for the level');
  assert.equal(await clockRow('調查、處理及改善報告').getAttribute('class'), 'clock waiting', 'the report waits for the recovery');
  noProblems('on the incident page');

  // -- 3. the level assessment
  begin('事件等級評估');
  await page.locator('div.actions').getByRole('link', { name: '事件等級評估', exact: true }).click();
  await page.waitForURL(`${base}${recordPath}/assess`);
  await page.getByRole('heading', { level: 1, name: '事件等級評估' }).waitFor();
  assert.match(await page.getByRole('main').innerText(), new RegExp(re(law.title)),
    'the assessment names the rules in force');
  const cells = page.locator('table.ir-matrix tbody input[type=checkbox]');
  assert.equal(await cells.count(), law.kinds.length * law.impacts.length, 'one checkbox per matrix cell');
  const cell = page.getByRole('checkbox', { name: `${KIND.name}／${IMPACT.name}`, exact: true });
  assert.equal(await cell.count(), 1, `the matrix has the cell ${KIND.name}／${IMPACT.name}`);
  assert.ok(!(await cell.isChecked()), 'nothing is ticked before the first assessment');
  await cell.check();
  assert.equal(await submit(page, page.getByRole('button', { name: '儲存評估', exact: true })), 200,
    'status after saving the assessment');
  assert.equal(where(page), `${recordPath}/assess`, 'saving lands on the assessment');
  const summary = page.locator('p.summary[role=status]');
  const said = await summary.innerText();
  assert.match(said, new RegExp(`事件等級：${LEVEL.name}`), `the level is ${LEVEL.name}: ${JSON.stringify(said)}`);
  assert.match(said, new RegExp(`判定依據：${re(DECIDING.article)} ${re(DECIDING.text)}`), 'the deciding article and row are shown');
  assert.ok(await cell.isChecked(), 'the ticked cell stays ticked');
  assert.equal(await page.locator('table.ir-matrix input:checked').count(), 1, 'only that cell is ticked');
  await screenshot(page, 'incident-assess.png');
  noProblems('on the assessment');

  begin('the containment clock');
  await page.locator('p.crumbs').getByRole('link', { name: TITLE, exact: true }).click();
  await page.waitForURL(`${base}${recordPath}`);
  assert.match(await recordValue(page, '事件等級').innerText(), new RegExp(LEVEL.name), 'the incident page has the level');
  assert.equal(await due('完成損害控制或復原'), utc(awareMs + LEVEL.contain_hours * 3600 * 1000),
    `containment due ${LEVEL.contain_hours} h after awareness`);
  assert.equal(LEVEL.contain_hours, 72, 'level 2 has 72 hours to contain');
  assert.equal(await clockRow('完成損害控制或復原').getAttribute('class'), 'clock running', 'the containment clock runs');
  assert.match(await clockRow('完成損害控制或復原').innerText(), /剩餘 (2 天 2[23]|3 天 0) 小時/, 'about 3 days left');
  noProblems('on the incident page after the assessment');

  // -- 4. the steps, the timeline and the report's fields
  const stepForm = page.locator('form[action$="/step"]');
  const recordStep = async (label, extra = {}) => {
    await page.locator('details.ir-form summary', { hasText: '登錄處理步驟' }).click();
    await stepForm.getByLabel('步驟').selectOption({ label });
    for (const [k, v] of Object.entries(extra)) await stepForm.getByLabel(k).fill(v);
    assert.equal(await submit(page, stepForm.getByRole('button', { name: '儲存', exact: true })), 200,
      `status after recording ${label}`);
    assert.equal(where(page), recordPath, `recording ${label} lands on the incident`);
  };

  begin('step: 已通報');
  await recordStep('已通報（含續行通報）', { 通報管道: CHANNEL, '通報單編號／文號': REFERENCE });
  assert.equal((await recordValue(page, '處理狀態').innerText()).trim(), '已通報', 'status 已通報');
  assert.equal(await clockRow('通報').getAttribute('class'), 'clock met', 'notified in time');
  assert.match(await clockRow('通報').innerText(), /如期完成/, 'the notification clock says 如期完成');
  const steps = page.locator('ol.ir-steps li');
  assert.equal(await steps.count(), 1, 'one step recorded');
  const first = await steps.first().innerText();
  for (const want of ['已通報（含續行通報）', LEVEL.name, CHANNEL, REFERENCE, 'officer1']) {
    assert.ok(first.includes(want), `the step shows ${want}: ${JSON.stringify(first)}`);
  }
  noProblems('after the notification');

  begin('timeline: 損害控制');
  await page.locator('details.ir-form summary', { hasText: '新增時間軸紀錄' }).click();
  const eventForm = page.locator('form[action$="/timeline"]');
  await eventForm.getByLabel('類別').selectOption({ label: '損害控制' });
  await eventForm.getByLabel('內容').fill(CONTAINMENT);
  assert.equal(await submit(page, eventForm.getByRole('button', { name: '儲存', exact: true })), 200,
    'status after adding to the timeline');
  const timeline = await tableRows(page.locator('table.ir-timeline'));
  assert.equal(timeline.length, 1, `one timeline entry: ${JSON.stringify(timeline)}`);
  assert.deepEqual([timeline[0]['類別'], timeline[0]['內容'], timeline[0]['紀錄人']], ['損害控制', CONTAINMENT, 'officer1'],
    'the timeline shows the entry');
  noProblems('after the timeline entry');

  begin('timeline: 證據保全 pasted with personal data, previewed');
  await page.locator('details.ir-form summary', { hasText: '新增時間軸紀錄' }).click();
  await eventForm.getByLabel('類別').selectOption({ label: '證據保全' });
  const noteField = eventForm.getByLabel('內容', { exact: true });
  await noteField.focus();
  await page.keyboard.insertText(EVIDENCE_NOTE); // as a paste does
  assert.equal(await submit(page, eventForm.getByRole('button', { name: '儲存', exact: true })), 200,
    'the entry with personal data comes back as a preview');
  assert.equal(where(page), `${recordPath}/timeline`, 'the form posted to the timeline');
  assert.match(await page.locator('.mask-pending').innerText(), /內容含有個人資料，尚未儲存/, 'the page says nothing was saved');
  await until(() => page.locator('.mask-pending').evaluate((el) => el === document.activeElement), async () =>
    `the note should take the focus, focus is on ${await focusedDescription(page)}`);
  assert.equal(await noteField.inputValue(), EVIDENCE_NOTE, 'the text is in the form as pasted');
  assert.equal(await eventForm.getByLabel('類別').evaluate((s) => s.options[s.selectedIndex].text), '證據保全',
    'the kind is kept');
  const panel = eventForm.locator('section.mask-preview#mp-text');
  const marked = await panel.locator('.masked mark').evaluateAll((els) =>
    els.map((m) => [m.dataset.entity, m.textContent]));
  assert.deepEqual(marked, [['TW_ID', '<TW_ID>'], ['PHONE', '<PHONE>'], ['EMAIL', '<EMAIL>']],
    'each identifier is marked as what it is');
  const previewText = await panel.locator('.masked').innerText();
  for (const v of Object.values(PERSONAL)) assert.ok(!previewText.includes(v), `the preview does not show ${v}`);
  for (const v of INDICATORS) assert.ok(previewText.includes(v), `the preview keeps the indicator ${v}`);
  assert.equal(await panel.getByLabel('遮蔽方式').evaluate((s) => s.options[s.selectedIndex].text), '取代為類別標記',
    'the agency\'s default is chosen');
  assert.equal((await tableRows(page.locator('table.ir-timeline'))).length, 1, 'the entry is not in the timeline yet');
  await screenshot(page, 'incident-mask-preview.png');
  noProblems('on the preview of the evidence note');

  begin('timeline: 確認遮蔽並儲存');
  assert.equal(await submit(page, eventForm.getByRole('button', { name: '確認遮蔽並儲存' })), 200,
    'status after confirming');
  assert.equal(where(page), recordPath, 'confirming lands on the incident');
  const withNote = await tableRows(page.locator('table.ir-timeline'));
  assert.equal(withNote.length, 2, `two timeline entries: ${JSON.stringify(withNote)}`);
  const stored = withNote.find((row) => row['類別'] === '證據保全');
  assert.ok(stored, `the evidence note is in the timeline: ${JSON.stringify(withNote)}`);
  assert.equal(stored['內容'], EVIDENCE_MASKED, 'the timeline shows tokens where the identifiers were');
  noProblems('after confirming the evidence note');

  begin('step: 完成損害控制或復原');
  await recordStep('完成損害控制或復原');
  assert.equal((await recordValue(page, '處理狀態').innerText()).trim(), '已完成損害控制或復原', 'status recovered');
  for (const name of ['通報', '完成損害控制或復原']) {
    assert.equal(await clockRow(name).getAttribute('class'), 'clock met', `${name}: done in time`);
    assert.match(await clockRow(name).innerText(), /如期完成/, `${name} says 如期完成`);
  }
  assert.equal(await clockRow('調查、處理及改善報告').getAttribute('class'), 'clock running', 'the report clock starts');
  assert.match(await clockRow('調查、處理及改善報告').innerText(), /剩餘 \d+ 天 \d+ 小時/, 'a month or so left for the report');
  noProblems('after the recovery');

  begin('edit the report fields');
  await page.locator('div.actions').getByRole('link', { name: '編輯', exact: true }).click();
  await page.waitForURL(`${base}${recordPath}/edit`);
  await page.getByRole('heading', { level: 1, name: /^編輯/ }).waitFor();
  for (const [label, text] of Object.entries(REPORT_FIELDS)) {
    await page.getByLabel(label, { exact: true }).fill(text);
  }
  assert.equal(await submit(page, page.getByRole('button', { name: '儲存', exact: true })), 200, 'status after saving the edit');
  assert.equal(where(page), recordPath, 'saving lands on the incident');
  for (const [label, text] of Object.entries(REPORT_FIELDS)) {
    assert.equal((await recordValue(page, label).innerText()).trim(), text, `${label} is saved`);
  }
  noProblems('after editing the incident');

  begin('step: 提出調查、處理及改善報告, 結案');
  await recordStep('提出調查、處理及改善報告');
  assert.equal(await clockRow('調查、處理及改善報告').getAttribute('class'), 'clock met', 'the report is in time');
  await recordStep('結案');
  assert.equal((await recordValue(page, '處理狀態').innerText()).trim(), '已結案', 'status 已結案');
  const finalClocks = await tableRows(clocks);
  assert.deepEqual(finalClocks.map((c) => c['狀態'].replace(/\s.*$/s, '')), ['如期完成', '如期完成', '如期完成'],
    `every clock met: ${JSON.stringify(finalClocks)}`);
  assert.deepEqual((await steps.allInnerTexts()).map((t) => t.split(' ')[0]),
    ['已通報（含續行通報）', '完成損害控制或復原', '提出調查、處理及改善報告', '結案'], 'the steps in order');
  assert.equal(await page.locator('form[action$="/timeline"]').count(), 0, 'a closed incident takes no timeline entries');
  assert.deepEqual(await stepForm.getByLabel('步驟').locator('option').allTextContents(), ['重新開啟'],
    'a closed incident can only be reopened');
  await screenshot(page, 'incident-closed.png');
  noProblems('after closing');

  begin('closed: not open any more');
  await page.goto(`${base}/`);
  assert.equal(await page.locator('.ir-alert').count(), 0, 'the home page no longer counts it');
  await page.goto(`${base}/r/incident/open`);
  assert.match(await page.getByRole('main').innerText(), /目前沒有未結案之事件。/, 'the open list is empty');
  await page.goto(`${base}${recordPath}`);
  noProblems('after closing, on the lists');

  // -- 5. the report as ODT and PDF
  begin('report.odt and report.pdf');
  const files = {};
  for (const [ext, type, magic] of [
    ['odt', 'application/vnd.oasis.opendocument.text', 'PK\x03\x04'],
    ['pdf', 'application/pdf', '%PDF-'],
  ]) {
    const link = page.locator('div.actions').getByRole('link', { name: `調查、處理及改善報告 ${ext.toUpperCase()}`, exact: true });
    assert.equal(await link.getAttribute('href'), `${recordPath}/report.${ext}`, `the ${ext} link`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `incident-${id}.${ext}`, `the ${ext} file name`);
    const path = join(tmp, `report.${ext}`);
    await download.saveAs(path);
    assert.equal(await download.failure(), null, `the ${ext} download completed`);
    const body = readFileSync(path);
    assert.equal(body.subarray(0, magic.length).toString('latin1'), magic, `report.${ext} starts as a ${ext} file`);
    files[ext] = body;
    const res = await page.request.get(`${base}${recordPath}/report.${ext}`);
    assert.equal(res.status(), 200, `GET report.${ext}`);
    assert.equal(res.headers()['content-type'].split(';')[0], type, `report.${ext} content type`);
    assert.match(res.headers()['content-disposition'], new RegExp(`^attachment; filename="incident-${id}\\.${ext}"$`),
      `report.${ext} is an attachment`);
    log(`report.${ext}: ${body.length} bytes`);
    if (SHOT_DIR) copyFileSync(path, join(SHOT_DIR, `incident-report.${ext}`));
  }
  const odt = unzip(files.odt);
  assert.equal(String(odt.mimetype), 'application/vnd.oasis.opendocument.text', 'the ODT mimetype entry');
  const text = String(odt['content.xml']).replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  for (const want of [TITLE, LEVEL.name, REFERENCE, CONTAINMENT, ...Object.values(REPORT_FIELDS), '<TW_ID>',
    ...INDICATORS]) {
    assert.ok(text.includes(want), `the report has ${want}`);
  }
  for (const v of Object.values(PERSONAL)) assert.ok(!text.includes(v), `the report does not hold ${v}`);
  assert.equal(law.report_items.items.length, 7, 'the report has 7 required items');
  for (const item of law.report_items.items) {
    assert.ok(text.includes(item.name), `the report has the item ${item.name}`);
  }
  for (const gap of ['（尚未填寫）', '（尚未通報）', '（尚未完成）']) {
    assert.ok(!text.includes(gap), `the report is complete: no ${gap}`);
  }
  noProblems('while downloading the report');

  // -- 6. the closed incident cannot be edited
  begin('closed: the edit is refused');
  // The page says it is locked and offers no 編輯 or 封存; an edit form
  // opened from a bookmark (or a tab left open) is refused on save.
  assert.match(await page.locator('p.locked-note').innerText(), /此事件已結案，不可修改/,
    'the closed incident says it is locked');
  assert.equal(await page.locator('div.actions').getByRole('link', { name: '編輯', exact: true }).count(), 0,
    'no 編輯 on a closed incident');
  assert.equal(await page.locator('div.actions').getByRole('button', { name: '封存', exact: true }).count(), 0,
    'no 封存 on a closed incident');
  await page.goto(`${base}${recordPath}/edit`);
  await page.getByLabel('其他相關事項', { exact: true }).fill(`結案後補充（${MARKER}）`);
  allowStatus = 409;
  assert.equal(await submit(page, page.getByRole('button', { name: '儲存', exact: true })), 409,
    'saving a closed incident is answered 409');
  const refusal = page.getByRole('alert');
  assert.match(await refusal.innerText(), /此事件已結案，不可修改/, 'the form says the incident is closed');
  noProblems('on the refused edit', { expect: 409 });
  allowStatus = null;
  await page.goto(`${base}${recordPath}`);
  assert.doesNotMatch(await recordValue(page, '其他相關事項').innerText(), /結案後補充/, 'nothing was saved');
  noProblems('after the refused edit');

  // -- 7. the CISO sees it read-only
  begin('ciso signs in');
  const ciso = await newPage('ciso');
  cleanup.pages.ciso = ciso;
  await signIn(ciso, 'ciso1', cisoOtp);
  const g = await ciso.goto(`${base}${recordPath}`);
  assert.equal(g.status(), 200, 'ciso: GET the incident');
  await ciso.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  assert.equal((await recordValue(ciso, '處理狀態').innerText()).trim(), '已結案', 'the ciso sees it closed');
  assert.equal(await ciso.locator('table.clocks tbody tr.clock.met').count(), 3, 'the ciso sees the clocks met');
  assert.equal(await ciso.locator('details.ir-form').count(), 0, 'the ciso gets no step or timeline form');
  assert.equal(await ciso.locator('form[action$="/step"], form[action$="/timeline"]').count(), 0, 'no step forms');
  assert.equal(await ciso.locator('div.actions').getByRole('link', { name: '編輯', exact: true }).count(), 0, 'no 編輯');
  assert.equal(await ciso.locator('form[action$="/archive"]').count(), 0, 'no 封存');
  assert.equal(await page.locator('form[action$="/step"]').count(), 1, 'while the officer still has the reopen form');
  await screenshot(ciso, 'incident-ciso.png');
  await ciso.locator('div.actions').getByRole('link', { name: '事件等級評估', exact: true }).click();
  await ciso.waitForURL(`${base}${recordPath}/assess`);
  assert.match(await ciso.locator('p.summary').innerText(), new RegExp(LEVEL.name), 'the ciso sees the level');
  assert.equal(await ciso.locator('form[action$="/assess"], form[action$="/level"]').count(), 0, 'the ciso gets no assessment form');
  assert.equal(await ciso.locator('table.ir-matrix input:not([disabled])').count(), 0, 'the matrix is read-only');
  assert.ok(await ciso.getByRole('checkbox', { name: `${KIND.name}／${IMPACT.name}`, exact: true }).isChecked(),
    'the ciso sees the ticked cell');
  noProblems('in the ciso\'s view');

  assert.equal(serverDied, null, `the server stopped during the test (${serverDied})`);
  return { db, id };
}

// The audit trail holds together and has the report, the assessment, the
// steps, the timeline entry and the downloads.
async function checkAudit(db, id) {
  begin('isms audit verify');
  const verify = await run(['audit', 'verify', '--db', db]);
  log(verify.out.trim());
  begin('isms audit export');
  const exported = await run(['audit', 'export', '--db', db]);
  const rows = exported.out.trim().split('\n').map((l) => JSON.parse(l));
  const mine = rows.filter((r) => ['clerk1', 'officer1', 'ciso1'].includes(r.actor));
  const summary = JSON.stringify(mine.map((r) => `${r.actor}:${r.action}:${r.object}`));
  const count = (actor, action) => mine.filter((r) => r.actor === actor && r.action === action &&
    r.object === `incident/${id}`).length;
  assert.ok(mine.some((r) => r.actor === 'clerk1' && /incident/.test(r.object)), `the clerk's report is audited: ${summary}`);
  assert.equal(count('officer1', 'incident-assess'), 1, `one assessment: ${summary}`);
  assert.equal(count('officer1', 'incident-step'), 4, `four steps: ${summary}`);
  assert.equal(count('officer1', 'incident-event'), 2, `two timeline entries: ${summary}`);
  // No original identifier of the evidence note in the database's bytes
  // (nor in its log, should one be left).
  for (const file of [db, `${db}-wal`]) {
    let bytes;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    for (const [kind, v] of Object.entries(PERSONAL)) {
      assert.equal(bytes.indexOf(Buffer.from(v)), -1, `${file} holds the ${kind} ${v}`);
    }
  }
  assert.ok(count('officer1', 'export') >= 2, `the report downloads are audited: ${summary}`);
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
      const name = `incident-failure-${who}.png`;
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
// The server's log never holds an original identifier either.
if (!failure) {
  const logText = cleanup.serverLog.join('');
  for (const [kind, v] of Object.entries(PERSONAL)) {
    if (logText.includes(v)) failure = new Error(`the server's log holds the ${kind} ${v}`);
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
console.log('incident: 1 passed, 0 failed');
