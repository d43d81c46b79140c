#!/usr/bin/env bash
# Installs what the end-to-end tests (module `tests`) drive: headless Chromium, Firefox ESR, aiortc for Debian's
# python3, coturn (the TURN relay of TurnRelayTest and WebFirefoxTest), Node.js, and the npm packages of tests/js
# (playwright-core, puppeteer-core for Firefox, @roamhq/wrtc, matrix-js-sdk with its Rust crypto, esbuild) from the
# committed lock file; then builds the matrix-js-sdk test page
# (tests/js/matrix/dist) and Conclave Web (web/dist, from web/package-lock.json) with esbuild.
# The build is part of the setup (not of Maven) so that a clean checkout + ./test.sh has it; the Java harness
# (MatrixPages) rebuilds it only when a source is newer than the bundle.
# For a fresh Debian 12 machine, run as root. Idempotent: a second run only checks and reports.
set -euo pipefail

# Debian packages the peers need. @roamhq/wrtc's wrtc.node links only libc, libm and libgcc_s (checked with ldd),
# which every Debian system has; the ldd check below fails loudly should a future binary need more.
APT_PACKAGES=(chromium chromium-driver firefox-esr python3-aiortc coturn espeak-ng ca-certificates)
NODE_MIN_MAJOR=18          # playwright-core 1.61 and esbuild need >= 18 (Debian 12 ships 18.19); matrix-js-sdk
                           # (>= 38 wants node 22) runs only in Chromium here, never in Node: bundling it is enough
APT_LOCK_WAIT_SECONDS=600
SYSTEM_PYTHON=/usr/bin/python3

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JS_DIR="$REPO_ROOT/tests/js"
WEB_DIR="$REPO_ROOT/web"

log() { echo "[install-test-deps] $*"; }
die() { echo "[install-test-deps] ERROR: $*" >&2; exit 1; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else command -v sudo >/dev/null || die "not root and no sudo: cannot run $*"; sudo "$@"; fi
}

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

# Polls with fuser when present (psmisc); apt's own DPkg::Lock::Timeout below covers machines without it.
wait_for_apt_lock() {
    local deadline=$((SECONDS + APT_LOCK_WAIT_SECONDS))
    local locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)
    while command -v fuser >/dev/null && as_root fuser "${locks[@]}" >/dev/null 2>&1; do
        (( SECONDS < deadline )) || die "apt/dpkg still locked after ${APT_LOCK_WAIT_SECONDS}s"
        log "apt/dpkg is locked by another process; waiting..."
        sleep 5
    done
}

install_apt_packages() {
    local missing=()
    for p in "$@"; do
        if is_installed "$p"; then
            log "found    $p $(dpkg-query -W -f='${Version}' "$p")"
        else
            missing+=("$p")
        fi
    done
    (( ${#missing[@]} == 0 )) && return 0
    log "installing: ${missing[*]}"
    wait_for_apt_lock
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT_SECONDS" update \
        || die "apt-get update failed"
    wait_for_apt_lock
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT_SECONDS" install -y --no-install-recommends "${missing[@]}" \
        || die "apt-get install failed for: ${missing[*]}"
    for p in "${missing[@]}"; do
        is_installed "$p" || die "$p is still not installed after apt-get install"
        log "installed $p $(dpkg-query -W -f='${Version}' "$p")"
    done
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# --- Debian packages -------------------------------------------------------------------------------------------
command -v dpkg-query >/dev/null || die "this script needs a Debian-based system (dpkg-query not found)"
install_apt_packages "${APT_PACKAGES[@]}"

# Node.js: keep whatever node is on PATH if recent enough (CI images or nodesource); else Debian's.
if command -v node >/dev/null && command -v npm >/dev/null; then
    log "found    node $(node --version) at $(command -v node), npm $(npm --version 2>/dev/null)"
else
    install_apt_packages nodejs npm
fi
(( $(node_major) >= NODE_MIN_MAJOR )) || die "node $(node --version) is older than v$NODE_MIN_MAJOR"

# --- checks of what the tests execute --------------------------------------------------------------------------
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium missing although the chromium package is installed"
log "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo '?')"
# Firefox pages (WebFirefoxTest) are driven over WebDriver BiDi by puppeteer-core (tests/js/matrix/firefox.mjs).
[[ -x /usr/bin/firefox-esr ]] || die "/usr/bin/firefox-esr missing although the firefox-esr package is installed"
log "firefox: $(/usr/bin/firefox-esr --version 2>/dev/null || echo '?')"
# coturn's package may try to start a system service; the tests run their own turnserver on a free port.
[[ -x /usr/bin/turnserver ]] || die "/usr/bin/turnserver missing although the coturn package is installed"
# The aiortc peer runs under Debian's python (a pyenv python3 first on PATH would not see python3-aiortc).
[[ -x $SYSTEM_PYTHON ]] || die "$SYSTEM_PYTHON missing"
aiortc_version=$("$SYSTEM_PYTHON" -c 'import aiortc; print(aiortc.__version__)' 2>&1) \
    || die "aiortc does not import under $SYSTEM_PYTHON: $aiortc_version"
log "aiortc $aiortc_version under $SYSTEM_PYTHON"
# The E2EE replay's corpus (tests/py/media_corpus.py) encodes with PyAV's libx264/libopus and speaks with espeak-ng.
"$SYSTEM_PYTHON" -c 'import av; [av.codec.Codec(c, "w") for c in ("libx264", "libopus", "libvpx")]' \
    || die "PyAV under $SYSTEM_PYTHON lacks libx264, libopus or libvpx"
command -v espeak-ng >/dev/null || die "espeak-ng missing although the package is installed"

# --- npm packages ----------------------------------------------------------------------------------------------
[[ -f $JS_DIR/package.json ]] || die "$JS_DIR/package.json missing"
cd "$JS_DIR"
if [[ -f package-lock.json ]]; then
    if [[ -d node_modules ]] && npm ls >/dev/null 2>&1; then
        log "npm packages already match package-lock.json in $JS_DIR"
    else
        log "npm ci in $JS_DIR"
        npm ci --no-audit --no-fund || die "npm ci failed in $JS_DIR"
    fi
else
    log "no package-lock.json: npm install in $JS_DIR"
    npm install --no-audit --no-fund || die "npm install failed in $JS_DIR"
fi
log "npm: $(node -p 'const p=require("./package.json"); Object.keys({...p.dependencies, ...p.devDependencies}).map(n=>n+"@"+require("./node_modules/"+n+"/package.json").version).join(", ")')"

wrtc_node=$(find "$JS_DIR/node_modules/@roamhq" -name 'wrtc.node' -print -quit 2>/dev/null || true)
[[ -n $wrtc_node ]] || die "@roamhq/wrtc native binary (wrtc.node) not found under $JS_DIR/node_modules/@roamhq"
if ldd "$wrtc_node" | grep -q 'not found'; then
    die "$wrtc_node lacks native libraries: $(ldd "$wrtc_node" | grep 'not found' | tr -s ' \t' ' ')"
fi
node -e 'require("@roamhq/wrtc"); require("playwright-core"); require("puppeteer-core")' \
    || die "@roamhq/wrtc, playwright-core or puppeteer-core fails to load"
log "node modules load"

# --- the matrix-js-sdk test page -------------------------------------------------------------------------------
node matrix/build.mjs || die "building the matrix-js-sdk test page (tests/js/matrix/build.mjs) failed"
[[ -s matrix/dist/page.js && -s matrix/dist/pkg/matrix_sdk_crypto_wasm_bg.wasm ]] \
    || die "tests/js/matrix/dist lacks page.js or the crypto wasm after the build"
log "matrix-js-sdk test page built in $JS_DIR/matrix/dist"

# --- Conclave Web (web/): its own lock file; the tests run the built app (web/dist) ------------------------------
cd "$WEB_DIR"
if [[ -d node_modules ]] && npm ls >/dev/null 2>&1; then
    log "npm packages already match package-lock.json in $WEB_DIR"
else
    log "npm ci in $WEB_DIR"
    npm ci --no-audit --no-fund || die "npm ci failed in $WEB_DIR"
fi
node build.mjs || die "building Conclave Web (web/build.mjs) failed"
ls dist/index.html dist/assets/*/app.js dist/assets/*/sframe-worker.js dist/assets/*/pkg/matrix_sdk_crypto_wasm_bg.wasm \
    >/dev/null 2>&1 || die "web/dist lacks index.html, app.js, sframe-worker.js or the crypto wasm after the build"
log "Conclave Web built in $WEB_DIR/dist; all test dependencies present"
