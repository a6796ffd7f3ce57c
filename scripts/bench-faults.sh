#!/usr/bin/env bash
# bench-faults.sh - issue 15's recovery times on this build: broker back -> first accepted create, DB back -> first
# 2xx, compute host death -> noticed down (os-services), and the rest FaultTests measure. Runs the fault experiments
# (Cloud.Tests FaultTests: separate cloudd processes, two fake compute hosts, a create/delete load) against a PRIVATE
# MariaDB and RabbitMQ, which they stop and restart, then prints the figures and which experiments' invariants held.
#
# Usage:  scripts/bench-faults.sh            one command: build, services up, experiments, figures (about 6-8 min)
#
# Env: BENCH_FAULTS_SERVICES_DIR [/tmp/cloudd-bench-faults]  the private services' data (a set of their own:
#        never the shared /tmp/cloudd-test-services, whose users would see their broker and database vanish)
#      BENCH_FAULTS_MYSQL_PORT [13430] BENCH_FAULTS_AMQP_PORT [15800] BENCH_FAULTS_EPMD_PORT [14390]
#      NO_BUILD [0]  1: use the build that is there
# The services are stopped afterwards if this script started them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CLOUD_TEST_SERVICES_DIR="${BENCH_FAULTS_SERVICES_DIR:-/tmp/cloudd-bench-faults}"
export CLOUD_TEST_MYSQL_PORT="${BENCH_FAULTS_MYSQL_PORT:-13430}"
export CLOUD_TEST_AMQP_PORT="${BENCH_FAULTS_AMQP_PORT:-15800}"
export CLOUD_TEST_EPMD_PORT="${BENCH_FAULTS_EPMD_PORT:-14390}"
[ "$CLOUD_TEST_SERVICES_DIR" != /tmp/cloudd-test-services ] || { echo "bench-faults: refusing the shared services' directory" >&2; exit 2; }
SERVICES="$ROOT/scripts/test-services.sh"
cd "$ROOT"

log() { echo "[bench-faults $(date +%T)] $*" >&2; }

if [ "${NO_BUILD:-0}" != 1 ]; then
  log "building"
  dotnet build Cloud.Tests -c Release 2>&1 | grep -E " error |rror\(s\)" >&2 || true
fi

started=0
if ! "$SERVICES" status >/dev/null 2>&1; then started=1; fi
"$SERVICES" up >/dev/null
if [ $started = 1 ]; then trap '"$SERVICES" down >/dev/null 2>&1 || true' EXIT; fi
# shellcheck disable=SC1091
. "$CLOUD_TEST_SERVICES_DIR/env"

figures="$(mktemp)"; results="$(mktemp -d)"
log "running the fault experiments (their output: $results/out.log)"
CLOUD_FAULT_FIGURES="$figures" dotnet test Cloud.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Cloud.Tests.Integration.FaultTests" --logger "trx;LogFileName=faults.trx" \
  --results-directory "$results" >"$results/out.log" 2>&1 || true

echo "cloudd fault recovery ($(git -C "$ROOT" rev-parse --short HEAD), $(date -u +%FT%TZ)):"
sed 's/^/  /' "$figures"
echo "experiments whose invariants held / failed:"
grep -oE '<UnitTestResult [^>]*testName="[^"]*"[^>]*outcome="[A-Za-z]*"' "$results"/*.trx 2>/dev/null |
  sed -E 's/.*testName="([^"]*)".*outcome="([A-Za-z]*)".*/  \2  \1/' | sort || echo "  (no results: see $results/out.log)"
rm -f "$figures"
