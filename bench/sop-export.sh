#!/bin/sh
# bench/sop-export.sh — times `upgrade-planner export sop` for a project of
# 500 SOP steps in every format (median of RUNS runs) and compares the PDF
# with the time the binary takes to start (`--version`).
#
#   bench/sop-export.sh [BUILD_DIR]      (default: _build)
set -eu
BUILD=${1:-_build}
BIN=$(cd "$BUILD" && pwd)/src/upgrade-planner
RUNS=${RUNS:-7}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$TMP/plan.json" <<'PY'
import json, sys
phases = ["planning", "preparation", "build", "validation", "gray_release",
          "go_live", "notification", "retrospective", "rollback"]
roles = ["project_manager", "dba", "devops", "qa", "backend"]
steps = []
for i in range(500):
    done = i % 3 == 0
    steps.append({
        "phase": phases[i % len(phases)],
        "title": "Step %03d: verify service health and record the result" % i if i % 7 else "步骤 %03d：核对备份校验和" % i,
        "details": "Check dashboards, error rate and latency; compare with the baseline taken before the window.",
        "owner_role": roles[i % len(roles)],
        "required": i % 4 != 0,
        "checked_at": "2026-12-05T01:%02d:00Z" % (i % 60) if done else None,
        "checked_by": "Mei Lin" if done else None,
        "note": "",
    })
project = {
    "name": "Bench 500 steps", "kind": "feature", "status": "planning", "goal": "", "scope": "",
    "impact": "", "version_from": "1.0", "version_to": "2.0", "build_id": "bench-1",
    "window_start": "2026-12-05T01:00:00Z", "window_end": "2026-12-05T03:00:00Z",
    "rollback_target_minutes": 10, "created_at": "2026-11-20T09:15:00Z",
    "updated_at": "2026-11-20T09:15:00Z", "scope_items": [], "milestones": [], "risks": [],
    "team": [{"name": "Mei Lin", "email": None, "role": "dba", "responsibilities": ""}],
    "stakeholder_groups": [], "sop": steps, "retrospective": None,
}
json.dump({"format": "upgrade-planner", "version": 1, "projects": [project]},
          open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
PY
ID=$("$BIN" import --db "$TMP/plan.db" "$TMP/plan.json")

# Median wall time in milliseconds of running "$@" RUNS times.
median_ms () {
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print("%.1f" % statistics.median(times))
PY
}

echo "SOP export, 500 steps, median of $RUNS runs:"
for f in md html pdf csv txt; do
  ms=$(median_ms "$BIN" export sop --db "$TMP/plan.db" --project "$ID" --format "$f" -o "$TMP/out.$f")
  printf '  %-5s %8s ms  (%s bytes)\n' "$f" "$ms" "$(wc -c < "$TMP/out.$f")"
  [ "$f" = pdf ] && PDF_MS=$ms
done
START_MS=$(median_ms "$BIN" --version)
printf '  start (--version) %8s ms\n' "$START_MS"
if [ -n "${UPG_WINDOW_START_MS:-}" ]; then
  printf '  window start (from the window bench) %s ms\n' "$UPG_WINDOW_START_MS"
  START_MS=$UPG_WINDOW_START_MS
fi
python3 -c "import sys; p, s = float(sys.argv[1]), float(sys.argv[2]); print('  PDF / start: %.2f — %s' % (p / s, 'PDF is faster than starting the app' if p < s else 'PDF is SLOWER than starting the app'))" "$PDF_MS" "$START_MS"
