#!/usr/bin/env bash
# test-install.sh: `meson install --destdir` puts everything at the standard
# paths, and the installed application starts and finds its resources (TAP)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-install.sh MESON BUILD_DIR PREFIX BINDIR DATADIR LOCALEDIR
# (BINDIR, DATADIR and LOCALEDIR as meson's options: relative to PREFIX or
# absolute). Installs into a temporary DESTDIR with --no-rebuild, so it only
# reads the build directory (meson writes its install log there).

set -u

meson=$1
build_dir=$2
prefix=$3
app_id=io.github.handshakelens.HandshakeLens
gettext_package=handshake-lens

under_prefix () { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
bindir=$(under_prefix "$4")
datadir=$(under_prefix "$5")
localedir=$(under_prefix "$6")

n=0
failed=0
destdir=$(mktemp -d)
out=$destdir.log
trap 'rm -rf "$destdir" "$out"' EXIT

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$out"; }
check () {
  local what=$1; shift
  if "$@" > "$out" 2>&1; then ok "$what"; else not_ok "$what"; fi
}

if ! "$meson" install -C "$build_dir" --no-rebuild --quiet --destdir "$destdir" > "$out" 2>&1; then
  sed 's/^/# /' "$out"
  echo "Bail out! meson install --destdir failed"
  exit 1
fi
ok "meson install --destdir"

root=$destdir
for path in \
  "$bindir/handshake-lens" \
  "$bindir/handshake-lens-cli" \
  "$datadir/applications/$app_id.desktop" \
  "$datadir/metainfo/$app_id.metainfo.xml" \
  "$datadir/glib-2.0/schemas/$app_id.gschema.xml" \
  "$datadir/icons/hicolor/scalable/apps/$app_id.svg" \
  "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
  "$datadir/mime/packages/$app_id.mime.xml"; do
  check "installed ${path#/}" test -s "$root$path"
done
check "installed binaries are executable" \
  test -x "$root$bindir/handshake-lens" -a -x "$root$bindir/handshake-lens-cli"

# every language of po/LINGUAS has its catalogue
linguas=$(dirname "$0")/../po/LINGUAS
for lang in $(grep -v '^#' "$linguas"); do
  mo=$localedir/$lang/LC_MESSAGES/$gettext_package.mo
  check "installed ${mo#/}" test -s "$root$mo"
  if command -v msgunfmt > /dev/null; then
    check "$lang catalogue has translations" \
      bash -c '[ "$(msgunfmt "$1" | grep -c "^msgid ")" -gt 10 ]' _ "$root$mo"
  fi
done

# the binary looks for its catalogues where they were installed
check "handshake-lens binds its text domain to $localedir" \
  grep -qaF "$localedir" "$root$bindir/handshake-lens"

# the GResource (UI templates, CSS) is compiled into the binary: no data
# file needs to be found at run time
check "the GResource is in the installed binary" \
  bash -c 'gresource list "$1" | grep -q "^/io/github/handshakelens/HandshakeLens/hl-window.ui$"' _ "$root$bindir/handshake-lens"

# the installed programs start from the prefix (no display needed for --help)
check "installed handshake-lens --help runs" \
  bash -c '"$1" --help | grep -q "handshake-lens"' _ "$root$bindir/handshake-lens"
check "installed handshake-lens-cli --help runs" \
  bash -c '"$1" --help 2>&1 | grep -qi "usage"' _ "$root$bindir/handshake-lens-cli"

# the installed schema compiles where GLib looks for it
check "the installed schemas compile" \
  glib-compile-schemas --strict --dry-run "$root$datadir/glib-2.0/schemas"

# the installed application starts from the prefix: its window comes up
# with the installed schema and icons and is still running after a few
# seconds (timeout's exit status 124)
# (on a private session bus, so that an instance the user runs is not
# activated instead)
if command -v xvfb-run > /dev/null; then
  schemas=$root$datadir/glib-2.0/schemas
  bus=()
  if command -v dbus-run-session > /dev/null; then bus=(dbus-run-session --); fi
  check "the installed application starts and keeps running" \
    bash -c 'glib-compile-schemas "$1" || exit 1
      shift; datadir=$1; shift
      GSETTINGS_SCHEMA_DIR="$datadir/glib-2.0/schemas" GSETTINGS_BACKEND=memory \
      XDG_DATA_DIRS="$datadir:/usr/share" G_DEBUG=fatal-criticals \
        "$@"; [ $? -eq 124 ]' \
    _ "$schemas" "$root$datadir" "${bus[@]}" xvfb-run -a timeout 4 "$root$bindir/handshake-lens"
else
  n=$((n + 1)); echo "ok $n - the installed application starts # SKIP xvfb-run is not installed"
fi

echo "1..$n"
exit $failed
