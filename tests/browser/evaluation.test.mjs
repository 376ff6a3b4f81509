// Evaluation capture in the browser: the self-assessment rated on phones with live
// results on the console, an observer's read-only console with notes and ratings, a
// fix proposed from a phone and accepted on the console, and the debrief's report
// downloads.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  Suite, eventually, injectCard, joinViaLink, openConsole, planRow, textOf, unique, waitAttr, waitText,
} from './harness.mjs';
import { facilitate, joinParticipant } from './wsclient.mjs';

const s = Suite.setup();

/// Opens the console's evaluation and report panels (closed <details> until opened;
/// the browser remembers them, also over a reload).
async function openPanels(page) {
  const closed = page.locator('details.panel:not([open]) > summary:visible');
  while (await closed.count()) await closed.first().click();
}

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESK = { viewport: { width: 1366, height: 768 } };

const saRow = (page, groupId, statementId) =>
  page.locator(`#sa-results tr.sa-row[data-group-id="${groupId}"][data-statement-id="${statementId}"]`);
const saGroup = (page, groupId) => page.locator(`#sa-results tr.sa-group[data-group-id="${groupId}"]`);
const saChoice = (page, statementId, score) =>
  page.locator(`#self-assessment fieldset[data-statement-id="${statementId}"] input[type="radio"][value="${score}"]`);

/// Chooses scores on a phone and sends them; resolves once the server acked them.
async function rate(page, scores) {
  for (const [statement, score] of Object.entries(scores)) await saChoice(page, statement, score).check();
  await page.locator('#sa-send').click();
  await waitAttr(page.locator('#sa-status'), 'data-state', 'sent');
}

/// Fails unless the control is absent, hidden or disabled.
async function assertUnusable(locator, what) {
  for (let i = 0; i < (await locator.count()); i++) {
    const el = locator.nth(i);
    assert.ok(!(await el.isVisible()) || (await el.isDisabled()), `${what} is usable by an observer`);
  }
}

s.test('self-assessment: the facilitator opens it, two phones in two groups rate, the console shows the means live', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', DESK);
  const awa = await s.newPage('participant-awa', PHONE);
  const bako = await s.newPage('participant-bako', PHONE);
  assert.match(await joinViaLink(awa, s.base, ex.join_code, 'Awa'), /Risk management/);
  assert.match(await joinViaLink(bako, s.base, ex.join_code, 'Bako'), /Governance/);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await openPanels(fac);

  // Not opened: the phones show nothing of it; the console shows the state and every
  // group with statements (risk 2, governance 1, incident 1) with no score yet.
  await waitAttr(fac.locator('#sa-state'), 'data-state', 'not_opened');
  assert.equal(await fac.locator('#sa-results tr.sa-row').count(), 4);
  assert.equal(await textOf(saRow(fac, 'risk', 'risk-register').locator('.sa-count')), '0');
  assert.ok(await awa.locator('#self-assessment').isHidden(), 'no self-assessment card before it opens');

  await fac.locator('#sa-open').click();
  await waitAttr(fac.locator('#sa-state'), 'data-state', 'open');
  assert.ok(await fac.locator('#sa-open').isDisabled(), 'open is disabled while open');

  // Each phone gets its own group's statements with the 1–5 scale, and only those.
  await awa.locator('#self-assessment').waitFor({ state: 'visible' });
  await waitText(awa.locator('#self-assessment'), 'SIM-swap fraud is in our risk register.');
  assert.equal(await awa.locator('#self-assessment fieldset.sa-statement').count(), 2);
  assert.equal(await awa.locator('#self-assessment fieldset[data-statement-id="risk-register"] input[type="radio"]').count(), 5);
  await waitText(awa.locator('#self-assessment fieldset[data-statement-id="risk-register"]'), 'Tested and improved');
  await bako.locator('#self-assessment').waitFor({ state: 'visible' });
  assert.deepEqual(
    await bako.locator('#self-assessment fieldset.sa-statement').evaluateAll((els) => els.map((e) => e.dataset.statementId)),
    ['governance-decides'],
  );

  // Touch targets: every choice is at least 44 px high, and the card fits 360 px.
  const heights = await awa.locator('#self-assessment label.sa-choice').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
  assert.ok(heights.every((h) => h >= 43.5), `choice heights ${heights}`);
  assert.ok(await awa.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 360 px');

  // A choice is kept on the phone as a draft until the server has it.
  await saChoice(awa, 'risk-register', 4).check();
  await waitAttr(awa.locator('#sa-status'), 'data-state', 'draft');
  const draftKeys = () => awa.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tt.sa.')));
  assert.equal((await draftKeys()).length, 1, 'the draft is in localStorage');
  await rate(awa, { 'risk-register': 4, 'risk-partners': 2 });
  assert.deepEqual(await draftKeys(), [], 'the draft is gone once acked');

  await waitText(saRow(fac, 'risk', 'risk-register').locator('.sa-mean'), /^4\.0$/);
  await waitText(saRow(fac, 'risk', 'risk-partners').locator('.sa-mean'), /^2\.0$/);
  await waitText(saGroup(fac, 'risk').locator('.sa-group-mean'), /^3\.0$/);
  await waitText(saGroup(fac, 'risk').locator('.sa-raters'), /^1$/);

  await rate(bako, { 'governance-decides': 5 });
  await waitText(saRow(fac, 'governance', 'governance-decides').locator('.sa-mean'), /^5\.0$/);
  await waitText(saRow(fac, 'governance', 'governance-decides').locator('.sa-count'), /^1$/);

  // A second member of the risk group (the seventh to join) rates from a script: means,
  // spread and count follow live.
  const others = [];
  for (const name of ['Chidi', 'Dede', 'Efua', 'Femi', 'Gifty']) others.push(await joinParticipant(s.base, ex.join_code, name));
  const risk2 = others[4];
  assert.equal(risk2.group.id, 'risk', 'the seventh joiner is in risk');
  risk2.send({ type: 'self_assess', scores: { 'risk-register': 2 }, client_msg_id: 'risk2-sa' });
  await risk2.expect('ack', (m) => m.client_msg_id === 'risk2-sa');
  const row = saRow(fac, 'risk', 'risk-register');
  await waitText(row.locator('.sa-mean'), /^3\.0$/);
  await waitText(row.locator('.sa-spread'), /^2–4$/);
  await waitText(row.locator('.sa-count'), /^2$/);
  await waitText(saGroup(fac, 'risk').locator('.sa-raters'), /^2$/);
  await waitText(saGroup(fac, 'risk').locator('.sa-group-mean'), /^2\.7$/); // (4 + 2 + 2) / 3

  // Awa changes her mind: the later score replaces the earlier one.
  await rate(awa, { 'risk-partners': 5 });
  await waitText(saRow(fac, 'risk', 'risk-partners').locator('.sa-mean'), /^5\.0$/);
  await waitText(saRow(fac, 'risk', 'risk-partners').locator('.sa-count'), /^1$/);

  // After a reload the phone shows the scores the server holds.
  await awa.reload();
  await awa.locator('#self-assessment fieldset').first().waitFor({ state: 'visible' });
  assert.ok(await saChoice(awa, 'risk-register', 4).isChecked(), 'risk-register: 4 after a reload');
  assert.ok(await saChoice(awa, 'risk-partners', 5).isChecked(), 'risk-partners: 5 after a reload');

  // Closed: the phones say so and take no more scores.
  await fac.locator('#sa-close').click();
  await waitAttr(fac.locator('#sa-state'), 'data-state', 'closed');
  for (const p of [awa, bako]) {
    await p.locator('#self-assessment .sa-closed').waitFor({ state: 'visible' });
    assert.equal(await p.locator('#sa-send').count(), 0);
    assert.ok(await p.locator('#self-assessment input[type="radio"]').first().isDisabled());
  }
  for (const ws of others) ws.close();
});

s.test('observer: the link from the console opens it read-only; the observer\'s note and rating reach the facilitator live', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', DESK);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await openPanels(fac);
  await waitAttr(fac.locator('#conn'), 'data-state', 'online');
  await fac.locator('#start').click();
  await waitAttr(fac.locator('#clock'), 'data-state', 'running');

  // The facilitator adds an observer and gets their link: the key only in the fragment.
  await fac.locator('#observer-name').fill('Olu Evaluator');
  await fac.locator('#observer-add').click();
  const entry = fac.locator('#observers li.observer', { hasText: 'Olu Evaluator' });
  await entry.locator('input.observer-link').waitFor({ state: 'visible' });
  const link = new URL(await entry.locator('input.observer-link').inputValue());
  assert.equal(link.pathname, '/facilitator');
  assert.equal(link.searchParams.get('exercise'), ex.exercise_id);
  assert.deepEqual([...link.searchParams.keys()], ['exercise'], 'no key in the query string');
  const key = new URLSearchParams(link.hash.slice(1)).get('observer');
  assert.ok(key && key.length >= 16, `a key in the fragment: ${link.hash}`);

  // The observer opens it in their own browser.
  const obs = await s.newPage('observer', DESK);
  const sentUrls = [];
  obs.on('request', (r) => sentUrls.push(r.url()));
  await obs.goto(link.href);
  await obs.locator('#console').waitFor({ state: 'visible' });
  await waitAttr(obs.locator('#conn'), 'data-state', 'online');
  await openPanels(obs);
  await waitText(obs.locator('#observer-badge'), 'Observer: Olu Evaluator');
  await waitAttr(obs.locator('#clock'), 'data-state', 'running');
  assert.ok(!obs.url().includes(key), `the key left the address bar: ${obs.url()}`);
  assert.ok(!sentUrls.some((u) => u.includes(key)), 'the key is never sent in a URL');

  // Read-only: what the facilitator has, without the controls.
  await waitText(planRow(obs, 'first-alert').locator('.status'), /^released/i);
  for (const sel of ['#start', '#pause', '#resume', '#speed', '#end', '#announce-text', '#announce-send', '#home-button',
    '#observer-name', '#observer-add', '#sa-open', '#sa-close', '#improvement-form button', '#plan button.release',
    '#plan button.skip', '#roster select.move', '#improvements button']) {
    await assertUnusable(obs.locator(sel), sel);
  }
  assert.equal(await obs.locator('#plan button').count(), 0, 'no release or skip buttons');
  // Observers see each other's names, never keys.
  await waitText(obs.locator('#observers li.observer'), 'Olu Evaluator');
  assert.equal(await obs.locator('#observers input.observer-link').count(), 0);
  assert.ok(!(await obs.content()).includes(key), 'the observer page holds no key in its DOM');

  // The observer's note, tagged to the inject, the objective and a group: live on the console.
  const note = unique('Risk hesitated on who declares');
  await obs.locator('#note-text').fill(note);
  await obs.locator('#note-inject').selectOption('first-alert');
  await obs.locator('#note-objective').selectOption('respond');
  await obs.locator('#note-group').selectOption('risk');
  await obs.locator('#note-send').click();
  await waitText(obs.locator('#note-status'), 'Saved');
  assert.equal(await obs.locator('#note-text').inputValue(), '', 'the note box is cleared once stored');
  const seen = fac.locator('#notes li.note', { hasText: note });
  await seen.waitFor({ state: 'visible' });
  assert.equal(await textOf(seen.locator('.note-author')), 'Olu Evaluator');
  assert.match(await textOf(seen.locator('.note-time')), /^T\+\d\d:\d\d$/);
  await waitText(seen.locator('.note-inject'), 'First alert');
  await waitText(seen.locator('.note-group'), 'Risk management');

  // And the facilitator's note reaches the observer, newest first.
  const facNote = unique('Governance called the regulator early');
  await fac.locator('#note-text').fill(facNote);
  await fac.locator('#note-send').click();
  await waitText(obs.locator('#notes li.note').first().locator('.note-text'), facNote);
  await waitText(obs.locator('#notes li.note').first().locator('.note-author'), 'Facilitator');

  // A rating from the observer: the console's current rating follows.
  const box = obs.locator('#ratings .objective-rating[data-objective-id="respond"]');
  await box.locator('select.rating').selectOption('S');
  await box.locator('textarea.strengths').fill('Every group named who decides');
  await box.locator('textarea.areas').fill('Nobody checked the SIM-swap list');
  await box.locator('button.save-rating').click();
  const facBox = fac.locator('#ratings .objective-rating[data-objective-id="respond"]');
  await waitText(facBox.locator('.current-rating'), /S — Performed with some challenges \(Olu Evaluator\)/);
  assert.equal(await facBox.locator('select.rating').inputValue(), 'S');
  assert.equal(await facBox.locator('textarea.areas').inputValue(), 'Nobody checked the SIM-swap list');

  // The observer's debrief link opens with the observer key.
  await obs.goto(new URL(await obs.locator('a#debrief-link[href^="/debrief"]').getAttribute('href'), s.base).href);
  await waitText(obs.locator('#step-title'), 'First alert');
  await waitText(obs.locator('#step-notes'), note);
});

s.test('improvement plan: a phone proposes a fix under the wrap-up inject, the facilitator accepts it, the phone sees it accepted', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', DESK);
  const awa = await s.newPage('participant-awa', PHONE);
  await joinViaLink(awa, s.base, ex.join_code, 'Awa');
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await openPanels(fac);
  await waitAttr(fac.locator('#conn'), 'data-state', 'online');
  await fac.locator('#start').click();
  await injectCard(awa, 'first-alert').waitFor({ state: 'visible' });
  assert.equal(await injectCard(awa, 'first-alert').locator('form.improve-form').count(), 0, 'first-alert collects no fixes');

  await planRow(fac, 'wrap-up').locator('button.release').click();
  const card = injectCard(awa, 'wrap-up');
  await card.locator('form.improve-form').waitFor({ state: 'visible' });
  const issue = unique('SIM-swap fraud is not in the risk register');
  await card.locator('textarea.imp-issue').fill(issue);
  await card.locator('textarea.imp-action').fill('Add it, with thresholds for holds');
  await card.locator('select.imp-capability').selectOption('planning');
  await card.locator('input.imp-org').fill('BaobabPay');
  await card.locator('input.imp-owner').fill('CRO');
  await card.locator('input.imp-due').fill('2026-03-31');
  await card.locator('button.imp-send').click();
  await waitAttr(card.locator('.imp-status'), 'data-state', 'sent');
  const mine = card.locator('ul.items li.improvement', { hasText: issue });
  await waitAttr(mine, 'data-status', 'proposed');
  assert.equal(await card.locator('textarea.imp-issue').inputValue(), '', 'the form is cleared once stored');

  // The console lists the proposal with who proposed it; accept it as it is.
  const item = fac.locator('#improvements li.improvement', { hasText: issue });
  await waitAttr(item, 'data-status', 'proposed');
  await waitText(item, 'proposed by Awa');
  await waitText(item, 'Risk management');
  await waitText(item, 'due 2026-03-31');
  await item.locator('button.accept').click();
  await waitAttr(item, 'data-status', 'accepted');
  await waitAttr(mine, 'data-status', 'accepted');
  await waitText(mine.locator('.item-status'), 'accepted');

  // Edit the accepted item: the phone gets the new owner and date.
  await item.locator('button.edit').click();
  assert.equal(await fac.locator('#imp-issue').inputValue(), issue, 'the form holds the item');
  await fac.locator('#imp-owner').fill('Chief Risk Officer');
  await fac.locator('#imp-due').fill('2026-04-30');
  await fac.locator('#imp-save').click();
  await waitText(fac.locator('#imp-status'), 'Saved');
  await waitText(mine, 'Chief Risk Officer');
  await waitText(mine, '2026-04-30');

  // The facilitator adds an item of their own for another group: not on Awa's phone.
  const other = unique('No notification template for the regulator');
  await fac.locator('#imp-issue').fill(other);
  await fac.locator('#imp-action').fill('Write one and test it');
  await fac.locator('#imp-group').selectOption('governance');
  await fac.locator('#imp-save').click();
  await waitAttr(fac.locator('#improvements li.improvement', { hasText: other }), 'data-status', 'accepted');
  // Dropping Awa's item reaches her phone; the other group's item never does.
  await item.locator('button.drop').click();
  await waitAttr(mine, 'data-status', 'dropped');
  assert.ok(!(await awa.content()).includes(other), 'another group\'s item is not on this phone');
});

s.test('debrief: notes per inject, the self-assessment summary, and the report downloads (md, csv, json, html, pdf)', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const awa = await joinParticipant(s.base, ex.join_code, 'Awa');
  const answer = unique('Hold transfers from recently swapped SIMs');
  const note = unique('Risk answered within two minutes');
  await fac.start();
  await awa.respond('first-alert', answer);
  fac.send({ type: 'note', inject_id: 'first-alert', group_id: 'risk', text: note, client_msg_id: 'n1' });
  await fac.expect('ack', (m) => m.client_msg_id === 'n1');
  await fac.command({ type: 'open_self_assessment' }, (m) => m.type === 'self_assessment_results');
  awa.send({ type: 'self_assess', scores: { 'risk-register': 4 }, client_msg_id: 'sa1' });
  await awa.expect('ack', (m) => m.client_msg_id === 'sa1');
  await fac.end();
  for (const ws of [fac, awa]) ws.close();

  const page = await s.newPage('facilitator', { ...DESK, acceptDownloads: true });
  await openConsole(page, s.base, s.server.adminToken, ex.exercise_id);
  // The console sets the link from its welcome.
  const link = page.locator('a#debrief-link[href^="/debrief"]');
  await link.waitFor({ state: 'attached' });
  await page.goto(new URL(await link.getAttribute('href'), s.base).href);
  await waitText(page.locator('#step-title'), 'First alert');
  await waitText(page.locator('#step-notes .step-note'), note);
  await waitText(page.locator('#step-notes .step-note'), 'Facilitator');
  const sa = page.locator('#sa-summary section.sa-group[data-group-id="risk"]');
  await waitText(sa.locator('tr.sa-row[data-statement-id="risk-register"] .sa-mean'), /^4\.0$/);

  const title = 'Quick demo — rehearsal';
  const expect = { md: title, csv: answer, json: title, html: title };
  for (const [format, needle] of Object.entries(expect)) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`#exports button.export[data-format="${format}"]`).click(),
    ]);
    const name = download.suggestedFilename();
    assert.match(name, new RegExp(`^quick-demo-.*\\.${format}$`), `${format}: the server's file name, not ${name}`);
    const body = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(body.includes(needle), `${name} contains ${JSON.stringify(needle)}`);
    assert.ok(body.includes(answer), `${name} contains the answer`);
  }

  // Without Chromium on the server (pdf_unavailable) the PDF button is no error: it
  // opens the HTML report's print view with the hint (charts.test.mjs runs a server
  // without Chromium for real).
  const pdfUrl = (url) => url.pathname.endsWith('/export') && url.searchParams.get('format') === 'pdf';
  await page.route(pdfUrl, (route) => route.fulfill({
    status: 501,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'pdf_unavailable', message: 'no Chromium found' } }),
  }));
  await page.locator('#exports button.export[data-format="pdf"]').click();
  await waitAttr(page.locator('#export-status'), 'data-state', 'done');
  await waitText(page.locator('#print-hint'), "Use your browser's Print → Save as PDF");
  await waitText(page.frameLocator('#print-frame').locator('h1'), title);
  await page.locator('#print-close').click();
  await page.locator('#print-view').waitFor({ state: 'hidden' });
  await page.unroute(pdfUrl);

  // With Chromium on this machine the server prints a real PDF.
  const [pdf] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.locator('#exports button.export[data-format="pdf"]').click(),
  ]);
  assert.match(pdf.suggestedFilename(), /^quick-demo-.*\.pdf$/);
  const bytes = fs.readFileSync(await pdf.path());
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF file');
  await eventually(async () => assert.equal(await page.locator('#export-status').getAttribute('data-state'), 'done'));
}, { timeout: 90_000 });
