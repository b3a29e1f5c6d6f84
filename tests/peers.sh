# peers.sh: what the shell tests that run real servers on loopback share
# (sourced, not run)
#
# SPDX-License-Identifier: GPL-3.0-or-later

# A free TCP port on this (private) network, or failure
free_port () {
  local port tries
  for tries in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Waits up to 5 s for a listener on $1
wait_listening () {
  local port=$1 i
  for i in $(seq 1 100); do
    [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ] && return 0
    sleep 0.05
  done
  return 1
}
