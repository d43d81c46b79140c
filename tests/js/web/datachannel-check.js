// The data channel check of the test peers (--datachannel): before the first offer, open a reliable channel and an
// unreliable one (ordered:false, maxRetransmits:0); once each is open, send an m.call.ping per payload size on it and
// check that the SFU's m.call.pong carries exactly the content sent. Shared by peer.js (browser) and wrtc-peer.mjs.

export const DEFAULT_PING_SIZES = [100, 10000, 100000];
const CHANNELS = [
  { label: 'reliable', options: {} },
  { label: 'unreliable', options: { ordered: false, maxRetransmits: 0 } },
];

/** A payload of {@code size} characters that is not all the same (so a corrupted fragment shows). */
function pad(size, seed) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  let x = seed + 1;
  while (out.length < size) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

export class DataChannelCheck {
  /**
   * @param pc an RTCPeerConnection before its first createOffer
   * @param sizes payload sizes (characters of content.pad) to ping with on each channel
   */
  constructor(pc, log, sizes = DEFAULT_PING_SIZES) {
    this.log = log;
    this.errors = [];
    this.channels = CHANNELS.map(({ label, options }) => this.#open(pc, label, options, sizes));
  }

  #open(pc, label, options, sizes) {
    const state = { label, ordered: options.ordered !== false, maxRetransmits: options.maxRetransmits ?? null,
      opened: false, pings: [], other: [] };
    const channel = pc.createDataChannel(label, options);
    const sent = new Map();
    channel.onopen = () => {
      state.opened = true;
      this.log(`data channel ${label} open (id ${channel.id})`);
      sizes.forEach((size, i) => {
        const content = { id: `${label}-${size}`, pad: pad(size, i) };
        const ping = { size, id: content.id, ok: false, error: null, sentAt: Date.now(), rttMs: null };
        sent.set(content.id, { ping, content: JSON.stringify(content) });
        state.pings.push(ping);
        try {
          channel.send(JSON.stringify({ type: 'm.call.ping', content }));
        } catch (e) {
          ping.error = `send: ${e.message}`;
        }
      });
    };
    channel.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        state.other.push(`not JSON: ${String(event.data).slice(0, 100)}`);
        return;
      }
      const entry = message.type === 'm.call.pong' && message.content ? sent.get(message.content.id) : null;
      if (!entry) {
        state.other.push(JSON.stringify(message).slice(0, 4000));
        return;
      }
      entry.ping.ok = JSON.stringify(message.content) === entry.content;
      if (!entry.ping.ok) entry.ping.error = 'pong content differs from the ping';
      entry.ping.rttMs = Date.now() - entry.ping.sentAt;
    };
    channel.onerror = (e) => this.errors.push(`${label}: ${e.error ? e.error.message : 'error'}`);
    channel.onclose = () => this.log(`data channel ${label} closed`);
    return state;
  }

  /** The report part: per channel whether it opened and, per ping, whether the pong matched. */
  results() {
    return {
      channels: this.channels.map(({ label, ordered, maxRetransmits, opened, pings, other }) => ({
        label, ordered, maxRetransmits, opened,
        pings: pings.map(({ size, id, ok, error, rttMs }) => ({ size, id, ok, error, rttMs })),
        other,
      })),
      errors: this.errors,
    };
  }
}

/** Parses "100,10000" into sizes. */
export function pingSizes(text) {
  if (!text) return DEFAULT_PING_SIZES;
  const sizes = String(text).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`bad ping sizes ${text}`);
  return sizes;
}
