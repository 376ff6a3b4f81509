// Participant-typed text (names, answers) and the facilitator's announcements are shown
// as literal text everywhere: participant, facilitator, projector and debrief pages.

import assert from 'node:assert/strict';
import {
  Suite, eventually, gridCell, injectCard, joinViaLink, openConsole, planRow, textOf, waitAttr, waitText,
} from './harness.mjs';

const s = Suite.setup();

const NAME = '<img src=x onerror=alert(3)>';
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script><b>bold?</b>';
const ANNOUNCE = '<img src=x onerror=alert(4)><script>alert(5)</script>';

/// Fails if markup from the typed text became elements in the page.
async function assertInert(page, where) {
  const found = await page.evaluate(() => ({
    imgX: [...document.images].filter((i) => i.getAttribute('src') === 'x').length,
    onerror: document.querySelectorAll('[onerror]').length,
    scripts: [...document.scripts].filter((sc) => /alert\(/.test(sc.textContent)).length,
    bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'bold?').length,
  }));
  assert.deepEqual(found, { imgX: 0, onerror: 0, scripts: 0, bold: 0 }, `${where}: injected markup became elements`);
}

s.test('names, answers and announcements with markup are shown as text, never run', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const part = await s.newPage('participant', { viewport: { width: 390, height: 844 } });
  const fac = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  const proj = await s.newPage('projector', { viewport: { width: 1280, height: 720 } });

  await joinViaLink(part, s.base, ex.join_code, NAME);
  await proj.goto(`${s.base}/projector?code=${ex.join_code}`);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await waitText(fac.locator('#roster li.member'), NAME);

  await fac.locator('#start').click();
  await waitAttr(fac.locator('#clock'), 'data-state', 'running');
  await planRow(fac, 'partner-api').locator('button.release').click();

  // Two answers (first-alert, partner-api: the first joiner is in risk, a target).
  for (const [inject, text] of [['first-alert', IMG], ['partner-api', SCRIPT]]) {
    const card = injectCard(part, inject);
    await card.locator('textarea.answer-input').fill(text);
    await card.locator('button.answer-send').click();
    await waitAttr(card.locator('.answer-status'), 'data-state', 'sent');
    const shown = card.locator('ul.answers li.answer');
    await eventually(async () => {
      assert.equal(await textOf(shown.locator('.answer-text')), text, `${inject}: the answer as typed`);
      assert.equal(await textOf(shown.locator('.answer-author')), NAME, `${inject}: the author as typed`);
    });
    assert.ok(await shown.locator('.answer-text').isVisible());
  }

  await fac.locator('#announce-text').fill(ANNOUNCE);
  await fac.locator('#announce-send').click();
  await waitText(part.locator('#announcements .announcement'), ANNOUNCE);

  // Facilitator: grid and roster show the text.
  await waitText(gridCell(fac, 'risk', 'first-alert').locator('.latest'), IMG);
  await waitText(gridCell(fac, 'risk', 'partner-api').locator('.latest'), SCRIPT);
  await waitText(fac.locator('#roster li.member'), NAME);

  // Projector: it follows the exercise and shows the announcement as typed (waiting for it
  // means the markup check below looks at a page that has it).
  await waitText(proj.locator('#current-title'), 'Partner API abuse');
  await waitText(proj.locator('#announcement'), ANNOUNCE);

  // End the exercise from the console, then read the debrief in the facilitator's tab.
  await fac.locator('#end').click();
  await fac.locator('dialog#confirm-end').waitFor({ state: 'visible' });
  await fac.locator('#confirm-end-yes').click();
  await waitAttr(fac.locator('#clock'), 'data-state', 'ended');
  await waitAttr(proj.locator('#clock'), 'data-state', 'ended');

  for (const [page, where] of [[part, 'participant'], [fac, 'facilitator'], [proj, 'projector']]) {
    await assertInert(page, where);
  }

  const href = await fac.locator('a#debrief-link').getAttribute('href');
  await fac.goto(new URL(href, s.base).href);
  await waitText(fac.locator('#step-title'), 'First alert');
  const risk = fac.locator('#groups section.group-col[data-group-id="risk"]');
  await waitText(risk.locator('.response .response-text'), IMG);
  await waitText(risk.locator('.response .response-author'), NAME);
  await fac.locator('#next').click();
  await waitText(fac.locator('#step-title'), 'Partner API abuse');
  await waitText(risk.locator('.response .response-text'), SCRIPT);
  await assertInert(fac, 'debrief');

  assert.deepEqual(s.problems.filter((p) => /dialog|CSP/.test(p)), [], 'no dialog and no blocked inline script');
});
