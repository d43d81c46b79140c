// End-to-end media encryption on the main thread: the SFrame worker (sframe-worker.js next to the app's bundle) and
// the hook that puts its transforms on every RTP sender and receiver of the page.
//
// matrix-js-sdk creates the RTCPeerConnection itself (MatrixCall.createPeerConnection reads window.RTCPeerConnection
// when a call starts). A sender's RTCRtpScriptTransform must be set in the same task as the addTrack/addTransceiver
// that made the sender (keyexchange/js/worker.mjs): Chromium lets the frames of a sender that had no transform when
// that task ended bypass any transform set later. So installPeerConnectionHook replaces window.RTCPeerConnection, once,
// with a subclass whose addTrack/addTransceiver set the transform before returning, and whose constructor listens
// for 'track' before the SDK does (receivers may get theirs there). Camera tracks go out as simulcast (two layers) so
// that the SFU can send thumbnails to small tiles. The SDK is not modified.

/**
 * The camera's simulcast layers, lowest first (as the SFU expects): a thumbnail at half size (320x180 of the usual
 * 640x360 camera) and full resolution.
 */
export const SIMULCAST_LAYERS = [
  { rid: 'q', scaleResolutionDownBy: 2, maxBitrate: 200_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

/** True when this browser can encrypt media frames (Chromium 110+, Firefox 117+, Safari 15.4+). */
export const canEncryptMedia = () => typeof window.RTCRtpScriptTransform === 'function';

export class SFrameWorker {
  constructor(url = new URL('sframe-worker.js', import.meta.url)) {
    this.worker = new Worker(url, { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.type === 'error') p.reject(new Error(data.message));
      else p.resolve(data);
    };
  }

  #call(message) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  setSendKey({ index, key }) {
    return this.#call({ type: 'setSendKey', index, key });
  }

  addRemoteKey(senderId, { index, key }) {
    return this.#call({ type: 'addRemoteKey', senderId, index, key });
  }

  async stats() {
    return (await this.#call({ type: 'stats' })).stats;
  }

  diagnostics(samples) {
    return this.#call({ type: 'diagnostics', samples });
  }

  encrypt(sender, kind) {
    sender.transform = new window.RTCRtpScriptTransform(this.worker, { operation: 'encrypt', kind });
  }

  decrypt(receiver, senderId, kind) {
    receiver.transform = new window.RTCRtpScriptTransform(this.worker, { operation: 'decrypt', senderId, kind });
  }

  terminate() {
    this.worker.terminate();
  }
}

let active = null; // the SFrameWorker of the running call; null: no transforms (no call)

/**
 * Makes every RTCPeerConnection created from now on put the active worker's transforms on its senders (in the same
 * task as the sender's creation) and receivers (at 'track', keyed by the remote stream id). Idempotent.
 */
export function installPeerConnectionHook() {
  const Native = window.RTCPeerConnection;
  if (Native.conclaveHooked) return;
  class EncryptingPeerConnection extends Native {
    static conclaveHooked = true;

    constructor(...args) {
      super(...args);
      this.addEventListener('track', (e) => {
        if (!active) return;
        const senderId = e.streams.length ? e.streams[0].id : `track:${e.track.id}`;
        active.decrypt(e.receiver, senderId, e.track.kind);
      });
    }

    addTrack(track, ...streams) {
      if (track.kind === 'video') {
        // Simulcast: the SFU gives each receiver the thumbnail or full resolution of this camera as its tile needs
        // (m.call.track_subscription, spotlight). The SDK finds the transceiver by its sender, as after addTrack.
        const transceiver = super.addTransceiver(track, { direction: 'sendrecv', streams,
          sendEncodings: SIMULCAST_LAYERS.map((l) => ({ ...l })) });
        if (active) active.encrypt(transceiver.sender, 'video');
        return transceiver.sender;
      }
      const sender = super.addTrack(track, ...streams);
      if (active) active.encrypt(sender, track.kind);
      return sender;
    }

    addTransceiver(trackOrKind, init) {
      const transceiver = super.addTransceiver(trackOrKind, init);
      if (active) active.encrypt(transceiver.sender, typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind);
      return transceiver;
    }
  }
  window.RTCPeerConnection = EncryptingPeerConnection;
}

/** The worker whose transforms new connections get (null to stop). */
export function activateWorker(worker) {
  active = worker;
}
