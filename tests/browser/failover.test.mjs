// Two instances on one PostgreSQL store (issue 17): a phone that opens its join link on
// the instance that does not own the exercise is sent (4307) to the one that does, and
// follows its exercise back when that owner is killed (kill -9): the other instance takes
// the exercise over once the lease expires, the phone goes home to its own origin, an
// answer typed while offline goes out on reconnect, and every answer is stored once. The
// debrief's room facts (debrief-room.js, a socket of their own) follow a 4307 too.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import {
  SCREENSHOTS, Server, Suite, answer, eventually, injectCard, joinViaLink, launchBrowser, unique, waitAttr,
} from './harness.mjs';
import { startPostgres } from './postgres.mjs';
import { WsClient, facilitate } from './wsclient.mjs';

const LEASE_MS = 1500;

const s = new Suite();
let pg = null;
let a = null; // creates (and so owns) the exercise; killed
let b = null; // serves the phone's page; takes the exercise over

before(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  pg = await startPostgres();
  const args = ['--store', pg.url, '--lease-ms', String(LEASE_MS)];
  a = new Server({ args });
  b = new Server({ args });
  b.adminToken = a.adminToken; // one admin token for the whole deployment
  await Promise.all([a.start(), b.start()]);
  s.server = a;
  s.browser = await launchBrowser();
}, { timeout: 60_000 });

afterEach(async () => {
  await s.closeContexts();
});

after(async () => {
  await s.closeContexts();
  await s.browser?.close().catch(() => {});
  await Promise.all([a?.dispose(), b?.dispose()]);
  await pg?.stop();
});

/// The `connect-src` of a page served by `server`.
async function connectSrc(server) {
  const r = await server.api('/');
  const csp = r.headers.get('content-security-policy') ?? '';
  return csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src')) ?? '';
}

/// The `response_submitted` entries of a timeline carrying exactly `text`.
const answersWith = (timeline, text) => timeline.entries.filter((e) => e.kind === 'response_submitted' && e.text === text);

/// A timeline read on `server` itself (admin token, no redirect followed).
async function timelineOn(server, exerciseId) {
  const r = await server.api(`/api/exercises/${exerciseId}/timeline`, { token: server.adminToken });
  assert.equal(r.status, 200, `timeline on ${server.base}: ${r.status} ${r.body}`);
  return r.json;
}

s.test('a phone follows its exercise to the owner, and back to its own instance when the owner is killed', async (t) => {
  const started = Date.now();
  try {
    // Each instance learns the other's address from the store (every third of a lease),
    // and only then admits it in connect-src and in the websocket Origin check.
    await eventually(async () => {
      assert.ok((await connectSrc(b)).includes(a.base), `B's connect-src admits A: ${await connectSrc(b)}`);
      assert.ok((await connectSrc(a)).includes(b.base), `A's connect-src admits B: ${await connectSrc(a)}`);
    }, { message: 'the instances see each other' });

    // The exercise is created, and so owned, on A; started there: first-alert is out.
    const ex = await a.createExercise('quick-demo');
    const fac = await facilitate(a.base, ex.exercise_id, ex.facilitator_key);
    await fac.start();
    fac.close();

    // B sends a hello for it to A: 4307 with A's address.
    const probe = await WsClient.connect(b.base);
    probe.send({ type: 'facilitate', exercise_id: ex.exercise_id, facilitator_key: ex.facilitator_key });
    await eventually(() => assert.ok(probe.closed, 'B closes the socket'), { timeout: 5_000 });
    assert.deepEqual(probe.closed, { code: 4307, reason: a.base }, 'B sends the hello to the owner, A');

    // The phone opens the join link on B: its join is sent to A and welcomed there.
    const page = await s.newPage('phone', { viewport: { width: 390, height: 844 } });
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(new URL(ws.url()).origin.replace(/^ws/, 'http')));
    // The join page's read of the exercise (GET /api/join/CODE on B) is fetched from A by
    // B: a redirect to another origin would be blocked (CORS) and the form left bare.
    const joinInfo = page.waitForResponse((r) => r.url().startsWith(`${b.base}/api/join/`));
    const blocked = [];
    page.on('console', (m) => /CORS|ERR_FAILED/.test(m.text()) && blocked.push(m.text()));
    const group = await joinViaLink(page, b.base, ex.join_code, 'Folasade');
    assert.match(group, /\S/, 'the phone shows its group');
    assert.equal((await joinInfo).status(), 200, 'B answers the join page with what A says');
    assert.deepEqual(blocked, [], 'nothing blocked');
    assert.equal(page.url(), `${b.base}/join/${ex.join_code}`, 'the page stays on B');
    assert.deepEqual(sockets.slice(0, 2), [b.base, a.base], `the socket went to B, then to A: ${JSON.stringify(sockets)}`);
    const card = injectCard(page, 'first-alert');
    await card.waitFor({ state: 'visible' });

    // One answer, acknowledged by A and stored there once.
    const first = unique('Freeze SIM swaps with the telco');
    await answer(page, 'first-alert', first);
    assert.equal(answersWith(await timelineOn(a, ex.exercise_id), first).length, 1, 'A stored the first answer once');

    // The debrief's room facts come from a socket of their own: sent from B to A too.
    const facts = await page.evaluate(async ([id, key]) => {
      const room = await import('/assets/debrief-room.js');
      const got = await room.fetchRoomFacts(id, key, 5_000);
      return got && { answerMode: got.answerMode, injects: [...got.injects.keys()] };
    }, [ex.exercise_id, ex.facilitator_key]);
    assert.ok(facts?.injects.includes('first-alert'), `the room's facts, from A: ${JSON.stringify(facts)}`);

    // Kill the owner: the phone goes offline; an answer sent now waits on the phone.
    await page.evaluate(() => {
      const states = (window.__ttConnStates = []);
      const look = () => {
        const v = document.querySelector('#conn')?.getAttribute('data-state') ?? null;
        if (states[states.length - 1] !== v) states.push(v);
      };
      look();
      new MutationObserver(look).observe(document.documentElement, {
        subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'],
      });
    });
    const killedAt = Date.now();
    await a.stop({ signal: 'SIGKILL' });
    await waitAttr(page.locator('#conn'), 'data-state', 'offline');
    const second = unique('Tell customers to call the fraud line');
    await card.locator('textarea.answer-input').fill(second);
    await card.locator('button.answer-send').click();
    assert.equal(await card.locator('.answer-status').getAttribute('data-state'), 'sending', 'offline, the answer waits');

    // B takes the exercise over when A's lease expires; the phone comes home to B, sends
    // the waiting answer, and B acknowledges it.
    await waitAttr(page.locator('#conn'), 'data-state', 'online', { timeout: 10_000 });
    const backAfter = Date.now() - killedAt;
    assert.ok(backAfter < 10_000, `back online within 10 s of the kill, not ${backAfter} ms`);
    await waitAttr(card.locator('.answer-status'), 'data-state', 'sent');
    const states = await page.evaluate(() => window.__ttConnStates);
    assert.deepEqual([states[0], states.includes('offline'), states.at(-1)], ['online', true, 'online'],
      `#conn went offline, then online: ${JSON.stringify(states)}`);
    assert.equal(sockets.at(-1), b.base, `the last socket is on B: ${JSON.stringify(sockets)}`);
    for (const text of [first, second]) {
      const shown = card.locator('ul.answers li.answer .answer-text', { hasText: text });
      await eventually(async () => assert.equal(await shown.count(), 1, `"${text}" is listed once`));
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failover-phone.png'), fullPage: true });

    // B's log has both answers, each exactly once.
    const tl = await timelineOn(b, ex.exercise_id);
    assert.equal(answersWith(tl, first).length, 1, 'B has the first answer once');
    assert.equal(answersWith(tl, second).length, 1, 'B has the second answer once');
    assert.equal(tl.entries.filter((e) => e.kind === 'response_submitted').length, 2, 'and no other answer');
    t.diagnostic(`back online ${backAfter} ms after the kill; sockets: ${sockets.join(' ')}; test ${Date.now() - started} ms`);
  } catch (e) {
    e.message += `\nB's log (tail):\n${b.logTail(25)}`;
    throw e;
  }
});
