#!/usr/bin/env bash
# The kernel-path benchmark of issue 14: what one packet thread's sends cost through java.nio one datagram at a time
# (today's PacketThread), Netty's native epoll transport (sendmmsg), UDP GSO and one connected socket per receiver,
# for the SFU's send patterns. See docs/benchmarks.md "The kernel path". A few minutes; writes
# bench/target/kernel-path/{loopback,device-drop}.md.
#
# Usage: bench/kernel-path.sh [--no-build] [--loopback-only] [KernelPathMain options...]
#   --no-build         use what is built (bench/target/classes and bench/target/bench-classpath.txt)
#   --loopback-only    skip the second pass (it needs root: a network namespace whose veth's peer is down, so
#                      every datagram is dropped at the device's queue: the send path as far as a network card,
#                      without a receiver)
# Any other option goes to org.conclave.bench.kernel.KernelPathMain (--patterns fanout:10:1,burst:10:8
# --seconds 1.5 --rounds 5 --bytes 1100 --variants nio-heap,netty-mmsg,...).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD=1
EGRESS=1
PASS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --loopback-only) EGRESS=0 ;;
        *) PASS+=("$1") ;;
    esac
    shift
done
if [[ $EGRESS == 1 && $EUID -ne 0 ]]; then
    echo "not root: loopback pass only (the egress-drop namespace needs root)" >&2
    EGRESS=0
fi

[[ $BUILD == 1 ]] && mvn -q -B -o package -Dmaven.test.skip=true -pl bench -am
OUT=bench/target/kernel-path
mkdir -p "$OUT"
JAVA=(java -Dlogback.configurationFile="$PWD/bench/logback-bench.xml"
      -cp "bench/target/classes:$(cat bench/target/bench-classpath.txt)" org.conclave.bench.kernel.KernelPathMain)

echo "== loopback: $(uptime)"
timeout 1800 "${JAVA[@]}" --out "$OUT/loopback.md" "${PASS[@]}"

if [[ $EGRESS == 1 ]]; then
    NS=cbench-kp
    cleanup() { ip netns del "$NS" 2>/dev/null || true; }
    trap cleanup EXIT
    cleanup
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    ip -n "$NS" link add kpa0 type veth peer name kpb0
    ip -n "$NS" addr add 10.78.0.1/24 dev kpa0
    ip -n "$NS" link set kpa0 up
    # kpb0 stays down: kpa0 has no carrier, so its queue (noop) drops what it is handed (TX dropped). A fixed
    # neighbour: no ARP.
    ip -n "$NS" neigh add 10.78.0.2 lladdr 02:00:00:00:00:02 dev kpa0 nud permanent
    echo "== device drop: $(uptime)"
    timeout 1800 ip netns exec "$NS" "${JAVA[@]}" --sink-address 10.78.0.2 --out "$OUT/device-drop.md" "${PASS[@]}"
    ip -n "$NS" -s link show kpa0 | sed -n '/TX:/,+1p'
fi
