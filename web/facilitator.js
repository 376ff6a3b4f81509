// facilitator.js: sign in with the admin token, pick a scenario, create or reopen an
// exercise, and run it: clock controls, release/skip, the who-answered grid, the roster.

import { Connection } from '/assets/client.js';
import { $, h, text, playTime, clockReader } from '/assets/ui.js';

const params = new URLSearchParams(location.search);
if (params.get('token')) {
  sessionStorage.setItem('tt.admin', params.get('token'));
  params.delete('token');
  history.replaceState(null, '', location.pathname + (params.size ? `?${params}` : ''));
}
const admin = () => sessionStorage.getItem('tt.admin');
const keyFor = (id) => localStorage.getItem(`tt.fkey.${id}`) || admin();

const state = { exercise: null, plan: [], groups: [], roster: new Map(), responses: [], released: [], clock: null, read: () => 0 };
let conn = null;

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

function open(id) {
  state.exercise = id;
  history.replaceState(null, '', `${location.pathname}?exercise=${encodeURIComponent(id)}`);
  show('console');
  if (conn) conn.stop();
  conn = new Connection({
    // The console always takes a full snapshot: it rebuilds its tables from it.
    hello: () => ({ type: 'facilitate', exercise_id: id, facilitator_key: keyFor(id) }),
    onMessage,
    onState: (s) => {
      const el = $('#conn');
      el.hidden = false;
      el.dataset.state = s;
      text(el, s);
    },
  });
  conn.start();
}

function send(msg) {
  text($('#console-error'), conn.send(msg) ? '' : 'Not connected; try again in a moment.');
}

function onMessage(m) {
  switch (m.type) {
    case 'welcome': return welcome(m);
    case 'clock': setClock(m); break;
    case 'inject': released(m); break;
    case 'inject_skipped': setStatus(m.inject_id, 'skipped', m.play_ms); break;
    case 'response': state.responses.push(m); break;
    case 'participant': state.roster.set(m.participant.participant_id, m.participant); renderRoster(); break;
    case 'announcement': text($('#console-error'), ''); text($('#next-due'), `Announced: ${m.text}`); return;
    case 'error': text($('#console-error'), `${m.code}: ${m.message}`); return;
    default: return;
  }
  render();
}

function welcome(w) {
  state.plan = w.plan;
  state.groups = w.groups;
  state.roster = new Map(w.roster.map((p) => [p.participant_id, p]));
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
  setClock(w.clock);
  renderRoster();
  render();
}

function setClock(c) {
  state.clock = c;
  state.read = clockReader(c);
  tick();
}

function tick() {
  const c = state.clock;
  if (!c) return;
  const el = $('#clock');
  el.dataset.state = c.state;
  text(el, `${c.state} ${playTime(state.read())}${c.speed !== 1 ? ` · ${c.speed}×` : ''}`);
}
setInterval(tick, 1000);

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
  const c = state.clock || { state: 'lobby', speed: 1 };
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
  const ended = state.clock?.state === 'ended';
  $('#plan').replaceChildren(
    h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Inject'), h('th', {}, 'To'), h('th', {}, 'Status'), h('th', {}, 'Actions'))),
    h('tbody', {}, state.plan.map((p) => h('tr', { className: `plan-row${p === next ? ' next' : ''}`, 'data-inject-id': p.inject_id },
      h('td', {}, p.at_ms === undefined ? 'contingency' : playTime(p.at_ms)),
      h('td', {}, h('strong', {}, p.title), h('details', { className: 'notes' }, h('summary', {}, 'Notes and expected actions'),
        p.facilitator_notes ? h('p', {}, p.facilitator_notes) : null,
        p.expected_actions.length ? h('ul', {}, p.expected_actions.map((a) => h('li', {}, a))) : null,
        p.objectives.length ? h('p', { className: 'muted' }, `Objectives: ${p.objectives.join(', ')}`) : null)),
      h('td', {}, p.targets === 'all' ? 'all groups' : p.targets.join(', ')),
      h('td', { className: `status status-${p.status}` }, p.status === 'pending' ? 'pending' : `${p.status} at ${playTime(p.status_play_ms ?? 0)}`),
      h('td', { className: 'actions' }, p.status === 'pending' && !ended ? [
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
        h('select', { className: 'move', 'aria-label': `Move ${p.name} to another group`,
          onchange: (ev) => send({ type: 'move', participant_id: p.participant_id, group_id: ev.target.value }) },
        state.groups.map((o) => h('option', { value: o.id, selected: o.id === g.id }, o.name)))))));
  }));
}

// ---- controls -------------------------------------------------------------------

$('#start').addEventListener('click', () => send({ type: 'start' }));
$('#pause').addEventListener('click', () => send({ type: 'pause' }));
$('#resume').addEventListener('click', () => send({ type: 'resume' }));
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
if (reopen && admin()) open(reopen);
else home();
