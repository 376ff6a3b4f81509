// Debrief: step through the released injects of an exercise with every group's answers
// and the notes taken on each, the responses chart, a self-assessment summary, and the
// report downloads. All scenario and participant text goes in through textContent / text
// nodes only; the server's SVG chart is shown as an image (a data: URL), never as markup.
// For the hot wash, each inject also shows the objectives it serves with their ratings,
// and each group's column its improvement-plan items (debrief-hotwash.js); the live room
// (the group's answer before contributions, poll choices by label and the poll's tally,
// late answers and answer windows) is debrief-room.js; downloads and the print view are
// debrief-export.js. A release a condition caused says why ("released because …"), and
// the conditions the facilitator cancelled are listed after the steps.
//
// Language: English or French (?lang=, else the browser's), every word from
// debrief-words.js; the EN | FR switch reloads the same address with the other ?lang and
// keeps the step and the attribution (in this tab's sessionStorage, not in the URL).
//
// The key: the facilitator's console opens this page with a copy of its tab's storage;
// failing that, the page asks the console tabs of this browser (console-keys.js), and
// only then shows the key form. A key is never put in a URL.

import { h } from '/assets/ui.js';
import { askConsoles } from '/assets/console-keys.js';
import * as hotwash from '/assets/debrief-hotwash.js';
import * as room from '/assets/debrief-room.js';
import * as exports from '/assets/debrief-export.js';
import { W, lang, number, translatePage } from '/assets/debrief-words.js';

const $ = (id) => document.getElementById(id);

const exerciseId = (new URLSearchParams(location.search).get('exercise') || '').trim();
const keyName = 'tt.fkey.' + exerciseId;
const foundName = 'tt.dkey.' + exerciseId; // a key a console tab gave this tab
const viewName = 'tt.dview.' + exerciseId; // the step and attribution, across a language switch
const store = (s, op, ...a) => { try { return s[op](...a); } catch { return null; } };

let key = null;      // the bearer that worked last
let data = null;     // the timeline
let steps = [];      // inject_released entries
let answers = new Map(); // inject_id -> response entries, log order
let notes = new Map(); // inject_id -> note_added entries, log order
let facts = null;    // what the timeline does not say about the room (debrief-room.js)
let live = room.roomOf([], null);
let index = 0;
let busy = false;
let restore = (() => { try { return JSON.parse(store(sessionStorage, 'getItem', viewName) || 'null'); } catch { return null; } })(); // once, after a language switch
store(sessionStorage, 'removeItem', viewName);

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
    res = await fetch('/api/exercises/' + encodeURIComponent(exerciseId) + '/timeline?lang=' + lang, {
      headers: { Authorization: 'Bearer ' + bearer },
      cache: 'no-store',
    });
  } catch {
    return { error: W.unreachable };
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (res.ok && body && Array.isArray(body.entries)) return { body };
  const err = body && body.error;
  return {
    status: res.status,
    error: err ? W.server_error(err.code, err.message, res.status) : W.server_answered(res.status, res.statusText),
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
      showError(given ? W.key_refused(last.error) : last ? W.enter_key : '');
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
  const cancelled = body.entries.filter((e) => e.kind === 'condition_cancelled');
  $('cancelled-summary').hidden = !cancelled.length;
  $('cancelled-summary-list').replaceChildren(...cancelled.map((e) => h('li', { className: 'cancelled-condition', 'data-inject-id': e.inject_id },
    h('span', { className: 'response-time' }, e.play_time || ''), ' ', h('strong', null, e.inject_title || e.inject_id || ''),
    W.cancelled_line(e.condition || ''))));
  const title = body.title || body.exercise_id || exerciseId;
  $('ex-title').textContent = W.debrief_of(title);
  document.title = W.doc_title(body.title || 'tabletop');
  const phase = $('ex-phase');
  phase.textContent = body.phase && body.phase !== 'ended' ? W.phase_live(body.phase) : W.phase_ended;
  phase.hidden = !body.phase;
  if (restore) {
    const at = steps.findIndex((s) => s.inject_id === restore.inject);
    if (at >= 0) index = at;
    if (['group', 'names'].includes(restore.attribution)) $('attribution').value = restore.attribution;
    restore = null;
  }
  index = Math.max(0, Math.min(index, steps.length - 1));
  $('exports').hidden = false;
  live = room.roomOf(body.entries, room.factsFromTimeline(body) ?? facts);
  render();
  loadFacts(body);
  loadReport();
  loadResponses();
  loadProfile();
}

function groupName(id) {
  const g = data.groups.find((x) => x.id === id);
  return g ? g.name : id;
}

/** The author of a note: the facilitator in the page's words, else the evaluator. */
const noteAuthor = (n) => (n.author_name === 'Facilitator' ? W.facilitator : n.author_name || '');

function render() {
  const n = steps.length;
  $('step-pos').textContent = n ? `${number(index + 1)} / ${number(n)}` : '0 / 0';
  setDisabled($('prev'), index <= 0);
  setDisabled($('next'), index >= n - 1);
  const groups = $('groups');
  const empty = $('step-empty');
  if (!n) {
    $('inject').hidden = true;
    empty.textContent = W.no_inject;
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
  const handouts = $('step-attachments');
  handouts.hidden = !step.attachments?.length;
  if (step.attachments?.length) import('/assets/attachments.js').then((m) => m.fill(handouts, step.attachments, lang), () => {});
  else handouts.replaceChildren();
  const order = data.groups.map((g) => g.id);
  const rank = (id) => { const i = order.indexOf(id); return i < 0 ? order.length : i; };
  const targets = step.targets || [];
  const targeted = [...new Set(targets)].sort((a, b) => rank(a) - rank(b)); // scenario order
  const all = data.groups.length > 0 && data.groups.every((g) => targets.includes(g.id));
  $('step-targets').textContent = [all ? W.to_all : W.to_groups(targeted.map(groupName).join(', ')),
    step.manual && !step.condition ? W.by_hand : ''].filter(Boolean).join(' · ');
  const why = step.condition ? (step.manual ? W.fired_by_facilitator : W.released_because)(step.condition) : '';
  $('step-why').textContent = why;
  $('step-why').hidden = !why;
  const expected = step.expected_actions || [];
  $('step-expected').hidden = !expected.length;
  $('step-expected-list').replaceChildren(...expected.map((a) => h('li', {}, a)));
  hotwash.showObjectives($('step-objectives'), $('step-objectives-list'), step.inject_id);
  const stepNotes = notes.get(step.inject_id) || [];
  $('step-notes').hidden = !stepNotes.length;
  $('step-notes-list').replaceChildren(...stepNotes.map((x) => h('li', { className: 'step-note' },
    h('span', { className: 'response-time' }, x.play_time || ''), ' ',
    h('span', { className: 'note-author' }, noteAuthor(x)),
    x.group_name ? h('span', { className: 'note' }, ' · ' + x.group_name) : null,
    x.objective_id ? h('span', { className: 'note' }, ' · ' + W.note_objective(x.objective_id)) : null,
    h('p', { className: 'note-text' }, x.text || ''))));

  const list = answers.get(step.inject_id) || [];
  const byGroup = new Map();
  for (const a of list) {
    if (!byGroup.has(a.group_id)) byGroup.set(a.group_id, []);
    byGroup.get(a.group_id).push(a);
  }
  // Targeted groups in scenario order, then any other group that answered.
  const others = [...byGroup.keys()].filter((id) => !targeted.includes(id)).sort((a, b) => rank(a) - rank(b));
  const shown = [...targeted, ...others];
  const asked = (id) => [...(step.questions?.all || []), ...(step.questions?.[id] || [])];

  const info = live.injects.get(step.inject_id);
  const result = room.tally(list, info?.options || [], live.answerMode);
  room.showPoll($('step-poll'), step, info, result, shown, groupName, live.answerMode);
  const windowLine = room.windowLine(step, info, targeted.map((id) => room.timingOf(byGroup.get(id) || [], info?.hasWindow)));
  $('step-window').textContent = windowLine;
  $('step-window').hidden = !windowLine;

  const cols = shown.map((id) => room.groupColumn({
    id,
    name: groupName(id) || byGroup.get(id)?.[0]?.group_name || id,
    isTarget: targeted.includes(id),
    questions: asked(id),
    list: byGroup.get(id) || [],
    info,
    answerMode: live.answerMode,
    names: attribution() === 'names',
    counted: result.counted,
    items: hotwash.groupItems(id),
  }));
  groups.replaceChildren(...cols);
  groups.dataset.count = String(cols.length === 4 ? 2 : Math.min(cols.length, 3));
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

// ---- the live room's facts the timeline does not carry (option labels, answer
// windows, the answer mode), from the control room's welcome ----

let factsFetch = 0;

async function loadFacts(body) {
  if (room.factsFromTimeline(body)) return; // the server put them in the timeline
  const mine = ++factsFetch;
  const got = await room.fetchRoomFacts(exerciseId, key);
  if (mine !== factsFetch || !got || data !== body) return;
  facts = got;
  live = room.roomOf(body.entries, facts);
  render();
}

// ---- from the JSON report (when the server has exports): the hot wash's objectives and
// improvement items, and the self-assessment summary ----

let reportFetch = 0; // the latest fetch; an older one that ends later is ignored

async function loadReport() {
  const mine = ++reportFetch;
  const report = await exports.fetchReport();
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
  const fmt = (m) => (typeof m === 'number' ? number(m, 1) : '—');
  $('sa-summary-intro').textContent = [sa.intro, sa.example ? W.sa_example : '',
    sa.phase === 'open' ? W.sa_open : ''].filter(Boolean).join(' ');
  $('sa-summary-groups').replaceChildren(...sa.groups.map((g) => h('section', { className: 'group-col sa-group', 'data-group-id': g.group_id },
    h('h3', null, g.group_name || g.group_id),
    h('p', { className: 'sa-group-line' }, W.sa_mean, ' ', h('strong', { className: 'sa-mean' }, fmt(g.mean)), ` · ${W.sa_raters(g.raters)}`),
    h('table', { className: 'sa-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, W.sa_statement), h('th', { scope: 'col' }, W.sa_mean),
        h('th', { scope: 'col' }, W.sa_spread), h('th', { scope: 'col' }, W.sa_count))),
      h('tbody', null, (g.statements || []).map((st) => h('tr', { className: 'sa-row', 'data-statement-id': st.statement_id },
        h('td', null, st.text), h('td', { className: 'sa-mean' }, fmt(st.mean)),
        h('td', null, st.count ? `${number(st.min)}–${number(st.max)}` : '—'), h('td', null, number(st.count)))))))));
}

// ---- the server's charts ----

async function loadResponses() {
  const box = $('responses-summary');
  const svg = await exports.fetchChart('responses');
  box.hidden = !(svg && steps.length);
  if (!box.hidden) exports.showChart($('responses-chart'), svg, W.responses_alt);
}

/** The maturity profile of a profile self-assessment: the radar and the heatmap. */
async function loadProfile() {
  const [radar, heatmap] = await Promise.all([exports.fetchChart('radar'), exports.fetchChart('heatmap')]);
  $('profile-summary').hidden = !radar;
  if (radar) exports.showChart($('profile-radar'), radar, W.radar_alt);
  if (heatmap) exports.showChart($('profile-heatmap'), heatmap, W.heatmap_alt);
}

// ---- attribution and language ----

// Attribution: by group (no names, on screen or in files) or with names; the scenario
// says which by default, the facilitator may switch.
const attribution = () => $('attribution').value;

/** The EN | FR switch: this address with the other ?lang (the exercise id and nothing
 *  secret); a click keeps the step and the attribution for the reloaded page. */
function languageSwitch() {
  for (const code of ['en', 'fr']) {
    const link = $(`lang-${code}`);
    const url = new URL(location.href);
    url.searchParams.set('lang', code);
    link.href = url.pathname + url.search;
    if (code === lang) link.setAttribute('aria-current', 'true');
    link.addEventListener('click', () => {
      if (code === lang) return;
      const view = { inject: steps[index]?.inject_id ?? null, attribution: attribution() };
      store(sessionStorage, 'setItem', viewName, JSON.stringify(view));
    });
  }
}

// ---- wiring ----

translatePage();
languageSwitch();
exports.setup({ exerciseId, bearer: () => key, attribution });

$('prev').addEventListener('click', () => go(index - 1));
$('next').addEventListener('click', () => go(index + 1));
$('refresh').addEventListener('click', () => load());
$('attribution').addEventListener('change', () => {
  render();
  loadReport(); // names on the plan's items follow the choice
});
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
  showError(W.no_exercise);
  document.querySelector('.controls').hidden = true;
} else {
  load();
}
