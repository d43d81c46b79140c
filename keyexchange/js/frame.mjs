// The readable-prefix frame layout, identical to org.conclave.keyexchange.frame:
//   | readable prefix (clear, authenticated as SFrame metadata) | SFrame header | ciphertext | tag |
// VP8 key frame 10 bytes, VP8 delta 3, Opus 1 (TOC), H264 up to the first slice NAL header + 1 byte (and the part
// after the prefix emulation-escaped), WHOLE_FRAME none. Empty frames pass through.

import { SFrameError, concat } from './sframe.mjs';

export const FrameCodec = Object.freeze({ VP8: 'VP8', OPUS: 'OPUS', H264: 'H264', WHOLE_FRAME: 'WHOLE_FRAME' });

export const VP8_KEY_FRAME_BYTES = 10;
export const VP8_DELTA_FRAME_BYTES = 3;
export const OPUS_TOC_BYTES = 1;
export const H264_SLICE_BYTES = 2;

/** The rule for an RTP mime type such as "video/VP8"; codecs without a rule encrypt the whole frame. */
export function codecFromMimeType(mimeType) {
  const subtype = mimeType.slice(mimeType.indexOf('/') + 1).toLowerCase();
  return { vp8: FrameCodec.VP8, opus: FrameCodec.OPUS, h264: FrameCodec.H264 }[subtype] ?? FrameCodec.WHOLE_FRAME;
}

export const isVp8KeyFrame = (frame) => (frame[0] & 0x01) === 0;

/** Offset of the header byte of the first NAL unit of type 1 or 5 after a 00 00 01 start code, or -1. */
export function firstSliceNal(frame) {
  let zeros = 0;
  for (let i = 0; i < frame.length; i++) {
    const b = frame[i];
    if (b === 0x01 && zeros >= 2 && i + 1 < frame.length) {
      const type = frame[i + 1] & 0x1f;
      if (type === 1 || type === 5) return i + 1;
    }
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return -1;
}

/** Length of the clear prefix (may exceed the frame length for a frame too short for its codec). */
export function readablePrefixLength(codec, frame) {
  switch (codec) {
    case FrameCodec.VP8:
      return frame.length > 0 && isVp8KeyFrame(frame) ? VP8_KEY_FRAME_BYTES : VP8_DELTA_FRAME_BYTES;
    case FrameCodec.OPUS:
      return OPUS_TOC_BYTES;
    case FrameCodec.H264: {
      const nal = firstSliceNal(frame);
      return nal < 0 ? 0 : nal + H264_SLICE_BYTES;
    }
    case FrameCodec.WHOLE_FRAME:
      return 0;
    default:
      throw new RangeError(`unknown frame codec ${codec}`);
  }
}

/** Where the authenticated part of the prefix starts: 0, or the slice NAL header for H264. */
export function metadataStart(codec, frame) {
  if (codec !== FrameCodec.H264) return 0;
  const nal = firstSliceNal(frame);
  return nal < 0 ? 0 : nal;
}

export function trailingZeros(bytes) {
  let n = 0;
  while (n < 2 && n < bytes.length && bytes[bytes.length - 1 - n] === 0) n++;
  return n;
}

/** H264 emulation prevention: after two zeros, a byte 0x00-0x03 gets a 0x03 before it. */
export function escape(bytes, priorZeros = 0) {
  const out = new Uint8Array(bytes.length + (bytes.length >> 1) + 1);
  let zeros = priorZeros;
  let w = 0;
  for (const b of bytes) {
    if (zeros >= 2 && b <= 0x03) {
      out[w++] = 0x03;
      zeros = 0;
    }
    out[w++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, w);
}

export function unescape(bytes, priorZeros = 0) {
  const out = new Uint8Array(bytes.length);
  let zeros = priorZeros;
  let w = 0;
  for (const b of bytes) {
    if (zeros >= 2 && b === 0x03) {
      zeros = 0;
      continue;
    }
    out[w++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, w);
}

/** Encrypts an encoded frame with an SFrameSender; throws RangeError for a frame shorter than its prefix. */
export async function encryptFrame(sender, codec, frame) {
  if (frame.length === 0) return frame;
  const prefix = readablePrefixLength(codec, frame);
  if (prefix > frame.length) {
    throw new RangeError(`${codec} frame of ${frame.length} bytes is shorter than its ${prefix}-byte readable prefix`);
  }
  const clear = frame.subarray(0, prefix);
  const sealed = await sender.encrypt(frame.subarray(prefix), clear.subarray(metadataStart(codec, frame)));
  return concat(clear, codec === FrameCodec.H264 ? escape(sealed, trailingZeros(clear)) : sealed);
}

/** Reverses encryptFrame with an SFrameReceiver; throws SFrameError. */
export async function decryptFrame(receiver, codec, frame) {
  if (frame.length === 0) return frame;
  const prefix = readablePrefixLength(codec, frame);
  if (prefix >= frame.length) {
    throw new SFrameError('SYNTAX', `${codec} frame of ${frame.length} bytes has no SFrame header after its ${prefix}-byte readable prefix`);
  }
  const clear = frame.subarray(0, prefix);
  let sealed = frame.subarray(prefix);
  if (codec === FrameCodec.H264) sealed = unescape(sealed, trailingZeros(clear));
  const pt = await receiver.decrypt(sealed, clear.subarray(metadataStart(codec, frame)));
  return concat(clear, pt);
}
