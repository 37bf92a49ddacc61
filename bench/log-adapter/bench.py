#!/usr/bin/env python3
"""Benchmark: log-adapter against mawk one-liners, in the same run, per core.

A deterministic nginx "combined" access-log corpus (default 512 MiB, ~3.9 M lines) is written
once to bench/log-adapter/corpus/ (git-ignored). Each tool reads it as a file on its stdin and
writes to /dev/null, pinned to one CPU with taskset, interleaved, N runs; the median wall time
gives MiB/s per core and the ratio; the ratio of the median user+sys CPU times is given too, since
on a shared machine the wall time also counts waiting for the pinned CPU. Cases:
  * plain wrap: log-adapter --format plain (escapes quotes, backslashes, control characters,
    validates UTF-8) against the docs' awk one-liner under mawk (which escapes nothing), both as
    mawk alone on the file and as the docs' whole command, busybox tail piped into mawk; by
    default log-adapter also looks for a level keyword near the start of each line (a line with
    ERROR gets "severity"), so the case runs once more with --no-severity-keywords, whose output
    is exactly {"msg": line} for every line, the one-liner's job and no more;
  * nginx combined to typed JSON: log-adapter --format nginx against a mawk script that splits
    the same fields into JSON (numbers as numbers, no time conversion).
log-adapter runs from the image's runtime and jar on the host (base-image/target/rootfs and
log-adapter/target/image-stage, with the image's flags and AOT cache), so the engine adds nothing.

Every run is done twice: on the corpus, and on the corpus written twice over into one file. The
whole run's CPU counts log-adapter's fixed cost per process (the JVM's start and its first
compilations, paid once per container); the CPU the second copy adds is each tool's rate once
running, the steady state (taken within each run, the two files back to back, then the median
over runs), which is what a sidecar that runs for the pod's life spends per MiB.
Both ratios are shown, and log-adapter's fixed cost on its own (the whole run's CPU less the
steady cost of one corpus).

Usage: bench.py [--runs N] [--mib M] [--update-readme]   (after a build)
"""
import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from image_args import JAVA, image_args  # noqa: E402
from readme_section import replace_section  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

AWK_WRAP = '{print "{\\"msg\\":\\"" $0 "\\"}"}'
# Splits nginx combined into 9 JSON fields: $1 addr, $3 user, $4-$5 time, request in quotes,
# status, bytes, referer, agent. Escapes quotes and backslashes in the quoted parts.
AWK_NGINX = r'''
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
{
  line = $0
  i = index(line, "\""); rest = substr(line, i + 1)
  j = index(rest, "\""); request = substr(rest, 1, j - 1); rest = substr(rest, j + 2)
  split(rest, sb, " "); status = sb[1]; bytes = sb[2]
  k = index(rest, "\""); rest = substr(rest, k + 1)
  k = index(rest, "\""); referer = substr(rest, 1, k - 1); rest = substr(rest, k + 1)
  k = index(rest, "\""); rest = substr(rest, k + 1)
  k = index(rest, "\""); agent = substr(rest, 1, k - 1)
  split(request, rq, " ")
  t = substr($4, 2) " " substr($5, 1, length($5) - 1)
  printf "{\"remote_addr\":\"%s\",\"remote_user\":\"%s\",\"time\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"protocol\":\"%s\",\"status\":%d,\"bytes\":%d,\"referer\":\"%s\",\"user_agent\":\"%s\"}\n", $1, $3, t, rq[1], esc(rq[2]), rq[3], status, bytes, esc(referer), esc(agent)
}
'''

PATHS = ["/", "/index.html", "/api/v1/orders", "/api/v1/orders/12345", "/static/app.js", "/static/app.css",
         "/images/logo.png", "/search?q=red+shoes&page=2", "/login", "/api/v1/users/me", "/health"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
          "curl/8.5.0", "kube-probe/1.30", "Go-http-client/1.1"]
REFERERS = ["-", "https://shop.example.com/", "https://www.google.com/", "https://shop.example.com/cart"]


def corpus(mib):
    path = os.path.join(HERE, "corpus", f"nginx-{mib}mib.log")
    if os.path.exists(path) and os.path.getsize(path) >= mib << 20:
        return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rng = random.Random(42)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    size = 0
    second = 0
    with open(path + ".tmp", "w") as f:
        chunk = []
        while size < mib << 20:
            if rng.random() < 0.2:
                second += 1
            d, h, m, s = 1 + second // 86400 % 28, second // 3600 % 24, second // 60 % 60, second % 60
            status = rng.choice([200] * 20 + [201, 204, 301, 304, 400, 401, 403, 404, 404, 500, 502, 503])
            line = (f'10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)} - - '
                    f'[{d:02d}/{months[second // 2419200 % 12]}/2024:{h:02d}:{m:02d}:{s:02d} +0000] '
                    f'"{rng.choice(["GET"] * 6 + ["POST", "PUT", "DELETE"])} {rng.choice(PATHS)} HTTP/1.1" '
                    f'{status} {rng.randrange(0, 50000)} "{rng.choice(REFERERS)}" "{rng.choice(AGENTS)}"\n')
            chunk.append(line)
            size += len(line)
            if len(chunk) >= 10000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))
    os.replace(path + ".tmp", path)
    return path


def doubled(path):
    """The corpus written twice over into one file of the same name in corpus/2x/ (made once)."""
    twice = os.path.join(os.path.dirname(path), "2x", os.path.basename(path))
    if not os.path.exists(twice) or os.path.getsize(twice) != 2 * os.path.getsize(path):
        os.makedirs(os.path.dirname(twice), exist_ok=True)
        with open(twice + ".tmp", "wb") as dst:
            for _ in range(2):
                with open(path, "rb") as src:
                    # In pieces: a bench process grown by the whole corpus would count in its
                    # children's peak RSS (a forked child holds its parent's pages until it execs).
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(twice + ".tmp", twice)
    return twice


def adapter_cmd(fmt, *extra):
    # The image's flags and AOT cache, with paths moved from /app to the build's staged copy.
    return [JAVA] + image_args(os.path.join(ROOT, "log-adapter/target")) + ["--format", fmt, "--admin-address", "off", *extra, "-"]


def timed(cmd, path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    with open(path, "rb") as src, open(os.devnull, "wb") as sink:
        # taskset pins the command and everything it starts (both ends of a pipe) to one CPU.
        p = subprocess.run(["taskset", "-c", "0"] + cmd, stdin=src, stdout=sink, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"{cmd[:3]}... exited {p.returncode}: {p.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mib", type=int, default=512)
    ap.add_argument("--update-readme", action="store_true")
    a = ap.parse_args()
    path = corpus(a.mib)
    path2 = doubled(path)
    mib = os.path.getsize(path) / (1 << 20)
    tail_mawk = ["sh", "-c", "busybox tail -n +1 \"$0\" | mawk '" + AWK_WRAP + "'", path]
    cases = [
        ("plain wrap vs the one-liner (mawk alone)", "", adapter_cmd("plain"), "", ["mawk", AWK_WRAP]),
        ("plain wrap, --no-severity-keywords (exactly {\"msg\": line}) vs the one-liner (mawk alone)", "",
         adapter_cmd("plain", "--no-severity-keywords"), "", ["mawk", AWK_WRAP]),
        ("plain wrap vs the docs' command (busybox tail \\| mawk)", "", adapter_cmd("plain"), "", tail_mawk),
        ("nginx → typed JSON vs a mawk field split", "", adapter_cmd("nginx"), "", ["mawk", AWK_NGINX]),
    ]
    rows = []
    load_before = os.getloadavg()[0]
    for name, ours_name, ours, peer_name, peer in cases:
        # Wall and CPU per run, for the corpus (1) and the corpus twice over (2), interleaved.
        ow, oc, pw, pc, oc2, pc2 = [], [], [], [], [], []
        for _ in range(a.runs):
            w, c = timed(ours, path)
            ow.append(w)
            oc.append(c)
            w, c = timed(peer, path)
            pw.append(w)
            pc.append(c)
            oc2.append(timed(ours, path2)[1])
            # The docs' command names its file: the doubled one there too.
            pc2.append(timed([path2 if x == path else x for x in peer], path2)[1])
        o, p = mib / statistics.median(ow), mib / statistics.median(pw)
        # CPU time does not count waiting for the pinned CPU, which wall time does when others use it.
        cpu_ratio = statistics.median(pc) / statistics.median(oc)
        # The steady state: the CPU the second copy of the corpus adds.
        # Within each run (the two files back to back), then the median over runs.
        o_steady = statistics.median(b - a for a, b in zip(oc, oc2))
        p_steady = statistics.median(b - a for a, b in zip(pc, pc2))
        fixed = statistics.median(oc) - o_steady
        rows.append(f"| {name} | {o:.0f} MiB/s ({statistics.median(oc):.2f} s CPU, {fixed:.2f} of it fixed); steady {mib / o_steady:.0f} MiB "
                    f"per CPU-s | {p:.0f} MiB/s ({statistics.median(pc):.2f} s CPU); steady {mib / p_steady:.0f} MiB "
                    f"per CPU-s | {cpu_ratio:.2f}× ({o / p:.2f}×) | **{p_steady / o_steady:.2f}×** |")
        print(rows[-1], file=sys.stderr)
    table = ("| case, one core | log-adapter | mawk | whole run: ratio by CPU (by wall) | steady state: ratio by CPU |\n"
             "|---|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n")
    # Others' builds share the machine: the load says how far the rates (not the ratios) can be trusted.
    load = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    text = (f"# log-adapter benchmark: latest results\n\n{a.runs} interleaved runs per tool, pinned to one CPU "
            f"(`taskset -c 0`), {mib:.0f} MiB nginx combined corpus ({sum(1 for _ in open(path, 'rb'))} lines) "
            f"read from stdin, output to /dev/null, and the same corpus twice over in one file for the steady "
            f"state (the CPU the second copy adds); load average {load}. "
            "Produced by `bench/log-adapter/bench.py`.\n\n" + table)
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(text)
    print(text)
    if a.update_readme:
        replace_section("log-adapter", table)


if __name__ == "__main__":
    main()
