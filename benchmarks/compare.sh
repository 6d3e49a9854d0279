#!/usr/bin/env bash
# Side-by-side load runs of jepoll's transports, Netty, nginx and a C "floor" server, in one command.
#
# usage: benchmarks/compare.sh [--rounds N=3] [--seconds S=5] [--warmup W=3]
#            [--servers "jepoll-et jepoll-lt jepoll-nio jepoll-blocking netty nginx floor"]
#            [--benchmarks "http echo static https"] [--connections C=64] [--port P=18080]
#            [--baseline-jar JAR] [--install] [--out DIR=benchmarks/results]
#
# HTTP (GET / -> hello): wrk -t1 -cC, plain and 16-deep pipelined (scripts/pipeline.lua).
# Echo (jepoll and Netty only): EchoLoad, C connections ping-ponging 64-byte messages.
# HTTPS (jepoll and nginx only, the same ECDSA P-256 certificate, made by openssl for the run):
# wrk -t1 -cC over TLS, plain and 16-deep pipelined GET /, then a new connection per request
# (Connection: close) with a full handshake each ("handshake": wrk preloads
# native/wrk_fresh_sessions.c, which makes it forget its session) and with wrk's own session
# resumption ("resumed"); a run of https alone writes DIR/<date>-tls.csv and .txt, e.g.
#   benchmarks/compare.sh --benchmarks https --servers 'jepoll-et nginx'
# Every run: the server alone on CPU 0, the load generator on CPU 1; a fresh server, W seconds of
# warm-up, then S measured seconds with the server's CPU time (utime+stime from /proc) read just
# before and after. Servers alternate within a round (A B C A B C ...) so that a slow patch of
# this shared machine hits all of them, and the summary reports medians with their spread.
#
# --baseline-jar JAR adds the servers base-et, base-lt, base-nio and base-blocking, run from JAR
# with the jepoll-* servers' command line: a before/after comparison of two builds, e.g.
#   benchmarks/compare.sh --baseline-jar /tmp/jepoll-before.jar --servers "jepoll-et base-et"
# (without --servers: each base-* right after its jepoll-*, then netty, nginx and floor).
#
# Writes DIR/<date>-compare.csv (one row per run) and DIR/<date>-compare.txt (the machine, the
# command, and the medians), and prints the summary. --install apt-installs wrk, nginx and openssl
# when missing. Needs java, taskset, and wrk for the HTTP runs. The runs themselves are
# io.jepoll.benchmarks.compare.Compare in benchmarks/target/benchmarks.jar.
set -euo pipefail

cd "$(dirname "$0")/.."   # the repository root: every path below is relative to it
command_line="benchmarks/compare.sh"
(($#)) && command_line+=$(printf ' %q' "$@")

args=()
install=0
for arg in "$@"; do
  case $arg in
    --install) install=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

if ((install)) && { ! command -v wrk >/dev/null || ! command -v openssl >/dev/null \
    || ! { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; }; then
  # nginx-light is the smallest nginx with the return directive (and ssl); newer Debian has only nginx.
  # Debian's wrk is built with OpenSSL (libssl3); openssl makes the https benchmark's certificate.
  nginx_package=nginx-light
  apt-cache show nginx-light >/dev/null 2>&1 || nginx_package=nginx
  echo "installing wrk, $nginx_package and openssl ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk "$nginx_package" openssl >/dev/null \
    || { echo "compare.sh: apt-get install -y wrk $nginx_package openssl failed (run it as root)" >&2; exit 2; }
fi

bench_jar=benchmarks/target/benchmarks.jar
if [ ! -f cli/target/jepoll.jar ] || [ ! -f "$bench_jar" ]; then
  echo "building the jars (mvn -B -q package -DskipTests) ..."
  mvn -B -q package -DskipTests || { echo "compare.sh: the build failed" >&2; exit 1; }
fi
if [ -n "$(find java/src/main cli/src/main benchmarks/src/main -newer "$bench_jar" -type f -print -quit 2>/dev/null)" ]; then
  echo "note: some sources are newer than $bench_jar; this run uses the jars as built" \
       "(mvn -B -q package -DskipTests to rebuild)"
fi

# The floor server; cmake builds incrementally, and a failure only means the floor is skipped.
floor_bin=benchmarks/target/native/http-floor
if [ ! -x "$floor_bin" ] || [ benchmarks/native/http_floor.c -nt "$floor_bin" ]; then
  echo "building the floor server (cmake --build benchmarks/target/native --target http-floor) ..."
  mkdir -p benchmarks/target
  { cmake -S . -B benchmarks/target/native -DJEPOLL_BENCHMARKS=ON -DCMAKE_BUILD_TYPE=Release \
      && cmake --build benchmarks/target/native --target http-floor; } > benchmarks/target/floor-build.log 2>&1 \
    || echo "note: the floor server's build failed (benchmarks/target/floor-build.log); floor runs are skipped"
fi

# wrk's fresh-sessions library, for the https benchmark's full handshakes; without it (no gcc) https refuses to run.
fresh_sessions=benchmarks/target/native/wrk-fresh-sessions.so
if [ ! -f "$fresh_sessions" ] || [ benchmarks/native/wrk_fresh_sessions.c -nt "$fresh_sessions" ]; then
  mkdir -p benchmarks/target/native
  gcc -O2 -shared -fPIC -Wall -Wextra -Werror -o "$fresh_sessions" benchmarks/native/wrk_fresh_sessions.c -ldl \
      > benchmarks/target/wrk-fresh-sessions.log 2>&1 \
    || echo "note: wrk-fresh-sessions.so did not build (benchmarks/target/wrk-fresh-sessions.log); https cannot run"
fi

# With -cp (not -jar) the jar's Enable-Native-Access does not apply; JDK 24+ would warn.
exec java --enable-native-access=ALL-UNNAMED -Djepoll.compare.command="$command_line" \
    -cp "$bench_jar" io.jepoll.benchmarks.compare.Compare ${args[@]+"${args[@]}"}
