// Under load the server stores many answers in one commit and sends a group's share of
// them as one `batch` frame (docs/protocol.md). The participant page takes each push of
// a batch as if it had come alone: every answer of its group shows, once.

import assert from 'node:assert/strict';
import { Suite, eventually, injectCard, joinViaLink } from './harness.mjs';
import { WsClient, facilitate } from './wsclient.mjs';

const s = Suite.setup();

s.test('a phone shows every answer of its group once when the server sends them batched', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const page = await s.newPage('participant-batched', { viewport: { width: 390, height: 844 } });

  // Pass the page's socket through, counting the server's batch frames.
  let batches = 0;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (typeof m === 'string' && m.startsWith('{"type":"batch"')) batches++;
      ws.send(m);
    });
  });
  const groupName = await joinViaLink(page, s.base, ex.join_code, 'Awa');
  assert.ok(groupName.includes('Risk management'), `the first to join is in the first group, not ${groupName}`);

  // More members of the page's group, scripted: joins fill the groups in turn, so of
  // 60 more people 10 land in risk management with the page.
  const mates = [];
  for (let i = 0; i < 60; i++) {
    const c = await WsClient.connect(s.base);
    c.send({ type: 'join', join_code: ex.join_code, name: `Mate ${i}` });
    const welcome = await c.expect('welcome');
    if (welcome.group.id === 'risk') mates.push(c);
    else c.close();
  }
  assert.ok(mates.length >= 8, `${mates.length} scripted members in risk management`);
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await fac.start();
  await injectCard(page, 'first-alert').waitFor({ state: 'visible' });

  // They all answer at once, round after round, until some answers shared a commit
  // (usually the first round; the bound only keeps a failure finite).
  let sent = 0;
  for (let round = 0; round < 20 && batches === 0; round++) {
    const acks = mates.map((c, i) => {
      const id = `r${round}-m${i}`;
      c.send({ type: 'respond', inject_id: 'first-alert', text: `answer ${id}`, client_msg_id: id });
      return c.waitFor((m) => m.type === 'ack' && m.client_msg_id === id, { what: `ack ${id}` });
    });
    await Promise.all(acks);
    sent += mates.length;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(batches > 0, 'no answers ever came batched');

  const answers = injectCard(page, 'first-alert').locator('ul.answers li.answer .answer-text');
  await eventually(async () => assert.equal(await answers.count(), sent, 'every answer of the group, once'));
  const texts = await answers.allTextContents();
  assert.equal(new Set(texts).size, sent, 'no answer twice');
  for (const c of mates) c.close();
  fac.close();
});
