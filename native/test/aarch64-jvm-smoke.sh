#!/usr/bin/env bash
# The runnable jar on an aarch64 JVM under qemu-user: `info` must load the jar's
# linux-aarch64/libjepoll.so, and an echo server on the et transport must answer one message.
# Skips, saying why, without qemu-aarch64 or an arm64 JVM; .ci/run installs both:
#   apt-get install qemu-user
#   dpkg --add-architecture arm64 && apt-get update && apt-get install openjdk-17-jre-headless:arm64
# usage: native/test/aarch64-jvm-smoke.sh [path/to/jepoll.jar]   (default cli/target/jepoll.jar)
set -euo pipefail
jar=${1:-cli/target/jepoll.jar}
java_arm64=$(ls /usr/lib/jvm/java-*-openjdk-arm64/bin/java 2>/dev/null | head -n 1 || true)
if ! command -v qemu-aarch64 >/dev/null; then
  echo "aarch64 JVM smoke test skipped: no qemu-aarch64 (apt-get install qemu-user)"
  exit 0
fi
if [ -z "$java_arm64" ]; then
  echo "aarch64 JVM smoke test skipped: no /usr/lib/jvm/java-*-openjdk-arm64 (see $0 for the install)"
  exit 0
fi

fail() {
  echo "aarch64 JVM smoke test FAILED: $1" >&2
  exit 1
}
# An emulated JVM starts in about 10 s on a busy 2-core machine; every step gets 120 s at most.
jepoll_arm64() {
  timeout 120 qemu-aarch64 "$java_arm64" -jar "$jar" "$@"
}

started=$SECONDS
info=$(jepoll_arm64 info) || fail "jepoll info exited with $?: $info"
grep -q '^os .*(aarch64)$' <<<"$info" || fail "not an aarch64 JVM: $info"
grep -q 'from jar:.*!/linux-aarch64/libjepoll\.so$' <<<"$info" || fail "native library not loaded: $info"
grep -q '^best  *et$' <<<"$info" || fail "best transport is not et: $info"

server_log=$(mktemp)
jepoll_arm64 echo --port 0 --transport et --max-time 110s >"$server_log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$server_log"' EXIT
port=
for _ in $(seq 600); do
  port=$(sed -n 's/^jepoll echo listening on 127\.0\.0\.1:\([0-9]*\) (transport et, .*/\1/p' "$server_log")
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || fail "echo server exited: $(cat "$server_log")"
  sleep 0.2
done
[ -n "$port" ] || fail "echo server not listening within 120 s: $(cat "$server_log")"

message="hello from aarch64"
answer=$(jepoll_arm64 echo-client --port "$port" --message "$message") || fail "echo-client exited with $?: $answer"
[ "$answer" = "$message" ] || fail "echo-client got '$answer', sent '$message'"
echo "aarch64 JVM smoke test passed in $((SECONDS - started)) s: JDK $(sed -n "s/^jdk  *//p" <<<"$info")," \
  "libjepoll from the jar's linux-aarch64, one echo round trip on et"
