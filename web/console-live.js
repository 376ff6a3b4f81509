// console-live.js: the part of the console a facilitator watches during play, kept up to
// date push by push without rebuilding it (console-dom.js):
// - the "who has answered" grid and its answer windows (console-grid.js), the polls'
//   tallies (console-polls.js);
// - the injects table: when, what (with its notes and expected actions), to which groups
//   (by name), its status, and Release now / Skip while pending (a contingency inject
//   reads "contingency", a conditional one "conditional": console-conditions.js);
// - the current inject (the latest released, else the next due) with its facilitator
//   notes, expected actions, objectives and questions by group, beside the grid;
// - the "Next: …" line and, in a line of its own, the last announcement.
// facilitator.js owns the socket and the state; it calls setup() once, then render()
// (coalesced per frame) as pushes arrive and as the play clock ticks.

import { $, h, lang, playTime } from '/assets/ui.js';
import { forExercise, keyed, perFrame, setHidden, setText } from '/assets/console-dom.js';
import { w } from '/assets/console-words.js';
import * as grid from '/assets/console-grid.js';
import * as polls from '/assets/console-polls.js';

export { setOlder, olderArrived } from '/assets/console-grid.js';

let ctx = null; // {state, send(msg), clockState(), playNow()}

/** `c`: {state, send(msg), clockState(), playNow()}; state holds plan, groups, released,
 *  injects, roster, sectors, objectives, observer, exercise, answers and contributions. */
export function setup(c) {
  ctx = c;
  grid.setup(c);
  setText($('#current-notes-title'), w('con_facilitator_notes'));
  setText($('#current-expected-title'), w('con_expected'));
  setText($('#current-questions-title'), w('con_questions'));
}

const groupName = (id) => ctx.state.groups.find((g) => g.id === id)?.name ?? id;
const targets = (p, groupId) => p.targets === 'all' || p.targets.includes(groupId);
/** The groups an inject goes to, by name ("all groups" for every group). */
export const targetNames = (p) => (p.targets === 'all' ? w('all_groups') : p.targets.map(groupName).join(', '));
const planOf = (id) => ctx.state.plan.find((p) => p.inject_id === id);
const answersOf = (groupId, injectId) => ctx.state.answers.get(`${groupId}|${injectId}`) ?? [];

/** The next timed inject still pending, if any. */
function nextDue() {
  return ctx.state.plan.filter((p) => p.status === 'pending' && p.at_ms !== undefined).sort((a, b) => a.at_ms - b.at_ms)[0];
}

/** Everything but the roster, at most once per animation frame. */
export const render = perFrame(() => {
  const next = nextDue();
  setText($('#next-due'), next ? w('next', { title: next.title, time: playTime(next.at_ms) }) : w('no_next'));
  renderPlan(next);
  grid.render();
  polls.render();
  renderCurrent(next);
});

// ---- the injects table -------------------------------------------------------------

function renderPlan(next) {
  const table = forExercise($('#plan'), ctx.state.exercise);
  if (!table.tHead) {
    table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, w('when')), h('th', { scope: 'col' }, w('inject')),
      h('th', { scope: 'col' }, w('to')), h('th', { scope: 'col' }, w('status')), ctx.state.observer ? null : h('th', { scope: 'col' }, w('actions')))),
    h('tbody'));
  }
  const ended = ctx.clockState() === 'ended';
  const patch = (tr, p) => patchPlanRow(tr, p, next, ended);
  keyed(table.tBodies[0], ctx.state.plan, (p) => p.inject_id, (p) => patch(planRow(p), p), patch);
}

/** Notes, expected actions and objectives of an inject (read as the scenario has them). */
function notesDetails(p) {
  return h('details', { className: 'notes' }, h('summary', {}, w('notes_expected')),
    p.facilitator_notes ? h('p', {}, p.facilitator_notes) : null,
    p.expected_actions.length ? h('ul', {}, p.expected_actions.map((a) => h('li', {}, a))) : null,
    p.objectives.length ? h('p', { className: 'muted' }, w('objectives_list', { list: p.objectives.join(', ') })) : null);
}

function planRow(p) {
  const id = p.inject_id;
  const tr = h('tr', { className: 'plan-row', 'data-inject-id': id },
    h('td', { className: 'when' }, [p.at_ms === undefined ? null : playTime(p.at_ms),
      p.condition ? w('conditional') : p.at_ms === undefined ? w('contingency') : null].filter(Boolean).join(' · ')),
    h('td', { className: 'what' }, h('strong', {}, p.title), notesDetails(p)),
    h('td', { className: 'to' }, targetNames(p)),
    h('td', { className: 'status' }),
    ctx.state.observer ? null : h('td', { className: 'actions' },
      h('button', { type: 'button', className: 'release', onclick: () => ctx.send({ type: 'release', inject_id: id }) }, w('release_now')), ' ',
      h('button', { type: 'button', className: 'skip secondary', onclick: () => ctx.send({ type: 'skip', inject_id: id }) }, w('skip'))));
  return tr;
}

function patchPlanRow(tr, p, next, ended) {
  tr.classList.toggle('next', p === next);
  const status = tr.querySelector('td.status');
  const className = `status status-${p.status}`;
  if (status.className !== className) status.className = className;
  setText(status, p.status === 'pending' ? w('status_pending') : w(`status_${p.status}`, { time: playTime(p.status_play_ms ?? 0) }));
  const actions = tr.querySelector('td.actions');
  if (actions) for (const b of actions.querySelectorAll('button')) setHidden(b, p.status !== 'pending' || ended);
  return tr;
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
  setText($('#current-label'), latest ? w('con_current') : w('con_next_inject'));
  if (!p) {
    setText($('#current-empty'), w('con_none_yet'));
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
    $('#current-objectives').replaceChildren(...(p.objectives.length ? [h('strong', {}, w('con_objectives')), ' ',
      ...p.objectives.map((id) => h('span', { className: 'tag objective', title: state.objectives.find((o) => o.id === id)?.text ?? '' }, id))] : []));
    setHidden($('#current-objectives'), !p.objectives.length);
    const asked = Object.entries(p.questions_by_group ?? {});
    $('#current-questions-list').replaceChildren(...asked.map(([g, qs]) => h('div', { className: 'asked', 'data-group-id': g },
      h('dt', {}, g === 'all' ? w('con_every_group') : groupName(g)), qs.map((q) => h('dd', {}, q)))));
    setHidden($('#current-questions'), !asked.length);
    // Handouts: images and files by the control room's links (seen before release too).
    const handouts = $('#current-attachments');
    setHidden(handouts, !p.attachments?.length);
    if (p.attachments?.length) import('/assets/attachments.js').then((m) => m.fill(handouts, p.attachments, lang), () => {});
    else handouts.replaceChildren();
  }
  const to = targetNames(p);
  setText($('#current-meta'), p.status === 'released' ? w('con_released_at', { time: playTime(p.status_play_ms ?? 0), groups: to })
    : p.condition ? w('con_conditional', { groups: to })
      : p.at_ms === undefined ? w('con_contingency', { groups: to }) : w('con_due_at', { time: playTime(p.at_ms), groups: to }));
  const targeted = state.groups.filter((g) => targets(p, g.id));
  const answered = targeted.filter((g) => answersOf(g.id, p.inject_id).length > 0).length;
  const progress = $('#current-progress');
  setHidden(progress, p.status !== 'released');
  // The answer window on the same line: the notes below stay on the first screen.
  const due = state.injects.get(p.inject_id)?.due_play_ms;
  setText(progress, [w('con_answered', { n: answered, total: targeted.length }),
    due !== undefined ? w('con_window', { time: playTime(due) }) : ''].filter(Boolean).join(' · '));
}

// ---- announcements: in a line of their own, never over "Next: …" -----------------

/** Shows the last announcement (`{text, play_ms}`) under the controls. */
export function showAnnouncement(a) {
  const line = $('#last-announcement');
  setHidden(line, !a);
  if (!a) return;
  setText(line.querySelector('.label'), w('announced', { time: playTime(a.play_ms ?? 0) }));
  setText(line.querySelector('.text'), a.text);
}
