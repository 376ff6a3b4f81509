// A minimal websocket client over node:http (Node 20 has no WebSocket global without a
// flag, and the suite takes no dependency besides playwright-core). It drives the
// server from the test side: facilitator commands, scripted participants, and raw
// upgrade requests (e.g. with a foreign Origin) whose HTTP status we want to see.

import http from 'node:http';
import crypto from 'node:crypto';

let msgCounter = 0;

/// A client_msg_id no other message of this test run has.
export const nextMsgId = (prefix = 't') => `${prefix}${process.pid}-${++msgCounter}`;

/// Sends a websocket upgrade request; resolves with `{status, headers, socket, head}`.
/// `status` is 101 when the server accepted; otherwise the socket is already closed.
export function upgradeRequest(base, { origin, path = '/ws', headers = {} } = {}) {
  const url = new URL(path, base);
  const key = crypto.randomBytes(16).toString('base64');
  const allHeaders = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': key,
    ...headers,
  };
  if (origin) allHeaders.Origin = origin;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: allHeaders });
    req.setTimeout(10_000, () => req.destroy(new Error(`upgrade ${url} timed out`)));
    req.on('upgrade', (res, socket, head) => resolve({ status: res.statusCode, headers: res.headers, socket, head }));
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/// A JSON websocket connection that records every message it receives.
export class WsClient {
  constructor(socket, head) {
    this.socket = socket;
    this.messages = [];
    this.closed = null; // {code, reason} once closed
    this.buf = Buffer.alloc(0);
    this.fragments = [];
    this.waiters = new Set();
    socket.setNoDelay(true);
    socket.on('data', (d) => this.onData(d));
    socket.on('close', () => this.onClose(1006, 'socket closed'));
    socket.on('error', () => {});
    if (head && head.length) this.onData(head);
  }

  /// Opens `GET /ws` on `base` (an `http://host:port` URL).
  static async connect(base, opts = {}) {
    const r = await upgradeRequest(base, opts);
    if (r.status !== 101) throw new Error(`websocket upgrade refused: HTTP ${r.status} ${r.body ?? ''}`);
    return new WsClient(r.socket, r.head);
  }

  onData(d) {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length < 2) return;
      const b0 = this.buf[0];
      const b1 = this.buf[1];
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      const masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      let mask = null;
      if (masked) {
        if (this.buf.length < off + 4) return;
        mask = this.buf.subarray(off, off + 4);
        off += 4;
      }
      if (this.buf.length < off + len) return;
      const payload = Buffer.from(this.buf.subarray(off, off + len));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      this.buf = this.buf.subarray(off + len);
      this.onFrame(fin, opcode, payload);
    }
  }

  onFrame(fin, opcode, payload) {
    if (opcode === 0x9) return this.writeFrame(0xa, payload); // ping → pong
    if (opcode === 0xa) return;
    if (opcode === 0x8) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      const reason = payload.subarray(2).toString('utf8');
      if (!this.closed) this.writeFrame(0x8, payload.subarray(0, 2));
      this.onClose(code, reason);
      this.socket.end();
      return;
    }
    this.fragments.push(payload);
    if (!fin) return;
    const text = Buffer.concat(this.fragments).toString('utf8');
    this.fragments = [];
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = { type: '(not json)', text };
    }
    // Pushes stored in one commit may come as one `batch` frame: record them one by one.
    if (msg.type === 'batch' && Array.isArray(msg.pushes)) this.messages.push(...msg.pushes);
    else this.messages.push(msg);
    this.notify();
  }

  onClose(code, reason) {
    if (this.closed) return;
    this.closed = { code, reason };
    this.notify();
  }

  notify() {
    for (const w of [...this.waiters]) w();
  }

  writeFrame(opcode, payload) {
    if (this.socket.destroyed) return;
    const len = payload.length;
    let header;
    if (len < 126) {
      header = Buffer.from([0x80 | opcode, 0x80 | len]);
    } else if (len < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 0x80 | 126;
      header.writeUInt16BE(len, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(len), 2);
    }
    const mask = crypto.randomBytes(4);
    const masked = Buffer.from(payload);
    for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i & 3];
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  /// Sends one JSON message.
  send(obj) {
    this.writeFrame(0x1, Buffer.from(JSON.stringify(obj), 'utf8'));
  }

  /// Resolves with the first received message matching `pred` (already received ones
  /// count), or rejects after `timeout` ms or when the socket closes first.
  waitFor(pred, { timeout = 10_000, what = 'message' } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(pred);
        if (found) return done(null, found);
        if (this.closed) return done(new Error(`socket closed (${this.closed.code}) before ${what}`));
      };
      const timer = setTimeout(
        () => done(new Error(`no ${what} within ${timeout} ms; got ${JSON.stringify(this.messages.map((m) => m.type))}`)),
        timeout,
      );
      const done = (err, value) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(value);
      };
      this.waiters.add(check);
      check();
    });
  }

  /// Waits for a message of `type` (and matching `pred`), failing fast on an `error` reply.
  async expect(type, pred = () => true, opts = {}) {
    const m = await this.waitFor((m) => m.type === type && pred(m), { what: `"${type}"`, ...opts });
    return m;
  }

  /// A sync point: sends `ping` and resolves with its `ack` (`{client_msg_id, seq}`), which
  /// the server writes only after every push up to the log position `seq` has been sent to
  /// this socket. Everything stored before the ping (e.g. whatever another socket already
  /// had acked) is at or below `seq`: a push for it that has not arrived by now is not
  /// coming. Use it before checking that something did NOT arrive, instead of a sleep.
  async sync({ timeout } = {}) {
    const id = nextMsgId('sync');
    this.send({ type: 'ping', client_msg_id: id });
    const reply = await this.waitFor((m) => (m.type === 'ack' || m.type === 'error') && m.client_msg_id === id, {
      what: `ack of ping ${id}`,
      ...(timeout ? { timeout } : {}),
    });
    if (reply.type === 'error') throw new Error(`ping refused: ${reply.code} ${reply.message}`);
    return reply;
  }

  close() {
    if (!this.closed) {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(1000, 0);
      this.writeFrame(0x8, payload);
      this.onClose(1000, 'client close');
    }
    setTimeout(() => this.socket.destroy(), 200).unref();
  }
}

/// A participant driven from the test: joins and can answer.
export async function joinParticipant(base, joinCode, name) {
  const ws = await WsClient.connect(base);
  ws.send({ type: 'join', join_code: joinCode, name });
  const welcome = await waitWelcome(ws, 'join');
  ws.welcome = welcome;
  ws.group = welcome.group;
  /// Answers an inject and waits for the server's ack.
  ws.respond = async (injectId, text) => {
    if (!(welcome.injects ?? []).some((i) => i.inject_id === injectId)) {
      await ws.expect('inject', (m) => m.inject_id === injectId, { what: `inject ${injectId}` });
    }
    const id = nextMsgId();
    ws.send({ type: 'respond', inject_id: injectId, text, client_msg_id: id });
    const reply = await ws.waitFor((m) => (m.type === 'ack' || m.type === 'error') && m.client_msg_id === id, {
      what: `ack of ${id}`,
    });
    if (reply.type === 'error') throw new Error(`respond refused: ${reply.code} ${reply.message}`);
    return reply;
  };
  return ws;
}

/// The facilitator's socket, driven from the test.
export async function facilitate(base, exerciseId, key) {
  const ws = await WsClient.connect(base);
  ws.send({ type: 'facilitate', exercise_id: exerciseId, facilitator_key: key });
  ws.welcome = await waitWelcome(ws, 'facilitate');
  /// Sends a command and waits for the push that confirms it (or an error).
  ws.command = async (msg, confirm) => {
    const before = ws.messages.length;
    ws.send(msg);
    const m = await ws.waitFor(
      (m) => ws.messages.indexOf(m) >= before && (m.type === 'error' || confirm(m)),
      { what: `confirmation of ${JSON.stringify(msg)}` },
    );
    if (m.type === 'error') throw new Error(`${msg.type} refused: ${m.code} ${m.message}`);
    return m;
  };
  ws.start = () => ws.command({ type: 'start' }, (m) => m.type === 'clock' && m.state === 'running');
  ws.release = (id) => ws.command({ type: 'release', inject_id: id }, (m) => m.type === 'inject' && m.inject_id === id);
  ws.end = () => ws.command({ type: 'end' }, (m) => m.type === 'clock' && m.state === 'ended');
  ws.announce = (text) => ws.command({ type: 'announce', text }, (m) => m.type === 'announcement' && m.text === text);
  return ws;
}

async function waitWelcome(ws, what) {
  const m = await ws.waitFor((m) => m.type === 'welcome' || m.type === 'error', { what: `welcome after ${what}` });
  if (m.type === 'error') throw new Error(`${what} refused: ${m.code} ${m.message}`);
  return m;
}

/// Sends a command with a fresh `client_msg_id` and waits for its `ack`; throws with the
/// server's code on an `error`.
export async function ask(ws, msg) {
  const id = nextMsgId('ask');
  ws.send({ ...msg, client_msg_id: id });
  const m = await ws.waitFor((m) => (m.type === 'ack' || m.type === 'error') && m.client_msg_id === id, {
    what: `ack of ${msg.type}`,
  });
  if (m.type === 'error') throw new Error(`${msg.type} refused: ${m.code} ${m.message}`);
  return m;
}
