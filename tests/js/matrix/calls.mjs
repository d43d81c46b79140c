// Conference calls placed with matrix-js-sdk's own MatrixCall (unmodified), for the Java tests of
// org.conclave.tests.call: `harness.calls` in the test page. One call per page (one participant), over either
// transport of docs/protocol.md ("Matrix: placing a conference call"): room events in the participant's DM with the
// bot, or to-device messages to the bot's device (then the client must be started with useE2eForGroupCall: false).
// The page keeps what it saw for the test to read (status()): the remote feeds with the stream metadata the bot sent,
// media per remote stream sampled from getStats() (the times of the first decoded frame and the first audio packet
// included), every m.call.* event of the call, the call's states and how it ended.
import * as sdk from 'matrix-js-sdk';
import { CallFeed } from 'matrix-js-sdk/lib/webrtc/callFeed.js';

const SAMPLE_MS = 100;
const CALL_STATE = 'org.conclave.call';
const DEFAULT_TIMEOUT_MS = 30000;

const h = () => window.harness;
const fresh = () => ({ call: null, placedAt: 0, voip: [], states: [], errors: [], media: new Map(), sampler: null,
  sampling: false, onVoip: null, control: null });
const page = fresh();
const noMedia = () => ({ framesDecoded: 0, audioPackets: 0, audioSamples: 0, audioEnergy: 0, firstFrameMs: null,
  firstAudioMs: null });
const sinceCall = () => Math.round(performance.now() - page.placedAt);

/**
 * The participant's DM with the bot (trusted_private_chat, is_direct), once the bot has joined it: unencrypted, or
 * encrypted (Megolm from the start) as Element creates DMs.
 */
async function directRoom(bot, encrypted = false, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const c = h().client;
  const initialState = encrypted ? [{ type: 'm.room.encryption', state_key: '',
    content: { algorithm: 'm.megolm.v1.aes-sha2' } }] : [];
  const { room_id: roomId } = await c.createRoom({ preset: 'trusted_private_chat', is_direct: true, invite: [bot],
    visibility: 'private', initial_state: initialState });
  await c.setAccountData('m.direct', { [bot]: [roomId] });
  await h().waitFor(() => c.getRoom(roomId)?.getMember(bot)?.membership === 'join', "the bot's join of the DM",
    timeoutMs);
  return roomId;
}

/** The running conference from the bot's org.conclave.call state in the room: {groupCallId, focus}. */
async function conference(roomId, timeoutMs = DEFAULT_TIMEOUT_MS) {
  return h().waitFor(() => {
    const events = h().client.getRoom(roomId)?.currentState.getStateEvents(CALL_STATE) ?? [];
    const live = events.find((e) => e.getContent()['m.focus'] && !e.getContent()['m.terminated']);
    return live && { groupCallId: live.getStateKey(), focus: live.getContent()['m.focus'] };
  }, `a running conference in ${roomId}`, timeoutMs);
}

/**
 * Places the call. {roomId, bot, groupCallId, toDevice?: {deviceId, sessionId}, media?: {width, height, frameRate},
 * dataChannel?: label}: roomId is the DM for room events, the conference room for to-device; without media the SDK
 * opens the devices itself (placeVideoCall: Chromium's fake camera at 640x360 and microphone). With a data channel
 * label the page opens the conference's control channel as Conclave Web does (call.createDataChannel once the SDK
 * created its peer connection, so it is in the first offer) and answers the SFU's m.call.ping with m.call.pong
 * (MSC3898; matrix-js-sdk itself does not) until told otherwise (answerPings).
 */
async function place({ roomId, bot, groupCallId, toDevice = null, media = null, dataChannel = null }) {
  if (page.call) throw new Error('this page already placed a call');
  const c = h().client;
  if (toDevice) registerGroupCall(roomId, groupCallId);
  const call = sdk.createNewMatrixCall(c, roomId, { invitee: bot, groupCallId,
    opponentDeviceId: toDevice?.deviceId, opponentSessionId: toDevice?.sessionId });
  if (!call) throw new Error('matrix-js-sdk says this page cannot place calls');
  watch(call);
  if (dataChannel) call.on(sdk.CallEvent.PeerConnectionCreated, () => control(call, dataChannel));
  if (media) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true,
      video: { width: media.width, height: media.height, frameRate: media.frameRate } });
    await call.placeCallWithCallFeeds([new CallFeed({ client: c, roomId, userId: c.getUserId(),
      deviceId: c.getDeviceId(), stream, purpose: 'm.usermedia', audioMuted: false, videoMuted: false })]);
  } else {
    await call.placeVideoCall();
  }
  return { callId: call.callId, partyId: c.getDeviceId() };
}

// The SDK takes to-device call events only for a group call it knows (CallEventHandler): registered, never entered
// (entering writes org.matrix.msc3401.call.member state), as Conclave Web does (docs/web.md).
function registerGroupCall(roomId, groupCallId) {
  const c = h().client;
  const room = c.getRoom(roomId);
  if (!room) throw new Error(`not in room ${roomId}`);
  c.groupCallEventHandler.groupCalls.set(roomId, new sdk.GroupCall(c, room, sdk.GroupCallType.Video, false,
    sdk.GroupCallIntent.Room, groupCallId, false));
}

function watch(call) {
  page.call = call;
  page.placedAt = performance.now();
  call.on(sdk.CallEvent.State, (state) => page.states.push({ at: sinceCall(), state }));
  call.on(sdk.CallEvent.Error, (e) => page.errors.push(`${e?.code}: ${e?.message}`));
  call.on(sdk.CallEvent.FeedsChanged, () => play(call));
  page.onVoip = (event) => {
    const content = event.getContent();
    if (content.call_id !== call.callId || event.getSender() === h().client.getUserId()) return;
    page.voip.push({ at: sinceCall(), type: event.getType(), toDevice: !event.getRoomId(), seq: content.seq ?? null,
      reason: content.reason ?? null, words: content['org.conclave.reason'] ?? null });
  };
  h().client.on(sdk.ClientEvent.ReceivedVoipEvent, page.onVoip);
  page.sampler = setInterval(sample, SAMPLE_MS);
}

function control(call, label) {
  const channel = call.createDataChannel(label, { ordered: true });
  page.control = { state: 'connecting', answerPings: true, pings: 0, pongs: 0, channel };
  channel.onopen = () => { page.control.state = 'open'; };
  channel.onclose = () => { page.control.state = 'closed'; };
  channel.onmessage = (e) => {
    const message = JSON.parse(e.data);
    if (message.type !== 'm.call.ping') return;
    page.control.pings += 1;
    if (!page.control.answerPings) return;
    channel.send(JSON.stringify({ type: 'm.call.pong', content: {} }));
    page.control.pongs += 1;
  };
}

/** Stops (false) or resumes answering the SFU's pings: a client that hung. Returns the pings seen so far. */
function answerPings(answer) {
  page.control.answerPings = answer;
  return page.control.pings;
}

// Remote audio is decoded only when something plays it out (as an app's <audio> elements do): without that,
// Chromium's inbound audio stats count packets but no samples and no energy.
function play(call) {
  for (const feed of call.getRemoteFeeds()) {
    const id = `audio-${feed.stream.id}`;
    if (document.getElementById(id) || feed.stream.getAudioTracks().length === 0) continue;
    const audio = document.createElement('audio');
    audio.id = id;
    audio.autoplay = true;
    audio.srcObject = feed.stream;
    document.body.append(audio);
  }
}

/** One look at the inbound media, per remote stream; first-frame and first-audio times are kept. */
async function sample() {
  const call = page.call;
  const pc = call?.peerConn;
  if (!pc || page.sampling) return;
  page.sampling = true;
  try {
    const owner = new Map(); // track id -> stream id
    for (const feed of call.getRemoteFeeds()) {
      for (const track of feed.stream.getTracks()) owner.set(track.id, feed.stream.id);
    }
    const stats = await pc.getStats();
    if (call !== page.call) return; // reset() forgot the call meanwhile: nothing of it goes into the new one's page
    for (const s of stats.values()) {
      const streamId = s.type === 'inbound-rtp' ? owner.get(s.trackIdentifier) : undefined;
      if (!streamId) continue;
      const m = page.media.get(streamId) ?? noMedia();
      if (s.kind === 'video') {
        m.framesDecoded = s.framesDecoded ?? 0;
        if (m.framesDecoded > 0 && m.firstFrameMs === null) m.firstFrameMs = sinceCall();
      } else if (s.kind === 'audio') {
        m.audioPackets = s.packetsReceived ?? 0;
        m.audioEnergy = s.totalAudioEnergy ?? 0;
        m.audioSamples = s.totalSamplesReceived ?? 0;
        if (m.audioPackets > 0 && m.firstAudioMs === null) m.firstAudioMs = sinceCall();
      }
      page.media.set(streamId, m);
    }
    if (call.state === 'ended') clearInterval(page.sampler);
  } finally {
    if (call === page.call) page.sampling = false;
  }
}

/**
 * What the page knows of its call: state, how it ended, the remote feeds (the feed's own fields, the bot's metadata
 * for its stream, media) and the m.call.* events the bot sent.
 */
function status() {
  const call = page.call;
  if (!call) return null;
  const meta = call.remoteSDPStreamMetadata ?? {};
  return {
    callId: call.callId,
    state: call.state,
    hangupParty: call.hangupParty ?? null,
    hangupReason: call.hangupReason ?? null,
    states: page.states,
    errors: page.errors,
    voip: page.voip,
    control: page.control && { state: page.control.state, pings: page.control.pings, pongs: page.control.pongs },
    // m-lines of the session (one transceiver each): what the SFU's re-offers made it grow to
    transceivers: call.peerConn ? call.peerConn.getTransceivers().length : 0,
    idleLines: call.peerConn ? call.peerConn.getTransceivers().filter((t) => t.currentDirection === 'inactive').length
      : 0,
    feeds: call.getRemoteFeeds().map((feed) => ({
      streamId: feed.stream.id,
      purpose: feed.purpose,
      userId: feed.userId,
      audioMuted: feed.isAudioMuted(),
      videoMuted: feed.isVideoMuted(),
      meta: meta[feed.stream.id] ?? null,
      ...(page.media.get(feed.stream.id) ?? noMedia()),
    })),
  };
}

/**
 * Waits until, for every {userId, purpose} wanted, a remote feed of that purpose whose metadata names that user has
 * decoded at least `frames` video frames and received at least `packets` audio packets and played out sound (energy
 * above 0), unless `packets` is 0 (no audio expected).
 */
async function awaitMedia({ senders, frames = 20, packets = 50, timeoutMs = DEFAULT_TIMEOUT_MS }) {
  const decoding = (want) => status()?.feeds.find((f) => f.meta?.user_id === want.userId
    && f.purpose === (want.purpose ?? 'm.usermedia') && f.framesDecoded >= frames && f.audioPackets >= packets
    && (packets === 0 || f.audioEnergy > 0));
  try {
    return await h().waitFor(() => senders.every(decoding) && status(), `media from ${JSON.stringify(senders)}`,
      timeoutMs);
  } catch (e) {
    throw new Error(`${e.message}; the call: ${JSON.stringify(status())}`);
  }
}

/** Waits until the call has ended (by either side); returns its status. */
async function awaitEnded(timeoutMs = DEFAULT_TIMEOUT_MS) {
  return h().waitFor(() => page.call?.state === 'ended' && status(), 'the end of the call', timeoutMs);
}

async function setMicrophoneMuted(muted) {
  return page.call.setMicrophoneMuted(muted);
}

async function setScreensharing(enabled) {
  return page.call.setScreensharingEnabled(enabled);
}

/** The ICE username fragment of a session description (the first a=ice-ufrag: every m-line shares it, BUNDLE). */
const ufrag = (description) => description?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1] ?? null;

/**
 * Restarts ICE the way the SDK does 2 s after ICE went "disconnected" (call.js: peerConn.restartIce(), then its own
 * negotiationneeded handler sends an m.call.negotiate offer with new credentials), and waits until the bot's answer
 * brought new credentials too and ICE is connected, then until every remote video decoded a frame after that
 * (resumed), then `frames` more than before the restart (flowing). Returns {ufrags: {local: [old, new], remote: [old,
 * new]}, answeredMs, resumedMs, flowingMs} (ms from the restart).
 */
async function restartIce({ frames = 10, timeoutMs = DEFAULT_TIMEOUT_MS }) {
  const pc = page.call.peerConn;
  const before = { local: ufrag(pc.currentLocalDescription), remote: ufrag(pc.currentRemoteDescription) };
  const videos = [...page.media].filter(([, m]) => m.framesDecoded > 0).map(([id]) => id);
  if (videos.length === 0) throw new Error('no remote video decoding before the restart');
  const decoded = () => new Map(videos.map((id) => [id, page.media.get(id).framesDecoded]));
  const start = performance.now();
  const since = () => Math.round(performance.now() - start);
  const atStart = decoded();
  pc.restartIce();
  await h().waitFor(() => pc.signalingState === 'stable' && ufrag(pc.currentLocalDescription) !== before.local
    && ufrag(pc.currentRemoteDescription) !== before.remote
    && ['connected', 'completed'].includes(pc.iceConnectionState),
  'the answer to the ICE restart offer, and ICE connected again', timeoutMs);
  const answeredMs = since();
  const atAnswer = decoded();
  await h().waitFor(() => videos.every((id) => page.media.get(id).framesDecoded > atAnswer.get(id)),
    'a frame of every remote video after the ICE restart', timeoutMs);
  const resumedMs = since();
  await h().waitFor(() => videos.every((id) => page.media.get(id).framesDecoded >= atStart.get(id) + frames),
    `${frames} more frames of every remote video after the ICE restart`, timeoutMs);
  return {
    ufrags: { local: [before.local, ufrag(pc.currentLocalDescription)],
      remote: [before.remote, ufrag(pc.currentRemoteDescription)] },
    answeredMs,
    resumedMs,
    flowingMs: since(),
  };
}

function hangup() {
  page.call.hangup('user_hangup', false); // CallErrorCode.UserHangup (not exported by the SDK's entry point)
}

/**
 * Forgets the ended call and stops the client, so the page can log in as someone else and call again (a fresh page
 * costs a load of the SDK's bundle, slow on a busy machine).
 */
function reset() {
  if (page.call && page.call.state !== 'ended') throw new Error(`the call is still ${page.call.state}`);
  clearInterval(page.sampler);
  if (page.onVoip) h().client.removeListener(sdk.ClientEvent.ReceivedVoipEvent, page.onVoip);
  document.querySelectorAll('audio[id^="audio-"]').forEach((a) => a.remove());
  h().client.stopClient();
  Object.assign(page, fresh());
}

export const calls = { directRoom, conference, place, status, awaitMedia, awaitEnded, setMicrophoneMuted,
  setScreensharing, restartIce, answerPings, hangup, reset };
