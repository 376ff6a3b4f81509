// The debrief in French (issue 12): with ?lang=fr, or in a French browser, no English
// word of the page's own is left (the list below: every heading, label, button, mark and
// message of the debrief in English), <html lang="fr">, French exercise words
// (« stimulus », « retour à chaud », « cotation », « Capacité », « points forts »,
// « axes d'amélioration », « Animateur »), a non-breaking space before « : ; ? ! »,
// dates written out and « 67 % »; every export and chart request asks for lang=fr; the
// EN | FR switch reloads the same address in the other language on the same step, with
// no key in any URL; the key prompt in French. Scenario text and answers stay as typed
// (the DFS scenario is English). One browser.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, openConsole, waitAttr, waitText } from './harness.mjs';
import { ask, facilitate, joinParticipant } from './wsclient.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1366, height: 768 } };

/// What the debrief page itself writes in English (the tests of the English page check
/// these); none of it may show on the French page, as text or in an attribute.
const ENGLISH = [
  'Debrief', '← Previous', 'Next →', 'Refresh', 'Report:', 'Download the report', 'Debrief steps', 'Language',
  'Answers', 'Attribute answers', 'by group', 'with names', 'The improvement plan alone',
  "This server cannot make PDFs", 'Print…', 'The report, ready to print',
  'Facilitator or observer key', 'Open debrief', 'Enter the facilitator or observer key', 'That key was refused',
  'Exercise ended', 'Exercise running', 'press Refresh', 'No inject has been released yet',
  'To all groups', 'released by hand', '(not targeted)', 'No answer',
  'Expected actions', 'Objectives and ratings', 'All objectives', 'Responses at a glance', 'Maturity profile',
  'The room and each sector', 'Self-assessment', 'Example statements', 'Still open', 'Statement', 'Spread', 'Count',
  'Answer window', 'on time', 'no answer', /\blate\b/, "The group's answer", 'scribe', 'earlier version', 'changed later',
  'not counted', 'Poll: the latest choices', 'All groups', 'answers counted', 'answer counted', "participant's latest choice",
  "group's latest answer", 'No choice yet',
  'Not rated yet', 'no consensus yet', 'Facilitator', 'Strengths:', 'Areas for improvement:', 'Every evaluator:',
  'Improvement plan', 'Capability:', 'Owner:', 'proposed by', /\bdue\b/, 'Performed with', 'Performed without',
  'Unable to be performed', 'Planning', 'Equipment', 'Training', 'accepted', 'proposed',
  'Preparing', 'downloaded', 'failed', 'could not reach the server', 'no report export',
];

/// Text nodes the page writes around user text; scenario and participant text (which is
/// English here) is left out, by the element that holds it.
const USER_TEXT = [
  '#ex-title', '#step-title', '#step-body', '#step-targets', 'ol.asked > li', '.response-text', '.choice',
  '.response-author', '.note-text', '.group-name', 'table.tally tbody th', 'table.tally thead th[data-group-id]',
  '#step-expected-list > li', '.objective-text', 'p.rating-strengths', 'p.rating-areas', '.item-issue', '.item-action',
  '.sa-table td', 'section.sa-group > h3', '#sa-summary-intro', '#step-notes-list .note',
].join(', ');

/// The page's own words: text nodes outside user text, and the attributes people and
/// screen readers meet (chart images' alt text is the server's drawing, left out).
function pageWords(page) {
  return page.evaluate((userText) => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('[hidden], script, style, #print-view') || el.matches(userText)) continue;
      if (n.textContent.trim()) out.push(n.textContent);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
      if (el.closest('[hidden]') || el.matches('img.chart')) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    out.push(document.title);
    return out;
  }, USER_TEXT);
}

/// The English of the list found among the page's own words.
async function englishOn(page) {
  const words = await pageWords(page);
  const found = [];
  for (const w of words) {
    for (const e of ENGLISH) {
      if (e instanceof RegExp ? e.test(w) : w.includes(e)) found.push(`${JSON.stringify(e instanceof RegExp ? String(e) : e)} in ${JSON.stringify(w)}`);
    }
  }
  return { words, found };
}

async function assertNoEnglish(page, where) {
  const { words, found } = await englishOn(page);
  assert.deepEqual(found, [], `${where}: English left on the French page`);
  // French typography: a non-breaking space (U+00A0 or U+202F) before : ; ? ! that end a
  // phrase (a time such as T+05:00 has none).
  const bad = words.filter((w) => /(^|[^\u00a0\u202f])[:;?!](\s|$)/.test(w) && !/^\S+:\/\//.test(w));
  assert.deepEqual(bad, [], `${where}: French punctuation without a non-breaking space before it`);
}

/// Plays the DFS exercise: the payday inject (one answer on time, one late), the ransom
/// poll (one participant changes her choice), a note, a consensus rating and an accepted
/// improvement item.
async function playDfs() {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const people = [];
  for (const name of ['Awa', 'Bako', 'Chidi', 'Dede', 'Efua', 'Femi', 'Gaby']) people.push(await joinParticipant(s.base, ex.join_code, name));
  const [awa, bako, , , , , gaby] = people;
  await fac.start();
  await awa.respond('payday-fraud-wave', 'Risk: hold transfers from SIMs swapped in the last 48 hours');
  await fac.release('agent-system-ransomware');
  await awa.expect('inject', (m) => m.inject_id === 'agent-system-ransomware');
  const poll = (who, options, text) => ask(who, { type: 'respond', inject_id: 'agent-system-ransomware', options, text });
  await poll(awa, ['pay'], 'The KYC leak costs more');
  await poll(bako, ['refuse'], 'We never fund criminals');
  await poll(gaby, ['escalate'], 'The board decides');
  await poll(awa, ['escalate'], 'Changed my mind');
  await ask(fac, { type: 'note', inject_id: 'agent-system-ransomware', group_id: 'risk', text: 'Risk changed its position after discussion' });
  await ask(fac, { type: 'rate_objective', objective_id: 'contain', rating: 'S', strengths: 'Fast isolation', areas_for_improvement: 'No tested restore' });
  await ask(fac, { type: 'accept_improvement', item: { issue: 'Nobody owns the ransom decision', corrective_action: 'Name the board as decision-maker', group_id: 'governance', capability: 'organisation', responsible_org: 'BaobabPay', owner: 'COO', due: '2026-03-31' } });
  await ask(fac, { type: 'set_speed', speed: 600 });
  await fac.expect('inject', (m) => m.inject_id === 'inside-help', { timeout: 15_000 });
  await ask(fac, { type: 'pause' }); // play stops past T+04:00 (the next inject may or may not be out)
  await bako.respond('payday-fraud-wave', 'Governance: the CEO declares');
  await fac.end();
  for (const ws of [fac, ...people]) ws.close();
  return ex;
}

s.test('the debrief with ?lang=fr: no English of its own, <html lang="fr">, French exercise words and typography, exports with lang=fr; EN | FR keeps the step', async () => {
  const ex = await playDfs();
  const fac = await s.newPage('facilitator', SCREEN);
  const urls = [];
  fac.context().on('request', (r) => urls.push(r.url()));
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  // The console's tab holds the key; the debrief in French, in the same tab.
  await fac.goto(`${s.base}/debrief?exercise=${ex.exercise_id}&lang=fr`);
  const page = fac;
  await waitText(page.locator('#step-title'), 'Payday fraud wave');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await waitText(page.locator('#ex-title'), /^Retour à chaud — Salary Tide/);
  assert.match(await page.title(), /^Retour à chaud — /);
  await waitText(page.locator('#ex-phase'), 'Exercice terminé');
  await waitText(page.locator('#step-targets'), 'Pour tous les groupes');
  await waitText(page.locator('#step-window'), 'Délai de réponse : 4 min, jusqu\'à T+04:00');
  await waitText(page.locator('#step-window'), '1 à temps · 1 en retard · 4 sans réponse');
  const col = (g) => page.locator(`#groups section.group-col[data-group-id="${g}"]`);
  await waitText(col('governance').locator('.tag-late'), 'en retard');
  await waitText(col('testing').locator('h3 .timing'), 'sans réponse');
  await waitText(col('testing').locator('.no-response'), 'Pas de réponse');
  await assertNoEnglish(page, 'step 1');

  // The poll step: its labels (scenario text), the tally's words and « 67 % ».
  await page.keyboard.press('ArrowRight');
  await waitText(page.locator('#step-title'), 'Ransomware at the agent system');
  await waitText(page.locator('#step-poll h3'), 'Sondage : les derniers choix');
  // (textOf reads U+00A0 and U+202F as spaces: here the characters themselves.)
  assert.equal(await page.locator('#step-poll h3').textContent(), 'Sondage\u00a0: les derniers choix');
  assert.equal(await page.locator('#step-poll tr[data-option-id="escalate"] .share').textContent(), '67\u202f%');
  await waitText(page.locator('#step-poll thead th.total'), 'Tous les groupes');
  await waitText(page.locator('#step-poll .poll-rule'), '3 réponses comptées : le dernier choix de chaque participant.');
  await waitText(col('risk').locator('.tag-superseded'), 'modifié ensuite');
  await waitText(page.locator('#step-targets'), /^Pour : Risk management, Governance, Protection, Incident response · diffusé à la main$/);
  await waitText(page.locator('#step-notes-list .note-author'), 'Animateur');
  // The hot wash: objectives and « cotations », the plan item with its capability,
  // its « pilote » and its due date written out.
  await waitText(page.locator('#step-objectives h3'), 'Objectifs et cotations');
  const contain = page.locator('#step-objectives li.objective[data-objective-id="contain"]');
  await waitText(contain.locator('.rating-by'), 'Réalisé avec quelques difficultés — consensus, Animateur');
  await waitText(contain.locator('.rating-strengths .label'), 'Points forts :');
  await waitText(contain.locator('.rating-areas .label'), "Axes d'amélioration :");
  const item = col('governance').locator('.group-items');
  await waitText(item.locator('h4'), "Plan d'amélioration (1)");
  await waitText(item.locator('.item-meta'), 'acceptée');
  await waitText(item.locator('.item-meta'), 'Capacité : Organisation');
  await waitText(item.locator('.item-meta'), 'Pilote : COO');
  await waitText(item.locator('.item-meta'), 'échéance 31 mars 2026');
  assert.match(await item.locator('.item-meta').textContent(), /échéance 31\u00a0mars\u00a02026/, 'a date on one line');
  await page.locator('#responses-summary').waitFor({ state: 'visible' });
  await assertNoEnglish(page, 'the poll step');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'debrief-fr.png') });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'debrief-fr-full.png'), fullPage: true });

  // The downloads ask for the report in French, and so do the report and charts the
  // page shows.
  for (const format of ['md', 'plan-csv']) {
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().includes(`/export?format=${format}&`)),
      page.locator(`button.export[data-format="${format}"]`).click(),
    ]);
    assert.match(request.url(), /[?&]lang=fr(&|$)/, `${format}: ${request.url()}`);
    assert.match(request.url(), /[?&]attribution=group(&|$)/);
  }
  await waitAttr(page.locator('#export-status'), 'data-state', 'done');
  await waitText(page.locator('#export-status'), /^Plan CSV : téléchargé$/);
  const exportUrls = urls.filter((u) => u.includes('/export?'));
  assert.ok(exportUrls.some((u) => u.includes('format=json')) && exportUrls.some((u) => u.includes('chart=responses')), exportUrls.join('\n'));
  for (const u of exportUrls) assert.match(u, /[?&]lang=fr(&|$)/, u);
  await assertNoEnglish(page, 'after the downloads');

  // EN | FR: the same address in the other language, on the same step, with the same
  // attribution; no key in either link.
  await page.locator('#attribution').selectOption('names');
  const en = page.locator('#lang-en');
  const fr = page.locator('#lang-fr');
  assert.equal(await fr.getAttribute('aria-current'), 'true');
  const enHref = new URL(await en.getAttribute('href'), s.base);
  assert.equal(enHref.pathname, '/debrief');
  assert.deepEqual([...enHref.searchParams.keys()].sort(), ['exercise', 'lang']);
  assert.equal(enHref.searchParams.get('lang'), 'en');
  await en.click();
  await page.waitForURL((u) => u.searchParams.get('lang') === 'en');
  await waitText(page.locator('#step-title'), 'Ransomware at the agent system');
  await waitText(page.locator('#step-pos'), /^2 \/ [34]$/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await waitText(page.locator('#step-poll h3'), 'Poll: the latest choices');
  assert.equal(await page.locator('#attribution').inputValue(), 'names');
  await waitText(col('risk').locator('.response-author').first(), 'Awa');
  // The same scan finds the list's English on the English page (it is not blind).
  const { found } = await englishOn(page);
  assert.ok(found.length >= 20, `the English page shows the list's words: ${found.length} found\n${found.join('\n')}`);
  await page.locator('#lang-fr').click();
  await page.waitForURL((u) => u.searchParams.get('lang') === 'fr');
  await waitText(page.locator('#step-poll h3'), 'Sondage : les derniers choix');
  await waitText(page.locator('#step-pos'), /^2 \/ [34]$/);
  await assertNoEnglish(page, 'back in French');
  for (const secret of [s.server.adminToken, ex.facilitator_key]) {
    assert.ok(!urls.some((u) => u.includes(secret) && !/\/facilitator\?token=/.test(u)), 'a key in a URL');
  }
});

s.test('a French browser gets the debrief in French from the console; the key prompt is French', async () => {
  const ex = await playDfs();
  const fac = await s.newPage('facilitator-fr', { ...SCREEN, locale: 'fr-FR' });
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const [debrief] = await Promise.all([fac.context().waitForEvent('page'), fac.locator('#debrief-link').click()]);
  s.watch('debrief', debrief);
  await debrief.setViewportSize(SCREEN.viewport);
  await waitText(debrief.locator('#step-title'), 'Payday fraud wave');
  assert.equal(await debrief.evaluate(() => document.documentElement.lang), 'fr');
  await waitText(debrief.locator('#prev'), 'Précédent');
  await waitText(debrief.locator('#step-window'), 'Délai de réponse');
  await assertNoEnglish(debrief, 'French browser');

  // Another browser, no key anywhere: the prompt and its messages in French.
  const other = await s.newPage('no-key', { ...SCREEN, locale: 'fr-FR' });
  await other.goto(`${s.base}/debrief?exercise=${ex.exercise_id}`);
  await other.locator('#key-form').waitFor({ state: 'visible' });
  assert.equal(await other.evaluate(() => document.documentElement.lang), 'fr');
  await waitText(other.locator('label[for="key"]'), "Clé de l'animateur ou d'un évaluateur");
  await waitText(other.locator('#key-submit'), 'Ouvrir le retour à chaud');
  await assertNoEnglish(other, 'key prompt');
  await other.locator('#key').fill('not-the-key');
  await other.locator('#key-submit').click();
  await waitText(other.locator('#debrief-error'), 'Cette clé a été refusée.');
  await assertNoEnglish(other, 'refused key');
  await other.locator('#key').fill(ex.facilitator_key);
  await other.locator('#key-submit').click();
  await waitText(other.locator('#step-title'), 'Payday fraud wave');
  assert.ok(!other.url().includes(ex.facilitator_key));
  await waitText(other.locator('#step-pos'), /^1 \/ [34]$/);
});
