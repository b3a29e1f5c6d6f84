#!/usr/bin/env bash
# test-tshark.sh: Wireshark (tshark) reads what handshake-lens-cli exports.
#
# (a) A `connect` to openssl s_server, captured from loopback by tshark
#     while the CLI writes its key log: with that key log tshark decrypts
#     the TLS 1.3 handshake, without it it cannot.
# (b) Demo logs exported as pcapng with the secrets embedded: tshark, given
#     only that file, lists the handshake messages the client recorded, in
#     order, decrypted, and finds nothing wrong with the TCP stream.
#
# The capture runs in a private network namespace where only loopback
# exists. tshark gets a throwaway HOME so it writes no profile anywhere.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

cli=${HL_CLI:?HL_CLI names handshake-lens-cli}

if [ -z "${HL_IN_NETNS:-}" ] && unshare -n true 2>/dev/null; then
  exec unshare -n env HL_IN_NETNS=1 bash "$0" "$@"
fi
netns=no
if [ -n "${HL_IN_NETNS:-}" ] && ip link set lo up 2>/dev/null; then
  netns=yes
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
export HOME="$work/home" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
mkdir -p "$HOME"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

plan=10
echo "1..$plan"
if ! command -v tshark > /dev/null; then
  for i in $(seq 1 $plan); do skip "tshark $i" "tshark is not installed"; done
  exit 0
fi

# Handshake types tshark finds, one number per line (a frame may hold several)
tshark_types () {
  timeout 60 tshark -r "$@" -Y tls.handshake -T fields -e tls.handshake.type 2>/dev/null |
    tr ',' '\n' | sed '/^$/d'
}

# The handshake messages a side of a log recorded, as wire numbers, in order
log_types () {
  grep "\"side\":\"$2\",\"kind\":\"handshake\"" "$1" | sed -nE 's/.*"msg_type":([0-9]+).*/\1/p'
}

# Whether the space-separated list $1 holds the other arguments, in that order
in_order () {
  local -a list
  local want i=0
  read -r -a list <<< "$1"
  shift
  for want in "$@"; do
    while [ "$i" -lt "${#list[@]}" ] && [ "${list[$i]}" != "$want" ]; do i=$((i + 1)); done
    [ "$i" -lt "${#list[@]}" ] || return 1
    i=$((i + 1))
  done
  return 0
}

### (a) connect, captured by tshark, decrypted with the exported key log

make_pki () {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days 2 -subj "/CN=Handshake Lens Test CA" 2>/dev/null || return 1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
    -subj "/CN=localhost" 2>/dev/null || return 1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
    -extfile server.ext 2>/dev/null
}

. "$here/peers.sh"

# tshark prints "Capturing on" when it starts dumpcap, and (4.0) "Capture
# started" once dumpcap really captures; older versions print only the first,
# so give those a moment more
wait_capturing () {
  local i since=
  for i in $(seq 1 300); do
    grep -q "Capture started" tshark.err 2>/dev/null && return 0
    if [ -z "$since" ] && grep -q "Capturing on" tshark.err 2>/dev/null; then
      since=$i
    fi
    [ -n "$since" ] && [ $((i - since)) -ge 40 ] && return 0
    sleep 0.05
  done
  return 1
}

capture_connect () {
  local port tshark_pid server_pid holder_pid i
  port=$(free_port) || { echo "no free port" > reason; return 1; }
  mkfifo s_server.in
  sleep 40 > s_server.in &
  holder_pid=$!
  pids+=($holder_pid)
  timeout 40 openssl s_server -accept "127.0.0.1:$port" -cert server.pem -key server.key \
    -naccept 1 -tls1_3 < s_server.in > s_server.out 2>&1 &
  server_pid=$!
  pids+=($server_pid)
  wait_listening "$port" || { echo "s_server did not start" > reason; return 1; }

  timeout 40 tshark -i lo -f "tcp port $port" -w cap.pcapng > tshark.out 2> tshark.err &
  tshark_pid=$!
  pids+=($tshark_pid)
  wait_capturing || { echo "tshark did not start capturing: $(cat tshark.err)" > reason; return 1; }

  if ! timeout 30 "$cli" connect "127.0.0.1:$port" --sni localhost --cafile ca.pem --timeout 10 \
         --keylog keys.txt -o connect.log > connect.out 2> connect.err; then
    echo "connect failed: $(cat connect.err)" > reason
    return 1
  fi
  # let the last packets reach the capture, then stop it cleanly
  sleep 0.5
  kill -INT "$tshark_pid" 2>/dev/null
  for i in $(seq 1 100); do
    kill -0 "$tshark_pid" 2>/dev/null || break
    sleep 0.05
  done
  wait "$tshark_pid" 2>/dev/null
  # the server is no longer needed either
  kill "$server_pid" "$holder_pid" 2>/dev/null
  echo "$port" > port
  [ -s cap.pcapng ] || { echo "tshark wrote no capture: $(cat tshark.err)" > reason; return 1; }
}

case_connect () {
  local port with without recorded exported endpoints i
  if [ "$netns" != yes ]; then
    for i in 1 2 3 4; do skip "connect capture $i" "needs a private network namespace"; done
    return
  fi
  if ! make_pki; then
    for i in 1 2 3 4; do not_ok "connect capture $i" "openssl could not make the test certificates"; done
    return
  fi
  # not in a subshell: the background processes must reach the cleanup trap
  if ! capture_connect; then
    for i in 1 2 3 4; do not_ok "connect capture $i" "$(cat reason)"; done
    return
  fi
  port=$(cat port)
  with=$(tshark_types cap.pcapng -d "tcp.port==$port,tls" -o "tls.keylog_file:$work/keys.txt" |
    tr '\n' ' ')
  without=$(tshark_types cap.pcapng -d "tcp.port==$port,tls" | tr '\n' ' ')
  echo "# live capture: $(timeout 60 tshark -r cap.pcapng 2>/dev/null | wc -l) frames; tshark: $(grep -v 'as user "root"' tshark.err | tr '\n' ' ')"
  echo "# tshark with the key log:    $with"
  echo "# tshark without the key log: $without"

  if [ "$(sort -u keys.txt | wc -l)" -eq "$(wc -l < keys.txt)" ] &&
     grep -q '^CLIENT_HANDSHAKE_TRAFFIC_SECRET ' keys.txt &&
     grep -q '^SERVER_TRAFFIC_SECRET_0 ' keys.txt; then
    ok "connect --keylog wrote each TLS 1.3 secret once"
  else
    not_ok "connect --keylog wrote each TLS 1.3 secret once" "$(cut -d' ' -f1 keys.txt | tr '\n' ' ')"
  fi
  if in_order "$with" 1 2 8 11 15 20 20; then
    ok "tshark decrypts the captured handshake with the key log ($with)"
  else
    not_ok "tshark decrypts the captured handshake with the key log" "saw: $with"
  fi
  if in_order "$without" 1 2 && ! in_order "$without" 8 && ! in_order "$without" 11; then
    ok "without the key log tshark sees only the plaintext hellos ($without)"
  else
    not_ok "without the key log tshark sees only the plaintext hellos" "saw: $without"
  fi

  # the connect log exported as pcapng: the real endpoints, the client's messages
  recorded=$(log_types connect.log client | tr '\n' ' ')
  if timeout 30 "$cli" export connect.log --pcapng connect.pcapng 2> export.err; then
    exported=$(tshark_types connect.pcapng -d "tcp.port==$port,tls" | tr '\n' ' ')
    endpoints=$(timeout 60 tshark -r connect.pcapng -c 1 -T fields -e ip.dst -e tcp.dstport 2>/dev/null |
      tr '\t' ':')
  fi
  echo "# connect log exported as pcapng: ${exported:-} (to ${endpoints:-})"
  if [ -n "$recorded" ] && [ "$recorded" = "${exported:-}" ] && [ "${endpoints:-}" = "127.0.0.1:$port" ]; then
    ok "the exported connect log reaches 127.0.0.1:$port and decrypts to what the client recorded"
  else
    not_ok "the exported connect log decrypts to what the client recorded" "recorded: $recorded" \
      "exported: ${exported:-} to ${endpoints:-}" "$(cat export.err)"
  fi
}

### (b) demo logs exported as pcapng with the secrets embedded

case_export () {
  local name=$1 log=$2 expected got warnings; shift 2
  if ! timeout 60 "$cli" demo "$@" -o "$log" > "$log.out" 2> "$log.err"; then
    not_ok "$name: demo" "$(cat "$log.err")"
    not_ok "$name: no pcapng without a demo"
    return
  fi
  if ! timeout 30 "$cli" export "$log" --pcapng "$log.pcapng" 2> "$log.export.err"; then
    not_ok "$name: export" "$(cat "$log.export.err")"
    not_ok "$name: no pcapng to check"
    return
  fi
  expected=$(log_types "$log" client | tr '\n' ' ')
  got=$(tshark_types "$log.pcapng" | tr '\n' ' ')
  echo "# $name: client recorded: $expected"
  echo "# $name: tshark lists:    $got"
  if [ -n "$expected" ] && [ "$expected" = "$got" ]; then
    ok "$name: tshark lists the client's handshake messages, decrypted, in order"
  else
    not_ok "$name: tshark lists the client's handshake messages" "expected: $expected" "tshark:   $got"
  fi
  # sequence numbers, checksums and lengths that tshark finds fault with
  warnings=$(timeout 60 tshark -r "$log.pcapng" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
    -q -z expert,warn 2>/dev/null | grep -E '^ +[0-9]+ +[A-Za-z]+ +[A-Za-z0-9.]+ ' || true)
  if [ -z "$warnings" ]; then
    ok "$name: tshark finds no warning in the synthesized TCP stream"
  else
    not_ok "$name: tshark finds no warning in the synthesized TCP stream" "$warnings"
  fi
}

case_connect
case_export "TLS 1.3 ECDHE demo" d13.log --tls1.3
case_export "TLS 1.2 RSA demo" d12.log --tls1.2 --kx rsa
case_export "TLS 1.3 resumption demo" dres.log --scenario resumption
[ "$failed" -eq 0 ]
