#!/usr/bin/env node
// K browser participants in ONE headless Chromium (playwright-core), each a page of web/peer.html served by the
// test SignalServer. Participants are NAME-1..NAME-K.
//
//   node chromium-peers.mjs --signal http://127.0.0.1:PORT --conference C --participant NAME --duration-ms N
//        [--peers K] [--video] [--audio] [--role HOST|GUEST] [--simulcast] [--bad-fingerprint] [--payload-check]
//        [--datachannel] [--datachannel-only] [--ping-sizes 100,10000,100000]
//        [--linger-ms N] [--setup-timeout-ms N] [--chromium /usr/bin/chromium]
//        [--query 'k=v&k=v'] [--page-query 'I:k=v&k=v']... [--context-per-page]
//
// --video/--audio choose what each page sends (neither: receive only). --simulcast sends video as rids l/m/h.
// --bad-fingerprint sends the SFU an offer whose a=fingerprint does not match the page's certificate.
// --payload-check appends a checksummed trailer to every encoded frame and verifies it on receipt
// (framesChecked/framesCorrupt per inbound track).
// --datachannel pings the SFU over a reliable and an unreliable data channel (web/datachannel-check.js; report part
// "datachannel"); --datachannel-only does so with no audio/video m-lines at all.
// --query adds peer.html parameters to every page (e.g. 'e2ee=encrypt&requireE2ee=1'); --page-query, repeatable,
// to page I (1-based) only, overriding (e.g. '4:e2ee=nokeys&video=0&audio=0', '3:leaveAfterMs=8000',
// '1:restartIceOnDisconnect=1' for matrix-js-sdk's ICE restart when the page's path dies, see web/ice-restart.js).
// A page that leaves early (leaveAfterMs) reports when it leaves.
// --context-per-page gives each page its own browser context (like separate users), hence its own pool of 6 HTTP
// connections to the signal server: pages that hold two long-polls each (SFU events and the room, e2ee mode) would
// otherwise exhaust one shared pool at 3 pages and stall each other's requests.
// After --duration-ms every page reports; after --linger-ms more (so peers in other processes can take their
// stats while we are still there) the pages leave and the browser closes. Prints {"peers":[...]} on stdout.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './lib/chromium-args.mjs';
import { finish, log, parseArgs } from './lib/peer-args.mjs';

const CLOSE_TIMEOUT_MS = 5000;
const POLL_RESULTS_MS = 200;

/** Takes the (repeatable) --query/--page-query options out of argv: [rest, query, Map(page -> query)]. */
function pageQueries(argv) {
  const rest = [];
  const all = new URLSearchParams();
  const byPage = new Map();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--query' && argv[i] !== '--page-query') {
      rest.push(argv[i]);
      continue;
    }
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    const value = argv[++i];
    if (argv[i - 1] === '--query') {
      new URLSearchParams(value).forEach((v, k) => all.set(k, v));
      continue;
    }
    const m = /^(\d+):(.*)$/s.exec(value);
    if (!m) throw new Error(`--page-query wants I:QUERY, not ${value}`);
    const q = byPage.get(Number(m[1])) ?? new URLSearchParams();
    new URLSearchParams(m[2]).forEach((v, k) => q.set(k, v));
    byPage.set(Number(m[1]), q);
  }
  return [rest, all, byPage];
}

let args;
let extraQuery;
let pageQuery;
try {
  let argv;
  [argv, extraQuery, pageQuery] = pageQueries(process.argv.slice(2));
  args = parseArgs(argv, {
    extraValues: ['--peers', '--chromium', '--ping-sizes'],
    extraFlags: ['--simulcast', '--payload-check', '--context-per-page', '--datachannel', '--datachannel-only'],
    defaults: { peers: '1', chromium: '/usr/bin/chromium' },
  });
  if (!(args.peers >= 1)) throw new Error('--peers must be >= 1');
} catch (e) {
  log(`chromium-peers: ${e.message}`);
  process.exit(2);
}

const names = Array.from({ length: args.peers }, (_, i) => `${args.participant}-${i + 1}`);
const results = new Map(); // participant -> report
let context = null; // the persistent context, or the browser with --context-per-page
let userDataDir = null;
let finished = false;

function report(error) {
  if (finished) return;
  finished = true;
  const peers = names.map((n) => results.get(n) ?? { participant: n, error: 'no results', inbound: [], outbound: [] });
  finish(peers, error);
}

// Whatever happens, a result line and a bounded run time.
const hardDeadline = setTimeout(async () => {
  log('chromium-peers: overall deadline passed');
  await shutdown();
  report('overall deadline passed');
}, args.durationMs + args.setupTimeoutMs + args.lingerMs + 2 * CLOSE_TIMEOUT_MS);
hardDeadline.unref();

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, async () => {
    log(`chromium-peers: ${signal}`);
    await shutdown();
    report(`killed by ${signal}`);
  });
}

function pageUrl(participant, page) {
  const q = new URLSearchParams({
    conference: args.conference,
    participant,
    role: args.role,
    durationMs: String(args.durationMs),
  });
  for (const [on, key] of [[args.video, 'video'], [args.audio, 'audio'], [args.simulcast, 'simulcast'],
    [args.badFingerprint, 'badFingerprint'], [args.payloadCheck, 'payloadCheck'], [args.datachannel, 'datachannel'],
    [args.datachannelOnly, 'dataOnly']]) {
    if (on) q.set(key, '1');
  }
  if (args.pingSizes) q.set('pingSizes', String(args.pingSizes));
  for (const extra of [extraQuery, pageQuery.get(page)]) extra?.forEach((v, k) => q.set(k, v));
  return `${args.signal.replace(/\/$/, '')}/static/peer.html?${q}`;
}

async function runPage(participant, pageNumber) {
  const page = args.contextPerPage ? await (await context.newContext()).newPage() : await context.newPage();
  page.on('console', (m) => log(`[${participant}] ${m.type() === 'log' ? '' : m.type() + ': '}${m.text()}`));
  page.on('pageerror', (e) => log(`[${participant}] pageerror: ${e.message}`));
  const response = await page.goto(pageUrl(participant, pageNumber), { timeout: args.setupTimeoutMs });
  if (!response || !response.ok()) throw new Error(`loading peer.html: HTTP ${response ? response.status() : 'none'}`);
  await page.waitForFunction(() => window.__results !== undefined, null, {
    timeout: args.durationMs + args.setupTimeoutMs,
    polling: POLL_RESULTS_MS,
  });
  results.set(participant, await page.evaluate(() => window.__results));
  return page;
}

async function shutdown() {
  if (!context) return;
  const c = context;
  context = null;
  await Promise.race([c.close().catch(() => {}), new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS))]);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
}

async function main() {
  const options = { executablePath: args.chromium, headless: true, args: CHROMIUM_ARGS, timeout: args.setupTimeoutMs };
  if (args.contextPerPage) {
    context = await chromium.launch(options);
  } else {
    userDataDir = mkdtempSync(join(tmpdir(), 'conclave-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, options);
  }
  const version = args.contextPerPage ? context.version() : context.browser()?.version() ?? '';
  log(`chromium ${version} up; ${names.length} page(s)`);
  const settled = await Promise.allSettled(names.map((n, i) => runPage(n, i + 1)));
  const pages = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') pages.push(s.value);
    else results.set(names[i], { participant: names[i], error: s.reason.message.split('\n')[0], inbound: [], outbound: [] });
  });
  await new Promise((r) => setTimeout(r, args.lingerMs));
  await Promise.all(pages.map((p) => Promise.race([
    p.evaluate(() => window.__close()).catch(() => {}),
    new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS)),
  ])));
  await shutdown();
  const failed = settled.filter((s) => s.status === 'rejected').length;
  report(failed ? `${failed} page(s) failed` : null);
}

main().catch(async (e) => {
  log(`chromium-peers: ${e.stack || e}`);
  await shutdown();
  report(e.message.split('\n')[0]);
});
