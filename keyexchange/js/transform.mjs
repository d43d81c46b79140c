// Encoded Transform glue: TransformStreams that encrypt outgoing and decrypt incoming encoded frames (the objects an
// RTCRtpScriptTransform worker gets: {data: ArrayBuffer, type, getMetadata()}). Used by worker.mjs; testable in Node.
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
