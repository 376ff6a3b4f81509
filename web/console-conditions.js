// console-conditions.js: the console's "Conditional injects" card, shown only when the
// scenario has injects with `when = …`. One row per conditional inject: its title, its
// condition in plain words (the server's, in the console's language) and where it stands:
// - armed: a countdown to `due_play_ms` ("fires in 3:12") ticking from the console's play
//   clock (still while paused, faster at a higher speed), else "waiting for groups", or
//   "can no longer hold" (`never`); a compound condition lists its parts, each with its
//   state; Fire now (releases it at once) and Cancel (after a confirmation dialog: it
//   stays pending, to release or skip by hand in the injects table);
// - fired ("fired at T+05:00", "by the facilitator" when manual), cancelled, overtaken.
// facilitator.js loads it on the first welcome with a conditional inject, keeps
// `state.conditions` (inject_id → condition, from the plan and the `conditions` pushes)
// and calls render() on pushes and every second. Rows are keyed (console-dom.js).

import { $, h, playTime, text } from '/assets/ui.js';
import { forExercise, keyed, perFrame, setAttr, setHidden, setText } from '/assets/console-dom.js';
import { w, left } from '/assets/console-words.js';

let ctx = null; // {state, sendTracked(msg, ok, fail), clockState(), playNow()}
let confirming = null; // the inject whose Cancel waits for the dialog's answer

/** `c`: {state, sendTracked, clockState, playNow}; state holds conditions (inject_id →
 *  ConditionView, in scenario order), plan, exercise and observer. */
export function setup(c) {
  ctx = c;
  const dialog = $('#confirm-condition');
  $('#confirm-condition-yes').addEventListener('click', () => {
    dialog.close();
    if (confirming) send('cancel_condition', confirming);
    confirming = null;
  });
  $('#confirm-condition-no').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { confirming = null; });
}

const pending = (id) => ctx.state.plan.find((p) => p.inject_id === id)?.status === 'pending';
const titleOf = (id) => ctx.state.plan.find((p) => p.inject_id === id)?.title ?? id;
const statusOf = (id) => $(`#conditions li.condition[data-inject-id="${CSS.escape(id)}"] .cond-sending`);

/** Sends Fire now or Cancel; a refusal shows on the condition's row. */
function send(type, id) {
  const status = statusOf(id);
  if (status) text(status, w('cond_sending'));
  ctx.sendTracked({ type, inject_id: id }, () => status && text(status, ''), (why) => status && text(status, why));
}

/** The card, at most once per animation frame (the countdowns tick with the clock). */
export const render = perFrame(() => {
  const { state } = ctx;
  const list = [...state.conditions.values()];
  setHidden($('#conditions-card'), !list.length);
  setText($('#conditions-count'), list.length ? w('conditions_armed', { n: list.filter((c) => c.status === 'armed').length }) : '');
  const now = ctx.playNow();
  const ended = ctx.clockState() === 'ended';
  keyed(forExercise($('#conditions'), state.exercise), list, (c) => c.inject_id, (c) => patch(row(c), c, now, ended),
    (li, c) => patch(li, c, now, ended));
});

function row(c) {
  const id = c.inject_id;
  const title = titleOf(id);
  const fire = h('button', { type: 'button', className: 'cond-fire', 'aria-label': w('fire_now_label', { title }) }, w('fire_now'));
  fire.addEventListener('click', () => send('fire_condition', id));
  const cancel = h('button', { type: 'button', className: 'cond-cancel secondary', 'aria-label': w('cancel_condition_label', { title }) }, w('cancel_condition'));
  cancel.addEventListener('click', () => {
    confirming = id;
    setText($('#confirm-condition-text'), w('confirm_cancel_condition', { title }));
    $('#confirm-condition').showModal();
  });
  return h('li', { className: 'condition', 'data-inject-id': id },
    h('div', { className: 'cond-head' },
      h('strong', { className: 'cond-title' }, title),
      h('span', { className: 'pill cond-status' }),
      h('span', { className: 'cond-when' })),
    h('p', { className: 'cond-words' }),
    h('ul', { className: 'cond-parts', 'aria-label': w('cond_parts') }),
    ctx.state.observer ? null : h('div', { className: 'cond-actions' }, fire, cancel, h('span', { className: 'muted cond-sending', 'aria-live': 'polite' })));
}

/** Where the condition stands, in a line: a countdown, a wait, or what became of it. */
function whenLine(c, now) {
  const at = playTime(c.status_play_ms ?? 0);
  switch (c.status) {
    case 'fired': return w(c.manual ? 'cond_fired_by_hand' : 'cond_fired_at', { time: at });
    case 'cancelled': // what is left to do by hand, while the inject waits
      return w(pending(c.inject_id) ? 'cond_cancelled_at' : 'cond_cancelled', { time: at });
    case 'overtaken': return w('cond_overtaken');
    default:
      if (c.due_play_ms !== undefined) return w('cond_fires_in', { left: left(c.due_play_ms - now) });
      return c.never ? w('cond_never') : w('cond_waiting');
  }
}

/** A part's state now: a counting part holds once its time has come (the server says so
 *  only with its next push, which may wait for another part). */
const partState = (p, now) => (p.state === 'counting' && (p.due_play_ms ?? 0) <= now ? 'holds' : p.state);

function partText(p, now) {
  const state = partState(p, now);
  const said = state === 'counting' ? w('part_counting', { left: left(p.due_play_ms - now) }) : w(`part_${state}`);
  return `${p.words} — ${said}`;
}

function patch(li, c, now, ended) {
  const armed = c.status === 'armed';
  setAttr(li, 'data-status', c.status);
  setAttr(li, 'data-never', c.never ? 'true' : null);
  const status = li.querySelector('.cond-status');
  setAttr(status, 'data-status', c.status);
  setText(status, w(`cond_status_${c.status}`));
  setText(li.querySelector('.cond-when'), whenLine(c, now));
  setAttr(li.querySelector('.cond-when'), 'data-counting', armed && c.due_play_ms !== undefined ? 'true' : null);
  setText(li.querySelector('.cond-words'), c.words);
  // A compound condition's parts, while it waits (a simple one is its words and its line).
  const parts = armed && c.parts.length > 1 ? c.parts : [];
  const ul = li.querySelector('.cond-parts');
  setHidden(ul, !parts.length);
  keyed(ul, parts.map((p, i) => ({ ...p, i })), (p) => p.i, (p) => h('li', { 'data-state': partState(p, now) }, partText(p, now)), (el, p) => {
    setAttr(el, 'data-state', partState(p, now));
    setText(el, partText(p, now));
  });
  const actions = li.querySelector('.cond-actions');
  if (actions) for (const b of actions.querySelectorAll('button')) setHidden(b, !armed || ended);
  return li;
}
