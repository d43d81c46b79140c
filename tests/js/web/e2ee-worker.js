// The RTCRtpScriptTransform worker of the test pages: the library's worker (keyexchange/js, connectWorker) plus
// what the tests need to see inside it. Operations, from the page's RTCRtpScriptTransform options:
//   encrypt   the library's SFrame encryption; plaintext samples are taken before it
//   decrypt   the library's decryption; frames that decrypt are counted per sender, kind and KID
//             (stats.decryptedByKid["streamId/video/1"])
//   plain     no encryption at all (a misbehaving client); samples only, frames pass unchanged
// Samples are 16 bytes from the middle of some frames, so the test can look for them in what the SFU saw.
import { connectWorker, E2eeState } from '/keyexchange/transform.mjs';
import { codecFromMimeType, readablePrefixLength } from '/keyexchange/frame.mjs';
import { decodeHeader } from '/keyexchange/sframe.mjs';

const SAMPLE_BYTES = 16;
const SAMPLE_MIN_FRAME = 64;
const SAMPLE_EVERY = 7;
const SAMPLES_PER_KIND = 12;
/** A sample needs this many distinct byte values, so that it cannot turn up in other bytes by chance. */
const SAMPLE_MIN_DISTINCT = 10;

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

class InstrumentedState extends E2eeState {
  constructor() {
    super();
    Object.assign(this.stats, { samples: [], codecs: {}, plainFrames: 0, decryptedByKid: {} });
    this.seen = {}; // frames per kind, for SAMPLE_EVERY
  }

  transformStream(options) {
    if (options.operation === 'plain') {
      return new TransformStream({ transform: (frame, c) => { this.stats.plainFrames++; this.#sample(frame, options); c.enqueue(frame); } });
    }
    const inner = super.transformStream(options);
    if (options.operation === 'encrypt') {
      return chain(new TransformStream({ transform: (frame, c) => { this.#sample(frame, options); c.enqueue(frame); } }), inner);
    }
    // decrypt: note each frame's KID on the way in, count the frames that come out (the same frame objects).
    const kids = new WeakMap();
    const before = new TransformStream({
      transform: (frame, c) => {
        const kid = kidOf(frame, options);
        if (kid !== null) kids.set(frame, kid);
        c.enqueue(frame);
      },
    });
    const after = new TransformStream({
      transform: (frame, c) => {
        const key = `${options.senderId}/${options.kind}/${kids.get(frame) ?? '?'}`;
        this.stats.decryptedByKid[key] = (this.stats.decryptedByKid[key] ?? 0) + 1;
        c.enqueue(frame);
      },
    });
    return chain(before, inner, after);
  }

  #sample(frame, { kind }) {
    const mimeType = frame.getMetadata?.().mimeType;
    if (mimeType) this.stats.codecs[kind] = mimeType;
    const n = (this.seen[kind] = (this.seen[kind] ?? 0) + 1);
    const data = new Uint8Array(frame.data);
    if (n % SAMPLE_EVERY !== 0 || data.length < SAMPLE_MIN_FRAME) return;
    if (this.stats.samples.filter((s) => s.kind === kind).length >= SAMPLES_PER_KIND) return;
    const at = (data.length >> 1) - (SAMPLE_BYTES >> 1);
    const sample = data.slice(at, at + SAMPLE_BYTES);
    if (new Set(sample).size < SAMPLE_MIN_DISTINCT) return;
    this.stats.samples.push({ kind, hex: hex(sample), frameBytes: data.length });
  }
}

function kidOf(frame, options) {
  try {
    const data = new Uint8Array(frame.data);
    const codec = options.codec ?? codecFromMimeType(frame.getMetadata?.().mimeType ?? '');
    const prefix = readablePrefixLength(codec, data);
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

connectWorker(self, new InstrumentedState());
