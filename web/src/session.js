// The Matrix session: password login (or an access token), the client with its Rust crypto, and sync until
// prepared. The session (user, device, token, homeserver) is kept in localStorage and the crypto store in IndexedDB,
// so a reload is the same device. useE2eForGroupCall: false because the SDK's encrypted to-device call path throws
// "Unimplemented" and Conclave's bot cannot read Olm anyway; the call events carry no media key (docs/web.md).
import { ClientEvent, createClient, SyncState } from 'matrix-js-sdk';

const STORAGE_KEY = 'conclave.session';
const SYNC_TIMEOUT_MS = 60000;

export async function passwordLogin(baseUrl, user, password) {
  const anonymous = createClient({ baseUrl });
  try {
    return { ...(await anonymous.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user },
      password, initial_device_display_name: 'Conclave Web' })), baseUrl };
  } finally {
    anonymous.stopClient();
  }
}

export function savedSession() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

export function forgetSession() {
  localStorage.removeItem(STORAGE_KEY);
}

/** Starts a client for {baseUrl, user_id, device_id, access_token}; resolves when the first sync is in. */
export async function startClient(session) {
  const client = createClient({ baseUrl: session.baseUrl, userId: session.user_id, deviceId: session.device_id,
    accessToken: session.access_token, timelineSupport: true, useE2eForGroupCall: false });
  await client.initRustCrypto({ useIndexedDB: typeof indexedDB !== 'undefined',
    cryptoDatabasePrefix: `conclave-${session.user_id}-${session.device_id}` });
  const prepared = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the homeserver did not answer the first sync')), SYNC_TIMEOUT_MS);
    client.on(ClientEvent.Sync, (state, _prev, data) => {
      if (state === SyncState.Prepared) {
        clearTimeout(timer);
        resolve();
      }
      if (state === SyncState.Error && data?.error?.errcode === 'M_UNKNOWN_TOKEN') {
        clearTimeout(timer);
        reject(new Error('the homeserver no longer knows this login; log in again'));
      }
    });
  });
  await client.startClient({ initialSyncLimit: 50 });
  await prepared;
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return client;
}
