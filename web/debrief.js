// Debrief: step through the released injects of an exercise with every group's answers
// and the notes taken on each, the responses chart, a self-assessment summary, and the
// report downloads. All scenario and participant text goes in through textContent / text
// nodes only; the server's SVG chart is shown as an image (a data: URL), never as markup.
// Without a PDF printer on the server, the PDF button opens the HTML report's print view.
// For the hot wash, each inject also shows the objectives it serves with their ratings,
// and each group's column its improvement-plan items (debrief-hotwash.js).
//
// The key: the facilitator's console opens this page with a copy of its tab's storage;
// failing that, the page asks the console tabs of this browser (console-keys.js), and
// only then shows the key form. A key is never put in a URL.

import { h, showState, t } from '/assets/ui.js';
import { askConsoles } from '/assets/console-keys.js';
import * as hotwash from '/assets/debrief-hotwash.js';

const $ = (id) => document.getElementById(id);

const exerciseId = (new URLSearchParams(location.search).get('exercise') || '').trim();
const keyName = 'tt.fkey.' + exerciseId;
const foundName = 'tt.dkey.' + exerciseId; // a key a console tab gave this tab
const store = (s, op, ...a) => { try { return s[op](...a); } catch { return null; } };

let key = null;      // the bearer that worked last
let data = null;     // the timeline
let steps = [];      // inject_released entries
let answers = new Map(); // inject_id -> response entries, log order
let notes = new Map(); // inject_id -> note_added entries, log order
let index = 0;
let busy = false;

function showError(msg) {
  const el = $('debrief-error');
  el.textContent = msg || '';
  el.hidden = !msg;
}

function showKeyForm(show) {
  $('key-form').hidden = !show;
  if (show) $('key').focus();
}

async function fetchTimeline(bearer) {
  let res;
  try {
    res = await fetch('/api/exercises/' + encodeURIComponent(exerciseId) + '/timeline', {
      headers: { Authorization: 'Bearer ' + bearer },
      cache: 'no-store',
    });
  } catch {
    return { error: 'Could not reach the server. Check the connection and press Refresh.' };
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (res.ok && body && Array.isArray(body.entries)) return { body };
  const message = body && body.error && body.error.message;
  return {
    status: res.status,
    error: message || `The server answered ${res.status} ${res.statusText}`.trim(),
  };
}

/** The keys this tab may already hold for the exercise, most specific first. */
function storedKeys() {
  return [...new Set([key, store(sessionStorage, 'getItem', foundName), store(localStorage, 'getItem', keyName),
    store(sessionStorage, 'getItem', 'tt.okey.' + exerciseId), store(localStorage, 'getItem', 'tt.okey.' + exerciseId),
    store(sessionStorage, 'getItem', 'tt.admin')])].filter(Boolean);
}

/** Tries each key in turn; the timeline of the first that works, or the last refusal. */
async function firstWorking(tries) {
  let last = null;
  for (const t of tries) {
    last = await fetchTimeline(t);
    if (last.body) return { ...last, bearer: t };
    if (last.status !== 401) break;
  }
  return last;
}

/** Loads with the given key, else a key this tab holds, else one a console tab of this
 *  browser gives; asks for a key only when none of them works. */
async function load(given) {
  if (busy) return;
  busy = true;
  $('stage').setAttribute('aria-busy', 'true');
  try {
    let last = await firstWorking(given ? [given] : storedKeys());
    if (!given && (!last || last.status === 401)) {
      const offered = await askConsoles(exerciseId);
      if (offered) {
        last = await firstWorking([offered]);
        if (last?.body) store(sessionStorage, 'setItem', foundName, offered);
      }
    }
    if (last?.body) {
      key = last.bearer;
      if (given) store(localStorage, 'setItem', keyName, given);
      showError('');
      showKeyForm(false);
      setData(last.body);
      return;
    }
    if (!last || last.status === 401) {
      showError(given ? 'That key was refused: ' + last.error : last ? 'Enter the facilitator or observer key of this exercise.' : '');
      key = null;
      showKeyForm(true);
      if (given) $('key').select();
    } else {
      showError(last.error);
    }
  } finally {
    busy = false;
    $('stage').removeAttribute('aria-busy');
  }
}

function setData(body) {
  if (data === null || data.exercise_id !== body.exercise_id) $('attribution').value = body.attribution || 'names';
  data = body;
  steps = body.entries.filter((e) => e.kind === 'inject_released');
  answers = new Map();
  notes = new Map();
  for (const e of body.entries) {
    const into = e.kind === 'response_submitted' ? answers : e.kind === 'note_added' && e.inject_id ? notes : null;
    if (!into) continue;
    if (!into.has(e.inject_id)) into.set(e.inject_id, []);
    into.get(e.inject_id).push(e);
  }
  $('ex-title').textContent = 'Debrief — ' + (body.title || body.exercise_id || exerciseId);
  document.title = 'Debrief — ' + (body.title || 'tabletop');
  const phase = $('ex-phase');
  const live = body.phase && body.phase !== 'ended';
  phase.textContent = live ? `Exercise ${body.phase} — press Refresh for new answers` : 'Exercise ended';
  phase.hidden = !body.phase;
  index = Math.max(0, Math.min(index, steps.length - 1));
  $('exports').hidden = false;
  render();
  loadReport();
  loadResponses();
  loadProfile();
}

function groupName(id) {
  const g = data.groups.find((x) => x.id === id);
  return g ? g.name : id;
}

function render() {
  const n = steps.length;
  $('step-pos').textContent = n ? `${index + 1} / ${n}` : '0 / 0';
  setDisabled($('prev'), index <= 0);
  setDisabled($('next'), index >= n - 1);
  const groups = $('groups');
  const empty = $('step-empty');
  if (!n) {
    $('inject').hidden = true;
    empty.textContent = 'No inject has been released yet.';
    empty.hidden = false;
    groups.replaceChildren();
    return;
  }
  empty.hidden = true;
  const step = steps[index];
  $('inject').hidden = false;
  $('step-time').textContent = step.play_time || '';
  $('step-title').textContent = step.inject_title || step.inject_id || '';
  $('step-body').textContent = step.inject_body || '';
  const targets = step.targets || [];
  const all = data.groups.length > 0 && data.groups.every((g) => targets.includes(g.id));
  $('step-targets').textContent = (all ? 'To all groups' : 'To ' + targets.map(groupName).join(', '))
    + (step.manual ? ' · released by hand' : '');
  const expected = step.expected_actions || [];
  $('step-expected').hidden = !expected.length;
  $('step-expected-list').replaceChildren(...expected.map((a) => h('li', {}, a)));
  hotwash.showObjectives($('step-objectives'), $('step-objectives-list'), step.inject_id);
  const stepNotes = notes.get(step.inject_id) || [];
  $('step-notes').hidden = !stepNotes.length;
  $('step-notes-list').replaceChildren(...stepNotes.map((n) => h('li', { className: 'step-note' },
    h('span', { className: 'response-time' }, n.play_time || ''), ' ',
    h('span', { className: 'note-author' }, n.author_name || ''),
    n.group_name ? h('span', { className: 'note' }, ' · ' + n.group_name) : null,
    n.objective_id ? h('span', { className: 'note' }, ' · objective ' + n.objective_id) : null,
    h('p', { className: 'note-text' }, n.text || ''))));

  const list = answers.get(step.inject_id) || [];
  const byGroup = new Map();
  for (const a of list) {
    if (!byGroup.has(a.group_id)) byGroup.set(a.group_id, []);
    byGroup.get(a.group_id).push(a);
  }
  // Targeted groups in scenario order, then any other group that answered.
  const order = data.groups.map((g) => g.id);
  const rank = (id) => { const i = order.indexOf(id); return i < 0 ? order.length : i; };
  const targeted = [...new Set(targets)].sort((a, b) => rank(a) - rank(b));
  const others = [...byGroup.keys()].filter((id) => !targeted.includes(id)).sort((a, b) => rank(a) - rank(b));
  const asked = (id) => [...(step.questions?.all || []), ...(step.questions?.[id] || [])];
  const cols = [...targeted, ...others].map((id) => column(id, byGroup.get(id) || [], targeted.includes(id), asked(id)));
  groups.replaceChildren(...cols);
  groups.dataset.count = String(cols.length === 4 ? 2 : Math.min(cols.length, 3));
}

function column(id, items, isTarget, questions) {
  const name = groupName(id) || (items[0] && items[0].group_name) || id;
  return h('section', { className: 'group-col' + (isTarget ? '' : ' untargeted'), 'data-group-id': id },
    h('h3', null, name, isTarget ? null : h('span', { className: 'note' }, ' (not targeted)')),
    isTarget && questions.length ? h('ol', { className: 'asked' }, questions.map((q) => h('li', {}, q))) : null,
    items.length
      ? h('ol', { className: 'responses' }, items.map((a) => h('li', { className: 'response' },
        h('p', { className: 'response-meta' },
          h('span', { className: 'response-time' }, a.play_time || ''), ' ',
          attribution() === 'names' ? h('span', { className: 'response-author' }, a.participant_name || 'Unknown') : null),
        h('p', { className: 'response-text' }, a.text || ''))))
      : h('p', { className: 'no-response' }, 'No answer'),
    hotwash.groupItems(id));
}

function setDisabled(btn, off) {
  if (off && document.activeElement === btn) {
    const other = btn.id === 'prev' ? $('next') : $('prev');
    (other.disabled ? $('refresh') : other).focus();
  }
  btn.disabled = off;
}

function go(i) {
  if (!steps.length) return;
  const next = Math.max(0, Math.min(i, steps.length - 1));
  if (next === index) return;
  index = next;
  render();
  window.scrollTo(0, 0);
}

// ---- from the JSON report (when the server has exports): the hot wash's objectives and
// improvement items, and the self-assessment summary ----

let reportFetch = 0; // the latest fetch; an older one that ends later is ignored

async function loadReport() {
  const mine = ++reportFetch;
  let report = null;
  try {
    const res = await fetch(exportUrl('json'), { headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' });
    if (res.ok) report = await res.json();
  } catch { /* no summary */ }
  if (mine !== reportFetch) return;
  hotwash.setReport(report);
  hotwash.showAllObjectives($('objectives-summary'), $('objectives-summary-list'));
  if (steps.length) render();
  showSelfAssessment(report);
}

function showSelfAssessment(report) {
  const sa = report && report.self_assessment;
  const box = $('sa-summary');
  box.hidden = !(sa && Array.isArray(sa.groups) && sa.groups.length);
  if (box.hidden) return;
  const fmt = (m) => (typeof m === 'number' ? m.toFixed(1) : '—');
  $('sa-summary-intro').textContent = [sa.intro, sa.example ? '(Example statements.)' : '',
    sa.phase === 'open' ? 'Still open: press Refresh for the latest scores.' : ''].filter(Boolean).join(' ');
  $('sa-summary-groups').replaceChildren(...sa.groups.map((g) => h('section', { className: 'group-col sa-group', 'data-group-id': g.group_id },
    h('h3', null, g.group_name || g.group_id),
    h('p', { className: 'sa-group-line' }, 'Mean ', h('strong', { className: 'sa-mean' }, fmt(g.mean)), ` · ${g.raters} ${g.raters === 1 ? 'rater' : 'raters'}`),
    h('table', { className: 'sa-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Statement'), h('th', { scope: 'col' }, 'Mean'),
        h('th', { scope: 'col' }, 'Spread'), h('th', { scope: 'col' }, 'Count'))),
      h('tbody', null, (g.statements || []).map((st) => h('tr', { className: 'sa-row', 'data-statement-id': st.statement_id },
        h('td', null, st.text), h('td', { className: 'sa-mean' }, fmt(st.mean)),
        h('td', null, st.count ? `${st.min}–${st.max}` : '—'), h('td', null, String(st.count)))))))));
}

// ---- the responses chart (groups x injects), drawn by the server ----

/** One of the report's charts as SVG text (`responses`, `radar`, `heatmap`), or null
 *  when the exercise has none (404) or the server cannot say. */
async function fetchChart(name) {
  try {
    const res = await fetch('/api/exercises/' + encodeURIComponent(exerciseId) + '/export?chart=' + name,
      { headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' });
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}

/** Shows a server-drawn SVG in `img` as a data: URL (never as markup); its alt text is
 *  the chart's title and description, read from an inert parsed copy. */
function showChart(img, svg, fallbackTitle) {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const title = doc.querySelector('title')?.textContent || fallbackTitle;
  const desc = doc.querySelector('desc')?.textContent || '';
  img.alt = desc ? `${title}: ${desc}` : title;
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  img.hidden = false;
}

async function loadResponses() {
  const box = $('responses-summary');
  const svg = await fetchChart('responses');
  box.hidden = !(svg && steps.length);
  if (!box.hidden) showChart($('responses-chart'), svg, 'Responses');
}

/** The maturity profile of a profile self-assessment: the radar and the heatmap. */
async function loadProfile() {
  const [radar, heatmap] = await Promise.all([fetchChart('radar'), fetchChart('heatmap')]);
  $('profile-summary').hidden = !radar;
  if (radar) showChart($('profile-radar'), radar, 'Maturity profile');
  if (heatmap) showChart($('profile-heatmap'), heatmap, 'Maturity by sector');
}

// ---- the print view: the HTML report, for the browser's Save as PDF ----

/** Shows the HTML report in the print view and opens the browser's print dialog. This
 *  page's CSP allows no inline style, so the report's own stylesheet (its <style>
 *  elements, which only the server writes: every user text in the report is escaped)
 *  is applied as a constructed stylesheet; the rest is parsed inert and imported. */
async function openPrintView() {
  const res = await fetch(exportUrl('html'), { headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' });
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const css = [];
  const html = (await res.text()).replace(/<style>([\s\S]*?)<\/style>/g, (_, rules) => { css.push(rules); return ''; });
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const view = $('print-view');
  view.hidden = false;
  const frame = $('print-frame');
  const doc = frame.contentDocument;
  doc.replaceChild(doc.importNode(parsed.documentElement, true), doc.documentElement);
  const sheet = new frame.contentWindow.CSSStyleSheet();
  sheet.replaceSync(css.join('\n'));
  doc.adoptedStyleSheets = [sheet];
  frame.dataset.ready = exerciseId;
  printReport();
}

function printReport() {
  const win = $('print-frame').contentWindow;
  try {
    win.focus();
    win.print();
  } catch { /* the hint says how to print */ }
}

// ---- report downloads ----

// Attribution: by group (no names, on screen or in files) or with names; the scenario
// says which by default, the facilitator may switch.
const attribution = () => $('attribution').value;
const exportUrl = (format) => '/api/exercises/' + encodeURIComponent(exerciseId) + '/export?format=' + format
  + '&attribution=' + encodeURIComponent(attribution());

/** The file name of a Content-Disposition header (RFC 6266: filename* first). */
function fileName(disposition, format) {
  const star = /filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)/i.exec(disposition || '');
  if (star) {
    try { return decodeURIComponent(star[1].trim().replace(/^"|"$/g, '')); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition || '');
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name.replace(/[\/\\]/g, '_') || `report.${format}`;
}

function exportStatus(msg, state) {
  const el = showState($('export-status'), state, msg);
  el.setAttribute('role', state === 'error' ? 'alert' : 'status');
}

async function download(button) {
  const format = button.dataset.format;
  const label = button.textContent;
  if (button.getAttribute('aria-busy')) return;
  button.setAttribute('aria-busy', 'true'); // not disabled: the focus stays on it
  exportStatus(`Preparing ${label}…`, 'busy');
  try {
    const res = await fetch(exportUrl(format), { headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' });
    if (!res.ok) {
      let body = null;
      try { body = await res.json(); } catch { /* not JSON */ }
      const err = body && body.error;
      if (format === 'pdf' && err && err.code === 'pdf_unavailable') {
        // No Chromium on the server: the browser prints the HTML report instead.
        try {
          await openPrintView();
          exportStatus("No PDF printer on this server: use your browser's Print → Save as PDF.", 'done');
        } catch (e) {
          exportStatus(`${label}: this server cannot make PDFs, and the print view did not open (${e.message})`, 'error');
        }
        return;
      }
      const why = res.status === 404 && (!err || err.code === 'no_route') ? 'this server has no report export'
        : err ? `${err.message} (${err.code})` : `the server answered ${res.status}`;
      exportStatus(`${label} failed: ${why}`, 'error');
      return;
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: fileName(res.headers.get('Content-Disposition'), format), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    exportStatus(`${label} downloaded`, 'done');
  } catch {
    exportStatus(`${label} failed: could not reach the server`, 'error');
  } finally {
    button.removeAttribute('aria-busy');
  }
}

for (const b of document.querySelectorAll('button.export')) b.addEventListener('click', () => download(b));

$('print-again').addEventListener('click', () => printReport());
$('print-close').addEventListener('click', () => {
  $('print-view').hidden = true;
  $('exports').querySelector('[data-format="pdf"]').focus();
});
$('prev').addEventListener('click', () => go(index - 1));
$('next').addEventListener('click', () => go(index + 1));
$('refresh').addEventListener('click', () => load());
$('attribution').addEventListener('change', () => {
  render();
  loadReport(); // names on the plan's items follow the choice
});
$('step-objectives-title').textContent = t('db_objectives');
$('objectives-summary-title').textContent = t('db_all_objectives');
$('key-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const k = $('key').value.trim();
  if (k) load(k);
});

document.addEventListener('keydown', (ev) => {
  if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.defaultPrevented) return;
  const t = ev.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: steps.length - 1 };
  if (!(ev.key in moves) || !steps.length) return;
  ev.preventDefault();
  go(moves[ev.key]);
});

if (!exerciseId) {
  showError('No exercise given: open this page as /debrief?exercise=<exercise id>.');
  document.querySelector('.controls').hidden = true;
} else {
  load();
}
