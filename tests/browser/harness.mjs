// The browser test harness: the real `tabletop` binary on a fresh data dir, Debian's
// Chromium driven by playwright-core, one browser context per person, and helpers for
// the pages' DOM contract.
//
// Environment:
//   TABLETOP_BIN   the server binary (default target/debug/tabletop; build it first)
//   CHROMIUM_PATH  the browser (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { before, after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.resolve(REPO, process.env.TABLETOP_BIN || 'target/debug/tabletop');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO, 'target', 'screenshots');
/// Default wait for anything the pages should do (a push, a reconnect, a render).
export const TIMEOUT = 10_000;

/// Chromium flags: no sandbox (root in a container), and none of the background
/// traffic (updates, sync, field trials) that would flood this machine's closed network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LISTENING = /^tabletop \S+ listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/;

const live = new Set(); // child processes to kill if this process exits early
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// The real server binary on its own data dir. `start()` binds port 0 the first time
/// and the same port afterwards, so a restarted server has the same origin. `scenarios`:
/// the scenarios folder (default: the frozen copies under tests/fixtures/scenarios);
/// `args`: more flags for `tabletop serve` (e.g. `['--public-url', 'https://…']`).
export class Server {
  constructor({ scenarios = path.join(REPO, 'tests', 'fixtures', 'scenarios'), args = [] } = {}) {
    this.scenarios = scenarios;
    this.extraArgs = args;
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tabletop-browser-'));
    this.adminToken = `adm-${crypto.randomBytes(16).toString('hex')}`;
    this.port = 0;
    this.child = null;
    this.log = []; // last lines of stderr, for failure reports
    this.starts = 0;
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    if (!fs.existsSync(BIN)) throw new Error(`no server binary at ${BIN}: run \`cargo build\` (or set TABLETOP_BIN)`);
    const attempts = this.port ? 40 : 1;
    let last;
    for (let i = 0; i < attempts; i++) {
      try {
        return await this.spawnOnce();
      } catch (e) {
        last = e;
        if (!/in use|AddrInUse|os error 98/i.test(e.message)) break;
        await sleep(250);
      }
    }
    throw last;
  }

  spawnOnce() {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TABLETOP_')));
    env.RUST_LOG ??= 'tabletop=info';
    const args = [
      'serve',
      '--addr', `127.0.0.1:${this.port}`,
      '--data-dir', this.dataDir,
      '--scenarios', this.scenarios, // frozen copies by default, not the shipped ones
      '--admin-token', this.adminToken,
      '--open', '',
      ...this.extraArgs,
    ];
    const child = spawn(BIN, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    this.starts++;
    const tag = `[start ${this.starts}]`;
    readline.createInterface({ input: child.stderr }).on('line', (l) => {
      this.log.push(`${tag} ${l}`);
      if (this.log.length > 300) this.log.shift();
    });
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not print its address within 20 s\n${this.logTail()}`));
      }, 20_000);
      readline.createInterface({ input: child.stdout }).on('line', (l) => {
        const m = LISTENING.exec(l);
        if (m && !ready) {
          ready = true;
          clearTimeout(timer);
          this.port = Number(m[2]);
          this.child = child;
          resolve(this.base);
        }
      });
      child.on('exit', (code, signal) => {
        live.delete(child);
        if (this.child === child) this.child = null;
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`server exited (${code ?? signal}) before listening\n${this.logTail()}`));
        }
      });
    });
  }

  /// Stops the server: SIGTERM (graceful, closes sockets with 1001) or SIGKILL (a crash).
  async stop({ signal = 'SIGTERM' } = {}) {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  /// Stops and starts again on the same data dir and port.
  async restart({ signal = 'SIGTERM' } = {}) {
    await this.stop({ signal });
    return this.start();
  }

  async dispose() {
    await this.stop({ signal: 'SIGKILL' });
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  logTail(n = 40) {
    return this.log.slice(-n).join('\n');
  }

  /// An HTTP call; resolves with `{status, headers, body, json}`.
  async api(pathname, { method = 'GET', token, body, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const res = await fetch(new URL(pathname, this.base), {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, body: text, json };
  }

  /// POST /api/exercises → `{exercise_id, join_code, facilitator_key}`.
  async createExercise(scenarioId = 'quick-demo') {
    const r = await this.api('/api/exercises', {
      method: 'POST',
      token: this.adminToken,
      body: { scenario_id: scenarioId },
    });
    assert.equal(r.status, 201, `create exercise: ${r.status} ${r.body}`);
    return r.json;
  }

  /// The exercise's timeline (read with the facilitator key).
  async timeline(exerciseId, key) {
    const r = await this.api(`/api/exercises/${exerciseId}/timeline`, { token: key });
    assert.equal(r.status, 200, `timeline: ${r.status} ${r.body}`);
    return r.json;
  }
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/// Retries `fn` (an async assertion) until it passes or `timeout` ms pass; then
/// throws its last error. The suite's `expect(...).toPass()`.
export async function eventually(fn, { timeout = TIMEOUT, interval = 100, message } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) {
        if (message) e.message = `${message}: ${e.message}`;
        throw e;
      }
    }
    await sleep(interval);
  }
}

/// Text of a locator's first match, trimmed with collapsed spaces ('' when absent).
export async function textOf(locator) {
  if ((await locator.count()) === 0) return '';
  return ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/// Waits until the locator's text contains `expected` (a string or a RegExp).
export async function waitText(locator, expected, opts = {}) {
  await eventually(async () => {
    const t = await textOf(locator);
    if (expected instanceof RegExp) assert.match(t, expected);
    else assert.ok(t.includes(expected), `expected ${JSON.stringify(t)} to contain ${JSON.stringify(expected)}`);
  }, opts);
}

/// Waits until the locator's attribute equals `value`.
export async function waitAttr(locator, attr, value, opts = {}) {
  await eventually(async () => {
    assert.ok((await locator.count()) > 0, `no element for ${locator}`);
    assert.equal(await locator.first().getAttribute(attr), value, `${locator} [${attr}]`);
  }, opts);
}

const slug = (s) => s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60);

/// One test file's world: a server, a browser, and per-test browser contexts (one per
/// person). Registers node:test hooks; tests are declared with `suite.test(...)`.
export class Suite {
  constructor() {
    this.server = null;
    this.browser = null;
    this.pages = []; // {name, page, context}
    this.problems = []; // page errors, CSP violations, dialogs
  }

  /// `options` go to the [`Server`] (e.g. `{ scenarios }`: another scenarios folder).
  static setup(options = {}) {
    const s = new Suite();
    before(async () => {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      s.server = new Server(typeof options === 'function' ? options() : options);
      await s.server.start();
      s.browser = await launchBrowser();
    }, { timeout: 60_000 });
    afterEach(async () => {
      await s.closeContexts();
    });
    after(async () => {
      await s.closeContexts();
      await s.browser?.close().catch(() => {});
      await s.server?.dispose();
    });
    return s;
  }

  get base() {
    return this.server.base;
  }

  /// A page in a fresh browser context (its own cookies and storage: one person).
  async newPage(name, { viewport = { width: 1280, height: 800 }, ...options } = {}) {
    const context = await this.browser.newContext({ viewport, ...options });
    context.setDefaultTimeout(TIMEOUT);
    context.setDefaultNavigationTimeout(TIMEOUT);
    const page = await context.newPage();
    this.watch(name, page);
    this.pages.push({ name, page, context });
    return page;
  }

  /// Records uncaught errors, CSP violations and dialogs (a dialog is always a failure:
  /// no page uses alert/confirm, so one means injected script ran).
  watch(name, page) {
    page.on('pageerror', (e) => this.problems.push(`${name}: uncaught ${e.message}`));
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) this.problems.push(`${name}: CSP violation: ${m.text()}`);
    });
    page.on('dialog', async (d) => {
      this.problems.push(`${name}: dialog ${d.type()} "${d.message()}"`);
      await d.dismiss().catch(() => {});
    });
  }

  async closeContexts() {
    const pages = this.pages;
    this.pages = [];
    await Promise.all(pages.map((p) => p.context.close().catch(() => {})));
  }

  /// Declares a test: on failure, screenshots every open page to target/screenshots/
  /// and appends the server log tail; on success, fails if any page had an uncaught
  /// error, a CSP violation or a dialog.
  test(name, fn, { timeout = 60_000 } = {}) {
    test(name, { timeout }, async (t) => {
      this.problems = [];
      try {
        await fn(t);
      } catch (e) {
        for (const { name: who, page } of this.pages) {
          const file = path.join(SCREENSHOTS, `FAIL-${slug(name)}-${slug(who)}.png`);
          await page.screenshot({ path: file, fullPage: true, timeout: 5_000 }).catch(() => {});
        }
        if (this.problems.length) e.message += `\npage problems:\n  ${this.problems.join('\n  ')}`;
        if (this.server) e.message += `\nserver log (tail):\n${this.server.logTail(15)}`;
        throw e;
      }
      assert.deepEqual(this.problems, [], 'pages had uncaught errors, CSP violations or dialogs');
    });
  }
}

// ---- The pages' DOM contract -------------------------------------------------------

/// A participant joins through the link `/join/<CODE>`: only the name is typed.
/// Resolves when the participant view shows a group and the connection is online.
export async function joinViaLink(page, base, joinCode, name) {
  await page.goto(`${base}/join/${joinCode}`);
  await page.locator('#join-form').waitFor({ state: 'visible' });
  await page.locator('#join-name').fill(name);
  await page.locator('#join-submit').click();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await waitText(page.locator('#group-name'), /\S/);
  return textOf(page.locator('#group-name'));
}

/// The participant's article for an inject.
export const injectCard = (page, injectId) => page.locator(`#injects article.inject[data-inject-id="${injectId}"]`);

/// Types and sends an answer to an inject; resolves when it is acknowledged (`sent`).
export async function answer(page, injectId, text) {
  const card = injectCard(page, injectId);
  await card.waitFor({ state: 'visible' });
  await card.locator('textarea.answer-input').fill(text);
  await card.locator('button.answer-send').click();
  await waitAttr(card.locator('.answer-status'), 'data-state', 'sent');
}

/// The facilitator opens the console with the admin token and opens an exercise.
/// Resolves once the console has its welcome (online): its links and tables are set.
export async function openConsole(page, base, adminToken, exerciseId) {
  await page.goto(`${base}/facilitator#token=${encodeURIComponent(adminToken)}`);
  const open = page.locator(`#exercises button.open-exercise[data-exercise-id="${exerciseId}"]`);
  await open.click();
  await page.locator('#console').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
}

/// The facilitator's plan row of an inject.
export const planRow = (page, injectId) => page.locator(`#plan tr.plan-row[data-inject-id="${injectId}"]`);

/// A cell of the facilitator's live grid.
export const gridCell = (page, groupId, injectId) =>
  page.locator(`#grid td.cell[data-group-id="${groupId}"][data-inject-id="${injectId}"]`);

/// A unique, recognisable text for a test answer.
export const unique = (prefix) => `${prefix} ${crypto.randomBytes(3).toString('hex')}`;

/// Nothing scrolls inside the page (every element but the document whose overflow-y
/// lets it scroll holds no more than it shows), and nothing is wider than the phone.
export async function assertNoInnerScroll(page, where) {
  const scrollers = await page.evaluate(() => [...document.querySelectorAll('body, body *')]
    .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight + 1)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} ${el.scrollHeight}>${el.clientHeight}`));
  assert.deepEqual(scrollers, [], `${where}: elements that scroll inside the page`);
  const [sw, vw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(sw <= vw, `${where}: the page is wider (${sw}px) than the phone (${vw}px)`);
}
