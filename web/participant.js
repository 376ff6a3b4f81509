// participant.js: the join page and the participant's view. Drafts stay in localStorage
// until acked and are re-sent with the same client_msg_id after a reconnect: nothing
// typed is lost to a reload, a dropped link or a restart. Only the page scrolls; an
// "Answer" button brings the answer box back; a new inject never moves what is typed.
// The lobby says who you are, your group, its breakout room and the exercise. The first
// load is one HTML, one stylesheet, three scripts; the rest comes when first needed:
// polls, answer windows and the scribe (phone-live.js), the self-assessment
// (phone-sa.js), fixes (phone-fixes.js), the adoption board (adoption.js).

import { Connection } from '/assets/client.js';
import { $, h, append, text, t, tf, errorText, lang, readLang, playTime, randomId, playClock, showState } from '/assets/ui.js';

const SESSION_KEY = 'tt.session';
const store = {
  get: (k) => { try { return JSON.parse(localStorage.getItem(k)); } catch { return null; } },
  set: (k, v) => localStorage.setItem(k, JSON.stringify(v)),
  del: (k) => localStorage.removeItem(k),
};

const state = {
  session: store.get(SESSION_KEY), // {join_code, resume_token, participant_id, exercise_id}
  pendingJoin: null, // the join message's fields while joining
  cards: new Map(), // inject_id → {el, inj, answers: ul, rs: [response], seen: Set(seq), …}
  sa: null, // the group's self-assessment: {state, intro, example, scale, statements}
  mine: {}, // my scores the server has, by statement id
  mineDk: new Set(), // the statements the server has as my "don't know" (profile)
  saStep: null, // profile: the domain screen shown (domains.length: done); null until the first render
  items: new Map(), // the group's improvement-plan items by item_id
  welcome: null, // the last welcome: scenario, you, group
  briefing: null, // the welcome's briefing {ground_rules, objectives, members}, when the server sends one
  phase: null, // the clock's state: lobby, running, paused, ended
  anns: new Map(), // announcements (and the moved notice) by seq: {seq, text, local?}
};
let conn = null;
let tick = null; // phone-live.js's countdowns, on the page's play clock
const clock = playClock($('#clock'), (c, ms) =>
  (tick?.(c, ms), c.state === 'lobby' ? t('clock_lobby') : `${t('clock_' + c.state)} ${playTime(ms)}`));

document.documentElement.lang = lang;
// The language switch keeps the page's address (a join code in ?code=, the /join/ path).
for (const a of document.querySelectorAll('#lang-switch a')) {
  const u = new URL(location.href);
  u.searchParams.set('lang', a.lang);
  a.href = u.pathname + u.search;
  if (a.lang === lang) a.setAttribute('aria-current', 'true');
}

function codeFromUrl() {
  const m = location.pathname.match(/^\/join\/([^/]+)/);
  const code = m ? decodeURIComponent(m[1]) : new URLSearchParams(location.search).get('code');
  return code ? code.toUpperCase().replace(/[\s-]/g, '') : null;
}

function setConn(s) {
  const el = $('#conn');
  el.hidden = false;
  showState(el, s, t('conn_' + s));
  if (state.sa?.mode === 'profile') saMod?.then((m) => m.status());
}

// ---- join

function showJoin(code, error) {
  $('#participant').hidden = true;
  $('#conn').hidden = true;
  const form = $('#join-form');
  form.hidden = false;
  for (const el of form.querySelectorAll('[data-t]')) text(el, t(el.dataset.t));
  text($('#join-error'), error || '');
  $('#join-submit').disabled = false;
  if (code) $('#join-code').value = code;
  ($('#join-code').value ? $('#join-name') : $('#join-code')).focus();
  loadJoinInfo($('#join-code').value);
}

// What the form offers for this code: sectors, organisations named (suggestions), the
// groups to pick from (optional: the server balances), the email. Best effort.
let joinInfoFor = null;
async function loadJoinInfo(raw) {
  const code = raw.trim().toUpperCase().replace(/[\s-]/g, '');
  if (!code || code === joinInfoFor) return;
  joinInfoFor = code;
  let info;
  try {
    const res = await fetch(`/api/join/${encodeURIComponent(code)}?lang=${encodeURIComponent(readLang)}`);
    if (!res.ok) return;
    info = await res.json();
  } catch {
    return;
  }
  if (joinInfoFor !== code) return;
  const orgs = $('#join-orgs');
  orgs.replaceChildren(...info.organisations.map((o) => h('option', { value: o })));
  const select = $('#join-sector');
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, t('no_sector')), ...info.sectors.map((s) => h('option', { value: s.id }, s.label)));
  select.value = info.sectors.some((s) => s.id === chosen) ? chosen : '';
  $('#join-sector-row').hidden = info.sectors.length === 0;
  const box = $('#join-groups');
  const picked = box.querySelector(':checked')?.value ?? '';
  box.replaceChildren(box.firstElementChild, ...[{ id: '', name: t('join_any') }, ...info.groups ?? []].map((g) => h('label', { className: 'choice' },
    h('input', { type: 'radio', name: 'group', value: g.id, checked: g.id === picked }),
    h('span', {}, h('strong', {}, g.name), h('small', {}, g.focus), g.id && h('small', {}, tf('join_in_group', { n: g.members }))))));
  box.hidden = !info.groups?.length;
  $('#join-email-row').hidden = !info.ask_email;
}

$('#join-code').addEventListener('change', (ev) => loadJoinInfo(ev.target.value));

$('#join-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const join_code = $('#join-code').value.trim().toUpperCase().replace(/[\s-]/g, '');
  const name = $('#join-name').value.trim();
  if (!join_code || !name) return;
  const more = { organisation: $('#join-org').value.trim(), sector: $('#join-sector').value,
    group_id: $('#join-groups :checked')?.value, email: $('#join-email-row').hidden ? '' : $('#join-email').value.trim() };
  state.pendingJoin = { join_code, name, ...Object.fromEntries(Object.entries(more).filter(([, v]) => v)) };
  $('#join-submit').disabled = true;
  text($('#join-submit'), t('joining'));
  connect();
});

function connect() {
  if (conn) conn.stop();
  conn = new Connection({
    hello: (lastSeq) =>
      state.session
        ? { type: 'resume', resume_token: state.session.resume_token, lang: readLang, ...(state.cards.size && lastSeq ? { last_seq: lastSeq } : {}) }
        : { type: 'join', lang: readLang, ...state.pendingJoin },
    onMessage,
    onState: setConn,
  });
  conn.start();
}

// ---- messages

function onMessage(msg) {
  switch (msg.type) {
    case 'welcome': return welcome(msg);
    case 'inject': return addInject(msg, true);
    case 'response': return addAnswer(msg);
    case 'ack': return acked(msg);
    case 'clock': return setClock(msg);
    case 'announcement': return addAnnouncement(msg);
    case 'moved': return moved(msg);
    case 'older_responses': return liveP?.then((m) => m.older(msg));
    case 'group_members': return msg.group_id && msg.group_id !== state.welcome?.group.id ? null : members(msg.members, msg.more);
    case 'error': return refused(msg);
    case 'self_assessment': state.sa = msg; return renderSA();
    case 'improvement': state.items.set(msg.item_id, msg); return renderItems();
    case 'adoption': return board(msg);
  }
}

function welcome(w) {
  if (!state.session || state.session.participant_id !== w.you.participant_id) {
    state.session = {
      join_code: state.pendingJoin?.join_code ?? state.session?.join_code,
      resume_token: w.you.resume_token,
      participant_id: w.you.participant_id,
      exercise_id: w.exercise_id,
    };
    store.set(SESSION_KEY, state.session);
  }
  state.pendingJoin = null;
  if (!$('#join-form').hidden) scrollTo(0, 0); // a long join form was scrolled
  $('#join-form').hidden = true;
  $('#participant').hidden = false;
  state.welcome = w;
  state.briefing = w.briefing ?? null;
  setGroup(w.group);
  setClock(w.clock);
  showWaiting();
  w.announcements.forEach(addAnnouncement);
  state.older = w.older_responses;
  if (state.older) phoneLive();
  // After a reconnect, injects released meanwhile are new to this page: announced as live.
  const resumed = state.cards.size > 0;
  w.injects.forEach((inj) => addInject(inj, resumed));
  w.responses.forEach(addAnswer);
  state.sa = w.self_assessment ?? null;
  state.mine = w.self_assessment?.mine ?? {};
  state.mineDk = new Set(w.self_assessment?.mine_dont_know ?? []);
  state.items = new Map((w.improvements ?? []).map((i) => [i.item_id, i]));
  renderSA();
  renderItems();
  resendPending(w.you.name);
  board(w.adoption, true);
  if (liveP || state.briefing?.answer_mode === 'group') phoneLive();
}

// The adoption board (adoption.js) is imported when it first opens.
let adoption = null;
function board(b, welcome = false) {
  if (!b && !adoption) return;
  const ctx = { welcome, send: (m) => conn.send(m), participantId: state.session?.participant_id };
  adoption = (adoption ?? import('/assets/adoption.js')).then((m) => (m.renderAdoption(b, ctx), m));
  adoption.catch(() => (adoption = null));
}

/** The group in the top bar and the lobby, and its breakout room: "Go to breakout room 5
 *  — Protection", or the scenario's own name for the room as given. */
function setGroup(group) {
  text($('#group-name'), group.name);
  text($('#group-focus'), group.focus);
  const room = group.breakout_room;
  const n = /^Breakout room (\d+)$/.exec(room);
  text($('#room'), room && (n ? tf('room_n', { n: n[1], group: group.name }) : tf('room_named', { room })));
  $('#room').hidden = !room;
  document.title = `${group.name} · tabletop`;
  if (state.welcome) state.welcome.group = group;
  renderLobby();
}

function setClock(c) {
  clock.set(c);
  setPhase(c.state);
}

/** Until the first inject, a line says where it will appear. */
function showWaiting() {
  text($('#waiting'), state.cards.size ? '' : t('waiting'));
}

function moved(m) {
  for (const { el } of state.cards.values()) el.remove();
  state.cards.clear();
  if (state.briefing) state.briefing.members = [];
  setGroup(m.group);
  m.injects.forEach((inj) => addInject(inj));
  m.responses.forEach(addAnswer);
  showWaiting();
  addAnnouncement({ seq: m.seq, text: t('moved'), local: true });
  hideBanner();
  // The new group's statements, improvement items and members come with a fresh welcome.
  state.sa = null;
  state.items.clear();
  renderSA();
  conn.restart();
}

function refused(e) {
  if (e.client_msg_id) {
    // Each part keeps its own refused message as a draft and says why.
    adoption?.then((m) => m.adoptionRefused(e));
    saMod?.then((m) => m.refused(e));
    fixesMod?.then((m) => m.refused(e));
    liveP?.then((m) => m.refused(e));
    for (const [injectId, card] of state.cards) {
      const d = loadDraft(injectId);
      if (d && d.id === e.client_msg_id) {
        saveDraft(injectId, { ...d, id: null });
        setStatus(card, 'error', card.why?.(e) ?? errorText(e.code, e.message));
        lock(card, false);
      }
    }
    return;
  }
  if (['unknown_join_code', 'unknown_sector', 'unknown_group', 'invalid_value', 'exercise_ended', 'exercise_full', 'invalid_text', 'too_long', 'bad_credentials', 'removed', 'joining_locked'].includes(e.code) && !conn?.identified) {
    conn?.stop();
    if (e.code === 'bad_credentials' || e.code === 'removed') {
      store.del(SESSION_KEY);
      state.session = null;
    }
    const why = { invalid_value: t('join_email_bad'), invalid_text: t('join_name_bad') }[e.code];
    showJoin(state.pendingJoin?.join_code ?? codeFromUrl(), why ?? errorText(e.code, e.message));
  }
}

// ---- injects and answers

/** An inject's card: title, text, questions, attachments, the answer box, the group's
 *  answers. `live`: it arrives while the participant may be elsewhere (a push, a resume). */
function addInject(inj, live = false) {
  if (state.cards.has(inj.inject_id)) return;
  const files = (inj.attachments || []).filter((a) => a.file), texts = (inj.attachments || []).filter((a) => !a.file);
  const input = h('textarea', { className: 'answer-input', id: `answer-${inj.inject_id}`, maxLength: 8000, rows: 3 });
  const send = h('button', { className: 'answer-send', type: 'submit' }, t('send'));
  const status = h('p', { className: 'answer-status', 'aria-live': 'polite' });
  const answers = h('ul', { className: 'answers', 'aria-label': t('answers') });
  const answersPart = h('div', { className: 'answers-part', hidden: true }, h('h3', {}, t('answers')), answers);
  const form = h('form', { className: 'answer-form' },
    h('label', { for: input.id }, t('answer_label')), input, h('div', { className: 'row' }, send), status);
  const title = h('h2', { className: 'inject-title', id: `title-${inj.inject_id}`, tabIndex: -1 }, inj.title);
  const el = h('article', { className: 'inject card', 'data-inject-id': inj.inject_id, 'aria-labelledby': title.id },
    h('p', { className: 'meta' }, playTime(inj.play_ms), inj.from ? ` · ${t('from')}: ${inj.from}` : '', inj.channel ? ` · ${inj.channel}` : ''),
    title,
    h('div', { className: 'inject-body' }, inj.body),
    // Files (small thumbnails) right under the text that shows them ("the SMS below");
    // text handouts, often long, after the questions.
    files.length ? h('div', { className: 'attachments' }) : null,
    inj.questions?.length ? [h('h3', {}, t('questions')), h('ol', { className: 'questions' }, inj.questions.map((q) => h('li', {}, q)))] : null,
    texts.length ? h('div', { className: 'attachments' }) : null,
    // A poll's options ({id, label}; older servers: strings), read-only until phone-live.js.
    inj.response?.kind === 'choice' ? h('p', { className: 'muted poll-options' }, inj.response.options.map((o) => o.label ?? o).join(' / ')) : null,
    form,
    answersPart);
  const card = { el, inj, title, form, answers, answersPart, input, send, status, rs: [], seen: new Set(), seq: inj.seq };
  if (inj.collect_improvements) {
    el.classList.add('collects');
    fixes().then((m) => m.attach(card, inj.inject_id), () => {});
  }
  const boxes = el.querySelectorAll('.attachments');
  if (boxes.length) import('/assets/attachments.js').then((m) => [files, texts].filter((l) => l.length).forEach((l, i) => m.fill(boxes[i], l, lang)), () => {});
  state.cards.set(inj.inject_id, card);
  // Typing, or ticking a poll's choice (card.choice, from web/phone-live.js).
  form.addEventListener('input', () => {
    const d = { text: input.value, options: card.choice?.(), id: null };
    saveDraft(inj.inject_id, d);
    setStatus(card, 'draft', d.text || d.options?.length ? t('draft') : '');
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit(inj.inject_id);
  });
  const d = loadDraft(inj.inject_id);
  if (d) {
    input.value = d.text;
    setStatus(card, d.id ? 'sending' : 'draft', d.id ? t('sending') : t('draft'));
    if (d.id) lock(card, true);
  }
  // Newest first; the newest is the current inject.
  keepPlace(() => {
    const newer = [...state.cards.values()].filter((c) => c !== card && c.seq > inj.seq).sort((a, b) => a.seq - b.seq);
    if (newer.length) newer[0].el.after(el);
    else $('#injects').prepend(el);
    const first = $('#injects').firstElementChild;
    for (const c of state.cards.values()) c.el.classList.toggle('current', c.el === first);
  });
  showWaiting();
  watchAnswer();
  if (needsLive(inj)) phoneLive(card);
  // Once the place is kept (a microtask queued by keepPlace, so this one runs after it).
  if (live) queueMicrotask(() => arrived(card));
}

function addAnswer(r) {
  const card = state.cards.get(r.inject_id);
  if (!card || card.seen.has(r.seq)) return;
  card.seen.add(r.seq);
  card.rs.push(r);
  if (card.lv) return phoneLive(card);
  keepPlace(() => {
    card.answersPart.hidden = false;
    card.answers.append(h('li', { className: 'answer', 'data-seq': r.seq },
      h('span', { className: 'answer-author' }, r.participant_name), h('span', { className: 'answer-text' }, r.text)));
  });
}

const draftKey = (injectId) => `tt.draft.${state.session?.participant_id}.${injectId}`;
const loadDraft = (injectId) => store.get(draftKey(injectId));
const saveDraft = (injectId, d) => (d.text || d.options?.length ? store.set(draftKey(injectId), d) : store.del(draftKey(injectId)));
const respondMsg = (injectId, d) => ({ type: 'respond', inject_id: injectId, text: d.text, ...(d.options?.length && { options: d.options }), client_msg_id: d.id });
/** While an answer is on its way its form is locked: a change would be a new draft. */
const lock = (card, on) => [...card.form.elements].forEach((el) => (el.disabled = on));

function setStatus(card, s, msg) {
  card.status.dataset.state = s;
  text(card.status, msg);
}

function submit(injectId) {
  const card = state.cards.get(injectId);
  const d = { text: card.input.value, options: card.choice?.() ?? [], id: loadDraft(injectId)?.id || randomId() };
  if (!d.text.trim() && !d.options.length) return;
  saveDraft(injectId, d);
  lock(card, true);
  setStatus(card, 'sending', t('sending'));
  conn.send(respondMsg(injectId, d));
}

function resendPending(myName) {
  for (const [injectId, card] of state.cards) {
    const d = loadDraft(injectId);
    if (d?.id) conn.send(respondMsg(injectId, d));
    else if (d) card.input.value = card.input.value || d.text;
  }
  fixesMod?.then((m) => m.resend(myName));
  // Self-assessment scores waiting on this phone go again once its module is in.
  if (saMod || (state.sa && state.sa.state !== 'not_opened')) saModule().then((m) => m.resend(), () => {});
}

function acked(a) {
  adoption?.then((m) => m.adoptionAcked(a.client_msg_id));
  saMod?.then((m) => m.acked(a.client_msg_id));
  fixesMod?.then((m) => m.acked(a.client_msg_id));
  for (const [injectId, card] of state.cards) {
    const d = loadDraft(injectId);
    if (d?.id === a.client_msg_id) {
      store.del(draftKey(injectId));
      card.input.value = '';
      lock(card, false);
      setStatus(card, 'sent', card.sent?.(d) ?? t('sent'));
    }
  }
}

// ---- keeping the place, the Answer button, the new-inject banner

const header = () => $('.topbar').getBoundingClientRect().bottom;

let place = null; // what to keep in place while this task's changes are made

/** Runs `change` without moving what the participant reads or types: the focused
 *  element, else the first card on screen, stays put (not every phone anchors scrolling);
 *  at the top with nothing focused, new content shows there. Measured once per task. */
function keepPlace(change) {
  if (!place) {
    const f = document.activeElement;
    const anchor = f && f !== document.body && $('#participant').contains(f) ? f
      : window.scrollY < 1 ? null : [...$('#injects').children].find((el) => el.getBoundingClientRect().bottom > header());
    place = { anchor, top: anchor?.getBoundingClientRect().top };
    queueMicrotask(() => {
      const { anchor: a, top } = place;
      place = null;
      if (!a?.isConnected) return;
      const moved = a.getBoundingClientRect().top - top;
      if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
    });
  }
  change();
}

const currentCard = () => [...state.cards.values()].find((c) => c.el.classList.contains('current'));
let answerIO = null;
let watched = null; // the answer box the Answer button leads to
let answerOnScreen = true;

/** The Answer button shows while the current answer box is off-screen and nothing is
 *  being typed; it stays in the tab order (a skip link: shown when focused). */
function watchAnswer() {
  const box = currentCard()?.input ?? null;
  if (box !== watched) {
    answerIO ??= new IntersectionObserver((entries) => {
      for (const e of entries) if (e.target === watched) answerOnScreen = e.isIntersecting;
      showToAnswer();
    }, { rootMargin: '-56px 0px 0px 0px' });
    if (watched) answerIO.unobserve(watched);
    watched = box;
    answerOnScreen = true;
    if (box) answerIO.observe(box);
  }
  showToAnswer();
}

function showToAnswer() {
  const btn = $('#to-answer');
  btn.hidden = !watched || state.phase === 'ended';
  const typing = document.activeElement?.matches('textarea, input, select');
  btn.classList.toggle('show', !btn.hidden && !answerOnScreen && !typing);
}

$('#to-answer').addEventListener('click', () => {
  const card = currentCard();
  if (!card) return;
  card.form.scrollIntoView({ block: 'center' });
  card.input.focus({ preventScroll: true });
  showToAnswer();
});
document.addEventListener('focusin', showToAnswer);
document.addEventListener('focusout', showToAnswer);

let fresh = null; // the newest inject that arrived off-screen, until seen
let freshIO = null;

/** A new inject: a short vibration where allowed and, when its title is off-screen, the
 *  "New inject ↑" banner that leads there. Focus, caret and draft stay. */
function arrived(card) {
  try {
    if (navigator.userActivation?.hasBeenActive) navigator.vibrate?.([80, 60, 80]);
  } catch { /* not allowed here */ }
  const r = card.title.getBoundingClientRect();
  if (r.bottom > header() && r.top < innerHeight) return;
  fresh = card;
  $('#new-inject').hidden = false;
  freshIO ??= new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting && e.target === fresh?.title)) hideBanner();
  }, { rootMargin: '-56px 0px 0px 0px' });
  freshIO.disconnect();
  freshIO.observe(card.title);
}

function hideBanner() {
  fresh = null;
  $('#new-inject').hidden = true;
  freshIO?.disconnect();
}

$('#new-inject').addEventListener('click', () => {
  const card = fresh;
  hideBanner();
  if (!card?.el.isConnected) return;
  card.el.scrollIntoView({ block: 'start' });
  card.title.focus({ preventScroll: true });
});

// ---- the lobby: who you are, your group, the exercise

/** The clock's state: in the lobby the briefing is the page; once play starts it folds
 *  into "About this exercise" at the end of the page. */
function setPhase(phase) {
  const was = state.phase;
  state.phase = phase;
  $('#participant').dataset.phase = phase;
  const lobby = $('#lobby');
  const details = $('#briefing');
  if (phase === 'lobby') {
    $('#self-assessment').before(lobby);
    details.hidden = true;
  } else if (was === 'lobby' || was === null) {
    details.open = false;
    details.append(lobby);
    details.hidden = false;
  }
  showToAnswer();
}

/** Group members (the `group_members` push): who is in the participant's group now
 *  (the first 24; `more` when there are others). */
function members(list, more) {
  state.briefing = { ...state.briefing, members: list, more_members: !!more };
  renderLobby();
  if (liveP) phoneLive();
}

/** The exercise, who you are, your group (focus, members, scribe), how it works, ground
 *  rules, the scenario and objectives: each part only when the server sent it. */
function renderLobby() {
  const w = state.welcome;
  if (!w) return;
  const b = state.briefing ?? {};
  const part = (id, title, items) => (items?.length
    ? h('section', { className: 'lobby-part', 'aria-labelledby': id }, h('h2', { id }, title), h('ul', {}, items.map((x) => h('li', {}, x))))
    : null);
  const names = (b.members ?? []).map((m) => [m.name,
    m.participant_id === w.you.participant_id ? ` ${t('lobby_you_mark')}` : '', m.scribe ? ` ${t('lobby_scribe_mark')}` : ''].join(''));
  const lobby = $('#lobby');
  append(lobby.replaceChildren() ?? lobby, [
    h('p', { className: 'eyebrow' }, t('lobby_exercise')),
    h('h1', { id: 'lobby-title' }, w.scenario.title),
    h('dl', { className: 'lobby-who' },
      h('dt', {}, t('lobby_you')),
      h('dd', { id: 'lobby-you' }, h('strong', {}, w.you.name), w.you.organisation ? ` · ${w.you.organisation}` : ''),
      h('dt', {}, t('your_group')),
      h('dd', { id: 'lobby-group' }, h('strong', {}, w.group.name), w.group.focus ? h('span', { className: 'lobby-focus' }, w.group.focus) : null),
      names.length ? [h('dt', {}, t('lobby_members')), h('dd', { id: 'lobby-members' }, names.join(', ') + (b.more_members ? ', …' : ''))] : null),
    part('lobby-how', t('lobby_how'), [t(b.answer_mode === 'group' ? 'how_scribe' : 'how_group'), t('how_drafts'), t('how_back')]),
    part('lobby-rules', t('lobby_rules'), b.ground_rules),
    w.scenario.summary ? h('section', { className: 'lobby-part', 'aria-labelledby': 'lobby-scenario' },
      h('h2', { id: 'lobby-scenario' }, t('lobby_scenario')), h('p', { id: 'lobby-summary' }, w.scenario.summary)) : null,
    part('lobby-objectives', t('lobby_objectives'), b.objectives?.map((o) => o.text))]);
  lobby.hidden = false;
}

// ---- polls, answer windows, the group's scribe (phone-live.js, imported when needed)

let liveP = null;
const needsLive = (inj) => inj.response?.kind === 'choice' || inj.due_play_ms != null || state.briefing?.answer_mode === 'group';

/** Hands a card (none: every card that needs it, and the scribe's part) to phone-live.js. */
function phoneLive(card) {
  if (!liveP) {
    liveP = import('/assets/phone-live.js').then((m) => (m.setup({ state, needsLive, loadDraft, keepPlace, send: (msg) => conn?.send(msg) ?? false }), tick = m.tick, m));
    liveP.catch(() => (liveP = null));
  }
  liveP.then((m) => m.refresh(card), () => {});
}

// ---- announcements (web/phone-announcements.js, imported with the first one)

let annMod = null;
function addAnnouncement(a) {
  state.anns.set(a.seq, a);
  (annMod ??= import('/assets/phone-announcements.js').then((m) => (m.setup({ state, store }), m)))
    .then((m) => m.render(), () => (annMod = null));
}

// ---- self-assessment (web/phone-sa.js, imported when it first opens)

let saMod = null;
function saModule() {
  if (!saMod) {
    saMod = import('/assets/phone-sa.js').then((m) => {
      m.setup({ state, store, send: (msg) => conn?.send(msg) ?? false, online: () => !!conn?.identified });
      return m;
    });
    saMod.catch(() => (saMod = null));
  }
  return saMod;
}

function renderSA() {
  if (!saMod && (!state.sa || state.sa.state === 'not_opened')) {
    $('#self-assessment').hidden = true;
    return;
  }
  saModule().then((m) => m.renderSA(), () => {});
}

// ---- proposed fixes (web/phone-fixes.js, imported when an inject asks for them) --

let fixesMod = null;
function fixes() {
  if (!fixesMod) {
    fixesMod = import('/assets/phone-fixes.js').then((m) => {
      m.setup({ state, store, send: (msg) => conn?.send(msg) ?? false, keepPlace });
      return m;
    });
    fixesMod.catch(() => (fixesMod = null));
  }
  return fixesMod;
}

const renderItems = () => fixesMod?.then((m) => m.renderItems());

// ---- start

text($('#new-inject-text'), t('new_inject'));
text($('#to-answer'), t('to_answer'));
$('#to-answer').setAttribute('aria-label', t('to_answer_label'));
text($('#briefing-summary'), t('briefing'));
setConn('connecting');
const urlCode = codeFromUrl();
if (state.session && (!urlCode || urlCode === state.session.join_code)) {
  $('#participant').hidden = false;
  connect();
} else {
  showJoin(urlCode);
}
