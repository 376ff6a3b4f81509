// debrief-export.js: the debrief's report downloads, the server's charts, and the print
// view. Every export URL asks for the page's language (`&lang=en|fr`: the report in
// French follows a French debrief) and the attribution chosen on the page. Without a PDF
// printer on the server, the PDF button shows the HTML report in a print view and opens
// the browser's print dialog. The key goes in the Authorization header, never in a URL.

import { h, showState } from '/assets/ui.js';
import { W, lang } from '/assets/debrief-words.js';

const $ = (id) => document.getElementById(id);

let ctx = { exerciseId: '', bearer: () => null, attribution: () => 'names' };

const base = () => '/api/exercises/' + encodeURIComponent(ctx.exerciseId) + '/export';

/** A report in `format` (md, csv, json, html, pdf, plan-csv, plan-json), as the page
 *  asks for it: its attribution and its language. */
export const exportUrl = (format) => `${base()}?format=${format}&attribution=${encodeURIComponent(ctx.attribution())}&lang=${lang}`;

const auth = () => ({ headers: { Authorization: 'Bearer ' + ctx.bearer() }, cache: 'no-store' });

/** One of the report's charts as SVG text (`responses`, `radar`, `heatmap`), or null
 *  when the exercise has none (404) or the server cannot say. */
export async function fetchChart(name) {
  try {
    const res = await fetch(`${base()}?chart=${name}&lang=${lang}`, auth());
    // Read the body even of a refusal: an unread one keeps the request open.
    const body = await res.text();
    return res.ok ? body : null;
  } catch {
    return null;
  }
}

/** Shows a server-drawn SVG in `img` as a data: URL (never as markup); its alt text is
 *  the chart's title and description, read from an inert parsed copy. */
export function showChart(img, svg, fallbackTitle) {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const title = doc.querySelector('title')?.textContent || fallbackTitle;
  const desc = doc.querySelector('desc')?.textContent || '';
  img.alt = desc ? `${title}: ${desc}` : title;
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  img.hidden = false;
}

/** The JSON report (null when the server has none or refuses). */
export async function fetchReport() {
  try {
    const res = await fetch(exportUrl('json'), auth());
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

// ---- the print view: the HTML report, for the browser's Save as PDF ----

/** Shows the HTML report in the print view and opens the browser's print dialog. This
 *  page's CSP allows no inline style, so the report's own stylesheet (its <style>
 *  elements, which only the server writes: every user text in the report is escaped)
 *  is applied as a constructed stylesheet; the rest is parsed inert and imported. */
async function openPrintView() {
  const res = await fetch(exportUrl('html'), auth());
  if (!res.ok) throw new Error(W.answered(res.status));
  const css = [];
  const html = (await res.text()).replace(/<style>([\s\S]*?)<\/style>/g, (_, rules) => { css.push(rules); return ''; });
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const view = $('print-view');
  view.hidden = false;
  const frame = $('print-frame');
  const doc = frame.contentDocument;
  doc.replaceChild(doc.importNode(parsed.documentElement, true), doc.documentElement);
  const sheet = new frame.contentWindow.CSSStyleSheet();
  sheet.replaceSync(css.join('\n'));
  doc.adoptedStyleSheets = [sheet];
  frame.dataset.ready = ctx.exerciseId;
  printReport();
}

function printReport() {
  const win = $('print-frame').contentWindow;
  try {
    win.focus();
    win.print();
  } catch { /* the hint says how to print */ }
}

// ---- report downloads ----

/** The file name of a Content-Disposition header (RFC 6266: filename* first). */
function fileName(disposition, format) {
  const star = /filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)/i.exec(disposition || '');
  if (star) {
    try { return decodeURIComponent(star[1].trim().replace(/^"|"$/g, '')); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition || '');
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name.replace(/[\/\\]/g, '_') || `report.${format}`;
}

function exportStatus(msg, state) {
  const el = showState($('export-status'), state, msg);
  el.setAttribute('role', state === 'error' ? 'alert' : 'status');
}

async function download(button) {
  const format = button.dataset.format;
  const label = button.textContent;
  if (button.getAttribute('aria-busy')) return;
  button.setAttribute('aria-busy', 'true'); // not disabled: the focus stays on it
  exportStatus(W.preparing(label), 'busy');
  try {
    const res = await fetch(exportUrl(format), auth());
    if (!res.ok) {
      let body = null;
      try { body = await res.json(); } catch { /* not JSON */ }
      const err = body && body.error;
      if (format === 'pdf' && err && err.code === 'pdf_unavailable') {
        // No Chromium on the server: the browser prints the HTML report instead.
        try {
          await openPrintView();
          exportStatus(W.no_printer, 'done');
        } catch (e) {
          exportStatus(W.print_failed(label, e.message), 'error');
        }
        return;
      }
      const why = res.status === 404 && (!err || err.code === 'no_route') ? W.no_export
        : err ? W.export_error(err.code, err.message) : W.answered(res.status);
      exportStatus(W.failed(label, why), 'error');
      return;
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: fileName(res.headers.get('Content-Disposition'), format), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    exportStatus(W.downloaded(label), 'done');
  } catch {
    exportStatus(W.failed(label, W.unreachable_short), 'error');
  } finally {
    button.removeAttribute('aria-busy');
  }
}

/** Wires the download buttons and the print view: `exerciseId`, `bearer()` (the key
 *  that worked) and `attribution()` (`group` or `names`). */
export function setup(context) {
  ctx = context;
  for (const b of document.querySelectorAll('button.export')) b.addEventListener('click', () => download(b));
  $('print-again').addEventListener('click', () => printReport());
  $('print-close').addEventListener('click', () => {
    $('print-view').hidden = true;
    $('exports').querySelector('[data-format="pdf"]').focus();
  });
}
