// TURN relays for networks that do not let media reach the conference server directly: Conclave's public listener
// hands short-lived credentials to members of the conference room, who prove who they are with a Matrix OpenID token
// (POST /api/v1/turn, docs/protocol.md "Public HTTP API"). No TURN configured (404) or no credentials to be had: the
// call goes without a relay (and fails with "your network blocks the connection" if it needed one).
export const TURN_PATH = 'api/v1/turn';

/** RTCIceServer entries for the call ([] when there are none). */
export async function conclaveTurnServers(client, roomId, fetchImpl = globalThis.fetch) {
  try {
    const openid = await client.getOpenIdToken();
    const response = await fetchImpl(TURN_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ conference_id: roomId, openid_token: openid }) });
    if (response.status === 404) return [];
    const body = await response.json();
    if (!response.ok) {
      console.warn(`[turn] no relay credentials: ${body.error ?? response.status}`);
      return [];
    }
    if (!Array.isArray(body.uris) || !body.uris.length) return [];
    return [{ urls: body.uris, username: body.username, credential: body.password }];
  } catch (e) {
    console.warn(`[turn] no relay credentials: ${e.message}`);
    return [];
  }
}
