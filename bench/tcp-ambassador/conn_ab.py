#!/usr/bin/env python3
"""New connections per second: two builds of tcp-ambassador against HAProxy, same run, loopback only.

bench.py's `conn` case (redis-benchmark -t ping_mbulk -k 0 -c 50: a new connection per request,
redis-server behind the proxy) for an A/B of the connection path: each contender pinned to CPU 1
(HAProxy nbthread 1, tcp-ambassador --event-loops 1 with the build's java.args and AOT cache),
redis-server and redis-benchmark pinned to CPU 0, contenders interleaved, --rounds rounds.
Reports conn/s, the ratio to HAProxy in the same round, the load average, and what does not depend
on the load: proxy CPU-seconds per connection (/proc/PID/stat utime+stime over the run) and, with
--strace, system calls per connection (strace -f -c attached for --strace-connections).

A build is a directory holding image-extra/ and image-stage/ (tcp-ambassador/target after
`./mvnw -B -ntp -o package -pl tcp-ambassador -am -DskipTests`, or a copy of it).
Usage: conn_ab.py [--build NAME=DIR ...] [--rounds N] [--connections N] [--strace] [--amb-flag=-X...]
                  [--port-base P]  (ports P+1, P+201, P+301...: checked free first)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the same helpers and method as the full benchmark)

PORT_BASE = 28000  # --port-base: apart from bench.py's 23000-24999; checked free before use


def check_free(ports):
    """Exits when one of ports is taken: another run would answer in our place."""
    import socket
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                sys.exit(f"port {port} is in use: pick another --port-base")


def start_amb(procs, d, log, build, port, flags, backend):
    args = bench.image_args(build)
    jar = args.index("-jar")
    routes = {"routes": [{"listen": f"127.0.0.1:{port}", "upstream": f"127.0.0.1:{backend}"}]}
    with open(f"{d}/routes-{port}.json", "w") as f:
        json.dump(routes, f)
    cmd = [bench.JAVA] + args[:jar] + flags + args[jar:] + [
        "--config", f"{d}/routes-{port}.json", "--event-loops", "1", "--admin-address", "off"]
    return procs.start(cmd, 1, log).pid


def user_sys(pid):
    """(user, system) CPU ticks of pid's process tree."""
    u = s = 0
    for q in bench.tree(pid):
        try:
            with open(f"/proc/{q}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            u, s = u + int(fields[11]) + int(fields[13]), s + int(fields[12]) + int(fields[14])
        except OSError:
            pass
    return u, s


def conn_run(port, pid, n):
    (u0, s0), w0 = user_sys(pid), time.monotonic()
    v = bench.redis_bench(port, ["-t", "ping_mbulk", "-k", "0", "-c", "50"], n, 120)
    wall = time.monotonic() - w0
    time.sleep(0.3)
    if v is None:
        return None
    u1, s1 = user_sys(pid)
    ticks = u1 - u0 + s1 - s0
    return {"conn_s": v, "cpu_us_per_conn": ticks / bench.CLK / n * 1e6, "user_us_per_conn": (u1 - u0) / bench.CLK / n * 1e6,
            "sys_us_per_conn": (s1 - s0) / bench.CLK / n * 1e6, "cores": ticks / bench.CLK / wall}


def strace_count(port, pid, n):
    """System calls per connection of the process tree, over n connections (c=10)."""
    out = tempfile.mktemp(prefix="strace-")
    s = subprocess.Popen(["strace", "-f", "-c", "-o", out, "-p", str(pid)], stderr=subprocess.DEVNULL)
    time.sleep(1.5)  # attached to every thread
    bench.redis_bench(port, ["-t", "ping_mbulk", "-k", "0", "-c", "10"], n, 300)
    time.sleep(0.5)
    s.send_signal(2)
    s.wait(timeout=30)
    calls = {}
    for line in open(out):
        cells = line.split()
        if len(cells) >= 5 and cells[0][0].isdigit() and cells[-1] != "total":
            calls[cells[-1]] = int(cells[3])
    os.unlink(out)
    return {k: v / n for k, v in sorted(calls.items(), key=lambda kv: -kv[1])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append", default=[], help="NAME=DIR, a tcp-ambassador build to compare")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=10000)
    ap.add_argument("--warmup", type=int, default=4000)
    ap.add_argument("--strace", action="store_true")
    ap.add_argument("--strace-connections", type=int, default=2000)
    ap.add_argument("--amb-flag", action="append", default=[])
    ap.add_argument("--port-base", type=int, default=PORT_BASE)
    a = ap.parse_args()
    builds = [b.split("=", 1) for b in a.build] or [["new", os.path.join(bench.ROOT, "tcp-ambassador/target")]]
    backend, haproxy = a.port_base + 1, a.port_base + 201
    check_free([backend, haproxy] + [a.port_base + 301 + 100 * k for k in range(len(builds))])
    d = tempfile.mkdtemp(prefix="amb-conn-")
    log = open(f"{d}/procs.log", "wb")
    procs = bench.Procs()
    rows = {n: [] for n in [b[0] for b in builds] + ["HAProxy"]}
    ports, pids = {}, {}
    try:
        procs.start(["redis-server", "--port", str(backend), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--maxclients", "5000"], 0, log)
        bench.wait_port(backend, "redis-server")
        cfg = bench.haproxy_cfg(d, "haproxy", f"listen r\n  bind 127.0.0.1:{haproxy}\n  server s 127.0.0.1:{backend}\n")
        pids["HAProxy"], ports["HAProxy"] = procs.start(["haproxy", "-db", "-f", cfg], 1, log).pid, haproxy
        for k, (name, build) in enumerate(builds):
            ports[name] = a.port_base + 301 + 100 * k
            pids[name] = start_amb(procs, d, log, os.path.abspath(build), ports[name], a.amb_flag, backend)
        for name, port in ports.items():
            bench.wait_port(port, name)
        for name in ports:  # warm-up: the JVM compiles its hot paths
            conn_run(ports[name], pids[name], a.warmup)
        if a.strace:
            for name in ports:
                calls = strace_count(ports[name], pids[name], a.strace_connections)
                total = sum(calls.values())
                print(f"strace {name:10} {total:6.1f} calls/conn: "
                      + ", ".join(f"{k} {v:.2f}" for k, v in calls.items() if v >= 0.05), flush=True)
        for i in range(a.rounds):
            load = os.getloadavg()[0]
            order = list(ports) if i % 2 == 0 else list(reversed(ports))
            res = {name: conn_run(ports[name], pids[name], a.connections) for name in order}
            h = res["HAProxy"]
            for name, r in res.items():
                if r:
                    r["load"] = load
                    r["vs_haproxy"] = r["conn_s"] / h["conn_s"] if h else None
                rows[name].append(r)
            print(f"round {i + 1} load {load:5.1f}: " + "; ".join(
                f"{n} {r['conn_s']:,.0f}/s {r['cpu_us_per_conn']:.0f} us/conn "
                f"(user {r['user_us_per_conn']:.0f} sys {r['sys_us_per_conn']:.0f}) ({r['vs_haproxy']:.2f}x)"
                for n, r in res.items() if r), flush=True)
    finally:
        procs.stop()
        log.close()
    print("medians:")
    for name, rs in rows.items():
        rs = [r for r in rs if r]
        if rs:
            print(f"  {name:10} conn/s {statistics.median(r['conn_s'] for r in rs):8,.0f}  "
                  f"CPU us/conn {statistics.median(r['cpu_us_per_conn'] for r in rs):6.1f}  "
                  f"(user {statistics.median(r['user_us_per_conn'] for r in rs):5.1f} "
                  f"sys {statistics.median(r['sys_us_per_conn'] for r in rs):5.1f})  "
                  f"x HAProxy {statistics.median(r['vs_haproxy'] for r in rs):.2f}  "
                  f"cores {statistics.median(r['cores'] for r in rs):.2f}")


if __name__ == "__main__":
    main()
