// facilitator.js: the console's entry point. Signs in with the admin token, picks a
// scenario, creates or reopens an exercise, and runs it: it owns the websocket and the
// exercise's state, sends the facilitator's commands (each with a client_msg_id, so a
// refusal shows beside its control), and hands every message to the module that shows it:
// - console-live.js: clock line, injects table, current inject; through console-grid.js
//   the grid and its answer windows, through console-polls.js the polls and the screen;
// - console-roster.js: the groups, scribes and breakout rooms;
// - console-evaluation.js: notes, ratings, improvement plan, observers, and through
//   console-self-assessment.js the self-assessment;
// - console-report.js: profile charts, report text, shared screen, adoption board;
// - console-conditions.js: the conditional injects, their countdowns, Fire now and
//   Cancel (loaded only for a scenario that has some);
// - console-panels.js: which evaluation panels are open (remembered in this browser);
// - console-home.js: the home page's exercises: search, filter, Open, Run again,
//   Archive, Delete;
// - console-keys.js: where the keys are kept, and how the debrief gets them;
// - console-words.js: every word in English and French (?lang=fr or a French browser).
// Opened from an observer link (#observer=<key>), the same console is read-only apart
// from notes and ratings.

import { Connection } from '/assets/client.js';
import { $, h, text, playTime, playClock, randomId, showState, readLang } from '/assets/ui.js';
import { w, lang, localise, errorText, num } from '/assets/console-words.js';
import * as keys from '/assets/console-keys.js';
import * as live from '/assets/console-live.js';
import * as roster from '/assets/console-roster.js';
import * as polls from '/assets/console-polls.js';
import * as evaluation from '/assets/console-evaluation.js';
import * as panels from '/assets/console-panels.js';
import * as report from '/assets/console-report.js';
import * as exerciseList from '/assets/console-home.js';
import * as storage from '/assets/console-storage.js';

document.documentElement.lang = lang;
document.title = w('doc_title');
localise();

const params = keys.takeAdminToken(new URLSearchParams(location.search));
keys.takeObserverKey(params.get('exercise'));

const state = {
  exercise: null, observer: false, plan: [], groups: [], roster: new Map(), sectors: new Map(), released: [],
  publicBase: null, // the base of the links given out: the server's --public-url, else this origin
  injects: new Map(), // inject_id → the released inject (response kind and options, answer window)
  answers: new Map(), // "group_id|inject_id" → that group's answers to that inject, in order
  contributions: new Map(), // "group_id|inject_id" → members' contributions (group answer mode)
  seenAnswers: new Set(), // seq of every answer counted (a reconnect's welcome replaces them all)
  tallies: new Map(), // inject_id → the poll's tally
  conditions: new Map(), // inject_id → its condition (conditional injects only, in plan order)
  attendance: null, // {joined, groups: {group_id: members}}
  scribes: null, // group_id → participant_id, in group answer mode (null otherwise)
  objectives: [], notes: new Map(), ratings: new Map(), items: new Map(), observers: [], sa: null,
  me: 'facilitator', // the author key of this console's own ratings
};
let conn = null;
const speedText = (s) => `${num(s, s % 1 ? 1 : 0)}×`;
const clock = playClock($('#clock'), (c, ms) => `${w(`clock_${c.state}`)} ${playTime(ms)}${c.speed !== 1 ? ` · ${speedText(c.speed)}` : ''}`);
let clockAt = performance.now(); // when the last clock reading arrived

/** Play time now, ticking from the last clock reading while running. */
function playNow() {
  const c = clock.current;
  if (!c) return 0;
  return c.state === 'running' ? c.play_ms + (performance.now() - clockAt) * c.speed : c.play_ms;
}

function setClock(c) {
  clockAt = performance.now();
  clock.set(c);
}

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin()}`, ...options.headers } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(errorText(body.error?.code, body.error?.message || res.statusText)), { status: res.status });
  return body;
}

function show(section) {
  for (const id of ['signin', 'home', 'console']) $(`#${id}`).hidden = id !== section;
}

// ---- the address and the language switch ------------------------------------------

/** Sets the address bar's query (never a key: those live in storage), keeping an
 *  explicit ?lang=, and points the language links at the same page. */
function setAddress(query = {}) {
  const q = new URLSearchParams(query);
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked) q.set('lang', asked);
  history.replaceState(null, '', location.pathname + (q.size ? `?${q}` : ''));
  languageLinks();
}

/** EN | FR: the same page (the same exercise, the same panels, the same scroll) in the
 *  other language; the address holds no key, so none is put back in it. */
function languageLinks() {
  const nav = $('#lang-switch');
  const links = ['en', 'fr'].map((l) => {
    const q = new URLSearchParams(location.search);
    q.set('lang', l);
    const a = h('a', { href: `${location.pathname}?${q}`, lang: l, hreflang: l }, l.toUpperCase());
    if (l === lang) a.setAttribute('aria-current', 'true');
    a.addEventListener('click', () => {
      try { sessionStorage.setItem('tt.console.scroll', String(Math.round(scrollY))); } catch { /* the scroll is not kept */ }
    });
    return a;
  });
  nav.replaceChildren(links[0], ' | ', links[1]);
}

/** Back where the reader was before switching language (once, after the first welcome). */
function restoreScroll() {
  let y = null;
  try {
    y = sessionStorage.getItem('tt.console.scroll');
    sessionStorage.removeItem('tt.console.scroll');
  } catch { /* nothing kept */ }
  if (y !== null) requestAnimationFrame(() => scrollTo(0, Number(y)));
}

// ---- sign in ------------------------------------------------------------------

$('#signin').addEventListener('submit', (ev) => {
  ev.preventDefault();
  keys.setAdmin($('#token').value.trim());
  home();
});

// ---- home: scenarios and exercises ---------------------------------------------

let chosen = null;

async function home() {
  if (conn) conn.stop();
  state.exercise = null;
  $('#conn').hidden = true;
  setAddress();
  document.title = w('doc_title');
  text($('#title'), w('topbar'));
  if (!keys.admin()) return show('signin');
  let list;
  try {
    [list] = await Promise.all([api(`/api/scenarios?lang=${encodeURIComponent(readLang)}`), api('/api/exercises')]);
  } catch (e) {
    keys.forgetAdmin();
    show('signin');
    text($('#signin-error'), e.status === 401 ? w('signin_wrong') : e.message);
    return;
  }
  show('home');
  const scenarios = list.scenarios;
  showScenarioProblems(list.problems);
  $('#preview-links').replaceChildren(w('preview_of'), ...scenarios.map((s) =>
    h('button', { type: 'button', className: 'preview-scenario link secondary', 'data-scenario-id': s.id, onclick: async () => (await authoring()).previewLoaded(s.id, keys.admin()) }, s.title)));
  $('#scenarios').replaceChildren(...scenarios.map((s) =>
    h('button', { type: 'button', className: 'scenario', role: 'radio', 'aria-checked': 'false', 'data-scenario-id': s.id, onclick: (ev) => choose(s.id, ev.currentTarget) },
      h('strong', {}, s.title), w('scenario_meta', { min: s.duration_minutes, groups: s.groups.length, injects: s.injects }))));
  await exerciseList.show({ api, open, rememberKey: keys.rememberFacilitatorKey });
}

// ---- authoring: upload, check, preview, save, reload (console-authoring.js, loaded on first use)

const authoring = () => import('/assets/console-authoring.js');

/** The scenarios folder's files that could not be loaded, FILE:LINE:COL: message each. */
function showScenarioProblems(problems = []) {
  $('#scenario-problems').replaceChildren(...(problems.length
    ? [h('li', { className: 'muted' }, w('folder_problems')), ...problems.map((p) => h('li', { className: 'problem' }, p))]
    : []));
}

/** Lists the scenarios again after a save or a reload (the choice is cleared). */
async function relist() {
  chosen = null;
  $('#create').disabled = true;
  await home();
}

$('#upload-file').addEventListener('change', async (ev) => {
  const file = ev.currentTarget.files?.[0];
  if (file) await (await authoring()).check(file, keys.admin());
});
$('#save-scenario').addEventListener('click', async () => (await authoring()).save(keys.admin(), relist));
$('#reload-scenarios').addEventListener('click', async () => (await authoring()).reload(keys.admin(), relist));

function choose(id, button) {
  chosen = id;
  for (const b of document.querySelectorAll('.scenario')) b.setAttribute('aria-checked', String(b === button));
  $('#create').disabled = false;
}

$('#create').addEventListener('click', async () => {
  if (!chosen) return;
  $('#create').disabled = true;
  try {
    const created = await api('/api/exercises', { method: 'POST', body: JSON.stringify({ scenario_id: chosen }) });
    keys.rememberFacilitatorKey(created.exercise_id, created.facilitator_key);
    open(created.exercise_id);
  } catch (e) {
    text($('#home-error'), e.message);
    $('#create').disabled = false;
  }
});

// ---- console --------------------------------------------------------------------

/** This console's bearer for the open exercise (the debrief and the downloads use it). */
const bearer = () => (state.observer ? keys.observerKey(state.exercise) : keys.keyFor(state.exercise));

function open(id, observer = false) {
  state.exercise = id;
  state.observer = observer;
  for (const el of document.querySelectorAll('.fac-only')) el.hidden = observer;
  for (const el of document.querySelectorAll('.obs-only')) el.hidden = !observer;
  $('#observer-badge').hidden = !observer;
  setAddress({ exercise: id });
  show('console');
  if (conn) conn.stop();
  conn = new Connection({
    // The console always takes a full snapshot; its rows are patched from it, not rebuilt.
    hello: () => (observer
      ? { type: 'observe', exercise_id: id, observer_key: keys.observerKey(id), lang: readLang }
      : { type: 'facilitate', exercise_id: id, facilitator_key: keys.keyFor(id), lang: readLang }),
    onMessage,
    onState: (s) => {
      const el = $('#conn');
      el.hidden = false;
      showState(el, s, w(`conn_${s}`));
    },
  });
  conn.start();
}

// Every command carries a client_msg_id: the server answers it with `ack` once stored or
// with an `error` carrying the id, which shows beside the control that sent it.
const tracked = new Map(); // client_msg_id → {ok, fail}
function sendTracked(msg, ok, fail) {
  const id = randomId();
  tracked.set(id, { ok, fail });
  if (!conn.send({ ...msg, client_msg_id: id })) {
    tracked.delete(id);
    fail(w('not_connected'));
    return false;
  }
  return true;
}

/** A control's command; a refusal shows in `where`. */
function send(msg, where = $('#console-error')) {
  for (const el of [$('#console-error'), $('#evaluation-error')]) text(el, '');
  return sendTracked(msg, () => {}, (why) => text(where, why));
}

function onMessage(m) {
  if (m.type === 'showing') polls.setShowing(m); // and the shared-screen panel, below
  if (storage.push(m) || evaluation.push(m) || report.push(m)) return;
  switch (m.type) {
    case 'welcome': return welcome(m);
    case 'ack': tracked.get(m.client_msg_id)?.ok(); tracked.delete(m.client_msg_id); return;
    case 'clock': setClock(m); renderControls(); break;
    case 'inject': released(m); break;
    case 'inject_skipped': setStatus(m.inject_id, 'skipped', m.play_ms); break;
    case 'response': addAnswer(m); break;
    case 'older_responses': live.olderArrived(m, addAnswer); break;
    case 'tally': state.tallies.set(m.inject_id, m); break;
    case 'conditions': setConditions(m.conditions); break;
    case 'participant':
      if (m.change === 'removed') state.roster.delete(m.participant.participant_id);
      else state.roster.set(m.participant.participant_id, m.participant);
      roster.render();
      return;
    case 'joining': roster.joining(m.locked); return;
    case 'attendance': state.attendance = m; roster.render(); return;
    case 'group_members': setMembers(m); roster.render(); return;
    case 'announcement': live.showAnnouncement(m); return;
    case 'error': return refused(m);
    default: return;
  }
  live.render();
  conditions?.render();
}

function refused(e) {
  if (e.client_msg_id && tracked.has(e.client_msg_id)) {
    tracked.get(e.client_msg_id).fail(errorText(e.code, e.message));
    tracked.delete(e.client_msg_id);
    return;
  }
  if (!conn.identified && ['bad_credentials', 'unknown_exercise'].includes(e.code)) {
    conn.stop();
    text($('#console-error'), state.observer ? w('observer_link_bad') : errorText(e.code, e.message));
    return;
  }
  text($('#console-error'), errorText(e.code, e.message));
}

let welcomed = false;

function welcome(wel) {
  state.plan = wel.plan;
  state.groups = wel.groups;
  state.roster = new Map(wel.roster.map((p) => [p.participant_id, p]));
  state.sectors = new Map((wel.sectors ?? []).map((s) => [s.id, s.label]));
  state.answers = new Map();
  state.contributions = new Map();
  state.seenAnswers = new Set();
  state.injects = new Map(wel.injects.map((i) => [i.inject_id, i]));
  for (const r of wel.responses) addAnswer(r);
  live.setOlder(wel.older_responses);
  state.released = wel.injects.map((i) => i.inject_id);
  state.tallies = new Map((wel.tallies ?? []).map((t) => [t.inject_id, t]));
  state.attendance = wel.attendance ?? null;
  state.scribes = wel.scribes ? new Map(Object.entries(wel.scribes)) : null;
  state.objectives = wel.objectives || [];
  setConditions(wel.plan.map((p) => p.condition).filter(Boolean));
  text($('#title'), wel.scenario.title);
  document.title = w('doc_title_exercise', { title: wel.scenario.title });
  text($('#join-code'), wel.join_code);
  roster.joining(wel.joining_locked);
  // Links use the server's --public-url when it has one (behind a proxy or a tunnel the
  // console may be opened at another address), else this page's own origin.
  state.publicBase = wel.public_url || location.origin;
  const join = `${state.publicBase}/join/${wel.join_code}`;
  $('#join-link').href = join;
  text($('#join-link'), join.replace(/^https?:\/\//, '')); // the scheme is noise on a shared screen
  // The shared screen and the debrief open in this console's language when it was asked for.
  const asked = new URLSearchParams(location.search).get('lang');
  const withLang = (path) => (asked ? `${path}&lang=${encodeURIComponent(asked)}` : path);
  $('#projector-link').href = withLang(`/projector?code=${encodeURIComponent(wel.join_code)}`);
  $('#debrief-link').href = withLang(`/debrief?exercise=${encodeURIComponent(wel.exercise_id)}`);
  if (wel.observer) text($('#observer-badge'), w('observer_badge', { name: wel.observer.name }));
  setClock(wel.clock);
  renderControls();
  polls.setShowing(wel.showing);
  live.showAnnouncement(wel.announcements?.[wel.announcements.length - 1] ?? null);
  roster.render.now();
  live.render.now();
  evaluation.welcome(wel);
  report.welcome(wel);
  if (!welcomed) {
    welcomed = true;
    restoreScroll();
  }
}

function addAnswer(r) {
  if (state.seenAnswers.has(r.seq)) return; // already counted (a push and the welcome may overlap)
  state.seenAnswers.add(r.seq);
  const cell = `${r.group_id}|${r.inject_id}`;
  // A member's contribution is shown with the group's answers, never counted as one.
  const into = r.contribution ? state.contributions : state.answers;
  if (!into.has(cell)) into.set(cell, []);
  into.get(cell).push(r);
}

function released(inj) {
  state.injects.set(inj.inject_id, inj);
  if (!state.released.includes(inj.inject_id)) state.released.push(inj.inject_id);
  setStatus(inj.inject_id, 'released', inj.play_ms);
}

function setStatus(id, status, playMs) {
  const p = state.plan.find((x) => x.inject_id === id);
  if (p) Object.assign(p, { status, status_play_ms: playMs });
}

// ---- conditional injects (console-conditions.js, loaded for a scenario that has some)

let conditions = null; // the module, once loaded

function setConditions(list) {
  state.conditions = new Map(list.map((c) => [c.inject_id, c]));
  if (conditions || !list.length) return conditions?.render();
  import('/assets/console-conditions.js').then((m) => {
    if (!conditions) m.setup({ state, sendTracked, clockState, playNow });
    conditions = m;
    m.render();
  }, () => {});
}

/** A group's members changed (a join, a move, a new scribe): its scribe, in group mode. */
function setMembers(m) {
  if (!state.scribes) return;
  const scribe = m.members.find((x) => x.scribe);
  if (scribe) state.scribes.set(m.group_id, scribe.participant_id);
  else state.scribes.delete(m.group_id);
}

/** The clock's buttons follow its state at once (not per frame: they are what is pressed). */
function renderControls() {
  const c = clock.current || { state: 'lobby', speed: 1 };
  $('#start').disabled = c.state !== 'lobby';
  $('#pause').disabled = c.state !== 'running';
  $('#resume').disabled = c.state !== 'paused';
  $('#end').disabled = c.state === 'ended';
  const speed = $('#speed');
  if (![...speed.options].some((o) => Number(o.value) === c.speed)) speed.append(h('option', { value: c.speed }, speedText(c.speed)));
  if (speed.value !== String(c.speed)) speed.value = String(c.speed);
}

const clockState = () => clock.current?.state ?? 'lobby';
live.setup({ state, send: (msg) => send(msg), clockState, playNow });
polls.setup({ state, sendTracked });
roster.setup({ state, send: (msg) => send(msg), sendTracked, bearer, exerciseId: () => state.exercise });
evaluation.setup({ state, send, sendTracked });
report.setup({
  sendTracked: (msg, ok, fail) => sendTracked(msg, ok, fail),
  observer: () => state.observer,
  exerciseId: () => state.exercise,
  injectTitle: (id) => state.injects.get(id)?.title ?? id,
  bearer,
});
panels.setup();
languageLinks();
keys.openDebrief($('#debrief-link'));
keys.answerDebrief(() => (state.exercise && conn?.identified ? { exerciseId: state.exercise, bearer: bearer() } : null));
// Answer windows follow the play clock: the grid's "due soon" and "overdue" and the next
// deadline are looked at again every second (a paused clock changes nothing on the page).
setInterval(() => {
  if (!state.exercise || !clock.current) return;
  live.render();
  conditions?.render();
}, 1000);

// ---- controls -------------------------------------------------------------------

$('#start').addEventListener('click', () => send({ type: 'start' }));
$('#pause').addEventListener('click', () => send({ type: 'pause' }));
$('#resume').addEventListener('click', () => send({ type: 'resume_clock' }));
$('#speed').addEventListener('change', (ev) => send({ type: 'set_speed', speed: Number(ev.target.value) }));
$('#end').addEventListener('click', () => $('#confirm-end').showModal());
$('#confirm-end-yes').addEventListener('click', () => {
  send({ type: 'end' });
  $('#confirm-end').close();
});
$('#confirm-end-no').addEventListener('click', () => $('#confirm-end').close());
$('#announce-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const value = $('#announce-text').value.trim();
  if (!value) return;
  send({ type: 'announce', text: value });
  $('#announce-text').value = '';
});
$('#home-button').addEventListener('click', home);

const reopen = params.get('exercise');
if (reopen && keys.observerKey(reopen)) open(reopen, true);
else if (reopen && keys.keyFor(reopen)) open(reopen);
else home();
