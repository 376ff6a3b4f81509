// phone-fixes.js: proposing fixes (improvement-plan items) from the participant's phone,
// under an inject that asks for them (`collect_improvements`), and the group's plan as it
// stands. participant.js imports this module when such an inject first shows (most of an
// exercise has none), so the page's first load stays within its budget.
//
// A proposal is kept on the phone (tt.imp.<participant>.<inject>) until the server acks
// it; one in flight is sent again after a reconnect, unless the group's items show the
// server has it already (a proposal is not idempotent).

import { h, text, t, errorText, randomId } from '/assets/ui.js';

let state = null;
let store = null;
let send = () => false;
let keepPlace = (change) => change();

/** The page's state (`cards`, `items`, `session`), storage, socket and `keepPlace`. */
export function setup(ctx) {
  ({ state, store, send, keepPlace } = ctx);
}

function setStatus(card, s, msg) {
  card.status.dataset.state = s;
  text(card.status, msg);
}

/** Adds "Propose a fix" and the group's plan under a card's answers (once). */
export function attach(card, injectId) {
  if (card.improve || !card.el.isConnected) return;
  card.improve = improveSection(injectId);
  keepPlace(() => card.el.append(card.improve.el));
  renderItems();
}

/** After a welcome: a proposal in flight goes again (same client_msg_id), unless the
 *  server has it already (the ack was lost). */
export function resend(myName) {
  for (const [injectId, card] of state.cards) {
    const p = card.improve && store.get(impKey(injectId));
    if (!p?.id) continue;
    const same = (v) => v.proposed_by === myName && v.item.issue === p.item.issue && v.item.corrective_action === p.item.corrective_action;
    if ([...state.items.values()].some(same)) acked(p.id);
    else send({ type: 'propose_improvement', item: p.item, client_msg_id: p.id });
  }
}

export function acked(id) {
  for (const [injectId, card] of state.cards) {
    if (card.improve && id && store.get(impKey(injectId))?.id === id) {
      store.del(impKey(injectId));
      card.improve.form.reset();
      card.improve.send.disabled = false;
      setStatus(card.improve, 'sent', t('sent'));
    }
  }
}

/** A refused proposal: kept as a draft, saying why. */
export function refused(e) {
  for (const [injectId, card] of state.cards) {
    const p = card.improve && store.get(impKey(injectId));
    if (p?.id && p.id === e.client_msg_id) {
      store.set(impKey(injectId), { item: p.item, id: null });
      card.improve.send.disabled = false;
      setStatus(card.improve, 'error', errorText(e.code, e.message));
    }
  }
}

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
  const button = h('button', { type: 'submit', className: 'imp-send' }, t('imp_send'));
  const status = h('p', { className: 'answer-status imp-status', 'aria-live': 'polite' });
  const list = h('ul', { className: 'items' });
  const form = h('form', { className: 'improve-form' },
    Object.values(fields).map(([label, el]) => [h('label', { for: el.id }, t(label)), el]), h('div', { className: 'row' }, button), status);
  const section = { el: h('section', { className: 'improve' }, h('h3', {}, t('imp_title')), form, h('h3', {}, t('imp_list')), list), form, send: button, status, list };
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
    button.disabled = true;
    setStatus(section, 'sending', t('sending'));
    send({ type: 'propose_improvement', item: it, client_msg_id: d.id });
  });
  const d = store.get(impKey(injectId));
  if (d) {
    for (const [k, [, el]] of Object.entries(fields)) el.value = d.item[k] ?? el.value;
    setStatus(section, d.id ? 'sending' : 'draft', d.id ? t('sending') : t('draft'));
    button.disabled = !!d.id;
  }
  return section;
}

/** The group's plan under every card that collects fixes. */
export function renderItems() {
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
