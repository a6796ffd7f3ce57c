#!/usr/bin/env bash
# run-allinone.sh - cloudd with every role in one process on embedded defaults (SQLite under
# ./.state, the in-process bus, logs on the console). Builds, puts `cloudd` on the PATH, syncs the
# schema, then runs until Ctrl-C. Extra arguments are passed to cloudd (e.g. --verbose, --logdir=.state/log).
#
# Env: CLOUDD_STATE_PATH [./.state]  where the cloud keeps its database, images, objects and networks
#      CLOUDD_BIN_DIR [/usr/local/bin as root, else ~/.local/bin]  where the `cloudd` command goes
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
command -v dotnet >/dev/null || { echo "run-allinone: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
STATE="${CLOUDD_STATE_PATH:-$ROOT/.state}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
ROLES=all
EXTRA=(--state_path="$STATE")
if [ "$(id -u)" = 0 ]; then
  # The compute host's daemons (libvirtd, virtlogd, the system D-Bus) and packages; shares running ones.
  # Inside a host that `virt-host.sh exec --netns` prepared, that host's own daemons are already there.
  if [ -z "${CLOUD_VIRT_NETNS:-}" ]; then scripts/virt-host.sh up; fi
  # QEMU runs as libvirt-qemu and must reach the instance files: keep them where nova kept its own.
  INSTANCES="${CLOUDD_INSTANCES_PATH:-/var/lib/cloudd/instances}"
  install -d -m 0755 "$(dirname "$INSTANCES")" "$INSTANCES"
  EXTRA+=(--instances_path="$INSTANCES")
  # dnsmasq (as nobody) reads its files under the state path.
  chmod o+x "$STATE"
else
  # Bridges, dnsmasq, iptables and libvirt need root: the cloud runs without instances until then.
  echo "run-allinone: not root, so every role but compute and network (they need root for libvirt, bridges and iptables)" >&2
  ROLES=api,scheduler,volume,glance,swift-proxy,swift-storage
fi
dotnet build Cloud.Host -c Release -nologo -v quiet >/dev/null

# The all-in-one's flags in one file, so that `cloudd manage ...` in any directory talks to this cloud.
CONF="$STATE/cloudd.conf"
{
  echo "# written by scripts/run-allinone.sh: this all-in-one's flags"
  echo "--flagfile=$ROOT/sample-configs/allinone.conf"
  for flag in "${EXTRA[@]}"; do echo "$flag"; done
} > "$CONF"

# `cloudd` on the PATH: the built executable with this all-in-one's flag file unless one is given.
if [ "$(id -u)" = 0 ]; then BIN="${CLOUDD_BIN_DIR:-/usr/local/bin}"; else BIN="${CLOUDD_BIN_DIR:-$HOME/.local/bin}"; fi
mkdir -p "$BIN"
cat > "$BIN/cloudd.tmp" <<EOF
#!/bin/sh
# cloudd, put here by $ROOT/scripts/run-allinone.sh. Without --flagfile it uses that all-in-one's flags.
case " \$* " in
  *" --flagfile="*|*" --flagfile "*) exec dotnet "$ROOT/Cloud.Host/bin/Release/net10.0/cloudd.dll" "\$@" ;;
  *) exec dotnet "$ROOT/Cloud.Host/bin/Release/net10.0/cloudd.dll" "\$@" --flagfile="$CONF" ;;
esac
EOF
chmod 755 "$BIN/cloudd.tmp"
mv "$BIN/cloudd.tmp" "$BIN/cloudd"
case ":$PATH:" in
  *":$BIN:"*) ;;
  *) echo "run-allinone: put $BIN on your PATH to use the cloudd command (export PATH=\"$BIN:\$PATH\")" >&2 ;;
esac

CLOUDD=("$BIN/cloudd")
"${CLOUDD[@]}" manage db sync "$@"
# The seed's fixed network (nova-manage network create private 10.0.0.0/24 1 256), once.
if [ "$ROLES" = all ] && ! "${CLOUDD[@]}" manage network list "$@" | grep -q /; then
  "${CLOUDD[@]}" manage network create private 10.0.0.0/24 1 256 "$@"
fi
# The object store completes itself on first start (rings, the operator's tempauth user; --swift_allinone).
echo "run-allinone: object store: . $STATE/swift-operator.rc && swift stat   (the file is written on first start, mode 0600)" >&2
exec "${CLOUDD[@]}" --roles="$ROLES" "$@"
