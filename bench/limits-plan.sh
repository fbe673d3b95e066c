#!/bin/sh
# The largest texts a plan may hold (issue 17, case 8): every text field at
# its documented maximum, exported in every kind and format; each export
# must take less than 5 s (bench/limits-plan.py). A release build in
# BUILD_DIR (default _build-bench).
#
#   bench/limits-plan.sh [BUILD_DIR] [ITEMS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/_build-bench}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=release >/dev/null
fi
meson compile -C "$build" upgrade-planner >/dev/null
exec python3 "$here/limits-plan.py" "$build/src/upgrade-planner" --items "${2:-3}"
