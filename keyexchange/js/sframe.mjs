// SFrame (RFC 9605) on WebCrypto, for an Encoded Transform worker (RTCRtpScriptTransform) and for Node 20.
// Mirrors org.conclave.keyexchange.sframe: header codec, key/salt derivation, the five cipher suites,
// encrypt/decrypt with metadata as AAD, a replay window per KID and the sender-key ratchet.
// KID and CTR are unsigned 64-bit values, handled as BigInt (numbers are accepted as input).

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();

/** The five suites: Nh, Nk, Nn, Nt; the CTR suites split their 48-byte key into 16-byte AES and 32-byte HMAC keys. */
export const CipherSuite = Object.freeze({
  AES_128_CTR_HMAC_SHA256_80: 0x0001,
  AES_128_CTR_HMAC_SHA256_64: 0x0002,
  AES_128_CTR_HMAC_SHA256_32: 0x0003,
  AES_128_GCM_SHA256_128: 0x0004,
  AES_256_GCM_SHA512_128: 0x0005,
});
export const DEFAULT_SUITE = CipherSuite.AES_128_GCM_SHA256_128;

const SUITES = new Map([
  [1, { id: 1, hash: 'SHA-256', nh: 32, nk: 48, nn: 12, nt: 10, gcm: false }],
  [2, { id: 2, hash: 'SHA-256', nh: 32, nk: 48, nn: 12, nt: 8, gcm: false }],
  [3, { id: 3, hash: 'SHA-256', nh: 32, nk: 48, nn: 12, nt: 4, gcm: false }],
  [4, { id: 4, hash: 'SHA-256', nh: 32, nk: 16, nn: 12, nt: 16, gcm: true }],
  [5, { id: 5, hash: 'SHA-512', nh: 64, nk: 32, nn: 12, nt: 16, gcm: true }],
]);
const CTR_ENC_KEY_LENGTH = 16;

export function suiteInfo(id) {
  const s = SUITES.get(Number(id));
  if (!s) throw new RangeError(`unknown SFrame cipher suite ${id}`);
  return s;
}

/** Why a frame was rejected: reason is one of UNKNOWN_KEY, AUTH_FAILURE, SYNTAX, REPLAY. */
export class SFrameError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'SFrameError';
    this.reason = reason;
  }
}

// ---------------------------------------------------------------- header

export const MAX_HEADER_LENGTH = 17;
const U64_MAX = (1n << 64n) - 1n;

function toU64(v) {
  const b = BigInt(v);
  if (b < 0n || b > U64_MAX) throw new RangeError(`not an unsigned 64-bit value: ${v}`);
  return b;
}

function extraBytes(v) {
  if (v < 8n) return 0;
  let n = 0;
  for (let x = v; x > 0n; x >>= 8n) n++;
  return n;
}

function writeBigEndian(v, n, out, off) {
  for (let i = n - 1; i >= 0; i--) {
    out[off + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function readBigEndian(buf, off, n) {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(buf[off + i]);
  return v;
}

export function encodedHeaderLength(kid, ctr) {
  return 1 + extraBytes(toU64(kid)) + extraBytes(toU64(ctr));
}

/** The minimal header |X|K|Y|C| + KID + CTR. */
export function encodeHeader(kid, ctr) {
  kid = toU64(kid);
  ctr = toU64(ctr);
  const kb = extraBytes(kid);
  const cb = extraBytes(ctr);
  const out = new Uint8Array(1 + kb + cb);
  out[0] = ((kb === 0 ? Number(kid) : 0x08 | (kb - 1)) << 4) | (cb === 0 ? Number(ctr) : 0x08 | (cb - 1));
  writeBigEndian(kid, kb, out, 1);
  writeBigEndian(ctr, cb, out, 1 + kb);
  return out;
}

/** Parses the header at bytes[offset..]; accepts non-minimal lengths; throws SFrameError SYNTAX when truncated. */
export function decodeHeader(bytes, offset = 0, length = bytes.length - offset) {
  if (length < 1) throw new SFrameError('SYNTAX', 'empty SFrame header');
  const config = bytes[offset];
  const k = config >> 4;
  const c = config & 0x0f;
  const kb = k & 0x08 ? (k & 0x07) + 1 : 0;
  const cb = c & 0x08 ? (c & 0x07) + 1 : 0;
  const headerLength = 1 + kb + cb;
  if (headerLength > length) {
    throw new SFrameError('SYNTAX', `SFrame header needs ${headerLength} bytes, frame has ${length}`);
  }
  const kid = kb === 0 ? BigInt(k) : readBigEndian(bytes, offset + 1, kb);
  const ctr = cb === 0 ? BigInt(c) : readBigEndian(bytes, offset + 1 + kb, cb);
  return { kid, ctr, length: headerLength };
}

// ---------------------------------------------------------------- HKDF and derivation

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function hmac(hash, key, data) {
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data));
}

/** HKDF-Extract; an empty salt becomes HashLen zeros (same HMAC key; WebCrypto refuses empty HMAC keys). */
export async function hkdfExtract(hash, salt, ikm) {
  const hashLength = hash === 'SHA-512' ? 64 : 32;
  return hmac(hash, salt.length === 0 ? new Uint8Array(hashLength) : salt, ikm);
}

export async function hkdfExpand(hash, prk, info, length) {
  const key = await subtle.importKey('raw', prk, { name: 'HMAC', hash }, false, ['sign']);
  const out = new Uint8Array(length);
  let block = new Uint8Array(0);
  for (let i = 1, pos = 0; pos < length; i++) {
    block = new Uint8Array(await subtle.sign('HMAC', key, concat(block, info, Uint8Array.of(i))));
    const n = Math.min(block.length, length - pos);
    out.set(block.subarray(0, n), pos);
    pos += n;
  }
  return out;
}

function label(prefix, suite, kid) {
  const out = new Uint8Array(prefix.length + 10);
  out.set(encoder.encode(prefix), 0);
  writeBigEndian(toU64(kid), 8, out, prefix.length);
  out[out.length - 2] = suite.id >> 8;
  out[out.length - 1] = suite.id & 0xff;
  return out;
}

export const keyLabel = (suiteId, kid) => label('SFrame 1.0 Secret key ', suiteInfo(suiteId), kid);
export const saltLabel = (suiteId, kid) => label('SFrame 1.0 Secret salt ', suiteInfo(suiteId), kid);

/** { secret, key, salt } for one KID: key/salt = HKDF-Expand(HKDF-Extract("", baseKey), label, Nk/Nn). */
export async function deriveKeyAndSalt(suiteId, kid, baseKey) {
  const suite = suiteInfo(suiteId);
  const secret = await hkdfExtract(suite.hash, new Uint8Array(0), baseKey);
  const key = await hkdfExpand(suite.hash, secret, label('SFrame 1.0 Secret key ', suite, kid), suite.nk);
  const salt = await hkdfExpand(suite.hash, secret, label('SFrame 1.0 Secret salt ', suite, kid), suite.nn);
  return { secret, key, salt };
}

/** salt XOR CTR (CTR right-aligned, big-endian). */
export function nonceFor(salt, ctr) {
  const nonce = Uint8Array.from(salt);
  let c = toU64(ctr);
  for (let i = nonce.length - 1; i >= nonce.length - 8; i--) {
    nonce[i] ^= Number(c & 0xffn);
    c >>= 8n;
  }
  return nonce;
}

/** One step of the RFC 9605 §5.1 sender-key ratchet. */
export async function ratchetBaseKey(suiteId, baseKey) {
  const suite = suiteInfo(suiteId);
  const secret = await hkdfExtract(suite.hash, new Uint8Array(0), baseKey);
  return hkdfExpand(suite.hash, secret, encoder.encode('SFrame 1.0 Ratchet'), suite.nh);
}

/** (generation << R) + (step mod 2^R). */
export function ratchetKid(generation, step, ratchetBits) {
  const r = BigInt(ratchetBits);
  return (BigInt(generation) << r) + (BigInt(step) & ((1n << r) - 1n));
}

// ---------------------------------------------------------------- AEAD

/** An AEAD bound to one derived key: seal(nonce, aad, pt) and open(nonce, aad, ct) (null when the tag fails). */
export async function createAead(suiteId, key) {
  const suite = suiteInfo(suiteId);
  if (key.length !== suite.nk) throw new RangeError(`suite ${suite.id} needs a ${suite.nk}-byte key`);
  if (suite.gcm) {
    const k = await subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return {
      async seal(nonce, aad, pt) {
        return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, k, pt));
      },
      async open(nonce, aad, ct) {
        try {
          return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, k, ct));
        } catch {
          return null;
        }
      },
    };
  }
  const encKey = await subtle.importKey('raw', key.subarray(0, CTR_ENC_KEY_LENGTH), 'AES-CTR', false, ['encrypt']);
  const authKey = await subtle.importKey('raw', key.subarray(CTR_ENC_KEY_LENGTH), { name: 'HMAC', hash: suite.hash }, false, ['sign']);
  const ctr = (nonce, data) =>
    subtle.encrypt({ name: 'AES-CTR', counter: concat(nonce, new Uint8Array(4)), length: 32 }, encKey, data);
  const tag = async (nonce, aad, ct) => {
    const lengths = new Uint8Array(24);
    writeBigEndian(BigInt(aad.length), 8, lengths, 0);
    writeBigEndian(BigInt(ct.length), 8, lengths, 8);
    writeBigEndian(BigInt(suite.nt), 8, lengths, 16);
    const full = new Uint8Array(await subtle.sign('HMAC', authKey, concat(lengths, nonce, aad, ct)));
    return full.subarray(0, suite.nt);
  };
  return {
    async seal(nonce, aad, pt) {
      const ct = new Uint8Array(await ctr(nonce, pt));
      return concat(ct, await tag(nonce, aad, ct));
    },
    async open(nonce, aad, sealed) {
      const ct = sealed.subarray(0, sealed.length - suite.nt);
      const expected = await tag(nonce, aad, ct);
      let diff = 0;
      for (let i = 0; i < suite.nt; i++) diff |= expected[i] ^ sealed[ct.length + i];
      if (diff !== 0) return null;
      return new Uint8Array(await ctr(nonce, ct));
    },
  };
}

// ---------------------------------------------------------------- replay window

export const REPLAY_WINDOW_SIZE = 128;
const WINDOW = BigInt(REPLAY_WINDOW_SIZE);
const WINDOW_MASK = (1n << WINDOW) - 1n;

/** Highest accepted CTR plus a bitmap of the 128 counters at and below it (bit i = highest - i). */
export class ReplayWindow {
  #empty = true;
  #highest = 0n;
  #bits = 0n;

  isFresh(ctr) {
    ctr = BigInt(ctr);
    if (this.#empty || ctr > this.#highest) return true;
    const behind = this.#highest - ctr;
    if (behind >= WINDOW) return false;
    return ((this.#bits >> behind) & 1n) === 0n;
  }

  accept(ctr) {
    ctr = BigInt(ctr);
    if (this.#empty) {
      this.#empty = false;
      this.#highest = ctr;
      this.#bits = 1n;
    } else if (ctr > this.#highest) {
      const ahead = ctr - this.#highest;
      this.#bits = ahead >= WINDOW ? 1n : ((this.#bits << ahead) | 1n) & WINDOW_MASK;
      this.#highest = ctr;
    } else if (this.#highest - ctr < WINDOW) {
      this.#bits |= 1n << (this.#highest - ctr);
    }
  }
}

// ---------------------------------------------------------------- sender and receiver

async function install(suiteId, kid, baseKey) {
  const { key, salt } = await deriveKeyAndSalt(suiteId, kid, baseKey);
  return { kid: toU64(kid), salt, aead: await createAead(suiteId, key) };
}

/** The lowest first counter (2^24: every header carries a 4-byte counter, which the SFU requires). */
export const FIRST_COUNTER_MIN = 1n << 24n;
/** First counters are drawn from this many values. */
export const FIRST_COUNTER_SPAN = 1n << 30n;

/** A random first counter in [FIRST_COUNTER_MIN, FIRST_COUNTER_MIN + FIRST_COUNTER_SPAN). */
export function randomFirstCounter() {
  const r = new Uint32Array(1);
  globalThis.crypto.getRandomValues(r);
  return FIRST_COUNTER_MIN + (BigInt(r[0]) & (FIRST_COUNTER_SPAN - 1n));
}

/**
 * Encrypts one sender's frames. The counter runs across key changes and never repeats; it starts at a random value
 * of 4 bytes (randomFirstCounter), as org.conclave.keyexchange.sframe.SFrameSender does. One sender per endpoint:
 * every track of a page encrypts with it. Frames encrypted while a new key is still being derived use the previous
 * one.
 */
export class SFrameSender {
  #current = null;
  #counter;

  constructor(suiteId = DEFAULT_SUITE, firstCounter = randomFirstCounter()) {
    this.suite = suiteInfo(suiteId);
    this.#counter = toU64(firstCounter);
  }

  get kid() {
    return this.#current?.kid;
  }

  get nextCounter() {
    return this.#counter;
  }

  get maxOverhead() {
    return MAX_HEADER_LENGTH + this.suite.nt;
  }

  async useKey(kid, baseKey) {
    this.#current = await install(this.suite.id, kid, baseKey);
  }

  /** header || ciphertext || tag; metadata is authenticated, not sent. */
  async encrypt(frame, metadata = new Uint8Array(0)) {
    if (this.#current === null) throw new Error('no SFrame key installed: call useKey first');
    if (this.#counter > U64_MAX) throw new Error('SFrame counter space exhausted');
    const ctr = this.#counter++;
    return this.encryptAt(ctr, frame, metadata);
  }

  /** Explicit counter; for test vectors only. */
  async encryptAt(ctr, frame, metadata) {
    const k = this.#current;
    const header = encodeHeader(k.kid, ctr);
    const sealed = await k.aead.seal(nonceFor(k.salt, ctr), concat(header, metadata), frame);
    return concat(header, sealed);
  }
}

/** Decrypts the frames of one remote sender with the keys it announced, each with its own replay window. */
export class SFrameReceiver {
  #keys = new Map();

  constructor(suiteId = DEFAULT_SUITE) {
    this.suite = suiteInfo(suiteId);
  }

  /** Installs or replaces (with a fresh window) the key announced as kid. */
  async addKey(kid, baseKey) {
    const entry = await install(this.suite.id, kid, baseKey);
    entry.window = new ReplayWindow();
    this.#keys.set(entry.kid, entry);
  }

  removeKey(kid) {
    return this.#keys.delete(toU64(kid));
  }

  hasKey(kid) {
    return this.#keys.has(toU64(kid));
  }

  get keyCount() {
    return this.#keys.size;
  }

  async decrypt(frame, metadata = new Uint8Array(0)) {
    const header = decodeHeader(frame, 0, frame.length);
    const sealedLength = frame.length - header.length;
    if (sealedLength < this.suite.nt) {
      throw new SFrameError('SYNTAX', `SFrame ciphertext of ${sealedLength} bytes is shorter than the ${this.suite.nt}-byte tag`);
    }
    const entry = this.#keys.get(header.kid);
    if (!entry) throw new SFrameError('UNKNOWN_KEY', `no key for SFrame KID ${header.kid}`);
    const replay = () => new SFrameError('REPLAY', `SFrame CTR ${header.ctr} replayed or too old for KID ${header.kid}`);
    if (!entry.window.isFresh(header.ctr)) throw replay();
    const aad = concat(frame.subarray(0, header.length), metadata);
    const pt = await entry.aead.open(nonceFor(entry.salt, header.ctr), aad, frame.subarray(header.length));
    if (pt === null) {
      throw new SFrameError('AUTH_FAILURE', `SFrame authentication failed for KID ${header.kid} CTR ${header.ctr}`);
    }
    if (!entry.window.isFresh(header.ctr)) throw replay(); // a concurrent decrypt of the same frame won
    entry.window.accept(header.ctr);
    return pt;
  }
}

export { concat };
