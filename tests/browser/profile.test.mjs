// The profile self-assessment on a phone: a participant who joined with their
// organisation and sector rates their organisation on all six domains, one screen each
// (some "don't know"), reloads half-way and comes back to the first unanswered domain;
// when the facilitator closes it, the phone shows the take-away (their organisation's
// profile next to the room's, a radar) and downloads it as one HTML page.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, textOf, waitAttr, waitText } from './harness.mjs';
import { WsClient, facilitate, nextMsgId } from './wsclient.mjs';

const s = Suite.setup();
const ORG = 'Central Bank of The Gambia';
const PHONE = { width: 360, height: 740 };

/// What the phone answers to the `i`-th statement: a score, or 'dk'.
const phoneAnswer = (i) => (i % 5 === 4 ? 'dk' : 1 + (i % 5));
/// What the scripted colleagues answer.
const otherAnswer = (who, i) => 1 + ((who + i) % 5);

/// A participant over the websocket who joins with an organisation and rates everything.
async function colleague(base, joinCode, name, organisation, who, statements) {
  const ws = await WsClient.connect(base);
  ws.send({ type: 'join', join_code: joinCode, name, organisation, sector: 'central-bank' });
  const w = await ws.expect('welcome');
  assert.equal(w.self_assessment.statements.length, statements.length);
  const scores = Object.fromEntries(statements.map((id, i) => [id, otherAnswer(who, i)]));
  const id = nextMsgId('sa');
  ws.send({ type: 'self_assess', scores, client_msg_id: id });
  await ws.expect('ack', (m) => m.client_msg_id === id);
  return ws;
}

/// The page has no horizontal scroll at its width.
async function noSideScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `horizontal scroll: ${scroll} > ${width}`);
}

/// Answers every statement of the domain on screen as `phoneAnswer` says.
async function rateScreen(page, statements) {
  const fieldsets = page.locator('#sa-form fieldset.sa-statement');
  const n = await fieldsets.count();
  assert.ok(n >= 3, `a domain has at least three statements, got ${n}`);
  for (let k = 0; k < n; k++) {
    const fs = fieldsets.nth(k);
    const i = statements.indexOf(await fs.getAttribute('data-statement-id'));
    await fs.locator(`input[value="${phoneAnswer(i)}"]`).check();
  }
}

s.test('on a 360×740 phone, rate all six domains, resume after a reload, and take the profile away', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const page = await s.newPage('participant', { viewport: PHONE });
  await page.goto(`${s.base}/join/${ex.join_code}`);
  await page.locator('#join-sector').waitFor({ state: 'visible' });
  await page.locator('#join-name').fill('Awa');
  await page.locator('#join-org').fill(ORG);
  await page.locator('#join-sector').selectOption({ label: 'Central bank' });
  await page.locator('#join-submit').click();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');

  await fac.command({ type: 'open_self_assessment', client_msg_id: nextMsgId() },
    (m) => m.type === 'self_assessment_results' && m.state === 'open');
  const statements = fac.welcome.self_assessment_results.groups.flatMap((g) => g.statements.map((st) => st.statement_id));
  const domains = fac.welcome.self_assessment_results.profile.domains;
  assert.equal(domains.length, 6);

  // Domain 1 of 6, with the levels' names and descriptions.
  const heading = page.locator('#sa-heading');
  await waitText(heading, new RegExp(`^Domain 1 of 6 — ${domains[0].name}$`));
  const level = page.locator('#sa-form fieldset').first().locator('label.sa-level').nth(2);
  assert.equal(await textOf(level.locator('strong')), 'Defined');
  assert.match(await textOf(level.locator('.sa-desc')), /written down/);
  const tap = await level.boundingBox();
  assert.ok(tap.height >= 44 && tap.width >= 280, `a level is a large tap target: ${JSON.stringify(tap)}`);
  await rateScreen(page, statements);
  await noSideScroll(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'profile-domain.png'), fullPage: true });
  await page.locator('#sa-next').click();
  await waitText(heading, new RegExp(`^Domain 2 of 6`));
  assert.doesNotMatch(await textOf(page.locator('#self-assessment')), /\b(null|undefined|NaN)\b/);
  await rateScreen(page, statements);
  await page.locator('#sa-next').click();
  await waitText(heading, new RegExp(`^Domain 3 of 6`));
  await rateScreen(page, statements);

  // Reload half-way (answers of the third screen may not have reached the server yet):
  // the phone comes back to the first unanswered domain, with nothing lost.
  await page.reload();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await waitText(heading, new RegExp(`^Domain 4 of 6 — ${domains[3].name}$`));
  await page.locator('#sa-back').click();
  await waitText(heading, new RegExp(`^Domain 3 of 6`));
  const third = page.locator('#sa-form fieldset.sa-statement').first();
  const firstOfThird = statements.indexOf(await third.getAttribute('data-statement-id'));
  assert.equal(await third.locator(`input[value="${phoneAnswer(firstOfThird)}"]`).isChecked(), true, 'kept');
  await page.locator('#sa-next').click();
  for (const n of [4, 5, 6]) {
    await waitText(heading, new RegExp(`^Domain ${n} of 6`));
    await rateScreen(page, statements);
    await page.locator('#sa-next').click();
  }
  const dk = statements.filter((_, i) => phoneAnswer(i) === 'dk').length;
  await waitText(page.locator('#sa-summary'), `You answered ${statements.length} of ${statements.length} statements, ${dk} "don't know".`);
  await waitAttr(page.locator('#sa-status'), 'data-state', 'sent');

  // The server has every answer the phone gave, "don't know" included.
  const results = await fac.command({ type: 'ping', client_msg_id: nextMsgId() }, (m) => m.type === 'ack').then(() =>
    fac.messages.filter((m) => m.type === 'self_assessment_results').at(-1));
  const counted = results.groups.flatMap((g) => g.statements).reduce((sum, st) => sum + st.count, 0);
  assert.equal(counted, statements.length - dk, 'every score counted once, no "don\'t know"');

  // Two colleagues of the same organisation and one of another: the organisation has 3
  // raters (shown), the room 4.
  const others = [
    await colleague(s.base, ex.join_code, 'Bako', ORG, 1, statements),
    await colleague(s.base, ex.join_code, 'Codou', ORG, 2, statements),
    await colleague(s.base, ex.join_code, 'Demba', 'Kora Pay', 3, statements),
  ];
  await fac.command({ type: 'close_self_assessment', client_msg_id: nextMsgId() },
    (m) => m.type === 'self_assessment_results' && m.state === 'closed');

  const tk = page.locator('#takeaway');
  await tk.waitFor({ state: 'visible' });
  assert.doesNotMatch(await textOf(page.locator('#self-assessment')), /\b(null|undefined|NaN)\b/);
  assert.equal(await textOf(tk.locator('.tk-org strong')), ORG);
  await waitText(tk.locator('thead th').nth(1), `${ORG} (n = 3)`);
  await waitText(tk.locator('thead th').nth(2), 'All participants (n = 4)');
  assert.equal(await tk.locator('tbody tr').count(), 6);
  assert.equal(await tk.locator('.tk-note').count(), 0, 'nothing withheld here');
  // The first domain's figure, recomputed: the mean of the three raters' domain means.
  const inFirst = statements.map((id, i) => i).filter((i) => {
    const st = fac.welcome.self_assessment_results.groups.find((g) => g.group_id === domains[0].id);
    return st.statements.some((x) => x.statement_id === statements[i]);
  });
  const domainMean = (answers) => {
    const v = answers.filter((a) => a !== 'dk');
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const orgMean = (domainMean(inFirst.map(phoneAnswer)) + domainMean(inFirst.map((i) => otherAnswer(1, i))) +
    domainMean(inFirst.map((i) => otherAnswer(2, i)))) / 3;
  await waitText(tk.locator(`tbody tr[data-domain="${domains[0].id}"] td`).first(), (Math.round(orgMean * 100) / 100).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));

  // The radar is the server's SVG, shown as an image that loaded.
  const radar = tk.locator('#tk-radar');
  assert.match(await radar.getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
  await eventually(async () => assert.ok(await radar.evaluate((img) => img.complete && img.naturalWidth > 0)));
  await noSideScroll(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'profile-takeaway.png'), fullPage: true });

  // The download: one HTML page with the organisation, the chart and the scale.
  const [download] = await Promise.all([page.waitForEvent('download'), tk.locator('#tk-download').click()]);
  assert.match(download.suggestedFilename(), /^maturity-profile-central-bank-of-the-gambia-\d{4}-\d{2}-\d{2}\.html$/);
  const html = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(html.startsWith('<!doctype html>') && html.includes(`<b>Organisation:</b> ${ORG}`), html.slice(0, 400));
  assert.ok(html.includes('<svg') && html.includes('Tested and improved') && !html.includes('<script'));
  assert.ok(!html.includes('Kora Pay'), "another organisation's name is not in the take-away");

  // Coming back later, the take-away is still there.
  await page.reload();
  await page.locator('#takeaway').waitFor({ state: 'visible' });
  for (const ws of [fac, ...others]) ws.close();
});

s.test('a phone whose organisation has fewer than 3 raters takes away only its own answers (in French)', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const page = await s.newPage('participant-fr', { viewport: PHONE, locale: 'fr-FR' });
  await page.goto(`${s.base}/join/${ex.join_code}`);
  await page.locator('#join-name').fill('Kebba');
  await page.locator('#join-org').fill('Xalam Wallet');
  await page.locator('#join-submit').click();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await fac.command({ type: 'open_self_assessment', client_msg_id: nextMsgId() },
    (m) => m.type === 'self_assessment_results' && m.state === 'open');
  const statements = fac.welcome.self_assessment_results.groups.flatMap((g) => g.statements.map((st) => st.statement_id));
  const others = [];
  for (const [i, name] of ['Haddy', 'Isatou', 'Jainaba'].entries()) {
    others.push(await colleague(s.base, ex.join_code, name, 'Djembe Reserve', i, statements));
  }

  // Only the first domain, all "4".
  await waitText(page.locator('#sa-heading'), /^Domaine 1 sur 6/);
  const fieldsets = page.locator('#sa-form fieldset.sa-statement');
  for (let k = 0; k < await fieldsets.count(); k++) await fieldsets.nth(k).locator('input[value="4"]').check();
  await page.locator('#sa-next').click();
  await waitText(page.locator('#sa-heading'), /^Domaine 2 sur 6/);
  await waitAttr(page.locator('#sa-status'), 'data-state', 'sent');
  await fac.command({ type: 'close_self_assessment', client_msg_id: nextMsgId() },
    (m) => m.type === 'self_assessment_results' && m.state === 'closed');

  const tk = page.locator('#takeaway');
  await tk.waitFor({ state: 'visible' });
  await waitText(tk.locator('.tk-note'), "Votre organisation : moins de 3 personnes l'ont évaluée");
  assert.equal(await textOf(tk.locator('thead th').nth(1)), 'Vos réponses');
  assert.equal(await textOf(tk.locator('thead th').nth(2)), 'Toute la salle (n = 4)');
  const mine = await tk.locator('tbody td[data-kind="self"]').allTextContents();
  assert.deepEqual(mine, ['4,0', '—', '—', '—', '—', '—'], 'my own domain means, nothing where I gave no score');
  assert.doesNotMatch(await textOf(page.locator('body')), /Djembe|null|undefined|NaN/);
  await noSideScroll(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'profile-takeaway-small-fr.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), tk.locator('#tk-download').click()]);
  const html = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(html.includes('Your organisation: fewer than 3 people rated it') && html.includes('Xalam Wallet'));
  assert.ok(!html.includes('Djembe'), "another organisation's name is not in the take-away");
  for (const ws of [fac, ...others]) ws.close();
});
