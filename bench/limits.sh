#!/bin/sh
# Limits: 100,000 risks in one project, 500-character names (the most a name
# may hold), 10,000 SOP steps in one
# phase; times the import and every export and checks nothing is truncated
# (bench/limits.py), and the window's first frame on it (under xvfb-run when
# there is no display). A release build in BUILD_DIR (default _build-bench).
#
#   bench/limits.sh [BUILD_DIR] [TIMEOUT_SECONDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/_build-bench}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=release >/dev/null
fi
meson compile -C "$build" upgrade-planner >/dev/null
# The window needs the compiled settings schema.
[ -f "$build/data/gschemas.compiled" ] || meson compile -C "$build" >/dev/null
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s "-screen 0 1400x900x24" python3 "$here/limits.py" "$build/src/upgrade-planner" --timeout "${2:-300}"
fi
exec python3 "$here/limits.py" "$build/src/upgrade-planner" --timeout "${2:-300}"
