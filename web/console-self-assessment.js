// console-self-assessment.js: the console's self-assessment panel: open and close it,
// its state, and the results per group and statement as participants rate (a profile's
// charts and table are in console-report.js). Rows are keyed (console-dom.js): a push
// replaces only the rows whose figures changed, so the hover and its title stay.

import { $, h, text, showState } from '/assets/ui.js';
import { keyed } from '/assets/console-dom.js';
import { w, num } from '/assets/console-words.js';
import * as panels from '/assets/console-panels.js';
import * as report from '/assets/console-report.js';

let ctx = null; // {state, send(msg, where)}

const mean = (m) => (m === null || m === undefined ? '—' : num(m, 1));

/** Wires Open and Close; `c` gives the console's state (its `sa`) and `send`. */
export function setup(c) {
  ctx = c;
  $('#sa-open').addEventListener('click', () => ctx.send({ type: 'open_self_assessment' }, $('#evaluation-error')));
  $('#sa-close').addEventListener('click', () => ctx.send({ type: 'close_self_assessment' }, $('#evaluation-error')));
}

const SA_STATES = { not_opened: 'sa_not_opened', open: 'sa_open_state', closed: 'sa_closed' };

let statementsFor = null; // the exercise whose per-statement details were last opened or closed

function saRow(g, st) {
  return h('tr', { className: 'sa-row', 'data-group-id': g.group_id, 'data-statement-id': st.statement_id },
    h('td', { className: 'sa-text' }, st.text),
    h('td', { className: 'sa-mean' }, mean(st.mean)),
    h('td', { className: 'sa-spread', title: w('histogram_title', { counts: st.histogram.join(' · ') }) }, st.count ? `${st.min}–${st.max}` : '—'),
    h('td', { className: 'sa-count' }, String(st.count)));
}

function saGroupHead(g) {
  const [before, between, after] = w('sa_group_head', { name: g.group_name, n: g.raters });
  return h('tr', { className: 'sa-group', 'data-group-id': g.group_id },
    h('th', { scope: 'rowgroup', colSpan: 4 }, before, h('span', { className: 'sa-group-mean' }, mean(g.mean)),
      between, h('span', { className: 'sa-raters' }, String(g.raters)), after));
}

/** Shows the state and the results (`state.sa`, the `self_assessment_results` push); hides the panel without one. */
export function render() {
  const { state } = ctx;
  const sa = state.sa;
  $('#self-assessment').hidden = !sa;
  if (!sa) return;
  report.renderProfile(sa);
  // A profile shows its domains first; the statements stay one click away.
  if (statementsFor !== state.exercise) {
    statementsFor = state.exercise;
    $('#sa-statements').open = !sa.profile;
  }
  showState($('#sa-state'), sa.state, SA_STATES[sa.state] ? w(SA_STATES[sa.state]) : sa.state);
  $('#sa-open').disabled = sa.state === 'open';
  text($('#sa-open'), sa.state === 'closed' ? w('sa_reopen') : w('sa_open'));
  $('#sa-close').disabled = sa.state !== 'open';
  const table = $('#sa-results');
  if (!table.tHead) {
    table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, w('statement')), h('th', { scope: 'col' }, w('mean')),
      h('th', { scope: 'col' }, w('spread')), h('th', { scope: 'col' }, w('count_head')))));
  }
  // Keyed rows: a row changes only when its figures do (the hover and its title stay).
  keyed(table, sa.groups, (g) => g.group_id, (g) => h('tbody', { 'data-group-id': g.group_id }), () => {});
  for (const body of table.tBodies) {
    const g = sa.groups.find((x) => x.group_id === body.dataset.groupId);
    keyed(body, [{ g }, ...g.statements.map((st) => ({ g, st }))], (x) => (x.st ? x.st.statement_id : ' group'),
      (x) => (x.st ? saRow(x.g, x.st) : saGroupHead(x.g)));
  }
  panels.count('self-assessment', sa.groups.reduce((n, g) => n + g.raters, 0));
}
