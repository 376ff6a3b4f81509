// adoption.js: the participant's part of the adoption board (the 12:00 session). Once the
// facilitator opens the board the phone lists the accepted improvement items by domain,
// each with a checkbox; the participant ticks up to `max_votes` and sends them as their
// priorities (vote_priorities, which replaces their earlier choice). No vote counts here:
// the server sends none to phones.
//
// The choice is kept on the phone (localStorage) until the server acks it and a send in
// flight is sent again after a reconnect, with the same client_msg_id, like the answer
// drafts; `mine` in the welcome is what the server has. Once voting closes it is
// read-only. participant.js imports this module when the board first opens (so the
// participant page's first load stays within its budget: this file brings its own strings
// and stylesheet), calls `renderAdoption` with the welcome's `adoption` and every
// `adoption` push, and hands acks and errors over (`adoptionAcked`, `adoptionRefused`).

import { $, h, lang, errorText, randomId } from '/assets/ui.js';

const STRINGS = {
  en: {
    ad_title: 'Priorities for adoption',
    ad_intro: 'Which items should be adopted first? Choose up to {max}, then send.',
    ad_responsible: 'Responsible:',
    ad_count: 'Chosen: {n} of {max}',
    ad_full: 'You have chosen {max}, the most allowed. Untick one to choose another.',
    ad_send: 'Send my priorities',
    ad_sending: 'Sending… (kept on this phone until it arrives)',
    ad_sent: 'Sent ✓',
    ad_unsent: 'Not sent yet',
    ad_none: 'You chose no priority.',
    ad_closed: 'Voting is closed. Your choice is ticked below.',
    ad_lost: 'Your last choice did not reach the server before voting closed.',
    ad_no_items: 'No item on the board yet.',
    err_adoption_unavailable: 'Voting is not open.',
    err_too_many_votes: 'You chose too many: untick one.',
    err_unknown_item: 'An item is no longer on the board: check your choice and send again.',
  },
  fr: {
    ad_title: "Priorités pour l'adoption",
    ad_intro: "Quels éléments adopter en premier ? Choisissez-en jusqu'à {max}, puis envoyez.",
    ad_responsible: 'Responsable :',
    ad_count: 'Choisis : {n} sur {max}',
    ad_full: 'Vous en avez choisi {max}, le maximum. Décochez-en un pour en choisir un autre.',
    ad_send: 'Envoyer mes priorités',
    ad_sending: "Envoi… (gardé sur ce téléphone jusqu'à réception)",
    ad_sent: 'Envoyé ✓',
    ad_unsent: 'Pas encore envoyé',
    ad_none: "Vous n'avez choisi aucune priorité.",
    ad_closed: 'Le vote est clos. Votre choix est coché ci-dessous.',
    ad_lost: "Votre dernier choix n'est pas parvenu au serveur avant la clôture du vote.",
    ad_no_items: 'Aucun élément pour le moment.',
    err_adoption_unavailable: "Le vote n'est pas ouvert.",
    err_too_many_votes: 'Vous en avez choisi trop : décochez-en un.',
    err_unknown_item: "Un élément n'est plus au tableau : vérifiez votre choix et renvoyez-le.",
  },
};
const t = (key) => STRINGS[lang]?.[key] ?? STRINGS.en[key];
const tf = (key, vars) => t(key).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
/** A refusal in words: ours for the board's codes, else the page's. */
const why = (e) => STRINGS[lang]?.[`err_${e.code}`] ?? errorText(e.code, e.message);

// The board's styles come with it (the module resolves once they are in: no unstyled flash).
await new Promise((done) => {
  const link = h('link', { rel: 'stylesheet', href: '/assets/adoption.css', onload: done, onerror: done });
  document.head.append(link);
});

const store = {
  get: (k) => { try { return JSON.parse(localStorage.getItem(k)); } catch { return null; } },
  set: (k, v) => localStorage.setItem(k, JSON.stringify(v)),
  del: (k) => localStorage.removeItem(k),
};

const ad = {
  board: null, // the last `adoption` (items without counts)
  mine: [], // the item ids the server has as my priorities
  send: () => false, // sends a message; false when offline
  key: null, // localStorage key of this participant's choice
  status: null, // {state, msg} after a refusal
  box: null, // the section
};

/** The choice on this phone: `{ids, id}` (`id`: the client_msg_id of a send in flight). */
const loadChoice = () => (ad.key ? store.get(ad.key) : null);
const saveChoice = (c) => ad.key && store.set(ad.key, c);
const dropChoice = () => ad.key && store.del(ad.key);
const same = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

/** The board: `board` is the welcome's `adoption` (with `mine`; `welcome: true`) or a
 *  push. `ctx`: `{send(msg) → bool, participantId}`, given with the welcome. */
export function renderAdoption(board, { welcome = false, send, participantId } = {}) {
  if (send) ad.send = send;
  if (participantId) ad.key = `tt.adopt.${participantId}`;
  if (welcome) {
    ad.board = board ?? null;
    ad.mine = board?.mine ?? [];
    ad.status = null;
    resend();
  } else if (board) {
    ad.board = board;
  }
  render();
}

/** An ack: true when it was for the priorities sent from here. */
export function adoptionAcked(clientMsgId) {
  const c = loadChoice();
  if (!clientMsgId || c?.id !== clientMsgId) return false;
  ad.mine = c.ids;
  ad.status = null;
  dropChoice();
  render();
  return true;
}

/** A refusal: true when it was for the priorities sent from here (the choice stays). */
export function adoptionRefused(e) {
  const c = loadChoice();
  if (!e.client_msg_id || c?.id !== e.client_msg_id) return false;
  saveChoice({ ids: c.ids, id: null });
  ad.status = { state: 'error', msg: why(e) };
  render();
  return true;
}

/** After a (re)connect: a send in flight goes again with the same id, unless the server
 *  has it already (the ack was lost). */
function resend() {
  const c = loadChoice();
  if (!c?.id) return;
  if (same(c.ids, ad.mine)) return adoptionAcked(c.id);
  if (ad.board?.state === 'open') ad.send({ type: 'vote_priorities', item_ids: c.ids, client_msg_id: c.id });
  else saveChoice({ ids: c.ids, id: null });
}

/** What the boxes show: the choice on this phone, else the server's. Items no longer on
 *  the board are left out. */
function chosen() {
  const ids = new Set((ad.board?.items ?? []).map((i) => i.item_id));
  const c = loadChoice();
  const open = ad.board?.state === 'open';
  return ((open && c ? c.ids : ad.mine) ?? []).filter((id) => ids.has(id));
}

function submit() {
  const ids = chosen();
  const c = { ids, id: loadChoice()?.id || randomId() };
  saveChoice(c);
  ad.status = null;
  ad.send({ type: 'vote_priorities', item_ids: ids, client_msg_id: c.id });
  render();
}

function toggle(itemId, on) {
  const ids = chosen().filter((id) => id !== itemId);
  if (on && ids.length < (ad.board?.max_votes ?? 3)) ids.push(itemId);
  saveChoice({ ids, id: null });
  ad.status = null;
  render();
}

/** The section's place: last on the page, or first while voting is open once play has
 *  ended (then it is what the room is doing). */
function place(box) {
  const page = $('#participant');
  if (!page) return;
  const first = ad.board?.state === 'open' && $('#clock')?.dataset.state === 'ended';
  if (first && page.firstElementChild !== box) page.prepend(box);
  else if (!first && page.lastElementChild !== box) page.append(box);
}

function section() {
  if (!ad.box) {
    ad.box = h('section', { id: 'adoption', className: 'card adoption', 'aria-labelledby': 'ad-title' });
    // Play ending moves the board to the top: follow the clock badge.
    const badge = $('#clock');
    if (badge) new MutationObserver(() => ad.box.isConnected && place(ad.box)).observe(badge, { attributes: true, attributeFilter: ['data-state'] });
  }
  return ad.box;
}

function render() {
  const b = ad.board;
  if (!b || b.state === 'not_opened') {
    if (ad.box) ad.box.remove();
    return;
  }
  const box = section();
  place(box);
  const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.id : null;
  const open = b.state === 'open';
  const max = b.max_votes ?? 3;
  const ids = chosen();
  const full = ids.length >= max;
  const c = loadChoice();
  const pending = open && !!c?.id;
  const dirty = open && !!c && !c.id && !same(c.ids, ad.mine);

  const domains = new Map();
  for (const item of b.items ?? []) {
    if (!domains.has(item.group_id)) domains.set(item.group_id, { name: item.group_name, items: [] });
    domains.get(item.group_id).items.push(item);
  }
  let n = 0;
  const list = [...domains.entries()].map(([gid, d]) => h('fieldset', { className: 'ad-domain', 'data-group-id': gid },
    h('legend', {}, d.name),
    d.items.map((item) => {
      const id = `ad-item-${n++}`;
      const checked = ids.includes(item.item_id);
      return h('label', { className: 'ad-choice', for: id, 'data-item-id': item.item_id },
        h('input', {
          type: 'checkbox', id, value: item.item_id, checked,
          disabled: !open || pending || (!checked && full),
          onchange: (ev) => toggle(item.item_id, ev.target.checked),
        }),
        h('span', { className: 'ad-text' },
          h('strong', { className: 'ad-issue' }, item.issue),
          h('span', { className: 'ad-action' }, item.corrective_action),
          item.responsible_org ? h('span', { className: 'ad-org' }, t('ad_responsible'), ' ', item.responsible_org) : null));
    })));

  let status;
  if (ad.status) status = ad.status;
  else if (pending) status = { state: 'sending', msg: t('ad_sending') };
  else if (dirty || (open && !ad.mine.length)) status = { state: 'draft', msg: t('ad_unsent') };
  else if (ad.mine.length) status = { state: 'sent', msg: t('ad_sent') };
  else status = { state: '', msg: t('ad_none') };

  const parts = [
    h('h2', { id: 'ad-title' }, t('ad_title')),
    open ? h('p', { className: 'ad-intro' }, tf('ad_intro', { max })) : h('p', { className: 'ad-closed', role: 'status' }, t('ad_closed')),
    (b.items ?? []).length ? null : h('p', { className: 'muted' }, t('ad_no_items')),
    list,
    open ? h('p', { id: 'ad-count', className: 'ad-count' }, tf('ad_count', { n: ids.length, max })) : null,
    open && full ? h('p', { id: 'ad-full', className: 'ad-full' }, tf('ad_full', { max })) : null,
    open ? h('button', { id: 'ad-send', type: 'button', disabled: pending || (!dirty && !ad.status) || (!ids.length && !ad.mine.length), onclick: submit }, t('ad_send')) : null,
    h('p', { id: 'ad-status', className: 'answer-status', 'data-state': status.state, 'aria-live': 'polite' }, status.msg),
    !open && c && !same(c.ids, ad.mine) ? h('p', { className: 'error' }, t('ad_lost')) : null,
  ];
  box.replaceChildren(...parts.flat().filter(Boolean));
  if (focused) box.querySelector(`#${focused}`)?.focus({ preventScroll: true });
}

