// Cross-language check with the Java implementation (run by JsInteropTest.java):
//   node interop.mjs <frames-from-java.json> <frames-from-node.json>
// reads Java's frames, decrypts every one (exit 1 on any failure), writes the plaintexts it got plus frames of its
// own for Java to decrypt. File format (hex strings; kid as a decimal string):
//   { "cases": [ { "suite": 4, "codec": null | "VP8" | "OPUS" | "H264" | "WHOLE_FRAME", "kid": "300",
//                  "baseKey": "..", "frames": [ { "metadata": "..", "pt": "..", "ct": ".." } ] } ] }
// codec null = bare SFrame with metadata; a codec = the readable-prefix frame layout (metadata unused).
// The output adds "decrypted": [[pt, ...] per input case].
// Without arguments (as node --test runs it) it checks its own round trip through the same code.
import { readFileSync, writeFileSync } from 'node:fs';
import { CipherSuite, SFrameReceiver, SFrameSender } from '../sframe.mjs';
import { decryptFrame, encryptFrame, FrameCodec } from '../frame.mjs';

const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

const SAMPLE_FRAMES = {
  VP8: () => [concatHex('50 42 00 9d 01 2a 80 02 e0 01', random(300)), concatHex('31 0d 00', random(40)), concatHex('b1 00 00', new Uint8Array(0))],
  OPUS: () => [concatHex('fc', random(80)), concatHex('78', new Uint8Array(0))],
  H264: () => [
    concatHex('00 00 00 01 67 42 c0 1f 8c 8d 40 00 00 00 01 68 ce 3c 80 00 00 00 01 65 88 84', random(500)),
    concatHex('00 00 00 01 41 9a', new Uint8Array(64)), // zeros everywhere: escaping must hold
  ],
  WHOLE_FRAME: () => [random(1), random(700)],
};

function concatHex(h, tail) {
  const head = bytes(h.replace(/ /g, ''));
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

export async function produce() {
  const cases = [];
  for (const suite of Object.values(CipherSuite)) {
    const baseKey = random(32);
    const kid = 300n + BigInt(suite);
    const sender = new SFrameSender(suite);
    await sender.useKey(kid, baseKey);
    const frames = [];
    for (const len of [0, 1, 17, 1200]) {
      const pt = random(len);
      const metadata = random(len % 7);
      frames.push({ metadata: hex(metadata), pt: hex(pt), ct: hex(await sender.encrypt(pt, metadata)) });
    }
    cases.push({ suite, codec: null, kid: kid.toString(), baseKey: hex(baseKey), frames });
    for (const codec of Object.values(FrameCodec)) {
      const s = new SFrameSender(suite);
      await s.useKey(suite, baseKey);
      const layout = [];
      for (const pt of SAMPLE_FRAMES[codec]()) layout.push({ metadata: '', pt: hex(pt), ct: hex(await encryptFrame(s, codec, pt)) });
      cases.push({ suite, codec, kid: String(suite), baseKey: hex(baseKey), frames: layout });
    }
  }
  return { cases };
}

/** Decrypts every frame of every case; throws on the first failure. */
export async function consume(input) {
  const decrypted = [];
  for (const c of input.cases) {
    const receiver = new SFrameReceiver(c.suite);
    await receiver.addKey(BigInt(c.kid), bytes(c.baseKey));
    const plain = [];
    for (const f of c.frames) {
      const pt = c.codec === null
        ? await receiver.decrypt(bytes(f.ct), bytes(f.metadata))
        : await decryptFrame(receiver, c.codec, bytes(f.ct));
      if (hex(pt) !== f.pt) throw new Error(`suite ${c.suite} codec ${c.codec}: decrypted bytes differ`);
      plain.push(hex(pt));
    }
    decrypted.push(plain);
  }
  return decrypted;
}

const [inputPath, outputPath] = process.argv.slice(2);
if (inputPath && outputPath) {
  try {
    const decrypted = await consume(JSON.parse(readFileSync(inputPath, 'utf8')));
    writeFileSync(outputPath, JSON.stringify({ decrypted, ...(await produce()) }));
    console.log(`interop: decrypted ${decrypted.flat().length} Java frames, wrote Node frames to ${outputPath}`);
  } catch (e) {
    console.error(`interop: ${e.stack ?? e}`);
    process.exitCode = 1;
  }
} else {
  const { test } = await import('node:test');
  const assert = (await import('node:assert/strict')).default;
  test('interop script decrypts its own output for every suite and layout', async () => {
    const produced = await produce();
    assert.equal(produced.cases.length, 5 * 5);
    const decrypted = await consume(produced);
    assert.deepEqual(decrypted, produced.cases.map((c) => c.frames.map((f) => f.pt)));
  });
}
