#!/usr/bin/env bash
# run-allinone.sh - cloudd with every role in one process on embedded defaults (SQLite under
# ./.state, the in-process bus, logs on the console). Builds, syncs the schema, then runs
# until Ctrl-C. Extra arguments are passed to cloudd (e.g. --verbose, --logdir=.state/log).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "run-allinone: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
ROLES=all
EXTRA=(--state_path="$(pwd)/.state")
if [ "$(id -u)" = 0 ]; then
  # The compute host's daemons (libvirtd, virtlogd, the system D-Bus) and packages; shares running ones.
  scripts/virt-host.sh up
  # QEMU runs as libvirt-qemu and must reach the instance files: keep them where nova kept its own.
  install -d -m 0755 /var/lib/cloudd /var/lib/cloudd/instances
  EXTRA+=(--instances_path=/var/lib/cloudd/instances)
else
  # Bridges, dnsmasq, iptables and libvirt need root: the cloud runs without instances until then.
  echo "run-allinone: not root, so every role but compute and network (they need root for libvirt, bridges and iptables)" >&2
  ROLES=api,scheduler,volume,glance,swift-proxy,swift-storage
fi
dotnet build Cloud.Host -c Release -nologo -v quiet >/dev/null
CLOUDD=(dotnet Cloud.Host/bin/Release/net10.0/cloudd.dll)
FLAGS=(--flagfile=sample-configs/allinone.conf "${EXTRA[@]}")
"${CLOUDD[@]}" manage db sync "${FLAGS[@]}" "$@"
# The seed's fixed network (nova-manage network create private 10.0.0.0/24 1 256), once.
if [ "$ROLES" = all ] && ! "${CLOUDD[@]}" manage network list "${FLAGS[@]}" "$@" | grep -q /; then
  "${CLOUDD[@]}" manage network create private 10.0.0.0/24 1 256 "${FLAGS[@]}" "$@"
fi
# The object store completes itself on first start (rings, the operator's tempauth user; --swift_allinone).
echo "run-allinone: object store: . $(pwd)/.state/swift-operator.rc && swift stat   (the file is written on first start, mode 0600)" >&2
exec "${CLOUDD[@]}" --roles="$ROLES" "${FLAGS[@]}" "$@"
