// lib.mjs: what the browser tests share: the isms binary and browser to
// use, running isms commands, starting and stopping `isms serve`, polling,
// and small helpers on top of playwright-core.  Not a test itself (ctest
// runs *.test.mjs only).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SOURCE = resolve(process.env.ISMS_SOURCE || join(HERE, '..', '..'));
export const BIN = resolve(SOURCE, process.env.ISMS_BIN || join('build', 'dev', 'isms'));
export const BROWSER = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOT_DIR = process.env.E2E_SCREENSHOT_DIR || '';
export const STEP_TIMEOUT_MS = 5000; // one Playwright action or wait

// Runs isms; resolves with { out, err } on exit 0.
export function run(args) {
  return new Promise((ok, fail) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', fail);
    p.on('exit', (code, sig) => {
      if (code === 0) ok({ out, err });
      else fail(new Error(`${BIN} ${args.join(' ')} exited ${code ?? sig}:\n${out}${err}`));
    });
  });
}

// Starts `isms serve` and resolves with { proc, port } once the port is on
// the first line of stdout.  The server's stderr is kept for the report.
export function serve(db, serverLog) {
  return new Promise((ok, fail) => {
    const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--print-port'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => fail(new Error('server printed no port within 10 s')), 10000);
    proc.stderr.on('data', (d) => serverLog.push(String(d)));
    proc.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    proc.on('exit', (code, sig) => {
      clearTimeout(timer);
      fail(new Error(`server exited ${code ?? sig} before printing its port`));
    });
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        fail(new Error(`first line of server stdout is not a port: ${JSON.stringify(line)}`));
      } else {
        ok({ proc, port });
      }
      lines.on('line', (l) => serverLog.push(`stdout: ${l}\n`)); // keep draining
    });
  });
}

// SIGTERM, then SIGKILL after 3 s.  Resolves with the exit code or signal.
export function stop(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve(proc.exitCode ?? proc.signalCode);
  }
  return new Promise((ok) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 3000);
    proc.once('exit', (code, sig) => {
      clearTimeout(kill);
      ok(code ?? sig);
    });
    proc.kill('SIGTERM');
  });
}

// Polls fn until it returns a truthy value; fails with msg() otherwise.
export async function until(fn, msg, timeout = STEP_TIMEOUT_MS) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const why = last instanceof Error ? ` (${last.message.split('\n')[0]})` : '';
      throw new assert.AssertionError({ message: `${typeof msg === 'function' ? await msg() : msg}${why}` });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function focusedDescription(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '<body> (nothing focused)';
    const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
    const text = (el.getAttribute('aria-label') || label || el.textContent || el.getAttribute('name') || '').trim();
    return `<${el.tagName.toLowerCase()}> ${text.slice(0, 40)}`;
  });
}

// Clicks `locator` (a submit button) and waits until a new document has
// loaded, even when it has the same URL (a rejected form).  Returns the
// HTTP status of the document shown.
export async function submit(page, locator) {
  await page.evaluate(() => (window.__e2eOld = true));
  await locator.click();
  await until(
    () => page.evaluate(() => !window.__e2eOld && document.readyState === 'complete').catch(() => false),
    'no new page loaded after submitting the form',
  );
  return page.evaluate(() => performance.getEntriesByType('navigation')[0].responseStatus);
}

// Path and query of the page shown.
export function where(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}
