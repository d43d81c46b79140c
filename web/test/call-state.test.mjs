// The running conference and the call history, from the room's state and timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callHistory, runningConference } from '../src/conference/call-state.js';

const ev = (type, { stateKey, content = {}, ts, sender = '@bot:hs.test' }) => ({
  getType: () => type, getStateKey: () => stateKey, getContent: () => content, getTs: () => ts, getSender: () => sender,
});
const focus = { user_id: '@conclave:hs.test', device_id: 'CONCLAVE' };
const room = (events) => ({
  currentState: { getStateEvents: (type) => events.filter((e) => e.getType() === type && e.getStateKey() !== undefined) },
  getLiveTimeline: () => ({ getEvents: () => events }),
});

test('the running conference is the newest call state without m.terminated', () => {
  assert.equal(runningConference(room([])), null);
  const r = room([ev('org.conclave.call', { stateKey: 'c1', content: { 'm.focus': focus }, ts: 10 }),
    ev('org.conclave.call', { stateKey: 'c2', content: { 'm.focus': focus }, ts: 20 }),
    ev('org.conclave.call', { stateKey: 'c3', content: { 'm.focus': focus, 'm.terminated': true }, ts: 30 })]);
  assert.equal(runningConference(r).groupCallId, 'c2');
  assert.equal(runningConference(r).focus.device_id, 'CONCLAVE');
});

test('history: started, ended, duration and who joined, newest first', () => {
  const r = room([
    ev('org.conclave.call', { stateKey: 'c1', content: { 'm.focus': focus }, ts: 1000 }),
    ev('org.conclave.call.joined', { content: { group_call_id: 'c1' }, ts: 1100, sender: '@alice:hs.test' }),
    ev('org.conclave.call.joined', { content: { group_call_id: 'c1' }, ts: 1200, sender: '@bob:hs.test' }),
    ev('org.conclave.call.joined', { content: { group_call_id: 'c1' }, ts: 1300, sender: '@alice:hs.test' }),
    ev('org.conclave.call', { stateKey: 'c1', content: { 'm.terminated': true }, ts: 61_000 }),
    ev('org.conclave.call', { stateKey: 'c2', content: { 'm.focus': focus }, ts: 90_000 }),
    ev('org.conclave.call.joined', { content: { group_call_id: 'unknown' }, ts: 90_100, sender: '@eve:hs.test' }),
  ]);
  assert.deepEqual(callHistory(r), [
    { groupCallId: 'c2', started: 90_000, ended: null, durationMs: null, who: [] },
    { groupCallId: 'c1', started: 1000, ended: 61_000, durationMs: 60_000, who: ['@alice:hs.test', '@bob:hs.test'] },
  ]);
});
