// Debrief: step through the released injects of an exercise with every group's answers.
// All scenario and participant text goes in through textContent / text nodes only.

const $ = (id) => document.getElementById(id);

/** Builds an element; string children become text nodes, never markup. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const exerciseId = (new URLSearchParams(location.search).get('exercise') || '').trim();
const keyName = 'tt.fkey.' + exerciseId;
const store = (s, op, ...a) => { try { return s[op](...a); } catch { return null; } };

let key = null;      // the bearer that worked last
let data = null;     // the timeline
let steps = [];      // inject_released entries
let answers = new Map(); // inject_id -> response entries, log order
let index = 0;
let busy = false;

function showError(msg) {
  const el = $('debrief-error');
  el.textContent = msg || '';
  el.hidden = !msg;
}

function showKeyForm(show) {
  $('key-form').hidden = !show;
  if (show) $('key').focus();
}

async function fetchTimeline(bearer) {
  let res;
  try {
    res = await fetch('/api/exercises/' + encodeURIComponent(exerciseId) + '/timeline', {
      headers: { Authorization: 'Bearer ' + bearer },
      cache: 'no-store',
    });
  } catch {
    return { error: 'Could not reach the server. Check the connection and press Refresh.' };
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (res.ok && body && Array.isArray(body.entries)) return { body };
  const message = body && body.error && body.error.message;
  return {
    status: res.status,
    error: message || `The server answered ${res.status} ${res.statusText}`.trim(),
  };
}

/** Loads with the given key, else the stored facilitator key, else the admin token. */
async function load(given) {
  if (busy) return;
  busy = true;
  $('stage').setAttribute('aria-busy', 'true');
  try {
    const tries = given ? [given]
      : [...new Set([key, store(localStorage, 'getItem', keyName), store(sessionStorage, 'getItem', 'tt.admin')])]
        .filter(Boolean);
    if (!tries.length) {
      showError('');
      showKeyForm(true);
      return;
    }
    let last = null;
    for (const t of tries) {
      last = await fetchTimeline(t);
      if (last.body) {
        key = t;
        if (given) store(localStorage, 'setItem', keyName, t);
        showError('');
        showKeyForm(false);
        setData(last.body);
        return;
      }
      if (last.status !== 401) break;
    }
    if (last.status === 401) {
      showError(given ? 'That key was refused: ' + last.error : 'Enter the facilitator key of this exercise.');
      key = null;
      showKeyForm(true);
      if (given) $('key').select();
    } else {
      showError(last.error);
    }
  } finally {
    busy = false;
    $('stage').removeAttribute('aria-busy');
  }
}

function setData(body) {
  data = body;
  steps = body.entries.filter((e) => e.kind === 'inject_released');
  answers = new Map();
  for (const e of body.entries) {
    if (e.kind !== 'response_submitted') continue;
    if (!answers.has(e.inject_id)) answers.set(e.inject_id, []);
    answers.get(e.inject_id).push(e);
  }
  $('ex-title').textContent = 'Debrief — ' + (body.title || body.exercise_id || exerciseId);
  document.title = 'Debrief — ' + (body.title || 'tabletop');
  const phase = $('ex-phase');
  const live = body.phase && body.phase !== 'ended';
  phase.textContent = live ? `Exercise ${body.phase} — press Refresh for new answers` : 'Exercise ended';
  phase.hidden = !body.phase;
  index = Math.max(0, Math.min(index, steps.length - 1));
  render();
}

function groupName(id) {
  const g = data.groups.find((x) => x.id === id);
  return g ? g.name : id;
}

function render() {
  const n = steps.length;
  $('step-pos').textContent = n ? `${index + 1} / ${n}` : '0 / 0';
  setDisabled($('prev'), index <= 0);
  setDisabled($('next'), index >= n - 1);
  const groups = $('groups');
  const empty = $('step-empty');
  if (!n) {
    $('inject').hidden = true;
    empty.textContent = 'No inject has been released yet.';
    empty.hidden = false;
    groups.replaceChildren();
    return;
  }
  empty.hidden = true;
  const step = steps[index];
  $('inject').hidden = false;
  $('step-time').textContent = step.play_time || '';
  $('step-title').textContent = step.inject_title || step.inject_id || '';
  $('step-body').textContent = step.inject_body || '';
  const targets = step.targets || [];
  const all = data.groups.length > 0 && data.groups.every((g) => targets.includes(g.id));
  $('step-targets').textContent = (all ? 'To all groups' : 'To ' + targets.map(groupName).join(', '))
    + (step.manual ? ' · released by hand' : '');

  const list = answers.get(step.inject_id) || [];
  const byGroup = new Map();
  for (const a of list) {
    if (!byGroup.has(a.group_id)) byGroup.set(a.group_id, []);
    byGroup.get(a.group_id).push(a);
  }
  // Targeted groups in scenario order, then any other group that answered.
  const order = data.groups.map((g) => g.id);
  const rank = (id) => { const i = order.indexOf(id); return i < 0 ? order.length : i; };
  const targeted = [...new Set(targets)].sort((a, b) => rank(a) - rank(b));
  const others = [...byGroup.keys()].filter((id) => !targeted.includes(id)).sort((a, b) => rank(a) - rank(b));
  const cols = [...targeted, ...others].map((id) => column(id, byGroup.get(id) || [], targeted.includes(id)));
  groups.replaceChildren(...cols);
  groups.dataset.count = String(cols.length === 4 ? 2 : Math.min(cols.length, 3));
}

function column(id, items, isTarget) {
  const name = groupName(id) || (items[0] && items[0].group_name) || id;
  return h('section', { class: 'group-col' + (isTarget ? '' : ' untargeted'), 'data-group-id': id },
    h('h3', null, name, isTarget ? null : h('span', { class: 'note' }, ' (not targeted)')),
    items.length
      ? h('ol', { class: 'responses' }, items.map((a) => h('li', { class: 'response' },
        h('p', { class: 'response-meta' },
          h('span', { class: 'response-time' }, a.play_time || ''), ' ',
          h('span', { class: 'response-author' }, a.participant_name || 'Unknown')),
        h('p', { class: 'response-text' }, a.text || ''))))
      : h('p', { class: 'no-response' }, 'No answer'));
}

function setDisabled(btn, off) {
  if (off && document.activeElement === btn) {
    const other = btn.id === 'prev' ? $('next') : $('prev');
    (other.disabled ? $('refresh') : other).focus();
  }
  btn.disabled = off;
}

function go(i) {
  if (!steps.length) return;
  const next = Math.max(0, Math.min(i, steps.length - 1));
  if (next === index) return;
  index = next;
  render();
  window.scrollTo(0, 0);
}

$('prev').addEventListener('click', () => go(index - 1));
$('next').addEventListener('click', () => go(index + 1));
$('refresh').addEventListener('click', () => load());
$('key-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const k = $('key').value.trim();
  if (k) load(k);
});

document.addEventListener('keydown', (ev) => {
  if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.defaultPrevented) return;
  const t = ev.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: steps.length - 1 };
  if (!(ev.key in moves) || !steps.length) return;
  ev.preventDefault();
  go(moves[ev.key]);
});

if (!exerciseId) {
  showError('No exercise given: open this page as /debrief?exercise=<exercise id>.');
  document.querySelector('.controls').hidden = true;
} else {
  load();
}
