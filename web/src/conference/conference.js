// One person's presence in a Conclave conference: a MatrixCall (matrix-js-sdk's own) to Conclave's bot over
// to-device signalling, the control data channel to the SFU, the SFrame worker and the media keys. The page
// (ui/call-view.js) renders what it exposes and calls its methods. Emits 'change', 'ended' ({detail: Failure|null}).
import { CallEvent, ClientEvent, createNewMatrixCall, GroupCall, GroupCallIntent, GroupCallType } from 'matrix-js-sdk';
import { CallFeed } from 'matrix-js-sdk/lib/webrtc/callFeed.js';
import { ControlChannel } from './control.js';
import { Failure, failures } from './failures.js';
import { MediaKeys } from './media-keys.js';
import { activateWorker, canEncryptMedia, installPeerConnectionHook, SFrameWorker } from './sframe.js';
import { JOINED_EVENT_TYPE, runningConference } from './call-state.js';
import { Quality } from './quality.js';
import { conclaveTurnServers } from './turn.js';
import { Verification } from './verification.js';

/**
 * No answer from the bot within this after our invite went out: the conference server is unreachable. Counted from
 * the invite, not from the click: making the offer and gathering candidates took 12 s on a loaded machine, and the
 * answer then lost the race by a second.
 */
const ANSWER_TIMEOUT_MS = 20000;
/** The invite itself not sent within this (the page could not place the call at all). */
const PLACE_TIMEOUT_MS = 60000;
/** Answered but no media path within this: the network blocks it. */
const CONNECT_TIMEOUT_MS = 20000;
const DATA_CHANNEL_LABEL = 'conclave';
const STATS_EVERY_MS = 2000;
/** The join is recorded in the room once the media keys are through, or after this at the latest. */
const ANNOUNCE_AT_LATEST_MS = 20000;
/** Tiles at least this large (CSS pixels) ask the SFU for full resolution (its threshold is 320x180). */
const FULL_RES_MIN = { width: 480, height: 270 };

/**
 * One of the timers above, or a shorter one from the page's address (?answer_timeout_ms=…, ?connect_timeout_ms=…,
 * ?place_timeout_ms=…): the browser tests of these failures set them so as not to wait 20 s each.
 */
export function timeoutMs(name, fallback, search = globalThis.location?.search ?? '') {
  const v = Number(new URLSearchParams(search).get(name));
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** The SFU's participant id "@user:server/DEVICE" as {userId, deviceId}. */
export function parseParticipant(id) {
  const colon = id.indexOf(':');
  const slash = colon < 0 ? -1 : id.indexOf('/', colon);
  return slash < 0 ? { userId: id, deviceId: null } : { userId: id.slice(0, slash), deviceId: id.slice(slash + 1) };
}

/** mid -> the track id of the m-line's a=msid, from an SDP (attributes in any order within a section). */
export function msidTracksByMid(sdp) {
  const out = new Map();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
    const track = /^a=msid:\S+ (\S+)/m.exec(section)?.[1];
    if (mid && track) out.set(mid, track);
  }
  return out;
}

/**
 * Makes the call handle the SFU's m.call.negotiate events one at a time, in arrival order. matrix-js-sdk starts each
 * as it arrives: an offer the SFU made again (no answer within its offer_answer_timeout_ms, a slow page) then runs
 * alongside the first — setLocalDescription fails "in wrong state: stable", or, as the impolite side, the SDK
 * ignores an offer that arrives while the previous one is not answered yet. A host page under load was seen stuck in
 * have-remote-offer with every later offer ignored. Queued, each offer meets a stable connection and is answered.
 */
export function serializeNegotiation(call) {
  const negotiate = call.onNegotiateReceived.bind(call);
  let queue = Promise.resolve();
  call.onNegotiateReceived = (event) => {
    queue = queue.then(() => negotiate(event)).catch((e) => console.warn('[negotiate]', e.message));
    return queue;
  };
}

export class Conference extends EventTarget {
  /**
   * @param client MatrixClient (started, crypto on, created with useE2eForGroupCall: false)
   * @param room the conference room
   * @param bot {userId, deviceId} of Conclave's bot from the app's config, used while no conference is announced
   */
  constructor(client, room, bot) {
    super();
    this.client = client;
    this.room = room;
    this.bot = bot;
    this.call = null;
    this.control = null;
    this.keys = null;
    this.worker = null;
    this.quality = new Quality();
    this.state = 'idle';        // idle | calling | connecting | connected | ended
    this.failure = null;
    this.endReason = null;       // org.conclave.reason of the bot's reject/hangup
    this.endCode = null;         // org.conclave.code of the bot's hangup (why, when user_hangup cannot say it)
    this.subscriptions = new Map(); // track id -> 'full' | 'thumb'
    this.timers = [];
    this.checkCode = null;
    this.joinedSent = false;
  }

  /** Where the call goes: the announced conference's focus, else the configured bot with conf_id = the room id. */
  target() {
    const running = runningConference(this.room);
    if (running) return { groupCallId: running.groupCallId, userId: running.focus.user_id,
      deviceId: running.focus.device_id, sessionId: running.focus.session_id };
    return { groupCallId: this.room.roomId, userId: this.bot.userId, deviceId: this.bot.deviceId, sessionId: undefined };
  }

  /** Checks what can be checked before calling; throws a Failure. */
  preflight() {
    const membership = this.room.getMyMembership();
    if (membership !== 'join') throw failures.notMember(this.room.name, membership === 'invite');
    const t = this.target();
    if (this.room.getMember(t.userId)?.membership !== 'join') throw failures.noConferenceServer(t.userId);
    if (!canEncryptMedia()) throw failures.noE2ee();
    return t;
  }

  /**
   * While the person looks at the pre-join screen: the crypto learns the members' devices and opens Olm sessions
   * with them (as it does before a first message), so the first media-key sends do not wait for that.
   */
  warmUp() {
    try {
      this.client.getCrypto()?.prepareToEncrypt(this.room);
    } catch (e) {
      console.warn('[keys] could not prepare encryption', e.message);
    }
  }

  /** Joins with this local stream (may have no tracks); resolves once the call is placed. */
  async join(stream, { audioMuted = false, videoMuted = false } = {}) {
    const t = this.preflight();
    this.state = 'calling';
    this.#registerGroupCall(t.groupCallId);
    installPeerConnectionHook();
    this.worker = new SFrameWorker();
    if (new URLSearchParams(location.search).get('diagnostics') === '1') await this.worker.diagnostics(true);
    activateWorker(this.worker);
    this.keys = new MediaKeys(this.client, this.room.roomId, this.worker);
    this.keys.addEventListener('change', () => this.#keysChanged());
    this.verification = new Verification(this.client.getCrypto(), () => this.#emit());
    const [relays] = await Promise.all([conclaveTurnServers(this.client, this.room.roomId), this.keys.start()]);

    const call = createNewMatrixCall(this.client, this.room.roomId, { invitee: t.userId, opponentDeviceId: t.deviceId,
      opponentSessionId: t.sessionId, groupCallId: t.groupCallId });
    if (!call) throw failures.noE2ee();
    call.turnServers = [...call.turnServers, ...relays]; // read when the call makes its RTCPeerConnection
    this.call = call;
    serializeNegotiation(call);
    this.groupCallId = t.groupCallId;
    call.on(CallEvent.PeerConnectionCreated, () => this.#openControl(call.createDataChannel(DATA_CHANNEL_LABEL,
      { ordered: true })));
    call.on(CallEvent.FeedsChanged, () => this.#feedsChanged());
    call.on(CallEvent.State, (s) => this.#callState(s));
    call.on(CallEvent.Hangup, () => this.#hungUp());
    call.on(CallEvent.Error, (e) => console.warn('[call] error', e?.code, e?.message));
    this.onVoip = (event) => {
      const c = event.getContent();
      if (c?.call_id !== call.callId) return;
      if (c['org.conclave.reason']) this.endReason = c['org.conclave.reason'];
      if (c['org.conclave.code']) this.endCode = c['org.conclave.code'];
      // matrix-js-sdk ignores a reject that arrives before its own invite's send resolved (not yet invite_sent),
      // which a loaded page can see: it would then say the server did not answer.
      if (event.getType() === 'm.call.reject' && this.state === 'calling') {
        this.#fail(failures.refusedByServer(c['org.conclave.reason']));
      }
    };
    this.client.on(ClientEvent.ReceivedVoipEvent, this.onVoip);

    const feed = new CallFeed({ client: this.client, roomId: this.room.roomId, userId: this.client.getUserId(),
      deviceId: this.client.getDeviceId(), stream, purpose: 'm.usermedia', audioMuted, videoMuted });
    this.#after(timeoutMs('place_timeout_ms', PLACE_TIMEOUT_MS), () => {
      if (this.state === 'calling') this.#fail(failures.sfuUnreachable('the call could not be placed'));
    });
    await call.placeCallWithCallFeeds([feed]);
    this.#emit();
  }

  #registerGroupCall(groupCallId) {
    // Replies of to-device calls are taken only for a group call the client knows (CallEventHandler). Registered,
    // never entered: entering would write org.matrix.msc3401.call.member state, which guests may not.
    const handler = this.client.groupCallEventHandler;
    if (handler.getGroupCallById(groupCallId)) return;
    const gc = new GroupCall(this.client, this.room, GroupCallType.Video, false, GroupCallIntent.Room, groupCallId,
      true);
    handler.groupCalls.set(this.room.roomId, gc);
  }

  #openControl(channel) {
    this.control = new ControlChannel(channel);
    this.control.addEventListener('change', () => this.#controlChanged());
    this.control.addEventListener('notice', (e) => this.#controlNotice(e.detail));
  }

  #callState(s) {
    if (s === 'invite_sent' && this.state === 'calling') {
      this.#after(timeoutMs('answer_timeout_ms', ANSWER_TIMEOUT_MS), () => {
        if (this.state === 'calling') this.#fail(failures.sfuUnreachable('no answer to the call'));
      });
    } else if (s === 'connecting' && this.state === 'calling') {
      this.state = 'connecting';
      this.#after(timeoutMs('connect_timeout_ms', CONNECT_TIMEOUT_MS), () => {
        if (this.state === 'connecting') this.#fail(failures.network('no ICE connection'));
      });
    } else if (s === 'connected') {
      this.state = 'connected';
      this.#startStats();
      this.#announceJoin();
    }
    this.#emit();
  }

  #hungUp() {
    if (this.state === 'ended') return;
    const reason = this.call.hangupReason;
    const byUs = this.call.hangupParty === 'local';
    if (byUs && reason === 'user_hangup') return this.#end(null);
    const words = this.endReason;
    // A host's removal told by the bot's hangup: the data channel's own message may not have arrived before it closed.
    if (!byUs && this.endCode === 'disconnected') return this.#end(failures.disconnected(words));
    if (!byUs && this.endCode === 'refused') return this.#end(failures.refused(words));
    if (reason === 'ice_failed' || reason === 'ice_timeout') return this.#end(failures.network(reason));
    if (reason === 'invite_timeout') return this.#end(failures.sfuUnreachable(reason));
    if (this.state === 'calling' && !byUs) return this.#end(failures.refusedByServer(words));
    return this.#end(failures.ended(words));
  }

  #controlNotice({ kind, code, reason }) {
    if (kind === 'waiting' && code === 'rejected') this.#fail(failures.refused(reason));
    // Before the bot's hangup (which says "refused" for a timeout too): the SFU tells it on the data channel first.
    else if (kind === 'waiting' && code === 'timed_out') this.#fail(failures.waitingTimedOut(reason));
    else if (kind === 'disconnected') this.#fail(failures.disconnected(reason));
    else if (kind === 'muted' && code === 'please_mute') this.call?.setMicrophoneMuted(true);
    this.dispatchEvent(new CustomEvent('notice', { detail: { kind, code, reason } }));
  }

  #controlChanged() {
    const c = this.control;
    if (c.waiting === 'waiting' || !c.me || !c.rosterKnown) return this.#emit();
    const devices = [...c.roster.values()].filter((e) => !e.waiting && e.id !== c.me.endpoint_id)
      .map((e) => parseParticipant(e.participant));
    this.keys.setParticipants(devices).catch((e) => console.warn('[keys]', e));
    this.verification.refresh(devices);
    this.#emit();
  }

  async #feedsChanged() {
    const meta = this.call.remoteSDPStreamMetadata ?? {};
    for (const feed of this.call.getRemoteFeeds()) {
      const m = meta[feed.stream.id];
      if (m?.user_id && m?.device_id) await this.keys.bindStream(feed.stream.id, m.user_id, m.device_id);
    }
    this.#emit();
  }

  async #keysChanged() {
    this.checkCode = await this.keys.checkCode();
    this.#emit();
  }

  /** Remote participants' feeds: {feed, userId, deviceId, endpoint (roster entry or null), purpose}. */
  remoteFeeds() {
    if (!this.call) return [];
    const meta = this.call.remoteSDPStreamMetadata ?? {};
    const roster = [...(this.control?.roster.values() ?? [])];
    return this.call.getRemoteFeeds().map((feed) => {
      const m = meta[feed.stream.id] ?? {};
      const endpoint = roster.find((e) => e.participant === `${m.user_id}/${m.device_id}`) ?? null;
      return { feed, userId: m.user_id ?? null, deviceId: m.device_id ?? null, endpoint, purpose: feed.purpose };
    }).filter((f) => f.userId && (!f.endpoint || !f.endpoint.waiting));
  }

  localFeed() {
    return this.call?.localUsermediaFeed ?? null;
  }

  localScreenFeed() {
    return this.call?.localScreensharingFeed ?? null;
  }

  /** Tells the SFU which video tracks we show large (full resolution) and which as thumbnails. */
  setTileSizes(sizes) {
    if (!this.control?.open || this.control.waiting === 'waiting') return;
    const subscribe = [];
    const unsubscribe = [];
    for (const { streamId, trackId: localId, width, height } of sizes) {
      const trackId = this.#senderTrackId(localId);
      const want = width >= FULL_RES_MIN.width || height >= FULL_RES_MIN.height ? 'full' : 'thumb';
      if (this.subscriptions.get(trackId) === want) continue;
      this.subscriptions.set(trackId, want);
      if (want === 'full') subscribe.push({ stream_id: streamId, track_id: trackId, width, height });
      else unsubscribe.push({ stream_id: streamId, track_id: trackId });
    }
    if (subscribe.length || unsubscribe.length) {
      this.control.send('m.call.track_subscription', { subscribe, unsubscribe }).catch((e) => {
        console.warn('[subscription]', e.message);
        for (const s of [...subscribe, ...unsubscribe]) this.subscriptions.delete(s.track_id);
      });
    }
  }

  /**
   * The sender's track id (the SDP's a=msid) of a track we receive: what the SFU knows it by. Chromium uses it as the
   * local track's id; Firefox makes up its own.
   */
  #senderTrackId(localId) {
    const pc = this.call?.peerConn;
    const sdp = pc?.remoteDescription?.sdp ?? '';
    if (this.msidCache?.sdp !== sdp) this.msidCache = { sdp, byMid: msidTracksByMid(sdp) };
    const transceiver = pc?.getTransceivers().find((t) => t.receiver.track?.id === localId);
    return this.msidCache.byMid.get(transceiver?.mid) ?? localId;
  }

  async setMicrophoneMuted(muted) {
    if (!muted && this.control?.hostMuted) throw new Failure('host_muted', 'A host muted you.', 'Raise your hand to ask to speak.');
    await this.call?.setMicrophoneMuted(muted);
    this.#emit();
  }

  async setCameraOff(off) {
    await this.call?.setLocalVideoMuted(off);
    this.#emit();
  }

  async setScreenSharing(on) {
    await this.call?.setScreensharingEnabled(on);
    if (on) this.#ownScreenFeed();
    this.#emit();
  }

  /**
   * matrix-js-sdk gives a new screen-share feed the opponent's device id (pushNewLocalFeed), so in a to-device call
   * it is not "local": left out of our stream metadata (the others cannot tell it is a screen) and taken for a remote
   * feed. Ours again here, before the offer goes out (negotiationneeded fires in a later task).
   */
  #ownScreenFeed() {
    const streams = this.client.getMediaHandler().screensharingStreams;
    for (const feed of this.call?.getFeeds() ?? []) {
      if (streams.includes(feed.stream) && feed.userId === this.client.getUserId()) feed.deviceId = this.client.getDeviceId();
    }
  }

  /** Leaves the call: hangs up (the SFU's roster tells the others, who rotate their keys). */
  leave() {
    if (this.state === 'ended') return;
    this.call?.hangup('user_hangup', false);
    this.#end(null);
  }

  #fail(failure) {
    if (this.state === 'ended') return;
    this.call?.hangup('user_hangup', false);
    this.#end(failure);
  }

  #end(failure) {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.failure = failure;
    this.timers.forEach(clearTimeout);
    this.client.off(ClientEvent.ReceivedVoipEvent, this.onVoip);
    this.keys?.stop();
    activateWorker(null);
    for (const f of this.call?.getLocalFeeds() ?? []) for (const t of f.stream.getTracks()) t.stop();
    this.dispatchEvent(new CustomEvent('ended', { detail: failure }));
    this.#emit();
  }

  #startStats() {
    const tick = async () => {
      if (this.state !== 'connected') return;
      try {
        if (this.call.peerConn) this.quality.update(await this.call.peerConn.getStats());
        this.e2eeStats = await this.worker.stats();
        await this.verification.refresh([...(this.control?.roster.values() ?? [])].map((e) => parseParticipant(e.participant)));
      } catch (e) {
        console.warn('[stats]', e.message);
      }
      this.#emit();
      this.#after(STATS_EVERY_MS, tick);
    };
    tick();
  }

  async #announceJoin() {
    if (this.joinedSent) return;
    this.joinedSent = true;
    // For the room's call history (who joined); encrypted like every message of the room.
    // After the media keys: matrix-js-sdk sets up the event's Olm sessions (for every room member) in the same queue
    // as our keys', which under load held a joiner's keys back for tens of seconds.
    await this.keys?.settled(ANNOUNCE_AT_LATEST_MS);
    const id = runningConference(this.room)?.groupCallId ?? this.groupCallId;
    try {
      await this.client.sendEvent(this.room.roomId, JOINED_EVENT_TYPE, { group_call_id: id });
    } catch (e) {
      console.warn('[history] could not record the join', e.message);
    }
  }

  #after(ms, f) {
    this.timers.push(setTimeout(f, ms));
  }

  #emit() {
    this.dispatchEvent(new Event('change'));
  }
}
