#!/usr/bin/env bash
# The benchmark of issue 7 in one command: our SFU, Janus videoroom and the machine's limit (a minimal forwarder),
# every scenario, same generator, same machine, same run. Installs Janus if missing, builds, sets up two network
# namespaces (generator | servers, joined by a veth pair: Janus ignores loopback), runs, and writes the tables into
# docs/benchmarks.md. See docs/benchmarks.md for how to read them.
#
# Usage: bench/run.sh [--quick] [--profile] [--no-build] [--loopback] [--sfu-commit REV] [--base-commit REV]
#                     [BenchMain options...]
#   --quick            two small steps per scenario, short windows (a few minutes in all)
#   --profile          profile our SFU and the limit under load (async-profiler CPU + JFR allocations) instead of
#                      ranking; writes bench/target/bench/profile/profile.md
#   --no-build         use what is built (bench/target/classes and bench/target/bench-classpath.txt)
#   --loopback         no namespaces (no root needed): ours and the limit only, on 127.0.0.1
#   --sfu-commit REV   measure the sfu module as committed at REV (git archive, built under bench/target/bench),
#                      whatever the working tree holds
#   --base-commit REV  also measure target ours-base: ours with the sfu module as committed at REV (built the same
#                      way) in its SFU JVM, side by side with ours in the same run (run after ours unless --targets)
#   BENCH_BUILD=bench  builds only the bench module against the jars in ~/.m2 (default: bench and the modules it
#                      needs, from this working tree; nothing is installed into ~/.m2)
#   BENCH_SFU_JAR=path measures this sfu jar instead of the built one
# Any other option goes to org.conclave.bench.BenchMain (e.g. --scenarios meeting --targets ours,janus).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

COMMAND="bench/run.sh $*"
QUICK=0
PROFILE=0
BUILD=1
NETNS=1
SFU_COMMIT=""
BASE_COMMIT=""
PASS=()
while [[ $# -gt 0 ]]; do
    a="$1"
    shift
    case "$a" in
        --quick) QUICK=1; PASS+=("$a") ;;
        --profile) PROFILE=1 ;;
        --no-build) BUILD=0 ;;
        --loopback) NETNS=0 ;;
        --sfu-commit) SFU_COMMIT="$1"; shift ;;
        --base-commit) BASE_COMMIT="$1"; shift ;;
        *) PASS+=("$a") ;;
    esac
done

RUN_TIMEOUT=$(( QUICK == 1 ? 900 : 5400 ))   # every load is bounded: the whole run too
WORK=bench/target/bench
LOGBACK="-Dlogback.configurationFile=$PWD/bench/logback-bench.xml"
mkdir -p "$WORK"

if [[ $NETNS == 1 && $EUID -ne 0 ]]; then
    echo "not root: running on loopback without Janus (network namespaces need root)" >&2
    NETNS=0
fi

if [[ $NETNS == 1 ]] && ! command -v janus >/dev/null; then
    echo "installing janus (Debian package)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y janus >/dev/null
fi

if [[ $BUILD == 1 ]]; then
    if [[ "${BENCH_BUILD:-}" == bench || "${BENCH_BUILD:-}" == tests ]]; then
        mvn -q -B -o package -Dmaven.test.skip=true -pl bench
    else
        mvn -q -B -o package -Dmaven.test.skip=true -pl bench -am
    fi
fi
CP="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
if [[ $BUILD == 1 && "${BENCH_BUILD:-}" != tests && "${BENCH_BUILD:-}" != bench ]]; then
    SFU_VERSION="built from the working tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- sfu 2>/dev/null || echo ' with uncommitted changes')"
else
    SFU_VERSION="jar installed in ~/.m2 ($(date -r "$HOME/.m2/repository/org/conclave/sfu/0.1.0-SNAPSHOT/sfu-0.1.0-SNAPSHOT.jar" '+%F %T' 2>/dev/null || echo '?'))"
fi
# The sfu module as committed at $1 (git archive), built once under $WORK/sfu-<rev>; prints its jar.
sfu_jar_at() {
    local rev src
    rev=$(git rev-parse --short "$1") || return 1
    src="$PWD/$WORK/sfu-$rev"
    if [[ ! -f "$src/sfu/target/sfu-0.1.0-SNAPSHOT.jar" ]]; then
        # explicit returns: errexit does not reach into a command substitution
        rm -rf "$src" && mkdir -p "$src" || return 1
        git archive "$rev" pom.xml sfu | tar -x -C "$src" || return 1
        mvn -q -B -o -f "$src/sfu/pom.xml" package -DskipTests >&2 || return 1
    fi
    echo "$src/sfu/target/sfu-0.1.0-SNAPSHOT.jar"
}
if [[ -n "$SFU_COMMIT" ]]; then
    BENCH_SFU_JAR=$(sfu_jar_at "$SFU_COMMIT")
    SFU_VERSION="sfu module as committed at $(git rev-parse --short "$SFU_COMMIT")"
fi
if [[ -n "${BENCH_SFU_JAR:-}" ]]; then
    CP=$(echo "$CP" | tr ':' '\n' | sed "s#.*/sfu-0\.1\.0-SNAPSHOT\.jar\$#$BENCH_SFU_JAR#" | paste -sd:)
    [[ -n "$SFU_COMMIT" ]] || SFU_VERSION="jar $BENCH_SFU_JAR"
fi

ARGS=(--work-dir "$WORK" --sfu-jvm-options "-Xmx1g $LOGBACK")
if [[ $NETNS == 1 ]]; then
    bench/netns.sh up
    cleanup() {
        # stop whatever still runs in the server namespace (only the benchmark's servers live there)
        for pid in $(ip netns pids cbench-srv 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
        bench/netns.sh down
    }
    trap cleanup EXIT
    PREFIX=(ip netns exec cbench-gen)
    ARGS+=(--local-address 10.77.0.1 --server-address 10.77.0.2 --netns cbench-srv)
else
    PREFIX=()
    ARGS+=(--targets "ours${BASE_COMMIT:+,ours-base},ours2,limit")
fi
if [[ -n "$BASE_COMMIT" ]]; then
    BASE_JAR=$(sfu_jar_at "$BASE_COMMIT")
    ARGS+=(--base-sfu-jar "$BASE_JAR" --base-label "$(git rev-parse --short "$BASE_COMMIT")")
fi

if [[ $PROFILE == 1 ]]; then
    # async-profiler from Maven Central (tools.profiler:async-profiler); JFR alone if it cannot be had
    AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar"
    [[ -f "$AP_JAR" ]] || mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:3.0 >/dev/null 2>&1 || true
    AP_LIB=""
    if [[ -f "$AP_JAR" ]]; then
        mkdir -p "$WORK/async-profiler"
        unzip -o -q "$AP_JAR" linux-x64/libasyncProfiler.so -d "$WORK/async-profiler"
        AP_LIB="$PWD/$WORK/async-profiler/linux-x64/libasyncProfiler.so"
    fi
    rm -rf "$WORK/profile"
    ARGS+=(--profile "$WORK/profile" --async-profiler "$AP_LIB" --targets ours,limit --scenarios rooms --max-steps 4
           --results "$WORK/profile/results.json")
else
    ARGS+=(--report docs/benchmarks.md)
fi

echo "load before: $(uptime)"
timeout "$RUN_TIMEOUT" "${PREFIX[@]}" java $LOGBACK -cp "$CP" org.conclave.bench.BenchMain "${ARGS[@]}" \
    --command "$COMMAND" --sfu-version "$SFU_VERSION" "${PASS[@]}"
echo "load after: $(uptime)"
