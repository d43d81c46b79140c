#!/usr/bin/env bash
# Soak with churn (docs/reliability.md, "Soak"): Conclave in its own JVM carries the benchmark's "rooms" load through
# Matrix calls while participants keep joining, leaving (hang-ups and abrupt silences), muting, switching layers and
# opening and closing data channels; afterwards heap after GC, threads, file descriptors, endpoints and conferences
# must be back at their baseline and no counter of internal errors may have moved; every visitor must have been
# decrypted by every stayer of its room, and have decrypted them, within 10 s of its media starting. Writes the figures
# into docs/reliability.md (between the soak markers) and every sample to tests/target/soak/samples.csv.
#
#   scripts/soak.sh [--minutes N] [--rooms R] [--churners C] [--knee PPS]
#
# Defaults: 60 minutes, 14 rooms of 4 (38,640 packets/s out: ~70 % of the rooms knee with 2 packet threads in
# docs/benchmarks.md's quiet run, 55,200; another machine gives its own with --knee PPS), 12
# churners. The test suite runs the same test for 3 minutes with 2 rooms and 6 churners (SoakTest). Do not nice it: a
# soak measures the server as it runs; do report the machine's load (the report includes the load average).
set -euo pipefail
minutes=60
rooms=14
knee=55200
churners=12
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        --rooms) rooms="$2"; shift 2 ;;
        --churners) churners="$2"; shift 2 ;;
        --knee) knee="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
echo "soak: ${minutes} min, ${rooms} rooms of 4, ${churners} churners; progress in" \
    "tests/target/surefire-reports/org.conclave.tests.reliability.SoakTest-output.txt"
mvn -B -o -pl tests -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsoak.minutes="$minutes" -Dsoak.rooms="$rooms" -Dsoak.churners="$churners" -Dsoak.knee_pps="$knee" \
    -Dsoak.report="$root/docs/reliability.md"
echo "figures written into docs/reliability.md; samples in tests/target/soak/samples.csv"
