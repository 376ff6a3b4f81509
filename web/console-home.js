// console-home.js: the console's list of exercises on the home page. Newest first, the
// live and ended ones by default, the archived ones behind the filter; a search box
// (title, scenario, join code) asks the server (`GET /api/exercises?status=&q=`). Per
// exercise: Open; Run again (a fresh exercise of the same stored scenario that takes
// over the join code and the projector link, opened at once); Archive (an ended one) or
// Unarchive; Delete, confirmed in the #confirm-delete dialog like End exercise. The
// console signs in with the admin token, which may do all of them.

import { $, h, text } from '/assets/ui.js';
import { w, count, dateTime } from '/assets/console-words.js';

let ctx = null; // { api, open, rememberKey }
let pendingDelete = null; // the exercise the dialog asks about
let asked = 0; // the latest list request (older answers are dropped)
let typing = null;

/** Shows the list; `api(path, options)` fetches with the admin token, `open(id)` opens an
 *  exercise's console, `rememberKey(id, key)` keeps a new exercise's facilitator key. */
export async function show(context) {
  ctx = context;
  await refresh();
}

async function refresh() {
  const n = ++asked;
  const status = $('#exercise-status').value;
  const q = $('#exercise-search').value.trim();
  const query = new URLSearchParams({ status });
  if (q) query.set('q', q);
  let exercises;
  try {
    exercises = await ctx.api(`/api/exercises?${query}`);
  } catch (e) {
    text($('#exercises-error'), e.message);
    return;
  }
  if (n !== asked) return;
  text($('#exercises-error'), '');
  $('#exercises').replaceChildren(...(exercises.length
    ? exercises.map(row)
    : [h('li', { className: 'muted' }, w(q || status !== 'current' ? 'none_found' : 'none_yet'))]));
}

function row(e) {
  const archived = e.archived_wall_ms != null;
  const ended = e.phase === 'ended';
  const notes = [];
  if (archived) notes.push(w('archived_tag'));
  if (e.run_again_as) notes.push(w('run_again_as_tag'));
  if (e.run_again_from) notes.push(w('run_again_from_tag'));
  const button = (cls, word, onclick, extra = {}) =>
    h('button', { type: 'button', className: `${cls} secondary`, 'data-exercise-id': e.exercise_id, onclick, ...extra }, w(word));
  const actions = [
    button('open-exercise', 'open', () => ctx.open(e.exercise_id)),
    // A re-run is run again in its turn; its predecessor points at it.
    e.run_again_as ? null : button('run-again', 'run_again', () => runAgain(e), { title: w('run_again_title') }),
    archived
      ? button('unarchive', 'unarchive', () => file(e, 'unarchive'))
      : ended ? button('archive', 'archive', () => file(e, 'archive'), { title: w('archive_title') }) : null,
    button('delete-exercise', 'delete', () => askDelete(e)),
  ].filter(Boolean);
  return h('li', { className: 'exercise-row', 'data-exercise-id': e.exercise_id, 'data-phase': e.phase, 'data-archived': String(archived) },
    h('div', { className: 'exercise-what' },
      h('strong', { className: 'exercise-title' }, e.title),
      h('span', { className: 'muted exercise-meta' },
        w('exercise_line', { phase: w(`phase_${e.phase}`), code: e.join_code, n: count(e.participants), when: dateTime(e.created_wall_ms) })),
      ...notes.map((n) => h('span', { className: 'tag' }, n))),
    h('div', { className: 'row exercise-actions' }, ...actions));
}

async function runAgain(e) {
  try {
    const created = await ctx.api(`/api/exercises/${e.exercise_id}/run-again`, { method: 'POST' });
    ctx.rememberKey(created.exercise_id, created.facilitator_key);
    ctx.open(created.exercise_id);
  } catch (err) {
    text($('#exercises-error'), err.status === 409 ? w('run_again_twice') : err.message);
  }
}

async function file(e, what) {
  try {
    await ctx.api(`/api/exercises/${e.exercise_id}/${what}`, { method: 'POST' });
    await refresh();
  } catch (err) {
    text($('#exercises-error'), err.status === 409 ? w('archive_end_first') : err.message);
  }
}

function askDelete(e) {
  pendingDelete = e;
  text($('#confirm-delete-text'), w('confirm_delete', { title: e.title, code: e.join_code, when: dateTime(e.created_wall_ms) }));
  $('#confirm-delete').showModal();
}

$('#confirm-delete-yes').addEventListener('click', async () => {
  const e = pendingDelete;
  pendingDelete = null;
  $('#confirm-delete').close();
  if (!e) return;
  try {
    await ctx.api(`/api/exercises/${e.exercise_id}`, { method: 'DELETE' });
    await refresh();
  } catch (err) {
    text($('#exercises-error'), err.message);
  }
});
$('#confirm-delete-no').addEventListener('click', () => {
  pendingDelete = null;
  $('#confirm-delete').close();
});
$('#exercise-status').addEventListener('change', () => ctx && refresh());
$('#exercise-search').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => ctx && refresh(), 150);
});
