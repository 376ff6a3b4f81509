// The console in French (issue 12): with ?lang=fr (or a French browser) every word the
// facilitator reads is French, the observer view's too, and so is every refusal;
// `document.documentElement.lang` is "fr"; French exercise practice holds («
// stimulus », « Capacité », « évaluateur », a non-breaking space before « : ; ? ! »); the
// EN | FR switch keeps the page (the same exercise, no key in the address bar). The
// check: a list kept here of the English console's words (every label, button, heading,
// placeholder, aria-label and alt, and the sentences the console writes), none of which
// may show in French; plus every static word (data-w) must differ from its English
// unless it is the same word in both languages.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, waitAttr, waitText } from './harness.mjs';
import { assertAccessible } from './axe.mjs';
import { WsClient, facilitate, nextMsgId } from './wsclient.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1366, height: 768 } };

/// The English console's words: labels, buttons, headings, placeholders, aria-labels,
/// alts and titles (exact), then phrases of the sentences it writes (anywhere in a text).
const ENGLISH = [
  'Join code', 'Open projector view', 'Open debrief', 'All exercises', 'Put the briefing slide on the shared screen', 'Back to play',
  'Start', 'Resume', 'Speed', '1× (real time)', '60× (rehearsal)', 'End exercise', 'Announcement', 'Announce',
  'e.g. Five minutes left on this inject', 'Keep playing', 'Language', 'Sign in', 'New exercise', 'Create exercise', 'Reopen an exercise',
  'Who has answered', 'Group', 'What the colours mean', '✓ answered on time', '⚠ answered late', '◷ due within a minute', '✗ overdue: no answer',
  '✓ on time', '⚠ late', '✗ overdue', 'Polls', 'All groups', 'Show results', 'Hide results', 'on the shared screen', 'several choices allowed',
  'Injects', 'When', 'Inject', 'To', 'Status', 'Release now', 'Skip', 'pending', 'contingency', 'Notes and expected actions',
  'Current inject', 'Next inject', 'Facilitator notes', 'Expected actions', 'Objectives:', 'Questions by group', 'Every group',
  'Groups', 'Move to…', 'Move', '— choose a group —', 'Rebalance groups', 'Download breakout rooms (CSV)', 'Clear selection', 'Breakout rooms',
  'Scribe', 'scribe', '— no scribe yet —', 'Nobody yet.',
  'Evaluation', 'Kind', 'Strength', 'Area for improvement', 'Objective', 'Add note', '— no inject —', '— no objective —', '— no group —',
  'What you saw, who did what, a quote', 'No notes yet.', 'Observers', 'Observer name', 'Add observer', 'No observers yet.', 'Copy link',
  'Objectives', "Every evaluator's rating stays side by side;", "yours, the facilitator's, is", "the facilitator's is", 'the consensus the report uses.',
  'Choose a rating…', 'Save consensus rating', 'Save my rating', 'Your rating', 'Rating', 'Strengths', 'Areas for improvement',
  'Evaluator', 'Strengths:', 'Areas for improvement:', 'Not rated yet.', 'No evaluator has rated this objective yet.',
  'Self-assessment', 'Open self-assessment', 'Reopen self-assessment', 'Close self-assessment', 'Not opened yet', 'Open: participants are rating', 'Closed',
  "Radar chart: the room's maturity per domain", 'Maturity per domain (1–5), the whole room', 'Heatmap: maturity per sector and domain',
  'Sectors × domains, as in the report', 'Each cell: mean (n raters, lowest–highest).', 'n<3: console only', 'Per statement', 'Statement', 'Mean', 'Spread', 'Count',
  'Who', 'Sectors', 'Improvement plan', 'Download the plan alone:', 'Plan as CSV', 'Plan as JSON', 'Add an item', 'Issue', 'Corrective action',
  'Capability', 'Planning', 'Equipment', 'Training', 'Exercise', 'Responsible organisation', 'Owner', 'Start date', 'Completion date (due)',
  'Priority', '— not set —', 'High', 'Medium', 'Low', 'Not started', 'In progress', 'Complete', 'Cancelled', 'Add to the plan', 'Cancel edit',
  'Accept', 'Edit', 'Drop', 'Issue:', 'Action:',
  'Report and shared screen', 'Shared screen', 'What the shared screen shows', 'Play', 'Adoption board', 'Results as the shared screen shows them',
  "Radar chart of the room's maturity, as on the shared screen", 'Cells under 3 raters are withheld on the screen.', 'Report', 'Executive summary',
  'What happened, what went well, what must change first. Blank lines between paragraphs.', 'Handling marking', 'Save report text',
  'Open voting', 'Reopen voting', 'Close voting', 'Open: participants are voting', 'Votes', 'Domain', 'Issue and corrective action',
  'End the exercise for everyone? Participants can no longer answer.', 'Facilitator', 'online',
];
const PHRASES = [
  'groups answered', 'due by ', 'Released at', 'Due at', 'Next: ', 'No timed inject pending', 'Next deadline', 'answers overdue', 'due in ',
  'Last announcement', ' answers', ' answer,', 'answered on time', 'answered late', 'no answer yet', 'not sent to this group', ' joined', ' selected',
  'Breakout room', 'Screen: ', 'released at', 'skipped at', 'Objectives: ', 'Observer link for', 'Copy the observer link', 'Observer: ',
  'Consensus rating (yours', 'No consensus yet', 'Consensus: ', 'Not saved: filled in', 'proposed by', 'Priority: ', 'Status: ', 'due 20', 'start 20',
  ' rater', 'raters', 'The shared screen shows', 'Play (join code', 'accepted item', 'have voted', 'votes each', 'On the cover and every page',
  'Move Awa', 'Select Awa', 'Show results of', 'Hide results of', 'Put the briefing', 'Nobody in this row', 'mean ', 'Performed',
  'Unable to be performed', 'Proposed by', 'Accepted (', 'Dropped (', 'running ', 'paused ', 'lobby ', 'groups · ', ' injects',
];

/// Where the scenario's and the people's own text shows (English, as written): not the
/// console's words, so not read. CONTENT: the element and all inside it; OWN_CONTENT: the
/// element's own text only (a label inside it is the console's).
const CONTENT = ['#title', '#join-link', '#current-title', '#current-facilitator-notes', '#current-expected',
  '#current-questions-list .asked:not([data-group-id="all"]) dt', '#current-questions-list dd', '#current-objectives .objective',
  '#last-announcement .text', 'td.what > strong', 'td.what details > p:not(.muted)', 'td.what details li', 'td.to', '#grid thead',
  '#grid tbody th', '#grid .latest', '.poll h3', '.option-label', '#polls th.group-col', '.note-text', '.note-inject', '.note-group',
  '.note-author', '.objective-text', '.evaluator-name', '.item-head strong', '.sa-text', '#profile-table thead th[data-domain-id]',
  '.row-label', '.member-name', '.affiliation', '.email', '#roster h3', '.observer-name', '.adoption-item', 'textarea', 'input',
  'select#note-inject option:not([value=""])', 'select#note-objective option:not([value=""])', 'select#note-group option:not([value=""])',
  'select#imp-group option', 'select#move-to option:not([value=""])', 'select.move option', 'select.scribe-select option:not([value=""])',
  '.scenario strong', '#public-groups strong'].join(', ');
const OWN_CONTENT = ['.evaluator-strengths', '.evaluator-areas', '.item-issue', '.item-action'].join(', ');

/// Every word the console shows: each element's own text (visible, or a select's option,
/// or words for screen readers), its placeholder, aria-label, alt and title, the page's
/// title; the scenario's and people's text aside.
function pageWords(page) {
  return page.evaluate(([content, ownContent]) => {
    const out = new Set();
    const shown = (el) => el.checkVisibility({ visibilityProperty: true });
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('script, style, template')) continue;
      const visible = shown(el) || (el.tagName === 'OPTION' && shown(el.closest('select')));
      if (!visible) continue;
      for (const a of ['placeholder', 'aria-label', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.add(v.replace(/\s+/g, ' ').trim());
      }
      if (el.closest(content)) continue;
      const title = el.getAttribute('title');
      if (title) out.add(title.replace(/\s+/g, ' ').trim());
      if (el.matches(ownContent)) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(' ').replace(/\s+/g, ' ').trim();
      if (own) out.add(own);
    }
    return [...out];
  }, [CONTENT, OWN_CONTENT]);
}

/// Fails on any English word of the console in `words`.
function assertNoEnglish(words, where) {
  const exact = words.filter((t) => ENGLISH.includes(t));
  const phrases = PHRASES.flatMap((p) => words.filter((t) => t.includes(p)).map((t) => `${p} → ${t}`));
  assert.deepEqual([...exact, ...phrases], [], `${where}: English words in the French console`);
}

/// A DFS exercise with something in every panel: answers, a poll, an announcement, a
/// note, an observer and their rating, a consensus, a proposed and an accepted item,
/// the self-assessment and the adoption board open.
async function playedExercise() {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const ask = async (ws, msg) => {
    const id = nextMsgId('fr');
    ws.send({ ...msg, client_msg_id: id });
    const m = await ws.waitFor((x) => (x.type === 'ack' || x.type === 'error') && x.client_msg_id === id, { what: `ack of ${msg.type}` });
    if (m.type === 'error') throw new Error(`${msg.type} refused: ${m.code} ${m.message}`);
    return m;
  };
  const people = [];
  for (const [name, organisation, sector] of [['Awa', 'BaobabPay', 'emoney'], ['Bako', 'Central Bank', 'central-bank'], ['Chidi', 'SahelLink', 'fintech']]) {
    const ws = await WsClient.connect(s.base);
    ws.send({ type: 'join', join_code: ex.join_code, name, organisation, sector });
    ws.welcome = await ws.expect('welcome');
    people.push(ws);
  }
  await control.start();
  await ask(people[0], { type: 'respond', inject_id: 'payday-fraud-wave', text: 'SIM swaps: hold the transfers' });
  await control.release('agent-system-ransomware');
  await ask(people[0], { type: 'respond', inject_id: 'agent-system-ransomware', options: ['escalate'], text: '' });
  await control.announce('Five minutes');
  await ask(control, { type: 'note', inject_id: 'payday-fraud-wave', group_id: 'risk', category: 'strength', text: 'SIM swap named at once' });
  const added = await control.command({ type: 'add_observer', name: 'Olu' }, (m) => m.type === 'observer');
  const olu = await WsClient.connect(s.base);
  olu.send({ type: 'observe', exercise_id: ex.exercise_id, observer_key: added.key });
  await olu.expect('welcome');
  await ask(olu, { type: 'rate_objective', objective_id: 'coordinate', rating: 'M', strengths: 'SIM swap named', areas_for_improvement: 'No lead' });
  await ask(control, { type: 'rate_objective', objective_id: 'contain', rating: 'S', strengths: 'SIM swap held', areas_for_improvement: 'Slow' });
  await ask(people[0], { type: 'propose_improvement', item: { issue: 'SIM swap not in the register', corrective_action: 'Add SIM swap', capability: 'planning', responsible_org: 'BaobabPay', owner: 'CRO', due: '2026-03-31' } });
  await ask(control, { type: 'accept_improvement', item: { issue: 'SIM swap owner', corrective_action: 'Name the SIM swap owner', group_id: 'risk', capability: 'organisation', responsible_org: 'BaobabPay', owner: 'COO', due: '2026-04-30', priority: 'high', progress: 'in_progress' } });
  await ask(control, { type: 'open_self_assessment' });
  await ask(control, { type: 'open_adoption' });
  return { ex, control, people, olu, observerKey: added.key };
}

/// Opens every closed panel and the current inject's questions.
async function openEverything(page) {
  const closed = page.locator('details:not([open]) > summary:visible');
  while (await closed.count()) await closed.first().click();
}

s.test('the console and the observer view in French: no English word, lang="fr", French practice; the switch keeps the page', async () => {
  const { ex, control, people, olu, observerKey } = await playedExercise();

  // The facilitator, with ?lang=fr from the sign-in link on.
  const fac = await s.newPage('console-fr', SCREEN);
  const urls = [];
  fac.on('request', (r) => urls.push(r.url()));
  await fac.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}&lang=fr`);
  await fac.locator('#home').waitFor({ state: 'visible' });
  assert.equal(await fac.evaluate(() => document.documentElement.lang), 'fr');
  assert.ok(!fac.url().includes(s.server.adminToken), 'the token left the address bar');
  assertNoEnglish(await pageWords(fac), 'the list of exercises');
  await fac.locator(`#exercises button.open-exercise[data-exercise-id="${ex.exercise_id}"]`).click();
  await waitAttr(fac.locator('#conn'), 'data-state', 'online');
  assert.match(fac.url(), /[?&]lang=fr\b/, 'the language stays in the address');
  await waitText(fac.locator('#current-progress'), /Groupes ayant répondu\s:\s1 sur 4/);
  await waitText(fac.locator('#polls section.poll[data-inject-id="agent-system-ransomware"] .poll-answers'), '1 réponse');
  await waitText(fac.locator('#notes li.note .note-category'), 'Point fort');
  await fac.evaluate(() => window.scrollTo(0, 0));
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-fr.png') });
  await openEverything(fac);
  await waitText(fac.locator('#improvements'), 'Acceptées');
  const words = await pageWords(fac);
  assertNoEnglish(words, 'the console');
  await assertAccessible(fac, 'the French console, every panel open');

  // French practice: « stimulus », « Capacité », « évaluateur », a no-break space before « : ».
  const all = words.join('\n');
  assert.match(all, /Stimulus en cours/);
  assert.match(all, /^Stimulus$/m, 'the injects table is « Stimulus »');
  assert.ok(!/\binjects?\b/i.test(all.replace(/inject_id/g, '')), 'never « inject »');
  assert.ok(words.includes('Capacité'), 'a capability is « Capacité »');
  assert.ok(words.some((t) => /évaluateur/.test(t)), '« évaluateur »');
  assert.ok(words.includes("Plan d'amélioration"), "« plan d'amélioration »");
  const badColon = words.filter((t) => /[^\s\u00a0\u202f][:;?!](\s|$)/.test(t) && !/https?:\/\//.test(t));
  assert.deepEqual(badColon, [], 'a no-break space before « : ; ? ! »');
  // Numbers as French readers write them: a share is 100 % (a narrow no-break space).
  await waitText(fac.locator('#polls section.poll[data-inject-id="agent-system-ransomware"] tr[data-option-id="escalate"] td.total'), /\(100\s%\)/);

  // Ending asks first, in French.
  await fac.locator('#end').click();
  await waitText(fac.locator('#confirm-end'), /^Terminer l'exercice pour tout le monde\s\? Les participants ne pourront plus répondre\./);
  assertNoEnglish(await pageWords(fac), 'the end dialog');
  await fac.locator('#confirm-end-no').click();

  // A refusal in French, with its code: releasing an inject already released.
  // (The button is hidden once released: pressed from a script, as a second console would.)
  await fac.evaluate(() => document.querySelector('#plan tr.plan-row[data-inject-id="payday-fraud-wave"] button.release').click());
  await waitText(fac.locator('#console-error'), 'Ce stimulus a déjà été diffusé ou écarté. (inject_not_pending)');

  // The switch: the same exercise in English, then back; no key in the address bar.
  await fac.locator('#lang-switch a[lang=en]').click();
  await waitAttr(fac.locator('#conn'), 'data-state', 'online');
  assert.equal(await fac.evaluate(() => document.documentElement.lang), 'en');
  await waitText(fac.locator('#current-label'), 'Current inject');
  assert.match(fac.url(), new RegExp(`exercise=${ex.exercise_id}`));
  // The list and the reading catch the English console (so their silence in French means something).
  await openEverything(fac);
  const enWords = await pageWords(fac);
  const caught = ENGLISH.filter((t) => enWords.includes(t));
  const caughtPhrases = PHRASES.filter((p) => enWords.some((t) => t.includes(p)));
  console.log(`# English console: ${caught.length} of ${ENGLISH.length} listed words and ${caughtPhrases.length} of ${PHRASES.length} phrases shown`);
  assert.ok(caught.length >= 130 && caughtPhrases.length >= 45, `the list catches the English console: ${caught.length} words, ${caughtPhrases.length} phrases`);
  const english = await fac.evaluate(() => [...document.querySelectorAll('[data-w]')].map((el) => [el.dataset.w, el.textContent.trim()]));
  await fac.locator('#lang-switch a[lang=fr]').click();
  await waitAttr(fac.locator('#conn'), 'data-state', 'online');
  await waitText(fac.locator('#current-label'), 'Stimulus en cours');
  const french = new Map(await fac.evaluate(() => [...document.querySelectorAll('[data-w]')].map((el) => [el.dataset.w, el.textContent.trim()])));
  const SAME = ['Notes', 'Note', 'Observation', 'Organisation', 'Pause', 'Briefing', 'Actions', 'Option', 'Consensus', '2×', '5×', '10×'];
  const unchanged = english.filter(([key, en]) => key !== 'topbar' && french.get(key) === en && !SAME.includes(en)); // the top bar holds the exercise's title
  assert.deepEqual(unchanged, [], 'every static word has its French');
  for (const secret of [s.server.adminToken, ex.facilitator_key]) {
    assert.ok(!fac.url().includes(secret), 'no key in the address bar');
    assert.deepEqual(urls.filter((u) => u.includes(secret) && !/\/facilitator\?token=/.test(u)), [], 'no key in a request line');
  }

  // The observer's view, in French.
  const obs = await s.newPage('observer-fr', SCREEN);
  await obs.goto(`${s.base}/facilitator?exercise=${ex.exercise_id}&lang=fr#observer=${encodeURIComponent(observerKey)}`);
  await waitAttr(obs.locator('#conn'), 'data-state', 'online');
  assert.equal(await obs.evaluate(() => document.documentElement.lang), 'fr');
  await waitText(obs.locator('#observer-badge'), /^Observateur\s:\sOlu$/);
  assert.ok(!obs.url().includes(observerKey), 'the key left the address bar');
  await openEverything(obs);
  await waitText(obs.locator('#ratings'), 'Votre évaluation');
  assertNoEnglish(await pageWords(obs), 'the observer view');
  await assertAccessible(obs, 'the French observer view');
  await obs.screenshot({ path: path.join(SCREENSHOTS, 'console-observer-fr.png') });
  // The switch keeps the observer in their view (the key stays in this tab's storage).
  await obs.locator('#lang-switch a[lang=en]').click();
  await waitText(obs.locator('#observer-badge'), 'Observer: Olu');
  assert.ok(!obs.url().includes(observerKey));
  for (const ws of [control, olu, ...people]) ws.close();
}, { timeout: 90_000 });

s.test('a French browser gets the French console without ?lang, and its refusals in French', async () => {
  const ex = await s.server.createExercise('live-room-scribe');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const page = await s.newPage('console-fr-browser', { ...SCREEN, locale: 'fr-FR' });
  await page.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}`);
  await page.locator(`#exercises button.open-exercise[data-exercise-id="${ex.exercise_id}"]`).click();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  const awa = await WsClient.connect(s.base);
  awa.send({ type: 'join', join_code: ex.join_code, name: 'Awa', group_id: 'governance' });
  await awa.expect('welcome');
  await waitText(page.locator('#roster .group-box[data-group-id="governance"] .scribe-line'), 'Secrétaire');
  await waitText(page.locator('#roster .group-box[data-group-id="protection"] .breakout-room'), 'Salle de sous-groupe 2');
  await waitText(page.locator('#joined-count'), '1 inscrit');
  // Moving nobody: the console says so in French.
  await page.locator('#move-selected').click();
  await waitText(page.locator('#roster-status'), 'Cochez des participants, puis choisissez un groupe.');
  await eventually(async () => assertNoEnglish(await pageWords(page), 'the French browser\'s console'));
  control.close();
  awa.close();
});
