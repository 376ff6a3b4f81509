// The live room on a 360×740 phone (issue 12): a poll's options are real radio buttons or
// checkboxes with labels, sent with `respond` and shown by label once acked, kept over a
// reload; an answer window counts down on the play clock (stands still while paused,
// follows the speed) and then takes late answers, marked; in group answer mode the
// scribe writes the group's answer, the other members contribute and the scribe folds a
// contribution in and hands the role on; the join form's group picker and email field;
// the breakout room in the lobby and after a move. Screenshots:
// target/screenshots/phone-poll.png, phone-countdown.png, phone-scribe.png,
// phone-join-picker.png (and phone-scribe-member.png, phone-scribe-hand-on.png,
// phone-room.png, phone-room-fr.png).

import assert from 'node:assert/strict';
import path from 'node:path';
import { assertAccessible } from './axe.mjs';
import { assertNoInnerScroll, eventually, injectCard, SCREENSHOTS, Suite, textOf, waitAttr, waitText } from './harness.mjs';
import { facilitate, joinParticipant, nextMsgId } from './wsclient.mjs';

const s = Suite.setup();
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, name) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


/// Joins on the phone through the link; `group` picks a group when the form offers them.
async function joinPhone(page, code, name, { group, email } = {}) {
  await page.goto(`${s.base}/join/${code}`);
  await page.locator('#join-name').fill(name);
  if (group) await page.locator(`#join-groups input[value="${group}"]`).check();
  if (email) await page.locator('#join-email').fill(email);
  await page.locator('#join-submit').click();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
}

/// The facilitator's command with a client_msg_id, resolved with its ack (or thrown error).
async function command(fac, msg) {
  const id = nextMsgId('cmd');
  fac.send({ ...msg, client_msg_id: id });
  const reply = await fac.waitFor((m) => (m.type === 'ack' || m.type === 'error') && m.client_msg_id === id, { what: `ack of ${msg.type}` });
  if (reply.type === 'error') throw new Error(`${msg.type} refused: ${reply.code} ${reply.message}`);
  return reply;
}

const choice = (card, label) => card.locator('fieldset.choices label.choice', { hasText: label });

s.test('the DFS ransom poll: tap an option, send; acked and tallied, shown by its label, kept over a reload; a refused option says why', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const page = await s.newPage('phone', PHONE);
  await joinPhone(page, ex.join_code, 'Awa'); // the first joiner: Risk management
  const mate = await joinParticipant(s.base, ex.join_code, 'Bako');
  const others = [];
  for (const name of ['Cheikh', 'Dawda', 'Ebou', 'Fanta']) others.push(await joinParticipant(s.base, ex.join_code, name));
  const riskMate = await joinParticipant(s.base, ex.join_code, 'Gibril'); // the seventh: Risk management again
  assert.equal(riskMate.group.id, 'risk');
  await fac.start();
  await fac.release('agent-system-ransomware');
  const card = injectCard(page, 'agent-system-ransomware');
  await card.waitFor({ state: 'visible' });

  // Three real radio buttons, each named by its label, in one group; the "why" box after.
  const radios = card.getByRole('radio');
  await eventually(async () => assert.equal(await radios.count(), 3));
  assert.deepEqual(await card.locator('fieldset.choices label.choice').allTextContents(),
    ['Pay the ransom', 'Do not pay', 'Escalate to the board and law enforcement before deciding']);
  assert.equal(await textOf(card.locator('fieldset.choices legend')), 'Your choice');
  assert.equal(await card.getByRole('radio', { name: 'Do not pay' }).getAttribute('value'), 'refuse');
  assert.equal(await textOf(card.locator('form.answer-form > label')), 'Why? (optional)');
  const order = await card.evaluate((el) => ['fieldset.choices', 'textarea.answer-input', 'button.answer-send']
    .map((sel) => el.querySelector(sel).getBoundingClientRect().top));
  assert.deepEqual([...order].sort((a, b) => a - b), order, `choices, then why, then send: ${order}`);
  const row = await choice(card, 'Do not pay').boundingBox();
  assert.ok(row.height >= 44 && row.width >= 280, `a big row to tap: ${JSON.stringify(row)}`);

  // Keyboard: arrows move within the radio group.
  await card.getByRole('radio', { name: 'Pay the ransom' }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  assert.ok(await card.getByRole('radio', { name: 'Do not pay' }).isChecked(), 'ArrowDown chose the next option');

  // A tap on the label chooses; the choice is a draft on the phone until sent.
  await choice(card, 'Escalate to the board').tap();
  await choice(card, 'Do not pay').tap();
  assert.ok(await card.getByRole('radio', { name: 'Do not pay' }).isChecked());
  await card.locator('textarea.answer-input').fill('Paying funds crime and does not stop the leak');
  await waitAttr(card.locator('.answer-status'), 'data-state', 'draft');
  await page.reload();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await eventually(async () => assert.ok(await card.getByRole('radio', { name: 'Do not pay' }).isChecked(), 'the draft choice survives a reload'));
  assert.equal(await card.locator('textarea.answer-input').inputValue(), 'Paying funds crime and does not stop the leak');

  await card.locator('button.answer-send').tap();
  await waitAttr(card.locator('.answer-status'), 'data-state', 'sent');
  assert.equal(await textOf(card.locator('.answer-status')), 'Sent ✓ — Do not pay');
  const tally = await fac.expect('tally', (m) => m.inject_id === 'agent-system-ransomware' && m.total.refuse === 1);
  assert.equal(tally.by_group.risk.refuse, 1, 'the facilitator has the choice in the tally');
  const mine = card.locator('ul.answers li.answer').last();
  await waitText(mine.locator('.answer-choice'), 'Do not pay');
  assert.equal(await textOf(mine.locator('.answer-text')), 'Paying funds crime and does not stop the leak');
  assert.ok(await card.getByRole('radio', { name: 'Do not pay' }).isChecked(), 'the sent choice stays ticked');

  // A member of the group chooses too: their choice shows by its label, not its id.
  const id = nextMsgId();
  riskMate.send({ type: 'respond', inject_id: 'agent-system-ransomware', text: '', options: ['escalate'], client_msg_id: id });
  await riskMate.expect('ack', (m) => m.client_msg_id === id);
  await waitText(card.locator('ul.answers li.answer').last(), 'Gibril');
  assert.equal(await textOf(card.locator('ul.answers li.answer').last().locator('.answer-choice')), 'Escalate to the board and law enforcement before deciding');
  assert.doesNotMatch(await textOf(card.locator('ul.answers')), /\bescalate\b|\brefuse\b/);
  await assertNoInnerScroll(page, 'the poll');
  await card.locator('fieldset.choices').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -120));
  await shot(page, 'phone-poll.png');

  // After a reload: what this phone sent is ticked and said, and listed by label.
  await page.reload();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await waitText(card.locator('.answer-status'), 'Sent ✓ — Do not pay');
  assert.ok(await card.getByRole('radio', { name: 'Do not pay' }).isChecked());
  assert.deepEqual(await card.locator('ul.answers .answer-choice').allTextContents(),
    ['Do not pay', 'Escalate to the board and law enforcement before deciding']);

  // An option the poll does not offer (an old page, a changed scenario) is refused: the
  // phone says why in words and keeps the draft.
  await card.getByRole('radio', { name: 'Pay the ransom' }).evaluate((el) => { el.value = 'settle'; });
  await choice(card, 'Pay the ransom').tap();
  await card.locator('button.answer-send').tap();
  await waitAttr(card.locator('.answer-status'), 'data-state', 'error');
  assert.equal(await textOf(card.locator('.answer-status')), 'That option is not offered: choose again.');
  assert.ok(await card.locator('button.answer-send').isEnabled(), 'the form is open again');
  const draft = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.endsWith('.agent-system-ransomware'))?.[1]);
  assert.deepEqual(JSON.parse(draft).options, ['settle'], 'the refused choice is kept as a draft');
  for (const ws of [fac, mate, riskMate, ...others]) ws.close();
});

s.test('a multiple-choice poll released by the facilitator sends two options', async () => {
  const ex = await s.server.createExercise('live-room');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const page = await s.newPage('phone', PHONE);
  await joinPhone(page, ex.join_code, 'Awa');
  await fac.start();
  await fac.release('first-notifier');
  const card = injectCard(page, 'first-notifier');
  await card.waitFor({ state: 'visible' });
  await eventually(async () => assert.equal(await card.getByRole('checkbox').count(), 3));
  assert.equal(await card.getByRole('radio').count(), 0);
  assert.equal(await textOf(card.locator('fieldset.choices legend')), 'Your choice (one or more)');
  await choice(card, 'Central bank').tap();
  await choice(card, 'CSIRT').tap();
  await card.locator('button.answer-send').tap();
  await waitAttr(card.locator('.answer-status'), 'data-state', 'sent');
  assert.equal(await textOf(card.locator('.answer-status')), 'Sent ✓ — Central bank, CSIRT');
  const ids = Object.fromEntries((await fac.expect('inject', (m) => m.inject_id === 'first-notifier')).response.options.map((o) => [o.label, o.id]));
  const tally = await fac.expect('tally', (m) => m.inject_id === 'first-notifier' && m.answers === 1);
  assert.equal(tally.total[ids['Central bank']], 1);
  assert.equal(tally.total[ids.CSIRT], 1);
  assert.equal(tally.total[ids['Telecom regulator']], 0);
  const response = await fac.expect('response', (m) => m.inject_id === 'first-notifier');
  assert.deepEqual(response.options, [ids['Central bank'], ids.CSIRT]);
  await waitText(card.locator('ul.answers .answer-choice'), 'Central bank, CSIRT');
  fac.close();
});

s.test('an answer window counts down on the play clock: still while paused, on again when resumed; then time is up and a late answer is marked', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const page = await s.newPage('phone', PHONE);
  await joinPhone(page, ex.join_code, 'Awa');
  const fr = await s.newPage('phone-fr', { ...PHONE, locale: 'fr-FR' });
  await joinPhone(fr, ex.join_code, 'Kebba');
  await fac.start();
  const card = injectCard(page, 'payday-fraud-wave');
  await card.waitFor({ state: 'visible' });
  const countdown = card.locator('.countdown');
  await waitText(countdown, /^[34]:\d\d left to answer$/);
  const order = await card.evaluate((el) => ['.countdown', 'textarea.answer-input'].map((sel) => el.querySelector(sel).getBoundingClientRect().top));
  assert.ok(order[0] < order[1], 'the countdown is above the answer box');
  const first = await textOf(countdown);
  await waitText(countdown, /left to answer/, { timeout: 3000 });
  await eventually(async () => assert.notEqual(await textOf(countdown), first, 'the countdown moves'), { timeout: 3000 });
  await waitText(injectCard(fr, 'payday-fraud-wave').locator('.countdown'), /^[34]:\d\d pour répondre$/);
  await assertNoInnerScroll(page, 'a countdown');
  await assertAccessible(page, 'a countdown');
  await card.locator('.questions').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => window.scrollBy(0, -70));
  await shot(page, 'phone-countdown.png');

  // Paused: the countdown stands still.
  await fac.command({ type: 'pause' }, (m) => m.type === 'clock' && m.state === 'paused');
  await waitAttr(page.locator('#clock'), 'data-state', 'paused');
  const paused = await textOf(countdown);
  await sleep(2000);
  assert.equal(await textOf(countdown), paused, 'no change for 2 s while paused');

  // Resumed: it moves again.
  await fac.command({ type: 'resume_clock' }, (m) => m.type === 'clock' && m.state === 'running');
  await eventually(async () => assert.notEqual(await textOf(countdown), paused, 'it moves again'), { timeout: 3000 });

  // At 600× the four minutes pass in under half a second: time is up; an answer is late.
  await fac.command({ type: 'set_speed', speed: 600 }, (m) => m.type === 'clock' && m.speed === 600);
  await waitText(countdown, 'Time is up — late answers are still taken');
  await waitAttr(countdown, 'data-state', 'late');
  await waitText(injectCard(fr, 'payday-fraud-wave').locator('.countdown'), 'Temps écoulé — les réponses en retard sont encore acceptées');
  await fac.command({ type: 'set_speed', speed: 1 }, (m) => m.type === 'clock' && m.speed === 1);
  await card.locator('textarea.answer-input').fill('Freeze swapped SIMs');
  await card.locator('button.answer-send').tap();
  await waitAttr(card.locator('.answer-status'), 'data-state', 'sent');
  const late = card.locator('ul.answers li.answer').last();
  await waitText(late.locator('.late'), 'late');
  assert.equal(await textOf(late.locator('.answer-text')), 'Freeze swapped SIMs');
  const frCard = injectCard(fr, 'payday-fraud-wave');
  await frCard.locator('textarea.answer-input').fill('Bloquer les transferts');
  await frCard.locator('button.answer-send').tap();
  await waitText(frCard.locator('ul.answers li.answer').last().locator('.late'), 'en retard');
  await page.evaluate(() => window.scrollTo(0, 0));
  fac.close();
});

s.test('a group with a scribe: the second member contributes, the scribe folds it in and answers; the group\'s answer shows first on both phones; the role is handed on', async () => {
  const ex = await s.server.createExercise('live-room-scribe');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const scribe = await s.newPage('scribe', PHONE);
  await joinPhone(scribe, ex.join_code, 'Awa', { group: 'protection' });
  const member = await s.newPage('member', PHONE);
  await joinPhone(member, ex.join_code, 'Bako', { group: 'protection' });
  await waitText(scribe.locator('#lobby-members'), 'Awa (you) (scribe), Bako');
  await fac.start();
  const sCard = injectCard(scribe, 'ransom');
  const mCard = injectCard(member, 'ransom');
  await sCard.waitFor({ state: 'visible' });
  await mCard.waitFor({ state: 'visible' });

  // The scribe: the note, the choices, the answer box.
  await waitText(sCard.locator('.role-note'), "You are the scribe: your answer is the group's answer");
  await eventually(async () => assert.equal(await sCard.getByRole('radio').count(), 3));
  // The member: who writes, a contribution box of 1,000 characters, the options read-only.
  await waitText(mCard.locator('form.answer-form > label'), "Awa writes the group's answer. Add a contribution:");
  assert.equal(await mCard.locator('fieldset.choices').isVisible(), false, 'no choices for a member who is not the scribe');
  assert.equal(await textOf(mCard.locator('.poll-options')), 'The options (the scribe chooses): Pay the ransom / Do not pay / Escalate first');
  assert.equal(await mCard.locator('textarea.answer-input').getAttribute('maxlength'), '1000');
  assert.equal(await mCard.locator('.role-note').isVisible(), false);

  // A contribution, seen by the scribe, folded into the scribe's answer.
  const idea = 'Restore from the offline copy first';
  await mCard.locator('textarea.answer-input').fill(idea);
  await mCard.locator('button.answer-send').tap();
  await waitAttr(mCard.locator('.answer-status'), 'data-state', 'sent');
  const contribution = sCard.locator('ul.answers li.answer[data-kind="contribution"]');
  await waitText(contribution, idea);
  assert.equal(await textOf(contribution.locator('.mark')), 'Contribution');
  assert.equal(await mCard.locator('button.fold').count(), 0, 'only the scribe folds contributions in');
  await sCard.locator('textarea.answer-input').fill('We do not pay.');
  await contribution.locator('button.fold').tap();
  assert.equal(await sCard.locator('textarea.answer-input').inputValue(), `We do not pay.\n${idea}`);
  assert.equal(await textOf(contribution.locator('button.fold')), 'Added ✓');
  await choice(sCard, 'Do not pay').tap();
  await sCard.locator('button.answer-send').tap();
  await waitAttr(sCard.locator('.answer-status'), 'data-state', 'sent');
  assert.equal(await textOf(sCard.locator('.answer-status')), 'Sent ✓ — Do not pay');

  // Both phones: the group's answer first, then the contribution.
  for (const [who, c] of [['scribe', sCard], ['member', mCard]]) {
    await eventually(async () => {
      const kinds = await c.locator('ul.answers li.answer').evaluateAll((els) => els.map((e) => e.dataset.kind));
      assert.deepEqual(kinds, ['group', 'contribution'], `${who}: the group's answer first`);
    });
    const main = c.locator('ul.answers li.answer').first();
    assert.equal(await textOf(main.locator('.mark')), "Group's answer");
    assert.equal(await textOf(main.locator('.answer-choice')), 'Do not pay');
    assert.equal(await textOf(main.locator('.answer-author')), 'Awa');
  }
  await assertNoInnerScroll(scribe, 'the scribe');
  await assertNoInnerScroll(member, 'a member');
  await assertAccessible(scribe, 'the scribe');
  await assertAccessible(member, 'a member');
  await sCard.locator('ul.answers').scrollIntoViewIfNeeded();
  await shot(scribe, 'phone-scribe.png');
  await mCard.locator('form.answer-form').scrollIntoViewIfNeeded();
  await shot(member, 'phone-scribe-member.png');

  const tally = await fac.expect('tally', (m) => m.inject_id === 'ransom' && m.answers === 1);
  assert.equal(tally.by_group.protection.refuse, 1, "the scribe's choice is the group's");

  // A second contribution, folded in after the answer was sent: the box starts from the
  // group's answer, so the scribe's next answer keeps it.
  await mCard.locator('textarea.answer-input').fill('Tell the regulator today');
  await mCard.locator('button.answer-send').tap();
  const second = sCard.locator('ul.answers li.answer[data-kind="contribution"]', { hasText: 'Tell the regulator' });
  await second.locator('button.fold').tap();
  assert.equal(await sCard.locator('textarea.answer-input').inputValue(), `We do not pay.\n${idea}\nTell the regulator today`);
  await sCard.locator('button.answer-send').tap();
  await waitAttr(sCard.locator('.answer-status'), 'data-state', 'sent');
  await waitText(mCard.locator('ul.answers li.answer').first().locator('.answer-text'), 'Tell the regulator today');
  assert.equal(await mCard.locator('ul.answers li.answer[data-kind="group"]').count(), 1, "one group's answer: the latest");

  // The scribe hands the role on; the member's draft stays through the switch.
  await mCard.locator('textarea.answer-input').fill('Bako now drafting');
  await scribe.locator('#scribe-bar summary').tap();
  await scribe.locator('#scribe-to').selectOption({ label: 'Bako' });
  await scribe.locator('#scribe-bar').scrollIntoViewIfNeeded();
  await shot(scribe, 'phone-scribe-hand-on.png');
  await scribe.locator('#scribe-bar button[type="submit"]').tap();
  await waitText(mCard.locator('.role-note'), "You are the scribe: your answer is the group's answer");
  await waitText(sCard.locator('form.answer-form > label'), "Bako writes the group's answer. Add a contribution:");
  assert.equal(await mCard.locator('textarea.answer-input').inputValue(), 'Bako now drafting', 'the draft is kept');
  assert.ok(await mCard.locator('fieldset.choices').isVisible(), 'the new scribe chooses');
  assert.equal(await scribe.locator('#scribe-bar').isVisible(), false, 'the former scribe hands nothing on');
  await waitText(member.locator('#lobby-members'), 'Bako (you) (scribe)');
  fac.close();
});

s.test('the join form: a group picker with counts and the email field; the phone joins the chosen group and shows its breakout room, also after a move', async () => {
  const ex = await s.server.createExercise('live-room');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const early = await joinParticipant(s.base, ex.join_code, 'Awa'); // someone in the first group
  const page = await s.newPage('phone', PHONE);
  await page.goto(`${s.base}/join/${ex.join_code}`);
  const picker = page.locator('#join-groups');
  await picker.waitFor({ state: 'visible' });
  assert.equal(await textOf(picker.locator('legend')), 'Your group (optional)');
  const rows = await picker.locator('label.choice').allTextContents();
  assert.equal(rows.length, 4, `any group and the three groups: ${rows}`);
  assert.match(rows[0], /^Any group/);
  assert.ok(await picker.getByRole('radio', { name: /^Any group/ }).isChecked(), 'no group by default: the server balances');
  const counts = { governance: 0, protection: 0, incident: 0, [early.group.id]: 1 };
  for (const [i, [name, focus, id]] of [['Governance', 'Who decides', 'governance'], ['Protection', 'Backups and keys', 'protection'], ['Incident response', 'Containment', 'incident']].entries()) {
    assert.equal(rows[i + 1].replace(/\s+/g, ' '), `${name}${focus}${counts[id]} in this group`);
  }
  const email = page.locator('#join-email');
  assert.equal(await email.getAttribute('type'), 'email');
  assert.equal(await email.getAttribute('autocomplete'), 'email');
  assert.equal(await textOf(page.locator('#join-email-note')), 'For the breakout room assignment only.');
  assert.equal(await email.evaluate((el) => el.labels[0].textContent), 'Your email');
  await page.locator('#join-name').fill('Fatou');
  await email.fill('fatou@example.org');
  await picker.getByRole('radio', { name: /^Incident response/ }).check();
  await assertNoInnerScroll(page, 'the join form');
  await assertAccessible(page, 'the join form with the group picker');
  await shot(page, 'phone-join-picker.png');
  await page.locator('#join-submit').click();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitText(page.locator('#group-name'), 'Incident response');
  const joined = await fac.expect('participant', (m) => m.participant.name === 'Fatou');
  assert.equal(joined.participant.group_id, 'incident');
  assert.equal(joined.participant.email, 'fatou@example.org');

  // The breakout room: in the lobby, on top.
  const room = page.locator('#room');
  await waitText(room, 'Go to breakout room 3 — Incident response');
  await page.locator('#lobby').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => scrollY), 0, 'the lobby shows from its top');
  assert.ok(await room.evaluate((el) => el.getBoundingClientRect().bottom < 200), 'the room shows at the top');
  await shot(page, 'phone-room.png');
  await fac.start();
  await injectCard(page, 'ransom').waitFor({ state: 'visible' });
  assert.ok(await room.isVisible(), 'and in play');

  // Moved to Governance: the scenario's own name for its room.
  const pid = joined.participant.participant_id;
  await command(fac, { type: 'move', participant_id: pid, group_id: 'governance' });
  await waitText(room, 'Go to Room G — Governance');
  await waitText(page.locator('#group-name'), 'Governance');
  fac.close();
  early.close();
});

s.test('in French: the picker, the email note and the breakout room; a bad email is refused in words', async () => {
  const ex = await s.server.createExercise('live-room');
  const page = await s.newPage('phone-fr', { ...PHONE, locale: 'fr-FR' });
  await page.goto(`${s.base}/join/${ex.join_code}`);
  await page.locator('#join-groups').waitFor({ state: 'visible' });
  assert.equal(await textOf(page.locator('#join-groups legend')), 'Votre groupe (facultatif)');
  assert.match(await textOf(page.locator('#join-groups label.choice').nth(2)), /0 dans ce groupe$/);
  assert.equal(await textOf(page.locator('#join-email-note')), 'Uniquement pour la répartition dans les salles de sous-groupe.');
  await page.locator('#join-name').fill('Kebba');
  await page.locator('#join-email').fill('kebba@localhost'); // an address to the browser, not to the server
  await page.locator('#join-groups input[value="protection"]').check();
  await page.locator('#join-submit').click();
  await waitText(page.locator('#join-error'), 'Vérifiez votre adresse e-mail.');
  await page.locator('#join-email').fill('kebba@example.org');
  await page.locator('#join-submit').click();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitText(page.locator('#room'), 'Allez dans la salle de sous-groupe 2 — Protection');
  await shot(page, 'phone-room-fr.png');
});
