// A few DOM helpers: h() builds elements (no framework: the page is small and its heaviest parts, video elements,
// must be kept across updates, which keyed reconciliation in tiles.js does by hand).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** A message box: {title, advice} of a Failure (or any Error), role=alert so screen readers say it. */
export function failureBox(failure, onClose) {
  return h('div', { class: 'failure', role: 'alert', 'data-failure': failure.code ?? 'error' },
    h('strong', {}, failure.title ?? 'Something went wrong.'),
    h('p', {}, failure.advice ?? failure.message),
    onClose ? h('button', { class: 'secondary', onclick: onClose }, 'OK') : null);
}

export function duration(ms) {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  const hours = Math.floor(m / 60);
  return hours ? `${hours} h ${m % 60} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}

export const time = (ts) => new Date(ts).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
