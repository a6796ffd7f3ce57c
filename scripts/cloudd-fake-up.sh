#!/usr/bin/env bash
# cloudd-fake-up.sh - start a cloudd for comparisons with the OpenStack peer: roles api,scheduler,compute,glance,
# the fake compute driver, SQLite under STATE, every API on a free loopback port, and the peer's accounts (admin/admin
# administers project admin, demo/demo is a member of project demo). Returns once Keystone, Glance, Compute answer
# and the compute host has reported. Used by scripts/diff-harness.sh and scripts/bench-openstack.sh.
#
# Usage: scripts/cloudd-fake-up.sh STATE [extra cloudd flags...]
# Writes STATE/env (OS_* variables for admin, CLOUDD_PID) and STATE/pid; stop it with: kill "$(cat STATE/pid)".
# Builds Cloud.Host (Release) when it is not built yet; CLOUDD_DLL runs another build (e.g. another branch's).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"
log() { echo "[cloudd-fake-up $(date +%T)] $*" >&2; }
[ $# -ge 1 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
STATE="$1"; shift
mkdir -p "$STATE" && STATE="$(cd "$STATE" && pwd)" || exit 1
DLL="${CLOUDD_DLL:-$ROOT/Cloud.Host/bin/Release/net10.0/cloudd.dll}"
[ -f "$DLL" ] || dotnet build Cloud.Host -c Release -nologo -v quiet >/dev/null || { log "cloudd did not build"; exit 1; }
read -r KS GL NV EC VO MD < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
FLAGS=(--state_path="$STATE" --logdir="$STATE/log" --cc_host=127.0.0.1
  --keystone_listen=127.0.0.1 --keystone_port="$KS" --ec2_listen=127.0.0.1 --ec2_listen_port="$EC"
  --glance_listen=127.0.0.1 --glance_port="$GL" --glance_api_servers="127.0.0.1:$GL"
  --osapi_compute_listen=127.0.0.1 --osapi_compute_listen_port="$NV" --osapi_volume_listen=127.0.0.1
  --osapi_volume_listen_port="$VO" --metadata_listen=127.0.0.1 --metadata_port="$MD"
  --image_reader_password=cloudd-fake-reader --compute_driver=fake --host=fakehost --report_interval=1 --periodic_interval=1
  "$@")
manage() { dotnet "$DLL" manage "$@" "${FLAGS[@]}" >/dev/null || { log "cloudd manage $1 $2 failed"; exit 1; }; }
manage db sync
manage user admin admin --password=admin
manage project create admin admin
manage user create demo --password=demo
manage project create demo demo
manage user image-reader image-reader --password=cloudd-fake-reader
setsid dotnet "$DLL" --roles=api,scheduler,compute,glance "${FLAGS[@]}" > "$STATE/cloudd.out" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$STATE/pid"
cat > "$STATE/env" <<EOF
export OS_AUTH_URL=http://127.0.0.1:$KS/v3
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=admin
export OS_PASSWORD=admin
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne
export OS_INTERFACE=public
export CLOUDD_PID=$PID
EOF
up() {
  curl -s -o /dev/null -m 5 "http://127.0.0.1:$KS/v3" && curl -s -o /dev/null -m 5 "http://127.0.0.1:$GL/versions" &&
    curl -s -m 5 -H "X-Auth-Token: $(token)" "http://127.0.0.1:$NV/v2.1/os-availability-zone" | grep -q '"available": *true'
}
token() {
  curl -s -m 30 -D - -o /dev/null -H "Content-Type: application/json" "http://127.0.0.1:$KS/v3/auth/tokens" -d '{"auth":
    {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": "admin"}}},
     "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}' | awk -F': ' 'tolower($1)=="x-subject-token" {print $2}' | tr -d '\r'
}
for _ in $(seq 1 240); do
  if up; then log "cloudd (pid $PID) up: keystone $KS, glance $GL, compute $NV"; exit 0; fi
  kill -0 "$PID" 2>/dev/null || { tail -20 "$STATE/cloudd.out" >&2; log "cloudd exited"; exit 1; }
  sleep 0.5
done
log "cloudd did not come up (see $STATE/cloudd.out)"
kill "$PID"
exit 1
