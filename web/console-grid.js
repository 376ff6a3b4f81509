// console-grid.js: the "who has answered" grid, a row per group and a column per released
// inject, and the answer windows on it. Each cell holds the group's answer count, its
// latest answer (two lines) and, on hover, every answer: the group's first, then its
// members' contributions, marked (group answer mode). Where the inject has an answer
// window the cell says, in words and in colour, whether the group answered on time,
// answered late, is due within the last minute, or is overdue (window closed, no
// answer), following the play clock (a pause stops it, the speed hurries it); a
// screen reader hears the same in the cell's own text. The "Next deadline" line under
// the clock names the next group due. Only group answers count: a contribution never
// answers for its group.
//
// Cells are keyed and patched in place (console-dom.js): a push or a tick of the clock
// changes a cell's words and colour, never the cell, so a hover and its tooltip stay.

import { $, h, playTime } from '/assets/ui.js';
import { forExercise, keyed, setAttr, setHidden, setText } from '/assets/console-dom.js';
import { w, left } from '/assets/console-words.js';

/** The last minute of a window (play time) is "due soon". */
export const SOON_MS = 60_000;

let ctx = null; // {state, send(msg), playNow(), clockState()}

/** `c`: {state, send(msg), playNow(), clockState()}; state holds groups, plan, released, injects
 *  (released inject views, with due_play_ms), answers and contributions ("group|inject"
 *  → list) and scribes (null unless group answer mode). */
export function setup(c) {
  ctx = c;
}

const groupName = (id) => ctx.state.groups.find((g) => g.id === id)?.name ?? id;
const targets = (p, groupId) => p.targets === 'all' || p.targets.includes(groupId);
const planOf = (id) => ctx.state.plan.find((p) => p.inject_id === id);
const answersOf = (groupId, injectId) => ctx.state.answers.get(`${groupId}|${injectId}`) ?? [];
const contributionsOf = (groupId, injectId) => ctx.state.contributions.get(`${groupId}|${injectId}`) ?? [];
const groupMode = () => Boolean(ctx.state.scribes);

/**
 * Where a group stands on an inject with an answer window closing at play time `due`,
 * at play time `now`: `on_time`, `late`, `due_soon`, `overdue`, `open` (still time), or
 * null without a window. An answer on time counts even when later ones came late.
 */
export function windowState(answers, due, now) {
  if (due === undefined || due === null) return null;
  if (answers.some((a) => !a.late)) return 'on_time';
  if (answers.length) return 'late';
  if (now > due) return 'overdue';
  return due - now <= SOON_MS ? 'due_soon' : 'open';
}

/** An answer as one line: its author, its choice (a poll's option labels) and its text. */
export function answerLine(a) {
  const inject = ctx.state.injects.get(a.inject_id);
  const labels = (a.options ?? []).map((id) => inject?.response?.options?.find((o) => o.id === id)?.label ?? id);
  const said = [labels.join(', '), a.text].filter(Boolean).join(' — ');
  return w('answer_line', { name: a.removed ? `${a.participant_name} ${w('removed_mark')}` : a.participant_name, text: said });
}

/** The grid and the deadline line, at the play time now. */
export function render() {
  const now = ctx.playNow();
  renderGrid(now);
  renderDeadline(now);
}

function renderGrid(now) {
  const table = forExercise($('#grid'), ctx.state.exercise);
  if (!table.tHead) table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, w('group')))), h('tbody'));
  const cols = ctx.state.released.map(planOf).filter(Boolean);
  keyed(table.tHead.rows[0], cols, (p) => p.inject_id, (p) => h('th', { scope: 'col', 'data-inject-id': p.inject_id, title: p.title }, h('span', { className: 'clamp' }, p.title)));
  keyed(table.tBodies[0], ctx.state.groups, (g) => g.id,
    (g) => h('tr', { 'data-group-id': g.id }, h('th', { scope: 'row' }, g.name)),
    (tr, g) => setText(tr.cells[0], g.name));
  for (const tr of table.tBodies[0].rows) {
    const g = tr.dataset.groupId;
    keyed(tr, cols, (p) => p.inject_id, (p) => gridCell(g, p, now), (td, p) => patchCell(td, g, p, now));
  }
}

function gridCell(groupId, p, now) {
  if (!targets(p, groupId)) {
    return h('td', { className: 'untargeted', 'data-group-id': groupId, 'data-inject-id': p.inject_id },
      h('span', { className: 'count', 'aria-hidden': 'true' }, '—'), h('span', { className: 'sr' }, w('not_targeted')), h('div', { className: 'latest' }));
  }
  const td = h('td', { className: 'cell', 'data-group-id': groupId, 'data-inject-id': p.inject_id },
    h('div', { className: 'count-line', 'aria-hidden': 'true' },
      h('span', { className: 'count' }), ' ', h('span', { className: 'win' }), ' ', h('span', { className: 'contribs' })),
    h('span', { className: 'sr' }),
    h('div', { className: 'latest' }),
    h('button', {
      type: 'button', className: 'link older', hidden: true, textContent: w('earlier_answers', { n: 0 }),
      onclick: () => {
        const older = ctx.state.older?.get(`${groupId}|${p.inject_id}`);
        if (older) ctx.send({ type: 'older_responses', inject_id: p.inject_id, group_id: groupId, before_seq: older.before_seq, limit: 50 });
      },
    }));
  patchCell(td, groupId, p, now);
  return td;
}

/** The welcome's `older_responses`: per cell, how many earlier answers it left out. */
export function setOlder(list) {
  ctx.state.older = new Map((list ?? []).map((o) => [`${o.group_id}|${o.inject_id}`, o]));
}

/** A page of earlier answers came (`older_responses`): each answer is added once, in
 *  log order, and the cell says how many are still left out. */
export function olderArrived(m, addAnswer) {
  for (const r of m.responses) addAnswer(r);
  for (const list of [ctx.state.answers, ctx.state.contributions]) {
    for (const rs of list.values()) rs.sort((a, b) => a.seq - b.seq);
  }
  if (!m.group_id) return;
  const key = `${m.group_id}|${m.inject_id}`;
  const older = ctx.state.older?.get(key);
  if (!older) return;
  if (!m.more || !m.responses.length) ctx.state.older.delete(key);
  else ctx.state.older.set(key, { ...older, count: Math.max(0, older.count - m.responses.length), before_seq: m.responses[0].seq });
}

function patchCell(td, groupId, p, now) {
  if (!td.classList.contains('cell')) return;
  const all = answersOf(groupId, p.inject_id);
  // Group answer mode: the group has one answer, its scribe's latest.
  const answers = groupMode() && all.length ? [all[all.length - 1]] : all;
  const contributions = contributionsOf(groupId, p.inject_id);
  const last = answers[answers.length - 1];
  const due = ctx.state.injects.get(p.inject_id)?.due_play_ms;
  const win = windowState(all, due, now);
  setAttr(td, 'data-count', answers.length);
  setAttr(td, 'data-window', win);
  setText(td.querySelector('.count'), String(answers.length));
  setText(td.querySelector('.win'), win && win !== 'open' ? w(`badge_${win}`, { left: left(due - now) }) : '');
  setText(td.querySelector('.contribs'), contributions.length ? w('contributions_n', { n: contributions.length }) : '');
  // What a screen reader hears: the same as the colours and the marks, in words.
  const state = win === 'due_soon' ? w('sr_due_soon', { left: left(due - now) })
    : win === 'open' ? w('sr_open', { time: playTime(due) }) : win ? w(`sr_${win}`) : '';
  setText(td.querySelector('.sr'), [w('sr_answers', { n: answers.length }), state,
    contributions.length ? w('contributions_sr', { n: contributions.length }) : ''].filter(Boolean).join(', '));
  const older = ctx.state.older?.get(`${groupId}|${p.inject_id}`);
  const more = td.querySelector('button.older');
  setHidden(more, !older);
  // Named even while hidden: a control never goes without its words.
  setText(more, w('earlier_answers', { n: older?.count ?? 0 }));
  const latest = td.querySelector('.latest'); // two lines kept, empty or not: no row grows
  setText(latest, last ? answerLine(last) : '');
  // Every answer on hover, the group's first, contributions after; the title is set
  // only when it changed, so a shown tooltip stays.
  const version = `${all.length}|${contributions.length}`;
  if (td.dataset.titled !== version) {
    td.dataset.titled = version;
    const mark = (a) => (a.late ? ` ${w('late_mark')}` : '');
    const lines = groupMode() && contributions.length && last ? [w('group_answer_mark'), `${answerLine(last)}${mark(last)}`]
      : answers.map((a) => `${answerLine(a)}${mark(a)}`);
    const blocks = [lines.join('\n\n')];
    if (contributions.length) {
      blocks.push([`— ${w('contributions_mark')} —`, ...contributions.map((c) => `${w('contribution_mark')} ${answerLine(c)}`)].join('\n\n'));
    }
    latest.title = blocks.filter(Boolean).join('\n\n');
  }
}

/** "Next deadline: Risk management due in 1:12 on …", and how many answers are overdue. */
function renderDeadline(now) {
  const { state } = ctx;
  let next = null;
  let overdue = 0;
  for (const id of state.released) {
    const due = state.injects.get(id)?.due_play_ms;
    const p = planOf(id);
    if (due === undefined || due === null || !p) continue;
    const waiting = state.groups.filter((g) => targets(p, g.id) && !answersOf(g.id, id).length);
    if (!waiting.length) continue;
    if (now > due) overdue += waiting.length;
    else if (!next || due < next.due) next = { due, p, waiting };
  }
  const line = $('#next-deadline');
  const ended = ctx.clockState() === 'ended';
  setText(line.querySelector('.deadline'), next && !ended ? w('next_deadline', {
    group: groupName(next.waiting[0].id), more: next.waiting.length - 1, left: left(next.due - now), title: next.p.title,
  }) : '');
  setText(line.querySelector('.overdue'), overdue ? w('overdue_count', { n: overdue }) : '');
  setHidden(line, !(next && !ended) && !overdue);
}
