#!/usr/bin/python3
"""One participant on aiortc 1.4 (Debian's python3-aiortc; run with /usr/bin/python3, not a pyenv python3).

Sends a synthetic video (yuv420p with a moving pattern, 15 fps) and a 440 Hz tone (20 ms frames at 48 kHz),
answers the SFU's re-offers, decodes every remote track (`await track.recv()`) counting frames and samples, and
prints one JSON line {"peers":[{participant, connectionState, inbound, outbound, ...}]} on stdout at the end.

  /usr/bin/python3 aiortc_peer.py --signal http://127.0.0.1:PORT --conference C --participant NAME
      --duration-ms N [--video] [--audio] [--role HOST|GUEST] [--bad-fingerprint] [--linger-ms N]
      [--setup-timeout-ms N] [--datachannel] [--datachannel-only] [--ping-sizes 100,10000,60000]
      [--noise-video] [--require-e2ee]

--video/--audio choose what is sent (neither: receive only). --datachannel pings the SFU over a reliable and an
unreliable data channel like tests/js/web/datachannel-check.js (report part "datachannel"); --datachannel-only does
so with no audio/video m-lines at all; the SFU's other messages are reported as they came ("other").
--noise-video sends noisy camera-like video (every pixel random, every frame) instead of the pattern: large key
frames, the worst case for a check that looks for structure. --require-e2ee allocates the endpoint in a conference
that requires end-to-end-encrypted media (this peer never encrypts). Exit code 0 only if the peer connected and
nothing failed. Signalling is the HTTP protocol of org.conclave.tests.harness.SignalServer.
"""

import argparse
import asyncio
import fractions
import json
import logging
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import numpy
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, VideoFrame

VIDEO_WIDTH, VIDEO_HEIGHT = 320, 240
VIDEO_FPS = 15
VIDEO_CLOCK_RATE = 90000
NOISE_BLOCK = 48  # a moving block of noise keeps frames from compressing to nothing
AUDIO_RATE = 48000
AUDIO_PTIME = 0.020
TONE_HZ = 440
TONE_AMPLITUDE = 0.3 * 32767

POST_TIMEOUT_S = 25  # the server bounds each SFU call at 20 s
POLL_TIMEOUT_MS = 2000  # short long-polls: a poll in flight delays nothing at exit
POLL_SLACK_S = 5
POLL_RETRY_S = 0.5
POLL_MAX_FAILURES = 5
CLOSE_TIMEOUT_S = 5
DEFAULT_PING_SIZES = "100,10000,100000"
PAD_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"

participant_name = "aiortc"


def log(message):
    print(f"{time.strftime('%H:%M:%S')} [{participant_name}] {message}", file=sys.stderr, flush=True)


class SignalError(Exception):
    def __init__(self, message, status=None, reason=None):
        super().__init__(message)
        self.status = status
        self.reason = reason


class SignalClient:
    """The SignalServer's HTTP protocol, with blocking urllib calls run in the default executor."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.endpoint_id = None

    async def allocate(self, conference, participant, role, require_e2ee=False):
        body = json.dumps({"participant": participant, "role": role, "requireE2ee": require_e2ee})
        path = f"/conferences/{urllib.parse.quote(conference, safe='')}/endpoints"
        reply = json.loads(await self._call("POST", path, body, "application/json"))
        self.endpoint_id = reply["endpointId"]
        return reply

    async def offer(self, sdp):
        return await self._call("POST", self._ep("offer"), sdp, "application/sdp")

    async def answer(self, sdp):
        await self._call("POST", self._ep("answer"), sdp, "application/sdp")

    async def close(self, reason="peer done"):
        await self._call("POST", self._ep("close"), reason, "text/plain")

    async def events(self, after):
        path = f"{self._ep('events')}?after={after}&timeoutMs={POLL_TIMEOUT_MS}"
        return json.loads(await self._call("GET", path, None, None, POLL_TIMEOUT_MS / 1000 + POLL_SLACK_S))

    def _ep(self, action):
        if not self.endpoint_id:
            raise SignalError("no endpoint allocated yet")
        return f"/endpoints/{urllib.parse.quote(self.endpoint_id, safe='')}/{action}"

    async def _call(self, method, path, body, content_type, timeout=POST_TIMEOUT_S):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._blocking_call, method, path, body, content_type, timeout)

    def _blocking_call(self, method, path, body, content_type, timeout):
        data = body.encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            reason = e.headers.get("X-Sfu-Failure-Reason")
            text = e.read().decode("utf-8", "replace")
            raise SignalError(f"{method} {path}: HTTP {e.code}{' ' + reason if reason else ''}: {text}", e.code, reason)
        except (urllib.error.URLError, OSError) as e:
            raise SignalError(f"{method} {path}: {e}")


class PatternVideoTrack(MediaStreamTrack):
    """yuv420p frames: a diagonal gradient sliding right plus a noise block bouncing across."""

    kind = "video"

    def __init__(self, noise=False):
        super().__init__()
        self._noise = noise
        ys, xs = numpy.mgrid[0:VIDEO_HEIGHT, 0:VIDEO_WIDTH]
        self._gradient = (xs + ys).astype(numpy.uint16)
        self._rng = numpy.random.default_rng(1)
        self._n = 0
        self._start = None

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            wait = self._start + self._n / VIDEO_FPS - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        n = self._n
        self._n += 1
        yuv = numpy.empty((VIDEO_HEIGHT * 3 // 2, VIDEO_WIDTH), numpy.uint8)
        if self._noise:
            yuv[:] = self._rng.integers(0, 256, yuv.shape, numpy.uint8)
            return self._frame(yuv, n)
        yuv[:VIDEO_HEIGHT] = ((self._gradient + n * 4) & 0xFF).astype(numpy.uint8)
        bx = (n * 7) % (VIDEO_WIDTH - NOISE_BLOCK)
        by = (n * 3) % (VIDEO_HEIGHT - NOISE_BLOCK)
        yuv[by:by + NOISE_BLOCK, bx:bx + NOISE_BLOCK] = self._rng.integers(0, 256, (NOISE_BLOCK, NOISE_BLOCK), numpy.uint8)
        yuv[VIDEO_HEIGHT:] = 128
        return self._frame(yuv, n)

    @staticmethod
    def _frame(yuv, n):
        frame = VideoFrame.from_ndarray(yuv, format="yuv420p")
        frame.pts = int(n * VIDEO_CLOCK_RATE / VIDEO_FPS)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK_RATE)
        return frame


class ToneAudioTrack(MediaStreamTrack):
    """A 440 Hz sine, mono s16 at 48 kHz, in 20 ms frames."""

    kind = "audio"

    def __init__(self):
        super().__init__()
        self._samples = int(AUDIO_RATE * AUDIO_PTIME)
        self._timestamp = 0
        self._start = None

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            self._timestamp += self._samples
            wait = self._start + self._timestamp / AUDIO_RATE - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        t = numpy.arange(self._timestamp, self._timestamp + self._samples)
        pcm = (numpy.sin(2 * numpy.pi * TONE_HZ * t / AUDIO_RATE) * TONE_AMPLITUDE).astype(numpy.int16)
        frame = AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.pts = self._timestamp
        frame.sample_rate = AUDIO_RATE
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        return frame


def munge_fingerprint(sdp):
    """Flips the first byte of every a=fingerprint (the munged SDP is only sent, never applied locally)."""

    def flip(m):
        return m.group(1) + format(int(m.group(2), 16) ^ 0xFF, "02X")

    out, count = re.subn(r"(?m)^(a=fingerprint:\S+ )([0-9A-Fa-f]{2})", flip, sdp)
    if count == 0:
        raise ValueError("no a=fingerprint line to munge")
    return out


def stream_ids_by_mid(sdp):
    """mid -> stream id of its a=msid line (the stream the SFU put the track in)."""
    result = {}
    for section in re.split(r"\r?\nm=", sdp)[1:]:
        mid = re.search(r"(?m)^a=mid:(\S+)", section)
        msid = re.search(r"(?m)^a=msid:(\S+)", section)
        if mid and msid:
            result[mid.group(1)] = msid.group(1)
    return result


def msids(sdp):
    """"stream track" of every a=msid line: the ids a receiver should see for what this SDP sends."""
    return [f"{m.group(1)} {m.group(2)}" for m in re.finditer(r"(?m)^a=msid:(\S+) (\S+)", sdp or "")]


def pad(size, seed):
    """The same payload datachannel-check.js makes: not all one character, so a corrupted fragment shows."""
    out, x = [], seed + 1
    while len(out) < size:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out.append(PAD_ALPHABET[x % len(PAD_ALPHABET)])
    return "".join(out)


class DataChannelCheck:
    """A reliable and an unreliable channel; once open, one m.call.ping per size on each, pongs compared."""

    CHANNELS = [("reliable", {}), ("unreliable", {"ordered": False, "maxRetransmits": 0})]

    def __init__(self, pc, sizes):
        self.errors = []
        self.channels = [self._open(pc, label, options, sizes) for label, options in self.CHANNELS]

    def _open(self, pc, label, options, sizes):
        state = {"label": label, "ordered": options.get("ordered", True),
                 "maxRetransmits": options.get("maxRetransmits"), "opened": False, "pings": [], "other": []}
        channel = pc.createDataChannel(label, **options)
        sent = {}

        @channel.on("open")
        def on_open():
            state["opened"] = True
            log(f"data channel {label} open (id {channel.id})")
            for i, size in enumerate(sizes):
                content = {"id": f"{label}-{size}", "pad": pad(size, i)}
                ping = {"size": size, "id": content["id"], "ok": False, "error": None, "sentAt": time.time(),
                        "rttMs": None}
                sent[content["id"]] = (ping, content)
                state["pings"].append(ping)
                channel.send(json.dumps({"type": "m.call.ping", "content": content}, separators=(",", ":")))

        @channel.on("message")
        def on_message(data):
            try:
                message = json.loads(data)
            except (ValueError, TypeError):
                state["other"].append(f"not JSON: {str(data)[:100]}")
                return
            content = message.get("content") if isinstance(message, dict) else None
            entry = sent.get(content.get("id")) if message.get("type") == "m.call.pong" and isinstance(content, dict) else None
            if entry is None:
                state["other"].append(json.dumps(message, separators=(",", ":"))[:4000])
                return
            ping, expected = entry
            ping["ok"] = content == expected
            ping["error"] = None if ping["ok"] else "pong content differs from the ping"
            ping["rttMs"] = int((time.time() - ping["sentAt"]) * 1000)

        return state

    def results(self):
        channels = []
        for c in self.channels:
            pings = [{k: p[k] for k in ("size", "id", "ok", "error", "rttMs")} for p in c["pings"]]
            channels.append({**{k: c[k] for k in ("label", "ordered", "maxRetransmits", "opened", "other")},
                             "pings": pings})
        return {"channels": channels, "errors": self.errors}


class Peer:
    def __init__(self, args):
        self.args = args
        self.client = SignalClient(args.signal)
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.t0 = time.time()
        self.events = []
        self.failure = None
        self.failure_detail = None
        self.connected_ms = None
        self.errors = []
        self.tracks = {}  # remote track id -> counters
        self.tasks = []
        self.ended = asyncio.Event()
        self.stopped = False
        self.data_check = None

        @self.pc.on("connectionstatechange")
        def on_state():
            log(f"connectionState {self.pc.connectionState}")
            if self.pc.connectionState == "connected" and self.connected_ms is None:
                self.connected_ms = int((time.time() - self.t0) * 1000)

        @self.pc.on("track")
        def on_track(track):
            mid = next((t.mid for t in self.pc.getTransceivers() if t.receiver.track is track), None)
            info = {"kind": track.kind, "mid": mid, "frames": 0, "samples": 0, "width": 0, "height": 0}
            self.tracks[track.id] = info
            log(f"remote {track.kind} track {track.id} mid={mid}")
            self.tasks.append(asyncio.ensure_future(self.consume(track, info)))

    def error(self, message):
        log(f"ERROR {message}")
        self.errors.append(str(message))

    def add_local_media(self):
        if self.args.datachannel or self.args.datachannel_only:
            sizes = [int(n) for n in self.args.ping_sizes.split(",")]
            self.data_check = DataChannelCheck(self.pc, sizes)
        if self.args.datachannel_only:
            return
        if not self.args.audio and not self.args.video:
            self.pc.addTransceiver("audio", direction="recvonly")
            self.pc.addTransceiver("video", direction="recvonly")
            return
        if self.args.audio:
            self.pc.addTrack(ToneAudioTrack())
        if self.args.video:
            self.pc.addTrack(PatternVideoTrack(noise=self.args.noise_video))

    async def consume(self, track, info):
        try:
            while True:
                frame = await track.recv()
                info["frames"] += 1
                if track.kind == "video":
                    info["width"], info["height"] = frame.width, frame.height
                else:
                    info["samples"] += frame.samples
        except MediaStreamError:
            pass
        except asyncio.CancelledError:
            pass

    async def start(self):
        reply = await self.client.allocate(self.args.conference, self.args.participant, self.args.role,
                                           self.args.require_e2ee)
        log(f"endpoint {reply['endpointId']}")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        sdp = self.pc.localDescription.sdp
        if self.args.bad_fingerprint:
            sdp = munge_fingerprint(sdp)
        answer = await self.client.offer(sdp)
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        log("answer applied")
        self.tasks.append(asyncio.ensure_future(self.event_loop()))

    async def event_loop(self):
        after, failures = 0, 0
        while not self.stopped:
            try:
                batch = await self.client.events(after)
                failures = 0
            except SignalError as e:
                if self.stopped:
                    return
                failures += 1
                if failures >= POLL_MAX_FAILURES:
                    self.error(f"event polling failed {failures} times: {e}")
                    self.ended.set()
                    return
                await asyncio.sleep(POLL_RETRY_S)
                continue
            for event in batch:
                after = event["seq"]
                if self.stopped:
                    return
                await self.on_event(event)
                if event["type"] == "closed":
                    return

    async def on_event(self, event):
        kind = event["type"]
        self.events.append(kind)
        try:
            if kind == "offer":
                await self.pc.setRemoteDescription(RTCSessionDescription(sdp=event["sdp"], type="offer"))
                await self.pc.setLocalDescription(await self.pc.createAnswer())
                await self.client.answer(self.pc.localDescription.sdp)
                log("re-offer answered")
            elif kind == "connected":
                log("SFU says connected")
            elif kind == "failed":
                self.failure, self.failure_detail = event.get("reason"), event.get("detail")
                log(f"SFU says failed: {self.failure} {self.failure_detail}")
                self.ended.set()
            elif kind == "closed":
                log("SFU says closed")
                self.ended.set()
        except Exception as e:  # noqa: BLE001 - any failure of a re-offer is a test failure to report
            self.error(f"handling {kind} event: {type(e).__name__}: {e}")

    async def wait_until(self, seconds):
        try:
            await asyncio.wait_for(self.ended.wait(), timeout=max(0.0, seconds))
        except asyncio.TimeoutError:
            pass

    async def results(self):
        mid_streams = stream_ids_by_mid(self.pc.remoteDescription.sdp) if self.pc.remoteDescription else {}
        inbound, outbound = [], []
        for transceiver in self.pc.getTransceivers():
            track = transceiver.receiver.track
            info = self.tracks.get(track.id) if track else None
            if info is not None:
                stats = [s for s in (await transceiver.receiver.getStats()).values() if s.type == "inbound-rtp"]
                s = stats[0] if stats else None
                inbound.append({
                    "kind": transceiver.kind,
                    "ssrc": s.ssrc if s else 0,
                    "trackIdentifier": track.id,
                    "mid": transceiver.mid,
                    "streamId": mid_streams.get(transceiver.mid),
                    "packetsReceived": s.packetsReceived if s else 0,
                    "bytesReceived": 0,  # aiortc does not count them
                    "packetsLost": s.packetsLost if s else 0,
                    "framesDecoded": info["frames"] if transceiver.kind == "video" else 0,
                    "frameWidth": info["width"],
                    "frameHeight": info["height"],
                    "totalSamplesReceived": info["samples"],
                    "framesChecked": 0,
                    "framesCorrupt": 0,
                })
            if transceiver.sender.track is not None:
                for s in (await transceiver.sender.getStats()).values():
                    if s.type == "outbound-rtp":
                        outbound.append({
                            "kind": transceiver.kind, "ssrc": s.ssrc, "rid": None, "mid": transceiver.mid,
                            "packetsSent": s.packetsSent, "bytesSent": s.bytesSent,
                            "framesEncoded": 0, "frameWidth": 0, "frameHeight": 0,
                        })
        return {
            "datachannel": self.data_check.results() if self.data_check else None,
            "participant": self.args.participant,
            "endpointId": self.client.endpoint_id,
            "connectionState": self.pc.connectionState,
            "iceConnectionState": self.pc.iceConnectionState,
            "connectedMs": self.connected_ms,
            "events": self.events,
            "failure": self.failure,
            "failureDetail": self.failure_detail,
            "inbound": inbound,
            "outbound": outbound,
            "localMsids": msids(self.pc.localDescription.sdp if self.pc.localDescription else None),
            "error": "; ".join(self.errors) if self.errors else None,
        }

    async def close(self):
        self.stopped = True
        if self.client.endpoint_id:
            try:
                await asyncio.wait_for(self.client.close(), CLOSE_TIMEOUT_S)
            except Exception as e:  # noqa: BLE001 - leaving is best effort
                log(f"close: {e}")
        for task in self.tasks:
            task.cancel()
        try:
            await asyncio.wait_for(self.pc.close(), CLOSE_TIMEOUT_S)
        except Exception as e:  # noqa: BLE001
            log(f"pc.close: {e}")


async def run(args):
    peer = Peer(args)
    error = None
    try:
        peer.add_local_media()
        await asyncio.wait_for(peer.start(), args.setup_timeout_ms / 1000)
        await peer.wait_until(args.duration_ms / 1000 - (time.time() - peer.t0))
    except asyncio.TimeoutError:
        error = "setup timed out"
    except Exception as e:  # noqa: BLE001 - reported in the result line
        error = f"{type(e).__name__}: {e}"
    if error:
        peer.error(error)
    try:
        result = await asyncio.wait_for(peer.results(), CLOSE_TIMEOUT_S)
    except Exception as e:  # noqa: BLE001
        result = {"participant": args.participant, "error": f"stats: {e}", "inbound": [], "outbound": []}
    if not error:
        await asyncio.sleep(args.linger_ms / 1000)  # media still flowing while peers elsewhere take their stats
    await peer.close()
    return result, error


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--signal", required=True)
    p.add_argument("--conference", required=True)
    p.add_argument("--participant", required=True)
    p.add_argument("--duration-ms", type=int, required=True)
    p.add_argument("--role", choices=["HOST", "GUEST"], default="GUEST")
    p.add_argument("--video", action="store_true")
    p.add_argument("--audio", action="store_true")
    p.add_argument("--bad-fingerprint", action="store_true")
    p.add_argument("--datachannel", action="store_true")
    p.add_argument("--datachannel-only", action="store_true")
    p.add_argument("--ping-sizes", default=DEFAULT_PING_SIZES)
    p.add_argument("--noise-video", action="store_true")
    p.add_argument("--require-e2ee", action="store_true")
    p.add_argument("--linger-ms", type=int, default=2000)
    p.add_argument("--setup-timeout-ms", type=int, default=30000)
    return p.parse_args(argv)


def main():
    global participant_name
    args = parse_args(sys.argv[1:])
    participant_name = args.participant
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    deadline = (args.duration_ms + args.setup_timeout_ms + args.linger_ms) / 1000 + 3 * CLOSE_TIMEOUT_S
    try:
        result, error = asyncio.run(asyncio.wait_for(run(args), deadline))
    except asyncio.TimeoutError:
        result, error = {"participant": args.participant, "error": "overall deadline passed", "inbound": [], "outbound": []}, "overall deadline passed"
    except KeyboardInterrupt:
        result, error = {"participant": args.participant, "error": "interrupted", "inbound": [], "outbound": []}, "interrupted"
    ok = (error is None and not result.get("error") and not result.get("failure")
          and result.get("connectionState") == "connected")
    sys.stdout.write(json.dumps({"peers": [result], "error": error}) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    # os._exit: a blocking urllib poll still in the executor would otherwise hold the interpreter at exit.
    os._exit(0 if ok else 1)


if __name__ == "__main__":
    main()
