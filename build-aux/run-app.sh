#!/bin/sh
# Installs what is missing (Debian 12), builds, installs Upgrade Planner for
# the system (/usr/local: `upgrade-planner` then works in any new terminal,
# and the app is in the desktop's app grid), and opens it on the default plan
# file (or on FILE, if given):  ./build-aux/run-app.sh [FILE]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. build-aux/deps.sh
upg_install_deps $UPG_BUILD_DEPS

build="$top/_build-app"
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --prefix=/usr/local --buildtype=release
fi
meson compile -C "$build"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo meson install -C "$build" --no-rebuild --quiet

exec /usr/local/bin/upgrade-planner "$@"
