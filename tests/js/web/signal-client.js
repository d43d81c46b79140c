// HTTP signalling against the test SignalServer (org.conclave.tests.harness.SignalServer).
// Plain fetch: runs in the browser (same origin, baseUrl '') and in Node >= 18.

const POST_TIMEOUT_MS = 25000; // the server bounds each SFU call at 20 s
const POLL_TIMEOUT_MS = 10000; // the server answers an empty long-poll after this
const POLL_SLACK_MS = 5000;
const POLL_RETRY_MS = 500;
const POLL_MAX_FAILURES = 5;

export class SignalError extends Error {
  constructor(message, status, reason) {
    super(message);
    this.status = status;
    this.reason = reason; // the SFU's FailureReason name, when the SFU refused the call
  }
}

export class SignalClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.endpointId = null;
  }

  /** {@code requireE2ee}: the conference forwards only SFrame-encrypted media from then on. */
  async allocate(conference, participant, role, { requireE2ee = false } = {}) {
    const body = JSON.stringify({ participant, role, requireE2ee });
    const reply = JSON.parse(await this.#post(`/conferences/${encodeURIComponent(conference)}/endpoints`, body, 'application/json'));
    this.endpointId = reply.endpointId;
    return reply;
  }

  /** Sends our offer, returns the SFU's answer SDP. */
  offer(sdp) {
    return this.#post(this.#ep('offer'), sdp, 'application/sdp');
  }

  /** Sends our answer to an SFU re-offer. */
  answer(sdp) {
    return this.#post(this.#ep('answer'), sdp, 'application/sdp');
  }

  /** Posts our current report; the test reads it as the endpoint's live stats. */
  postStats(results) {
    return this.#post(this.#ep('stats'), JSON.stringify(results), 'application/json');
  }

  close(reason = 'peer done') {
    return this.#post(this.#ep('close'), reason, 'text/plain');
  }

  /** Long-polls the events after {@code after}: [{seq, type, sdp?, reason?, detail?}]. */
  async events(after, timeoutMs = POLL_TIMEOUT_MS) {
    const url = `${this.baseUrl}${this.#ep('events')}?after=${after}&timeoutMs=${timeoutMs}`;
    const res = await fetchOrExplain(url, { signal: AbortSignal.timeout(timeoutMs + POLL_SLACK_MS) }, 'GET');
    if (!res.ok) throw new SignalError(`GET events: HTTP ${res.status} ${await res.text()}`, res.status, null);
    return res.json();
  }

  /**
   * Delivers every event, in order, to {@code onEvent} (awaited one at a time) until stop() or a 'closed' event.
   * Returns {stop(), done}; {@code done} rejects after repeated poll failures.
   */
  eventLoop(onEvent) {
    let stopped = false;
    const done = (async () => {
      let after = 0;
      let failures = 0;
      while (!stopped) {
        let batch;
        try {
          batch = await this.events(after);
          failures = 0;
        } catch (e) {
          if (stopped) return;
          if (++failures >= POLL_MAX_FAILURES) throw new Error(`event polling failed ${failures} times: ${e.message}`);
          await new Promise((r) => setTimeout(r, POLL_RETRY_MS));
          continue;
        }
        for (const event of batch) {
          after = event.seq;
          if (stopped) return;
          await onEvent(event);
          if (event.type === 'closed') return;
        }
      }
    })();
    return { stop: () => { stopped = true; }, done };
  }

  #ep(action) {
    if (!this.endpointId) throw new Error('no endpoint allocated yet');
    return `/endpoints/${encodeURIComponent(this.endpointId)}/${action}`;
  }

  async #post(path, body, contentType) {
    const res = await fetchOrExplain(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    }, 'POST');
    const text = await res.text();
    if (!res.ok) {
      const reason = res.headers.get('X-Sfu-Failure-Reason');
      throw new SignalError(`POST ${path}: HTTP ${res.status}${reason ? ' ' + reason : ''}: ${text}`, res.status, reason);
    }
    return text;
  }
}

/** fetch, with the URL and the underlying cause in the error (Node's is just "fetch failed"). */
async function fetchOrExplain(url, init, method) {
  try {
    return await fetch(url, init);
  } catch (e) {
    const cause = e.cause && e.cause.message ? `: ${e.cause.message}` : '';
    throw new SignalError(`${method} ${url}: ${e.message}${cause}`, 0, null);
  }
}

/**
 * Flips the first byte of every a=fingerprint, so the SFU is told of a certificate other than the one this peer
 * really uses in DTLS (the munged SDP is only sent, never applied locally).
 */
export function mungeFingerprint(sdp) {
  let count = 0;
  const out = sdp.replace(/^(a=fingerprint:\S+ )([0-9A-Fa-f]{2})/gm, (_, head, byte) => {
    count++;
    const flipped = (parseInt(byte, 16) ^ 0xff).toString(16).toUpperCase().padStart(2, '0');
    return head + flipped;
  });
  if (count === 0) throw new Error('no a=fingerprint line to munge');
  return out;
}

/** mid -> stream id of its a=msid line (the stream the SFU put the track in). */
export function streamIdsByMid(sdp) {
  const result = new Map();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /^a=mid:(\S+)/m.exec(section);
    const msid = /^a=msid:(\S+)/m.exec(section);
    if (mid && msid) result.set(mid[1], msid[1]);
  }
  return result;
}

/** "stream track" of every a=msid line, in m-line order: the ids a receiver should see for what this SDP sends. */
export function msids(sdp) {
  return [...(sdp || '').matchAll(/^a=msid:(\S+) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
}
