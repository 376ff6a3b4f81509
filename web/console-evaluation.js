// console-evaluation.js: the console's evaluation panels, each list keyed and patched in
// place (console-dom.js) so a push never closes, blurs or replaces what the facilitator
// is using:
// - notes, newest first, with who, when (play time), what about, and their kind;
// - objective ratings: every evaluator's rating side by side (one per author: their
//   later one replaces theirs), the facilitator's being the consensus the report uses,
//   and this console's own rating form, built once per exercise so what is being typed
//   survives pushes and reconnects (a push fills a form nobody is editing);
// - the improvement plan: proposals to accept (as they are or edited) or drop, the
//   accepted items, and the form to add or edit one;
// - observers, each with their link (the key only in the link's fragment);
// - the self-assessment (console-self-assessment.js).
// facilitator.js owns the socket: it calls setup() once, welcome() with each welcome and
// the push functions as messages come.

import { $, h, text, playTime } from '/assets/ui.js';
import { keyed, setHidden, setText } from '/assets/console-dom.js';
import { w, date } from '/assets/console-words.js';
import * as panels from '/assets/console-panels.js';
import * as selfAssessment from '/assets/console-self-assessment.js';

let ctx = null; // {state, send(msg, where), sendTracked(msg, ok, fail)}
let state = null;

const LETTERS = ['P', 'S', 'M', 'U'];
/** A rating letter's meaning, a note's kind, an item's priority, status or capability. */
const meaning = (letter) => (LETTERS.includes(letter) ? w(`rating_${letter}`) : letter);
const category = (c) => w(`cat_${['strength', 'area_for_improvement'].includes(c) ? c : 'observation'}`);
const priority = (p) => (['high', 'medium', 'low'].includes(p) ? w(`prio_${p}`) : null);
const progress = (p) => (['not_started', 'in_progress', 'complete', 'cancelled'].includes(p) ? w(`progress_${p}`) : null);
const capability = (c) => (['planning', 'organisation', 'equipment', 'training', 'exercise'].includes(c) ? w(`cap_${c}`) : c);
/** An evaluator's name; the facilitator's in the console's language. */
const authorName = (a, name) => (a?.role === 'facilitator' ? w('facilitator') : name);
const groupName = (id) => state.groups.find((g) => g.id === id)?.name ?? id;
const injectTitle = (id) => state.plan.find((p) => p.inject_id === id)?.title ?? id;
const clip = (s, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Wires the forms; `c` gives the console's state and its two ways of sending. */
export function setup(c) {
  ctx = c;
  state = c.state;
  resetItemForm();
  $('#note-form').addEventListener('submit', sendNote);
  $('#improvement-form').addEventListener('submit', saveItem);
  $('#imp-cancel').addEventListener('click', () => {
    awaiting = null;
    resetItemForm();
    text($('#imp-status'), '');
  });
  $('#observer-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('#observer-name').value.trim();
    if (!name) return;
    if (ctx.send({ type: 'add_observer', name }, $('#evaluation-error'))) $('#observer-name').value = '';
  });
  selfAssessment.setup(c);
}

/** The welcome's evaluation: every list is whole (replace, don't append). */
export function welcome(wel) {
  state.objectives = wel.objectives || [];
  state.notes = new Map((wel.notes || []).map((n) => [n.note_id, n]));
  state.me = wel.observer ? authorKey({ role: 'observer', observer_id: wel.observer.observer_id }) : 'facilitator';
  state.ratings = new Map((wel.ratings || []).map((r) => [ratingKey(r), r]));
  state.items = new Map((wel.improvements || []).map((i) => [i.item_id, i]));
  state.observers = wel.observers || [];
  state.sa = wel.self_assessment_results || null;
  fillSelect($('#note-inject'), [['', w('no_inject')], ...state.plan.map((p) => [p.inject_id, p.title])]);
  fillSelect($('#note-objective'), [['', w('no_objective')], ...state.objectives.map((o) => [o.id, clip(o.text)])]);
  fillSelect($('#note-group'), [['', w('no_group')], ...state.groups.map((g) => [g.id, g.name])]);
  fillSelect($('#imp-group'), state.groups.map((g) => [g.id, g.name]));
  renderNotes();
  renderRatings();
  renderItems();
  renderObservers();
  selfAssessment.render();
}

/** A push; true when it was one of these panels'. */
export function push(m) {
  switch (m.type) {
    case 'note': state.notes.set(m.note_id, m); renderNotes(); return true;
    case 'rating': setRating(m); return true;
    case 'improvement': setItem(m); return true;
    case 'observer':
      state.observers = [...state.observers.filter((o) => o.observer_id !== m.observer_id), m];
      renderObservers();
      return true;
    case 'self_assessment_results': state.sa = m; selfAssessment.render(); return true;
    default: return false;
  }
}

/** Replaces a select's options (only when they changed), keeping the chosen value. */
function fillSelect(select, options) {
  const was = select.value;
  const fresh = options.map(([value, label]) => h('option', { value }, label));
  const same = select.options.length === fresh.length && fresh.every((o, i) => o.isEqualNode(select.options[i]));
  if (!same) select.replaceChildren(...fresh);
  if (options.some(([v]) => v === was)) select.value = was;
}

// ---- notes ----------------------------------------------------------------------

function noteItem(n) {
  return h('li', { className: 'note', 'data-note-id': n.note_id },
    h('p', { className: 'note-meta' },
      h('span', { className: 'note-time' }, playTime(n.play_ms)), ' · ', h('span', { className: 'note-author' }, authorName(n.author, n.author_name)),
      n.inject_id ? h('span', { className: 'tag note-inject' }, injectTitle(n.inject_id)) : null,
      n.objective_id ? h('span', { className: 'tag note-objective' }, n.objective_id) : null,
      n.group_id ? h('span', { className: 'tag note-group' }, groupName(n.group_id)) : null,
      h('span', { className: 'tag note-category', 'data-category': n.category ?? 'observation' }, category(n.category))),
    h('p', { className: 'note-text' }, n.text));
}

function renderNotes() {
  const notes = [...state.notes.values()].sort((a, b) => b.seq - a.seq);
  const list = $('#notes');
  if (!list.querySelector('li.none')) list.append(h('li', { className: 'muted none' }, w('no_notes')));
  setHidden(list.querySelector('li.none'), notes.length > 0);
  keyed(list, notes, (n) => n.note_id, noteItem);
  panels.count('notes-panel', notes.length);
}

function sendNote(ev) {
  ev.preventDefault();
  const value = $('#note-text').value;
  const status = $('#note-status');
  if (!value.trim()) return text(status, w('type_note_first'));
  const tags = {};
  for (const [key, el] of [['inject_id', '#note-inject'], ['objective_id', '#note-objective'], ['group_id', '#note-group'], ['category', '#note-category']]) {
    if ($(el).value) tags[key] = $(el).value;
  }
  $('#note-send').disabled = true;
  text(status, w('saving'));
  ctx.sendTracked({ type: 'note', text: value, ...tags }, () => {
    $('#note-send').disabled = false;
    if ($('#note-text').value === value) $('#note-text').value = '';
    text(status, w('saved'));
  }, (err) => {
    $('#note-send').disabled = false;
    text(status, err);
  });
}

// ---- objective ratings ------------------------------------------------------------

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
      : [h('p', { className: 'muted' }, w('no_objectives'))]));
  }
  for (const [id, box] of ratingBoxes) showRatings(box, id);
  countRated();
}

function countRated() {
  const rated = state.objectives.filter((o) => ratingsOf(o.id).length > 0).length;
  panels.count('objectives-panel', state.objectives.length ? `${rated}/${state.objectives.length}` : '');
}

function ratingBox(o, key) {
  const select = h('select', { id: `${key}-rating`, className: 'rating' }, h('option', { value: '' }, w('choose_rating')),
    LETTERS.map((letter) => h('option', { value: letter }, `${letter} — ${meaning(letter)}`)));
  const strengths = h('textarea', { id: `${key}-strengths`, className: 'strengths', rows: 2, maxLength: 4000 });
  const areas = h('textarea', { id: `${key}-areas`, className: 'areas', rows: 2, maxLength: 4000 });
  const current = h('p', { className: 'current-rating' });
  const board = h('div', { className: 'evaluator-ratings' });
  const status = h('span', { className: 'muted rating-status', 'aria-live': 'polite' });
  const consensus = !state.observer;
  const save = h('button', { type: 'button', className: 'save-rating' }, consensus ? w('save_consensus') : w('save_mine'));
  const el = h('div', { className: 'objective-rating', 'data-objective-id': o.id },
    h('p', { className: 'objective-text' }, h('strong', {}, o.id), ': ', o.text), current,
    board,
    h('div', { className: 'own-rating', 'data-consensus': String(consensus) },
      h('h4', {}, consensus ? w('consensus_heading') : w('your_rating')),
      h('div', {}, h('label', { for: select.id }, w('rating')), select),
      h('div', {}, h('label', { for: strengths.id }, w('strengths')), strengths),
      h('div', {}, h('label', { for: areas.id }, w('areas')), areas),
      h('div', { className: 'row' }, save, status)));
  const box = { el, select, strengths, areas, current, board, status, dirty: false };
  for (const input of [select, strengths, areas]) input.addEventListener('input', () => { box.dirty = true; });
  save.addEventListener('click', () => {
    if (!select.value) return text(status, w('choose_psmu'));
    save.disabled = true;
    text(status, w('saving'));
    ctx.sendTracked({ type: 'rate_objective', objective_id: o.id, rating: select.value, strengths: strengths.value, areas_for_improvement: areas.value },
      () => { save.disabled = false; box.dirty = false; text(status, w('saved')); },
      (err) => { save.disabled = false; text(status, err); });
  });
  ratingBoxes.set(o.id, box);
  return el;
}

function setRating(r) {
  state.ratings.set(ratingKey(r), r);
  const box = ratingBoxes.get(r.objective_id);
  if (box) showRatings(box, r.objective_id);
  countRated();
}

const letter = (r) => [h('strong', { className: 'rating-letter' }, r.rating), ` — ${meaning(r.rating)}`];

/** Swaps `el`'s children for `children` only when they differ. */
function replaceIfChanged(el, children) {
  const fresh = h(el.tagName.toLowerCase(), {}, children);
  if (fresh.childNodes.length !== el.childNodes.length || ![...fresh.childNodes].every((c, i) => c.isEqualNode(el.childNodes[i]))) {
    el.replaceChildren(...fresh.childNodes);
  }
}

function evaluatorCard(r) {
  return h('div', {
    className: 'evaluator-rating', 'data-author': authorKey(r.author), 'data-consensus': String(Boolean(r.consensus)), 'data-rating': r.rating,
  },
  h('p', { className: 'evaluator-head' }, h('span', { className: 'evaluator-name' }, authorName(r.author, r.author_name)),
    r.consensus ? h('span', { className: 'tag consensus-tag' }, w('consensus_tag')) : h('span', { className: 'tag' }, w('evaluator_tag'))),
  h('p', { className: 'evaluator-letter' }, ...letter(r)),
  h('p', { className: 'evaluator-strengths' }, h('span', { className: 'muted' }, w('strengths_colon')), r.strengths || '—'),
  h('p', { className: 'evaluator-areas' }, h('span', { className: 'muted' }, w('areas_colon')), r.areas_for_improvement || '—'));
}

function showRatings(box, objectiveId) {
  const all = ratingsOf(objectiveId);
  const consensus = all.find((r) => r.consensus);
  const latest = all.reduce((a, r) => (!a || r.seq > a.seq ? r : a), null);
  const shown = consensus ?? latest;
  box.current.dataset.rating = shown?.rating ?? '';
  replaceIfChanged(box.current, consensus ? [w('consensus_colon'), ...letter(consensus), ` (${authorName(consensus.author, consensus.author_name)})`]
    : latest ? [w('latest_colon'), ...letter(latest), ` (${authorName(latest.author, latest.author_name)})`]
      : [w('not_rated')]);
  if (!box.board.querySelector('p.none')) box.board.append(h('p', { className: 'muted none' }, w('nobody_rated')));
  setHidden(box.board.querySelector('p.none'), all.length > 0);
  keyed(box.board, all, (r) => authorKey(r.author), evaluatorCard);
  // The form holds this console's own rating; the facilitator's consensus form, until
  // they rate, starts from the latest evaluator's rating (not saved until they save it).
  const own = all.find((r) => authorKey(r.author) === state.me);
  const from = own ?? (state.observer ? null : latest);
  if (from && !box.dirty) {
    for (const [field, value] of [[box.select, from.rating], [box.strengths, from.strengths], [box.areas, from.areas_for_improvement]]) {
      if (field.value !== value) field.value = value;
    }
    if (!own) text(box.status, w('filled_from', { name: authorName(from.author, from.author_name) }));
  }
}

// ---- the improvement plan ---------------------------------------------------------

let editing = null; // item_id being edited in the form
let awaiting = null; // {item_id?, issue} sent from the form, until its push arrives

function setItem(m) {
  state.items.set(m.item_id, m);
  renderItems();
  if (awaiting && (awaiting.item_id ? awaiting.item_id === m.item_id : m.status === 'accepted' && m.item.issue === awaiting.issue)) {
    awaiting = null;
    resetItemForm();
    text($('#imp-status'), w('saved'));
  }
}

const SECTIONS = ['proposed', 'accepted', 'dropped'];

function renderItems() {
  const all = [...state.items.values()];
  const of = (status) => all.filter((i) => i.status === status);
  const shown = SECTIONS.filter((status) => status === 'accepted' || of(status).length);
  keyed($('#improvements'), shown, (status) => status,
    (status) => h('section', { className: 'items-section', 'data-status': status }, h('h4'),
      h('ul', { className: 'plain items', 'data-status': status }, h('li', { className: 'muted none' }, w('none_yet')))),
    () => {});
  for (const section of $('#improvements').children) {
    const status = section.dataset.status;
    const items = of(status);
    setText(section.querySelector('h4'), w('section_count', { title: w(`section_${status}`), n: items.length }));
    const list = section.querySelector('ul');
    setHidden(list.querySelector('li.none'), items.length > 0);
    keyed(list, items, (v) => v.item_id, itemRow);
  }
  const proposed = of('proposed').length;
  panels.count('improvements-panel', all.length - of('dropped').length, { attention: proposed > 0 });
}

function itemRow(v) {
  const i = v.item;
  const id = v.item_id;
  const who = [i.responsible_org, i.owner, i.start && w('item_start', { date: date(i.start) }), i.due && w('item_due', { date: date(i.due) })].filter(Boolean).join(' · ');
  const act = (label, className, fn) => h('button', { type: 'button', className, onclick: fn }, label);
  const now = () => state.items.get(id); // the item as it is when the button is pressed
  return h('li', { className: 'improvement', 'data-item-id': id, 'data-status': v.status },
    h('p', { className: 'item-head' }, h('strong', {}, groupName(i.group_id)), ` · ${capability(i.capability)}`,
      v.proposed_by ? w('proposed_by', { name: v.proposed_by }) : ''),
    h('p', { className: 'item-issue' }, h('span', { className: 'muted' }, w('issue_colon')), i.issue),
    h('p', { className: 'item-action' }, h('span', { className: 'muted' }, w('action_colon')), i.corrective_action),
    who ? h('p', { className: 'item-owner muted' }, who) : null,
    h('p', { className: 'item-ip' },
      h('span', { className: 'tag item-priority', 'data-priority': i.priority ?? '' }, w('priority_is', { value: priority(i.priority) ?? w('not_set_short') })),
      h('span', { className: 'tag item-progress', 'data-progress': i.progress ?? '' }, w('status_is', { value: progress(i.progress) ?? w('not_set_short') }))),
    state.observer ? null : h('div', { className: 'row' },
      v.status !== 'accepted' ? act(w('accept'), 'accept', () => ctx.send({ type: 'accept_improvement', item_id: id, item: now().item }, $('#evaluation-error'))) : null,
      act(w('edit'), 'edit secondary', () => editItem(now())),
      v.status !== 'dropped' ? act(w('drop'), 'drop secondary', () => ctx.send({ type: 'drop_improvement', item_id: id }, $('#evaluation-error'))) : null));
}

const itemFields = {
  issue: '#imp-issue', corrective_action: '#imp-action', group_id: '#imp-group', capability: '#imp-capability', responsible_org: '#imp-org',
  owner: '#imp-owner', start: '#imp-start', due: '#imp-due', priority: '#imp-priority', progress: '#imp-progress',
};

function editItem(v) {
  editing = v.item_id;
  for (const [k, sel] of Object.entries(itemFields)) $(sel).value = v.item[k] ?? '';
  text($('#imp-form-title'), w('edit_then_accept'));
  text($('#imp-save'), v.status === 'accepted' ? w('save_changes') : w('accept_edited'));
  $('#imp-cancel').hidden = false;
  text($('#imp-status'), '');
  $('#imp-issue').focus();
}

function resetItemForm() {
  editing = null;
  $('#improvement-form').reset();
  text($('#imp-form-title'), w('add_item'));
  text($('#imp-save'), w('add_to_plan'));
  $('#imp-cancel').hidden = true;
}

function saveItem(ev) {
  ev.preventDefault();
  const item = Object.fromEntries(Object.entries(itemFields).map(([k, sel]) => [k, $(sel).value.trim()]));
  if (!item.issue || !item.corrective_action) return text($('#imp-status'), w('need_issue_action'));
  if (item.start && item.due && item.start > item.due) return text($('#imp-status'), w('start_after_due'));
  for (const k of ['priority', 'progress']) item[k] ||= null; // not decided
  awaiting = { item_id: editing, issue: item.issue };
  if (ctx.send({ type: 'accept_improvement', ...(editing ? { item_id: editing } : {}), item }, $('#imp-status'))) text($('#imp-status'), w('saving'));
}

// ---- observers --------------------------------------------------------------------

function observerLink(o) {
  return `${state.publicBase || location.origin}/facilitator?exercise=${encodeURIComponent(state.exercise)}#observer=${encodeURIComponent(o.key)}`;
}

function observerItem(o) {
  if (!o.key) return h('li', { className: 'observer', 'data-observer-id': o.observer_id }, h('span', { className: 'observer-name' }, o.name));
  const link = h('input', { className: 'observer-link', readOnly: true, value: observerLink(o), 'aria-label': w('observer_link_for', { name: o.name }), id: `observer-link-${o.observer_id}` });
  const status = h('span', { className: 'muted', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', className: 'copy-link secondary', 'aria-label': w('copy_link_for', { name: o.name }) }, w('copy_link'));
  copy.addEventListener('click', async () => {
    link.select();
    let ok = false;
    try {
      await navigator.clipboard.writeText(link.value);
      ok = true;
    } catch {
      ok = document.execCommand?.('copy') ?? false;
    }
    text(status, ok ? w('copied') : w('copy_by_hand'));
  });
  return h('li', { className: 'observer', 'data-observer-id': o.observer_id },
    h('strong', { className: 'observer-name' }, o.name), h('div', { className: 'row' }, link, copy, status));
}

function renderObservers() {
  const list = $('#observers');
  if (list.dataset.exercise !== state.exercise) {
    list.replaceChildren(h('li', { className: 'muted none' }, w('no_observers')));
    list.dataset.exercise = state.exercise;
  }
  setHidden(list.querySelector('li.none'), state.observers.length > 0);
  keyed(list, state.observers, (o) => o.observer_id, observerItem, (li, o) => {
    setText(li.querySelector('.observer-name'), o.name);
    const link = li.querySelector('input.observer-link');
    if (link && o.key && link.value !== observerLink(o)) link.value = observerLink(o);
  });
  panels.count('observers-panel', state.observers.length);
}
