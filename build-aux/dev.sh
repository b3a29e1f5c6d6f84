#!/usr/bin/env bash
# Handshake Lens developer entry point, for a fresh Debian 12 machine.
#
#   build-aux/dev.sh run [ARGS…]   install what is missing, build, start the app
#   build-aux/dev.sh test          install what is missing, build, run every test
#
# Both install missing Debian packages with apt-get (through sudo when not
# root) and say what they install.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

build_packages=(
  meson ninja-build pkg-config gcc
  libglib2.0-dev libglib2.0-bin libgnutls28-dev libjson-glib-dev
  libgtk-4-dev libadwaita-1-dev gettext
  desktop-file-utils appstream
  # what the running application needs beyond the libraries: the
  # accessibility bus, the SVG icon loader and the GNOME interface font
  at-spi2-core librsvg2-common fonts-cantarell
)
test_packages=(
  openssl gnutls-bin iproute2 util-linux
  xvfb xauth dbus dbus-x11 imagemagick
  clang libclang-rt-14-dev llvm
  libxml2-utils shared-mime-info valgrind
  tshark
)

say () { printf '\033[1m==> %s\033[0m\n' "$*"; }

install_missing () {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  say "Installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q -o DPkg::Lock::Timeout=600
  echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
}

# Names the tests of the last `meson test` in build directory $1 that did
# not pass, so the end of a long log says what failed
failed_tests=()
note_failures () {
  local log=$1/meson-logs/testlog.json line name
  [ -f "$log" ] || return 0
  while IFS= read -r line; do
    case "$line" in
      *'"result": "OK"'*|*'"result": "SKIP"'*|*'"result": "EXPECTEDFAIL"'*) ;;
      *)
        name=${line#*\"name\": \"}
        name=${name%%\"*}
        failed_tests+=("$1: $name")
        ;;
    esac
  done < "$log"
}

configure () {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    say "Configuring $dir"
    meson setup "$dir" "$@"
  fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  run)
    install_missing "${build_packages[@]}"
    configure build
    say "Building"
    meson compile -C build
    if [ -x build/src/ui/handshake-lens ]; then
      # Run from the build tree: its compiled settings schema comes along
      GSETTINGS_SCHEMA_DIR="$top/build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}" \
        exec build/src/ui/handshake-lens "$@"
    fi
    exec build/src/cli/handshake-lens-cli demo "$@"
    ;;
  test)
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    configure build
    say "Building"
    meson compile -C build
    status=0
    say "Running the test suite"
    # GUI tests need a display and a session bus
    xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- \
      meson test -C build --print-errorlogs --num-processes 2 || status=$?
    note_failures build

    # The same tests again under AddressSanitizer and UBSan
    configure build-asan -Db_sanitize=address,undefined -Db_lundef=false
    say "Building with sanitizers"
    meson compile -C build-asan
    export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1
    say "Running the GTK-free tests under sanitizers (leaks detected)"
    ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_summary=1:detect_leaks=1 \
      meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite ui || status=$?
    note_failures build-asan
    say "Running the GUI tests under sanitizers (GTK, fontconfig and Mesa keep memory: no leak check)"
    ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_summary=1:detect_leaks=0 \
      xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- \
      meson test -C build-asan --print-errorlogs --num-processes 2 --suite ui || status=$?
    note_failures build-asan

    # A short fuzzing run of the decoder and the log reader (libFuzzer: clang)
    if command -v clang > /dev/null; then
      CC=clang configure build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
      say "Building the fuzz targets"
      meson compile -C build-fuzz
      say "Fuzzing briefly"
      meson test -C build-fuzz --print-errorlogs --suite fuzz || status=$?
      note_failures build-fuzz
      # libFuzzer exits with 77 on a crash, which meson counts as a skip:
      # a crash input left behind is what really says it
      if compgen -G 'build-fuzz/tests/fuzz/*-run/artifacts/*' > /dev/null; then
        say "The fuzzers found crashes:" build-fuzz/tests/fuzz/*-run/artifacts/*
        status=1
      fi
    else
      say "clang is not installed: no fuzzing"
    fi
    if [ ${#failed_tests[@]} -gt 0 ]; then
      say "Tests that failed:"
      printf '  %s\n' "${failed_tests[@]}"
    fi
    if [ "$status" -eq 0 ]; then
      say "All tests passed"
    fi
    exit "$status"
    ;;
  *)
    echo "usage: build-aux/dev.sh run [ARGS…] | build-aux/dev.sh test" >&2
    exit 2
    ;;
esac
