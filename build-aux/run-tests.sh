#!/bin/sh
# Installs what is missing (Debian 12), builds, and runs every test (widget
# tests under Xvfb). The last line it prints is "tests: N passed, N failed",
# counting test cases.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. build-aux/deps.sh
fail () { echo "tests: 0 passed, 1 failed"; exit 1; }
upg_install_deps $UPG_BUILD_DEPS $UPG_TEST_DEPS || fail

if [ ! -f _build/build.ninja ]; then
  meson setup _build --prefix="$top/_install" || fail
fi
meson compile -C _build || fail

xvfb-run -a -s "-screen 0 1280x1024x24" meson test -C _build --print-errorlogs --num-processes 2
status=$?
python3 build-aux/count-tests.py _build/meson-logs/testlog.json
exit $status
