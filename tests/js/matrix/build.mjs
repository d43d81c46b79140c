#!/usr/bin/env node
// Bundles page.mjs (matrix-js-sdk and @matrix-org/matrix-sdk-crypto-wasm, as pinned in ../package-lock.json) into
// dist/page.js with esbuild, and copies the crypto's wasm to dist/pkg/, where the crypto's loader fetches it
// (new URL('./pkg/…wasm', import.meta.url)): same origin, no CDN. Run by scripts/install-test-deps.sh, and by the
// Java harness (MatrixPages) when dist/ is missing or older than a source here. Same inputs, same bytes.
//
//   node matrix/build.mjs            (from tests/js)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
// The package exports no package.json: its entry point lies in its root.
const cryptoDir = dirname(require.resolve('@matrix-org/matrix-sdk-crypto-wasm'));
const WASM = 'matrix_sdk_crypto_wasm_bg.wasm';

mkdirSync(join(dist, 'pkg'), { recursive: true });
await build({
  entryPoints: [join(here, 'page.mjs')],
  outfile: join(dist, 'page.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  // The SDK's browser entry point (package.json "browser"): IndexedDB stores, globalThis.matrixcs.
  mainFields: ['browser', 'module', 'main'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(cryptoDir, 'pkg', WASM), join(dist, 'pkg', WASM));
console.error(`[matrix/build] wrote ${join(dist, 'page.js')} and pkg/${WASM}`);
