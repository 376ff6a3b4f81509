// console-authoring.js: the console's scenario authoring card, loaded on first use (a
// dynamic import, so the console's first load does not carry it). It uploads a file to
// POST /api/scenarios (check only), shows each problem as FILE:LINE:COL: message (as
// text), or the preview: one lane per group over play time (a block per inject at its
// T+, as wide as its answer window; long waits hatched), questions per group, idle gaps,
// objectives served or not, contingency injects and the lint warnings; then saves it
// (save=true) or reloads the scenarios folder. Every scenario text goes in as text.

import { $, h, text } from '/assets/ui.js';
import { w, num, errorText } from '/assets/console-words.js';

let pending = null; // {file, body}: the last valid upload, for Save

const mins = (m) => num(m, Number.isInteger(m) ? 0 : 1);
const pct = (m, total) => `${Math.max(0, Math.min(100, (m / total) * 100))}%`;

/** Places an element on a track (through the CSSOM: the CSP allows no style attribute). */
function place(el, left, width) {
  el.style.left = left;
  if (width) el.style.width = width;
  return el;
}

/** A POST with the admin token; resolves with {status, body} (never throws on 4xx). */
async function post(path, token, body) {
  const res = await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/** A refusal: its text in the reader's language, then the server's detail (which file, which id). */
const refusal = (r) => [errorText(r.body.error?.code, r.body.error?.message), r.body.error?.message].filter(Boolean).join(' — ');

function status(message, isError = false) {
  const el = $('#authoring-status');
  text(el, message);
  el.className = isError ? 'error' : '';
}

function clear() {
  pending = null;
  $('#upload-problems').replaceChildren();
  $('#preview').replaceChildren();
  $('#preview').hidden = true;
  $('#save-scenario').hidden = true;
}

/** Checks a chosen file; shows its problems or its preview. */
export async function check(file, token) {
  clear();
  status(w('checking', { file: file.name }));
  const body = await file.text();
  // An MSEL sheet (.csv) completes the scenario chosen in the list, if one is.
  const chosen = document.querySelector('#scenarios [aria-checked="true"]')?.dataset.scenarioId;
  const base = /\.csv$/i.test(file.name) && chosen ? `&base=${encodeURIComponent(chosen)}` : '';
  const r = await post(`/api/scenarios?name=${encodeURIComponent(file.name)}${base}`, token, body);
  if (r.status === 422 && Array.isArray(r.body.problems)) {
    status(w('upload_problems', { file: file.name, n: r.body.problems.length }), true);
    $('#upload-problems').replaceChildren(...r.body.problems.map((p) => h('li', { className: 'problem' }, p)));
    return;
  }
  if (r.status !== 200) return status(refusal(r), true);
  pending = { file: file.name, body, base };
  status(w('upload_ok', { file: file.name }));
  showPreview(r.body.preview, r.body.warnings);
  $('#save-scenario').hidden = false;
}

/** Saves the last valid upload; `done()` lists the scenarios again. */
export async function save(token, done) {
  if (!pending) return;
  const r = await post(`/api/scenarios?name=${encodeURIComponent(pending.file)}${pending.base}&save=true`, token, pending.body);
  if (r.status !== 201) return status(refusal(r), true);
  $('#save-scenario').hidden = true;
  status(w('saved_as', { file: r.body.file || pending.file }));
  pending = null;
  await done();
}

/** Reads the scenarios folder again; `done()` lists the scenarios again. */
export async function reload(token, done) {
  status(w('reloading'));
  const r = await post('/api/scenarios/reload', token);
  if (r.status !== 200) return status(refusal(r), true);
  status(w('reloaded', { n: r.body.scenarios.length }));
  await done();
}

/** Shows the preview of a loaded scenario (GET /api/scenarios/{id}/preview). */
export async function previewLoaded(id, token) {
  clear();
  const res = await fetch(`/api/scenarios/${encodeURIComponent(id)}/preview`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return status(errorText(body.error?.code, body.error?.message), true);
  status('');
  showPreview(body, body.warnings);
}

/** The time axis: a tick every 5 or 10 minutes (15 past two hours). */
function axis(total) {
  const step = total > 120 ? 15 : total > 40 ? 10 : total > 10 ? 5 : 1;
  const ticks = [];
  for (let m = 0; m <= total; m += step) ticks.push(place(h('span', { className: 'tick' }, `T+${m}`), pct(m, total)));
  return h('div', { className: 'lane axis', 'aria-hidden': 'true' }, h('span', { className: 'lane-name' }), h('div', { className: 'track' }, ticks));
}

function lane(l, total) {
  const track = h('div', { className: 'track' });
  for (const g of l.gaps.filter((g) => g.long)) {
    const title = w('wait_between', { group: l.name, n: mins(g.minutes), from: mins(g.from_minutes), to: mins(g.to_minutes) });
    track.append(place(h('span', { className: 'gap long', title }), pct(g.from_minutes, total), pct(g.minutes, total)));
  }
  for (const i of l.injects) {
    const width = i.respond_within_minutes ?? Math.max(0.5, total / 60);
    const label = w('inject_block', { title: i.title, at: mins(i.at_minutes), q: i.questions });
    const cls = i.respond_within_minutes ? 'block' : 'block no-window';
    const block = h('span', { className: cls, 'data-inject-id': i.id, title: label }, `${i.questions}? ${i.title}`);
    track.append(place(block, pct(i.at_minutes, total), pct(width, total)));
  }
  return h('div', { className: 'lane', role: 'listitem', 'data-group-id': l.group_id },
    h('span', { className: 'lane-name' }, l.name), track);
}

function showPreview(p, warnings) {
  const total = Math.max(1, p.duration_minutes);
  const longest = (l) => Math.max(0, ...l.gaps.map((g) => g.minutes));
  const longWaits = p.lanes.flatMap((l) => l.gaps.filter((g) => g.long).map((g) => [l, g]));
  const limit = Math.max(8, total / 4);
  const located = warnings?.length ? warnings : p.warnings;
  const el = $('#preview');
  el.replaceChildren(
    h('h3', {}, w('preview_title', { title: p.title })),
    h('p', { className: 'muted' }, w('lanes_caption')),
    h('div', { className: 'lanes', role: 'list', 'aria-label': w('lanes_label') }, axis(total), p.lanes.map((l) => lane(l, total))),
    h('div', { className: 'preview-cols' },
      h('div', {},
        h('table', { className: 'preview-questions' },
          h('thead', {}, h('tr', {}, h('th', {}, w('col_group')), h('th', {}, w('col_injects')), h('th', {}, w('col_questions')), h('th', {}, w('col_longest_wait')))),
          h('tbody', {}, p.lanes.map((l) => h('tr', { 'data-group-id': l.group_id },
            h('td', {}, l.name), h('td', {}, String(l.injects.length)), h('td', {}, String(l.questions)), h('td', {}, w('minutes', { n: mins(longest(l)) })))))),
        h('h4', {}, w('long_waits', { n: mins(limit) })),
        longWaits.length
          ? h('ul', { className: 'waits' }, longWaits.map(([l, g]) => h('li', {}, w('wait_between', { group: l.name, n: mins(g.minutes), from: mins(g.from_minutes), to: mins(g.to_minutes) }))))
          : h('p', { className: 'muted' }, w('no_long_waits'))),
      h('div', {},
        h('h4', {}, w('objectives_heading')),
        p.objectives.length
          ? h('ul', { className: 'objectives' }, p.objectives.map((o) => h('li', { 'data-served': String(o.injects.length > 0) },
            h('strong', {}, o.text), ' — ', o.injects.length ? w('served_by', { injects: o.injects.join(', ') }) : h('span', { className: 'tag danger' }, w('not_served')))))
          : h('p', { className: 'muted' }, w('none')),
        h('h4', {}, w('contingency_heading')),
        p.contingency.length ? h('ul', {}, p.contingency.map((c) => h('li', {}, c.title))) : h('p', { className: 'muted' }, w('none')),
        ...(p.conditional?.length ? [h('h4', {}, w('conditional_heading')),
          h('ul', { className: 'conditional' }, p.conditional.map((c) => h('li', {}, h('strong', {}, c.title), ' — ', c.when)))] : []),
        h('h4', {}, w('warnings_heading')),
        located.length ? h('ul', { className: 'warnings problems' }, located.map((x) => h('li', { className: 'warning' }, x))) : h('p', { className: 'muted' }, w('no_warnings')))));
  el.hidden = false;
}
