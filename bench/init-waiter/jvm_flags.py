#!/usr/bin/env python3
"""How init-waiter's JVM flags were chosen: start-up cost of each variant, same run, same jar.

Runs the staged image contents on the host (base-image/target/rootfs's java, the jar and libs as
the image lays them out, the AOT cache the build trained), so the JVM and files are the image's
without the container engine's own cost. Each run waits for a TCP port on 127.0.0.1 that this
script already listens on, and is measured from outside, with nothing added to the program:
  * exec → first probe: from spawning the process to accepting init-waiter's first connection;
  * wall and CPU (user+sys) of the whole run, to exit.
Variants are interleaved, N runs each; medians are reported. Run after a build:
  python3 bench/init-waiter/jvm_flags.py [RUNS] [--update-readme]
"""
import os
import resource
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAVA = os.path.join(ROOT, "base-image/target/rootfs/opt/java/bin/java")
STAGE = os.path.join(ROOT, "init-waiter/target/image-stage")
AOT = os.path.join(ROOT, "init-waiter/target/image-extra/app/aot/app.aot")
COMMON = ["-XX:-UsePerfData", "-Xss512k", "-Xmx64m"]
VARIANTS = [
    ("G1, tiered (JVM defaults), CDS", []),
    ("Serial GC, tiered, CDS", ["-XX:+UseSerialGC"]),
    ("Serial GC, C1 only, CDS", ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]),
    ("Serial GC, tiered, AOT cache", ["-XX:+UseSerialGC", "-XX:AOTCache=" + AOT, "-XX:AOTMode=on"]),
    ("Serial GC, C1 only, AOT cache (shipped)", ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                                                  "-XX:AOTCache=" + AOT, "-XX:AOTMode=on"]),
]


def one(flags, admin):
    jar = [f for f in os.listdir(os.path.join(STAGE, "app/classpath")) if f.endswith(".jar")][0]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    cmd = [JAVA] + COMMON + flags + ["-jar", os.path.join(STAGE, "app/classpath", jar),
                                     "--admin-address", "127.0.0.1:0" if admin else "off",
                                     f"tcp://127.0.0.1:{port}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server.settimeout(30)
    conn, _ = server.accept()
    first = time.monotonic() - t0
    conn.close()
    out, _ = p.communicate(timeout=60)
    wall = time.monotonic() - t0
    server.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"{flags}: exit {p.returncode}\n{out.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return first * 1000, wall * 1000, cpu * 1000


def main():
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    runs = int(numbers[0]) if numbers else 20
    cases = [(name, flags, False) for name, flags in VARIANTS]
    cases.append((VARIANTS[-1][0] + ", admin endpoint on", VARIANTS[-1][1], True))
    data = {c[0]: [] for c in cases}
    for _ in range(runs):
        for name, flags, admin in cases:
            data[name].append(one(flags, admin))
    lines = ["| flags | exec → first probe | whole run, wall | whole run, CPU |", "|---|---:|---:|---:|"]
    for name, _, _ in cases:
        med = lambda i: statistics.median(r[i] for r in data[name])
        lines.append(f"| {name} | {med(0):.0f} ms | {med(1):.0f} ms | {med(2):.0f} ms |")
    text = ("# init-waiter JVM flags: latest results\n\n"
            f"Medians of {runs} interleaved runs per variant on {os.cpu_count()} CPUs: the image's runtime and "
            "jar on the host, waiting for a port that already listens on 127.0.0.1, measured from outside "
            "(`bench/init-waiter/jvm_flags.py`). All variants add `-XX:-UsePerfData -Xss512k -Xmx64m`; the admin "
            "endpoint is off except in the last row (it starts after the first probe).\n\n" + "\n".join(lines) + "\n")
    with open(os.path.join(os.path.dirname(__file__), "jvm-flags.md"), "w") as f:
        f.write(text)
    print(text)
    if "--update-readme" in sys.argv:
        readme = os.path.join(ROOT, "README.md")
        body = open(readme).read()
        start, end = "<!-- bench:jvm-flags -->", "<!-- /bench:jvm-flags -->"
        i, j = body.index(start) + len(start), body.index(end)
        with open(readme, "w") as f:
            f.write(body[:i] + "\n" + "\n".join(lines) + "\n" + body[j:])


if __name__ == "__main__":
    main()
