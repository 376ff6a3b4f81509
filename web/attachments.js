// attachments.js: an inject's handouts as a reader sees them — images inline (tap to
// enlarge, in a dialog), voice notes with a player, PDFs as a link, texts and links as
// text. Loaded when a card has handouts (phone, console, debrief). Every text goes in as
// text; a file's link is the capability link the server made for this reader.

import { h } from '/assets/ui.js';

const WORDS = {
  en: { enlarge: 'Enlarge the image', close: 'Close', open: 'Open the document', kb: 'KB' },
  fr: { enlarge: "Agrandir l'image", close: 'Fermer', open: 'Ouvrir le document', kb: 'Ko' },
};

let styled = false;
function style() {
  if (styled) return;
  styled = true;
  document.head.append(h('link', { rel: 'stylesheet', href: '/assets/attachments.css' }));
}

/** Fills `into` with the handouts `list` (AttachmentView[]), words in `lang`. */
export function fill(into, list, lang = 'en') {
  style();
  const w = WORDS[lang] || WORDS.en;
  into.replaceChildren(...list.map((a) => one(a, w)));
}

function one(a, w) {
  const caption = a.caption || a.title;
  const f = a.file;
  if (f?.kind === 'image') {
    const img = h('img', { src: f.src, alt: a.alt || caption || '', loading: 'lazy', decoding: 'async' });
    const zoom = h('button', { type: 'button', className: 'attachment-zoom', 'aria-label': `${w.enlarge}: ${a.alt || caption || ''}` }, img);
    zoom.addEventListener('click', () => enlarge(f.src, a.alt || caption || '', caption, w));
    return h('figure', { className: 'attachment attachment-image' }, zoom, caption ? h('figcaption', {}, caption) : null);
  }
  if (f?.kind === 'audio') {
    return h('figure', { className: 'attachment attachment-audio' },
      h('audio', { controls: true, preload: 'none', src: f.src, 'aria-label': a.alt || caption || '' }),
      caption ? h('figcaption', {}, caption) : null);
  }
  if (f) {
    return h('p', { className: 'attachment attachment-pdf' },
      h('a', { href: f.src, target: '_blank', rel: 'noopener' }, `${w.open}: ${caption || a.alt || ''}`),
      ` (PDF, ${Math.max(1, Math.round(f.size / 1024))} ${w.kb})`);
  }
  return h('div', { className: 'attachment' }, h('strong', {}, a.title), a.text ? h('p', {}, a.text) : null, a.url ? h('p', { className: 'attachment-url' }, a.url) : null);
}

/** The image at full size in a modal dialog; Escape, the button or a tap closes it. */
function enlarge(src, alt, caption, w) {
  const close = h('button', { type: 'button', className: 'attachment-close' }, w.close);
  const dialog = h('dialog', { className: 'attachment-dialog', 'aria-label': caption || alt },
    h('img', { src, alt }), caption ? h('p', {}, caption) : null, close);
  const done = () => { dialog.close(); dialog.remove(); };
  close.addEventListener('click', done);
  dialog.addEventListener('click', (ev) => { if (ev.target === dialog) done(); });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
