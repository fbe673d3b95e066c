#!/bin/sh
# Runs each fuzz target for SECONDS (default 30) with ASan and UBSan:
#
#   tests/fuzz/run.sh [SECONDS] [BUILD_DIR]      (default BUILD_DIR: _build-fuzz)
#
# SECONDS 0 runs nothing (libFuzzer's own 0 would mean for ever).
# Sets up BUILD_DIR with clang (-Dfuzzing=true) when it is not there. The
# corpus grows in BUILD_DIR/fuzz-corpus/TARGET, seeded from tests/data/*.json
# and tests/data/fuzz/* (fuzz-template: data/templates/*.txt); a crash, leak or sanitizer report is saved in
# BUILD_DIR/fuzz-artifacts/ (copy it to tests/data/fuzz/ as a regression
# test). With FUZZ_KEEP_GOING=1 a target goes on after a finding (libFuzzer's
# -fork=1 -ignore_crashes=1), for long runs; FUZZ_TARGETS picks targets. Prints one line per target (time, executions, findings) and writes
# BUILD_DIR/fuzz-testlog.json, one meson-style record per target, which
# build-aux/count-tests.py counts. Exits 1 when a target found something.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-30}
build=${2:-$top/_build-fuzz}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
case "$seconds" in
  ''|*[!0-9]*) echo "run.sh: SECONDS must be a whole number, not “$seconds”" >&2; exit 2 ;;
esac
# libFuzzer takes -max_total_time=0 as no limit at all; here 0 is no fuzzing.
if [ "$seconds" -eq 0 ]; then
  echo "fuzzing: 0 seconds, nothing run"
  exit 0
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=${FUZZ_CC:-clang-14} meson setup "$build" "$top" -Dfuzzing=true >/dev/null || exit 1
fi
meson compile -C "$build" tests/fuzz/fuzz-import tests/fuzz/fuzz-export tests/fuzz/fuzz-template >/dev/null || exit 1

# Plan files the targets write go to memory when it can (no fsync cost).
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
# Leaked GObjects are seen only outside GLib's slice allocator.
export G_SLICE=always-malloc

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
log="$build/fuzz-testlog.json"
: > "$log"
status=0
for target in ${FUZZ_TARGETS:-fuzz-import fuzz-export fuzz-template}; do
  corpus="$build/fuzz-corpus/$target"
  mkdir -p "$corpus"
  if [ "$target" = fuzz-import ]; then
    # Plan documents: the examples and every finding so far.
    seeds=$(ls "$top"/tests/data/*.json "$top"/tests/data/fuzz/*.json 2>/dev/null)
    limits="-max_len=65536 -dict=$here/plan.dict"
  elif [ "$target" = fuzz-template ]; then
    # Email templates: the built-in ones and every finding so far.
    seeds=$(ls "$top"/data/templates/*.txt "$top"/tests/data/fuzz/template-* 2>/dev/null)
    limits="-max_len=8192 -dict=$here/template.dict"
  else
    # Bytes that choose a plan: the findings, and a few to start from.
    seeds=$(ls "$top"/tests/data/fuzz/export-* 2>/dev/null)
    for i in 1 2 3 4; do
      head -c $((64 * i)) "$here/plan.dict" > "$corpus/seed-dict-$i"
    done
    limits="-max_len=4096"
  fi
  for seed in $seeds; do
    cp "$seed" "$corpus/seed-$(basename "$seed")"
  done
  out="$build/$target.log"
  # Findings: crashes, leaks, timeouts, out-of-memory (slow units are kept
  # too but are no finding: a loaded machine makes them).
  count_findings () { ls "$artifacts" | grep -c -E "^$target-(crash|leak|timeout|oom)-"; }
  before=$(count_findings)
  keep=""
  [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && keep="-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1"
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 $keep \
      -timeout=60 -rss_limit_mb=4096 $limits \
      -artifact_prefix="$artifacts/$target-" "$corpus" > "$out" 2>&1
  rc=$?
  after=$(count_findings)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out")
  if [ -z "$execs" ]; then
    # fork mode: "#EXECS: cov: … exec/s: RATE … oom/timeout/crash: …"
    execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$out" | tail -1)
    rate=$(sed -n 's/^#[0-9]*: cov:.* exec\/s: \([0-9]*\).*/\1/p' "$out" | tail -1)
  fi
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out")
  findings=$((after - before))
  if [ $rc -ne 0 ] && [ $findings -eq 0 ]; then
    findings=1
  fi
  if [ $findings -eq 0 ]; then result=OK; else result=FAIL; status=1; fi
  printf '%s: %s s, %s executions (%s/s), corpus %s files, peak RSS %s MB, findings %s\n' \
    "$target" "$seconds" "${execs:-?}" "${rate:-?}" "$(ls "$corpus" | wc -l)" "${rss:-?}" "$findings"
  if [ $findings -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|runtime error|ERROR:|GLib|Test unit written' "$out" | head -20
  fi
  printf '{"name": "%s", "result": "%s", "stdout": ""}\n' "$target" "$result" >> "$log"
done
exit $status
