// Media keys of one conference, through Matrix end-to-end encryption only: Olm-encrypted to-device
// io.element.call.encryption_keys with Element Call's current content. Why to-device and not megolm room events: a
// room event reaches every member of the room, also one who left the call but stays in the room, so a key rotated
// on leave would reach the leaver; an Olm message goes to the devices we choose.
//
// Who gets our key: the devices in the call (the SFU's roster names each participant as user/device, and it is
// untrusted) whose user is a joined member of the room (Matrix, which is trusted): the SFU can leave someone out or
// keep a leaver listed, but never give a key to a non-member. Whose keys we take: only Olm-decrypted messages from a
// joined member, for this room, whose claimed device is the device whose identity key Olm says sent it.
//
// A device that just signed in is not known to the others' crypto until their device-list query for it is answered
// (its device_lists.changed comes with the /sync that also carries its first messages). Both directions wait for
// that instead of losing the key: a send that our crypto could not encrypt for a device is made again once the
// device is known (DeliveryQueue), and a key whose sender device is not known yet is held until it is (#held).
import { checkCode, decodeBase64, makeMediaKey, nextIndex, unpaddedBase64 } from '../../../keyexchange/js/keys.mjs';
import { DeliveryQueue } from './key-delivery.js';

export const KEYS_EVENT_TYPE = 'io.element.call.encryption_keys';
/** matrix-js-sdk's ClientEvent.ReceivedToDeviceMessage and CryptoEvent.DevicesUpdated (not imported: tests run in Node). */
export const TO_DEVICE_EVENT = 'receivedToDeviceMessage';
export const DEVICES_UPDATED_EVENT = 'crypto.devicesUpdated';
/** A new key is sent at once but encrypted with only after this, so receivers have it when its frames arrive. */
export const USE_NEW_KEY_AFTER_MS = 1000;
/**
 * A device in the call whose key we still lack after this gets ours again (then every REPAIR_EVERY_MS, at most
 * REPAIR_TRIES times): a missing key is usually missing both ways (an Olm message lost or not decryptable).
 */
export const REPAIR_AFTER_MS = 3000;
export const REPAIR_EVERY_MS = 2000;
export const REPAIR_TRIES = 5;
/** A key whose sender device our crypto does not know yet is held this long for the device's keys to arrive. */
export const HOLD_UNKNOWN_SENDER_MS = 30000;

export const memberKey = (userId, deviceId) => `${userId}|${deviceId}`;

const systemClock = {
  now: () => Date.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  setInterval: (f, ms) => setInterval(f, ms),
  clearInterval: (t) => clearInterval(t),
};

export class MediaKeys extends EventTarget {
  /**
   * @param client the MatrixClient (crypto started)
   * @param roomId the encrypted conference room
   * @param worker the SFrameWorker ({setSendKey, addRemoteKey})
   * @param clock {now, setTimeout, setInterval, clearInterval} (tests give their own)
   */
  constructor(client, roomId, worker, clock = systemClock) {
    super();
    this.client = client;
    this.roomId = roomId;
    this.worker = worker;
    this.clock = clock;
    this.userId = client.getUserId();
    this.deviceId = client.getDeviceId();
    this.own = null;            // {index, key}: the newest key we made (announced)
    this.inUse = null;          // the key we encrypt with
    this.inCall = new Map();    // "user|device" -> {userId, deviceId}: the devices we send keys to
    this.remote = new Map();    // "user|device" -> {userId, deviceId, keys: Map(index -> key), latest, receivedAt}
    this.streams = new Map();   // stream id -> "user|device" (from stream metadata)
    this.rotations = [];        // {at, index, reason}
    this.since = new Map();     // "user|device" -> {at: when it joined the call, tries: repairs sent}
    this.held = [];             // {payload, at}: keys from devices our crypto does not know yet
    this.receiveLog = [];       // {at, from, index, outcome}: what each key message we got came to
    this.delivery = new DeliveryQueue(client, KEYS_EVENT_TYPE, clock);
    this.repairTimer = null;
    this.rosterSeen = false;    // setParticipants ran once: before it, "no key missing" means nothing
    this.waiters = [];          // settled() callers
    this.delivery.onIdle = () => this.#checkSettled();
    this.onToDevice = (payload) => this.#receive(payload).catch((e) => this.#warn(`key message: ${e.message}`));
    this.onDevicesUpdated = (userIds) => this.#devicesUpdated(userIds);
  }

  /** What each send reached: {at, index, to, sent, ms} (the page shows it to tests). */
  get sendLog() {
    return this.delivery.log;
  }

  /** Makes our first key and starts listening. */
  async start() {
    this.client.on(TO_DEVICE_EVENT, this.onToDevice);
    this.client.on(DEVICES_UPDATED_EVENT, this.onDevicesUpdated);
    this.own = makeMediaKey(0);
    this.inUse = this.own;
    await this.worker.setSendKey(this.own);
    this.repairTimer = this.clock.setInterval(() => this.#tick(), REPAIR_EVERY_MS);
    this.#changed();
  }

  stop() {
    this.clock.clearInterval(this.repairTimer);
    this.client.off(TO_DEVICE_EVENT, this.onToDevice);
    this.client.off(DEVICES_UPDATED_EVENT, this.onDevicesUpdated);
    this.delivery.stop();
  }

  /** The keys a device joining now gets: the one we encrypt with, and a newer one about to be used. */
  #currentKeys() {
    return this.own === this.inUse ? [this.own] : [this.inUse, this.own];
  }

  /**
   * Resolves once the roster is known, no send of ours is queued and we hold the key of everyone in the call — or
   * after `ms`, whichever comes first. What can wait for the keys (a megolm room event, whose Olm session set-up
   * matrix-js-sdk queues in front of our to-device keys) waits for this.
   */
  settled(ms) {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.clock.setTimeout(resolve, ms);
      this.#checkSettled();
    });
  }

  #checkSettled() {
    if (!this.waiters.length || !this.rosterSeen || this.delivery.busy() || this.missingKeys().length) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  #tick() {
    // Undelivered devices first: a repair then finds them pending and does not send them a second copy.
    this.delivery.retry(null, this.inCall, () => this.#currentKeys(), (content) => this.#content(content));
    this.#repair();
    this.#retryHeld(null);
  }

  #repair() {
    const now = this.clock.now();
    const due = [];
    for (const [k, p] of this.inCall) {
      const s = this.since.get(k);
      if (this.remote.has(k) || !s || now - s.at < REPAIR_AFTER_MS || s.tries >= REPAIR_TRIES) continue;
      if (this.delivery.isPending(p)) continue; // our last send to it has not gone yet: another would queue behind it
      s.tries++;
      due.push(p);
    }
    if (due.length) {
      this.#warn(`no key yet from ${due.map((p) => `${p.userId}/${p.deviceId}`).join(', ')}: sending ours again`);
      this.#send(due, this.#currentKeys());
    }
  }

  #devicesUpdated(userIds) {
    const users = new Set(userIds ?? []);
    this.delivery.retry(users, this.inCall, () => this.#currentKeys(), (content) => this.#content(content));
    this.#retryHeld(users);
  }

  /**
   * The call's participants changed ([{userId, deviceId}] from the SFU's roster, admitted ones only). New devices get
   * our key; when a device left, we make a new key, send it to those who remain, and switch to it after
   * USE_NEW_KEY_AFTER_MS.
   */
  async setParticipants(participants) {
    const room = this.client.getRoom(this.roomId);
    const now = new Map();
    for (const p of participants) {
      if (p.userId === this.userId && p.deviceId === this.deviceId) continue;
      if (p.deviceId && room?.getMember(p.userId)?.membership === 'join') now.set(memberKey(p.userId, p.deviceId), p);
    }
    this.rosterSeen = true;
    const joined = [...now.keys()].filter((k) => !this.inCall.has(k)).map((k) => now.get(k));
    const left = [...this.inCall.keys()].filter((k) => !now.has(k));
    this.inCall = now;
    for (const p of joined) this.since.set(memberKey(p.userId, p.deviceId), { at: this.clock.now(), tries: 0 });
    for (const k of left) {
      this.remote.delete(k);
      this.since.delete(k);
    }
    if (left.length) await this.rotate(`left: ${left.map((k) => k.replace('|', '/')).join(', ')}`);
    else if (joined.length) await this.#send(joined, this.#currentKeys());
    this.#changed();
  }

  /** A new key for everyone still in the call; used after the grace delay. */
  async rotate(reason) {
    const key = makeMediaKey(nextIndex(this.own.index));
    this.own = key;
    this.rotations.push({ at: this.clock.now(), index: key.index, reason });
    this.#warn(`rotating to key ${key.index} (${reason})`);
    this.clock.setTimeout(() => {
      if (this.own !== key) return; // a later rotation took over
      this.inUse = key;
      this.worker.setSendKey(key).then(() => this.#changed(), (e) => this.#warn(e.message));
    }, USE_NEW_KEY_AFTER_MS);
    this.#changed();
    await this.#send([...this.inCall.values()], [key]);
  }

  /** Which member (user, device) sends the stream: learnt from the stream metadata; installs the keys we hold. */
  async bindStream(streamId, userId, deviceId) {
    const k = memberKey(userId, deviceId);
    if (this.streams.get(streamId) === k) return;
    this.streams.set(streamId, k);
    const m = this.remote.get(k);
    if (m) for (const [index, key] of m.keys) await this.worker.addRemoteKey(streamId, { index, key });
  }

  #content(key) {
    return {
      keys: { index: key.index, key: unpaddedBase64(key.key) },
      room_id: this.roomId,
      member: { id: `${this.userId}:${this.deviceId}`, claimed_device_id: this.deviceId },
      session: { application: 'm.call', call_id: '', scope: 'm.room' },
      sent_ts: this.clock.now(),
    };
  }

  #send(targets, keys) {
    return this.delivery.send(targets, keys, (key) => this.#content(key)).catch((e) => this.#warn(e.message));
  }

  async #receive({ message, encryptionInfo }) {
    if (message.type !== KEYS_EVENT_TYPE) return;
    const c = message.content ?? {};
    if (!encryptionInfo) return this.#refuse(message.sender, c, 'sent unencrypted');
    if (c.room_id !== this.roomId) return;
    if (encryptionInfo.sender !== message.sender) return this.#refuse(message.sender, c, 'Olm sender differs');
    const deviceId = encryptionInfo.senderDevice ?? await this.#deviceOfIdentityKey(encryptionInfo);
    if (!deviceId) {
      // Its device keys are on their way (device_lists.changed): held until they are known (#devicesUpdated).
      this.held.push({ payload: { message, encryptionInfo }, at: this.clock.now() });
      return this.#logReceived(message.sender, c, 'held: sender device not known yet');
    }
    return this.#accept(message.sender, deviceId, c);
  }

  /** The device of the sender whose Curve25519 identity key sent the Olm message, as our crypto knows it. */
  async #deviceOfIdentityKey({ sender, senderCurve25519KeyBase64: identityKey }) {
    if (!identityKey) return null;
    const devices = (await this.client.getCrypto().getUserDeviceInfo([sender], true)).get(sender);
    for (const [deviceId, device] of devices ?? []) if (device.getIdentityKey() === identityKey) return deviceId;
    return null;
  }

  #retryHeld(users) {
    const now = this.clock.now();
    const waiting = this.held;
    this.held = [];
    for (const h of waiting) {
      if (now - h.at > HOLD_UNKNOWN_SENDER_MS) {
        this.#refuse(h.payload.message.sender, h.payload.message.content ?? {}, 'its device never became known');
      } else if (users && !users.has(h.payload.message.sender)) {
        this.held.push(h);
      } else {
        this.#retryOne(h).catch((e) => this.#warn(e.message));
      }
    }
  }

  async #retryOne(h) {
    const deviceId = await this.#deviceOfIdentityKey(h.payload.encryptionInfo);
    if (deviceId) return this.#accept(h.payload.message.sender, deviceId, h.payload.message.content ?? {});
    this.held.push(h);
  }

  async #accept(userId, deviceId, c) {
    if (c.member?.claimed_device_id !== deviceId) {
      return this.#refuse(userId, c, `claims device ${c.member?.claimed_device_id}, Olm says ${deviceId}`);
    }
    if (this.client.getRoom(this.roomId)?.getMember(userId)?.membership !== 'join') {
      return this.#refuse(userId, c, 'not a member of the room');
    }
    const index = c.keys?.index;
    if (!Number.isInteger(index) || index < 0 || index > 255 || typeof c.keys?.key !== 'string') {
      return this.#refuse(userId, c, 'malformed');
    }
    const key = decodeBase64(c.keys.key);
    const k = memberKey(userId, deviceId);
    let m = this.remote.get(k);
    if (!m) this.remote.set(k, (m = { userId, deviceId, keys: new Map(), latest: index, receivedAt: 0 }));
    m.keys.set(index, key);
    m.latest = index;
    m.receivedAt = this.clock.now();
    while (m.keys.size > 5) m.keys.delete(m.keys.keys().next().value);
    this.#logReceived(`${userId}/${deviceId}`, c, 'accepted');
    for (const [streamId, owner] of this.streams) {
      if (owner === k) await this.worker.addRemoteKey(streamId, { index, key });
    }
    this.#changed();
  }

  #refuse(from, c, why) {
    this.#warn(`key from ${from} ignored: ${why}`);
    this.#logReceived(from, c, `ignored: ${why}`);
  }

  #logReceived(from, c, outcome) {
    this.receiveLog.push({ at: this.clock.now(), from, index: c?.keys?.index ?? null, outcome });
    if (this.receiveLog.length > 100) this.receiveLog.shift();
  }

  /** Who in the call we hold no key from ([{userId, deviceId}]). */
  missingKeys() {
    return [...this.inCall].filter(([k]) => !this.remote.has(k)).map(([, p]) => p);
  }

  /** The 6-digit check code over everyone's newest key, ours included; null before any key. */
  async checkCode() {
    if (!this.own) return null;
    const participants = [{ userId: this.userId, deviceId: this.deviceId, keyIndex: this.own.index, key: this.own.key }];
    for (const m of this.remote.values()) {
      if (this.inCall.has(memberKey(m.userId, m.deviceId))) {
        participants.push({ userId: m.userId, deviceId: m.deviceId, keyIndex: m.latest, key: m.keys.get(m.latest) });
      }
    }
    return checkCode(this.roomId, participants);
  }

  /** Every key this page holds, by member: what a leaver could still decrypt with (tests read it). */
  keyring() {
    const out = { own: { index: this.own?.index, key: this.own && unpaddedBase64(this.own.key) }, remote: [] };
    for (const m of this.remote.values()) {
      out.remote.push({ userId: m.userId, deviceId: m.deviceId,
        keys: [...m.keys].map(([index, key]) => ({ index, key: unpaddedBase64(key) })) });
    }
    return out;
  }

  #changed() {
    this.#checkSettled();
    this.dispatchEvent(new Event('change'));
  }

  #warn(text) {
    console.warn(`[media keys] ${text}`);
  }
}
