// Relay-only ICE through a TURN server whose credentials Conclave hands out to members of a conference
// (POST <public listener>/api/v1/turn), the way a client behind a hostile network gets them: it asks its homeserver
// for an OpenID token (POST /_matrix/client/v3/user/{userId}/openid/request_token) and gives that to Conclave.

async function post(url, body, accessToken) {
  const headers = { 'Content-Type': 'application/json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

/** RTCPeerConnection settings that only ever use the TURN relay, with credentials minted by Conclave. */
export async function relayConfig({ turnApi, hsUrl, hsToken, userId, conference }, log) {
  const openid = await post(`${hsUrl}/_matrix/client/v3/user/${encodeURIComponent(userId)}/openid/request_token`, {},
    hsToken);
  const creds = await post(turnApi, { conference_id: conference, openid_token: openid });
  log(`TURN credentials for ${creds.username} (ttl ${creds.ttl} s): ${creds.uris.join(' ')}`);
  return {
    iceServers: [{ urls: creds.uris, username: creds.username, credential: creds.password }],
    iceTransportPolicy: 'relay',
  };
}

/** The local and remote candidate stats of the selected candidate pair (null where there is none). */
export async function selectedPair(pc) {
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
  });
  if (!pair) stats.forEach((s) => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s; });
  return { local: pair ? stats.get(pair.localCandidateId) ?? null : null,
    remote: pair ? stats.get(pair.remoteCandidateId) ?? null : null };
}

/** The candidate type ("host", "srflx", "prflx", "relay") of our side of the selected candidate pair, or null. */
export async function selectedLocalCandidateType(pc) {
  const { local } = await selectedPair(pc);
  return local ? local.candidateType : null;
}
