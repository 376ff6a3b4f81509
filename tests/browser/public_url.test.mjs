// One public address (issue 15): a server started with --public-url gives that address in
// every link its pages show — the console's join link, the observer link, the shared
// screen's join address — while the pages themselves are opened at 127.0.0.1 (as behind
// a proxy or a tunnel). One browser.

import assert from 'node:assert/strict';
import { Suite, openConsole, textOf, waitText } from './harness.mjs';

const PUBLIC = 'https://tt.example.org';
const s = Suite.setup({ args: ['--public-url', `${PUBLIC}/`] });
const DESK = { viewport: { width: 1366, height: 768 } };

s.test('the console, its observer link and the shared screen give the public URL, not the address the page was opened at', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', DESK);
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);

  const join = fac.locator('#join-link');
  await waitText(join, `tt.example.org/join/${ex.join_code}`);
  assert.equal(await join.getAttribute('href'), `${PUBLIC}/join/${ex.join_code}`);

  // The observer link, too (the panel may start closed).
  const closed = fac.locator('details.panel:not([open]) > summary:visible');
  while (await closed.count()) await closed.first().click();
  await fac.locator('#observer-name').fill('Olu Evaluator');
  await fac.locator('#observer-add').click();
  const link = fac.locator('#observers li.observer', { hasText: 'Olu Evaluator' }).locator('input.observer-link');
  await link.waitFor({ state: 'visible' });
  const observer = new URL(await link.inputValue());
  assert.equal(observer.origin, PUBLIC);
  assert.equal(observer.pathname, '/facilitator');

  const screen = await s.newPage('projector', { viewport: { width: 1280, height: 720 } });
  await screen.goto(`${s.base}/projector?code=${ex.join_code}`);
  await waitText(screen.locator('#join-url'), `/join/${ex.join_code}`);
  assert.equal(await textOf(screen.locator('#join-url')), `${PUBLIC}/join/${ex.join_code}`);
  assert.ok(!(await textOf(screen.locator('#join-url'))).includes('127.0.0.1'));
});
