// The debrief: after a short played exercise, step through the injects with the
// keyboard (→ / ←) or the buttons, with each group's answers in its own column.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, openConsole, textOf, waitText } from './harness.mjs';
import { facilitate, joinParticipant } from './wsclient.mjs';

const s = Suite.setup();

s.test('the debrief steps through the injects with the keyboard and shows answers per group', async () => {
  const ex = await s.server.createExercise('quick-demo');

  // Play a short exercise from the test side: two groups, three injects, five answers.
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const awa = await joinParticipant(s.base, ex.join_code, 'Awa');
  const bako = await joinParticipant(s.base, ex.join_code, 'Bako');
  assert.equal(awa.group.id, 'risk');
  assert.equal(bako.group.id, 'governance');
  const A = {
    riskFirst: 'Risk: SIM swap is not in our register yet',
    govFirst: 'Governance: the CEO declares, the CRO coordinates',
    riskPartner: 'Risk: the partner is tier 2, contract review due',
    riskWrap: 'Risk: add SIM-swap to the register, owner CRO, by Friday',
    govWrap: 'Governance: notification playbook, owner COO, in a month',
  };
  await fac.start();
  await awa.respond('first-alert', A.riskFirst);
  await bako.respond('first-alert', A.govFirst);
  await fac.release('partner-api');
  await awa.respond('partner-api', A.riskPartner);
  await fac.release('wrap-up');
  await awa.respond('wrap-up', A.riskWrap);
  await bako.respond('wrap-up', A.govWrap);
  await fac.end();
  for (const ws of [fac, awa, bako]) ws.close();

  // The facilitator opens the debrief from the console (same tab: it has the key).
  const page = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await openConsole(page, s.base, s.server.adminToken, ex.exercise_id);
  const href = await page.locator('a#debrief-link').getAttribute('href');
  await page.goto(new URL(href, s.base).href);

  const pos = page.locator('#step-pos');
  const col = (g) => page.locator(`#groups section.group-col[data-group-id="${g}"]`);
  const answersIn = async (g) => {
    const c = col(g);
    if ((await c.count()) === 0) return [];
    return c.locator('.response .response-text').allTextContents().then((t) => t.map((x) => x.trim()));
  };

  // Step 1: first-alert, both groups' answers, each in its own column.
  await waitText(pos, /^1 \/ 3$/);
  await waitText(page.locator('#step-title'), 'First alert');
  await waitText(page.locator('#step-body'), 'Forty customers report emptied wallets');
  assert.match(await textOf(page.locator('#step-time')), /\d/, '#step-time shows when it was released');
  await waitText(col('risk').locator('.response .response-text'), A.riskFirst);
  await waitText(col('governance').locator('.response .response-text'), A.govFirst);
  assert.deepEqual(await answersIn('risk'), [A.riskFirst]);
  assert.deepEqual(await answersIn('governance'), [A.govFirst]);
  const riskResponse = col('risk').locator('.response').first();
  assert.equal(await textOf(riskResponse.locator('.response-author')), 'Awa');
  assert.match(await textOf(riskResponse.locator('.response-time')), /\d/);
  assert.equal(await textOf(col('governance').locator('.response .response-author')), 'Bako');
  // Expected versus observed: what each group was asked heads its column, and the
  // expected actions sit under the inject.
  await waitText(col('risk').locator('ol.asked'), 'Is SIM-swap fraud in your risk register?');
  await waitText(col('governance').locator('ol.asked'), 'What does your group do first, and who decides?');
  assert.ok(!(await textOf(col('governance').locator('ol.asked'))).includes('risk register'), 'only its own questions');
  await waitText(page.locator('#step-expected-list'), 'Hold transfers from recently swapped SIMs');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'debrief-1366x768.png') });

  // → : partner-api (risk answered; governance was not a target).
  await page.keyboard.press('ArrowRight');
  await waitText(pos, /^2 \/ 3$/);
  await waitText(page.locator('#step-title'), 'Partner API abuse');
  await waitText(col('risk').locator('.response .response-text'), A.riskPartner);
  assert.deepEqual(await answersIn('risk'), [A.riskPartner]);
  assert.deepEqual(await answersIn('governance'), []);

  await page.keyboard.press('ArrowRight');
  await waitText(pos, /^3 \/ 3$/);
  await waitText(page.locator('#step-title'), 'Wrap-up');
  await waitText(col('governance').locator('.response .response-text'), A.govWrap);
  assert.deepEqual(await answersIn('risk'), [A.riskWrap]);

  // → at the end stays; ← goes back, down to the first step and no further.
  await page.keyboard.press('ArrowRight');
  await waitText(pos, /^3 \/ 3$/);
  await page.keyboard.press('ArrowLeft');
  await waitText(pos, /^2 \/ 3$/);
  await waitText(page.locator('#step-title'), 'Partner API abuse');
  await page.keyboard.press('ArrowLeft');
  await waitText(pos, /^1 \/ 3$/);
  await page.keyboard.press('ArrowLeft');
  await waitText(pos, /^1 \/ 3$/);
  await waitText(page.locator('#step-title'), 'First alert');

  // The buttons do the same.
  await page.locator('#next').click();
  await waitText(pos, /^2 \/ 3$/);
  await page.locator('#prev').click();
  await waitText(pos, /^1 \/ 3$/);
  await waitText(col('risk').locator('.response .response-text'), A.riskFirst);

  // Attribution: this scenario names authors by default; by group, no name is on screen
  // and the report is asked for by group.
  assert.equal(await page.locator('#attribution').inputValue(), 'names');
  await page.locator('#attribution').selectOption('group');
  await eventually(async () => assert.equal(await page.locator('#groups .response-author').count(), 0));
  await waitText(col('risk').locator('.response .response-text'), A.riskFirst);
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/export?format=md')),
    page.locator('button.export[data-format="md"]').click(),
  ]);
  assert.match(request.url(), /[?&]attribution=group(&|$)/);
  await page.locator('#attribution').selectOption('names');
  await waitText(col('risk').locator('.response .response-author'), 'Awa');
});
