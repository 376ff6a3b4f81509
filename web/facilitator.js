// facilitator.js: the console's entry point. Signs in with the admin token, picks a
// scenario, creates or reopens an exercise, and runs it: it owns the websocket and the
// exercise's state, sends the facilitator's commands (each with a client_msg_id, so a
// refusal shows beside its control), and hands every message to the module that shows it:
// - console-live.js: clock line, grid, injects table, current inject, groups;
// - console-evaluation.js: notes, ratings, improvement plan, observers, and through
//   console-self-assessment.js the self-assessment;
// - console-report.js: profile charts, report text, shared screen, adoption board;
// - console-panels.js: which evaluation panels are open (remembered in this browser);
// - console-keys.js: where the keys are kept, and how the debrief gets them.
// Opened from an observer link (#observer=<key>), the same console is read-only apart
// from notes and ratings.

import { Connection } from '/assets/client.js';
import { $, h, text, playTime, playClock, randomId, showState } from '/assets/ui.js';
import * as keys from '/assets/console-keys.js';
import * as live from '/assets/console-live.js';
import * as evaluation from '/assets/console-evaluation.js';
import * as panels from '/assets/console-panels.js';
import * as report from '/assets/console-report.js';

const params = keys.takeAdminToken(new URLSearchParams(location.search));
keys.takeObserverKey(params.get('exercise'));

const state = {
  exercise: null, observer: false, plan: [], groups: [], roster: new Map(), sectors: new Map(), released: [],
  answers: new Map(), // "group_id|inject_id" → that group's answers to that inject, in order
  seenAnswers: new Set(), // seq of every answer counted (a reconnect's welcome replaces them all)
  objectives: [], notes: new Map(), ratings: new Map(), items: new Map(), observers: [], sa: null,
  me: 'facilitator', // the author key of this console's own ratings
};
let conn = null;
const clock = playClock($('#clock'), (c, ms) => `${c.state} ${playTime(ms)}${c.speed !== 1 ? ` · ${c.speed}×` : ''}`);

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin()}`, ...options.headers } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.error?.message || res.statusText), { status: res.status });
  return body;
}

function show(section) {
  for (const id of ['signin', 'home', 'console']) $(`#${id}`).hidden = id !== section;
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
  history.replaceState(null, '', location.pathname);
  if (!keys.admin()) return show('signin');
  let scenarios, exercises;
  try {
    [scenarios, exercises] = await Promise.all([api('/api/scenarios'), api('/api/exercises')]);
  } catch (e) {
    keys.forgetAdmin();
    show('signin');
    text($('#signin-error'), e.status === 401 ? 'That token is not right.' : e.message);
    return;
  }
  show('home');
  $('#scenarios').replaceChildren(...scenarios.map((s) =>
    h('button', { type: 'button', className: 'scenario', role: 'radio', 'aria-checked': 'false', 'data-scenario-id': s.id, onclick: (ev) => choose(s.id, ev.currentTarget) },
      h('strong', {}, s.title), `${s.duration_minutes} min · ${s.groups.length} groups · ${s.injects} injects`)));
  $('#exercises').replaceChildren(...(exercises.length ? exercises.map((e) =>
    h('li', { className: 'row' },
      h('button', { type: 'button', className: 'open-exercise secondary', 'data-exercise-id': e.exercise_id, onclick: () => open(e.exercise_id) }, 'Open'),
      `${e.title} · ${e.phase} · code ${e.join_code} · ${e.participants} participants · ${new Date(e.created_wall_ms).toLocaleString()}`))
    : [h('li', { className: 'muted' }, 'None yet.')]));
}

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
  history.replaceState(null, '', `${location.pathname}?exercise=${encodeURIComponent(id)}`);
  show('console');
  if (conn) conn.stop();
  conn = new Connection({
    // The console always takes a full snapshot; its rows are patched from it, not rebuilt.
    hello: () => (observer
      ? { type: 'observe', exercise_id: id, observer_key: keys.observerKey(id) }
      : { type: 'facilitate', exercise_id: id, facilitator_key: keys.keyFor(id) }),
    onMessage,
    onState: (s) => {
      const el = $('#conn');
      el.hidden = false;
      showState(el, s);
    },
  });
  conn.start();
}

const NOT_CONNECTED = 'Not connected; try again in a moment.';

// Every command carries a client_msg_id: the server answers it with `ack` once stored or
// with an `error` carrying the id, which shows beside the control that sent it.
const tracked = new Map(); // client_msg_id → {ok, fail}
function sendTracked(msg, ok, fail) {
  const id = randomId();
  tracked.set(id, { ok, fail });
  if (!conn.send({ ...msg, client_msg_id: id })) {
    tracked.delete(id);
    fail(NOT_CONNECTED);
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
  if (evaluation.push(m) || report.push(m)) return;
  switch (m.type) {
    case 'welcome': return welcome(m);
    case 'ack': tracked.get(m.client_msg_id)?.ok(); tracked.delete(m.client_msg_id); return;
    case 'clock': clock.set(m); renderControls(); break;
    case 'inject': released(m); break;
    case 'inject_skipped': setStatus(m.inject_id, 'skipped', m.play_ms); break;
    case 'response': addAnswer(m); break;
    case 'participant': state.roster.set(m.participant.participant_id, m.participant); live.renderRoster(); return;
    case 'announcement': live.showAnnouncement(m); return;
    case 'error': return refused(m);
    default: return;
  }
  live.render();
}

function refused(e) {
  if (e.client_msg_id && tracked.has(e.client_msg_id)) {
    tracked.get(e.client_msg_id).fail(`${e.message} (${e.code})`);
    tracked.delete(e.client_msg_id);
    return;
  }
  if (!conn.identified && ['bad_credentials', 'unknown_exercise'].includes(e.code)) {
    conn.stop();
    text($('#console-error'), state.observer ? 'This observer link is not valid: ask the facilitator for a new one.' : `${e.code}: ${e.message}`);
    return;
  }
  text($('#console-error'), `${e.code}: ${e.message}`);
}

function welcome(w) {
  state.plan = w.plan;
  state.groups = w.groups;
  state.roster = new Map(w.roster.map((p) => [p.participant_id, p]));
  state.sectors = new Map((w.sectors ?? []).map((s) => [s.id, s.label]));
  state.answers = new Map();
  state.seenAnswers = new Set();
  for (const r of w.responses) addAnswer(r);
  state.released = w.injects.map((i) => i.inject_id);
  state.objectives = w.objectives || [];
  text($('#title'), w.scenario.title);
  document.title = `${w.scenario.title} · facilitator`;
  text($('#join-code'), w.join_code);
  const join = `${location.origin}/join/${w.join_code}`;
  $('#join-link').href = join;
  text($('#join-link'), join);
  $('#projector-link').href = `/projector?code=${encodeURIComponent(w.join_code)}`;
  $('#debrief-link').href = `/debrief?exercise=${encodeURIComponent(w.exercise_id)}`;
  if (w.observer) text($('#observer-badge'), `Observer: ${w.observer.name}`);
  clock.set(w.clock);
  renderControls();
  live.showAnnouncement(w.announcements?.[w.announcements.length - 1] ?? null);
  live.renderRoster();
  live.render.now();
  evaluation.welcome(w);
  report.welcome(w);
}

function addAnswer(r) {
  if (r.contribution) return; // a member's contribution is not the group's answer
  if (state.seenAnswers.has(r.seq)) return; // already counted (a push and the welcome may overlap)
  state.seenAnswers.add(r.seq);
  const cell = `${r.group_id}|${r.inject_id}`;
  if (!state.answers.has(cell)) state.answers.set(cell, []);
  state.answers.get(cell).push(r);
}

function released(inj) {
  if (!state.released.includes(inj.inject_id)) state.released.push(inj.inject_id);
  setStatus(inj.inject_id, 'released', inj.play_ms);
}

function setStatus(id, status, playMs) {
  const p = state.plan.find((x) => x.inject_id === id);
  if (p) Object.assign(p, { status, status_play_ms: playMs });
}

/** The clock's buttons follow its state at once (not per frame: they are what is pressed). */
function renderControls() {
  const c = clock.current || { state: 'lobby', speed: 1 };
  $('#start').disabled = c.state !== 'lobby';
  $('#pause').disabled = c.state !== 'running';
  $('#resume').disabled = c.state !== 'paused';
  $('#end').disabled = c.state === 'ended';
  const speed = $('#speed');
  if (![...speed.options].some((o) => Number(o.value) === c.speed)) speed.append(h('option', { value: c.speed }, `${c.speed}×`));
  if (speed.value !== String(c.speed)) speed.value = String(c.speed);
}

live.setup({ state, send: (msg) => send(msg), clockState: () => clock.current?.state ?? 'lobby' });
evaluation.setup({ state, send, sendTracked });
report.setup({
  sendTracked: (msg, ok, fail) => sendTracked(msg, ok, fail),
  observer: () => state.observer,
  exerciseId: () => state.exercise,
  bearer,
});
panels.setup();
keys.openDebrief($('#debrief-link'));
keys.answerDebrief(() => (state.exercise && conn?.identified ? { exerciseId: state.exercise, bearer: bearer() } : null));

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
