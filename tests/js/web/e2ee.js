// End-to-end media encryption of a test page (peer.html?e2ee=MODE): the keyexchange library's SFrame transform in
// an RTCRtpScriptTransform worker (e2ee-worker.js), and key exchange as io.element.call.encryption_keys events
// through the conference room (room-client.js). Modes:
//   encrypt  own random 32-byte key (index 0), sent to the room; re-sent when someone joins; rotated (next index,
//            used after ROTATION_GRACE_MS) when someone leaves
//   nokeys   encrypts with its own key but never enters the room: it gets no keys and gives none
//   plain    sends without encryption (a passthrough that only samples) and announces no key; decrypts others
// Every mode decrypts what it receives. Which remote stream is whose comes from org.conclave.test.call_member
// events {device_id, stream_ids}, standing in for the call membership that maps a device to its streams.

import {
  ELEMENT_CALL_KEYS_EVENT_TYPE, elementCallKeysContent, makeMediaKey, nextIndex, parseElementCallKeys,
  roomStateFromEvents,
} from '/keyexchange/keys.mjs';
import { RoomClient } from './room-client.js';

export const CALL_MEMBER_EVENT_TYPE = 'org.conclave.test.call_member';
export const MODES = ['encrypt', 'nokeys', 'plain'];
/** How long a new key is announced before we encrypt with it, so receivers have it when its frames arrive. */
const ROTATION_GRACE_MS = 1000;
/** Joins close together get one re-send of our key. */
const RESEND_DELAY_MS = 300;

export class E2eePeer {
  constructor(cfg, log) {
    if (!MODES.includes(cfg.e2ee)) throw new Error(`e2ee must be one of ${MODES.join(', ')}, not ${cfg.e2ee}`);
    this.cfg = cfg;
    this.mode = cfg.e2ee;
    this.log = log;
    this.t0 = Date.now();
    this.deviceId = `DEVICE-${cfg.participant}`;
    this.worker = new Worker('e2ee-worker.js', { type: 'module' });
    this.worker.onmessage = ({ data }) => this.#onWorkerMessage(data);
    this.worker.onerror = (e) => this.#error(`worker: ${e.message}`);
    this.pending = new Map();
    this.nextId = 0;
    this.sendKey = null;
    this.streamIds = [];
    this.devices = new Map(); // "sender|device_id" -> {keys: Map(index -> key), streams: []}
    this.rotations = [];
    this.errors = [];
    this.room = null;
    this.loop = null;
    this.resendTimer = null;
    this.pc = null;
  }

  /** Makes and installs our first key (not in plain mode). */
  async installSendKey() {
    if (this.mode === 'plain') return;
    this.sendKey = makeMediaKey(0);
    await this.#call({ type: 'setSendKey', index: this.sendKey.index, key: this.sendKey.key });
  }

  /**
   * Puts the sending transforms on the senders. Call in the same task as addTrack/addTransceiver: Chromium 156 lets
   * frames of a sender that has no transform when that task ends bypass any transform set later.
   */
  attachSenders(pc, stream) {
    this.pc = pc;
    if (stream) this.streamIds = [stream.id];
    const operation = this.mode === 'plain' ? 'plain' : 'encrypt';
    for (const sender of pc.getSenders()) {
      if (sender.track) sender.transform = new RTCRtpScriptTransform(this.worker, { operation, kind: sender.track.kind });
    }
  }

  /** From ontrack: decrypt the remote track as frames of the stream's sender. */
  attachReceiver(event) {
    const senderId = event.streams && event.streams.length ? event.streams[0].id : `track:${event.track.id}`;
    event.receiver.transform = new RTCRtpScriptTransform(this.worker, { operation: 'decrypt', senderId, kind: event.track.kind });
  }

  /** Enters the room and exchanges keys (not in nokeys mode). */
  async start() {
    if (this.mode === 'nokeys') return;
    this.room = new RoomClient('', this.cfg.conference, this.cfg.participant);
    this.roomState = roomStateFromEvents(this.cfg.conference, await this.room.state());
    await this.room.join();
    this.loop = this.room.eventLoop((e) => this.#onRoomEvent(e));
    this.loop.done.catch((e) => this.#error(e.message));
    await this.#announce();
  }

  /** Leaves the room: we read nothing sent after this. */
  async leave() {
    if (this.resendTimer) clearTimeout(this.resendTimer);
    const room = this.room;
    if (!room) return;
    this.room = null;
    this.loop.stop();
    await room.leave();
  }

  async results() {
    let worker = null;
    try {
      worker = (await this.#call({ type: 'stats' })).stats;
    } catch (e) {
      this.#error(`worker stats: ${e.message}`);
    }
    const keysReceived = {};
    for (const [device, d] of this.devices) keysReceived[device] = [...d.keys.keys()].sort((a, b) => a - b);
    return {
      mode: this.mode,
      deviceId: this.deviceId,
      streamIds: this.streamIds,
      sendKeyIndex: this.sendKey ? this.sendKey.index : null,
      keysReceived,
      rotations: this.rotations,
      worker,
      errors: this.errors,
    };
  }

  // ------------------------------------------------------------------ room

  async #announce() {
    if (!this.room) return; // left
    if (this.streamIds.length) {
      await this.room.send(CALL_MEMBER_EVENT_TYPE, { device_id: this.deviceId, stream_ids: this.streamIds });
    }
    if (this.mode === 'encrypt') await this.#sendKeys(this.pendingKey ? [this.sendKey, this.pendingKey] : [this.sendKey]);
  }

  async #sendKeys(keys) {
    if (!this.room) return;
    // The library refuses an unencrypted room; the relay's state says it is encrypted, as the conference room is.
    await this.room.send(ELEMENT_CALL_KEYS_EVENT_TYPE, elementCallKeysContent(this.roomState, keys, this.deviceId));
  }

  async #onRoomEvent(event) {
    if (event.sender === this.cfg.participant) return;
    try {
      if (event.type === 'm.room.member') {
        if (event.content.membership === 'join') this.#scheduleResend();
        else if (event.content.membership === 'leave' && this.mode === 'encrypt') await this.#rotate(event.sender);
      } else if (event.type === ELEMENT_CALL_KEYS_EVENT_TYPE) {
        const parsed = parseElementCallKeys(JSON.stringify(event.content));
        const device = this.#device(event.sender, parsed.deviceId);
        for (const k of parsed.keys) device.keys.set(k.index, k.key);
        await this.#install(device);
      } else if (event.type === CALL_MEMBER_EVENT_TYPE) {
        const device = this.#device(event.sender, event.content.device_id);
        device.streams = Array.isArray(event.content.stream_ids) ? event.content.stream_ids.map(String) : [];
        await this.#install(device);
      }
    } catch (e) {
      this.#error(`room event ${event.seq} ${event.type}: ${e.message}`);
    }
  }

  #device(sender, deviceId) {
    const id = `${sender}|${deviceId}`;
    if (!this.devices.has(id)) this.devices.set(id, { keys: new Map(), streams: [] });
    return this.devices.get(id);
  }

  async #install(device) {
    for (const senderId of device.streams) {
      for (const [index, key] of device.keys) await this.#call({ type: 'addRemoteKey', senderId, index, key });
    }
  }

  #scheduleResend() {
    if (this.resendTimer) return;
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      this.#announce().catch((e) => this.#error(`re-send: ${e.message}`));
    }, RESEND_DELAY_MS);
  }

  /** Someone left: a new key for those still here; it is used once they had time to get it. */
  async #rotate(leaver) {
    const next = makeMediaKey(nextIndex((this.pendingKey ?? this.sendKey).index));
    this.pendingKey = next;
    const rotation = { leaver, index: next.index, sentAtMs: Date.now() - this.t0, usedAtMs: null, framesDecoded: null };
    this.rotations.push(rotation);
    await this.#sendKeys([next]);
    this.log(`${leaver} left: key ${next.index} sent`);
    setTimeout(async () => {
      try {
        await this.#call({ type: 'setSendKey', index: next.index, key: next.key });
        this.sendKey = next;
        if (this.pendingKey === next) this.pendingKey = null;
        rotation.usedAtMs = Date.now() - this.t0;
        rotation.framesDecoded = await this.#framesDecoded();
        this.log(`encrypting with key ${next.index}`);
      } catch (e) {
        this.#error(`rotation to ${next.index}: ${e.message}`);
      }
    }, ROTATION_GRACE_MS);
  }

  /** framesDecoded per remote video track identifier, now. */
  async #framesDecoded() {
    const out = {};
    (await this.pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') out[s.trackIdentifier] = s.framesDecoded ?? 0;
    });
    return out;
  }

  // ------------------------------------------------------------------ worker

  #call(message) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  #onWorkerMessage(data) {
    const waiter = data.id === undefined ? null : this.pending.get(data.id);
    if (waiter) this.pending.delete(data.id);
    if (data.type === 'error') {
      if (waiter) waiter.reject(new Error(data.message));
      else this.#error(`worker: ${data.message}`);
    } else if (waiter) {
      waiter.resolve(data);
    }
  }

  #error(text) {
    this.log(`E2EE ERROR ${text}`);
    this.errors.push(text);
  }
}
