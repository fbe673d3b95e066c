#!/bin/sh
# Installs what is missing (Debian 12), builds, and opens Upgrade Planner on
# the default plan file (or on FILE, if given):  ./build-aux/run-app.sh [FILE]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. build-aux/deps.sh
upg_install_deps $UPG_BUILD_DEPS

if [ ! -f _build/build.ninja ]; then
  meson setup _build --prefix="$top/_install"
fi
meson install -C _build --quiet

export XDG_DATA_DIRS="$top/_install/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_SCHEMA_DIR="$top/_install/share/glib-2.0/schemas"
exec "$top/_install/bin/upgrade-planner" "$@"
