// console-keys.js: where the console keeps its credentials, and how the debrief gets
// them without a key prompt and without a secret in any URL.
//
// - The admin token (from the #token= fragment the banner prints, ?token= of old
//   bookmarks, or the sign-in form) lives in this tab's sessionStorage (`tt.admin`) and
//   leaves the address bar at once. A fragment is never sent to the server, so it is in
//   no request line, proxy log or Referer.
// - A facilitator key the console created an exercise with is kept in localStorage
//   (`tt.fkey.<exercise>`); an observer's key (from the link's #observer= fragment) in
//   both storages (`tt.okey.<exercise>`).
// - The debrief is a separate page, usually a new tab. A tab opened with an opener starts
//   with a copy of this tab's sessionStorage, so "Open debrief" opens it that way. Any
//   other way in (a middle click, "open in new tab", a bookmark) finds no token in its
//   own storage: the debrief then asks on a BroadcastChannel, and a console tab that has
//   that exercise open answers with its key. The channel stays inside this browser and
//   this origin: nothing goes over the network, into a URL or into a log.

const CHANNEL = 'tabletop-keys';
const read = (storage, k) => { try { return storage.getItem(k); } catch { return null; } };
const write = (storage, k, v) => { try { storage.setItem(k, v); } catch { /* storage off: the prompt remains */ } };

/** Moves #token= (or ?token= of an old bookmark) into sessionStorage and out of the
 *  address bar; returns the query left. */
export function takeAdminToken(params) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token') || params.get('token');
  if (token) {
    write(sessionStorage, 'tt.admin', token);
    params.delete('token');
    fragment.delete('token');
    const hash = fragment.size ? `#${fragment}` : '';
    history.replaceState(null, '', location.pathname + (params.size ? `?${params}` : '') + hash);
  }
  return params;
}

/** An observer link (/facilitator?exercise=<id>#observer=<key>): the key moves to storage
 *  (the tab's, which makes this tab an observer's, and the browser's, for the debrief)
 *  and leaves the address bar, so it does not show when the screen is shared. */
export function takeObserverKey(exerciseId) {
  const key = new URLSearchParams(location.hash.slice(1)).get('observer');
  if (key && exerciseId) {
    for (const s of [sessionStorage, localStorage]) write(s, `tt.okey.${exerciseId}`, key);
    history.replaceState(null, '', location.pathname + location.search);
  }
}

export const admin = () => read(sessionStorage, 'tt.admin');
export const setAdmin = (token) => write(sessionStorage, 'tt.admin', token);
export const forgetAdmin = () => { try { sessionStorage.removeItem('tt.admin'); } catch { /* nothing kept */ } };
export const rememberFacilitatorKey = (id, key) => write(localStorage, `tt.fkey.${id}`, key);
/** The facilitator's bearer for an exercise: its key if this browser created it, else the admin token. */
export const keyFor = (id) => read(localStorage, `tt.fkey.${id}`) || admin();
/** This tab's observer key for an exercise (a facilitator's tab ignores a stale one). */
export const observerKey = (id) => read(sessionStorage, `tt.okey.${id}`) || (keyFor(id) ? null : read(localStorage, `tt.okey.${id}`));

/** Opens the debrief in a new tab that starts with a copy of this tab's sessionStorage
 *  (a plain link with target=_blank opens without an opener, and so without it). */
export function openDebrief(link) {
  link.addEventListener('click', (ev) => {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return; // the channel serves these
    ev.preventDefault();
    if (!link.getAttribute('href')) return; // before the welcome: nothing to open yet
    const tab = window.open(link.href, '_blank');
    if (!tab) location.assign(link.href); // pop-ups blocked: open it here, this tab has the key
  });
}

/** Answers the debrief's question on the channel for the exercise this console has
 *  open: `current()` gives `{exerciseId, bearer}` or null. */
export function answerDebrief(current) {
  if (typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (ev) => {
    const ask = ev.data;
    const here = current();
    if (ask?.type !== 'key?' || !here?.bearer || ask.exercise_id !== here.exerciseId) return;
    channel.postMessage({ type: 'key', exercise_id: here.exerciseId, nonce: ask.nonce, bearer: here.bearer });
  };
}

/** The debrief's side: asks every console tab of this browser for a key to the exercise;
 *  resolves with the first answer, or null after `wait` ms. */
export function askConsoles(exerciseId, wait = 600) {
  if (typeof BroadcastChannel !== 'function') return Promise.resolve(null);
  const channel = new BroadcastChannel(CHANNEL);
  const nonce = Math.random().toString(36).slice(2);
  return new Promise((resolve) => {
    const done = (bearer) => {
      clearTimeout(timer);
      channel.close();
      resolve(bearer);
    };
    const timer = setTimeout(() => done(null), wait);
    channel.onmessage = (ev) => {
      const m = ev.data;
      if (m?.type === 'key' && m.nonce === nonce && m.exercise_id === exerciseId && m.bearer) done(m.bearer);
    };
    channel.postMessage({ type: 'key?', exercise_id: exerciseId, nonce });
  });
}
