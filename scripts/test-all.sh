#!/usr/bin/env bash
# test-all.sh - the whole test suite on a fresh machine of this kind: installs what the
# tests need (Debian's MariaDB and RabbitMQ, the Cake tool), starts the real services on
# loopback, runs every test tier with CLOUD_TEST_REQUIRE=1, and ends with
# "N passed, N failed, N skipped". Exit status: 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"

log() { echo "[test-all $(date +%T)] $*" >&2; }
SETUP_START=$SECONDS

command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is required"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# A private set of services on ports of their own, so a developer's running test services
# (scripts/test-services.sh up, on the default ports) are neither hit nor stopped.
# The real clients the tests drive, from Debian's packages (the services script installs the servers).
CLIENTS="python3-openstackclient python3-glanceclient awscli python3-boto3 python3-boto openssl unzip python3-swift swift python3-swiftclient memcached openssh-client curl dnsmasq-base dnsmasq-utils iptables busybox-static iproute2 qemu-utils libvirt-clients socat shellcheck"
missing="$(scripts/missing-packages.sh $CLIENTS)"
if [ -n "$missing" ]; then
  log "installing:$missing"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o DPkg::Lock::Timeout=600 $missing; } >/tmp/cloudd-test-apt.log 2>&1 \
    || { tail -20 /tmp/cloudd-test-apt.log >&2; log "apt-get failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi

# The compute host (libvirt, QEMU, libvirt-dbus, dbus: installed and started, sharing daemons that already
# run) and the bootable test image the instance tests boot (built once, then reused from the cache).
scripts/virt-host.sh up || { log "the virtualization host did not come up"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
export CLOUD_TEST_IMAGE_DIR="${CLOUD_TEST_IMAGE_DIR:-$ROOT/.cache/test-image}"
scripts/make-test-image.sh "$CLOUD_TEST_IMAGE_DIR" || { log "the test image did not build"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

export CLOUD_TEST_SERVICES_DIR="${CLOUD_TEST_SERVICES_DIR:-$(mktemp -d /tmp/cloudd-ci-services.XXXXXX)}"
export CLOUD_TEST_MYSQL_PORT="${CLOUD_TEST_MYSQL_PORT:-23406}"
export CLOUD_TEST_AMQP_PORT="${CLOUD_TEST_AMQP_PORT:-25772}"
export CLOUD_TEST_EPMD_PORT="${CLOUD_TEST_EPMD_PORT:-24369}"
scripts/test-services.sh up >/dev/null || { log "test services did not start"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
# shellcheck disable=SC1091
. "$CLOUD_TEST_SERVICES_DIR/env"
stop_services() { scripts/test-services.sh down >/dev/null 2>&1 || true; }
trap stop_services EXIT

rm -rf "$ROOT/TestResults"
dotnet tool restore >/dev/null
log "set-up (packages, virtualization host, test image, services, tools) took $((SECONDS - SETUP_START)) s"
dotnet cake --target=Ci
status=$?

# The differential harnesses against the real services: their mismatches are reported, not failures; the cases of
# each harness's must-match.txt count as tests in the summary below (TestResults/<name>.trx).
#   diffharness: Debian's Keystone/Glance/Nova (scripts/diff-harness.sh); the peer's set-up is ~2 min from cached
#     packages, the cases ~3 min.
#   swiftdiff: Debian's Swift 2.30 with the standard middleware pipeline (scripts/swift-diff-harness.sh, issue 17);
#     the peer is up in ~30 s, the cases take seconds.
run_harness() {
  local name="$1" script="$2" py="$3" flag="$4" started=$SECONDS rc
  [ "${!flag:-1}" = 1 ] || return 0
  log "differential harness $name: peer + cloudd + cases"
  timeout 1500 "$script" > "$ROOT/TestResults/$name.log" 2>&1
  rc=$?
  grep -E "^(per area|must-match|[0-9]+ cases)" "$ROOT/TestResults/$name.log" >&2
  log "differential harness $name took $((SECONDS - started)) s (exit $rc; every mismatch in TestResults/$name.log)"
  if [ "$rc" != 0 ]; then
    tail -25 "$ROOT/TestResults/$name.log" >&2
    [ -f "$ROOT/TestResults/$name.trx" ] || python3 "$py" --target none=none --trx-failure "$ROOT/TestResults/$name.trx" "the differential harness did not run (exit $rc): see TestResults/$name.log"
    status=1
  fi
}
run_harness diffharness scripts/diff-harness.sh "$ROOT/scripts/diffharness/diffharness.py" CLOUD_DIFFHARNESS
run_harness swiftdiff scripts/swift-diff-harness.sh "$ROOT/scripts/swiftdiff/swiftdiff.py" CLOUD_SWIFTDIFF

if [ -n "${CLOUD_RUN_STARTED:-}" ]; then log "whole run so far: $(( $(date +%s) - CLOUD_RUN_STARTED )) s"; fi
# The summary line CI reads: counters of every trx the run wrote.
python3 - "$ROOT/TestResults" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout"))
    skipped += int(c.get("notExecuted")) + int(c.get("inconclusive"))
    # Name every failure with the first lines of its message, so a CI log that keeps only its
    # tail still says what broke.
    for r in ET.parse(f).getroot().iter("{%s}UnitTestResult" % ns["t"]):
        if r.get("outcome") in ("Failed", "Error", "Timeout"):
            msg = r.find("t:Output/t:ErrorInfo/t:Message", ns)
            text = (msg.text or "").strip().splitlines()[:6] if msg is not None else []
            print(f"FAILED {r.get('testName')}", *("    " + line for line in text), sep="\n")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
