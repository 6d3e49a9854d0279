#!/usr/bin/env bash
# Load runs of `jepoll http` with wrk: the server pinned to CPU 0, wrk to CPU 1, each
# transport in turn (rounds alternate A B C A B C), non-pipelined and 16-deep pipelined.
# Prints requests/s and the server's syscalls per request from its own counters.
#
# usage: benchmarks/scripts/http-load.sh [rounds=3] [seconds=10] [transports="et lt nio"]
# needs: wrk and taskset (apt-get install wrk), a built java/target/jepoll.jar
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
seconds=${2:-10}
transports=${3:-"et lt nio"}
jar=java/target/jepoll.jar
port=18080
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
[ -f "$jar" ] || { echo "$jar is missing: run mvn -B package -DskipTests first"; exit 2; }

run() {   # transport, label, extra wrk args...
  local transport=$1 label=$2; shift 2
  local log; log=$(mktemp)
  taskset -c 0 java -jar "$jar" http --port $port --transport "$transport" \
      --max-time $((seconds * 2 + 8))s > "$log" 2>&1 &
  local server=$!
  for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
  grep -q listening "$log" || { echo "the server did not start:"; cat "$log"; kill $server 2>/dev/null; exit 1; }
  local warm measured
  warm=$(taskset -c 1 wrk -t1 -c64 -d${seconds}s "$@" http://127.0.0.1:$port/ | awk '/requests in/{print $1}')
  measured=$(taskset -c 1 wrk -t1 -c64 -d${seconds}s "$@" http://127.0.0.1:$port/)
  wait $server
  local rps requests syscalls
  rps=$(echo "$measured" | awk '/Requests\/sec/{print $2}')
  requests=$(echo "$measured" | awk '/requests in/{print $1}')
  syscalls=$(awk '/totals:/{for(i=1;i<=NF;i++) if($i=="syscalls"){print $(i+1); exit}}' "$log")
  printf "%-9s %-10s %10s req/s  %6.3f syscalls/request\n" "$transport" "$label" "$rps" \
      "$(awk -v s="$syscalls" -v a="$warm" -v b="$requests" 'BEGIN{print s / (a + b)}')"
  rm -f "$log"
}

echo "# $(date -u +%F) $(uname -r) $(java -version 2>&1 | head -1) cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "# wrk -t1 -c64 -d${seconds}s, after a ${seconds}s warm-up on the same server; server on CPU 0, wrk on CPU 1"
for round in $(seq "$rounds"); do
  for transport in $transports; do
    run "$transport" plain
    run "$transport" pipeline16 -s benchmarks/scripts/pipeline.lua
  done
done
