// The people panel: the roster the SFU sends (name, host or guest, muted, hand, connection), and for hosts only the
// host controls: lock/unlock with the waiting room (admit, reject), mute a guest or all guests, spotlight,
// disconnect. A guest's page never builds these controls (and the SFU refuses them from a guest anyway).
import { LEVEL_TEXT } from '../conference/verification.js';
import { parseParticipant } from '../conference/conference.js';
import { fill, h } from './dom.js';

export function peoplePanel(conference, panel, nameOf, qualityOf, report) {
  const c = conference.control;
  // Rebuilt only when what it shows changed (the page renders every 2 s for stats): a rebuilt button loses the
  // keyboard focus and the click a person is making; the focused control is focused again after a rebuild.
  const levelOf = (e) => {
    const { userId, deviceId } = parseParticipant(e.participant);
    return conference.verification?.of(userId, deviceId) ?? null;
  };
  // Who speaks and how good a connection is change every few seconds: they are updated in place, never by a rebuild
  // (a rebuild under a person's pointer made a host's click on "Lock" miss for 20 s in a test under load).
  const shown = JSON.stringify(c?.me ? [c.me, [...c.roster.values()].map((e) => ({ ...e, speaking: null })), c.hands,
    c.room, [...c.roster.values()].map(levelOf)] : null);
  if (panel.dataset.shown === shown) {
    if (c?.me) updateInPlace(c, panel, qualityOf);
    return panel;
  }
  panel.dataset.shown = shown;
  const focused = panel.contains(document.activeElement) ? document.activeElement?.dataset.focusKey : null;
  build(c, panel, nameOf, qualityOf, levelOf, report);
  if (focused) panel.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
  return panel;
}

function updateInPlace(c, panel, qualityOf) {
  for (const li of panel.querySelectorAll('ul.roster > li[data-endpoint]')) {
    const e = c.roster.get(li.dataset.endpoint);
    if (!e) continue;
    li.classList.toggle('speaking', !!e.speaking);
    const q = qualityOf(e);
    const badge = li.querySelector('span.quality');
    if (badge) {
      badge.className = `quality ${q ?? 'unknown'}`;
      badge.setAttribute('aria-label', `connection ${q ?? 'unknown'}`);
      badge.title = `Connection: ${q ?? 'measuring…'}`;
    }
  }
}

function build(c, panel, nameOf, qualityOf, levelOf, report) {
  if (!c?.me) return fill(panel, h('h2', {}, 'People'), h('p', { class: 'hint' }, 'Connecting…'));
  const host = c.isHost;
  const act = (type, content, what) => c.send(type, content).catch((e) => report(`${what}: ${e.message}`));
  const entries = [...c.roster.values()];
  const waiting = entries.filter((e) => e.waiting);
  const inCall = entries.filter((e) => !e.waiting)
    .sort((a, b) => (a.role === b.role ? nameOf(a.participant).localeCompare(nameOf(b.participant)) : a.role === 'host' ? -1 : 1));
  const hands = new Map(c.hands.map((x, i) => [x.endpoint_id, i + 1]));
  const spot = new Set(c.room.spotlight ?? []);

  const hostBar = host ? h('section', { class: 'host-panel', 'aria-label': 'Host controls' },
    h('h3', {}, 'Host controls'),
    h('div', { class: 'row' },
      h('button', { id: 'lock-toggle', 'data-focus-key': 'lock', 'aria-pressed': String(!!c.room.locked),
        onclick: () => act(c.room.locked ? 'org.conclave.unlock' : 'org.conclave.lock', {}, 'Lock') },
      c.room.locked ? 'Unlock the conference' : 'Lock the conference'),
      h('button', { id: 'mute-guests', 'data-focus-key': 'mute-guests', 'aria-pressed': String(!!c.room.guests_muted),
        onclick: () => act(c.room.guests_muted ? 'org.conclave.unmute_guests' : 'org.conclave.mute_guests', {}, 'Mute guests') },
      c.room.guests_muted ? 'Let guests speak' : 'Mute all guests'),
      c.hands.length ? h('button', { class: 'secondary', 'data-focus-key': 'lower-all', onclick: () => act('org.conclave.lower_all_hands', {}, 'Hands') },
        'Lower all hands') : null),
    c.room.locked ? h('p', { class: 'hint' }, 'Locked: guests who join wait until you let them in.') : null,
    h('h3', {}, `Waiting room (${waiting.length})`),
    waiting.length ? h('ul', { class: 'waiting' }, waiting.map((e) => h('li', { 'data-endpoint': e.id },
      h('span', {}, nameOf(e.participant)),
      h('button', { class: 'admit', 'data-focus-key': `admit:${e.id}`, onclick: () => act('org.conclave.admit', { endpoint_id: e.id }, 'Admit') },
        `Admit ${nameOf(e.participant)}`),
      h('button', { class: 'secondary reject', 'data-focus-key': `reject:${e.id}`, onclick: () => act('org.conclave.reject', { endpoint_id: e.id,
        reason: 'A host declined your request to join.' }, 'Reject') }, 'Reject'))))
      : h('p', { class: 'hint' }, 'Nobody is waiting.')) : null;

  const list = h('ul', { class: 'roster', 'aria-label': 'Participants' }, inCall.map((e) => {
    const me = e.id === c.me.endpoint_id;
    const name = nameOf(e.participant);
    const muted = e.muted || e.self_muted;
    const q = qualityOf(e);
    return h('li', { 'data-endpoint': e.id, 'data-user': e.participant, class: e.speaking ? 'speaking' : null },
      h('span', { class: `quality ${q ?? 'unknown'}`, role: 'img', 'aria-label': `connection ${q ?? 'unknown'}`,
        title: `Connection: ${q ?? 'measuring…'}` }),
      h('span', { class: 'who' }, h('span', { class: 'name' }, me ? `${name} (you)` : name),
        h('span', { class: `role ${e.role}` }, e.role === 'host' ? 'Host' : 'Guest'),
        e.muted ? h('span', { class: 'badge muted' }, 'muted by a host') : e.self_muted ? h('span', { class: 'badge muted' }, 'muted') : null,
        hands.has(e.id) ? h('span', { class: 'badge hand', title: `Hand raised, number ${hands.get(e.id)} in turn` }, `✋ hand ${hands.get(e.id)}`) : null,
        spot.has(e.id) ? h('span', { class: 'badge' }, 'spotlight') : null,
        !me && levelOf(e) ? h('span', { class: `badge verification ${levelOf(e)}`, 'data-verification': levelOf(e),
          title: LEVEL_TEXT[levelOf(e)].title }, LEVEL_TEXT[levelOf(e)].label) : null,
        e.media_refused ? h('span', { class: 'badge refused', title: 'The conference server holds this person’s media: '
          + 'it arrived unencrypted' }, 'not encrypted') : null),
      host && !me ? h('span', { class: 'entry-actions' },
        h('button', { class: 'small mute', 'data-focus-key': `mute:${e.id}`, 'aria-label': `${e.muted ? 'Unmute' : 'Mute'} ${name}`,
          onclick: () => act(e.muted ? 'org.conclave.unmute' : 'org.conclave.mute', { endpoint_id: e.id }, 'Mute') },
        e.muted ? 'Unmute' : 'Mute'),
        h('button', { class: 'small spotlight', 'data-focus-key': `spotlight:${e.id}`, 'aria-label': `${spot.has(e.id) ? 'End spotlight on' : 'Spotlight'} ${name}`,
          onclick: () => act(spot.has(e.id) ? 'org.conclave.unspotlight' : 'org.conclave.spotlight', { endpoint_id: e.id }, 'Spotlight') },
        spot.has(e.id) ? 'Unspotlight' : 'Spotlight'),
        hands.has(e.id) ? h('button', { class: 'small secondary', 'data-focus-key': `lower:${e.id}`,
          'aria-label': `Lower ${name}’s hand`, onclick: () => act('org.conclave.lower_hand',
          { endpoint_id: e.id }, 'Hand') }, 'Lower hand') : null,
        h('button', { class: 'small danger disconnect', 'data-focus-key': `disconnect:${e.id}`, 'aria-label': `Disconnect ${name}`,
          onclick: () => act('org.conclave.disconnect', { endpoint_id: e.id, reason: 'A host removed you from the call.' },
            'Disconnect') }, 'Disconnect')) : null);
  }));
  return fill(panel, h('h2', {}, `People (${inCall.length})`), hostBar, list);
}
