// mask.test.mjs: the browser test of masking personal data where text
// enters isms (issue 7, part 3: "an intelligence report pasted into isms
// is stored with every personal identifier masked and every indicator
// intact").
//
// `isms init --demo` gives the reference agency; the test adds officer1
// (資通安全專職人員) and prot1 (資安防護組).
//
// 1. officer1 opens the form of a new piece of intelligence (register
//    intel) and pastes a report that names a person (姓名：王小明), a
//    national ID, a mobile number, an e-mail address and a street address,
//    next to the indicators the report is about: an IP address, a domain,
//    a SHA-256 and a CVE id; the indicators also go, one a line, into
//    威脅指標, which is not masked.
// 2. 預覽遮蔽: the form comes back (200) with the text as typed, the note
//    that nothing was saved (it takes the keyboard focus), and the
//    preview: the masked text with a <mark> per identifier, each marked
//    as what it is, the indicators unmarked and intact, the count per
//    kind, and 取代為類別標記 chosen as the agency's default.  Nothing is
//    in the database yet.
// 3. officer1 chooses 部分遮蔽 and previews again (A12****789 ...), then
//    chooses 加密（可由授權人員還原） and presses 確認遮蔽並儲存 (with the
//    keyboard): the record's page shows encryption tokens where the
//    identifiers were and the indicators as pasted; the database (the
//    record, its history, the search index, the audit trail, and the
//    bytes of the file and its log) holds no original identifier, and
//    the key file beside it has mode 600.
// 4. officer1 reveals the field with a reason: the original text, a page
//    the browser may not cache (Cache-Control: no-store), and an audit
//    row without the text.
// 5. prot1 reads the record: tokens only, no reveal form.
// No console errors, page errors or CSP violations, and no failed page
// loads.
//
// Plain Node (no test framework): exits 0 on success, 1 with a message on
// failure.  It always stops the server, closes the browser and removes its
// temporary directory.  Drives Debian's chromium through playwright-core.
//
// Environment:
//   ISMS_BIN            the isms binary (default build/dev/isms)
//   ISMS_SOURCE         the source root (default the repository root)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   E2E_SCREENSHOT_DIR  if set, screenshots of the preview, the stored
//                       record and the revealed text (and, on failure, of
//                       the page at the failure) are copied here

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { run, serve, stop, until, focusedDescription, submit, where, BROWSER, SHOT_DIR, STEP_TIMEOUT_MS } from './lib.mjs';

const WATCHDOG_MS = 120000; // the whole test, whatever hangs
const PYTHON = '/usr/bin/python3';
const PASSWORD = 'E2e-Passw0rd!';
const MARKER = `e2e-${process.pid}-${Date.now().toString(36)}`;

// The register the report is pasted into (資通安全情資, plan 壹拾壹), its
// form's labels (from src/core/messages.def) and the values of its other
// fields: text inputs, then choices.
const REG = 'intel';
const TEXT_FIELD = 'content';
const TEXT_LABEL = '情資內容';
const OTHER_FIELDS = { 情資標題: `受駭民眾個資外洩情資（${MARKER}）`, 情資來源: 'TWCERT/CC', 接獲日期: '2026-11-20' };
const CHOICES = { 情資分類: '入侵攻擊情資', 處理情形: '新接獲' };
const IOC_LABEL = '威脅指標';

// The identifiers (from docs: a valid ID, a mobile number, an e-mail
// address, a name after 姓名：, an address) and the indicators.
const ID = { TW_ID: 'A123456789', PHONE: '0912-345-678', EMAIL: 'wang.xm@example.com',
  NAME: '王小明', ADDRESS: '臺北市中正區重慶南路一段122號5樓' };
const INDICATORS = ['203.0.113.45', 'update-check.example.net',
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'CVE-2024-3400'];
const REPORT = [
  `情資來源：TWCERT/CC 分享（${MARKER}）`,
  `受駭民眾：姓名：${ID.NAME}，身分證 ${ID.TW_ID}，手機 ${ID.PHONE}，電子郵件 ${ID.EMAIL}，`,
  `地址：${ID.ADDRESS}。`,
  `入侵指標：來源 ${INDICATORS[0]}，中繼站網域 ${INDICATORS[1]}，`,
  `樣本 SHA-256 ${INDICATORS[2]}，利用漏洞 ${INDICATORS[3]}。`,
].join('\n');
// What the preview marks, in order, and the count per kind it shows.
const KINDS = { NAME: '姓名', TW_ID: '身分證統一編號', PHONE: '電話號碼', EMAIL: '電子郵件', ADDRESS: '地址' };
const ORDER = ['NAME', 'TW_ID', 'PHONE', 'EMAIL', 'ADDRESS'];
const REVEAL_REASON = `警方來函調查（${MARKER}）`;

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

// No original identifier in the tables masking guards, nor in the bytes
// of the database and its log (the search index folds to lower case).
async function assertNowhere(db, whereText) {
  for (const table of [REG, `${REG}_fts`, 'reg_history', 'audit_event']) {
    const text = JSON.stringify(await dbQuery(db, `SELECT * FROM ${table}`));
    for (const [kind, v] of Object.entries(ID)) {
      assert.ok(!text.includes(v) && !text.includes(v.toLowerCase()), `${whereText}: ${table} holds the ${kind} ${v}`);
    }
  }
  for (const file of [db, `${db}-wal`]) {
    let bytes;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    for (const [kind, v] of Object.entries(ID)) {
      assert.equal(bytes.indexOf(Buffer.from(v)), -1, `${whereText}: ${file} holds the ${kind}`);
      assert.equal(bytes.indexOf(Buffer.from(v.toLowerCase())), -1, `${whereText}: ${file} holds the ${kind} (lower case)`);
    }
  }
}

// `s` as a regular expression that matches it literally.
function re(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The form control labelled `label` (followed by the required mark or
// nothing: 情資內容 is not 情資內容類型).
function field(page, label) {
  return page.getByLabel(new RegExp(`^${re(label)}(（必填）)?$`));
}

// The <dd> after the record's <dt> whose text is `label`.
function recordValue(page, label) {
  return page.locator('dl.record > dt', { hasText: new RegExp(`^${re(label)}$`) }).locator('xpath=following-sibling::dd[1]');
}

async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}

// Presses Tab until `locator` has the focus (at most `max` presses).
async function tabTo(page, locator, what, max = 80) {
  let tabs = 0;
  await until(async () => {
    if (await isFocused(locator)) return true;
    if (++tabs > max) throw new Error(`not reached after ${max} Tab presses`);
    await page.keyboard.press('Tab');
    return false;
  }, async () => `Tab should reach ${what}, focus is on ${await focusedDescription(page)}`, 15000);
}

// The preview panel of the text field: its marks (kind and text), its
// counts and the operator chosen.
async function preview(page) {
  const panel = page.locator(`section.mask-preview#mp-${TEXT_FIELD}`);
  await panel.waitFor();
  const marks = await panel.locator('.masked mark').evaluateAll((els) =>
    els.map((m) => ({ kind: m.dataset.entity, text: m.textContent })));
  const counts = Object.fromEntries(await panel.locator('.mask-counts span[data-entity]').evaluateAll((els) =>
    els.map((s) => [s.dataset.entity, s.textContent])));
  const masked = await panel.locator('.masked').innerText();
  const chosen = await panel.getByLabel('遮蔽方式').evaluate((s) => s.options[s.selectedIndex].text);
  return { panel, marks, counts, masked, chosen };
}

// ---- the test ------------------------------------------------------------

async function main(tmp, cleanup) {
  const db = join(tmp, 'e2e.db');
  const serverLog = [];
  cleanup.serverLog = serverLog;

  begin('isms init --demo');
  await run(['init', '--db', db, '--demo']);
  begin('isms user add officer1, prot1');
  const otpOf = async (login, name, role) => {
    const added = await run(['user', 'add', login, '--name', name, '--role', role, '--db', db]);
    return added.out.trim().split('\n').pop().trim();
  };
  const officerOtp = await otpOf('officer1', '資安專職人員', 'officer');
  const protOtp = await otpOf('prot1', '資安防護組員', 'protection');

  begin('isms serve');
  const { proc, port } = await serve(db, serverLog);
  cleanup.server = proc;
  const base = `http://127.0.0.1:${port}`;
  log(`server on ${base}`);
  const before = (await dbQuery(db, `SELECT count(*) FROM ${REG}`))[0][0];

  begin('launch chromium');
  const browser = await chromium.launch({
    executablePath: BROWSER,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  cleanup.browser = browser;

  const problems = [];
  const newPage = async (who) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-TW' });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    await context.exposeBinding('__e2eCspViolation', (_src, v) => {
      problems.push(`[${step}] ${who}: CSP violation: ${v.directive} blocked ${v.blocked} at ${v.source}`);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__e2eCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI || '(inline)',
          source: `${e.sourceFile}:${e.lineNumber}` });
      });
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`[${step}] ${who}: console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`[${step}] ${who}: page error: ${e.message}`));
    page.on('response', (r) => {
      if ((r.request().isNavigationRequest() || r.url().startsWith(`${base}/static/`)) && r.status() >= 400) {
        problems.push(`[${step}] ${who}: HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
      }
    });
    page.on('requestfailed', (r) => problems.push(`[${step}] ${who}: request failed: ${r.url().slice(0, 80)}`));
    page.on('dialog', (d) => {
      problems.push(`[${step}] ${who}: unexpected ${d.type()} dialog: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    cleanup.pages[who] = page;
    return page;
  };
  const noProblems = (whereText) => {
    assert.deepEqual(problems, [], `console errors, page errors, CSP violations or failed loads ${whereText}`);
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
  const signIn = async (page, login, otp) => {
    await page.goto(`${base}/login`);
    await page.getByLabel('使用者 ID').fill(login);
    await page.getByLabel('通行碼', { exact: true }).fill(otp);
    await submit(page, page.getByRole('button', { name: '登入', exact: true }));
    assert.equal(where(page), '/account/password', `${login}: the one-time password leads to the password change`);
    await page.getByLabel('目前通行碼').fill(otp);
    await page.getByLabel('新通行碼', { exact: true }).fill(PASSWORD);
    await page.getByLabel('再次輸入新通行碼').fill(PASSWORD);
    await submit(page, page.getByRole('button', { name: '變更通行碼' }));
    assert.equal(where(page), '/account?changed=1', `${login}: the password was changed`);
  };

  // ---- 1. paste the report ----
  begin('officer1 signs in and opens the new-record form');
  const off = await newPage('officer1');
  await signIn(off, 'officer1', officerOtp);
  await off.goto(`${base}/r/${REG}/new`);
  for (const [label, value] of Object.entries(OTHER_FIELDS)) {
    await field(off, label).fill(value);
  }
  for (const [label, option] of Object.entries(CHOICES)) {
    await field(off, label).selectOption({ label: option });
  }
  await field(off, IOC_LABEL).fill(INDICATORS.join('\n'));
  const text = field(off, TEXT_LABEL);
  await text.focus();
  await off.keyboard.insertText(REPORT); // as a paste does: one input event
  assert.equal(await text.inputValue(), REPORT, 'the report is in the field');

  // ---- 2. the preview ----
  begin('officer1: 預覽遮蔽');
  assert.equal(await submit(off, off.getByRole('button', { name: '預覽遮蔽' })), 200, 'a preview is a 200');
  assert.equal(where(off), `/r/${REG}`, 'the form posted to the register');
  assert.match(await off.locator('.mask-pending').innerText(), /內容含有個人資料，尚未儲存/, 'the page says nothing was saved');
  await until(() => isFocused(off.locator('.mask-pending')), async () =>
    `the note should take the focus, focus is on ${await focusedDescription(off)}`);
  assert.equal(await text.inputValue(), REPORT, 'the text is in the form as typed');
  let p = await preview(off);
  assert.deepEqual(p.marks.map((m) => m.kind), ORDER, `the identifiers are marked, in order: ${JSON.stringify(p.marks)}`);
  assert.deepEqual(p.marks.map((m) => m.text), ORDER.map((k) => `<${k}>`), 'each replaced by its kind');
  for (const v of Object.values(ID)) assert.ok(!p.masked.includes(v), `the preview does not show ${v}`);
  for (const v of INDICATORS) assert.ok(p.masked.includes(v), `the indicator ${v} is kept`);
  assert.deepEqual(p.counts, Object.fromEntries(ORDER.map((k) => [k, `${KINDS[k]} 1 處`])), 'one of each kind');
  assert.equal(p.chosen, '取代為類別標記', 'the agency\'s default is chosen');
  assert.equal(await off.getByRole('button', { name: '確認遮蔽並儲存' }).count(), 1, 'the confirm button');
  assert.equal(await off.getByRole('button', { name: '儲存', exact: true }).count(), 0, 'no plain save button');
  assert.equal((await dbQuery(db, `SELECT count(*) FROM ${REG}`))[0][0], before, 'nothing was stored');
  await assertNowhere(db, 'after the preview');
  await screenshot(off, 'mask-preview.png');
  noProblems('on the preview');

  // ---- 3. choose an operator, confirm ----
  begin('officer1: 部分遮蔽, previewed');
  await p.panel.getByLabel('遮蔽方式').selectOption({ label: '部分遮蔽' });
  assert.equal(await submit(off, off.getByRole('button', { name: '預覽遮蔽' })), 200, 'the second preview');
  p = await preview(off);
  assert.equal(p.chosen, '部分遮蔽', 'the choice is kept');
  const partial = Object.fromEntries(p.marks.map((m) => [m.kind, m.text]));
  assert.equal(partial.TW_ID, 'A12****789', 'a partly masked ID');
  assert.equal(partial.PHONE, '0912*****678', 'a partly masked mobile number');
  for (const v of Object.values(ID)) assert.ok(!p.masked.includes(v), `the preview does not show ${v}`);

  begin('officer1: 加密, 確認遮蔽並儲存 with the keyboard');
  await p.panel.getByLabel('遮蔽方式').selectOption({ label: '加密（可由授權人員還原）' });
  const confirm = off.getByRole('button', { name: '確認遮蔽並儲存' });
  await tabTo(off, confirm, 'the 確認遮蔽並儲存 button');
  await off.evaluate(() => (window.__e2eOld = true));
  await off.keyboard.press('Enter');
  await until(() => off.evaluate(() => !window.__e2eOld && document.readyState === 'complete').catch(() => false),
    'no page after confirming');
  const m = where(off).match(new RegExp(`^/r/${REG}/(\\d+)$`));
  assert.ok(m, `confirming lands on the new record: ${where(off)}`);
  const id = Number(m[1]);
  const shown = await recordValue(off, TEXT_LABEL).innerText();
  for (const k of ORDER) assert.match(shown, new RegExp(`<${k}:e:[a-zA-F]+>`), `the record shows the ${k} encrypted`);
  for (const v of Object.values(ID)) assert.ok(!shown.includes(v), `the record does not show ${v}`);
  for (const v of INDICATORS) assert.ok(shown.includes(v), `the record keeps the indicator ${v}`);
  const [stored, iocs] = (await dbQuery(db, `SELECT ${TEXT_FIELD}, indicators FROM ${REG} WHERE id = ?`, [id]))[0];
  assert.equal(stored.split('\n').length, REPORT.split('\n').length, 'the lines are kept');
  for (const v of INDICATORS) assert.ok(stored.includes(v), `the database keeps the indicator ${v}`);
  assert.equal(iocs, INDICATORS.join('\n'), 'the indicators field as typed');
  const iocShown = await recordValue(off, IOC_LABEL).innerText();
  for (const v of INDICATORS) assert.ok(iocShown.includes(v), `the record lists the indicator ${v}`);
  await assertNowhere(db, 'after saving');
  const key = statSync(`${db}.maskkey`);
  assert.equal(key.mode & 0o777, 0o600, 'the key file beside the database is the owner\'s only');
  await screenshot(off, 'mask-stored.png');
  noProblems('on the stored record');

  // ---- 4. reveal ----
  begin('officer1 reveals the field');
  const form = recordValue(off, TEXT_LABEL).locator('form.reveal');
  await form.getByLabel('還原事由').fill(REVEAL_REASON);
  const [resp] = await Promise.all([
    off.waitForResponse((r) => r.url() === `${base}/r/${REG}/${id}/reveal`),
    submit(off, form.getByRole('button', { name: '還原加密內容' })),
  ]);
  assert.equal(resp.status(), 200, 'the reveal is a 200');
  assert.equal(resp.headers()['cache-control'], 'no-store', 'the browser may not cache it');
  assert.equal((await off.locator('.revealed').innerText()).trim(), REPORT, 'the original text');
  assert.match(await off.locator('p.notice').innerText(), /已還原 5 處加密內容（共 5 處）/, 'five values revealed');
  await screenshot(off, 'mask-revealed.png');
  const audit = await dbQuery(db, 'SELECT actor, action, object, detail FROM audit_event WHERE action = ?', ['mask-reveal']);
  assert.deepEqual(audit, [['officer1', 'mask-reveal', `${REG}/${id}`, `${TEXT_FIELD}; 5/5; ${REVEAL_REASON}`]],
    'the reveal is audited, without the text');
  await assertNowhere(db, 'after the reveal');
  noProblems('on the revealed text');

  // ---- 5. another role ----
  begin('prot1 reads the record');
  const prot = await newPage('prot1');
  await signIn(prot, 'prot1', protOtp);
  await prot.goto(`${base}/r/${REG}/${id}`);
  const protShown = await recordValue(prot, TEXT_LABEL).innerText();
  assert.match(protShown, /<TW_ID:e:[a-zA-F]+>/, 'prot1 sees the tokens');
  for (const v of Object.values(ID)) assert.ok(!protShown.includes(v), `prot1 does not see ${v}`);
  assert.equal(await prot.locator('form.reveal').count(), 0, 'prot1 is offered no reveal');
  noProblems('for prot1');
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

try {
  await main(tmp, cleanup);
} catch (e) {
  failure = e;
  if (SHOT_DIR) {
    for (const [who, pg] of Object.entries(cleanup.pages)) {
      const name = `mask-failure-${who}.png`;
      try {
        mkdirSync(SHOT_DIR, { recursive: true });
        await pg.screenshot({ path: join(SHOT_DIR, name), fullPage: true, timeout: 3000 });
        console.error(`failure screenshot: ${join(SHOT_DIR, name)} (page ${pg.url()})`);
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
// The server's log never holds an original either.
if (!failure) {
  const logText = cleanup.serverLog.join('');
  for (const [kind, v] of Object.entries(ID)) {
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
console.log('mask: 1 passed, 0 failed');
