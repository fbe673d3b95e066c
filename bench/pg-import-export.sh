#!/bin/sh
# Import and export of the benchmark plan on a team server (issue 21):
# genplan.py 1000 (1000 projects, 79,000 rows) imported into a new database
# of a throwaway local PostgreSQL cluster (tests/pg-cluster.sh: Unix socket,
# fsync off), side by side with the reference: psql running plan2sql.py's
# script of the same rows in one transaction (two plain tables, no keys,
# checks, triggers or indexes but one). Beside it, psql loading the app's
# own tables with the same rows (pg_dump --inserts of the imported plan, one
# INSERT a row) into a new database, in one transaction: not quite like for
# like, since pg_dump makes the keys, indexes and triggers after the rows
# (none fires, no index is kept up row by row, no notification is sent),
# where the import writes through the views, their triggers and NOTIFY.
# Neither psql figure includes JSON parsing or validation; the import does
# both. Every figure includes connecting and creating the schema; none
# includes creating the database (done before the clock starts).
#
#   bench/pg-import-export.sh [BUILD_DIR]     (default: _build-release, a release build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/_build-release}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
runs=${RUNS:-5}

# A cluster of its own: run again inside pg-cluster.sh.
if [ -z "${UPG_TEST_PG_DIR:-}" ]; then
  if [ ! -x "$build/src/upgrade-planner" ]; then
    meson setup "$build" "$top" --buildtype=release >/dev/null
  fi
  meson compile -C "$build" upgrade-planner >/dev/null
  exec "$top/tests/pg-cluster.sh" run "$0" "$build"
fi
bin="$build/src/upgrade-planner"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/genplan.py" 1000 > "$work/big.json"
/usr/bin/python3 "$here/plan2sql.py" --postgresql "$work/big.json" > "$work/big.sql"

now() { date +%s.%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# A new empty database (its name unique: fresh runs in a subshell).
fresh() { d=b$(date +%s%N); psql -X -q -c "CREATE DATABASE $d TEMPLATE template0" postgres; echo "$d"; }
uri() { printf 'postgresql:///%s?host=%s' "$1" "$PGHOST"; }

ref=$(for i in $(seq "$runs"); do
  db=$(fresh)
  t0=$(now); psql -X -q -v ON_ERROR_STOP=1 -f "$work/big.sql" "$db" > /dev/null; t1=$(now)
  echo "$t1 - $t0" | bc
done | median)

imp=$(for i in $(seq "$runs"); do
  db=$(fresh)
  t0=$(now); "$bin" import --db "$(uri "$db")" "$work/big.json" > /dev/null; t1=$(now)
  echo "$db" > "$work/imported"
  echo "$t1 - $t0" | bc
done | median)
imported=$(cat "$work/imported")

# The app's tables with the same rows, as SQL (schema, then rows).
pg_dump --inserts --no-owner "$imported" > "$work/app.sql"
own=$(for i in $(seq "$runs"); do
  db=$(fresh)
  t0=$(now); psql -X -q -1 -v ON_ERROR_STOP=1 -f "$work/app.sql" "$db" > /dev/null; t1=$(now)
  echo "$t1 - $t0" | bc
done | median)

exp=$(for i in $(seq "$runs"); do
  t0=$(now); "$bin" export plan --db "$(uri "$imported")" -o "$work/out.json"; t1=$(now)
  echo "$t1 - $t0" | bc
done | median)

# The same plan in a file exports the same bytes.
"$bin" import --db "$work/file.upgplan" "$work/big.json" > /dev/null
"$bin" export plan --db "$work/file.upgplan" -o "$work/file.json"
same=$(cmp -s "$work/out.json" "$work/file.json" && echo "the same bytes as from a file" || echo "DIFFERS from a file's export")
rows=$(grep -c '^INSERT' "$work/big.sql")
printf 'rows:                       %s\n' "$rows"
printf 'psql (reference):           %.3f s\n' "$ref"
printf 'upgrade-planner import:     %.3f s\n' "$imp"
printf 'import / reference:         %.2fx (limit 2.00x)\n' "$(echo "$imp / $ref" | bc -l)"
printf 'psql, app schema:           %.3f s (%s rows into the app'"'"'s tables; keys, indexes, triggers made after them)\n' "$own" "$(grep -c '^INSERT' "$work/app.sql")"
printf 'import / app schema:        %.2fx\n' "$(echo "$imp / $own" | bc -l)"
printf 'upgrade-planner export:     %.3f s (%s)\n' "$exp" "$same"
printf 'export / import:            %.2fx (limit 1.00x)\n' "$(echo "$exp / $imp" | bc -l)"
