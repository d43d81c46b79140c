#!/usr/bin/env node
// Builds Conclave Web into dist/: the app (src/main.js with matrix-js-sdk and its Rust crypto) and the SFrame worker
// (src/worker.js with keyexchange/js) bundled by esbuild, the crypto's wasm next to the app (its loader fetches
// ./pkg/…wasm relative to the bundle: same origin, no CDN), and the static files. Same inputs, same bytes.
//   node build.mjs            (from web/; run by ./run.sh and scripts/install-test-deps.sh when a source is newer)
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
// The package exports no package.json: its entry point lies in its root.
const cryptoDir = dirname(require.resolve('@matrix-org/matrix-sdk-crypto-wasm'));
const WASM = 'matrix_sdk_crypto_wasm_bg.wasm';

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Chromium and Firefox ESR with RTCRtpScriptTransform (Firefox 117+).
  target: ['chrome120', 'firefox115'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'pkg'), { recursive: true });
await build({
  ...common,
  entryPoints: [join(here, 'src/main.js')],
  outfile: join(dist, 'app.js'),
  // The SDK's browser entry point (package.json "browser").
  mainFields: ['browser', 'module', 'main'],
});
await build({ ...common, entryPoints: [join(here, 'src/worker.js')], outfile: join(dist, 'sframe-worker.js') });
copyFileSync(join(cryptoDir, 'pkg', WASM), join(dist, 'pkg', WASM));
cpSync(join(here, 'static'), dist, { recursive: true });
console.error(`[web/build] wrote ${dist}`);
