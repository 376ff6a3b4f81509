// The shared screen: join code and QR code for the room, the current inject, the
// answer progress — and never a secret (facilitator key, admin token) in anything it
// loads or receives.

import assert from 'node:assert/strict';
import { Suite, eventually, openConsole, textOf, waitAttr, waitText } from './harness.mjs';
import { facilitate, joinParticipant } from './wsclient.mjs';

const s = Suite.setup();

const normalize = (code) => code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();

s.test('the projector shows the join code, a QR code that loads, the current inject, and no secret', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const secrets = { facilitator_key: ex.facilitator_key, admin_token: s.server.adminToken };
  const page = await s.newPage('projector', { viewport: { width: 1280, height: 720 } });

  // Everything the page loads or receives, to search for secrets.
  const loaded = []; // {what, text}
  const pending = [];
  page.on('request', (r) => loaded.push({ what: `request ${r.url()}`, text: `${r.url()}\n${r.postData() ?? ''}` }));
  page.on('response', (r) =>
    pending.push(
      r
        .body()
        .then((b) => loaded.push({ what: `response ${r.url()}`, text: `${JSON.stringify(r.headers())}\n${b.toString('utf8')}` }))
        .catch(() => {}),
    ),
  );
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => loaded.push({ what: `ws ← ${ws.url()}`, text: String(f.payload) }));
    ws.on('framesent', (f) => loaded.push({ what: `ws → ${ws.url()}`, text: String(f.payload) }));
  });

  await page.goto(`${s.base}/projector?code=${ex.join_code}`);
  await waitText(page.locator('#join-code'), /\S/);
  assert.equal(normalize(await textOf(page.locator('#join-code'))), ex.join_code);
  await waitText(page.locator('#join-url'), `/join/${ex.join_code}`);
  assert.ok((await textOf(page.locator('#join-url'))).includes(`127.0.0.1:${s.server.port}`), 'the join URL names this server');

  // The QR code: an image served by the server that the browser decoded.
  const qr = page.locator('img#qr');
  assert.equal(new URL(await qr.getAttribute('src'), s.base).pathname, `/qr/${ex.join_code}`);
  await page.waitForFunction(() => {
    const img = document.querySelector('img#qr');
    return img && img.complete && img.naturalWidth > 0;
  });
  assert.ok(await qr.isVisible(), 'the QR code is visible');
  const qrRes = await s.server.api(`/qr/${ex.join_code}`);
  assert.equal(qrRes.status, 200);
  assert.match(qrRes.headers.get('content-type') ?? '', /^image\/svg\+xml/);
  assert.match(qrRes.body, /<svg[\s>]/);
  // Any well-formed code gets its QR code (no oracle of which codes exist, ended or not);
  // a malformed one is a 404.
  assert.equal((await s.server.api('/qr/NOSUCHCD')).status, 200, 'a well-formed code, known or not');
  assert.equal((await s.server.api('/qr/no.such')).status, 404, 'no QR code for a malformed code');

  // It follows the exercise: the current inject and how many groups answered it.
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const risk = await joinParticipant(s.base, ex.join_code, 'Efua');
  await fac.start();
  await waitAttr(page.locator('#clock'), 'data-state', 'running');
  await waitText(page.locator('#current-title'), 'First alert');
  await waitText(page.locator('#current-body'), 'Forty customers report emptied wallets');
  const before = await textOf(page.locator('#progress'));
  await risk.respond('first-alert', 'Projector progress check');
  await eventually(async () => {
    const now = await textOf(page.locator('#progress'));
    assert.notEqual(now, before, 'progress changes after an answer');
    assert.match(now, /\b1\b/, 'one group answered');
  });
  await fac.release('partner-api');
  await waitText(page.locator('#current-title'), 'Partner API abuse');

  // Public only: no facilitator notes, expected actions or questions on the shared screen.
  const html = await page.content();
  for (const hidden of ['Rehearsal: check every group', 'Activate the incident plan', 'Rotate the key',
    'Only risk and incident get this one', 'Where does this partner sit']) {
    assert.ok(!html.includes(hidden), `the projector shows facilitator-only text: ${hidden}`);
  }

  // No secret anywhere: page HTML, every response (headers + body), every frame, storage.
  await Promise.all(pending);
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  const everything = [
    { what: 'page HTML', text: html },
    { what: 'storage', text: storage },
    { what: 'page URL', text: page.url() },
    ...loaded,
  ];
  assert.ok(loaded.some((l) => l.what.startsWith('ws ←')), 'the projector receives live pushes');
  for (const [name, secret] of Object.entries(secrets)) {
    const leaks = everything.filter((l) => l.text.includes(secret)).map((l) => l.what);
    assert.deepEqual(leaks, [], `the ${name} leaked to the projector`);
  }
  fac.close();
  risk.close();
});

s.test('the console’s join, projector and debrief links carry no secret', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const page = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await openConsole(page, s.base, s.server.adminToken, ex.exercise_id);
  await waitText(page.locator('#console #join-code'), /\S/);
  assert.equal(normalize(await textOf(page.locator('#console #join-code'))), ex.join_code);

  const links = {};
  for (const id of ['join-link', 'projector-link', 'debrief-link']) {
    const href = await page.locator(`a#${id}`).getAttribute('href');
    assert.ok(href, `a#${id} has an href`);
    links[id] = new URL(href, s.base);
    for (const secret of [ex.facilitator_key, s.server.adminToken]) {
      assert.ok(!links[id].href.includes(secret), `a#${id} carries a secret: ${links[id].href}`);
    }
  }
  assert.equal(links['join-link'].pathname, `/join/${ex.join_code}`);
  assert.equal(links['projector-link'].pathname, '/projector');
  assert.equal(normalize(links['projector-link'].searchParams.get('code') ?? ''), ex.join_code);
  assert.equal(links['debrief-link'].pathname, '/debrief');
  assert.equal(links['debrief-link'].searchParams.get('exercise'), ex.exercise_id);
});

s.test('the console takes the admin token out of the address bar (history, screen sharing)', async () => {
  const page = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await page.goto(`${s.base}/facilitator?token=${encodeURIComponent(s.server.adminToken)}`);
  await page.locator('#scenarios button.scenario').first().waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('tt.admin')), s.server.adminToken);
  await eventually(async () => assert.ok(!page.url().includes(s.server.adminToken), `token still in the URL: ${page.url()}`));
});
