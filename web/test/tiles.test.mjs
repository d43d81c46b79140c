// What a tile says over its video.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tileWarning } from '../src/ui/tiles.js';

test('a refused sender is marked for others and for itself; a missing key otherwise; nothing when all is well', () => {
  assert.equal(tileWarning({ mediaRefused: true }), 'Not encrypted: held by the server');
  assert.equal(tileWarning({ mediaRefused: true, local: true }), 'Not encrypted: nobody receives your media');
  assert.equal(tileWarning({ mediaRefused: true, noKey: true }), 'Not encrypted: held by the server');
  assert.equal(tileWarning({ noKey: true }), 'No media key yet');
  assert.equal(tileWarning({}), '');
});
