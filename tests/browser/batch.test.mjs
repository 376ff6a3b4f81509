// Under load the server stores many answers in one commit and sends a group's share of
// them as one `batch` frame (docs/protocol.md). The participant page takes each push of
// a batch as if it had come alone: every answer of its group shows, once.

import assert from 'node:assert/strict';
import { Suite, injectCard, joinViaLink, unique, waitText } from './harness.mjs';
import { WsClient, facilitate, nextMsgId } from './wsclient.mjs';

const s = Suite.setup();

s.test('a phone shows every answer of its group once when the server sends them batched', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const page = await s.newPage('participant-batched', { viewport: { width: 390, height: 844 } });

  // Pass the page's socket through, counting the server's batch frames. `syncPage()` is a
  // sync point on the page's connection: a `ping` from the test, whose `ack` (kept from the
  // page) comes after every push up to its seq has gone through here.
  let batches = 0;
  let toServer = null;
  const pings = new Map(); // client_msg_id → resolve
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    toServer = server;
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (typeof m === 'string' && m.startsWith('{"type":"batch"')) batches++;
      const ack = typeof m === 'string' && m.includes('"ack"') ? JSON.parse(m) : null;
      if (ack?.type === 'ack' && pings.has(ack.client_msg_id)) return pings.get(ack.client_msg_id)(ack);
      ws.send(m);
    });
  });
  const syncPage = () => new Promise((resolve) => {
    const id = nextMsgId('page-sync');
    pings.set(id, resolve);
    toServer.send(JSON.stringify({ type: 'ping', client_msg_id: id }));
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
  // (usually the first round; the bound only keeps a failure finite). After each round a
  // sync point on the page's connection: every push of the round has passed the counter.
  let sent = 0;
  for (let round = 0; round < 20 && batches === 0; round++) {
    const acks = mates.map((c, i) => {
      const id = `r${round}-m${i}`;
      c.send({ type: 'respond', inject_id: 'first-alert', text: `answer ${id}`, client_msg_id: id });
      return c.waitFor((m) => m.type === 'ack' && m.client_msg_id === id, { what: `ack ${id}` });
    });
    await Promise.all(acks);
    sent += mates.length;
    await syncPage();
  }
  assert.ok(batches > 0, 'no answers ever came batched');

  // Every scripted member got every answer of the group exactly once: after a sync point,
  // a missing or doubled push is not still on its way.
  for (const c of mates) {
    await c.sync();
    const seqs = c.messages.filter((m) => m.type === 'response' && m.inject_id === 'first-alert').map((m) => m.seq);
    assert.equal(seqs.length, sent, 'a scripted member received every answer of its group');
    assert.equal(new Set(seqs).size, sent, 'a scripted member received no answer twice');
  }

  // The page: an announcement made after the last answer comes after all of them on its
  // socket, so once it shows, every answer has been handled; none may be missing or twice.
  const barrier = unique('Barrier after the last answer');
  await fac.announce(barrier);
  await waitText(page.locator('#announcements'), barrier);
  const answers = injectCard(page, 'first-alert').locator('ul.answers li.answer .answer-text');
  assert.equal(await answers.count(), sent, 'every answer of the group, once');
  const texts = await answers.allTextContents();
  assert.equal(new Set(texts).size, sent, 'no answer twice');
  for (const c of mates) c.close();
  fac.close();
});
