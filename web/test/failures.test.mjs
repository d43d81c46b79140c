// The words of the failures whose sentence depends on what the page knows, and the timers tests shorten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failures } from '../src/conference/failures.js';
import { timeoutMs } from '../src/conference/conference.js';

test('not a member: an invited person is told to accept the invitation, anyone else to ask for one', () => {
  const invited = failures.notMember('Planning', true);
  assert.equal(invited.code, 'not_member');
  assert.equal(invited.title, 'You are not a member of Planning.');
  assert.match(invited.advice, /accept the invitation/);
  assert.match(failures.notMember('Planning', false).advice, /Ask someone in the room to invite you/);
});

test('the waiting room closing has its own message, with the SFU\'s words when it gave them', () => {
  const f = failures.waitingTimedOut('nobody let you in within 5 minutes');
  assert.equal(f.code, 'waiting_timed_out');
  assert.equal(f.title, 'Nobody let you in.');
  assert.match(f.advice, /^The waiting room closed: nobody let you in within 5 minutes\. Ask a host/);
  assert.match(failures.waitingTimedOut(null).advice, /no host admitted you in time/);
  assert.notEqual(f.title, failures.refused('no').title);
});

test('timers come from the page address when given as a positive whole number of ms, else the default', () => {
  assert.equal(timeoutMs('answer_timeout_ms', 20000, '?diagnostics=1&answer_timeout_ms=8000'), 8000);
  assert.equal(timeoutMs('answer_timeout_ms', 20000, '?connect_timeout_ms=8000'), 20000);
  for (const bad of ['0', '-5', 'soon', '1.5', '']) {
    assert.equal(timeoutMs('answer_timeout_ms', 20000, `?answer_timeout_ms=${bad}`), 20000, bad);
  }
  assert.equal(timeoutMs('answer_timeout_ms', 20000, ''), 20000);
});
