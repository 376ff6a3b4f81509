// participant.js: the join page and the participant's view of the exercise.
// Drafts are kept in localStorage per inject until the server acks them, and pending
// answers are re-sent with the same client_msg_id after every reconnect, so nothing
// typed is lost to a reload, a dropped link or a server restart. The same holds for
// self-assessment scores and proposed fixes (improvement-plan items).

import { Connection } from '/assets/client.js';
import { $, h, append, text, t, tf, errorText, lang, playTime, randomId, playClock, showState } from '/assets/ui.js';

const SESSION_KEY = 'tt.session';
const store = {
  get: (k) => { try { return JSON.parse(localStorage.getItem(k)); } catch { return null; } },
  set: (k, v) => localStorage.setItem(k, JSON.stringify(v)),
  del: (k) => localStorage.removeItem(k),
};

const state = {
  session: store.get(SESSION_KEY), // {join_code, resume_token, participant_id, exercise_id}
  pendingJoin: null, // {join_code, name, organisation?, sector?} while joining
  cards: new Map(), // inject_id → {el, answers: ul, seen: Set(seq)}
  sa: null, // the group's self-assessment: {state, intro, example, scale, statements}
  mine: {}, // my scores the server has, by statement id
  mineDk: new Set(), // the statements the server has as my "don't know" (profile)
  saStep: null, // profile: the domain screen shown (domains.length: done); null until the first render
  items: new Map(), // the group's improvement-plan items by item_id
};
let conn = null;
const clock = playClock($('#clock'), (c, ms) =>
  (c.state === 'lobby' ? t('clock_lobby') : `${t('clock_' + c.state)} ${playTime(ms)}`));

document.documentElement.lang = lang;

function codeFromUrl() {
  const m = location.pathname.match(/^\/join\/([^/]+)/);
  const code = m ? decodeURIComponent(m[1]) : new URLSearchParams(location.search).get('code');
  return code ? code.toUpperCase().replace(/[\s-]/g, '') : null;
}

function setConn(s) {
  const el = $('#conn');
  el.hidden = false;
  showState(el, s, t('conn_' + s));
  if (state.sa?.mode === 'profile') profStatus();
}

// ---- join -----------------------------------------------------------------------

function showJoin(code, error) {
  $('#participant').hidden = true;
  $('#conn').hidden = true;
  const form = $('#join-form');
  form.hidden = false;
  text($('#join-title'), t('join_title'));
  text($('#join-code-label'), t('join_code'));
  text($('#join-name-label'), t('your_name'));
  text($('#join-org-label'), t('your_organisation'));
  text($('#join-sector-label'), t('your_sector'));
  text($('#join-submit'), t('join'));
  text($('#join-error'), error || '');
  $('#join-submit').disabled = false;
  if (code) $('#join-code').value = code;
  ($('#join-code').value ? $('#join-name') : $('#join-code')).focus();
  loadJoinInfo($('#join-code').value);
}

// What the form offers for this code: the scenario's sectors (the select shows only
// when there are some) and the organisations already named, as suggestions. Best
// effort: without it the form still joins.
let joinInfoFor = null;
async function loadJoinInfo(raw) {
  const code = raw.trim().toUpperCase().replace(/[\s-]/g, '');
  if (!code || code === joinInfoFor) return;
  joinInfoFor = code;
  let info;
  try {
    const res = await fetch(`/api/join/${encodeURIComponent(code)}`);
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
}

$('#join-code').addEventListener('change', (ev) => loadJoinInfo(ev.target.value));

$('#join-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const join_code = $('#join-code').value.trim().toUpperCase().replace(/[\s-]/g, '');
  const name = $('#join-name').value.trim();
  if (!join_code || !name) return;
  const organisation = $('#join-org').value.trim();
  const sector = $('#join-sector').value;
  state.pendingJoin = { join_code, name, ...(organisation ? { organisation } : {}), ...(sector ? { sector } : {}) };
  $('#join-submit').disabled = true;
  text($('#join-submit'), t('joining'));
  connect();
});

function connect() {
  if (conn) conn.stop();
  conn = new Connection({
    hello: (lastSeq) =>
      state.session
        ? { type: 'resume', resume_token: state.session.resume_token, ...(state.cards.size && lastSeq ? { last_seq: lastSeq } : {}) }
        : { type: 'join', ...state.pendingJoin },
    onMessage,
    onState: setConn,
  });
  conn.start();
}

// ---- messages -------------------------------------------------------------------

function onMessage(msg) {
  switch (msg.type) {
    case 'welcome': return welcome(msg);
    case 'inject': return addInject(msg);
    case 'response': return addAnswer(msg);
    case 'ack': return acked(msg);
    case 'clock': return clock.set(msg);
    case 'announcement': return addAnnouncement(msg);
    case 'moved': return moved(msg);
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
  $('#join-form').hidden = true;
  $('#participant').hidden = false;
  setGroup(w.group);
  clock.set(w.clock);
  showWaiting();
  w.announcements.forEach(addAnnouncement);
  w.injects.forEach(addInject);
  w.responses.forEach(addAnswer);
  state.sa = w.self_assessment ?? null;
  state.mine = w.self_assessment?.mine ?? {};
  state.mineDk = new Set(w.self_assessment?.mine_dont_know ?? []);
  state.items = new Map((w.improvements ?? []).map((i) => [i.item_id, i]));
  renderSA();
  renderItems();
  resendPending(w.you.name);
  board(w.adoption, true);
}

// The adoption board (web/adoption.js, with its strings and styles) is imported when it
// first opens, so the page's first load stays small.
let adoption = null;
function board(b, welcome = false) {
  if (!b && !adoption) return;
  const ctx = { welcome, send: (m) => conn.send(m), participantId: state.session?.participant_id };
  adoption = (adoption ?? import('/assets/adoption.js')).then((m) => (m.renderAdoption(b, ctx), m));
  adoption.catch(() => (adoption = null));
}

function setGroup(group) {
  text($('#group-name'), group.name);
  text($('#group-focus'), group.focus);
  document.title = `${group.name} · tabletop`;
}

/** Until the first inject, a line says where it will appear. */
function showWaiting() {
  text($('#waiting'), state.cards.size ? '' : t('waiting'));
}

function addAnnouncement(a) {
  const box = $('#announcements');
  if (box.querySelector(`[data-seq="${a.seq}"]`)) return;
  box.prepend(h('p', { className: 'announcement', 'data-seq': a.seq, role: 'status' }, `${t('announcements')}: `, a.text));
}

function moved(m) {
  for (const { el } of state.cards.values()) el.remove();
  state.cards.clear();
  setGroup(m.group);
  m.injects.forEach(addInject);
  m.responses.forEach(addAnswer);
  showWaiting();
  const box = $('#announcements');
  box.prepend(h('p', { className: 'announcement', role: 'status' }, t('moved')));
  // The new group's statements and improvement items come with a fresh welcome.
  state.sa = null;
  state.items.clear();
  renderSA();
  conn.restart();
}

function refused(e) {
  if (e.client_msg_id) adoption?.then((m) => m.adoptionRefused(e));
  if (e.client_msg_id && pendingRefused(e)) return;
  if (e.client_msg_id) {
    for (const [injectId, card] of state.cards) {
      const d = loadDraft(injectId);
      if (d && d.id === e.client_msg_id) {
        saveDraft(injectId, { text: d.text, id: null });
        setStatus(card, 'error', errorText(e.code, e.message));
        card.input.disabled = false;
        card.send.disabled = false;
      }
    }
    return;
  }
  if (['unknown_join_code', 'unknown_sector', 'exercise_ended', 'exercise_full', 'invalid_text', 'too_long', 'bad_credentials'].includes(e.code) && !conn?.identified) {
    conn?.stop();
    if (e.code === 'bad_credentials') {
      store.del(SESSION_KEY);
      state.session = null;
    }
    showJoin(state.pendingJoin?.join_code ?? codeFromUrl(), errorText(e.code, e.message));
  }
}

// ---- injects and answers --------------------------------------------------------

function addInject(inj) {
  if (state.cards.has(inj.inject_id)) return;
  const input = h('textarea', { className: 'answer-input', id: `answer-${inj.inject_id}`, maxLength: 8000, rows: 3 });
  const send = h('button', { className: 'answer-send', type: 'submit' }, t('send'));
  const status = h('p', { className: 'answer-status', 'aria-live': 'polite' });
  const answers = h('ul', { className: 'answers', 'aria-label': t('answers') });
  const form = h('form', { className: 'answer-form' },
    h('label', { for: input.id }, t('answer_label')), input, h('div', { className: 'row' }, send), status);
  const el = h('article', { className: 'inject card', 'data-inject-id': inj.inject_id },
    h('p', { className: 'meta' }, playTime(inj.play_ms), inj.from ? ` · ${t('from')}: ${inj.from}` : '', inj.channel ? ` · ${inj.channel}` : ''),
    h('h2', { className: 'inject-title' }, inj.title),
    h('div', { className: 'inject-body' }, inj.body),
    (inj.attachments || []).map((a) => h('div', { className: 'attachment' }, h('strong', {}, a.title), a.text ? `\n${a.text}` : '', a.url ? `\n${a.url}` : '')),
    inj.questions?.length ? [h('h3', {}, t('questions')), h('ol', { className: 'questions' }, inj.questions.map((q) => h('li', {}, q)))] : null,
    inj.response?.kind === 'choice' ? h('p', { className: 'muted' }, inj.response.options.join(' / ')) : null,
    h('h3', {}, t('answers')), answers,
    form);
  const card = { el, answers, input, send, status, seen: new Set(), seq: inj.seq };
  if (inj.collect_improvements) {
    card.improve = improveSection(inj.inject_id);
    el.classList.add('collects');
    el.append(card.improve.el);
  }
  state.cards.set(inj.inject_id, card);
  input.addEventListener('input', () => {
    saveDraft(inj.inject_id, { text: input.value, id: null });
    setStatus(card, 'draft', input.value ? t('draft') : '');
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit(inj.inject_id);
  });
  const d = loadDraft(inj.inject_id);
  if (d) {
    input.value = d.text;
    setStatus(card, d.id ? 'sending' : 'draft', d.id ? t('sending') : t('draft'));
    if (d.id) input.disabled = send.disabled = true;
  }
  // Newest first; the newest is the current inject.
  const list = $('#injects');
  const newer = [...state.cards.values()].filter((c) => c !== card && c.seq > inj.seq).sort((a, b) => a.seq - b.seq);
  if (newer.length) newer[0].el.after(el);
  else list.prepend(el);
  for (const c of state.cards.values()) c.el.classList.toggle('current', c.el === list.firstElementChild);
  if (card.improve) renderItems();
  showWaiting();
}

function addAnswer(r) {
  const card = state.cards.get(r.inject_id);
  if (!card || card.seen.has(r.seq)) return;
  card.seen.add(r.seq);
  card.answers.append(h('li', { className: 'answer', 'data-seq': r.seq },
    h('span', { className: 'answer-author' }, r.participant_name), h('span', { className: 'answer-text' }, r.text)));
}

const draftKey = (injectId) => `tt.draft.${state.session?.participant_id}.${injectId}`;
const loadDraft = (injectId) => store.get(draftKey(injectId));
const saveDraft = (injectId, d) => (d.text ? store.set(draftKey(injectId), d) : store.del(draftKey(injectId)));

function setStatus(card, s, msg) {
  card.status.dataset.state = s;
  text(card.status, msg);
}

function submit(injectId) {
  const card = state.cards.get(injectId);
  const value = card.input.value.trim();
  if (!value) return;
  const d = { text: card.input.value, id: loadDraft(injectId)?.id || randomId() };
  saveDraft(injectId, d);
  card.input.disabled = card.send.disabled = true;
  setStatus(card, 'sending', t('sending'));
  conn.send({ type: 'respond', inject_id: injectId, text: d.text, client_msg_id: d.id });
}

function resendPending(myName) {
  for (const [injectId, card] of state.cards) {
    const d = loadDraft(injectId);
    if (d?.id) conn.send({ type: 'respond', inject_id: injectId, text: d.text, client_msg_id: d.id });
    else if (d) card.input.value = card.input.value || d.text;
    const p = card.improve && store.get(impKey(injectId));
    if (!p?.id) continue;
    // A proposal is not idempotent: if the server has it already (the ack was lost), done.
    const same = (v) => v.proposed_by === myName && v.item.issue === p.item.issue && v.item.corrective_action === p.item.corrective_action;
    if ([...state.items.values()].some(same)) acked({ client_msg_id: p.id });
    else conn.send({ type: 'propose_improvement', item: p.item, client_msg_id: p.id });
  }
  const d = store.get(saKey());
  if (d?.id && state.sa?.state === 'open') conn.send({ type: 'self_assess', scores: d.scores, client_msg_id: d.id });
  // A profile's answers in flight when the link dropped are sent again (idempotent).
  const rec = profRec();
  if (rec.sent) profSave({ answers: rec.answers, sent: null });
  profFlush();
}

function acked(a) {
  adoption?.then((m) => m.adoptionAcked(a.client_msg_id));
  if (profAcked(a.client_msg_id)) return;
  const sa = store.get(saKey());
  if (sa?.id === a.client_msg_id) {
    Object.assign(state.mine, sa.scores);
    store.del(saKey());
    saStatus('sent', t('sent'));
  }
  for (const [injectId, card] of state.cards) {
    if (card.improve && store.get(impKey(injectId))?.id === a.client_msg_id) {
      store.del(impKey(injectId));
      card.improve.form.reset();
      card.improve.send.disabled = false;
      setStatus(card.improve, 'sent', t('sent'));
    }
  }
  for (const [injectId, card] of state.cards) {
    if (loadDraft(injectId)?.id === a.client_msg_id) {
      store.del(draftKey(injectId));
      card.input.value = '';
      card.input.disabled = card.send.disabled = false;
      setStatus(card, 'sent', t('sent'));
    }
  }
}

/** A refused self-assessment or proposal: keep it as a draft, say why. */
function pendingRefused(e) {
  const why = errorText(e.code, e.message);
  if (profRefused(e, why)) return true;
  const sa = store.get(saKey());
  if (sa?.id === e.client_msg_id) {
    store.set(saKey(), { scores: sa.scores, id: null });
    saStatus('error', why);
    return true;
  }
  for (const [injectId, card] of state.cards) {
    const p = card.improve && store.get(impKey(injectId));
    if (p?.id === e.client_msg_id) {
      store.set(impKey(injectId), { item: p.item, id: null });
      card.improve.send.disabled = false;
      setStatus(card.improve, 'error', why);
      return true;
    }
  }
  return false;
}

// ---- self-assessment ------------------------------------------------------------

const saKey = () => `tt.sa.${state.session?.participant_id}`;

function saStatus(s, msg) {
  const el = $('#sa-status');
  if (el) setStatus({ status: el }, s, msg);
  const send = $('#sa-send');
  if (send) send.disabled = s === 'sending';
}

/** Scale labels in the page's language (the server sends English). */
function scaleLabel(s) {
  const k = `sa_${s.score}`;
  return t(k) === k ? s.label : t(k);
}

function renderSA() {
  const box = $('#self-assessment');
  const sa = state.sa;
  box.hidden = !sa || sa.state === 'not_opened';
  if (box.hidden) return box.replaceChildren();
  if (sa.mode === 'profile') return renderProfile(box, sa);
  const open = sa.state === 'open';
  const d = store.get(saKey());
  const chosen = { ...state.mine, ...d?.scores };
  const form = h('form', { id: 'sa-form' },
    sa.statements.map((st, i) => h('fieldset', { className: 'sa-statement', 'data-statement-id': st.id },
      h('legend', {}, st.text),
      sa.scale.map((s) => h('label', { className: 'sa-choice' },
        h('input', { type: 'radio', name: `sa-${i}`, value: s.score, checked: chosen[st.id] === s.score, disabled: !open }),
        h('span', {}, h('b', {}, s.score), ' ', scaleLabel(s)))))),
    open ? h('button', { id: 'sa-send', type: 'submit' }, t('sa_send')) : null,
    h('p', { id: 'sa-status', className: 'answer-status', 'aria-live': 'polite' }));
  form.addEventListener('change', () => {
    store.set(saKey(), { scores: saScores(), id: null });
    saStatus('draft', t('draft'));
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const scores = saScores();
    if (!Object.keys(scores).length) return saStatus('error', t('sa_pick'));
    const id = store.get(saKey())?.id || randomId();
    store.set(saKey(), { scores, id });
    saStatus('sending', t('sending'));
    conn.send({ type: 'self_assess', scores, client_msg_id: id });
  });
  append(box.replaceChildren() ?? box, [
    h('h2', { id: 'sa-title' }, t('sa_title')),
    sa.intro ? h('p', {}, sa.intro) : null,
    sa.example ? h('p', { className: 'muted' }, t('sa_example')) : null,
    open ? null : h('p', { className: 'sa-closed', role: 'status' }, t('sa_closed')),
    form]);
  if (open && d) saStatus(d.id ? 'sending' : 'draft', d.id ? t('sending') : t('draft'));
}

function saScores() {
  const scores = {};
  for (const fs of document.querySelectorAll('#sa-form fieldset')) {
    const c = fs.querySelector('input:checked');
    if (c) scores[fs.dataset.statementId] = Number(c.value);
  }
  return scores;
}

// ---- self-assessment, profile mode: one domain per screen ------------------------
// Every participant rates their own organisation on every domain's statements, 1–5 or
// "don't know". Choices are kept on the phone (tt.sap.<participant>: `answers` not yet
// acked, `sent`: the one message in flight) and sent a moment after each choice and when
// leaving a screen; one message at a time, so never near the server's rate limit.

const profKey = () => `tt.sap.${state.session?.participant_id}`;
const profRec = () => store.get(profKey()) ?? { answers: {}, sent: null };
const profSave = (rec) => (Object.keys(rec.answers).length || rec.sent ? store.set(profKey(), rec) : store.del(profKey()));

/** My answer to a statement (1–5 or 'dk'): what waits on this phone, else what the server has. */
const answerOf = (id, rec) => rec.answers[id] ?? state.mine[id] ?? (state.mineDk.has(id) ? 'dk' : undefined);

/** The profile's domains in order, each with its statements. */
function profDomains(sa) {
  const ds = sa.domains?.length ? sa.domains : [...new Set(sa.statements.map((s) => s.domain))].map((id) => ({ id, name: id }));
  return ds.map((d) => ({ ...d, statements: sa.statements.filter((s) => s.domain === d.id) }));
}

let flushTimer = null;
/** Sends what waits on this phone (after `delay` ms), unless a message is in flight. */
function profFlush(delay = 0) {
  clearTimeout(flushTimer);
  flushTimer = setTimeout(() => {
    if (state.sa?.mode !== 'profile') return; // group mode keeps its own draft and status
    const rec = profRec();
    const entries = Object.entries(rec.answers);
    if (rec.sent || !entries.length || state.sa?.state !== 'open' || !conn?.identified) return profStatus();
    const scores = {};
    const dk = [];
    for (const [id, v] of entries) (v === 'dk' ? dk.push(id) : (scores[id] = v));
    rec.sent = { id: randomId(), answers: { ...rec.answers } };
    profSave(rec);
    conn.send({ type: 'self_assess', ...(dk.length < entries.length ? { scores } : {}), ...(dk.length ? { dont_know: dk } : {}), client_msg_id: rec.sent.id });
    profStatus();
  }, delay);
}

function profAcked(id) {
  const rec = profRec();
  if (!id || rec.sent?.id !== id) return false;
  for (const [k, v] of Object.entries(rec.sent.answers)) {
    if (v === 'dk') {
      delete state.mine[k];
      state.mineDk.add(k);
    } else {
      state.mine[k] = v;
      state.mineDk.delete(k);
    }
    if (rec.answers[k] === v) delete rec.answers[k];
  }
  profSave({ answers: rec.answers, sent: null });
  profFlush();
  return true;
}

function profRefused(e, why) {
  const rec = profRec();
  if (rec.sent?.id !== e.client_msg_id) return false;
  profSave({ answers: rec.answers, sent: null });
  if (['rate_limited', 'storage_unavailable'].includes(e.code)) profFlush(2000);
  profStatus('error', why);
  return true;
}

/** The line under the screen: kept here / sending / saved, or `msg`. */
function profStatus(s, msg) {
  const el = $('#sa-status');
  if (!el || state.sa?.mode !== 'profile') return;
  if (!s) {
    const rec = profRec();
    if (Object.keys(rec.answers).length) s = 'sending';
    else if (Object.keys(state.mine).length || state.mineDk.size) s = 'sent';
    msg = s ? t(s) : '';
  }
  setStatus({ status: el }, s ?? '', msg);
}

/** A level's name and description: "Defined: written down…" → ["Defined", "written down…"]. */
function levelParts(s) {
  const i = s.label.indexOf(':');
  if (i < 1) return [scaleLabel(s), ''];
  return [lang === 'en' ? s.label.slice(0, i).trim() : scaleLabel(s), s.label.slice(i + 1).trim()];
}

function answerText(v, sa) {
  if (v === 'dk') return t('sa_dont_know');
  const level = sa.scale.find((s) => s.score === v);
  return level ? `${v} · ${levelParts(level)[0]}` : t('sa_none');
}

function profCounts(sa, rec) {
  const all = sa.statements.map((s) => answerOf(s.id, rec));
  return { n: all.filter((v) => v !== undefined).length, dk: all.filter((v) => v === 'dk').length, total: all.length };
}

function renderProfile(box, sa) {
  const rec = profRec();
  const domains = profDomains(sa);
  const unanswered = (d) => d.statements.some((s) => answerOf(s.id, rec) === undefined);
  const firstOpen = () => {
    const i = domains.findIndex(unanswered);
    return i < 0 ? domains.length : i;
  };
  state.saStep = Math.min(state.saStep ?? firstOpen(), domains.length);
  const step = state.saStep;
  const c = profCounts(sa, rec);
  const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement : null;
  const refocus = focused && (focused.id ? `#${focused.id}` : focused.name ? `input[name="${focused.name}"][value="${focused.value}"]` : null);
  const parts = [h('h2', { id: 'sa-title', className: 'sa-eyebrow' }, t('sa_title'))];
  const go = (to) => {
    profFlush();
    state.saStep = to;
    renderSA();
    box.scrollIntoView({ block: 'start' });
    $('#sa-heading')?.focus({ preventScroll: true });
  };

  if (sa.state === 'closed') {
    const unsent = Object.keys(rec.answers).length;
    parts.push(
      h('p', { className: 'sa-closed', role: 'status' }, t('sa_closed_thanks')),
      sa.takeaway ? takeaway(sa.takeaway) : null,
      h('p', { id: 'sa-summary' }, tf('sa_summary', c)),
      unsent ? h('p', { className: 'error' }, tf('sa_unsent', { n: unsent })) : null,
      h('details', { className: 'sa-recap-box' }, h('summary', {}, t('sa_yours')), recap(sa, domains, { answers: {} }, false)));
    box.replaceChildren();
    return append(box, parts);
  }

  if (step < domains.length) {
    const d = domains[step];
    const offset = sa.statements.indexOf(d.statements[0]);
    parts.push(
      h('h3', { id: 'sa-heading', className: 'sa-domain', tabIndex: -1 }, tf('sa_domain_of', { n: step + 1, total: domains.length, name: d.name })),
      stepsBar(domains, step, rec),
      h('p', { id: 'sa-count', className: 'sa-count' }, tf('sa_answered', c)),
      step === 0 && sa.intro ? h('p', { className: 'sa-intro' }, sa.intro) : null,
      step === 0 && sa.example ? h('p', { className: 'muted' }, t('sa_example')) : null);
    const form = h('form', { id: 'sa-form', className: 'sa-profile', 'aria-labelledby': 'sa-heading' },
      d.statements.map((st, i) => h('fieldset', { className: 'sa-statement', 'data-statement-id': st.id },
        h('legend', {}, st.text),
        [...sa.scale.map((s) => [s.score, ...levelParts(s)]), ['dk', t('sa_dont_know'), '']].map(([v, name, desc]) =>
          h('label', { className: `sa-choice sa-level${v === 'dk' ? ' sa-dk' : ''}` },
            h('input', { type: 'radio', name: `sa-${offset + i}`, value: v, checked: answerOf(st.id, rec) === v }),
            h('span', {}, v === 'dk' ? null : [h('b', {}, v), ' '], h('strong', {}, name), desc ? h('span', { className: 'sa-desc' }, desc) : null))))),
      h('div', { className: 'sa-nav row' },
        step > 0 ? h('button', { id: 'sa-back', type: 'button', className: 'secondary', onclick: () => go(step - 1) }, t('sa_back')) : null,
        h('button', { id: 'sa-next', type: 'submit' }, step === domains.length - 1 ? t('sa_finish') : t('sa_next'))),
      h('p', { id: 'sa-status', className: 'answer-status', 'aria-live': 'polite' }));
    form.addEventListener('change', (ev) => {
      const fs = ev.target.closest('fieldset');
      if (!fs) return;
      const r = profRec();
      r.answers[fs.dataset.statementId] = ev.target.value === 'dk' ? 'dk' : Number(ev.target.value);
      profSave(r);
      text($('#sa-count'), tf('sa_answered', profCounts(sa, r)));
      $('.sa-steps').replaceWith(stepsBar(domains, step, r));
      profStatus();
      profFlush(500);
    });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(step + 1);
    });
    parts.push(form);
  } else {
    const left = c.total - c.n;
    parts.push(
      h('h3', { id: 'sa-heading', className: 'sa-domain', tabIndex: -1 }, t('sa_done')),
      stepsBar(domains, step, rec),
      h('p', { id: 'sa-summary' }, tf('sa_summary', c)),
      left ? h('p', { className: 'sa-left' }, tf('sa_unanswered', { n: left }), ' ',
        h('button', { type: 'button', className: 'secondary', id: 'sa-goto', onclick: () => go(firstOpen()) }, t('sa_goto_unanswered'))) : null,
      h('p', { className: 'muted' }, t('sa_change')),
      h('div', { className: 'sa-nav row' }, h('button', { id: 'sa-back', type: 'button', className: 'secondary', onclick: () => go(step - 1) }, t('sa_back'))),
      h('p', { id: 'sa-status', className: 'answer-status', 'aria-live': 'polite' }),
      recap(sa, domains, rec));
  }
  box.replaceChildren();
  append(box, parts);
  profStatus();
  profFlush();
  if (refocus) box.querySelector(refocus)?.focus({ preventScroll: true });
}

let takeawayUrl = null;
/** A figure of the take-away: one decimal in the page's language, or why there is none. */
function figure(row, v) {
  if (v !== null && v !== undefined) return v.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return row.kind === 'self' ? '—' : t('tk_fewer');
}

/** The take-away: my organisation's profile (or my own answers) next to the room's, a
 *  radar drawn by the server (shown as an image) and the one-page HTML to download. */
function takeaway(tk) {
  const label = (row) => (row.kind === 'self' ? t('sa_yours') : row.kind === 'room' ? t('tk_room') : row.label);
  const heading = (row) => (row.kind === 'self' || row.withheld ? label(row) : [label(row), ' ', h('span', { className: 'tk-n' }, `(n = ${row.n})`)]);
  if (takeawayUrl) URL.revokeObjectURL(takeawayUrl);
  takeawayUrl = URL.createObjectURL(new Blob([tk.html], { type: 'text/html;charset=utf-8' }));
  const notes = [
    tk.yours.kind === 'self' ? (tk.organisation ? t('tk_org_small') : t('tk_no_org')) : null,
    tk.room.withheld ? t('tk_room_small') : null,
  ].filter(Boolean);
  return h('section', { id: 'takeaway', className: 'takeaway', 'aria-labelledby': 'tk-title' },
    h('h3', { id: 'tk-title' }, t('tk_title')),
    tk.organisation ? h('p', { className: 'tk-org' }, t('tk_organisation'), ' ', h('strong', {}, tk.organisation)) : null,
    notes.map((n) => h('p', { className: 'tk-note' }, n)),
    h('img', { id: 'tk-radar', className: 'tk-radar', alt: t('tk_radar_alt'), src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(tk.radar)}` }),
    h('table', { className: 'tk-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('tk_domain')), h('th', { scope: 'col' }, heading(tk.yours)), h('th', { scope: 'col' }, heading(tk.room)))),
      h('tbody', {}, tk.domains.map((d, i) => h('tr', { 'data-domain': d.id },
        h('th', { scope: 'row' }, d.name),
        h('td', { 'data-kind': tk.yours.kind }, figure(tk.yours, tk.yours.means[i])),
        h('td', { 'data-kind': 'room' }, figure(tk.room, tk.room.means[i])))))),
    h('a', { id: 'tk-download', className: 'button', href: takeawayUrl, download: tk.file_name }, t('tk_download')),
    h('p', { className: 'muted tk-hint' }, t('tk_hint')));
}

/** One bar per domain: done (every statement answered), current. */
function stepsBar(domains, step, rec) {
  return h('ol', { className: 'sa-steps', 'aria-hidden': 'true' }, domains.map((d, i) =>
    h('li', { className: [d.statements.every((s) => answerOf(s.id, rec) !== undefined) && 'done', i === step && 'current'].filter(Boolean).join(' ') })));
}

/** Every answer, read-only, by domain (under a heading unless `heading` is false). */
function recap(sa, domains, rec, heading = true) {
  return h('section', { className: 'sa-recap', 'aria-label': t('sa_yours') },
    heading ? h('h3', {}, t('sa_yours')) : null,
    domains.map((d) => [h('h4', {}, d.name), h('ul', {}, d.statements.map((st) => {
      const v = answerOf(st.id, rec);
      return h('li', { 'data-statement-id': st.id, 'data-answer': v ?? '' },
        h('span', { className: 'sa-recap-text' }, st.text), h('span', { className: 'sa-recap-answer' }, answerText(v, sa)));
    }))]));
}

// ---- proposed fixes (improvement-plan items) ------------------------------------

const impKey = (injectId) => `tt.imp.${state.session?.participant_id}.${injectId}`;
const CAPS = ['planning', 'organisation', 'equipment', 'training', 'exercise'];

function improveSection(injectId) {
  const id = (k) => `imp-${k}-${injectId}`;
  const fields = {
    issue: ['imp_issue', h('textarea', { id: id('issue'), className: 'imp-issue', rows: 2, maxLength: 500 })],
    corrective_action: ['imp_action', h('textarea', { id: id('action'), className: 'imp-action', rows: 2, maxLength: 500 })],
    capability: ['imp_capability', h('select', { id: id('cap'), className: 'imp-capability' }, CAPS.map((c) => h('option', { value: c }, t(`cap_${c}`))))],
    responsible_org: ['imp_org', h('input', { id: id('org'), className: 'imp-org', maxLength: 500 })],
    owner: ['imp_owner', h('input', { id: id('owner'), className: 'imp-owner', maxLength: 500 })],
    due: ['imp_due', h('input', { id: id('due'), className: 'imp-due', type: 'date' })],
  };
  const send = h('button', { type: 'submit', className: 'imp-send' }, t('imp_send'));
  const status = h('p', { className: 'answer-status imp-status', 'aria-live': 'polite' });
  const list = h('ul', { className: 'items' });
  const form = h('form', { className: 'improve-form' },
    Object.values(fields).map(([label, el]) => [h('label', { for: el.id }, t(label)), el]), h('div', { className: 'row' }, send), status);
  const section = { el: h('section', { className: 'improve' }, h('h3', {}, t('imp_title')), form, h('h3', {}, t('imp_list')), list), form, send, status, list };
  const item = () => Object.fromEntries(Object.entries(fields).map(([k, [, el]]) => [k, el.value.trim()]));
  form.addEventListener('input', () => {
    store.set(impKey(injectId), { item: item(), id: null });
    setStatus(section, 'draft', t('draft'));
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const it = item();
    if (!it.issue || !it.corrective_action) return setStatus(section, 'error', t('imp_need'));
    const d = { item: it, id: store.get(impKey(injectId))?.id || randomId() };
    store.set(impKey(injectId), d);
    send.disabled = true;
    setStatus(section, 'sending', t('sending'));
    conn.send({ type: 'propose_improvement', item: it, client_msg_id: d.id });
  });
  const d = store.get(impKey(injectId));
  if (d) {
    for (const [k, [, el]] of Object.entries(fields)) el.value = d.item[k] ?? el.value;
    setStatus(section, d.id ? 'sending' : 'draft', d.id ? t('sending') : t('draft'));
    send.disabled = !!d.id;
  }
  return section;
}

function renderItems() {
  const items = [...state.items.values()];
  for (const card of state.cards.values()) {
    if (!card.improve) continue;
    card.improve.list.replaceChildren(...(items.length ? items.map((v) => h('li', { className: 'improvement', 'data-item-id': v.item_id, 'data-status': v.status },
      h('span', { className: 'pill item-status' }, t(`st_${v.status}`)), ' ', h('strong', { className: 'item-issue' }, v.item.issue),
      h('div', { className: 'item-action' }, v.item.corrective_action),
      h('div', { className: 'muted' }, [v.item.owner, v.item.due && `${t('due')} ${v.item.due}`].filter(Boolean).join(' · '))))
      : [h('li', { className: 'muted' }, t('imp_none'))]));
  }
}

// ---- start ----------------------------------------------------------------------

setConn('connecting');
const urlCode = codeFromUrl();
if (state.session && (!urlCode || urlCode === state.session.join_code)) {
  $('#participant').hidden = false;
  connect();
} else {
  showJoin(urlCode);
}
