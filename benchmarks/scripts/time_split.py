#!/usr/bin/env python3
"""time-split.sh's arithmetic: requests in the profiled window, and perf's samples in groups.

  time_split.py count WORKLOAD LOAD_OUTPUT SECONDS   requests (round trips) in SECONDS at the load's rate
  time_split.py split REPORT CPU_US REQUESTS         the groups' shares of REPORT (perf report --sort dso,sym)
                                                     and their CPU microseconds per request
"""
import collections
import re
import sys

GROUPS = ["kernel", "binding", "jepoll Java", "JDK Java", "JVM", "other"]


def count(workload, load_output, seconds):
    text = open(load_output).read()
    if workload == "echo":
        rate = float(re.search(r"roundtrips_per_second=([\d.]+)", text).group(1))
    else:
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    return int(rate * float(seconds))


def group(dso, kind, symbol):
    """The group of one sample's leaf frame: its shared object, or for JIT code its Java class."""
    if kind == "k" or dso.startswith("[kernel"):
        return "kernel"
    if "clock_gettime" in symbol:
        return "JVM"  # System.nanoTime and currentTimeMillis, through libc or the vDSO
    # JNA: its dispatch library and its Java; FFM: the downcall stubs; both: the shim and libc's wrappers.
    if ("jnidispatch" in dso or re.match(r"jna\d*.*\.tmp", dso) or "libjepoll" in dso or dso.startswith("libc")
            or "com.sun.jna" in symbol or "jdk.internal.foreign" in symbol or "nep_invoker" in symbol
            or "downcall" in symbol.lower() or "native_invoker" in symbol.lower()):
        return "binding"
    if dso.startswith("perf-") or dso.startswith("[JIT"):
        if "io.jepoll" in symbol or "io/jepoll" in symbol:
            return "jepoll Java"
        if re.search(r"\b(java|javax|jdk|sun)[./]", symbol):
            return "JDK Java"
        return "JVM"  # interpreter, stubs, adapters
    if "libjvm" in dso or dso == "[vdso]":
        return "JVM"  # the runtime, and the clock it reads
    if dso in ("http-floor", "echo-floor"):
        return "jepoll Java"  # the floor's own code, in the same column
    return "other"


def split(report, cpu_us, requests):
    shares = collections.Counter()
    for line in open(report):
        # The shared object may hold spaces ("[JIT] tid 1234"); the sample's kind ([k] or [.]) ends it.
        match = re.match(r"\s+([\d.]+)%\s+(.+?)\s+\[(.)\]\s+(.*)$", line)
        if match:
            shares[group(match.group(2), match.group(3), match.group(4))] += float(match.group(1))
    total = sum(shares.values()) or 1.0
    per_request = float(cpu_us) / max(int(requests), 1)
    print(f"{'group':14s} {'share':>7s} {'us/request':>11s}")
    for name in GROUPS:
        share = shares[name] / total
        print(f"{name:14s} {100 * share:6.1f}% {share * per_request:11.3f}")
    print(f"{'total':14s} {100.0:6.1f}% {per_request:11.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "count":
        print(count(*sys.argv[2:5]))
    else:
        split(*sys.argv[2:5])
