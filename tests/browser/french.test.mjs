// Every page of a session in French, walked in real Chromium on a scenario written in
// French (tests/fixtures/scenarios/exercice-fr.toml, so no English comes from the
// content): the join page with its group picker, the phone's lobby, an inject with its
// countdown, a poll, the self-assessment, the projector (play, briefing, poll results,
// the end), the console, an observer's view and the debrief. On each, no English UI
// string of the pages' word tables (tests/browser/words.mjs: every string of every
// table that French does not share) may be on screen, and <html lang> is "fr".

import assert from 'node:assert/strict';
import { Suite, injectCard, waitAttr } from './harness.mjs';
import { englishWords } from './words.mjs';
import { ask, facilitate } from './wsclient.mjs';

const s = Suite.setup();
const ENGLISH = Object.values(englishWords()).flat();
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fr-FR' };

/// Fails if the page shows any English UI string, or is not marked French.
async function assertFrench(page, what) {
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr', `${what}: <html lang>`);
  const shown = await page.evaluate(() => document.body.innerText);
  const left = ENGLISH.filter((english) => shown.includes(english));
  assert.deepEqual(left, [], `${what}: English left on a French page:\n${shown}`);
}

s.test('the word tables hold the pages English words (the walk below checks something)', () => {
  for (const [file, words] of Object.entries(englishWords())) {
    assert.ok(words.length >= 15, `${file}: only ${words.length} English strings read`);
  }
});

s.test('every page of a session, in French, shows no English UI string', async () => {
  const ex = await s.server.createExercise('exercice-fr');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);

  const phone = await s.newPage('téléphone', PHONE);
  await phone.goto(`${s.base}/join/${ex.join_code}?lang=fr`);
  await phone.locator('#join-form').waitFor({ state: 'visible' });
  await assertFrench(phone, 'join page');
  await phone.locator('#join-name').fill('Awa');
  await phone.locator('#join-form button[type=submit]').click();
  await waitAttr(phone.locator('#conn'), 'data-state', 'online');
  await assertFrench(phone, 'phone lobby');

  await fac.start();
  await injectCard(phone, 'vague-de-fraude').waitFor({ state: 'visible' });
  await assertFrench(phone, 'phone inject with its countdown');
  await fac.release('rancon');
  await injectCard(phone, 'rancon').waitFor({ state: 'visible' });
  await assertFrench(phone, 'phone poll');
  await ask(fac, { type: 'open_self_assessment' });
  await phone.locator('#self-assessment').waitFor({ state: 'visible' });
  await assertFrench(phone, 'phone self-assessment');

  const projector = await s.newPage('projecteur', { viewport: { width: 1280, height: 720 }, locale: 'fr-FR' });
  await projector.goto(`${s.base}/projector?code=${ex.join_code}&lang=fr`);
  await waitAttr(projector.locator('#clock'), 'data-state', 'running');
  await assertFrench(projector, 'projector, play');
  await ask(fac, { type: 'show_on_projector', view: 'briefing' });
  await waitAttr(projector.locator('#projector'), 'data-view', 'briefing');
  await assertFrench(projector, 'projector, briefing');
  await ask(fac, { type: 'show_on_projector', view: 'poll', inject_id: 'rancon' });
  await waitAttr(projector.locator('#projector'), 'data-view', 'poll');
  await assertFrench(projector, 'projector, poll results');

  const console_ = await s.newPage('console', { viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
  await console_.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}&lang=fr`);
  await console_.locator(`#exercises button.open-exercise[data-exercise-id="${ex.exercise_id}"]`).click();
  await console_.locator('#console').waitFor({ state: 'visible' });
  await waitAttr(console_.locator('#conn'), 'data-state', 'online');
  await assertFrench(console_, 'console');

  fac.send({ type: 'add_observer', name: 'Fatou' });
  const observer = await fac.expect('observer', (m) => m.name === 'Fatou' && m.key);
  const obs = await s.newPage('observateur', { viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
  await obs.goto(`${s.base}/facilitator?exercise=${ex.exercise_id}&lang=fr#observer=${observer.key}`);
  await waitAttr(obs.locator('#conn'), 'data-state', 'online');
  await assertFrench(obs, "observer's view");

  await fac.end();
  await waitAttr(projector.locator('#projector'), 'data-view', 'poll');
  await ask(fac, { type: 'show_on_projector', view: 'play' });
  await waitAttr(projector.locator('#projector'), 'data-view', 'ended');
  await assertFrench(projector, 'projector, the end');

  await console_.goto(`${s.base}/debrief?exercise=${ex.exercise_id}&lang=fr`);
  await console_.waitForLoadState('networkidle');
  await assertFrench(console_, 'debrief');
  fac.close();
}, { timeout: 120_000 });

s.test('the phone page switches language and keeps its address', async () => {
  const ex = await s.server.createExercise('exercice-fr');
  const phone = await s.newPage('switch', { ...PHONE, locale: 'en-GB' });
  await phone.goto(`${s.base}/join/${ex.join_code}`);
  await phone.locator('#join-form').waitFor({ state: 'visible' });
  assert.equal(await phone.evaluate(() => document.documentElement.lang), 'en');
  await phone.locator('#lang-switch a[lang=fr]').click();
  await phone.locator('#join-form').waitFor({ state: 'visible' });
  assert.equal(new URL(phone.url()).pathname, `/join/${ex.join_code}`, 'the join path is kept');
  await assertFrench(phone, 'join page after the switch');
  assert.equal(await phone.locator('#lang-switch a[lang=fr]').getAttribute('aria-current'), 'true');
});
