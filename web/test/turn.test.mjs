// TURN credentials from Conclave's public listener, through a Matrix OpenID token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conclaveTurnServers } from '../src/conference/turn.js';

const client = { getOpenIdToken: async () => ({ access_token: 'oid', token_type: 'Bearer',
  matrix_server_name: 'hs.test', expires_in: 3600 }) };
const answer = (status, body) => async () => ({ status, ok: status < 300, json: async () => body });

test('credentials become an RTCIceServer; the request proves who we are with the OpenID token', async () => {
  let sent = null;
  const fetchImpl = async (url, init) => {
    sent = { url, body: JSON.parse(init.body) };
    return answer(200, { username: '1:@a:hs.test', password: 'pw', uris: ['turn:t.example:3478'], ttl: 60 })();
  };
  assert.deepEqual(await conclaveTurnServers(client, '!r:hs.test', fetchImpl),
    [{ urls: ['turn:t.example:3478'], username: '1:@a:hs.test', credential: 'pw' }]);
  assert.equal(sent.url, 'api/v1/turn');
  assert.deepEqual(sent.body, { conference_id: '!r:hs.test', openid_token: await client.getOpenIdToken() });
});

test('no TURN configured, refused, or unreachable: the call goes without a relay', async () => {
  assert.deepEqual(await conclaveTurnServers(client, '!r', answer(404, { errcode: 'M_NOT_FOUND' })), []);
  assert.deepEqual(await conclaveTurnServers(client, '!r', answer(403, { errcode: 'M_FORBIDDEN', error: 'no' })), []);
  assert.deepEqual(await conclaveTurnServers(client, '!r', async () => { throw new TypeError('network'); }), []);
  assert.deepEqual(await conclaveTurnServers({ getOpenIdToken: async () => { throw new Error('x'); } }, '!r',
    answer(200, {})), []);
});
