#!/usr/bin/env bash
# Two network namespaces joined by a veth pair, for the benchmark: the generator runs in cbench-gen (10.77.0.1),
# the servers under test in cbench-srv (10.77.0.2). Janus ignores loopback interfaces for ICE, so it needs a real
# interface; running every target across the same veth keeps the comparison fair. Nothing leaves these namespaces.
# Usage: bench/netns.sh up|down|status      (needs root: ip netns)
set -euo pipefail

GEN_NS=cbench-gen
SRV_NS=cbench-srv
GEN_IF=cbgen0
SRV_IF=cbsrv0
GEN_ADDR=10.77.0.1
SRV_ADDR=10.77.0.2
PREFIX=30

up() {
    down >/dev/null 2>&1 || true
    ip netns add "$GEN_NS"
    ip netns add "$SRV_NS"
    ip link add "$GEN_IF" netns "$GEN_NS" type veth peer name "$SRV_IF" netns "$SRV_NS"
    ip -n "$GEN_NS" addr add "$GEN_ADDR/$PREFIX" dev "$GEN_IF"
    ip -n "$SRV_NS" addr add "$SRV_ADDR/$PREFIX" dev "$SRV_IF"
    for ns in "$GEN_NS" "$SRV_NS"; do
        ip -n "$ns" link set lo up
        # IPv4 only: no link-local IPv6 candidates, no duplicate-address detection delay
        ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6'
    done
    ip -n "$GEN_NS" link set "$GEN_IF" up
    ip -n "$SRV_NS" link set "$SRV_IF" up
    echo "netns up: $GEN_NS ($GEN_ADDR) <-> $SRV_NS ($SRV_ADDR)"
}

down() {
    ip netns del "$GEN_NS" 2>/dev/null || true
    ip netns del "$SRV_NS" 2>/dev/null || true
}

status() {
    ip netns list | grep -E "^($GEN_NS|$SRV_NS)\b" || echo "no benchmark namespaces"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
