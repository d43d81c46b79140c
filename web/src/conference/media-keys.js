// Media keys of one conference, through Matrix end-to-end encryption only: Olm-encrypted to-device
// io.element.call.encryption_keys with Element Call's current content. Why to-device and not megolm room events: a
// room event reaches every member of the room, also one who left the call but stays in the room, so a key rotated
// on leave would reach the leaver; an Olm message goes to the devices we choose.
//
// Who gets our key: the devices in the call (the SFU's roster names each participant as user/device, and it is
// untrusted) whose user is a joined member of the room (Matrix, which is trusted): the SFU can leave someone out or
// keep a leaver listed, but never give a key to a non-member. Whose keys we take: only Olm-decrypted messages from a joined member, for this room, whose
// claimed device is the device Olm says sent it.
import { checkCode, decodeBase64, makeMediaKey, nextIndex, unpaddedBase64 } from '../../../keyexchange/js/keys.mjs';

export const KEYS_EVENT_TYPE = 'io.element.call.encryption_keys';
/** A new key is sent at once but encrypted with only after this, so receivers have it when its frames arrive. */
export const USE_NEW_KEY_AFTER_MS = 1000;
/**
 * A device in the call whose key we still lack after this gets ours again (then every REPAIR_EVERY_MS, at most
 * REPAIR_TRIES times): a missing key is usually missing both ways (an Olm message lost or not decryptable).
 */
export const REPAIR_AFTER_MS = 3000;
export const REPAIR_EVERY_MS = 2000;
export const REPAIR_TRIES = 5;

const memberKey = (userId, deviceId) => `${userId}|${deviceId}`;

export class MediaKeys extends EventTarget {
  /**
   * @param client the MatrixClient (crypto started)
   * @param roomId the encrypted conference room
   * @param worker the SFrameWorker
   * @param clock {now(), setTimeout} for tests
   */
  constructor(client, roomId, worker, clock = { now: () => Date.now(), setTimeout: (f, ms) => setTimeout(f, ms) }) {
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
    this.sending = Promise.resolve(); // sends one at a time: the crypto claims one-time keys per device once
    this.repairTimer = null;
    this.sendLog = [];          // {at, to, sent, ms}: what each send reached (the page shows it on request)
    this.onToDevice = (payload) => this.#receive(payload).catch((e) => this.#warn(`key message: ${e.message}`));
  }

  /** Makes our first key and starts listening. */
  async start() {
    this.client.on('receivedToDeviceMessage', this.onToDevice);
    this.own = makeMediaKey(0);
    this.inUse = this.own;
    await this.worker.setSendKey(this.own);
    this.repairTimer = setInterval(() => this.#repair(), REPAIR_EVERY_MS);
    this.#changed();
  }

  stop() {
    clearInterval(this.repairTimer);
    this.client.off('receivedToDeviceMessage', this.onToDevice);
  }

  #repair() {
    const now = this.clock.now();
    const due = [];
    for (const [k, p] of this.inCall) {
      const s = this.since.get(k);
      if (this.remote.has(k) || !s || now - s.at < REPAIR_AFTER_MS || s.tries >= REPAIR_TRIES) continue;
      s.tries++;
      due.push(p);
    }
    if (due.length) {
      console.warn(`[media keys] no key yet from ${due.map((p) => `${p.userId}/${p.deviceId}`).join(', ')}: sending ours again`);
      this.#send(due, this.own === this.inUse ? [this.own] : [this.inUse, this.own]).catch((e) => this.#warn(e.message));
    }
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
    const joined = [...now.keys()].filter((k) => !this.inCall.has(k)).map((k) => now.get(k));
    const left = [...this.inCall.keys()].filter((k) => !now.has(k));
    this.inCall = now;
    for (const p of joined) this.since.set(memberKey(p.userId, p.deviceId), { at: this.clock.now(), tries: 0 });
    for (const k of left) {
      this.remote.delete(k);
      this.since.delete(k);
    }
    if (left.length) await this.rotate(`left: ${left.map((k) => k.replace('|', '/')).join(', ')}`);
    else if (joined.length) await this.#send(joined, this.own === this.inUse ? [this.own] : [this.inUse, this.own]);
    this.#changed();
  }

  /** A new key for everyone still in the call; used after the grace delay. */
  async rotate(reason) {
    const key = makeMediaKey(nextIndex(this.own.index));
    this.own = key;
    this.rotations.push({ at: this.clock.now(), index: key.index, reason });
    console.warn(`[media keys] rotating to key ${key.index} (${reason})`);
    await this.#send([...this.inCall.values()], [key]);
    this.clock.setTimeout(() => {
      if (this.own !== key) return; // a later rotation took over
      this.inUse = key;
      this.worker.setSendKey(key).then(() => this.#changed(), (e) => this.#warn(e.message));
    }, USE_NEW_KEY_AFTER_MS);
    this.#changed();
  }

  /** Which member (user, device) sends the stream: learnt from the stream metadata; installs the keys we hold. */
  async bindStream(streamId, userId, deviceId) {
    const k = memberKey(userId, deviceId);
    if (this.streams.get(streamId) === k) return;
    this.streams.set(streamId, k);
    const m = this.remote.get(k);
    if (m) for (const [index, key] of m.keys) await this.worker.addRemoteKey(streamId, { index, key });
  }

  #send(targets, keys) {
    const next = this.sending.then(() => this.#sendNow(targets, keys));
    this.sending = next.catch(() => {});
    return next;
  }

  async #sendNow(targets, keys) {
    if (!targets.length) return;
    const crypto = this.client.getCrypto();
    // Downloads device keys we do not have yet (a device that just joined); Olm sessions are claimed as needed.
    await crypto.getUserDeviceInfo([...new Set(targets.map((t) => t.userId))], true);
    for (const key of keys) {
      const content = {
        keys: { index: key.index, key: unpaddedBase64(key.key) },
        room_id: this.roomId,
        member: { id: `${this.userId}:${this.deviceId}`, claimed_device_id: this.deviceId },
        session: { application: 'm.call', call_id: '', scope: 'm.room' },
        sent_ts: this.clock.now(),
      };
      const started = this.clock.now();
      const batch = await crypto.encryptToDeviceMessages(KEYS_EVENT_TYPE, targets, content);
      await this.client.queueToDevice(batch);
      // A device missing from the batch had no Olm session or keys: its key is repaired later (#repair).
      this.sendLog.push({ at: started, index: key.index, to: targets.map((t) => `${t.userId}/${t.deviceId}`),
        sent: batch.batch.map((m) => `${m.userId}/${m.deviceId}`), ms: this.clock.now() - started });
      if (this.sendLog.length > 100) this.sendLog.shift();
    }
  }

  async #receive({ message, encryptionInfo }) {
    if (message.type !== KEYS_EVENT_TYPE) return;
    const c = message.content ?? {};
    if (!encryptionInfo) return this.#warn(`unencrypted ${KEYS_EVENT_TYPE} from ${message.sender} ignored`);
    if (c.room_id !== this.roomId) return;
    const userId = encryptionInfo.sender;
    const deviceId = encryptionInfo.senderDevice;
    if (userId !== message.sender || !deviceId || c.member?.claimed_device_id !== deviceId) {
      return this.#warn(`key from ${message.sender} claims device ${c.member?.claimed_device_id}, Olm says ${deviceId}`);
    }
    if (this.client.getRoom(this.roomId)?.getMember(userId)?.membership !== 'join') {
      return this.#warn(`key from ${userId}, who is not a member of the room, ignored`);
    }
    const index = c.keys?.index;
    if (!Number.isInteger(index) || index < 0 || index > 255 || typeof c.keys?.key !== 'string') {
      return this.#warn(`malformed key from ${userId}`);
    }
    const key = decodeBase64(c.keys.key);
    const k = memberKey(userId, deviceId);
    let m = this.remote.get(k);
    if (!m) this.remote.set(k, (m = { userId, deviceId, keys: new Map(), latest: index, receivedAt: 0 }));
    m.keys.set(index, key);
    m.latest = index;
    m.receivedAt = this.clock.now();
    for (const [streamId, owner] of this.streams) {
      if (owner === k) await this.worker.addRemoteKey(streamId, { index, key });
    }
    this.#changed();
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
    this.dispatchEvent(new Event('change'));
  }

  #warn(text) {
    console.warn(`[media keys] ${text}`);
  }
}
