#!/bin/sh
# Import and export speed of the benchmark plan (genplan.py 1000: 1000 projects,
# 79,000 rows), side by side with the reference: the sqlite3 shell running
# plan2sql.py's script of the same rows in one transaction (two plain tables,
# no keys, checks or indexes). Beside it a like-for-like figure: the shell
# loading the app's own dump of the imported plan (.dump: the app's tables,
# keys, checks and indexes, the same rows) into a new file, in one
# transaction. Neither figure includes JSON parsing or validation; the
# import does both.
#
#   bench/import-export.sh [BUILD_DIR]     (default: _build-bench, a release build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/_build-bench}
runs=${RUNS:-5}

if [ ! -x "$build/src/upgrade-planner" ]; then
  meson setup "$build" "$top" --buildtype=release >/dev/null
fi
meson compile -C "$build" upgrade-planner >/dev/null
bin="$build/src/upgrade-planner"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/genplan.py" 1000 > "$work/big.json"
/usr/bin/python3 "$here/plan2sql.py" "$work/big.json" > "$work/big.sql"

now() { date +%s.%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

ref=$(for i in $(seq "$runs"); do
  rm -f "$work/ref.db" "$work/ref.db-wal" "$work/ref.db-shm"
  t0=$(now); sqlite3 "$work/ref.db" < "$work/big.sql" > /dev/null; t1=$(now)
  echo "$t1 - $t0" | bc
done | median)

imp=$(for i in $(seq "$runs"); do
  rm -f "$work/imp.upgplan" "$work/imp.upgplan-wal" "$work/imp.upgplan-shm"
  t0=$(now); "$bin" import --db "$work/imp.upgplan" "$work/big.json" > /dev/null; t1=$(now)
  echo "$t1 - $t0" | bc
done | median)

# The app's tables with the same rows, as SQL (schema, then rows).
sqlite3 "$work/imp.upgplan" .dump > "$work/app.sql"
own=$(for i in $(seq "$runs"); do
  rm -f "$work/own.db" "$work/own.db-wal" "$work/own.db-shm"
  t0=$(now); sqlite3 "$work/own.db" < "$work/app.sql" > /dev/null; t1=$(now)
  echo "$t1 - $t0" | bc
done | median)

exp=$(for i in $(seq "$runs"); do
  t0=$(now); "$bin" export plan --db "$work/imp.upgplan" -o "$work/out.json"; t1=$(now)
  echo "$t1 - $t0" | bc
done | median)

rows=$(grep -c '^INSERT' "$work/big.sql")
# The benchmark plan is format version 2; the export is version 3 (with
# the uids import made), so the round trip is checked on the export:
# imported into a new file and exported again, it gives the same bytes.
"$bin" import --db "$work/again.upgplan" "$work/out.json" > /dev/null
"$bin" export plan --db "$work/again.upgplan" -o "$work/again.json"
same=$(cmp -s "$work/out.json" "$work/again.json" && echo "imported and exported again: the same bytes" || echo "DIFFERS once imported and exported again")
printf 'rows:                     %s\n' "$rows"
printf 'sqlite3 shell (reference): %.3f s\n' "$ref"
printf 'upgrade-planner import:    %.3f s\n' "$imp"
printf 'import / reference:        %.2fx (limit 2.00x)\n' "$(echo "$imp / $ref" | bc -l)"
printf 'sqlite3 shell, app schema: %.3f s (%s rows into the app'"'"'s tables, keys, checks, indexes)\n' "$own" "$(grep -c '^INSERT' "$work/app.sql")"
printf 'import / like for like:    %.2fx\n' "$(echo "$imp / $own" | bc -l)"
printf 'upgrade-planner export:    %.3f s (%s)\n' "$exp" "$same"
printf 'export / import:           %.2fx (limit 1.00x)\n' "$(echo "$exp / $imp" | bc -l)"
