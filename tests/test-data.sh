#!/usr/bin/env bash
# test-data.sh: validate the data files the build produces (TAP)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-data.sh DESKTOP METAINFO MIME SCHEMA_SOURCE_DIR ICON_DIR
# Needs desktop-file-validate (desktop-file-utils), appstreamcli (appstream),
# glib-compile-schemas; xmllint (libxml2-utils) is used when installed.

set -u

desktop=$1
metainfo=$2
mime=$3
schema_dir=$4
icon_dir=$5
app_id=io.github.handshakelens.HandshakeLens
mime_type=application/x-handshake-lens-log

n=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$out"; }
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0
check () {
  local what=$1; shift
  if "$@" > "$out" 2>&1; then ok "$what"; else not_ok "$what"; fi
}

need () {
  if ! command -v "$1" > /dev/null; then
    echo "Bail out! $1 is not installed (package $2)"
    exit 1
  fi
}

need desktop-file-validate desktop-file-utils
need appstreamcli appstream
need glib-compile-schemas libglib2.0-bin

check "desktop-file-validate accepts $(basename "$desktop")" desktop-file-validate "$desktop"
check "the desktop file has no warnings" \
  bash -c '! desktop-file-validate "$1" | grep -v ": hint: "' _ "$desktop"
check "the desktop file names the app icon" grep -qx "Icon=$app_id" "$desktop"
check "the desktop file handles the session log type" grep -qx "MimeType=$mime_type;" "$desktop"
check "the desktop file is translated" grep -q '^Name\[de\]=' "$desktop"

check "appstreamcli validate --no-net accepts $(basename "$metainfo")" \
  appstreamcli validate --no-net "$metainfo"
# warnings fail too; pedantic remarks (such as the upper-case letters of a
# reverse-DNS id) do not
check "the metainfo has no warnings" \
  bash -c '! appstreamcli validate --no-net "$1" | grep -E "^[WE]:"' _ "$metainfo"
check "the metainfo launches the desktop file" grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo"
check "the metainfo is translated" grep -q 'xml:lang="de"' "$metainfo"

check "glib-compile-schemas --strict accepts the schema" \
  glib-compile-schemas --strict --dry-run "$schema_dir"

if command -v xmllint > /dev/null; then
  check "xmllint accepts the MIME type" xmllint --noout "$mime"
  for svg in "$icon_dir"/scalable/apps/$app_id.svg "$icon_dir"/symbolic/apps/$app_id-symbolic.svg; do
    check "xmllint accepts $(basename "$svg")" xmllint --noout "$svg"
  done
else
  skip "xmllint accepts the MIME type" "xmllint is not installed (libxml2-utils)"
fi
check "the MIME type declares $mime_type" grep -q "type=\"$mime_type\"" "$mime"
check "the MIME type matches *.hllog" grep -q 'pattern="\*\.hllog"' "$mime"
check "the MIME type comment is translated" grep -q '<comment xml:lang="de">' "$mime"

# shared-mime-info reads the type: its glob and magic reach the databases
if command -v update-mime-database > /dev/null; then
  mkdir -p "$out.mime/packages" && cp "$mime" "$out.mime/packages/"
  check "update-mime-database reads the MIME type" \
    bash -c 'update-mime-database "$1" &&
      grep -q ":$2:\*\.hllog$" "$1/globs2" &&
      grep -aq "{\"format\":\"handshake-lens-log\"" "$1/magic"' _ "$out.mime" "$mime_type"
  rm -rf "$out.mime"
fi

# a symbolic icon is recoloured by GTK: one colour, no gradients
symbolic=$icon_dir/symbolic/apps/$app_id-symbolic.svg
check "the symbolic icon uses #2e3436 only" \
  bash -c '! grep -oiE "#[0-9a-f]{6}\b|gradient" "$1" | grep -viq "^#2e3436$"' _ "$symbolic"

echo "1..$n"
exit $failed
