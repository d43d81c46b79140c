// A browser test participant, opened by chromium-peers.mjs as
//   /static/peer.html?conference=C&participant=NAME&durationMs=N&role=GUEST&video=1&audio=1
//                    [&simulcast=1][&badFingerprint=1][&payloadCheck=1]
//                    [&e2ee=encrypt|nokeys|plain][&requireE2ee=1][&leaveAfterMs=N][&statsIntervalMs=N]
//                    [&datachannel=1][&dataOnly=1][&pingSizes=100,10000][&restartIceOnDisconnect=1]
//                    [&turnApi=URL&hsUrl=URL&hsToken=T&userId=@u:hs][&iceTcp=1]
// It sends fake-device camera/microphone (what video/audio select; neither = receive only), answers the SFU's
// re-offers, plays every remote track (muted) so it decodes, and after durationMs publishes its report as
// window.__results. window.__close() then leaves the conference.
// e2ee: media through the SFrame transform with keys exchanged in the room (see e2ee.js); the report gets an "e2ee"
// part. requireE2ee: allocate in a conference that forwards only encrypted media. leaveAfterMs: report at that time,
// then leave the room and the conference (the others rotate their keys). statsIntervalMs: post the report to the
// signal server that often while running (tests follow frameWidth, freezes and repair counters live).
// datachannel: ping/pong over a reliable and an unreliable data channel (datachannel-check.js; report part
// "datachannel"). dataOnly: no audio/video m-lines at all, only the data channels (implies datachannel).
// turnApi: ICE only through TURN (iceTransportPolicy relay), with credentials from Conclave's TURN API for the user
// hsToken logs in as (turn.js); a selected pair that is not relayed is reported as an error.
// iceTcp: a client whose network blocks UDP: the SFU's UDP candidates are removed from every SDP before it is applied,
// so ICE can only pair the SFU's passive TCP candidates (ICE-TCP, RFC 6544); a selected pair that is not TCP on both
// sides is reported as an error (tcp.js).
// restartIceOnDisconnect: what matrix-js-sdk's MatrixCall does when ICE breaks: restartIce() 2 s after ICE went
// "disconnected" (at once on "failed"), then measure how long until every inbound track receives (and video decodes)
// again (report part "iceRestarts").

import { SignalClient } from './signal-client.js';
import { PC_CONFIG, Session } from './session.js';
import { attach, trailerAppender, trailerChecker } from './payload-check.js';
import { E2eePeer } from './e2ee.js';
import { DataChannelCheck, pingSizes } from './datachannel-check.js';
import { relayConfig, selectedLocalCandidateType } from './turn.js';
import { restartIceOnDisconnect } from './ice-restart.js';
import { selectedPairProtocols, withoutUdpCandidates } from './tcp.js';

const VIDEO_CONSTRAINTS = { width: 640, height: 360 };
// Simulcast layers low to high; the browser offers them (as answerer it rejects a=simulcast).
const SIMULCAST_ENCODINGS = [
  { rid: 'l', scaleResolutionDownBy: 4 },
  { rid: 'm', scaleResolutionDownBy: 2 },
  { rid: 'h', scaleResolutionDownBy: 1 },
];

const q = new URLSearchParams(location.search);
const flag = (name) => ['1', 'true'].includes(q.get(name));
const cfg = {
  conference: q.get('conference'),
  participant: q.get('participant'),
  role: q.get('role') || 'GUEST',
  durationMs: Number(q.get('durationMs') || 10000),
  video: flag('video'),
  audio: flag('audio'),
  simulcast: flag('simulcast'),
  badFingerprint: flag('badFingerprint'),
  payloadCheck: flag('payloadCheck'),
  e2ee: q.get('e2ee'),
  requireE2ee: flag('requireE2ee'),
  leaveAfterMs: Number(q.get('leaveAfterMs') || 0),
  statsIntervalMs: Number(q.get('statsIntervalMs') || 0),
  dataOnly: flag('dataOnly'),
  datachannel: flag('datachannel') || flag('dataOnly'),
  pingSizes: q.get('pingSizes'),
  turnApi: q.get('turnApi'),
  hsUrl: q.get('hsUrl'),
  hsToken: q.get('hsToken'),
  userId: q.get('userId'),
  restartIceOnDisconnect: flag('restartIceOnDisconnect'),
  iceTcp: flag('iceTcp'),
};
const T0 = Date.now();
const log = (...args) => console.log(...args);
let session = null;
let e2ee = null;
let dataCheck = null;

window.__results = undefined;
window.__close = async () => {
  if (e2ee) await e2ee.leave().catch(() => {});
  if (session) await session.close();
};

/** Adds what we send (or receive-only transceivers); returns the local stream, or null. */
async function addLocalMedia(pc) {
  if (cfg.dataOnly) return null;
  if (!cfg.audio && !cfg.video) {
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    if (e2ee) e2ee.attachSenders(pc, null);
    return null;
  }
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: cfg.audio,
    video: cfg.video ? VIDEO_CONSTRAINTS : false,
  });
  for (const track of stream.getTracks()) {
    if (track.kind === 'video' && cfg.simulcast) {
      pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream], sendEncodings: SIMULCAST_ENCODINGS });
    } else {
      pc.addTrack(track, stream);
    }
  }
  if (cfg.payloadCheck) {
    for (const sender of pc.getSenders()) {
      if (sender.track) attach(sender, trailerAppender(), (e) => session.error(e));
    }
  }
  if (e2ee) e2ee.attachSenders(pc, stream); // no await since addTrack: see attachSenders
  return stream;
}

function onTrack(event) {
  const info = session.addRemoteTrack(event);
  if (cfg.payloadCheck) attach(event.receiver, trailerChecker(info), (e) => session.error(e));
  if (e2ee) e2ee.attachReceiver(event);
  // A track decodes only with a sink: play it, muted so autoplay needs no gesture.
  const element = document.createElement(event.track.kind === 'video' ? 'video' : 'audio');
  element.muted = true;
  element.autoplay = true;
  element.playsInline = true;
  element.srcObject = new MediaStream([event.track]);
  document.body.appendChild(element);
  element.play().catch(() => {});
}

async function main() {
  if (!cfg.conference || !cfg.participant) throw new Error('conference and participant are required');
  const ice = cfg.turnApi ? await relayConfig(cfg, log) : {};
  const pc = new RTCPeerConnection({ ...PC_CONFIG, ...ice, encodedInsertableStreams: cfg.payloadCheck });
  session = new Session(pc, new SignalClient(''), log);
  pc.ontrack = onTrack;
  if (cfg.iceTcp) session.remoteSdpFilter = withoutUdpCandidates;
  if (cfg.e2ee) {
    e2ee = new E2eePeer(cfg, log);
    await e2ee.installSendKey();
  }
  await addLocalMedia(pc);
  if (cfg.datachannel) dataCheck = new DataChannelCheck(pc, log, pingSizes(cfg.pingSizes));
  await session.start(cfg);
  if (cfg.restartIceOnDisconnect) restartIceOnDisconnect(session, log);
  if (e2ee) await e2ee.start();
  const poster = cfg.statsIntervalMs > 0 ? postStatsEvery(cfg.statsIntervalMs) : null;
  await session.waitFor((cfg.leaveAfterMs || cfg.durationMs) - (Date.now() - T0));
  if (poster) clearInterval(poster);
  const results = await report();
  if (cfg.leaveAfterMs) await window.__close();
  window.__results = results;
}

/** Posts the report every {@code ms}, one at a time (a slow post skips ticks instead of piling up). */
function postStatsEvery(ms) {
  let busy = false;
  return setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await session.client.postStats(await report());
    } catch (e) {
      log(`posting stats: ${e.message}`);
    } finally {
      busy = false;
    }
  }, ms);
}

async function report() {
  const results = await session.results(cfg.participant);
  if (cfg.turnApi) {
    const type = await selectedLocalCandidateType(session.pc);
    log(`selected local candidate: ${type}`);
    if (type !== 'relay') results.error = [results.error, `selected local candidate is ${type}, not relay`].filter(Boolean).join('; ');
  }
  if (cfg.iceTcp) {
    const pair = await selectedPairProtocols(session.pc);
    log(`selected pair: local ${pair.local}, remote ${pair.remote}`);
    if (pair.local !== 'tcp' || pair.remote !== 'tcp') {
      results.error = [results.error, `selected pair is ${pair.local}/${pair.remote}, not tcp/tcp`].filter(Boolean).join('; ');
    }
  }
  if (dataCheck) results.datachannel = dataCheck.results();
  if (e2ee) {
    results.e2ee = await e2ee.results();
    if (results.e2ee.errors.length) {
      results.error = [results.error, ...results.e2ee.errors].filter(Boolean).join('; ');
    }
  }
  return results;
}

main().catch(async (e) => {
  console.error(`[${cfg.participant}] failed: ${e && e.stack ? e.stack : e}`);
  if (!session) {
    window.__results = { participant: cfg.participant, error: String(e && e.message ? e.message : e), inbound: [], outbound: [] };
    return;
  }
  session.error(e);
  try {
    window.__results = await report();
  } catch (statsError) {
    window.__results = { participant: cfg.participant, error: session.errors.join('; '), inbound: [], outbound: [] };
  }
});
