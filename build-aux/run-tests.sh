#!/bin/sh
# Installs what is missing (Debian 12), builds, and runs every test (widget
# tests under Xvfb), then the core suite with the system clock five years
# ahead and back. Then, unless told not to:
#   - builds _build-asan with -Db_sanitize=address,undefined and runs the
#     whole suite there once (leak suppressions: tests/lsan.supp);
#   - builds the fuzzers with clang in _build-fuzz and runs each for
#     UPG_FUZZ_SECONDS (default 30) seconds (tests/fuzz/run.sh); 0 means
#     no fuzzing.
# UPG_SKIP_ASAN=1 and UPG_SKIP_FUZZ=1 leave those out. The last line it
# prints is "tests: N passed, N failed", counting test cases across all of
# it (a fuzz target's run is one case).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. build-aux/deps.sh
fail () { echo "tests: 0 passed, 1 failed"; exit 1; }

# How long each stage took, printed as it ends and again at the end.
stage_name="" stage_start=0 stage_times=""
stage () {
  now=$(date +%s)
  if [ -n "$stage_name" ]; then
    line=$(printf '%-34s %4d s' "$stage_name:" $((now - stage_start)))
    echo "== took: $line"
    stage_times="$stage_times
  $line"
  fi
  stage_name=$1 stage_start=$now
}
all_start=$(date +%s)

stage "install packages"
upg_install_deps $UPG_BUILD_DEPS $UPG_TEST_DEPS || fail
stage "build (_build)"

# run_suite BUILD_DIR [MESON TEST OPTIONS]: a fresh log for each run.
run_suite () {
  dir=$1
  shift
  rm -f "$dir/meson-logs/testlog.json"
  # -noreset: an X server resets when its last client goes, and a test that
  # connects during the reset gets "cannot open display" (test-a11y did,
  # once, between two other tests).
  xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" meson test -C "$dir" --print-errorlogs --num-processes 2 "$@"
}

if [ ! -f _build/build.ninja ]; then
  meson setup _build --prefix="$top/_install" || fail
fi
meson compile -C _build || fail

status=0
logs="_build/meson-logs/testlog.json"
stage "test suite (_build)"
run_suite _build || status=1
stage "core suite, clock shifted twice"

# Nothing may read the real clock: the core suite again with the system
# clock five years ahead and five years back (libfaketime); every test
# still sees the instant tests/meson.build pins in UPG_NOW.
for shift in +1826d -1826d; do
  echo "== The core suite with the system clock $shift (faketime)"
  rm -f "_build/meson-logs/testlog-clock$shift.json"
  faketime -f "$shift" meson test -C _build --suite core --print-errorlogs --num-processes 2 \
    --logbase "testlog-clock$shift" || status=1
  logs="$logs _build/meson-logs/testlog-clock$shift.json"
done

if [ "${UPG_SKIP_ASAN:-0}" != 1 ]; then
  stage "ASan/UBSan build and suite"
  echo "== The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer (_build-asan)"
  if { [ -f _build-asan/build.ninja ] || meson setup _build-asan -Db_sanitize=address,undefined; } &&
     meson compile -C _build-asan; then
    # Sanitized programs run several times slower (test-cli: 21 s plain,
    # 175 s sanitized in CI; over 360 s on this 2-core machine while other
    # builds ran). Widget tests draw with cairo there (tests/meson.build
    # says why).
    run_suite _build-asan --timeout-multiplier 5 || status=1
    logs="$logs _build-asan/meson-logs/testlog.json"
  else
    status=1
    logs="$logs --failed asan-build"
  fi
fi

# libFuzzer's -max_total_time=0 means no limit; ours means no fuzzing.
if [ "${UPG_FUZZ_SECONDS:-30}" = 0 ]; then
  echo "== Fuzzing left out (UPG_FUZZ_SECONDS=0)"
elif [ "${UPG_SKIP_FUZZ:-0}" != 1 ]; then
  stage "fuzzing (build and run)"
  echo "== Fuzzing, ${UPG_FUZZ_SECONDS:-30} s a target (_build-fuzz)"
  rm -f _build-fuzz/fuzz-testlog.json
  tests/fuzz/run.sh "${UPG_FUZZ_SECONDS:-30}" _build-fuzz || status=1
  logs="$logs _build-fuzz/fuzz-testlog.json"
fi

stage ""
echo "== Time by stage:$stage_times
  $(printf '%-34s %4d s' 'all:' $(($(date +%s) - all_start)))"
python3 build-aux/count-tests.py $logs
exit $status
