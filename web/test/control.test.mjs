// The conference-control channel's state: roster snapshots and deltas, room state, waiting, host mutes, replies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlChannel } from '../src/conference/control.js';
import { msidTracksByMid } from '../src/conference/conference.js';

class FakeChannel extends EventTarget {
  constructor() {
    super();
    this.readyState = 'open';
    this.sent = [];
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  receive(type, content) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify({ type, content }) }));
  }
}

const entry = (id, over = {}) => ({ id, participant: `@${id}:hs.test/D${id}`, role: 'guest', waiting: false,
  muted: false, self_muted: false, spotlight: false, ...over });

function channel() {
  const raw = new FakeChannel();
  const control = new ControlChannel(raw);
  const notices = [];
  control.addEventListener('notice', (e) => notices.push(e.detail));
  return { raw, control, notices };
}

test('a snapshot replaces the roster, deltas change and remove entries', () => {
  const { raw, control } = channel();
  raw.receive('org.conclave.roster', { snapshot: true, entries: [entry('a', { role: 'host' }), entry('b')] });
  assert.deepEqual([...control.roster.keys()], ['a', 'b']);
  raw.receive('org.conclave.roster', { snapshot: false, changed: [entry('b', { muted: true }), entry('c')], removed: ['a'] });
  assert.deepEqual([...control.roster.keys()], ['b', 'c']);
  assert.equal(control.roster.get('b').muted, true);
  raw.receive('org.conclave.roster', { snapshot: true, entries: [entry('d')] });
  assert.deepEqual([...control.roster.keys()], ['d']);
});

test('the roster is known only once the SFU has sent one: an empty roster before that is not "nobody else"', () => {
  const { raw, control } = channel();
  raw.receive('org.conclave.welcome', { endpoint_id: 'me', participant: '@me:hs.test/ME', role: 'guest' });
  assert.equal(control.rosterKnown, false);
  raw.receive('org.conclave.roster', { snapshot: true, entries: [entry('me')] });
  assert.equal(control.rosterKnown, true);
});

test('welcome says who we are and our role; room state merges', () => {
  const { raw, control } = channel();
  raw.receive('org.conclave.welcome', { endpoint_id: 'a', participant: '@a:hs.test/DA', role: 'host' });
  assert.equal(control.isHost, true);
  raw.receive('org.conclave.room_state', { locked: true, guests_muted: false, focus: null, spotlight: ['b'] });
  assert.deepEqual(control.room, { locked: true, guests_muted: false, focus: null, spotlight: ['b'] });
});

test('waiting, admission and rejection', () => {
  const { raw, control, notices } = channel();
  raw.receive('org.conclave.waiting_status', { status: 'waiting' });
  assert.equal(control.waiting, 'waiting');
  raw.receive('org.conclave.waiting_status', { status: 'admitted' });
  raw.receive('org.conclave.welcome', { endpoint_id: 'a', participant: '@a:hs.test/DA', role: 'guest' });
  assert.equal(control.waiting, 'admitted');
  raw.receive('org.conclave.waiting_status', { status: 'rejected', reason: 'no' });
  assert.deepEqual(notices.map((n) => `${n.kind}/${n.code}`), ['waiting/waiting', 'waiting/rejected']);
});

test('a host mute is remembered until may_unmute', () => {
  const { raw, control, notices } = channel();
  raw.receive('org.conclave.please_mute', { by: 'h' });
  assert.equal(control.hostMuted, true);
  raw.receive('org.conclave.may_unmute', { by: 'h' });
  assert.equal(control.hostMuted, false);
  assert.deepEqual(notices.map((n) => n.code), ['please_mute', 'may_unmute']);
});

test('pings are answered with the same content', () => {
  const { raw } = channel();
  raw.receive('m.call.ping', { n: 7 });
  assert.deepEqual(raw.sent, [{ type: 'm.call.pong', content: { n: 7 } }]);
});

test('a command resolves on ok and rejects with the SFU\'s errcode', async () => {
  const { raw, control } = channel();
  const ok = control.send('org.conclave.lock');
  const refused = control.send('org.conclave.mute', { endpoint_id: 'b' });
  const [lock, mute] = raw.sent;
  assert.equal(lock.type, 'org.conclave.lock');
  assert.equal(mute.content.endpoint_id, 'b');
  raw.receive('org.conclave.ok', { request_type: 'org.conclave.lock', request_id: lock.content.request_id });
  raw.receive('org.conclave.error', { errcode: 'M_FORBIDDEN', error: 'mute is a host action; you are a guest',
    request_type: 'org.conclave.mute', request_id: mute.content.request_id });
  assert.equal(await ok, null);
  await assert.rejects(refused, (e) => e.errcode === 'M_FORBIDDEN');
});

test('an error for no request of ours becomes a notice', () => {
  const { raw, notices } = channel();
  raw.receive('org.conclave.error', { errcode: 'M_BAD_JSON', error: 'bad', request_id: '99' });
  assert.deepEqual(notices, [{ kind: 'error', code: 'M_BAD_JSON', reason: 'bad' }]);
});

test('a closed channel refuses commands', async () => {
  const { raw, control } = channel();
  raw.readyState = 'closed';
  await assert.rejects(control.send('org.conclave.lock'), /not open/);
});

test('the SFU knows a received track by its sender\'s msid, whatever id the browser gave it', () => {
  const sdp = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=msid:s1 a1\r\n'
    + 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=msid:s2 v2\r\na=mid:s0\r\nm=application 9 x\r\na=mid:2\r\n';
  assert.deepEqual([...msidTracksByMid(sdp)], [['0', 'a1'], ['s0', 'v2']]);
});

test('media_refused: kept and told once, in the sender’s words; the roster field marks the entry for others', () => {
  const { raw, control, notices } = channel();
  raw.receive('org.conclave.media_refused', { reason: 'not_encrypted', error: 'Your client is not encrypting media.' });
  assert.deepEqual(control.mediaRefused, { reason: 'not_encrypted', error: 'Your client is not encrypting media.' });
  assert.deepEqual(notices, [{ kind: 'media_refused', code: 'not_encrypted', reason: 'Your client is not encrypting media.' }]);
  raw.receive('org.conclave.roster', { snapshot: false, changed: [entry('b', { media_refused: true })] });
  assert.equal(control.roster.get('b').media_refused, true);
});

test('negotiations are handled one at a time in arrival order, and one that fails does not stop the next', async () => {
  const { serializeNegotiation } = await import('../src/conference/conference.js');
  const log = [];
  let release;
  const call = {
    async onNegotiateReceived(event) {
      log.push(`start ${event}`);
      if (event === 1) await new Promise((r) => { release = r; });
      if (event === 2) throw new Error('wrong state');
      log.push(`end ${event}`);
    },
  };
  serializeNegotiation(call);
  call.onNegotiateReceived(1);
  call.onNegotiateReceived(2);
  const last = call.onNegotiateReceived(3);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(log, ['start 1']);
  release();
  await last;
  assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'start 3', 'end 3']);
});
