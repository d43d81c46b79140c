// The video grid: one tile per participant's camera and one per screen share, reconciled by stream id so that the
// video elements survive updates. Layout: a large "stage" tile (pinned by you, else a screen share, else the host's
// focus, else a spotlighted participant) above a strip of thumbnails; without one, an even grid (1-25 tiles,
// layout.js).
import { h } from './dom.js';
import { gridShape } from './layout.js';

export class Tiles {
  constructor(container, { onPin }) {
    this.container = container;
    this.onPin = onPin;
    this.tiles = new Map(); // key -> {el, video, label, badges}
    this.pinned = null;
  }

  /**
   * items: [{key, stream, name, muted (audio), videoOff, local, screen, speaking, hand, quality, noKey, mediaRefused,
   * endpointId, role}]; stageKey: the key shown large or null.
   */
  render(items, stageKey) {
    const keys = new Set(items.map((i) => i.key));
    for (const [key, tile] of this.tiles) {
      if (!keys.has(key)) {
        tile.el.remove();
        this.tiles.delete(key);
      }
    }
    const n = items.length;
    const stage = stageKey && keys.has(stageKey) ? stageKey : null;
    this.container.classList.toggle('has-stage', !!stage);
    if (!stage) {
      const box = this.container.getBoundingClientRect();
      const { cols, rows } = gridShape(n, box.width || 1280, box.height || 720);
      this.container.style.setProperty('--cols', String(cols));
      this.container.style.setProperty('--rows', String(rows));
    }
    items.forEach((item, i) => {
      let tile = this.tiles.get(item.key);
      if (!tile) {
        tile = this.#create(item);
        this.tiles.set(item.key, tile);
      }
      this.#update(tile, item, item.key === stage);
      // Moved only when out of place: a moved element loses the keyboard focus (a video element keeps playing).
      const at = this.container.children[i];
      if (at !== tile.el) this.container.insertBefore(tile.el, at ?? null);
    });
  }

  #create(item) {
    const video = h('video', { autoplay: true, playsInline: true, muted: item.local });
    const label = h('span', { class: 'name' });
    const badges = h('span', { class: 'badges' });
    const quality = h('span', { class: 'quality', role: 'img' });
    const warn = h('div', { class: 'tile-warning', role: 'status' });
    const el = h('figure', { class: 'tile', tabIndex: 0, 'data-key': item.key },
      video, warn, h('figcaption', {}, quality, label, badges));
    el.addEventListener('click', () => this.onPin(item.key));
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.onPin(item.key);
      }
    });
    return { el, video, label, badges, quality, warn };
  }

  #update(tile, item, large) {
    if (tile.video.srcObject !== item.stream) tile.video.srcObject = item.stream;
    tile.el.classList.toggle('stage', large);
    tile.el.classList.toggle('speaking', !!item.speaking);
    tile.el.classList.toggle('screen', !!item.screen);
    tile.el.classList.toggle('video-off', !!item.videoOff);
    tile.el.dataset.user = item.userId ?? '';
    tile.el.dataset.endpoint = item.endpointId ?? '';
    tile.el.setAttribute('aria-label', `${item.name}${item.screen ? ', screen' : ''}${large ? ', shown large' : ''}`);
    tile.label.textContent = item.screen ? `${item.name} (screen)` : item.local ? `${item.name} (you)` : item.name;
    tile.badges.replaceChildren(...[
      item.role === 'host' ? h('span', { class: 'badge' }, 'host') : null,
      item.muted ? h('span', { class: 'badge muted', title: 'Microphone off' }, 'muted') : null,
      item.hand ? h('span', { class: 'badge hand', title: `Hand raised, number ${item.hand} in turn` }, `✋ hand ${item.hand}`) : null,
      item.spotlight ? h('span', { class: 'badge', title: 'Spotlighted by a host' }, 'spotlight') : null,
    ].filter(Boolean));
    tile.quality.className = `quality ${item.quality ?? 'unknown'}`;
    tile.quality.setAttribute('aria-label', `connection ${item.quality ?? 'unknown'}`);
    tile.quality.title = `Connection: ${item.quality ?? 'measuring…'}`;
    tile.el.classList.toggle('media-refused', !!item.mediaRefused);
    tile.warn.textContent = tileWarning(item);
    tile.warn.hidden = !tile.warn.textContent;
  }

  /** {streamId, trackId, width, height} of every remote video shown, for the SFU's track subscription. */
  sizes(items) {
    const out = [];
    for (const item of items) {
      if (item.local) continue;
      const tile = this.tiles.get(item.key);
      const track = item.stream.getVideoTracks()[0];
      if (!tile || !track) continue;
      const r = tile.el.getBoundingClientRect();
      out.push({ streamId: item.stream.id, trackId: track.id, width: Math.round(r.width), height: Math.round(r.height) });
    }
    return out;
  }
}

/** What a tile says over its video: the conference server holds this person's unencrypted media, or we lack a key. */
export function tileWarning(item) {
  if (item.mediaRefused) {
    return item.local ? 'Not encrypted: nobody receives your media' : 'Not encrypted: held by the server';
  }
  return item.noKey ? 'No media key yet' : '';
}
