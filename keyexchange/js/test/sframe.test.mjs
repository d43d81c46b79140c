import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CipherSuite, DEFAULT_SUITE, FIRST_COUNTER_MIN, FIRST_COUNTER_SPAN, decodeHeader, encodeHeader, encodedHeaderLength, ratchetBaseKey, ratchetKid, hkdfExpand, hkdfExtract,
  ReplayWindow, SFrameError, SFrameReceiver, SFrameSender, suiteInfo,
} from '../sframe.mjs';
import { bytes, hex } from '../test-support/util.mjs';

const KEY = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
const OTHER = new TextEncoder().encode('fedcba9876543210fedcba9876543210');
const FRAME = new TextEncoder().encode('a media frame of some length');
const MD = Uint8Array.of(1, 2, 3);
const SUITES = Object.values(CipherSuite);

const rejects = (reason) => (e) => e instanceof SFrameError && e.reason === reason;

async function pair(suite, kid, key = KEY, receiverKey = key) {
  const s = new SFrameSender(suite, 0n);
  await s.useKey(kid, key);
  const r = new SFrameReceiver(suite);
  await r.addKey(kid, receiverKey);
  return { s, r };
}

test('header table: minimal encodings, non-minimal accepted, truncation rejected', () => {
  const table = [
    [0n, 0n, '00'], [7n, 7n, '77'], [8n, 0n, '8008'], [255n, 256n, '89ff0100'], [256n, 255n, '980100ff'],
    [(1n << 64n) - 1n, 0n, 'f0ffffffffffffffff'], [(1n << 63n) - 1n, 1n, 'f17fffffffffffffff'],
  ];
  for (const [kid, ctr, h] of table) {
    assert.equal(hex(encodeHeader(kid, ctr)), h);
    assert.equal(encodedHeaderLength(kid, ctr), h.length / 2);
    assert.deepEqual(decodeHeader(bytes(h)), { kid, ctr, length: h.length / 2 });
  }
  assert.deepEqual(decodeHeader(bytes('81 05')), { kid: 5n, ctr: 1n, length: 2 });
  assert.deepEqual(decodeHeader(bytes('aa 99 01 02 03 04 bb'), 1, 5), { kid: 0x102n, ctr: 0x304n, length: 5 });
  for (const h of ['', '80', 'f0 01 02 03 04 05 06 07', '08', '8f 01 00 00 00 00 00 00 00']) {
    assert.throws(() => decodeHeader(bytes(h)), rejects('SYNTAX'), h);
  }
  assert.throws(() => decodeHeader(bytes('aa 99 01 02 03 04 bb'), 1, 4), rejects('SYNTAX'));
  assert.throws(() => encodeHeader(-1n, 0n), RangeError);
});

test('replay window table', () => {
  const table = [
    ['', 0n, true], ['0', 0n, false], ['5', 3n, true], ['5 3', 3n, false], ['200', 73n, true], ['200', 72n, false],
    ['10 300', 10n, false], ['10 100', 11n, true], ['63 64 127', 63n, false], ['0 65', 1n, true],
    [`${(1n << 64n) - 2n}`, (1n << 64n) - 1n, true], [`${(1n << 64n) - 1n}`, 0n, false],
  ];
  for (const [accepted, ctr, fresh] of table) {
    const w = new ReplayWindow();
    for (const c of accepted.split(' ').filter(Boolean)) {
      w.accept(BigInt(c));
      assert.equal(w.isFresh(BigInt(c)), false);
    }
    assert.equal(w.isFresh(ctr), fresh, `after [${accepted}] ctr ${ctr}`);
  }
});

test('HKDF: RFC 5869 case 1', async () => {
  const prk = await hkdfExtract('SHA-256', bytes('000102030405060708090a0b0c'), bytes('0b'.repeat(22)));
  assert.equal(hex(prk), '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
  assert.equal(hex(await hkdfExpand('SHA-256', prk, bytes('f0f1f2f3f4f5f6f7f8f9'), 42)),
    '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
});

for (const suite of SUITES) {
  test(`suite ${suite}: round trip, tampering, unknown key, replay`, async () => {
    const { s, r } = await pair(suite, 3);
    const nt = suiteInfo(suite).nt;
    const frames = [];
    for (let i = 0; i < 20; i++) {
      const ct = await s.encrypt(FRAME, MD);
      assert.equal(ct.length, FRAME.length + encodedHeaderLength(3, i) + nt);
      frames.push(ct);
    }
    assert.deepEqual(await r.decrypt(frames[10], MD), FRAME);
    assert.deepEqual(await r.decrypt(frames[9], MD), FRAME); // reordered
    await assert.rejects(r.decrypt(frames[10], MD), rejects('REPLAY'));
    for (let i = 1; i < frames[0].length; i++) {
      const bad = Uint8Array.from(frames[0]);
      bad[i] ^= 0x40;
      await assert.rejects(r.decrypt(bad, MD), rejects('AUTH_FAILURE'), `byte ${i}`);
    }
    await assert.rejects(r.decrypt(frames[0], Uint8Array.of(1, 2, 4)), rejects('AUTH_FAILURE'));
    await assert.rejects((await pair(suite, 4)).r.decrypt(frames[0], MD), rejects('UNKNOWN_KEY'));
    await assert.rejects((await pair(suite, 3, KEY, OTHER)).r.decrypt(frames[1], MD), rejects('AUTH_FAILURE'));
    const empty = await s.encrypt(new Uint8Array(0));
    assert.deepEqual(await r.decrypt(empty), new Uint8Array(0));
    await assert.rejects(r.decrypt(empty.subarray(0, empty.length - 1)), rejects('SYNTAX'));
  });
}

test('window: 127 behind accepted, 128 behind refused, forged frames do not move it', async () => {
  const { s, r } = await pair(CipherSuite.AES_128_GCM_SHA256_128, 1);
  const frames = [];
  for (let i = 0; i < 200; i++) frames.push(await s.encrypt(FRAME, MD));
  const forged = new Uint8Array(40);
  forged.set(encodeHeader(1n, 1000000n));
  await assert.rejects(r.decrypt(forged, MD), rejects('AUTH_FAILURE'));
  await r.decrypt(frames[150], MD);
  await r.decrypt(frames[23], MD);
  await assert.rejects(r.decrypt(frames[22], MD), rejects('REPLAY'));
});

test('first counters are random 4-byte values; an explicit one is kept', () => {
  const firsts = new Set();
  for (let i = 0; i < 50; i++) {
    const c = new SFrameSender().nextCounter;
    assert.ok(c >= FIRST_COUNTER_MIN && c < FIRST_COUNTER_MIN + FIRST_COUNTER_SPAN, `${c}`);
    firsts.add(c);
  }
  assert.ok(firsts.size > 45, 'random');
  assert.equal(new SFrameSender(DEFAULT_SUITE, 5n).nextCounter, 5n);
});

test('counter runs across keys; keys can be removed and replaced', async () => {
  const s = new SFrameSender(CipherSuite.AES_256_GCM_SHA512_128);
  await s.useKey(0, KEY);
  await s.encrypt(FRAME);
  await s.useKey(1, OTHER);
  await s.encrypt(FRAME);
  await s.useKey(0, KEY);
  const third = await s.encrypt(FRAME);
  const first = s.nextCounter - 3n;
  assert.equal(decodeHeader(third).ctr, first + 2n);
  assert.ok(first >= FIRST_COUNTER_MIN && first < FIRST_COUNTER_MIN + FIRST_COUNTER_SPAN, `first counter ${first}`);
  assert.equal(decodeHeader(third).length, 5, 'config byte and a 4-byte counter');
  const r = new SFrameReceiver(CipherSuite.AES_256_GCM_SHA512_128);
  await r.addKey(0, OTHER);
  await assert.rejects(r.decrypt(third), rejects('AUTH_FAILURE'));
  await r.addKey(0, KEY);
  assert.equal(r.keyCount, 1);
  assert.deepEqual(await r.decrypt(third), FRAME);
  assert.equal(r.removeKey(0), true);
  assert.equal(r.hasKey(0), false);
});

test('ratchet: kid layout and step derivation', async () => {
  assert.equal(ratchetKid(1, 3, 4), 19n);
  assert.equal(ratchetKid(1, 17, 4), 17n);
  assert.equal(ratchetKid(2, 255, 8), 767n);
  for (const suite of SUITES) {
    const { hash, nh } = suiteInfo(suite);
    const expected = await hkdfExpand(hash, await hkdfExtract(hash, new Uint8Array(0), KEY),
      new TextEncoder().encode('SFrame 1.0 Ratchet'), nh);
    assert.deepEqual(await ratchetBaseKey(suite, KEY), expected);
  }
});

test('sender without a key refuses', async () => {
  await assert.rejects(new SFrameSender().encrypt(FRAME), /useKey/);
});
