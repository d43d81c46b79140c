import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CipherSuite, decodeHeader, SFrameError, SFrameReceiver, SFrameSender, suiteInfo } from '../sframe.mjs';
import {
  codecFromMimeType, decryptFrame, encryptFrame, escape, FrameCodec, firstSliceNal, isVp8KeyFrame, metadataStart,
  readablePrefixLength, trailingZeros, unescape,
} from '../frame.mjs';
import { bytes, hex } from '../test-support/util.mjs';

const VP8_KEY = bytes('50 42 00 9d 01 2a 80 02 e0 01 aa bb cc dd ee ff 00 11 22 33 44 55');
const VP8_DELTA = bytes('31 0d 00 01 02 03 04 05 06 07 08 09');
const OPUS = bytes('fc 01 02 03 04 05 06 07');
const H264_IDR = bytes('00 00 00 01 67 42 c0 1f 8c 8d 40 00 00 00 01 68 ce 3c 80'
  + ' 00 00 00 01 65 88 84 00 00 01 00 00 00 00 00 03 00 00 01 ab cd');

test('readable prefix table (same rows as ReadablePrefixTest.java)', () => {
  const table = [
    ['VP8', '50 42 00 9d 01 2a 80 02 e0 01 00 11 22 33', 10, 0],
    ['VP8', '31 0d 00 aa bb cc dd', 3, 0],
    ['OPUS', 'fc ff fe 01', 1, 0],
    ['WHOLE_FRAME', '50 42 00 9d 01 2a', 0, 0],
    ['H264', '00 00 00 01 67 42 c0 1f 8c 8d 40 00 00 00 01 68 ce 3c 80 00 00 00 01 65 88 84 00 ff', 25, 23],
    ['H264', '00 00 01 41 9a 02 03', 5, 3],
    ['H264', '00 00 00 01 06 05 01 80 00 00 01 01 e0 00', 13, 11],
    ['H264', '00 00 00 01 67 42 00 00 00 01 68 ce', 0, 0],
    ['H264', '65 88 00 01 65', 0, 0],
    ['H264', 'aa 00 00 01', 0, 0],
  ];
  for (const [codec, h, prefix, md] of table) {
    assert.equal(readablePrefixLength(codec, bytes(h)), prefix, `${codec} ${h}`);
    assert.equal(metadataStart(codec, bytes(h)), md, `${codec} ${h}`);
  }
  assert.equal(isVp8KeyFrame(bytes('50')), true);
  assert.equal(isVp8KeyFrame(bytes('51')), false);
  assert.equal(codecFromMimeType('video/VP8'), FrameCodec.VP8);
  assert.equal(codecFromMimeType('audio/opus'), FrameCodec.OPUS);
  assert.equal(codecFromMimeType('video/H264'), FrameCodec.H264);
  assert.equal(codecFromMimeType('video/AV1'), FrameCodec.WHOLE_FRAME);
});

test('emulation prevention table and random round trips', () => {
  const table = [
    ['00 00 01', 0, '00 00 03 01'], ['00 00 00 00', 0, '00 00 03 00 00'], ['00 00 03', 0, '00 00 03 03'],
    ['00 00 04', 0, '00 00 04'], ['00 01', 1, '00 03 01'], ['01', 2, '03 01'], ['', 2, ''],
  ];
  for (const [input, prior, escaped] of table) {
    assert.equal(hex(escape(bytes(input), prior)), escaped.replace(/ /g, ''));
    assert.equal(hex(unescape(bytes(escaped), prior)), input.replace(/ /g, ''));
  }
  for (let round = 0; round < 500; round++) {
    const input = Uint8Array.from({ length: Math.floor(Math.random() * 64) },
      () => (Math.random() < 0.4 ? Math.floor(Math.random() * 5) : Math.floor(Math.random() * 256)));
    const prior = Math.floor(Math.random() * 3);
    const out = escape(input, prior);
    assert.doesNotMatch('00'.repeat(prior) + hex(out), /^(..)*0000(00|01|02)/);
    assert.deepEqual(unescape(out, prior), input);
  }
  assert.equal(trailingZeros(bytes('01 00 00')), 2);
});

for (const suite of Object.values(CipherSuite)) {
  test(`suite ${suite}: frame layouts round trip`, async () => {
    const s = new SFrameSender(suite, 0n);
    await s.useKey(2, new Uint8Array(32));
    const r = new SFrameReceiver(suite);
    await r.addKey(2, new Uint8Array(32));
    const nt = suiteInfo(suite).nt;

    const key = await encryptFrame(s, FrameCodec.VP8, VP8_KEY);
    assert.deepEqual(key.subarray(0, 10), VP8_KEY.subarray(0, 10));
    assert.equal(isVp8KeyFrame(key), true);
    assert.deepEqual(decodeHeader(key, 10), { kid: 2n, ctr: 0n, length: 1 });
    assert.equal(key.length, VP8_KEY.length + 1 + nt);
    assert.deepEqual(await decryptFrame(r, FrameCodec.VP8, key), VP8_KEY);

    const delta = await encryptFrame(s, FrameCodec.VP8, VP8_DELTA);
    assert.deepEqual(delta.subarray(0, 3), VP8_DELTA.subarray(0, 3));
    assert.equal(decodeHeader(delta, 3).ctr, 1n);
    assert.deepEqual(await decryptFrame(r, FrameCodec.VP8, delta), VP8_DELTA);

    const opus = await encryptFrame(s, FrameCodec.OPUS, OPUS);
    assert.equal(opus[0], OPUS[0]);
    assert.deepEqual(await decryptFrame(r, FrameCodec.OPUS, opus), OPUS);

    const whole = await encryptFrame(s, FrameCodec.WHOLE_FRAME, VP8_KEY);
    assert.equal(decodeHeader(whole).kid, 2n);
    assert.deepEqual(await decryptFrame(r, FrameCodec.WHOLE_FRAME, whole), VP8_KEY);

    for (let i = 0; i < 30; i++) {
      const h = await encryptFrame(s, FrameCodec.H264, H264_IDR);
      assert.deepEqual(h.subarray(0, 25), H264_IDR.subarray(0, 25));
      assert.equal(firstSliceNal(h), 23);
      assert.doesNotMatch(hex(h.subarray(23)), /^(..)*0000(00|01|02)/);
      assert.deepEqual(await decryptFrame(r, FrameCodec.H264, h), H264_IDR);
    }
  });
}

test('tampered prefix, empty and short frames', async () => {
  const s = new SFrameSender(CipherSuite.AES_128_GCM_SHA256_128);
  await s.useKey(2, new Uint8Array(32));
  const r = new SFrameReceiver(CipherSuite.AES_128_GCM_SHA256_128);
  await r.addKey(2, new Uint8Array(32));
  const enc = await encryptFrame(s, FrameCodec.VP8, VP8_KEY);
  enc[7] ^= 1;
  await assert.rejects(decryptFrame(r, FrameCodec.VP8, enc), (e) => e instanceof SFrameError && e.reason === 'AUTH_FAILURE');
  assert.equal((await encryptFrame(s, FrameCodec.VP8, new Uint8Array(0))).length, 0);
  assert.equal((await decryptFrame(r, FrameCodec.VP8, new Uint8Array(0))).length, 0);
  await assert.rejects(encryptFrame(s, FrameCodec.VP8, bytes('50 42 00 9d 01')), /10-byte readable prefix/);
  await assert.rejects(decryptFrame(r, FrameCodec.OPUS, bytes('fc')), (e) => e.reason === 'SYNTAX');
});
