// Encoded Transform glue: TransformStreams that encrypt outgoing and decrypt incoming encoded frames (the objects an
// RTCRtpScriptTransform worker gets: {data: ArrayBuffer, type, getMetadata()}), and connectWorker, which serves a worker
// scope with them. Used by worker.mjs; testable in Node with a fake scope.
import { DEFAULT_SUITE, SFrameSender } from './sframe.mjs';
import { codecFromMimeType, decryptFrame, encryptFrame } from './frame.mjs';
import { kidOf, RemoteKeyring } from './keys.mjs';

/** The keys of one page: our sending key and a keyring per remote sender, plus drop counters. */
export class E2eeState {
  constructor(suiteId = DEFAULT_SUITE) {
    this.suiteId = suiteId;
    this.sender = new SFrameSender(suiteId);
    this.keyrings = new Map();
    this.stats = { encrypted: 0, decrypted: 0, dropped: {} };
  }

  /** Start encrypting with this {index, key}. */
  async setSendKey(mediaKey) {
    await this.sender.useKey(kidOf(mediaKey), mediaKey.key);
  }

  /** A key announced by a remote sender. */
  async addRemoteKey(senderId, mediaKey) {
    return this.keyring(senderId).accept(mediaKey);
  }

  keyring(senderId) {
    let ring = this.keyrings.get(senderId);
    if (!ring) {
      ring = new RemoteKeyring(senderId, this.suiteId);
      this.keyrings.set(senderId, ring);
    }
    return ring;
  }

  /**
   * A TransformStream for one RTCRtpScriptTransform. options: {operation: 'encrypt'|'decrypt', senderId (decrypt),
   * codec?: a FrameCodec; otherwise taken from the frame's metadata mimeType}. Frames that fail are dropped (never
   * forwarded in clear) and counted by reason.
   */
  transformStream({ operation, senderId, codec }) {
    if (operation !== 'encrypt' && operation !== 'decrypt') throw new RangeError(`unknown operation ${operation}`);
    return new TransformStream({
      transform: async (frame, controller) => {
        const frameCodec = codec ?? codecFromMimeType(frame.getMetadata?.().mimeType ?? '');
        try {
          const data = new Uint8Array(frame.data);
          const out = operation === 'encrypt'
            ? (this.sender.kid === undefined ? null : await encryptFrame(this.sender, frameCodec, data))
            : await decryptFrame(this.keyring(senderId).receiver, frameCodec, data);
          if (out === null) {
            this.count('NO_SEND_KEY');
            return;
          }
          frame.data = out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
          this.stats[operation === 'encrypt' ? 'encrypted' : 'decrypted']++;
          controller.enqueue(frame);
        } catch (e) {
          this.count(e.reason ?? e.name ?? 'ERROR');
        }
      },
    });
  }

  count(reason) {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
  }
}

/**
 * Serves an RTCRtpScriptTransform worker scope ({@code self}, or a fake with the same two handlers) with {@code state}.
 * Messages in: {type: 'setSendKey', index, key} | {type: 'addRemoteKey', senderId, index, key} | {type: 'stats'},
 * each optionally with an {@code id}; replies: {type: 'ack', id} after a key is installed, {type: 'stats', id, stats},
 * {type: 'error', id, message}. Each rtctransform event's transformer is piped through
 * state.transformStream(transformer.options). A new key from a remote sender asks that sender for a key frame: its
 * frames were dropped until now, so the decoder has nothing to predict from.
 */
export function connectWorker(scope, state = new E2eeState()) {
  const decrypting = new Set(); // transformers with operation 'decrypt'
  const requestKeyFrame = (senderId) => {
    for (const t of decrypting) {
      if (t.options?.senderId !== senderId || typeof t.sendKeyFrameRequest !== 'function') continue;
      // Rejects when the receiver has no frames yet or asked very recently; the decoder asks again by itself.
      Promise.resolve().then(() => t.sendKeyFrameRequest()).catch(() => {});
    }
  };
  scope.onmessage = async ({ data }) => {
    const { id } = data;
    try {
      if (data.type === 'setSendKey') {
        await state.setSendKey({ index: data.index, key: data.key });
        scope.postMessage({ type: 'ack', id });
      } else if (data.type === 'addRemoteKey') {
        if (await state.addRemoteKey(data.senderId, { index: data.index, key: data.key })) requestKeyFrame(data.senderId);
        scope.postMessage({ type: 'ack', id });
      } else if (data.type === 'stats') {
        scope.postMessage({ type: 'stats', id, stats: state.stats });
      } else {
        throw new RangeError(`unknown message type ${data.type}`);
      }
    } catch (e) {
      scope.postMessage({ type: 'error', id, message: String(e?.message ?? e) });
    }
  };
  scope.onrtctransform = ({ transformer }) => {
    let stream;
    try {
      stream = state.transformStream(transformer.options ?? {});
    } catch (e) {
      state.count('BAD_OPTIONS');
      scope.postMessage({ type: 'error', message: String(e?.message ?? e) });
      return;
    }
    if (transformer.options?.operation === 'decrypt') decrypting.add(transformer);
    transformer.readable.pipeThrough(stream).pipeTo(transformer.writable)
      .catch(() => state.count('STREAM_CLOSED'))
      .finally(() => decrypting.delete(transformer));
  };
  return state;
}
