// client.js: the one websocket of a page. Connects, identifies with the page's hello
// (join, resume with last_seq, facilitate, project), reconnects with exponential backoff
// and jitter, and reports a visible state: connecting → online → offline → online …
// An exercise live on another instance closes the socket with 4307 and that instance's
// base URL: the page reconnects there at once and says its hello again (up to 4 moves in
// a row; past that, or when that instance cannot be reached, back to its own origin).

const STOP_CODES = new Set([4029]); // too many failed identifications: do not retry
const MOVED = 4307; // the exercise is live on the instance the close reason names
const MAX_MOVES = 4; // moves followed in a row without a welcome

/** The origin a 4307 reason names, or null: http(s) only, no credentials, and no
 *  https → http (the browser would refuse the socket as mixed content). */
export function movedTo(reason) {
  let url;
  try {
    url = new URL(reason);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  if (location.protocol === 'https:' && url.protocol !== 'https:') return null;
  return url.origin;
}

export class Connection {
  /** hello(lastSeq) → the first message after each (re)connect.
   *  onMessage(msg) → every server message. onState(state) → connecting|online|offline|stopped. */
  constructor({ hello, onMessage, onState }) {
    this.hello = hello;
    this.onMessage = onMessage;
    this.onState = onState || (() => {});
    this.lastSeq = null; // highest seq seen; sent on resume so only new items come
    this.attempt = 0;
    this.ws = null;
    this.stopped = false;
    this.timer = null;
    this.identified = false;
    this.base = null; // origin of the instance the exercise moved to (null: the page's own)
    this.moves = 0; // moves followed since the last welcome
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
    this.onState('stopped');
  }

  /** Reconnects at once, for a fresh welcome. */
  restart() {
    clearTimeout(this.timer);
    const old = this.ws;
    this.attempt = 0;
    this.open();
    if (old) {
      old.onmessage = null;
      old.close(1000);
    }
  }

  /** Sends a message now; false when offline (the caller keeps it for later). */
  send(msg) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.identified) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  /** One server message: track the log position, then hand it to the page. */
  take(msg) {
    if (typeof msg.seq === 'number') this.lastSeq = Math.max(this.lastSeq ?? 0, msg.seq);
    if (msg.type === 'welcome') {
      this.identified = true;
      this.attempt = 0;
      this.moves = 0;
      this.lastSeq = Math.max(this.lastSeq ?? 0, msg.last_seq);
      this.onState('online');
    }
    this.onMessage(msg);
  }

  /** Tries again after an exponential backoff with jitter. */
  retry() {
    this.onState('offline');
    const delay = Math.min(15000, 500 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt = Math.min(this.attempt + 1, 10);
    this.timer = setTimeout(() => this.open(), delay);
  }

  open() {
    const at = this.base ? new URL(this.base) : location;
    const url = (at.protocol === 'https:' ? 'wss://' : 'ws://') + at.host + '/ws';
    this.onState(this.attempt === 0 ? 'connecting' : 'offline');
    this.ws = null;
    this.identified = false;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      // Refused at once (a moved-to origin the page's policy forbids): home, later.
      this.base = null;
      this.retry();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      ws.send(JSON.stringify(this.hello(this.lastSeq)));
    };
    ws.onmessage = (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      // Pushes stored in one commit may come as one frame: {"type":"batch","pushes":[…]}.
      const messages = msg.type === 'batch' && Array.isArray(msg.pushes) ? msg.pushes : [msg];
      for (const m of messages) this.take(m);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.identified = false;
      if (this.stopped) return;
      if (STOP_CODES.has(ev.code)) {
        this.stopped = true;
        this.onState('stopped');
        return;
      }
      const moved = ev.code === MOVED ? movedTo(ev.reason) : null;
      if (moved && this.moves < MAX_MOVES) {
        // Not an outage: straight to the instance that owns the exercise.
        this.moves += 1;
        this.base = moved;
        this.open();
        return;
      }
      // Home to the page's own origin (which redirects again if need be) after a move
      // not followed, or when the moved-to instance could not be reached (it died).
      if (ev.code === MOVED || (this.base && !opened)) {
        this.base = null;
        this.moves = 0;
      }
      this.retry();
    };
  }
}
