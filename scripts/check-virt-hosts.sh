#!/usr/bin/env bash
# check-virt-hosts.sh - two isolated hypervisor hosts (scripts/virt-host.sh up --netns) side by side, as
# the multi-host tests use them: each answers org.libvirt ListDomains on its own bus and virsh on its
# own socket, a domain defined on one is invisible on the other and on the machine's own libvirtd, and
# `down` leaves no daemon or namespace behind. Exit status 0 only when every check passed.
# Usage: scripts/check-virt-hosts.sh [NETNS_PREFIX]   (default cloudd-image: hosts PREFIX-2 and PREFIX-3)
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX="${1:-cloudd-image}"
A="$PREFIX-2" B="$PREFIX-3"
WORK="$(mktemp -d /tmp/cloudd-virt-hosts.XXXXXX)"
DOMAIN="$PREFIX-isolation"

log() { echo "[check-virt-hosts $(date +%T)] $*" >&2; }
FAILED=0
check() { # WHAT CMD...: CMD must succeed
  local what="$1"; shift
  if "$@"; then log "ok: $what"; else log "FAILED: $what"; FAILED=1; fi
}
cleanup() {
  scripts/virt-host.sh down --netns "$A" --dir "$WORK/a" 2>/dev/null || true
  scripts/virt-host.sh down --netns "$B" --dir "$WORK/b" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

scripts/virt-host.sh up --netns "$A" --dir "$WORK/a"
scripts/virt-host.sh up --netns "$B" --dir "$WORK/b"
bus() { DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/$1/system_bus_socket" busctl --system "${@:2}"; }
domains_on_bus() { bus "$1" call org.libvirt /org/libvirt/QEMU org.libvirt.Connect ListDomains u 0; }
virsh_on() { virsh -q -c "qemu:///system?socket=$WORK/$1/run-libvirt/libvirt-sock" "${@:2}"; }

check "$A: org.libvirt ListDomains answers on its bus (empty)" test "$(domains_on_bus a)" = "ao 0"
check "$B: org.libvirt ListDomains answers on its bus (empty)" test "$(domains_on_bus b)" = "ao 0"
cat > "$WORK/domain.xml" <<XML
<domain type='qemu'>
  <name>$DOMAIN</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
</domain>
XML
# Defined through host A's bus, as the libvirt driver does.
bus a call org.libvirt /org/libvirt/QEMU org.libvirt.Connect DomainDefineXML s "$(cat "$WORK/domain.xml")" >/dev/null
check "$A: ListDomains shows the domain" test "$(domains_on_bus a | awk '{print $2}')" = 1
check "$A: virsh lists $DOMAIN" test "$(virsh_on a list --all --name)" = "$DOMAIN"
check "$B: ListDomains does not show it" test "$(domains_on_bus b)" = "ao 0"
check "$B: virsh does not list it" test -z "$(virsh_on b list --all --name)"
check "the machine's libvirtd does not list it" sh -c "! virsh -q -c qemu:///system list --all --name 2>/dev/null | grep -qx '$DOMAIN'"

# A process run on host A (virt-host.sh exec) sees A's libvirt state and bus, as a compute role there would.
check "$A: exec sees the host's /etc/libvirt/qemu/$DOMAIN.xml" \
  scripts/virt-host.sh exec --netns "$A" --dir "$WORK/a" -- test -f "/etc/libvirt/qemu/$DOMAIN.xml"
check "$A: exec reaches org.libvirt on the host's bus" sh -c \
  "scripts/virt-host.sh exec --netns '$A' --dir '$WORK/a' -- busctl --system call org.libvirt /org/libvirt/QEMU org.libvirt.Connect ListDomains u 0 | grep -q '^ao 1 '"
check "$B: exec does not see it" \
  scripts/virt-host.sh exec --netns "$B" --dir "$WORK/b" -- test ! -e "/etc/libvirt/qemu/$DOMAIN.xml"

pids="$(cat "$WORK"/a/*.pid "$WORK"/b/*.pid)"
scripts/virt-host.sh down --netns "$A" --dir "$WORK/a"
scripts/virt-host.sh down --netns "$B" --dir "$WORK/b"
check "down: both namespaces are gone" sh -c "! ip netns list | grep -qE '^($A|$B)( |\$)'"
alive=""
for p in $pids; do [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null || echo Z)" = Z ] || alive="$alive $p"; done
check "down: no daemon of either host is left" test -z "$alive"
[ $FAILED = 0 ] && log PASSED || log FAILED
exit $FAILED
