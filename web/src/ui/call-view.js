// The call page: header with the check code, the video grid, the people panel, the control bar, and messages.
import { failures, missingKeysText } from '../conference/failures.js';
import { parseParticipant } from '../conference/conference.js';
import { failureBox, fill, h } from './dom.js';
import { peoplePanel } from './people.js';
import { Tiles } from './tiles.js';

const CHECK_CODE_HELP = 'Read this number aloud in the call: if everyone sees the same one, nobody else holds the '
  + 'keys to your media — not the conference server, not a homeserver.';
const WAITING_CODE_HELP = 'The check code appears once a host lets you in.';
const WAITING_TEXT = 'This conference is locked. You are in the waiting room until a host lets you in.';

export function callScreen(app, conference) {
  const room = conference.room;
  // A user id, or a participant id of the SFU's roster (user/device).
  const nameOf = (id) => {
    const userId = parseParticipant(id ?? '').userId;
    return room.getMember(userId)?.name ?? userId;
  };
  const grid = h('main', { class: 'grid', 'aria-label': 'Participants’ video' });
  const panel = h('aside', { class: 'people', id: 'people-panel', 'aria-label': 'People' });
  const messages = h('div', { class: 'messages', 'aria-live': 'assertive' });
  const code = h('span', { class: 'check-code', id: 'check-code' }, '— — —');
  const help = h('p', { class: 'check-help' }, CHECK_CODE_HELP);
  const stateText = h('span', { class: 'call-state', role: 'status' }, 'Calling the conference server…');
  let pinned = null;
  let lastMessage = null;
  const tiles = new Tiles(grid, { onPin: (key) => { pinned = pinned === key ? null : key; render(); } });

  const button = (id, label, onclick, cls = '') => h('button', { id, class: `control ${cls}`, onclick }, label);
  const micButton = button('mic', 'Mute', () => run(() => conference.setMicrophoneMuted(!conference.call.isMicrophoneMuted())));
  const camButton = button('camera', 'Camera off', () => run(() => conference.setCameraOff(!conference.call.isLocalVideoMuted())));
  const shareButton = button('share', 'Share screen', () => run(() => conference.setScreenSharing(!conference.localScreenFeed())));
  const handButton = button('hand', 'Raise hand', () => {
    const raised = conference.control?.hands.some((x) => x.endpoint_id === conference.control.me?.endpoint_id);
    run(() => conference.control.send(raised ? 'org.conclave.lower_hand' : 'org.conclave.raise_hand', {}));
  });
  const peopleButton = button('people', 'People', () => { panel.hidden = !panel.hidden; render(); }, 'secondary');
  const leaveButton = button('leave', 'Leave', () => conference.leave(), 'danger');

  function run(action) {
    Promise.resolve().then(action).catch((e) => say(e.title ? e : { title: 'That did not work.', advice: e.message }));
  }

  function say(message) {
    lastMessage = message;
    render();
  }

  conference.addEventListener('notice', ({ detail }) => {
    if (detail.kind === 'muted') {
      say(detail.code === 'please_mute' ? { title: 'A host muted you.', advice: 'Raise your hand to ask to speak.', code: 'host_muted' }
        : { title: 'A host allows you to speak again.', advice: 'Unmute when you are ready.', code: 'may_unmute' });
    } else if (detail.kind === 'media_refused') {
      say(failures.mediaRefused(detail.reason));
    } else if (detail.kind === 'error') {
      say({ title: 'The conference server refused a request.', advice: detail.reason, code: detail.code });
    }
  });

  function items() {
    const c = conference.control;
    const roster = [...(c?.roster.values() ?? [])];
    const hands = new Map((c?.hands ?? []).map((x, i) => [x.endpoint_id, i + 1]));
    const missing = new Set((conference.keys?.missingKeys() ?? []).map((p) => `${p.userId}/${p.deviceId}`));
    const list = [];
    const local = conference.localFeed();
    const meUser = conference.client.getUserId();
    const meEntry = roster.find((e) => e.id === c?.me?.endpoint_id);
    if (local) {
      list.push({ key: 'local', stream: local.stream, name: nameOf(meUser), local: true, userId: meUser,
        muted: conference.call.isMicrophoneMuted(), videoOff: conference.call.isLocalVideoMuted(),
        speaking: c?.speaker != null && c.speaker === c.me?.endpoint_id, hand: hands.get(c?.me?.endpoint_id), role: c?.me?.role, endpointId: c?.me?.endpoint_id,
        spotlight: meEntry?.spotlight, quality: null, mediaRefused: !!meEntry?.media_refused });
    }
    const screen = conference.localScreenFeed();
    if (screen) list.push({ key: 'local-screen', stream: screen.stream, name: nameOf(meUser), local: true, screen: true });
    for (const f of conference.remoteFeeds()) {
      const e = f.endpoint;
      list.push({ key: f.feed.stream.id, stream: f.feed.stream, name: nameOf(f.userId), userId: f.userId,
        endpointId: e?.id, role: e?.role, screen: f.purpose === 'm.screenshare',
        muted: f.feed.isAudioMuted() || !!e?.muted, videoOff: f.feed.isVideoMuted(),
        speaking: !!e && e.id === c?.speaker, hand: e && hands.get(e.id), spotlight: e?.spotlight,
        quality: conference.quality.levelOf(f.feed.stream), noKey: missing.has(`${f.userId}/${f.deviceId}`),
        mediaRefused: !!e?.media_refused });
    }
    return list;
  }

  function stageKey(list) {
    if (pinned && list.some((i) => i.key === pinned)) return pinned;
    const screen = list.find((i) => i.screen);
    if (screen) return screen.key;
    const c = conference.control;
    const focus = c?.room.focus ?? c?.room.spotlight?.[0];
    return focus ? list.find((i) => i.endpointId === focus && !i.screen)?.key ?? null : null;
  }

  function render() {
    const c = conference.control;
    const waiting = c?.waiting === 'waiting';
    screen.classList.toggle('waiting', waiting);
    const states = { calling: 'Calling the conference server…', connecting: 'Connecting…', connected: 'Connected',
      ended: 'Call ended' };
    stateText.textContent = waiting ? 'Waiting for a host to let you in' : states[conference.state] ?? '';
    // Not while waiting: the code would cover our own key only, and nobody to compare it with can see it yet.
    const shownCode = waiting ? null : conference.checkCode;
    code.textContent = shownCode ? `${shownCode.slice(0, 3)} ${shownCode.slice(3)}` : '— — —';
    help.textContent = waiting ? WAITING_CODE_HELP : CHECK_CODE_HELP;
    const list = waiting ? [] : items();
    tiles.render(list, stageKey(list));
    if (waiting) fill(grid, h('div', { class: 'waiting-box', role: 'status', 'data-failure': 'locked' },
      h('strong', {}, 'Waiting for a host'), h('p', {}, WAITING_TEXT)));
    else grid.querySelector('.waiting-box')?.remove();
    if (waiting) {
      panel.dataset.shown = '';
      fill(panel, h('h2', {}, 'People'), h('p', { class: 'hint' }, 'You see who is here once a host lets you in.'));
    } else if (!panel.hidden) {
      peoplePanel(conference, panel, nameOf, (e) => {
        const f = conference.remoteFeeds().find((x) => x.endpoint?.id === e.id && x.purpose !== 'm.screenshare');
        return f ? conference.quality.levelOf(f.feed.stream) : null;
      }, (text) => say({ title: 'The conference server refused.', advice: text }));
    }
    // Not who the SFU holds as unencrypted: they send no key at all, and their tile says so.
    const refused = new Set([...(c?.roster.values() ?? [])].filter((e) => e.media_refused).map((e) => e.participant));
    const missingNames = conference.state !== 'connected' ? []
      : (conference.keys?.missingKeys() ?? []).filter((p) => !refused.has(`${p.userId}/${p.deviceId}`))
        .map((p) => nameOf(p.userId));
    const missingShown = missingNames.length && !waiting ? missingNames : [];
    const messagesShown = JSON.stringify([lastMessage?.title, lastMessage?.advice, missingShown]);
    if (messages.dataset.shown !== messagesShown) { // rebuilt only on a change: keeps the OK button clickable
      messages.dataset.shown = messagesShown;
      fill(messages, lastMessage ? failureBox(lastMessage, () => say(null)) : null,
        missingShown.length ? h('div', { class: 'warning', role: 'status', 'data-failure': 'keys_missing' },
          missingKeysText(missingShown)) : null);
    }
    const call = conference.call;
    if (call) {
      const muted = call.isMicrophoneMuted();
      micButton.textContent = muted ? 'Unmute' : 'Mute';
      micButton.setAttribute('aria-pressed', String(muted));
      const off = call.isLocalVideoMuted();
      camButton.textContent = off ? 'Camera on' : 'Camera off';
      camButton.setAttribute('aria-pressed', String(off));
      shareButton.textContent = conference.localScreenFeed() ? 'Stop sharing' : 'Share screen';
    }
    const raised = c?.hands.some((x) => x.endpoint_id === c.me?.endpoint_id);
    handButton.textContent = raised ? 'Lower hand' : 'Raise hand';
    handButton.setAttribute('aria-pressed', String(!!raised));
    for (const b of [micButton, camButton, shareButton, handButton]) b.disabled = waiting || conference.state !== 'connected';
    if (!waiting) requestAnimationFrame(() => conference.setTileSizes(tiles.sizes(list)));
  }

  const screen = h('div', { class: 'call-screen', 'data-screen': 'call' },
    h('header', { class: 'call-header' },
      h('h1', {}, room.name),
      stateText,
      h('div', { class: 'e2ee', role: 'group', 'aria-label': 'End-to-end encryption check code' },
        h('div', { class: 'e2ee-line' }, 'End-to-end encrypted · check code ', code),
        help)),
    h('div', { class: 'call-body' }, grid, panel),
    messages,
    h('footer', { class: 'control-bar', role: 'toolbar', 'aria-label': 'Call controls' },
      micButton, camButton, shareButton, handButton, peopleButton, leaveButton));
  conference.addEventListener('change', render);
  window.addEventListener('resize', render);
  render();
  return screen;
}
