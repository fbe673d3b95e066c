#!/bin/sh
# How many round trips, and how long, it takes to read one project of 500
# checklist steps from a team server (issue 21: the network never holds up
# the window; each round trip costs the network's latency). Reads the
# project as the window does when it opens it (its rows and every row
# under them), through `export sop`, against a throwaway local cluster
# (tests/pg-cluster.sh: Unix socket, so a round trip costs almost
# nothing here; on a network, multiply the statements by its latency).
# The statements are counted from the server's own log
# (log_min_duration_statement = 0): every statement the client sent.
#
#   bench/pg-load.sh [BUILD_DIR] [STEPS] [RUNS]  (default: _build-release, 500, 5)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/_build-release}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
steps=${2:-500}
runs=${3:-5}

if [ -z "${UPG_TEST_PG_DIR:-}" ]; then
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$top" --buildtype=release >/dev/null
  fi
  meson compile -C "$build" upgrade-planner >/dev/null
  exec "$top/tests/pg-cluster.sh" run "$0" "$build" "$steps" "$runs"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/genplan.py" 1 | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin); n = int(sys.argv[1]); p = d["projects"][0]
p["sop"] = [dict(p["sop"][0], phase="preparation", title="Step %d" % k) for k in range(n)]
json.dump(d, sys.stdout, ensure_ascii=False)' "$steps" > "$work/plan.json"
psql -X -q -c "CREATE DATABASE load TEMPLATE template0" postgres
uri="postgresql:///load?host=$PGHOST"
"$build/src/upgrade-planner" import --db "$uri" "$work/plan.json" > /dev/null

psql -X -q -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" postgres > /dev/null
sleep 1
log="$UPG_TEST_PG_DIR/server.log"
before=$(grep -cE "duration: .*(  execute [^ ]+:|  statement: )" "$log" || true)
"$build/src/upgrade-planner" export sop --db "$uri" --project 1 --format csv -o "$work/sop.csv"
after=$(grep -cE "duration: .*(  execute [^ ]+:|  statement: )" "$log" || true)
psql -X -q -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" postgres > /dev/null

times=""
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$build/src/upgrade-planner" export sop --db "$uri" --project 1 --format csv -o "$work/sop.csv"
  end=$(date +%s%N)
  times="$times $(( (end - start) / 1000000 ))"
done
echo "project:                1 of $steps steps ($(grep -c . "$work/sop.csv") lines of csv)"
echo "statements to the server: $((after - before)) (connecting, reading the project and its rows, writing nothing)"
echo "export sop, ms:        $times (the whole command: start, connect, read, write the file)"
