import { test } from 'node:test';
import assert from 'node:assert/strict';
import { E2eeState } from '../transform.mjs';
import { makeMediaKey } from '../keys.mjs';
import { isVp8KeyFrame } from '../frame.mjs';
import { bytes } from '../test-support/util.mjs';

/** What an RTCRtpScriptTransform hands the worker, reduced to what the transform touches. */
function fakeFrame(data, mimeType) {
  return { data: Uint8Array.from(data).buffer, type: 'key', getMetadata: () => ({ mimeType }) };
}

async function run(stream, frames) {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const out = [];
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      out.push(value);
    }
  })();
  for (const f of frames) await writer.write(f);
  await writer.close();
  await reading;
  return out;
}

const VP8_KEY = bytes('50 42 00 9d 01 2a 80 02 e0 01 aa bb cc dd ee ff 00 11 22 33 44 55');

test('encrypt stream then decrypt stream restores frames; the key frame bit stays visible', async () => {
  const alice = new E2eeState();
  const bob = new E2eeState();
  const key = makeMediaKey(0);
  await alice.setSendKey(key);
  await bob.addRemoteKey('alice', key);
  const sent = await run(alice.transformStream({ operation: 'encrypt' }), [fakeFrame(VP8_KEY, 'video/VP8')]);
  assert.equal(sent.length, 1);
  const wire = new Uint8Array(sent[0].data);
  assert.notDeepEqual(wire, VP8_KEY);
  assert.equal(isVp8KeyFrame(wire), true);
  const got = await run(bob.transformStream({ operation: 'decrypt', senderId: 'alice' }), [fakeFrame(wire, 'video/VP8')]);
  assert.deepEqual(new Uint8Array(got[0].data), VP8_KEY);
  assert.deepEqual(bob.stats, { encrypted: 0, decrypted: 1, dropped: {} });
});

test('frames without a key are dropped and counted, never passed on in clear', async () => {
  const alice = new E2eeState();
  assert.equal((await run(alice.transformStream({ operation: 'encrypt', codec: 'VP8' }), [fakeFrame(VP8_KEY)])).length, 0);
  assert.deepEqual(alice.stats.dropped, { NO_SEND_KEY: 1 });
  await alice.setSendKey(makeMediaKey(1));
  const sent = await run(alice.transformStream({ operation: 'encrypt', codec: 'VP8' }), [fakeFrame(VP8_KEY)]);
  const eve = new E2eeState();
  const got = await run(eve.transformStream({ operation: 'decrypt', senderId: 'alice', codec: 'VP8' }),
    [fakeFrame(new Uint8Array(sent[0].data)), fakeFrame(VP8_KEY)]);
  assert.equal(got.length, 0);
  assert.equal(Object.values(eve.stats.dropped).reduce((a, b) => a + b, 0), 2);
  assert.equal(eve.stats.decrypted, 0);
});
