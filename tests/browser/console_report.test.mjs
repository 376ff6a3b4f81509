// The facilitator's console for the report a regulator adopts (issue 11): the profile
// self-assessment's radar, heatmap and table of every cell with its n (small cells marked
// as console only), every evaluator's rating of an objective side by side with the
// facilitator's consensus, notes filed as strengths or areas, improvement items with the
// IP columns and the plan's own download, the executive summary and handling marking
// (kept over a reload), what the shared screen shows, and the adoption board's votes.
// Participants, observers and the projector are scripted over the websocket.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, openConsole, textOf, unique, waitAttr, waitText } from './harness.mjs';
import { WsClient, ask, facilitate } from './wsclient.mjs';

const s = Suite.setup();

/// Opens the console's evaluation and report panels (closed <details> until opened;
/// the browser remembers them, also over a reload).
async function openPanels(page) {
  const closed = page.locator('details.panel:not([open]) > summary:visible');
  while (await closed.count()) await closed.first().click();
}
const LAPTOP = { viewport: { width: 1280, height: 800 } };

/// A participant over the websocket who joins with an organisation and a sector.
async function join(base, joinCode, name, organisation, sector) {
  const ws = await WsClient.connect(base);
  ws.send({ type: 'join', join_code: joinCode, name, organisation, sector });
  ws.welcome = await ws.expect('welcome');
  return ws;
}


/// Waits until an image has loaded and decoded; resolves with its natural width.
async function decodedWidth(img) {
  await img.waitFor({ state: 'visible' });
  return img.evaluate(async (el) => {
    await el.decode();
    return el.naturalWidth;
  });
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/// Parses a profile cell's text "3.17 (n 4, 2–4)" (plus an optional small-cell mark).
function parseCell(t) {
  const m = /^(\d\.\d\d) \(n (\d+), ([\d.]+)–([\d.]+)\)( n<3: console only)?$/.exec(t);
  assert.ok(m, `a cell reads "mean (n N, lo–hi)": ${JSON.stringify(t)}`);
  return { mean: Number(m[1]), n: Number(m[2]), min: Number(m[3]), max: Number(m[4]), small: Boolean(m[5]) };
}

const cellOf = (page, kind, id, domain) =>
  page.locator(`#profile-table tr.profile-row[data-kind="${kind}"][data-id="${id}"] td.profile-cell[data-domain-id="${domain}"]`);

s.test('profile: the console shows the radar, the heatmap and every cell with its n; small cells are marked; the shared screen is switched and previewed', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await s.newPage('facilitator', LAPTOP);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await openPanels(fac);
  await waitAttr(fac.locator('#sa-state'), 'data-state', 'not_opened');
  await fac.locator('#sa-open').click();
  await waitAttr(fac.locator('#sa-state'), 'data-state', 'open');

  // Five raters: three from Bank A and one from Bank C (sector bank: 4), one from Op B
  // (sector mno: 1). Each scores every statement by a rule the test recomputes from.
  const people = [
    ['Awa', 'Bank A', 'bank'], ['Bako', 'Bank A', 'bank'], ['Chinedu', 'Bank A', 'bank'],
    ['Dede', 'Bank C', 'bank'], ['Efua', 'Op B', 'mno'],
  ];
  const raw = []; // {organisation, sector, scores: {statement_id: score}}
  const sockets = [];
  let domains;
  for (const [k, [name, organisation, sector]] of people.entries()) {
    const ws = await join(s.base, ex.join_code, name, organisation, sector);
    sockets.push(ws);
    const sa = ws.welcome.self_assessment;
    assert.equal(sa.mode, 'profile');
    domains = sa.domains;
    // A profile with a shape: each domain around its own level, each rater a little apart.
    const level = [2, 4, 3, 2, 4, 3];
    const at = (st) => level[sa.domains.findIndex((d) => d.id === st.domain)];
    const spread = (st, i) => ((k * 2 + sa.domains.findIndex((d) => d.id === st.domain)) % 3) - 1 + (i % 3 === 0 ? 1 : 0);
    const scores = Object.fromEntries(sa.statements.map((st, i) => [st.id, Math.min(5, Math.max(1, at(st) + spread(st, i)))]));
    await ask(ws, { type: 'self_assess', scores });
    raw.push({ organisation, sector, scores, statements: sa.statements });
  }
  assert.equal(domains.length, 6);

  // What each cell should be: a rater's domain score is the mean of their scores in the
  // domain; a cell the mean of its raters' domain scores.
  const domainScore = (r, d) => mean(r.statements.filter((st) => st.domain === d).map((st) => r.scores[st.id]));
  const expected = (rows, d) => {
    const xs = rows.map((r) => domainScore(r, d));
    return { mean: mean(xs), n: xs.length, min: Math.min(...xs), max: Math.max(...xs) };
  };
  const check = async (kind, id, rows) => {
    for (const d of domains) {
      const want = expected(rows, d.id);
      await eventually(async () => {
        const got = parseCell(await textOf(cellOf(fac, kind, id, d.id)));
        assert.equal(got.n, want.n, `${kind} ${id} ${d.id}: n`);
        assert.ok(Math.abs(got.mean - want.mean) < 0.006, `${kind} ${id} ${d.id}: mean ${got.mean} vs ${want.mean}`);
        assert.ok(Math.abs(got.min - want.min) < 0.006 && Math.abs(got.max - want.max) < 0.006, `${kind} ${id} ${d.id}: spread`);
        assert.equal(got.small, want.n < 3, `${kind} ${id} ${d.id}: the n<3 mark`);
      });
    }
  };
  await check('room', '', raw);
  await check('sector', 'bank', raw.filter((r) => r.sector === 'bank'));
  await check('sector', 'mno', raw.filter((r) => r.sector === 'mno'));
  await check('organisation', 'Bank A', raw.filter((r) => r.organisation === 'Bank A'));
  await check('organisation', 'Op B', raw.filter((r) => r.organisation === 'Op B'));
  // The columns are the domains, in order; the small cells are visibly marked.
  assert.deepEqual(await fac.locator('#profile-table thead th[data-domain-id]').evaluateAll((els) => els.map((e) => e.dataset.domainId)),
    domains.map((d) => d.id));
  const mno = fac.locator('#profile-table tr.profile-row[data-kind="sector"][data-id="mno"]');
  assert.equal(await mno.locator('td.profile-cell.small .small-mark').count(), 6);
  assert.ok(await mno.locator('.small-mark').first().isVisible());
  assert.equal(await fac.locator('#profile-table tr.profile-row[data-kind="organisation"][data-id="Bank A"] .small-mark').count(), 0);
  await waitText(fac.locator('#profile-table tr.profile-row[data-kind="sector"][data-id="bank"] th'), 'Bank · 4 raters');

  // The radar and the heatmap are the server's SVG, as images that decode.
  for (const sel of ['#sa-radar', '#sa-heatmap']) {
    const img = fac.locator(sel);
    assert.match(await img.getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    assert.ok((await decodedWidth(img)) > 0, `${sel} decodes`);
    assert.ok((await img.getAttribute('alt')).length > 10, `${sel} has an alt text`);
  }
  // Readable on a laptop: the profile fits the page's width (no sideways scroll).
  assert.ok(await fac.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 1280 px');
  await fac.evaluate(() => document.querySelector('#self-assessment').scrollIntoView({ block: 'start' }));
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-radar.png') });

  // The shared screen: Play is pressed; "Show results" switches the projector, and the
  // console previews what it shows (its radar, withheld cells said so).
  const projector = await WsClient.connect(s.base);
  projector.send({ type: 'project', join_code: ex.join_code });
  assert.equal((await projector.expect('welcome')).showing.view, 'play');
  await waitAttr(fac.locator('#show-play'), 'aria-pressed', 'true');
  assert.equal(await fac.locator('#show-results').getAttribute('aria-pressed'), 'false');
  await fac.locator('#show-results').click();
  await projector.expect('showing', (m) => m.view === 'results');
  await waitAttr(fac.locator('#show-results'), 'aria-pressed', 'true');
  assert.equal(await fac.locator('#show-play').getAttribute('aria-pressed'), 'false');
  assert.equal(await fac.locator('#show-adoption').getAttribute('aria-pressed'), 'false');
  await waitText(fac.locator('#showing-now'), 'Self-assessment results');
  assert.ok((await decodedWidth(fac.locator('#public-radar'))) > 0, 'the preview radar decodes');
  await waitText(fac.locator('#screen-preview'), 'Cells under 3 raters are withheld on the screen');
  // After a reload the console says the same (from its welcome).
  await fac.reload();
  await waitAttr(fac.locator('#conn'), 'data-state', 'online');
  await waitAttr(fac.locator('#show-results'), 'aria-pressed', 'true');
  assert.equal(await fac.locator('#show-play').getAttribute('aria-pressed'), 'false');
  await fac.locator('#show-play').click();
  await projector.expect('showing', (m) => m.view === 'play');
  await waitAttr(fac.locator('#show-play'), 'aria-pressed', 'true');
  for (const ws of [projector, ...sockets]) ws.close();
});

s.test('report: ratings side by side with the consensus, notes by kind, IP columns and the plan download, the summary and marking kept over a reload', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  // Two evaluators rate the coordination objective over their sockets.
  const evaluators = [];
  const keys = [];
  for (const [name, rating, strengths, areas] of [
    ['Olu Evaluator', 'S', 'The CSIRT called the bank within minutes', 'Nobody owned the public statement'],
    ['Mariama Evaluator', 'M', 'Good use of the contact list', 'The regulator heard of the outage from the press'],
  ]) {
    const added = await control.command({ type: 'add_observer', name }, (m) => m.type === 'observer' && m.name === name);
    const obs = await WsClient.connect(s.base);
    obs.send({ type: 'observe', exercise_id: ex.exercise_id, observer_key: added.key });
    await obs.expect('welcome');
    keys.push(added.key);
    await ask(obs, { type: 'rate_objective', objective_id: 'coordinate', rating, strengths, areas_for_improvement: areas });
    evaluators.push(obs);
  }

  const fac = await s.newPage('facilitator', { ...LAPTOP, acceptDownloads: true });
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await openPanels(fac);
  const urls = []; // (the harness opens the console with ?token=, which the page removes)
  fac.on('request', (r) => urls.push(r.url()));
  const box = fac.locator('#ratings .objective-rating[data-objective-id="coordinate"]');
  await eventually(async () => assert.equal(await box.locator('.evaluator-rating').count(), 2));
  await waitText(box.locator('.current-rating'), /^No consensus yet · latest: M — Performed with major challenges \(Mariama Evaluator\)$/);
  const olu = box.locator('.evaluator-rating', { hasText: 'Olu Evaluator' });
  await waitAttr(olu, 'data-consensus', 'false');
  await waitText(olu.locator('.evaluator-letter'), 'S — Performed with some challenges');
  await waitText(olu.locator('.evaluator-strengths'), 'The CSIRT called the bank within minutes');
  await waitText(olu.locator('.evaluator-areas'), 'Nobody owned the public statement');
  await waitText(box.locator('.own-rating h4'), 'Consensus rating');
  // Until the facilitator rates, their form starts from the latest evaluator's rating, and says it is not saved.
  await waitText(box.locator('.rating-status'), "Not saved: filled in from Mariama Evaluator's rating");
  assert.equal(await box.locator('select.rating').inputValue(), 'M');

  // The facilitator's rating is the consensus: it stands first, marked, beside theirs.
  await box.locator('select.rating').selectOption('S');
  await box.locator('textarea.strengths').fill('Regulator, central bank and CSIRT met within the hour');
  await box.locator('textarea.areas').fill('Public statement: one owner, agreed in advance');
  await box.locator('button.save-rating').click();
  await waitText(box.locator('.rating-status'), 'Saved ✓');
  await eventually(async () => assert.equal(await box.locator('.evaluator-rating').count(), 3));
  const first = box.locator('.evaluator-rating').first();
  await waitAttr(first, 'data-consensus', 'true');
  await waitText(first.locator('.evaluator-name'), 'Facilitator');
  await waitText(first.locator('.consensus-tag'), 'Consensus');
  await waitText(first.locator('.evaluator-areas'), 'Public statement: one owner, agreed in advance');
  assert.equal(await box.locator('.evaluator-rating[data-consensus="true"]').count(), 1, 'one consensus');
  await waitText(box.locator('.current-rating'), /^Consensus: S — Performed with some challenges \(Facilitator\)$/);
  // An evaluator changes their mind: theirs is replaced, the consensus stands.
  await ask(evaluators[0], { type: 'rate_objective', objective_id: 'coordinate', rating: 'P', strengths: 'On reflection, fine', areas_for_improvement: '' });
  await waitText(olu.locator('.evaluator-letter'), 'P — Performed without challenges');
  assert.equal(await box.locator('.evaluator-rating').count(), 3);
  await waitText(box.locator('.current-rating'), /^Consensus: S /);

  // A note filed as a strength shows its kind, and the server has it so.
  const note = unique('The bank froze the mule accounts quickly');
  await fac.locator('#note-text').fill(note);
  await fac.locator('#note-category').selectOption('strength');
  await fac.locator('#note-group').selectOption('incident');
  await fac.locator('#note-send').click();
  await waitText(fac.locator('#note-status'), 'Saved ✓');
  const shown = fac.locator('#notes li.note', { hasText: note });
  await waitText(shown.locator('.note-category'), 'Strength');
  assert.equal((await control.expect('note', (m) => m.text === note)).category, 'strength');
  const plain = unique('Observation without a kind');
  await fac.locator('#note-text').fill(plain);
  await fac.locator('#note-category').selectOption('');
  await fac.locator('#note-send').click();
  await waitText(fac.locator('#notes li.note', { hasText: plain }).locator('.note-category'), 'Observation');
  assert.equal((await control.expect('note', (m) => m.text === plain)).category ?? null, null);

  // An improvement item with the IP columns; edited, the list follows.
  const issue = unique('No shared list of SIM-swap signals between operators and banks');
  await fac.locator('#imp-issue').fill(issue);
  await fac.locator('#imp-action').fill('Agree a real-time SIM-change feed with every mobile-money issuer');
  await fac.locator('#imp-group').selectOption('protection');
  await fac.locator('#imp-org').fill('Telecom Regulator');
  await fac.locator('#imp-owner').fill('Head of numbering');
  await fac.locator('#imp-start').fill('2027-01-15');
  await fac.locator('#imp-due').fill('2027-06-30');
  await fac.locator('#imp-priority').selectOption('high');
  await fac.locator('#imp-progress').selectOption('not_started');
  await fac.locator('#imp-save').click();
  await waitText(fac.locator('#imp-status'), 'Saved ✓');
  const item = fac.locator('#improvements li.improvement', { hasText: issue });
  await waitAttr(item, 'data-status', 'accepted');
  await waitText(item.locator('.item-owner'), 'Telecom Regulator · Head of numbering · start 2027-01-15 · due 2027-06-30');
  await waitText(item.locator('.item-priority'), 'Priority: High');
  await waitText(item.locator('.item-progress'), 'Status: Not started');
  await item.locator('button.edit').click();
  assert.equal(await fac.locator('#imp-priority').inputValue(), 'high', 'the form holds the priority');
  assert.equal(await fac.locator('#imp-start').inputValue(), '2027-01-15', 'the form holds the start date');
  await fac.locator('#imp-priority').selectOption('medium');
  await fac.locator('#imp-progress').selectOption('in_progress');
  await fac.locator('#imp-save').click();
  await waitText(item.locator('.item-priority'), 'Priority: Medium');
  await waitText(item.locator('.item-progress'), 'Status: In progress');
  const pushed = await control.expect('improvement', (m) => m.item.issue === issue && m.item.progress === 'in_progress');
  assert.deepEqual([pushed.item.start, pushed.item.due, pushed.item.priority], ['2027-01-15', '2027-06-30', 'medium']);
  // A start after the completion date is caught before sending.
  await item.locator('button.edit').click();
  await fac.locator('#imp-start').fill('2027-09-01');
  await fac.locator('#imp-save').click();
  await waitText(fac.locator('#imp-status'), 'The start date is after the completion date.');
  await fac.locator('#imp-cancel').click();

  // The plan alone, as CSV: fetched with the key in a header, saved from a Blob.
  const [download] = await Promise.all([fac.waitForEvent('download'), fac.locator('button.plan-export[data-format="plan-csv"]').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(csv.includes(issue), 'the CSV holds the item');
  assert.ok(csv.includes('2027-01-15') && /medium/i.test(csv) && /in progress/i.test(csv), 'the CSV holds the IP columns');
  await waitText(fac.locator('#plan-export-status'), 'Plan as CSV downloaded');
  const [jsonDownload] = await Promise.all([fac.waitForEvent('download'), fac.locator('button.plan-export[data-format="plan-json"]').click()]);
  const plan = JSON.parse(fs.readFileSync(await jsonDownload.path(), 'utf8'));
  assert.ok(JSON.stringify(plan).includes(issue), 'the JSON holds the item');
  assert.ok(!urls.some((u) => u.includes(ex.facilitator_key) || u.includes(s.server.adminToken)), 'no key in any URL');

  // The report's executive summary and marking: saved, on the server, kept over a reload.
  await waitText(fac.locator('#report-marking-hint'), 'TLP:AMBER');
  assert.equal(await fac.locator('#report-marking').inputValue(), 'TLP:AMBER', 'the marking starts as the scenario\'s');
  const summary = `${unique('The region coordinated within the hour')}\n\nThe public statement had no owner.`;
  await fac.locator('#report-summary').fill(summary);
  await fac.locator('#report-marking').fill('TLP:AMBER+STRICT');
  await waitText(fac.locator('#report-status'), 'Not saved yet');
  await fac.locator('#report-save').click();
  await waitText(fac.locator('#report-status'), 'Saved ✓');
  const draft = await control.expect('report_draft', (m) => m.marking === 'TLP:AMBER+STRICT');
  assert.equal(draft.executive_summary, summary);
  await fac.evaluate(() => document.querySelector('#ratings .objective-rating').scrollIntoView({ block: 'start' }));
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-ratings.png') });
  await fac.evaluate(() => document.querySelector('#report-section').scrollIntoView({ block: 'start' }));
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-report.png') });
  await fac.reload();
  await waitAttr(fac.locator('#conn'), 'data-state', 'online');
  await eventually(async () => assert.equal(await fac.locator('#report-summary').inputValue(), summary));

  // An observer's console: their own rating in their form, the report read-only, no
  // shared-screen controls; the plan downloads with their key.
  const obs = await s.newPage('observer', { ...LAPTOP, acceptDownloads: true });
  await obs.goto(`${s.base}/facilitator?exercise=${ex.exercise_id}#observer=${keys[0]}`);
  await waitAttr(obs.locator('#conn'), 'data-state', 'online');
  await openPanels(obs);
  const obsBox = obs.locator('#ratings .objective-rating[data-objective-id="coordinate"]');
  await waitText(obsBox.locator('.own-rating h4'), 'Your rating');
  await eventually(async () => assert.equal(await obsBox.locator('select.rating').inputValue(), 'P'));
  assert.equal(await obsBox.locator('textarea.strengths').inputValue(), 'On reflection, fine');
  await waitAttr(obsBox.locator('.evaluator-rating').first(), 'data-consensus', 'true');
  await eventually(async () => assert.equal(await obs.locator('#report-summary').inputValue(), summary));
  assert.ok(await obs.locator('#report-summary').evaluate((el) => el.readOnly), 'the summary is read-only for an observer');
  assert.ok(await obs.locator('#report-save').isHidden());
  for (const b of ['#show-play', '#show-results', '#show-adoption', '#adoption-open', '#adoption-close']) assert.ok(await obs.locator(b).isHidden(), `${b} hidden`);
  await waitText(obs.locator('#showing-now'), 'The shared screen shows: Play');
  const [obsDownload] = await Promise.all([obs.waitForEvent('download'), obs.locator('button.plan-export[data-format="plan-csv"]').click()]);
  assert.ok(fs.readFileSync(await obsDownload.path(), 'utf8').includes(issue), 'the observer downloads the plan');
  assert.equal(await fac.locator('#report-marking').inputValue(), 'TLP:AMBER+STRICT');
  // After the end too; a refusal shows beside the button.
  await control.end();
  await fac.locator('#report-marking').fill('TLP:GREEN');
  await fac.locator('#report-save').click();
  await waitText(fac.locator('#report-status'), 'Saved ✓');
  await control.expect('report_draft', (m) => m.marking === 'TLP:GREEN');
  await fac.locator('#report-marking').fill('x'.repeat(60));
  await fac.locator('#report-marking').evaluate((el) => { el.maxLength = 1000; el.value = 'x'.repeat(61); });
  await fac.locator('#report-save').click();
  await waitText(fac.locator('#report-status'), /\((too_long|invalid_value|invalid_message)\)$/);
  for (const ws of [control, ...evaluators]) ws.close();
});

s.test('adoption board: opened from the console, two participants vote, the console shows the counts by domain and organisation, most votes first', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const items = [
    ['risk', 'No money figure for SIM-swap fraud', 'Put it in the register with an owner', 'Central Bank'],
    ['protection', 'Partner API keys never rotate', 'Rotate quarterly, limit by amount', 'BaobabPay'],
    ['incident', 'Nobody declares a national incident', 'Name who declares, at which severity', 'National CSIRT'],
  ];
  const ids = [];
  for (const [group_id, issue, corrective_action, responsible_org] of items) {
    const m = await control.command({
      type: 'accept_improvement',
      item: { issue, corrective_action, group_id, capability: 'planning', responsible_org, owner: '', due: '' },
    }, (x) => x.type === 'improvement' && x.item.issue === issue);
    ids.push(m.item_id);
  }
  const voters = [await join(s.base, ex.join_code, 'Awa', 'Central Bank', 'central-bank'), await join(s.base, ex.join_code, 'Bako', 'BaobabPay', 'emoney')];

  const fac = await s.newPage('facilitator', LAPTOP);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await openPanels(fac);
  await waitAttr(fac.locator('#adoption-state'), 'data-state', 'not_opened');
  await eventually(async () => assert.equal(await fac.locator('#adoption-items tr.adoption-item').count(), 3));
  // Voting before the board opens is refused.
  await assert.rejects(ask(voters[0], { type: 'vote_priorities', item_ids: [ids[0]] }), /adoption_unavailable/);
  await fac.locator('#adoption-open').click();
  await waitAttr(fac.locator('#adoption-state'), 'data-state', 'open');
  assert.ok(await fac.locator('#adoption-open').isDisabled());
  await voters[0].expect('adoption', (m) => m.state === 'open');

  await ask(voters[0], { type: 'vote_priorities', item_ids: [ids[2], ids[1]] });
  await ask(voters[1], { type: 'vote_priorities', item_ids: [ids[2]] });
  const rows = fac.locator('#adoption-items tr.adoption-item');
  await eventually(async () => assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => [e.dataset.itemId, e.dataset.votes])),
    [[ids[2], '2'], [ids[1], '1'], [ids[0], '0']]));
  await waitText(rows.first().locator('.vote-count'), /^2$/);
  await waitText(rows.first().locator('.adoption-domain'), 'Incident response');
  await waitText(rows.first().locator('.adoption-org'), 'National CSIRT');
  await waitText(fac.locator('#adoption-summary'), '2 participants have voted');
  await waitText(fac.locator('#adoption-summary'), 'up to 3 votes each');

  // On the shared screen too.
  await fac.locator('#show-adoption').click();
  await waitAttr(fac.locator('#show-adoption'), 'aria-pressed', 'true');
  assert.equal(await fac.locator('#show-play').getAttribute('aria-pressed'), 'false');
  await fac.evaluate(() => document.querySelector('#report-section').scrollIntoView({ block: 'start' }));
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-adoption.png') });

  await fac.locator('#adoption-close').click();
  await waitAttr(fac.locator('#adoption-state'), 'data-state', 'closed');
  await waitText(fac.locator('#adoption-open'), 'Reopen voting');
  await assert.rejects(ask(voters[1], { type: 'vote_priorities', item_ids: [ids[0]] }), /adoption_unavailable/);
  for (const ws of [control, ...voters]) ws.close();
});
