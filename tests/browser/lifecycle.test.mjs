// The console's home page runs the exercise lifecycle: exercises listed newest first,
// the search box narrows the list (title, scenario, join code), Archive moves an ended
// exercise behind the Archived filter, Run again opens the new exercise's console with
// the same join code, Delete asks in the console's dialog and removes the exercise.
// One browser; the exercises are made and ended over the API and the websocket.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, waitAttr } from './harness.mjs';
import { facilitate } from './wsclient.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1366, height: 768 } };

const rows = (page) => page.locator('#exercises li.exercise-row');
const rowIds = (page) => rows(page).evaluateAll((els) => els.map((e) => e.dataset.exerciseId));
const row = (page, id) => page.locator(`#exercises li.exercise-row[data-exercise-id="${id}"]`);

s.test('the home page lists, searches, archives, runs again and deletes exercises', async () => {
  const demo = await s.server.createExercise('quick-demo');
  const escalation = await s.server.createExercise('escalation');
  const fac = await facilitate(s.base, demo.exercise_id, demo.facilitator_key);
  await fac.start();
  await fac.end();
  fac.close();

  const page = await s.newPage('facilitator', SCREEN);
  // The banner's link carries the token in the #fragment (never sent, never logged);
  // the page keeps it in the tab and takes it out of the address bar.
  await page.goto(`${s.base}/facilitator#token=${encodeURIComponent(s.server.adminToken)}`);
  await page.locator('#home').waitFor({ state: 'visible' });
  assert.ok(!page.url().includes(s.server.adminToken), `the token left the address bar: ${page.url()}`);
  await eventually(async () => assert.deepEqual(await rowIds(page), [escalation.exercise_id, demo.exercise_id]), { message: 'newest first' });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'lifecycle-home.png'), fullPage: true });

  // Search: by join code (typed loosely), then by title.
  const code = demo.join_code.toLowerCase();
  await page.locator('#exercise-search').fill(`${code.slice(0, 4)}-${code.slice(4)}`);
  await eventually(async () => assert.deepEqual(await rowIds(page), [demo.exercise_id]));
  await page.locator('#exercise-search').fill('');
  await eventually(async () => assert.equal(await rows(page).count(), 2));

  // Archive: only the ended one offers it; it moves behind the Archived filter.
  assert.equal(await row(page, escalation.exercise_id).locator('button.archive').count(), 0, 'a live exercise is not archived');
  await row(page, demo.exercise_id).locator('button.archive').click();
  await eventually(async () => assert.deepEqual(await rowIds(page), [escalation.exercise_id]));
  await page.locator('#exercise-status').selectOption('archived');
  await eventually(async () => assert.deepEqual(await rowIds(page), [demo.exercise_id]));
  await waitAttr(row(page, demo.exercise_id), 'data-archived', 'true');

  // Run again: a new console, the same join code.
  await row(page, demo.exercise_id).locator('button.run-again').click();
  await page.locator('#console').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  assert.equal(await page.locator('#join-code').textContent(), demo.join_code, 'the same join code');
  assert.equal(await page.locator('#clock').getAttribute('data-state'), 'lobby', 'a fresh exercise');
  const projector = await page.locator('#projector-link').getAttribute('href');
  assert.ok(projector.includes(demo.join_code), `the projector link is the old one: ${projector}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'lifecycle-run-again.png'), fullPage: true });

  // Back home: the re-run is listed first, the old one marked.
  await page.locator('#home-button').click();
  await page.locator('#home').waitFor({ state: 'visible' });
  await page.locator('#exercise-status').selectOption('all');
  await eventually(async () => assert.equal(await rows(page).count(), 3));
  const ids = await rowIds(page);
  assert.notEqual(ids[0], demo.exercise_id);
  assert.equal(await row(page, demo.exercise_id).locator('button.run-again').count(), 0, 'run the re-run again instead');

  // Delete: the dialog asks; Keep it keeps it; Delete for good removes it.
  await row(page, escalation.exercise_id).locator('button.delete-exercise').click();
  const dialog = page.locator('#confirm-delete');
  await dialog.waitFor({ state: 'visible' });
  assert.match(await page.locator('#confirm-delete-text').textContent(), new RegExp(escalation.join_code));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'lifecycle-delete.png') });
  await page.locator('#confirm-delete-no').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await row(page, escalation.exercise_id).count(), 1);
  await row(page, escalation.exercise_id).locator('button.delete-exercise').click();
  await page.locator('#confirm-delete-yes').click();
  await eventually(async () => assert.equal(await row(page, escalation.exercise_id).count(), 0));
  const r = await s.server.api(`/api/exercises/${escalation.exercise_id}/timeline`, { token: s.server.adminToken });
  assert.equal(r.status, 404);
});
