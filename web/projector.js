// projector.js: the shared screen. Public facts only. The facilitator chooses what it
// shows (`showing`): play (the join code and QR, how many have joined, the clock, the
// latest inject's title, text and the groups it is for, how many groups have answered
// it), the briefing slide (title, objectives, ground rules, groups with member counts),
// a poll's results as bars (only after **Show results**), the self-assessment's public
// results (aggregates, no cell under 3 raters, no organisation), or the adoption board
// (items and vote counts, never a voter). Once play has ended, play turns into a closing
// screen and nobody is asked to join. Announcements can be cleared (×) and leave the
// screen after two minutes, when the next inject arrives and at the end. Words:
// projector-words.js (en, fr).

import { Connection } from '/assets/client.js';
import { $, h, text, lang, readLang, t, playTime, playClock, showState } from '/assets/ui.js';
import { W } from '/assets/projector-words.js';

const code = (new URLSearchParams(location.search).get('code') || '').toUpperCase().replace(/[\s-]/g, '');
const state = {
  injects: [], progress: new Map(), view: 'play', results: null, adoption: null, groups: [], attendance: null,
  briefing: null, title: '', summary: '', pollId: null, tallies: new Map(), clock: 'lobby', announcement: null,
};
/** How long an announcement stays on the shared screen (wall time). */
const ANNOUNCEMENT_MS = 2 * 60 * 1000;
const VIEWS = ['play', 'briefing', 'poll', 'results', 'adoption', 'ended'];
const main = $('#projector');
document.documentElement.lang = lang;
text($('#join-label'), W.join_on_phone);
// Whoever drives the shared screen (it is shown from the facilitator's machine) can clear
// an announcement at once; otherwise it leaves after two minutes, the next inject, the end.
$('#announcement-clear').setAttribute('aria-label', W.clear_announcement);
$('#announcement-clear').addEventListener('click', () => {
  state.announcement = null;
  render();
});
languageSwitch();
$('#qr').alt = W.qr_alt;
const clock = playClock($('#clock'), (c, ms) => {
  main.dataset.clock = c.state;
  if (c.state !== state.clock) {
    state.clock = c.state;
    queueMicrotask(render);
  }
  if (c.state === 'lobby') return W.starting_soon;
  return `${c.state === 'running' ? '' : (c.state === 'paused' ? W.paused : W.ended) + ' '}${playTime(ms)}`;
});

function onMessage(m) {
  if (m.type === 'welcome') {
    state.title = m.scenario.title;
    state.summary = m.scenario.summary;
    text($('#scenario-title'), m.scenario.title);
    text($('#join-code'), m.join_code);
    const url = `${m.public_url || location.origin}/join/${m.join_code}`; // the server's --public-url, if any
    text($('#join-url'), url);
    $('#qr').src = `/qr/${encodeURIComponent(m.join_code)}`;
    state.injects = m.injects;
    state.groups = m.groups ?? [];
    state.progress = new Map(m.progress.map((p) => [p.inject_id, p]));
    state.view = m.showing?.view ?? 'play';
    state.pollId = m.showing?.inject_id ?? null;
    if (m.showing?.tally) state.tallies.set(m.showing.tally.inject_id, m.showing.tally);
    state.results = m.public_results ?? null;
    state.adoption = m.adoption ?? null;
    state.attendance = m.attendance ?? null;
    state.briefing = m.briefing ?? null;
    clock.set(m.clock);
    state.clock = m.clock.state;
  } else if (m.type === 'clock') {
    clock.set(m);
    state.clock = m.state;
  } else if (m.type === 'inject') {
    state.injects.push(m);
    state.announcement = null;
  } else if (m.type === 'progress') {
    state.progress.set(m.inject_id, m);
  } else if (m.type === 'showing') {
    state.view = m.view;
    state.pollId = m.inject_id ?? null;
    if (m.tally) state.tallies.set(m.tally.inject_id, m.tally);
  } else if (m.type === 'tally') {
    state.tallies.set(m.inject_id, m);
  } else if (m.type === 'attendance') {
    state.attendance = m;
  } else if (m.type === 'public_results') {
    state.results = m;
  } else if (m.type === 'adoption') {
    state.adoption = m;
  } else if (m.type === 'announcement') {
    state.announcement = { text: m.text, until: Date.now() + ANNOUNCEMENT_MS };
    setTimeout(render, ANNOUNCEMENT_MS + 50);
  } else if (m.type === 'error') {
    text($('#projector-error'), m.message);
    return;
  }
  render();
}

const groupName = (id) => state.groups.find((g) => g.id === id)?.name ?? id;

/** Which view is on screen: the facilitator's choice, but play becomes the closing
 *  screen once the exercise has ended. */
function currentView() {
  const view = VIEWS.includes(state.view) ? state.view : 'play';
  return view === 'play' && state.clock === 'ended' ? 'ended' : view;
}

/** The current inject's images on the shared screen (filled once per inject). */
function showHandouts(current) {
  const box = $('#current-attachments');
  const id = current?.attachments?.length ? current.inject_id : '';
  if (box.dataset.injectId === id) return;
  box.dataset.injectId = id;
  box.hidden = !id;
  box.replaceChildren();
  if (id) import('/assets/attachments.js').then((m) => m.fill(box, current.attachments, lang), () => {});
}

function render() {
  const view = currentView();
  main.dataset.view = view;
  for (const v of VIEWS) $(`#view-${v}`).hidden = v !== view;
  const current = state.injects[state.injects.length - 1];
  text($('#current-title'), current ? current.title : W.waiting_first);
  text($('#current-body'), current ? current.body : '');
  showHandouts(current);
  const targets = current?.targets;
  text($('#current-targets'), !current || !targets ? '' : targets === 'all' ? W.for_all : W.for_groups(targets.map(groupName).join(', ')));
  const p = current && state.progress.get(current.inject_id);
  text($('#progress'), p ? W.answered(p.groups_answered, p.groups_targeted) : '');
  const joined = state.attendance?.joined ?? 0;
  text($('#joined'), state.clock === 'lobby' || view === 'briefing' ? W.joined(joined) : '');
  const a = state.announcement;
  const showAnnouncement = a && a.until > Date.now() && state.clock !== 'ended';
  $('#announcement').hidden = !showAnnouncement;
  text($('#announcement-text'), showAnnouncement ? a.text : '');
  // Only the view on screen is in the page: nothing hidden can be read out of it.
  $('#view-briefing').replaceChildren(...(view === 'briefing' ? briefing() : []));
  $('#view-poll').replaceChildren(...(view === 'poll' ? poll(state.tallies.get(state.pollId)) : []));
  $('#view-results').replaceChildren(...(view === 'results' ? results(state.results) : []));
  $('#view-adoption').replaceChildren(...(view === 'adoption' ? adoption(state.adoption) : []));
  $('#view-ended').replaceChildren(...(view === 'ended' ? ended() : []));
  fit();
}

/** The briefing slide: what the exercise is for, how it is played, who is in which group. */
function briefing() {
  const b = state.briefing ?? { objectives: [], ground_rules: [] };
  const counts = state.attendance?.groups ?? {};
  return [
    h('header', { className: 'board-head' },
      h('p', { className: 'kicker' }, W.briefing),
      h('h1', { id: 'briefing-title' }, state.title),
      state.summary ? h('p', { className: 'board-sub briefing-summary' }, state.summary) : null),
    h('div', { className: 'briefing-grid' },
      b.objectives.length ? h('section', { className: 'briefing-part', id: 'briefing-objectives' },
        h('h2', {}, W.objectives), h('ul', {}, b.objectives.map((o) => h('li', {}, o.text)))) : null,
      b.ground_rules.length ? h('section', { className: 'briefing-part', id: 'briefing-rules' },
        h('h2', {}, W.ground_rules), h('ul', {}, b.ground_rules.map((r) => h('li', {}, r)))) : null,
      h('section', { className: 'briefing-part', id: 'briefing-groups' },
        h('h2', {}, W.groups),
        h('ul', { className: 'briefing-groups' }, state.groups.map((g) => h('li', { 'data-group-id': g.id },
          h('strong', {}, g.name), ' ', h('span', { className: 'muted' }, `· ${g.breakout_room ?? ''} · ${W.members(counts[g.id] ?? 0)}`))))),
      h('section', { className: 'briefing-part', id: 'briefing-how' },
        h('h2', {}, W.how_title), h('ol', {}, W.how.map((line) => h('li', {}, line))))),
  ];
}

/** A poll's results: one bar per option, its count and share of the answers. */
function poll(t) {
  const inject = state.injects.find((i) => i.inject_id === state.pollId);
  const head = h('header', { className: 'board-head' },
    h('p', { className: 'kicker' }, W.poll),
    h('h1', { id: 'poll-title' }, inject ? inject.title : ''),
    h('p', { className: 'board-sub', id: 'poll-answers' }, W.poll_answers(t?.answers ?? 0)));
  if (!t || !t.answers) return [head, h('p', { className: 'board-sub' }, W.poll_none)];
  const most = Math.max(1, ...t.options.map((o) => t.total[o.id] ?? 0));
  const votes = t.options.reduce((sum, o) => sum + (t.total[o.id] ?? 0), 0);
  return [head, h('ul', { className: 'bars poll-bars', id: 'poll-bars' }, t.options.map((o) => {
    const n = t.total[o.id] ?? 0;
    const fill = h('div', { className: 'bar-fill' });
    fill.style.width = `${(n / most) * 100}%`;
    const share = votes ? Math.round((n / votes) * 100) : 0;
    return h('li', { className: 'bar-row', 'data-option-id': o.id, 'data-count': n },
      h('span', { className: 'bar-label' }, o.label),
      h('div', { className: 'bar', 'aria-hidden': 'true' }, fill),
      h('span', { className: 'bar-value' }, `${n} · ${W.percent(share)}`));
  }))];
}

/** After the end: no join code, a word of thanks and what comes next. */
function ended() {
  return [h('header', { className: 'board-head ended' },
    h('h1', { id: 'ended-title' }, W.ended_title),
    h('p', { className: 'board-sub' }, state.title),
    h('p', { className: 'ended-next' }, W.ended_next))];
}

/** EN | FR: the same screen in the other language (the join code is in the address). */
function languageSwitch() {
  const nav = $('#lang-switch');
  nav.setAttribute('aria-label', W.language);
  nav.replaceChildren(...['en', 'fr'].flatMap((l, i) => {
    const url = new URL(location.href);
    url.searchParams.set('lang', l);
    const link = h('a', { href: url.pathname + url.search, lang: l, hreflang: l }, l.toUpperCase());
    if (l === lang) link.setAttribute('aria-current', 'true');
    return i ? [' | ', link] : [link];
  }));
}

/** A long board (the adoption board, the briefing) is made smaller until it fits the
 *  screen: a shared screen cannot scroll. */
function fit() {
  const box = $('#projector[data-view=adoption] .ad-domains') ?? $('#projector[data-view=briefing] #view-briefing');
  if (!box) return;
  let size = 1;
  box.style.fontSize = '';
  while (document.documentElement.scrollHeight > window.innerHeight + 1 && size > 0.5) {
    size -= 0.05;
    box.style.fontSize = `${size}em`;
  }
}
window.addEventListener('resize', fit);

const figure = (v) => W.number(v, 1);
const svgSrc = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** The self-assessment as the room may see it: the server's charts (profile) or one bar
 *  per group (group mode), from `public_results` and nothing else. */
function results(r) {
  const head = h('header', { className: 'board-head' }, h('h1', { id: 'results-title' }, W.results_title));
  if (!r) return [head, h('p', { className: 'board-sub' }, W.no_self_assessment)];
  head.append(
    h('p', { className: 'board-sub' },
      h('strong', { id: 'results-raters' }, W.raters(r.raters)), ' · ',
      h('span', { id: 'results-state', 'data-state': r.state }, W.results_state[r.state] ?? r.state)),
    h('p', { className: 'small-cell', id: 'results-small-cell' }, W.small_cell));
  if (r.charts) {
    return [head, h('div', { className: 'charts' },
      h('figure', { className: 'chart-radar' },
        h('img', { id: 'results-radar', alt: W.radar_alt, src: svgSrc(r.charts.radar) })),
      r.charts.heatmap ? h('figure', { className: 'chart-heatmap' },
        h('img', { id: 'results-heatmap', alt: W.heatmap_alt, src: svgSrc(r.charts.heatmap) })) : null)];
  }
  const groups = r.groups ?? [];
  return [head, groups.length ? h('ul', { className: 'bars', id: 'results-groups' }, groups.map((g) => {
    const shown = typeof g.mean === 'number';
    const fill = h('div', { className: 'bar-fill' });
    fill.style.width = shown ? `${Math.max(0, Math.min(100, (g.mean / 5) * 100))}%` : '0';
    return h('li', { className: 'bar-row', 'data-group-id': g.group_id, 'data-withheld': shown ? 'false' : 'true' },
      h('span', { className: 'bar-label' }, g.group_name),
      h('div', { className: 'bar', 'aria-hidden': 'true' }, fill),
      h('span', { className: 'bar-value' }, shown ? `${figure(g.mean)} / 5` : W.fewer_than_3));
  })) : h('p', { className: 'board-sub' }, W.no_ratings)];
}

/** The adoption board: accepted items by domain, most votes first within a domain, each
 *  with its count and a bar (share of the participants who voted). */
function adoption(a) {
  const head = h('header', { className: 'board-head' }, h('h1', { id: 'adoption-title' }, W.adoption_title));
  if (!a) return [head];
  const voters = a.voters ?? 0;
  head.append(h('p', { className: 'board-sub' },
    h('strong', { id: 'adoption-voters' }, W.voted(voters)),
    a.state === 'open' ? null : [' · ', h('span', { id: 'adoption-state', 'data-state': a.state }, W.adoption_state[a.state] ?? a.state)]));
  if (a.state === 'open') {
    head.append(h('p', { className: 'howto', id: 'adoption-howto' }, W.choose_votes(a.max_votes)));
  }
  const items = a.items ?? [];
  if (!items.length) return [head, h('p', { className: 'board-sub' }, W.no_items)];
  // The three items with the most votes (at least one) get their rank.
  const rank = new Map([...items].filter((i) => i.votes > 0).sort((x, y) => y.votes - x.votes).slice(0, 3).map((i, k) => [i.item_id, k + 1]));
  const domains = new Map();
  for (const item of items) {
    if (!domains.has(item.group_id)) domains.set(item.group_id, { name: item.group_name, items: [] });
    domains.get(item.group_id).items.push(item);
  }
  const list = h('div', { className: 'ad-domains', 'data-size': items.length > 8 ? 'many' : items.length > 3 ? 'some' : 'few' },
    [...domains.entries()].map(([id, d]) => h('section', { className: 'ad-domain', 'data-group-id': id },
      h('h2', {}, d.name),
      h('ol', { className: 'ad-items' }, [...d.items].sort((x, y) => (y.votes ?? 0) - (x.votes ?? 0)).map((i) => {
        const fill = h('div', { className: 'bar-fill' });
        fill.style.width = `${voters ? Math.min(100, ((i.votes ?? 0) / voters) * 100) : 0}%`;
        return h('li', { className: 'ad-item', 'data-item-id': i.item_id, 'data-votes': i.votes ?? 0, 'data-rank': rank.get(i.item_id) ?? '' },
          h('div', { className: 'ad-text' },
            h('strong', { className: 'ad-issue' }, rank.has(i.item_id) ? h('span', { className: 'ad-rank' }, `#${rank.get(i.item_id)}`) : null, i.issue),
            h('span', { className: 'ad-action' }, i.corrective_action),
            i.responsible_org ? h('span', { className: 'ad-org' }, i.responsible_org) : null),
          h('div', { className: 'ad-vote' },
            h('div', { className: 'bar', 'aria-hidden': 'true' }, fill),
            h('span', { className: 'ad-count', 'aria-label': W.votes(i.votes ?? 0) }, String(i.votes ?? 0))));
      })))));
  return [head, list];
}

function setConn(s) {
  showState($('#conn'), s, t(`conn_${s}`));
  showState($('#conn-corner'), s, t(`conn_${s}`));
}

if (!code) {
  text($('#projector-error'), W.needs_code);
} else {
  new Connection({
    hello: () => ({ type: 'project', join_code: code, lang: readLang }),
    onMessage,
    onState: setConn,
  }).start();
}
