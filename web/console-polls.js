// console-polls.js: the polls and what the shared screen shows, from the console.
// - Polls: every released poll (an inject answered by choosing options) with its tally as
//   it comes (`tallies` in the welcome, `tally` pushes): per option, the count and share
//   of all groups as a bar, and the count of each targeted group; and Show results /
//   Hide results, which put the poll's bars on the shared screen and take them off
//   (back to play).
// - The shared screen's state in the join box ("Shared screen: play"), with a Briefing
//   button that puts the briefing slide up and, pressed again, goes back to play.
// Sections and rows are keyed (console-dom.js): a tally changes figures, never rows, so
// the facilitator's pointer and focus stay where they are.

import { $, h, text } from '/assets/ui.js';
import { forExercise, keyed, setAttr, setHidden, setText } from '/assets/console-dom.js';
import { w, percent } from '/assets/console-words.js';

let ctx = null; // {state, sendTracked(msg, ok, fail)}
let showing = { view: 'play' };

/** `c`: {state, sendTracked(msg, ok, fail)}; state holds released, injects (with
 *  `response`), plan, groups, tallies (inject_id → tally) and observer. */
export function setup(c) {
  ctx = c;
  $('#show-briefing').addEventListener('click', () => {
    const status = $('#show-status');
    const to = showing.view === 'briefing' ? { view: 'play' } : { view: 'briefing' };
    ctx.sendTracked({ type: 'show_on_projector', ...to }, () => text(status, ''), (why) => text($('#console-error'), why));
  });
}

/** What the shared screen shows (the welcome's `showing` and every `showing` push). */
export function setShowing(m) {
  showing = m ?? { view: 'play' };
  render();
}

const isPoll = (i) => i?.response?.kind === 'choice';

/** The words for what the screen shows (with the poll's title when `long`). */
function viewName(long = false) {
  const poll = showing.view === 'poll' ? ctx.state.injects.get(showing.inject_id)?.title ?? showing.inject_id ?? '' : '';
  return `${w(`view_${showing.view}`)}${long && poll ? ` (${poll})` : ''}`;
}

/** The polls and the screen's state; called with every render of the live area. */
export function render() {
  const { state } = ctx;
  const now = $('#screen-now');
  setText(now, w('screen_now', { view: viewName() }));
  setAttr(now, 'title', w('screen_now_title', { view: viewName(true) }));
  setAttr(now, 'data-view', showing.view);
  const briefing = $('#show-briefing');
  const on = showing.view === 'briefing';
  setText(briefing, on ? w('back_to_play') : w('show_briefing'));
  setAttr(briefing, 'aria-label', on ? w('back_to_play_label') : w('show_briefing_label'));
  setAttr(briefing, 'data-showing', String(on));
  const polls = state.released.map((id) => state.injects.get(id)).filter(isPoll);
  setHidden($('#polls-card'), !polls.length);
  keyed(forExercise($('#polls'), state.exercise), polls, (i) => i.inject_id, makePoll, patchPoll);
}

function makePoll(inj) {
  const id = inj.inject_id;
  const status = h('span', { className: 'muted poll-status', 'aria-live': 'polite' });
  const button = ctx.state.observer ? null : h('button', { type: 'button', className: 'poll-show secondary' });
  button?.addEventListener('click', () => {
    const shown = showing.view === 'poll' && showing.inject_id === id;
    text(status, w('switching'));
    ctx.sendTracked({ type: 'show_on_projector', ...(shown ? { view: 'play' } : { view: 'poll', inject_id: id }) },
      () => text(status, ''), (why) => text(status, why));
  });
  const section = h('section', { className: 'poll', 'data-inject-id': id, 'aria-labelledby': `poll-title-${id}` },
    h('div', { className: 'poll-head' },
      h('h3', { id: `poll-title-${id}` }, inj.title),
      h('span', { className: 'muted poll-answers' }),
      inj.response.multiple ? h('span', { className: 'muted poll-multiple' }, w('poll_multiple')) : null,
      h('span', { className: 'tag poll-on-screen', hidden: true }, w('poll_on_screen')),
      button, status),
    h('div', { className: 'scroll' }, h('table', { className: 'tally' }, h('thead', {}, h('tr', {})), h('tbody'))));
  patchPoll(section, inj);
  return section;
}

/** The poll's targeted groups, in the scenario's order. */
function pollGroups(inj) {
  const p = ctx.state.plan.find((x) => x.inject_id === inj.inject_id);
  const t = p?.targets ?? inj.targets ?? 'all';
  return ctx.state.groups.filter((g) => t === 'all' || t.includes(g.id));
}

function patchPoll(section, inj) {
  const id = inj.inject_id;
  const tally = ctx.state.tallies.get(id) ?? { options: inj.response.options ?? [], by_group: {}, total: {}, answers: 0 };
  const options = tally.options?.length ? tally.options : (inj.response.options ?? []);
  const shown = showing.view === 'poll' && showing.inject_id === id;
  setText(section.querySelector('.poll-answers'), w('poll_answers', { n: tally.answers }));
  setAttr(section, 'data-answers', tally.answers);
  setAttr(section, 'data-showing', String(shown));
  setHidden(section.querySelector('.poll-on-screen'), !shown);
  const button = section.querySelector('button.poll-show');
  if (button) {
    setText(button, shown ? w('hide_poll') : w('show_poll'));
    setAttr(button, 'aria-label', w(shown ? 'hide_poll_label' : 'show_poll_label', { title: inj.title }));
  }
  const groups = pollGroups(inj);
  const head = section.querySelector('thead tr');
  const columns = [{ key: ' option', label: w('poll_option') }, { key: ' all', label: w('poll_all') }, ...groups.map((g) => ({ key: g.id, label: g.name }))];
  keyed(head, columns, (c) => c.key, (c) => h('th', { scope: 'col', className: c.key.startsWith(' ') ? null : 'group-col' }, c.label), (th, c) => setText(th, c.label));
  const body = section.querySelector('tbody');
  keyed(body, options, (o) => o.id, optionRow, () => {});
  for (const tr of body.rows) patchOption(tr, options.find((o) => o.id === tr.dataset.key), groups, tally);
}

/** An option's row: its label and the bar of all groups; the groups' cells are keyed. */
function optionRow(o) {
  return h('tr', { 'data-option-id': o.id },
    h('th', { scope: 'row', className: 'option-label' }, o.label),
    h('td', { className: 'total' }, h('meter', { min: 0, max: 1, value: 0 }), ' ', h('strong', { className: 'n' }), ' ', h('span', { className: 'muted share' })));
}

function patchOption(tr, o, groups, tally) {
  if (!o) return tr;
  setText(tr.querySelector('.option-label'), o.label);
  const n = tally.total?.[o.id] ?? 0;
  const total = tr.querySelector('td.total');
  setAttr(total, 'data-count', n);
  const meter = total.querySelector('meter');
  const max = Math.max(1, tally.answers);
  if (meter.max !== max) meter.max = max;
  if (meter.value !== n) meter.value = n;
  setAttr(meter, 'aria-label', w('poll_count_label', { option: o.label, n, total: tally.answers }));
  setText(total.querySelector('.n'), String(n));
  setText(total.querySelector('.share'), tally.answers ? `(${percent(Math.round((100 * n) / tally.answers))})` : '');
  // Group columns follow the poll's targets (a cell per group, made when it appears).
  keyed(tr, groups, (g) => g.id, (g) => h('td', { className: 'by-group', 'data-group-id': g.id }), () => {});
  for (const td of tr.querySelectorAll('td.by-group')) {
    const c = tally.by_group?.[td.dataset.groupId]?.[o.id] ?? 0;
    setAttr(td, 'data-count', c);
    setText(td, String(c));
  }
  return tr;
}
