#!/usr/bin/env node
// One participant on libwebrtc in Node (@roamhq/wrtc): sends a synthetic video (I420 with a moving pattern,
// 15 fps) and a 440 Hz tone (10 ms frames at 48 kHz), counts the frames and samples of every remote track in
// RTCVideoSink/RTCAudioSink, and reports them with getStats inbound-rtp.
//
//   node wrtc-peer.mjs --signal http://127.0.0.1:PORT --conference C --participant NAME --duration-ms N
//        [--video] [--audio] [--role HOST|GUEST] [--simulcast] [--bad-fingerprint] [--linger-ms N]
//        [--setup-timeout-ms N] [--datachannel] [--datachannel-only] [--ping-sizes 100,10000,100000]
//
// --video/--audio choose what is sent (neither: receive only). --simulcast sends 640x360 video as rids l/m/h.
// --datachannel pings the SFU over a reliable and an unreliable data channel (web/datachannel-check.js; report part
// "datachannel"); --datachannel-only does so with no audio/video m-lines at all.
// Prints {"peers":[{participant, connectionState, inbound, outbound, ...}]} on stdout.

import wrtc from '@roamhq/wrtc';
import { finish, log, parseArgs } from './lib/peer-args.mjs';
import { SignalClient } from './web/signal-client.js';
import { PC_CONFIG, Session } from './web/session.js';
import { DataChannelCheck, pingSizes } from './web/datachannel-check.js';

const { RTCPeerConnection, MediaStream } = wrtc;
const { RTCVideoSource, RTCAudioSource, RTCVideoSink, RTCAudioSink } = wrtc.nonstandard;

const VIDEO_FPS = 15;
const VIDEO_SIZE = { width: 320, height: 240 };
const SIMULCAST_VIDEO_SIZE = { width: 640, height: 360 };
const SIMULCAST_ENCODINGS = [
  { rid: 'l', scaleResolutionDownBy: 4 },
  { rid: 'm', scaleResolutionDownBy: 2 },
  { rid: 'h', scaleResolutionDownBy: 1 },
];
const NOISE_BLOCK = 48; // a moving block of noise keeps frames from compressing to nothing
const AUDIO_RATE = 48000;
const AUDIO_FRAME_MS = 10;
const TONE_HZ = 440;
const TONE_AMPLITUDE = 0.3 * 32767;
const CLOSE_TIMEOUT_MS = 5000;

let args;
try {
  args = parseArgs(process.argv.slice(2), {
    extraValues: ['--ping-sizes'],
    extraFlags: ['--simulcast', '--datachannel', '--datachannel-only'],
  });
} catch (e) {
  log(`wrtc-peer: ${e.message}`);
  process.exit(2);
}

const timers = [];
const sinks = [];
let session = null;
let dataCheck = null;
let finished = false;

/** I420 frames: a diagonal gradient sliding right plus a noise block bouncing across. */
function startVideo(source, { width, height }) {
  const ySize = width * height;
  const data = new Uint8ClampedArray(ySize * 3 / 2);
  let n = 0;
  let seed = 1;
  const tick = () => {
    const shift = n * 4;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) data[row + x] = (x + y + shift) & 0xff;
    }
    const bx = (n * 7) % (width - NOISE_BLOCK);
    const by = (n * 3) % (height - NOISE_BLOCK);
    for (let y = by; y < by + NOISE_BLOCK; y++) {
      for (let x = bx; x < bx + NOISE_BLOCK; x++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        data[y * width + x] = seed >>> 24;
      }
    }
    data.fill(128, ySize, ySize + ySize / 4);
    data.fill((n * 2) & 0xff, ySize + ySize / 4);
    source.onFrame({ width, height, data });
    n++;
  };
  tick();
  timers.push(setInterval(tick, 1000 / VIDEO_FPS));
}

function startAudio(source) {
  const samplesPerFrame = AUDIO_RATE * AUDIO_FRAME_MS / 1000;
  const samples = new Int16Array(samplesPerFrame);
  let phase = 0;
  const step = 2 * Math.PI * TONE_HZ / AUDIO_RATE;
  timers.push(setInterval(() => {
    for (let i = 0; i < samplesPerFrame; i++) {
      samples[i] = Math.round(Math.sin(phase) * TONE_AMPLITUDE);
      phase += step;
    }
    phase %= 2 * Math.PI;
    source.onData({ samples, sampleRate: AUDIO_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: samplesPerFrame });
  }, AUDIO_FRAME_MS));
}

function addLocalMedia(pc) {
  if (args.datachannelOnly) return;
  if (!args.audio && !args.video) {
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    return;
  }
  const tracks = [];
  if (args.audio) {
    const source = new RTCAudioSource();
    tracks.push(source.createTrack());
    startAudio(source);
  }
  let videoTrack = null;
  if (args.video) {
    const source = new RTCVideoSource();
    videoTrack = source.createTrack();
    tracks.push(videoTrack);
    startVideo(source, args.simulcast ? SIMULCAST_VIDEO_SIZE : VIDEO_SIZE);
  }
  const stream = new MediaStream(tracks);
  for (const track of tracks) {
    if (track === videoTrack && args.simulcast) {
      pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream], sendEncodings: SIMULCAST_ENCODINGS });
    } else {
      pc.addTrack(track, stream);
    }
  }
}

function onTrack(event) {
  const info = session.addRemoteTrack(event);
  if (event.track.kind === 'video') {
    const sink = new RTCVideoSink(event.track);
    info.sinkFrames = 0;
    sink.onframe = ({ frame }) => {
      info.sinkFrames++;
      info.sinkWidth = frame.width;
      info.sinkHeight = frame.height;
    };
    sinks.push(sink);
  } else {
    const sink = new RTCAudioSink(event.track);
    info.sinkSamples = 0;
    sink.ondata = (d) => {
      info.sinkSamples += d.numberOfFrames;
    };
    sinks.push(sink);
  }
}

function stopMedia() {
  timers.forEach(clearInterval);
  sinks.forEach((s) => s.stop());
}

async function end(error) {
  if (finished) return;
  finished = true;
  let peer = { participant: args.participant, error: error ? String(error.message ?? error) : null, inbound: [], outbound: [] };
  if (session) {
    if (error) session.error(error);
    try {
      peer = await session.results(args.participant);
      if (dataCheck) peer.datachannel = dataCheck.results();
    } catch (e) {
      peer.error = `getStats: ${e.message}`;
    }
  }
  // Stay a little, media still flowing, so peers in other processes can take their stats with us present.
  if (!error) await new Promise((r) => setTimeout(r, args.lingerMs));
  stopMedia();
  if (session) await Promise.race([session.close().catch(() => {}), new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS))]);
  finish([peer], error ? String(error.message ?? error) : null);
}

setTimeout(() => end(new Error('overall deadline passed')), args.durationMs + args.setupTimeoutMs + args.lingerMs + CLOSE_TIMEOUT_MS).unref();
setTimeout(() => {
  log('wrtc-peer: still not done after the overall deadline; exiting hard');
  process.exit(3);
}, args.durationMs + args.setupTimeoutMs + 2 * args.lingerMs + 3 * CLOSE_TIMEOUT_MS).unref();
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => end(new Error(`killed by ${signal}`)));

async function main() {
  const pc = new RTCPeerConnection(PC_CONFIG);
  session = new Session(pc, new SignalClient(args.signal), (...a) => log(`[${args.participant}]`, ...a));
  pc.ontrack = onTrack;
  addLocalMedia(pc);
  if (args.datachannel || args.datachannelOnly) {
    dataCheck = new DataChannelCheck(pc, (...a) => log(`[${args.participant}]`, ...a), pingSizes(args.pingSizes));
  }
  await Promise.race([
    session.start(args),
    new Promise((_, reject) => setTimeout(() => reject(new Error('setup timed out')), args.setupTimeoutMs).unref()),
  ]);
  await session.waitFor(args.durationMs - (Date.now() - session.t0));
  await end(null);
}

main().catch((e) => {
  log(`wrtc-peer: ${e.stack || e}`);
  end(e);
});
