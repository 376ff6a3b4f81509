// The facilitator's control of the room (issue 16): Lock joining beside the join code
// (a phone that tries to join is refused in plain words, one already in stays), and
// Remove on a member's row, after a confirm dialog: the member leaves the roster and
// their phone is sent back to the join form, told why. One browser.

import assert from 'node:assert/strict';
import { SCREENSHOTS, Suite, eventually, joinViaLink, openConsole, textOf, waitText } from './harness.mjs';
import { WsClient } from './wsclient.mjs';

const s = Suite.setup();

s.test('Lock joining refuses a newcomer and Remove, once confirmed, takes a member out of the room', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const phone = await s.newPage('phone', { viewport: { width: 390, height: 844 } });
  await joinViaLink(phone, s.base, ex.join_code, 'Awa Sarr');
  const row = fac.locator('#roster li.member', { hasText: 'Awa Sarr' });
  await row.waitFor({ state: 'visible' });

  const lock = fac.locator('#lock-joining');
  await waitText(lock, 'Lock joining');
  await lock.click();
  await waitText(lock, 'Unlock joining');
  await waitText(fac.locator('#joining-state'), /locked/);
  const late = await s.newPage('late phone', { viewport: { width: 390, height: 844 } });
  await late.goto(`${s.base}/join/${ex.join_code}`);
  await late.locator('#join-name').fill('Late Comer');
  await late.locator('#join-submit').click();
  await waitText(late.locator('#join-error'), /closed joining/);
  // The one already in is still there after a reload (a resume).
  await phone.reload();
  await phone.locator('#participant').waitFor({ state: 'visible' });
  await lock.click();
  await waitText(lock, 'Lock joining');
  await waitText(fac.locator('#joining-state'), '');

  // Remove: a dialog first; Cancel leaves them in, Remove takes them out.
  await row.locator('button.remove').click();
  const dialog = fac.locator('dialog.confirm-remove');
  await waitText(dialog.locator('h3'), 'Remove Awa Sarr?');
  await dialog.locator('button[value="cancel"]').click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await row.count(), 1);
  await row.locator('button.remove').click();
  await fac.locator('dialog.confirm-remove button.remove-confirm').click();
  await eventually(async () => assert.equal(await row.count(), 0));
  await waitText(fac.locator('#roster-status'), 'Awa Sarr was removed.');
  // The phone is closed out and told, back on the join form.
  await phone.locator('#join-form').waitFor({ state: 'visible' });
  await waitText(phone.locator('#join-error'), /removed you/);
  // A name that reads as a role is refused before anyone sees it.
  const ws = await WsClient.connect(s.base);
  ws.send({ type: 'join', join_code: ex.join_code, name: 'Facilitator' });
  const refused = await ws.waitFor((m) => m.type === 'error' || m.type === 'welcome', { what: 'a role name' });
  assert.equal(refused.code, 'invalid_text', 'a name that reads as a role is refused');
  ws.close();
  assert.ok(!(await textOf(fac.locator('#roster'))).includes('Awa Sarr'));
});

s.test('the storage banner shows while the server says commits fail and goes when they succeed again', async () => {
  // The server's side of this (a failing store pushes {"type":"storage","ok":false},
  // then ok:true once a commit succeeds) is tested over sockets in tests/faults.rs; the
  // binary cannot make its own disk fail, so here the pushes are added to the console's
  // real socket on their way in.
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  let toPage = null;
  await fac.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(m));
    toPage = (msg) => ws.send(JSON.stringify(msg));
  });
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);
  const banner = fac.locator('#storage-banner');
  assert.ok(!(await banner.isVisible()), 'no banner while commits succeed');
  toPage({ type: 'storage', ok: false });
  await banner.waitFor({ state: 'visible' });
  await waitText(banner, /Answers are not being saved/);
  assert.equal(await banner.getAttribute('role'), 'alert');
  await fac.screenshot({ path: `${SCREENSHOTS}/console-storage-banner.png` });
  toPage({ type: 'storage', ok: true });
  await banner.waitFor({ state: 'hidden' });
});
