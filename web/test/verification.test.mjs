// Device verification levels from the crypto's status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Verification } from '../src/conference/verification.js';

const status = (verified) => ({ isVerified: () => verified });

test('verified, unverified and unknown devices; a change is told once, no change is not', async () => {
  const answers = new Map([['@a:hs|A', status(true)], ['@b:hs|B', status(false)]]);
  const crypto = { getDeviceVerificationStatus: async (u, d) => answers.get(`${u}|${d}`) ?? null };
  let changes = 0;
  const v = new Verification(crypto, () => changes++);
  const devices = [{ userId: '@a:hs', deviceId: 'A' }, { userId: '@b:hs', deviceId: 'B' },
    { userId: '@c:hs', deviceId: 'C' }, { userId: '@d:hs', deviceId: null }];
  await v.refresh(devices);
  assert.equal(changes, 1);
  assert.deepEqual([v.of('@a:hs', 'A'), v.of('@b:hs', 'B'), v.of('@c:hs', 'C'), v.of('@d:hs', null)],
    ['verified', 'unverified', 'unknown', null]);
  await v.refresh(devices);
  assert.equal(changes, 1);
  answers.set('@b:hs|B', status(true));
  await v.refresh(devices);
  assert.equal(changes, 2);
  assert.equal(v.of('@b:hs', 'B'), 'verified');
});

test('a crypto error reads as unknown, never as verified', async () => {
  const v = new Verification({ getDeviceVerificationStatus: async () => { throw new Error('no'); } }, () => {});
  await v.refresh([{ userId: '@a:hs', deviceId: 'A' }]);
  assert.equal(v.of('@a:hs', 'A'), 'unknown');
});
