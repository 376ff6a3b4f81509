// Conditional injects in the console and the debrief (tests/fixtures/scenarios/
// conditions.toml): the Conditions card lists each conditional inject with its condition
// in plain words; an armed silence counts down from the console's play clock (and holds
// while paused); a compound condition shows its parts; Cancel (after the console's
// confirmation dialog) leaves the inject to release by hand; Fire now releases one at
// once ("by the facilitator"); a silence past its deadline releases the escalation by
// itself (at 60×); the French console says it in French; the debrief says why each
// release went out and lists the cancelled condition. Participants and the speed are
// scripted over the websocket; one browser for the file.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, openConsole, planRow, textOf, waitAttr, waitText } from './harness.mjs';
import { assertAccessible } from './axe.mjs';
import { ask, facilitate, joinParticipant } from './wsclient.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1366, height: 768 } };

let played = null; // the exercise the first test plays, for the debrief test

const row = (page, id) => page.locator(`#conditions li.condition[data-inject-id="${id}"]`);

/** Seconds of a "fires in m:ss" line. */
function secondsLeft(line) {
  const m = /fires in (\d+):(\d\d)$/.exec(line);
  assert.ok(m, `a countdown: ${JSON.stringify(line)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

s.test('the Conditions card: words, a live countdown, Cancel, Fire now, a silence that fires by itself, and French', async () => {
  const ex = await s.server.createExercise('conditions');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const incident = await joinParticipant(s.base, ex.join_code, 'Ines');
  const governance = await joinParticipant(s.base, ex.join_code, 'Gabriel');
  const protection = await joinParticipant(s.base, ex.join_code, 'Paula');
  assert.deepEqual([incident, governance, protection].map((p) => p.group.id), ['incident', 'governance', 'protection']);

  const page = await s.newPage('facilitator', SCREEN);
  await openConsole(page, s.base, s.server.adminToken, ex.exercise_id);
  await page.locator('#conditions-card').waitFor({ state: 'visible' });
  await waitText(page.locator('#conditions-title'), 'Conditional injects');
  assert.deepEqual(await page.locator('#conditions li.condition').evaluateAll((els) => els.map((e) => e.dataset.injectId)),
    ['escalation', 'fallout', 'press', 'restore'], 'one row per conditional inject, in scenario order');
  for (const id of ['escalation', 'fallout', 'press', 'restore']) await waitAttr(row(page, id), 'data-status', 'armed');
  await waitText(row(page, 'escalation').locator('.cond-title'), 'The board asks for news');
  await waitText(row(page, 'escalation').locator('.cond-words'), 'Incident response has not answered “Encrypted file servers” within 5');
  await waitText(row(page, 'fallout').locator('.cond-words'), 'Governance chose “Pay” in “Ransom demand”');
  await waitText(row(page, 'press').locator('.cond-words'), 'Governance has answered “Encrypted file servers”');
  await waitText(page.locator('#conditions-count'), '4 armed');
  // A compound condition lists its parts, each with its state.
  await eventually(async () => assert.deepEqual(await row(page, 'restore').locator('.cond-parts li').allTextContents(), [
    'Incident response has answered “Encrypted file servers” — waiting',
    'Governance has not answered “Ransom demand” within 20 min — waiting',
  ]));
  // Before the start nothing counts: the alert is not out yet.
  await waitText(row(page, 'escalation').locator('.cond-when'), /^waiting for groups$/);
  // The injects table says "conditional" where a contingency inject says "contingency".
  for (const id of ['escalation', 'fallout', 'press', 'restore']) assert.equal(await textOf(planRow(page, id).locator('td.when')), 'conditional');

  // Started: the silence counts down from 5:00, in step with the console's clock.
  await page.locator('#start').click();
  await waitAttr(page.locator('#clock'), 'data-state', 'running');
  const when = row(page, 'escalation').locator('.cond-when');
  await waitText(when, /^fires in [45]:\d\d$/);
  const first = secondsLeft(await textOf(when));
  assert.ok(first <= 300 && first >= 285, `fires in about 5 minutes: ${first}s`);
  await eventually(async () => assert.ok(secondsLeft(await textOf(when)) <= first - 2, 'the countdown goes down'), { timeout: 6_000 });
  await waitText(row(page, 'fallout').locator('.cond-when'), /^waiting for groups$/);
  // Paused, the countdown holds (play time stands still); resumed, it goes on.
  await page.locator('#pause').click();
  await waitAttr(page.locator('#clock'), 'data-state', 'paused');
  await page.waitForTimeout(300); // the render after the pause
  const held = await textOf(when);
  await page.waitForTimeout(1_500);
  assert.equal(await textOf(when), held, 'a paused clock holds the countdown');
  await page.locator('#resume').click();
  await waitAttr(page.locator('#clock'), 'data-state', 'running');

  // Cancel the press call: the console's own dialog asks first; the inject stays pending,
  // with Release now in the injects table.
  await row(page, 'press').locator('button.cond-cancel').click();
  const dialog = page.locator('dialog#confirm-condition');
  await dialog.waitFor({ state: 'visible' });
  await waitText(dialog, 'Cancel the condition of “A journalist calls”?');
  await assertAccessible(page, 'console with the cancel dialog open');
  await page.locator('#confirm-condition-yes').click();
  await waitAttr(row(page, 'press'), 'data-status', 'cancelled');
  await waitText(row(page, 'press').locator('.cond-when'), /^cancelled at T\+00:\d\d: release or skip it by hand$/);
  assert.equal(await row(page, 'press').locator('button:visible').count(), 0, 'no Fire now or Cancel once cancelled');
  await waitText(planRow(page, 'press').locator('td.status'), /^pending$/);
  const release = planRow(page, 'press').locator('button.release');
  await release.waitFor({ state: 'visible' });

  // Fire now on the fallout: protection gets it at once, and the card says who fired it.
  await row(page, 'fallout').locator('button.cond-fire').click();
  const fallout = await protection.expect('inject', (m) => m.inject_id === 'fallout');
  assert.equal(fallout.title, 'Payment traced');
  await waitAttr(row(page, 'fallout'), 'data-status', 'fired');
  await waitText(row(page, 'fallout').locator('.cond-when'), /^fired at T\+00:\d\d by the facilitator$/);
  await waitText(planRow(page, 'fallout').locator('td.status'), /^released at T\+00:\d\d$/);
  await waitText(page.locator('#conditions-count'), '2 armed');

  // The cancelled one is still released by hand.
  await release.click();
  await protection.expect('inject', (m) => m.inject_id === 'press');
  await waitText(planRow(page, 'press').locator('td.status'), /^released at/);
  await waitAttr(row(page, 'press'), 'data-status', 'cancelled');
  await waitText(row(page, 'press').locator('.cond-when'), /^cancelled at T\+00:\d\d$/);

  // The card at laptop size, with a countdown, a fired and a cancelled condition.
  await page.locator('#conditions-card').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-conditions-1366x768.png') });
  await assertAccessible(page, 'console with armed, fired and cancelled conditions');
  const sw = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(sw <= 0, `the console is ${sw}px wider than the window`);

  // At 60× the silence's deadline comes within seconds: the escalation goes to
  // governance by itself, and the card says when.
  await ask(control, { type: 'set_speed', speed: 60 });
  await waitText(page.locator('#clock'), /60/);
  const escalation = await governance.expect('inject', (m) => m.inject_id === 'escalation', { timeout: 15_000 });
  assert.equal(escalation.title, 'The board asks for news');
  await waitAttr(row(page, 'escalation'), 'data-status', 'fired');
  await waitText(row(page, 'escalation').locator('.cond-when'), /^fired at T\+05:0\d$/);
  assert.equal(incident.messages.some((m) => m.type === 'inject' && m.inject_id === 'escalation'), false, 'only governance gets it');
  await waitText(page.locator('#conditions-count'), '1 armed');
  // The ransom poll went out at T+01:00: the compound condition's silence now counts.
  const parts = row(page, 'restore').locator('.cond-parts li');
  await waitAttr(parts.nth(1), 'data-state', 'counting');
  await waitText(parts.nth(1), /within 20 min — holds in \d+:\d\d$/);
  await waitText(parts.nth(0), /— waiting$/);
  await waitText(row(page, 'restore').locator('.cond-when'), /^fires in \d+:\d\d$/);

  // The same console in French.
  await page.locator('#lang-switch a[lang=fr]').click();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await waitText(page.locator('#conditions-title'), 'Stimulus conditionnels');
  await waitText(row(page, 'escalation').locator('.cond-when'), /^déclenchée à T\+05:0\d$/);
  await waitText(row(page, 'fallout').locator('.cond-when'), /^déclenchée à T\+00:\d\d par l'animateur$/);
  await waitText(row(page, 'press').locator('.cond-status'), 'annulée');
  assert.equal(await textOf(planRow(page, 'escalation').locator('td.when')), 'conditionnel');

  played = ex;
  for (const ws of [control, incident, governance, protection]) ws.close();
});

s.test('the debrief says why a release went out and lists the cancelled condition', async (t) => {
  if (!played) return t.skip('the console test did not play the exercise');
  const page = await s.newPage('facilitator', SCREEN);
  await openConsole(page, s.base, s.server.adminToken, played.exercise_id);
  const href = await page.locator('a#debrief-link').getAttribute('href');
  await page.goto(new URL(href, s.base).href);
  await waitText(page.locator('#step-pos'), /^1 \/ \d$/);

  /** Steps back from the last until the step titled `title`. */
  const stepTo = async (title) => {
    await page.keyboard.press('End');
    for (let i = 0; i < 6 && (await textOf(page.locator('#step-title'))) !== title; i++) await page.keyboard.press('ArrowLeft');
    await waitText(page.locator('#step-title'), title);
  };
  await stepTo('The board asks for news');
  await waitText(page.locator('#step-why'), 'Released because Incident response has not answered “Encrypted file servers” within 5');
  await stepTo('Payment traced');
  await waitText(page.locator('#step-why'), 'Fired by the facilitator before its condition held: Governance chose “Pay” in “Ransom demand”');
  assert.ok(!(await textOf(page.locator('#step-targets'))).includes('released by hand'), 'a fired condition is not "by hand"');
  await stepTo('A journalist calls');
  assert.equal(await page.locator('#step-why').isHidden(), true, 'a release by hand has no condition line');
  await waitText(page.locator('#step-targets'), 'released by hand');
  await page.locator('#cancelled-summary').waitFor({ state: 'visible' });
  await waitText(page.locator('#cancelled-summary-list li[data-inject-id="press"]'), /^T\+00:\d\d A journalist calls: Governance has answered/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'debrief-conditions.png'), fullPage: true });
  await assertAccessible(page, 'debrief with a cancelled condition');
});
