// The play clock on the three pages that show it (console, phone, projector): play time
// from the server's `clock` message, ticking at the exercise's speed while it runs and
// standing still while it is paused; the console's Start, Pause, Resume (sent as
// `resume_clock`) and speed drive it. Page time is Playwright's fake clock, moved by the
// test, so "it did not move while paused" is checked without waiting.

import assert from 'node:assert/strict';
import { Suite, joinViaLink, openConsole, textOf, waitAttr, waitText } from './harness.mjs';

const s = Suite.setup();

/// Play seconds in a clock's text (`… T+mm:ss` or `… T+h:mm:ss`).
function playSeconds(label) {
  const m = /T\+(?:(\d+):)?(\d\d):(\d\d)\b/.exec(label);
  assert.ok(m, `no play time in ${JSON.stringify(label)}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

s.test('the clock ticks at the exercise speed while running and stands still while paused, on every page', async () => {
  const ex = await s.server.createExercise('quick-demo');
  const fac = await s.newPage('facilitator', { viewport: { width: 1366, height: 768 } });
  const phone = await s.newPage('participant', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const proj = await s.newPage('projector', { viewport: { width: 1280, height: 720 } });
  const pages = { fac, phone, proj };
  // Fake timers and clocks from the start; time flows normally until `pauseAt`.
  for (const p of Object.values(pages)) await p.clock.install();
  const sentByConsole = [];
  fac.on('websocket', (ws) => ws.on('framesent', (f) => sentByConsole.push(String(f.payload))));

  await joinViaLink(phone, s.base, ex.join_code, 'Awa');
  await proj.goto(`${s.base}/projector?code=${ex.join_code}`);
  await waitAttr(proj.locator('#conn'), 'data-state', 'online');
  await openConsole(fac, s.base, s.server.adminToken, ex.exercise_id);

  const clockOf = (p) => p.locator('#clock');
  const clocks = async () => Object.fromEntries(
    await Promise.all(Object.entries(pages).map(async ([k, p]) => [k, await textOf(clockOf(p))])));
  const allIn = async (state) => {
    for (const p of Object.values(pages)) await waitAttr(clockOf(p), 'data-state', state);
  };
  /// Moves every page's time on by `ms` (firing the clock's ticks) and returns how many
  /// play seconds each page's clock moved.
  const advance = async (ms) => {
    const before = await clocks();
    for (const p of Object.values(pages)) await p.clock.runFor(ms);
    const after = await clocks();
    return Object.fromEntries(Object.keys(pages).map((k) => [k, playSeconds(after[k]) - playSeconds(before[k])]));
  };

  // The lobby: each page says so in its own words.
  await allIn('lobby');
  await waitText(clockOf(phone), 'Waiting to start');
  await waitText(clockOf(proj), 'Starting soon');
  await waitText(clockOf(fac), /^lobby T\+00:00$/);

  await fac.locator('#start').click();
  await allIn('running');
  await waitText(clockOf(phone), /^Running T\+\d\d:\d\d$/);
  await waitText(clockOf(proj), /^T\+\d\d:\d\d$/);
  await waitText(clockOf(fac), /^running T\+\d\d:\d\d$/);

  // From here page time moves only when the test moves it.
  for (const p of Object.values(pages)) await p.clock.pauseAt(await p.evaluate(() => Date.now() + 1000));

  // Running at 1×: a minute of page time is a minute of play time (give or take the
  // second the display ticks at).
  for (const [k, moved] of Object.entries(await advance(60_000))) {
    assert.ok(moved >= 59 && moved <= 61, `${k}: the running clock moved ${moved} s in 60 s`);
  }

  // Paused from the console: every page shows the play time the server paused at (the
  // server's play time, which only real time moved), and it stays.
  await fac.locator('#pause').click();
  await allIn('paused');
  await waitText(clockOf(phone), /^Paused T\+/);
  await waitText(clockOf(proj), /^paused T\+/);
  await waitText(clockOf(fac), /^paused T\+/);
  const paused = await clocks();
  const atPause = playSeconds(paused.fac);
  for (const [k, label] of Object.entries(paused)) {
    assert.ok(Math.abs(playSeconds(label) - atPause) <= 1, `${k} paused at ${label}, the console at ${paused.fac}`);
  }
  await advance(60_000);
  assert.deepEqual(await clocks(), paused, 'a paused clock stands still');

  // Resumed from the console (with `resume_clock`): it goes on from where it stood.
  await fac.locator('#resume').click();
  await allIn('running');
  assert.ok(sentByConsole.some((f) => JSON.parse(f).type === 'resume_clock'), `the console sent resume_clock: ${sentByConsole}`);
  const resumed = await clocks();
  for (const [k, label] of Object.entries(resumed)) {
    const d = playSeconds(label) - playSeconds(paused[k]);
    assert.ok(d >= 0 && d <= 1, `${k} resumed at ${label}, paused at ${paused[k]}`);
  }
  for (const [k, moved] of Object.entries(await advance(30_000))) {
    assert.ok(moved >= 29 && moved <= 31, `${k}: the resumed clock moved ${moved} s in 30 s`);
  }

  // At 60×, ten seconds of page time are ten minutes of play time (± the 60 s a tick is).
  await fac.locator('#speed').selectOption('60');
  await waitText(clockOf(fac), /· 60×$/);
  for (const [k, moved] of Object.entries(await advance(10_000))) {
    assert.ok(moved >= 540 && moved <= 660, `${k}: at 60× the clock moved ${moved} s in 10 s`);
  }
});
