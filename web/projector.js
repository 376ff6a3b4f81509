// projector.js: the shared screen. Public facts only: the join code and QR, the clock,
// the latest inject's title and text, and how many groups have answered it.

import { Connection } from '/assets/client.js';
import { $, text, playTime, playClock, showState } from '/assets/ui.js';

const code = (new URLSearchParams(location.search).get('code') || '').toUpperCase().replace(/[\s-]/g, '');
const state = { injects: [], progress: new Map(), groups: 0 };
const clock = playClock($('#clock'), (c, ms) =>
  (c.state === 'lobby' ? 'Starting soon' : `${c.state === 'running' ? '' : c.state + ' '}${playTime(ms)}`));

function onMessage(m) {
  if (m.type === 'welcome') {
    text($('#scenario-title'), m.scenario.title);
    text($('#join-code'), m.join_code);
    const url = `${location.origin}/join/${m.join_code}`;
    text($('#join-url'), url);
    $('#qr').src = `/qr/${encodeURIComponent(m.join_code)}`;
    state.injects = m.injects;
    state.progress = new Map(m.progress.map((p) => [p.inject_id, p]));
    clock.set(m.clock);
  } else if (m.type === 'clock') {
    clock.set(m);
  } else if (m.type === 'inject') {
    state.injects.push(m);
  } else if (m.type === 'progress') {
    state.progress.set(m.inject_id, m);
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
  const current = state.injects[state.injects.length - 1];
  text($('#current-title'), current ? current.title : 'Waiting for the first inject');
  text($('#current-body'), current ? current.body : '');
  const p = current && state.progress.get(current.inject_id);
  text($('#progress'), p ? `${p.groups_answered} of ${p.groups_targeted} groups have answered` : '');
}

if (!code) {
  text($('#projector-error'), 'Open this page from the facilitator console (it needs ?code=…).');
} else {
  new Connection({
    hello: () => ({ type: 'project', join_code: code }),
    onMessage,
    onState: (s) => showState($('#conn'), s),
  }).start();
}
