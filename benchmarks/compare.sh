#!/usr/bin/env bash
# Side-by-side load runs of jepoll's transports, Netty, nginx and a C "floor" server, in one command.
#
# usage: benchmarks/compare.sh [--rounds N=3] [--seconds S=5] [--warmup W=3]
#            [--servers "jepoll-et jepoll-lt jepoll-nio jepoll-blocking netty nginx floor echo-floor"]
#            [--benchmarks "http echo static https"] [--connections "C ..."=64] [--port P=18080]
#            [--jdks "17 25 /path/to/bin/java"=the java on the PATH] [--bindings "jna ffm"=jna]
#            [--echo-client c|java=c] [--timeout S=5] [--baseline-jar JAR] [--install]
#            [--out DIR=benchmarks/results]
#
# HTTP (GET / -> hello): wrk -t1 -cC --latency --timeout S, plain and 16-deep pipelined
# (scripts/pipeline.lua); each row has wrk's p50 and p99 and its socket errors by kind.
# Echo (jepoll, Netty and echo-floor, native/echo_floor.c): C connections ping-ponging 64-byte
# messages from native/echo_load.c, or with --echo-client java from EchoLoad (which costs the
# load CPU several times what the C client does).
# Connection counts, JDKs and bindings are dimensions: --connections "64 1000 10000" runs every
# server at each count; --jdks "17 25" runs every Java server (jepoll-*, base-*, netty) on each
# JDK (a feature release is the java on the PATH or one under /usr/lib/jvm; a path works too),
# --bindings "jna ffm" runs jepoll's et and lt servers with each -Djepoll.binding (FFM needs
# JDK 22+: ffm on an older JDK is skipped with a note). Labels name them: jepoll-et@25/ffm, netty@17.
# Every server listens with a backlog of 1024 (jepoll's default, which its command line does not
# change) and no cap on connections; the open-files soft limit is raised to the hard one, and the
# header warns when that is too low for the largest count.
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
# command, and the medians with the ratio of CPU per request to the C floor's), and prints the summary. --install apt-installs wrk, nginx and openssl
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

# The floor servers and the echo load generator; cmake builds incrementally, and a failure only
# means the floors are skipped (and echo needs --echo-client java).
native_programs=(http-floor echo-floor echo-load)
for program in "${native_programs[@]}"; do
  if [ ! -x "benchmarks/target/native/$program" ] \
      || [ "benchmarks/native/${program//-/_}.c" -nt "benchmarks/target/native/$program" ]; then
    echo "building ${native_programs[*]} (cmake --build benchmarks/target/native) ..."
    mkdir -p benchmarks/target
    { cmake -S . -B benchmarks/target/native -DJEPOLL_BENCHMARKS=ON -DCMAKE_BUILD_TYPE=Release \
        && cmake --build benchmarks/target/native --target "${native_programs[@]}"; } \
        > benchmarks/target/floor-build.log 2>&1 \
      || echo "note: the C programs' build failed (benchmarks/target/floor-build.log); the floors are skipped"
    break
  fi
done

# 10,000 connections take 10,000 fds in the server and as many in wrk or echo-load, which inherit
# this limit: the soft one goes up to the hard one (Compare's header says when that is still too low).
hard_limit=$(ulimit -Hn)
ulimit -Sn "$hard_limit" 2>/dev/null || echo "note: could not raise the open-files limit to $hard_limit"

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
