#!/usr/bin/env bash
# Side-by-side load runs of jepoll's transports, Netty, nginx and a C "floor" server, in one command.
#
# usage: benchmarks/compare.sh [--rounds N=3] [--seconds S=5] [--warmup W=3]
#            [--servers "jepoll-et jepoll-lt jepoll-nio jepoll-blocking netty nginx floor"]
#            [--benchmarks "http echo"] [--connections C=64] [--port P=18080]
#            [--install] [--out DIR=benchmarks/results]
#
# HTTP (GET / -> hello): wrk -t1 -cC, plain and 16-deep pipelined (scripts/pipeline.lua).
# Echo (jepoll and Netty only): EchoLoad, C connections ping-ponging 64-byte messages.
# Every run: the server alone on CPU 0, the load generator on CPU 1; a fresh server, W seconds of
# warm-up, then S measured seconds with the server's CPU time (utime+stime from /proc) read just
# before and after. Servers alternate within a round (A B C A B C ...) so that a slow patch of
# this shared machine hits all of them, and the summary reports medians with their spread.
#
# Writes DIR/<date>-compare.csv (one row per run) and DIR/<date>-compare.txt (the machine, the
# command, and the medians), and prints the summary. --install apt-installs wrk and nginx when
# missing. Needs java, taskset, and wrk for the HTTP runs.
set -euo pipefail

cd "$(dirname "$0")/.."   # the repository root: every path below is relative to it
command_line="benchmarks/compare.sh"
(($#)) && command_line+=$(printf ' %q' "$@")
started_at=$(date +%s)

all_servers="jepoll-et jepoll-lt jepoll-nio jepoll-blocking netty nginx floor"
echo_capable="jepoll-et jepoll-lt jepoll-nio jepoll-blocking netty"   # nginx and floor speak HTTP only
rounds=3 seconds=5 warmup=3 connections=64 port=18080 install=0
servers=$all_servers
benchmarks="http echo"
out=benchmarks/results

jepoll_jar=java/target/jepoll.jar
bench_jar=benchmarks/target/benchmarks.jar
# With -cp (not -jar) the jar's Enable-Native-Access does not apply; JDK 24+ would warn.
native_access=(--enable-native-access=ALL-UNNAMED)
pipeline_lua=benchmarks/scripts/pipeline.lua
nginx_template=benchmarks/nginx/nginx.conf.template
floor_bin=benchmarks/target/native/http-floor
echo_size=64

usage() {   # the comment at the top of this file
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

die() {   # exit code, message
  echo "compare.sh: $2" >&2
  exit "$1"
}

# ---------------------------------------------------------------------------------------------
# Options
while (($#)); do
  arg=$1
  case $arg in
    --*=*) set -- "${arg%%=*}" "${arg#*=}" "${@:2}"; continue ;;   # --rounds=3 as --rounds 3
  esac
  case $arg in
    --rounds|--seconds|--warmup|--servers|--benchmarks|--connections|--port|--out)
      (($# >= 2)) || die 2 "$arg needs a value"
      value=$2
      case $arg in
        --rounds) rounds=$value ;;
        --seconds) seconds=$value ;;
        --warmup) warmup=$value ;;
        --servers) servers=$value ;;
        --benchmarks) benchmarks=$value ;;
        --connections) connections=$value ;;
        --port) port=$value ;;
        --out) out=$value ;;
      esac
      shift 2 ;;
    --install) install=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die 2 "unknown argument: $arg (see --help)" ;;
  esac
done

is_int() { [[ $1 =~ ^[0-9]+$ ]]; }
is_int "$rounds" && ((rounds >= 1)) || die 2 "--rounds must be a whole number >= 1: $rounds"
is_int "$seconds" && ((seconds >= 1)) || die 2 "--seconds must be a whole number >= 1: $seconds"
is_int "$warmup" || die 2 "--warmup must be a whole number >= 0: $warmup"
is_int "$connections" && ((connections >= 1)) || die 2 "--connections must be >= 1: $connections"
is_int "$port" && ((port >= 1024 && port <= 65535)) || die 2 "--port must be 1024..65535: $port"
for s in $servers; do
  [[ " $all_servers " == *" $s "* ]] || die 2 "unknown server '$s' (known: $all_servers)"
done
for b in $benchmarks; do
  [[ $b == http || $b == echo ]] || die 2 "unknown benchmark '$b' (known: http echo)"
done
has() { [[ " $1 " == *" $2 "* ]]; }   # list, word

# ---------------------------------------------------------------------------------------------
# Clean-up: whatever is interrupted, no server or load generator outlives the script.
tmp=$(mktemp -d /tmp/jepoll-compare.XXXXXX)
tracked=()        # pids to stop on exit
cleanup() {
  local pid
  for pid in "${tracked[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${tracked[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${tracked[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM
track() { tracked+=("$@"); }

# ---------------------------------------------------------------------------------------------
# Tools, builds and which servers can run
for tool in java taskset getconf; do
  command -v "$tool" >/dev/null || die 2 "$tool is not installed"
done
nginx_cmd=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
need_wrk=0; has "$benchmarks" http && need_wrk=1
need_nginx=0; has "$benchmarks" http && has "$servers" nginx && need_nginx=1

if ((install)) && { { ((need_wrk)) && ! command -v wrk >/dev/null; } || { ((need_nginx)) && [ -z "$nginx_cmd" ]; }; }; then
  # nginx-light is the smallest nginx with the return directive; newer Debian has only nginx.
  nginx_package=nginx-light
  apt-cache show nginx-light >/dev/null 2>&1 || nginx_package=nginx
  echo "installing wrk and $nginx_package ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk "$nginx_package" >/dev/null \
    || die 2 "apt-get install -y wrk $nginx_package failed (run it as root)"
  nginx_cmd=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
fi
if ((need_wrk)) && ! command -v wrk >/dev/null; then
  die 2 "wrk is not installed: apt-get install -y wrk, or rerun with --install"
fi

if [ ! -f "$jepoll_jar" ] || [ ! -f "$bench_jar" ]; then
  echo "building the jars (mvn -B -q package -DskipTests) ..."
  mvn -B -q package -DskipTests || die 1 "the build failed"
fi
if [ -n "$(find java/src/main benchmarks/src/main -newer "$bench_jar" -type f -print -quit 2>/dev/null)" ]; then
  echo "note: some sources are newer than $bench_jar; this run uses the jars as built" \
       "(mvn -B -q package -DskipTests to rebuild)"
fi
# Run from copies, so that a rebuild in this checkout during the runs cannot change what is measured.
cp "$jepoll_jar" "$tmp/jepoll.jar"
cp "$bench_jar" "$tmp/benchmarks.jar"
jepoll_jar=$tmp/jepoll.jar
bench_jar=$tmp/benchmarks.jar
java -jar "$jepoll_jar" info > "$tmp/jepoll-info.txt" 2>&1 || true

declare -A skip=()    # "benchmark server" -> why it does not run
skip_all() {          # server, reason: skipped in every benchmark
  local b
  for b in $benchmarks; do skip["$b $1"]=$2; done
}

for s in $servers; do
  case $s in
    jepoll-et|jepoll-lt)
      grep -Eq "^${s#jepoll-} +available" "$tmp/jepoll-info.txt" \
        || skip_all "$s" "the native transport is not available here ($(grep -E "^${s#jepoll-} " "$tmp/jepoll-info.txt" || echo 'see jepoll info'))" ;;
    nginx)
      [ -n "$nginx_cmd" ] || skip["http nginx"]="nginx is not installed (rerun with --install, or apt-get install -y nginx-light)" ;;
    floor)
      if has "$benchmarks" http; then
        # cmake builds incrementally, so this is quick once done; a failure only skips the floor.
        echo "building the floor server (cmake --build benchmarks/target/native --target http-floor) ..."
        if cmake -S . -B benchmarks/target/native -DJEPOLL_BENCHMARKS=ON -DCMAKE_BUILD_TYPE=Release \
               > "$tmp/floor-build.log" 2>&1 \
           && cmake --build benchmarks/target/native --target http-floor >> "$tmp/floor-build.log" 2>&1 \
           && [ -x "$floor_bin" ]; then
          cp "$floor_bin" "$tmp/http-floor"
          floor_bin=$tmp/http-floor
        else
          skip["http floor"]="its build failed: $(grep -m1 -iE 'error|no rule' "$tmp/floor-build.log" || tail -1 "$tmp/floor-build.log")"
        fi
      fi ;;
  esac
done

runnable() {   # benchmark → the servers that run in it, in the given order
  local s
  for s in $servers; do
    [[ $1 == echo ]] && ! has "$echo_capable" "$s" && continue
    [ -n "${skip["$1 $s"]:-}" ] && continue
    printf '%s ' "$s"
  done
}
http_servers=""; echo_servers=""
has "$benchmarks" http && http_servers=$(runnable http)
has "$benchmarks" echo && echo_servers=$(runnable echo)
[ -n "$http_servers$echo_servers" ] || die 1 "no server can run"

# ---------------------------------------------------------------------------------------------
# Ports and processes
port_busy() {
  if command -v ss >/dev/null; then
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}
wait_port_free() {
  for _ in $(seq 100); do port_busy || return 0; sleep 0.1; done
  die 1 "port $port is still in use: something else listens there (pass --port)"
}
port_busy && die 2 "port $port is in use; pass --port with a free one"

children() {   # pid → its child pids, space-separated
  local list
  list=$(cat /proc/"$1"/task/*/children 2>/dev/null) || list=$(pgrep -P "$1" || true)
  echo $list   # unquoted: word splitting trims and joins
}

proc_ticks() {   # pid → utime+stime in clock ticks (fields 14 and 15 of /proc/PID/stat)
  local stat f
  stat=$(< "/proc/$1/stat") || return 1
  stat=${stat##*) }   # drop "pid (comm) ": comm may hold spaces; what is left starts at field 3
  read -r -a f <<< "$stat"
  echo $((f[11] + f[12]))
}

clk_tck=$(getconf CLK_TCK)
server_pid=""      # what we signal: the JVM, or the `timeout` wrapping nginx or the floor
measured_pids=""   # whose CPU time is the server's: the JVM, nginx's worker(s), the floor
master_pid=""      # nginx's master, between `timeout` and the workers
server_log=""

server_ticks() {   # fails when the server has exited
  local sum=0 pid t
  for pid in $measured_pids; do
    t=$(proc_ticks "$pid") || return 1
    sum=$((sum + t))
  done
  echo "$sum"
}
server_died() {   # the error detail for a server that exited during its run
  echo "the server exited during the run: $(tail -2 "$server_log" | tr '\n' ' ')"
}

wait_for_line() {   # pattern: waits until the server's log has it (JVMs here can be slow to start)
  for _ in $(seq 300); do
    grep -q "$1" "$server_log" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "compare.sh: the server did not start; its log:" >&2
  cat "$server_log" >&2
  exit 1
}

wait_for_port() {
  for _ in $(seq 300); do
    port_busy && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "compare.sh: the server did not start; its log:" >&2
  cat "$server_log" "$tmp"/nginx/error.log >&2 2>/dev/null || true
  exit 1
}

start_server() {   # server, benchmark (http|echo)
  local server=$1 benchmark=$2
  # A safety net, not the stop: the run stops the server well before this.
  local max=$((warmup + seconds + 60))
  wait_port_free
  server_log=$tmp/server.log
  : > "$server_log"
  case $server in
    jepoll-*)
      # Stopped by SIGTERM, it prints its totals (see jepoll_counters).
      taskset -c 0 java -jar "$jepoll_jar" "$benchmark" --port "$port" --transport "${server#jepoll-}" \
          --max-time "${max}s" < /dev/null > "$server_log" 2>&1 &
      server_pid=$!; measured_pids=$server_pid; track "$server_pid"
      wait_for_line listening ;;
    netty)
      local class=NettyHttpServer
      [[ $benchmark == echo ]] && class=NettyEchoServer
      # As Netty's own benchmark servers run: no sampled leak detection (it records stack traces).
      taskset -c 0 java "${native_access[@]}" -Dio.netty.leakDetection.level=disabled -cp "$bench_jar" \
          "io.jepoll.benchmarks.reference.$class" --port "$port" \
          --max-time "${max}s" < /dev/null > "$server_log" 2>&1 &
      server_pid=$!; measured_pids=$server_pid; track "$server_pid"
      wait_for_line listening ;;
    nginx)
      local dir=$tmp/nginx
      rm -rf "$dir"; mkdir -p "$dir"
      chmod 755 "$tmp" "$dir"   # the worker may run as another user
      sed -e "s#@PORT@#$port#g" -e "s#@DIR@#$dir#g" "$nginx_template" > "$dir/nginx.conf"
      # `timeout` gives nginx the same safety net as the JVMs' --max-time; it passes SIGTERM on.
      taskset -c 0 timeout -s TERM "${max}s" "$nginx_cmd" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
          < /dev/null > "$server_log" 2>&1 &
      server_pid=$!; track "$server_pid"
      wait_for_port
      local master workers=""
      master=$(children "$server_pid")
      master_pid=$master
      [ -n "$master" ] && track $master
      for _ in $(seq 50); do
        workers=$(children "$master")
        [ -n "$workers" ] && break
        sleep 0.1
      done
      [ -n "$workers" ] || die 1 "nginx started no worker; $(cat "$dir/error.log" 2>/dev/null)"
      measured_pids=$workers ;;
    floor)
      taskset -c 0 timeout -s TERM "${max}s" "$floor_bin" "$port" < /dev/null > "$server_log" 2>&1 &
      server_pid=$!; track "$server_pid"
      wait_for_line listening
      measured_pids=$(children "$server_pid")
      track $measured_pids ;;
  esac
}

stop_server() {   # SIGTERM, then wait for the exit (a JVM runs its shutdown hooks first)
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "  (the server ignored SIGTERM for 15 s: killed)"
    kill -KILL "$server_pid" $master_pid $measured_pids 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  master_pid=""
  tracked=()   # the server (and any load generator) are gone
}

# jepoll's own counters: "syscalls crossings" over the whole run (warm-up and measured), from the
# totals line it prints when it stops.
jepoll_counters() {
  awk '/totals:/ { for (i = 1; i <= NF; i++) { if ($i == "syscalls") s = $(i + 1) + 0; if ($i == "crossings") c = $(i + 1) + 0 } }
    END { print s + 0, c + 0 }' "$server_log"
}

# JNA crossings mean something for the epoll transports only; NIO's and blocking's JNI calls are the JDK's.
jna_crossings() {   # server, crossings, requests
  [[ $1 == jepoll-et || $1 == jepoll-lt ]] && per "$2" "$3" 4
  return 0
}
per() {   # numerator, denominator, decimals → numerator / denominator, or empty
  awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.*f", d, a / b }'
}
load_percent() {   # ticks before, ticks after: % of one CPU over the measured seconds
  awk -v t0="$1" -v t1="$2" -v s="$seconds" -v hz="$clk_tck" 'BEGIN { if (t1 != "" && t0 != "") printf "%.1f", (t1 - t0) * 100 / hz / s }'
}
# CPU time of this shell's waited-for children so far, in ticks: wrk runs in the foreground, so
# the change across one run is wrk's own (nothing else is reaped meanwhile). `times` must run in
# this shell, not a subshell, whose children are its own.
children_ticks() {   # variable to set
  times > "$tmp/times.txt"
  printf -v "$1" '%s' "$(awk -v hz="$clk_tck" 'NR == 2 {
    split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * hz }' "$tmp/times.txt")"
}
cpu_us_per() {   # ticks before, ticks after, requests
  awk -v t0="$1" -v t1="$2" -v n="$3" -v hz="$clk_tck" 'BEGIN { if (n + 0 > 0) printf "%.3f", (t1 - t0) * 1e6 / hz / n }'
}

# ---------------------------------------------------------------------------------------------
# Results
date_tag=$(date -u +%F)
mkdir -p "$out"
csv=$out/$date_tag-compare.csv
txt=$out/$date_tag-compare.txt
n=2
while [ -e "$csv" ] || [ -e "$txt" ]; do   # never overwrite an earlier run's results
  csv=$out/$date_tag-compare-$n.csv; txt=$out/$date_tag-compare-$n.txt; n=$((n + 1))
done
echo "benchmark,mode,server,round,connections,requests_per_second,cpu_us_per_request,syscalls_per_request,crossings_per_request,load_cpu_percent,errors" > "$csv"
: > "$tmp/flags.txt"   # one line per run with errors

record() {   # benchmark mode server round rps cpu syscalls crossings load% errors [error detail]
  echo "$1,$2,$3,$4,$connections,$5,$6,$7,$8,$9,${10}" >> "$csv"
  if [[ ${10} != 0 ]]; then
    echo "$1 $2 $3 round $4: ${11:-${10} errors}" >> "$tmp/flags.txt"
  fi
}

# ---------------------------------------------------------------------------------------------
# One HTTP run: a fresh server, a wrk warm-up, a measured wrk run between two CPU readings.
wrk_run() {   # seconds, output file, extra wrk args...
  local secs=$1 file=$2; shift 2
  taskset -c 1 wrk -t1 -c"$connections" -d"${secs}s" --timeout 5s "$@" "http://127.0.0.1:$port/" > "$file" 2>&1 || true
}
wrk_field() {   # file, what: requests | rps | errors | detail
  awk -v what="$2" '
    /requests in/ { requests = $1 }
    /Requests\/sec/ { rps = $2 }
    /Socket errors/ { gsub(",", ""); socket = $4 + $6 + $8 + $10; detail = detail " socket errors: connect " $4 " read " $6 " write " $8 " timeout " $10 ";" }
    /Non-2xx/ { non2xx = $NF; detail = detail " non-2xx responses: " $NF ";" }
    END {
      if (what == "requests") print requests + 0
      else if (what == "rps") print rps
      else if (what == "errors") print (rps == "" ? "wrk-failed" : socket + non2xx)
      else print detail
    }' "$1"
}

run_http() {   # server, mode (plain|pipeline16), round
  local server=$1 mode=$2 round=$3 extra=()
  [[ $mode == pipeline16 ]] && extra=(-s "$pipeline_lua")
  start_server "$server" http
  local warm_requests=0
  if ((warmup > 0)); then
    wrk_run "$warmup" "$tmp/wrk-warm.txt" "${extra[@]}"
    warm_requests=$(wrk_field "$tmp/wrk-warm.txt" requests)
  fi
  local t0 t1 l0 l1 died=""
  children_ticks l0
  t0=$(server_ticks) || died=1
  wrk_run "$seconds" "$tmp/wrk.txt" "${extra[@]}"
  t1=$(server_ticks) || died=1
  children_ticks l1
  stop_server

  local requests rps errors detail cpu syscalls="" crossings="" load
  load=$(load_percent "$l0" "$l1")
  requests=$(wrk_field "$tmp/wrk.txt" requests)
  rps=$(wrk_field "$tmp/wrk.txt" rps)
  errors=$(wrk_field "$tmp/wrk.txt" errors)
  detail=$(wrk_field "$tmp/wrk.txt" detail)
  [[ $errors == wrk-failed ]] && detail="wrk failed: $(tail -2 "$tmp/wrk.txt" | tr '\n' ' ')"
  cpu=$(cpu_us_per "$t0" "$t1" "$requests")
  if [ -n "$died" ]; then
    errors=server-died; detail=$(server_died); cpu=""
  fi
  if [[ $server == jepoll-* ]]; then
    local s c
    read -r s c < <(jepoll_counters)
    syscalls=$(per "$s" "$((warm_requests + requests))" 4)
    crossings=$(jna_crossings "$server" "$c" "$((warm_requests + requests))")
  fi
  record http "$mode" "$server" "$round" "$rps" "$cpu" "$syscalls" "$crossings" "$load" "$errors" "$detail"
  printf '  http %-10s %-16s round %d: %12s req/s  %8s cpu us/req  %7s syscalls/req  %7s crossings/req  load %5s%%%s\n' \
      "$mode" "$server" "$round" "${rps:-?}" "${cpu:--}" "${syscalls:--}" "${crossings:--}" "${load:-?}" \
      "$([[ $errors != 0 ]] && echo "  ERRORS:$detail")"
}

# One echo run: a fresh server and EchoLoad, which warms up and measures in one JVM (so that
# its own JIT is warm) and marks the measured window on stderr; the CPU readings are taken as
# those marks arrive through a FIFO, so they bracket exactly the measured window.
run_echo() {   # server, round
  local server=$1 round=$2
  start_server "$server" echo
  local fifo=$tmp/echo-load.fifo
  rm -f "$fifo"; mkfifo "$fifo"
  taskset -c 1 java "${native_access[@]}" -cp "$bench_jar" io.jepoll.benchmarks.load.EchoLoad --port "$port" --transport et \
      --connections "$connections" --size "$echo_size" --duration "${seconds}s" --warmup "${warmup}s" \
      < /dev/null > "$tmp/echo-load.out" 2> "$fifo" &
  local load_pid=$!; track "$load_pid"
  local t0="" t1="" l0="" l1="" line fd died=""
  : > "$tmp/echo-load.err"
  exec {fd}< "$fifo"
  while IFS= read -r line <&"$fd"; do
    case $line in
      "echo-load: measuring"*) t0=$(server_ticks) || died=1; l0=$(proc_ticks "$load_pid" || true) ;;
      "echo-load: measured"*) t1=$(server_ticks) || died=1; l1=$(proc_ticks "$load_pid" || true) ;;
      *) echo "$line" >> "$tmp/echo-load.err" ;;
    esac
  done
  exec {fd}<&-
  local rc=0
  wait "$load_pid" || rc=$?
  stop_server

  local result rps roundtrips total errors detail="" cpu="" syscalls="" crossings="" load
  load=$(load_percent "$l0" "$l1")
  result=$(grep -m1 '^echo ' "$tmp/echo-load.out" || true)
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$result"; }
  rps=$(field roundtrips_per_second)
  roundtrips=$(field roundtrips)
  total=$(field total_roundtrips)
  errors=$(field errors)
  if [ -z "$result" ] || ((rc != 0)); then
    errors=${errors:-load-failed}
    [[ $errors == 0 ]] && errors=load-failed
    detail="EchoLoad exit $rc: $(grep -v '^echo-load: [0-9]* connections' "$tmp/echo-load.err" | sed -n 1,3p | tr '\n' ' ')"
  fi
  [ -n "$t0" ] && [ -n "$t1" ] && cpu=$(cpu_us_per "$t0" "$t1" "${roundtrips:-0}")
  if [ -n "$died" ]; then
    errors=server-died; detail=$(server_died); cpu=""
  fi
  if [[ $server == jepoll-* ]] && [ -n "$total" ]; then
    local s c
    read -r s c < <(jepoll_counters)
    syscalls=$(per "$s" "$total" 4)
    crossings=$(jna_crossings "$server" "$c" "$total")
  fi
  record echo ping64 "$server" "$round" "$rps" "$cpu" "$syscalls" "$crossings" "$load" "$errors" "$detail"
  printf '  echo %-10s %-16s round %d: %12s rt/s   %8s cpu us/rt   %7s syscalls/rt   %7s crossings/rt  load %5s%%%s\n' \
      ping64 "$server" "$round" "${rps:-?}" "${cpu:--}" "${syscalls:--}" "${crossings:--}" "${load:-?}" \
      "$([[ $errors != 0 ]] && echo "  ERRORS: $detail")"
}

# ---------------------------------------------------------------------------------------------
# The plan, with how long it should take
# Per run: the warm-up and the measured seconds, plus about 2 s to start and stop a JVM server
# (1 s for nginx and the floor), plus about 2 s more for the EchoLoad JVM (measured on the
# 2-core VM: the defaults took 7 min 50 s for an estimate of 8 min 51 s).
overhead() { [[ $1 == jepoll-* || $1 == netty ]] && echo 2 || echo 1; }
http_runs=0 echo_runs=0 estimate=0
for s in $http_servers; do
  http_runs=$((http_runs + 2 * rounds))
  estimate=$((estimate + 2 * rounds * (warmup + seconds + $(overhead "$s"))))
done
for s in $echo_servers; do
  echo_runs=$((echo_runs + rounds))
  estimate=$((estimate + rounds * (warmup + seconds + $(overhead "$s") + 2)))
done

{
  echo "# jepoll compare, $(date -u '+%F %T UTC')"
  echo "# command: $command_line"
  echo "# git: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "# kernel: $(uname -r)"
  echo "# java: $(java -version 2>&1 | sed -n 1p)"
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), nproc $(nproc)"
  echo "# wrk: $( (wrk -v 2>&1 || true) | sed -n 1p | sed 's/ Copyright.*//')"
  echo "# nginx: $([ -n "$nginx_cmd" ] && "$nginx_cmd" -v 2>&1 | sed 's/^nginx version: //' || echo 'not installed')"
  echo "# method: server alone on CPU 0 (taskset -c 0), load on CPU 1; a fresh server per run; ${warmup} s warm-up,"
  echo "#   then ${seconds} s measured; ${rounds} round(s), servers in alternation; cpu = the server's utime+stime over"
  echo "#   the measured run (nginx: its worker); syscalls and crossings are jepoll's own counters over the"
  echo "#   server's whole life (warm-up + measured run), per request; crossings are JNA calls (epoll only);"
  echo "#   load cpu % = the load generator's CPU over the measured run: near 100, it set the pace, not the server."
  echo "#   http: wrk -t1 -c${connections}, GET /, plain and 16 per write (scripts/pipeline.lua). echo: EchoLoad, ${connections} connections ping-ponging ${echo_size}-byte messages"
  echo "#   (a request = a round trip)."
  for key in "${!skip[@]}"; do
    echo "# skipped: ${key#* } (${key%% *}): ${skip[$key]}"
  done | sort
  echo "# http servers: ${http_servers:-none}"
  echo "# echo servers: ${echo_servers:-none}"
} > "$tmp/header.txt"
cat "$tmp/header.txt"
echo "# $((http_runs + echo_runs)) runs; expected duration about $((estimate / 60)) min $((estimate % 60)) s"
echo "# results: $csv"

# ---------------------------------------------------------------------------------------------
# The runs: per mode and round, every server in turn (A B C A B C ...)
for mode in plain pipeline16; do
  [ -n "$http_servers" ] || break
  for round in $(seq "$rounds"); do
    for server in $http_servers; do run_http "$server" "$mode" "$round"; done
  done
done
for round in $(seq "$rounds"); do
  [ -n "$echo_servers" ] || break
  for server in $echo_servers; do run_echo "$server" "$round"; done
done

# ---------------------------------------------------------------------------------------------
# The summary: medians per (benchmark, mode, server) over the runs without errors (Charts
# --summary, the same medians the charts draw); runs with errors are listed, not averaged in.
elapsed=$(($(date +%s) - started_at))
{
  java -cp "$bench_jar" io.jepoll.benchmarks.charts.Charts --compare "$csv" --summary
  if [ -s "$tmp/flags.txt" ]; then
    echo "what went wrong in those runs:"
    sed 's/^/  /' "$tmp/flags.txt"
  fi
  echo "wall time: $((elapsed / 60)) min $((elapsed % 60)) s"
} > "$tmp/summary.txt"
cat "$tmp/header.txt" "$tmp/summary.txt" > "$txt"
echo
cat "$tmp/summary.txt"
echo "wrote $csv and $txt"
