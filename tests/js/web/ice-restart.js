// ICE restart as matrix-js-sdk's MatrixCall does it (src/webrtc/call.ts onIceConnectionStateChanged): 2 s after ICE
// goes "disconnected" (at once on "failed") it calls pc.restartIce() and renegotiates. We then measure, with getStats
// every 50 ms, how long until every inbound track receives packets again and every inbound video decodes frames
// again, and keep the numbers in session.iceRestarts (the report's "iceRestarts").

const ICE_RECONNECTING_TIMEOUT_MS = 2000; // matrix-js-sdk's ICE_RECONNECTING_TIMEOUT
const MEASURE_FOR_MS = 10000;
const POLL_MS = 50;

export function restartIceOnDisconnect(session, log) {
  const pc = session.pc;
  let timer = null;
  let restarting = false;
  const restart = async () => {
    timer = null;
    if (restarting || session.closed) return;
    restarting = true;
    try {
      session.iceRestarts.push(await restartAndMeasure(session, log));
    } catch (e) {
      session.error(new Error(`ICE restart: ${e.message}`));
    } finally {
      restarting = false;
    }
  };
  pc.addEventListener('iceconnectionstatechange', () => {
    const state = pc.iceConnectionState;
    log(`iceConnectionState ${state}`);
    if (state === 'disconnected' && timer === null) {
      timer = setTimeout(restart, ICE_RECONNECTING_TIMEOUT_MS);
    } else if (state === 'failed') {
      clearTimeout(timer);
      restart();
    } else if (state === 'connected' || state === 'completed') {
      clearTimeout(timer);
      timer = null;
    }
  });
}

async function restartAndMeasure(session, log) {
  const pc = session.pc;
  const before = await inbound(pc);
  const startedAtEpochMs = Date.now();
  const t0 = performance.now();
  log('ICE restart');
  const { oldSfuUfrag, newSfuUfrag } = await session.restartIce();
  const answeredMs = Math.round(performance.now() - t0);
  log(`ICE restart answered after ${answeredMs} ms: SFU ufrag ${oldSfuUfrag} -> ${newSfuUfrag}`);
  let connectedMs = null;
  let packetsResumedMs = null;
  let framesResumedMs = null;
  while (performance.now() - t0 < MEASURE_FOR_MS) {
    const now = await inbound(pc);
    const elapsed = Math.round(performance.now() - t0);
    if (connectedMs === null && ['connected', 'completed'].includes(pc.iceConnectionState)) connectedMs = elapsed;
    if (packetsResumedMs === null && grew(before, now, 'packetsReceived', () => true)) packetsResumedMs = elapsed;
    if (framesResumedMs === null && grew(before, now, 'framesDecoded', (s) => s.kind === 'video')) framesResumedMs = elapsed;
    if (connectedMs !== null && packetsResumedMs !== null && framesResumedMs !== null) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  log(`ICE restart: connected after ${connectedMs} ms, packets after ${packetsResumedMs} ms, frames after ${framesResumedMs} ms`);
  return { startedAtEpochMs, answeredMs, connectedMs, packetsResumedMs, framesResumedMs, oldSfuUfrag, newSfuUfrag };
}

/** inbound-rtp stats by track identifier. */
async function inbound(pc) {
  const out = new Map();
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp') out.set(s.trackIdentifier, s);
  });
  return out;
}

/** Whether every inbound track {@code which} selects counts more of {@code field} now than before (and there is one). */
function grew(before, now, field, which) {
  let any = false;
  for (const [id, s] of now) {
    if (!which(s)) continue;
    any = true;
    if (!((s[field] ?? 0) > ((before.get(id) || {})[field] ?? 0))) return false;
  }
  return any;
}
