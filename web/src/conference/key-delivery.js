// Sending media keys as Olm-encrypted to-device messages, one send at a time (the crypto claims one-time keys per
// device once), and making sure each one reaches every device it was meant for: matrix-js-sdk's
// encryptToDeviceMessages leaves out a device its crypto does not know yet (a device that just signed in, whose
// device-list query is still on its way). Such a device is kept as undelivered and gets the current keys again when
// its user's devices are updated, or on the next tick, at most UNDELIVERED_TRIES times while it stays in the call.
export const UNDELIVERED_TRIES = 10;
// One send that never finishes (a crypto call or a homeserver request that hangs) must not hold back every later one:
// after this long its devices count as undelivered and the queue goes on.
export const SEND_TIMEOUT_MS = 15_000;
const LOG_LENGTH = 100;

const keyOf = (t) => `${t.userId}|${t.deviceId}`;

export class DeliveryQueue {
  /**
   * @param client the MatrixClient (getCrypto().getUserDeviceInfo/encryptToDeviceMessages, queueToDevice)
   * @param eventType the to-device type to encrypt
   * @param clock {now(), setTimeout(f, ms)}
   */
  constructor(client, eventType, clock) {
    this.client = client;
    this.eventType = eventType;
    this.clock = clock;
    this.sending = Promise.resolve();
    this.undelivered = new Map(); // "user|device" -> {target, tries, queued}
    this.log = [];                // {at, index, to, sent, ms}
    this.pending = new Map();     // "user|device" -> sends queued or in flight that name it
    this.onIdle = null;           // called when the last queued send has left the queue
    this.stopped = false;
  }

  /** Whether a send naming this device is queued or in flight (a repair then waits for it instead of piling up). */
  isPending(target) {
    return this.pending.has(keyOf(target));
  }

  /** Whether any send is queued or in flight. */
  busy() {
    return this.pending.size > 0;
  }

  stop() {
    this.stopped = true;
  }

  /** Sends each key (contentOf(key) is its content) to the targets [{userId, deviceId}]; resolves when queued. */
  send(targets, keys, contentOf) {
    for (const t of targets) this.pending.set(keyOf(t), (this.pending.get(keyOf(t)) ?? 0) + 1);
    const next = this.sending.then(() => this.#sendWithin(targets, keys, contentOf));
    this.sending = next.catch(() => {}).then(() => {
      for (const t of targets) {
        const n = this.pending.get(keyOf(t)) - 1;
        if (n > 0) this.pending.set(keyOf(t), n);
        else this.pending.delete(keyOf(t));
      }
      if (!this.pending.size) this.onIdle?.();
    });
    return next;
  }

  /**
   * Sends the current keys again to the undelivered devices still in the call (inCall: Map "user|device" -> target)
   * whose user is in `users` (all when null).
   */
  retry(users, inCall, currentKeys, contentOf) {
    const due = [];
    for (const [k, u] of this.undelivered) {
      if (!inCall.has(k)) {
        this.undelivered.delete(k);
        continue;
      }
      // An exhausted device stays listed while in the call, so that a later send missing it does not start over.
      if (u.queued || u.tries >= UNDELIVERED_TRIES || (users && !users.has(u.target.userId))) continue;
      u.tries++;
      u.queued = true;
      due.push(u.target);
    }
    if (due.length) return this.send(due, currentKeys(), contentOf);
    return Promise.resolve();
  }

  #sendWithin(targets, keys, contentOf) {
    const progress = { settled: false };
    const sending = this.#sendNow(targets, keys, contentOf, progress);
    const timeout = new Promise((resolve, reject) => this.clock.setTimeout(() => {
      if (progress.settled) return; // the send finished first
      this.#settle(targets, new Set(targets.map(keyOf)), progress);
      reject(new Error(`sending media keys did not finish within ${SEND_TIMEOUT_MS} ms`));
    }, SEND_TIMEOUT_MS));
    return Promise.race([sending, timeout]);
  }

  async #sendNow(targets, keys, contentOf, progress) {
    if (!targets.length || this.stopped) return;
    const crypto = this.client.getCrypto();
    const missed = new Set();
    try {
      // Waits (briefly) for device-list queries in flight, and downloads users our crypto does not track yet.
      await crypto.getUserDeviceInfo([...new Set(targets.map((t) => t.userId))], true);
      for (const key of keys) {
        const started = this.clock.now();
        const batch = await crypto.encryptToDeviceMessages(this.eventType, targets, contentOf(key));
        await this.client.queueToDevice(batch);
        const sent = new Set(batch.batch.map(keyOf));
        for (const t of targets) if (!sent.has(keyOf(t))) missed.add(keyOf(t));
        this.log.push({ at: started, index: key.index, to: targets.map((t) => `${t.userId}/${t.deviceId}`),
          sent: batch.batch.map((m) => `${m.userId}/${m.deviceId}`), ms: this.clock.now() - started });
        if (this.log.length > LOG_LENGTH) this.log.shift();
      }
    } catch (e) {
      for (const t of targets) missed.add(keyOf(t));
      throw e;
    } finally {
      this.#settle(targets, missed, progress);
    }
  }

  /** Once per send: delivered devices leave the undelivered set, missed ones (re)enter it for a later try. */
  #settle(targets, missed, progress) {
    if (progress.settled) return;
    progress.settled = true;
    for (const t of targets) {
      const k = keyOf(t);
      const u = this.undelivered.get(k);
      if (!missed.has(k)) this.undelivered.delete(k);
      else if (u) u.queued = false;
      else this.undelivered.set(k, { target: t, tries: 0, queued: false });
    }
  }
}
