// grading.test.mjs: the browser test of grading a system, its baseline
// gaps and the asset labels (issue 4).
//
// `isms init --demo` gives the reference agency 5 systems (the website
// graded 中 and approved, 好理災 with a grading pending) and 14 assets.
// An officer opens 資通系統 from the chapter navigation, opens 公文交換系統
// and its 防護需求分級 page, rates the four dimensions with the keyboard and
// the mouse (the criterion of each choice is shown beside it, as in
// data/rules/grading.json), gives a justification and submits: the history
// shows the grading 待審查.  The CISO, in a second browser context,
// approves it.  The officer's 防護基準 page then lists the controls of the
// level (cumulative: 普 45, 中 62, 高 80 under the 115 rules), records one
// as 已實施 with evidence and sees the summary change; the agency's gap
// list (防護基準落差總表) shows the system with the same numbers.  Last, the
// asset register's 資產標籤 sheet has one label per asset, each with a QR
// code that loads and its property number; printed, the header and the
// navigation are gone and the labels sit in a 3-column grid, and the PDF
// (A4) is produced.  No console errors, page errors or CSP violations.
//
// Plain Node (no test framework): exits 0 on success, 1 with a message on
// failure.  It always stops the server, closes the browser and removes its
// temporary directory.  Drives Debian's chromium through playwright-core.
//
// Environment:
//   ISMS_BIN            the isms binary (default build/dev/isms)
//   ISMS_SOURCE         the source root (default the repository root)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   E2E_SCREENSHOT_DIR  if set, screenshots of the grading page, the
//                       baseline page and the label sheet (and, on failure,
//                       of the page at the failure) are copied here

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { run, serve, stop, until, focusedDescription, submit, where, SOURCE, BIN, BROWSER, SHOT_DIR, STEP_TIMEOUT_MS } from './lib.mjs';

const WATCHDOG_MS = 150000; // the whole test, whatever hangs

const SYSTEM = '公文交換系統';
const MARKER = `e2e-${process.pid}-${Date.now().toString(36)}`;
const JUSTIFICATION = `公文含一般公務機密，遭竄改將影響行政決策（${MARKER}）`;
const EVIDENCE = `帳號管理程序書 v2（${MARKER}）`;
const PASSWORD = 'E2e-Passw0rd!';
// The number of 附表十 controls at each level under the 115 rules (in force
// since 2026-01-07), cumulative.
const CONTROLS_115 = { 普: 45, 中: 62, 高: 80 };
const LEVELS = ['普', '中', '高'];

// The data the demo and the grading page are built from.
const gradingRules = JSON.parse(readFileSync(join(SOURCE, 'data', 'rules', 'grading.json'), 'utf8'));
const demo = JSON.parse(readFileSync(join(SOURCE, 'data', 'demo', 'reference-systems.json'), 'utf8'));
const demoAssets = demo.registers.find((r) => r.register === 'asset').rows;

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
// What looked odd but is not (yet) a failure: printed at the end.
const notes = [];
function note(msg) {
  if (!notes.includes(msg)) notes.push(msg);
}

// ---- the server --------------------------------------------------------




// ---- small helpers on top of playwright-core ---------------------------





// The text of each cell of a table's body rows, keyed by column header.
async function tableRows(table) {
  const headers = (await table.locator('thead th').allInnerTexts()).map((t) => t.trim());
  const rows = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim());
    rows.push(Object.fromEntries(headers.map((h, i) => [h, cells[i]])));
  }
  return rows;
}

// Parses "應辦控制措施 N 項：已實施 a、部分實施 b、規劃中 c、不適用 d、尚未處理 e。".
function parseSummary(text) {
  const m = text.match(/應辦控制措施 (\d+) 項：已實施 (\d+)、部分實施 (\d+)、規劃中 (\d+)、不適用 (\d+)、尚未處理 (\d+)。/);
  assert.ok(m, `the baseline summary line: ${JSON.stringify(text)}`);
  const [total, implemented, partial, planned, na, missing] = m.slice(1).map(Number);
  return { total, implemented, partial, planned, na, missing };
}

// ---- the test ------------------------------------------------------------

async function main(tmp, cleanup) {
  const db = join(tmp, 'e2e.db');
  const serverLog = [];
  cleanup.serverLog = serverLog;

  begin('isms init --demo');
  await run(['init', '--db', db, '--demo']);
  begin('isms user add officer1, ciso1');
  const otpOf = async (login, name, role) => {
    const added = await run(['user', 'add', login, '--name', name, '--role', role, '--db', db]);
    const otp = added.out.trim().split('\n').pop().trim();
    assert.ok(otp.length >= 12 && !/\s/.test(otp), `one-time password of ${login}: ${JSON.stringify(otp)}`);
    return otp;
  };
  const officerOtp = await otpOf('officer1', '承辦人', 'officer');
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
        if (r.status() >= 400) {
          problems.push(`[${step}] ${who}: HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
        }
      }
    });
    page.on('requestfailed', (r) => {
      problems.push(`[${step}] ${who}: request failed: ${r.url().slice(0, 80)} (${r.failure()?.errorText})`);
    });
    return page;
  };
  const noProblems = (whereText) => {
    assert.deepEqual(problems, [], `console errors, page errors, CSP violations or failed loads ${whereText}`);
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

  // -- 0. the officer signs in
  begin('officer signs in');
  const page = await newPage('officer');
  cleanup.page = page;
  await signIn(page, 'officer1', officerOtp);
  noProblems('while the officer signs in');

  // -- 1. 資通系統 from the chapter navigation, then 公文交換系統
  begin('navigate to 資通系統');
  const nav = page.getByRole('navigation', { name: '計畫章節' });
  const chapter7 = nav.locator('li.ch', { hasText: '柒' });
  await chapter7.getByRole('link', { name: '資通系統', exact: true }).click();
  await page.waitForURL(`${base}/r/system`);
  await page.getByRole('heading', { level: 1, name: '資通系統' }).waitFor();
  const listStatus = page.getByRole('status').filter({ hasText: '筆' });
  assert.match(await listStatus.innerText(), /共 5 筆/, 'the demo has 5 systems');
  noProblems('on the system list');

  begin(`open ${SYSTEM}`);
  // The system's own link: its business of the same name (附表1 lists
  // the systems as businesses) links /r/business/… in the same row.
  await page.locator('table.list tbody').getByRole('link', { name: SYSTEM, exact: true })
    .and(page.locator('a[href^="/r/system/"]')).click();
  await page.getByRole('heading', { level: 1, name: SYSTEM }).waitFor();
  const recordPath = new URL(page.url()).pathname;
  assert.match(recordPath, /^\/r\/system\/\d+$/, 'system record URL');
  const sysId = recordPath.split('/').pop();
  const levelOnRecord = async () =>
    (await page.locator('dl.record dt', { hasText: /^防護需求等級$/ }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
  const coreOnRecord = async () =>
    (await page.locator('dl.record dt', { hasText: /^核心資通系統$/ }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
  assert.ok(!LEVELS.includes(await levelOnRecord()), `${SYSTEM} has no level before the grading`);
  noProblems('on the system record');

  // -- 2. the grading page: criteria beside each choice, keyboard and mouse
  begin('grading page');
  await page.getByRole('main').getByRole('link', { name: '防護需求分級', exact: true }).first().click();
  await page.waitForURL(`${base}${recordPath}/grading`);
  await page.getByRole('heading', { level: 1, name: `防護需求分級：${SYSTEM}` }).waitFor();
  assert.match(await page.getByRole('main').innerText(), /尚無經核定之分級。/, 'no approved grading yet');
  const dims = gradingRules.dimensions;
  const runOn = [];
  assert.equal(dims.length, 4, 'grading.json has four dimensions');
  for (const d of dims) {
    const group = page.getByRole('group', { name: d.name });
    assert.equal(await group.getByRole('radio').count(), 3, `${d.name}: three choices`);
    for (const lv of LEVELS) {
      const choice = group.locator('label.choice').filter({ has: page.locator('strong', { hasText: new RegExp(`^${lv}$`) }) });
      assert.equal(await choice.count(), 1, `${d.name}: one choice ${lv}`);
      const radio = choice.getByRole('radio');
      const crit = choice.locator('.criterion');
      assert.equal((await crit.innerText()).trim(), d.criteria[lv].text, `${d.name} ${lv}: the criterion from grading.json`);
      assert.ok(await crit.isVisible(), `${d.name} ${lv}: the criterion is visible`);
      // Beside the choice: its text starts to the right of the radio, on
      // the radio's line (the first line box of the inline text).
      const rb = await radio.boundingBox();
      const cb = await crit.evaluate((el) => {
        const r = el.getClientRects()[0];
        return r && { x: r.x, y: r.y, width: r.width, height: r.height };
      });
      assert.ok(rb && cb && cb.x > rb.x + rb.width && cb.y < rb.y + rb.height + 4 && cb.y + cb.height > rb.y,
        `${d.name} ${lv}: the criterion is beside its radio (radio ${JSON.stringify(rb)}, text ${JSON.stringify(cb)})`);
      // Each choice on a line of its own: the radio is at the left edge of
      // its fieldset.
      const fb = await group.boundingBox();
      if (rb.x - fb.x > 40) {
        runOn.push(`${d.name} ${lv}`);
      }
    }
  }
  assert.deepEqual(runOn, [], 'grading page: each choice on a line of its own (radios at the start of a line)');

  const radioOf = (dim, lv) =>
    page.getByRole('group', { name: dim }).locator('label.choice')
      .filter({ has: page.locator('strong', { hasText: new RegExp(`^${lv}$`) }) }).getByRole('radio');
  const checked = async () => page.evaluate(() => {
    const f = document.querySelector('form.grading');
    return Object.fromEntries(['c', 'i', 'a', 'l'].map((k) => [k, f.querySelector(`input[name=${k}]:checked`)?.value ?? null]));
  });
  assert.deepEqual(await checked(), { c: null, i: null, a: null, l: null }, 'nothing is chosen at first');

  begin('rate with the keyboard and the mouse');
  // 機密性 普 with the keyboard: Tab from the CSRF-less start of the form
  // into the first group, then the arrow keys.
  await page.locator('form.grading').evaluate((f) => f.querySelector('input[type=radio]').focus());
  await page.keyboard.press('Space'); // 高
  await page.keyboard.press('ArrowDown'); // 中
  await page.keyboard.press('ArrowDown'); // 普
  assert.ok(await radioOf('機密性', '普').isChecked(), `機密性 普 chosen with the arrow keys (focus ${await focusedDescription(page)})`);
  // 完整性 高: Tab moves to the next group, Space chooses.
  await page.keyboard.press('Tab');
  await until(() => radioOf('完整性', '高').evaluate((el) => el === document.activeElement), async () =>
    `Tab from 機密性 should reach 完整性 高, focus is on ${await focusedDescription(page)}`);
  await page.keyboard.press('Space');
  // 可用性 中 and 法律遵循性 普 with the mouse, on the criterion text.
  await page.getByRole('group', { name: '可用性' }).locator('label.choice', { hasText: '嚴重之影響' })
    .filter({ hasNotText: '非常嚴重' }).locator('.criterion').click();
  await page.getByRole('group', { name: '法律遵循性' }).locator('label.choice')
    .filter({ has: page.locator('strong', { hasText: /^普$/ }) }).locator('.criterion').click();
  const rated = { c: '1', i: '3', a: '2', l: '1' };
  assert.deepEqual(await checked(), rated, 'the four dimensions as rated');
  const expectLevel = '高'; // the highest of 普, 高, 中, 普
  await page.getByLabel('評定理由').fill(JUSTIFICATION);
  await screenshot(page, 'grading-form.png');

  begin('submit the grading');
  const st = await submit(page, page.getByRole('button', { name: /^送出分級/ }));
  assert.equal(st, 200, 'status after submitting the grading');
  assert.equal(where(page), `${recordPath}/grading`, 'submitting lands on the grading page');
  const history = page.locator('h2', { hasText: '歷次分級' }).locator('xpath=following-sibling::table[1]');
  const mine = (await tableRows(history)).filter((r) => (r['評定理由'] || '').includes(MARKER));
  assert.equal(mine.length, 1, `one history row with the justification: ${JSON.stringify(await tableRows(history))}`);
  assert.equal(mine[0]['狀態'], '待審查', 'the new grading is 待審查');
  assert.deepEqual([mine[0]['機密性'], mine[0]['完整性'], mine[0]['可用性'], mine[0]['法律遵循性']], ['普', '高', '中', '普'],
    'the history shows the four ratings');
  assert.equal(mine[0]['防護需求等級'], expectLevel, 'the level is the highest of the four');
  assert.match(mine[0]['時間'], /承辦人|officer1/, 'the history names who graded');
  assert.match(await page.getByRole('main').innerText(), /尚無經核定之分級。/, 'still no approved grading');
  assert.equal(await history.getByRole('button', { name: '核准' }).count(), 0, 'the officer gets no 核准 button');
  noProblems('after submitting the grading');

  // -- 3. the CISO approves, in a second browser context
  begin('ciso signs in and approves');
  const ciso = await newPage('ciso');
  cleanup.cisoPage = ciso;
  await signIn(ciso, 'ciso1', cisoOtp);
  const g = await ciso.goto(`${base}${recordPath}/grading`);
  assert.equal(g.status(), 200, 'ciso: GET grading page');
  const cisoRow = ciso.locator('tbody tr', { hasText: MARKER });
  assert.equal(await cisoRow.count(), 1, 'ciso sees the pending grading');
  assert.equal(await ciso.locator('form.grading').count(), 0, 'the ciso (read and approve only) gets no grading form');
  await cisoRow.getByRole('textbox').fill('同意');
  await submit(ciso, cisoRow.getByRole('button', { name: '核准', exact: true }));
  assert.equal(new URL(ciso.url()).pathname, `${recordPath}/grading`, 'approving lands on the grading page');
  const decided = ciso.locator('tbody tr', { hasText: MARKER });
  assert.match(await decided.innerText(), /已核准/, 'the grading is 已核准');
  assert.match(await decided.innerText(), /ciso1|資安長/, 'the approver is named');
  assert.match(await ciso.getByRole('main').innerText(), new RegExp(`防護需求等級：${expectLevel}`),
    'the page shows the approved level');
  assert.match(await ciso.getByRole('main').innerText(), /應於下列日期前重新分級/, 'the re-grading date is shown');
  noProblems('after the approval');

  // -- 4. the officer: the record and the baseline
  begin('officer: the record after the approval');
  await page.goto(`${base}${recordPath}`);
  assert.equal(await levelOnRecord(), expectLevel, 'the record has the approved level');
  assert.equal(await coreOnRecord(), '是', 'a system graded 高 is marked core');

  begin('baseline page');
  await page.getByRole('main').getByRole('link', { name: '防護基準', exact: true }).first().click();
  await page.waitForURL(`${base}${recordPath}/baseline`);
  await page.getByRole('heading', { level: 1, name: `防護基準：${SYSTEM}` }).waitFor();
  const summary = page.locator('p.summary[role=status]');
  const s0 = parseSummary(await summary.innerText());
  log(`summary: ${await summary.innerText()}`);
  assert.equal(s0.total, CONTROLS_115[expectLevel], `${expectLevel} under the 115 rules: ${CONTROLS_115[expectLevel]} controls`);
  assert.deepEqual(s0, { total: s0.total, implemented: 0, partial: 0, planned: 0, na: 0, missing: s0.total },
    'a newly graded system has nothing done');
  const controlRows = page.locator('table.baseline tbody tr[id^="c-"]');
  assert.equal(await controlRows.count(), s0.total, 'one row per control');
  assert.match(await page.getByRole('main').innerText(), /115年1月7日修正/, 'the 115 rules are in force');
  noProblems('on the baseline page');

  begin('record one control as 已實施');
  const row = controlRows.filter({ hasText: '尚未處理' }).first();
  const rowId = await row.getAttribute('id');
  const form = row.locator('details form');
  assert.ok(!(await form.isVisible()), 'the control form is folded away in its <details>');
  await row.locator('details summary', { hasText: '編輯' }).click();
  assert.ok(await form.isVisible(), 'the control form opens');
  await form.getByLabel('狀態').selectOption({ label: '已實施' });
  await form.getByLabel('佐證').fill(EVIDENCE);
  await form.getByLabel('負責人').fill('資訊中心');
  assert.equal(await submit(page, form.getByRole('button', { name: '儲存' })), 200, 'status after saving the control');
  assert.match(where(page), new RegExp(`^${recordPath}/baseline(\\?set=115)?$`), 'saving lands on the baseline page');
  assert.equal(new URL(page.url()).hash, `#${rowId}`, 'the page returns to the control');
  const s1 = parseSummary(await summary.innerText());
  log(`summary: ${await summary.innerText()}`);
  assert.deepEqual(s1, { ...s0, implemented: 1, missing: s0.missing - 1 }, 'the summary counts the implemented control');
  const saved = page.locator(`tr[id="${rowId}"]`);
  assert.match(await saved.getAttribute('class'), /cs-implemented/, 'the control row is marked implemented');
  assert.match(await saved.innerText(), /已實施/, 'the control row says 已實施');
  assert.match(await saved.innerText(), new RegExp(MARKER), 'the control row shows the evidence');
  await screenshot(page, 'grading-baseline.png');
  noProblems('after recording the control');

  // -- 5. the gap list, linked from the system list
  begin('gap list');
  await nav.getByRole('link', { name: '資通系統', exact: true }).click();
  await page.waitForURL(`${base}/r/system`);
  await page.getByRole('link', { name: '防護基準落差總表' }).click();
  await page.waitForURL(`${base}/r/system/gaps`);
  await page.getByRole('heading', { level: 1, name: '防護基準落差總表' }).waitFor();
  const gaps = await tableRows(page.locator('table.list'));
  const gap = gaps.find((r) => (r['資通系統名稱'] || '').startsWith(SYSTEM));
  assert.ok(gap, `${SYSTEM} is in the gap list: ${JSON.stringify(gaps)}`);
  assert.deepEqual(
    [gap['防護需求等級'], gap['應辦'], gap['已實施'], gap['辦理中'], gap['尚未處理']],
    [expectLevel, String(s1.total), '1', '0', String(s1.missing)],
    'the gap list row matches the baseline page',
  );
  assert.equal(gap['資通系統名稱'], `${SYSTEM}（核心）`, 'the gap list marks the system, graded 高, as core');
  assert.equal(await page.locator('table.list tbody tr', { hasText: SYSTEM }).getByRole('link').first().getAttribute('href'),
    `/r/system/${sysId}/baseline`, 'the system name leads to its baseline');
  const open = gaps.filter((r) => /^\d+$/.test(r['應辦'] || ''))
    .reduce((n, r) => n + Number(r['辦理中']) + Number(r['尚未處理']), 0);
  assert.match(await page.locator('p.summary').innerText(), new RegExp(`共 ${open} 項`),
    `the agency total is the sum of the open controls (${open})`);
  assert.equal(gaps.filter((r) => /尚未完成分級核定/.test(r['防護需求等級'] || '')).length, 3,
    'the three systems without an approved grading say so');
  noProblems('on the gap list');

  // -- 6. the asset register and its labels
  begin('asset register → labels');
  await nav.getByRole('link', { name: '資訊及資通系統資產清冊', exact: true }).click();
  await page.waitForURL(`${base}/r/asset`);
  await page.getByRole('heading', { level: 1, name: '資訊及資通系統資產清冊' }).waitFor();
  const assetCount = Number((await listStatus.innerText()).match(/共 (\d+) 筆/)[1]);
  assert.equal(assetCount, demoAssets.length, `the register lists the ${demoAssets.length} demo assets`);
  await page.getByRole('link', { name: '資產標籤', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/r/asset/labels');
  await page.getByRole('heading', { level: 1, name: '資產標籤' }).waitFor();
  const labels = page.locator('.labels.sheet .label');
  assert.equal(await labels.count(), assetCount, 'one label per asset');
  await until(() => page.evaluate(() => [...document.querySelectorAll('.label img.qr')].every((i) => i.complete)),
    'the QR images did not finish loading');
  const qrs = await page.locator('.label img.qr').evaluateAll((imgs) =>
    imgs.map((i) => ({ w: i.naturalWidth, alt: i.alt, src: i.getAttribute('src').slice(0, 26) })));
  assert.equal(qrs.length, assetCount, 'one QR code per label');
  for (const q of qrs) {
    assert.ok(q.w > 0, `the QR image ${q.alt} loads (naturalWidth ${q.w})`);
    assert.match(q.alt, new RegExp(`^${base.replace(/[.]/g, '\\.')}/r/asset/\\d+$`), 'the QR code is the asset page URL');
  }
  assert.equal(new Set(qrs.map((q) => q.alt)).size, assetCount, 'every label is a different asset');
  const pnos = (await page.locator('.label .pno').allInnerTexts()).map((t) => t.trim()).filter(Boolean).sort();
  const wantPnos = demoAssets.map((a) => a.property_no).filter(Boolean).sort();
  assert.deepEqual(pnos, wantPnos, 'the labels carry the property numbers of the register');
  const coreMarks = await page.locator('.label .core-mark').count();
  assert.equal(coreMarks, demoAssets.filter((a) => Number(a.is_core) === 1).length, 'core assets have the 核心 mark');
  // The QR link opens the asset's page.
  const firstAsset = await page.goto(qrs[0].alt);
  assert.equal(firstAsset.status(), 200, 'the QR code URL opens the asset page');
  await page.goBack();
  await page.locator('.labels.sheet .label').first().waitFor();
  await screenshot(page, 'grading-labels.png');
  noProblems('on the label sheet');

  begin('print media');
  await page.emulateMedia({ media: 'print' });
  for (const [what, sel] of [['the header', 'header.top'], ['the chapter navigation', 'nav.chapters'],
    ['the heading and notes', '.labels-head']]) {
    assert.equal(await page.locator(sel).count(), 1, `${what} is on the page`);
    assert.ok(!(await page.locator(sel).isVisible()), `${what} is hidden in print`);
  }
  const boxes = await labels.evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height) };
  }));
  const xs = [...new Set(boxes.map((b) => b.x))].sort((a, b) => a - b);
  assert.equal(xs.length, 3, `the labels are in 3 columns: ${JSON.stringify(boxes.slice(0, 6))}`);
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    assert.equal(b.x, xs[i % 3], `label ${i + 1} is in column ${(i % 3) + 1}`);
    assert.equal(b.y, boxes[i - (i % 3)].y, `label ${i + 1} is on the row of label ${i - (i % 3) + 1}`);
    if (i >= 3) assert.ok(b.y >= boxes[i - 3].y + boxes[i - 3].h - 1, `label ${i + 1} is below label ${i - 2}`);
    // 70 × 36 mm at 96 dpi
    assert.ok(Math.abs(b.w - 264.6) <= 2 && Math.abs(b.h - 136.1) <= 2, `label ${i + 1} is 70 × 36 mm: ${JSON.stringify(b)}`);
  }
  assert.ok(xs[1] - xs[0] >= boxes[0].w - 1, 'the columns do not overlap');
  await screenshot(page, 'grading-labels-print.png');

  begin('PDF');
  const pdfPath = join(tmp, 'labels.pdf');
  await page.pdf({ path: pdfPath, format: 'A4' });
  const pdf = readFileSync(pdfPath);
  assert.ok(pdf.length > 1000, `the PDF is not empty (${pdf.length} bytes)`);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the file is a PDF');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) || []).length;
  log(`labels.pdf: ${pdf.length} bytes, ${pages} page object(s)`);
  if (pages !== Math.ceil(assetCount / 24)) {
    note(`the label PDF has ${pages} page(s) for ${assetCount} labels (24 a page would make ${Math.ceil(assetCount / 24)})`);
  }
  if (SHOT_DIR) copyFileSync(pdfPath, join(SHOT_DIR, 'grading-labels.pdf'));
  await page.emulateMedia({ media: 'screen' });
  noProblems('while printing');

  assert.equal(serverDied, null, `the server stopped during the test (${serverDied})`);
  return db;
}

// The audit trail holds together and has the grading, its approval and
// the control.
async function checkAudit(db) {
  begin('isms audit verify');
  const verify = await run(['audit', 'verify', '--db', db]);
  log(verify.out.trim());
  begin('isms audit export');
  const exported = await run(['audit', 'export', '--db', db]);
  const rows = exported.out.trim().split('\n').map((l) => JSON.parse(l));
  const summary = JSON.stringify(rows.filter((r) => r.actor === 'officer1' || r.actor === 'ciso1')
    .map((r) => `${r.actor}:${r.action}`));
  const has = (actor, action) => rows.some((r) => r.actor === actor && r.action === action);
  assert.ok(has('officer1', 'grading'), `the audit trail has the officer's grading: ${summary}`);
  assert.ok(has('ciso1', 'grading-approve'), `the audit trail has the ciso's approval: ${summary}`);
  assert.ok(has('officer1', 'control'), `the audit trail has the control update: ${summary}`);
}

// ---- run, always cleaning up ----------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), 'isms-e2e-'));
const cleanup = { server: null, browser: null, page: null, cisoPage: null, serverLog: [] };
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

let db = null;
try {
  db = await main(tmp, cleanup);
} catch (e) {
  failure = e;
  if (SHOT_DIR) {
    for (const [p, name] of [[cleanup.page, 'grading-failure.png'], [cleanup.cisoPage, 'grading-failure-ciso.png']]) {
      if (!p) continue;
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
if (!failure && db) {
  try {
    await checkAudit(db);
  } catch (e) {
    failure = e;
  }
}
rmSync(tmp, { recursive: true, force: true });
clearTimeout(watchdog);

const secs = ((Date.now() - started) / 1000).toFixed(1);
for (const n of notes) console.log(`note: ${n}`);
if (failure) {
  console.error(`\nFAIL at step "${step}" after ${secs} s:\n${failure.stack || failure}`);
  if (cleanup.serverLog.length) {
    console.error(`\nserver stderr:\n${cleanup.serverLog.join('').slice(-4000)}`);
  }
  process.exit(1);
}
console.log(`\ndone in ${secs} s`);
console.log('grading: 1 passed, 0 failed');
