// console-roster.js: the groups and their members, and the breakout rooms.
// - Each group: its name and member count (from `attendance`), its breakout room, its
//   scribe in group answer mode (`scribes` in the welcome, `group_members` pushes) with a
//   select to choose another member (`assign_scribe`), and its members with their
//   organisation, sector and email (the console alone sees emails), each with a select to
//   move them.
// - Breakouts: tick several members and Move to… a group at once (`move_participants`),
//   Rebalance groups (`rebalance`), and Download breakout rooms (CSV), fetched with the
//   console's key in a header (console-download.js).
// - The room's door: Lock joining / Unlock joining beside the join code (`lock_joining`,
//   `unlock_joining`; the welcome's `joining_locked` and `joining` pushes say which), and
//   Remove on each member's row, after a confirm dialog (`remove_participant`): they
//   leave the roster, their answers stay (marked "removed").
// Boxes and rows are keyed and patched in place (console-dom.js): a join or a move never
// unticks a box, closes a select or moves the focus elsewhere; the ticks are kept by
// participant id, so they survive a member's row moving to another group.

import { $, h, text } from '/assets/ui.js';
import { forExercise, keyed, perFrame, setAttr, setHidden, setText } from '/assets/console-dom.js';
import { w } from '/assets/console-words.js';
import { download } from '/assets/console-download.js';

let ctx = null; // {state, send(msg), sendTracked(msg, ok, fail), bearer(), exerciseId()}
const picked = new Set(); // participant ids ticked for a move

/** `c`: {state, send(msg), sendTracked(msg, ok, fail), bearer(), exerciseId()}; state
 *  holds groups (with breakout_room), roster (id → participant), sectors, attendance,
 *  scribes (group id → participant id; null unless group answer mode) and observer. */
export function setup(c) {
  ctx = c;
  const status = () => $('#roster-status');
  $('#move-selected').addEventListener('click', () => {
    const group = $('#move-to').value;
    if (!group || !picked.size) return text(status(), w('move_pick'));
    const ids = [...picked];
    const name = ctx.state.groups.find((g) => g.id === group)?.name ?? group;
    ctx.sendTracked({ type: 'move_participants', participant_ids: ids, group_id: group }, () => {
      for (const id of ids) picked.delete(id);
      text(status(), w('moved_n', { n: ids.length, group: name }));
      render();
    }, (why) => text(status(), why));
  });
  $('#rebalance').addEventListener('click', () => {
    ctx.sendTracked({ type: 'rebalance' }, () => text(status(), w('rebalanced')), (why) => text(status(), why));
  });
  $('#clear-selection').addEventListener('click', () => {
    picked.clear();
    render();
  });
  if (!ctx.state.observer && !$('#lock-joining')) {
    const lock = h('button', { id: 'lock-joining', type: 'button', className: 'secondary fac-only', 'aria-pressed': 'false' }, w('lock_joining'));
    lock.addEventListener('click', () => {
      const locked = lock.getAttribute('aria-pressed') === 'true';
      ctx.sendTracked({ type: locked ? 'unlock_joining' : 'lock_joining' }, () => {}, (why) => text(status(), why));
    });
    $('#join-code').after(' ', lock, h('span', { id: 'joining-state', className: 'muted', role: 'status' }));
  }
  $('#breakouts-csv').addEventListener('click', (ev) => download({
    url: `/api/exercises/${encodeURIComponent(ctx.exerciseId())}/breakouts.csv`,
    bearer: ctx.bearer(),
    fallback: 'breakout-rooms.csv',
    button: ev.currentTarget,
    status: status(),
    label: w('breakouts_file'),
  }));
}

/** Joining locked or open, from the welcome's `joining_locked` or a `joining` push. */
export function joining(locked) {
  const lock = $('#lock-joining');
  if (!lock) return;
  lock.setAttribute('aria-pressed', String(Boolean(locked)));
  setText(lock, w(locked ? 'unlock_joining' : 'lock_joining'));
  setText($('#joining-state'), locked ? w('joining_locked') : '');
}

/** Asks before removing a participant: their phone is closed out, their answers stay. */
function confirmRemove(p) {
  const dialog = h('dialog', { className: 'confirm-remove', 'aria-labelledby': 'remove-title' },
    h('h3', { id: 'remove-title' }, w('remove_title', { name: p.name })),
    h('p', {}, w('remove_explain')),
    h('form', { method: 'dialog' },
      h('button', { type: 'submit', value: 'cancel', className: 'secondary' }, w('cancel')),
      ' ',
      h('button', { type: 'submit', value: 'remove', className: 'danger remove-confirm' }, w('remove'))));
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'remove') {
      ctx.sendTracked({ type: 'remove_participant', participant_id: p.participant_id },
        () => text($('#roster-status'), w('removed_one', { name: p.name })),
        (why) => text($('#roster-status'), why));
    }
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
}

const membersOf = (groupId) => [...ctx.state.roster.values()].filter((p) => p.group_id === groupId);
const scribeOf = (groupId) => ctx.state.scribes?.get(groupId) ?? null;

/** The groups box and the breakout tools, at most once per animation frame (a burst of
 *  joins is one render); `render.now()` at once. */
export const render = perFrame(() => {
  const { state } = ctx;
  for (const id of [...picked]) if (!state.roster.has(id)) picked.delete(id);
  const joined = state.attendance?.joined ?? state.roster.size;
  setText($('#joined-count'), w('joined', { n: joined }));
  renderTools();
  keyed(forExercise($('#roster'), state.exercise), state.groups, (g) => g.id, (g) => {
    const box = h('div', { className: 'group-box', 'data-group-id': g.id },
      h('h3'), h('p', { className: 'muted breakout-room' }), scribeLine(g),
      h('ul'), h('p', { className: 'muted none' }, w('no_members')));
    patchGroup(box, g);
    return box;
  }, patchGroup);
});

function renderTools() {
  const { state } = ctx;
  setText($('#selected-count'), w('selected', { n: picked.size }));
  setHidden($('#clear-selection'), !picked.size);
  const target = $('#move-to');
  const was = target.value;
  keyed(target, state.groups, (g) => g.id, (g) => h('option', { value: g.id }, g.name), (o, g) => setText(o, g.name));
  if (!target.querySelector('option.choose')) target.prepend(h('option', { value: '', className: 'choose' }, w('move_to_choose')));
  if (target.value !== was && [...target.options].some((o) => o.value === was)) target.value = was;
}

/** Group answer mode: who writes the group's answer, and (facilitator) a select to choose. */
function scribeLine(g) {
  const line = h('p', { className: 'scribe-line', hidden: true });
  if (ctx.state.observer) {
    line.append(h('span', { className: 'muted' }, w('scribe')), ' ', h('strong', { className: 'scribe-name' }));
    return line;
  }
  const select = h('select', { id: `scribe-${g.id}`, className: 'scribe-select', 'aria-label': w('scribe_label', { group: g.name }) },
    h('option', { value: '', className: 'none' }, w('scribe_none')));
  select.addEventListener('change', () => {
    const id = select.value;
    if (!id) return;
    const name = ctx.state.roster.get(id)?.name ?? id;
    ctx.sendTracked({ type: 'assign_scribe', group_id: g.id, participant_id: id },
      () => text($('#roster-status'), w('scribe_changed', { name, group: g.name })),
      (why) => {
        select.value = scribeOf(g.id) ?? '';
        text($('#roster-status'), why);
      });
  });
  line.append(h('label', { for: select.id, className: 'inline' }, w('scribe')), ' ', select);
  return line;
}

function patchGroup(box, g) {
  const { state } = ctx;
  const list = membersOf(g.id);
  const n = state.attendance?.groups?.[g.id] ?? list.length;
  setText(box.querySelector('h3'), w('group_count', { name: g.name, n }));
  // The server names a room the scenario leaves unnamed "Breakout room N": said in the
  // console's language; a scenario's own name as it is.
  const numbered = /^Breakout room (\d+)$/.exec(g.breakout_room ?? '');
  setText(box.querySelector('.breakout-room'), numbered ? w('room_n', { n: numbered[1] }) : g.breakout_room ? w('breakout_room', { room: g.breakout_room }) : '');
  setHidden(box.querySelector('.breakout-room'), !g.breakout_room);
  setHidden(box.querySelector('p.none'), list.length > 0);
  const scribe = scribeOf(g.id);
  const line = box.querySelector('.scribe-line');
  setHidden(line, !state.scribes || !list.length);
  const select = line.querySelector('select');
  if (select) {
    keyed(select, list, (p) => p.participant_id, (p) => h('option', { value: p.participant_id }, p.name), (o, p) => setText(o, p.name));
    setHidden(select.querySelector('option.none'), Boolean(scribe));
    if (document.activeElement !== select && select.value !== (scribe ?? '')) select.value = scribe ?? '';
  } else {
    setText(line.querySelector('.scribe-name'), state.roster.get(scribe)?.name ?? w('scribe_none'));
  }
  keyed(box.querySelector('ul'), list, (p) => p.participant_id, member, patchMember);
}

function member(p) {
  const observer = ctx.state.observer;
  const li = h('li', { className: 'member', 'data-participant-id': p.participant_id },
    observer ? null : h('input', {
      type: 'checkbox', className: 'pick', 'aria-label': w('select_member', { name: p.name }),
      onchange: (ev) => {
        if (ev.target.checked) picked.add(p.participant_id);
        else picked.delete(p.participant_id);
        renderTools();
      },
    }),
    h('span', { className: 'member-name' }), h('span', { className: 'tag scribe-tag', hidden: true }, w('scribe_mark')),
    observer ? null : h('select', {
      className: 'move', 'aria-label': w('move_one', { name: p.name }),
      onchange: (ev) => ctx.send({ type: 'move', participant_id: p.participant_id, group_id: ev.target.value }),
    }, ctx.state.groups.map((o) => h('option', { value: o.id }, o.name))),
    h('span', { className: 'muted affiliation' }), h('span', { className: 'muted email' }),
    observer ? null : h('button', {
      type: 'button', className: 'secondary remove', 'aria-label': w('remove_one', { name: p.name }),
      onclick: () => confirmRemove(ctx.state.roster.get(p.participant_id) ?? p),
    }, w('remove')));
  patchMember(li, p);
  return li;
}

function patchMember(li, p) {
  setText(li.querySelector('.member-name'), p.name);
  const isScribe = scribeOf(p.group_id) === p.participant_id;
  setHidden(li.querySelector('.scribe-tag'), !isScribe);
  setAttr(li, 'data-scribe', isScribe ? 'true' : null);
  const affiliation = [p.organisation, p.sector && (ctx.state.sectors?.get(p.sector) ?? p.sector)].filter(Boolean).join(' · ');
  setText(li.querySelector('.affiliation'), affiliation);
  setHidden(li.querySelector('.affiliation'), !affiliation);
  setText(li.querySelector('.email'), p.email ?? '');
  setHidden(li.querySelector('.email'), !p.email);
  const pick = li.querySelector('input.pick');
  if (pick && pick.checked !== picked.has(p.participant_id)) pick.checked = picked.has(p.participant_id);
  const move = li.querySelector('select.move');
  if (move && move.value !== p.group_id) move.value = p.group_id;
}
