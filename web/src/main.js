// Conclave Web: boots the app, shows the login, room list, pre-join and call screens in turn. Configuration comes
// from config.json next to the app (written by Conclave's public listener): {default_homeserver, bot_user_id,
// bot_device_id}. An access token may be given in the fragment (#hs=…&user_id=…&device_id=…&access_token=…) instead
// of a password (tests, and links from an admin tool); it is removed from the address bar at once.
import { ClientEvent, RoomEvent, RoomStateEvent } from 'matrix-js-sdk';
import { forgetSession, passwordLogin, savedSession, startClient } from './session.js';
import { $, failureBox, fill, h } from './ui/dom.js';
import { roomsScreen } from './ui/rooms.js';
import { prejoinScreen } from './ui/prejoin.js';
import { callScreen } from './ui/call-view.js';
import { Conference } from './conference/conference.js';

const app = { config: {}, client: null, conference: null, screen: null, lastKeyring: null };
window.conclave = app; // read by the end-to-end tests (check code, stats, keyring); nothing here is secret from the page

async function boot() {
  try {
    app.config = await (await fetch('config.json', { cache: 'no-store' })).json();
  } catch {
    app.config = {};
  }
  const fromFragment = sessionFromFragment();
  const session = fromFragment ?? savedSession();
  if (session) {
    try {
      return await signedIn(await startClient(session));
    } catch (e) {
      forgetSession();
      return loginScreen(`Could not resume the session: ${e.message}`);
    }
  }
  loginScreen();
}

function sessionFromFragment() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (!p.get('access_token')) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return { baseUrl: p.get('hs'), user_id: p.get('user_id'), device_id: p.get('device_id'),
    access_token: p.get('access_token') };
}

function show(screen) {
  app.screen = screen;
  fill($('#app'), screen);
  const first = screen.querySelector('[autofocus]') ?? screen.querySelector('h1, h2');
  if (first) {
    if (!first.hasAttribute('tabindex') && !/^(INPUT|BUTTON|SELECT)$/.test(first.tagName)) first.tabIndex = -1;
    first.focus();
  }
}

function loginScreen(error) {
  const status = h('div', { class: 'status', role: 'status' });
  const form = h('form', { class: 'card login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Conclave'),
    h('p', { class: 'lead' }, 'End-to-end-encrypted conferences for your Matrix rooms.'),
    h('label', {}, 'Homeserver', h('input', { name: 'hs', type: 'url', required: true,
      value: app.config.default_homeserver ?? '' })),
    h('label', {}, 'User name', h('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true })),
    h('label', {}, 'Password', h('input', { name: 'password', type: 'password', autocomplete: 'current-password',
      required: true })),
    h('button', { type: 'submit', id: 'login' }, 'Sign in'),
    status);
  if (error) status.append(failureBox({ title: 'Not signed in.', advice: error }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    fill(status, 'Signing in and setting up encryption…');
    form.querySelector('button').disabled = true;
    try {
      const session = await passwordLogin(data.get('hs').trim(), data.get('user').trim(), data.get('password'));
      await signedIn(await startClient(session));
    } catch (err) {
      form.querySelector('button').disabled = false;
      const words = err.errcode === 'M_FORBIDDEN' ? 'The user name or password is wrong.'
        : `The homeserver could not be reached or refused: ${err.message}`;
      fill(status, failureBox({ title: 'Not signed in.', advice: words }));
    }
  });
  show(form);
}

async function signedIn(client) {
  app.client = client;
  const refresh = () => { if (app.screen?.dataset.screen === 'rooms') app.screen.refresh(); };
  client.on(ClientEvent.Room, refresh);
  client.on(RoomEvent.Timeline, refresh);
  client.on(RoomEvent.MyMembership, refresh);
  client.on(RoomStateEvent.Events, refresh);
  showRooms();
}

function showRooms(selectedRoomId, failure) {
  show(roomsScreen(app, {
    selectedRoomId,
    failure,
    onJoin: (room) => showPrejoin(room),
    onSignOut: async () => {
      await app.client.logout(true).catch(() => {});
      app.client.stopClient();
      forgetSession();
      location.reload();
    },
  }));
}

function showPrejoin(room) {
  const conference = new Conference(app.client, room, { userId: app.config.bot_user_id,
    deviceId: app.config.bot_device_id });
  try {
    conference.preflight();
  } catch (failure) {
    return showRooms(room.roomId, failure);
  }
  conference.warmUp();
  show(prejoinScreen(app, room, {
    onCancel: () => showRooms(room.roomId),
    onJoin: async ({ stream, audioMuted, videoMuted }) => {
      app.conference = conference;
      conference.addEventListener('ended', (e) => {
        app.lastKeyring = conference.keys?.keyring() ?? null;
        app.conference = null;
        showRooms(room.roomId, e.detail);
      });
      show(callScreen(app, conference));
      try {
        await conference.join(stream, { audioMuted, videoMuted });
      } catch (failure) {
        conference.leave();
        showRooms(room.roomId, failure);
      }
    },
  }));
}

boot();
