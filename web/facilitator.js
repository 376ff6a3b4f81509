// facilitator.js: sign in with the admin token, pick a scenario, create or reopen an
// exercise, and run it: clock controls, release/skip, the who-answered grid, the roster,
// and the evaluation (observers, notes, objective ratings, improvement plan,
// self-assessment). Opened from an observer link (#observer=<key>), the same console is
// read-only apart from notes and ratings. The report's panels (profile charts, executive
// summary, shared screen, adoption board, plan downloads) are in console-report.js.

import { Connection } from '/assets/client.js';
import { $, h, text, playTime, playClock, randomId, showState } from '/assets/ui.js';
import * as report from '/assets/console-report.js';

const params = new URLSearchParams(location.search);
if (params.get('token')) {
  sessionStorage.setItem('tt.admin', params.get('token'));
  params.delete('token');
  history.replaceState(null, '', location.pathname + (params.size ? `?${params}` : ''));
}
const admin = () => sessionStorage.getItem('tt.admin');
const keyFor = (id) => localStorage.getItem(`tt.fkey.${id}`) || admin();

// An observer link: /facilitator?exercise=<id>#observer=<key>. The key moves to storage
// (the tab's, which makes this tab an observer's, and the browser's, for the debrief)
// and leaves the address bar, so it does not show when the screen is shared.
const linkKey = new URLSearchParams(location.hash.slice(1)).get('observer');
if (linkKey && params.get('exercise')) {
  for (const s of [sessionStorage, localStorage]) s.setItem(`tt.okey.${params.get('exercise')}`, linkKey);
  history.replaceState(null, '', location.pathname + location.search);
}
const observerKey = (id) => sessionStorage.getItem(`tt.okey.${id}`) || (keyFor(id) ? null : localStorage.getItem(`tt.okey.${id}`));

const state = {
  exercise: null, observer: false, plan: [], groups: [], roster: new Map(), responses: [], released: [],
  objectives: [], notes: new Map(), ratings: new Map(), items: new Map(), observers: [], sa: null,
  me: 'facilitator', // the author key of this console's own ratings
};
let conn = null;
const clock = playClock($('#clock'), (c, ms) => `${c.state} ${playTime(ms)}${c.speed !== 1 ? ` · ${c.speed}×` : ''}`);

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin()}`, ...options.headers } });
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
  sessionStorage.setItem('tt.admin', $('#token').value.trim());
  home();
});

// ---- home: scenarios and exercises ---------------------------------------------

let chosen = null;

async function home() {
  if (conn) conn.stop();
  $('#conn').hidden = true;
  history.replaceState(null, '', location.pathname);
  if (!admin()) return show('signin');
  let scenarios, exercises;
  try {
    [scenarios, exercises] = await Promise.all([api('/api/scenarios'), api('/api/exercises')]);
  } catch (e) {
    sessionStorage.removeItem('tt.admin');
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
    localStorage.setItem(`tt.fkey.${created.exercise_id}`, created.facilitator_key);
    open(created.exercise_id);
  } catch (e) {
    text($('#home-error'), e.message);
    $('#create').disabled = false;
  }
});

// ---- console --------------------------------------------------------------------

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
    // The console always takes a full snapshot: it rebuilds its tables from it.
    hello: () => (observer
      ? { type: 'observe', exercise_id: id, observer_key: observerKey(id) }
      : { type: 'facilitate', exercise_id: id, facilitator_key: keyFor(id) }),
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
  switch (m.type) {
    case 'welcome': return welcome(m);
    case 'ack': tracked.get(m.client_msg_id)?.ok(); tracked.delete(m.client_msg_id); return;
    case 'note': addNote(m); return;
    case 'rating': setRating(m); return;
    case 'improvement': setItem(m); return;
    case 'observer': state.observers = [...state.observers.filter((o) => o.observer_id !== m.observer_id), m]; renderObservers(); return;
    case 'self_assessment_results': state.sa = m; renderSelfAssessment(); return;
    case 'report_draft': case 'showing': case 'public_results': case 'adoption': report.push(m); return;
    case 'clock': clock.set(m); break;
    case 'inject': released(m); break;
    case 'inject_skipped': setStatus(m.inject_id, 'skipped', m.play_ms); break;
    case 'response': state.responses.push(m); break;
    case 'participant': state.roster.set(m.participant.participant_id, m.participant); renderRoster(); break;
    case 'announcement': text($('#console-error'), ''); text($('#next-due'), `Announced: ${m.text}`); return;
    case 'error': return refused(m);
    default: return;
  }
  render();
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
  state.responses = w.responses;
  state.released = w.injects.map((i) => i.inject_id);
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
  renderRoster();
  render();
  evaluationWelcome(w);
  report.welcome(w);
}

function released(inj) {
  if (!state.released.includes(inj.inject_id)) state.released.push(inj.inject_id);
  setStatus(inj.inject_id, 'released', inj.play_ms);
}

function setStatus(id, status, playMs) {
  const p = state.plan.find((x) => x.inject_id === id);
  if (p) Object.assign(p, { status, status_play_ms: playMs });
}

const targets = (p, groupId) => p.targets === 'all' || p.targets.includes(groupId);

function render() {
  const c = clock.current || { state: 'lobby', speed: 1 };
  $('#start').disabled = c.state !== 'lobby';
  $('#pause').disabled = c.state !== 'running';
  $('#resume').disabled = c.state !== 'paused';
  $('#end').disabled = c.state === 'ended';
  const speed = $('#speed');
  if (![...speed.options].some((o) => Number(o.value) === c.speed)) speed.append(h('option', { value: c.speed }, `${c.speed}×`));
  speed.value = String(c.speed);
  renderPlan();
  renderGrid();
}

function renderPlan() {
  const next = state.plan.filter((p) => p.status === 'pending' && p.at_ms !== undefined).sort((a, b) => a.at_ms - b.at_ms)[0];
  text($('#next-due'), next ? `Next: ${next.title} at ${playTime(next.at_ms)}` : 'No timed inject pending.');
  const ended = clock.current?.state === 'ended';
  $('#plan').replaceChildren(
    h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Inject'), h('th', {}, 'To'), h('th', {}, 'Status'), state.observer ? null : h('th', {}, 'Actions'))),
    h('tbody', {}, state.plan.map((p) => h('tr', { className: `plan-row${p === next ? ' next' : ''}`, 'data-inject-id': p.inject_id },
      h('td', {}, p.at_ms === undefined ? 'contingency' : playTime(p.at_ms)),
      h('td', {}, h('strong', {}, p.title), h('details', { className: 'notes' }, h('summary', {}, 'Notes and expected actions'),
        p.facilitator_notes ? h('p', {}, p.facilitator_notes) : null,
        p.expected_actions.length ? h('ul', {}, p.expected_actions.map((a) => h('li', {}, a))) : null,
        p.objectives.length ? h('p', { className: 'muted' }, `Objectives: ${p.objectives.join(', ')}`) : null)),
      h('td', {}, p.targets === 'all' ? 'all groups' : p.targets.join(', ')),
      h('td', { className: `status status-${p.status}` }, p.status === 'pending' ? 'pending' : `${p.status} at ${playTime(p.status_play_ms ?? 0)}`),
      state.observer ? null : h('td', { className: 'actions' }, p.status === 'pending' && !ended ? [
        h('button', { type: 'button', className: 'release', onclick: () => send({ type: 'release', inject_id: p.inject_id }) }, 'Release now'), ' ',
        h('button', { type: 'button', className: 'skip secondary', onclick: () => send({ type: 'skip', inject_id: p.inject_id }) }, 'Skip'),
      ] : null)))));
}

function renderGrid() {
  const cols = state.released.map((id) => state.plan.find((p) => p.inject_id === id)).filter(Boolean);
  $('#grid').replaceChildren(
    h('thead', {}, h('tr', {}, h('th', {}, 'Group'), cols.map((p) => h('th', { scope: 'col' }, p.title)))),
    h('tbody', {}, state.groups.map((g) => h('tr', { 'data-group-id': g.id }, h('th', { scope: 'row' }, g.name),
      cols.map((p) => {
        if (!targets(p, g.id)) return h('td', { className: 'untargeted' }, '—');
        const answers = state.responses.filter((r) => r.group_id === g.id && r.inject_id === p.inject_id);
        const last = answers[answers.length - 1];
        return h('td', { className: 'cell', 'data-group-id': g.id, 'data-inject-id': p.inject_id, 'data-count': answers.length },
          h('span', { className: 'count' }, String(answers.length)),
          last ? h('div', { className: 'latest', title: answers.map((a) => `${a.participant_name}: ${a.text}`).join('\n\n') }, `${last.participant_name}: ${last.text}`) : null);
      })))));
}

function renderRoster() {
  $('#roster').replaceChildren(...state.groups.map((g) => {
    const members = [...state.roster.values()].filter((p) => p.group_id === g.id);
    return h('div', { className: 'group-box' }, h('h3', {}, `${g.name} (${members.length})`),
      h('ul', {}, members.map((p) => h('li', { className: 'member', 'data-participant-id': p.participant_id },
        h('span', {}, p.name),
        p.organisation || p.sector
          ? h('span', { className: 'muted affiliation' },
            [p.organisation, p.sector && (state.sectors?.get(p.sector) ?? p.sector)].filter(Boolean).join(' · '))
          : null,
        state.observer ? null : h('select', { className: 'move', 'aria-label': `Move ${p.name} to another group`,
          onchange: (ev) => send({ type: 'move', participant_id: p.participant_id, group_id: ev.target.value }) },
        state.groups.map((o) => h('option', { value: o.id, selected: o.id === g.id }, o.name)))))));
  }));
}

// ---- evaluation -----------------------------------------------------------------

const MEANINGS = {
  P: 'Performed without challenges',
  S: 'Performed with some challenges',
  M: 'Performed with major challenges',
  U: 'Unable to be performed',
};
const CATEGORIES = { observation: 'Observation', strength: 'Strength', area_for_improvement: 'Area for improvement' };
const PRIORITIES = { high: 'High', medium: 'Medium', low: 'Low' };
const PROGRESS = { not_started: 'Not started', in_progress: 'In progress', complete: 'Complete', cancelled: 'Cancelled' };
const CAPABILITIES = { planning: 'Planning', organisation: 'Organisation', equipment: 'Equipment', training: 'Training', exercise: 'Exercise' };
const groupName = (id) => state.groups.find((g) => g.id === id)?.name ?? id;
const injectTitle = (id) => state.plan.find((p) => p.inject_id === id)?.title ?? id;
const clip = (s, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const mean = (m) => (m === null || m === undefined ? '—' : m.toFixed(1));

function evaluationWelcome(w) {
  state.objectives = w.objectives || [];
  state.notes = new Map((w.notes || []).map((n) => [n.note_id, n]));
  state.me = w.observer ? authorKey({ role: 'observer', observer_id: w.observer.observer_id }) : 'facilitator';
  state.ratings = new Map((w.ratings || []).map((r) => [ratingKey(r), r]));
  state.items = new Map((w.improvements || []).map((i) => [i.item_id, i]));
  state.observers = w.observers || [];
  state.sa = w.self_assessment_results || null;
  fillSelect($('#note-inject'), [['', '— no inject —'], ...state.plan.map((p) => [p.inject_id, p.title])]);
  fillSelect($('#note-objective'), [['', '— no objective —'], ...state.objectives.map((o) => [o.id, clip(o.text)])]);
  fillSelect($('#note-group'), [['', '— no group —'], ...state.groups.map((g) => [g.id, g.name])]);
  fillSelect($('#imp-group'), state.groups.map((g) => [g.id, g.name]));
  renderNotes();
  renderRatings();
  renderItems();
  renderObservers();
  renderSelfAssessment();
}

/** Replaces a select's options, keeping the chosen value when it still exists. */
function fillSelect(select, options) {
  const was = select.value;
  select.replaceChildren(...options.map(([value, label]) => h('option', { value }, label)));
  if (options.some(([v]) => v === was)) select.value = was;
}

// Notes: newest first, with who, when (play time) and what they are about.

function addNote(n) {
  state.notes.set(n.note_id, n);
  renderNotes();
}

function renderNotes() {
  const notes = [...state.notes.values()].sort((a, b) => b.seq - a.seq);
  $('#notes').replaceChildren(...(notes.length ? notes.map((n) => h('li', { className: 'note', 'data-note-id': n.note_id },
    h('p', { className: 'note-meta' },
      h('span', { className: 'note-time' }, playTime(n.play_ms)), ' · ', h('span', { className: 'note-author' }, n.author_name),
      n.inject_id ? h('span', { className: 'tag note-inject' }, injectTitle(n.inject_id)) : null,
      n.objective_id ? h('span', { className: 'tag note-objective' }, n.objective_id) : null,
      n.group_id ? h('span', { className: 'tag note-group' }, groupName(n.group_id)) : null,
      h('span', { className: 'tag note-category', 'data-category': n.category ?? 'observation' }, CATEGORIES[n.category] ?? CATEGORIES.observation)),
    h('p', { className: 'note-text' }, n.text)))
    : [h('li', { className: 'muted' }, 'No notes yet.')]));
}

$('#note-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const value = $('#note-text').value;
  const status = $('#note-status');
  if (!value.trim()) return text(status, 'Type the note first.');
  const tags = {};
  for (const [key, el] of [['inject_id', '#note-inject'], ['objective_id', '#note-objective'], ['group_id', '#note-group'], ['category', '#note-category']]) {
    if ($(el).value) tags[key] = $(el).value;
  }
  $('#note-send').disabled = true;
  text(status, 'Saving…');
  sendTracked({ type: 'note', text: value, ...tags }, () => {
    $('#note-send').disabled = false;
    if ($('#note-text').value === value) $('#note-text').value = '';
    text(status, 'Saved ✓');
  }, (err) => {
    $('#note-send').disabled = false;
    text(status, err);
  });
});

// Objective ratings: every evaluator's rating of an objective side by side (one per
// author: a later one of theirs replaces theirs), the facilitator's being the consensus
// the report uses. Below them, this console's own rating form (the consensus, on the
// facilitator's console), built once per exercise so what is being typed survives pushes
// and reconnects; a push fills a form nobody is editing.

const authorKey = (a) => (a?.role === 'observer' ? `observer:${a.observer_id}` : 'facilitator');
const ratingKey = (r) => `${r.objective_id}|${authorKey(r.author)}`;
const ratingsOf = (objectiveId) => [...state.ratings.values()].filter((r) => r.objective_id === objectiveId)
  .sort((a, b) => Number(Boolean(b.consensus)) - Number(Boolean(a.consensus)) || a.seq - b.seq);

const ratingBoxes = new Map(); // objective_id → {el, select, strengths, areas, current, board, status, dirty}
let ratingsFor = null;

function renderRatings() {
  if (ratingsFor !== state.exercise || ratingBoxes.size !== state.objectives.length) {
    ratingsFor = state.exercise;
    ratingBoxes.clear();
    $('#ratings').replaceChildren(...(state.objectives.length ? state.objectives.map((o, i) => ratingBox(o, `obj${i}`))
      : [h('p', { className: 'muted' }, 'This scenario has no objectives to rate.')]));
  }
  for (const [id, box] of ratingBoxes) showRatings(box, id);
}

function ratingBox(o, key) {
  const select = h('select', { id: `${key}-rating`, className: 'rating' }, h('option', { value: '' }, 'Choose a rating…'),
    Object.entries(MEANINGS).map(([letter, meaning]) => h('option', { value: letter }, `${letter} — ${meaning}`)));
  const strengths = h('textarea', { id: `${key}-strengths`, className: 'strengths', rows: 2, maxLength: 4000 });
  const areas = h('textarea', { id: `${key}-areas`, className: 'areas', rows: 2, maxLength: 4000 });
  const current = h('p', { className: 'current-rating' });
  const board = h('div', { className: 'evaluator-ratings' });
  const status = h('span', { className: 'muted rating-status', 'aria-live': 'polite' });
  const consensus = !state.observer;
  const save = h('button', { type: 'button', className: 'save-rating' }, consensus ? 'Save consensus rating' : 'Save my rating');
  const el = h('div', { className: 'objective-rating', 'data-objective-id': o.id },
    h('p', { className: 'objective-text' }, h('strong', {}, o.id), ': ', o.text), current,
    board,
    h('div', { className: 'own-rating', 'data-consensus': String(consensus) },
      h('h4', {}, consensus ? 'Consensus rating (yours, the facilitator\u2019s: the report uses it)' : 'Your rating'),
      h('div', {}, h('label', { for: select.id }, 'Rating'), select),
      h('div', {}, h('label', { for: strengths.id }, 'Strengths'), strengths),
      h('div', {}, h('label', { for: areas.id }, 'Areas for improvement'), areas),
      h('div', { className: 'row' }, save, status)));
  const box = { el, select, strengths, areas, current, board, status, dirty: false };
  for (const input of [select, strengths, areas]) input.addEventListener('input', () => { box.dirty = true; });
  save.addEventListener('click', () => {
    if (!select.value) return text(status, 'Choose P, S, M or U first.');
    save.disabled = true;
    text(status, 'Saving…');
    sendTracked({ type: 'rate_objective', objective_id: o.id, rating: select.value, strengths: strengths.value, areas_for_improvement: areas.value },
      () => { save.disabled = false; box.dirty = false; text(status, 'Saved ✓'); },
      (err) => { save.disabled = false; text(status, err); });
  });
  ratingBoxes.set(o.id, box);
  return el;
}

function setRating(r) {
  state.ratings.set(ratingKey(r), r);
  const box = ratingBoxes.get(r.objective_id);
  if (box) showRatings(box, r.objective_id);
}

const letter = (r) => [h('strong', { className: 'rating-letter' }, r.rating), ` — ${MEANINGS[r.rating] ?? r.rating}`];

function showRatings(box, objectiveId) {
  const all = ratingsOf(objectiveId);
  const consensus = all.find((r) => r.consensus);
  const latest = all.reduce((a, r) => (!a || r.seq > a.seq ? r : a), null);
  const shown = consensus ?? latest;
  box.current.dataset.rating = shown?.rating ?? '';
  box.current.replaceChildren(...(consensus ? ['Consensus: ', ...letter(consensus), ` (${consensus.author_name})`]
    : latest ? ['No consensus yet · latest: ', ...letter(latest), ` (${latest.author_name})`]
      : ['Not rated yet.']));
  box.board.replaceChildren(...(all.length ? all.map((r) => h('div', {
    className: 'evaluator-rating', 'data-author': authorKey(r.author), 'data-consensus': String(Boolean(r.consensus)), 'data-rating': r.rating,
  },
  h('p', { className: 'evaluator-head' }, h('span', { className: 'evaluator-name' }, r.author_name),
    r.consensus ? h('span', { className: 'tag consensus-tag' }, 'Consensus') : h('span', { className: 'tag' }, 'Evaluator')),
  h('p', { className: 'evaluator-letter' }, ...letter(r)),
  h('p', { className: 'evaluator-strengths' }, h('span', { className: 'muted' }, 'Strengths: '), r.strengths || '—'),
  h('p', { className: 'evaluator-areas' }, h('span', { className: 'muted' }, 'Areas for improvement: '), r.areas_for_improvement || '—')))
    : [h('p', { className: 'muted' }, 'No evaluator has rated this objective yet.')]));
  // The form holds this console's own rating; the facilitator's consensus form, until
  // they rate, starts from the latest evaluator's rating (not saved until they save it).
  const own = all.find((r) => authorKey(r.author) === state.me);
  const from = own ?? (state.observer ? null : latest);
  if (from && !box.dirty) {
    box.select.value = from.rating;
    box.strengths.value = from.strengths;
    box.areas.value = from.areas_for_improvement;
    if (!own) text(box.status, `Not saved: filled in from ${from.author_name}'s rating`);
  }
}

// The improvement plan: proposals from the groups to accept (as they are or edited) or
// drop, the accepted items, and a form to add or edit an item.

let editing = null; // item_id being edited in the form
let awaiting = null; // {item_id?, issue} sent from the form, until its push arrives

function setItem(m) {
  state.items.set(m.item_id, m);
  renderItems();
  if (awaiting && (awaiting.item_id ? awaiting.item_id === m.item_id : m.status === 'accepted' && m.item.issue === awaiting.issue)) {
    awaiting = null;
    resetItemForm();
    text($('#imp-status'), 'Saved ✓');
  }
}

function renderItems() {
  const all = [...state.items.values()];
  const sections = [['proposed', 'Proposed by the groups'], ['accepted', 'Accepted'], ['dropped', 'Dropped']];
  $('#improvements').replaceChildren(...sections.flatMap(([status, title]) => {
    const items = all.filter((i) => i.status === status);
    if (!items.length && status !== 'accepted') return [];
    return [h('h4', {}, `${title} (${items.length})`),
      h('ul', { className: 'plain items', 'data-status': status }, items.length ? items.map(itemRow) : h('li', { className: 'muted' }, 'None yet.'))];
  }));
}

function itemRow(v) {
  const i = v.item;
  const who = [i.responsible_org, i.owner, i.start && `start ${i.start}`, i.due && `due ${i.due}`].filter(Boolean).join(' · ');
  const act = (label, className, fn) => h('button', { type: 'button', className, onclick: fn }, label);
  return h('li', { className: 'improvement', 'data-item-id': v.item_id, 'data-status': v.status },
    h('p', { className: 'item-head' }, h('strong', {}, groupName(i.group_id)), ` · ${CAPABILITIES[i.capability] ?? i.capability}`,
      v.proposed_by ? ` · proposed by ${v.proposed_by}` : ''),
    h('p', { className: 'item-issue' }, h('span', { className: 'muted' }, 'Issue: '), i.issue),
    h('p', { className: 'item-action' }, h('span', { className: 'muted' }, 'Action: '), i.corrective_action),
    who ? h('p', { className: 'item-owner muted' }, who) : null,
    h('p', { className: 'item-ip' },
      h('span', { className: 'tag item-priority', 'data-priority': i.priority ?? '' }, `Priority: ${PRIORITIES[i.priority] ?? 'not set'}`),
      h('span', { className: 'tag item-progress', 'data-progress': i.progress ?? '' }, `Status: ${PROGRESS[i.progress] ?? 'not set'}`)),
    state.observer ? null : h('div', { className: 'row' },
      v.status !== 'accepted' ? act('Accept', 'accept', () => send({ type: 'accept_improvement', item_id: v.item_id, item: i }, $('#evaluation-error'))) : null,
      act('Edit', 'edit secondary', () => editItem(v)),
      v.status !== 'dropped' ? act('Drop', 'drop secondary', () => send({ type: 'drop_improvement', item_id: v.item_id }, $('#evaluation-error'))) : null));
}

const itemFields = {
  issue: '#imp-issue', corrective_action: '#imp-action', group_id: '#imp-group', capability: '#imp-capability', responsible_org: '#imp-org',
  owner: '#imp-owner', start: '#imp-start', due: '#imp-due', priority: '#imp-priority', progress: '#imp-progress',
};

function editItem(v) {
  editing = v.item_id;
  for (const [k, sel] of Object.entries(itemFields)) $(sel).value = v.item[k] ?? '';
  text($('#imp-form-title'), 'Edit, then accept');
  text($('#imp-save'), v.status === 'accepted' ? 'Save changes' : 'Accept edited item');
  $('#imp-cancel').hidden = false;
  text($('#imp-status'), '');
  $('#imp-issue').focus();
}

function resetItemForm() {
  editing = null;
  $('#improvement-form').reset();
  text($('#imp-form-title'), 'Add an item');
  text($('#imp-save'), 'Add to the plan');
  $('#imp-cancel').hidden = true;
}

$('#imp-cancel').addEventListener('click', () => {
  awaiting = null;
  resetItemForm();
  text($('#imp-status'), '');
});

$('#improvement-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const item = Object.fromEntries(Object.entries(itemFields).map(([k, sel]) => [k, $(sel).value.trim()]));
  if (!item.issue || !item.corrective_action) return text($('#imp-status'), 'An issue and a corrective action are needed.');
  if (item.start && item.due && item.start > item.due) return text($('#imp-status'), 'The start date is after the completion date.');
  for (const k of ['priority', 'progress']) item[k] ||= null; // not decided
  awaiting = { item_id: editing, issue: item.issue };
  if (send({ type: 'accept_improvement', ...(editing ? { item_id: editing } : {}), item }, $('#imp-status'))) text($('#imp-status'), 'Saving…');
});

// Observers: the facilitator adds them and hands each their link (the key travels only
// in the link's fragment, never to the server in a URL).

function observerLink(o) {
  return `${location.origin}/facilitator?exercise=${encodeURIComponent(state.exercise)}#observer=${encodeURIComponent(o.key)}`;
}

function renderObservers() {
  $('#observers').replaceChildren(...(state.observers.length ? state.observers.map((o, i) => {
    if (!o.key) return h('li', { className: 'observer', 'data-observer-id': o.observer_id }, o.name);
    const link = h('input', { className: 'observer-link', readOnly: true, value: observerLink(o), 'aria-label': `Observer link for ${o.name}`, id: `observer-link-${i}` });
    const status = h('span', { className: 'muted', 'aria-live': 'polite' });
    const copy = h('button', { type: 'button', className: 'copy-link secondary', 'aria-label': `Copy the observer link for ${o.name}` }, 'Copy link');
    copy.addEventListener('click', async () => {
      link.select();
      let ok = false;
      try {
        await navigator.clipboard.writeText(link.value);
        ok = true;
      } catch {
        ok = document.execCommand?.('copy') ?? false;
      }
      text(status, ok ? 'Copied ✓' : 'Select the link and copy it');
    });
    return h('li', { className: 'observer', 'data-observer-id': o.observer_id },
      h('strong', { className: 'observer-name' }, o.name), h('div', { className: 'row' }, link, copy, status));
  }) : [h('li', { className: 'muted' }, 'No observers yet.')]));
}

$('#observer-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const name = $('#observer-name').value.trim();
  if (!name) return;
  if (send({ type: 'add_observer', name }, $('#evaluation-error'))) $('#observer-name').value = '';
});

// Self-assessment: open/close, and the results per group as they come in.

const SA_STATES = { not_opened: 'Not opened yet', open: 'Open: participants are rating', closed: 'Closed' };

let statementsFor = null; // the exercise whose per-statement details were last opened or closed

function renderSelfAssessment() {
  const sa = state.sa;
  $('#self-assessment').hidden = !sa;
  if (!sa) return;
  report.renderProfile(sa);
  // A profile shows its domains first; the statements stay one click away.
  if (statementsFor !== state.exercise) {
    statementsFor = state.exercise;
    $('#sa-statements').open = !sa.profile;
  }
  showState($('#sa-state'), sa.state, SA_STATES[sa.state] ?? sa.state);
  $('#sa-open').disabled = sa.state === 'open';
  text($('#sa-open'), sa.state === 'closed' ? 'Reopen self-assessment' : 'Open self-assessment');
  $('#sa-close').disabled = sa.state !== 'open';
  $('#sa-results').replaceChildren(
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Statement'), h('th', { scope: 'col' }, 'Mean'),
      h('th', { scope: 'col' }, 'Spread'), h('th', { scope: 'col' }, 'Count'))),
    ...sa.groups.map((g) => h('tbody', { 'data-group-id': g.group_id },
      h('tr', { className: 'sa-group', 'data-group-id': g.group_id },
        h('th', { scope: 'rowgroup', colSpan: 4 }, g.group_name, ' · mean ', h('span', { className: 'sa-group-mean' }, mean(g.mean)),
          ' · ', h('span', { className: 'sa-raters' }, String(g.raters)), g.raters === 1 ? ' rater' : ' raters')),
      g.statements.map((st) => h('tr', { className: 'sa-row', 'data-group-id': g.group_id, 'data-statement-id': st.statement_id },
        h('td', { className: 'sa-text' }, st.text),
        h('td', { className: 'sa-mean' }, mean(st.mean)),
        h('td', { className: 'sa-spread', title: `1–5: ${st.histogram.join(' · ')}` }, st.count ? `${st.min}–${st.max}` : '—'),
        h('td', { className: 'sa-count' }, String(st.count)))))));
}

report.setup({
  sendTracked: (msg, ok, fail) => sendTracked(msg, ok, fail),
  observer: () => state.observer,
  exerciseId: () => state.exercise,
  bearer: () => (state.observer ? observerKey(state.exercise) : keyFor(state.exercise)),
});

$('#sa-open').addEventListener('click', () => send({ type: 'open_self_assessment' }, $('#evaluation-error')));
$('#sa-close').addEventListener('click', () => send({ type: 'close_self_assessment' }, $('#evaluation-error')));

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
if (reopen && observerKey(reopen)) open(reopen, true);
else if (reopen && keyFor(reopen)) open(reopen);
else home();
