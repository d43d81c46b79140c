// The pre-join screen: camera preview, microphone and camera choice, display name, then Join. Media come through
// matrix-js-sdk's MediaHandler so that the call later re-opens the same devices (unmuting the camera).
import { failures } from '../conference/failures.js';
import { failureBox, fill, h } from './dom.js';

// How long the camera and microphone may take to open before the person is told and may join without them (a browser
// permission prompt left unanswered, or a device another program holds, can keep getUserMedia pending for good).
const SLOW_DEVICES_MS = 8000;

export function prejoinScreen(app, room, { onJoin, onCancel }) {
  const client = app.client;
  const media = client.getMediaHandler();
  const me = room.getMember(client.getUserId());
  let stream = null;
  let audioOn = true;
  let videoOn = true;
  let left = false;
  const video = h('video', { class: 'preview', autoplay: true, muted: true, playsInline: true,
    'aria-label': 'Your camera' });
  const status = h('div', { class: 'status', role: 'status' });
  const micSelect = h('select', { id: 'mic-select', onchange: () => reopen() });
  const camSelect = h('select', { id: 'camera-select', onchange: () => reopen() });
  const nameInput = h('input', { id: 'display-name', value: me?.name ?? client.getUserId(), maxLength: 64,
    autocomplete: 'nickname' });
  const micButton = h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'true',
    onclick: () => { audioOn = !audioOn; applyToggles(); } }, 'Microphone on');
  const camButton = h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'true',
    onclick: () => { videoOn = !videoOn; applyToggles(); } }, 'Camera on');
  // Enabled once the camera and microphone opened, or failed to: joining before would join without media.
  const joinButton = h('button', { id: 'join', type: 'submit', autofocus: true, disabled: true }, 'Join now');

  function applyToggles() {
    micButton.setAttribute('aria-pressed', String(audioOn));
    micButton.textContent = audioOn ? 'Microphone on' : 'Microphone off';
    camButton.setAttribute('aria-pressed', String(videoOn));
    camButton.textContent = videoOn ? 'Camera on' : 'Camera off';
    for (const t of stream?.getAudioTracks() ?? []) t.enabled = audioOn;
    for (const t of stream?.getVideoTracks() ?? []) t.enabled = videoOn;
    video.classList.toggle('off', !videoOn);
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const options = (kind, select) => {
      const chosen = select.value;
      fill(select, devices.filter((d) => d.kind === kind).map((d, i) => h('option', { value: d.deviceId },
        d.label || `${kind === 'audioinput' ? 'Microphone' : 'Camera'} ${i + 1}`)));
      if (chosen) select.value = chosen;
    };
    options('audioinput', micSelect);
    options('videoinput', camSelect);
  }

  async function reopen() {
    await media.setMediaInputs(micSelect.value || undefined, camSelect.value || undefined);
    await open();
  }

  async function open() {
    fill(status);
    if (stream) media.stopUserMediaStream(stream);
    stream = null;
    const hasAudio = await media.hasAudioDevice();
    const hasVideo = await media.hasVideoDevice();
    micButton.disabled = !hasAudio;
    camButton.disabled = !hasVideo;
    if (!hasAudio && !hasVideo) {
      fill(status, failureBox(failures.noDevices()));
      return;
    }
    let opened;
    try {
      opened = await media.getUserMediaStream(hasAudio, hasVideo);
    } catch (e) {
      const what = hasVideo && hasAudio ? 'camera and microphone' : hasVideo ? 'camera' : 'microphone';
      const f = e.name === 'NotAllowedError' || e.name === 'SecurityError' ? failures.cameraDenied(what)
        : { title: `The ${what} could not be opened.`, advice: `${e.message}. Close other programs using it, or join without it.` };
      fill(status, failureBox(f));
      return;
    }
    if (left) {
      media.stopUserMediaStream(opened);
      return;
    }
    stream = opened;
    fill(status);
    video.srcObject = stream;
    await listDevices();
    applyToggles();
  }

  const form = h('form', { class: 'card prejoin', 'data-screen': 'prejoin' },
    h('h1', {}, `Join the conference in ${room.name}`),
    h('div', { class: 'prejoin-body' },
      h('div', { class: 'preview-box' }, video, h('div', { class: 'preview-controls' }, micButton, camButton)),
      h('div', { class: 'prejoin-fields' },
        h('label', {}, 'Your name in the call', nameInput),
        h('label', {}, 'Microphone', micSelect),
        h('label', {}, 'Camera', camSelect),
        h('p', { class: 'hint' }, 'Media are end-to-end encrypted: only the people in the call can see and hear you, '
          + 'not the conference server and not your homeserver.'),
        status,
        h('div', { class: 'actions' }, joinButton,
          h('button', { type: 'button', class: 'secondary', onclick: () => {
            left = true;
            if (stream) media.stopUserMediaStream(stream);
            onCancel();
          } },
            'Back')))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    joinButton.disabled = true;
    left = true;
    const name = nameInput.value.trim();
    if (name && name !== me?.name) {
      await client.setDisplayName(name).catch((err) => console.warn('display name', err.message));
    }
    onJoin({ stream: stream ?? new MediaStream(), audioMuted: !audioOn, videoMuted: !videoOn });
  });
  const enableJoin = () => {
    if (!joinButton.disabled || left) return;
    joinButton.disabled = false;
    // Its autofocus found it disabled: a keyboard user would otherwise start from nowhere.
    if (document.activeElement === document.body || !document.activeElement) joinButton.focus();
  };
  const slow = setTimeout(() => {
    if (stream || status.childElementCount) return;
    fill(status, h('div', { class: 'warning', role: 'status', 'data-failure': 'devices_slow' },
      h('strong', {}, 'Your browser has not opened the camera and microphone yet.'),
      h('p', {}, 'If it asks whether this page may use them, allow it. If another program uses them, close it. '
        + 'You can also join now without them.')));
    enableJoin();
  }, SLOW_DEVICES_MS);
  open().finally(() => {
    clearTimeout(slow);
    enableJoin();
  });
  return form;
}
