// Every vector of the RFC 9605 test-vector file, shared with the Java tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAead, decodeHeader, deriveKeyAndSalt, encodeHeader, keyLabel, nonceFor, saltLabel, SFrameReceiver, SFrameSender,
  concat, SFrameError,
} from '../sframe.mjs';
import { bytes, hex, vectors } from '../test-support/util.mjs';

const v = vectors();

test('the vector file has every section', () => {
  assert.equal(v.header.length, 289);
  assert.equal(v.aes_ctr_hmac.length, 3);
  assert.equal(v.sframe.length, 5);
});

test('header vectors encode and decode (289)', () => {
  for (const h of v.header) {
    const kid = BigInt(h.kid);
    const ctr = BigInt(h.ctr);
    assert.equal(hex(encodeHeader(kid, ctr)), h.encoded, `${h.kid}/${h.ctr}`);
    const b = bytes(h.encoded);
    assert.deepEqual(decodeHeader(b), { kid, ctr, length: b.length });
    if (b.length > 1) {
      assert.throws(() => decodeHeader(b, 0, b.length - 1), (e) => e instanceof SFrameError && e.reason === 'SYNTAX');
    }
  }
});

for (const c of v.aes_ctr_hmac) {
  test(`aes_ctr_hmac vector, suite ${c.cipher_suite}`, async () => {
    const key = bytes(c.key);
    assert.equal(hex(key.subarray(0, 16)), c.enc_key);
    assert.equal(hex(key.subarray(16)), c.auth_key);
    const aead = await createAead(c.cipher_suite, key);
    const sealed = await aead.seal(bytes(c.nonce), bytes(c.aad), bytes(c.pt));
    assert.equal(hex(sealed), c.ct);
    assert.equal(hex(await aead.open(bytes(c.nonce), bytes(c.aad), bytes(c.ct))), c.pt);
    const bad = bytes(c.ct);
    bad[bad.length - 1] ^= 1;
    assert.equal(await aead.open(bytes(c.nonce), bytes(c.aad), bad), null);
  });
}

for (const s of v.sframe) {
  test(`sframe vector, suite ${s.cipher_suite}`, async () => {
    const kid = BigInt(s.kid);
    const ctr = BigInt(s.ctr);
    assert.equal(hex(keyLabel(s.cipher_suite, kid)), s.sframe_key_label);
    assert.equal(hex(saltLabel(s.cipher_suite, kid)), s.sframe_salt_label);
    const d = await deriveKeyAndSalt(s.cipher_suite, kid, bytes(s.base_key));
    assert.equal(hex(d.secret), s.sframe_secret);
    assert.equal(hex(d.key), s.sframe_key);
    assert.equal(hex(d.salt), s.sframe_salt);
    assert.equal(hex(nonceFor(d.salt, ctr)), s.nonce);
    assert.equal(hex(concat(encodeHeader(kid, ctr), bytes(s.metadata))), s.aad);

    const sender = new SFrameSender(s.cipher_suite);
    await sender.useKey(kid, bytes(s.base_key));
    assert.equal(hex(await sender.encryptAt(ctr, bytes(s.pt), bytes(s.metadata))), s.ct);
    const receiver = new SFrameReceiver(s.cipher_suite);
    await receiver.addKey(kid, bytes(s.base_key));
    assert.equal(hex(await receiver.decrypt(bytes(s.ct), bytes(s.metadata))), s.pt);
  });
}
