#!/usr/bin/env bash
# Runs every test: installs what the end-to-end tests need (Chromium, aiortc, Node packages), then `mvn -B verify`
# over all modules. Extra arguments go to Maven (e.g. ./test.sh -pl sfu). Exits with Maven's exit code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/install-test-deps.sh
exec mvn -B verify "$@"
