import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SFrameError, SFrameSender } from '../sframe.mjs';
import {
  checkCode, decodeBase64, elementCallKeysContent, isRtcKeyEventType, KeyTransportError, kidOf, makeMediaKey,
  nextIndex, parseElementCallKeys, parseRtcEncryptionKey, RemoteKeyring, roomStateFromEvents, rtcEncryptionKeyContent,
  unpaddedBase64,
} from '../keys.mjs';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const KEY_B64 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const ENCRYPTED = roomStateFromEvents('!room:hs', [
  { type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
]);
const malformed = (fragment) => (e) => e instanceof KeyTransportError && e.reason === 'MALFORMED' && e.message.includes(fragment);

test('keys: random 32 bytes, index wraps, kid is the index', () => {
  const a = makeMediaKey(9);
  assert.equal(a.key.length, 32);
  assert.notDeepEqual(a.key, makeMediaKey(9).key);
  assert.equal(kidOf(a), 9n);
  assert.equal(nextIndex(255), 0);
  assert.throws(() => makeMediaKey(256), RangeError);
});

test('keyring keeps newest plus four, re-send is a no-op, reused index replaces', async () => {
  const ring = new RemoteKeyring('alice');
  const keys = [];
  for (let i = 0; i < 7; i++) {
    keys.push(makeMediaKey(i));
    assert.equal(await ring.accept(keys[i]), true);
  }
  assert.deepEqual(ring.keys.map((k) => k.index), [2, 3, 4, 5, 6]);
  assert.equal(ring.receiver.keyCount, 5);
  const s = new SFrameSender();
  await s.useKey(kidOf(keys[1]), keys[1].key);
  await assert.rejects(ring.receiver.decrypt(await s.encrypt(Uint8Array.of(1))), (e) => e instanceof SFrameError && e.reason === 'UNKNOWN_KEY');
  await s.useKey(kidOf(keys[6]), keys[6].key);
  const ct = await s.encrypt(Uint8Array.of(1));
  await ring.receiver.decrypt(ct);
  assert.equal(await ring.accept({ index: 6, key: Uint8Array.from(keys[6].key) }), false);
  await assert.rejects(ring.receiver.decrypt(ct), (e) => e.reason === 'REPLAY');
  assert.equal(await ring.accept(makeMediaKey(6)), true);
  assert.equal(ring.keys.length, 5);
  await assert.rejects(ring.receiver.decrypt(ct), (e) => e.reason === 'AUTH_FAILURE');
});

test('Element Call content: same bytes as the Java producer, refusal in a plain room', () => {
  const json = elementCallKeysContent(ENCRYPTED, [{ index: 7, key: KEY }], 'DEVICEID', 1700000000123);
  assert.equal(json, `{"keys":[{"index":7,"key":"${KEY_B64}"}],"device_id":"DEVICEID","call_id":"","sent_ts":1700000000123}`);
  assert.deepEqual(parseElementCallKeys(json), { keys: [{ index: 7, key: KEY }], deviceId: 'DEVICEID', callId: '', sentTs: 1700000000123 });
  const plain = roomStateFromEvents('!plain:hs', [{ type: 'm.room.create', state_key: '', content: {} }]);
  assert.throws(() => elementCallKeysContent(plain, [{ index: 0, key: KEY }], 'D'),
    (e) => e instanceof KeyTransportError && e.reason === 'UNENCRYPTED_ROOM'
      && e.message.startsWith('Refusing to send media keys into room !plain:hs: its state has no m.room.encryption event'));
});

test('room state table', () => {
  const enc = { type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } };
  assert.equal(roomStateFromEvents('!r', [1, 'x', null, enc]).encrypted, true);
  assert.equal(roomStateFromEvents('!r', [{ ...enc, state_key: 'x' }]).encrypted, false);
  assert.equal(roomStateFromEvents('!r', [{ ...enc, content: {} }]).encrypted, false);
  assert.equal(roomStateFromEvents('!r', [{ ...enc, content: { algorithm: '' } }]).encrypted, false);
  assert.equal(roomStateFromEvents('!r', []).encrypted, false);
  assert.throws(() => roomStateFromEvents('!r', {}), malformed('not an array'));
});

test('Element Call content parser rejects hostile input', () => {
  const k = '"key":"AAECAwQFBgcICQoLDA0ODw"';
  const table = [
    ['', 'not valid JSON'], ['null', 'not a JSON object'], ['[]', 'not a JSON object'], ['{}', "'keys' must be an array"],
    ['{"keys":[],"device_id":"D"}', "'keys' must be"], ['{"keys":[1],"device_id":"D"}', 'must be an object'],
    [`{"keys":[{"index":256,${k}}],"device_id":"D"}`, "'index' must be"],
    [`{"keys":[{"index":1.5,${k}}],"device_id":"D"}`, "'index' must be"],
    [`{"keys":[{"index":"1",${k}}],"device_id":"D"}`, "'index' must be"],
    ['{"keys":[{"index":1,"key":"!!!!"}],"device_id":"D"}', 'not base64'],
    ['{"keys":[{"index":1,"key":"AAEC"}],"device_id":"D"}', 'got 3'],
    [`{"keys":[{"index":1,${k}}]}`, "'device_id' must be a string"],
    [`{"keys":[{"index":1,${k}}],"device_id":"D","sent_ts":"now"}`, "'sent_ts' must be an integer"],
    [`{"keys":[{"index":1,${k}}],"device_id":"D","call_id":null}`, "'call_id' must be a string"],
    [`{"device_id":"${'x'.repeat(70000)}"}`, 'longer than'],
  ];
  for (const [json, fragment] of table) assert.throws(() => parseElementCallKeys(json), malformed(fragment), json.slice(0, 80));
  assert.throws(() => parseElementCallKeys(undefined), malformed('missing'));
  const parsed = parseElementCallKeys('{"keys":[{"index":0,"key":"AAECAwQFBgcICQoLDA0ODw=="}],"device_id":"D"}');
  assert.equal(parsed.keys[0].key.length, 16);
  assert.equal(parsed.sentTs, 0);
});

test('MSC4143 to-device content under both type names', () => {
  const json = rtcEncryptionKeyContent('!r:hs', '@a:hs:DEV', { index: 42, key: new Uint8Array(32) });
  assert.equal(json, '{"room_id":"!r:hs","member_id":"@a:hs:DEV","media_key":{"index":42,"key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}');
  for (const type of ['m.rtc.encryption_key', 'org.matrix.msc4143.rtc.encryption_key']) {
    assert.equal(isRtcKeyEventType(type), true);
    assert.deepEqual(parseRtcEncryptionKey(type, json), { roomId: '!r:hs', memberId: '@a:hs:DEV', mediaKey: { index: 42, key: new Uint8Array(32) } });
  }
  assert.throws(() => parseRtcEncryptionKey('m.room.message', json), malformed('is not m.rtc.encryption_key'));
  assert.throws(() => parseRtcEncryptionKey('m.rtc.encryption_key', '{"room_id":"r","member_id":"m"}'), malformed("'media_key'"));
  assert.throws(() => parseRtcEncryptionKey('m.rtc.encryption_key', '{"room_id":"r","member_id":"m","media_key":{"index":1}}'), malformed("'key'"));
});

test('base64 helpers', () => {
  assert.equal(unpaddedBase64(KEY), KEY_B64);
  assert.deepEqual(decodeBase64(KEY_B64), KEY);
  assert.deepEqual(decodeBase64(KEY_B64 + '='), KEY);
  assert.throws(() => decodeBase64('A'), malformed('not base64'));
  assert.throws(() => decodeBase64('AA=A'), malformed('not base64'));
});

test('check code: order-independent, key-sensitive, same digits as CheckCode.java', async () => {
  const alice = { userId: '@alice:hs', deviceId: 'ALICEDEV', keyIndex: 0, key: new Uint8Array(32).fill(0x11) };
  const bob = { userId: '@bob:hs', deviceId: 'BOBDEV', keyIndex: 3, key: new Uint8Array(32).fill(0x22) };
  const code = await checkCode('!call:hs', [alice, bob]);
  assert.equal(code, '139075'); // CheckCodeTest.JS_VECTOR
  assert.equal(await checkCode('!call:hs', [bob, alice]), code);
  const substituted = Uint8Array.from(bob.key);
  substituted[31] ^= 1;
  assert.notEqual(await checkCode('!call:hs', [alice, { ...bob, key: substituted }]), code);
  assert.notEqual(await checkCode('!call:hs', [alice, { ...bob, keyIndex: 4 }]), code);
  await assert.rejects(checkCode('!r', [alice, alice]), RangeError);
});
