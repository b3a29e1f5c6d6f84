#!/usr/bin/env bash
# test-potfiles.sh: po/POTFILES lists every file with translatable strings,
# and every language of po/LINGUAS translates all of a freshly built
# template (TAP)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-potfiles.sh SOURCE_ROOT
# Needs xgettext, msgmerge and msgfmt (gettext).

set -u

src=$1
po=$src/po
gettext_package=handshake-lens

n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$out"; }
todo () { n=$((n + 1)); echo "not ok $n - $1 # TODO $2"; sed 's/^/# /' "$out"; }
check () {
  local what=$1; shift
  if "$@" > "$out" 2>&1; then ok "$what"; else not_ok "$what"; fi
}

for tool in xgettext msgmerge msgfmt; do
  if ! command -v $tool > /dev/null; then
    echo "Bail out! $tool is not installed (package gettext)"
    exit 1
  fi
done

cd "$src" || exit 1

# Files that hold translatable strings: gettext calls in C, translatable
# properties in GtkBuilder templates, and the data files merged with
# translations (every data/*.in, the schema's summaries)
c_marker='(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)[[:space:]]*\('
ui_marker='translatable="(yes|true|1)"'
{
  grep -rlE --include='*.c' --include='*.h' "$c_marker" src
  grep -rlE --include='*.ui' "$ui_marker" ui src
  ls data/*.in data/*.gschema.xml 2>/dev/null
} | sort -u > "$tmp/marked"
grep -vE '^[[:space:]]*(#|$)' po/POTFILES | sed 's/[[:space:]]*$//' | sort -u > "$tmp/listed"

check "POTFILES lists every file with translatable strings" \
  bash -c 'missing=$(comm -23 "$1" "$2"); [ -z "$missing" ] || { echo "missing from po/POTFILES:"; echo "$missing"; false; }' \
  _ "$tmp/marked" "$tmp/listed"
check "every file in POTFILES exists" \
  bash -c 'while read -r f; do [ -f "$f" ] || { echo "no such file: $f"; exit 1; }; done < "$1"' _ "$tmp/listed"

# xgettext cannot see through a format macro: _("%" G_GSIZE_FORMAT " bytes")
# gives msgid "%", and the string is never translated
grep -nE "(_|N_|C_|ngettext)[[:space:]]*\\([^;]*\"[[:space:]]*G_G[A-Z0-9]*_(FORMAT|MODIFIER)" \
  $(grep -E '\.[ch]$' "$tmp/listed") > "$out" 2>&1
if [ -s "$out" ]; then
  todo "no format macro inside a translatable string" "the UI engineers rewrite these strings"
else
  ok "no format macro inside a translatable string"
fi

# The template, built as the handshake-lens-pot target builds it (meson's
# 'glib' preset), into a temporary file: the test never writes to po/
check "xgettext builds the template" \
  xgettext --package-name=$gettext_package -f po/POTFILES -D "$src" -o "$tmp/$gettext_package.pot" \
    -k_ --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format
n_msgids=$(grep -c '^msgid ' "$tmp/$gettext_package.pot" 2>/dev/null || echo 0)
echo "# the template has $((n_msgids - 1)) messages"

langs=$(grep -vE '^[[:space:]]*(#|$)' po/LINGUAS)
check "po/LINGUAS names at least one language" test -n "$langs"

for lang in $langs; do
  check "$lang.po is a valid catalogue (msgfmt -c)" \
    msgfmt -c -o /dev/null "po/$lang.po"
  msgmerge -q --no-fuzzy-matching -o "$tmp/$lang.po" "po/$lang.po" "$tmp/$gettext_package.pot" 2> "$out"
  LC_ALL=C msgfmt -c --statistics -o /dev/null "$tmp/$lang.po" > "$out" 2>&1
  stats=$(tail -n 1 "$out")
  echo "# $lang: $stats"
  if grep -qE 'untranslated|fuzzy' <<< "$stats" || ! grep -q 'translated' <<< "$stats"; then
    # name the messages that need work
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" 2>/dev/null | grep -A1 '^msgid' | head -40 >> "$out"
    msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" 2>/dev/null | grep -A1 '^msgid' | head -40 >> "$out"
    not_ok "$lang translates every message of the template"
  else
    ok "$lang translates every message of the template"
  fi
done

echo "1..$n"
exit $failed
