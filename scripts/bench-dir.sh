#!/usr/bin/env bash
# bench-dir.sh - prints the directory of the peers' scripts and load generators (../shared/bench beside the project):
# $BENCH_DIR when set, else ../shared/bench beside this checkout, else (a clone made elsewhere, as CI's fresh clone in
# /tmp) ../shared/bench beside the checkout it was cloned from. Prints the first guess even when it does not exist, so
# the caller's message names where it looked.
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${BENCH_DIR:-$root/../shared/bench}"
if [ ! -d "$dir" ] && [ -z "${BENCH_DIR:-}" ] && origin="$(git -C "$root" config --get remote.origin.url 2>/dev/null)" &&
   [ -d "$origin/../shared/bench" ]; then
  dir="$(cd "$origin/../shared/bench" && pwd)"
fi
echo "$dir"
