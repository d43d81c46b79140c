// The conference-control data channel to the SFU (docs/protocol.md, "Data channel: conference control"): keeps the
// state the SFU tells us (who we are, roster, room state, hand queue, dominant speaker, waiting status) and sends
// commands. Answers the SFU's keep-alive m.call.ping with m.call.pong. Emits 'change' on every update and
// 'notice' ({detail: {kind, text}}) for things a person must be told.
const REQUEST_TIMEOUT_MS = 10000;

export class ControlChannel extends EventTarget {
  constructor(channel) {
    super();
    this.channel = channel;
    this.me = null;              // {endpoint_id, participant, role}
    this.roster = new Map();     // endpoint id -> entry
    this.rosterKnown = false;    // a roster message came: until then an empty roster means "not told yet"
    this.room = { locked: false, guests_muted: false, focus: null, spotlight: [] };
    this.hands = [];
    this.speaker = null;         // endpoint id
    this.waiting = null;         // null | 'waiting' | 'admitted' | 'rejected' | 'timed_out'
    this.hostMuted = false;
    this.mediaRefused = null;    // {reason, error} once the SFU held our media (not encrypted)
    this.layers = new Map();     // track id -> 'thumbnail' | 'full_res'
    this.requestId = 0;
    this.requests = new Map();
    this.counts = { received: 0, pings: 0, lastAt: 0 }; // what arrived (the page shows it to tests)
    channel.addEventListener('message', (e) => this.#onMessage(e.data));
    channel.addEventListener('close', () => this.#emit('close'));
  }

  get open() {
    return this.channel.readyState === 'open';
  }

  get isHost() {
    return this.me?.role === 'host';
  }

  /** Sends a command; resolves with the reply (org.conclave.ok or the typed answer), rejects with the SFU's error. */
  send(type, content = {}) {
    if (!this.open) return Promise.reject(new Error('the connection to the conference server is not open'));
    const request_id = String(++this.requestId);
    this.channel.send(JSON.stringify({ type, content: { ...content, request_id } }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.requests.delete(request_id)) reject(new Error(`${type}: no answer from the conference server`));
      }, REQUEST_TIMEOUT_MS);
      this.requests.set(request_id, { resolve, reject, timer });
    });
  }

  #onMessage(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    const c = msg.content ?? {};
    this.counts.received++;
    this.counts.lastAt = Date.now();
    switch (msg.type) {
      case 'm.call.ping':
        this.counts.pings++;
        if (this.open) this.channel.send(JSON.stringify({ type: 'm.call.pong', content: c }));
        return;
      case 'org.conclave.welcome':
        this.me = { endpoint_id: c.endpoint_id, participant: c.participant, role: c.role };
        this.waiting = this.waiting === 'waiting' ? 'admitted' : this.waiting;
        break;
      case 'org.conclave.roster':
        this.rosterKnown = true;
        if (c.snapshot) this.roster = new Map(c.entries.map((e) => [e.id, e]));
        for (const e of c.changed ?? []) this.roster.set(e.id, e);
        for (const id of c.removed ?? []) this.roster.delete(id);
        break;
      case 'org.conclave.room_state':
        this.room = { ...this.room, ...c };
        break;
      case 'org.conclave.hand_queue':
        this.hands = c.queue ?? [];
        break;
      case 'org.conclave.dominant_speaker':
        this.speaker = c.endpoint_id ?? null;
        break;
      case 'org.conclave.waiting_status':
        this.waiting = c.status;
        if (c.status !== 'admitted') this.#notice('waiting', c.status, c.reason);
        break;
      case 'org.conclave.please_mute':
        this.hostMuted = true;
        this.#notice('muted', 'please_mute');
        break;
      case 'org.conclave.may_unmute':
        this.hostMuted = false;
        this.#notice('muted', 'may_unmute');
        break;
      case 'org.conclave.media_refused':
        this.mediaRefused = { reason: c.reason ?? null, error: c.error ?? null };
        this.#notice('media_refused', c.reason, c.error);
        break;
      case 'org.conclave.disconnected':
        this.#notice('disconnected', 'disconnected', c.reason);
        break;
      case 'org.conclave.layer_changed':
        this.layers.set(c.track_id, c.quality);
        break;
      case 'org.conclave.ok':
      case 'org.conclave.error':
        this.#settle(c.request_id, msg.type === 'org.conclave.ok' ? null : c);
        return;
      default:
        break;
    }
    if (c.request_id) this.#settle(c.request_id, null, msg);
    this.#emit('change');
  }

  #settle(requestId, error, reply) {
    const r = this.requests.get(requestId);
    if (!r) {
      if (error) this.#notice('error', error.errcode, error.error);
      return;
    }
    this.requests.delete(requestId);
    clearTimeout(r.timer);
    if (error) r.reject(Object.assign(new Error(error.error), { errcode: error.errcode }));
    else r.resolve(reply ?? null);
  }

  #notice(kind, code, reason) {
    this.dispatchEvent(new CustomEvent('notice', { detail: { kind, code, reason } }));
    this.#emit('change');
  }

  #emit(type) {
    this.dispatchEvent(new Event(type));
  }
}
