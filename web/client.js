// client.js: the one websocket of a page. Connects, identifies with the page's hello
// (join, resume with last_seq, facilitate, project), reconnects with exponential backoff
// and jitter, and reports a visible state: connecting → online → offline → online …

const STOP_CODES = new Set([4029]); // too many failed identifications: do not retry

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
      this.lastSeq = Math.max(this.lastSeq ?? 0, msg.last_seq);
      this.onState('online');
    }
    this.onMessage(msg);
  }

  open() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    this.onState(this.attempt === 0 ? 'connecting' : 'offline');
    const ws = new WebSocket(url);
    this.ws = ws;
    this.identified = false;
    ws.onopen = () => ws.send(JSON.stringify(this.hello(this.lastSeq)));
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
      this.onState('offline');
      const delay = Math.min(15000, 500 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
      this.attempt = Math.min(this.attempt + 1, 10);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }
}
