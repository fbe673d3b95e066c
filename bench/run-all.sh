#!/bin/sh
# Every figure the issues ask for, side by side, on a release build:
#   bench/run-all.sh [BUILD_DIR]        (default: _build-bench)
# Needs a display for the window start-up (runs under xvfb-run when there is
# none) and sqlite3 + bc for the import reference.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/_build-bench}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=release >/dev/null
fi
meson compile -C "$build" >/dev/null

echo "== Import and export of the benchmark plan (issue: foundation)"
"$here/import-export.sh" "$build" || true

echo
echo "== Window start-up on the benchmark plan (issue: main window)"
if [ -n "${DISPLAY:-}" ]; then
  window=$(python3 "$here/window-startup.py" "$build" 9 || true)
else
  window=$(xvfb-run -a -s "-screen 0 1400x900x24" python3 "$here/window-startup.py" "$build" 9 || true)
fi
echo "$window"
# The SOP export is held against the whole start-up: the Overview filled.
start_ms=$(echo "$window" | sed -n 's/^ *Overview filled: *\([0-9]*\) ms.*/\1/p')

echo
echo "== SOP export of 500 steps (issue: checklist)"
UPG_WINDOW_START_MS=$start_ms "$here/sop-export.sh" "$build"

echo
echo "== Notices of every moment for 100 groups (issue: notifications)"
UPG_WINDOW_START_MS=${start_ms:-500} "$here/notify-render.sh" "$build" || true

echo
echo "== Opening Insights on 1000 projects with a retrospective each (issue: retrospectives)"
if [ -n "${DISPLAY:-}" ]; then
  UPG_WINDOW_START_MS=${start_ms:-500} "$here/insights.sh" "$build" || true
else
  UPG_WINDOW_START_MS=${start_ms:-500} xvfb-run -a -s "-screen 0 1400x900x24" "$here/insights.sh" "$build" || true
fi

echo
echo "== The team server: import and export of the benchmark plan (issue 21)"
"$here/pg-import-export.sh" "$build" || true

echo
echo "== The team server: 20 people ticking 500 steps of one plan at once (issue 21)"
"$here/pg-tick.sh" "$build" || true
