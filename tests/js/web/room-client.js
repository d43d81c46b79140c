// The conference room as a test page sees it: the SignalServer's room relay (org.conclave.tests.harness.RoomRelay),
// standing in for the megolm-encrypted Matrix room through which clients send io.element.call.encryption_keys.

const POST_TIMEOUT_MS = 10000;
const POLL_TIMEOUT_MS = 10000;
const POLL_SLACK_MS = 5000;
const POLL_RETRY_MS = 500;
const POLL_MAX_FAILURES = 5;
const FORBIDDEN = 403;

export class RoomClient {
  constructor(baseUrl, roomId, member) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.roomId = roomId;
    this.member = member;
  }

  /** The room's state events (GET /rooms/{room}/state), for roomStateFromEvents. */
  async state() {
    const res = await fetch(this.#url('state'), { signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`GET room state: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  }

  join() {
    return this.#post('join', '');
  }

  leave() {
    return this.#post('leave', '');
  }

  /** Sends an event; {@code content} is a JSON string or an object. */
  send(type, content) {
    return this.#post(`send/${encodeURIComponent(type)}`, typeof content === 'string' ? content : JSON.stringify(content));
  }

  /**
   * Delivers every event we may see, in order, to {@code onEvent} (awaited one at a time) until stop() or the relay
   * says we are no longer in the room. Returns {stop(), done}; {@code done} rejects after repeated poll failures.
   */
  eventLoop(onEvent) {
    let stopped = false;
    const done = (async () => {
      let after = 0;
      let failures = 0;
      while (!stopped) {
        let res;
        try {
          res = await fetch(`${this.#url('events')}&after=${after}&timeoutMs=${POLL_TIMEOUT_MS}`,
            { signal: AbortSignal.timeout(POLL_TIMEOUT_MS + POLL_SLACK_MS) });
          if (res.status === FORBIDDEN) return;
          if (!res.ok) throw new Error(`HTTP ${res.status} ${await res.text()}`);
          failures = 0;
        } catch (e) {
          if (stopped) return;
          if (++failures >= POLL_MAX_FAILURES) throw new Error(`room polling failed ${failures} times: ${e.message}`);
          await new Promise((r) => setTimeout(r, POLL_RETRY_MS));
          continue;
        }
        for (const event of await res.json()) {
          after = event.seq;
          if (stopped) return;
          await onEvent(event);
        }
      }
    })();
    return { stop: () => { stopped = true; }, done };
  }

  #url(action) {
    return `${this.baseUrl}/rooms/${encodeURIComponent(this.roomId)}/${action}?member=${encodeURIComponent(this.member)}`;
  }

  async #post(action, body) {
    const res = await fetch(this.#url(action), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST room ${action}: HTTP ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
}
