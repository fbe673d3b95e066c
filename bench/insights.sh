#!/bin/sh
# bench/insights.sh — the time to open Insights on the 1000-project benchmark
# plan (bench/genplan.py 1000: a retrospective in every project), median of
# RUNS runs:
#   - compute: the figures over every project (the store's bulk loads and
#     upg_insights_compute), as the window does it;
#   - first frame: from asking for the Insights window to its first drawn
#     frame (charts and the open actions included);
#   - export insights --format md from the command line (process start to
#     exit, for reference).
# The bar: under the window's start-up (~0.5 s; UPG_WINDOW_START_MS to set it).
#
#   bench/insights.sh [BUILD_DIR]      (default: _build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$here/../_build}" && pwd)
RUNS=${RUNS:-7}
LIMIT_MS=${UPG_WINDOW_START_MS:-500}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

/usr/bin/python3 "$here/genplan.py" 1000 > "$TMP/big.json"
"$BUILD/src/upgrade-planner" import --db "$TMP/big.upgplan" "$TMP/big.json" > /dev/null

export GSETTINGS_SCHEMA_DIR="$BUILD/data" GSETTINGS_BACKEND=memory GTK_A11Y=${GTK_A11Y:-none}

run_driver () {
  "$BUILD/bench/retro-driver" "$TMP/big.upgplan" 1 bench-insights 800 900 2>/dev/null | grep '^insights:'
}
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1400x900x24" env DISPLAY_SET=1 "$0" "$@"
fi

run_driver > /dev/null   # warm the caches
: > "$TMP/compute"; : > "$TMP/frame"; : > "$TMP/cli"
i=0
while [ $i -lt "$RUNS" ]; do
  line=$(run_driver)
  echo "$line" | sed 's/.*computed in \([0-9.]*\) ms.*/\1/' >> "$TMP/compute"
  echo "$line" | sed 's/.*first frame after \([0-9.]*\) ms.*/\1/' >> "$TMP/frame"
  s=$(date +%s%N)
  "$BUILD/src/upgrade-planner" export insights --db "$TMP/big.upgplan" > /dev/null
  e=$(date +%s%N)
  echo "scale=1; ($e - $s) / 1000000" | bc >> "$TMP/cli"
  i=$((i + 1))
done

median () { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
compute=$(median "$TMP/compute"); frame=$(median "$TMP/frame"); cli=$(median "$TMP/cli")
echo "Insights on 1000 projects (median of $RUNS runs):"
echo "  compute:            $compute ms"
echo "  to the first frame: $frame ms   (limit: the window's start-up, $LIMIT_MS ms)"
echo "  export insights md: $cli ms (command line, process start to exit)"
if [ "$(echo "$frame < $LIMIT_MS" | bc)" = 1 ]; then echo "  OK"; else echo "  OVER THE LIMIT"; exit 1; fi
