#!/usr/bin/env bash
# Soak: jepoll's HTTP and echo servers under steady mixed load with abuse sprinkled in, for a
# chosen time; then what they served, the errors by kind, and each server's fd count and
# resident memory at the start and at the end. Not part of CI.
#
# usage: benchmarks/soak.sh [--minutes M=10] [--transport et|lt|nio|blocking] [--port P=18180]
#
# Load, all on loopback: wrk -t1 -c32 on GET / (HTTP server on P); EchoLoad, 32 connections
# ping-ponging 64-byte messages, every byte checked (echo server on P+1); and
# scripts/Abuse.java against the HTTP server: an attack every 100 ms (slowloris, random
# bytes, oversized head, reset mid-request, reset mid-response). Needs java, jcmd (both in the JDK) and wrk
# (apt-get install -y wrk); builds the jars when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10 transport=et port=18180
while (($#)); do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --transport) transport=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $minutes =~ ^[0-9]+$ ]] && ((minutes >= 1)) || { echo "soak.sh: --minutes must be >= 1" >&2; exit 2; }
command -v wrk > /dev/null || { echo "soak.sh: wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }
jepoll_jar=java/target/jepoll.jar bench_jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jepoll_jar" ] || [ ! -f "$bench_jar" ]; then
  mvn -B -q package -DskipTests
fi
seconds=$((minutes * 60))
tmp=$(mktemp -d /tmp/jepoll-soak.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

start() {   # protocol, port: starts a server (a safety net of --max-time), echoes its pid
  java -jar "$jepoll_jar" "$1" --port "$2" --transport "$transport" --max-time "$((seconds + 120))s" \
      > "$tmp/$1.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q listening "$tmp/$1.log" && break; sleep 0.1; done
  grep -q listening "$tmp/$1.log" || { echo "soak.sh: the $1 server did not start:" >&2; cat "$tmp/$1.log" >&2; exit 1; }
  echo "$pid"
}
resources() {   # pid → "fds N, heap N after a full GC, rss N kB" (RSS also counts heap the JVM has grown into)
  jcmd "$1" GC.run > /dev/null
  local heap
  heap=$(jcmd "$1" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { print $(i + 1); exit } }')
  echo "fds $(ls "/proc/$1/fd" | wc -l), heap $heap after a full GC, rss $(awk '/VmRSS/ {print $2}' "/proc/$1/status") kB"
}

http_pid=$(start http "$port"); pids+=("$http_pid")
echo_pid=$(start echo "$((port + 1))"); pids+=("$echo_pid")
sleep 1
http_start=$(resources "$http_pid") echo_start=$(resources "$echo_pid")
echo "# soak $(date -u '+%F %T UTC'), $minutes min, transport $transport, $(uname -r), $(java -version 2>&1 | head -1)"
echo "at the start: http server $http_start; echo server $echo_start"

wrk -t1 -c32 -d"${seconds}s" --timeout 5s "http://127.0.0.1:$port/" > "$tmp/wrk.txt" 2>&1 &
wrk_pid=$!; pids+=("$wrk_pid")
java --enable-native-access=ALL-UNNAMED -cp "$bench_jar" io.jepoll.benchmarks.load.EchoLoad --port "$((port + 1))" \
    --connections 32 --size 64 --duration "${seconds}s" --warmup 1s > "$tmp/echo.txt" 2> "$tmp/echo.err" &
echo_load_pid=$!; pids+=("$echo_load_pid")
java benchmarks/scripts/Abuse.java "$port" "$seconds" > "$tmp/abuse.txt" 2>&1 &
abuse_pid=$!; pids+=("$abuse_pid")

wait "$wrk_pid" || true
wait "$echo_load_pid" || true
wait "$abuse_pid" || true
sleep 15   # lets the servers close what the abuse left behind (the longest: a slowloris head)
http_end=$(resources "$http_pid") echo_end=$(resources "$echo_pid")
kill -TERM "$http_pid" "$echo_pid"
for _ in $(seq 150); do   # they print their totals on the way out
  kill -0 "$http_pid" 2> /dev/null || kill -0 "$echo_pid" 2> /dev/null || break
  sleep 0.1
done

echo "at the end:   http server $http_end; echo server $echo_end"
echo "http (wrk -t1 -c32): $(awk '/requests in/ {print $1 " requests"} /Requests\/sec/ {print $2 " req/s"}' "$tmp/wrk.txt" | paste -sd, -)"
awk '/Socket errors|Non-2xx/ {print "http errors: " $0}' "$tmp/wrk.txt"
echo "echo (EchoLoad): $(cat "$tmp/echo.txt")"
[ -s "$tmp/echo.err" ] && grep -v '^echo-load: ' "$tmp/echo.err" | sed 's/^/echo stderr: /' || true
cat "$tmp/abuse.txt"
grep -h 'totals:' "$tmp/http.log" "$tmp/echo.log" | sed 's/^/server /'
echo "server log lines with WARNING or Exception: $(cat "$tmp/http.log" "$tmp/echo.log" | grep -c 'WARNING\|Exception' || true)"
