// Command line of the Node peers. All peers (also tests/py/aiortc_peer.py) share
//   --signal http://127.0.0.1:PORT --conference C --participant NAME --duration-ms N [--video] [--audio]
//   [--role HOST|GUEST] [--linger-ms N] [--setup-timeout-ms N] [--bad-fingerprint]
// and print one JSON line {"peers":[...], "error": ...} on stdout at the end. Progress goes to stderr.

const COMMON_VALUES = ['--signal', '--conference', '--participant', '--duration-ms', '--role', '--linger-ms', '--setup-timeout-ms'];
const COMMON_FLAGS = ['--video', '--audio', '--bad-fingerprint'];

/**
 * Parses argv; {@code extraValues}/{@code extraFlags} are a script's own options. Throws on unknown or missing
 * options. Returns camelCased keys: signal, conference, participant, durationMs, role, lingerMs, setupTimeoutMs,
 * video, audio, badFingerprint, plus the extras.
 */
export function parseArgs(argv, { extraValues = [], extraFlags = [], defaults = {} } = {}) {
  const values = new Set([...COMMON_VALUES, ...extraValues]);
  const flags = new Set([...COMMON_FLAGS, ...extraFlags]);
  const out = { role: 'GUEST', lingerMs: 2000, setupTimeoutMs: 30000, ...defaults };
  for (const f of flags) out[camel(f)] = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (flags.has(a)) {
      out[camel(a)] = true;
    } else if (values.has(a)) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      out[camel(a)] = argv[++i];
    } else {
      throw new Error(`unknown option ${a}`);
    }
  }
  for (const required of ['signal', 'conference', 'participant', 'durationMs']) {
    if (out[required] === undefined) throw new Error(`--${kebab(required)} is required`);
  }
  for (const numeric of ['durationMs', 'lingerMs', 'setupTimeoutMs', ...extraValues.map(camel)]) {
    if (typeof out[numeric] === 'string' && /^\d+$/.test(out[numeric])) out[numeric] = Number(out[numeric]);
  }
  if (!['HOST', 'GUEST'].includes(out.role)) throw new Error(`--role must be HOST or GUEST, not ${out.role}`);
  return out;
}

/** Prints the one result line and exits: 0 only when every peer connected and nothing reported an error. */
export function finish(peers, error) {
  const ok = !error && peers.length > 0
    && peers.every((p) => !p.error && !p.failure && p.connectionState === 'connected');
  process.stdout.write(JSON.stringify({ peers, error: error ?? null }) + '\n', () => process.exit(ok ? 0 : 1));
}

export function log(...args) {
  process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${args.join(' ')}\n`);
}

function camel(option) {
  return option.replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function kebab(key) {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
