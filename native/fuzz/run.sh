#!/usr/bin/env bash
# Fuzzes every harness of native/fuzz with libFuzzer for a while:
#
#   native/fuzz/run.sh [SECONDS_PER_HARNESS] [--merge]      (default 60 s each)
#
# Installs clang when it is missing and this may (root, or sudo without a password). Builds
# with -DJEPOLL_FUZZ=ON into target/fuzz-build, then runs each harness from its committed
# seeds (native/fuzz/corpus/<name>, read only) and the inputs of earlier runs, keeping what it
# finds in target/fuzz/corpus/<name>. --merge then adds those of them that reach new coverage
# to the committed corpus (for a harness that passed). Exits 1 if any harness fails, naming
# the input that does it; 2 on bad usage or without clang.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=60
merge=0
for arg in "$@"; do
  case $arg in
    --merge) merge=1 ;;
    *[!0-9]* | '' | 0) echo "usage: $0 [SECONDS_PER_HARNESS] [--merge]" >&2; exit 2 ;;
    *) seconds=$arg ;;
  esac
done

if ! command -v clang >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update && apt-get install -y clang
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update && sudo apt-get install -y clang
  else
    echo "run.sh: clang is missing and cannot be installed from here; install clang (apt-get install clang) and rerun" >&2
    exit 2
  fi
fi

build=$root/target/fuzz-build
work=$root/target/fuzz
harnesses=()
for source in "$root"/native/fuzz/fuzz_*.c; do
  name=$(basename "$source" .c)
  harnesses+=("${name#fuzz_}")
done

# RelWithDebInfo: -O2 as shipped, plus line numbers in the stack of a failure.
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DJEPOLL_FUZZ=ON >/dev/null
cmake --build "$build" --parallel 2 --target "${harnesses[@]/#/fuzz_}"

failed=0
for name in "${harnesses[@]}"; do
  corpus=$work/corpus/$name
  artifacts=$work/artifacts/$name
  log=$work/logs/$name.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  echo "fuzz_$name: ${seconds} s, log in $log"
  # -timeout: one input taking more than 10 s is a hang, and a failure.
  if "$build/fuzz_$name" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$corpus" "$root/native/fuzz/corpus/$name" >"$log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb):' "$log" || true
    if [ "$merge" -eq 1 ]; then
      "$build/fuzz_$name" -merge=1 "$root/native/fuzz/corpus/$name" "$corpus" >>"$log" 2>&1
      echo "fuzz_$name: merged what reaches new coverage into native/fuzz/corpus/$name"
    fi
  else
    failed=1
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    echo "fuzz_$name FAILED: reproducer ${reproducer:-not written, see the log}" >&2
    grep -m 1 -E 'property failed|ERROR: [A-Za-z]+Sanitizer|ERROR: libFuzzer' "$log" >&2 || true
    echo "  replay it: $build/fuzz_$name ${reproducer:-<input>}" >&2
  fi
done
exit "$failed"
