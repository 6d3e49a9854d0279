#!/usr/bin/env bash
# Where a jepoll HTTPS server's CPU goes: perf record -g on the server during a wrk run over TLS,
# its top self-time symbols (Java frames named through HotSpot's perf map), and their total by
# group: kernel, JDK TLS (sun.security.ssl), crypto (AES-GCM, SHA, ECDSA, ECDHE), jepoll, JVM; and
# the samples in HotSpot's stubs by stub: the perf map names them all "StubRoutines", so the
# server also prints its stubs' addresses (-XX:+PrintStubCode), which tell an intrinsic apart
# (counterMode_AESCrypt, ghash_processBlocks, galoisCounterMode_AESCrypt, sha256_implCompress...).
#
# usage: benchmarks/tls-profile.sh [--mode plain|pipeline16|handshake] [--transport et] [--warmup 10]
#            [--seconds 10] [--top 20] [--port 18096]
#
# The server (java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer
# -XX:+PrintStubCode -jar cli/target/jepoll.jar http --tls-cert --tls-key, an ECDSA P-256 pair from openssl) on CPU 0,
# wrk -t1 -c64 on CPU 1: WARMUP seconds of load, then SECONDS more while perf samples the server.
# handshake: a new connection per request with a full handshake (wrk preloads
# benchmarks/target/native/wrk-fresh-sessions.so, which compare.sh builds). The server is stopped
# with SIGTERM, so that HotSpot writes /tmp/perf-PID.map, which perf report reads. Needs perf
# (apt-get install linux-perf), wrk, openssl, taskset; every step is bounded by timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=plain transport=et warmup=10 seconds=10 top=20 port=18096
while (($#)); do
  case $1 in
    --mode) mode=$2; shift 2 ;;
    --transport) transport=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "tls-profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in perf wrk openssl taskset; do
  command -v "$tool" >/dev/null || { echo "tls-profile.sh: $tool is missing" >&2; exit 2; }
done
jar=cli/target/jepoll.jar
[[ -f $jar ]] || { echo "tls-profile.sh: build $jar first (mvn -B -q package -DskipTests)" >&2; exit 2; }
wrk_options=()
wrk_environment=()
case $mode in
  plain) ;;
  pipeline16) wrk_options=(-s benchmarks/scripts/pipeline.lua) ;;
  handshake)
    fresh_sessions=$PWD/benchmarks/target/native/wrk-fresh-sessions.so
    [[ -f $fresh_sessions ]] || { echo "tls-profile.sh: $fresh_sessions is missing (compare.sh builds it)" >&2; exit 2; }
    wrk_options=(-H "Connection: close")
    wrk_environment=(LD_PRELOAD="$fresh_sessions") ;;
  *) echo "tls-profile.sh: --mode is plain, pipeline16 or handshake" >&2; exit 2 ;;
esac

scratch=$(mktemp -d /tmp/jepoll-tls-profile.XXXXXX)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
  [[ -n $server ]] && rm -f "/tmp/perf-$server.map"
  rm -rf "$scratch"
}
trap cleanup EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>"$scratch/openssl.log"

java=$(command -v java)
timeout $((warmup + seconds + 60)) taskset -c 0 "$java" -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
  -XX:+PreserveFramePointer -XX:+PrintStubCode -jar "$jar" http --port "$port" --transport "$transport" \
  --tls-cert "$scratch/cert.pem" --tls-key "$scratch/key.pem" --max-time $((warmup + seconds + 50))s \
  >"$scratch/server.log" 2>&1 &
timeout_pid=$!
for _ in $(seq 300); do grep -q listening "$scratch/server.log" && break; sleep 0.1; done
grep -q listening "$scratch/server.log" || { echo "tls-profile.sh: the server did not start:" >&2; cat "$scratch/server.log" >&2; exit 1; }
server=$(pgrep -P "$timeout_pid" | head -1)

url=https://127.0.0.1:$port/
echo "# benchmarks/tls-profile.sh --mode $mode --transport $transport --warmup $warmup --seconds $seconds ($(date -u +%FT%TZ))"
echo "# server: java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer -XX:+PrintStubCode -jar $jar http --transport $transport --tls-cert --tls-key (ECDSA P-256) on CPU 0"
echo "# load: wrk -t1 -c64 ${wrk_options[*]} $url on CPU 1 (${wrk_environment[*]:-no preload}); perf record -g -F 999 -p SERVER for $seconds s after $warmup s of warm-up"
echo "# $(java -version 2>&1 | head -1); $(perf --version); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout $((warmup + 20)) env "${wrk_environment[@]}" taskset -c 1 wrk -t1 -c64 -d"${warmup}s" "${wrk_options[@]}" "$url" >/dev/null
timeout $((seconds + 30)) env "${wrk_environment[@]}" taskset -c 1 wrk -t1 -c64 -d"$((seconds + 2))s" "${wrk_options[@]}" "$url" \
  >"$scratch/wrk.txt" &
wrk_pid=$!
timeout $((seconds + 20)) perf record -g -F 999 -o "$scratch/perf.data" -p "$server" -- sleep "$seconds" \
  >"$scratch/perf-record.log" 2>&1 || { echo "tls-profile.sh: perf record failed:" >&2; cat "$scratch/perf-record.log" >&2; exit 1; }
wait "$wrk_pid" || true
echo "# wrk: $(grep -E 'Requests/sec' "$scratch/wrk.txt")"
kill -TERM "$server"
for _ in $(seq 150); do [[ -s /tmp/perf-$server.map ]] && ! kill -0 "$server" 2>/dev/null && break; sleep 0.1; done

perf report -i "$scratch/perf.data" --no-children --sort dso,sym --stdio -g none --percent-limit 0 2>/dev/null \
  | awk '/^ *[0-9.]+%/' >"$scratch/self.txt"
echo
echo "## top $top symbols by self time (share of the server's samples)"
head -n "$top" "$scratch/self.txt"
echo
echo "## self time by group"
awk '
  {
    share = $1; sub(/%/, "", share)
    line = $0
    if (line ~ /\[k\]/) group = "kernel"
    else if (line ~ /sun\.security\.ssl|javax\.net\.ssl/) group = "JDK TLS (sun.security.ssl)"
    else if (line ~ /com\.sun\.crypto|javax\.crypto|sun\.security\.(ec|util\.math|provider|rsa|util\.ArrayUtil)|java\.math\.BigInteger|StubRoutines|[Aa][Ee][Ss]|[Gg][Hh][Aa][Ss][Hh]|galoisCounterMode|counterMode|sha256|sha512|[Mm]ontgomery|multiplyToLen|squareToLen|mulAdd|libcrypto/) group = "crypto (AES-GCM, SHA, EC)"
    else if (line ~ /io\.jepoll|jna.*\.tmp|libjepoll|com\.sun\.jna/) group = "jepoll (and JNA)"
    else if (line ~ /libjvm|Interpreter|\[vdso\]|libc\.so|libpthread|ld-linux/) group = "JVM (JIT compilers, GC, runtime) and libc"
    else group = "other Java (java.*, JIT code)"
    total[group] += share
  }
  END { for (group in total) printf "  %6.2f%%  %s\n", total[group], group }' "$scratch/self.txt" | sort -rn

echo
echo "## the JVM group's top 10 (libjvm: Phase*/Compile* are the JIT compilers, G1* and *Closure the GC)"
grep -E 'libjvm|Interpreter|libc\.so' "$scratch/self.txt" | head -n 10 || true
echo
echo "## samples in HotSpot's stubs, by stub (share of all the server's samples)"
grep -E '^StubRoutines::[A-Za-z0-9_]+ \[0x[0-9a-f]+, 0x[0-9a-f]+\]' "$scratch/server.log" >"$scratch/stubs.txt" || true
# The leaf frame of each sample (perf script prints a sample's call chain, leaf first, then a blank line).
perf script -i "$scratch/perf.data" -F ip,sym 2>/dev/null | awk 'previous == "" && NF { print $1 } { previous = $0 }' \
  >"$scratch/leaves.txt"
awk '
  function value(hex,   digits, number, i) {
    digits = "0123456789abcdef"; number = 0; sub(/^0x/, "", hex)
    for (i = 1; i <= length(hex); i++) number = number * 16 + index(digits, substr(hex, i, 1)) - 1
    return number
  }
  FNR == NR {
    name = $1; sub(/^StubRoutines::/, "", name); range = $2 " " $3; gsub(/[\[\],]/, " ", range)
    split(range, bounds, " "); stubs++; first[stubs] = value(bounds[1]); last[stubs] = value(bounds[2]); names[stubs] = name
    next
  }
  {
    samples++; ip = value($1)
    for (i = 1; i <= stubs; i++) if (ip >= first[i] && ip < last[i]) { count[names[i]]++; break }
  }
  END { for (name in count) printf "  %6.2f%%  %s\n", 100 * count[name] / samples, name }' \
  "$scratch/stubs.txt" "$scratch/leaves.txt" | sort -rn
