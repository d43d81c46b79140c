// Helpers shared by the Node tests. Kept outside test/, where node --test would run every .mjs file as a test.
import { readFileSync } from 'node:fs';

export const hex = (b) => Buffer.from(b).toString('hex');
export const bytes = (h) => Uint8Array.from(Buffer.from(h.replace(/ /g, ''), 'hex'));

/** The RFC 9605 vectors, from the Java test resources (one copy for both languages). */
export function vectors() {
  const url = new URL('../../src/test/resources/sframe-rfc9605-test-vectors.json', import.meta.url);
  // Big KID/CTR values exceed 2^53: keep their digits exact by quoting them before JSON.parse.
  const text = readFileSync(url, 'utf8').replace(/"(kid|ctr)":\s*(\d+)/g, '"$1": "$2"');
  return JSON.parse(text);
}
