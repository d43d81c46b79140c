// The room list and the selected room: its running conference ("call in progress — join"), its call history, and
// the failure of the last attempt to join, in words.
import { callHistory, runningConference } from '../conference/call-state.js';
import { duration, failureBox, fill, h, time } from './dom.js';

export function roomsScreen(app, { selectedRoomId, failure, onJoin, onSignOut }) {
  const client = app.client;
  let selected = selectedRoomId ?? null;
  let shownFailure = failure ?? null;
  const list = h('ul', { class: 'room-list', 'aria-label': 'Rooms' });
  const pane = h('section', { class: 'room-pane', 'aria-live': 'polite' });
  const screen = h('div', { class: 'rooms-screen', 'data-screen': 'rooms' },
    h('header', { class: 'topbar' },
      h('h1', {}, 'Conclave'),
      h('span', { class: 'whoami' }, `${client.getUserId()} · device ${client.getDeviceId()}`),
      h('button', { class: 'secondary', onclick: onSignOut }, 'Sign out')),
    h('div', { class: 'rooms-body' }, h('nav', { class: 'rooms-nav' }, h('h2', {}, 'Rooms'), list), pane));

  // Invited rooms too: a person told "join the call in X" looks for X, and is told there to accept the invitation.
  const rooms = () => client.getRooms().filter((r) => ['join', 'invite'].includes(r.getMyMembership()))
    .sort((a, b) => (b.getLastActiveTimestamp() ?? 0) - (a.getLastActiveTimestamp() ?? 0));

  // Each part is rebuilt only when what it shows changed: timeline events come often while people join a call, and a
  // rebuilt button loses the keyboard focus and the click a person is making. The Join button itself is never rebuilt
  // while its room stays selected (only its words change): the call history and member count change exactly while
  // others join, which is when a second person clicks Join.
  let parts = null;
  function render() {
    const all = rooms();
    const listShown = JSON.stringify([selected, all.map((r) => [r.roomId, r.name, r.hasEncryptionStateEvent(),
      runningConference(r)?.groupCallId ?? null, r.getMyMembership()])]);
    if (list.dataset.shown !== listShown) renderList(all, listShown);
    const room = selected && client.getRoom(selected);
    if (!room) {
      parts = null;
      fill(pane, h('p', { class: 'hint' }, 'Choose a room to see its conference.'));
      return;
    }
    if (parts?.roomId !== room.roomId) parts = roomPane(room);
    const running = runningConference(room);
    update(parts.about, [room.name, room.hasEncryptionStateEvent(), room.getJoinedMembers().length],
      () => about(room));
    update(parts.failure, [shownFailure?.code ?? null, shownFailure?.advice ?? null],
      () => (shownFailure ? failureBox(shownFailure, () => { shownFailure = null; render(); }) : null));
    update(parts.banner, [running?.since ?? null], () => (running
      ? h('span', {}, h('strong', {}, 'Call in progress'), ` since ${time(running.since)}`)
      : h('span', {}, 'No conference is running in this room.')));
    parts.join.textContent = running ? 'Join' : 'Start a conference';
    parts.join.parentElement.classList.toggle('live', Boolean(running));
    update(parts.history, [callHistory(room)], () => historyList(room));
  }

  /** Refills el with what make() builds when key differs from what el shows. */
  function update(el, key, make) {
    const shown = JSON.stringify(key);
    if (el.dataset.shown === shown) return;
    el.dataset.shown = shown;
    fill(el, make());
  }

  function roomPane(room) {
    const p = {
      roomId: room.roomId,
      about: h('div', {}),
      failure: h('div', {}),
      banner: h('span', {}),
      join: h('button', { id: 'join-call', onclick: () => onJoin(room) }),
      history: h('div', {}),
    };
    fill(pane, p.about, p.failure, h('div', { class: 'call-banner' }, p.banner, p.join), h('h3', {}, 'Call history'),
      p.history);
    return p;
  }

  function about(room) {
    const encrypted = room.hasEncryptionStateEvent();
    const members = room.getJoinedMembers().length;
    return [
      h('h2', { id: 'room-title' }, room.name),
      h('p', { class: 'hint' }, `${members} member${members === 1 ? '' : 's'} · `,
        encrypted ? 'end-to-end encrypted' : 'not encrypted: media are still end-to-end encrypted, keys go only to '
          + 'the call’s participants'),
    ];
  }

  function renderList(all, shown) {
    list.dataset.shown = shown;
    const focused = list.contains(document.activeElement) ? document.activeElement?.dataset.roomId : null;
    fill(list, all.length ? all.map((room) => {
      const running = runningConference(room);
      return h('li', {}, h('button', {
        class: `room-item${room.roomId === selected ? ' selected' : ''}`,
        'aria-current': room.roomId === selected ? 'true' : null,
        'data-room-id': room.roomId,
        onclick: () => { selected = room.roomId; shownFailure = null; render(); },
      }, h('span', { class: 'room-name' }, room.name),
      room.hasEncryptionStateEvent() ? h('span', { class: 'badge lock', title: 'End-to-end encrypted' }, 'encrypted') : null,
      running ? h('span', { class: 'badge live' }, 'call in progress') : null,
      room.getMyMembership() === 'invite' ? h('span', { class: 'badge' }, 'invited') : null));
    }) : h('li', { class: 'empty' }, 'You are in no room yet. Join or create one in your Matrix client.'));
    if (focused) list.querySelector(`[data-room-id="${CSS.escape(focused)}"]`)?.focus();
  }

  function historyList(room) {
    const items = callHistory(room);
    if (!items.length) return h('p', { class: 'hint' }, 'No conference in this room’s recent history.');
    const name = (u) => room.getMember(u)?.name ?? u;
    return h('table', { class: 'history' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Started'), h('th', {}, 'Ended'), h('th', {}, 'Duration'), h('th', {}, 'Who joined'))),
      h('tbody', {}, items.map((c) => h('tr', {},
        h('td', {}, time(c.started)),
        h('td', {}, c.ended ? time(c.ended) : 'running'),
        h('td', {}, c.durationMs !== null ? duration(c.durationMs) : '—'),
        h('td', {}, c.who.length ? c.who.map(name).join(', ') : '—')))));
  }

  screen.refresh = render;
  render();
  return screen;
}
