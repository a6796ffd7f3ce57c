#!/usr/bin/env bash
# bench-boot.sh - real boots through cloudd, from the API call to the guest's READY marker, next to a bare
# `virsh start` of the same domain on the same machine.
#
# Usage:
#   scripts/bench-boot.sh [WORKDIR]
#
# Stands up an isolated hypervisor host in network namespace cloudd-bench-boot (scripts/virt-host.sh), runs one
# cloudd with every role inside it (Release build, SQLite, in-process bus, libvirt TCG, FlatDHCP on br100
# 10.0.0.0/24), uploads the project's test image as aki/ari/ami, then times:
#   1. one server (cold: the compute host fetches kernel, ramdisk and disk from glance into its _base cache);
#   2. one server again (warm cache);
#   3. four servers in one request;
#   4. a bare `virsh start` of the domain libvirt holds for a server cloudd booted (destroyed first), same XML;
#   5. the same for 4 such domains started at once (the yardstick for 3: four TCG guests share the host's cores).
# Stages per server (seconds from the API call): api (request answered), active (domain defined and started:
# scheduler, network, image fetch/cache and define), booted, dhcp, metadata, ready (guest markers on the serial
# log). Prints the JSON of each run and a summary table. Everything is torn down at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
W="${1:-$(mktemp -d /tmp/cloudd-bench-boot.XXXXXX)}"
mkdir -p "$W"; W="$(cd "$W" && pwd)"
NS=cloudd-bench-boot
log() { echo "[bench-boot $(date +%T)] $*" >&2; }

log "test image"
bash scripts/make-test-image.sh "$ROOT/.cache/test-image" >&2
IMG="$ROOT/.cache/test-image"
log "Release build"
dotnet build Cloud.Host -c Release -nologo -v quiet >/dev/null
CLOUDD=(dotnet "$ROOT/Cloud.Host/bin/Release/net10.0/cloudd.dll")

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
HOST="$W/host"; mkdir -p "$HOST"
teardown() {
  [ -n "${CPID:-}" ] && kill "$CPID" 2>/dev/null && wait "$CPID" 2>/dev/null || true
  bash "$ROOT/scripts/virt-host.sh" down --netns "$NS" --dir "$HOST" >/dev/null 2>&1 || true
  ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
}
trap teardown EXIT
bash scripts/virt-host.sh up --netns "$NS" --dir "$HOST" >&2
# shellcheck disable=SC1091
. "$HOST/env"
export DBUS_SYSTEM_BUS_ADDRESS

S="$W/state"; rm -rf "$S"; mkdir -p "$S"
FLAGS=(--state_path="$S" --logdir="$S/log" --compute_driver=libvirt --libvirt_type=qemu
  --network_manager=FlatDHCPManager --flat_network_bridge=br100 --metadata_host=10.0.0.1
  --keystone_listen=127.0.0.1 --ec2_listen=127.0.0.1 --osapi_compute_listen=127.0.0.1 --glance_listen=127.0.0.1
  --glance_api_servers=127.0.0.1:9292 --report_interval=1 --periodic_interval=1 --host=bench-host
  --image_reader_password=bench-reader-secret)
"${CLOUDD[@]}" manage db sync "${FLAGS[@]}" >/dev/null
# The service user the compute role reads images from glance as (README, "The image reader").
"${CLOUDD[@]}" manage user image-reader image-reader --password=bench-reader-secret "${FLAGS[@]}" >/dev/null
"${CLOUDD[@]}" manage user admin bench --password=bench-secret "${FLAGS[@]}" >/dev/null
"${CLOUDD[@]}" manage project create bench bench "${FLAGS[@]}" >/dev/null
"${CLOUDD[@]}" manage network create private 10.0.0.0/24 1 256 "${FLAGS[@]}" >/dev/null
ip netns exec "$NS" "${CLOUDD[@]}" --roles=api,scheduler,network,compute,glance "${FLAGS[@]}" >"$W/cloudd.out" 2>&1 & CPID=$!
in_ns() { ip netns exec "$NS" env OS_AUTH_URL=http://127.0.0.1:5000/v3 OS_USERNAME=bench OS_PASSWORD=bench-secret \
  OS_PROJECT_NAME=bench OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_IDENTITY_API_VERSION=3 "$@"; }
for _ in $(seq 120); do in_ns curl -sf http://127.0.0.1:5000/v3 >/dev/null 2>&1 && break; sleep 0.5; done
for _ in $(seq 120); do in_ns curl -sf http://127.0.0.1:9292/versions >/dev/null 2>&1 && break; sleep 0.5; done

log "uploading the test image"
K=$(in_ns openstack image create --public --disk-format aki --container-format aki --file "$IMG/vmlinuz" -f value -c id tinyvm-kernel)
R=$(in_ns openstack image create --public --disk-format ari --container-format ari --file "$IMG/initrd.img" -f value -c id tinyvm-ramdisk)
M=$(in_ns openstack image create --public --disk-format qcow2 --container-format bare --property kernel_id="$K" \
  --property ramdisk_id="$R" --file "$IMG/rootfs.qcow2" -f value -c id tinyvm)

run() { in_ns python3 "$ROOT/scripts/bench-boot.py" http://127.0.0.1:5000 http://127.0.0.1:8774 bench bench-secret bench "$M" "$S/instances" "$@"; }
log "1 server, cold image cache"; run 1 "1 server, cold cache" > "$W/cold.json"
sleep 5
log "1 server, warm image cache"; run 1 "1 server, warm cache" > "$W/warm.json"
sleep 5
log "4 servers in one request"; run 4 "4 servers" > "$W/four.json"
sleep 5

# bare N: N servers cloudd booted (READY), their domains destroyed, then all N started at once with virsh, same XML:
# what libvirt and QEMU alone take, the yardstick for cloudd's runs with the same number of guests.
bare() {
  local n=$1 out=$2 doms=() ids=()
  log "bare virsh start of $n domain(s) cloudd defined"
  in_ns openstack server create --image "$M" --flavor m1.tiny --min "$n" --max "$n" --wait keep >/dev/null
  mapfile -t doms < <(virsh -c "$LIBVIRT_DEFAULT_URI" list --name | grep instance-)
  for d in "${doms[@]}"; do
    for _ in $(seq 600); do grep -q "TINYVM: READY" "$S/instances/$d/console.log" 2>/dev/null && break; sleep 0.1; done
    virsh -c "$LIBVIRT_DEFAULT_URI" destroy "$d" >/dev/null
  done
  sleep 2
  python3 - "$LIBVIRT_DEFAULT_URI" "$n" "${doms[@]}" > "$out" <<'PY'
import json, subprocess, sys, threading, time
uri, n, doms = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
root = __import__("os").environ["BENCH_INSTANCES"]
t0 = time.monotonic()
started = {}
def start(d):
    subprocess.run(["virsh", "-c", uri, "start", d], check=True, stdout=subprocess.DEVNULL)
    started[d] = time.monotonic() - t0
threads = [threading.Thread(target=start, args=(d,)) for d in doms]
for t in threads: t.start()
for t in threads: t.join()
marks = {d: {} for d in doms}
while time.monotonic() - t0 < 300 and any("ready" not in m for m in marks.values()):
    for d in doms:
        try:
            text = open(f"{root}/{d}/console.log", errors="replace").read()
        except OSError:
            text = ""
        for key, marker in [("booted", "TINYVM: BOOTED"), ("dhcp", "TINYVM: dhcp bound"), ("metadata", "TINYVM: meta instance-id="), ("ready", "TINYVM: READY")]:
            if key not in marks[d] and marker in text:
                marks[d][key] = time.monotonic() - t0
    time.sleep(0.1)
slowest = {"api": None, "active": max(started.values())}
for key in ["booted", "dhcp", "metadata", "ready"]:
    values = [m.get(key) for m in marks.values()]
    slowest[key] = None if None in values else max(values)
label = "bare virsh start" if n == 1 else f"bare virsh start of {n} at once"
print(json.dumps({"label": label, "count": n, "slowest": slowest}, indent=1))
PY
  mapfile -t ids < <(in_ns openstack server list -f value -c ID)
  in_ns openstack server delete --wait "${ids[@]}" >/dev/null || true
}
export BENCH_INSTANCES="$S/instances"
bare 1 "$W/virsh.json"
bare 4 "$W/virsh4.json"

for f in cold warm four virsh virsh4; do cat "$W/$f.json"; done
python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
runs = [json.load(open(f"{w}/{n}.json")) for n in ["cold", "warm", "four", "virsh", "virsh4"]]
keys = ["api", "active", "booted", "dhcp", "metadata", "ready"]
print("\n| run | " + " | ".join(keys) + " |")
print("|---|" + "---|" * len(keys))
for r in runs:
    cells = ["-" if r["slowest"].get(k) is None else f"{r['slowest'][k]:.2f}" for k in keys]
    print(f"| {r['label']} | " + " | ".join(cells) + " |")
for r, bare in [(runs[0], runs[3]), (runs[1], runs[3]), (runs[2], runs[4]), (runs[2], runs[3])]:
    ready, yardstick = r["slowest"].get("ready"), bare["slowest"].get("ready")
    if ready and yardstick:
        print(f"{r['label']}: API call to READY {ready:.2f} s = {ready / yardstick:.2f} x {bare['label']} to READY ({yardstick:.2f} s)")
PY
