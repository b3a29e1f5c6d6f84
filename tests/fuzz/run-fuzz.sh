#!/bin/sh
# run-fuzz.sh: a short libFuzzer run over a fresh copy of the seeds made
# from tests/data (by SEEDER, given SEEDER_OPTION first where there is one).
#
#   run-fuzz.sh FUZZER SEEDER DATA_DIR WORK_DIR SECONDS [SEEDER_OPTION]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fuzzer=$1 seeder=$2 data=$3 work=$4 seconds=$5 option=${6:-}

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
if [ -n "$option" ]; then
  "$seeder" "$option" "$data" "$work/corpus"
else
  "$seeder" "$data" "$work/corpus"
fi
# -rss_limit_mb: GnuTLS and GLib are well below it; a leak or a blow-up is not
exec "$fuzzer" "$work/corpus" \
  -max_total_time="$seconds" \
  -max_len=4096 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -error_exitcode=1 \
  -artifact_prefix="$work/artifacts/"
