#!/usr/bin/env bash
# The server-wide memory budget under pressure: GET / latency on a loop while peers that never
# read their echoes fill the budget, beside the same latency with nobody hoarding.
#
# usage: benchmarks/budget.sh [--budget 64m] [--peers 200] [--seconds 15] [--port 18095] [--transport et]
#
# One `jepoll http --loops 1 --max-buffered BUDGET` on CPU 0; on CPU 1, wrk -t1 -c8 --latency on
# GET / for SECONDS alone, then for SECONDS while scripts/Hoarders.java runs PEERS peers that POST
# chunked bodies to /echo without ever reading. Prints wrk's latency percentiles for both, how many
# peers the server closed, the budget's warnings in the server's log, and its VmHWM. Every step is
# bounded by timeout. Needs java, taskset and wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
budget=64m peers=200 seconds=15 port=18095 transport=et
while (($#)); do
  case $1 in
    --budget) budget=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --transport) transport=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "budget.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
jar=cli/target/jepoll.jar
[[ -f $jar ]] || { echo "budget.sh: build $jar first (mvn -B package -DskipTests -pl java,cli)" >&2; exit 1; }
log=$(mktemp)
ulimit -n 65536 2>/dev/null || true
timeout $((seconds * 3 + 30)) taskset -c 0 java -jar "$jar" http --port "$port" --loops 1 --transport "$transport" \
  --max-buffered "$budget" --max-time $((seconds * 3 + 20))s >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
pid=$(pgrep -f "^java -jar $jar http --port $port" | head -1)
echo "# benchmarks/budget.sh --budget $budget --peers $peers --seconds $seconds --transport $transport ($(date -u +%FT%TZ))"
echo "## GET / alone"
timeout $((seconds + 10)) taskset -c 1 wrk -t1 -c8 -d"${seconds}s" --latency "http://127.0.0.1:$port/" | sed -n '/Latency Distribution/,/Requests\/sec/p'
echo "## GET / while $peers peers hoard"
timeout $((seconds + 20)) taskset -c 1 java benchmarks/scripts/Hoarders.java "$port" "$peers" "$((seconds + 2))" &
hoarders=$!
sleep 2
timeout $((seconds + 10)) taskset -c 1 wrk -t1 -c8 -d"${seconds}s" --latency "http://127.0.0.1:$port/" | sed -n '/Latency Distribution/,/Requests\/sec/p'
wait $hoarders || true
echo "## the server"
echo "budget warnings: $(grep -c 'memory budget' "$log" || true)"
grep -m 2 'memory budget' "$log" || true
grep VmHWM "/proc/$pid/status" || true
