// End-to-end payload integrity check through an SFU that must forward encoded frames untouched.
// The sender appends an 8-byte trailer to every encoded frame: 4-byte magic + 4-byte FNV-1a of the frame's
// bytes; the receiver verifies and strips it before the decoder sees the frame.

export const MAGIC = 0xc0c1a7e5;
export const TRAILER_BYTES = 8;

export function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A TransformStream transformer that appends the trailer. */
export function trailerAppender() {
  return {
    transform(frame, controller) {
      const data = new Uint8Array(frame.data);
      const out = new Uint8Array(data.length + TRAILER_BYTES);
      out.set(data);
      const view = new DataView(out.buffer);
      view.setUint32(data.length, MAGIC);
      view.setUint32(data.length + 4, fnv1a(data));
      frame.data = out.buffer;
      controller.enqueue(frame);
    },
  };
}

/**
 * A transformer that checks and strips the trailer, counting into {@code counts}: {@code checked} every frame,
 * {@code corrupt} those whose trailer is missing or does not match (passed on unchanged).
 */
export function trailerChecker(counts) {
  return {
    transform(frame, controller) {
      counts.checked++;
      const data = new Uint8Array(frame.data);
      const n = data.length - TRAILER_BYTES;
      const view = new DataView(frame.data);
      if (n < 0 || view.getUint32(n) !== MAGIC || view.getUint32(n + 4) !== fnv1a(data.subarray(0, n))) {
        counts.corrupt++;
      } else {
        frame.data = frame.data.slice(0, n);
      }
      controller.enqueue(frame);
    },
  };
}

/** Pipes a sender's or receiver's encoded streams (encodedInsertableStreams) through {@code transformer}. */
export function attach(senderOrReceiver, transformer, onError) {
  const { readable, writable } = senderOrReceiver.createEncodedStreams();
  readable.pipeThrough(new TransformStream(transformer)).pipeTo(writable).catch(onError);
}
