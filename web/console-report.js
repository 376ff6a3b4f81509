// console-report.js: the console's panels for the report and the 12:00 session, kept out
// of facilitator.js: the profile self-assessment's charts and table, the report's
// executive summary and handling marking, what the shared screen shows (and a preview of
// its results), the adoption board with its votes, and the improvement plan's own
// downloads. facilitator.js owns the socket: it calls setup() once, then welcome() and
// push() with the messages, and renderProfile() with the self-assessment results. Tables
// are keyed (console-dom.js): a push replaces only the rows whose figures changed.

import { $, h, text, showState } from '/assets/ui.js';
import { keyed } from '/assets/console-dom.js';
import { w, num, count, locale } from '/assets/console-words.js';
import { download, packButton } from '/assets/console-download.js';
import * as panels from '/assets/console-panels.js';

let ctx = null; // {sendTracked(msg, ok, fail), observer(), exerciseId(), injectTitle(id), bearer()}
const state = { report: null, reportFor: null, adoption: null, showing: null, publicResults: null };

/** Wires the panels' controls; `c` gives what they need from the console. */
export function setup(c) {
  ctx = c;
  $('#report-form').addEventListener('submit', saveReport);
  for (const el of [$('#report-summary'), $('#report-marking')]) {
    el.addEventListener('input', () => {
      reportDirty = true;
      text($('#report-status'), w('not_saved_yet'));
    });
  }
  for (const b of document.querySelectorAll('button.show-view')) b.addEventListener('click', () => showOnProjector(b));
  $('#adoption-open').addEventListener('click', () => adoptionCommand('open_adoption'));
  $('#adoption-close').addEventListener('click', () => adoptionCommand('close_adoption'));
  for (const b of document.querySelectorAll('button.plan-export')) b.addEventListener('click', () => downloadPlan(b));
  packButton(ctx);
}

/** The welcome: every panel starts again from it (the lists are whole). */
export function welcome(wel) {
  if (state.reportFor !== wel.exercise_id) {
    state.reportFor = wel.exercise_id;
    reportDirty = false;
    text($('#report-status'), '');
  }
  for (const el of [$('#report-summary'), $('#report-marking')]) el.readOnly = ctx.observer();
  state.report = wel.report ?? null;
  state.adoption = wel.adoption ?? null;
  state.showing = wel.showing ?? null;
  state.publicResults = wel.public_results ?? null;
  renderReport();
  renderShowing();
  renderPreview();
  renderAdoption();
}

/** A push; true when it was one of these panels'. */
export function push(m) {
  switch (m.type) {
    case 'report_draft': state.report = m; renderReport(); return true;
    case 'showing': state.showing = m; renderShowing(); return true;
    case 'public_results': state.publicResults = m; renderPreview(); return true;
    case 'adoption': state.adoption = m; renderAdoption(); return true;
    default: return false;
  }
}

const svgSrc = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** Sets an image to an SVG document (only when it changed: no flicker on every push). */
function showSvg(img, svg) {
  img.hidden = !svg;
  if (svg && img.dataset.svg !== String(svg.length) + svg.slice(-64)) {
    img.dataset.svg = String(svg.length) + svg.slice(-64);
    img.src = svgSrc(svg);
  }
}

// ---- the profile self-assessment: radar, heatmap, and every cell with its n ----------

/** Figures as the table shows them: up to two decimals, no trailing zeros in the spread. */
const fig = (x) => Number(x.toFixed(2)).toLocaleString(locale, { maximumFractionDigits: 2 });

function cell(c, domain) {
  const small = c.n > 0 && c.n < 3;
  const td = h('td', { className: `profile-cell${small ? ' small' : ''}`, 'data-domain-id': domain.id, 'data-n': c.n });
  if (c.mean === null || c.mean === undefined || !c.n) {
    td.title = w('nobody_rated_domain');
    td.append('—');
    return td;
  }
  td.title = w('cell_title', { domain: domain.name, mean: fig(c.mean), n: c.n, min: fig(c.min), max: fig(c.max) });
  td.append(h('span', { className: 'cell-mean' }, num(c.mean, 2)), ' ',
    h('span', { className: 'cell-detail' }, `(n ${c.n}, ${fig(c.min)}–${fig(c.max)})`));
  if (small) td.append(' ', h('span', { className: 'small-mark' }, w('small_mark')));
  return td;
}

function profileRow(kind, row, domains) {
  const small = row.raters > 0 && row.raters < 3;
  return h('tr', { className: `profile-row${small ? ' small' : ''}`, 'data-kind': kind, 'data-id': row.id ?? '' },
    h('th', { scope: 'row' }, h('span', { className: 'row-label' }, row.label),
      h('span', { className: 'row-raters muted' }, ` · ${w('raters_n', { n: row.raters })}`)),
    row.cells.map((c, i) => cell(c, domains[i])));
}

/** Shows a profile's results (the `self_assessment_results` push) in #sa-profile; hides
 *  it in group mode. */
export function renderProfile(sa) {
  const p = sa?.profile;
  $('#sa-profile').hidden = !p;
  if (!p) return;
  showSvg($('#sa-radar'), sa.charts?.radar);
  $('#sa-heatmap-box').hidden = !sa.charts?.heatmap;
  showSvg($('#sa-heatmap'), sa.charts?.heatmap);
  const table = $('#profile-table');
  const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, w('who')), p.domains.map((d) => h('th', { scope: 'col', 'data-domain-id': d.id }, d.name))));
  if (!table.tHead) table.append(head);
  else if (!table.tHead.isEqualNode(head)) table.tHead.replaceWith(head);
  const sections = [
    { kind: 'room', rows: [p.overall] },
    { kind: 'sector', title: w('sectors'), rows: p.sectors },
    { kind: 'organisation', title: w('organisations'), rows: p.organisations },
  ].filter((sec) => sec.kind === 'room' || sec.rows.length);
  keyed(table, sections, (sec) => sec.kind, (sec) => h('tbody', { 'data-kind': sec.kind }), () => {});
  for (const body of table.tBodies) {
    const sec = sections.find((x) => x.kind === body.dataset.kind);
    const rows = sec.title ? [{ section: sec }, ...sec.rows.map((row) => ({ row }))] : sec.rows.map((row) => ({ row }));
    keyed(body, rows, (x) => (x.section ? ' section' : x.row.id ?? ''), (x) => (x.section
      ? h('tr', { className: 'profile-section' }, h('th', { scope: 'rowgroup', colSpan: p.domains.length + 1 }, `${x.section.title} (${x.section.rows.length})`))
      : profileRow(sec.kind, x.row, p.domains)));
  }
}

// ---- the report: executive summary and handling marking ---------------------------

let reportDirty = false;

function renderReport() {
  const r = state.report;
  $('#report-panel').hidden = !r;
  if (!r) return;
  $('#report-marking').placeholder = r.default_marking || w('marking_placeholder');
  text($('#report-marking-hint'), r.default_marking ? w('marking_default', { marking: r.default_marking }) : w('marking_none'));
  if (!reportDirty) {
    $('#report-summary').value = r.executive_summary ?? '';
    $('#report-marking').value = r.marking ?? '';
  }
}

function saveReport(ev) {
  ev.preventDefault();
  const status = $('#report-status');
  const save = $('#report-save');
  const sent = { executive_summary: $('#report-summary').value, marking: $('#report-marking').value.trim() };
  save.disabled = true;
  text(status, w('saving'));
  ctx.sendTracked({ type: 'edit_report', ...sent }, () => {
    save.disabled = false;
    // Typed on since it was sent: still not saved.
    if ($('#report-summary').value === sent.executive_summary && $('#report-marking').value.trim() === sent.marking) {
      reportDirty = false;
      renderReport();
      text(status, w('saved'));
    }
  }, (err) => {
    save.disabled = false;
    text(status, err);
  });
}

// ---- the shared screen ------------------------------------------------------------

function renderShowing() {
  const view = state.showing?.view ?? 'play';
  for (const b of document.querySelectorAll('button.show-view')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
  const shown = view === 'poll' ? w('screen_view_poll', { title: ctx.injectTitle(state.showing.inject_id) })
    : ['play', 'briefing', 'results', 'adoption'].includes(view) ? w(`screen_view_${view}`) : view;
  text($('#showing-now'), w('screen_shows', { view: shown }));
}

function showOnProjector(button) {
  const status = $('#show-status');
  text(status, w('switching'));
  ctx.sendTracked({ type: 'show_on_projector', view: button.dataset.view }, () => text(status, ''), (err) => text(status, err));
}

/** What the projector shows for results: aggregates only, no cell under 3 raters. */
function renderPreview() {
  const pr = state.publicResults;
  $('#screen-preview').hidden = !pr;
  $('#show-results').hidden = ctx.observer() || !pr;
  if (!pr) return;
  showSvg($('#public-radar'), pr.charts?.radar);
  const raters = pr.raters ?? 0;
  text($('#public-raters'), raters < 3 ? w('preview_few', { n: raters })
    : w(pr.profile ? 'preview_room_sectors' : 'preview_room_groups', { n: count(raters) }));
  const groups = pr.profile ? [] : (pr.groups ?? []);
  $('#public-groups').hidden = !groups.length;
  $('#public-groups').replaceChildren(...groups.map((g) => h('li', { 'data-group-id': g.group_id },
    h('strong', {}, g.group_name), w('colon'), g.mean === null ? w('fewer_than_3') : w('mean_is', { mean: num(g.mean, 2) }))));
}

// ---- the adoption board -----------------------------------------------------------

function adoptionCommand(type) {
  const status = $('#adoption-status');
  text(status, '');
  ctx.sendTracked({ type }, () => {}, (err) => text(status, err));
}

function renderAdoption() {
  const a = state.adoption;
  $('#adoption-panel').hidden = !a;
  if (!a) return;
  showState($('#adoption-state'), a.state, ['not_opened', 'open', 'closed'].includes(a.state) ? w(`adoption_${a.state}`) : a.state);
  $('#adoption-open').disabled = a.state === 'open';
  text($('#adoption-open'), a.state === 'closed' ? w('reopen_voting') : w('open_voting'));
  $('#adoption-close').disabled = a.state !== 'open';
  const voters = a.voters ?? 0;
  text($('#adoption-summary'), a.items.length
    ? w('adoption_summary', { items: a.items.length, voters, max: a.max_votes })
    : w('adoption_empty'));
  // Most votes first; equal votes keep the server's order (by domain, then organisation).
  const items = a.items.map((it, i) => ({ it, i })).sort((x, y) => (y.it.votes ?? 0) - (x.it.votes ?? 0) || x.i - y.i).map((x) => x.it);
  const top = Math.max(1, ...items.map((it) => it.votes ?? 0));
  const table = $('#adoption-items');
  table.hidden = !items.length;
  if (!table.tHead) {
    table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, w('votes')), h('th', { scope: 'col' }, w('domain')),
      h('th', { scope: 'col' }, w('responsible_org')), h('th', { scope: 'col' }, w('issue_and_action')))), h('tbody'));
  }
  keyed(table.tBodies[0], items, (it) => it.item_id, (it) => h('tr', { className: 'adoption-item', 'data-item-id': it.item_id, 'data-votes': it.votes ?? 0 },
    h('td', { className: 'votes' }, h('strong', { className: 'vote-count' }, String(it.votes ?? 0)),
      h('meter', { min: 0, max: top, value: it.votes ?? 0, 'aria-label': w('votes_n', { n: it.votes ?? 0 }) })),
    h('td', { className: 'adoption-domain' }, it.group_name),
    h('td', { className: 'adoption-org' }, it.responsible_org || '—'),
    h('td', {}, h('p', { className: 'item-issue' }, it.issue), h('p', { className: 'item-action muted' }, it.corrective_action))));
  panels.count('adoption-panel', voters, { attention: a.state === 'open' });
}

// ---- the improvement plan on its own (CSV, JSON) ----------------------------------

/** Fetches the plan with the console's key in the Authorization header (never in a URL)
 *  and saves it through a Blob. */
function downloadPlan(button) {
  const format = button.dataset.format;
  return download({
    url: `/api/exercises/${encodeURIComponent(ctx.exerciseId())}/export?format=${format}`,
    bearer: ctx.bearer(),
    fallback: `improvement-plan.${format.slice(5)}`,
    button,
    status: $('#plan-export-status'),
    label: button.textContent,
  });
}
