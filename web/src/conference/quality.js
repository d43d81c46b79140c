// Connection quality per received track from getStats deltas: loss, jitter, frame rate; and our own link's
// round-trip time. Levels: 'good' | 'fair' | 'poor' | 'none' (nothing arrives).
const POOR = { loss: 0.08, jitterMs: 80 };
const FAIR = { loss: 0.02, jitterMs: 30 };

export class Quality {
  constructor() {
    this.previous = new Map(); // track id -> {received, lost, frames, at}
    this.tracks = new Map();   // track id -> {level, loss, jitterMs, fps, kind, framesDecoded, packetsReceived}
    this.rttMs = null;
  }

  /** Takes an RTCStatsReport. */
  update(report) {
    const now = performance.now();
    report.forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) {
        this.rttMs = Math.round(s.currentRoundTripTime * 1000);
      }
      if (s.type !== 'inbound-rtp' || !s.trackIdentifier) return;
      const prev = this.previous.get(s.trackIdentifier);
      const received = s.packetsReceived ?? 0;
      const lost = Math.max(0, s.packetsLost ?? 0);
      const frames = s.framesDecoded ?? 0;
      const entry = { kind: s.kind, framesDecoded: frames, packetsReceived: received, loss: 0,
        jitterMs: Math.round((s.jitter ?? 0) * 1000), fps: s.framesPerSecond ?? null, level: 'good' };
      if (prev) {
        const dr = received - prev.received;
        const dl = lost - prev.lost;
        entry.loss = dr + dl > 0 ? dl / (dr + dl) : 0;
        if (dr <= 0) entry.level = 'none';
        else if (entry.loss >= POOR.loss || entry.jitterMs >= POOR.jitterMs) entry.level = 'poor';
        else if (entry.loss >= FAIR.loss || entry.jitterMs >= FAIR.jitterMs) entry.level = 'fair';
      }
      this.previous.set(s.trackIdentifier, { received, lost, frames, at: now });
      this.tracks.set(s.trackIdentifier, entry);
    });
  }

  /** The worst level over a stream's tracks (null when unknown). */
  levelOf(stream) {
    const order = ['none', 'poor', 'fair', 'good'];
    let worst = null;
    for (const t of stream.getTracks()) {
      const q = this.tracks.get(t.id);
      if (q && (worst === null || order.indexOf(q.level) < order.indexOf(worst))) worst = q.level;
    }
    return worst;
  }

  of(trackId) {
    return this.tracks.get(trackId) ?? null;
  }
}
