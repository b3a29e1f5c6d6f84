#!/usr/bin/env bash
# build-aux/screenshots.sh: take the application's screenshots under Xvfb
#
#   build-aux/screenshots.sh [BUILD-DIR]     (default: build)
#
# Builds hl-screenshots, runs it in a private X server and session bus, and
# writes data/screenshots/*.png (light) and *-dark.png (dark style).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
out=$top/data/screenshots

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top"
fi
meson compile -C "$build" tests/hl-screenshots data/io.github.handshakelens.HandshakeLens.gschema.xml >/dev/null 2>&1 \
  || meson compile -C "$build"

cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
mkdir -p "$out"

for scheme in light dark; do
  GSETTINGS_SCHEMA_DIR=$build/data \
  GSETTINGS_BACKEND=memory \
  XDG_CACHE_HOME=$cache \
  GDK_BACKEND=x11 \
  GTK_A11Y=none \
    xvfb-run -a -s '-screen 0 1600x1000x24' \
      dbus-run-session -- "$build/tests/hl-screenshots" "$out" "$scheme"
done
