// projector.js: the shared screen. Public facts only. The facilitator chooses what it
// shows (`showing`): play (the join code and QR, the clock, the latest inject's title and
// text, how many groups have answered it), the self-assessment's public results (only
// what `public_results` holds: aggregates, no cell under 3 raters, no organisation), or
// the adoption board (items and vote counts, never a voter). Outside play the join code
// stays in a corner while the exercise runs.

import { Connection } from '/assets/client.js';
import { $, h, text, playTime, playClock, showState } from '/assets/ui.js';

const code = (new URLSearchParams(location.search).get('code') || '').toUpperCase().replace(/[\s-]/g, '');
const state = { injects: [], progress: new Map(), view: 'play', results: null, adoption: null };
const VIEWS = ['play', 'results', 'adoption'];
const main = $('#projector');
const clock = playClock($('#clock'), (c, ms) => {
  main.dataset.clock = c.state;
  return c.state === 'lobby' ? 'Starting soon' : `${c.state === 'running' ? '' : c.state + ' '}${playTime(ms)}`;
});

function onMessage(m) {
  if (m.type === 'welcome') {
    text($('#scenario-title'), m.scenario.title);
    text($('#join-code'), m.join_code);
    const url = `${location.origin}/join/${m.join_code}`;
    text($('#join-url'), url);
    $('#qr').src = `/qr/${encodeURIComponent(m.join_code)}`;
    state.injects = m.injects;
    state.progress = new Map(m.progress.map((p) => [p.inject_id, p]));
    state.view = m.showing?.view ?? 'play';
    state.results = m.public_results ?? null;
    state.adoption = m.adoption ?? null;
    clock.set(m.clock);
  } else if (m.type === 'clock') {
    clock.set(m);
  } else if (m.type === 'inject') {
    state.injects.push(m);
  } else if (m.type === 'progress') {
    state.progress.set(m.inject_id, m);
  } else if (m.type === 'showing') {
    state.view = m.view;
  } else if (m.type === 'public_results') {
    state.results = m;
  } else if (m.type === 'adoption') {
    state.adoption = m;
  } else if (m.type === 'announcement') {
    const el = $('#announcement');
    el.hidden = false;
    text(el, m.text);
  } else if (m.type === 'error') {
    text($('#projector-error'), m.message);
    return;
  }
  render();
}

function render() {
  const view = VIEWS.includes(state.view) ? state.view : 'play';
  main.dataset.view = view;
  for (const v of VIEWS) $(`#view-${v}`).hidden = v !== view;
  const current = state.injects[state.injects.length - 1];
  text($('#current-title'), current ? current.title : 'Waiting for the first inject');
  text($('#current-body'), current ? current.body : '');
  const p = current && state.progress.get(current.inject_id);
  text($('#progress'), p ? `${p.groups_answered} of ${p.groups_targeted} groups have answered` : '');
  // Only the view on screen is in the page: nothing hidden can be read out of it.
  $('#view-results').replaceChildren(...(view === 'results' ? results(state.results) : []));
  $('#view-adoption').replaceChildren(...(view === 'adoption' ? adoption(state.adoption) : []));
  fit();
}

/** A long board is made smaller until it fits the screen (a shared screen cannot scroll). */
function fit() {
  const list = $('#view-adoption .ad-domains');
  if (!list) return;
  let size = 1;
  list.style.fontSize = '';
  while (document.documentElement.scrollHeight > window.innerHeight + 1 && size > 0.6) {
    size -= 0.05;
    list.style.fontSize = `${size}em`;
  }
}
window.addEventListener('resize', fit);

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const figure = (v) => v.toFixed(1);
const svgSrc = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

const RESULTS_STATE = {
  not_opened: 'Rating has not started yet',
  open: 'Rating is open: the figures update as people rate',
  closed: 'Rating is closed',
};

/** The self-assessment as the room may see it: the server's charts (profile) or one bar
 *  per group (group mode), from `public_results` and nothing else. */
function results(r) {
  const head = h('header', { className: 'board-head' }, h('h1', { id: 'results-title' }, 'Self-assessment results'));
  if (!r) return [head, h('p', { className: 'board-sub' }, 'This exercise has no self-assessment.')];
  head.append(
    h('p', { className: 'board-sub' },
      h('strong', { id: 'results-raters' }, plural(r.raters, 'rater', 'raters')), ' · ',
      h('span', { id: 'results-state', 'data-state': r.state }, RESULTS_STATE[r.state] ?? r.state)),
    h('p', { className: 'small-cell', id: 'results-small-cell' }, 'Groups of fewer than 3 raters are not shown'));
  if (r.charts) {
    return [head, h('div', { className: 'charts' },
      h('figure', { className: 'chart-radar' },
        h('img', { id: 'results-radar', alt: 'Radar chart: the maturity profile of the room, per domain', src: svgSrc(r.charts.radar) })),
      r.charts.heatmap ? h('figure', { className: 'chart-heatmap' },
        h('img', { id: 'results-heatmap', alt: 'Heatmap: maturity per sector and domain; "<3" where fewer than 3 raters', src: svgSrc(r.charts.heatmap) })) : null)];
  }
  const groups = r.groups ?? [];
  return [head, groups.length ? h('ul', { className: 'bars', id: 'results-groups' }, groups.map((g) => {
    const shown = typeof g.mean === 'number';
    const fill = h('div', { className: 'bar-fill' });
    fill.style.width = shown ? `${Math.max(0, Math.min(100, (g.mean / 5) * 100))}%` : '0';
    return h('li', { className: 'bar-row', 'data-group-id': g.group_id, 'data-withheld': shown ? 'false' : 'true' },
      h('span', { className: 'bar-label' }, g.group_name),
      h('div', { className: 'bar', 'aria-hidden': 'true' }, fill),
      h('span', { className: 'bar-value' }, shown ? `${figure(g.mean)} / 5` : 'fewer than 3 raters'));
  })) : h('p', { className: 'board-sub' }, 'No ratings yet.')];
}

const ADOPTION_STATE = { not_opened: 'Voting has not opened yet', closed: 'Voting is closed' };

/** The adoption board: accepted items by domain, most votes first within a domain, each
 *  with its count and a bar (share of the participants who voted). */
function adoption(a) {
  const head = h('header', { className: 'board-head' }, h('h1', { id: 'adoption-title' }, 'Priorities for adoption'));
  if (!a) return [head];
  const voters = a.voters ?? 0;
  head.append(h('p', { className: 'board-sub' },
    h('strong', { id: 'adoption-voters' }, `${plural(voters, 'participant', 'participants')} voted`),
    a.state === 'open' ? null : [' · ', h('span', { id: 'adoption-state', 'data-state': a.state }, ADOPTION_STATE[a.state] ?? a.state)]));
  if (a.state === 'open') {
    head.append(h('p', { className: 'howto', id: 'adoption-howto' }, `Choose up to ${a.max_votes} priorities on your phone`));
  }
  const items = a.items ?? [];
  if (!items.length) return [head, h('p', { className: 'board-sub' }, 'No accepted item yet.')];
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
            h('span', { className: 'ad-count', 'aria-label': plural(i.votes ?? 0, 'vote', 'votes') }, String(i.votes ?? 0))));
      })))));
  return [head, list];
}

function setConn(s) {
  showState($('#conn'), s);
  showState($('#conn-corner'), s);
}

if (!code) {
  text($('#projector-error'), 'Open this page from the facilitator console (it needs ?code=…).');
} else {
  new Connection({
    hello: () => ({ type: 'project', join_code: code }),
    onMessage,
    onState: setConn,
  }).start();
}
