// console-report.js: the console's panels for the report and the 12:00 session, kept out
// of facilitator.js: the profile self-assessment's charts and table, the report's
// executive summary and handling marking, what the shared screen shows (and a preview of
// its results), the adoption board with its votes, and the improvement plan's own
// downloads. facilitator.js owns the socket: it calls setup() once, then welcome() and
// push() with the messages, and renderProfile() with the self-assessment results. Tables
// are keyed (console-dom.js): a push replaces only the rows whose figures changed.

import { $, h, text, showState } from '/assets/ui.js';
import { keyed } from '/assets/console-dom.js';
import * as panels from '/assets/console-panels.js';

let ctx = null; // {sendTracked(msg, ok, fail), observer(), exerciseId(), bearer()}
const state = { report: null, reportFor: null, adoption: null, showing: null, publicResults: null };

/** Wires the panels' controls; `c` gives what they need from the console. */
export function setup(c) {
  ctx = c;
  $('#report-form').addEventListener('submit', saveReport);
  for (const el of [$('#report-summary'), $('#report-marking')]) {
    el.addEventListener('input', () => {
      reportDirty = true;
      text($('#report-status'), 'Not saved yet');
    });
  }
  for (const b of document.querySelectorAll('button.show-view')) b.addEventListener('click', () => showOnProjector(b));
  $('#adoption-open').addEventListener('click', () => adoptionCommand('open_adoption'));
  $('#adoption-close').addEventListener('click', () => adoptionCommand('close_adoption'));
  for (const b of document.querySelectorAll('button.plan-export')) b.addEventListener('click', () => downloadPlan(b));
}

/** The welcome: every panel starts again from it (the lists are whole). */
export function welcome(w) {
  if (state.reportFor !== w.exercise_id) {
    state.reportFor = w.exercise_id;
    reportDirty = false;
    text($('#report-status'), '');
  }
  for (const el of [$('#report-summary'), $('#report-marking')]) el.readOnly = ctx.observer();
  state.report = w.report ?? null;
  state.adoption = w.adoption ?? null;
  state.showing = w.showing ?? null;
  state.publicResults = w.public_results ?? null;
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
const fig = (x) => String(Number(x.toFixed(2)));

function cell(c, domain) {
  const small = c.n > 0 && c.n < 3;
  const td = h('td', { className: `profile-cell${small ? ' small' : ''}`, 'data-domain-id': domain.id, 'data-n': c.n });
  if (c.mean === null || c.mean === undefined || !c.n) {
    td.title = 'Nobody in this row rated this domain';
    td.append('—');
    return td;
  }
  td.title = `${domain.name}: mean ${fig(c.mean)} of ${c.n} rater${c.n === 1 ? '' : 's'}, lowest ${fig(c.min)}, highest ${fig(c.max)}`;
  td.append(h('span', { className: 'cell-mean' }, c.mean.toFixed(2)), ' ',
    h('span', { className: 'cell-detail' }, `(n ${c.n}, ${fig(c.min)}–${fig(c.max)})`));
  if (small) td.append(' ', h('span', { className: 'small-mark' }, 'n<3: console only'));
  return td;
}

function profileRow(kind, row, domains) {
  const small = row.raters > 0 && row.raters < 3;
  return h('tr', { className: `profile-row${small ? ' small' : ''}`, 'data-kind': kind, 'data-id': row.id ?? '' },
    h('th', { scope: 'row' }, h('span', { className: 'row-label' }, row.label),
      h('span', { className: 'row-raters muted' }, ` · ${row.raters} rater${row.raters === 1 ? '' : 's'}`)),
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
  const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Who'), p.domains.map((d) => h('th', { scope: 'col', 'data-domain-id': d.id }, d.name))));
  if (!table.tHead) table.append(head);
  else if (!table.tHead.isEqualNode(head)) table.tHead.replaceWith(head);
  const sections = [
    { kind: 'room', rows: [p.overall] },
    { kind: 'sector', title: 'Sectors', rows: p.sectors },
    { kind: 'organisation', title: 'Organisations', rows: p.organisations },
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
  $('#report-marking').placeholder = r.default_marking || 'e.g. TLP:AMBER';
  text($('#report-marking-hint'), r.default_marking
    ? `On the cover and every page. Leave it empty for the scenario's ${r.default_marking}.`
    : 'On the cover and every page (e.g. TLP:AMBER). Empty: none.');
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
  text(status, 'Saving…');
  ctx.sendTracked({ type: 'edit_report', ...sent }, () => {
    save.disabled = false;
    // Typed on since it was sent: still not saved.
    if ($('#report-summary').value === sent.executive_summary && $('#report-marking').value.trim() === sent.marking) {
      reportDirty = false;
      renderReport();
      text(status, 'Saved ✓');
    }
  }, (err) => {
    save.disabled = false;
    text(status, err);
  });
}

// ---- the shared screen ------------------------------------------------------------

const VIEWS = { play: 'Play (join code, clock, injects)', results: 'Self-assessment results', adoption: 'Adoption board' };

function renderShowing() {
  const view = state.showing?.view ?? 'play';
  for (const b of document.querySelectorAll('button.show-view')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
  text($('#showing-now'), `The shared screen shows: ${VIEWS[view] ?? view}.`);
}

function showOnProjector(button) {
  const status = $('#show-status');
  text(status, 'Switching…');
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
  text($('#public-raters'), raters < 3
    ? `${raters} rater${raters === 1 ? '' : 's'} so far: under 3, the screen shows no figure yet.`
    : `${raters} raters; the screen shows the room${pr.profile ? ' and the sectors' : ' and the groups'}.`);
  const groups = pr.profile ? [] : (pr.groups ?? []);
  $('#public-groups').hidden = !groups.length;
  $('#public-groups').replaceChildren(...groups.map((g) => h('li', { 'data-group-id': g.group_id },
    h('strong', {}, g.group_name), ': ', g.mean === null ? 'fewer than 3 raters' : `mean ${g.mean.toFixed(2)}`)));
}

// ---- the adoption board -----------------------------------------------------------

const ADOPTION_STATES = { not_opened: 'Not opened yet', open: 'Open: participants are voting', closed: 'Closed' };

function adoptionCommand(type) {
  const status = $('#adoption-status');
  text(status, '');
  ctx.sendTracked({ type }, () => {}, (err) => text(status, err));
}

function renderAdoption() {
  const a = state.adoption;
  $('#adoption-panel').hidden = !a;
  if (!a) return;
  showState($('#adoption-state'), a.state, ADOPTION_STATES[a.state] ?? a.state);
  $('#adoption-open').disabled = a.state === 'open';
  text($('#adoption-open'), a.state === 'closed' ? 'Reopen voting' : 'Open voting');
  $('#adoption-close').disabled = a.state !== 'open';
  const voters = a.voters ?? 0;
  text($('#adoption-summary'), a.items.length
    ? `${a.items.length} accepted item${a.items.length === 1 ? '' : 's'} · ${voters} participant${voters === 1 ? ' has' : 's have'} voted · up to ${a.max_votes} votes each`
    : 'No accepted item yet: accept improvement-plan items first; they appear here by domain and responsible organisation.');
  // Most votes first; equal votes keep the server's order (by domain, then organisation).
  const items = a.items.map((it, i) => ({ it, i })).sort((x, y) => (y.it.votes ?? 0) - (x.it.votes ?? 0) || x.i - y.i).map((x) => x.it);
  const top = Math.max(1, ...items.map((it) => it.votes ?? 0));
  const table = $('#adoption-items');
  table.hidden = !items.length;
  if (!table.tHead) {
    table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Votes'), h('th', { scope: 'col' }, 'Domain'),
      h('th', { scope: 'col' }, 'Responsible organisation'), h('th', { scope: 'col' }, 'Issue and corrective action'))), h('tbody'));
  }
  keyed(table.tBodies[0], items, (it) => it.item_id, (it) => h('tr', { className: 'adoption-item', 'data-item-id': it.item_id, 'data-votes': it.votes ?? 0 },
    h('td', { className: 'votes' }, h('strong', { className: 'vote-count' }, String(it.votes ?? 0)),
      h('meter', { min: 0, max: top, value: it.votes ?? 0, 'aria-label': `${it.votes ?? 0} votes` })),
    h('td', { className: 'adoption-domain' }, it.group_name),
    h('td', { className: 'adoption-org' }, it.responsible_org || '—'),
    h('td', {}, h('p', { className: 'item-issue' }, it.issue), h('p', { className: 'item-action muted' }, it.corrective_action))));
  panels.count('adoption-panel', voters, { attention: a.state === 'open' });
}

// ---- the improvement plan on its own (CSV, JSON) ----------------------------------

/** The file name of a Content-Disposition header (RFC 6266: filename* first). */
function fileName(disposition, fallback) {
  const star = /filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)/i.exec(disposition || '');
  if (star) {
    try { return decodeURIComponent(star[1].trim().replace(/^"|"$/g, '')); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition || '');
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name.replace(/[/\\]/g, '_') || fallback;
}

/** Fetches the plan with the console's key in the Authorization header (never in a URL)
 *  and saves it through a Blob. */
async function downloadPlan(button) {
  const format = button.dataset.format;
  const label = button.textContent;
  const status = $('#plan-export-status');
  if (button.getAttribute('aria-busy')) return;
  button.setAttribute('aria-busy', 'true');
  text(status, `Preparing ${label}…`);
  try {
    const res = await fetch(`/api/exercises/${encodeURIComponent(ctx.exerciseId())}/export?format=${format}`,
      { headers: { Authorization: `Bearer ${ctx.bearer()}` }, cache: 'no-store' });
    if (!res.ok) {
      const err = (await res.json().catch(() => null))?.error;
      text(status, `${label} failed: ${err ? `${err.message} (${err.code})` : `the server answered ${res.status}`}`);
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: fileName(res.headers.get('Content-Disposition'), `improvement-plan.${format.slice(5)}`), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    text(status, `${label} downloaded`);
  } catch {
    text(status, `${label} failed: could not reach the server`);
  } finally {
    button.removeAttribute('aria-busy');
  }
}
