#!/usr/bin/env bash
# swift-diff-harness.sh - the object store's differential harness end to end: stands up Debian's real Swift 2.30 (the
# peer, ../shared/bench/swift_peer_up.sh), widens its proxy pipeline to the standard middlewares Debian ships (issue 17),
# starts a cloudd object store (roles swift-proxy,swift-storage, one process, free loopback ports) with the same
# tempauth users, runs scripts/swiftdiff/swiftdiff.py against both, and stops both.
# Prints each mismatch, the count per area and "N cases, M mismatches"; exit status 1 only when a case of
# scripts/swiftdiff/must-match.txt mismatches, or when the peer or cloudd cannot be started.
#
# Usage: scripts/swift-diff-harness.sh [swiftdiff.py arguments, e.g. --only '^ver-' --verbose]
#
# Users on both (tempauth): system:root/testpass (.admin .reseller_admin), test:tester/testing (.admin),
# test:tester3/testing3 (no group: a user of account test that is not its admin), test2:tester2/testing2 (.admin).
#
# Env: BENCH_DIR [../shared/bench]              where swift_peer_up.sh / _down.sh are
#      SWIFTPEER_WORKDIR [.cache/swiftpeer]      the peer's state, configs and logs (recreated by each start)
#      SWIFTPEER_KEEP=1                          leave a peer this script started running (and reuse a running one)
#      SWIFTDIFF_OUT [TestResults]               where swiftdiff.json and both sides' logs (swiftdiff-*.log) go
# The peer binds 127.0.0.1:8080, 6000-6002 and memcached 11211: only one peer per machine.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"
log() { echo "[swift-diff-harness $(date +%T)] $*" >&2; }
BENCH_DIR="$("$ROOT/scripts/bench-dir.sh")"
W="${SWIFTPEER_WORKDIR:-$ROOT/.cache/swiftpeer}"
OUT="${SWIFTDIFF_OUT:-$ROOT/TestResults}"
DLL="${CLOUDD_DLL:-$ROOT/Cloud.Host/bin/Release/net10.0/cloudd.dll}"
mkdir -p "$OUT" "$W"
W="$(cd "$W" && pwd)"
START=$SECONDS
USERS="system:root:testpass:.admin:.reseller_admin,test:tester:testing:.admin,test:tester3:testing3,test2:tester2:testing2:.admin"

[ -x "$BENCH_DIR/swift_peer_up.sh" ] || { log "no $BENCH_DIR/swift_peer_up.sh (set BENCH_DIR)"; exit 1; }
peer_alive() { [ -s "$W/run/pids" ] && curl -s -o /dev/null -m 5 http://127.0.0.1:8080/healthcheck; }

CLOUDD_PID=""; STATE=""; STARTED_PEER=0
cleanup() {
  if [ -n "$CLOUDD_PID" ]; then
    kill "$CLOUDD_PID" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$CLOUDD_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ "$STARTED_PEER" = 1 ] && [ "${SWIFTPEER_KEEP:-0}" != 1 ]; then "$BENCH_DIR/swift_peer_down.sh" "$W" >/dev/null 2>&1; fi
  if [ -n "$STATE" ]; then rm -rf "$STATE"; fi
}
trap cleanup EXIT

# The peer's proxy with Swift's standard pipeline (proxy-server.conf-sample's order; domain_remap and formpost before
# auth, staticweb after it; ratelimit and container_sync on their defaults, so no limits and no realms; domain_remap's
# storage domain swiftdiff.example.com) and the harness's users. swift_peer_up.sh takes no pipeline argument, so its generated
# proxy-server.conf is rewritten and the proxy (only) restarted, its pid replaced in run/pids for swift_peer_down.sh.
widen_peer_proxy() {
  local conf="$W/etc/proxy-server.conf"
  python3 - "$conf" <<'EOF' || return 1
import re, sys
path = sys.argv[1]
text = open(path).read()
pipeline = ("catch_errors gatekeeper healthcheck proxy-logging cache listing_formats container_sync bulk tempurl "
            "ratelimit domain_remap formpost tempauth staticweb copy container-quotas account-quotas slo dlo "
            "versioned_writes symlink proxy-logging proxy-server")
text = re.sub(r"(?m)^pipeline = .*$", "pipeline = " + pipeline, text)
text = re.sub(r"(?m)^(user_test_tester = .*)$",
              r"\1\nuser_test_tester3 = testing3\nuser_test2_tester2 = testing2 .admin", text)
filters = {"catch_errors": "catch_errors", "gatekeeper": "gatekeeper", "proxy-logging": "proxy_logging",
           "listing_formats": "listing_formats", "bulk": "bulk", "tempurl": "tempurl", "formpost": "formpost",
           "staticweb": "staticweb", "copy": "copy", "container-quotas": "container_quotas",
           "account-quotas": "account_quotas", "slo": "slo", "dlo": "dlo", "symlink": "symlink",
           "container_sync": "container_sync", "ratelimit": "ratelimit"}
for name, egg in filters.items():
    if f"[filter:{name}]" not in text:
        text += f"\n[filter:{name}]\nuse = egg:swift#{egg}\n"
if "[filter:domain_remap]" not in text:
    text += "\n[filter:domain_remap]\nuse = egg:swift#domain_remap\nstorage_domain = swiftdiff.example.com\n"
if "[filter:versioned_writes]" not in text:
    text += "\n[filter:versioned_writes]\nuse = egg:swift#versioned_writes\nallow_versioned_writes = true\nallow_object_versioning = true\n"
open(path, "w").write(text)
EOF
  local pid
  pid="$(awk '$1 == "proxy-server" {print $2}' "$W/run/pids")"
  [ -n "$pid" ] || return 1
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.25; done
  for _ in $(seq 1 60); do curl -s -o /dev/null -m 1 http://127.0.0.1:8080/healthcheck || break; sleep 0.25; done
  setsid swift-proxy-server "$conf" </dev/null >"$W/log/proxy-server.log" 2>&1 &
  sed -i "s/^proxy-server $pid\$/proxy-server $!/" "$W/run/pids"
  for _ in $(seq 1 120); do
    curl -s -o /dev/null -m 2 -H "X-Auth-User: test:tester3" -H "X-Auth-Key: testing3" -w '%{http_code}' \
      http://127.0.0.1:8080/auth/v1.0 | grep -q 200 && return 0
    sleep 0.5
  done
  return 1
}

# ---------------------------------------------------------------- the peer
if [ "${SWIFTPEER_KEEP:-0}" = 1 ] && peer_alive; then
  log "reusing the running peer in $W"
else
  "$BENCH_DIR/swift_peer_down.sh" "$W" >/dev/null 2>&1  # a peer a killed run left behind (its recorded pids)
  STARTED_PEER=1
  "$BENCH_DIR/swift_peer_up.sh" "$W" > "$W/../swiftpeer-up.out" 2> "$W/../swiftpeer-up.log" ||
    { tail -15 "$W/../swiftpeer-up.log" >&2; log "the peer did not come up"; exit 1; }
  log "peer up in $((SECONDS - START)) s"
fi
grep -q '^pipeline = catch_errors' "$W/etc/proxy-server.conf" || widen_peer_proxy ||
  { tail -15 "$W/log/proxy-server.log" >&2; log "the peer's proxy did not come back with the standard pipeline"; exit 1; }

# ---------------------------------------------------------------- cloudd
[ -f "$DLL" ] || dotnet build Cloud.Host -c Release -nologo -v quiet >/dev/null || { log "cloudd did not build"; exit 1; }
STATE="$(mktemp -d /tmp/cloudd-swiftdiff.XXXXXX)"
read -r PX OB CO AC < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
FLAGS=(--state_path="$STATE" --logdir="$STATE/log" --swift_dir="$STATE/etc" --swift_devices="$STATE/devices"
  --swift_storage_listen=127.0.0.1 --swift_object_port="$OB" --swift_container_port="$CO" --swift_account_port="$AC"
  --swift_proxy_bind="127.0.0.1:$PX" "--swift_tempauth_users=$USERS" --swift_storage_domain=swiftdiff.example.com)
dotnet "$DLL" manage db sync "${FLAGS[@]}" >/dev/null || { log "cloudd manage db sync failed"; exit 1; }
setsid dotnet "$DLL" --roles=swift-proxy,swift-storage "${FLAGS[@]}" > "$STATE/cloudd.out" 2>&1 < /dev/null &
CLOUDD_PID=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null -m 2 -H "X-Auth-User: test:tester3" -H "X-Auth-Key: testing3" -w '%{http_code}' \
    "http://127.0.0.1:$PX/auth/v1.0" | grep -q 200 && break
  kill -0 "$CLOUDD_PID" 2>/dev/null || { tail -20 "$STATE/cloudd.out" >&2; log "cloudd exited"; exit 1; }
  sleep 0.5
done
log "cloudd up on 127.0.0.1:$PX ($((SECONDS - START)) s so far)"

# ---------------------------------------------------------------- the harness
python3 "$ROOT/scripts/swiftdiff/swiftdiff.py" --target peer=http://127.0.0.1:8080 --target "cloudd=http://127.0.0.1:$PX" \
  --out "$OUT/swiftdiff.json" --trx "$OUT/swiftdiff.trx" "$@"
status=$?
# Issue 17: no 5xx and logs free of exceptions, on both sides. The logs are kept in $OUT (cloudd's state is removed).
cat "$STATE/log"/* "$STATE/cloudd.out" > "$OUT/swiftdiff-cloudd.log" 2>/dev/null
cat "$W/log"/*.log > "$OUT/swiftdiff-peer.log" 2>/dev/null
grep -q "   at " "$OUT/swiftdiff-cloudd.log" && log "cloudd logged a stack trace: $OUT/swiftdiff-cloudd.log"
grep -q "Traceback" "$OUT/swiftdiff-peer.log" && log "the peer logged a traceback: $OUT/swiftdiff-peer.log"
log "done in $((SECONDS - START)) s"
exit $status
