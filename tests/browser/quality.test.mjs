// Quality bars of the pages: phone and projector-laptop layouts (with screenshots),
// page weight and caching, keyboard use and labels, security headers and the
// websocket's Origin check.

import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import {
  SCREENSHOTS, Suite, answer, injectCard, joinViaLink, openConsole, planRow, waitAttr, waitText,
} from './harness.mjs';
import { facilitate, joinParticipant, upgradeRequest } from './wsclient.mjs';

const s = Suite.setup();

/// Participant page weight budget: HTML + JS + CSS, uncompressed.
const MAX_PAGE_BYTES = 60 * 1024;
const MAX_REQUESTS = 6;

/// A raw GET (no automatic decompression), resolving with status, headers, body bytes.
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

async function startedExercise() {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await fac.start();
  return { ex, fac };
}

/// Fails unless `selector`'s box lies inside the viewport with the page scrolled to the top.
async function assertInViewport(page, locator, what) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what}: not rendered`);
  const vp = page.viewportSize();
  assert.ok(box.width > 0 && box.height > 0, `${what}: empty box`);
  assert.ok(
    box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width + 0.5 && box.y + box.height <= vp.height + 0.5,
    `${what} is not inside the ${vp.width}×${vp.height} viewport without scrolling: ${JSON.stringify(box)}`,
  );
}

async function assertNoHorizontalScroll(page, what) {
  const { sw, vw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, vw: window.innerWidth }));
  assert.ok(sw <= vw, `${what}: the page is wider (${sw}px) than the viewport (${vw}px)`);
}

s.test('phone layout: at 360×740 the group, the current inject and its answer box show without scrolling', async () => {
  const { ex, fac } = await startedExercise();
  const page = await s.newPage('participant', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await joinViaLink(page, s.base, ex.join_code, 'Fatou');
  const current = page.locator('#injects article.inject.current');
  await waitText(current.locator('.inject-title'), 'First alert');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'participant-360x740.png') });

  await assertInViewport(page, page.locator('#group-name'), '#group-name');
  await assertInViewport(page, current.locator('.inject-title'), 'the current inject title');
  await assertInViewport(page, current.locator('textarea.answer-input'), 'the answer box');
  await assertInViewport(page, current.locator('button.answer-send'), 'the send button');
  await assertNoHorizontalScroll(page, 'participant');
  // Tap targets: the send button is at least 44 px high (WCAG 2.5.5 / platform guidance).
  const sendBox = await current.locator('button.answer-send').boundingBox();
  assert.ok(sendBox.height >= 44 - 0.5, `the send button is ${sendBox.height}px high; at least 44px for a thumb`);
  fac.close();
});

s.test('projector-laptop layout: the console at 1366×768 (screenshot)', async () => {
  const { ex, fac } = await startedExercise();
  const p1 = await joinParticipant(s.base, ex.join_code, 'Awa');
  const p2 = await joinParticipant(s.base, ex.join_code, 'Bako');
  await p1.respond('first-alert', 'Hold transfers from recently swapped SIMs');
  await p2.respond('first-alert', 'The CRO decides; the CEO informs the regulator');
  const page = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await openConsole(page, s.base, s.server.adminToken, ex.exercise_id);
  await waitAttr(page.locator('#clock'), 'data-state', 'running');
  await waitText(page.locator('#grid td.cell[data-group-id="governance"][data-inject-id="first-alert"] .count'), /^1$/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'facilitator-1366x768.png') });
  await assertNoHorizontalScroll(page, 'console');
  await assertInViewport(page, page.locator('#start'), '#start');
  await assertInViewport(page, page.locator('#console #join-code'), 'the join code');
  for (const ws of [fac, p1, p2]) ws.close();
});

s.test('page weight: the participant page is at most 60 KB of HTML+JS+CSS in at most 6 requests; assets are compressed and revalidate with 304', async () => {
  const { ex, fac } = await startedExercise();
  const page = await s.newPage('participant', { viewport: { width: 360, height: 740 } });
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await joinViaLink(page, s.base, ex.join_code, 'Gifty');
  await injectCard(page, 'first-alert').waitFor({ state: 'visible' });

  const requests = responses.map((r) => `${r.request().resourceType()} ${new URL(r.url()).pathname}`);
  assert.ok(responses.length <= MAX_REQUESTS, `${responses.length} requests (max ${MAX_REQUESTS}): ${requests.join(', ')}`);

  let total = 0;
  const sizes = [];
  const code = [];
  for (const r of responses) {
    const type = r.request().resourceType();
    if (!['document', 'script', 'stylesheet'].includes(type)) continue;
    assert.equal(r.status(), 200, `${r.url()}: status ${r.status()}`);
    const bytes = (await r.body()).length;
    total += bytes;
    sizes.push(`${new URL(r.url()).pathname} ${bytes} B`);
    code.push(r.url());
  }
  assert.ok(code.some((u) => /\.js$/.test(new URL(u).pathname)), `the page loads its script: ${requests}`);
  assert.ok(total <= MAX_PAGE_BYTES, `participant page is ${total} bytes uncompressed (max ${MAX_PAGE_BYTES}): ${sizes.join(', ')}`);

  // Every page and every asset the participant page loaded: compressed, with an ETag,
  // and a conditional request is answered 304 without a body.
  const urls = new Set([...code, ...['/', '/facilitator', '/projector', '/debrief'].map((p) => new URL(p, s.base).href)]);
  for (const url of urls) {
    const r = await rawGet(url, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(r.status, 200, `${url}: ${r.status}`);
    assert.match(r.headers['content-encoding'] ?? '', /^(br|gzip)$/, `${url} is not compressed`);
    const etag = r.headers.etag;
    assert.ok(etag, `${url} has no ETag`);
    const again = await rawGet(url, { 'Accept-Encoding': 'br, gzip', 'If-None-Match': etag });
    assert.equal(again.status, 304, `${url} with If-None-Match ${etag}: ${again.status}`);
    assert.equal(again.bytes.length, 0, `${url}: a 304 has no body`);
    const identity = await rawGet(url, { 'Accept-Encoding': 'identity' });
    assert.equal(identity.headers['content-encoding'] ?? 'identity', 'identity', `${url}: identity was asked`);
  }
  fac.close();
});

// ---- Keyboard and labels ------------------------------------------------------------

/// Marks the visible, enabled, tabbable elements (in DOM order) and describes them.
function listTabbables(page) {
  return page.evaluate(() => {
    const sel = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex], [contenteditable="true"]';
    // A radio group is one tab stop (its checked radio, else its first); arrows move
    // within it.
    const radioStop = (el) => {
      if (el.type !== 'radio' || !el.name) return true;
      const group = [...document.querySelectorAll(`input[type="radio"][name="${CSS.escape(el.name)}"]`)].filter((r) => !r.disabled);
      return el === (group.find((r) => r.checked) ?? group[0]);
    };
    const els = [...document.querySelectorAll(sel)].filter(
      (el) => !el.disabled && el.tabIndex >= 0 && !el.closest('[inert]') && el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && radioStop(el),
    );
    window.__ttTab = new Map(els.map((el, i) => [el, i]));
    const describe = (el) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    window.__ttDescribe = describe;
    return els.map(describe);
  });
}

/// Presses Tab once and reports where the focus went and how it is shown.
async function tabOnce(page) {
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { id: null, desc: 'body' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {
      id: window.__ttTab.has(el) ? window.__ttTab.get(el) : -1,
      desc: window.__ttDescribe(el),
      indicator: outline || shadow,
      style: `outline: ${cs.outlineStyle} ${cs.outlineWidth}; box-shadow: ${cs.boxShadow}`,
    };
  });
}

/// Tabs through the whole page: every tabbable element gets focus, in DOM order, each
/// with a visible focus indicator, and focus never lands on something unlisted.
async function assertKeyboardWalk(page, where) {
  const list = await listTabbables(page);
  assert.ok(list.length > 0, `${where}: nothing to tab to`);
  await page.evaluate(() => document.activeElement?.blur?.());
  const seen = [];
  const problems = [];
  // Chromium stops Tab on each part of a date field (day, month, year, picker).
  const dateFields = await page.evaluate(
    () => [...document.querySelectorAll('input[type="date"]')].filter((el) => el.offsetParent !== null && !el.disabled).length,
  );
  for (let i = 0; i < list.length + 3 + 3 * dateFields; i++) {
    const f = await tabOnce(page);
    if (f.id === null) continue;
    if (f.id === -1) {
      problems.push(`focus went to an unlisted (hidden or disabled?) element ${f.desc}`);
      continue;
    }
    if (!f.indicator) problems.push(`${f.desc} has no visible focus indicator (${f.style})`);
    if (!seen.includes(f.id)) seen.push(f.id);
  }
  const missed = list.filter((_, i) => !seen.includes(i));
  assert.deepEqual(missed, [], `${where}: never focused with Tab`);
  // DOM order, starting wherever the walk started.
  const start = seen[0];
  const expected = list.map((_, i) => (start + i) % list.length);
  assert.deepEqual(seen.map((i) => list[i]), expected.map((i) => list[i]), `${where}: tab order is not the page order`);
  assert.deepEqual([...new Set(problems)], [], `${where}: focus problems`);
}

/// Every form control has a label: `label[for]`, a wrapping label, aria-label or
/// aria-labelledby; every button has a name.
async function assertLabelled(page, where) {
  const missing = await page.evaluate(() => {
    const bad = [];
    const name = (el) => {
      const aria = el.getAttribute('aria-label')?.trim();
      if (aria) return aria;
      const by = el.getAttribute('aria-labelledby');
      if (by) {
        const t = by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
        if (t) return t;
      }
      return [...(el.labels ?? [])].map((l) => l.textContent).join(' ').trim();
    };
    for (const el of document.querySelectorAll('input:not([type="hidden"]):not([type="submit"]):not([type="button"]), textarea, select')) {
      if (!name(el)) bad.push(el.outerHTML.slice(0, 120));
    }
    for (const el of document.querySelectorAll('button')) {
      if (!(el.textContent.trim() || el.getAttribute('aria-label')?.trim() || el.getAttribute('title')?.trim())) {
        bad.push(el.outerHTML.slice(0, 120));
      }
    }
    return bad;
  });
  assert.deepEqual(missing, [], `${where}: controls without an accessible name`);
}

s.test('keyboard: the join form and the participant view can be used with Tab alone; every field is labelled', async () => {
  const { ex, fac } = await startedExercise();
  const page = await s.newPage('participant', { viewport: { width: 390, height: 844 } });

  // The join form, from the bare page (code and name both typed).
  await page.goto(`${s.base}/`);
  await page.locator('#join-form').waitFor({ state: 'visible' });
  await assertLabelled(page, 'join form');
  const codeLabel = await page.locator('#join-code').evaluate((el) => [...el.labels].map((l) => l.textContent).join(' '));
  assert.match(codeLabel, /join code/i, 'the code field is labelled "Join code"');
  await assertKeyboardWalk(page, 'join form');

  // Joined, with an inject and an answer: the whole view by keyboard.
  await joinViaLink(page, s.base, ex.join_code, 'Hawa');
  await answer(page, 'first-alert', 'Keyboard only');
  await assertLabelled(page, 'participant view');
  await assertKeyboardWalk(page, 'participant view');

  // And answering by keyboard alone: focus the box by Tab, type, send with Enter/Space.
  await page.evaluate(() => document.activeElement?.blur?.());
  const box = injectCard(page, 'first-alert').locator('textarea.answer-input');
  for (let i = 0; i < 50 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  assert.ok(await box.evaluate((el) => el === document.activeElement), 'the answer box is reachable by Tab');
  await page.keyboard.type('Typed without a mouse');
  await page.keyboard.press('Tab');
  assert.ok(
    await injectCard(page, 'first-alert').locator('button.answer-send').evaluate((el) => el === document.activeElement),
    'Tab from the answer box goes to its send button',
  );
  await page.keyboard.press('Enter');
  await waitText(injectCard(page, 'first-alert').locator('ul.answers'), 'Typed without a mouse');

  // The self-assessment by keyboard: Tab into each statement's scale, arrows to a score,
  // Tab to Send, Enter; the server's ack shows as sent.
  await fac.command({ type: 'open_self_assessment' }, (m) => m.type === 'self_assessment_results' && m.state === 'open');
  await page.locator('#sa-form').waitFor({ state: 'visible' });
  await assertLabelled(page, 'participant view with the self-assessment');
  await assertKeyboardWalk(page, 'participant view with the self-assessment');
  await page.evaluate(() => document.activeElement?.blur?.());
  const statements = page.locator('#sa-form fieldset');
  const n = await statements.count();
  assert.ok(n >= 1, 'the risk group has statements');
  for (let k = 0; k < n; k++) {
    const first = statements.nth(k).locator('input[type="radio"]').first();
    for (let i = 0; i < 80 && !(await first.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    assert.ok(await first.evaluate((el) => el === document.activeElement), `statement ${k + 1}'s scale is reachable by Tab`);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  }
  const chosen = await statements.evaluateAll((fs) => fs.map((f) => f.querySelector('input:checked')?.value));
  assert.deepEqual(chosen, Array(n).fill('4'), 'three arrows from 1 choose 4 in every statement');
  await page.keyboard.press('Tab');
  assert.ok(await page.locator('#sa-send').evaluate((el) => el === document.activeElement), 'Tab from the last scale goes to Send');
  await page.keyboard.press('Enter');
  await waitAttr(page.locator('#sa-status'), 'data-state', 'sent');
  fac.close();
});

s.test('keyboard: the facilitator console can be used with Tab alone; every field is labelled', async () => {
  const { ex, fac } = await startedExercise();
  const p = await joinParticipant(s.base, ex.join_code, 'Idris');
  await p.respond('first-alert', 'A roster member and an answer for the console');
  // The evaluation area filled in: an observer's link, a note, a proposal to accept.
  await fac.command({ type: 'add_observer', name: 'Olu' }, (m) => m.type === 'observer');
  await fac.command({ type: 'note', inject_id: 'first-alert', text: 'A note to tab past' }, (m) => m.type === 'note');
  p.send({ type: 'propose_improvement', item: { issue: 'No SIM-swap check', corrective_action: 'Add one', capability: 'planning' } });
  await fac.expect('improvement');
  const page = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await page.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}`);
  await page.locator('#scenarios button.scenario').first().waitFor({ state: 'visible' });
  await assertLabelled(page, 'console start');
  await assertKeyboardWalk(page, 'console start');

  await openConsole(page, s.base, s.server.adminToken, ex.exercise_id);
  // The evaluation and report panels are closed <details> until opened: open them all.
  const closedPanel = page.locator('details.panel:not([open]) > summary:visible');
  while (await closedPanel.count()) await closedPanel.first().click();
  await page.locator('#roster li.member select.move').first().waitFor({ state: 'visible' });
  await waitText(planRow(page, 'first-alert').locator('.status'), /^released/i);
  await page.locator('#improvements li.improvement button.accept').waitFor({ state: 'visible' });
  await page.locator('#observers li.observer input.observer-link').waitFor({ state: 'visible' });
  await assertLabelled(page, 'console');
  await assertKeyboardWalk(page, 'console');
  fac.close();
  p.close();
});

// ---- Security headers and the websocket's Origin check ---------------------------

function scriptSrc(csp) {
  const directives = Object.fromEntries(
    csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...values] = d.split(/\s+/);
      return [name.toLowerCase(), values];
    }),
  );
  return directives['script-src'] ?? directives['default-src'];
}

s.test('security headers on every page: a CSP without inline script, nosniff, a referrer policy', async () => {
  const ex = await s.server.createExercise('quick-demo');
  for (const p of ['/', `/join/${ex.join_code}`, `/?code=${ex.join_code}`, '/facilitator', `/projector?code=${ex.join_code}`,
    `/debrief?exercise=${ex.exercise_id}`]) {
    const r = await rawGet(new URL(p, s.base).href);
    assert.equal(r.status, 200, `${p}: ${r.status}`);
    assert.match(r.headers['content-type'] ?? '', /^text\/html/, `${p} is HTML`);
    const csp = r.headers['content-security-policy'];
    assert.ok(csp, `${p}: no Content-Security-Policy`);
    const script = scriptSrc(csp);
    assert.ok(script, `${p}: the CSP restricts no scripts: ${csp}`);
    assert.ok(!script.includes("'unsafe-inline'"), `${p}: script-src allows inline script: ${csp}`);
    assert.ok(!script.includes("'unsafe-eval'"), `${p}: script-src allows eval: ${csp}`);
    assert.ok(!script.includes('*') && !script.some((v) => /^(https?:|data:)$/.test(v)), `${p}: script-src is too wide: ${csp}`);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', `${p}: X-Content-Type-Options`);
    assert.ok(r.headers['referrer-policy'], `${p}: no Referrer-Policy`);
    assert.match(r.headers['referrer-policy'], /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
      `${p}: Referrer-Policy ${r.headers['referrer-policy']} may leak the join code or token`);
  }
  // The pages hold no inline script (the CSP would block it).
  for (const p of ['/', '/facilitator', '/projector', '/debrief']) {
    const r = await rawGet(new URL(p, s.base).href, { 'Accept-Encoding': 'identity' });
    const html = r.bytes.toString('utf8');
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(([, attrs, body]) => !/\bsrc=/.test(attrs) && body.trim());
    assert.deepEqual(inline.map((m) => m[0].slice(0, 80)), [], `${p}: inline <script>`);
    assert.ok(!/\son[a-z]+\s*=/i.test(html), `${p}: inline event handler attribute`);
  }
});

s.test('a websocket from a foreign Origin is refused with 403; same-origin and non-browser clients are accepted', async () => {
  const foreign = await upgradeRequest(s.base, { origin: 'https://evil.example' });
  assert.equal(foreign.status, 403, 'foreign Origin');
  const lookalike = await upgradeRequest(s.base, { origin: `http://127.0.0.1:${s.server.port}.evil.example` });
  assert.equal(lookalike.status, 403, 'look-alike Origin');
  const otherPort = await upgradeRequest(s.base, { origin: `http://127.0.0.1:${s.server.port === 1 ? 2 : s.server.port - 1}` });
  assert.equal(otherPort.status, 403, 'same host, other port');
  const same = await upgradeRequest(s.base, { origin: s.base });
  assert.equal(same.status, 101, 'same Origin');
  same.socket.destroy();
  const none = await upgradeRequest(s.base);
  assert.equal(none.status, 101, 'no Origin (not a browser)');
  none.socket.destroy();

  // And from a real page on another origin: the browser's socket never opens.
  const page = await s.newPage('foreign-site');
  await page.route('http://evil.test/', (route) => route.fulfill({ contentType: 'text/html', body: '<title>evil</title>' }));
  await page.goto('http://evil.test/');
  const result = await page.evaluate(
    (url) =>
      new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('error');
        setTimeout(() => resolve('timeout'), 5000);
      }),
    s.base.replace('http:', 'ws:') + '/ws',
  );
  assert.equal(result, 'error', 'a cross-site page cannot open the websocket');
});
