// The facilitator's announcements on a phone (and the page's own "you were moved"
// notice), imported by participant.js with the first one.
//
// An announcement shows at the top until dismissed (×) or 3 minutes after this phone
// first showed it while visible (long enough to read a "break until 11:00", short enough
// not to take the top for the rest of play); the two newest at most. Dismissals and
// first-shown times are kept by seq in localStorage: a reload restores neither.

import { $, h, t } from '/assets/ui.js';

const ANN_MS = 3 * 60_000;
const ANN_MAX = 2;
let ctx = null; // { state, store } from participant.js
let annTimer = null;
const annKey = () => `tt.ann.${ctx.state.session?.participant_id}`;

/** Called once, by participant.js. */
export function setup(c) {
  ctx = c;
  document.addEventListener('visibilitychange', () => ctx.state.anns.size && render());
}

/** Shows the newest announcements not dismissed or timed out, in place. */
export function render() {
  const { state, store } = ctx;
  const rec = store.get(annKey()) ?? { seen: {}, gone: [] };
  const now = Date.now();
  const newest = [...state.anns.values()].sort((a, b) => b.seq - a.seq).slice(0, ANN_MAX);
  const onScreen = document.visibilityState === 'visible';
  for (const a of newest) if (onScreen && !rec.seen[a.seq]) rec.seen[a.seq] = now;
  // What is older than the newest two can never show again: the record stays small.
  const oldest = newest.length === ANN_MAX ? newest[ANN_MAX - 1].seq : 0;
  rec.seen = Object.fromEntries(Object.entries(rec.seen).filter(([k]) => Number(k) >= oldest));
  rec.gone = rec.gone.filter((k) => k >= oldest);
  if (state.session) store.set(annKey(), rec);
  const shown = newest.filter((a) => !rec.gone.includes(a.seq) && !(now - (rec.seen[a.seq] ?? now) >= ANN_MS));
  const box = $('#announcements');
  // Update in place (no re-render): a focused × keeps its focus.
  for (const el of [...box.children]) if (!shown.some((a) => String(a.seq) === el.dataset.seq)) el.remove();
  shown.forEach((a, i) => {
    if (box.querySelector(`[data-seq="${a.seq}"]`)) return;
    box.insertBefore(h('div', { className: 'announcement', 'data-seq': a.seq },
      h('p', {}, a.local ? null : [h('strong', {}, t('ann_from')), ' '], a.text),
      h('button', { type: 'button', className: 'dismiss', 'aria-label': t('ann_dismiss'), title: t('ann_dismiss'), onclick: () => dismiss(a.seq) }, '×')),
    box.children[i] ?? null);
  });
  clearTimeout(annTimer);
  const next = Math.min(...shown.map((a) => (rec.seen[a.seq] ?? Infinity) + ANN_MS));
  if (Number.isFinite(next)) annTimer = setTimeout(render, Math.max(1000, next - now + 100));
}

function dismiss(seq) {
  const rec = ctx.store.get(annKey()) ?? { seen: {}, gone: [] };
  rec.gone.push(seq);
  ctx.store.set(annKey(), rec);
  render();
  $('#announcements .dismiss')?.focus();
}
