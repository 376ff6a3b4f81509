// The console's scenario authoring card (issue 13), in real Chromium on its own scenarios
// folder: a broken TOML upload shows its FILE:LINE:COL problem as text and saves nothing;
// a good one shows the preview (one lane per group, the questions table, the objectives)
// and, saved, is listed in the picker; a listed scenario's Preview link draws its lanes;
// Reload lists a file added to the folder; in French no English word of the card shows.
// One browser for the file; screenshots in target/screenshots/.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, REPO, SCREENSHOTS, Suite, eventually, textOf, waitText } from './harness.mjs';
import { englishWords } from './words.mjs';

const FIXTURES = path.join(REPO, 'tests', 'fixtures', 'scenarios');
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tabletop-authoring-'));
for (const f of ['quick-demo.toml', 'exercice-fr.toml']) fs.copyFileSync(path.join(FIXTURES, f), path.join(folder, f));
const s = Suite.setup({ scenarios: folder });
const SCREEN = { viewport: { width: 1366, height: 900 } };
const demo = fs.readFileSync(path.join(FIXTURES, 'quick-demo.toml'), 'utf8');
const mine = demo.replace('id = "quick-demo"', 'id = "my-demo"').replace('title = "Quick demo — rehearsal"', 'title = "My uploaded demo"');
const files = () => fs.readdirSync(folder).sort();

async function home(lang = 'en') {
  const page = await s.newPage(`console-${lang}`, { ...SCREEN, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
  await page.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}&lang=${lang}`);
  await page.locator('#home').waitFor({ state: 'visible' });
  return page;
}

const upload = (page, name, text) => page.locator('#upload-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

s.test('a broken TOML upload shows its FILE:LINE:COL problem as text, and nothing is saved', async () => {
  const page = await home();
  const broken = mine.replace('duration_minutes = 5', 'duration_minutes = "five"');
  await upload(page, 'broken.toml', broken);
  const first = page.locator('#upload-problems li.problem').first();
  await waitText(first, /^broken\.toml:\d+:\d+: /);
  const line = broken.split('\n').findIndex((l) => l.startsWith('duration_minutes')) + 1;
  assert.match(await textOf(first), new RegExp(`^broken\\.toml:${line}:\\d+: `));
  assert.equal(await page.locator('#save-scenario').isVisible(), false, 'no Save for a broken file');
  assert.equal(await page.locator('#preview').isVisible(), false);
  // A problem quoting markup is shown as text, never parsed.
  await upload(page, 'markup.toml', mine.replace('id = "my-demo"', 'id = "<img src=x onerror=alert(1)>"'));
  await waitText(page.locator('#upload-problems li.problem').first(), '<img src=x');
  assert.equal(await page.locator('#upload-problems img').count(), 0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'authoring-problems.png'), fullPage: true });
  assert.deepEqual(files(), ['exercice-fr.toml', 'quick-demo.toml']);
});

s.test('a good upload shows one lane per group, then Save lists it in the picker', async () => {
  const page = await home();
  await upload(page, 'my-demo.toml', mine);
  await page.locator('#preview').waitFor({ state: 'visible' });
  const lanes = page.locator('#preview .lane[data-group-id]');
  assert.equal(await lanes.count(), 6, 'one lane per group');
  const ids = await lanes.evaluateAll((ls) => ls.map((l) => l.dataset.groupId));
  assert.deepEqual(ids, ['risk', 'governance', 'testing', 'training', 'protection', 'incident']);
  // quick-demo: first-alert and wrap-up reach everyone, partner-api two groups.
  assert.equal(await page.locator('#preview .lane[data-group-id="risk"] .block').count(), 3);
  assert.equal(await page.locator('#preview .lane[data-group-id="governance"] .block').count(), 2);
  assert.equal(await page.locator('#preview table.preview-questions tbody tr').count(), 6);
  assert.equal(await page.locator('#preview .objectives li[data-served="true"]').count(), 2);
  await waitText(page.locator('#authoring-status'), 'my-demo.toml is valid');
  await page.locator('#authoring').screenshot({ path: path.join(SCREENSHOTS, 'authoring-preview.png') });
  assert.deepEqual(files(), ['exercice-fr.toml', 'quick-demo.toml'], 'a check saves nothing');

  await page.locator('#save-scenario').click();
  await page.locator('#scenarios button[data-scenario-id="my-demo"]').waitFor({ state: 'visible' });
  await waitText(page.locator('#authoring-status'), 'Saved as my-demo.toml');
  assert.deepEqual(files(), ['exercice-fr.toml', 'my-demo.toml', 'quick-demo.toml']);
  assert.equal(fs.readFileSync(path.join(folder, 'my-demo.toml'), 'utf8'), mine);
});

s.test('Preview draws a listed scenario; Reload lists a file added to the folder', async () => {
  const page = await home();
  await page.locator('#preview-links button[data-scenario-id="quick-demo"]').click();
  await page.locator('#preview .lane[data-group-id="incident"]').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#preview .lane[data-group-id]').count(), 6);
  fs.writeFileSync(path.join(folder, 'added.toml'), demo.replace('id = "quick-demo"', 'id = "added-demo"').replace('Quick demo — rehearsal', 'Added while serving'));
  await page.locator('#reload-scenarios').click();
  await waitText(page.locator('#authoring-status'), 'Reloaded');
  await page.locator('#scenarios button[data-scenario-id="added-demo"]').waitFor({ state: 'visible' });
});

s.test('in French, the authoring card shows no English word', async () => {
  const page = await home('fr');
  await page.locator('#preview-links button[data-scenario-id="exercice-fr"]').click();
  await page.locator('#preview .lane').first().waitFor({ state: 'visible' });
  await upload(page, 'cassé.toml', 'id = "x"');
  await waitText(page.locator('#authoring-status'), 'cassé.toml');
  await upload(page, 'casse.toml', 'id = "x"\ntitle = \n');
  await page.locator('#upload-problems li.problem').first().waitFor();
  const shown = await page.locator('#authoring').innerText();
  const english = englishWords()['web/console-words-authoring.js'];
  assert.ok(english.length >= 15, `only ${english.length} English strings read`);
  await eventually(async () => {
    const left = english.filter((e) => shown.includes(e));
    assert.deepEqual(left, [], `English left in the French card:\n${shown}`);
  });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'authoring-fr.png'), fullPage: true });
});

s.test('an MSEL spreadsheet (CSV) completes the scenario chosen in the list: previewed, and a broken row is shown at sheet.csv:ROW:COL', async () => {
  const sheet = execFileSync(BIN, ['msel', 'export', path.join(FIXTURES, 'quick-demo.toml')], { encoding: 'utf8' });
  const page = await home();
  await page.locator('#scenarios [data-scenario-id="quick-demo"]').click();
  await upload(page, 'plan.csv', sheet);
  await page.locator('#preview').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#preview .lane[data-group-id]').count(), 6, 'the base scenario\'s six groups');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'authoring-msel.png'), fullPage: true });
  const broken = sheet.replace(/\n1,([^,]*),0,/, '\n1,$1,soon,');
  assert.notEqual(broken, sheet, 'the first row is at T+0');
  await upload(page, 'plan.csv', broken);
  await waitText(page.locator('#upload-problems li.problem').first(), /^plan\.csv:2:3: /);
  assert.deepEqual(files().filter((f) => f.startsWith('plan')), [], 'nothing saved');
});
