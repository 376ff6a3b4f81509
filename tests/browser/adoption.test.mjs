// The shared screen's results and adoption board, and voting from phones (issue 11).
//
// The facilitator (over the websocket) accepts improvement items, opens the adoption
// board and puts it on the projector; two 360×740 phones choose their priorities (at
// most 3: a 4th box is disabled), the projector shows the counts live, a reloaded phone
// gets its choice back, and once voting closes the phones are read-only. Then a profile
// self-assessment on the projector: the room's radar and the sectors' heatmap, live, with
// no organisation, no name and no figure for a sector of fewer than 3 raters.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, eventually, joinViaLink, textOf, waitAttr, waitText } from './harness.mjs';
import { WsClient, facilitate, nextMsgId } from './wsclient.mjs';

const s = Suite.setup();
const PHONE = { width: 360, height: 740 };
const SCREEN = { width: 1920, height: 1080 };

/// The page has no horizontal scroll at its width.
async function noSideScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `horizontal scroll: ${scroll} > ${width}`);
}

/// The ids of the ticked boxes on a phone's board, in page order.
const ticked = (page) => page.locator('#adoption input[type=checkbox]:checked').evaluateAll((els) => els.map((e) => e.value));

/// The projector's counts: [item_id, votes] in page order.
const screenCounts = (page) =>
  page.locator('#view-adoption li.ad-item').evaluateAll((els) => els.map((e) => [e.dataset.itemId, Number(e.querySelector('.ad-count').textContent)]));

s.test('adoption board: phones choose up to 3 priorities, the projector counts them live, a reload keeps the choice, closing makes it read-only', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  let fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const items = [
    ['risk', 'No money figure for SIM-swap fraud', 'Put it in the register with an owner', 'Central Bank'],
    ['risk', 'Fraud losses are not reported to the board', 'Quarterly report with the loss figures', 'BaobabPay'],
    ['protection', 'Partner API keys never rotate', 'Rotate quarterly, limit by amount', 'BaobabPay'],
    ['incident', 'Nobody declares a national incident', 'Name who declares, at which severity', 'National CSIRT'],
  ];
  const ids = [];
  for (const [group_id, issue, corrective_action, responsible_org] of items) {
    const m = await fac.command({
      type: 'accept_improvement',
      item: { issue, corrective_action, group_id, capability: 'planning', responsible_org, owner: '', due: '' },
    }, (x) => x.type === 'improvement' && x.item.issue === issue);
    ids.push(m.item_id);
  }

  const screen = await s.newPage('projector', { viewport: SCREEN });
  await screen.goto(`${s.base}/projector?code=${ex.join_code}`);
  await waitText(screen.locator('#join-code'), ex.join_code);
  await waitAttr(screen.locator('#projector'), 'data-view', 'play');

  // Two phones, the second in French; every frame the phones receive is kept (no counts).
  const frames = [];
  const phone = async (name, locale) => {
    const page = await s.newPage(name, { viewport: PHONE, locale });
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await joinViaLink(page, s.base, ex.join_code, name);
    return page;
  };
  const awa = await phone('Awa', 'en-GB');
  const bako = await phone('Bako', 'fr-FR');
  assert.equal(await awa.locator('#adoption').count(), 0, 'no board on the phones before it opens');

  await fac.command({ type: 'open_adoption', client_msg_id: nextMsgId() }, (m) => m.type === 'adoption' && m.state === 'open');
  await fac.command({ type: 'show_on_projector', view: 'adoption', client_msg_id: nextMsgId() }, (m) => m.type === 'showing' && m.view === 'adoption');

  // The projector: the board, how to vote, and the join code still in a corner.
  await waitAttr(screen.locator('#projector'), 'data-view', 'adoption');
  await waitText(screen.locator('#adoption-title'), 'Priorities for adoption');
  await waitText(screen.locator('#adoption-howto'), 'Choose up to 3 priorities on your phone');
  await waitText(screen.locator('#adoption-voters'), '0 participants voted');
  assert.ok(await screen.locator('#join-code').isVisible(), 'the join code stays on screen while the exercise runs');
  assert.equal(await screen.locator('#current-title').isVisible(), false, 'the play view is not shown');
  assert.deepEqual(
    await screen.locator('#view-adoption section.ad-domain h2').allTextContents(),
    ['Risk management', 'Protection', 'Incident response'],
  );

  // Awa: by domain, one box per item, large tap targets; picks 3, the 4th is disabled.
  const board = awa.locator('#adoption');
  await board.waitFor({ state: 'visible' });
  await waitText(board.locator('#ad-title'), 'Priorities for adoption');
  assert.equal(await board.locator('input[type=checkbox]').count(), 4);
  assert.equal(await board.locator('fieldset.ad-domain').count(), 3);
  const tap = await board.locator('label.ad-choice').first().boundingBox();
  assert.ok(tap.height >= 44 && tap.width >= 280, `a choice is a large tap target: ${JSON.stringify(tap)}`);
  const box = (page, id) => page.locator(`#adoption input[type=checkbox][value="${id}"]`);
  assert.equal(await awa.locator('#ad-send').isDisabled(), true, 'nothing to send yet');
  for (const id of [ids[0], ids[2], ids[3]]) await box(awa, id).check();
  await waitText(board.locator('#ad-count'), 'Chosen: 3 of 3');
  assert.equal(await box(awa, ids[1]).isDisabled(), true, 'a 4th box is disabled');
  await waitText(board.locator('#ad-full'), 'Untick one to choose another');
  await waitAttr(board.locator('#ad-status'), 'data-state', 'draft');
  await box(awa, ids[1]).click({ force: true }).catch(() => {});
  assert.equal(await box(awa, ids[1]).isChecked(), false, 'the disabled box cannot be ticked');
  await awa.locator('#ad-send').click();
  await waitAttr(board.locator('#ad-status'), 'data-state', 'sent');
  await waitText(board.locator('#ad-status'), 'Sent ✓');
  await noSideScroll(awa);

  // Bako, in French: one priority.
  const bBoard = bako.locator('#adoption');
  await waitText(bBoard.locator('#ad-title'), "Priorités pour l'adoption");
  await box(bako, ids[2]).check();
  await waitText(bBoard.locator('#ad-status'), 'Pas encore envoyé');
  await bako.locator('#ad-send').click();
  await waitText(bBoard.locator('#ad-status'), 'Envoyé ✓');
  await noSideScroll(bako);

  // The projector counts them, most votes first within a domain.
  await waitText(screen.locator('#adoption-voters'), '2 participants voted');
  await eventually(async () => assert.deepEqual(await screenCounts(screen), [[ids[0], 1], [ids[1], 0], [ids[2], 2], [ids[3], 1]]));
  await waitAttr(screen.locator(`li.ad-item[data-item-id="${ids[2]}"]`), 'data-rank', '1');
  assert.doesNotMatch(await textOf(screen.locator('body')), /Awa|Bako/, 'no voter named on the shared screen');
  await screen.screenshot({ path: path.join(SCREENSHOTS, 'projector-adoption.png') });
  await awa.evaluate(() => window.scrollTo(0, 0));
  await awa.screenshot({ path: path.join(SCREENSHOTS, 'phone-adoption.png'), fullPage: true });

  // A change on the screen reorders the domain: Bako now prefers the second risk item.
  await box(bako, ids[2]).uncheck();
  await box(bako, ids[1]).check();
  await bako.locator('#ad-send').click();
  await waitText(bBoard.locator('#ad-status'), 'Envoyé ✓');
  // (a tie keeps the server's order: by responsible organisation)
  await eventually(async () => assert.deepEqual(await screenCounts(screen), [[ids[1], 1], [ids[0], 1], [ids[2], 1], [ids[3], 1]]));

  // Reload Awa with nothing on the phone: the server's `mine` restores the choice.
  await awa.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tt.adopt.')).forEach((k) => localStorage.removeItem(k)));
  await awa.reload();
  await waitAttr(awa.locator('#conn'), 'data-state', 'online');
  await eventually(async () => assert.deepEqual((await ticked(awa)).sort(), [ids[0], ids[2], ids[3]].sort()));
  await waitText(awa.locator('#ad-status'), 'Sent ✓');

  // An unsent change is kept on the phone over a reload, and said to be unsent.
  await box(bako, ids[1]).uncheck();
  await box(bako, ids[3]).check();
  await bako.reload();
  await waitAttr(bako.locator('#conn'), 'data-state', 'online');
  await eventually(async () => assert.deepEqual(await ticked(bako), [ids[3]]));
  await waitText(bako.locator('#ad-status'), 'Pas encore envoyé');
  assert.equal(await bako.locator('#ad-send').isEnabled(), true);

  // Sent while the server is down: kept on the phone, sent again once it is back.
  await s.server.stop();
  await waitAttr(bako.locator('#conn'), 'data-state', 'offline');
  await bako.locator('#ad-send').click();
  await waitAttr(bako.locator('#ad-status'), 'data-state', 'sending');
  assert.equal(await box(bako, ids[0]).isDisabled(), true, 'no change while a send is in flight');
  await s.server.start();
  await waitAttr(bako.locator('#conn'), 'data-state', 'online', { timeout: 20_000 });
  await waitText(bako.locator('#ad-status'), 'Envoyé ✓');
  fac.close();
  fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await eventually(async () => assert.deepEqual(await screenCounts(screen), [[ids[0], 1], [ids[1], 0], [ids[2], 1], [ids[3], 2]]), { timeout: 20_000 });
  // Then a change not sent before voting closes.
  await box(bako, ids[3]).uncheck();
  await box(bako, ids[1]).check();

  // Below everything while play runs; on top once play has ended (voting is what is left).
  const firstOrLast = (page) => page.locator('#adoption').evaluate((el) =>
    [el.parentElement.firstElementChild === el, el.parentElement.lastElementChild === el]);
  await fac.start();
  assert.deepEqual(await firstOrLast(awa), [false, true]);
  await fac.end();
  await waitAttr(awa.locator('#clock'), 'data-state', 'ended');
  await eventually(async () => assert.deepEqual(await firstOrLast(awa), [true, false]));
  await eventually(async () => assert.equal(await screen.locator('.join').isVisible(), false, 'nobody can join once play has ended'));

  // Closing: read-only phones (the server's choice, not the unsent one), the screen says so.
  await fac.command({ type: 'close_adoption', client_msg_id: nextMsgId() }, (m) => m.type === 'adoption' && m.state === 'closed');
  await waitText(awa.locator('#adoption .ad-closed'), 'Voting is closed');
  await eventually(async () => assert.equal(await awa.locator('#adoption input[type=checkbox]:enabled').count(), 0));
  assert.equal(await awa.locator('#ad-send').count(), 0, 'no send button once closed');
  assert.deepEqual((await ticked(awa)).sort(), [ids[0], ids[2], ids[3]].sort());
  await waitText(bako.locator('#adoption .ad-closed'), 'Le vote est clos');
  await eventually(async () => assert.deepEqual(await ticked(bako), [ids[3]]), { message: "the server's choice, not the unsent one" });
  await waitText(bako.locator('#adoption .error'), "Votre dernier choix n'est pas parvenu au serveur");
  await noSideScroll(bako);
  await bako.evaluate(() => window.scrollTo(0, 0));
  await bako.screenshot({ path: path.join(SCREENSHOTS, 'phone-adoption-closed-fr.png'), fullPage: true });
  await waitText(screen.locator('#adoption-state'), 'Voting is closed');
  assert.equal(await screen.locator('#adoption-howto').count(), 0, 'no "how to vote" once closed');

  // The phones never got a vote count.
  assert.ok(frames.some((f) => f.includes('"adoption"')), 'the phones got the board');
  assert.deepEqual(frames.filter((f) => /"votes"|"voters"/.test(f)), [], 'no counts sent to phones');
  fac.close();
});

/// A participant over the websocket who joins with an organisation and sector and rates
/// every statement `score`.
async function rater(base, joinCode, name, organisation, sector, score) {
  const ws = await WsClient.connect(base);
  ws.send({ type: 'join', join_code: joinCode, name, organisation, sector });
  const w = await ws.expect('welcome');
  const scores = Object.fromEntries(w.self_assessment.statements.map((st) => [st.id, score]));
  const id = nextMsgId('sa');
  ws.send({ type: 'self_assess', scores, client_msg_id: id });
  const reply = await ws.waitFor((m) => (m.type === 'ack' || m.type === 'error') && m.client_msg_id === id);
  assert.equal(reply.type, 'ack', JSON.stringify(reply));
  return ws;
}

/// The heatmap's cells of a row, read from the image's SVG: [label, ...cell texts].
const heatmapRow = (page, label) => page.locator('#results-heatmap').evaluate((img, label) => {
  const svg = decodeURIComponent(img.getAttribute('src').replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
  const texts = [...new DOMParser().parseFromString(svg, 'image/svg+xml').querySelectorAll('text')].map((t) => t.textContent);
  const i = texts.indexOf(label);
  return i < 0 ? null : texts.slice(i, i + 7);
}, label);

s.test('profile results on the projector: the radar and heatmap, live, no organisation, no name, no figure for a sector of 1', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const screen = await s.newPage('projector', { viewport: SCREEN });
  await screen.goto(`${s.base}/projector?code=${ex.join_code}`);
  await waitText(screen.locator('#join-code'), ex.join_code);
  await fac.command({ type: 'open_self_assessment', client_msg_id: nextMsgId() }, (m) => m.type === 'self_assessment_results' && m.state === 'open');
  await fac.command({ type: 'show_on_projector', view: 'results', client_msg_id: nextMsgId() }, (m) => m.type === 'showing' && m.view === 'results');
  await waitAttr(screen.locator('#projector'), 'data-view', 'results');
  await waitText(screen.locator('#results-raters'), '0 raters');
  await waitText(screen.locator('#results-small-cell'), 'Groups of fewer than 3 raters are not shown');

  // Seven raters in three sectors; the fintech sector has one.
  const people = [
    ['Awa Ceesay', 'Central Bank of The Gambia', 'central-bank', 4],
    ['Bako Jallow', 'Central Bank of The Gambia', 'central-bank', 3],
    ['Codou Sarr', 'Central Bank of The Gambia', 'central-bank', 4],
    ['Demba Njie', 'Kora Pay', 'emoney', 2],
    ['Ebrima Touray', 'Kora Pay', 'emoney', 3],
    ['Fatou Bojang', 'Xalam Wallet', 'emoney', 2],
    ['Gibril Secka', 'Djembe Reserve', 'fintech', 5],
  ];
  const sockets = [];
  for (const [name, org, sector, score] of people) sockets.push(await rater(s.base, ex.join_code, name, org, sector, score));

  // Live: the count follows, the charts are images that loaded.
  await waitText(screen.locator('#results-raters'), '7 raters');
  for (const id of ['#results-radar', '#results-heatmap']) {
    const img = screen.locator(id);
    assert.match(await img.getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    await eventually(async () => assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), `${id} loaded`));
  }
  // Big enough to read on a shared screen: the charts drawn larger than their natural size
  // (the radar's 12px labels at least 15px at 1920×1080, at least 12px at 1280×720).
  const drawn = (id) => screen.locator(id).evaluate((i) => Math.min(i.clientWidth / i.naturalWidth, i.clientHeight / i.naturalHeight));
  assert.ok(await drawn('#results-radar') >= 1.3, `radar drawn at ${await drawn('#results-radar')}×`);
  assert.ok(await drawn('#results-heatmap') >= 1.8, `heatmap drawn at ${await drawn('#results-heatmap')}×`);
  const bottom = await screen.locator('#results-heatmap').evaluate((i) => i.getBoundingClientRect().bottom);
  assert.ok(bottom <= SCREEN.height, `the heatmap is on screen: bottom at ${bottom}`);

  // The sectors of 3 show figures; the sector of 1 shows none, only "<3".
  await eventually(async () => {
    const cb = await heatmapRow(screen, 'Central bank');
    assert.deepEqual(cb, ['Central bank', '3.7', '3.7', '3.7', '3.7', '3.7', '3.7']);
  });
  assert.deepEqual(await heatmapRow(screen, 'Mobile-money / e-money issuer'), ['Mobile-money / e-money issuer', '2.3', '2.3', '2.3', '2.3', '2.3', '2.3']);
  assert.deepEqual(await heatmapRow(screen, 'Fintech / payment service provider'), ['Fintech / payment service provider', '<3', '<3', '<3', '<3', '<3', '<3']);
  assert.ok(!(await heatmapRow(screen, 'Fintech / payment service provider')).some((c) => /\d\.\d/.test(c)));

  // No organisation and no participant anywhere: text, image sources (the SVG), alt texts.
  const everything = await screen.evaluate(() => [document.body.innerText, document.body.textContent,
    ...[...document.images].flatMap((i) => [decodeURIComponent(i.src), i.alt])].join('\n'));
  for (const [name, org] of people) {
    assert.ok(!everything.includes(org), `the projector shows the organisation ${org}`);
    for (const part of name.split(' ')) assert.ok(!everything.includes(part), `the projector shows the name ${name}`);
  }
  await screen.screenshot({ path: path.join(SCREENSHOTS, 'projector-results.png') });
  await screen.setViewportSize({ width: 1280, height: 720 });
  await eventually(async () => assert.ok(await drawn('#results-radar') >= 1.0, `radar drawn at ${await drawn('#results-radar')}× at 1280×720`));
  assert.ok(await screen.locator('#results-heatmap').evaluate((i) => i.getBoundingClientRect().bottom) <= 720, 'the heatmap is on screen at 1280×720');
  await screen.screenshot({ path: path.join(SCREENSHOTS, 'projector-results-1280x720.png') });

  // Back to play: the inject view, the results gone from the page.
  await fac.command({ type: 'show_on_projector', view: 'play', client_msg_id: nextMsgId() }, (m) => m.type === 'showing' && m.view === 'play');
  await waitAttr(screen.locator('#projector'), 'data-view', 'play');
  assert.equal(await screen.locator('#results-radar').count(), 0);
  assert.ok(await screen.locator('#qr').isVisible());
  for (const ws of [fac, ...sockets]) ws.close();
});

s.test('group-mode results on the projector: a bar per group, "fewer than 3 raters" under 3', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  await fac.command({ type: 'open_self_assessment', client_msg_id: nextMsgId() }, (m) => m.type === 'self_assessment_results' && m.state === 'open');
  const sockets = [];
  const byGroup = new Map();
  // Join until one group has 3 raters; every other group keeps fewer.
  for (let i = 0; i < 30; i++) {
    const ws = await WsClient.connect(s.base);
    ws.send({ type: 'join', join_code: ex.join_code, name: `Rater ${i}` });
    const w = await ws.expect('welcome');
    sockets.push(ws);
    const g = w.group.id;
    const n = byGroup.get(g) ?? 0;
    if (!w.self_assessment || n >= 3) continue;
    byGroup.set(g, n + 1);
    const id = nextMsgId('sa');
    ws.send({ type: 'self_assess', scores: Object.fromEntries(w.self_assessment.statements.map((st) => [st.id, 4])), client_msg_id: id });
    await ws.expect('ack', (m) => m.client_msg_id === id);
    if (n + 1 === 3) break;
  }
  const full = [...byGroup].find(([, n]) => n === 3)?.[0];
  assert.ok(full, `one group has 3 raters: ${JSON.stringify([...byGroup])}`);
  const small = [...byGroup].find(([, n]) => n < 3)?.[0];

  const screen = await s.newPage('projector', { viewport: { width: 1280, height: 720 } });
  await screen.goto(`${s.base}/projector?code=${ex.join_code}`);
  await fac.command({ type: 'show_on_projector', view: 'results', client_msg_id: nextMsgId() }, (m) => m.type === 'showing' && m.view === 'results');
  await waitAttr(screen.locator('#projector'), 'data-view', 'results');
  await waitText(screen.locator(`#results-groups li[data-group-id="${full}"] .bar-value`), '4.0 / 5');
  if (small) await waitText(screen.locator(`#results-groups li[data-group-id="${small}"] .bar-value`), 'fewer than 3 raters');
  assert.equal(await screen.locator('#results-radar').count(), 0, 'no chart in group mode');
  assert.doesNotMatch(await textOf(screen.locator('body')), /Rater \d/);
  for (const ws of [fac, ...sockets]) ws.close();
});

s.test('a long adoption board (16 items) fits the shared screen at 1920×1080 and 1280×720, most votes ranked', async () => {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const groups = ['risk', 'governance', 'testing', 'training', 'protection', 'incident'];
  const ids = [];
  for (let i = 0; i < 16; i++) {
    const issue = `Gap ${i}: something fairly long that the exercise showed was missing or did not work`;
    const m = await fac.command({ type: 'accept_improvement', item: { issue, corrective_action: 'A corrective action that is also rather long and wordy, to see how it wraps', group_id: groups[i % 6], capability: 'planning', responsible_org: `Org ${i}`, owner: '', due: '' } },
      (x) => x.type === 'improvement' && x.item.issue === issue);
    ids.push(m.item_id);
  }
  await fac.command({ type: 'open_adoption', client_msg_id: nextMsgId() }, (m) => m.type === 'adoption' && m.state === 'open');
  await fac.command({ type: 'show_on_projector', view: 'adoption', client_msg_id: nextMsgId() }, (m) => m.type === 'showing' && m.view === 'adoption');
  const voters = [];
  for (let i = 0; i < 5; i++) {
    const ws = await WsClient.connect(s.base);
    ws.send({ type: 'join', join_code: ex.join_code, name: `Voter ${i}` });
    await ws.expect('welcome');
    const id = nextMsgId();
    ws.send({ type: 'vote_priorities', item_ids: [ids[i], ids[i + 1], ids[7]], client_msg_id: id });
    await ws.expect('ack', (m) => m.client_msg_id === id);
    voters.push(ws);
  }
  for (const viewport of [SCREEN, { width: 1280, height: 720 }]) {
    const screen = await s.newPage(`projector-${viewport.width}`, { viewport });
    await screen.goto(`${s.base}/projector?code=${ex.join_code}`);
    await waitText(screen.locator('#adoption-voters'), '5 participants voted');
    assert.equal(await screen.locator('li.ad-item').count(), 16);
    await waitAttr(screen.locator(`li.ad-item[data-item-id="${ids[7]}"]`), 'data-rank', '1');
    const [height, inner] = await screen.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight]);
    assert.ok(height <= inner + 1, `the board fits the screen at ${viewport.width}×${viewport.height}: ${height} > ${inner}`);
    assert.ok(await screen.locator('#join-code').isVisible());
  }
  for (const ws of [fac, ...voters]) ws.close();
});
