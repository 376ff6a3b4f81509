// A phone whose answer the server refuses for a quota (`quota_exceeded`: too many
// answers to one inject) or the answer rate (`rate_limited`) keeps the typed answer as
// a draft, says why in the reader's words, and keeps it over a reload; nothing of it is
// stored. The server runs with small quotas: one answer per inject, two a minute.

import assert from 'node:assert/strict';
import { SCREENSHOTS, Suite, answer, eventually, injectCard, joinViaLink, unique, waitAttr } from './harness.mjs';
import { facilitate } from './wsclient.mjs';

const s = Suite.setup({ args: ['--answers-per-inject', '1', '--answers-per-minute', '2'] });

async function storedTexts(ex) {
  const tl = await s.server.timeline(ex.exercise_id, ex.facilitator_key);
  return tl.entries.filter((e) => e.kind === 'response_submitted').map((e) => e.text);
}

/// Sends `text` from the card's box and waits for the refusal; checks the draft stays.
async function refusedKeepsDraft(page, injectId, text, words) {
  const card = injectCard(page, injectId);
  const input = card.locator('textarea.answer-input');
  await input.fill(text);
  await card.locator('button.answer-send').click();
  const status = card.locator('.answer-status:not(.imp-status)');
  await waitAttr(status, 'data-state', 'error');
  assert.match(await status.textContent(), words);
  assert.equal(await input.inputValue(), text, 'the refused answer stays in the box');
  assert.ok(await input.isEditable(), 'and can be edited and sent again');
}

s.test('a refused answer (quota, rate) stays as a draft with the reason, also over a reload', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await fac.start();
  const page = await s.newPage('participant', { viewport: { width: 390, height: 844 } });
  await joinViaLink(page, s.base, ex.join_code, 'Chidi');

  // The first answer is stored; a second to the same inject is over its quota.
  const first = unique('Freeze SIM swaps');
  await answer(page, 'first-alert', first);
  const again = unique('And call the telco');
  await refusedKeepsDraft(page, 'first-alert', again, /limit of answers/);

  // A second inject: its answer is the second this minute; the third is over the rate.
  await fac.release('partner-api');
  await answer(page, 'partner-api', unique('Revoke the key'));
  await fac.release('wrap-up');
  await injectCard(page, 'wrap-up').locator('textarea.answer-input').waitFor({ state: 'visible' });
  const fast = unique('One fix: SIM-swap checks');
  await refusedKeepsDraft(page, 'wrap-up', fast, /Too many answers at once/);

  // Nothing refused was stored; after a reload both drafts are back in their boxes.
  const stored = await storedTexts(ex);
  assert.ok(stored.includes(first) && !stored.includes(again) && !stored.includes(fast), JSON.stringify(stored));
  await page.reload();
  for (const [id, text] of [['first-alert', again], ['wrap-up', fast]]) {
    const input = injectCard(page, id).locator('textarea.answer-input');
    await input.waitFor({ state: 'visible' });
    await eventually(async () => assert.equal(await input.inputValue(), text, `${id}: the draft survives a reload`));
  }
  await page.screenshot({ path: `${SCREENSHOTS}/phone-refused-draft.png`, fullPage: true });
  fac.close();
});
