// Fakes for the unit tests of web/src (node --test): a MatrixClient with just what the conference code calls, an
// SFrame worker that records keys, and a clock whose timers run when the test says so.
export class FakeClock {
  constructor(start = 1_000_000) {
    this.t = start;
    this.timers = [];
    this.nextId = 1;
  }

  now() {
    return this.t;
  }

  setTimeout(f, ms) {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + ms, f });
    return id;
  }

  setInterval(f, ms) {
    const id = this.nextId++;
    const tick = () => {
      f();
      this.timers.push({ id, at: this.t + ms, f: tick });
    };
    this.timers.push({ id, at: this.t + ms, f: tick });
    return id;
  }

  clearInterval(id) {
    this.timers = this.timers.filter((x) => x.id !== id);
  }

  /** Moves time forward by ms, running every timer due on the way in order. */
  async advance(ms) {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.f();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** A homeserver's worth of state shared by several FakeClients: room members and which devices exist. */
export class FakeWorld {
  constructor(roomId) {
    this.roomId = roomId;
    this.members = new Map(); // user -> membership
    this.identityKeys = new Map(); // "user|device" -> curve25519 key
    this.clients = [];
  }

  device(userId, deviceId) {
    this.identityKeys.set(`${userId}|${deviceId}`, `curve-${userId}-${deviceId}`);
    if (!this.members.has(userId)) this.members.set(userId, 'join');
  }

  client(userId, deviceId) {
    this.device(userId, deviceId);
    const c = new FakeClient(this, userId, deviceId);
    this.clients.push(c);
    return c;
  }
}

export class FakeClient {
  constructor(world, userId, deviceId) {
    this.world = world;
    this.userId = userId;
    this.deviceId = deviceId;
    this.handlers = new Map();
    this.known = new Set(); // "user|device" our crypto knows
    this.sent = [];          // {type, messages: [{userId, deviceId, content}]}
    const self = this;
    this.crypto = {
      async getUserDeviceInfo(users) {
        const out = new Map();
        for (const u of users) {
          const devices = new Map();
          for (const k of self.known) {
            const [user, device] = k.split('|');
            if (user === u) devices.set(device, { getIdentityKey: () => world.identityKeys.get(k) });
          }
          out.set(u, devices);
        }
        return out;
      },
      async encryptToDeviceMessages(type, targets, content) {
        const batch = targets.filter((t) => self.known.has(`${t.userId}|${t.deviceId}`))
          .map((t) => ({ userId: t.userId, deviceId: t.deviceId, payload: { type, content: structuredClone(content) } }));
        return { eventType: 'm.room.encrypted', batch };
      },
    };
  }

  knows(userId, deviceId) {
    this.known.add(`${userId}|${deviceId}`);
  }

  getUserId() {
    return this.userId;
  }

  getDeviceId() {
    return this.deviceId;
  }

  getCrypto() {
    return this.crypto;
  }

  getRoom(roomId) {
    if (roomId !== this.world.roomId) return null;
    return { getMember: (u) => (this.world.members.has(u) ? { membership: this.world.members.get(u) } : null) };
  }

  on(event, f) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(f);
  }

  off(event, f) {
    this.handlers.get(event)?.delete(f);
  }

  emit(event, ...args) {
    for (const f of this.handlers.get(event) ?? []) f(...args);
  }

  /** Delivers the batch to the other fake clients as decrypted to-device messages. */
  async queueToDevice(batch) {
    this.sent.push(batch);
    for (const m of batch.batch) {
      const to = this.world.clients.find((c) => c.userId === m.userId && c.deviceId === m.deviceId);
      if (!to) continue;
      const senderDevice = to.known.has(`${this.userId}|${this.deviceId}`) ? this.deviceId : undefined;
      to.emit('receivedToDeviceMessage', {
        message: { type: m.payload.type, sender: this.userId, content: m.payload.content },
        encryptionInfo: { sender: this.userId, senderDevice,
          senderCurve25519KeyBase64: this.world.identityKeys.get(`${this.userId}|${this.deviceId}`) },
      });
    }
  }
}

export class FakeWorker {
  constructor() {
    this.sendKeys = [];
    this.remoteKeys = []; // {senderId, index}
  }

  async setSendKey(k) {
    this.sendKeys.push(k.index);
  }

  async addRemoteKey(senderId, { index }) {
    this.remoteKeys.push({ senderId, index });
  }
}
