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
# (apt-get install -y wrk); builds the jars when they are missing. The soak itself is
# io.jepoll.benchmarks.compare.Soak in benchmarks/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  case $arg in
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done
bench_jar=benchmarks/target/benchmarks.jar
if [ ! -f cli/target/jepoll.jar ] || [ ! -f "$bench_jar" ]; then
  mvn -B -q package -DskipTests
fi
exec java --enable-native-access=ALL-UNNAMED -cp "$bench_jar" io.jepoll.benchmarks.compare.Soak "$@"
