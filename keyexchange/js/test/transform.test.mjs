import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectWorker, E2eeState } from '../transform.mjs';
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

/** A worker scope as connectWorker sees it: two handlers it sets, postMessage it calls. */
function fakeScope() {
  const posted = [];
  return { posted, postMessage: (m) => posted.push(m), send: async function send(data) { await this.onmessage({ data }); } };
}

/** A transformer fed with {@code frames}; resolves its output frames once the pipe has drained. */
function fakeTransformer(options, frames) {
  const out = [];
  let done;
  const drained = new Promise((r) => { done = r; });
  const transformer = {
    options,
    keyFrameRequests: 0,
    sendKeyFrameRequest() { this.keyFrameRequests++; return Promise.resolve(); },
    readable: new ReadableStream({ start(c) { frames.forEach((f) => c.enqueue(f)); c.close(); } }),
    writable: new WritableStream({ write(f) { out.push(f); }, close() { done(out); } }),
  };
  return { transformer, drained };
}

test('a connected worker scope installs keys by message, pipes transformers and reports stats', async () => {
  const alice = fakeScope();
  const bob = fakeScope();
  connectWorker(alice);
  connectWorker(bob);
  const key = makeMediaKey(3);
  await alice.send({ type: 'setSendKey', index: key.index, key: key.key, id: 1 });
  assert.deepEqual(alice.posted, [{ type: 'ack', id: 1 }]);
  const sending = fakeTransformer({ operation: 'encrypt', codec: 'VP8' }, [fakeFrame(VP8_KEY)]);
  alice.onrtctransform({ transformer: sending.transformer });
  const wire = new Uint8Array((await sending.drained)[0].data);

  const receiving = fakeTransformer({ operation: 'decrypt', senderId: 'alice', codec: 'VP8' }, [fakeFrame(wire)]);
  const other = fakeTransformer({ operation: 'decrypt', senderId: 'carol', codec: 'VP8' }, []);
  // The key arrives while the receiving pipe is open: only alice's receiver is asked for a key frame, and once.
  let release;
  const held = new ReadableStream({ start(c) { release = () => { c.enqueue(fakeFrame(wire)); c.close(); }; } });
  receiving.transformer.readable = held;
  bob.onrtctransform({ transformer: receiving.transformer });
  bob.onrtctransform({ transformer: other.transformer });
  await bob.send({ type: 'addRemoteKey', senderId: 'alice', index: key.index, key: key.key, id: 7 });
  await bob.send({ type: 'addRemoteKey', senderId: 'alice', index: key.index, key: key.key, id: 8 });
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(receiving.transformer.keyFrameRequests, 1);
  assert.equal(other.transformer.keyFrameRequests, 0);
  release();
  assert.deepEqual(new Uint8Array((await receiving.drained)[0].data), VP8_KEY);

  await bob.send({ type: 'stats', id: 9 });
  assert.deepEqual(bob.posted.at(-1), { type: 'stats', id: 9, stats: { encrypted: 0, decrypted: 1, dropped: {} } });
  await bob.send({ type: 'nonsense', id: 10 });
  assert.equal(bob.posted.at(-1).type, 'error');
  assert.equal(bob.posted.at(-1).id, 10);
});

test('a transformer with unusable options is refused and counted, not piped', async () => {
  const scope = fakeScope();
  const state = connectWorker(scope);
  const t = fakeTransformer({ operation: 'scramble' }, [fakeFrame(VP8_KEY)]);
  scope.onrtctransform({ transformer: t.transformer });
  assert.deepEqual(state.stats.dropped, { BAD_OPTIONS: 1 });
  assert.equal(scope.posted[0].type, 'error');
});
