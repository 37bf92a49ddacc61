#!/usr/bin/env python3
"""Benchmark: log-shipper file -> stdout against mawk, in the same run, per core.

Uses the deterministic nginx corpus of bench/log-adapter (written there on first use). Each tool
reads the corpus FILE (log-shipper follows it with --exit-at-eof and exits once it is read and
delivered) and writes to /dev/null, pinned to one CPU with taskset, interleaved, N runs; medians.
The ratio is per CPU-second (the issue's goal is per core): the peer's CPU-seconds over
log-shipper's in the same round, median over the rounds (range shown); the same ratio of wall
times is shown beside it. Each run is repeated on the
corpus twice over in one file (both under paths of the same length, which log-shipper's JSON
carries): the CPU the second copy adds (within each run, median over runs) gives the steady-state
rate and ratio, without the fixed cost of a process. Cases: log-shipper raw stdout (the tail -F drop-in) against `busybox tail -n +1`; log-shipper
--json (NDJSON with path) against a mawk one-liner that wraps each line as JSON with escaping.
Peak RSS of each run is reported too. log-shipper runs from the image's runtime, jar, flags and
AOT cache on the host.

Steady rate: a writer appends corpus lines to a file at --rate lines/s (100 lines every 10 ms)
for --seconds; log-shipper follows it (raw, then --json) to /dev/null. CPU is read from
/proc/<pid>/stat over the second half of the run (the first half is warm-up), RSS is the peak
(VmHWM); then SIGTERM. The goal is an absolute one (<= 15 % of a core, <= 96 MiB), no peer.

HTTP sink: log-shipper --sink http posts NDJSON batches to a loopback server (a small Python
HTTP/1.1 server in its own process, pinned to the other CPU, that reads each body and answers 200
at once); log-shipper's CPU is its own, on CPU 0. Its peer is the same mawk JSON wrap as above.

Idle files: --idle-files N files of one line each are followed with a glob (raw to /dev/null);
once every line was written out, CPU is read over --idle-seconds with nothing new, then RSS
(VmRSS, VmHWM) and the thread count; the same for one file, to give the cost per file.

Usage: bench.py [--runs N] [--mib M] [--rate R] [--seconds S] [--idle-files N] [--update-readme]
                [--cases raw,json,http,steady,idle] [--baseline TREE]
(after a build). --cases runs a subset; --baseline interleaves a second build (another checkout
with log-shipper built, e.g. main's) with this one and the peer, for an A/B in the same run.
Either leaves results.md alone.
"""
import argparse
import importlib.util
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from image_args import image_args  # noqa: E402
from readme_section import replace_section  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MAWK_JSON = r'{gsub(/\\/,"\\\\");gsub(/"/,"\\\"");print "{\"message\":\"" $0 "\"}"}'


def adapter_bench():
    spec = importlib.util.spec_from_file_location("adapter_bench", os.path.join(ROOT, "bench/log-adapter/bench.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def corpus(mib):
    return adapter_bench().corpus(mib)


def once_and_twice(path):
    """The corpus as corpus/1x/NAME (a hard link) and twice over as corpus/2x/NAME: paths of the
    same length, since log-shipper's JSON carries the path on every line."""
    twice = adapter_bench().doubled(path)
    once = os.path.join(os.path.dirname(path), "1x", os.path.basename(path))
    if not os.path.exists(once):
        os.makedirs(os.path.dirname(once), exist_ok=True)
        os.link(os.path.realpath(path), once)
    assert len(once) == len(twice)
    return once, twice


def shipper(path, extra, root=ROOT):
    """The command line of the log-shipper built in the tree at `root` (this one by default)."""
    java = os.path.join(root, "base-image/target/rootfs/opt/java/bin/java")
    return [java] + image_args(os.path.join(root, "log-shipper/target")) + ["--admin-address", "off", "--exit-at-eof"] + extra + [path]


def timed(cmd):
    """Runs cmd pinned to CPU 0, output to /dev/null; returns (wall s, CPU s, peak RSS KiB) of that run."""
    t0 = time.monotonic()
    with open(os.devnull, "wb") as sink, tempfile.TemporaryFile() as err:
        # taskset execs the command: the child's rusage (from wait4, this run's alone) is the tool's.
        p = subprocess.Popen(["taskset", "-c", "0"] + cmd, stdout=sink, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            err.seek(0)
            sys.exit(f"{cmd[:3]}... exited {p.returncode}: {err.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def steady(path, rate, seconds, extra):
    """Follows a file written at `rate` lines/s; returns (CPU share of one core, peak RSS MiB)."""
    with open(path, "rb") as f:
        sample = f.read(4 << 20).splitlines(keepends=True)[:-1]
    tick = os.sysconf("SC_CLK_TCK")
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "access.log")
        open(log, "wb").close()
        cmd = shipper(log, extra)
        cmd.remove("--exit-at-eof")
        # taskset execs the command: p.pid is the JVM's own.
        p = subprocess.Popen(["taskset", "-c", "0"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            per_tick = max(1, rate // 100)
            start = time.monotonic()
            k = 0
            cpu_mid = None
            with open(log, "ab", buffering=0) as out:
                for step in range(seconds * 100):  # bounded: one batch per 10 ms
                    out.write(b"".join(sample[(k + i) % len(sample)] for i in range(per_tick)))
                    k += per_tick
                    if cpu_mid is None and step >= seconds * 50:
                        cpu_mid = (cpu_ticks(p.pid), time.monotonic())
                    delay = start + (step + 1) / 100 - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
            cpu_end = (cpu_ticks(p.pid), time.monotonic())
            share = (cpu_end[0] - cpu_mid[0]) / tick / (cpu_end[1] - cpu_mid[1])
            rss = vm_hwm(p.pid)
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        if p.returncode != 0:
            sys.exit(f"log-shipper exited {p.returncode}: {p.stderr.read().decode()[-2000:]}")
        return share, rss


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def vm_hwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


SINK_SERVER = r"""
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        while n > 0:
            chunk = self.rfile.read(min(n, 1 << 20))
            if not chunk:
                break
            n -= len(chunk)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"""


class SinkServer:
    """The loopback HTTP sink, in its own process on CPU 1 (so its work is not log-shipper's)."""

    def __enter__(self):
        self.p = subprocess.Popen(["taskset", "-c", "1", sys.executable, "-c", SINK_SERVER], stdout=subprocess.PIPE)
        self.url = f"http://127.0.0.1:{int(self.p.stdout.readline())}/ingest"
        return self

    def __exit__(self, *exc):
        self.p.terminate()
        self.p.wait(timeout=10)


def idle(n, seconds, root=ROOT):
    """Follows n one-line files; returns (CPU share while idle, VmRSS MiB, VmHWM MiB, threads)."""
    tick = os.sysconf("SC_CLK_TCK")
    with tempfile.TemporaryDirectory() as d:
        for i in range(n):
            with open(os.path.join(d, f"app-{i:05d}.log"), "wb") as f:
                f.write(b"started %d\n" % i)
        # Its own log (a line per file opened) goes to a file: a pipe nobody reads would fill
        # and stop it.
        with open(os.path.join(d, "out"), "wb") as out, open(os.path.join(d, "err"), "wb") as err:
            cmd = shipper(os.path.join(d, "*.log"), [], root)
            cmd.remove("--exit-at-eof")
            p = subprocess.Popen(["taskset", "-c", "0"] + cmd, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + 120  # bounded: every line out, or give up
            while sum(1 for _ in open(os.path.join(d, "out"), "rb")) < n:
                if time.monotonic() > deadline or p.poll() is not None:
                    tail = open(os.path.join(d, "err"), "rb").read()[-2000:].decode(errors="replace")
                    sys.exit(f"idle files: not every line was written within 120 s (exit {p.poll()}): {tail}")
                time.sleep(0.2)
            time.sleep(2)  # a scan or two after the last line
            c0, t0 = cpu_ticks(p.pid), time.monotonic()
            time.sleep(seconds)
            share = (cpu_ticks(p.pid) - c0) / tick / (time.monotonic() - t0)
            status = {}
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    k, _, v = line.partition(":")
                    status[k] = v.split()[0] if v.split() else ""
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
        return share, int(status["VmRSS"]) / 1024, int(status["VmHWM"]) / 1024, int(status["Threads"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mib", type=int, default=512)
    ap.add_argument("--rate", type=int, default=10_000)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--only-steady", action="store_true")
    ap.add_argument("--idle-files", type=int, default=10_000)
    ap.add_argument("--idle-seconds", type=int, default=20)
    ap.add_argument("--update-readme", action="store_true")
    ap.add_argument("--cases", default="raw,json,http,steady,idle",
                    help="which cases to run, comma-separated (raw, json, http, steady, idle); default all")
    ap.add_argument("--baseline", metavar="TREE",
                    help="another checkout with log-shipper built (say main's): its runs are interleaved with "
                         "these as a third contender and reported as 'baseline' (results.md is not written)")
    a = ap.parse_args()
    only = set(a.cases.split(","))
    if a.only_steady:
        only = {"steady"}
    path, path2 = once_and_twice(corpus(a.mib))
    mib = os.path.getsize(path) / (1 << 20)
    sink = SinkServer().__enter__()
    cases = [
        ("raw", "raw lines to stdout vs busybox tail -n +1", [], ["busybox", "tail", "-n", "+1", path]),
        ("json", "NDJSON to stdout vs a mawk JSON wrap (escaping)", ["--json"], ["mawk", MAWK_JSON, path]),
        ("http", "NDJSON to a loopback HTTP sink vs the same mawk JSON wrap", ["--sink", "http", "--url", sink.url],
         ["mawk", MAWK_JSON, path]),
    ]
    rows = []
    for key, name, extra, peer in cases:
        if key not in only:
            continue
        ours = shipper(path, extra)
        o, p, b, o2, p2 = [], [], [], [], []
        for _ in range(a.runs):
            o.append(timed(ours))
            p.append(timed(peer))
            # The same on the corpus twice over: the CPU the second copy adds is the steady state.
            o2.append(timed(shipper(path2, extra)))
            p2.append(timed([path2 if x == path else x for x in peer]))
            if a.baseline:
                b.append(timed(shipper(path, extra, a.baseline)))
        if a.baseline:
            bw, bc = statistics.median(x[0] for x in b), statistics.median(x[1] for x in b)
            print(f"baseline | {name} | {mib / bw:.0f} MiB/s ({mib / bc:.0f} MiB per CPU-second, peak RSS "
                  f"{max(x[2] for x in b) / 1024:.0f} MiB) | this build / baseline: "
                  f"{bc / statistics.median(x[1] for x in o):.2f}x per CPU-second", file=sys.stderr)
        ow, oc = statistics.median(x[0] for x in o), statistics.median(x[1] for x in o)
        pw, pc = statistics.median(x[0] for x in p), statistics.median(x[1] for x in p)
        # Each run's doubled-corpus CPU less its own single-corpus CPU (run back to back), median.
        o_steady = statistics.median(b[1] - a[1] for a, b in zip(o, o2))
        p_steady = statistics.median(b[1] - a[1] for a, b in zip(p, p2))
        rss = max(x[2] for x in o) / 1024
        # The ratios are taken within each round (the peer's run over log-shipper's, back to back), then the
        # median: the machine's speed drifts, and a slow spell that hits one tool's runs more than the other's
        # moves a ratio of two medians taken over different minutes.
        whole = [y[1] / x[1] for x, y in zip(o, p)]
        wall = [y[0] / x[0] for x, y in zip(o, p)]
        steady_r = [(y2[1] - y[1]) / (x2[1] - x[1]) for x, y, x2, y2 in zip(o, p, o2, p2)]
        rows.append(f"| {name} | {mib / ow:.0f} MiB/s ({mib / oc:.0f} MiB per CPU-second, {oc - o_steady:.2f} CPU-s of "
                    f"it fixed; steady {mib / o_steady:.0f}; peak RSS {rss:.0f} MiB) | "
                    f"{mib / pw:.0f} MiB/s ({mib / pc:.0f} per CPU-second; steady {mib / p_steady:.0f}) | "
                    f"{statistics.median(whole):.2f}x ({min(whole):.2f}–{max(whole):.2f}; by wall time "
                    f"{statistics.median(wall):.2f}x) | {statistics.median(steady_r):.2f}x "
                    f"({min(steady_r):.2f}–{max(steady_r):.2f}) |")
        print(rows[-1], file=sys.stderr)
    sink.__exit__(None, None, None)
    steady_rows = []
    for name, extra in (() if "steady" not in only else (("raw lines to stdout", []), ("NDJSON to stdout", ["--json"]))):
        share, rss = steady(path, a.rate, a.seconds, extra)
        steady_rows.append(f"| {name} | {share * 100:.1f} % | {rss:.0f} MiB |")
        print(steady_rows[-1], file=sys.stderr)
    idle_rows = []
    if "idle" in only:
        if a.baseline:
            for n in (1, a.idle_files):
                share, rss, hwm, threads = idle(n, a.idle_seconds, a.baseline)
                print(f"baseline | idle | {n:,} | {share * 100:.1f} % | {rss:.0f} MiB | {hwm:.0f} MiB | {threads} |",
                      file=sys.stderr)
        one = idle(1, a.idle_seconds)
        many = idle(a.idle_files, a.idle_seconds)
        for n, (share, rss, hwm, threads) in ((1, one), (a.idle_files, many)):
            idle_rows.append(f"| {n:,} | {share * 100:.1f} % | {rss:.0f} MiB | {hwm:.0f} MiB | {threads} |")
            print(idle_rows[-1], file=sys.stderr)
        per_file = (many[1] - one[1]) * 1024 / max(1, a.idle_files - 1)
        idle_rows.append(f"| per file | | {per_file:.1f} KiB | | {many[3] - one[3]} more threads |")
    text = (f"# log-shipper benchmark: latest results\n\n{a.runs} interleaved runs per tool, pinned to one CPU "
            f"(`taskset -c 0`), {mib:.0f} MiB nginx corpus read from a file, output to /dev/null. The goal is per "
            "core, so the ratio is the peer's CPU-seconds over log-shipper's, taken within each round (the two tools' "
            "runs back to back) and then the median, with the rounds' lowest and highest in brackets and the same "
            "ratio of wall times after them (in the HTTP case that includes the pace of the Python sink on the other "
            "CPU). Produced by "
            "`bench/log-shipper/bench.py`. Each run is repeated on the corpus twice over in one file: the CPU the second "
            "copy adds is the steady state, without the fixed cost of a process (the JVM's start, the first "
            "compilations).\n\n| case, one core | log-shipper | peer | whole run: ratio per CPU-second (range; by wall time) "
            "| steady state: ratio per CPU-second (range) |\n|---|---:|---:|---:|---:|\n"
            + "\n".join(rows) + "\n\n"
            f"Steady rate: {a.rate:,} lines/s appended for {a.seconds} s, followed to /dev/null; CPU over the second "
            "half, peak RSS (VmHWM). Goal: <= 15 % of one core, <= 96 MiB.\n\n"
            "| case | CPU (one core) | peak RSS |\n|---|---:|---:|\n" + "\n".join(steady_rows) + "\n"
            + ("" if not idle_rows else
               f"\nIdle files: N files of one line followed with a glob, raw to /dev/null; CPU over {a.idle_seconds} s "
               "with nothing new (default --poll-interval 100ms, --scan-interval 1s), then RSS and threads.\n\n"
               "| files | CPU (one core) | RSS | peak RSS | threads |\n|---|---:|---:|---:|---:|\n"
               + "\n".join(idle_rows) + "\n"))
    print(text)
    if a.baseline or only != {"raw", "json", "http", "steady", "idle"}:
        return  # a partial or A/B run is not the latest full result
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(text)
    if a.update_readme:
        replace_section("log-shipper", text.split("\n\n", 1)[1])


if __name__ == "__main__":
    main()
