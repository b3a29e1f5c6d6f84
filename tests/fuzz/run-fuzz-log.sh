#!/bin/sh
# run-fuzz-log.sh: a short libFuzzer run of the log reader over a fresh copy
# of the logs in tests/data/logs (regression inputs included).
#
#   run-fuzz-log.sh FUZZER LOGS_DIR DICT WORK_DIR SECONDS
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fuzzer=$1 logs=$2 dict=$3 work=$4 seconds=$5

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$logs"/*.jsonl "$work/corpus/"
# -error_exitcode: libFuzzer's default, 77, is what meson calls a skip
exec "$fuzzer" "$work/corpus" \
  -error_exitcode=1 \
  -dict="$dict" \
  -max_total_time="$seconds" \
  -max_len=20000 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/"
