#!/usr/bin/env bash
# check-test-image.sh - boots the project's test image (scripts/make-test-image.sh) the way a compute host
# will, and checks what the cloud relies on: an isolated hypervisor host in its own network namespace
# (scripts/virt-host.sh up --netns), a bridge with dnsmasq handing out a fixed IP by MAC, a metadata
# service behind the 169.254.169.254 DNAT rule, a TCG domain with direct kernel boot and the serial
# console in a file. Then it checks the guest's markers (DHCP address and hostname, instance-id, the
# injected public key, sshd, READY), ping, HTTP, `ssh -i` with the key, a hot-plugged disk and an ACPI
# shutdown; with --config-drive a second boot runs from a qcow2 overlay of rootfs.qcow2, reads the same
# data from a config-2 ISO, fetches a URL (tinyvm.fetch) and powers itself off.
# Everything it starts is torn down at the end. Exit status 0 only when every check passed; prints the
# time from `virsh start` to READY.
#
# Usage: scripts/check-test-image.sh [--config-drive] [--netns NAME] [--keep]
#   --netns NAME  [cloudd-image-1]  the network namespace (and domain name prefix) to use
#   --keep        leave everything running (prints how to reach it; then `virt-host.sh down` it)
# Env: CLOUD_TEST_IMAGE_DIR [.cache/test-image]  the image (built there when missing or stale)
#      CHECK_TIMEOUT [180]  seconds to wait for READY (TCG on a loaded 2-core box can be slow)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

NETNS=cloudd-image-1 CONFIG_DRIVE=0 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --config-drive) CONFIG_DRIVE=1; shift;;
    --netns) NETNS="$2"; shift 2;;
    --keep) KEEP=1; shift;;
    *) echo "usage: $0 [--config-drive] [--netns NAME] [--keep]" >&2; exit 2;;
  esac
done
IMAGE="${CLOUD_TEST_IMAGE_DIR:-$ROOT/.cache/test-image}"
TIMEOUT="${CHECK_TIMEOUT:-180}"
BRIDGE=br-tinyvm GW=10.0.77.1 GUEST_IP=10.0.77.10 MAC=52:54:00:77:00:0a GUEST_NAME=tinyvm-check
INSTANCE_ID=i-0000c0de MD_PORT=8775

log() { echo "[check-test-image $(date +%T)] $*" >&2; }
FAILED=0
pass() { log "ok: $*"; }
fail() { log "FAILED: $*"; FAILED=1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
since() { local ms=$(($(now_ms) - $1)); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }  # T0_MS -> seconds

WORK="$(mktemp -d /tmp/cloudd-image-check.XXXXXX)"
chmod 755 "$WORK"  # qemu (libvirt-qemu) reads the kernel and writes the console log here
HOST="$WORK/host"
PIDS=()
cleanup() {
  if [ $KEEP = 1 ]; then
    log "kept: . $HOST/env; ip netns exec $NETNS ssh -i $WORK/key root@$GUEST_IP;" \
        "then kill ${PIDS[*]} and: scripts/virt-host.sh down --netns $NETNS --dir $HOST"
    return
  fi
  scripts/virt-host.sh down --netns "$NETNS" --dir "$HOST" 2>/dev/null || true
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$NETNS" 2>/dev/null || true
  if [ $FAILED = 1 ]; then
    mkdir -p "$WORK.logs" && cp "$WORK"/*.log "$WORK.logs/" 2>/dev/null || true
    log "consoles and logs kept in $WORK.logs"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

scripts/make-test-image.sh "$IMAGE"
mkdir -p "$WORK/images"
# Copies: libvirt relabels what a domain uses, and the cache may be shared with running tests.
cp "$IMAGE/vmlinuz" "$IMAGE/initrd.img" "$IMAGE/rootfs.qcow2" "$WORK/images/"
scripts/virt-host.sh up --netns "$NETNS" --dir "$HOST"
# shellcheck disable=SC1091
. "$HOST/env"
in_ns() { ip netns exec "$NETNS" "$@"; }

# ---------------------------------------------------------------- the host's network: bridge, DHCP, metadata
in_ns ip link add "$BRIDGE" type bridge
in_ns ip addr add "$GW/24" dev "$BRIDGE"
in_ns ip link set "$BRIDGE" up
echo "$MAC,$GUEST_IP,$GUEST_NAME" > "$WORK/dhcp-hosts"
in_ns dnsmasq --strict-order --bind-interfaces --interface="$BRIDGE" --except-interface=lo \
  --listen-address="$GW" --dhcp-range="set:$BRIDGE,${GW%.*}.0,static,255.255.255.0,120s" \
  --dhcp-hostsfile="$WORK/dhcp-hosts" --dhcp-leasefile="$WORK/dhcp-leases" \
  --dhcp-option=option:router,"$GW" --pid-file="$WORK/dnsmasq.pid" \
  --log-facility="$WORK/dnsmasq.log" --log-dhcp --no-resolv --no-hosts --port=0
PIDS+=("$(cat "$WORK/dnsmasq.pid")")

ssh-keygen -q -t ed25519 -N '' -C cloudd-image-check -f "$WORK/key"
PUBKEY="$(cat "$WORK/key.pub")"
MD="$WORK/md/latest/meta-data"
mkdir -p "$MD/public-keys/0"
echo "$INSTANCE_ID" > "$MD/instance-id"
echo "$GUEST_NAME.novalocal" > "$MD/hostname"
echo "$PUBKEY" > "$MD/public-keys/0/openssh-key"
# Not through in_ns: $! must be httpd itself (ip netns exec execs it), not a subshell.
ip netns exec "$NETNS" busybox httpd -f -p "$GW:$MD_PORT" -h "$WORK/md" </dev/null >>"$WORK/httpd.log" 2>&1 &
PIDS+=("$!")
in_ns iptables -t nat -A PREROUTING -i "$BRIDGE" -d 169.254.169.254/32 -p tcp --dport 80 \
  -j DNAT --to-destination "$GW:$MD_PORT"

# ---------------------------------------------------------------- domains
# domain_xml NAME CMDLINE [EXTRA_DEVICE_XML]
domain_xml() {
  cat <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$WORK/images/vmlinuz</kernel>
    <initrd>$WORK/images/initrd.img</initrd>
    <cmdline>$2</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <interface type='bridge'>
      <mac address='$MAC'/>
      <source bridge='$BRIDGE'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='$WORK/$1.console.log' append='off'/>
      <target port='0'/>
    </serial>
    ${3:-}
    <memballoon model='none'/>
  </devices>
</domain>
XML
}

# boot NAME CMDLINE [EXTRA]: define and start; sets READY_SECONDS (start -> READY) or fails
boot() {
  local name="$1" console="$WORK/$1.console.log"
  domain_xml "$@" > "$WORK/$name.xml"
  virsh -q define "$WORK/$name.xml" >/dev/null
  local t0; t0=$(now_ms)
  virsh -q start "$name" >/dev/null
  local deadline=$((SECONDS + TIMEOUT))
  until grep -q 'TINYVM: READY' "$console" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || { [ "$(virsh domstate "$name" 2>/dev/null)" != running ] &&
         ! grep -q 'TINYVM: READY' "$console"; }; then  # a guest may power off right after READY
      fail "$name: no READY within ${TIMEOUT}s (state: $(virsh domstate "$name" 2>&1))"
      tail -30 "$console" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  READY_SECONDS=$(since "$t0")
  log "$name: start -> READY in ${READY_SECONDS}s; guest uptime at $(stage_times "$console")"
}

# stage_times CONSOLE -> "BOOTED 5.1 dhcp 7.9 ..." (the guest's uptime at each marker that carries one)
stage_times() {
  tr -d '\r' < "$1" | awk '/^TINYVM: (BOOTED|modules loaded|dhcp bound|meta source|sshd up|READY)/ {
    for (i = 1; i <= NF; i++) if ($i ~ /^uptime=/) printf "%s %s ", ($2 == "meta" ? "metadata" : $2), substr($i, 8) }'
}

# expect NAME TEXT: the console of NAME has a line containing TEXT
expect() {
  if grep -aqF "TINYVM: $2" "$WORK/$1.console.log"; then pass "$1: TINYVM: $2"; else fail "$1: no 'TINYVM: $2' on the console"; fi
}

wait_state() { # NAME STATE SECONDS
  local deadline=$((SECONDS + $3))
  until [ "$(virsh domstate "$1" 2>/dev/null)" = "$2" ]; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

DOM="$NETNS-metadata"
if boot "$DOM" "console=ttyS0 panic=-1"; then
  expect "$DOM" "BOOTED"
  expect "$DOM" "dhcp bound ip=$GUEST_IP hostname=$GUEST_NAME"
  expect "$DOM" "meta source=metadata"
  expect "$DOM" "meta instance-id=$INSTANCE_ID"
  expect "$DOM" "meta hostname=$GUEST_NAME.novalocal"
  expect "$DOM" "meta public-keys=$PUBKEY"
  expect "$DOM" "sshd up port=22"
  expect "$DOM" "nic eth0 mac=$MAC"
  expect "$DOM" "READY ip=$GUEST_IP"
  if in_ns busybox ping -c 1 -W 5 "$GUEST_IP" >/dev/null; then pass "ping $GUEST_IP"; else fail "ping $GUEST_IP"; fi
  page="$(in_ns timeout 10 busybox wget -q -O - "http://$GUEST_IP/" 2>&1 || true)"
  if [ "$page" = "tinyvm $GUEST_NAME ip=$GUEST_IP" ]; then pass "http://$GUEST_IP/ -> $page"; else fail "http://$GUEST_IP/ -> '$page'"; fi
  t0=$(now_ms)
  out="$(in_ns timeout 60 ssh -i "$WORK/key" -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=30 "root@$GUEST_IP" \
    'hostname; cat /proc/uptime' 2>&1 || true)"
  if [ "$(echo "$out" | head -n1)" = "$GUEST_NAME" ]; then
    pass "ssh -i key root@$GUEST_IP: $(echo "$out" | tr '\n' ' ')($(since "$t0")s)"
  else
    fail "ssh -i key root@$GUEST_IP: $out"
  fi
  # Hot-plug: a disk identified by its serial (guest names follow probe order, not <target dev>).
  qemu-img create -q -f raw "$WORK/hot.raw" 16M
  chmod 644 "$WORK/hot.raw"
  echo "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$WORK/hot.raw'/><target dev='vdb' bus='virtio'/><serial>check-hot</serial></disk>" > "$WORK/hot.xml"
  virsh -q attach-device "$DOM" "$WORK/hot.xml" --live >/dev/null
  deadline=$((SECONDS + 30))
  until grep -aq 'serial=check-hot' "$WORK/$DOM.console.log" || [ $SECONDS -ge $deadline ]; do sleep 0.2; done
  expect "$DOM" "disk vda size_sectors=32768 serial=check-hot"
  virsh -q shutdown "$DOM" >/dev/null
  if wait_state "$DOM" "shut off" 60; then pass "$DOM: ACPI shutdown -> shut off"; else fail "$DOM: still $(virsh domstate "$DOM") after virsh shutdown"; fi
  expect "$DOM" "poweroff reason=acpi"
  METADATA_READY=$READY_SECONDS
fi

if [ $CONFIG_DRIVE = 1 ]; then
  # The same data from a config drive; no metadata service needed, and the guest powers itself off.
  CD="$WORK/config-drive"
  mkdir -p "$CD/openstack/latest" "$CD/ec2/latest"
  printf '{"uuid": "0c0de000-0000-4000-8000-00000000c0de", "hostname": "%s-cd", "name": "%s-cd", "public_keys": {"check": "%s\\n"}}' \
    "$GUEST_NAME" "$GUEST_NAME" "$PUBKEY" > "$CD/openstack/latest/meta_data.json"
  printf '{"instance-id": "i-0000cd00", "hostname": "%s-cd"}' "$GUEST_NAME" > "$CD/ec2/latest/meta-data.json"
  genisoimage -quiet -o "$WORK/config.iso" -V config-2 -r -J -l "$CD"
  DOM2="$NETNS-configdrive"
  CDROM="<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='$WORK/config.iso'/><target dev='hdd' bus='ide'/><readonly/></disk>"
  # ... booted from a qcow2 overlay of rootfs.qcow2 (the ami), as the driver will.
  qemu-img create -q -f qcow2 -F qcow2 -b "$WORK/images/rootfs.qcow2" "$WORK/root.qcow2" 256M
  chmod 644 "$WORK/root.qcow2"
  ROOTDISK="<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$WORK/root.qcow2'/><target dev='vda' bus='virtio'/><serial>check-root</serial></disk>"
  if boot "$DOM2" "console=ttyS0 panic=-1 tinyvm.poweroff=1 tinyvm.root=/dev/vda tinyvm.fetch=http://$GW:$MD_PORT/latest/meta-data/instance-id" "$CDROM$ROOTDISK"; then
    expect "$DOM2" "switch_root to /dev/vda"
    expect "$DOM2" "running from disk /dev/vda"
    expect "$DOM2" "configdrive dev=/dev/sr0"
    expect "$DOM2" "meta source=config-drive"
    expect "$DOM2" "meta instance-id=i-0000cd00"
    expect "$DOM2" "meta hostname=$GUEST_NAME-cd"
    expect "$DOM2" "meta public-keys=$PUBKEY"
    if wait_state "$DOM2" "shut off" 60; then pass "$DOM2: tinyvm.poweroff=1 -> shut off"; else fail "$DOM2: did not power off"; fi
    # Both come after READY.
    expect "$DOM2" "fetch url=http://$GW:$MD_PORT/latest/meta-data/instance-id result=$INSTANCE_ID"
    expect "$DOM2" "poweroff reason=cmdline"
  fi
fi

if [ $FAILED = 0 ]; then
  log "PASSED: start -> READY ${METADATA_READY}s (TCG, 1 vCPU, 256 MiB, DHCP + metadata included)"
else
  log "FAILED"
fi
exit $FAILED
