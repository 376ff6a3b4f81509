// A live room on a 360×740 phone, with the shipped DFS scenario (long inject texts, two
// questions per group plus one for all, an attachment): nothing on the page scrolls inside
// itself, every question is reached by scrolling the page, the floating Answer button
// brings the answer box back, a new inject arriving while the participant types shows a
// "New inject ↑" banner without taking their focus, caret or draft, announcements can be
// dismissed (and stay so after a reload) and expire, and the lobby says who you are,
// your group and the exercise. Screenshots: target/screenshots/phone-lobby.png,
// phone-inject.png, phone-new-inject-banner.png, phone-earlier-answers.png (and -fr variants).

import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { assertNoInnerScroll, eventually, injectCard, SCREENSHOTS, Suite, textOf, waitAttr, waitText } from './harness.mjs';
import { ask, facilitate, joinParticipant, WsClient } from './wsclient.mjs';

const s = Suite.setup();
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const ORG = 'Central Bank of The Gambia';
const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, name) });


/// Is the element wholly on screen, below the sticky top bar?
const onScreen = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const top = document.querySelector('.topbar').getBoundingClientRect().bottom;
  return r.height > 0 && r.top >= top - 1 && r.bottom <= innerHeight + 1;
});

/// Scrolls the page from top to bottom in steps of a third of the screen, as a thumb
/// would, and returns the indexes of the `selector` elements that were wholly on screen
/// at some step.
async function seenWhileScrolling(page, selector) {
  return page.evaluate(async (sel) => {
    const els = [...document.querySelectorAll(sel)];
    const seen = new Set();
    const top = () => document.querySelector('.topbar').getBoundingClientRect().bottom;
    window.scrollTo(0, 0);
    for (let guard = 0; guard < 200; guard++) {
      await new Promise(requestAnimationFrame);
      els.forEach((el, i) => {
        const r = el.getBoundingClientRect();
        if (r.height > 0 && r.top >= top() - 1 && r.bottom <= innerHeight + 1) seen.add(i);
      });
      const before = scrollY;
      window.scrollBy(0, Math.round(innerHeight / 3));
      if (scrollY === before) break;
    }
    return { seen: [...seen], total: els.length, scrollHeight: document.documentElement.scrollHeight };
  }, selector);
}

const answerButtonShown = (page) => page.locator('#to-answer').evaluate((b) => {
  const r = b.getBoundingClientRect();
  return b.classList.contains('show') && !b.hidden && r.bottom <= innerHeight && r.right <= innerWidth && r.top >= 0;
});

/// Joins on the phone through the link with a name and an organisation.
async function joinPhone(page, code, name, organisation) {
  await page.goto(`${s.base}/join/${code}`);
  await page.locator('#join-name').fill(name);
  if (organisation) await page.locator('#join-org').fill(organisation);
  await page.locator('#join-submit').click();
  await page.locator('#participant').waitFor({ state: 'visible' });
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
}

/// A DFS exercise where the phone will be the third to join: the group "Testing", which
/// gets the opening inject (three questions), partner-api-abuse and the CSIRT's indicator
/// list (an attachment).
async function dfsExercise() {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const others = [await joinParticipant(s.base, ex.join_code, 'Awa'), await joinParticipant(s.base, ex.join_code, 'Bako')];
  const briefing = others[0].welcome.briefing ?? null;
  return { ex, fac, others, briefing };
}

s.test('the lobby on a 360×740 phone says who you are, your group and the exercise; nothing scrolls inside it', async (t) => {
  const { ex, fac, others, briefing } = await dfsExercise();
  const page = await s.newPage('phone', PHONE);
  await joinPhone(page, ex.join_code, 'Fatou', ORG);
  const lobby = page.locator('#lobby');
  await lobby.waitFor({ state: 'visible' });
  await waitAttr(page.locator('#clock'), 'data-state', 'lobby');

  assert.equal(await textOf(page.locator('#lobby-title')), fac.welcome.scenario.title, 'the exercise title');
  assert.equal(await textOf(page.locator('#lobby-you')), `Fatou · ${ORG}`, 'who you are');
  const group = await textOf(page.locator('#lobby-group'));
  assert.ok(group.startsWith('Testing') && group.includes('Penetration tests'), `your group, name and focus: ${group}`);
  assert.equal(await textOf(page.locator('#group-name')), 'Testing');
  await waitText(page.locator('#lobby-summary'), 'Payday in a small mobile-money market');
  const how = await page.locator('#lobby [aria-labelledby="lobby-how"] li').allTextContents();
  assert.equal(how.length, 3, 'how it works: three points');
  assert.match(how.join(' '), /as a group.*kept on this phone.*same link/s);
  assert.match(await textOf(page.locator('#waiting')), /first inject will appear here/);
  assert.ok(await onScreen(page.locator('#lobby-you')), 'who you are shows without scrolling');
  assert.ok(await onScreen(page.locator('#lobby-group')), 'your group shows without scrolling');

  assert.ok(briefing, 'the welcome has the briefing');
  // The server sends the participant's briefing: ground rules, objectives, members.
  const rules = await page.locator('#lobby [aria-labelledby="lobby-rules"] li').allTextContents();
  assert.deepEqual(rules, briefing.ground_rules, 'the ground rules');
  const objectives = await page.locator('#lobby [aria-labelledby="lobby-objectives"] li').allTextContents();
  assert.deepEqual(objectives, briefing.objectives.map((o) => o.text), 'the objectives');
  assert.ok(objectives.some((o) => o.startsWith('Coordinate across the Telecom Regulator')), objectives.join(' | '));
  await waitText(page.locator('#lobby-members'), 'Fatou (you)');
  // Six more join: the ninth is in Testing too, and the phone's list follows.
  for (const name of ['Cheikh', 'Dawda', 'Ebou', 'Fanta', 'Gibril']) others.push(await joinParticipant(s.base, ex.join_code, name));
  const ninth = await joinParticipant(s.base, ex.join_code, 'Haddy');
  others.push(ninth);
  assert.equal(ninth.group.id, 'testing');
  await waitText(page.locator('#lobby-members'), 'Haddy');
  assert.doesNotMatch(await textOf(page.locator('#participant')), /\b(undefined|null|NaN)\b/);
  await assertNoInnerScroll(page, 'lobby');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'phone-lobby.png');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-lobby-full.png'), fullPage: true });

  // Play starts: the inject takes the top, the briefing folds at the end of the page.
  await fac.start();
  await injectCard(page, 'payday-fraud-wave').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#briefing').evaluate((d) => !d.hidden && !d.open && d.contains(document.querySelector('#lobby'))), true,
    'the briefing is folded into "About this exercise"');
  assert.ok(await onScreen(injectCard(page, 'payday-fraud-wave').locator('.inject-title')), 'the inject title is on top');
  for (const ws of [fac, ...others]) ws.close();
});

s.test('a long inject on a 360×740 phone reads top to bottom; the Answer button; a new inject while typing shows a banner and keeps the typing', async () => {
  const { ex, fac, others } = await dfsExercise();
  const page = await s.newPage('phone', PHONE);
  // The phone's vibrations, recorded.
  await page.addInitScript(() => {
    window.__vibrations = [];
    navigator.vibrate = (pattern) => (window.__vibrations.push(pattern), true);
  });
  await joinPhone(page, ex.join_code, 'Fatou', ORG);
  await fac.start();
  const first = injectCard(page, 'payday-fraud-wave');
  await first.waitFor({ state: 'visible' });
  await waitText(first.locator('.inject-body'), 'Civil-service salaries arrived');

  // Title, text, the group's questions (theirs and the one for all), then the answer box.
  const questions = first.locator('ol.questions li');
  assert.equal(await questions.count(), 3, 'the question for all and the two for Testing');
  const order = await first.evaluate((card) => ['.inject-title', '.inject-body', 'ol.questions', 'form.answer-form']
    .map((sel) => card.querySelector(sel).getBoundingClientRect().top));
  assert.deepEqual([...order].sort((a, b) => a - b), order, `reading order: ${order}`);
  await assertNoInnerScroll(page, 'the opening inject');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'phone-inject.png');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-inject-full.png'), fullPage: true });

  // Every question comes on screen by scrolling the page.
  const seen = await seenWhileScrolling(page, '#injects article.current ol.questions li');
  assert.deepEqual(seen.seen.sort(), [0, 1, 2], `questions seen while scrolling the page: ${JSON.stringify(seen)}`);
  assert.ok(seen.scrollHeight > 740, 'the inject is longer than the screen');

  // The Answer button: at the top of this long inject the answer box is below the screen;
  // the button shows, and a tap brings the box into view with the focus.
  const box = first.locator('textarea.answer-input');
  const button = page.locator('#to-answer');
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.ok(await box.evaluate((el) => el.getBoundingClientRect().top > innerHeight), 'the answer box starts below the screen');
  await eventually(async () => assert.ok(await answerButtonShown(page), 'the Answer button shows while the answer box is off-screen'));
  assert.match(await button.getAttribute('aria-label'), /^Answer/, 'the button has an accessible name');
  const size = await button.boundingBox();
  assert.ok(size.height >= 44 && size.width >= 44, `big enough to tap: ${JSON.stringify(size)}`);
  await button.tap();
  await eventually(async () => {
    assert.ok(await box.evaluate((el) => el === document.activeElement), 'the answer box has the focus');
    assert.ok(await onScreen(box), 'the answer box is on screen');
  });
  await eventually(async () => assert.equal(await answerButtonShown(page), false, 'no Answer button while typing'));

  // Keyboard: the button is in the tab order; Enter on it goes to the box.
  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, document.documentElement.scrollHeight); });
  await page.evaluate(() => document.querySelector('#briefing summary').focus());
  for (let i = 0; i < 30 && !(await button.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  assert.ok(await button.evaluate((b) => b === document.activeElement), 'the Answer button is reachable with Tab');
  await eventually(async () => assert.ok(await button.evaluate((b) => { const r = b.getBoundingClientRect(); return r.bottom <= innerHeight && r.top >= 0; }), 'shown when focused'));
  await page.keyboard.press('Enter');
  await eventually(async () => assert.ok(await box.evaluate((el) => el === document.activeElement), 'Enter on Answer focuses the box'));

  // Typing in the first inject's box when the second arrives: the banner, nothing moves.
  const typed = 'Freeze transfers from SIMs swapped in the last 48 hours';
  await page.keyboard.type(typed);
  const before = await box.evaluate((el) => ({ top: el.getBoundingClientRect().top, caret: el.selectionStart }));
  assert.equal(before.caret, typed.length);
  const vibrations = await page.evaluate(() => window.__vibrations.length);
  assert.equal(vibrations, 1, 'the opening inject vibrated the phone (joining was a tap)');
  await fac.release('partner-api-abuse');
  const second = injectCard(page, 'partner-api-abuse');
  await second.waitFor({ state: 'attached' });
  const banner = page.locator('#new-inject');
  await banner.waitFor({ state: 'visible' });
  assert.equal(await textOf(banner), 'New inject ↑');
  const after = await box.evaluate((el) => ({ top: el.getBoundingClientRect().top, caret: el.selectionStart, value: el.value, focused: el === document.activeElement }));
  assert.ok(after.focused, 'the focus stays in the answer box');
  assert.equal(after.value, typed, 'the typed text is kept');
  assert.equal(after.caret, typed.length, 'the caret stays');
  assert.ok(Math.abs(after.top - before.top) <= 2, `the answer box did not move: ${before.top} → ${after.top}`);
  assert.equal(await page.evaluate(() => window.__vibrations.length), 2, 'a short vibration for the new inject');
  await page.keyboard.type(' and call the CSIRT');
  assert.equal(await box.inputValue(), `${typed} and call the CSIRT`, 'typing goes on where it was');
  assert.ok(await banner.evaluate((b) => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }), 'the banner is on screen');
  await shot(page, 'phone-new-inject-banner.png');
  await eventually(async () => {
    const d = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.endsWith('.payday-fraud-wave'))?.[1] ?? '');
    assert.ok(d.includes('and call the CSIRT'), 'the draft is saved on the phone');
  });

  // Tapping the banner goes to the new inject.
  await banner.tap();
  await eventually(async () => assert.ok(await onScreen(second.locator('.inject-title')), 'the new inject is on screen'));
  assert.equal(await banner.isVisible(), false, 'the banner is gone');
  assert.match((await second.getAttribute('class')) ?? '', /\bcurrent\b/);

  // Reading the older inject, the Answer button leads to the current one's box.
  await page.evaluate(() => document.querySelector('[data-inject-id="payday-fraud-wave"] .inject-body').scrollIntoView({ block: 'start' }));
  await eventually(async () => assert.ok(await answerButtonShown(page), 'the Answer button shows while reading the older inject'));
  await page.locator('#to-answer').tap();
  const secondBox = second.locator('textarea.answer-input');
  await eventually(async () => {
    assert.ok(await secondBox.evaluate((el) => el === document.activeElement), "the current inject's answer box has the focus");
    assert.ok(await onScreen(secondBox), "the current inject's answer box is on screen");
  });
  assert.equal(await box.inputValue(), `${typed} and call the CSIRT`, 'the first draft is still there');

  // The CSIRT's list: title, text, questions, the attachment, the answer box.
  await page.evaluate(() => document.activeElement.blur());
  await fac.release('csirt-indicators');
  const third = injectCard(page, 'csirt-indicators');
  await third.waitFor({ state: 'visible' });
  // The attachment is filled in by a module the page imports: wait for it (on a loaded
  // machine the import can come after the card).
  await waitText(third.locator('.attachment'), 'TLP:AMBER');
  const order3 = await third.evaluate((card) => ['.inject-title', '.inject-body', 'ol.questions', '.attachment', 'form.answer-form']
    .map((sel) => card.querySelector(sel).getBoundingClientRect().top));
  assert.deepEqual([...order3].sort((a, b) => a - b), order3, `reading order with an attachment: ${order3}`);
  await assertNoInnerScroll(page, 'three injects, one with an attachment');
  const seen3 = await seenWhileScrolling(page, '#injects article.inject ol.questions li');
  assert.equal(seen3.seen.length, seen3.total, `every question of every inject is reached by scrolling: ${JSON.stringify(seen3)}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const ws of [fac, ...others]) ws.close();
});

s.test('announcements can be dismissed (also after a reload), expire after 3 minutes and the two newest show', async () => {
  const { ex, fac, others } = await dfsExercise();
  const page = await s.newPage('phone', PHONE);
  await joinPhone(page, ex.join_code, 'Fatou');
  await fac.start();
  await injectCard(page, 'payday-fraud-wave').waitFor({ state: 'visible' });

  const ann = (seq) => page.locator(`#announcements .announcement[data-seq="${seq}"]`);
  const a1 = await fac.announce('Break until 11:00: keep your answers as drafts.');
  await ann(a1.seq).waitFor({ state: 'visible' });
  assert.equal(await textOf(ann(a1.seq).locator('p')), 'From the facilitator: Break until 11:00: keep your answers as drafts.');
  const close = ann(a1.seq).locator('button.dismiss');
  assert.equal(await close.getAttribute('aria-label'), 'Dismiss this announcement');
  const size = await close.boundingBox();
  assert.ok(size.height >= 44 && size.width >= 44, `the × is big enough to tap: ${JSON.stringify(size)}`);
  await close.tap();
  await ann(a1.seq).waitFor({ state: 'detached' });
  await page.reload();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await injectCard(page, 'payday-fraud-wave').waitFor({ state: 'visible' });
  const a2 = await fac.announce('Groups: one answer per group is enough.');
  await ann(a2.seq).waitFor({ state: 'visible' });
  assert.equal(await ann(a1.seq).count(), 0, 'a dismissed announcement stays dismissed after a reload');

  // Expiry: three minutes after the phone first showed it (its stored time, set back).
  await page.evaluate((seq) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('tt.ann.'));
    const rec = JSON.parse(localStorage.getItem(key));
    rec.seen[seq] = Date.now() - 3 * 60_000 - 1000;
    localStorage.setItem(key, JSON.stringify(rec));
  }, a2.seq);
  await page.reload();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await injectCard(page, 'payday-fraud-wave').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#announcements .announcement').count(), 0, 'an announcement expires 3 minutes after it was first shown');

  // Superseded: of three new ones, the two newest show, newest first.
  const more = [];
  for (const text of ['Five minutes left on this inject.', 'Next inject in one minute.', 'Please answer the CSIRT question.']) more.push(await fac.announce(text));
  await ann(more[2].seq).waitFor({ state: 'visible' });
  assert.deepEqual(await page.locator('#announcements .announcement').evaluateAll((els) => els.map((e) => Number(e.dataset.seq))),
    [more[2].seq, more[1].seq]);
  await assertNoInnerScroll(page, 'with announcements');

  // A poll's options read as words: one radio button each, named by its label.
  await fac.release('notification-deadlines');
  const poll = injectCard(page, 'notification-deadlines');
  await poll.waitFor({ state: 'visible' });
  await eventually(async () => assert.equal(await poll.getByRole('radio').count(), 5));
  const options = await poll.locator('label.choice').allTextContents();
  assert.equal(options[0], 'Yes, written and tested in an exercise');
  assert.ok(!/object|undefined/.test(options.join(' ')), `the options: ${options}`);
  await assertNoInnerScroll(page, 'a poll');
  for (const ws of [fac, ...others]) ws.close();
});

s.test('a welcome brings the latest 20 answers of an inject; "Show 5 earlier answers" brings the rest, in order', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await fac.start();
  const page = await s.newPage('phone', PHONE);
  await joinPhone(page, ex.join_code, 'Fatou');
  const card = injectCard(page, 'first-alert');
  await card.waitFor({ state: 'visible' });
  // 25 answers under the phone's own token, from a second socket (as a second tab would).
  const session = JSON.parse(await page.evaluate(() => localStorage.getItem('tt.session')));
  const ws = await WsClient.connect(s.base);
  ws.send({ type: 'resume', resume_token: session.resume_token });
  await ws.waitFor((m) => m.type === 'welcome', { what: 'the welcome' });
  const ideas = Array.from({ length: 25 }, (_, i) => `Idea ${String(i).padStart(2, '0')}`);
  for (const text of ideas) await ask(ws, { type: 'respond', inject_id: 'first-alert', text });
  const texts = () => card.locator('ul.answers li.answer .answer-text').allTextContents();
  await eventually(async () => assert.deepEqual(await texts(), ideas, 'pushed live, all of them'));

  await page.reload();
  await waitAttr(page.locator('#conn'), 'data-state', 'online');
  await eventually(async () => assert.deepEqual(await texts(), ideas.slice(5), 'a welcome has the latest 20'));
  const more = card.locator('button.older');
  await waitText(more, 'Show 5 earlier answers');
  await more.scrollIntoViewIfNeeded();
  await shot(page, 'phone-earlier-answers.png');
  await more.tap();
  await eventually(async () => assert.deepEqual(await texts(), ideas, 'the earlier five before them, in order'));
  await more.waitFor({ state: 'detached' });
  await assertNoInnerScroll(page, 'answers paged in');
  ws.close();
  fac.close();
});

s.test('in French: the lobby, « Nouveau stimulus ↑ » and the Answer button', async () => {
  const { ex, fac, others } = await dfsExercise();
  const page = await s.newPage('phone-fr', { ...PHONE, locale: 'fr-FR' });
  await joinPhone(page, ex.join_code, 'Kebba', 'Xalam Wallet');
  await page.locator('#lobby').waitFor({ state: 'visible' });
  assert.equal(await textOf(page.locator('#lobby-you')), 'Kebba · Xalam Wallet');
  const lobby = await page.locator('#lobby').textContent();
  for (const words of ['Exercice', 'Vous', 'Votre groupe', "Mode d'emploi", 'Répondez en groupe\u00a0:']) assert.ok(lobby.includes(words), `${words} in ${lobby}`);
  assert.equal(await textOf(page.locator('#waiting')), "Le premier stimulus s'affichera ici au début de l'exercice.");
  await assertNoInnerScroll(page, 'lobby (fr)');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'phone-lobby-fr.png');

  await fac.start();
  const box = injectCard(page, 'payday-fraud-wave').locator('textarea.answer-input');
  await box.tap();
  await page.keyboard.type('Bloquer les transferts');
  await fac.release('partner-api-abuse');
  const banner = page.locator('#new-inject');
  await banner.waitFor({ state: 'visible' });
  assert.equal(await textOf(banner), 'Nouveau stimulus ↑');
  assert.ok(await box.evaluate((el) => el === document.activeElement && el.value === 'Bloquer les transferts'));
  await shot(page, 'phone-new-inject-banner-fr.png');
  assert.match(await page.locator('#to-answer').getAttribute('aria-label'), /^Répondre\u00a0: /);
  assert.equal(await page.locator('#briefing summary').textContent(), "À propos de l'exercice\u00a0: votre groupe, règles, objectifs");
  assert.doesNotMatch(await textOf(page.locator('#new-inject, #waiting, #lobby h2, #to-answer')), /inject/i);
  for (const ws of [fac, ...others]) ws.close();
});

/// The body's size as sent with `Accept-Encoding: br, gzip` (the transfer on a phone).
function compressedSize(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'Accept-Encoding': 'br, gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c) => (n += c.length));
      res.on('end', () => resolve(n));
    }).on('error', reject);
  });
}

s.test('budget: the lobby loads in at most 6 requests and 60 KB of HTML, CSS and JS', async (t) => {
  const { ex, fac, others } = await dfsExercise();
  const page = await s.newPage('phone', PHONE);
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await joinPhone(page, ex.join_code, 'Fatou', ORG);
  await page.locator('#lobby').waitFor({ state: 'visible' });
  assert.ok(responses.length <= 6, `${responses.length} requests: ${responses.map((r) => new URL(r.url()).pathname).join(', ')}`);
  let bytes = 0;
  let wire = 0;
  const rows = [];
  for (const r of responses) {
    if (!['document', 'script', 'stylesheet'].includes(r.request().resourceType())) continue;
    const n = (await r.body()).length;
    const z = await compressedSize(r.url());
    bytes += n;
    wire += z;
    rows.push(`${new URL(r.url()).pathname} ${n} B (${z} B compressed)`);
  }
  t.diagnostic(`${responses.length} requests; HTML+CSS+JS ${bytes} B uncompressed, ${wire} B compressed: ${rows.join(', ')}`);
  assert.ok(bytes <= 60 * 1024, `${bytes} bytes: ${rows.join(', ')}`);
  for (const ws of [fac, ...others]) ws.close();
});
