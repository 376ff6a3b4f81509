// The debrief shows the live room for the hot wash (issue 12): a poll's chosen options
// by their labels and its tally per group and for all groups, equal to the server's
// (each participant's latest choice; in group answer mode each group's answer); answers
// after the answer window marked late, and each group's timing (on time, late, no
// answer); in group answer mode the group's answer (the scribe's latest) before the
// members' contributions, which are marked. The exercises are played over websockets;
// the debrief is opened from the console, as the facilitator does. One browser.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, openConsole, waitAttr, waitText } from './harness.mjs';
import { WsClient, ask, facilitate, joinParticipant } from './wsclient.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1366, height: 768 } };

/// Opens the debrief from the console's "Open debrief" (a new tab with the console's
/// storage, as in console_live's debrief test).
async function openDebrief(ex) {
  const fac = await s.newPage('facilitator', SCREEN);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const [debrief] = await Promise.all([fac.context().waitForEvent('page'), fac.locator('#debrief-link').click()]);
  s.watch('debrief', debrief);
  await debrief.setViewportSize(SCREEN.viewport);
  return debrief;
}

/// The server's tally of a poll, from a fresh control-room welcome.
async function serverTally(ex, injectId) {
  const ws = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  ws.close();
  const t = ws.welcome.tallies.find((x) => x.inject_id === injectId);
  assert.ok(t, `the server has a tally of ${injectId}`);
  return t;
}

/// The debrief's tally table: `{byGroup: {group: {option: n}}, total: {option: n}, labels}`.
async function pageTally(page) {
  return page.locator('#step-poll table.tally').evaluate((table) => {
    const groups = [...table.querySelectorAll('thead th[data-group-id]')].map((th) => th.dataset.groupId);
    const out = { byGroup: Object.fromEntries(groups.map((g) => [g, {}])), total: {}, labels: {} };
    for (const tr of table.querySelectorAll('tbody tr[data-option-id]')) {
      const id = tr.dataset.optionId;
      out.labels[id] = tr.querySelector('th').textContent.trim();
      for (const td of tr.querySelectorAll('td[data-group-id]')) out.byGroup[td.dataset.groupId][id] = Number(td.dataset.count);
      out.total[id] = Number(tr.querySelector('td.total').dataset.count);
    }
    return out;
  });
}

/// The server's counts for the groups the page shows (a group without a choice: zeros).
function expectedCounts(tally, groups) {
  const zeros = Object.fromEntries(tally.options.map((o) => [o.id, 0]));
  return {
    byGroup: Object.fromEntries(groups.map((g) => [g, { ...zeros, ...(tally.by_group[g] || {}) }])),
    total: { ...zeros, ...tally.total },
    labels: Object.fromEntries(tally.options.map((o) => [o.id, o.label])),
  };
}

const col = (page, g) => page.locator(`#groups section.group-col[data-group-id="${g}"]`);

s.test('DFS: the ransom poll shows the chosen labels and the tally per group and for all groups, as the latest choices; a late answer is marked late and each group shows on time, late or no answer', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  // Joins fill the six groups in turn: the seventh is the risk group's second member.
  const people = {};
  for (const name of ['Awa', 'Bako', 'Chidi', 'Dede', 'Efua', 'Femi', 'Gaby']) people[name] = await joinParticipant(s.base, ex.join_code, name);
  assert.deepEqual(Object.fromEntries(Object.entries(people).map(([n, p]) => [n, p.group.id])),
    { Awa: 'risk', Bako: 'governance', Chidi: 'testing', Dede: 'training', Efua: 'protection', Femi: 'incident', Gaby: 'risk' });
  const { Awa, Bako, Efua, Gaby } = people;

  await fac.start(); // the payday fraud wave goes out at T+00:00, 4 minutes to answer
  await Awa.respond('payday-fraud-wave', 'Risk: hold transfers from SIMs swapped in the last 48 hours');
  await fac.release('agent-system-ransomware');
  await Awa.expect('inject', (m) => m.inject_id === 'agent-system-ransomware');
  const poll = (who, options, text) => ask(who, { type: 'respond', inject_id: 'agent-system-ransomware', options, text });
  await poll(Awa, ['pay'], 'The KYC leak costs more than the ransom');
  await poll(Bako, ['refuse'], 'We never fund criminals');
  await poll(Gaby, ['escalate'], 'The board and the police decide');
  await poll(Awa, ['escalate'], 'Changed my mind: the board decides'); // her latest choice is the one that counts
  await ask(Efua, { type: 'respond', inject_id: 'agent-system-ransomware', text: 'We restore from offline backups' }); // no option: counts in no tally

  // Play at 600x: the payday window closes at T+04:00, when the next timed inject goes out.
  await ask(fac, { type: 'set_speed', speed: 600 });
  await fac.expect('inject', (m) => m.inject_id === 'inside-help', { timeout: 15_000 });
  await ask(fac, { type: 'pause' }); // play stops past T+04:00 (the next inject may or may not be out)
  await Bako.respond('payday-fraud-wave', 'Governance: the CEO declares, after the fact');
  await fac.end();
  const tally = await serverTally(ex, 'agent-system-ransomware');
  assert.equal(tally.answers, 3, 'Awa, Gaby and Bako each count once');
  const timeline = await s.server.timeline(ex.exercise_id, ex.facilitator_key);
  const late = timeline.entries.filter((e) => e.kind === 'response_submitted' && e.inject_id === 'payday-fraud-wave').map((e) => [e.participant_name, e.late]);
  assert.deepEqual(late, [['Awa', false], ['Bako', true]], 'the server marked the governance answer late');

  const page = await openDebrief(ex);
  await waitText(page.locator('#step-title'), 'Payday fraud wave');

  // Step 1, the payday fraud wave: a 4-minute window; risk on time, governance late
  // (its answer marked), the four others no answer.
  await waitText(page.locator('#step-window'), 'Answer window: 4 min, until T+04:00');
  await waitText(page.locator('#step-window'), '1 on time · 1 late · 4 no answer');
  await waitAttr(col(page, 'risk'), 'data-timing', 'on_time');
  await waitText(col(page, 'risk').locator('h3 .timing'), 'on time');
  await waitAttr(col(page, 'governance'), 'data-timing', 'late');
  await waitText(col(page, 'governance').locator('h3 .timing'), 'late');
  const govAnswer = col(page, 'governance').locator('.response').first();
  assert.equal(await govAnswer.getAttribute('data-late'), 'true');
  await waitText(govAnswer.locator('.tag-late'), 'late');
  assert.equal(await col(page, 'risk').locator('.response .tag-late').count(), 0, 'the on-time answer is not marked late');
  for (const g of ['testing', 'training', 'protection', 'incident']) {
    await waitAttr(col(page, g), 'data-timing', 'none');
    await waitText(col(page, g).locator('h3 .timing'), 'no answer');
  }
  assert.ok(await page.locator('#step-poll').isHidden(), 'a text inject has no tally');

  // Step 2, the ransom poll: the labels of the options chosen, and the tally.
  await page.keyboard.press('ArrowRight');
  await waitText(page.locator('#step-title'), 'Ransomware at the agent system');
  await page.locator('#step-poll table.tally').waitFor({ state: 'visible' });
  // The tally once the labels came (the page asks the control room for them).
  const shownGroups = ['risk', 'governance', 'protection', 'incident'];
  const want = expectedCounts(tally, shownGroups);
  await eventually(async () => assert.deepEqual(await pageTally(page), want), { message: 'the debrief tally is the server tally' });
  assert.deepEqual(want.byGroup.risk, { pay: 0, refuse: 0, escalate: 2 });
  assert.deepEqual(want.total, { pay: 0, refuse: 1, escalate: 2 });
  await waitText(page.locator('#step-poll .poll-rule'), "3 answers counted: each participant's latest choice.");
  const escalate = 'Escalate to the board and law enforcement before deciding';
  const riskAnswers = col(page, 'risk').locator('.response');
  assert.equal(await riskAnswers.count(), 3, 'individual mode: every answer');
  assert.deepEqual(await riskAnswers.locator('.choice').allTextContents(), ['Pay the ransom', escalate, escalate]);
  // Awa's first choice was replaced by her later one: shown, marked, not counted.
  await waitText(riskAnswers.nth(0).locator('.tag-superseded'), 'changed later');
  assert.match(await riskAnswers.nth(0).getAttribute('class'), /superseded/);
  assert.equal(await riskAnswers.nth(2).locator('.tag-superseded').count(), 0);
  await waitText(riskAnswers.nth(2).locator('.response-text'), 'Changed my mind: the board decides');
  await waitText(col(page, 'governance').locator('.response .choice'), 'Do not pay');
  await waitText(col(page, 'protection').locator('.response .no-choice'), 'not counted');
  await waitText(col(page, 'protection').locator('.response .response-text'), 'We restore from offline backups');
  for (const g of shownGroups) await waitAttr(col(page, g), 'data-timing', g === 'incident' ? 'none' : 'on_time');
  assert.equal(await page.locator('#groups .choice[data-option-id]').evaluateAll((els) => els.filter((e) => e.textContent === e.dataset.optionId).length), 0,
    'no option shows as its id');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'debrief-poll.png') });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'debrief-poll-full.png'), fullPage: true });

  // By group: no name on screen, the poll as before.
  await page.locator('#attribution').selectOption('group');
  await eventually(async () => assert.equal(await page.locator('#groups .response-author').count(), 0));
  assert.deepEqual(await pageTally(page), want);
  for (const ws of [fac, ...Object.values(people)]) ws.close();
});

s.test('group answer mode: the group\'s answer (the scribe\'s latest) shows before a contribution, which is marked; the tally counts each group once', async () => {
  const ex = await s.server.createExercise('live-room-scribe');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const join = async (name, group) => {
    const ws = await WsClient.connect(s.base);
    ws.send({ type: 'join', join_code: ex.join_code, name, group_id: group });
    ws.welcome = await ws.expect('welcome');
    return ws;
  };
  const awa = await join('Awa', 'governance'); // the first member: the group's scribe
  const bako = await join('Bako', 'governance');
  const chidi = await join('Chidi', 'protection');
  assert.ok(awa.welcome.briefing.members.find((m) => m.name === 'Awa')?.scribe, 'Awa is the governance scribe');
  await fac.start(); // the ransom poll at T+00:00, two minutes to answer
  await awa.expect('inject', (m) => m.inject_id === 'ransom');
  const contribution = 'We have offline backups: do not pay';
  await ask(bako, { type: 'respond', inject_id: 'ransom', text: contribution }); // before the scribe's answer
  await ask(awa, { type: 'respond', inject_id: 'ransom', options: ['pay'], text: 'First thought: pay' });
  await ask(awa, { type: 'respond', inject_id: 'ransom', options: ['escalate-first'], text: 'Escalate to the board first' });
  await ask(chidi, { type: 'respond', inject_id: 'ransom', options: ['refuse'], text: 'Backups are tested' });
  await fac.end();
  const tally = await serverTally(ex, 'ransom');
  assert.equal(tally.answers, 2, 'one answer per group');

  const page = await openDebrief(ex);
  await waitText(page.locator('#step-title'), 'Ransom demand');
  const gov = col(page, 'governance');
  // The group's answer first: the scribe's latest, by its label; then the contribution.
  await waitText(gov.locator('.response').first().locator('.choice'), 'Escalate first');
  const kinds = await gov.locator('.group-answer .response, .contributions .response').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(kinds, ['answer', 'contribution'], 'the group answer, then the contribution');
  const order = await gov.evaluate((el) => {
    const answer = el.querySelector('.group-answer .response[data-kind="answer"]');
    const contrib = el.querySelector('.response.contribution');
    return answer.compareDocumentPosition(contrib) & Node.DOCUMENT_POSITION_FOLLOWING ? 'answer first' : 'contribution first';
  });
  assert.equal(order, 'answer first');
  await waitText(gov.locator('h4.answers-head'), "The group's answer");
  await waitText(gov.locator('.group-answer .response-author'), 'Awa');
  await waitText(gov.locator('.group-answer .response-meta'), '(scribe)');
  await waitText(gov.locator('.group-answer .response-text'), 'Escalate to the board first');
  const contrib = gov.locator('.response.contribution');
  await waitText(contrib.locator('.tag-contribution'), 'contribution');
  await waitText(contrib.locator('.response-text'), contribution);
  await waitText(contrib.locator('.response-author'), 'Bako');
  await waitText(gov.locator('h4.contributions-head'), 'Contributions (1)');
  // The scribe's first choice is an earlier version, folded.
  await waitText(gov.locator('details.earlier summary'), '1 earlier version');
  assert.equal(await gov.locator('details.earlier').evaluate((d) => d.open), false);
  // The tally: each group's answer once.
  await eventually(async () => assert.deepEqual(await pageTally(page), expectedCounts(tally, ['governance', 'protection', 'incident'])));
  await waitText(page.locator('#step-poll .poll-rule'), "2 group answers counted: each group's latest answer.");
  await waitText(page.locator('#step-window'), 'Answer window: 2 min, until T+02:00');
  await waitAttr(gov, 'data-timing', 'on_time');
  await waitAttr(col(page, 'incident'), 'data-timing', 'none');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'debrief-scribe.png'), fullPage: true });
  for (const ws of [fac, awa, bako, chidi]) ws.close();
});
