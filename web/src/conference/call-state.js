// The conference a room announces: the bot's org.conclave.call state (docs/protocol.md, "Conference state"), and the
// history of past conferences read from the room's timeline.
export const CALL_STATE_TYPE = 'org.conclave.call';
export const JOINED_EVENT_TYPE = 'org.conclave.call.joined';

/** The running conference of the room: {groupCallId, focus: {user_id, device_id, session_id}, since} or null. */
export function runningConference(room) {
  const events = room?.currentState.getStateEvents(CALL_STATE_TYPE) ?? [];
  let best = null;
  for (const e of events) {
    const c = e.getContent();
    if (!c || c['m.terminated'] || !c['m.focus']?.user_id) continue;
    if (!best || e.getTs() > best.since) best = { groupCallId: e.getStateKey(), focus: c['m.focus'], since: e.getTs() };
  }
  return best;
}

/**
 * Past and running conferences from the room's loaded timeline, newest first: {groupCallId, started, ended,
 * durationMs, who: [user ids]}. A conference starts with an org.conclave.call state event and ends with one carrying
 * m.terminated; who joined comes from the participants' (encrypted) org.conclave.call.joined events.
 */
export function callHistory(room) {
  const byId = new Map();
  const events = room?.getLiveTimeline().getEvents() ?? [];
  for (const e of events) {
    const type = e.getType();
    if (type === CALL_STATE_TYPE) {
      const id = e.getStateKey();
      let h = byId.get(id);
      if (!h) byId.set(id, (h = { groupCallId: id, started: null, ended: null, durationMs: null, who: [] }));
      if (e.getContent()['m.terminated']) h.ended = e.getTs();
      else if (h.started === null) h.started = e.getTs();
    } else if (type === JOINED_EVENT_TYPE) {
      const h = byId.get(e.getContent().group_call_id);
      if (h && !h.who.includes(e.getSender())) h.who.push(e.getSender());
    }
  }
  const list = [...byId.values()].filter((h) => h.started !== null);
  for (const h of list) if (h.ended !== null) h.durationMs = h.ended - h.started;
  return list.sort((a, b) => b.started - a.started);
}
