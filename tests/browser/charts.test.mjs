// The report's charts, looked at: a DFS exercise with a profile self-assessment (nine
// participants from three organisations in three sectors rate all six domains) and a
// few answers, on time, late and missing. The HTML report is opened in the browser and
// each chart is screenshot to target/screenshots/ (chart-radar.png, chart-heatmap.png,
// chart-responses.png), then the cover as printed (print media: report-cover-print.png)
// and the whole report as the browser saves it as PDF (report-print.pdf).
// The debrief page shows the responses chart as an image; its PDF button, on this
// server without Chromium, opens the report's print view with the one-line hint.
//
// This file's server runs with a PATH that has no Chromium on it (the harness passes no
// --chromium), so the PDF export answers 501 pdf_unavailable: the fallback path. The
// test's own browser is started by path and does not need PATH.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS, Suite, textOf, waitText } from './harness.mjs';
import { WsClient, ask, facilitate } from './wsclient.mjs';

process.env.PATH = '/nonexistent-no-chromium-here';

const s = Suite.setup();

/// (name, organisation, sector): three sectors of three raters each, so the report
/// (attributed by group, cells under three raters withheld) has a figure per sector.
const ROOM = [
  ['Awa', 'BaobabPay', 'emoney'], ['Bako', 'BaobabPay', 'emoney'], ['Codou', 'BaobabPay', 'emoney'],
  ['Demba', 'Atlantic Cell', 'mno'], ['Ebou', 'Atlantic Cell', 'mno'], ['Fanta', 'Atlantic Cell', 'mno'],
  ['Haddy', 'Central Bank', 'central-bank'], ['Isatou', 'Central Bank', 'central-bank'],
  ['Jainaba', 'Central Bank', 'central-bank'],
];

async function join(base, code, [name, organisation, sector]) {
  const ws = await WsClient.connect(base);
  ws.send({ type: 'join', join_code: code, name, organisation, sector });
  ws.welcome = await ws.expect('welcome');
  return ws;
}


/// Plays the exercise from the test side; resolves with {ex, people}.
async function play() {
  const ex = await s.server.createExercise('dfs-salary-tide');
  const fac = await facilitate(s.base, ex.exercise_id, ex.facilitator_key);
  const people = [];
  for (const who of ROOM) people.push(await join(s.base, ex.join_code, who));
  await fac.start();
  const first = (await people[0].expect('inject')).inject_id;
  // Four answer the first inject on time; one answers it after the next inject.
  for (const p of people.slice(0, 4)) await ask(p, { type: 'respond', inject_id: first, text: `On it (${p.welcome.group.name})` });
  await fac.release('inside-help');
  await fac.release('partner-api-abuse');
  // The scenario sends inside-help to these groups, partner-api-abuse to those.
  const late = people.slice(4).find((p) => ['protection', 'governance', 'training'].includes(p.welcome.group.id));
  assert.ok(late, 'someone who did not answer yet was sent inside-help');
  await late.expect('inject', (m) => m.inject_id === 'inside-help');
  await ask(late, { type: 'respond', inject_id: first, text: 'Late, but here' });
  const api = people.find((p) => ['protection', 'risk', 'testing', 'incident'].includes(p.welcome.group.id));
  await api.expect('inject', (m) => m.inject_id === 'partner-api-abuse');
  await ask(api, { type: 'respond', inject_id: 'partner-api-abuse', text: 'Rotate the keys' });

  // The profile: everyone rates every statement (scores spread 1–5, a few "don't know").
  await ask(fac, { type: 'open_self_assessment' });
  for (const [i, p] of people.entries()) {
    await p.expect('self_assessment');
    const sa = p.welcome.self_assessment.statements;
    const scores = {};
    const dontKnow = [];
    sa.forEach((st, j) => {
      const x = (i * 7 + j * 3 + i * j) % 11;
      if (x === 10) dontKnow.push(st.id);
      else scores[st.id] = 1 + (x % 5);
    });
    await ask(p, { type: 'self_assess', scores, dont_know: dontKnow });
  }
  await fac.end();
  for (const ws of [fac, ...people]) ws.close();
  return ex;
}

s.test('each chart of the report, screenshot; the print cover; the debrief chart and the PDF fallback', async () => {
  const ex = await play();

  // The HTML report, as downloaded, opened in the browser (no server origin, as from disk).
  const r = await s.server.api(`/api/exercises/${ex.exercise_id}/export?format=html`, { token: ex.facilitator_key });
  assert.equal(r.status, 200);
  const page = await s.newPage('report', { viewport: { width: 1100, height: 900 } });
  await page.setContent(r.body, { waitUntil: 'load' });
  const shots = { radar: 'chart-radar.png', heatmap: 'chart-heatmap.png', responses: 'chart-responses.png' };
  for (const [chart, file] of Object.entries(shots)) {
    const svg = page.locator(`svg.chart.${chart}`);
    assert.equal(await svg.count(), 1, `one ${chart} chart in the report`);
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.ok((await textOf(svg.locator('title'))).length > 0, `the ${chart} has a title`);
    const box = await svg.boundingBox();
    assert.ok(box.width > 300 && box.height > 100, `${chart} is drawn: ${JSON.stringify(box)}`);
    await svg.screenshot({ path: path.join(SCREENSHOTS, file) });
  }
  // The responses chart reads in black and white: words in the cells, a legend.
  const grid = page.locator('svg.chart.responses');
  for (const word of ['on time', 'late', 'none', 'answered on time', 'not sent to this group']) {
    assert.ok((await grid.textContent()).includes(word), `the responses chart says "${word}"`);
  }
  assert.ok(!(await page.content()).includes('Awa'), 'attributed by group: no name in the report');

  // The cover as printed: a page of its own with the marking and the organiser.
  await page.emulateMedia({ media: 'print' });
  const cover = page.locator('header.cover');
  await waitText(cover.locator('.marking'), 'TLP:AMBER');
  await waitText(cover, 'Telecom Regulator, with ITU');
  await waitText(cover, 'non-attributional');
  const coverBox = await cover.boundingBox();
  assert.ok(coverBox.height > 700, `the printed cover fills its page: ${coverBox.height}px`);
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await cover.screenshot({ path: path.join(SCREENSHOTS, 'report-cover-print.png') });
  // The whole report as the browser's Save as PDF makes it (target/screenshots/report-print.pdf, to look at).
  const pdf = await page.pdf({ path: path.join(SCREENSHOTS, 'report-print.pdf'), preferCSSPageSize: true });
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  await page.emulateMedia({ media: 'screen' });
  assert.ok((await cover.boundingBox()).height < 400, 'on screen the cover is the report head, not a page');

  // The debrief page: the responses chart as an image, and the PDF button's fallback.
  const debrief = await s.newPage('debrief', { viewport: { width: 1366, height: 900 } });
  await debrief.goto(`${s.base}/debrief?exercise=${ex.exercise_id}`);
  await debrief.locator('#key').fill(ex.facilitator_key);
  await debrief.locator('#key-submit').click();
  const img = debrief.locator('#responses-chart');
  await img.waitFor({ state: 'visible' });
  await debrief.waitForFunction(() => document.getElementById('responses-chart').naturalWidth > 0);
  assert.match(await img.getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,/);
  assert.match(await img.getAttribute('alt'), /answered on time \d+, answered late \d+/);
  await img.screenshot({ path: path.join(SCREENSHOTS, 'debrief-responses.png') });
  // The maturity profile: the server's radar and heatmap, as images.
  for (const id of ['profile-radar', 'profile-heatmap']) {
    await debrief.waitForFunction((id) => document.getElementById(id).naturalWidth > 0, id);
    assert.match(await debrief.locator(`#${id}`).getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,/);
  }
  await debrief.locator('#profile-summary').screenshot({ path: path.join(SCREENSHOTS, 'debrief-profile.png') });
  await debrief.screenshot({ path: path.join(SCREENSHOTS, 'debrief-with-chart.png'), fullPage: true });

  await debrief.locator('button.export[data-format="pdf"]').click();
  const view = debrief.locator('#print-view');
  await view.waitFor({ state: 'visible' });
  await waitText(debrief.locator('#print-hint'), "Use your browser's Print → Save as PDF");
  await waitText(debrief.locator('#export-status'), 'Save as PDF');
  assert.equal(await debrief.locator('#export-status').getAttribute('data-state'), 'done', 'a hint, not an error');
  const frame = debrief.frameLocator('#print-frame');
  await waitText(frame.locator('header.cover h1'), 'Salary Tide');
  // The report's stylesheet applies inside the print view (the page's CSP allows no
  // inline style; a constructed stylesheet carries it).
  const h1Size = await frame.locator('header.cover h1').evaluate((el) => getComputedStyle(el).fontSize);
  assert.notEqual(h1Size, '32px', `the report's own h1 size, not the browser default: ${h1Size}`);
  assert.ok(await frame.locator('svg.chart.responses').count(), 'the print view has the charts');
  await debrief.screenshot({ path: path.join(SCREENSHOTS, 'debrief-print-view.png') });
  await debrief.locator('#print-close').click();
  await view.waitFor({ state: 'hidden' });
});
