// Who is in the room, on a phone: the join form asks (optionally) for the participant's
// organisation, suggesting the ones already named, and their sector from the scenario's
// list; what was chosen reaches the log.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, openConsole, waitAttr, waitText } from './harness.mjs';

const s = Suite.setup();

s.test('on a 360×740 phone, a participant joins saying their organisation and sector', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const first = await s.newPage('participant-first', { viewport: { width: 360, height: 740 } });
  await first.goto(`${s.base}/join/${ex.join_code}`);
  const sector = first.locator('#join-sector');
  await sector.waitFor({ state: 'visible' });
  // The scenario's ten sectors, after the "none" choice; the whole form fits the screen.
  await eventually(async () => assert.equal(await sector.locator('option').count(), 11));
  const submit = await first.locator('#join-submit').boundingBox();
  assert.ok(submit && submit.y + submit.height <= 740, `the Join button is on the first screen: ${JSON.stringify(submit)}`);
  await first.locator('#join-name').fill('Awa');
  await first.locator('#join-org').fill('Central Bank of The Gambia');
  await sector.selectOption({ label: 'Central bank' });
  await first.screenshot({ path: path.join(SCREENSHOTS, 'join-360x740.png') });
  await first.locator('#join-submit').click();
  await first.locator('#participant').waitFor({ state: 'visible' });
  await waitAttr(first.locator('#conn'), 'data-state', 'online');

  // The next phone is offered the organisation already named; typed in another case it
  // counts as the same one.
  const second = await s.newPage('participant-second', { viewport: { width: 360, height: 740 } });
  await second.goto(`${s.base}/join/${ex.join_code}`);
  await eventually(async () =>
    assert.deepEqual(
      await second.locator('#join-orgs option').evaluateAll((os) => os.map((o) => o.value)),
      ['Central Bank of The Gambia'],
    ));
  await second.locator('#join-name').fill('Bako');
  await second.locator('#join-org').fill('central bank of the gambia');
  await second.locator('#join-submit').click();
  await second.locator('#participant').waitFor({ state: 'visible' });

  // The console's roster says who each one speaks for.
  const fac = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const awa = fac.locator('#roster li.member', { hasText: 'Awa' });
  await waitText(awa.locator('.affiliation'), 'Central Bank of The Gambia · Central bank');
  await waitText(fac.locator('#roster li.member', { hasText: 'Bako' }).locator('.affiliation'), 'Central Bank of The Gambia');

  const joins = (await s.server.timeline(ex.exercise_id, ex.facilitator_key)).entries.filter(
    (e) => e.kind === 'participant_joined',
  );
  assert.deepEqual(
    joins.map((e) => [e.participant_name, e.organisation, e.sector]),
    [
      ['Awa', 'Central Bank of The Gambia', 'central-bank'],
      ['Bako', 'Central Bank of The Gambia', undefined],
    ],
  );
});

s.test('a scenario without sectors does not ask for one', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const page = await s.newPage('participant-demo', { viewport: { width: 360, height: 740 } });
  await page.goto(`${s.base}/join/${ex.join_code}`);
  await page.locator('#join-org').waitFor({ state: 'visible' });
  // Once the join form's data is in, the sector row stays hidden.
  await eventually(async () => assert.equal(await page.evaluate(() => performance.getEntriesByType('resource')
    .some((r) => r.name.includes('/api/join/'))), true));
  assert.equal(await page.locator('#join-sector').isVisible(), false);
});
