// Two participants on their own browsers, a facilitator on a third: groups by join
// order, injects only to their targets, answers live on the facilitator's grid.

import assert from 'node:assert/strict';
import {
  Suite, answer, eventually, gridCell, injectCard, joinViaLink, openConsole, planRow, textOf, unique, waitAttr,
  waitText,
} from './harness.mjs';

const s = Suite.setup();

s.test('two participants in two groups; the facilitator starts, releases and sees both answers live', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const awa = await s.newPage('participant-awa', { viewport: { width: 390, height: 844 } });
  const bako = await s.newPage('participant-bako', { viewport: { width: 390, height: 844 } });
  const fac = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });

  // Join through the link: the code is in the URL, only the name is typed.
  const g1 = await joinViaLink(awa, s.base, ex.join_code, 'Awa');
  const g2 = await joinViaLink(bako, s.base, ex.join_code, 'Bako');
  assert.ok(g1.includes('Risk management'), `the first to join is in the first group, not ${g1}`);
  assert.ok(g2.includes('Governance'), `the second to join is in the second group, not ${g2}`);
  assert.notEqual(g1, g2);
  await waitText(awa.locator('#group-focus'), 'third-party risk');
  await waitAttr(awa.locator('#clock'), 'data-state', 'lobby');
  assert.equal(await injectCard(awa, 'first-alert').count(), 0, 'nothing is released before the start');

  // The facilitator opens the exercise and sees both participants in the roster.
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await eventually(async () => assert.equal(await fac.locator('#roster li.member').count(), 2, 'roster size'));
  await waitAttr(fac.locator('#clock'), 'data-state', 'lobby');
  await waitText(planRow(fac, 'partner-api').locator('.status'), /^pending/i);

  // Start: first-alert (at T+0, to all) reaches both participants.
  await fac.locator('#start').click();
  await waitAttr(fac.locator('#clock'), 'data-state', 'running');
  for (const p of [awa, bako]) {
    await waitAttr(p.locator('#clock'), 'data-state', 'running');
    const card = injectCard(p, 'first-alert');
    await card.waitFor({ state: 'visible' });
    await waitText(card.locator('.inject-title'), 'First alert');
    await waitText(card.locator('.inject-body'), 'Forty customers report emptied wallets');
    await waitText(card.locator('ol.questions'), 'What does your group do first, and who decides?');
  }
  // Group-specific questions: risk gets its own extra question, governance does not.
  await waitText(injectCard(awa, 'first-alert').locator('ol.questions'), 'Is SIM-swap fraud in your risk register?');
  assert.ok(!(await textOf(injectCard(bako, 'first-alert').locator('ol.questions'))).includes('SIM-swap fraud in your risk register'));
  await waitText(planRow(fac, 'first-alert').locator('.status'), /^released/i);

  // Release partner-api (targets risk + incident) from the plan.
  await planRow(fac, 'partner-api').locator('button.release').click();
  await waitText(planRow(fac, 'partner-api').locator('.status'), /^released/i);

  const partner = injectCard(awa, 'partner-api');
  await partner.waitFor({ state: 'visible' });
  await waitText(partner.locator('.inject-title'), 'Partner API abuse');
  await waitText(partner.locator('ol.questions'), 'Where does this partner sit in your third-party risk register?');
  const riskQuestions = await textOf(partner.locator('ol.questions'));
  assert.ok(!riskQuestions.includes('revoke the key'), `risk must not see incident's question: ${riskQuestions}`);
  // Newest first, and the newest is the current one.
  assert.equal(await awa.locator('#injects article.inject').first().getAttribute('data-inject-id'), 'partner-api');
  assert.match((await awa.locator('#injects article.inject').first().getAttribute('class')) ?? '', /\bcurrent\b/);

  // Governance never gets partner-api: an announcement made after the release is a
  // barrier (pushes arrive in log order), so once it shows, partner-api would have too.
  const barrier = unique('Barrier after the release');
  await fac.locator('#announce-text').fill(barrier);
  await fac.locator('#announce-send').click();
  await waitText(bako.locator('#announcements'), barrier);
  assert.equal(await injectCard(bako, 'partner-api').count(), 0, 'governance must not receive partner-api');
  assert.equal(await bako.locator('#injects article.inject').count(), 1);
  assert.ok(!(await bako.content()).includes('Partner API abuse'), 'no trace of partner-api on the governance page');

  // Each answers first-alert; the grid shows both answers live.
  const a1 = unique('Risk: hold transfers from swapped SIMs');
  const a2 = unique('Governance: the CRO decides');
  await answer(awa, 'first-alert', a1);
  await answer(bako, 'first-alert', a2);
  await waitText(injectCard(awa, 'first-alert').locator('ul.answers li.answer .answer-text'), a1);
  await waitText(injectCard(awa, 'first-alert').locator('ul.answers li.answer .answer-author'), 'Awa');
  await waitText(injectCard(bako, 'first-alert').locator('ul.answers li.answer .answer-text'), a2);

  await waitText(gridCell(fac, 'risk', 'first-alert').locator('.count'), /^1$/);
  await waitText(gridCell(fac, 'risk', 'first-alert').locator('.latest'), a1);
  await waitText(gridCell(fac, 'governance', 'first-alert').locator('.count'), /^1$/);
  await waitText(gridCell(fac, 'governance', 'first-alert').locator('.latest'), a2);
  // Nobody answered partner-api yet.
  const empty = await textOf(gridCell(fac, 'risk', 'partner-api').locator('.count'));
  assert.ok(empty === '' || empty === '0', `risk × partner-api count: ${JSON.stringify(empty)}`);

  // Groups never see each other's answers. Bako's page showed a2, stored after a1, so a1
  // would have reached it first; for Awa's, an announcement after a2 is the barrier.
  const barrier2 = unique('Barrier after both answers');
  await fac.locator('#announce-text').fill(barrier2);
  await fac.locator('#announce-send').click();
  await waitText(awa.locator('#announcements'), barrier2);
  assert.ok(!(await awa.content()).includes(a2), 'risk sees governance’s answer');
  assert.ok(!(await bako.content()).includes(a1), 'governance sees risk’s answer');
  assert.equal(await injectCard(awa, 'first-alert').locator('ul.answers li.answer').count(), 1);
});

s.test('three clicks from the console to a started exercise: scenario → create → start', async () => {
  const fac = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await fac.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}`);
  await fac.locator('#scenarios button.scenario[data-scenario-id="quick-demo"]').click();
  await fac.locator('#create').click();
  await fac.locator('#console').waitFor({ state: 'visible' });
  await waitText(fac.locator('#console #join-code'), /[A-Z0-9]{4}/);
  await fac.locator('#start').click();
  await waitAttr(fac.locator('#clock'), 'data-state', 'running');
  await waitText(planRow(fac, 'first-alert').locator('.status'), /^released/i);

  // The server agrees: the exercise exists and runs, and the console kept its key.
  const list = await s.server.api('/api/exercises', { token: s.server.adminToken });
  const code = (await textOf(fac.locator('#console #join-code'))).replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  const created = list.json.find((e) => e.join_code === code);
  assert.ok(created, `no exercise with the displayed join code ${code}`);
  assert.equal(created.scenario_id, 'quick-demo');
  assert.equal(created.phase, 'running');
  const key = await fac.evaluate((id) => localStorage.getItem(`tt.fkey.${id}`), created.exercise_id);
  assert.ok(key, `localStorage['tt.fkey.${created.exercise_id}'] holds the facilitator key`);
  const tl = await s.server.api(`/api/exercises/${created.exercise_id}/timeline`, { token: key });
  assert.equal(tl.status, 200, 'the stored facilitator key opens the timeline');
});
