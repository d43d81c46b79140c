// One participant's session with the SFU over the W3C WebRTC API: the initial offer/answer, answering the SFU's
// re-offers, and the stats report. Shared by the browser page (peer.js) and the Node libwebrtc peer (wrtc-peer.mjs).

import { msids, mungeFingerprint, streamIdsByMid } from './signal-client.js';

/** No STUN/TURN: the SFU is ICE-lite on loopback and learns our address from our checks. */
export const PC_CONFIG = { iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };

export class Session {
  /**
   * @param pc an RTCPeerConnection with its local tracks already added
   * @param client a SignalClient
   * @param log function(...args) for progress lines (stderr / console)
   */
  constructor(pc, client, log) {
    this.pc = pc;
    this.client = client;
    this.log = log;
    this.t0 = Date.now();
    this.events = [];
    this.failure = null;
    this.failureDetail = null;
    this.connectedMs = null;
    this.errors = [];
    this.tracks = new Map(); // remote track id -> counters and identity, see addRemoteTrack
    this.loop = null;
    this.closed = false;
    this.iceRestarts = [];
    // What the page does to the SFU's SDP before applying it (iceTcp: drop the UDP candidates).
    this.remoteSdpFilter = (sdp) => sdp;
    // SFU offers and our own ICE restarts take turns: one negotiation at a time.
    this.turn = Promise.resolve();
    this.ended = new Promise((resolve) => { this.end = resolve; });
    const onState = () => {
      this.log(`connectionState ${pc.connectionState}`);
      if (pc.connectionState === 'connected' && this.connectedMs === null) this.connectedMs = Date.now() - this.t0;
    };
    if (pc.addEventListener) pc.addEventListener('connectionstatechange', onState);
    else pc.onconnectionstatechange = onState;
  }

  /** Allocates an endpoint, sends our offer (munged if asked), applies the answer, then follows the events. */
  async start({ conference, participant, role, badFingerprint, requireE2ee }) {
    const { endpointId } = await this.client.allocate(conference, participant, role, { requireE2ee: !!requireE2ee });
    this.log(`endpoint ${endpointId}`);
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    const sent = badFingerprint ? mungeFingerprint(this.pc.localDescription.sdp) : this.pc.localDescription.sdp;
    const answer = await this.client.offer(sent);
    await this.pc.setRemoteDescription({ type: 'answer', sdp: this.remoteSdpFilter(answer) });
    this.log('answer applied');
    this.loop = this.client.eventLoop((event) => this.#onEvent(event));
    this.loop.done.catch((e) => { this.error(e); this.end(); });
  }

  /** Registers a remote track (call from ontrack); returns its counters for sinks and transforms to update. */
  addRemoteTrack(event) {
    const track = event.track;
    const info = {
      kind: track.kind,
      mid: event.transceiver ? event.transceiver.mid : null,
      streamId: event.streams && event.streams.length ? event.streams[0].id : null,
      checked: 0, // --payload-check counters
      corrupt: 0,
      sinkFrames: null, // set by peers that count frames/samples in their own sinks
      sinkSamples: null,
      sinkWidth: 0,
      sinkHeight: 0,
    };
    this.tracks.set(track.id, info);
    this.log(`remote ${track.kind} track ${track.id} mid=${info.mid} stream=${info.streamId}`);
    return info;
  }

  error(e) {
    const text = e && e.message ? e.message : String(e);
    this.log(`ERROR ${text}`);
    this.errors.push(text);
  }

  /** Resolves after {@code ms} or as soon as the SFU reported the endpoint failed or closed. */
  waitFor(ms) {
    return Promise.race([this.ended, new Promise((r) => setTimeout(r, Math.max(0, ms)))]);
  }

  /** Runs {@code work} after the negotiation in progress (if any) finished. */
  #inTurn(work) {
    const run = this.turn.then(work);
    this.turn = run.catch(() => {});
    return run;
  }

  /**
   * Restarts ICE as matrix-js-sdk does (pc.restartIce(), then a new offer with new ICE credentials through the
   * signalling); returns the SFU's ICE ufrag before and after.
   */
  restartIce() {
    return this.#inTurn(async () => {
      const oldSfuUfrag = iceUfrag(this.pc.remoteDescription.sdp);
      this.pc.restartIce();
      const offer = await this.pc.createOffer();
      await this.pc.setLocalDescription(offer);
      const answer = await this.client.offer(this.pc.localDescription.sdp);
      await this.pc.setRemoteDescription({ type: 'answer', sdp: this.remoteSdpFilter(answer) });
      return { oldSfuUfrag, newSfuUfrag: iceUfrag(answer) };
    });
  }

  #onEvent(event) {
    return this.#inTurn(() => this.#handle(event));
  }

  async #handle(event) {
    if (event.type === 'layer') {
      // Rate control's layer choice: logged, kept out of `events` (its list is the signalling tests assert on).
      this.log(`layer ${event.quality} of ${event.streamId}/${event.trackId} (${event.reason})`);
      return;
    }
    this.events.push(event.type);
    try {
      if (event.type === 'offer') {
        await this.pc.setRemoteDescription({ type: 'offer', sdp: this.remoteSdpFilter(event.sdp) });
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        await this.client.answer(this.pc.localDescription.sdp);
        this.log('re-offer answered');
      } else if (event.type === 'connected') {
        this.log('SFU says connected');
      } else if (event.type === 'failed') {
        this.failure = event.reason;
        this.failureDetail = event.detail;
        this.log(`SFU says failed: ${event.reason} ${event.detail}`);
        this.end();
      } else if (event.type === 'closed') {
        this.log('SFU says closed');
        this.end();
      }
    } catch (e) {
      this.error(new Error(`handling ${event.type} event: ${e.message}`));
    }
  }

  /** The report of this participant: connection state, events, inbound and outbound RTP. */
  async results(participant) {
    const stats = await this.pc.getStats();
    const midStreams = this.pc.remoteDescription ? streamIdsByMid(this.pc.remoteDescription.sdp) : new Map();
    const inbound = [];
    const outbound = [];
    const seen = new Set();
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        seen.add(s.trackIdentifier);
        inbound.push(inboundEntry(s, this.tracks.get(s.trackIdentifier), midStreams));
      } else if (s.type === 'outbound-rtp') {
        outbound.push({
          kind: s.kind || s.mediaType,
          ssrc: s.ssrc,
          rid: s.rid ?? null,
          mid: s.mid ?? null,
          packetsSent: s.packetsSent ?? 0,
          bytesSent: s.bytesSent ?? 0,
          framesEncoded: s.framesEncoded ?? 0,
          frameWidth: s.frameWidth ?? 0,
          frameHeight: s.frameHeight ?? 0,
        });
      }
    });
    // Tracks announced by the SFU that never received a packet have no inbound-rtp: report them as zeros.
    for (const [id, info] of this.tracks) {
      if (!seen.has(id)) inbound.push(inboundEntry({ kind: info.kind, trackIdentifier: id, mid: info.mid }, info, midStreams));
    }
    return {
      participant,
      endpointId: this.client.endpointId,
      connectionState: this.pc.connectionState,
      iceConnectionState: this.pc.iceConnectionState,
      connectedMs: this.connectedMs,
      events: this.events,
      failure: this.failure,
      failureDetail: this.failureDetail,
      inbound,
      outbound,
      localMsids: msids(this.pc.localDescription && this.pc.localDescription.sdp),
      iceRestarts: this.iceRestarts,
      error: this.errors.length ? this.errors.join('; ') : null,
    };
  }

  /** Tells the SFU we leave and closes the peer connection. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    if (this.loop) this.loop.stop();
    if (this.client.endpointId) {
      try {
        await this.client.close('peer done');
      } catch (e) {
        this.log(`close: ${e.message}`);
      }
    }
    this.pc.close();
  }
}

/** The first a=ice-ufrag of an SDP. */
function iceUfrag(sdp) {
  const m = /^a=ice-ufrag:(\S+)/m.exec(sdp || '');
  return m ? m[1] : null;
}

function inboundEntry(s, info, midStreams) {
  const mid = s.mid ?? (info ? info.mid : null);
  return {
    kind: s.kind || s.mediaType || (info ? info.kind : null),
    ssrc: s.ssrc ?? 0,
    trackIdentifier: s.trackIdentifier ?? null,
    mid,
    streamId: (info && info.streamId) || midStreams.get(mid) || null,
    packetsReceived: s.packetsReceived ?? 0,
    bytesReceived: s.bytesReceived ?? 0,
    packetsLost: s.packetsLost ?? 0,
    framesDecoded: info && info.sinkFrames !== null ? info.sinkFrames : (s.framesDecoded ?? 0),
    frameWidth: info && info.sinkWidth ? info.sinkWidth : (s.frameWidth ?? 0),
    frameHeight: info && info.sinkHeight ? info.sinkHeight : (s.frameHeight ?? 0),
    totalSamplesReceived: info && info.sinkSamples !== null ? info.sinkSamples : (s.totalSamplesReceived ?? 0),
    // Repair and freeze counters of libwebrtc's inbound-rtp (0 where a peer has none).
    freezeCount: s.freezeCount ?? 0,
    totalFreezesDuration: s.totalFreezesDuration ?? 0,
    framesDropped: s.framesDropped ?? 0,
    keyFramesDecoded: s.keyFramesDecoded ?? 0,
    nackCount: s.nackCount ?? 0,
    pliCount: s.pliCount ?? 0,
    firCount: s.firCount ?? 0,
    retransmittedPacketsReceived: s.retransmittedPacketsReceived ?? 0,
    framesChecked: info ? info.checked : 0,
    framesCorrupt: info ? info.corrupt : 0,
  };
}
