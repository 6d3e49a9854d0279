#!/usr/bin/env bash
# Heap and resident memory per idle connection: starts `jepoll echo`, measures it after a
# full GC, opens N idle connections from another process (each echoes one byte first, so
# every connection has been read and written once), and measures again.
#
# usage: [JEPOLL_JAR=path/to/jepoll.jar] benchmarks/scripts/idle-memory.sh [transport=et] [connections=10000]
# needs: python3, jcmd (in the JDK), ulimit -n above N + 100 for both processes
set -euo pipefail
cd "$(dirname "$0")/../.."
transport=${1:-et}
n=${2:-10000}
port=19100
java -Xms256m -Xmx256m -XX:NativeMemoryTracking=summary -jar "${JEPOLL_JAR:-cli/target/jepoll.jar}" echo --port $port \
    --transport "$transport" --max-time 90s > /dev/null 2>&1 &
server=$!
sleep 2
measure() {
  jcmd $server GC.run > /dev/null
  sleep 1
  local rss heap fds
  rss=$(awk '/VmRSS/{print $2}' /proc/$server/status)
  heap=$(jcmd $server GC.heap_info | awk '/used/{for(i=1;i<=NF;i++) if($i=="used"){print $(i+1); exit}}')
  fds=$(ls /proc/$server/fd | wc -l)
  echo "$1: rss ${rss} KB, heap used $heap, fds $fds"
}
python3 benchmarks/scripts/idle-clients.py 100 $port 0 > /dev/null
measure "before"
python3 benchmarks/scripts/idle-clients.py "$n" $port 60 &
clients=$!
for _ in $(seq 120); do [ "$(ls /proc/$server/fd | wc -l)" -ge "$n" ] && break; sleep 0.5; done
sleep 2
measure "with $n idle connections ($transport)"
kill $clients $server 2>/dev/null || true
wait 2>/dev/null || true
