#!/usr/bin/env bash
# missing-packages.sh PACKAGE... - prints (space-separated) those of the given Debian packages that are not fully
# installed. `dpkg -s` alone is not enough: a package left with only its configuration files (state "rc" or "ic",
# as an interrupted purge leaves it) answers 0 there although its programs are gone.
for p in "$@"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx "install ok installed" || printf ' %s' "$p"
done
