#!/usr/bin/env bash
# bench-openstack.sh - ../shared/bench/openstack_peer_bench.py (Keystone token issue/validate, Glance upload/download
# and image GETs, Nova multi-create / single create / servers/detail / delete) against a cloudd started by
# scripts/cloudd-fake-up.sh (fake compute driver, SQLite: the peer runs Nova's fake driver too), and optionally against
# a running peer in the same sitting; prints the figures side by side.
#
# Usage: scripts/bench-openstack.sh OUTDIR [openstack_peer_bench.py arguments, e.g. --servers 100 --image-mib 1024]
# Env: BENCH_DIR [../shared/bench]; OSPEER_WORKDIR: a running peer's workdir to measure as well (its openrc and
#      OSPEER_IMAGE_ID from its up.out or run/image_id). Writes OUTDIR/cloudd.json [and OUTDIR/peer.json].
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"
log() { echo "[bench-openstack $(date +%T)] $*" >&2; }
[ $# -ge 1 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
OUT="$1"; shift
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)" || exit 1
BENCH_DIR="$("$ROOT/scripts/bench-dir.sh")"
BENCH="$BENCH_DIR/openstack_peer_bench.py"
[ -f "$BENCH" ] || { log "no $BENCH (set BENCH_DIR)"; exit 1; }

STATE="$(mktemp -d /tmp/cloudd-bench-openstack.XXXXXX)"
stop() { if [ -f "$STATE/pid" ]; then kill "$(cat "$STATE/pid")" 2>/dev/null; fi; rm -rf "$STATE"; }
trap stop EXIT
# The capacity Nova's fake.FakeDriver reports on the peer (1000 vCPUs, 800 GB RAM), so 100 servers fit on the one
# host; the bench raises the project's quotas itself through os-quota-sets, on both clouds.
scripts/cloudd-fake-up.sh "$STATE" \
  --fake_vcpus=1000 --fake_memory_mb=819200 --fake_local_gb=800000 || exit 1
(
  unset OSPEER_WORKDIR  # its process groups are the peer's: CPU seconds here go to "other"
  # shellcheck disable=SC1091
  . "$STATE/env"
  head -c 1048576 /dev/urandom > "$STATE/image.raw"
  OSPEER_IMAGE_ID="$(openstack image create --disk-format raw --container-format bare --public --file "$STATE/image.raw" \
    bench-image -f value -c id)" || exit 1
  export OSPEER_IMAGE_ID OSPEER_FLAVOR=1
  log "cloudd: $BENCH $*"
  python3 "$BENCH" --scratch "$STATE" --out "$OUT/cloudd.json" "$@" >/dev/null
) || { log "the bench against cloudd failed"; exit 1; }

if [ -n "${OSPEER_WORKDIR:-}" ]; then
  (
    # shellcheck disable=SC1091
    . "$OSPEER_WORKDIR/openrc"
    OSPEER_IMAGE_ID="$(cat "$OSPEER_WORKDIR/run/image_id")"
    export OSPEER_IMAGE_ID OSPEER_FLAVOR=1 OSPEER_WORKDIR
    log "peer: $BENCH $*"
    python3 "$BENCH" --scratch "$STATE" --out "$OUT/peer.json" "$@" >/dev/null
  ) || { log "the bench against the peer failed"; exit 1; }
fi

python3 - "$OUT" <<'PY'
import json, os, sys
runs = {n: json.load(open(os.path.join(sys.argv[1], n + ".json"))) for n in ("peer", "cloudd")
        if os.path.exists(os.path.join(sys.argv[1], n + ".json"))}
rows = [("Keystone token issue req/s", "keystone.token_issue.req_per_s"), ("  p50 ms", "keystone.token_issue.p50_ms"),
        ("Keystone token validate req/s", "keystone.token_validate.req_per_s"), ("  p50 ms", "keystone.token_validate.p50_ms"),
        ("dd write MB/s", "glance.dd_write_MBps"), ("Glance upload MB/s", "glance.upload_MBps"),
        ("Glance download MB/s", "glance.download_MBps"), ("Glance GET image req/s", "glance.image_show.req_per_s"),
        ("  p50 ms", "glance.image_show.p50_ms"), ("Nova multi-create POST s", "nova.multi_create.post_s"),
        ("Nova multi-create all ACTIVE s", "nova.multi_create.all_active_s"), ("Nova single create mean s", "nova.single_create.mean_s"),
        ("servers/detail seq p50 ms", "nova.servers_detail_seq.p50_ms"), ("servers/detail c16 req/s", "nova.servers_detail_c16.req_per_s"),
        ("delete all s", "nova.delete_all.all_gone_s")]
def get(doc, path):
    for p in path.split("."):
        doc = doc.get(p) if isinstance(doc, dict) else None
    return doc
names = list(runs)
print("%-34s" % "measure" + "".join("%14s" % n for n in names))
for label, path in rows:
    print("%-34s" % label + "".join("%14s" % get(runs[n], path) for n in names))
PY
