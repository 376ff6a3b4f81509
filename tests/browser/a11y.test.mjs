// Accessibility of every page a room uses, in English and in French: axe-core finds no
// serious or critical violation (contrast, labels, roles, names) on the join page, the
// phone's lobby, an inject, a poll and the self-assessment (360×740), the console and
// the debrief (1366×768) and the projector (1280×720). Keyboard use has its own tests
// (quality.test.mjs, phone_live.test.mjs).

import assert from 'node:assert/strict';
import { Suite, injectCard, waitAttr } from './harness.mjs';
import { assertAccessible } from './axe.mjs';
import { ask, facilitate } from './wsclient.mjs';

const s = Suite.setup();
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };


for (const lang of ['en', 'fr']) {
  s.test(`every page of a session is accessible (${lang})`, async () => {
    const ex = await s.server.createExercise('dfs-salary-tide');
    const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);

    const phone = await s.newPage(`phone-${lang}`, PHONE);
    await phone.goto(`${s.base}/join/${ex.join_code}?lang=${lang}`);
    await phone.locator('#join-form').waitFor({ state: 'visible' });
    await assertAccessible(phone, `join page (${lang})`);
    await phone.locator('#join-name').fill('Awa');
    await phone.locator('#join-form button[type=submit]').click();
    await waitAttr(phone.locator('#conn'), 'data-state', 'online');
    await assertAccessible(phone, `phone lobby (${lang})`);

    await fac.start();
    await injectCard(phone, 'payday-fraud-wave').waitFor({ state: 'visible' });
    await assertAccessible(phone, `phone inject (${lang})`);
    // Awa, the first to join, is in risk, which the ransom poll targets.
    await fac.release('agent-system-ransomware');
    await injectCard(phone, 'agent-system-ransomware').waitFor({ state: 'visible' });
    await assertAccessible(phone, `phone with a poll (${lang})`);
    await ask(fac, { type: 'open_self_assessment' });
    await phone.locator('#self-assessment').waitFor({ state: 'visible' });
    await assertAccessible(phone, `phone self-assessment (${lang})`);

    const projector = await s.newPage(`projector-${lang}`, { viewport: { width: 1280, height: 720 } });
    await projector.goto(`${s.base}/projector?code=${ex.join_code}&lang=${lang}`);
    await waitAttr(projector.locator('#clock'), 'data-state', 'running');
    await assertAccessible(projector, `projector (${lang})`);
    await ask(fac, { type: 'show_on_projector', view: 'briefing' });
    await waitAttr(projector.locator('#projector'), 'data-view', 'briefing');
    await assertAccessible(projector, `projector briefing (${lang})`);

    const consolePage = await s.newPage(`console-${lang}`, { viewport: { width: 1366, height: 768 } });
    await consolePage.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}&lang=${lang}`);
    await consolePage.locator(`#exercises button.open-exercise[data-exercise-id="${ex.exercise_id}"]`).click();
    await consolePage.locator('#console').waitFor({ state: 'visible' });
    await waitAttr(consolePage.locator('#conn'), 'data-state', 'online');
    assert.equal(await consolePage.evaluate(() => document.documentElement.lang), lang, 'the console in the language asked');
    await assertAccessible(consolePage, `console (${lang})`);
    await consolePage.goto(`${s.base}/debrief?exercise=${ex.exercise_id}&lang=${lang}`);
    await consolePage.waitForLoadState('networkidle');
    await assertAccessible(consolePage, `debrief (${lang})`);
    fac.close();
  }, { timeout: 120_000 });
}
