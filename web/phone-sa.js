// phone-sa.js: the participant's self-assessment, in group mode (the group's statements,
// one form) and in profile mode (every participant rates their organisation on every
// domain, one screen each, then takes the profile away). participant.js imports this
// module only once the facilitator opens the self-assessment (it comes at the end of an
// exercise), so the page's first load stays within its budget; its styles come with it
// (web/phone-sa.css, in before the module resolves: no unstyled flash).
//
// `setup(ctx)` hands over the page's state (`sa`, `mine`, `mineDk`, `saStep`, `session`),
// its storage and its socket; then participant.js calls `renderSA` after every change of
// `state.sa`, `resend` after every welcome, and hands acks, refusals and connection
// changes over (`acked`, `refused`, `status`).

import { $, h, append, text, t as pageT, errorText, lang, randomId } from '/assets/ui.js';

// The take-away's words: loaded with this module, not with the page (the phone's first
// load has a budget); every other word comes from ui.js.
const WORDS = {
  en: {
    tk_title: 'Your take-away: maturity profile',
    tk_organisation: 'Organisation:',
    tk_room: 'All participants',
    tk_domain: 'Domain',
    tk_fewer: 'fewer than 3',
    tk_org_small: 'Your organisation: fewer than 3 people rated it, so its profile is not shown. These are your own answers.',
    tk_no_org: 'You did not give an organisation when joining: these are your own answers.',
    tk_room_small: 'The room: fewer than 3 people rated, so its profile is not shown.',
    tk_radar_alt: 'Radar chart of the maturity profile per domain',
    tk_download: 'Download (one-page HTML)',
    tk_hint: 'Open the file in a browser to read or print it.',
  },
  fr: {
    tk_title: 'À emporter : profil de maturité',
    tk_organisation: 'Organisation :',
    tk_room: 'Toute la salle',
    tk_domain: 'Domaine',
    tk_fewer: 'moins de 3',
    tk_org_small: "Votre organisation : moins de 3 personnes l'ont évaluée, son profil n'est donc pas affiché. Voici vos propres réponses.",
    tk_no_org: "Vous n'avez pas indiqué d'organisation en rejoignant : voici vos propres réponses.",
    tk_room_small: "La salle : moins de 3 personnes ont répondu, son profil n'est donc pas affiché.",
    tk_radar_alt: 'Graphique radar du profil de maturité par domaine',
    tk_download: 'Télécharger (HTML, une page)',
    tk_hint: "Ouvrez le fichier dans un navigateur pour le lire ou l'imprimer.",
  },
};
const t = (key) => WORDS[lang]?.[key] ?? WORDS.en[key] ?? pageT(key);
const tf = (key, vars) => t(key).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

let state = null;
let store = null;
let send = () => false;
let online = () => false;

/** The page's state, storage and socket (`send(msg)`, `online()`). */
export function setup(ctx) {
  ({ state, store, send, online } = ctx);
}

/** The stylesheet, in before the module resolves. */
await new Promise((done) => document.head.append(h('link', { rel: 'stylesheet', href: '/assets/phone-sa.css', onload: done, onerror: done })));

function setStatus(card, s, msg) {
  card.status.dataset.state = s;
  text(card.status, msg);
}

/** After a welcome: what waits on this phone goes again (same client_msg_id). */
export function resend() {
  const d = store.get(saKey());
  if (d?.id && state.sa?.state === 'open') send({ type: 'self_assess', scores: d.scores, client_msg_id: d.id });
  // A profile's answers in flight when the link dropped are sent again (idempotent).
  const rec = profRec();
  if (rec.sent) profSave({ answers: rec.answers, sent: null });
  profFlush();
}

/** An ack: true when it was for the self-assessment. */
export function acked(id) {
  if (profAcked(id)) return true;
  const sa = store.get(saKey());
  if (!id || sa?.id !== id) return false;
  Object.assign(state.mine, sa.scores);
  store.del(saKey());
  saStatus('sent', t('sent'));
  return true;
}

/** A refused self-assessment: kept as a draft, saying why. True when it was ours. */
export function refused(e) {
  const why = errorText(e.code, e.message);
  if (profRefused(e, why)) return true;
  const sa = store.get(saKey());
  if (!e.client_msg_id || sa?.id !== e.client_msg_id) return false;
  store.set(saKey(), { scores: sa.scores, id: null });
  saStatus('error', why);
  return true;
}

/** The connection changed: the profile's status line says so. */
export function status() {
  profStatus();
}

// ---- self-assessment ------------------------------------------------------------

const saKey = () => `tt.sa.${state.session?.participant_id}`;

function saStatus(s, msg) {
  const el = $('#sa-status');
  if (el) setStatus({ status: el }, s, msg);
  const btn = $('#sa-send');
  if (btn) btn.disabled = s === 'sending';
}

/** Scale labels in the page's language (the server sends English). */
function scaleLabel(s) {
  const k = `sa_${s.score}`;
  return t(k) === k ? s.label : t(k);
}

export function renderSA() {
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
    send({ type: 'self_assess', scores, client_msg_id: id });
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
    if (rec.sent || !entries.length || state.sa?.state !== 'open' || !online()) return profStatus();
    const scores = {};
    const dk = [];
    for (const [id, v] of entries) (v === 'dk' ? dk.push(id) : (scores[id] = v));
    rec.sent = { id: randomId(), answers: { ...rec.answers } };
    profSave(rec);
    send({ type: 'self_assess', ...(dk.length < entries.length ? { scores } : {}), ...(dk.length ? { dont_know: dk } : {}), client_msg_id: rec.sent.id });
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

