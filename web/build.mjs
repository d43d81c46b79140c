#!/usr/bin/env node
// Builds Conclave Web into dist/: the app (src/main.js with matrix-js-sdk and its Rust crypto) and the SFrame worker
// (src/worker.js with keyexchange/js) bundled by esbuild, the crypto's wasm next to the app (its loader fetches
// ./pkg/…wasm relative to the bundle: same origin, no CDN), and the static files. Same inputs, same bytes.
//
//   dist/index.html                      short cache: names the build's assets
//   dist/assets/<hash>/app.js, sframe-worker.js, style.css, pkg/matrix_sdk_crypto_wasm_bg.wasm
//                                        <hash> is over all of them: cached for a year, immutable
//
//   node build.mjs            (from web/; run by ./run.sh and scripts/install-test-deps.sh when a source is newer)
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const staging = join(dist, 'assets', 'staging');
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
mkdirSync(join(staging, 'pkg'), { recursive: true });
await build({
  ...common,
  entryPoints: [join(here, 'src/main.js')],
  outfile: join(staging, 'app.js'),
  // The SDK's browser entry point (package.json "browser").
  mainFields: ['browser', 'module', 'main'],
});
await build({ ...common, entryPoints: [join(here, 'src/worker.js')], outfile: join(staging, 'sframe-worker.js') });
copyFileSync(join(cryptoDir, 'pkg', WASM), join(staging, 'pkg', WASM));
copyFileSync(join(here, 'static', 'style.css'), join(staging, 'style.css'));

const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n))
  : [join(dir, n)])).sort();
const hash = createHash('sha256');
for (const f of files(staging)) hash.update(relative(staging, f)).update('\0').update(readFileSync(f));
const assets = `assets/${hash.digest('hex').slice(0, 16)}`;
renameSync(staging, join(dist, assets));
writeFileSync(join(dist, 'index.html'), readFileSync(join(here, 'static', 'index.html'), 'utf8')
  .replaceAll('{{assets}}', assets));
console.error(`[web/build] wrote ${dist} (${assets})`);
