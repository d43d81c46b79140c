// Media keys of one conference, through Matrix end-to-end encryption only: Olm-encrypted to-device
// io.element.call.encryption_keys with Element Call's current content. Why to-device and not megolm room events: a
// room event reaches every member of the room, also one who left the call but stays in the room, so a key rotated
// on leave would reach the leaver; an Olm message goes to the devices we choose.
//
// Who gets our key: every device of the users who are in the call (the SFU's roster, which is untrusted) AND joined
// members of the room (Matrix, which is not): the SFU can leave someone out or keep a leaver listed, but never give
// a key to a non-member. Whose keys we take: only Olm-decrypted messages from a joined member, for this room, whose
// claimed device is the device Olm says sent it.
import { checkCode, decodeBase64, makeMediaKey, nextIndex, unpaddedBase64 } from '../../../keyexchange/js/keys.mjs';

export const KEYS_EVENT_TYPE = 'io.element.call.encryption_keys';
/** A new key is sent at once but encrypted with only after this, so receivers have it when its frames arrive. */
export const USE_NEW_KEY_AFTER_MS = 1000;

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
    this.inCall = new Set();    // user ids we send keys to
    this.remote = new Map();    // "user|device" -> {userId, deviceId, keys: Map(index -> key), latest, receivedAt}
    this.streams = new Map();   // stream id -> "user|device" (from stream metadata)
    this.rotations = [];        // {at, index, reason}
    this.onToDevice = (payload) => this.#receive(payload).catch((e) => this.#warn(`key message: ${e.message}`));
  }

  /** Makes our first key and starts listening. */
  async start() {
    this.client.on('receivedToDeviceMessage', this.onToDevice);
    this.own = makeMediaKey(0);
    this.inUse = this.own;
    await this.worker.setSendKey(this.own);
    this.#changed();
  }

  stop() {
    this.client.off('receivedToDeviceMessage', this.onToDevice);
  }

  /**
   * The call's participants changed (user ids from the SFU's roster, admitted ones only). New ones get our key;
   * when someone left, we make a new key, send it to those who remain, and switch to it after USE_NEW_KEY_AFTER_MS.
   */
  async setParticipants(userIds) {
    const room = this.client.getRoom(this.roomId);
    const members = new Set(userIds.filter((u) => u !== this.userId && room?.getMember(u)?.membership === 'join'));
    const joined = [...members].filter((u) => !this.inCall.has(u));
    const left = [...this.inCall].filter((u) => !members.has(u));
    this.inCall = members;
    for (const u of left) for (const [k, m] of this.remote) if (m.userId === u) this.remote.delete(k);
    if (left.length) await this.rotate(`left: ${left.join(', ')}`);
    else if (joined.length) await this.#send(joined, this.own === this.inUse ? [this.own] : [this.inUse, this.own]);
    this.#changed();
  }

  /** A new key for everyone still in the call; used after the grace delay. */
  async rotate(reason) {
    const key = makeMediaKey(nextIndex(this.own.index));
    this.own = key;
    this.rotations.push({ at: this.clock.now(), index: key.index, reason });
    await this.#send([...this.inCall], [key]);
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

  async #send(userIds, keys) {
    if (!userIds.length) return;
    const crypto = this.client.getCrypto();
    const devices = await crypto.getUserDeviceInfo(userIds, true);
    const targets = [];
    for (const [userId, byDevice] of devices) {
      for (const deviceId of byDevice.keys()) targets.push({ userId, deviceId });
    }
    if (!targets.length) return;
    for (const key of keys) {
      const content = {
        keys: { index: key.index, key: unpaddedBase64(key.key) },
        room_id: this.roomId,
        member: { id: `${this.userId}:${this.deviceId}`, claimed_device_id: this.deviceId },
        session: { application: 'm.call', call_id: '', scope: 'm.room' },
        sent_ts: this.clock.now(),
      };
      const batch = await crypto.encryptToDeviceMessages(KEYS_EVENT_TYPE, targets, content);
      await this.client.queueToDevice(batch);
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

  /** Who in the call we hold no key from (user ids). */
  missingKeys() {
    const have = new Set([...this.remote.values()].map((m) => m.userId));
    return [...this.inCall].filter((u) => !have.has(u));
  }

  /** The 6-digit check code over everyone's newest key, ours included; null before any key. */
  async checkCode() {
    if (!this.own) return null;
    const participants = [{ userId: this.userId, deviceId: this.deviceId, keyIndex: this.own.index, key: this.own.key }];
    for (const m of this.remote.values()) {
      if (this.inCall.has(m.userId)) {
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
