#!/usr/bin/env bash
# run-allinone.sh - cloudd with every role in one process on embedded defaults (SQLite under
# ./.state, the in-process bus, logs on the console). Builds, syncs the schema, then runs
# until Ctrl-C. Extra arguments are passed to cloudd (e.g. --verbose, --logdir=.state/log).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "run-allinone: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
dotnet build Cloud.Host -c Release -nologo -v quiet >/dev/null
CLOUDD=(dotnet Cloud.Host/bin/Release/net10.0/cloudd.dll)
"${CLOUDD[@]}" manage db sync --flagfile=sample-configs/allinone.conf "$@"
exec "${CLOUDD[@]}" --roles=all --flagfile=sample-configs/allinone.conf "$@"
