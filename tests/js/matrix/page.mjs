// The matrix-js-sdk test page: the SDK (unmodified, from npm) and its Rust crypto, bundled by build.mjs into
// dist/page.js and loaded by page.html. Scenarios are not written here: the Java test sends them to the page through
// driver.mjs as async functions that use `window.sdk` (the whole SDK) and `window.harness` (below).
import * as sdk from 'matrix-js-sdk';
import { calls } from './calls.mjs';

const DEFAULT_TIMEOUT_MS = 20000;
const POLL_MS = 50;

/** Resolves when `check()` returns something truthy (returned), rejects after `timeoutMs` naming `what`. */
async function waitFor(check, what, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Logs in with a password (m.login.password, identifier m.id.user) as a real client would, then builds the client
 * from the credentials, starts the Rust crypto (in memory: every page is a fresh device) and syncs until PREPARED.
 * The client is kept as `harness.client`. `clientOpts` go to createClient (e.g. useE2eForGroupCall: false for
 * to-device calls).
 */
async function login(baseUrl, user, password, { crypto = true, startOpts = {}, clientOpts = {} } = {}) {
  const anonymous = sdk.createClient({ baseUrl });
  const creds = await anonymous.loginRequest({
    type: 'm.login.password',
    identifier: { type: 'm.id.user', user },
    password,
    initial_device_display_name: `test page of ${user}`,
  });
  anonymous.stopClient();
  return start(baseUrl, creds, { crypto, startOpts, clientOpts });
}

/** Starts a client from existing credentials ({user_id, device_id, access_token}). */
async function start(baseUrl, creds, { crypto = true, startOpts = {}, clientOpts = {} } = {}) {
  const client = sdk.createClient({
    ...clientOpts,
    baseUrl,
    userId: creds.user_id,
    deviceId: creds.device_id,
    accessToken: creds.access_token,
    timelineSupport: true,
  });
  if (crypto) await client.initRustCrypto({ useIndexedDB: false });
  // Every to-device message as the application sees it (decrypted when it came Olm-encrypted).
  client.on(sdk.ClientEvent.ReceivedToDeviceMessage, ({ message, encryptionInfo }) => {
    harness.toDevice.push({ type: message.type, sender: message.sender, content: message.content,
      encrypted: encryptionInfo != null, senderDevice: encryptionInfo?.senderDevice ?? null });
  });
  const prepared = new Promise((resolve, reject) => {
    client.on(sdk.ClientEvent.Sync, (state, _prev, data) => {
      if (state === sdk.SyncState.Prepared) resolve();
      if (state === sdk.SyncState.Error) reject(new Error(`sync error: ${data?.error?.message}`));
    });
  });
  await client.startClient({ initialSyncLimit: 20, ...startOpts });
  await prepared;
  harness.client = client;
  return { userId: creds.user_id, deviceId: creds.device_id };
}

/** The room's timeline events as {type, clearType, sender, body, decrypted, failed} once decryption settled. */
async function timeline(roomId) {
  const room = harness.client.getRoom(roomId);
  if (!room) return [];
  const events = room.getLiveTimeline().getEvents();
  await Promise.all(events.map((e) => (e.isBeingDecrypted() ? e.getDecryptionPromise() : null)));
  return events.map((e) => ({
    id: e.getId(),
    type: e.getWireType(),
    clearType: e.getType(),
    sender: e.getSender(),
    body: e.getContent()?.body ?? null,
    encrypted: e.isEncrypted(),
    failed: e.isDecryptionFailure(),
  }));
}

const harness = { client: null, login, start, waitFor, timeline, toDevice: [] };
// Conference calls with the SDK's MatrixCall (calls.mjs).
harness.calls = calls;
window.sdk = sdk;
window.harness = harness;
window.harnessReady = true;
