#!/usr/bin/env bash
# Where one request's CPU goes: a jepoll server (or the C floor) under load, profiled with perf,
# its samples grouped into the kernel, the binding (JNA or FFM, with libjepoll and libc's
# system-call wrappers), jepoll's Java, the JDK's Java and the JVM itself (GC, JIT, runtime).
#
# usage: benchmarks/time-split.sh [--workload plain|pipelined|echo=plain] [--connections C=64]
#            [--jdk 17|25|/path/to/bin/java=17] [--binding jna|ffm=jna] [--server jepoll|floor|echo-floor=jepoll]
#            [--seconds S=10] [--warmup W=5] [--jar JAR=cli/target/jepoll.jar] [--out DIR=benchmarks/target/time-split]
#
# The server runs alone on CPU 0 with -XX:+DumpPerfMapAtExit (JIT symbols for perf) and
# -XX:+PreserveFramePointer, the load (wrk, or native/echo_load.c for echo) on CPU 1; after W
# seconds of warm-up, `perf record -F 999 -g` samples the server for S seconds while its CPU time
# is read from /proc. Prints the groups' shares and their CPU µs per request (per round trip for
# echo), and keeps perf.data, the report and the server's output in DIR/<label>. Needs perf
# (apt-get install linux-perf), wrk, and the benchmarks built (compare.sh builds them).
set -euo pipefail
cd "$(dirname "$0")/.."

workload=plain connections=64 jdk=17 binding=jna server=jepoll seconds=10 warmup=5
jar=cli/target/jepoll.jar out=benchmarks/target/time-split
while (($#)); do
  case $1 in
    --workload) workload=$2 ;; --connections) connections=$2 ;; --jdk) jdk=$2 ;; --binding) binding=$2 ;;
    --server) server=$2 ;; --seconds) seconds=$2 ;; --warmup) warmup=$2 ;; --jar) jar=$2 ;; --out) out=$2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "time-split.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
case $jdk in
  17) java=java ;;
  25) java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ;;
  *) java=$jdk ;;
esac
for tool in perf wrk taskset python3; do
  command -v "$tool" >/dev/null || { echo "time-split.sh: $tool is missing" >&2; exit 2; }
done

label="$server-$workload-${connections}c"
[ "$server" = jepoll ] && label="jepoll-et@$(basename "$(dirname "$(dirname "$(command -v "$java")")")")-$binding-$workload-${connections}c"
dir="$out/$label"
rm -rf "$dir" && mkdir -p "$dir"
ulimit -n "$(ulimit -Hn)"
port=$((20000 + RANDOM % 5000))
protocol=http
[ "$workload" = echo ] && protocol=echo

case $server in
  jepoll)
    taskset -c 0 "$java" --enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
        -XX:+PreserveFramePointer -Djepoll.binding="$binding" -jar "$jar" "$protocol" --port "$port" \
        --transport et --max-time $((warmup + seconds + 60))s > "$dir/server.out" 2>&1 & ;;
  floor) taskset -c 0 benchmarks/target/native/http-floor "$port" > "$dir/server.out" 2>&1 & ;;
  echo-floor) taskset -c 0 benchmarks/target/native/echo-floor "$port" > "$dir/server.out" 2>&1 & ;;
  *) echo "time-split.sh: unknown server $server" >&2; exit 2 ;;
esac
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

load() {
  case $workload in
    echo) taskset -c 1 benchmarks/target/native/echo-load --port "$port" --connections "$connections" --size 64 \
              --duration "$1" --warmup 0 ;;
    pipelined) taskset -c 1 wrk -t1 -c"$connections" -d"$1"s --timeout 5s -s benchmarks/scripts/pipeline.lua \
                   "http://127.0.0.1:$port/" ;;
    *) taskset -c 1 wrk -t1 -c"$connections" -d"$1"s --timeout 5s "http://127.0.0.1:$port/" ;;
  esac
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

load "$warmup" > "$dir/warmup.txt" 2>&1
load $((seconds + 2)) > "$dir/load.txt" 2>&1 &
loader=$!
sleep 1
before=$(cpu_ticks)
perf record -F 999 -g -p "$pid" -o "$dir/perf.data" -- sleep "$seconds" > "$dir/perf-record.txt" 2>&1
after=$(cpu_ticks)
wait "$loader"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT

count=$(python3 benchmarks/scripts/time_split.py count "$workload" "$dir/load.txt" "$seconds")
perf report -i "$dir/perf.data" --no-children --sort dso,sym --stdio -g none --percent-limit 0 2>/dev/null > "$dir/report.txt"
echo "# $label: server CPU $(( (after - before) * 10 )) ms over ${seconds} s, about $count requests"
python3 benchmarks/scripts/time_split.py split "$dir/report.txt" "$(( (after - before) * 10000 ))" "$count"
