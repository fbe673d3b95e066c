#!/bin/sh
# 20 people ticking the 500 steps of one plan's checklist at once on a team
# server (issue 21): a throwaway local PostgreSQL cluster (tests/pg-cluster.sh:
# Unix socket, fsync off), 20 processes of bench/pg-tick.c, each with its own
# connection and watching for changes as a window does. Prints the checks
# that went in and were refused, then holds the database against them: every
# step checked exactly once, with one "check" entry in its history, none
# lost. The time until the others see a check runs from the end of the
# checker's call (committed) to the moment another client's record shows
# it: it leaves out the checker's own transaction, and includes the time a
# client is busy with its own check before it takes in the notification
# (each client is one thread, as the store's calls are).
#
#   bench/pg-tick.sh [BUILD_DIR] [CLIENTS] [STEPS]  (default: _build-release, 20, 500)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/_build-release}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
clients=${2:-20}
steps=${3:-500}

if [ -z "${UPG_TEST_PG_DIR:-}" ]; then
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$top" --buildtype=release >/dev/null
  fi
  meson compile -C "$build" upgrade-planner bench/pg-tick >/dev/null
  exec "$top/tests/pg-cluster.sh" run "$0" "$build" "$clients" "$steps"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One project of genplan.py with STEPS steps, all in one phase (no step
# waits for another's).
/usr/bin/python3 "$here/genplan.py" 1 | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin); n = int(sys.argv[1]); p = d["projects"][0]
p["sop"] = [dict(p["sop"][0], phase="preparation", title="Step %d" % k) for k in range(n)]
json.dump(d, sys.stdout, ensure_ascii=False)' "$steps" > "$work/plan.json"
psql -X -q -c "CREATE DATABASE tick TEMPLATE template0" postgres
uri="postgresql:///tick?host=$PGHOST"
"$build/src/upgrade-planner" import --db "$uri" "$work/plan.json" > /dev/null

"$build/bench/pg-tick" "$uri" "$clients"
psql -X -q -t -A -F ' ' tick <<'SQL' | awk '{ printf "in the database:        %s steps, %s checked, %s check entries on %s steps, %s steps with more than one\n", $1, $2, $3, $4, $5 }'
SELECT (SELECT count(*) FROM sop_step),
       (SELECT count(*) FROM sop_step WHERE checked_at IS NOT NULL),
       (SELECT count(*) FROM sop_event WHERE action = 'check'),
       (SELECT count(DISTINCT step_id) FROM sop_event WHERE action = 'check'),
       (SELECT count(*) FROM (SELECT step_id FROM sop_event WHERE action = 'check' GROUP BY step_id HAVING count(*) > 1) t);
SQL
