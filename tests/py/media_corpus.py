#!/usr/bin/python3
"""Real encoder output for the E2EE guard's replay test (run with Debian's /usr/bin/python3: python3-aiortc, python3-av).

Encodes clips with libvpx (aiortc's Vp8Encoder), libx264 (PyAV) and libopus (aiortc's OpusEncoder and PyAV), and
packetizes them with aiortc's own packetizers (VP8 payload descriptor, H264 single NAL / STAP-A / FU-A; an Opus
packet is its frame). Content: VP8 and H264 video of noise, flat colour, a moving pattern and blurred "camera" noise at
several sizes, bitrates and key-frame intervals (H264 also with several slices per picture); Opus of speech
(espeak-ng, several voices), white and pink noise, tones and silence, at several bitrates and modes. Everything is
seeded: the same arguments give the same bytes (libvpx and libx264 run single-threaded).

  /usr/bin/python3 media_corpus.py --out FILE [--scale X] [--seed N]

Clips come in groups, one group per sender (what it publishes at once: VP8 or H264 with Opus, three VP8 simulcast
layers with Opus, Opus alone, video alone). --scale multiplies the default size (1.0: about 18,000 frames); --out -
writes to stdout.

Output, big-endian: per clip  'C' u8 codec (0 VP8, 1 H264, 2 Opus) u32 group u16 len + UTF-8 description, then per frame
'F' u8 key u32 rtp-timestamp u32 len + frame bytes u16 packet count {u16 len + RTP payload}. A summary goes to stderr.
"""

import argparse
import fractions
import io
import os
import random
import struct
import subprocess
import sys
import tempfile
import wave

import av
import numpy
from aiortc.codecs.h264 import H264Encoder
from aiortc.codecs.opus import OpusEncoder
from aiortc.codecs.vpx import Vp8Encoder, vp8_depayload

VIDEO_CLOCK = 90000
VP8, H264, OPUS = 0, 1, 2
SPEECH = [
    ("en+m3", "The quick brown fox jumps over the lazy dog while the conference keeps running in the background."),
    ("en+f2", "Can everyone hear me? I will share my screen in a moment, please mute your microphones."),
    ("de", "Guten Morgen zusammen, wir beginnen mit dem ersten Punkt der Tagesordnung."),
    ("fr+f3", "Bonjour a tous, je vous entends tres bien, continuons avec la presentation."),
    ("es+m1", "La reunion empieza ahora, por favor enciendan las camaras si pueden."),
]


class Writer:
    def __init__(self, out):
        self.out = out
        self.frames = {}
        self.group = 0

    def clip(self, codec, description):
        d = description.encode()
        self.out.write(b"C" + struct.pack(">BIH", codec, self.group, len(d)) + d)
        self.codec = codec

    def frame(self, key, ts, frame, packets):
        self.out.write(b"F" + struct.pack(">BII", 1 if key else 0, ts & 0xFFFFFFFF, len(frame)) + frame)
        self.out.write(struct.pack(">H", len(packets)))
        for p in packets:
            self.out.write(struct.pack(">H", len(p)) + p)
        self.frames[self.codec] = self.frames.get(self.codec, 0) + 1


def video_content(kind, rng, w, h, i):
    if kind == "noise":
        return rng.integers(0, 256, (h, w, 3), dtype=numpy.uint8)
    if kind == "flat":
        return numpy.full((h, w, 3), (i // 30 * 37) % 256, dtype=numpy.uint8)
    if kind == "pattern":
        y, x = numpy.mgrid[0:h, 0:w]
        img = numpy.stack([(x + 3 * i) % 256, (y + 2 * i) % 256, ((x + y) // 2 + i) % 256], axis=-1)
        bx, by = (5 * i) % max(1, w - 40), (3 * i) % max(1, h - 40)
        img[by:by + 40, bx:bx + 40] = 255
        return img.astype(numpy.uint8)
    # camera: blurred noise drifting slowly, plus sensor noise
    base = numpy.repeat(numpy.repeat(rng.integers(0, 256, (h // 16 + 2, w // 16 + 2, 3)), 16, 0), 16, 1)
    shift = i % 16
    img = base[shift:shift + h, shift:shift + w] + rng.normal(0, 6, (h, w, 3))
    return numpy.clip(img, 0, 255).astype(numpy.uint8)


def frame_of(arr, i):
    f = av.VideoFrame.from_ndarray(arr, format="rgb24").reformat(format="yuv420p")
    f.pts = i * 3000
    f.time_base = fractions.Fraction(1, VIDEO_CLOCK)
    return f


def vp8_clip(w, rng, kind, width, height, length):
    bitrate = int(rng.choice([150_000, 500_000, 1_200_000]))
    key_every = int(rng.choice([1, 3, 10, 30, 100]))
    enc = Vp8Encoder()
    enc.target_bitrate = bitrate
    w.clip(VP8, f"vp8 {kind} {width}x{height} {bitrate // 1000} kbit/s key every {key_every}")
    for i in range(length):
        payloads, ts = enc.encode(frame_of(video_content(kind, rng, width, height, i), i),
                                  force_keyframe=i % key_every == 0)
        data = b"".join(vp8_depayload(p) for p in payloads)  # after aiortc's 3- or 4-byte descriptor
        w.frame((data[0] & 1) == 0, ts, data, payloads)


def h264_clip(w, rng, kind, width, height, length):
    slices = int(rng.choice([1, 1, 4]))
    gop = int(rng.choice([5, 30, 120]))
    bitrate = int(rng.choice([200_000, 800_000]))
    ctx = av.CodecContext.create("libx264", "w")
    ctx.width, ctx.height, ctx.pix_fmt = width, height, "yuv420p"
    ctx.framerate = fractions.Fraction(30, 1)
    ctx.time_base = fractions.Fraction(1, 30)
    ctx.bit_rate = bitrate
    ctx.options = {"preset": "ultrafast", "tune": "zerolatency", "profile": "baseline", "g": str(gop),
                   "threads": "1", "x264-params": f"slices={slices}:keyint={gop}:log=-1"}
    w.clip(H264, f"h264 {kind} {width}x{height} {slices} slices gop {gop} {bitrate // 1000} kbit/s")
    for i in range(length):
        picture = frame_of(video_content(kind, rng, width, height, i), i)
        picture.time_base = ctx.time_base
        for packet in ctx.encode(picture):
            data = bytes(packet)
            payloads = H264Encoder._packetize(iter(list(H264Encoder._split_bitstream(data))))
            w.frame(packet.is_keyframe, i * 3000, data, payloads)


def speech_samples(rng):
    """espeak-ng speech at 48 kHz mono int16, several voices."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (voice, text) in enumerate(SPEECH):
            path = os.path.join(tmp, f"s{i}.wav")
            subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", path, text], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with wave.open(path) as f:
                rate = f.getframerate()
                pcm = numpy.frombuffer(f.readframes(f.getnframes()), dtype=numpy.int16).astype(numpy.float64)
            t = numpy.arange(0, len(pcm) * 48000 // rate) * rate / 48000
            out.append(numpy.interp(t, numpy.arange(len(pcm)), pcm))
    return numpy.concatenate(out)


def audio_source(kind, rng, speech, n):
    if kind == "speech":
        start = int(rng.integers(0, max(1, len(speech) - n)))
        s = speech[start:start + n]
        return numpy.pad(s, (0, n - len(s)))
    if kind == "white":
        return rng.normal(0, 6000, n)
    if kind == "pink":
        white = rng.normal(0, 1, n)
        spectrum = numpy.fft.rfft(white) / numpy.sqrt(numpy.arange(1, n // 2 + 2))
        pink = numpy.fft.irfft(spectrum, n)
        return pink / (numpy.std(pink) + 1e-9) * 5000
    if kind == "tone":
        return 8000 * numpy.sin(2 * numpy.pi * 440 * numpy.arange(n) / 48000)
    return numpy.zeros(n)


def opus_clip(w, rng, speech, kind, variant, length):
    pcm = numpy.clip(audio_source(kind, rng, speech, length * 960), -32768, 32767).astype(numpy.int16)
    if variant % 2 == 0:
        enc = OpusEncoder()  # aiortc: VOIP, 48 kHz stereo, 20 ms
        w.clip(OPUS, f"opus {kind} aiortc voip")
        for i in range(length):
            f = av.AudioFrame.from_ndarray(pcm[i * 960:(i + 1) * 960].reshape(1, -1), format="s16", layout="mono")
            f.sample_rate = 48000
            f.pts = i * 960
            payloads, ts = enc.encode(f)
            w.frame(True, ts, payloads[0], payloads)
        return
    bitrate = int(rng.choice([12_000, 32_000, 64_000, 128_000]))
    application = str(rng.choice(["voip", "audio", "lowdelay"]))
    ms = int(rng.choice([10, 20, 60]))
    ctx = av.CodecContext.create("libopus", "w")
    ctx.sample_rate, ctx.format, ctx.layout = 48000, "s16", "mono"
    ctx.bit_rate = bitrate
    ctx.options = {"application": application, "frame_duration": str(ms)}
    w.clip(OPUS, f"opus {kind} libopus {application} {bitrate // 1000} kbit/s {ms} ms")
    for i in range(length):
        f = av.AudioFrame.from_ndarray(pcm[i * 960:(i + 1) * 960].reshape(1, -1), format="s16", layout="mono")
        f.sample_rate = 48000
        f.pts = i * 960
        for packet in ctx.encode(f):
            w.frame(True, packet.pts or 0, bytes(packet), [bytes(packet)])
    for packet in ctx.encode(None):
        w.frame(True, packet.pts or 0, bytes(packet), [bytes(packet)])


# What one sender publishes; groups cycle through these.
COMPOSITIONS = ["vp8+opus", "h264+opus", "simulcast+opus", "opus", "vp8", "h264"]
VIDEO_KINDS = ["noise", "camera", "pattern", "flat"]
AUDIO_KINDS = ["speech", "speech", "white", "pink", "tone", "silence"]
SIZES = [(320, 240), (160, 120), (640, 360), (176, 144)]


def senders(w, rng, frames_wanted):
    """Groups of clips, one group per sender (its streams at the same time), until enough frames are made."""
    speech = speech_samples(rng)
    g = 0
    while sum(w.frames.values()) < frames_wanted:
        composition = COMPOSITIONS[g % len(COMPOSITIONS)]
        kind = VIDEO_KINDS[(g // len(COMPOSITIONS)) % len(VIDEO_KINDS)]
        width, height = SIZES[g % len(SIZES)]
        if kind == "noise" and width * height > 320 * 240:
            width, height = 320, 240  # noise compresses to nothing: keep the corpus small
        video = int(rng.integers(40, 160))
        w.group = g
        if composition.startswith("vp8"):
            vp8_clip(w, rng, kind, width, height, video)
        elif composition.startswith("h264"):
            h264_clip(w, rng, kind, width, height, video)
        elif composition.startswith("simulcast"):
            for lw, lh in [(160, 90), (320, 180), (640, 360)]:
                vp8_clip(w, rng, kind, lw, lh, video)
        if composition.endswith("opus"):
            audio = video * 3 // 2 if composition != "opus" else int(rng.integers(100, 400))
            # Not g % 6: that would tie each audio content to one composition (and leave some out).
            opus_clip(w, rng, speech, AUDIO_KINDS[(g // len(COMPOSITIONS) + g) % len(AUDIO_KINDS)],
                      g // len(COMPOSITIONS), audio)
        g += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=12)
    a = ap.parse_args()
    rng = numpy.random.default_rng(a.seed)
    random.seed(a.seed)  # aiortc draws the first VP8 picture id from it
    av.logging.set_level(av.logging.ERROR)
    with (open(a.out, "wb") if a.out != "-" else os.fdopen(sys.stdout.fileno(), "wb", closefd=False)) as f:
        w = Writer(io.BufferedWriter(f, 1 << 20))
        senders(w, rng, int(18000 * a.scale))
        w.out.flush()
    print(f"frames: vp8 {w.frames.get(VP8, 0)} h264 {w.frames.get(H264, 0)} opus {w.frames.get(OPUS, 0)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
