#!/usr/bin/env python3
"""Benchmark: log-shipper file -> stdout against mawk, in the same run, per core.

Uses the deterministic nginx corpus of bench/log-adapter (written there on first use). Each tool
reads the corpus FILE (log-shipper follows it with --exit-at-eof and exits once it is read and
delivered) and writes to /dev/null, pinned to one CPU with taskset, interleaved, N runs; medians.
Cases: log-shipper raw stdout (the tail -F drop-in) against `busybox tail -n +1`; log-shipper
--json (NDJSON with path) against a mawk one-liner that wraps each line as JSON with escaping.
Peak RSS of each run is reported too. log-shipper runs from the image's runtime, jar, flags and
AOT cache on the host.

Usage: bench.py [--runs N] [--mib M]   (after a build)
"""
import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
JAVA = os.path.join(ROOT, "base-image/target/rootfs/opt/java/bin/java")
ARGS = os.path.join(ROOT, "log-shipper/target/image-extra/app/java.args")
MAWK_JSON = r'{gsub(/\\/,"\\\\");gsub(/"/,"\\\"");print "{\"message\":\"" $0 "\"}"}'


def corpus(mib):
    spec = importlib.util.spec_from_file_location("adapter_bench", os.path.join(ROOT, "bench/log-adapter/bench.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.corpus(mib)


def shipper(path, extra):
    with open(ARGS) as f:
        args = [a.strip() for a in f if a.strip()]
    args = [a.replace("/app/aot/", os.path.join(ROOT, "log-shipper/target/image-extra/app/aot/"))
            .replace("/app/classpath/", os.path.join(ROOT, "log-shipper/target/image-stage/app/classpath/")) for a in args]
    return [JAVA] + args + ["--admin-address", "off", "--exit-at-eof"] + extra + [path]


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    with open(os.devnull, "wb") as sink:
        p = subprocess.run(["taskset", "-c", "0"] + cmd, stdout=sink, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"{cmd[:3]}... exited {p.returncode}: {p.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mib", type=int, default=512)
    a = ap.parse_args()
    path = corpus(a.mib)
    mib = os.path.getsize(path) / (1 << 20)
    cases = [
        ("raw lines to stdout vs busybox tail -n +1", shipper(path, []), ["busybox", "tail", "-n", "+1", path]),
        ("NDJSON to stdout vs a mawk JSON wrap (escaping)", shipper(path, ["--json"]), ["mawk", MAWK_JSON, path]),
    ]
    rows = []
    for name, ours, peer in cases:
        o, p = [], []
        for _ in range(a.runs):
            o.append(timed(ours))
            p.append(timed(peer))
        ow, oc = statistics.median(x[0] for x in o), statistics.median(x[1] for x in o)
        pw, pc = statistics.median(x[0] for x in p), statistics.median(x[1] for x in p)
        rss = max(x[2] for x in o) / 1024
        rows.append(f"| {name} | {mib / ow:.0f} MiB/s ({mib / oc:.0f} MiB per CPU-second, peak RSS {rss:.0f} MiB) | "
                    f"{mib / pw:.0f} MiB/s ({mib / pc:.0f} per CPU-second) | {pw / ow:.2f}x |")
        print(rows[-1], file=sys.stderr)
    text = (f"# log-shipper benchmark: latest results\n\n{a.runs} interleaved runs per tool, pinned to one CPU "
            f"(`taskset -c 0`), {mib:.0f} MiB nginx corpus read from a file, output to /dev/null. Produced by "
            "`bench/log-shipper/bench.py`.\n\n| case, one core | log-shipper | peer | ratio |\n|---|---:|---:|---:|\n"
            + "\n".join(rows) + "\n")
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
