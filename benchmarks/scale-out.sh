#!/usr/bin/env bash
# Scale-out, run for real on this machine: N backends behind a load balancer (HAProxy, or nginx
# `stream`), wrk through the balancer, one backend restarted meanwhile (SIGTERM, a drain, a new
# process on the same port); then the requests, the errors, what each backend served and the
# client addresses its access log saw. docs/SCALING.md explains the configuration.
#
# usage: benchmarks/scale-out.sh [--balancer haproxy|nginx] [--backend jepoll|nginx] [--backends N=2]
#            [--seconds S=15] [--warmup W=3] [--connections C=64] [--pipeline] [--no-restart]
#            [--plain-tcp] [--unix] [--no-access-log] [--port P=18300] [--install]
#
# --backend nginx: nginx HTTP servers of one worker each instead of jepoll (the same answer to
# GET /), for the CPU comparison; it is never restarted. --no-restart: no restart, and each
# backend's CPU per request (from /proc) is reported: run it once per backend kind to compare.
# --unix: the jepoll backends listen on Unix domain sockets, which the balancer connects to.
# --warmup: seconds of wrk before the measured run (the JVM compiles meanwhile), not counted.
# --no-access-log: the backends log nothing (for CPU figures: a log line per request costs).
# --pipeline: wrk sends 16 requests per write. --plain-tcp: no PROXY protocol between the
# balancer and the backends (the backends then see the balancer's address). Needs java, wrk,
# haproxy, nginx and its stream module (Debian's packages, libnginx-mod-stream; --install gets the
# missing ones with apt-get); builds the jars when missing. Every process it starts is stopped at
# the end. HAProxy sends the PROXY protocol v2 (and checks /health), nginx v1 (it has no checks).
set -euo pipefail
cd "$(dirname "$0")/.."

command_line="$0 $*"
balancer=haproxy backend=jepoll backends=2 seconds=15 connections=64 pipeline=0 restart=1 proxy=1 port=18300
install=0 unix=0 warmup=3 access_log=1
while [ $# -gt 0 ]; do
  case $1 in
    --balancer) balancer=$2; shift ;;
    --backend) backend=$2; shift ;;
    --backends) backends=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --connections) connections=$2; shift ;;
    --pipeline) pipeline=1 ;;
    --no-restart) restart=0 ;;
    --plain-tcp) proxy=0 ;;
    --unix) unix=1 ;;
    --warmup) warmup=$2; shift ;;
    --no-access-log) access_log=0 ;;
    --port) port=$2; shift ;;
    --install) install=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale-out.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
  shift
done
case $balancer in haproxy|nginx) ;; *) echo "scale-out.sh: --balancer is haproxy or nginx" >&2; exit 2 ;; esac
case $backend in jepoll|nginx) ;; *) echo "scale-out.sh: --backend is jepoll or nginx" >&2; exit 2 ;; esac
[ "$backend" = nginx ] && restart=0
if [ $unix = 1 ] && [ "$backend" = nginx ]; then
  echo "scale-out.sh: --unix is for jepoll backends" >&2
  exit 2
fi

tool() { command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true; }
missing=()
for t in wrk haproxy nginx; do [ -n "$(tool $t)" ] || missing+=("$t"); done
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream)
if [ ${#missing[@]} -gt 0 ]; then
  if [ $install = 1 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "scale-out.sh: missing ${missing[*]}: apt-get install ${missing[*]} (or run with --install)" >&2
    exit 1
  fi
fi
[ -f cli/target/jepoll.jar ] || mvn -B -q package -DskipTests

dir=$(mktemp -d /tmp/jepoll-scale-out.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

balancer_port=$port
backend_port() { echo $((port + 1 + $1)); }
# Where the balancer reaches backend $1: a port, or with --unix a socket file.
backend_address() {
  if [ $unix = 1 ]; then echo "$dir/backend-$1.sock"; else echo "127.0.0.1:$(backend_port "$1")"; fi
}
proxy_flag=""
[ $proxy = 1 ] && proxy_flag="--proxy-protocol"

# Starts backend $1 (0-based) and records its pid in backend_pid[$1].
declare -a backend_pid
start_backend() {
  local i=$1 p
  p=$(backend_port "$i")
  if [ "$backend" = jepoll ]; then
    # shellcheck disable=SC2086
    local listen=(--port "$p")
    [ $unix = 1 ] && listen=(--unix "$(backend_address "$i")")
    local log=()
    [ $access_log = 1 ] && log=(--access-log "$dir/access-$i.log")
    java -jar cli/target/jepoll.jar http "${listen[@]}" --transport et $proxy_flag "${log[@]}" \
      --drain 10s --drain-notice 1s >>"$dir/backend-$i.out" 2>&1 &
    backend_pid[$i]=$!
    pids+=("$!")
    for _ in $(seq 200); do
      grep -q "listening on" "$dir/backend-$i.out" 2>/dev/null && return 0
      sleep 0.05
    done
    echo "scale-out.sh: backend $i did not start: $(tail -n 3 "$dir/backend-$i.out")" >&2
    exit 1
  else
    mkdir -p "$dir/nginx-$i"
    local listen="127.0.0.1:$p" client='$remote_addr:$remote_port'
    if [ $proxy = 1 ]; then
      listen="$listen proxy_protocol"
      client='$proxy_protocol_addr:$proxy_protocol_port'
    fi
    cat >"$dir/nginx-$i/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx-$i/nginx.pid;
error_log $dir/nginx-$i/error.log warn;
events { worker_connections 16384; use epoll; }
http {
    log_format client '$client \$remote_addr "\$request" \$status';
    access_log $([ $access_log = 1 ] && echo "$dir/access-$i.log client" || echo off);
    keepalive_requests 1000000000;
    client_body_temp_path $dir/nginx-$i/body; proxy_temp_path $dir/nginx-$i/proxy;
    fastcgi_temp_path $dir/nginx-$i/fastcgi; uwsgi_temp_path $dir/nginx-$i/uwsgi; scgi_temp_path $dir/nginx-$i/scgi;
    server {
        listen $listen backlog=1024;
        location = / { default_type text/plain; return 200 "hello\n"; }
        location = /health { default_type text/plain; return 200 "ok\n"; }
    }
}
EOF
    "$(tool nginx)" -p "$dir/nginx-$i" -c "$dir/nginx-$i/nginx.conf" -e "$dir/nginx-$i/error.log" &
    backend_pid[$i]=$!
    pids+=("$!")
    sleep 0.5
  fi
}

start_balancer() {
  local i send_proxy=""
  [ $proxy = 1 ] && send_proxy=" send-proxy-v2 check-send-proxy"
  if [ "$balancer" = haproxy ]; then
    {
      echo "defaults"
      echo "    mode tcp"
      echo "    timeout connect 1s"
      echo "    timeout client 30s"
      echo "    timeout server 30s"
      echo "    retries 3"
      echo "    option redispatch"
      echo "frontend clients"
      echo "    bind 127.0.0.1:$balancer_port"
      echo "    maxconn 20000"
      echo "    default_backend servers"
      echo "backend servers"
      echo "    balance roundrobin"
      echo "    option httpchk GET /health"
      echo "    http-check expect status 200"
      echo "    default-server inter 200ms fall 1 rise 1"
      for i in $(seq 0 $((backends - 1))); do
        echo "    server backend$i $(backend_address "$i") check$send_proxy"
      done
    } >"$dir/haproxy.cfg"
    "$(tool haproxy)" -db -f "$dir/haproxy.cfg" >"$dir/haproxy.out" 2>&1 &
  else
    mkdir -p "$dir/balancer"
    {
      # Debian builds the stream module as a module of its own (libnginx-mod-stream).
      echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"
      echo "worker_processes 1;"
      echo "daemon off;"
      echo "pid $dir/balancer/nginx.pid;"
      echo "error_log $dir/balancer/error.log warn;"
      echo "events { worker_connections 16384; use epoll; }"
      echo "stream {"
      echo "    upstream servers {"
      for i in $(seq 0 $((backends - 1))); do
        if [ $unix = 1 ]; then
          echo "        server unix:$(backend_address "$i") max_fails=0;"
        else
          echo "        server $(backend_address "$i") max_fails=0;"
        fi
      done
      echo "    }"
      echo "    server {"
      echo "        listen 127.0.0.1:$balancer_port backlog=1024;"
      echo "        proxy_pass servers;"
      echo "        proxy_connect_timeout 1s;"
      [ $proxy = 1 ] && echo "        proxy_protocol on;"
      echo "    }"
      echo "}"
    } >"$dir/balancer/nginx.conf"
    "$(tool nginx)" -p "$dir/balancer" -c "$dir/balancer/nginx.conf" -e "$dir/balancer/error.log" &
  fi
  pids+=("$!")
  for _ in $(seq 100); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$balancer_port/" && return 0
    sleep 0.1
  done
  echo "scale-out.sh: the balancer does not answer; see $dir" >&2
  exit 1
}

# CPU ticks (user + system) of a process and its threads; for nginx the worker, a child of the master.
cpu_ticks() {
  local pid=$1
  if [ "$backend" = nginx ]; then
    pid=$(pgrep -P "$pid" | head -n 1)
  fi
  awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

for i in $(seq 0 $((backends - 1))); do start_backend "$i"; done
start_balancer

if [ "$warmup" -gt 0 ]; then
  wrk -t1 -c"$connections" -d"${warmup}s" "http://127.0.0.1:$balancer_port/" >/dev/null 2>&1
fi
declare -a ticks_before
for i in $(seq 0 $((backends - 1))); do ticks_before[$i]=$(cpu_ticks "${backend_pid[$i]}"); done

wrk_args=(-t1 -c"$connections" -d"${seconds}s" --latency)
[ $pipeline = 1 ] && wrk_args+=(-s benchmarks/scripts/pipeline.lua)
wrk "${wrk_args[@]}" "http://127.0.0.1:$balancer_port/" >"$dir/wrk.out" 2>&1 &
wrk_pid=$!

if [ $restart = 1 ]; then
  sleep $((seconds / 3))
  echo "restarting backend 0 (pid ${backend_pid[0]}) under load: SIGTERM, drain, a new process on $(backend_address 0)"
  kill -TERM "${backend_pid[0]}"
  wait "${backend_pid[0]}" || true
  grep "stopped by a signal" "$dir/backend-0.out" | sed 's/; totals.*//' | sed 's/^/  old backend 0: /'
  start_backend 0
  echo "  new backend 0: pid ${backend_pid[0]}"
fi
wait $wrk_pid

declare -a ticks_after
for i in $(seq 0 $((backends - 1))); do ticks_after[$i]=$(cpu_ticks "${backend_pid[$i]}"); done

requests=$(awk '/requests in/ { print $1 }' "$dir/wrk.out")
echo
echo "jepoll scale-out, $(date -u '+%Y-%m-%d %H:%M:%S UTC'): $backends $backend backends behind $balancer" \
  "on $([ $unix = 1 ] && echo 'Unix sockets' || echo 'TCP')" \
  "($([ $proxy = 0 ] && echo 'plain TCP' || { [ "$balancer" = haproxy ] && echo 'PROXY protocol v2' || echo 'PROXY protocol v1'; })), wrk -c$connections for ${seconds}s$([ $pipeline = 1 ] && echo ', 16 pipelined')"
echo "command: $command_line"
grep -E "Requests/sec|requests in|Socket errors|Non-2xx|99%" "$dir/wrk.out" | sed 's/^ */  wrk: /'
grep -q "Socket errors\|Non-2xx" "$dir/wrk.out" || echo "  wrk: no socket errors, no non-2xx answers"
for i in $(seq 0 $((backends - 1))); do
  if [ -f "$dir/access-$i.log" ]; then
    # Both access logs (jepoll's, and nginx's format above) start with the client's address, and
    # jepoll's ends with the balancer's address and port when a PROXY header named the client.
    awk -v i="$i" -v p="$(backend_address "$i")" '
      /"GET \/health / { checks++; next }
      { n++; a = $1; sub(/:[0-9]+$/, "", a); seen[a]++; if ($NF ~ /:[0-9]+$/) via[$NF] = 1 }
      END {
        printf "  backend %s (%s): %d requests, %d health checks; client addresses:", i, p, n, checks
        for (a in seen) printf " %s x%d", a, seen[a]
        if (length(via) > 0) printf "; through %d balancer connections", length(via)
        printf "\n"
      }' "$dir/access-$i.log"
  else
    echo "  backend $i ($(backend_address "$i")): no access log"
  fi
done
if [ $restart = 0 ] && [ -n "$requests" ]; then
  hz=$(getconf CLK_TCK)
  total=0
  for i in $(seq 0 $((backends - 1))); do total=$((total + ticks_after[i] - ticks_before[i])); done
  awk -v t="$total" -v hz="$hz" -v r="$requests" \
    'BEGIN { printf "  backends CPU: %.2f s for %d requests: %.2f us per request\n", t / hz, r, t / hz * 1e6 / r }'
fi
echo "  files: $dir"
