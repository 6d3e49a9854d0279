#!/usr/bin/env bash
# Answers that come late, a streamed echo and big file downloads, on one event loop: what each
# costs the server in CPU time, memory and system calls.
#
# usage: benchmarks/async-files.sh [--parts "delay echo download"] [--rounds N=3] [--connections C=1000]
#            [--delay-ms MS=1000] [--mib M=1024] [--rate R=10M (MiB/s)] [--port P=18090]
#            [--server-jvm "JVM OPTIONS"] [--install] [--out DIR]
#
# delay:    for each transport (et lt nio blocking) a fresh `jepoll http --loops 1` alone on CPU 0;
#           DelayLoad (io.jepoll.benchmarks.load) on CPU 1 opens C connections, then sends
#           GET /delay?ms=MS on each and waits for every answer; one cold round, then N rounds on the
#           same server. Wall time from the first request to the last answer, the server's CPU time
#           (utime+stime from /proc) over the run and over the delay's quiet middle.
# echo:     POST /echo of M MiB to jepoll ET, the echo read at R while the body is sent: by curl
#           --limit-rate R (which sends at R too), then by SlowReaderEcho (io.jepoll.benchmarks.load),
#           which sends as fast as the connection takes it; the server's VmRSS sampled every 0.5 s,
#           and VmHWM.
# download: the same file downloaded by curl --limit-rate R from jepoll ET (--root, sendfile) and
#           from nginx (one worker, sendfile on, then off: its read+write copy): resident memory,
#           and system calls per MiB from strace -c -f on the server (and jepoll's own totals).
#
# --server-jvm passes options to the jepoll servers' JVM (e.g. "-Xmx64m": how much of the echo's
# resident memory is the heap's room for garbage).
#
# Writes DIR/<date>-async-files.txt (the figures and the commands) and -raw.txt (every sample
# and strace table); `-2`, `-3`, ... for later runs of the day. Every step is bounded by timeout.
# Needs java, taskset, curl, nginx and strace for their parts (a part without its tool is
# skipped, saying why); --install apt-installs curl, nginx and strace.
set -euo pipefail
cd "$(dirname "$0")/.."

parts="delay echo download"
rounds=3
connections=1000
delay_ms=1000
mib=1024
rate=10M
port=18090
out=benchmarks/results
server_jvm=""
install=0
command_line="benchmarks/async-files.sh"
(($#)) && command_line+=$(printf ' %q' "$@")
while (($#)); do
  case $1 in
    --parts) parts=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --connections) connections=$2; shift ;;
    --delay-ms) delay_ms=$2; shift ;;
    --mib) mib=$2; shift ;;
    --rate) rate=$2; shift ;;
    --port) port=$2; shift ;;
    --out) out=$2; shift ;;
    --server-jvm) server_jvm=$2; shift ;;
    --install) install=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "async-files.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

[[ $rate =~ ^[0-9]+M$ ]] || { echo "async-files.sh: --rate is whole MiB per second, like 10M: $rate" >&2; exit 2; }
curl_limited=(curl -sS --limit-rate "$rate" -o /dev/null
  -w 'http=%{http_code} sent=%{size_upload} received=%{size_download} seconds=%{time_total}\n')

if ((install)); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl nginx-light strace >/dev/null \
    || { echo "async-files.sh: apt-get install -y curl nginx-light strace failed (run it as root)" >&2; exit 2; }
fi
have() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ]; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
command -v taskset >/dev/null || { echo "async-files.sh: taskset is not installed" >&2; exit 2; }

bench_jar=benchmarks/target/benchmarks.jar
if [ ! -f cli/target/jepoll.jar ] || [ ! -f "$bench_jar" ]; then
  echo "building the jars (mvn -B -q package -DskipTests) ..."
  mvn -B -q package -DskipTests || { echo "async-files.sh: the build failed" >&2; exit 1; }
fi
scratch=$(mktemp -d /tmp/jepoll-async-files.XXXXXX)
chmod 755 "$scratch"
# Copies: a rebuild in the checkout during the runs cannot change what is measured.
cp cli/target/jepoll.jar "$bench_jar" "$scratch/"
jepoll_jar=$scratch/jepoll.jar
bench_jar=$scratch/benchmarks.jar

started_pids=()
cleanup() {
  local pid
  for pid in ${started_pids[@]+"${started_pids[@]}"}; do
    kill "$pid" 2>/dev/null || true
  done
  rm -rf "$scratch"
}
trap cleanup EXIT

mkdir -p "$out"
base="$out/$(date -u +%F)-async-files"
result=$base.txt
n=2
while [ -e "$result" ] || [ -e "${result%.txt}-raw.txt" ]; do result=$base-$n.txt; n=$((n + 1)); done
raw=${result%.txt}-raw.txt

say() { echo "$*" | tee -a "$result"; }
{
  echo "# benchmarks/async-files.sh, $(date -u '+%F %T') UTC"
  echo "# command: $command_line"
  echo "# git: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "# java: $(java -version 2>&1 | head -1); kernel: $(uname -r); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
  echo "# curl: $(curl --version 2>/dev/null | head -1 | cut -d' ' -f1-2); nginx: $("$nginx_bin" -v 2>&1 | cut -d/ -f2); strace: $(strace -V 2>/dev/null | head -1 | awk '{print $NF}')"
  echo "# servers on CPU 0 (taskset -c 0), clients on CPU 1; CPU time = utime+stime from /proc/PID/stat (10 ms ticks)"
  echo "# load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); busy at the start (%CPU over their life):" \
    "$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 >= 20 { printf "%s %s%%; ", $2, $1 }')"
  [ -z "$server_jvm" ] || echo "# jepoll servers' JVM options: $server_jvm"
} | tee "$result" > "$raw"

wait_for_line() { # file, text, seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "async-files.sh: no '$2' in $1 after $3 s: $(tail -2 "$1")" >&2; return 1; }
    sleep 0.1
  done
}
wait_for_port() { # port, seconds
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "async-files.sh: nothing listens on $1 after $2 s" >&2; return 1; }
    sleep 0.1
  done
}
stop() { # pid: SIGTERM, then up to 20 s for it to print its totals and exit
  kill "$1" 2>/dev/null || return 0
  local deadline=$((SECONDS + 20))
  while kill -0 "$1" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
start_jepoll() { # transport, log, extra arguments...; sets server_pid
  local transport=$1 log=$2
  shift 2
  # shellcheck disable=SC2086 # the JVM options are words
  taskset -c 0 java $server_jvm -jar "$jepoll_jar" http --port "$port" --loops 1 --transport "$transport" --max-time 900s "$@" \
    > "$log" 2>&1 &
  server_pid=$!
  started_pids+=("$server_pid")
  wait_for_line "$log" listening 30
}
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status" 2>/dev/null; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { tr ' ' '\n' | awk -F= -v key="$1" '$1 == key { print $2 }'; }

part_delay() {
  say ""
  say "## delay: $connections connections, GET /delay?ms=$delay_ms on each, jepoll http --loops 1"
  say "# client: taskset -c 1 java -cp benchmarks.jar io.jepoll.benchmarks.load.DelayLoad --port $port --connections $connections --ms $delay_ms --server-pid PID"
  local transport round line log
  for transport in et lt nio blocking; do
    log=$scratch/delay-$transport.log
    start_jepoll "$transport" "$log"
    : > "$scratch/delay-$transport.lines"
    for ((round = 0; round <= rounds; round++)); do
      line=$(taskset -c 1 timeout 120 java -cp "$bench_jar" io.jepoll.benchmarks.load.DelayLoad --port "$port" \
        --connections "$connections" --ms "$delay_ms" --timeout-ms 30000 --server-pid "$server_pid" 2>&1 | tail -1) || true
      if ((round == 0)); then
        say "$transport cold: $line"
      else
        say "$transport round $round: $line"
        echo "$line" >> "$scratch/delay-$transport.lines"
      fi
    done
    stop "$server_pid"
    say "$transport server: $(grep '^totals-kv:' "$log" || echo "no totals: $(tail -2 "$log")")"
  done
  say ""
  say "# medians of the $rounds warm rounds (transport: answered/connections, wall ms, server CPU ms over the run, over the quiet middle, over connecting)"
  for transport in et lt nio blocking; do
    local lines=$scratch/delay-$transport.lines
    say "$transport: $(field answered < "$lines" | median)/$connections answered, wall $(field wall_ms < "$lines" | median) ms," \
      "cpu $(field server_cpu_ms < "$lines" | median) ms, quiet $(field server_cpu_quiet_ms < "$lines" | median) ms," \
      "connect $(field server_cpu_connect_ms < "$lines" | median) ms"
  done
}

make_file() {
  [ -f "$scratch/root/big.bin" ] && return 0
  mkdir -p "$scratch/root"
  chmod 755 "$scratch/root"
  head -c "$((mib * 1024 * 1024))" /dev/urandom > "$scratch/root/big.bin"
  chmod 644 "$scratch/root/big.bin"
}

# Samples VmRSS and VmHWM of a process every 0.5 s into a file, until the process or the sampler is gone.
sample_memory() { # pid, file
  while kill -0 "$1" 2>/dev/null; do
    echo "$(date +%s.%N | cut -c1-14) rss_kb=$(status_kb "$1" VmRSS) hwm_kb=$(status_kb "$1" VmHWM)"
    sleep 0.5
  done > "$2"
}

# One transfer by a client on CPU 1 while the server's memory is sampled and, optionally, strace counts its
# calls; sets memory_line (the client's last line of output, then the memory figures).
measured_transfer() { # label, pid, strace(0/1), client command...
  local label=$1 pid=$2 traced=$3
  shift 3
  local samples=$scratch/$label.samples strace_out=$scratch/$label.strace sampler tracer="" curl_line
  local rss_before hwm_before bound=$((mib / 5 + 120))
  rss_before=$(status_kb "$pid" VmRSS)
  hwm_before=$(status_kb "$pid" VmHWM)
  sample_memory "$pid" "$samples" &
  sampler=$!
  started_pids+=("$sampler")
  if ((traced)); then
    timeout "$((bound + 30))" strace -c -f -p "$pid" -o "$strace_out" 2>/dev/null &
    tracer=$!
    started_pids+=("$tracer")
    sleep 1 # attached before the transfer starts
  fi
  curl_line=$(taskset -c 1 timeout "$bound" "$@" 2>&1 | tail -1) || true
  if [ -n "$tracer" ]; then
    kill -INT "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
  fi
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  local rss_max hwm_after
  rss_max=$(awk -F'rss_kb=' '{ split($2, a, " "); if (a[1] > m) m = a[1] } END { print m + 0 }' "$samples")
  hwm_after=$(status_kb "$pid" VmHWM)
  memory_line="$curl_line; VmRSS before ${rss_before} kB, max $rss_max kB (growth $(((rss_max - rss_before) / 1024)) MiB); VmHWM before $hwm_before kB, after $hwm_after kB (growth $(((hwm_after - hwm_before) / 1024)) MiB)"
  { echo; echo "### $label: memory samples"; cat "$samples"; } >> "$raw"
  if ((traced)) && [ -s "$strace_out" ]; then
    { echo; echo "### $label: strace -c -f -p PID"; cat "$strace_out"; } >> "$raw"
  fi
}

# Calls per MiB from an strace -c table: "total" and the named calls.
strace_per_mib() { # file, calls...
  local file=$1
  shift
  [ -s "$file" ] || { echo "no strace table"; return; }
  # Rows between the two dashed lines: % time, seconds, usecs/call, calls, [errors,] name.
  awk -v mib="$mib" -v names="$*" 'BEGIN { n = split(names, want, " ") }
    /^-/ { section++; next }
    section == 1 && NF >= 5 { calls[$NF] += $4; total += $4 }
    END { printf "all %.1f/MiB", total / mib; for (i = 1; i <= n; i++) printf ", %s %.1f/MiB", want[i], calls[want[i]] / mib }' "$file"
}

part_echo() {
  say ""
  say "## echo: POST /echo of $mib MiB to jepoll http --transport et (a fresh server each), the echo read at $rate/s"
  say "# curl: taskset -c 1 curl -sS --limit-rate $rate -H 'Expect:' -H 'Content-Type: application/octet-stream' -X POST -T big.bin http://127.0.0.1:$port/echo -o /dev/null"
  say "#   (curl's --limit-rate holds its sending to the rate too)"
  say "# java: taskset -c 1 java -cp benchmarks.jar io.jepoll.benchmarks.load.SlowReaderEcho --port $port --mib $mib --rate-mib ${rate%M}"
  say "#   (sends as fast as the connection takes it, reads at the rate, checks every byte)"
  make_file
  local client log
  for client in curl java; do
    log=$scratch/echo-$client.log
    start_jepoll et "$log"
    sleep 1
    if [ "$client" = curl ]; then
      measured_transfer echo-curl "$server_pid" 0 "${curl_limited[@]}" -H 'Expect:' -H 'Content-Type: application/octet-stream' \
        -X POST -T "$scratch/root/big.bin" "http://127.0.0.1:$port/echo"
    else
      measured_transfer echo-java "$server_pid" 0 java -cp "$bench_jar" io.jepoll.benchmarks.load.SlowReaderEcho \
        --port "$port" --mib "$mib" --rate-mib "${rate%M}" --timeout-s "$((mib / 5 + 100))"
    fi
    say "et echo, $client: $memory_line"
    stop "$server_pid"
    say "et server: $(grep '^totals-kv:' "$log" || echo "no totals")"
  done
}

part_download() {
  say ""
  say "## download: GET of a $mib MiB file, curl --limit-rate $rate; servers on CPU 0, strace -c -f -p on the server (jepoll: the JVM's every thread; nginx: its worker)"
  say "# client: taskset -c 1 curl -sS --limit-rate $rate -o /dev/null http://127.0.0.1:$port/big.bin"
  make_file
  local traced=1
  have strace || { traced=0; say "# strace is not installed (--install): no strace counts"; }
  local log=$scratch/download.log
  start_jepoll et "$log" --root "$scratch/root"
  sleep 1
  measured_transfer download-jepoll-et "$server_pid" "$traced" "${curl_limited[@]}" "http://127.0.0.1:$port/big.bin"
  say "jepoll-et: $memory_line"
  say "jepoll-et strace: $(strace_per_mib "$scratch/download-jepoll-et.strace" sendfile write read futex epoll_wait)"
  stop "$server_pid"
  local totals
  totals=$(grep '^totals-kv:' "$log" || true)
  say "jepoll-et server: ${totals:-no totals}"
  if [ -n "$totals" ]; then
    say "jepoll-et loop calls per MiB: $(echo "$totals" | awk -v mib="$mib" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); c[kv[1]] = kv[2] } }
      END { printf "all %.2f, sendfile %.2f, wait %.2f, ctl %.2f", c["syscalls"] / mib, c["sendfile"] / mib, c["wait"] / mib, c["ctl"] / mib }')"
  fi
  if ! have nginx; then
    say "# nginx is not installed (--install): no nginx baseline"
    return
  fi
  local sendfile
  for sendfile in on off; do
    local dir=$scratch/nginx-$sendfile
    mkdir -p "$dir"
    chmod 755 "$dir"
    sed -e "s|@PORT@|$port|g" -e "s|@DIR@|$dir|g" -e "s|@ROOT@|$scratch/root|g" -e "s|@SENDFILE@|$sendfile|g" \
      -e "s|@SSL@||g" -e "s|@TLS@||g" benchmarks/nginx/nginx.conf.template > "$dir/nginx.conf"
    taskset -c 0 timeout -s TERM 900 "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
      > "$dir/out.log" 2>&1 &
    local timeout_pid=$!
    started_pids+=("$timeout_pid")
    wait_for_port "$port" 30
    local master worker
    master=$(pgrep -P "$timeout_pid" -x nginx | head -1)
    worker=$(pgrep -P "$master" | head -1)
    measured_transfer "download-nginx-sendfile-$sendfile" "$worker" "$traced" "${curl_limited[@]}" \
      "http://127.0.0.1:$port/big.bin"
    say "nginx sendfile $sendfile (worker): $memory_line"
    say "nginx sendfile $sendfile strace: $(strace_per_mib "$scratch/download-nginx-sendfile-$sendfile.strace" sendfile pread64 writev write)"
    stop "$timeout_pid"
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.1; done
  done
}

for part in $parts; do
  case $part in
    delay) part_delay ;;
    echo|download)
      if ! have curl; then
        say "# $part skipped: curl is not installed (rerun with --install)"
        continue
      fi
      "part_$part" ;;
    *) echo "async-files.sh: unknown part: $part (delay, echo, download)" >&2; exit 2 ;;
  esac
done
say ""
say "# took $SECONDS s; raw samples and strace tables: $raw"
echo "wrote $result and $raw"
