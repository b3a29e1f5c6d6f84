#!/usr/bin/env bash
# test-valgrind.sh: valgrind memcheck on CLI demos reports no byte definitely
# lost and no memory error (GLib and GnuTLS keep "still reachable" globals:
# not counted).
#
#   test-valgrind.sh VALGRIND SUPPRESSIONS
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

cli=${HL_CLI:?HL_CLI names handshake-lens-cli}
valgrind=${1:?usage: test-valgrind.sh VALGRIND SUPPRESSIONS}
supp=${2:?usage: test-valgrind.sh VALGRIND SUPPRESSIONS}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# The demo PKI first, outside valgrind: key generation is slow under it
"$cli" demo --pki-dir "$work/pki" > /dev/null 2>&1

memcheck () {
  local name=$1 expect=$2 rc; shift 2
  G_SLICE=always-malloc timeout 300 "$valgrind" --leak-check=full --errors-for-leak-kinds=definite \
    --error-exitcode=3 --suppressions="$supp" --num-callers=30 --log-file="$work/$name.vg" \
    "$cli" "$@" --pki-dir "$work/pki" -o "$work/$name.log" > "$work/$name.out" 2>&1
  rc=$?
  if [ "$rc" -eq "$expect" ]; then
    ok "$name: valgrind found no error (exit $rc)"
  else
    not_ok "$name: valgrind found no error (exit $rc, expected $expect)" \
      "$(grep -E 'definitely lost|ERROR SUMMARY' "$work/$name.vg")"
    grep -A30 -E 'definitely lost in|Invalid|uninitialised' "$work/$name.vg" | head -80 | sed 's/^/# /'
  fi
  if grep -qE 'definitely lost: 0 bytes in 0 blocks|All heap blocks were freed' "$work/$name.vg"; then
    ok "$name: 0 bytes definitely lost"
  else
    not_ok "$name: 0 bytes definitely lost" "$(grep 'definitely lost' "$work/$name.vg")"
  fi
}

memcheck demo-tls13 0 demo
memcheck demo-tls12-mutual 0 demo --tls1.2 --mutual
memcheck demo-untrusted 1 demo --scenario untrusted-server
echo "1..$n"
[ "$failed" -eq 0 ]
