// The console's side of the live room (issue 12): a poll's tally per group and overall
// as the answers come, Show results / Hide results and the briefing on the shared
// screen; answer windows on the grid (on time, late, due soon, overdue) following the
// play clock through a pause and at 600×; the scribe of each group in group answer mode,
// chosen from the console, with members' contributions shown after the group's answer
// and never counted; breakouts: two participants moved at once, the groups rebalanced,
// the breakout rooms downloaded as CSV (the key in a header, never in a URL), each
// group's room, member count and emails. Participants and the facilitator's own
// commands are scripted over the websocket; one browser.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, gridCell, openConsole, textOf, waitAttr, waitText } from './harness.mjs';
import { WsClient, ask, facilitate } from './wsclient.mjs';
import { assertAccessible } from './axe.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1366, height: 768 } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


/// A participant over the websocket, in the group they pick (self-select scenarios).
async function join(joinCode, name, extra = {}) {
  const ws = await WsClient.connect(s.base);
  ws.send({ type: 'join', join_code: joinCode, name, ...extra });
  const welcome = await ws.waitFor((m) => m.type === 'welcome' || m.type === 'error', { what: `welcome of ${name}` });
  if (welcome.type === 'error') throw new Error(`join refused: ${welcome.code} ${welcome.message}`);
  ws.welcome = welcome;
  ws.id = welcome.you.participant_id;
  ws.name = name;
  return ws;
}

/// The play time the server's clock shows now, from the last clock message `ws` received.
function playNowOf(ws) {
  const c = [...ws.messages].reverse().find((m) => m.type === 'clock') ?? ws.welcome.clock;
  const at = ws.clockAt?.get(c) ?? Date.now();
  return c.state === 'running' ? c.play_ms + (Date.now() - at) * c.speed : c.play_ms;
}

/// Waits for the clock push a command causes; records when it arrived.
async function clockCommand(ws, msg, pred) {
  const before = ws.messages.length;
  ws.send(msg);
  const m = await ws.waitFor((x) => ws.messages.indexOf(x) >= before && (x.type === 'error' || (x.type === 'clock' && pred(x))), { what: `clock after ${msg.type}` });
  if (m.type === 'error') throw new Error(`${msg.type} refused: ${m.code} ${m.message}`);
  ws.clockAt ??= new Map();
  ws.clockAt.set(m, Date.now());
  return m;
}

const poll = (page, injectId) => page.locator(`#polls section.poll[data-inject-id="${injectId}"]`);
const optionTotal = (page, injectId, option) => poll(page, injectId).locator(`tr[data-option-id="${option}"] td.total`);
const optionOfGroup = (page, injectId, option, group) => poll(page, injectId).locator(`tr[data-option-id="${option}"] td.by-group[data-group-id="${group}"]`);

s.test('a poll\'s tally per group and overall equals the answers sent; Show results puts the bars on the shared screen, Hide takes them off; the briefing goes up and back', async () => {
  const ex = await s.server.createExercise('live-room');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const people = {
    ada: await join(ex.join_code, 'Ada', { group_id: 'governance', email: 'ada@example.org' }),
    ben: await join(ex.join_code, 'Ben', { group_id: 'governance', email: 'ben@example.org' }),
    cho: await join(ex.join_code, 'Cho', { group_id: 'protection', email: 'cho@example.org' }),
    dia: await join(ex.join_code, 'Dia', { group_id: 'incident', email: 'dia@example.org' }),
    eli: await join(ex.join_code, 'Eli', { group_id: 'incident', email: 'eli@example.org' }),
  };
  const fac = await s.newPage('facilitator', SCREEN);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const projector = await s.newPage('projector', { viewport: { width: 1280, height: 720 } });
  await projector.goto(`${s.base}/projector?code=${ex.join_code}`);
  await waitAttr(projector.locator('#projector'), 'data-view', 'play');
  await waitText(fac.locator('#screen-now'), 'Screen: play');

  // The briefing from the join box, and back to play.
  await fac.locator('#show-briefing').click();
  await waitAttr(projector.locator('#projector'), 'data-view', 'briefing');
  await waitText(fac.locator('#screen-now'), 'Screen: briefing');
  await waitText(fac.locator('#show-briefing'), 'Back to play');
  assert.equal(await fac.locator('#show-briefing-view').getAttribute('aria-pressed'), 'true', 'the shared-screen panel agrees');
  await fac.locator('#show-briefing').click();
  await waitAttr(projector.locator('#projector'), 'data-view', 'play');
  await waitText(fac.locator('#show-briefing'), /^Briefing$/);

  // The ransom poll goes out at the start; five answers come in.
  await control.start();
  const ransom = await control.expect('inject', (m) => m.inject_id === 'ransom');
  const ids = ransom.response.options.map((o) => o.id);
  assert.deepEqual(ids.slice(0, 2), ['pay', 'refuse']);
  const escalate = ids[2];
  await poll(fac, 'ransom').waitFor({ state: 'visible' });
  const votes = [['ada', 'refuse'], ['ben', 'pay'], ['cho', 'refuse'], ['dia', escalate], ['eli', 'refuse']];
  for (const [who, option] of votes) await ask(people[who], { type: 'respond', inject_id: 'ransom', options: [option], text: '' });
  const want = { governance: { refuse: 1, pay: 1 }, protection: { refuse: 1 }, incident: { [escalate]: 1, refuse: 1 } };
  await eventually(async () => {
    assert.equal(await poll(fac, 'ransom').getAttribute('data-answers'), '5');
    for (const option of ids) {
      const total = votes.filter(([, o]) => o === option).length;
      assert.equal(await optionTotal(fac, 'ransom', option).getAttribute('data-count'), String(total), `all groups, ${option}`);
      for (const g of ['governance', 'protection', 'incident']) {
        assert.equal(await optionOfGroup(fac, 'ransom', option, g).getAttribute('data-count'), String(want[g][option] ?? 0), `${g}, ${option}`);
      }
    }
  }, { message: 'the console\'s tally is the answers sent' });
  await waitText(poll(fac, 'ransom').locator('.poll-answers'), '5 answers');
  await waitText(optionTotal(fac, 'ransom', 'refuse'), '3 (60%)');
  await waitText(poll(fac, 'ransom').locator('tr[data-option-id="pay"] th'), 'Pay the ransom');
  // A change of mind counts once: Ben now refuses too.
  await ask(people.ben, { type: 'respond', inject_id: 'ransom', options: ['refuse'], text: 'On second thoughts' });
  await waitAttr(optionTotal(fac, 'ransom', 'refuse'), 'data-count', '4');
  await waitAttr(optionTotal(fac, 'ransom', 'pay'), 'data-count', '0');
  await waitAttr(optionOfGroup(fac, 'ransom', 'refuse', 'governance'), 'data-count', '2');

  // A poll of several choices, released by hand: every choice counts.
  await control.release('first-notifier');
  const notifier = await control.expect('inject', (m) => m.inject_id === 'first-notifier');
  const [bank, telecom, csirt] = notifier.response.options.map((o) => o.id);
  await ask(people.ada, { type: 'respond', inject_id: 'first-notifier', options: [bank, csirt], text: '' });
  await ask(people.cho, { type: 'respond', inject_id: 'first-notifier', options: [bank], text: '' });
  await waitAttr(optionTotal(fac, 'first-notifier', bank), 'data-count', '2');
  await waitAttr(optionTotal(fac, 'first-notifier', csirt), 'data-count', '1');
  await waitAttr(optionTotal(fac, 'first-notifier', telecom), 'data-count', '0');
  await waitText(poll(fac, 'first-notifier').locator('.poll-answers'), '2 answers');
  await waitText(poll(fac, 'first-notifier'), 'several choices allowed');

  // Nothing on the projector until Show results; then the bars; Hide takes them off.
  assert.equal(await projector.locator('#poll-bars').count(), 0, 'no results before Show results');
  const show = poll(fac, 'ransom').locator('button.poll-show');
  assert.equal(await textOf(show), 'Show results');
  await show.click();
  await waitAttr(projector.locator('#projector'), 'data-view', 'poll');
  await waitAttr(projector.locator('#poll-bars [data-option-id="refuse"]'), 'data-count', '4');
  await waitAttr(projector.locator(`#poll-bars [data-option-id="${escalate}"]`), 'data-count', '1');
  await waitText(show, 'Hide results');
  await waitAttr(poll(fac, 'ransom'), 'data-showing', 'true');
  await waitText(fac.locator('#screen-now'), 'Screen: poll results');
  assert.equal(await poll(fac, 'first-notifier').locator('button.poll-show').textContent(), 'Show results', 'the other poll is not shown');
  // A late vote reaches the screen while it shows the poll.
  await ask(people.ben, { type: 'respond', inject_id: 'ransom', options: ['pay'], text: '' });
  await waitAttr(projector.locator('#poll-bars [data-option-id="pay"]'), 'data-count', '1');
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-poll.png') });
  await assertAccessible(fac, 'the console with two polls, one on the shared screen');
  await show.click();
  await waitAttr(projector.locator('#projector'), 'data-view', 'play');
  assert.equal(await projector.locator('#poll-bars').count(), 0, 'hidden again');
  await waitText(show, 'Show results');
  await waitText(fac.locator('#screen-now'), 'Screen: play');
  for (const ws of [control, ...Object.values(people)]) ws.close();
});

s.test('answer windows follow the play clock: due soon stands still while paused; a late answer is late and a missing one overdue, also at 600× after a pause', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const groups = control.welcome.groups.map((g) => g.id);
  const people = {};
  for (let i = 0; i < groups.length; i++) {
    const ws = await join(ex.join_code, `Player ${i + 1}`);
    people[ws.welcome.group.id] = ws;
  }
  assert.deepEqual(Object.keys(people).sort(), [...groups].sort(), 'one player per group');
  const fac = await s.newPage('facilitator', SCREEN);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);

  // Play at 60×; Risk management answers the payday wave at once (on time).
  await clockCommand(control, { type: 'start' }, (c) => c.state === 'running');
  await clockCommand(control, { type: 'set_speed', speed: 60 }, (c) => c.speed === 60);
  await ask(people.risk, { type: 'respond', inject_id: 'payday-fraud-wave', text: 'Hold transfers from swapped SIMs' });
  // Near T+11:00 slow down to 10×, and pause in the last minute of the partner API
  // inject's window (released at T+08:00 with 5 minutes: due at T+13:00).
  while (playNowOf(control) < 11 * 60_000) await sleep(50);
  const slow = await clockCommand(control, { type: 'set_speed', speed: 10 }, (c) => c.speed === 10);
  assert.ok(slow.play_ms < 12 * 60_000, `slowed down before the last minute: ${slow.play_ms}`);
  while (playNowOf(control) < 12 * 60_000 + 25_000) await sleep(20);
  const paused = await clockCommand(control, { type: 'pause' }, (c) => c.state === 'paused');
  // The window closes 5 minutes after the release (which the clock's timer makes at T+08:00 or just after).
  const due = (await control.expect('inject', (m) => m.inject_id === 'partner-api-abuse')).due_play_ms;
  assert.ok(due >= 13 * 60_000 && due < 13 * 60_000 + 5_000, `due at T+13:00: ${due}`);
  assert.ok(paused.play_ms >= due - 60_000 && paused.play_ms < due, `paused in the window's last minute: ${paused.play_ms}`);
  await waitAttr(fac.locator('#clock'), 'data-state', 'paused');

  // Due soon: the partner API inject's targeted groups, in words and colour.
  const soon = gridCell(fac, 'testing', 'partner-api-abuse');
  await waitAttr(soon, 'data-window', 'due_soon');
  const left = Math.ceil((due - paused.play_ms) / 1000);
  await waitText(soon.locator('.win'), `◷ 0:${String(left).padStart(2, '0')}`);
  await waitText(soon.locator('.sr'), `due in 0:${String(left).padStart(2, '0')}`);
  assert.equal(await gridCell(fac, 'governance', 'partner-api-abuse').count(), 0, 'not sent to governance: no window');
  await waitText(fac.locator('#next-deadline .deadline'), /^Next deadline: Risk management and 3 more groups due in 0:\d\d on Partner API abuse$/);
  const before = { win: await textOf(soon.locator('.win')), deadline: await textOf(fac.locator('#next-deadline .deadline')) };
  await sleep(2500);
  assert.deepEqual({ win: await textOf(soon.locator('.win')), deadline: await textOf(fac.locator('#next-deadline .deadline')) }, before,
    'a paused clock changes nothing');
  assert.equal(await soon.getAttribute('data-window'), 'due_soon');

  // The payday wave closed at T+04:00: Risk answered on time, Testing answers now (late),
  // the others are overdue.
  await waitAttr(gridCell(fac, 'risk', 'payday-fraud-wave'), 'data-window', 'on_time');
  await waitText(gridCell(fac, 'risk', 'payday-fraud-wave').locator('.win'), '✓ on time');
  await waitAttr(gridCell(fac, 'testing', 'payday-fraud-wave'), 'data-window', 'overdue');
  await ask(people.testing, { type: 'respond', inject_id: 'payday-fraud-wave', text: 'We test SIM-swap detection monthly' });
  await waitAttr(gridCell(fac, 'testing', 'payday-fraud-wave'), 'data-window', 'late');
  await waitText(gridCell(fac, 'testing', 'payday-fraud-wave').locator('.win'), '⚠ late');
  await waitText(gridCell(fac, 'testing', 'payday-fraud-wave').locator('.sr'), '1 answer, answered late');
  assert.match(await gridCell(fac, 'testing', 'payday-fraud-wave').locator('.latest').getAttribute('title'), /\(late\)$/);
  for (const g of ['governance', 'training', 'protection', 'incident']) {
    await waitAttr(gridCell(fac, g, 'payday-fraud-wave'), 'data-window', 'overdue');
    await waitText(gridCell(fac, g, 'payday-fraud-wave').locator('.win'), '✗ overdue');
  }
  await waitText(fac.locator('#next-deadline .overdue'), /answers overdue$/);
  // The legend says what the colours say.
  assert.deepEqual(await fac.locator('#grid-legend li').allTextContents(),
    ['✓ answered on time', '⚠ answered late', '◷ due within a minute', '✗ overdue: no answer']);
  await fac.evaluate(() => window.scrollTo(0, 0));
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-overdue.png') });
  await assertAccessible(fac, 'the console with answer windows (contrast of every state)');

  // At 600× after the pause: the partner API window closes at once; Incident response
  // answers late, Protection not at all.
  await clockCommand(control, { type: 'set_speed', speed: 600 }, (c) => c.speed === 600);
  await clockCommand(control, { type: 'resume_clock' }, (c) => c.state === 'running');
  await waitAttr(gridCell(fac, 'protection', 'partner-api-abuse'), 'data-window', 'overdue');
  await ask(people.incident, { type: 'respond', inject_id: 'partner-api-abuse', text: 'Revoke the SahelLink key' });
  await clockCommand(control, { type: 'pause' }, (c) => c.state === 'paused');
  await waitAttr(gridCell(fac, 'incident', 'partner-api-abuse'), 'data-window', 'late');
  await waitAttr(gridCell(fac, 'protection', 'partner-api-abuse'), 'data-window', 'overdue');
  await waitAttr(gridCell(fac, 'risk', 'payday-fraud-wave'), 'data-window', 'on_time');
  assert.equal(await fac.locator('#grid td[data-inject-id="partner-api-abuse"][data-window="due_soon"]').count(), 0, 'the closed window has nothing due soon');
  for (const ws of [control, ...Object.values(people)]) ws.close();
}, { timeout: 90_000 });

s.test('group answer mode: the console marks each group\'s scribe and changes it; the group\'s answer first, contributions after, never counted', async () => {
  const ex = await s.server.createExercise('live-room-scribe');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  assert.ok(control.welcome.scribes, 'group answer mode: scribes in the welcome');
  const awa = await join(ex.join_code, 'Awa', { group_id: 'governance' });
  const bako = await join(ex.join_code, 'Bako', { group_id: 'governance' });
  const chidi = await join(ex.join_code, 'Chidi', { group_id: 'protection' });
  const fac = await s.newPage('facilitator', SCREEN);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const member = (ws) => fac.locator(`#roster li.member[data-participant-id="${ws.id}"]`);
  const scribeSelect = fac.locator('#roster .group-box[data-group-id="governance"] select.scribe-select');

  // The first to join writes for the group.
  await waitAttr(member(awa), 'data-scribe', 'true');
  assert.equal(await member(bako).getAttribute('data-scribe'), null);
  assert.ok(await member(awa).locator('.scribe-tag').isVisible(), 'a visible mark');
  await waitText(member(awa).locator('.scribe-tag'), 'scribe');
  assert.equal(await scribeSelect.inputValue(), awa.id);
  await waitAttr(member(chidi), 'data-scribe', 'true');
  assert.ok(await fac.locator('#roster .group-box[data-group-id="incident"] .scribe-line').isHidden(), 'no scribe line for an empty group');

  // The facilitator chooses Bako; everyone in the group hears it.
  await scribeSelect.selectOption(bako.id);
  await waitAttr(member(bako), 'data-scribe', 'true');
  await eventually(async () => assert.equal(await member(awa).getAttribute('data-scribe'), null));
  await waitText(fac.locator('#roster-status'), 'Bako is now the scribe of Governance.');
  const heard = await awa.waitFor((m) => m.type === 'group_members' && m.group_id === 'governance' && m.members.some((x) => x.scribe && x.participant_id === bako.id), { what: 'the new scribe' });
  assert.ok(heard);

  // Awa contributes, Bako (the scribe) answers for the group: one answer, on time.
  await control.start();
  await ask(awa, { type: 'respond', inject_id: 'ransom', text: 'I would not pay: the backups are offline' });
  await ask(bako, { type: 'respond', inject_id: 'ransom', options: ['refuse'], text: 'We do not pay' });
  const cell = gridCell(fac, 'governance', 'ransom');
  await waitAttr(cell, 'data-count', '1');
  await waitAttr(cell, 'data-window', 'on_time');
  await waitText(cell.locator('.latest'), 'Bako: Do not pay — We do not pay');
  await waitText(cell.locator('.contribs'), '+1');
  await waitText(cell.locator('.sr'), '1 answer, answered on time, 1 contribution');
  const title = await cell.locator('.latest').getAttribute('title');
  const lines = title.split('\n\n');
  assert.equal(lines[0], "Group's answer");
  assert.equal(lines[1], 'Bako: Do not pay — We do not pay');
  assert.match(lines[2], /^— Contributions \(not the group answer\) —$/);
  assert.equal(lines[3], '(contribution) Awa: I would not pay: the backups are offline');
  // The tally counts the group's answer only.
  await waitAttr(optionTotal(fac, 'ransom', 'refuse'), 'data-count', '1');
  await waitText(poll(fac, 'ransom').locator('.poll-answers'), '1 answer');
  // A contribution alone answers nothing: Protection has none yet.
  await ask(chidi, { type: 'respond', inject_id: 'ransom', options: ['pay'], text: '' });
  await waitAttr(gridCell(fac, 'protection', 'ransom'), 'data-count', '1');
  await waitAttr(gridCell(fac, 'incident', 'ransom'), 'data-count', '0');
  await fac.locator('#groups-card').screenshot({ path: path.join(SCREENSHOTS, 'console-scribes.png') });
  await assertAccessible(fac, 'the console in group answer mode');
  for (const ws of [control, awa, bako, chidi]) ws.close();
});

s.test('breakouts: two participants moved at once, the groups rebalanced, the breakout rooms downloaded as CSV with the key in a header; rooms, counts and emails shown', async () => {
  const ex = await s.server.createExercise('live-room');
  const names = ['Ama', 'Bola', 'Chike', 'Dayo', 'Efe'];
  const people = [];
  for (const name of names) people.push(await join(ex.join_code, name, { group_id: 'governance', email: `${name.toLowerCase()}@example.org` }));
  const fac = await s.newPage('facilitator', SCREEN);
  const urls = [];
  fac.on('request', (r) => urls.push(r.url()));
  const sent = [];
  fac.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const box = (g) => fac.locator(`#roster .group-box[data-group-id="${g}"]`);
  const member = (ws) => fac.locator(`#roster li.member[data-participant-id="${ws.id}"]`);

  // Each group's breakout room and member count; the emails, in the console only.
  await waitText(box('governance').locator('h3'), 'Governance (5)');
  await waitText(box('governance').locator('.breakout-room'), 'Breakout room: Room G — Governance');
  await waitText(box('protection').locator('.breakout-room'), /^Breakout room 2$/);
  await waitText(box('incident').locator('h3'), 'Incident response (0)');
  await waitText(member(people[0]).locator('.email'), 'ama@example.org');
  await waitText(fac.locator('#joined-count'), '5 joined');

  // Tick Chike and Dayo, move them to Protection at once.
  await member(people[2]).locator('input.pick').check();
  await member(people[3]).locator('input.pick').check();
  await waitText(fac.locator('#selected-count'), '2 selected');
  await fac.locator('#move-to').selectOption('protection');
  await fac.locator('#move-selected').click();
  await waitText(box('protection').locator('h3'), 'Protection (2)');
  await waitText(box('governance').locator('h3'), 'Governance (3)');
  await waitText(fac.locator('#roster-status'), 'Moved 2 participants to Protection.');
  assert.equal(await box('protection').locator('li.member').count(), 2);
  await waitText(fac.locator('#selected-count'), '0 selected');
  assert.equal(await box('protection').locator('li.member input.pick:checked').count(), 0, 'the moved ones are unticked');

  // Rebalance: the latest joiner of the largest group goes to the smallest.
  await fac.locator('#rebalance').click();
  await waitText(box('incident').locator('h3'), 'Incident response (1)');
  await waitText(box('governance').locator('h3'), 'Governance (2)');
  await waitText(box('incident'), 'Efe');
  await waitText(fac.locator('#roster-status'), 'Groups rebalanced.');
  const moves = sent.map((f) => JSON.parse(f)).filter((m) => ['move_participants', 'rebalance'].includes(m.type));
  assert.deepEqual(moves.map((m) => m.type), ['move_participants', 'rebalance']);
  assert.deepEqual(moves[0].participant_ids.sort(), [people[2].id, people[3].id].sort());

  // The CSV: one row per participant, by room in the scenario's order.
  const [download] = await Promise.all([fac.waitForEvent('download'), fac.locator('#breakouts-csv').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(csv[0], 'Pre-assign Room Name,Email Address,Participant,Group');
  assert.deepEqual(csv.slice(1), [
    'Room G — Governance,ama@example.org,Ama,Governance',
    'Room G — Governance,bola@example.org,Bola,Governance',
    'Breakout room 2,chike@example.org,Chike,Protection',
    'Breakout room 2,dayo@example.org,Dayo,Protection',
    'Breakout room 3,efe@example.org,Efe,Incident response',
  ]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  await waitText(fac.locator('#roster-status'), 'Breakout rooms (CSV) downloaded');
  const csvUrls = urls.filter((u) => u.includes('breakouts.csv'));
  assert.equal(csvUrls.length, 1, 'one fetch of the CSV');
  for (const secret of [s.server.adminToken, ex.facilitator_key]) {
    assert.ok(!csvUrls[0].includes(secret), `no key in the CSV's URL: ${csvUrls[0]}`);
  }
  await fac.locator('#groups-card').screenshot({ path: path.join(SCREENSHOTS, 'console-breakouts.png') });
  for (const ws of people) ws.close();
});
