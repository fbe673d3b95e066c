# Debian 12 packages the app needs to build, run and be tested.
# Sourced by run-app.sh and run-tests.sh: installs the missing ones only.

UPG_BUILD_DEPS="gcc libc6-dev meson ninja-build pkg-config gettext desktop-file-utils appstream
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev
  libsqlite3-dev libpq-dev libsecret-1-dev libpango1.0-dev libcairo2-dev
  libgmime-3.0-dev libical-dev libportal-gtk4-dev
  fonts-noto-cjk tzdata"
UPG_TEST_DEPS="xvfb xauth poppler-utils python3 dbus-x11 dbus-daemon faketime
  python3-gi gir1.2-atspi-2.0 at-spi2-core
  clang-14 libclang-rt-14-dev postgresql postgresql-common"

upg_install_deps () {
  missing=""
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
      *" installed") ;;
      *) missing="$missing $pkg" ;;
    esac
  done
  [ -z "$missing" ] && return 0
  echo "Installing:$missing"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}
