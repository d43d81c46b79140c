#!/usr/bin/env node
// A long-lived driver of headless Chromium pages for the Java tests (org.conclave.tests.homeserver.MatrixPages).
// One JSON command per line on stdin, one JSON reply per line on stdout (logs and page consoles go to stderr).
// Commands run concurrently (each page on its own), replies carry the command's id:
//
//   {"id":1,"op":"open","page":"alice","url":"http://127.0.0.1:P/page.html"}   a new browser context (its own
//                                                   storage, like a separate person) with one page at url, ready
//                                                   once the page set window.harnessReady
//   {"id":2,"op":"eval","page":"alice","fn":"async (arg) => ...","arg":{...}}  runs fn(arg) in the page; the
//                                                   reply's "result" is what it returned (JSON)
//   {"id":3,"op":"open","page":"bob","url":"http://…/index.html","ready":"#app form"}   a page that is not the
//                                                   harness (the built web app): ready once the selector is visible
//   {"id":4,"op":"click","page":"bob","selector":"#join"}               a person's actions, with Playwright's
//   {"id":5,"op":"fill","page":"bob","selector":"input[name=user]","value":"bob"}   auto-waiting locators
//   {"id":6,"op":"waitFor","page":"bob","selector":"#check-code","state":"visible","timeoutMs":20000}
//   {"id":7,"op":"count","page":"bob","selector":".host-panel"}       how many elements match now
//   {"id":8,"op":"screenshot","page":"bob","path":"/tmp/x.png"}
//   {"id":8,"op":"press","page":"bob","key":"Shift+Tab"}                a key where the focus is (Chromium pages)
//   {"id":8,"op":"type","page":"bob","text":"bob"}                      typing where the focus is (Chromium pages)
//   {"id":8,"op":"viewport","page":"bob","width":1600,"height":450}    resizes the page's window (Chromium pages)
//   {"id":9,"op":"open","page":"erin","url":"…","ready":"#app form","browser":"firefox"}   the same in Firefox
//                                                   (Debian's firefox-esr over WebDriver BiDi, firefox.mjs); every
//                                                   other op works on it alike
//   {"id":10,"op":"open","page":"frank","url":"…","ready":"#app form","browser":"chromium-denied"}   a Chromium
//                                                   whose person clicked "Block" on the camera/microphone prompt
//                                                   (a second browser, started on first use, with
//                                                   --use-fake-ui-for-media-stream=deny: getUserMedia fails with
//                                                   NotAllowedError as after a real refusal)
//   {"id":11,"op":"open","page":"gus","url":"…","ready":"#app form","browser":"chromium-nodevices"}   a Chromium
//                                                   on a computer with no camera and no microphone (no fake devices:
//                                                   enumerateDevices lists none, getUserMedia fails NotFoundError)
//   {"id":11,"op":"open","page":"gina","url":"…","ready":"#app form","browser":"chromium-voice"}   a Chromium
//                                                   whose microphone sends a steady tone (a second browser, started
//                                                   on first use, with --use-file-for-fake-audio-capture): the
//                                                   default fake microphone beeps for a few ms twice a second, too
//                                                   short to ever be the SFU's dominant speaker
//   {"id":3,"op":"close","page":"alice"}
//   {"id":4,"op":"quit"}                            closes the browser and exits 0 (so does end of stdin)
//
// Replies: {"id":N,"ok":true,"result":...} or {"id":N,"ok":false,"error":"message"}.
//
//   node matrix/driver.mjs [--chromium /usr/bin/chromium]      (from tests/js)
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../lib/chromium-args.mjs';
import { closeFirefox, firefoxContext, FirefoxPage } from './firefox.mjs';

const LAUNCH_TIMEOUT_MS = 30000;
const OPEN_TIMEOUT_MS = 60000; // the web app is ~11 MB (SDK, crypto wasm): slow under load
const CLOSE_TIMEOUT_MS = 5000;

const chromiumPath = process.argv[2] === '--chromium' ? process.argv[3] : '/usr/bin/chromium';
const log = (line) => process.stderr.write(`${line}\n`);
const reply = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);

const pages = new Map(); // name -> {context, page}
let browser = null;
let deniedBrowser = null; // started on first use: a person who refuses camera and microphone
let noDevicesBrowser = null; // started on first use: a computer without camera and microphone
let voiceBrowser = null; // started on first use: microphones that sound steadily, as a person talking
let tonePath = null; // its microphone's sound, removed at quit
let quitting = false;

const ACTION_TIMEOUT_MS = 20000;
const VIEWPORT = { width: 1280, height: 760 };

/** The operations below on a Playwright page (Firefox pages have the same, firefox.mjs). */
class ChromiumPage {
  constructor(page) {
    this.page = page;
  }

  click(selector, timeout) {
    return this.page.locator(selector).first().click({ timeout });
  }

  fill(selector, value, timeout) {
    return this.page.locator(selector).first().fill(value, { timeout });
  }

  waitFor(selector, state, timeout) {
    return this.page.locator(selector).first().waitFor({ state, timeout });
  }

  count(selector) {
    return this.page.locator(selector).count();
  }

  screenshot(path) {
    return this.page.screenshot({ path, fullPage: false, animations: 'disabled' });
  }

  press(key) {
    return this.page.keyboard.press(key);
  }

  type(text) {
    return this.page.keyboard.type(text);
  }

  viewport(width, height) {
    return this.page.setViewportSize({ width, height });
  }

  evaluate(expression) {
    return this.page.evaluate(expression);
  }
}

async function open({ page: name, url, ready, browser: kind }) {
  if (pages.has(name)) throw new Error(`page ${name} is already open`);
  const firefox = kind === 'firefox';
  const context = firefox ? await firefoxContext(log)
    : await (kind === 'chromium-denied' ? await denied() : kind === 'chromium-nodevices' ? await noDevices()
      : kind === 'chromium-voice' ? await voice() : browser).newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  if (firefox) await page.setViewport(VIEWPORT);
  pages.set(name, { context, page, ops: firefox ? new FirefoxPage(page) : new ChromiumPage(page) });
  page.on('console', (m) => {
    // matrix-js-sdk logs every request at debug level: only with MATRIX_DRIVER_DEBUG=1.
    if (m.type() === 'debug' && !process.env.MATRIX_DRIVER_DEBUG) return;
    // The web app's SDK logs every step at log/info level: warnings and errors only, unless debugging.
    if (ready && (m.type() === 'log' || m.type() === 'info') && !process.env.MATRIX_DRIVER_DEBUG) return;
    log(`[${name}] ${m.type() === 'log' ? '' : `${m.type()}: `}${m.text()}`);
  });
  page.on('pageerror', (e) => log(`[${name}] pageerror: ${e.stack || e.message}`));
  const response = await page.goto(url, { timeout: OPEN_TIMEOUT_MS });
  if (!response || !response.ok()) throw new Error(`loading ${url}: HTTP ${response ? response.status() : 'none'}`);
  if (ready) await pages.get(name).ops.waitFor(ready, 'visible', OPEN_TIMEOUT_MS);
  else await page.waitForFunction(() => window.harnessReady === true, null, { timeout: OPEN_TIMEOUT_MS });
  return null;
}

function opsOf(name) {
  const entry = pages.get(name);
  if (!entry) throw new Error(`no page ${name}`);
  return entry.ops;
}

const timeout = (c) => c.timeoutMs ?? ACTION_TIMEOUT_MS;

async function click(c) {
  await opsOf(c.page).click(c.selector, timeout(c));
  return null;
}

async function fill(c) {
  await opsOf(c.page).fill(c.selector, c.value, timeout(c));
  return null;
}

async function waitFor(c) {
  await opsOf(c.page).waitFor(c.selector, c.state ?? 'visible', timeout(c));
  return null;
}

async function count(c) {
  return opsOf(c.page).count(c.selector);
}

async function screenshot(c) {
  await opsOf(c.page).screenshot(c.path);
  return null;
}

async function press(c) {
  await opsOf(c.page).press(c.key);
  return null;
}

async function type(c) {
  await opsOf(c.page).type(c.text);
  return null;
}

async function viewport(c) {
  await opsOf(c.page).viewport(c.width, c.height);
  return null;
}

async function evaluate({ page: name, fn, arg }) {
  // The function arrives as source text and runs as an expression through the browser's protocol (not through the
  // page's eval, which the web app's Content-Security-Policy forbids). `sdk` and `harness` are globals of the test page.
  return opsOf(name).evaluate(`(${fn})(${JSON.stringify(arg ?? null)})`);
}

async function close({ page: name }) {
  const entry = pages.get(name);
  if (!entry) return null;
  pages.delete(name);
  await Promise.race([entry.context.close(), new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS))]);
  return null;
}

async function denied() {
  deniedBrowser ??= chromium.launch({ executablePath: chromiumPath, headless: true, timeout: LAUNCH_TIMEOUT_MS,
    args: ARGS.map((a) => (a === '--use-fake-ui-for-media-stream' ? `${a}=deny` : a)) });
  return deniedBrowser;
}

async function noDevices() {
  noDevicesBrowser ??= chromium.launch({ executablePath: chromiumPath, headless: true, timeout: LAUNCH_TIMEOUT_MS,
    args: ARGS.filter((a) => !a.startsWith('--use-fake-device-for-media-stream')) });
  return noDevicesBrowser;
}

async function voice() {
  voiceBrowser ??= chromium.launch({ executablePath: chromiumPath, headless: true, timeout: LAUNCH_TIMEOUT_MS,
    args: [...ARGS, `--use-file-for-fake-audio-capture=${toneWav()}`] });
  return voiceBrowser;
}

/** A WAV file of 2 s of a 220 Hz tone at -12 dBFS (48 kHz mono, 16 bit), which Chromium loops as the microphone. */
function toneWav() {
  const rate = 48000;
  const samples = rate * 2;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(0.25 * 32767 * Math.sin((2 * Math.PI * 220 * i) / rate)), 44 + i * 2);
  tonePath = join(tmpdir(), `conclave-driver-tone-${process.pid}.wav`);
  writeFileSync(tonePath, b);
  return tonePath;
}

async function quit() {
  if (quitting) return;
  quitting = true;
  for (const b of [browser, await deniedBrowser?.catch(() => null), await noDevicesBrowser?.catch(() => null),
    await voiceBrowser?.catch(() => null)]) {
    if (b) await Promise.race([b.close().catch(() => {}), new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS))]);
  }
  await Promise.race([closeFirefox(), new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS))]);
  if (tonePath) rmSync(tonePath, { force: true });
  process.exit(0);
}

const OPS = { open, eval: evaluate, close, click, fill, waitFor, count, screenshot, press, type, viewport };

async function handle(line) {
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    log(`driver: not JSON: ${line}`);
    return;
  }
  if (command.op === 'quit') {
    reply({ id: command.id, ok: true, result: null });
    await quit();
    return;
  }
  const op = OPS[command.op];
  try {
    if (!op) throw new Error(`unknown op ${command.op}`);
    reply({ id: command.id, ok: true, result: (await op(command)) ?? null });
  } catch (e) {
    const what = command.selector ? `${command.op} ${command.selector} on ${command.page}: ` : '';
    const state = command.selector ? ` (${await pageState(command.page, command.selector)})` : '';
    // Puppeteer words a failed wait as "Waiting for selector … failed" and keeps why (a timeout, a lost page) in cause.
    const why = e?.cause?.message ? `: ${String(e.cause.message).split('\n')[0]}` : '';
    reply({ id: command.id, ok: false,
      error: what + String(e && e.message ? e.message : e).split('\n')[0] + why + state });
  }
}

/** What the page showed when an action on it failed, in one line: a CI log keeps only the failure's first line. */
async function pageState(name, selector) {
  const entry = pages.get(name);
  if (!entry) return 'no such page';
  const look = `(() => {
    const el = document.querySelector(${JSON.stringify(selector)}.replace(/:(enabled|visible)$/, ''));
    const said = [...document.querySelectorAll('[role=status], [role=alert]')].map((n) => n.textContent.trim())
      .filter(Boolean).join(' | ').slice(0, 300);
    return 'screen ' + (document.querySelector('[data-screen]')?.dataset.screen ?? 'none')
      + ', element ' + (el ? (el.disabled ? 'disabled' : 'present') : 'absent')
      + ', focus ' + (document.activeElement?.id || document.activeElement?.tagName)
      + (said ? ', page says: ' + said : '');
  })()`;
  try {
    return await Promise.race([entry.ops.evaluate(look),
      new Promise((r) => setTimeout(() => r('page did not answer within 3 s'), 3000))]);
  } catch (e) {
    return `page state unknown: ${String(e && e.message ? e.message : e).split('\n')[0]}`;
  }
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => quit());

// The fake camera at 15 frames per second: several pages encode (two simulcast layers each) and decode on 2 cores.
const ARGS = CHROMIUM_ARGS.map((a) => (a === '--use-fake-device-for-media-stream' ? `${a}=fps=15` : a));
browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ARGS,
  timeout: LAUNCH_TIMEOUT_MS });
log(`driver: chromium ${browser.version()} up`);
reply({ id: 0, ok: true, result: { chromium: browser.version() } });
const input = createInterface({ input: process.stdin });
input.on('line', (line) => { if (line.trim()) handle(line); });
input.on('close', () => quit());
