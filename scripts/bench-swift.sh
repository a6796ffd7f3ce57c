#!/usr/bin/env bash
# bench-swift.sh - the object store side by side with Debian's OpenStack Swift, in one sitting, same layout:
# 4 devices in 4 zones, 3 replicas, part power 10, tempauth + memcached, everything on 127.0.0.1.
#
# Usage:
#   scripts/bench-swift.sh [WORKDIR] [swift_load.py options...]
#
# Runs, one after the other: a dd of 256 MiB to WORKDIR's disk; cloudd (one swift-storage process with the four
# devices, one swift-proxy process, Release build, the consistency daemons off as the peer runs none) under
# swift_load.py; then the Debian peer (swift_peer_up.sh) under the same load; prints both JSON results and the
# summary table. The load generator and the peer scripts come from $BENCH_DIR (default ../shared/bench).
# Before each measured run both servers get the same unmeasured warm-up: BENCH_WARMUP small objects (default 3000; 0
# for none) put, read, headed and deleted. The figures are a running server's: cloudd's processes otherwise spend the
# first phases in the JIT (perf: 40-60 % of their samples on the tiered-compilation thread during PUT and GET).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
W="${1:-$(mktemp -d /tmp/cloudd-bench-swift.XXXXXX)}"; shift || true
BENCH_DIR="$("$ROOT/scripts/bench-dir.sh")"
PEER="${BENCH_PEER:-1}"
WARMUP="${BENCH_WARMUP:-3000}"
mkdir -p "$W"; W="$(cd "$W" && pwd)"
log() { echo "[bench-swift] $*" >&2; }
[ -f "$BENCH_DIR/swift_load.py" ] || { log "no $BENCH_DIR/swift_load.py (set BENCH_DIR)"; exit 2; }

log "dd of 256 MiB to $W (conv=fsync)"
dd if=/dev/zero of="$W/dd.bin" bs=1M count=256 conv=fsync 2>&1 | tail -1 | tee "$W/dd.txt" >&2
rm -f "$W/dd.bin"

dotnet build Cloud.Host -c Release -nologo -v quiet >/dev/null
CLOUDD=(dotnet "$ROOT/Cloud.Host/bin/Release/net10.0/cloudd.dll")
C="$W/cloudd"; rm -rf "$C"; mkdir -p "$C/etc" "$C/storage/devices" "$C/proxy"
for d in 1 2 3 4; do mkdir -p "$C/storage/devices/d$d"; done
declare -A PORT=([object]=16000 [container]=16001 [account]=16002)
for kind in account container object; do
  "${CLOUDD[@]}" ring "$C/etc/$kind.builder" create 10 3 1 >/dev/null
  for d in 1 2 3 4; do "${CLOUDD[@]}" ring "$C/etc/$kind.builder" add "z$d-127.0.0.1:${PORT[$kind]}/d$d" 100 >/dev/null; done
  # rebalance writes $kind.ring.gz beside the builder.
  "${CLOUDD[@]}" ring "$C/etc/$kind.builder" rebalance >/dev/null
done
STORAGE=(--state_path="$C/storage" --swift_dir="$C/etc" --swift_devices="$C/storage/devices" --swift_storage_listen=127.0.0.1
  --swift_object_port=16000 --swift_container_port=16001 --swift_account_port=16002
  --swift_object_replicator_interval=0 --swift_container_replicator_interval=0 --swift_account_replicator_interval=0
  --swift_object_auditor_interval=0 --swift_object_updater_interval=0 --swift_container_updater_interval=0
  --swift_account_reaper_interval=0 --logdir="$C/storage")
PROXY=(--state_path="$C/proxy" --swift_dir="$C/etc" --swift_proxy_bind=127.0.0.1:18080 --logdir="$C/proxy"
  "--swift_tempauth_users=system:root:testpass:.admin:.reseller_admin")
if command -v memcached >/dev/null; then
  memcached -l 127.0.0.1 -p 18211 -U 0 -u root -d -P "$C/memcached.pid"
  PROXY+=(--memcache_servers=127.0.0.1:18211)
  # A proxy that finds memcached not yet listening goes without it for a while (every token lookup then fails: 401s).
  for _ in $(seq 40); do (exec 3<>/dev/tcp/127.0.0.1/18211) 2>/dev/null && break; sleep 0.25; done
fi
"${CLOUDD[@]}" manage db sync "${STORAGE[@]}" >/dev/null
"${CLOUDD[@]}" manage db sync "${PROXY[@]}" >/dev/null
"${CLOUDD[@]}" --roles=swift-storage "${STORAGE[@]}" >/dev/null 2>&1 & SPID=$!
"${CLOUDD[@]}" --roles=swift-proxy "${PROXY[@]}" >/dev/null 2>&1 & PPID_=$!
stop_cloudd() {
  kill "$SPID" "$PPID_" 2>/dev/null || true; wait "$SPID" "$PPID_" 2>/dev/null || true
  [ -f "$C/memcached.pid" ] && kill "$(cat "$C/memcached.pid")" 2>/dev/null || true
}
trap stop_cloudd EXIT
for _ in $(seq 60); do curl -sf http://127.0.0.1:18080/healthcheck >/dev/null && break; sleep 0.5; done
warm_up() {
  [ "$WARMUP" -gt 0 ] || return 0
  log "$1: warm-up ($WARMUP objects, not measured)"
  python3 "$BENCH_DIR/swift_load.py" "$2" system:root testpass --phases put,get,head,delete --objects "$WARMUP" \
    --label warm-up > /dev/null
}
warm_up cloudd http://127.0.0.1:18080/auth/v1.0
log "cloudd: load"
python3 "$BENCH_DIR/swift_load.py" http://127.0.0.1:18080/auth/v1.0 system:root testpass \
  --server-pids "$SPID,$PPID_" "$@" > "$W/cloudd.json"
stop_cloudd; trap - EXIT

RUNS=("$W/cloudd.json")
if [ "$PEER" = 1 ]; then
  log "peer: Debian OpenStack Swift"
  "$BENCH_DIR/swift_peer_up.sh" "$W/peer" >/dev/null
  trap '"$BENCH_DIR/swift_peer_down.sh" "$W/peer" >/dev/null 2>&1 || true' EXIT
  warm_up peer http://127.0.0.1:8080/auth/v1.0
  python3 "$BENCH_DIR/swift_load.py" http://127.0.0.1:8080/auth/v1.0 system:root testpass \
    --server-pids "@$W/peer/run/pids" "$@" > "$W/peer.json"
  "$BENCH_DIR/swift_peer_down.sh" "$W/peer" >/dev/null 2>&1 || true; trap - EXIT
  RUNS+=("$W/peer.json")
fi
for r in "${RUNS[@]}"; do echo "== $(basename "$r")"; python3 "$BENCH_DIR/swift_load_summary.py" "$r"; done
cat "$W/dd.txt"
