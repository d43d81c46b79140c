#!/usr/bin/env bash
# The full E2EE enforcement campaign of issue 12 (the suite runs short versions of both parts):
#   replay   GuardReplayTest over a million plaintext frames: real encoder output (tests/py/media_corpus.py, scale
#            REPLAY_SCALE, about 18,000 frames per unit) plus REPLAY_RANDOM uniformly random frames, and the same real
#            media encrypted; report in tests/target/e2ee-replay-report.txt.
#   e2e      PlaintextSenderTest: an aiortc sender of noisy camera video that does not encrypt, in an encrypted
#            conference with two encrypting Chromium pages, E2E_RUNS runs of E2E_SECONDS seconds each.
# Usage: scripts/e2ee-campaign.sh [replay|e2e|all]   (from the repository root; never installs into ~/.m2)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
what=${1:-all}
REPLAY_SCALE=${REPLAY_SCALE:-28}
REPLAY_RANDOM=${REPLAY_RANDOM:-550000}
E2E_RUNS=${E2E_RUNS:-20}
E2E_SECONDS=${E2E_SECONDS:-60}

if [[ $what == replay || $what == all ]]; then
    mvn -B -o -pl tests -am verify -Dtest=GuardReplayTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.skip=true -Dconclave.replay.scale="$REPLAY_SCALE" -Dconclave.replay.randomFrames="$REPLAY_RANDOM"
    cat tests/target/e2ee-replay-report.txt
fi
if [[ $what == e2e || $what == all ]]; then
    mvn -B -o -pl tests -am verify -Dtest=PlaintextSenderTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.skip=true -Dconclave.e2e.runs="$E2E_RUNS" -Dconclave.e2e.seconds="$E2E_SECONDS"
    cat tests/target/e2ee-plaintext-sender-report.txt
fi
