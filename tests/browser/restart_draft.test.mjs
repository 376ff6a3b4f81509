// A participant's unsent draft survives a server crash (kill -9) and a page reload,
// the page reconnects by itself, and the answer is stored exactly once — also when the
// acknowledgement is lost and the page has to send it again.

import assert from 'node:assert/strict';
import { Suite, eventually, injectCard, joinViaLink, TIMEOUT, unique, waitAttr } from './harness.mjs';
import { facilitate } from './wsclient.mjs';

const s = Suite.setup();

/// Records every value `#conn[data-state]` takes (also if the element is replaced).
async function recordConnStates(page) {
  await page.evaluate(() => {
    const states = (window.__ttConnStates = []);
    const look = () => {
      const v = document.querySelector('#conn')?.getAttribute('data-state') ?? null;
      if (states[states.length - 1] !== v) states.push(v);
    };
    look();
    new MutationObserver(look).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

const connStates = (page) => page.evaluate(() => window.__ttConnStates);

/// How many `response_submitted` entries of the timeline carry exactly `text`.
async function storedCount(ex, text) {
  const tl = await s.server.timeline(ex.exercise_id, ex.facilitator_key);
  return tl.entries.filter((e) => e.kind === 'response_submitted' && e.text === text).length;
}

async function startedExercise() {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await fac.start();
  fac.close();
  return ex;
}

s.test('a draft survives kill -9 of the server and a reload, then is sent and stored once', async () => {
  const ex = await startedExercise();
  const page = await s.newPage('participant', { viewport: { width: 390, height: 844 } });
  await joinViaLink(page, s.base, ex.join_code, 'Chidi');
  const card = injectCard(page, 'first-alert');
  const input = card.locator('textarea.answer-input');
  await input.waitFor({ state: 'visible' });

  const draft = unique('Call the telco to freeze SIM swaps;\nthen <b>tell</b> customers');
  await input.fill(draft);
  await waitAttr(card.locator('.answer-status'), 'data-state', 'draft');
  // The draft is saved locally (the page may debounce the save).
  const tag = draft.slice(-6); // the random part
  await page.waitForFunction(
    (t) => Object.keys(localStorage).some((k) => (localStorage.getItem(k) ?? '').includes(t)),
    tag,
    { timeout: TIMEOUT },
  );

  // Crash the server: the page notices.
  await recordConnStates(page);
  await s.server.stop({ signal: 'SIGKILL' });
  await waitAttr(page.locator('#conn'), 'data-state', 'offline');
  assert.equal(await input.inputValue(), draft, 'the draft stays while offline');

  // Start it again on the same data dir and port: the page comes back by itself.
  await s.server.start();
  await waitAttr(page.locator('#conn'), 'data-state', 'online', { timeout: 20_000 });
  const states = await connStates(page);
  assert.ok(states.indexOf('offline') >= 0 && states.lastIndexOf('online') > states.indexOf('offline'),
    `#conn went offline then online: ${JSON.stringify(states)}`);
  assert.equal(await input.inputValue(), draft, 'the draft survives the reconnect');
  // The page decides what to send again in the same step as it goes online: a draft it
  // took for a pending answer would show as sending, with the box locked.
  assert.equal(await card.locator('.answer-status').getAttribute('data-state'), 'draft', 'the draft is not being sent');
  assert.ok(await input.isEditable(), 'the draft stays editable');
  // Only an early look: a respond the page sent on reconnect may not be stored yet (there is
  // no sync point on the page's own socket without routing it, which this crash test does
  // not). The exactly-once checks after the explicit send below would count it.
  assert.equal(await storedCount(ex, draft), 0, 'a draft is not sent by itself');

  // A reload resumes the same participant with the draft in place.
  await page.reload();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  assert.equal(await page.locator('#join-form').isVisible(), false, 'a reload resumes; no second join');
  await input.waitFor({ state: 'visible' });
  await eventually(async () => assert.equal(await input.inputValue(), draft, 'the draft survives a reload'));

  // Send it: acknowledged, shown once, stored once.
  await card.locator('button.answer-send').click();
  await waitAttr(card.locator('.answer-status'), 'data-state', 'sent');
  const mine = card.locator('ul.answers li.answer .answer-text', { hasText: tag });
  await eventually(async () => assert.equal(await mine.count(), 1, 'the answer is listed once'));
  assert.ok((await mine.textContent()).includes('then <b>tell</b> customers'), 'the answer is shown as typed');
  assert.equal(await storedCount(ex, draft), 1, 'the timeline has the answer exactly once');

  // Once acknowledged, the draft is gone: a reload shows an empty box and one answer.
  await page.reload();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await input.waitFor({ state: 'visible' });
  await eventually(async () => assert.equal(await mine.count(), 1, 'the answer is listed once after a reload'));
  assert.equal(await input.inputValue(), '', 'a sent draft is cleared');
  assert.equal(await storedCount(ex, draft), 1, 'still exactly once');
});

s.test('an answer whose ack is lost is sent again with the same client_msg_id and stored once', async () => {
  const ex = await startedExercise();
  const page = await s.newPage('participant', { viewport: { width: 390, height: 844 } });

  // Sit between the page and the server: forward everything, but swallow the first ack
  // and drop the connection (as a flaky mobile network would).
  const sent = []; // client_msg_id of every respond the page sent, over all connections
  let dropAck = true;
  let connections = 0;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    connections++;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      try {
        const j = JSON.parse(m);
        if (j.type === 'respond') sent.push(j.client_msg_id);
      } catch {}
      server.send(m);
    });
    server.onMessage((m) => {
      let j;
      try {
        j = JSON.parse(m);
      } catch {}
      if (dropAck && j?.type === 'ack') {
        dropAck = false;
        ws.close({ code: 1001, reason: 'going away' });
        server.close();
        return;
      }
      ws.send(m);
    });
  });

  await joinViaLink(page, s.base, ex.join_code, 'Dede');
  const card = injectCard(page, 'first-alert');
  const text = unique('Rotate every agent PIN today');
  await card.locator('textarea.answer-input').fill(text);
  await card.locator('button.answer-send').click();

  await waitAttr(card.locator('.answer-status'), 'data-state', 'sent', { timeout: 20_000 });
  assert.ok(!dropAck, 'the first ack was swallowed');
  assert.ok(connections >= 2, `the page reconnected (connections: ${connections})`);
  assert.ok(sent.length >= 2, `the page sent the answer again after reconnecting (sends: ${sent.length})`);
  assert.ok(sent.every((id) => id === sent[0]), `same client_msg_id each time: ${JSON.stringify(sent)}`);
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  const mine = card.locator('ul.answers li.answer .answer-text', { hasText: text });
  await eventually(async () => assert.equal(await mine.count(), 1, 'the answer is listed once'));
  assert.equal(await storedCount(ex, text), 1, 'the timeline has the answer exactly once');
});
