#!/usr/bin/env bash
# fresh-machine.sh - undo what the project's scripts installed and started, so that the next
# scripts/test-all.sh (or run-allinone.sh) installs and starts everything from nothing, as on a new
# machine of this kind. .ci/run calls it first: a green CI must not rest on something installed by hand.
#
# What goes:
#   - every Debian package apt installed for these scripts, dependencies included: found in apt's history
#     by the scripts' own apt-get command line (-o DPkg::Lock::Timeout=600), so packages the machine's image
#     brought (curl, openssh-client, ...) stay exactly as they were;
#   - the daemons virt-host.sh and test-services.sh started (only those they recorded), and their state;
#   - the Cake tool (`dotnet tool restore` fetches it again), the test image cache of this checkout, and the
#     `cloudd` command run-allinone.sh put on the PATH.
# Downloaded .deb files stay in apt's cache, so reinstalling needs no network beyond the package lists.
# Needs root (it removes packages); refuses otherwise.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"
log() { echo "[fresh-machine $(date +%T)] $*" >&2; }
[ "$(id -u)" = 0 ] || { log "needs root (it removes Debian packages)"; exit 1; }

# Daemons first, while their scripts and binaries are still there.
for dir in /tmp/cloudd-test-services /tmp/cloudd-ci-services.*; do
  if [ -d "$dir" ]; then CLOUD_TEST_SERVICES_DIR="$dir" scripts/test-services.sh down >/dev/null 2>&1 || true; rm -rf "$dir"; fi
done
scripts/virt-host.sh down >/dev/null 2>&1 || true
BENCH="$(scripts/bench-dir.sh)"
# The OpenStack peer a killed scripts/diff-harness.sh left running (its recorded process groups only).
if [ -f "$ROOT/.cache/ospeer/run/pids" ] && [ -x "$BENCH/openstack_peer_down.sh" ]; then
  "$BENCH/openstack_peer_down.sh" "$ROOT/.cache/ospeer" >/dev/null 2>&1 || true
fi

# The Swift peer a killed scripts/swift-diff-harness.sh (or a developer's SWIFTPEER_KEEP=1) left running: it holds
# 127.0.0.1:8080, 6000-6002 and 11211, which the next harness run needs.
if [ -f "$ROOT/.cache/swiftpeer/run/pids" ] && [ -x "$BENCH/swift_peer_down.sh" ]; then
  "$BENCH/swift_peer_down.sh" "$ROOT/.cache/swiftpeer" >/dev/null 2>&1 || true
fi

# Packages apt installed for the scripts: the Install: lines of history entries with the scripts' command line.
packages="$( { cat /var/log/apt/history.log 2>/dev/null; zcat /var/log/apt/history.log.*.gz 2>/dev/null; } | awk '
  /^Start-Date:/ { ours = 0 }
  /^Commandline:/ { ours = index($0, "DPkg::Lock::Timeout=600") > 0 }
  ours && /^Install:/ {
    sub(/^Install: /, "")
    n = split($0, items, /\), /)
    for (i = 1; i <= n; i++) { split(items[i], g, " "); split(g[1], f, ":"); print f[1] }
  }' | sort -u)"
# Packages a machine's owner relies on beyond these scripts stay even when apt first brought them in for us:
# sudo (dpkg refuses to remove it while root has no password, which stops the whole purge; and an operator's
# login may need it).
keep=" sudo "
installed=""
for p in $packages; do
  case "$keep" in *" $p "*) continue ;; esac
  # Installed, or left half-way by an interrupted purge (only config files, or half-installed): purge either.
  case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" in ""|*not-installed) ;; *) installed="$installed $p" ;; esac
done
if [ -n "$installed" ]; then
  log "purging$(echo "$installed" | wc -w | awk '{print " " $1}') packages the scripts installed"
  # A package whose removal script refuses (as sudo's does) would stop the whole purge: leave it out, name it,
  # and purge the rest; a few rounds at most.
  for round in 1 2 3 4 5; do
    if DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=600 $installed \
        >/tmp/cloudd-fresh-machine.log 2>&1; then break; fi
    refused="$(sed -n 's/^dpkg: error processing package \([^ :]*\).*/\1/p' /tmp/cloudd-fresh-machine.log | sort -u)"
    if [ -z "$refused" ] || [ "$round" = 5 ]; then
      tail -20 /tmp/cloudd-fresh-machine.log >&2; log "apt-get purge failed"; exit 1
    fi
    log "leaving installed what refuses to be removed: $(echo $refused)"
    for r in $refused; do installed="$(echo " $installed " | sed "s/ $r / /")"; done
  done
fi
# What the purged packages leave behind would make the next install no fresh one.
rm -rf /var/lib/mysql /etc/mysql /var/lib/rabbitmq /etc/rabbitmq /var/lib/libvirt /etc/libvirt /run/libvirt \
  /run/cloudd-virt-host "$ROOT/.cache/test-image"

rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool"
if grep -qs "put here by .*/scripts/run-allinone.sh" /usr/local/bin/cloudd; then rm -f /usr/local/bin/cloudd; fi
log "done: the next run installs and starts everything itself"
