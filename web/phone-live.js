// phone-live.js: the live room on the participant's phone. A poll (an inject whose
// response is a choice) shows its options as radio buttons, or checkboxes when it takes
// several, above the optional "why"; an inject with an answer window counts down on the
// play clock ("4:59 left to answer": it stops while paused and follows the speed), then
// says late answers are still taken, and a late answer is marked. In group answer mode
// the group's scribe writes the group's answer and can hand the role on; every other
// member adds contributions (text only), which the scribe can fold into their answer;
// everyone sees the group's answer first, then the contributions.
//
// participant.js imports this module with the first inject that needs it (or a group
// mode welcome), so the page's first load stays within its budget; its strings and
// styles (web/phone-live.css) come with it. participant.js keeps the answer box, the
// drafts, the acks and the re-sends; `refresh(card)` adds to a card the choices, the
// countdown and the scribe's words, and the hooks it calls: `card.choice()` (the option
// ids to send and keep in the draft), `card.sent(draft)` and `card.why(error)` (what an
// ack and a refusal say). This module shows the answers of the cards it has (`card.rs`),
// pages in a card's earlier answers that a welcome left out ("Show 5 earlier answers",
// `older_responses`; participant.js imports it for a welcome that lists some) and ticks
// the countdowns with the page's clock (`tick`).

import { $, h, text, lang, t as pageT, errorText, randomId } from '/assets/ui.js';

const STRINGS = {
  en: {
    lv_choose_one: 'Your choice',
    lv_choose_some: 'Your choice (one or more)',
    lv_why: 'Why? (optional)',
    lv_sent: 'Sent ✓ — {choice}',
    lv_left: '{time} left to answer',
    lv_time_up: 'Time is up — late answers are still taken',
    lv_late: 'late',
    lv_scribe_you: "You are the scribe: your answer is the group's answer",
    lv_scribe_other: "{name} writes the group's answer. Add a contribution:",
    lv_options: 'The options (the scribe chooses): {list}',
    lv_group_answer: "Group's answer",
    lv_contribution: 'Contribution',
    lv_fold: 'Add to my answer',
    lv_folded: 'Added ✓',
    lv_hand_on: 'Hand the scribe role on',
    lv_member: 'New scribe',
    lv_make_scribe: 'Make scribe',
    lv_earlier: 'Show {n} earlier answers',
    err_unknown_option: 'That option is not offered: choose again.',
    err_invalid_choice: 'This poll takes one option: choose one.',
    err_not_scribe: "Only your group's scribe chooses: send your text as a contribution.",
    err_window_closed: "The answer window has closed: the group's answer can no longer be changed.",
    err_not_in_group: 'That person is no longer in your group.',
  },
  fr: {
    lv_choose_one: 'Votre choix',
    lv_choose_some: 'Votre choix (un ou plusieurs)',
    lv_why: 'Pourquoi\u00a0? (facultatif)',
    lv_sent: 'Envoyé ✓ — {choice}',
    lv_left: '{time} pour répondre',
    lv_time_up: 'Temps écoulé — les réponses en retard sont encore acceptées',
    lv_late: 'en retard',
    lv_scribe_you: 'Vous êtes le secrétaire\u00a0: votre réponse est celle du groupe',
    lv_scribe_other: '{name} rédige la réponse du groupe. Ajoutez une contribution\u00a0:',
    lv_options: 'Les options (le secrétaire choisit)\u00a0: {list}',
    lv_group_answer: 'Réponse du groupe',
    lv_contribution: 'Contribution',
    lv_fold: 'Ajouter à ma réponse',
    lv_folded: 'Ajouté ✓',
    lv_hand_on: 'Passer le rôle de secrétaire',
    lv_member: 'Nouveau secrétaire',
    lv_make_scribe: 'Nommer secrétaire',
    lv_earlier: 'Afficher {n} réponses précédentes',
    err_unknown_option: "Cette option n'est pas proposée\u00a0: choisissez à nouveau.",
    err_invalid_choice: 'Ce sondage prend une seule option\u00a0: choisissez-en une.',
    err_not_scribe: 'Seul le secrétaire du groupe choisit\u00a0: envoyez votre texte comme contribution.',
    err_window_closed: 'Le délai de réponse est écoulé\u00a0: la réponse du groupe ne peut plus être modifiée.',
    err_not_in_group: "Cette personne n'est plus dans votre groupe.",
  },
};
const t = (key) => STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? pageT(key);
const tf = (key, vars) => t(key).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
/** A refusal in words: ours for the live room's codes, else the page's. */
const why = (e) => STRINGS[lang]?.[`err_${e.code}`] ?? errorText(e.code, e.message);

// The styles come with the module (it resolves once they are in: no unstyled flash).
await new Promise((done) => document.head.append(h('link', { rel: 'stylesheet', href: '/assets/phone-live.css', onload: done, onerror: done })));

let ctx = null;

/** The page's `state`, `needsLive(inject)`, `loadDraft(injectId)`, `keepPlace(change)`
 *  and `send(msg)`. */
export function setup(c) {
  ctx = c;
}

const me = () => ctx.state.session?.participant_id;
const groupMode = () => ctx.state.briefing?.answer_mode === 'group';
const scribe = () => (groupMode() ? ctx.state.briefing.members?.find((m) => m.scribe) : null);
/** Whether this phone writes the answer: everyone in individual mode; in group mode the
 *  scribe (and everyone while the members are not known, e.g. just after a move). */
const writes = () => !scribe() || scribe().participant_id === me();

/** A poll's options as {id, label} (older servers sent labels only). */
const options = (inj) => (inj.response?.kind === 'choice' ? inj.response.options.map((o) => (typeof o === 'string' ? { id: o, label: o } : o)) : []);
const labels = (inj, ids) => ids.map((id) => options(inj).find((o) => o.id === id)?.label ?? id).join(', ');

function setStatus(card, s, msg) {
  card.status.dataset.state = s;
  text(card.status, msg);
}

/** After a change: the card (none: every card that needs this module, and the scribe's
 *  part). A new countdown shows from the clock's next tick (within a second). */
export function refresh(card) {
  for (const c of card ? [card] : ctx.state.cards.values()) {
    if (!c.el.isConnected || !(c.lv || ctx.needsLive(c.inj))) continue;
    if (!c.lv) build(c);
    mode(c);
    answers(c);
  }
  for (const c of card ? [card] : ctx.state.cards.values()) earlier(c);
  if (!card) handOn();
}

// ---- earlier answers: a welcome carries the latest 20 per inject (`older_responses`
// says how many it left out); the rest come a page at a time on request.

const olderOf = (c) => ctx.state.older?.find((o) => o.inject_id === c.inj.inject_id);

/** "Show N earlier answers" above a card's answers while the server has more. */
function earlier(c) {
  const o = olderOf(c);
  if (!o) return c.more?.remove();
  c.more ??= h('button', { type: 'button', className: 'secondary older', onclick: () => {
    const now = olderOf(c);
    if (now && ctx.send({ type: 'older_responses', inject_id: now.inject_id, before_seq: now.before_seq, limit: 50 })) c.more.disabled = true;
  } });
  c.more.disabled = false;
  text(c.more, tf('lv_earlier', { n: o.count }));
  c.answersPart.hidden = false;
  if (!c.more.isConnected) c.answers.before(c.more);
}

/** A page of earlier answers (oldest first): each added once, in log order. */
export function older(m) {
  const c = ctx.state.cards.get(m.inject_id);
  const o = c && olderOf(c);
  if (!o) return;
  const fresh = m.responses.filter((r) => !c.seen.has(r.seq));
  for (const r of fresh) c.seen.add(r.seq);
  c.rs = [...fresh, ...c.rs].sort((a, b) => a.seq - b.seq);
  ctx.state.older = ctx.state.older.filter((x) => x !== o);
  if (m.more && m.responses.length) ctx.state.older.push({ ...o, count: Math.max(0, o.count - m.responses.length), before_seq: m.responses[0].seq });
  ctx.keepPlace(() => {
    if (c.lv) return answers(c);
    for (const r of fresh) {
      const later = [...c.answers.children].find((li) => Number(li.dataset.seq) > r.seq);
      c.answers.insertBefore(h('li', { className: 'answer', 'data-seq': r.seq },
        h('span', { className: 'answer-author' }, r.participant_name), h('span', { className: 'answer-text' }, r.text)), later ?? null);
    }
  });
  earlier(c);
}

/** Adds the choices, the countdown and the scribe's note to a card's answer form (once),
 *  with its draft's choice, else the one this phone sent last. */
function build(c) {
  const inj = c.inj;
  const lv = (c.lv = { label: c.form.querySelector(':scope > label'), note: h('p', { className: 'role-note', hidden: true }), folded: new Set() });
  if (inj.due_play_ms != null) lv.countdown = h('p', { className: 'countdown', role: 'timer' });
  const opts = options(inj);
  if (opts.length) {
    const many = !!inj.response.multiple;
    lv.choices = h('fieldset', { className: 'choices' }, h('legend', {}, t(many ? 'lv_choose_some' : 'lv_choose_one')),
      opts.map((o) => h('label', { className: 'choice' },
        h('input', { type: many ? 'checkbox' : 'radio', name: `choice-${inj.inject_id}`, value: o.id }), h('span', {}, o.label))));
    lv.line = c.el.querySelector('.poll-options');
    text(lv.line, tf('lv_options', { list: opts.map((o) => o.label).join(' / ') }));
    c.choice = () => (writes() ? [...lv.choices.querySelectorAll(':checked')].map((i) => i.value) : []);
    const d = ctx.loadDraft(inj.inject_id);
    const last = c.rs.findLast((r) => r.participant_id === me() && !r.contribution);
    const chosen = d ? d.options ?? [] : last?.options ?? [];
    for (const i of lv.choices.querySelectorAll('input')) {
      i.checked = chosen.includes(i.value);
      i.disabled = c.input.disabled;
    }
    if (!d && last?.options?.length) setStatus(c, 'sent', tf('lv_sent', { choice: labels(inj, last.options) }));
  }
  c.sent = (d) => (d.options?.length ? tf('lv_sent', { choice: labels(inj, d.options) }) : t('sent'));
  c.why = why;
  ctx.keepPlace(() => lv.label.before(...[lv.countdown, lv.note, lv.choices].filter(Boolean)));
}

/** The card as the participant's role has it: the scribe (or anyone in individual mode)
 *  chooses and answers; another member of a group with a scribe sees the options
 *  read-only and writes a contribution (up to 1,000 characters). Drafts stay. */
function mode(c) {
  const lv = c.lv;
  const w = writes();
  text(lv.label, w ? t(lv.choices ? 'lv_why' : 'answer_label') : tf('lv_scribe_other', { name: scribe().name }));
  text(lv.note, groupMode() && w && scribe() ? t('lv_scribe_you') : '');
  lv.note.hidden = !lv.note.textContent;
  if (lv.choices) {
    lv.choices.hidden = !w;
    lv.line.hidden = w;
  }
  c.input.maxLength = w ? 8000 : 1000;
}

/** The card's answers: in group mode the group's answer (the latest that is not a
 *  contribution) first, then the contributions, each marked, with "Add to my answer"
 *  for the scribe; choices by their labels; late ones marked. */
function answers(c) {
  if (!c.rs.length) return;
  const group = groupMode();
  const list = group ? [c.rs.findLast((r) => !r.contribution), ...c.rs.filter((r) => r.contribution)].filter(Boolean) : c.rs;
  const folds = group && writes();
  ctx.keepPlace(() => {
    c.answersPart.hidden = false;
    c.answers.replaceChildren(...list.map((r) => h('li', { className: 'answer', 'data-seq': r.seq, 'data-kind': group ? (r.contribution ? 'contribution' : 'group') : null },
      h('span', { className: 'answer-author' }, r.participant_name),
      group && h('span', { className: 'pill mark' }, t(r.contribution ? 'lv_contribution' : 'lv_group_answer')),
      r.late && h('span', { className: 'pill late' }, t('lv_late')),
      r.options?.length > 0 && h('strong', { className: 'answer-choice' }, labels(c.inj, r.options)),
      r.text && h('span', { className: 'answer-text' }, r.text),
      folds && r.contribution && h('button', { type: 'button', className: 'secondary fold', 'aria-disabled': c.lv.folded.has(r.seq) && 'true', onclick: (ev) => fold(c, r, ev.currentTarget) },
        t(c.lv.folded.has(r.seq) ? 'lv_folded' : 'lv_fold')))));
  });
}

/** "Add to my answer": the contribution's text goes at the end of the scribe's answer
 *  box (kept as a draft, like typing). An empty box starts from the group's answer as it
 *  stands: the scribe's next answer replaces it, so it builds on it. */
function fold(c, r, button) {
  if (c.input.disabled || c.lv.folded.has(r.seq)) return;
  const was = c.input.value.trimEnd() || (c.rs.findLast((x) => !x.contribution)?.text ?? '');
  c.input.value = was ? `${was}\n${r.text}` : r.text;
  c.input.dispatchEvent(new Event('input', { bubbles: true }));
  c.lv.folded.add(r.seq);
  // Not disabled: the focus stays on it (a keyboard user goes on from there).
  button.setAttribute('aria-disabled', 'true');
  text(button, t('lv_folded'));
}

// ---- the scribe hands the role on -----------------------------------------------

let bar = null;
let handing = null; // the client_msg_id of an assign_scribe on its way

/** For the scribe of a group with other members: "Hand the scribe role on", a select of
 *  the members and "Make scribe" (assign_scribe); the group_members push that follows
 *  switches every phone of the group. */
function handOn() {
  const members = (ctx.state.briefing?.members ?? []).filter((m) => m.participant_id !== me());
  if (!bar) {
    const select = h('select', { id: 'scribe-to' });
    const status = h('p', { className: 'answer-status', 'aria-live': 'polite' });
    const form = h('form', { className: 'row' }, h('label', { for: select.id }, t('lv_member')), select,
      h('button', { type: 'submit' }, t('lv_make_scribe')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!select.value) return;
      handing = randomId();
      const sent = ctx.send({ type: 'assign_scribe', group_id: ctx.state.welcome.group.id, participant_id: select.value, client_msg_id: handing });
      setStatus(bar, sent ? 'sending' : 'error', sent ? '…' : pageT('conn_offline'));
    });
    bar = { el: h('details', { className: 'card scribe-bar', id: 'scribe-bar' }, h('summary', {}, t('lv_hand_on')), form, status), select, status };
    $('#waiting').before(bar.el);
  }
  bar.el.hidden = !groupMode() || !scribe() || !writes() || !members.length;
  if (bar.el.hidden) setStatus(bar, '', '');
  // Rebuilt only when the members change (an open select stays open).
  const key = JSON.stringify(members.map((m) => [m.participant_id, m.name]));
  if (key === bar.key) return;
  bar.key = key;
  const chosen = bar.select.value;
  bar.select.replaceChildren(...members.map((m) => h('option', { value: m.participant_id }, m.name)));
  if (members.some((m) => m.participant_id === chosen)) bar.select.value = chosen;
}

/** A refused message: ours when it was the hand-on. */
export function refused(e) {
  if (bar && e.client_msg_id === handing) setStatus(bar, 'error', why(e));
}

// ---- the countdowns --------------------------------------------------------------

/** "m:ss" (h:mm:ss past an hour), rounded up: 0:01 is the last second. */
function left(ms) {
  const s = Math.ceil(ms / 1000);
  const two = (n) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/** Every countdown, at each tick of the page's play clock (ui.js playClock, which
 *  participant.js hands over): it stands still while paused, follows the speed and goes
 *  on when resumed. */
export function tick(clk, ms) {
  for (const c of ctx.state.cards.values()) {
    const el = c.lv?.countdown;
    if (!el) continue;
    const due = c.inj.due_play_ms - ms;
    el.hidden = clk.state === 'lobby' || clk.state === 'ended';
    el.dataset.state = due > 0 ? 'open' : 'late';
    text(el, due > 0 ? tf('lv_left', { time: left(due) }) : t('lv_time_up'));
  }
}
