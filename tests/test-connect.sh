#!/usr/bin/env bash
# test-connect.sh: `connect` against real openssl s_server and gnutls-serv on
# loopback, TLS 1.2 and 1.3, with and without a required client certificate.
# The message types the client recorded must be the ones the server printed.
#
# gnutls-serv listens on every address, so the whole test runs in a private
# network namespace where only loopback exists.
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

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# Certificates made now: a CA, a server for localhost, a client
make_pki () {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days 2 -subj "/CN=Handshake Lens Test CA" 2>/dev/null || return 1
  for who in server client; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$who.key" -out "$who.csr" \
      -subj "/CN=$who" 2>/dev/null || return 1
  done
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
  printf 'extendedKeyUsage=clientAuth\n' > client.ext
  for who in server client; do
    openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$who.pem" -days 2 \
      -extfile "$who.ext" 2>/dev/null || return 1
  done
}

. "$here/peers.sh"

# The client's handshake messages, "dir type" per line, from --json output
client_messages () {
  grep '"kind":"handshake"' "$1" | sed -E 's/.*"dir":"(in|out)".*"type":"([a-z_]+)".*/\1 \2/'
}

# openssl -msg: ">>> TLS 1.3, Handshake [length 007a], ServerHello"
openssl_messages () {
  sed -nE 's/^(<<<|>>>) .*Handshake \[length [0-9a-f]+\], ([A-Za-z]+).*/\1 \2/p' "$1" |
    sed -E 's/^>>> /sent /; s/^<<< /received /' |
    sed -E 's/([a-z])([A-Z])/\1_\2/g' | tr 'A-Z' 'a-z'
}

# gnutls-serv -d 4: "HSK[..]: SERVER HELLO was queued", "CLIENT HELLO (1) was received"
gnutls_messages () {
  sed -nE 's/.*HSK\[[^]]*\]: ([A-Z ]+) was queued.*/sent \1/p; s/.*HSK\[[^]]*\]: ([A-Z ]+) \([0-9]+\) was received.*/received \1/p' "$1" |
    sed -E 's/ +$//; s/^(sent|received) /\1:/; s/ /_/g; s/:/ /' | tr 'A-Z' 'a-z'
}

compare () {
  local name=$1 server_list=$2 client_json=$3
  local expect_out expect_in got_out got_in
  expect_out=$(grep '^received ' "$server_list" | cut -d' ' -f2 | tr '\n' ' ')
  expect_in=$(grep '^sent ' "$server_list" | cut -d' ' -f2 | tr '\n' ' ')
  got_out=$(client_messages "$client_json" | grep '^out ' | cut -d' ' -f2 | tr '\n' ' ')
  got_in=$(client_messages "$client_json" | grep '^in ' | cut -d' ' -f2 | tr '\n' ' ')
  if [ -n "$expect_out" ] && [ "$expect_out" = "$got_out" ] && [ "$expect_in" = "$got_in" ]; then
    ok "$name: client recorded what the server printed ($got_in)"
  else
    not_ok "$name" "server received: $expect_out" "client sent:     $got_out" \
      "server sent:     $expect_in" "client received: $got_in"
  fi
}

run_client () {
  local port=$1 out=$2; shift 2
  timeout 30 "$cli" connect "127.0.0.1:$port" --sni localhost --cafile ca.pem --timeout 10 --json \
    -o "$out.log" "$@" > "$out" 2> "$out.err"
}

case_openssl () {
  local version=$1 mutual=$2 name="openssl s_server TLS $1${2:+ mutual}"
  local port args=() client_args=()
  port=$(free_port) || { not_ok "$name" "no free port"; return; }
  [ "$version" = 1.2 ] && args+=(-tls1_2) || args+=(-tls1_3)
  if [ -n "$mutual" ]; then
    args+=(-Verify 1 -CAfile ca.pem)
    client_args+=(--cert client.pem --key client.key)
  fi
  # s_server ends the connection at end of input: keep its input open
  mkfifo "in.$port"
  sleep 25 > "in.$port" &
  pids+=($!)
  timeout 25 openssl s_server -accept "127.0.0.1:$port" -cert server.pem -key server.key \
     -naccept 1 -msg "${args[@]}" < "in.$port" > "s_server.$port" 2>&1 &
  pids+=($!)
  wait_listening "$port" || { not_ok "$name" "s_server did not start"; return; }
  if ! run_client "$port" "client.$port" "${client_args[@]}"; then
    not_ok "$name" "connect failed: $(cat "client.$port.err")"
    return
  fi
  sleep 0.3
  openssl_messages "s_server.$port" > "server.$port"
  compare "$name" "server.$port" "client.$port"
}

case_gnutls () {
  local version=$1 mutual=$2 name="gnutls-serv TLS $1${2:+ mutual}"
  local port pid args=() client_args=()
  if [ "$netns" != yes ]; then
    skip "$name" "needs a private network namespace (gnutls-serv listens on every address)"
    return
  fi
  port=$(free_port) || { not_ok "$name" "no free port"; return; }
  [ "$version" = 1.2 ] && args+=(--priority "NORMAL:-VERS-ALL:+VERS-TLS1.2") ||
    args+=(--priority "NORMAL:-VERS-ALL:+VERS-TLS1.3")
  if [ -n "$mutual" ]; then
    args+=(--require-client-cert --x509cafile ca.pem)
    client_args+=(--cert client.pem --key client.key)
  fi
  timeout 25 gnutls-serv --port "$port" --x509certfile server.pem --x509keyfile server.key -d 4 \
    "${args[@]}" > "gnutls-serv.$port" 2>&1 &
  pid=$!
  pids+=($pid)
  wait_listening "$port" || { not_ok "$name" "gnutls-serv did not start"; return; }
  if ! run_client "$port" "client.$port" "${client_args[@]}"; then
    not_ok "$name" "connect failed: $(cat "client.$port.err")"
    return
  fi
  sleep 0.3
  kill "$pid" 2>/dev/null
  gnutls_messages "gnutls-serv.$port" > "server.$port"
  compare "$name" "server.$port" "client.$port"
}

if ! make_pki; then
  echo "1..1"
  not_ok "certificates" "openssl could not make the test certificates"
  exit 1
fi

echo "1..8"
for version in 1.3 1.2; do
  for mutual in "" yes; do
    case_openssl "$version" "$mutual"
    case_gnutls "$version" "$mutual"
  done
done
[ "$failed" -eq 0 ]
