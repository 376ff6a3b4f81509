// console-download.js: the console's downloads (the improvement plan, the breakout rooms,
// the printable exercise pack): fetched with the console's key in the Authorization
// header, never in a URL, then saved through a Blob under the server's file name. What
// happens shows in a status element.

import { h, text } from '/assets/ui.js';
import { w, errorText, lang } from '/assets/console-words.js';

/** The file name of a Content-Disposition header (RFC 6266: filename* first). */
export function fileName(disposition, fallback) {
  const star = /filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)/i.exec(disposition || '');
  if (star) {
    try { return decodeURIComponent(star[1].trim().replace(/^"|"$/g, '')); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition || '');
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name.replace(/[/\\]/g, '_') || fallback;
}

/**
 * Downloads `url` with `bearer` and saves it; `button` is busy meanwhile (a second click
 * does nothing), `status` says what happened, `label` names the file for the reader.
 * Resolves true once saved.
 */
export async function download({ url, bearer, fallback, button, status, label, instead }) {
  if (button.getAttribute('aria-busy')) return false;
  button.setAttribute('aria-busy', 'true');
  text(status, w('preparing', { label }));
  try {
    let res = await fetch(url, { headers: { Authorization: `Bearer ${bearer}` }, cache: 'no-store' });
    let done = w('downloaded', { label });
    if (res.status === 501 && instead) {
      // No Chromium on the server: fetch the alternative (the pack as HTML) instead.
      res = await fetch(instead.url, { headers: { Authorization: `Bearer ${bearer}` }, cache: 'no-store' });
      done = instead.said;
    }
    if (!res.ok) {
      const err = (await res.json().catch(() => null))?.error;
      text(status, w('download_failed', { label, why: err ? errorText(err.code, err.message) : w('server_answered', { status: res.status }) }));
      return false;
    }
    const href = URL.createObjectURL(await res.blob());
    const a = h('a', { href, download: fileName(res.headers.get('Content-Disposition'), fallback), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    text(status, done);
    return true;
  } catch {
    text(status, w('download_failed', { label, why: w('unreachable') }));
    return false;
  } finally {
    button.removeAttribute('aria-busy');
  }
}

/**
 * Adds the "Exercise pack (print)" button under the injects table: the pack as PDF in the
 * console's language, or as HTML when the server cannot print (501 pdf_unavailable).
 * `ctx` gives `exerciseId()` and `bearer()`.
 */
export function packButton(ctx) {
  // Under the injects table: the pack prints them (the join box above stays one line).
  const anchor = document.getElementById('plan');
  if (!anchor || document.getElementById('pack-print')) return;
  const status = h('span', { className: 'muted', role: 'status' });
  const button = h('button', { type: 'button', id: 'pack-print', className: 'secondary', 'data-w': 'pack_print',
    'data-w-title': 'pack_title', title: w('pack_title') }, w('pack_print'));
  const url = (format) => `/api/exercises/${encodeURIComponent(ctx.exerciseId())}/pack?format=${format}&lang=${lang}`;
  button.addEventListener('click', () => download({
    url: url('pdf'),
    bearer: ctx.bearer(),
    fallback: 'exercise-pack.pdf',
    button,
    status,
    label: w('pack_print'),
    instead: { url: url('html'), said: w('pack_html_instead') },
  }));
  anchor.after(h('div', { className: 'row pack-row' }, button, status));
}
