// Decisions of MediaKeys and DeliveryQueue: who gets our key, rotation on leave, whose keys we take, and keys that
// wait for a device our crypto does not know yet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOLD_UNKNOWN_SENDER_MS, MediaKeys, REPAIR_AFTER_MS, USE_NEW_KEY_AFTER_MS } from '../src/conference/media-keys.js';
import { SEND_TIMEOUT_MS, UNDELIVERED_TRIES } from '../src/conference/key-delivery.js';
import { FakeClock, FakeWorld, FakeWorker, settle } from './fakes.mjs';

const ROOM = '!room:hs.test';
const A = { userId: '@alice:hs.test', deviceId: 'ALICE' };
const B = { userId: '@bob:hs.test', deviceId: 'BOB' };
const C = { userId: '@carol:hs.test', deviceId: 'CAROL' };

/** Pages for the people given, each knowing every other's device unless told otherwise. */
async function pages(people, { know = true } = {}) {
  const world = new FakeWorld(ROOM);
  const clock = new FakeClock();
  const out = {};
  for (const p of people) out[p.deviceId] = { client: world.client(p.userId, p.deviceId), worker: new FakeWorker() };
  for (const a of people) for (const b of people) if (know && a !== b) out[a.deviceId].client.knows(b.userId, b.deviceId);
  for (const p of people) {
    const page = out[p.deviceId];
    page.keys = new MediaKeys(page.client, ROOM, page.worker, clock);
    await page.keys.start();
  }
  return { world, clock, ...out };
}

const sentTo = (client) => client.sent.flatMap((b) => b.batch.map((m) => `${m.userId}/${m.deviceId}#${m.payload.content.keys.index}`));

test('a device that joins the call gets our current key, and we take its key', async () => {
  const { ALICE, BOB } = await pages([A, B]);
  await ALICE.keys.setParticipants([A, B]);
  await BOB.keys.setParticipants([A, B]);
  await settle();
  assert.deepEqual(sentTo(ALICE.client), ['@bob:hs.test/BOB#0']);
  assert.deepEqual(ALICE.keys.missingKeys(), []);
  assert.deepEqual(BOB.keys.missingKeys(), []);
  assert.equal(await ALICE.keys.checkCode(), await BOB.keys.checkCode());
  assert.match(await ALICE.keys.checkCode(), /^\d{6}$/);
});

test('the roster cannot make us send a key to someone who is not a member of the room', async () => {
  const { world, ALICE } = await pages([A, B]);
  world.members.set(B.userId, 'leave');
  await ALICE.keys.setParticipants([A, B, { userId: '@mallory:evil.test', deviceId: 'M' }]);
  assert.deepEqual(sentTo(ALICE.client), []);
  assert.deepEqual(ALICE.keys.missingKeys(), []);
});

test('when a device leaves, the others make a new key, send it only to who remains, and use it a second later', async () => {
  const { clock, ALICE, BOB, CAROL } = await pages([A, B, C]);
  for (const p of [ALICE, BOB, CAROL]) await p.keys.setParticipants([A, B, C]);
  await settle();
  ALICE.client.sent.length = 0;
  await ALICE.keys.setParticipants([A, B]);
  assert.deepEqual(sentTo(ALICE.client), ['@bob:hs.test/BOB#1']);
  assert.equal(ALICE.keys.rotations.length, 1);
  assert.equal(ALICE.keys.inUse.index, 0, 'the old key until receivers have the new one');
  assert.deepEqual(ALICE.worker.sendKeys, [0]);
  await clock.advance(USE_NEW_KEY_AFTER_MS);
  assert.equal(ALICE.keys.inUse.index, 1);
  assert.deepEqual(ALICE.worker.sendKeys, [0, 1]);
  assert.ok(!CAROL.keys.keyring().remote.some((m) => m.userId === A.userId && m.keys.some((k) => k.index === 1)),
    'carol never got the new key');
});

test('two leaves within the grace delay: only the newest key is used', async () => {
  const { clock, ALICE } = await pages([A, B, C]);
  await ALICE.keys.setParticipants([A, B, C]);
  await ALICE.keys.setParticipants([A, B]);
  await clock.advance(USE_NEW_KEY_AFTER_MS / 2);
  await ALICE.keys.setParticipants([A]);
  await clock.advance(USE_NEW_KEY_AFTER_MS);
  assert.deepEqual(ALICE.worker.sendKeys, [0, 2]);
});

test('a device our crypto does not know yet gets the key once its devices are known', async () => {
  const { ALICE, BOB } = await pages([A, B], { know: false });
  await ALICE.keys.setParticipants([A, B]);
  assert.deepEqual(sentTo(ALICE.client), []);
  assert.equal(ALICE.keys.sendLog.at(-1).sent.length, 0);
  ALICE.client.knows(B.userId, B.deviceId);
  ALICE.client.emit('crypto.devicesUpdated', [B.userId], false);
  await settle();
  assert.deepEqual(sentTo(ALICE.client), ['@bob:hs.test/BOB#0']);
  // Bob's crypto does not know Alice's device either: the key waits for it rather than being dropped.
  assert.deepEqual(BOB.keys.receiveLog.map((r) => r.outcome), ['held: sender device not known yet']);
  BOB.client.knows(A.userId, A.deviceId);
  BOB.client.emit('crypto.devicesUpdated', [A.userId], false);
  await settle();
  assert.equal(BOB.keys.receiveLog.at(-1).outcome, 'accepted');
  assert.deepEqual(BOB.keys.keyring().remote.map((m) => m.deviceId), ['ALICE']);
});

test('undelivered devices are retried on the tick, a bounded number of times', async () => {
  const { clock, ALICE } = await pages([A, B], { know: false });
  await ALICE.keys.setParticipants([A, B]);
  await clock.advance(60_000);
  assert.equal(ALICE.keys.sendLog.length, 1 + UNDELIVERED_TRIES + 5, 'first send, retries, and repairs');
  await clock.advance(60_000);
  assert.equal(ALICE.keys.sendLog.length, 1 + UNDELIVERED_TRIES + 5);
});

test('a send that never finishes does not hold back the later ones', async () => {
  const { clock, ALICE, BOB } = await pages([A, B]);
  const encrypt = ALICE.client.crypto.encryptToDeviceMessages;
  let calls = 0;
  ALICE.client.crypto.encryptToDeviceMessages = (...args) => (calls++ === 0 ? new Promise(() => {}) : encrypt(...args));
  const joining = ALICE.keys.setParticipants([A, B]);
  await BOB.keys.setParticipants([A, B]);
  await clock.advance(SEND_TIMEOUT_MS - 1);
  assert.deepEqual(sentTo(ALICE.client), [], 'the first send hangs');
  assert.equal(BOB.keys.missingKeys().length, 1);
  await clock.advance(10_000); // the timeout, then the tick sends again
  await joining;
  assert.deepEqual(sentTo(ALICE.client), ['@bob:hs.test/BOB#0']);
  assert.deepEqual(BOB.keys.missingKeys(), []);
});

test('a key from a device that never becomes known is dropped after a while', async () => {
  const { clock, ALICE, BOB } = await pages([A, B], { know: false });
  ALICE.client.knows(B.userId, B.deviceId);
  await ALICE.keys.setParticipants([A, B]);
  await clock.advance(HOLD_UNKNOWN_SENDER_MS + 4000);
  assert.match(BOB.keys.receiveLog.at(-1).outcome, /never became known/);
  assert.deepEqual(BOB.keys.keyring().remote, []);
});

test('keys are taken only Olm-encrypted, for this room, from members, from the device Olm names', async () => {
  const { world, BOB } = await pages([A, B]);
  const content = (over = {}) => ({ keys: { index: 3, key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, room_id: ROOM,
    member: { id: `${A.userId}:ALICE`, claimed_device_id: 'ALICE' }, session: {}, sent_ts: 0, ...over });
  const info = { sender: A.userId, senderDevice: 'ALICE', senderCurve25519KeyBase64: 'curve-@alice:hs.test-ALICE' };
  const deliver = async (c, encryptionInfo = info, sender = A.userId) => {
    BOB.client.emit('receivedToDeviceMessage', { message: { type: 'io.element.call.encryption_keys', sender, content: c },
      encryptionInfo });
    await settle();
    return BOB.keys.receiveLog.at(-1)?.outcome;
  };
  assert.match(await deliver(content(), null), /unencrypted/);
  assert.match(await deliver(content({ member: { claimed_device_id: 'OTHER' } })), /claims device OTHER/);
  assert.match(await deliver(content(), { ...info, sender: '@eve:hs.test' }), /Olm sender differs/);
  assert.match(await deliver(content({ keys: { index: 300, key: 'AA' } })), /malformed/);
  world.members.set(A.userId, 'leave');
  assert.match(await deliver(content()), /not a member/);
  world.members.set(A.userId, 'join');
  const before = BOB.keys.receiveLog.length;
  await deliver(content({ room_id: '!other:hs.test' }));
  assert.equal(BOB.keys.receiveLog.length, before, 'another room\'s key is not ours to judge');
  assert.equal(await deliver(content()), 'accepted');
  assert.deepEqual(BOB.keys.keyring().remote[0].keys.map((k) => k.index), [3]);
});

test('a participant whose key is missing after a while gets ours again', async () => {
  const { clock, world, ALICE } = await pages([A, B]);
  world.clients.splice(1, 1); // bob's page receives nothing, so alice never gets bob's key
  await ALICE.keys.setParticipants([A, B]);
  assert.equal(ALICE.keys.sendLog.length, 1);
  await clock.advance(REPAIR_AFTER_MS + 2000);
  assert.ok(ALICE.keys.sendLog.length >= 2);
  assert.deepEqual(ALICE.keys.missingKeys().map((p) => p.deviceId), ['BOB']);
});

test('a repair does not queue behind a send to the same device that has not gone yet', async () => {
  const { clock, ALICE, BOB } = await pages([A, B]);
  const encrypt = ALICE.client.crypto.encryptToDeviceMessages;
  let calls = 0;
  ALICE.client.crypto.encryptToDeviceMessages = (...args) => (calls++ === 0 ? new Promise(() => {}) : encrypt(...args));
  ALICE.keys.setParticipants([A, B]);
  await clock.advance(SEND_TIMEOUT_MS - 1000); // repairs are due from REPAIR_AFTER_MS on, every tick
  assert.equal(calls, 1, 'only the hanging send so far');
  assert.equal(ALICE.keys.delivery.pending.get(`${B.userId}|${B.deviceId}`), 1, 'no repair queued behind it');
  await clock.advance(4000); // the timeout: the device is undelivered, the tick sends once more
  assert.equal(calls, 2, 'one send after the hanging one, not one per tick it waited');
  await BOB.keys.setParticipants([A, B]);
  await settle();
  assert.deepEqual(ALICE.keys.missingKeys(), []);
  assert.deepEqual(BOB.keys.missingKeys(), []);
});

test('settled: once the roster is known, our sends are out and we hold everyone\'s key; at the latest after its time', async () => {
  const { clock, world, ALICE, BOB } = await pages([A, B, C]);
  world.clients.splice(2, 1); // carol's page receives nothing, so alice never gets carol's key
  const state = (p) => { let done = false; p.then(() => { done = true; }); return () => done; };
  const early = state(ALICE.keys.settled(20_000));
  await settle();
  assert.equal(early(), false, 'no roster yet: nothing is known to be through');
  await ALICE.keys.setParticipants([A, B]);
  await settle();
  assert.equal(early(), false, 'bob\'s key is still missing');
  await BOB.keys.setParticipants([A, B]);
  await settle();
  assert.equal(early(), true);
  assert.equal(await Promise.race([ALICE.keys.settled(20_000).then(() => 'now'), settle().then(() => 'later')]), 'now');

  await ALICE.keys.setParticipants([A, B, C]);
  const late = state(ALICE.keys.settled(20_000));
  await clock.advance(19_000);
  assert.equal(late(), false, 'carol\'s key is missing');
  await clock.advance(1_000);
  assert.equal(late(), true, 'at the latest after its time');
});

test('a stream bound to a member gets the keys we hold and those that come later', async () => {
  const { ALICE, BOB } = await pages([A, B]);
  await ALICE.keys.setParticipants([A, B]);
  await BOB.keys.bindStream('stream-a', A.userId, A.deviceId);
  assert.deepEqual(BOB.worker.remoteKeys, [{ senderId: 'stream-a', index: 0 }]);
  await ALICE.keys.rotate('test');
  await settle();
  assert.deepEqual(BOB.worker.remoteKeys.map((k) => k.index), [0, 1]);
});
