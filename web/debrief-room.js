// debrief-room.js: the live room on the debrief page, for the hot wash: per inject and
// group, the group's answer first (group answer mode: the scribe's latest answer that is
// not a contribution; individual mode: every answer), then the members' contributions,
// marked; a poll's chosen options by their labels and its tally per group and for all
// groups; answers after the answer window marked late, and each group's timing (on time,
// late, no answer) when the inject has a window.
//
// The timeline gives the answers (`options`, `contribution`, `late`), but not yet a
// poll's option labels, an inject's answer window or the answer mode. Until its
// `inject_released` entries carry `response` (and the timeline `answer_mode`), they are
// read from the control room's welcome: one websocket, identified with the key the page
// already uses (in the message, never in a URL), read and closed without sending
// anything else. Without it, option ids stand for their labels and the rest is inferred
// from the answers.
//
// The tally follows the server's rule (docs/protocol.md, `tally`): answers that choose
// options and are not contributions; each participant's latest choice counts once in the
// group they answered for (group answer mode: each group's latest answer); an option
// chosen counts one.
//
// Every text goes in as text nodes (h()); nothing is parsed as markup.

import { movedTo } from '/assets/client.js';
import { h, playTime } from '/assets/ui.js';
import { W, minutes, number, percent } from '/assets/debrief-words.js';

/** What one inject needs beyond the timeline: `options` ([{id, label}] for a poll, else
 *  null), `multiple`, the answer window `windowMs` and the play time it closes `dueMs`. */
function injectFacts(x) {
  const response = x.response && typeof x.response === 'object' ? x.response : null;
  const options = response?.kind === 'choice' && Array.isArray(response.options) ? response.options : null;
  return {
    options: options ? options.map((o) => (typeof o === 'string' ? { id: o, label: o } : { id: o.id, label: o.label ?? o.id })) : null,
    multiple: !!response?.multiple,
    windowMs: typeof x.respond_within_ms === 'number' ? x.respond_within_ms : null,
    dueMs: typeof x.due_play_ms === 'number' ? x.due_play_ms : null,
  };
}

/** The facts from the timeline itself, when the server puts them there: every release
 *  carries `response`, and the timeline its `answer_mode`. Null otherwise. */
export function factsFromTimeline(body) {
  const releases = (body.entries || []).filter((e) => e.kind === 'inject_released');
  if (!body.answer_mode || !releases.every((e) => e.response)) return null;
  return { answerMode: body.answer_mode, injects: new Map(releases.map((e) => [e.inject_id, injectFacts(e)])) };
}

/** The facts from the control room's welcome (facilitator or observer): resolves with
 *  `{answerMode, injects}`, or null when the socket cannot tell within `timeout` ms. An
 *  exercise live on another instance (close 4307 with its base URL) is asked there, once:
 *  `at` is where to ask (the page's own origin, else the instance it was sent to). */
export function fetchRoomFacts(exerciseId, bearer, timeout = 8000, at = location) {
  return new Promise((resolve) => {
    let ws;
    let settled = false;
    let tried = 'facilitate';
    const done = (facts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try { ws?.close(1000); } catch { /* already closed */ }
      resolve(facts);
    };
    const timer = setTimeout(() => done(null), timeout);
    try {
      ws = new WebSocket(`${at.protocol === 'https:' ? 'wss' : 'ws'}://${at.host}/ws`);
    } catch {
      done(null);
      return;
    }
    ws.onopen = () => ws.send(JSON.stringify({ type: 'facilitate', exercise_id: exerciseId, facilitator_key: bearer }));
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      if (m.type === 'welcome') {
        done({
          answerMode: m.scribes ? 'group' : 'individual',
          injects: new Map((m.injects || []).map((i) => [i.inject_id, injectFacts(i)])),
        });
      } else if (m.type === 'error' && m.code === 'bad_credentials' && tried === 'facilitate') {
        tried = 'observe'; // an observer's key
        ws.send(JSON.stringify({ type: 'observe', exercise_id: exerciseId, observer_key: bearer }));
      } else if (m.type === 'error') {
        done(null);
      }
    };
    // An error is always followed by a close: the close decides.
    ws.onclose = (ev) => {
      const moved = ev.code === 4307 && at === location && !settled ? movedTo(ev.reason) : null;
      if (!moved) return done(null);
      settled = true;
      clearTimeout(timer);
      resolve(fetchRoomFacts(exerciseId, bearer, timeout, new URL(moved)));
    };
  });
}

/** The room as the debrief reads it: the answer mode and, per inject, its facts. Facts
 *  the server did not give are inferred from the answers: group mode when anyone
 *  contributed or a scribe was assigned, an answer window when answers carry `late`. */
export function roomOf(entries, facts) {
  const answerMode = facts?.answerMode
    ?? (entries.some((e) => e.kind === 'scribe_assigned' || e.contribution) ? 'group' : 'individual');
  const injects = new Map();
  const responses = entries.filter((e) => e.kind === 'response_submitted');
  for (const e of entries.filter((x) => x.kind === 'inject_released')) {
    const known = facts?.injects.get(e.inject_id) || injectFacts(e);
    const mine = responses.filter((r) => r.inject_id === e.inject_id);
    let options = known.options;
    if (!options && mine.some((r) => r.options?.length)) {
      // A poll whose labels the page could not get: its ids, in the order first chosen.
      const ids = [...new Set(mine.flatMap((r) => r.options || []))];
      options = ids.map((id) => ({ id, label: id }));
    }
    const dueMs = known.dueMs ?? (known.windowMs !== null ? (e.play_ms || 0) + known.windowMs : null);
    injects.set(e.inject_id, {
      ...known,
      options,
      dueMs,
      hasWindow: known.windowMs !== null || mine.some((r) => typeof r.late === 'boolean'),
    });
  }
  return { answerMode, injects };
}

/** A poll's tally from its answers (log order), by the server's rule: `byGroup`
 *  (group id -> option id -> count), `total` (option id -> count), `answers` (choices
 *  counted) and `counted` (the seqs of the answers that count). */
export function tally(responses, options, answerMode) {
  const latest = new Map();
  for (const r of responses) {
    if (!r.options?.length || r.contribution) continue;
    const voter = answerMode === 'group' ? '' : r.participant_id ?? r.seq;
    latest.set(`${r.group_id}\u0000${voter}`, r);
  }
  const zero = () => new Map(options.map((o) => [o.id, 0]));
  const total = zero();
  const byGroup = new Map();
  for (const r of latest.values()) {
    if (!byGroup.has(r.group_id)) byGroup.set(r.group_id, zero());
    const counts = byGroup.get(r.group_id);
    for (const id of r.options) {
      if (!total.has(id)) continue; // an option the inject does not offer counts nowhere
      counts.set(id, counts.get(id) + 1);
      total.set(id, total.get(id) + 1);
    }
  }
  return { byGroup, total, answers: latest.size, counted: new Set([...latest.values()].map((r) => r.seq)) };
}

/** A group's answers to an inject (log order) as the hot wash reads them: `answers`
 *  (the group's answer first: group mode the latest that is not a contribution, with the
 *  `earlier` versions; individual mode every answer) and `contributions`. */
export function groupAnswers(list, answerMode) {
  const own = list.filter((r) => !r.contribution);
  const contributions = list.filter((r) => r.contribution);
  if (answerMode === 'group') return { answers: own.slice(-1), earlier: own.slice(0, -1), contributions };
  return { answers: own, earlier: [], contributions };
}

/** On time, late or no answer (none without an answer window): the group's first
 *  answer that is not a contribution decides. */
export function timingOf(list, hasWindow) {
  if (!hasWindow) return null;
  const first = list.find((r) => !r.contribution);
  if (!first) return 'none';
  return first.late ? 'late' : 'on_time';
}

/** The step's answer-window line: the window, when it closed, and the groups' timing. */
export function windowLine(step, info, timings) {
  if (!info?.hasWindow) return '';
  const counts = { on_time: 0, late: 0, none: 0 };
  for (const t of timings) if (t) counts[t] += 1;
  const head = info.windowMs !== null ? W.window(minutes(info.windowMs), playTime(info.dueMs ?? 0)) : '';
  return [head, W.timing_counts(counts)].filter(Boolean).join(' · ');
}

const labelOf = (info, id) => info?.options?.find((o) => o.id === id)?.label ?? id;

/** One answer: its time, author (with names), marks (contribution, late, changed
 *  later), the options chosen by their labels, and its text. */
function answerItem(r, { info, names, counted, scribe }) {
  const isPoll = !!info?.options;
  const superseded = isPoll && !r.contribution && r.options?.length && !counted.has(r.seq);
  return h('li', {
    className: ['response', r.contribution ? 'contribution' : '', superseded ? 'superseded' : ''].filter(Boolean).join(' '),
    'data-kind': r.contribution ? 'contribution' : 'answer',
    'data-late': r.late ? 'true' : null,
    'data-seq': String(r.seq),
  },
  h('p', { className: 'response-meta' },
    h('span', { className: 'response-time' }, r.play_time || ''), ' ',
    names ? h('span', { className: 'response-author' }, r.participant_name || W.unknown_author) : null,
    names && scribe ? h('span', { className: 'note' }, ` (${W.scribe})`) : null,
    r.contribution ? h('span', { className: 'tag tag-contribution' }, W.contribution) : null,
    r.late ? h('span', { className: 'tag tag-late' }, W.late) : null,
    superseded ? h('span', { className: 'tag tag-superseded' }, W.superseded) : null),
  r.options?.length
    ? h('p', { className: 'response-choice' }, r.options.map((id) => h('span', { className: 'choice', 'data-option-id': id }, labelOf(info, id))))
    : isPoll && !r.contribution ? h('p', { className: 'response-choice no-choice' }, W.not_counted) : null,
  r.text ? h('p', { className: 'response-text' }, r.text) : null);
}

/** A group's column: its name and timing, the questions it was asked, the group's
 *  answer (or every answer), earlier versions, contributions, and its plan items. */
export function groupColumn({ id, name, isTarget, questions, list, info, answerMode, names, counted, items }) {
  const { answers, earlier, contributions } = groupAnswers(list, answerMode);
  const timing = isTarget ? timingOf(list, info?.hasWindow) : null;
  const opts = { info, names, counted };
  const group = answerMode === 'group';
  return h('section', {
    className: 'group-col' + (isTarget ? '' : ' untargeted'),
    'data-group-id': id,
    'data-timing': timing,
  },
  h('h3', null, h('span', { className: 'group-name' }, name),
    isTarget ? null : h('span', { className: 'note' }, ` ${W.not_targeted}`),
    timing ? h('span', { className: 'timing', 'data-timing': timing }, W.timing[timing]) : null),
  isTarget && questions.length ? h('ol', { className: 'asked' }, questions.map((q) => h('li', {}, q))) : null,
  group && answers.length ? h('h4', { className: 'answers-head' }, W.group_answer) : null,
  answers.length
    ? h('ol', { className: 'responses group-answer' }, answers.map((r) => answerItem(r, { ...opts, scribe: group })))
    : h('p', { className: 'no-response' }, W.no_answer),
  earlier.length
    ? h('details', { className: 'earlier' }, h('summary', null, W.earlier(earlier.length)),
      h('ol', { className: 'responses' }, earlier.slice().reverse().map((r) => answerItem(r, opts))))
    : null,
  contributions.length ? h('h4', { className: 'contributions-head' }, W.contributions(contributions.length)) : null,
  contributions.length ? h('ol', { className: 'responses contributions' }, contributions.map((r) => answerItem(r, opts))) : null,
  items);
}

/** Fills the step's poll box: the options (rows) by group (columns) and for all groups,
 *  with each option's share of the choices counted. Hidden unless the inject is a poll. */
export function showPoll(box, step, info, result, groupIds, groupName, answerMode) {
  box.hidden = !info?.options;
  if (box.hidden) {
    box.replaceChildren();
    return;
  }
  const chosen = [...result.total.values()].reduce((a, b) => a + b, 0);
  const most = Math.max(1, ...result.total.values());
  const table = h('table', { className: 'tally' },
    h('caption', { className: 'visually-hidden' }, W.poll_caption(step.inject_title || step.inject_id || '')),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, W.poll_option),
      groupIds.map((g) => h('th', { scope: 'col', 'data-group-id': g }, groupName(g))),
      h('th', { scope: 'col', className: 'total' }, W.poll_all))),
    h('tbody', null, info.options.map((o) => {
      const n = result.total.get(o.id) || 0;
      const fill = h('span', { className: 'tally-fill' });
      fill.style.width = `${(n / most) * 100}%`;
      return h('tr', { 'data-option-id': o.id },
        h('th', { scope: 'row' }, o.label),
        groupIds.map((g) => {
          const c = result.byGroup.get(g)?.get(o.id) || 0;
          return h('td', { className: c ? 'count' : 'count zero', 'data-group-id': g, 'data-count': String(c) }, number(c));
        }),
        h('td', { className: 'total', 'data-count': String(n) },
          h('span', { className: 'total-figure' }, number(n)),
          chosen ? h('span', { className: 'share' }, percent(n / chosen)) : null,
          h('span', { className: 'tally-bar', 'aria-hidden': 'true' }, fill)));
    })));
  box.replaceChildren(
    h('h3', { id: 'step-poll-title' }, W.poll_title),
    result.answers ? table : h('p', { className: 'no-response' }, W.poll_none),
    result.answers ? h('p', { className: 'poll-rule' }, W.poll_rule[answerMode](result.answers)) : null);
}
