// The SFrame worker of Conclave Web (RTCRtpScriptTransform): keyexchange/js's E2eeState and connectWorker, plus
// counters the call page shows (frames decrypted per sender and key index, so "no key from Bob" can be named) and,
// only when the page was opened with ?diagnostics=1, 16-byte samples of our own frames before encryption so that a
// test can look for them in what the SFU forwarded. Messages beyond connectWorker's:
//   {type: 'diagnostics', samples: bool}     turn sampling on
// Transform options: {operation: 'encrypt'|'decrypt', senderId (decrypt), kind: 'audio'|'video'}.
import { connectWorker, E2eeState } from '../../keyexchange/js/transform.mjs';
import { codecFromMimeType, readablePrefixLength } from '../../keyexchange/js/frame.mjs';
import { decodeHeader } from '../../keyexchange/js/sframe.mjs';

const SAMPLE_BYTES = 16;
const SAMPLE_MIN_FRAME = 64;
const SAMPLE_EVERY = 7;
const SAMPLES_PER_KIND = 12;
/** A sample needs this many distinct byte values, so that it cannot turn up in other bytes by chance. */
const SAMPLE_MIN_DISTINCT = 10;

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

class CallState extends E2eeState {
  constructor() {
    super();
    Object.assign(this.stats, { decryptedBy: {}, samples: [], codecs: {} });
    this.sampling = false;
    this.seen = {};
  }

  transformStream(options) {
    const inner = super.transformStream(options);
    if (options.operation === 'encrypt') {
      return chain(new TransformStream({ transform: (f, c) => { this.#sample(f, options); c.enqueue(f); } }), inner);
    }
    const kids = new WeakMap();
    const before = new TransformStream({
      transform: (frame, c) => {
        const kid = kidOf(frame);
        if (kid !== null) kids.set(frame, kid);
        c.enqueue(frame);
      },
    });
    const after = new TransformStream({
      transform: (frame, c) => {
        const key = `${options.senderId}/${options.kind}/${kids.get(frame) ?? '?'}`;
        this.stats.decryptedBy[key] = (this.stats.decryptedBy[key] ?? 0) + 1;
        c.enqueue(frame);
      },
    });
    return chain(before, inner, after);
  }

  #sample(frame, { kind }) {
    const mimeType = frame.getMetadata?.().mimeType;
    if (mimeType) this.stats.codecs[kind] = mimeType;
    if (!this.sampling) return;
    const n = (this.seen[kind] = (this.seen[kind] ?? 0) + 1);
    const data = new Uint8Array(frame.data);
    if (n % SAMPLE_EVERY !== 0 || data.length < SAMPLE_MIN_FRAME) return;
    if (this.stats.samples.filter((s) => s.kind === kind).length >= SAMPLES_PER_KIND) return;
    const at = (data.length >> 1) - (SAMPLE_BYTES >> 1);
    const sample = data.slice(at, at + SAMPLE_BYTES);
    if (new Set(sample).size < SAMPLE_MIN_DISTINCT) return;
    this.stats.samples.push({ kind, hex: hex(sample) });
  }
}

function kidOf(frame) {
  try {
    const data = new Uint8Array(frame.data);
    const prefix = readablePrefixLength(codecFromMimeType(frame.getMetadata?.().mimeType ?? ''), data);
    return prefix < data.length ? String(decodeHeader(data, prefix).kid) : null;
  } catch {
    return null;
  }
}

/** Pipes the streams one into the next and returns the whole as one {writable, readable} pair. */
function chain(...streams) {
  for (let i = 0; i + 1 < streams.length; i++) streams[i].readable.pipeTo(streams[i + 1].writable).catch(() => {});
  return { writable: streams[0].writable, readable: streams.at(-1).readable };
}

const state = new CallState();
connectWorker(self, state);
const handle = self.onmessage;
self.onmessage = (event) => {
  if (event.data?.type === 'diagnostics') {
    state.sampling = !!event.data.samples;
    self.postMessage({ type: 'ack', id: event.data.id });
    return;
  }
  handle(event);
};
