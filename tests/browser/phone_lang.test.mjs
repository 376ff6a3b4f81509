// A bilingual scenario on 360×740 phones (issue 13): a French phone (?lang=fr) reads the
// inject, its question and its image's caption in French, an English phone in English;
// the image shows (and opens larger on a tap) and the answer box stays on the first
// screen. The console shows the same image before release, the shared screen once it is
// out. Screenshots: target/screenshots/phone-attachment-fr.png, phone-attachment-en.png,
// phone-attachment-zoom.png, projector-attachment.png.

import assert from 'node:assert/strict';
import path from 'node:path';
import { eventually, injectCard, openConsole, REPO, SCREENSHOTS, Suite, waitAttr } from './harness.mjs';
import { facilitate } from './wsclient.mjs';

const s = Suite.setup({ scenarios: path.join(REPO, 'tests', 'fixtures', 'attachments') });
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, name) });

async function joinPhone(page, code, name, query = '') {
  await page.goto(`${s.base}/join/${code}${query}`);
  await page.locator('#join-name').fill(name);
  await page.locator('#join-groups input[value="agents"]').check();
  await page.locator('#join-submit').click();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
}

/// The image loaded (a decoded picture, not a broken one) and the answer box within the
/// first screen once the inject's title is at the top.
async function checkCard(page, card) {
  const img = card.locator('.attachment-image img');
  await img.waitFor({ state: 'visible' });
  await eventually(async () => (await img.evaluate((el) => el.complete && el.naturalWidth > 0)) || null, { message: 'the image loads' });
  await card.locator('.inject-title').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const box = await card.locator('textarea.answer-input').boundingBox();
  const height = page.viewportSize().height;
  assert.ok(box && box.y + box.height <= height, `the answer box ends at ${box && box.y + box.height}px, below the first screen (${height}px)`);
}

s.test('a French phone reads the inject, question and caption in French, an English one in English; the image shows and the answer box stays on the first screen', async () => {
  const ex = await s.server.createExercise('pics');
  const console_ = await s.newPage('console', { viewport: { width: 1366, height: 768 } });
  await openConsole(console_, s.base, s.server.adminToken, ex.exercise_id);
  // Before release the console shows the image with the current (next) inject.
  const preview = console_.locator('#current-attachments .attachment-image img');
  await preview.waitFor({ state: 'visible' });
  await eventually(async () => (await preview.evaluate((el) => el.naturalWidth > 0)) || null, { message: 'the console shows the image' });

  const fr = await s.newPage('phone-fr', PHONE);
  await joinPhone(fr, ex.join_code, 'Awa', '?lang=fr');
  const en = await s.newPage('phone-en', { ...PHONE, locale: 'en-GB' });
  await joinPhone(en, ex.join_code, 'Lamin');

  const screen = await s.newPage('projector', { viewport: { width: 1280, height: 720 } });
  await screen.goto(`${s.base}/projector?code=${ex.join_code}&lang=fr`);

  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await fac.start();

  // The shared screen shows the released inject's image, in the screen's language.
  const shown = screen.locator('#current-attachments .attachment-image img');
  await shown.waitFor({ state: 'visible' });
  await eventually(async () => (await shown.evaluate((el) => el.naturalWidth > 0)) || null, { message: 'the projector shows the image' });
  assert.equal(await screen.locator('#current-title').textContent(), 'Un SMS étrange');
  await shot(screen, 'projector-attachment.png');

  const frCard = injectCard(fr, 'sms');
  await frCard.waitFor({ state: 'visible' });
  assert.equal(await frCard.locator('.inject-title').textContent(), 'Un SMS étrange');
  assert.equal(await frCard.locator('ol.questions li').first().textContent(), "Que doit faire l'agent\u202f?", 'the question keeps its ? (a narrow no-break space)');
  assert.equal(await frCard.locator('figcaption').textContent(), "Le message reçu par l'agent");
  assert.match(await frCard.locator('.inject-body').textContent(), /Un agent transfère ce message/);
  await checkCard(fr, frCard);
  // The image right under the text that shows it, then the questions and the answer box.
  const order = await frCard.evaluate((card) => ['.inject-title', '.inject-body', '.attachment-image', 'ol.questions', 'form.answer-form']
    .map((sel) => card.querySelector(sel).getBoundingClientRect().top));
  assert.deepEqual([...order].sort((a, b) => a - b), order, `reading order: ${order}`);
  await shot(fr, 'phone-attachment-fr.png');

  const enCard = injectCard(en, 'sms');
  await enCard.waitFor({ state: 'visible' });
  assert.equal(await enCard.locator('.inject-title').textContent(), 'A strange SMS');
  assert.equal(await enCard.locator('figcaption').textContent(), 'The message the agent received');
  await checkCard(en, enCard);
  await shot(en, 'phone-attachment-en.png');

  // A tap opens the whole image in a dialog; Close returns.
  await frCard.locator('.attachment-zoom').click();
  const dialog = fr.locator('dialog.attachment-dialog');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.locator('img').getAttribute('alt'), "Un SMS demandant de renvoyer de l'argent envoyé par erreur");
  await shot(fr, 'phone-attachment-zoom.png');
  await dialog.locator('.attachment-close').click();
  await dialog.waitFor({ state: 'detached' });
  fac.close();
});
