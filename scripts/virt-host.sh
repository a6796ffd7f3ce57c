#!/usr/bin/env bash
# virt-host.sh - what a compute host needs on a machine without systemd (CI, the README's run command,
# a developer's box): Debian's libvirt, QEMU (with qemu-block-extra, its iSCSI initiator for volumes),
# libvirt-dbus, D-Bus and network tools, tgt and libiscsi-bin (the volume role's iSCSI target and its
# client tools; run-allinone.sh starts tgtd), the system dbus-daemon, virtlogd and libvirtd, and the
# /dev/kvm group fix. Idempotent.
#
# Usage:
#   scripts/virt-host.sh up|down|status
#       The machine's own host, in the root network namespace. `up` installs missing packages and starts
#       each daemon that is not already running (daemons started by others are shared and left alone);
#       `down` stops only the daemons this script started (recorded in $STATE/started).
#   scripts/virt-host.sh up|down|status --netns NAME --dir DIR
#       An ISOLATED hypervisor host: its own dbus-daemon, virtlogd and libvirtd inside network namespace
#       NAME and a private mount namespace in which /run/libvirt, /var/lib/libvirt, /etc/libvirt/qemu,
#       /var/cache/libvirt and /var/log/libvirt are per-host directories under DIR, so two such hosts never
#       see each other's domains. libvirt-dbus is D-Bus-activated by that host's bus, inside that mount
#       namespace, so it talks to that host's libvirtd. From the root namespace:
#         DBUS_SYSTEM_BUS_ADDRESS=unix:path=DIR/system_bus_socket   (libvirt-dbus, Tmds.DBus, busctl)
#         virsh -c 'qemu:///system?socket=DIR/run-libvirt/libvirt-sock'
#       both written to DIR/env. `down` destroys and undefines the host's domains, stops its daemons by pid
#       and deletes the namespace if `up` created it.
#   scripts/virt-host.sh exec --netns NAME --dir DIR -- CMD...
#       Runs CMD on that host: in its network and mount namespaces (so /var/lib/libvirt etc. are the host's)
#       with DBUS_SYSTEM_BUS_ADDRESS naming its bus, e.g. a `cloudd --roles=compute` of that host.
#
# KVM is not assumed: on machines where /dev/kvm is advertised but unusable (see
# ../shared/research/virt-probe.md) compute hosts run with --libvirt_type=qemu (TCG). The group fix is
# done anyway: without it libvirt re-probes QEMU on every domain start (about 3.5 s).
# Env: CLOUD_VIRT_STATE [/run/cloudd-virt-host]  what `up` started in the root namespace
#      SKIP_INSTALL [0]  1: never run apt-get
set -euo pipefail

PACKAGES="libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils qemu-block-extra libvirt-dbus dbus
  dnsmasq-base dnsmasq-utils iptables busybox-static cpio genisoimage dropbear-bin openssh-client e2fsprogs
  tgt libiscsi-bin"
STATE="${CLOUD_VIRT_STATE:-/run/cloudd-virt-host}"
# The per-host directories of an isolated host: DIR/<name> is bind-mounted on <path>.
HOST_MOUNTS="run-libvirt:/run/libvirt lib-libvirt:/var/lib/libvirt etc-libvirt-qemu:/etc/libvirt/qemu
  cache-libvirt:/var/cache/libvirt log-libvirt:/var/log/libvirt"

log() { echo "[virt-host $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- helpers
# alive PIDFILE COMM: the pid in PIDFILE runs and is COMM (a recycled pid is not ours)
alive() {
  local p
  p="$(pid_in "$1")"
  running_pid "$p" "$2"
}
pid_in() { { tr -dc 0-9 < "$1"; } 2>/dev/null || true; }

# running_pid PID COMM: PID is a live COMM (a killed daemon lingers as a zombie until init reaps it)
running_pid() {
  [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] &&
    [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# stop_pid PID COMM: TERM, then KILL after 15 s; only when PID still is COMM
stop_pid() {
  local p="$1" comm="$2"
  running_pid "$p" "$comm" || return 0
  log "stopping $comm (pid $p)"
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 150); do
    running_pid "$p" "$comm" || return 0
    sleep 0.1
  done
  kill -KILL "$p" 2>/dev/null || true
}

# wait_for SECONDS WHAT CHECK...: poll CHECK until it succeeds
wait_for() {
  local secs="$1" what="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what not ready after ${secs}s"
    sleep 0.1
  done
}

install_packages() {
  [ "${SKIP_INSTALL:-0}" = 1 ] && return
  local missing
  missing="$("$(dirname "${BASH_SOURCE[0]}")/missing-packages.sh" $PACKAGES)"
  if [ -n "$missing" ]; then apt_install "$missing"; fi
  # The volume role's target (tgtd, tgtadm) and the client the tests log in with (iscsi-ls).
  local tool
  for tool in tgtd tgtadm iscsi-ls; do
    command -v "$tool" >/dev/null || die "$tool is missing although tgt and libiscsi-bin are installed"
  done
}

apt_install() {
  local missing="$1"
  log "installing:$missing"
  # Debian's packages would start their daemons (under systemd); here this script starts them.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' > $policy; chmod +x $policy; created=1; fi
  local status=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o DPkg::Lock::Timeout=600 $missing; } >/tmp/cloudd-virt-host-apt.log 2>&1 || status=$?
  if [ $created = 1 ]; then rm -f $policy; fi
  [ $status = 0 ] || { tail -20 /tmp/cloudd-virt-host-apt.log >&2; die "apt-get failed"; }
}

# No udev here: /dev/kvm stays root 0600, and libvirt (probing as the qemu user) then re-probes QEMU's
# capabilities on every domain start.
fix_kvm() {
  [ -e /dev/kvm ] || return 0
  if getent group kvm >/dev/null; then chgrp kvm /dev/kvm && chmod 0660 /dev/kvm; fi
}

# ---------------------------------------------------------------- the root namespace's host
recorded() { # NAME -> the pid this script recorded for NAME
  if [ -f "$STATE/started" ]; then awk -v n="$1" '$1==n{p=$2} END{if(p)print p}' "$STATE/started"; fi
}
record() { echo "$1 $2" >> "$STATE/started"; }

# start_shared NAME PIDFILE CMD...: start unless PIDFILE names a live NAME
start_shared() {
  local name="$1" pidfile="$2"; shift 2
  if alive "$pidfile" "$name"; then
    log "$name already running (pid $(pid_in "$pidfile"))"
    return
  fi
  "$@" >/dev/null 9>&-  # the daemon must not inherit the lock
  wait_for 10 "$name pid file" alive "$pidfile" "$name"
  record "$name" "$(pid_in "$pidfile")"
  log "started $name (pid $(pid_in "$pidfile"))"
}

root_up() {
  install_packages
  mkdir -p "$STATE" /run/dbus
  if ! alive /run/dbus/pid dbus-daemon; then
    # A dbus-daemon killed earlier leaves both behind, and a new one refuses to start over the pid file.
    rm -f /run/dbus/pid /run/dbus/system_bus_socket
  fi
  start_shared dbus-daemon /run/dbus/pid dbus-daemon --system --fork
  fix_kvm
  start_shared virtlogd /run/virtlogd.pid virtlogd -d
  start_shared libvirtd /run/libvirtd.pid libvirtd -d
  wait_for 60 "libvirtd (virsh -c qemu:///system list)" virsh -c qemu:///system list
  log "ready: virsh -c qemu:///system, D-Bus unix:path=/run/dbus/system_bus_socket"
}

root_down() {
  local name
  for name in libvirtd virtlogd dbus-daemon; do stop_pid "$(recorded "$name")" "$name"; done
  if ! alive /run/dbus/pid dbus-daemon && [ -n "$(recorded dbus-daemon)" ]; then
    rm -f /run/dbus/pid /run/dbus/system_bus_socket
  fi
  rm -f "$STATE/started"
}

root_status() {
  local name pidfile
  for name in dbus-daemon:/run/dbus/pid virtlogd:/run/virtlogd.pid libvirtd:/run/libvirtd.pid; do
    pidfile="${name#*:}"; name="${name%%:*}"
    if alive "$pidfile" "$name"; then
      local by=shared
      [ "$(recorded "$name")" = "$(pid_in "$pidfile")" ] && by="started by virt-host.sh"
      echo "$name running pid=$(pid_in "$pidfile") ($by)"
    else
      echo "$name not running"
    fi
  done
  ls -l /dev/kvm 2>/dev/null || echo "no /dev/kvm"
  if virsh -c qemu:///system list >/dev/null 2>&1; then echo "virsh -c qemu:///system: ok"; else echo "virsh -c qemu:///system: FAILED"; return 1; fi
}

# ---------------------------------------------------------------- an isolated host in a netns
host_vars() {
  [ -n "$NETNS" ] && [ -n "$DIR" ] || die "--netns NAME and --dir DIR go together"
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  BUS="unix:path=$DIR/system_bus_socket"
  URI="qemu:///system?socket=$DIR/run-libvirt/libvirt-sock"
}
host_virsh() { virsh -q -c "$URI" "$@"; }
host_alive() { alive "$DIR/$1.pid" "$1"; }

# The host's own bus: the system bus's policies and service directory, without the setuid activation
# helper (it would read /usr/share/dbus-1/system.conf and point services at the machine's bus). Services
# are then started by the bus itself, as root, with its environment, which names this bus.
write_bus_config() {
  cat > "$DIR/dbus.conf" <<XML
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <fork/>
  <pidfile>$DIR/dbus-daemon.pid</pidfile>
  <listen>unix:path=$DIR/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <standard_system_servicedirs/>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <!-- Activated services run as root on this bus (there is no helper to switch users). -->
  <policy user="root">
    <allow own="*"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Monitoring"/>
  </policy>
  <includedir>/usr/share/dbus-1/system.d</includedir>
  <includedir>/etc/dbus-1/system.d</includedir>
</busconfig>
XML
}

host_up() {
  host_vars
  install_packages
  fix_kvm
  if host_alive dbus-daemon && host_alive virtlogd && host_alive libvirtd; then
    log "host $NETNS already running"
  else
    # Part of a host is no host: stop what is left and start the three together in one mount namespace.
    host_stop_daemons
    if ! ip netns list | grep -qx "$NETNS\( .*\)\?"; then
      ip netns add "$NETNS"
      echo "$NETNS" > "$DIR/netns-created"
    fi
    ip netns exec "$NETNS" ip link set lo up
    ip netns exec "$NETNS" sysctl -qw net.ipv4.ip_forward=1
    # qemu runs as libvirt-qemu and must reach the images and sockets under DIR.
    chmod 755 "$DIR"
    local m binds=""
    for m in $HOST_MOUNTS; do
      mkdir -p "$DIR/${m%%:*}"
      binds="$binds mount --bind '$DIR/${m%%:*}' '${m#*:}' &&"
    done
    rm -f "$DIR/system_bus_socket" "$DIR/dbus-daemon.pid"
    write_bus_config
    ip netns exec "$NETNS" unshare -m --propagation private env DBUS_SYSTEM_BUS_ADDRESS="$BUS" sh -c "
      $binds
      dbus-daemon --config-file='$DIR/dbus.conf' &&
      virtlogd -d -p '$DIR/virtlogd.pid' &&
      libvirtd -d -p '$DIR/libvirtd.pid'" </dev/null >"$DIR/daemons.log" 2>&1 9>&- ||
      { cat "$DIR/daemons.log" >&2; die "host $NETNS: daemons did not start"; }
    log "host $NETNS: dbus-daemon $(pid_in "$DIR/dbus-daemon.pid"), virtlogd $(pid_in "$DIR/virtlogd.pid"), libvirtd $(pid_in "$DIR/libvirtd.pid")"
  fi
  wait_for 60 "host $NETNS libvirtd" host_virsh list
  cat > "$DIR/env" <<ENV
export DBUS_SYSTEM_BUS_ADDRESS='$BUS'
export LIBVIRT_DEFAULT_URI='$URI'
export CLOUD_VIRT_NETNS='$NETNS'
ENV
  log "host $NETNS ready: . $DIR/env"
}

host_stop_daemons() {
  # libvirt-dbus was activated by the host's bus: ask the bus for its pid before the bus goes.
  local dbus_pid
  dbus_pid="$(DBUS_SYSTEM_BUS_ADDRESS="$BUS" timeout 5 busctl --system call org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus GetConnectionUnixProcessID s org.libvirt 2>/dev/null | awk '{print $2}')" || true
  stop_pid "$dbus_pid" libvirt-dbus
  local name
  for name in libvirtd virtlogd dbus-daemon; do
    stop_pid "$(pid_in "$DIR/$name.pid")" "$name"
    rm -f "$DIR/$name.pid"
  done
  rm -f "$DIR/system_bus_socket"
}

host_down() {
  host_vars
  if host_alive libvirtd; then
    local d
    for d in $(host_virsh list --all --name); do
      host_virsh destroy "$d" >/dev/null 2>&1 || true
      host_virsh undefine "$d" >/dev/null 2>&1 || true
      log "host $NETNS: removed domain $d"
    done
  fi
  host_stop_daemons
  if [ -f "$DIR/netns-created" ]; then
    ip netns del "$NETNS" 2>/dev/null || true
    rm -f "$DIR/netns-created"
  fi
  rm -f "$DIR/env"
  log "host $NETNS down"
}

host_status() {
  host_vars
  local name ok=0
  for name in dbus-daemon virtlogd libvirtd; do
    if host_alive "$name"; then echo "$name running pid=$(pid_in "$DIR/$name.pid")"; else echo "$name not running"; ok=1; fi
  done
  if host_virsh list >/dev/null 2>&1; then echo "virsh -c '$URI': ok"; else echo "virsh -c '$URI': FAILED"; ok=1; fi
  if DBUS_SYSTEM_BUS_ADDRESS="$BUS" busctl --system call org.libvirt /org/libvirt/QEMU org.libvirt.Connect \
       ListDomains u 0 >/dev/null 2>&1; then
    echo "DBUS_SYSTEM_BUS_ADDRESS=$BUS: org.libvirt ok"
  else
    echo "DBUS_SYSTEM_BUS_ADDRESS=$BUS: org.libvirt FAILED"; ok=1
  fi
  return $ok
}

host_exec() {
  host_vars
  host_alive libvirtd || die "host $NETNS is not up"
  exec nsenter --mount="/proc/$(pid_in "$DIR/libvirtd.pid")/ns/mnt" --net="/run/netns/$NETNS" \
    env DBUS_SYSTEM_BUS_ADDRESS="$BUS" LIBVIRT_DEFAULT_URI=qemu:///system CLOUD_VIRT_NETNS="$NETNS" "$@"
}

# ---------------------------------------------------------------- main
CMD="${1:-}"; shift || true
NETNS="" DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --netns) NETNS="$2"; shift 2;;
    --netns=*) NETNS="${1#*=}"; shift;;
    --dir) DIR="$2"; shift 2;;
    --dir=*) DIR="${1#*=}"; shift;;
    --) shift; break;;
    *) die "unknown argument: $1";;
  esac
done
[ "$CMD" = exec ] || [ $# = 0 ] || die "unexpected arguments: $*"
[ "$(id -u)" = 0 ] || die "run as root"
# One `up`/`down` at a time per host: CI jobs and developers may call this concurrently.
LOCK="$STATE/lock"
[ -n "$DIR" ] && { mkdir -p "$DIR"; LOCK="$DIR/lock"; }
mkdir -p "$STATE"
if [ "$CMD" = up ] || [ "$CMD" = down ]; then
  exec 9>"$LOCK"
  flock -w 600 9 || die "another virt-host.sh holds $LOCK"
fi
case "$CMD${NETNS:+-netns}" in
  up) root_up;;
  down) root_down;;
  status) root_status;;
  up-netns) host_up;;
  down-netns) host_down;;
  status-netns) host_status;;
  exec-netns) [ $# -gt 0 ] || die "exec: no command"; host_exec "$@";;
  *) echo "usage: $0 up|down|status [--netns NAME --dir DIR] | exec --netns NAME --dir DIR -- CMD..." >&2; exit 2;;
esac
