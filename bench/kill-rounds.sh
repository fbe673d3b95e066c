#!/bin/sh
# Crash safety: SIGKILL the command line at random moments during imports,
# exports and SOP checks, ROUNDS times (default 100), checking the plan file
# after every round (see kill-rounds.py). Prints the figures.
#
#   bench/kill-rounds.sh [ROUNDS] [BUILD_DIR]      (default BUILD_DIR: _build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
rounds=${1:-100}
build=${2:-$top/_build}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" >/dev/null
fi
meson compile -C "$build" upgrade-planner >/dev/null
exec python3 "$here/kill-rounds.py" --rounds "$rounds" --bin "$build/src/upgrade-planner"
