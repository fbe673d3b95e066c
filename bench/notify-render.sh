#!/bin/sh
# bench/notify-render.sh — the time to render every moment for every
# group of a 100-group project into .eml messages (the template renderer, GMime, the
# window's .ics for the moments that carry it), held against the window's
# start-up (~0.5 s; UPG_WINDOW_START_MS when run-all.sh measured it).
#
#   bench/notify-render.sh [BUILD_DIR]      (default: _build)
set -eu
BUILD=$(cd "${1:-_build}" && pwd)
BIN=$BUILD/src/upgrade-planner
RENDER=$BUILD/bench/notify-render
RUNS=${RUNS:-7}
LIMIT_MS=${UPG_WINDOW_START_MS:-500}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

[ -x "$RENDER" ] || meson compile -C "$BUILD" bench/notify-render >/dev/null

# The sample project with 100 groups: both languages, a few zones, Bcc or not.
python3 - "$(dirname "$0")/../tests/data/sample-plan.json" "$TMP/plan.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
p = doc["projects"][0]
zones = [None, "Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"]
moments = ["advance_notice", "reminder", "started", "completed", "delayed", "rolled_back", "retrospective"]
p["stakeholder_groups"] = [{
    "name": "Group %03d" % i if i % 2 else "分组 %03d" % i,
    "audience": "Audience %d" % i,
    "addresses": ["team%d-%d@example.org" % (i, k) for k in range(1 + i % 4)],
    "bcc": i % 3 == 0,
    "language": "zh_CN" if i % 2 == 0 else "en",
    "time_zone": zones[i % len(zones)],
    "moments": moments,
} for i in range(100)]
p["notices"] = []
json.dump(doc, open(sys.argv[2], "w"), ensure_ascii=False, indent=2)
PY
ID=$("$BIN" import --db "$TMP/plan.db" "$TMP/plan.json")

echo "Notices of 7 moments for each of 100 groups, rendered to .eml:"
out=$("$RENDER" "$TMP/plan.db" "$ID" "$RUNS")
echo "$out"
median=$(echo "$out" | sed -n 's/^ *median *\([0-9.]*\) ms.*/\1/p')
python3 -c "import sys; m, s = float(sys.argv[1]), float(sys.argv[2]); print('  against the window start-up (%.0f ms): %.2f — %s' % (s, m / s, 'under it' if m < s else 'OVER IT'))" "$median" "$LIMIT_MS"
