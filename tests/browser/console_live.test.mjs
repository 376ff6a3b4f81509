// The console in a live room (issue 12): pushes change only what changed, so an opened
// notes panel stays open, a focused field keeps its text and caret, and the Release now
// button under the pointer is the same element through a burst of answers; the first
// screen at 1366×768 holds the clock controls, the grid and the current inject's notes;
// group names everywhere; the groups box never overflows sideways; an announcement has a
// line of its own. The debrief, opened from the console of an exercise reopened with
// Open, asks for no key and shows what a hot wash discusses. Participants, evaluators
// and the facilitator's own commands are scripted over the websocket; one browser.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, gridCell, openConsole, planRow, textOf, waitAttr, waitText } from './harness.mjs';
import { WsClient, ask, facilitate, joinParticipant } from './wsclient.mjs';

const s = Suite.setup();
const SCREEN = { viewport: { width: 1366, height: 768 } };


/// One participant per group (joins fill the groups in turn).
async function onePerGroup(base, joinCode, names) {
  const people = [];
  for (const name of names) people.push(await joinParticipant(base, joinCode, name));
  return people;
}

/// Opens a console panel (a closed <details> by default) by clicking its summary.
async function openPanel(page, id) {
  const panel = page.locator(`details#${id}`);
  if (!(await panel.evaluate((el) => el.open))) await panel.locator(':scope > summary').click();
  await waitAttr(panel, 'open', '');
}

/// Sum of the grid's answer counts.
const gridTotal = (page) => page.locator('#grid td.cell .count').evaluateAll((els) => els.reduce((n, e) => n + Number(e.textContent), 0));

s.test('50 answers from six groups change the console in place: an opened notes panel stays open, a typed note keeps its focus and caret, the hovered Release now is the same button', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', SCREEN);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const people = await onePerGroup(s.base, ex.join_code, ['Awa', 'Bako', 'Chidi', 'Dede', 'Efua', 'Femi']);
  await eventually(async () => assert.equal(await fac.locator('#roster li.member').count(), 6));
  await fac.locator('#start').click();
  await waitText(planRow(fac, 'first-alert').locator('.status'), /^released/);

  // The facilitator reads the next inject's notes, types a note, and has the pointer on
  // Release now of the partner-api inject.
  const rowNotes = planRow(fac, 'partner-api').locator('details.notes');
  await rowNotes.locator('summary').click();
  await waitAttr(rowNotes, 'open', '');
  await openPanel(fac, 'notes-panel');
  const typed = 'Risk hesitated on who declares';
  await fac.locator('#note-text').click();
  await fac.keyboard.type(typed);
  await fac.locator('#note-text').evaluate((el) => el.setSelectionRange(5, 5)); // the caret after "Risk "
  const release = planRow(fac, 'partner-api').locator('button.release');
  await release.hover();
  // Mark the elements a rebuild would replace, and record anything that closes, blurs or
  // removes them while the answers arrive.
  await fac.evaluate(() => {
    window.seen = [];
    const marked = {
      release: document.querySelector('#plan tr.plan-row[data-inject-id="partner-api"] button.release'),
      rowNotes: document.querySelector('#plan tr.plan-row[data-inject-id="partner-api"] details.notes'),
      cell: document.querySelector('#grid td.cell[data-group-id="risk"][data-inject-id="first-alert"]'),
      panel: document.querySelector('#notes-panel'),
      field: document.querySelector('#note-text'),
    };
    for (const [name, el] of Object.entries(marked)) el.ttMark = name;
    window.marked = marked;
    marked.rowNotes.addEventListener('toggle', () => window.seen.push('row notes toggled'));
    marked.panel.addEventListener('toggle', () => window.seen.push('notes panel toggled'));
    marked.field.addEventListener('blur', () => window.seen.push('note field blurred'));
    new MutationObserver(() => {
      for (const [name, el] of Object.entries(marked)) if (!el.isConnected) window.seen.push(`${name} removed`);
    }).observe(document.body, { subtree: true, childList: true });
  });

  // 50 answers, from all six groups at once (about 8 each, within the rate limit).
  const answers = Array.from({ length: 50 }, (_, i) => [people[i % people.length], `Answer ${i + 1}: hold the transfers, call the regulator`]);
  await Promise.all(people.map(async (p) => {
    for (const [who, text] of answers) if (who === p) await p.respond('first-alert', text);
  }));
  await eventually(async () => assert.equal(await gridTotal(fac), 50), { message: 'the grid counts the 50 answers' });
  await waitText(gridCell(fac, 'risk', 'first-alert').locator('.latest'), /^Awa: Answer \d+/);

  const after = await fac.evaluate(() => {
    const field = document.querySelector('#note-text');
    return {
      seen: window.seen,
      same: Object.fromEntries(Object.entries(window.marked).map(([name, el]) => [name, el.isConnected && el.ttMark === name])),
      releaseIsTheOne: document.querySelector('#plan tr.plan-row[data-inject-id="partner-api"] button.release').ttMark === 'release',
      cellIsTheOne: document.querySelector('#grid td.cell[data-group-id="risk"][data-inject-id="first-alert"]').ttMark === 'cell',
      hovered: window.marked.release.matches(':hover'),
      rowNotesOpen: window.marked.rowNotes.open,
      panelOpen: window.marked.panel.open,
      focused: document.activeElement === field,
      value: field.value,
      caret: [field.selectionStart, field.selectionEnd],
    };
  });
  assert.deepEqual(after.seen, [], 'nothing was closed, blurred or removed by the pushes');
  assert.deepEqual(after.same, { release: true, rowNotes: true, cell: true, panel: true, field: true });
  assert.ok(after.releaseIsTheOne, 'Release now is the same DOM node before and after the burst');
  assert.ok(after.cellIsTheOne, 'the grid cell is the same DOM node');
  assert.ok(after.hovered, 'the pointer is still on Release now (:hover)');
  assert.ok(after.rowNotesOpen, 'the opened "Notes and expected actions" stayed open');
  assert.ok(after.panelOpen, 'the notes panel stayed open');
  assert.ok(after.focused, 'the note field kept the focus');
  assert.equal(after.value, typed, 'the typed note is intact');
  assert.deepEqual(after.caret, [5, 5], 'the caret did not move');

  // The click lands on the button that was under the pointer: partner-api goes out.
  await fac.mouse.down();
  await fac.mouse.up();
  await waitText(planRow(fac, 'partner-api').locator('.status'), /^released/);
  assert.ok(await release.isHidden(), 'a released inject has no Release now');
  await waitText(fac.locator('#current-title'), 'Partner API abuse');
  for (const p of people) p.close();
});

s.test('the first screen at 1366×768 holds the clock controls, the grid and the current inject\'s notes; group names everywhere; the groups never overflow; an announcement has its own line', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const plan = control.welcome.plan;
  const names = Object.fromEntries(control.welcome.groups.map((g) => [g.id, g.name]));
  // Twelve people, two per group, some with long names and organisations.
  const people = [];
  const long = ['Oluwaseun-Adebayo-Ogunleye-Fashola-Chukwuemeka-Nwachukwu', 'Marie-Françoise Diop-Ndiaye Sarr'];
  for (let i = 0; i < 12; i++) {
    const ws = await WsClient.connect(s.base);
    ws.send({
      type: 'join', join_code: ex.join_code, name: i < 2 ? long[i] : `Participant ${i + 1}`,
      organisation: i % 3 === 0 ? 'Ministry of Posts, Telecommunications and the Digital Economy of the Republic' : 'BaobabPay',
      sector: i % 2 ? 'bank' : 'ministry',
    });
    ws.welcome = await ws.expect('welcome');
    people.push(ws);
  }
  await control.start();
  for (const [i, p] of people.entries()) {
    if (i < 6) await ask(p, { type: 'respond', inject_id: 'payday-fraud-wave', text: `Group ${p.welcome.group.name}: we hold transfers from SIMs swapped in the last 48 hours and call the central bank.` });
  }

  const fac = await s.newPage('facilitator', SCREEN);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  await eventually(async () => assert.equal(await gridTotal(fac), 6));
  await waitText(fac.locator('#current-title'), 'Payday fraud wave');
  await waitText(fac.locator('#current-progress'), '6 of 6 groups answered');

  // Above the fold, at the top of the page: the clock and its buttons, the whole grid,
  // and the current inject's notes and expected actions.
  await fac.evaluate(() => window.scrollTo(0, 0));
  const boxes = await fac.evaluate(() => Object.fromEntries(['#clock', '#start', '#pause', '#end', '#announce-send', '#next-due', '#grid',
    '#current-title', '#current-facilitator-notes', '#current-expected', '#current-notes'].map((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return [sel, { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height }];
  })));
  for (const [sel, b] of Object.entries(boxes)) {
    assert.ok(b.height > 0, `${sel} is shown`);
    assert.ok(b.top >= 0 && b.bottom <= 768 && b.left >= 0 && b.right <= 1366, `${sel} is on the first screen: ${JSON.stringify(b)}`);
  }
  await waitText(fac.locator('#current-expected'), 'Activate the incident response plan');
  await waitText(fac.locator('#current-facilitator-notes'), 'Listen for a named decision-maker');
  const height = await fac.evaluate(() => document.documentElement.scrollHeight);
  console.log(`# console page height at 1366x768 (dfs-salary-tide, 12 people, panels closed): ${height} px`);

  // Group names in the injects table, the grid and the current inject, never ids.
  for (const p of plan) {
    const want = p.targets === 'all' ? 'all groups' : p.targets.map((id) => names[id]).join(', ');
    assert.equal(await textOf(planRow(fac, p.inject_id).locator('td.to')), want, `${p.inject_id}: targets by name`);
  }
  assert.deepEqual(await fac.locator('#grid tbody th').allTextContents(), Object.values(names));
  await waitText(fac.locator('#current-meta'), /to all groups$/);

  // The groups: nothing inside sticks out of its box or the page.
  await eventually(async () => assert.equal(await fac.locator('#roster li.member').count(), 12));
  const overflow = await fac.evaluate(() => {
    const out = [];
    const roster = document.querySelector('#roster').getBoundingClientRect();
    for (const box of document.querySelectorAll('#roster .group-box')) {
      const b = box.getBoundingClientRect();
      if (box.scrollWidth > box.clientWidth) out.push(`${box.dataset.groupId}: scrollWidth ${box.scrollWidth} > ${box.clientWidth}`);
      for (const el of box.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (!r.width && !r.height) continue; // not laid out (an <option>)
        if (r.right > b.right + 0.5 || r.left < b.left - 0.5) out.push(`${el.tagName}.${el.className} in ${box.dataset.groupId}: ${r.left}–${r.right} outside ${b.left}–${b.right}`);
      }
      if (b.right > roster.right + 0.5) out.push(`${box.dataset.groupId} outside the roster`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}`);
    return out;
  });
  assert.deepEqual(overflow, [], 'the groups box overflows');

  // An announcement shows in its own line; "Next: …" stays.
  const next = await textOf(fac.locator('#next-due'));
  assert.match(next, /^Next: Inside help at franchise shops at T\+04:00$/);
  await control.announce('Five minutes left on this inject');
  await waitText(fac.locator('#last-announcement'), /^Last announcement \(T\+\d\d:\d\d\): Five minutes left on this inject$/);
  assert.equal(await textOf(fac.locator('#next-due')), next, 'the "Next" line is not replaced');
  await fac.screenshot({ path: path.join(SCREENSHOTS, 'console-live.png') });
  for (const ws of [control, ...people]) ws.close();
});

s.test('the debrief opened from the console of an exercise reopened with Open asks for no key and shows the questions, expected actions, ratings and improvement items', async () => {
  const ex = await s.server.createExercise('quick-demo');
  // A short exercise played from the test: answers, the facilitator's consensus and an
  // evaluator's rating, a proposed and an accepted improvement item.
  const control = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const [awa, bako] = await onePerGroup(s.base, ex.join_code, ['Awa', 'Bako']);
  await control.start();
  await awa.respond('first-alert', 'Risk: SIM swap is not in our register yet');
  await bako.respond('first-alert', 'Governance: the CEO declares, the CRO coordinates');
  await control.release('partner-api');
  await control.release('wrap-up');
  await awa.respond('wrap-up', 'Add SIM-swap to the register, owner CRO, by Friday');
  const added = await control.command({ type: 'add_observer', name: 'Olu Evaluator' }, (m) => m.type === 'observer');
  const olu = await WsClient.connect(s.base);
  olu.send({ type: 'observe', exercise_id: ex.exercise_id, observer_key: added.key });
  await olu.expect('welcome');
  await ask(olu, { type: 'rate_objective', objective_id: 'respond', rating: 'M', strengths: 'Fast first answers', areas_for_improvement: 'Nobody named who declares' });
  await ask(control, { type: 'rate_objective', objective_id: 'respond', rating: 'S', strengths: 'Every group answered within minutes', areas_for_improvement: 'Declaring an incident had no owner' });
  await ask(awa, { type: 'propose_improvement', item: { issue: 'SIM-swap fraud is not in the risk register', corrective_action: 'Add it with a hold threshold', capability: 'planning', responsible_org: 'BaobabPay', owner: 'CRO', due: '2026-03-31' } });
  await ask(control, { type: 'accept_improvement', item: { issue: 'Nobody owns declaring an incident', corrective_action: 'Name the CEO in the incident plan', group_id: 'governance', capability: 'organisation', responsible_org: 'BaobabPay', owner: 'COO', due: '2026-04-30' } });

  // The facilitator signs in with the admin token and reopens it from the list: this
  // browser holds no facilitator key for it, only the tab's admin token.
  const fac = await s.newPage('facilitator', SCREEN);
  const context = fac.context();
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  assert.equal(await fac.evaluate((id) => localStorage.getItem(`tt.fkey.${id}`), ex.exercise_id), null, 'no facilitator key in this browser');

  // "Open debrief": a new tab, no key asked.
  const [debrief] = await Promise.all([context.waitForEvent('page'), fac.locator('#debrief-link').click()]);
  s.watch('debrief', debrief);
  await debrief.setViewportSize(SCREEN.viewport);
  await waitText(debrief.locator('#step-title'), 'First alert');
  assert.ok(await debrief.locator('#key-form').isHidden(), 'the debrief asks for no key');
  const col = (g) => debrief.locator(`#groups section.group-col[data-group-id="${g}"]`);
  // Questions per group and the expected actions.
  await waitText(col('risk').locator('ol.asked'), 'Is SIM-swap fraud in your risk register?');
  await waitText(col('governance').locator('ol.asked'), 'What does your group do first, and who decides?');
  await waitText(debrief.locator('#step-expected-list'), 'Hold transfers from recently swapped SIMs');
  // The objective this inject serves, with the consensus and every evaluator's letter.
  const respond = debrief.locator('#step-objectives li.objective[data-objective-id="respond"]');
  await waitAttr(respond, 'data-rating', 'S');
  await waitText(respond.locator('.rating-by'), 'Performed with some challenges — consensus, Facilitator');
  await waitText(respond.locator('.rating-strengths'), 'Every group answered within minutes');
  await waitText(respond.locator('.rating-areas'), 'Declaring an incident had no owner');
  await waitText(respond.locator('.rating-all'), 'Olu Evaluator M');
  // Each group's improvement items in its column.
  await waitText(col('risk').locator('.group-items li.plan-item[data-status="proposed"]'), 'SIM-swap fraud is not in the risk register');
  await waitText(col('governance').locator('.group-items li.plan-item[data-status="accepted"]'), 'Nobody owns declaring an incident');
  await waitText(col('governance').locator('.group-items .item-meta'), 'Owner: COO');
  await debrief.screenshot({ path: path.join(SCREENSHOTS, 'debrief-hotwash.png'), fullPage: true });
  // The wrap-up serves the other objective, not rated yet.
  await debrief.keyboard.press('End');
  await waitText(debrief.locator('#step-title'), 'Wrap-up');
  await waitText(debrief.locator('#step-objectives li.objective[data-objective-id="learn"] .rating-by'), 'Not rated yet');
  await waitText(debrief.locator('#objectives-summary'), 'Learn: each group names one fix with an owner.');

  // Any other way in (a middle click, "open in new tab", a typed address) is a tab without
  // the console's storage: the console tab still hands the key over, inside the browser.
  const other = await context.newPage();
  s.watch('debrief-new-tab', other);
  await other.goto(new URL(await fac.locator('#debrief-link').getAttribute('href'), s.base).href);
  await waitText(other.locator('#step-title'), 'First alert');
  assert.ok(await other.locator('#key-form').isHidden(), 'a tab opened another way asks for no key either');
  await other.reload();
  await waitText(other.locator('#step-title'), 'First alert');

  // No key or token ever went into a URL.
  for (const secret of [s.server.adminToken, ex.facilitator_key, added.key]) {
    assert.ok(!urls.some((u) => u.includes(secret)) || secret === s.server.adminToken && urls.filter((u) => u.includes(secret)).every((u) => /\/facilitator\?token=/.test(u)),
      `a secret in a URL: ${urls.filter((u) => u.includes(secret))}`);
  }
  for (const p of [debrief, other]) assert.ok(!p.url().includes(s.server.adminToken) && !p.url().includes(ex.facilitator_key), p.url());
  for (const ws of [control, awa, bako, olu]) ws.close();
});
