#!/usr/bin/env bash
# diff-harness.sh - the differential harness end to end: stands up Debian's real Keystone/Glance/Nova (the peer,
# ../shared/bench/openstack_peer_up.sh), starts a cloudd with the same accounts (scripts/cloudd-fake-up.sh: fake
# compute driver, SQLite, free loopback ports), runs scripts/diffharness/diffharness.py against both, and stops both.
# Prints each mismatch and "N cases, M mismatches"; exit status 1 only when a case of
# scripts/diffharness/must-match.txt mismatches, or when the peer or cloudd cannot be started.
#
# Usage: scripts/diff-harness.sh [diffharness.py arguments, e.g. --only nova --verbose]
#
# Env: BENCH_DIR [../shared/bench]           where openstack_peer_up.sh / _down.sh are
#      OSPEER_WORKDIR [.cache/ospeer]        the peer's state, configs and logs (recreated by each start)
#      OSPEER_APT_CACHE [/var/cache/cloudd-ospeer-apt]  the peer's .deb files, kept across runs: Debian's docker
#                                            images delete apt's own cache after every install, and
#                                            scripts/fresh-machine.sh purges the packages, so a reinstall needs
#                                            the package lists only
#      OSPEER_KEEP=1                          leave a peer this script started running (and reuse a running one)
#      DIFFHARNESS_OUT [TestResults]          where diffharness.json and diffharness.trx go
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"
log() { echo "[diff-harness $(date +%T)] $*" >&2; }
BENCH_DIR="$("$ROOT/scripts/bench-dir.sh")"
W="${OSPEER_WORKDIR:-$ROOT/.cache/ospeer}"
OUT="${DIFFHARNESS_OUT:-$ROOT/TestResults}"
mkdir -p "$OUT" "$W"
START=$SECONDS

[ -x "$BENCH_DIR/openstack_peer_up.sh" ] || { log "no $BENCH_DIR/openstack_peer_up.sh (set BENCH_DIR)"; exit 1; }
peer_alive() { [ -f "$W/run/pids" ] && curl -s -o /dev/null -m 5 http://127.0.0.1:8774/ && curl -s -o /dev/null -m 5 http://127.0.0.1:5000/v3; }

CLOUDD_PID=""; STATE=""; STARTED_PEER=0
cleanup() {
  if [ -n "$CLOUDD_PID" ]; then
    kill "$CLOUDD_PID" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$CLOUDD_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ "$STARTED_PEER" = 1 ] && [ "${OSPEER_KEEP:-0}" != 1 ]; then "$BENCH_DIR/openstack_peer_down.sh" "$W" >/dev/null 2>&1; fi
  if [ -n "$STATE" ]; then rm -rf "$STATE"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- the peer
if [ "${OSPEER_KEEP:-0}" = 1 ] && peer_alive; then
  log "reusing the running peer in $W"
else
  if [ "$(id -u)" = 0 ]; then
    # apt keeps the peer's downloads in a cache of our own (APT_CONFIG is read before apt.conf.d, which does not set
    # Dir::Cache::archives), so a purge by fresh-machine.sh costs a local reinstall, not a download.
    CACHE="${OSPEER_APT_CACHE:-/var/cache/cloudd-ospeer-apt}"
    mkdir -p "$CACHE/partial"
    printf 'Dir::Cache::archives "%s/";\n' "$CACHE" > "$W/apt.conf"
    export APT_CONFIG="$W/apt.conf"
  fi
  "$BENCH_DIR/openstack_peer_down.sh" "$W" >/dev/null 2>&1  # a peer a killed run left behind (its recorded pids)
  STARTED_PEER=1
  "$BENCH_DIR/openstack_peer_up.sh" "$W" > "$W/up.out" 2> "$W/up.log" || { tail -15 "$W/up.log" >&2; log "the peer did not come up"; exit 1; }
  unset APT_CONFIG
  log "peer up in $((SECONDS - START)) s"
fi
# shellcheck disable=SC1091
. "$W/openrc"
# The harness's second account: demo, member of project demo (cloudd's below is made the same way by its manage commands).
{ openstack project create --or-show demo && openstack user create --or-show --password demo demo &&
  openstack role add --project demo --user demo member; } >/dev/null || { log "the peer's demo account could not be made"; exit 1; }

# ---------------------------------------------------------------- cloudd
STATE="$(mktemp -d /tmp/cloudd-diffharness.XXXXXX)"
scripts/cloudd-fake-up.sh "$STATE" || exit 1
CLOUDD_PID="$(cat "$STATE/pid")"
KEYSTONE="$(sed -n 's|^export OS_AUTH_URL=\(.*\)/v3$|\1|p' "$STATE/env")"
log "cloudd up ($((SECONDS - START)) s so far)"

# ---------------------------------------------------------------- the harness
python3 "$ROOT/scripts/diffharness/diffharness.py" --target peer=http://127.0.0.1:5000 --target "cloudd=$KEYSTONE" \
  --out "$OUT/diffharness.json" --trx "$OUT/diffharness.trx" "$@"
status=$?
log "done in $((SECONDS - START)) s"
exit $status
