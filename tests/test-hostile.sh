#!/usr/bin/env bash
# test-hostile.sh: `connect` against servers that misbehave (tests/hostile-server.c
# on 127.0.0.1). Every run must end on time with the right exit status, one
# line on stderr saying what happened, a log that replays with what was seen,
# and nothing from the peer reaching the terminal unescaped.
#
#   test-hostile.sh HOSTILE-SERVER [SANITIZERS]
#
# SANITIZERS is meson's b_sanitize: under AddressSanitizer a process takes
# up to a second to start and a few hundred milliseconds to exit (leak
# check), so wall-clock bounds get that much slack there. The timeout is
# also checked on the capture's own clock (the log), without slack.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

cli=${HL_CLI:?HL_CLI names handshake-lens-cli}
server=${1:?usage: test-hostile.sh HOSTILE-SERVER [SANITIZERS]}
sanitize=${2:-none}
sigint_ms=100
slack_ms=0
if [ "$sanitize" != none ]; then
  sigint_ms=1500
  slack_ms=2000
fi

# Loopback only: a private network namespace when we may have one
if [ -z "${HL_IN_NETNS:-}" ] && unshare -n true 2>/dev/null; then
  exec unshare -n env HL_IN_NETNS=1 bash "$0" "$@"
fi
if [ -n "${HL_IN_NETNS:-}" ]; then
  ip link set lo up 2>/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup () {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check () { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi; }

now_ms () { echo $(( $(date +%s%N) / 1000000 )); }

# Starts the hostile server for scenario $1; sets $port and $server_pid
start_server () {
  local i
  port=
  # a scenario may start its server again (sigint does, after silent):
  # the port file of the last one must not be read before the new server
  # has replaced it, which the shell does only once the job has started
  rm -f "$1.port"
  timeout 40 "$server" "$1" > "$1.port" 2> "$1.server-err" &
  server_pid=$!
  pids+=("$server_pid")
  for i in $(seq 1 200); do
    port=$(head -n1 "$1.port" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.025
  done
  return 1
}

# Runs connect against the server; sets $rc and $elapsed_ms
run_cli () {
  local name=$1 t0; shift
  t0=$(now_ms)
  timeout -s KILL 30 "$cli" connect "127.0.0.1:$port" -o "$name.log" "$@" > "$name.out" 2> "$name.err"
  rc=$?
  elapsed_ms=$(( $(now_ms) - t0 ))
}

one_line_matching () {
  local file=$1 pattern=$2
  [ "$(wc -l < "$file")" -eq 1 ] && grep -Eq "^handshake-lens-cli: .*($pattern)" "$file"
}

# No raw C0/C1 control, DEL or bidirectional control in the files
clean_text () {
  ! LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$@"
}

# The log replays (exit 0) and holds these JSON fragments, in this order
log_has () {
  local log=$1 last=0 line; shift
  timeout 20 "$cli" replay "$log" > "$log.replay" 2> "$log.replay-err" || return 1
  timeout 20 "$cli" replay --json "$log" > "$log.json" 2>> "$log.replay-err" || return 1
  for fragment in "$@"; do
    line=$(grep -nF -- "$fragment" "$log.json" | cut -d: -f1 | awk -v l="$last" '$1 >= l { print; exit }')
    [ -n "$line" ] || { echo "# $log: no $fragment after line $last" ; return 1; }
    last=$line
  done
}

# When an event happened, in milliseconds on the capture's clock
log_time_ms () {
  local t
  t=$(grep -F -- "$2" "$1" | head -n1 | sed -nE 's/.*"t_ns":([0-9]+).*/\1/p')
  echo $(( ${t:-0} / 1000000 ))
}

# A failing scenario: exit 1, one line, a log with what was seen, on time
expect_failure () {
  local name=$1 pattern=$2; shift 2
  local fragments=("$@")
  check "$name: exits with status 1 (got $rc)" test "$rc" -eq 1
  check "$name: one line on stderr says what happened" one_line_matching "$name.err" "$pattern"
  one_line_matching "$name.err" "$pattern" || sed 's/^/# stderr: /' "$name.err" | cat -v | head -5
  check "$name: the log replays with ${fragments[*]}" log_has "$name.log" "${fragments[@]}"
  check "$name: nothing unescaped reached the terminal" \
    clean_text "$name.out" "$name.err" "$name.log.replay" "$name.log.json"
}

client_hello='"dir":"out","type":"client_hello"'
server_hello='"dir":"in","type":"server_hello"'
failed_state='"state":"handshake_failed"'

scenario_not_tls () {
  local name=$1 pattern=$2
  start_server "$name" || { not_ok "$name: server started"; return; }
  run_cli "$name" --insecure --timeout 3
  expect_failure "$name" "$pattern" "$client_hello" "$failed_state"
  check "$name: ended within the timeout (${elapsed_ms} ms)" test "$elapsed_ms" -lt $((3000 + slack_ms))
}

scenario_hello_close () {
  local name=hello-close
  start_server "$name" || { not_ok "$name: server started"; return; }
  run_cli "$name" --insecure --timeout 3
  expect_failure "$name" "closed the connection" "$client_hello" "$server_hello" "$failed_state"
}

scenario_silent_timeout () {
  local name=silent
  start_server "$name" || { not_ok "$name: server started"; return; }
  run_cli "$name" --insecure --timeout 2
  expect_failure "$name" "Timed out" "$client_hello" '"kind":"error","code":"timeout"'
  check "$name: the 2 s timeout fired on time (${elapsed_ms} ms)" \
    test "$elapsed_ms" -ge 1900 -a "$elapsed_ms" -le $((3000 + slack_ms))
  span=$(log_time_ms "$name.log.json" '"kind":"error","code":"timeout"')
  check "$name: the log says it timed out 2 s after the capture began (${span} ms)" \
    test "${span:-0}" -ge 1900 -a "${span:-0}" -le 3000
}

# Starts connect against a silent server, interrupts it once it waits for
# the ServerHello; sets $rc and $elapsed_ms (from kill to exit)
interrupt_once () {
  local name=$1 pid t0 i
  start_server silent || return 1
  "$cli" connect "127.0.0.1:$port" --insecure --timeout 20 -o "$name.log" > "$name.out" 2> "$name.err" &
  pid=$!
  pids+=("$pid")
  for i in $(seq 1 200); do
    grep -q '"client_hello"' "$name.log" 2>/dev/null && break
    sleep 0.025
  done
  sleep 0.2
  kill -0 "$pid" 2>/dev/null || echo "# $name: the client ended before it was interrupted"
  t0=$(date +%s%N)
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# Latency on a busy machine is noisy: the best of three attempts must
# meet the bound, every attempt must end cleanly
scenario_silent_sigint () {
  local name=sigint attempt times=() best=999999
  for attempt in 1 2 3; do
    interrupt_once "$name" || { not_ok "$name: server started"; return; }
    times+=("$elapsed_ms")
    [ "$elapsed_ms" -lt "$best" ] && best=$elapsed_ms
    [ "$rc" -eq 1 ] || break
    [ "$best" -le "$sigint_ms" ] && break
  done
  expect_failure "$name" "Cancelled" "$client_hello" '"kind":"error","code":"cancelled"'
  check "$name: SIGINT ended the process within $sigint_ms ms (${times[*]} ms)" test "$best" -le "$sigint_ms"
}

scenario_dribble () {
  local name=dribble
  start_server "$name" || { not_ok "$name: server started"; return; }
  run_cli "$name" --insecure --timeout 10
  check "$name: a handshake sent one byte per write completes (exit $rc)" test "$rc" -eq 0
  check "$name: the log holds every message, decoded" log_has "$name.log" "$client_hello" "$server_hello" \
    '"type":"certificate"' '"name":"certificate_list"' '"dir":"in","type":"finished"' '"state":"handshake_done"'
  check "$name: stderr is empty" test ! -s "$name.err"
}

# A big or hostile chain: refused when verified, complete with --insecure
scenario_chain () {
  local name=$1 count=$2 pattern
  start_server "$name" || { not_ok "$name: server started"; return; }
  run_cli "$name" --timeout 5
  expect_failure "$name" "verification" "$client_hello" '"kind":"certificate_check"' \
    '"kind":"alert","dir":"out","level":"fatal"' "$failed_state"
  check "$name: the trace shows the $count-certificate chain" \
    grep -q "chain ($count certificate" "$name.out"
  pattern="${name}-insecure"
  start_server "$name" || { not_ok "$pattern: server started"; return; }
  run_cli "$pattern" --insecure --timeout 5 --json
  check "$pattern: completes with --insecure (exit $rc)" test "$rc" -eq 0
  check "$pattern: the log holds the decoded chain" log_has "$pattern.log" "$client_hello" \
    '"type":"certificate"' '"kind":"certificate_check"' '"state":"handshake_done"'
  check "$pattern: nothing unescaped reached the terminal" \
    clean_text "$pattern.out" "$pattern.err" "$pattern.log.replay" "$pattern.log.json"
}

scenario_names () {
  scenario_chain names 1
  check "names: the escape sequences were shown escaped" grep -q 'evil\\u001b\[31mRED' names-insecure.out
  check "names: the right-to-left override was shown escaped" grep -qi 'line \\u202egnp' names-insecure.out
  check "names: the 10 000-character field is all there in the log" \
    grep -q "$(printf 'A%.0s' $(seq 1 10000))" names-insecure.log
  # `decode` prints the certificate's names too
  grep '"type":"certificate"' names-insecure.log.json | head -n1 |
    sed -E 's/.*"raw":"([0-9a-f]+)".*/\1/' > names-certificate.hex
  "$cli" decode names-certificate.hex > names-decode.out 2>&1
  check "names: decode prints the Certificate (exit $?)" grep -q '^certificate' names-decode.out
  "$cli" decode --json names-certificate.hex > names-decode.json 2>&1
  check "names: decode --json prints the Certificate (exit $?)" grep -q '"certificate_list"' names-decode.json
  check "names: decode printed nothing unescaped" clean_text names-decode.out names-decode.json
  check "names: decode --json shows the escapes escaped" grep -q 'evil\\u001b\[31mRED' names-decode.json
}

scenario_alert () {
  local name=alert
  start_server "$name" || { not_ok "$name: server started"; return; }
  run_cli "$name" --insecure --timeout 3
  expect_failure "$name" "fatal handshake_failure alert" "$client_hello" "$server_hello" \
    '"kind":"alert","dir":"in","level":"fatal","level_code":2,"description":"handshake_failure"' "$failed_state"
}

scenario_tls10 () {
  local name=tls10
  start_server "$name" || { not_ok "$name: server started"; return; }
  run_cli "$name" --insecure --timeout 3
  # The client refuses the TLS 1.0 ServerHello with a protocol_version alert
  expect_failure "$name" "unsupported version" "$client_hello" "$server_hello" \
    '"kind":"alert","dir":"out","level":"fatal","level_code":2,"description":"protocol_version"' "$failed_state"
}


scenario_not_tls garbage "did not answer with TLS: it sent bytes that are not TLS \\(99 "
scenario_not_tls sslv2 "did not answer with TLS: it sent an SSL 2.0 reply"
scenario_not_tls http "did not answer with TLS: it sent an HTTP reply"
scenario_hello_close
scenario_silent_timeout
scenario_silent_sigint
scenario_dribble
scenario_chain chain50 50
scenario_chain cert60k 1
scenario_names
scenario_alert
scenario_tls10
echo "1..$n"
[ "$failed" -eq 0 ]
