// Media keys in the browser: key making, the per-sender keyring, Element Call / MSC4143 event contents and the
// secure check code. Mirrors org.conclave.keyexchange.keys, .transport and .check.

import { SFrameReceiver, DEFAULT_SUITE, concat } from './sframe.mjs';

export const KEY_LENGTH = 32;
export const MIN_KEY_LENGTH = 16;
export const MAX_KEY_LENGTH = 64;
export const INDEX_COUNT = 256;
export const PAST_KEYS_KEPT = 4;
export const MAX_KEYS_PER_EVENT = 16;
export const MAX_CONTENT_CHARS = 65536;
export const ELEMENT_CALL_KEYS_EVENT_TYPE = 'io.element.call.encryption_keys';
export const RTC_KEY_EVENT_TYPE = 'm.rtc.encryption_key';
export const RTC_KEY_UNSTABLE_EVENT_TYPE = 'org.matrix.msc4143.rtc.encryption_key';

/** Errors of the key transports: reason MALFORMED or UNENCRYPTED_ROOM. */
export class KeyTransportError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'KeyTransportError';
    this.reason = reason;
  }
}

const malformed = (message) => new KeyTransportError('MALFORMED', message);

/** A fresh random 32-byte key; {index, key}. Its SFrame KID is the index. */
export function makeMediaKey(index) {
  checkIndex(index);
  return { index, key: globalThis.crypto.getRandomValues(new Uint8Array(KEY_LENGTH)) };
}

export const nextIndex = (index) => (index + 1) % INDEX_COUNT;
export const kidOf = (mediaKey) => BigInt(mediaKey.index);

function checkIndex(index) {
  if (!Number.isInteger(index) || index < 0 || index >= INDEX_COUNT) {
    throw new RangeError(`media key index must be 0..${INDEX_COUNT - 1}, was ${index}`);
  }
}

const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Keys received from one remote sender (newest plus PAST_KEYS_KEPT older), installed in its SFrameReceiver. */
export class RemoteKeyring {
  #keys = []; // oldest first

  constructor(senderId, suiteId = DEFAULT_SUITE) {
    this.senderId = senderId;
    this.receiver = new SFrameReceiver(suiteId);
  }

  /** Returns false when the key was already held unchanged (a re-send keeps the replay window). */
  async accept(mediaKey) {
    if (this.#keys.some((k) => k.index === mediaKey.index && sameBytes(k.key, mediaKey.key))) return false;
    this.#keys = this.#keys.filter((k) => k.index !== mediaKey.index);
    this.#keys.push({ index: mediaKey.index, key: Uint8Array.from(mediaKey.key) });
    await this.receiver.addKey(kidOf(mediaKey), mediaKey.key);
    while (this.#keys.length > PAST_KEYS_KEPT + 1) this.receiver.removeKey(kidOf(this.#keys.shift()));
    return true;
  }

  get keys() {
    return this.#keys.map((k) => ({ index: k.index, key: Uint8Array.from(k.key) }));
  }

  get latest() {
    return this.#keys.at(-1);
  }
}

// ---------------------------------------------------------------- base64 and JSON

/** Matrix unpadded base64 (standard alphabet). */
export function unpaddedBase64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, '');
}

/** Standard base64, padding optional; throws on anything else. */
export function decodeBase64(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw malformed("'key' is not base64");
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) throw malformed("'key' is not base64");
  const s = atob(bare + '='.repeat((4 - (bare.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function parseObject(json, what) {
  if (typeof json !== 'string') throw malformed(`${what} is missing`);
  if (json.length > MAX_CONTENT_CHARS) throw malformed(`${what} is longer than ${MAX_CONTENT_CHARS} characters`);
  let value;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw malformed(`${what} is not valid JSON: ${e.message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(`${what} is not a JSON object`);
  return value;
}

function string(obj, field) {
  if (typeof obj[field] !== 'string') throw malformed(`'${field}' must be a string`);
  return obj[field];
}

function mediaKeyFrom(node) {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw malformed('a media key must be an object {index, key}');
  }
  const { index } = node;
  if (!Number.isInteger(index) || index < 0 || index >= INDEX_COUNT) {
    throw malformed(`'index' must be an integer 0..${INDEX_COUNT - 1}`);
  }
  const key = decodeBase64(string(node, 'key'));
  if (key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH) {
    throw malformed(`'key' must decode to ${MIN_KEY_LENGTH}..${MAX_KEY_LENGTH} bytes, got ${key.length}`);
  }
  return { index, key };
}

const mediaKeyJson = (k) => ({ index: k.index, key: unpaddedBase64(k.key) });

// ---------------------------------------------------------------- room state

/** {roomId, encrypted} from the room's state events (array from GET /rooms/{roomId}/state). */
export function roomStateFromEvents(roomId, events) {
  if (!Array.isArray(events)) throw malformed('room state is not an array of events');
  const encrypted = events.some((e) => e !== null && typeof e === 'object' && e.type === 'm.room.encryption'
    && e.state_key === '' && typeof e.content?.algorithm === 'string' && e.content.algorithm !== '');
  return { roomId, encrypted };
}

// ---------------------------------------------------------------- Element Call room event

/**
 * Content of io.element.call.encryption_keys. Refuses (KeyTransportError UNENCRYPTED_ROOM) when roomState says the
 * room has no m.room.encryption state.
 */
export function elementCallKeysContent(roomState, keys, deviceId, sentTs = Date.now()) {
  if (!roomState.encrypted) {
    throw new KeyTransportError('UNENCRYPTED_ROOM', `Refusing to send media keys into room ${roomState.roomId}: its state `
      + 'has no m.room.encryption event, so the keys would be readable by the homeserver and anyone who reads the room. '
      + 'Enable encryption in the room, or use to-device key transport.');
  }
  if (keys.length === 0 || keys.length > MAX_KEYS_PER_EVENT) throw new RangeError(`1..${MAX_KEYS_PER_EVENT} keys per event`);
  return JSON.stringify({ keys: keys.map(mediaKeyJson), device_id: deviceId, call_id: '', sent_ts: sentTs });
}

/** Parses a received io.element.call.encryption_keys content: {keys, deviceId, callId, sentTs}. */
export function parseElementCallKeys(json) {
  const content = parseObject(json, `${ELEMENT_CALL_KEYS_EVENT_TYPE} content`);
  const { keys } = content;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS_PER_EVENT) {
    throw malformed(`'keys' must be an array of 1..${MAX_KEYS_PER_EVENT} keys`);
  }
  const parsed = keys.map(mediaKeyFrom);
  const deviceId = string(content, 'device_id');
  const callId = 'call_id' in content ? string(content, 'call_id') : '';
  let sentTs = 0;
  if ('sent_ts' in content) {
    if (!Number.isSafeInteger(content.sent_ts)) throw malformed("'sent_ts' must be an integer");
    sentTs = content.sent_ts;
  }
  return { keys: parsed, deviceId, callId, sentTs };
}

// ---------------------------------------------------------------- MSC4143 to-device

export const isRtcKeyEventType = (type) => type === RTC_KEY_EVENT_TYPE || type === RTC_KEY_UNSTABLE_EVENT_TYPE;

export function rtcEncryptionKeyContent(roomId, memberId, mediaKey) {
  return JSON.stringify({ room_id: roomId, member_id: memberId, media_key: mediaKeyJson(mediaKey) });
}

export function parseRtcEncryptionKey(eventType, json) {
  if (!isRtcKeyEventType(eventType)) throw malformed(`event type ${eventType} is not ${RTC_KEY_EVENT_TYPE}`);
  const content = parseObject(json, `${RTC_KEY_EVENT_TYPE} content`);
  const roomId = string(content, 'room_id');
  const memberId = string(content, 'member_id');
  const mk = content.media_key;
  if (mk === null || typeof mk !== 'object' || Array.isArray(mk)) throw malformed("'media_key' must be an object");
  return { roomId, memberId, mediaKey: mediaKeyFrom(mk) };
}

// ---------------------------------------------------------------- check code

const utf8 = new TextEncoder();

function u32(n) {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

const prefixed = (bytes) => concat(u32(bytes.length), bytes);

function compareUnsigned(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The 6-digit secure check code (same derivation as CheckCode.java): SHA-256 over a label, the room id and every
 * participant's {userId, deviceId, keyIndex, key}, sorted by encoding; first 8 bytes mod 10^6.
 */
export async function checkCode(roomId, participants) {
  participants.forEach((p) => checkIndex(p.keyIndex));
  const entries = participants.map((p) => concat(prefixed(utf8.encode(p.userId)), prefixed(utf8.encode(p.deviceId)),
    Uint8Array.of(p.keyIndex), prefixed(p.key)));
  entries.sort(compareUnsigned);
  for (let i = 1; i < entries.length; i++) {
    if (compareUnsigned(entries[i - 1], entries[i]) === 0) throw new RangeError('a participant is listed twice');
  }
  const input = concat(utf8.encode('conclave check code v1'), prefixed(utf8.encode(roomId)), u32(entries.length), ...entries);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input));
  let head = 0n;
  for (let i = 0; i < 8; i++) head = (head << 8n) | BigInt(digest[i]);
  return (head % 1000000n).toString().padStart(6, '0');
}
