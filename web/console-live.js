// console-live.js: the part of the console a facilitator watches during play, kept up to
// date push by push without rebuilding it (console-dom.js):
// - the "who has answered" grid: a row per group, a column per released inject, each
//   cell its count and latest answer (all answers on hover);
// - the injects table: when, what (with its notes and expected actions), to which groups
//   (by name), its status, and Release now / Skip while pending;
// - the current inject (the latest released, else the next due) with its facilitator
//   notes, expected actions, objectives and questions by group, beside the grid;
// - the "Next: …" line and, in a line of its own, the last announcement;
// - the groups and their members, each with a select to move them.
// facilitator.js owns the socket and the state; it calls setup() once, then render()
// (coalesced per frame) and renderRoster() as pushes arrive.

import { $, h, playTime, t, tf } from '/assets/ui.js';
import { keyed, perFrame, setAttr, setHidden, setText } from '/assets/console-dom.js';

let ctx = null; // {state, send(msg), clockState()}

/** Empties an element built for another exercise (its rows are not this one's rows). */
function forExercise(el) {
  if (el.dataset.exercise !== ctx.state.exercise) {
    el.replaceChildren();
    el.dataset.exercise = ctx.state.exercise;
    delete el.dataset.injectId;
  }
  return el;
}

/** `c`: {state, send(msg), clockState()}; state holds plan, groups, released, roster,
 *  sectors, objectives, observer, exercise, and answers (a Map "group|inject" → answers). */
export function setup(c) {
  ctx = c;
  setText($('#current-notes-title'), t('con_facilitator_notes'));
  setText($('#current-expected-title'), t('con_expected'));
  setText($('#current-questions-title'), t('con_questions'));
}

const groupName = (id) => ctx.state.groups.find((g) => g.id === id)?.name ?? id;
const targets = (p, groupId) => p.targets === 'all' || p.targets.includes(groupId);
/** The groups an inject goes to, by name ("all groups" for every group). */
export const targetNames = (p) => (p.targets === 'all' ? 'all groups' : p.targets.map(groupName).join(', '));
const planOf = (id) => ctx.state.plan.find((p) => p.inject_id === id);
const answersOf = (groupId, injectId) => ctx.state.answers.get(`${groupId}|${injectId}`) ?? [];

/** The next timed inject still pending, if any. */
function nextDue() {
  return ctx.state.plan.filter((p) => p.status === 'pending' && p.at_ms !== undefined).sort((a, b) => a.at_ms - b.at_ms)[0];
}

/** Everything but the roster, at most once per animation frame. */
export const render = perFrame(() => {
  const next = nextDue();
  setText($('#next-due'), next ? `Next: ${next.title} at ${playTime(next.at_ms)}` : 'No timed inject pending.');
  renderPlan(next);
  renderGrid();
  renderCurrent(next);
});

// ---- the injects table -------------------------------------------------------------

function renderPlan(next) {
  const table = forExercise($('#plan'));
  if (!table.tHead) {
    table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Inject'),
      h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Status'), ctx.state.observer ? null : h('th', { scope: 'col' }, 'Actions'))),
    h('tbody'));
  }
  const ended = ctx.clockState() === 'ended';
  const patch = (tr, p) => patchPlanRow(tr, p, next, ended);
  keyed(table.tBodies[0], ctx.state.plan, (p) => p.inject_id, (p) => patch(planRow(p), p), patch);
}

/** Notes, expected actions and objectives of an inject (read as the scenario has them). */
function notesDetails(p) {
  return h('details', { className: 'notes' }, h('summary', {}, 'Notes and expected actions'),
    p.facilitator_notes ? h('p', {}, p.facilitator_notes) : null,
    p.expected_actions.length ? h('ul', {}, p.expected_actions.map((a) => h('li', {}, a))) : null,
    p.objectives.length ? h('p', { className: 'muted' }, `Objectives: ${p.objectives.join(', ')}`) : null);
}

function planRow(p) {
  const id = p.inject_id;
  const tr = h('tr', { className: 'plan-row', 'data-inject-id': id },
    h('td', { className: 'when' }, p.at_ms === undefined ? 'contingency' : playTime(p.at_ms)),
    h('td', { className: 'what' }, h('strong', {}, p.title), notesDetails(p)),
    h('td', { className: 'to' }, targetNames(p)),
    h('td', { className: 'status' }),
    ctx.state.observer ? null : h('td', { className: 'actions' },
      h('button', { type: 'button', className: 'release', onclick: () => ctx.send({ type: 'release', inject_id: id }) }, 'Release now'), ' ',
      h('button', { type: 'button', className: 'skip secondary', onclick: () => ctx.send({ type: 'skip', inject_id: id }) }, 'Skip')));
  return tr;
}

function patchPlanRow(tr, p, next, ended) {
  tr.classList.toggle('next', p === next);
  const status = tr.querySelector('td.status');
  const className = `status status-${p.status}`;
  if (status.className !== className) status.className = className;
  setText(status, p.status === 'pending' ? 'pending' : `${p.status} at ${playTime(p.status_play_ms ?? 0)}`);
  const actions = tr.querySelector('td.actions');
  if (actions) for (const b of actions.querySelectorAll('button')) setHidden(b, p.status !== 'pending' || ended);
  return tr;
}

// ---- the grid: groups × released injects ------------------------------------------

function renderGrid() {
  const table = forExercise($('#grid'));
  if (!table.tHead) table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Group'))), h('tbody'));
  const cols = ctx.state.released.map(planOf).filter(Boolean);
  keyed(table.tHead.rows[0], cols, (p) => p.inject_id, (p) => h('th', { scope: 'col', 'data-inject-id': p.inject_id, title: p.title }, h('span', { className: 'clamp' }, p.title)));
  keyed(table.tBodies[0], ctx.state.groups, (g) => g.id,
    (g) => h('tr', { 'data-group-id': g.id }, h('th', { scope: 'row' }, g.name)),
    (tr, g) => setText(tr.cells[0], g.name));
  for (const tr of table.tBodies[0].rows) {
    const g = tr.dataset.groupId;
    keyed(tr, cols, (p) => p.inject_id, (p) => gridCell(g, p), (td, p) => patchCell(td, g, p));
  }
}

function gridCell(groupId, p) {
  if (!targets(p, groupId)) return h('td', { className: 'untargeted', 'data-group-id': groupId, 'data-inject-id': p.inject_id }, h('span', { className: 'count' }, '—'), h('div', { className: 'latest' }));
  const td = h('td', { className: 'cell', 'data-group-id': groupId, 'data-inject-id': p.inject_id },
    h('span', { className: 'count' }), h('div', { className: 'latest' }));
  patchCell(td, groupId, p);
  return td;
}

function patchCell(td, groupId, p) {
  if (!td.classList.contains('cell')) return;
  const answers = answersOf(groupId, p.inject_id);
  const last = answers[answers.length - 1];
  setAttr(td, 'data-count', answers.length);
  setText(td.querySelector('.count'), String(answers.length));
  const latest = td.querySelector('.latest'); // two lines kept, empty or not: no row grows
  setText(latest, last ? `${last.participant_name}: ${last.text}` : '');
  // Every answer on hover; the title is set only when it changed, so a shown tooltip stays.
  if (td.dataset.titled !== String(answers.length)) {
    td.dataset.titled = String(answers.length);
    latest.title = answers.map((a) => `${a.participant_name}: ${a.text}`).join('\n\n');
  }
}

// ---- the current inject: the latest released, else the next due -----------------------

function renderCurrent(next) {
  const { state } = ctx;
  const latest = state.released.length ? planOf(state.released[state.released.length - 1]) : null;
  const p = latest ?? next ?? state.plan.find((x) => x.status === 'pending');
  const box = $('#current');
  if (box.dataset.exercise !== state.exercise) {
    box.dataset.exercise = state.exercise;
    delete box.dataset.injectId;
  }
  setHidden($('#current-empty'), Boolean(p));
  setHidden($('#current-body'), !p);
  setText($('#current-label'), latest ? t('con_current') : t('con_next_inject'));
  if (!p) {
    setText($('#current-empty'), t('con_none_yet'));
    return;
  }
  if (box.dataset.injectId !== p.inject_id) {
    // Another inject: its text, once (the questions' open/closed state stays the facilitator's).
    box.dataset.injectId = p.inject_id;
    setText($('#current-title'), p.title);
    setText($('#current-facilitator-notes'), p.facilitator_notes ?? '');
    setHidden($('#current-facilitator-notes-box'), !p.facilitator_notes);
    $('#current-expected').replaceChildren(...p.expected_actions.map((a) => h('li', {}, a)));
    setHidden($('#current-expected-box'), !p.expected_actions.length);
    // The objectives by their short names; the whole text on hover.
    $('#current-objectives').replaceChildren(...(p.objectives.length ? [h('strong', {}, t('con_objectives')), ' ',
      ...p.objectives.map((id) => h('span', { className: 'tag objective', title: state.objectives.find((o) => o.id === id)?.text ?? '' }, id))] : []));
    setHidden($('#current-objectives'), !p.objectives.length);
    const asked = Object.entries(p.questions_by_group ?? {});
    $('#current-questions-list').replaceChildren(...asked.map(([g, qs]) => h('div', { className: 'asked', 'data-group-id': g },
      h('dt', {}, g === 'all' ? t('con_every_group') : groupName(g)), qs.map((q) => h('dd', {}, q)))));
    setHidden($('#current-questions'), !asked.length);
  }
  const to = p.targets === 'all' ? t('con_all_groups') : p.targets.map(groupName).join(', ');
  setText($('#current-meta'), p.status === 'released' ? tf('con_released_at', { time: playTime(p.status_play_ms ?? 0), groups: to })
    : p.at_ms === undefined ? tf('con_contingency', { groups: to }) : tf('con_due_at', { time: playTime(p.at_ms), groups: to }));
  const targeted = state.groups.filter((g) => targets(p, g.id));
  const answered = targeted.filter((g) => answersOf(g.id, p.inject_id).length > 0).length;
  setHidden($('#current-progress'), p.status !== 'released');
  setText($('#current-progress'), tf('con_answered', { n: answered, total: targeted.length }));
}

// ---- announcements: in a line of their own, never over "Next: …" -----------------

/** Shows the last announcement (`{text, play_ms}`) under the controls. */
export function showAnnouncement(a) {
  const line = $('#last-announcement');
  setHidden(line, !a);
  if (!a) return;
  setText(line.querySelector('.label'), tf('con_announced', { time: playTime(a.play_ms ?? 0) }));
  setText(line.querySelector('.text'), a.text);
}

// ---- the groups and their members -------------------------------------------------

export function renderRoster() {
  const { state } = ctx;
  const patchGroup = (box, g) => {
    const list = [...state.roster.values()].filter((p) => p.group_id === g.id);
    setText(box.querySelector('h3'), `${g.name} (${list.length})`);
    keyed(box.querySelector('ul'), list, (p) => p.participant_id, member, patchMember);
  };
  keyed(forExercise($('#roster')), state.groups, (g) => g.id, (g) => {
    const box = h('div', { className: 'group-box', 'data-group-id': g.id }, h('h3'), h('ul'));
    patchGroup(box, g);
    return box;
  }, patchGroup);
}

function member(p) {
  const li = h('li', { className: 'member', 'data-participant-id': p.participant_id },
    h('span', { className: 'member-name' }), h('span', { className: 'muted affiliation' }),
    ctx.state.observer ? null : h('select', {
      className: 'move', 'aria-label': `Move ${p.name} to another group`,
      onchange: (ev) => ctx.send({ type: 'move', participant_id: p.participant_id, group_id: ev.target.value }),
    }, ctx.state.groups.map((o) => h('option', { value: o.id }, o.name))));
  patchMember(li, p);
  return li;
}

function patchMember(li, p) {
  setText(li.querySelector('.member-name'), p.name);
  const affiliation = [p.organisation, p.sector && (ctx.state.sectors?.get(p.sector) ?? p.sector)].filter(Boolean).join(' · ');
  setText(li.querySelector('.affiliation'), affiliation);
  setHidden(li.querySelector('.affiliation'), !affiliation);
  const move = li.querySelector('select.move');
  if (move && move.value !== p.group_id) move.value = p.group_id;
}
