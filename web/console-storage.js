// console-storage.js: the console's banner while the server cannot write its log.
// The server pushes {"type":"storage","ok":false} to the control room after every
// commit that failed (answers are refused with storage_unavailable and not acked; the
// phones keep their drafts) and {"type":"storage","ok":true} once a commit succeeds
// again. The banner shows from the first and goes at the second. Its words, English and
// French, are here (the console's word table is not needed for one sentence).

import { lang } from '/assets/ui.js';

const WORDS = {
  en: 'Answers are not being saved — the server cannot write to its disk. Participants keep their drafts; it clears by itself once the disk can be written again.',
  fr: "Les réponses ne sont pas enregistrées — le serveur ne peut pas écrire sur son disque. Les participants gardent leurs brouillons\u00a0; ce message disparaît dès que le disque est de nouveau accessible en écriture.",
};

/** The banner element, made on first use, at the top of the console. */
function banner() {
  let el = document.getElementById('storage-banner');
  if (el) return el;
  el = document.createElement('p');
  el.id = 'storage-banner';
  el.className = 'error';
  el.setAttribute('role', 'alert');
  el.hidden = true;
  el.textContent = lang === 'fr' ? WORDS.fr : WORDS.en;
  const console = document.getElementById('console');
  (console ?? document.body).prepend(el);
  return el;
}

/** Takes a `storage` push; true if it was one. */
export function push(m) {
  if (m.type !== 'storage') return false;
  banner().hidden = m.ok === true;
  return true;
}
