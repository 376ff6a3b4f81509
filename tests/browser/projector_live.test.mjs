// The shared screen in a live room (DFS scenario, 1280×720): the briefing slide before
// the start (objectives, ground rules, groups with member counts, the joined count and
// the join code), the groups each inject is for, a poll's results only after Show
// results (and gone again after), announcements that leave, and a closing screen after
// the end with no join code. The same page in French.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, waitAttr, waitText } from './harness.mjs';
import { ask, facilitate, joinParticipant, nextMsgId } from './wsclient.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1280, height: 720 } };


s.test('briefing, targeted groups, poll results on demand and a closing screen', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const page = await s.newPage('projector', SCREEN);
  await page.goto(`${s.base}/projector?code=${ex.join_code}`);
  await waitText(page.locator('#join-code'), /\S/);
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const people = [];
  for (const name of ['Awa', 'Bako', 'Chi', 'Dudu', 'Ebou', 'Fatou', 'Gibril']) people.push(await joinParticipant(s.base, ex.join_code, name));
  await waitText(page.locator('#joined'), '7 people have joined');

  // The briefing slide, with the join code still on screen.
  await ask(fac, { type: 'show_on_projector', view: 'briefing' });
  await waitAttr(page.locator('#projector'), 'data-view', 'briefing');
  await waitText(page.locator('#briefing-title'), 'Salary Tide');
  assert.equal(await page.locator('#briefing-objectives li').count(), 6, 'every objective');
  assert.ok((await page.locator('#briefing-rules li').count()) >= 3, 'the ground rules');
  await waitText(page.locator('#briefing-groups [data-group-id=risk]'), '2 members');
  await waitText(page.locator('#briefing-groups [data-group-id=protection]'), '1 member');
  assert.ok(await page.locator('#join-code').isVisible(), 'the join code stays on the briefing');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'projector-briefing.png') });

  // Play: each inject says which groups it is for.
  await ask(fac, { type: 'show_on_projector', view: 'play' });
  await fac.start();
  await waitText(page.locator('#current-title'), 'Payday fraud wave');
  await waitText(page.locator('#current-targets'), 'For every group');
  await fac.release('agent-system-ransomware');
  await waitText(page.locator('#current-targets'), 'For: Incident response, Protection, Governance, Risk management');

  // Poll answers arrive; the screen shows no result until Show results.
  const vote = (ws, option) => {
    const id = nextMsgId('v');
    ws.send({ type: 'respond', inject_id: 'agent-system-ransomware', options: [option], text: '', client_msg_id: id });
    return ws.waitFor((m) => m.type === 'ack' && m.client_msg_id === id, { what: 'vote ack' });
  };
  const targeted = people.filter((p) => ['governance', 'risk', 'protection', 'incident'].includes(p.group.id));
  await vote(targeted[0], 'refuse');
  await vote(targeted[1], 'refuse');
  await vote(targeted[2], 'escalate');
  assert.equal(await page.locator('#poll-bars').count(), 0, 'no results before Show results');
  await ask(fac, { type: 'show_on_projector', view: 'poll', inject_id: 'agent-system-ransomware' });
  await waitAttr(page.locator('#poll-bars [data-option-id=refuse]'), 'data-count', '2');
  await waitAttr(page.locator('#poll-bars [data-option-id=escalate]'), 'data-count', '1');
  await vote(targeted[3], 'pay');
  await waitAttr(page.locator('#poll-bars [data-option-id=pay]'), 'data-count', '1');
  await waitText(page.locator('#poll-answers'), '4 answers');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'projector-poll.png') });
  await ask(fac, { type: 'show_on_projector', view: 'play' });
  await waitAttr(page.locator('#projector'), 'data-view', 'play');
  assert.equal(await page.locator('#poll-bars').count(), 0, 'hidden again');

  // An announcement shows and can be cleared at once; another is gone after the end;
  // the end is a closing screen.
  await fac.announce('Back to the main room');
  await waitText(page.locator('#announcement'), 'Back to the main room');
  await page.getByRole('button', { name: 'Clear this announcement' }).click();
  assert.equal(await page.locator('#announcement').isVisible(), false, 'cleared');
  await fac.announce('Five minutes left');
  await waitText(page.locator('#announcement'), 'Five minutes left');
  await fac.end();
  await waitAttr(page.locator('#projector'), 'data-view', 'ended');
  await waitText(page.locator('#ended-title'), 'The exercise has ended');
  assert.equal(await page.locator('#join-code').isVisible(), false, 'nobody is asked to join after the end');
  assert.equal(await page.locator('#announcement').isVisible(), false);
  assert.doesNotMatch(await page.locator('body').innerText(), /Join on your phone/, 'what is on screen');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'projector-ended.png') });
  for (const p of [fac, ...people]) p.close();
});

s.test('the shared screen in French', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const page = await s.newPage('projecteur', SCREEN);
  await page.goto(`${s.base}/projector?code=${ex.join_code}&lang=fr`);
  await waitText(page.locator('#join-label'), 'Rejoignez sur votre téléphone');
  await waitText(page.locator('#joined'), '0 personne a rejoint');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await ask(fac, { type: 'show_on_projector', view: 'briefing' });
  await waitText(page.locator('#briefing-how h2'), 'Comment ça marche');
  await fac.start();
  await ask(fac, { type: 'show_on_projector', view: 'play' });
  await waitText(page.locator('#current-targets'), 'Pour tous les groupes');
  await fac.end();
  await waitText(page.locator('#ended-title'), "L'exercice est terminé");
  // The switch leads to the same screen in English.
  await page.locator('#lang-switch a[lang=en]').click();
  await waitText(page.locator('#ended-title'), 'The exercise has ended');
  await page.goto(`${s.base}/projector?code=${ex.join_code}&lang=fr`);
  await waitText(page.locator('#ended-title'), "L'exercice est terminé");
  await eventually(async () => assert.doesNotMatch(await page.locator('body').innerText(), /\b(Join|Waiting|groups have answered|ended)\b/));
  fac.close();
});
