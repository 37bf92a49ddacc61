#!/usr/bin/env python3
"""Benchmark: tcp-ambassador against HAProxy 2.6 and socat (Debian), same run, loopback only.

Each proxy runs pinned to CPU 1 (taskset -c 1; HAProxy with nbthread 1, tcp-ambassador with
--event-loops 1, socat forks one process per connection); the load generators and the backends
(iperf3 -s, redis-server, sockperf server, a TLS terminator) run pinned to CPU 0. tcp-ambassador
runs from the image's runtime, jar, flags (java.args) and AOT cache on the host, as the image
would run it. Every proxy gets the same four routes: iperf3, redis, TLS (the proxy originates TLS
to one HAProxy TLS terminator in front of redis, which verifies nothing; the proxy verifies the
terminator's certificate against a CA and the name localhost, with SNI), and sockperf.

Cases (each run bounded in count and by a timeout; contenders interleaved, --runs rounds, medians):
  iperf      iperf3 -c through the proxy, one stream, -t SECONDS: Gbit/s and Gbit/s per proxy core
  get/get16  redis-benchmark -t get -c 50 (-P 16): req/s and req/s per proxy core
  latency    sockperf ping-pong --tcp -m 64 --full-rtt, one connection: RTT p50/p99, minus direct
  conn       redis-benchmark -t ping_mbulk -k 0 -c 50 -n N: a new connection per request, conn/s
  tls        the same through the TLS route, -c 20: TLS handshakes (new connections) per second;
             each proxy resumes its sessions to the terminator as it does by default (the report
             gives the terminator's share of resumed handshakes); with --tls-full the terminator
             keeps no session (no cache, no tickets), so every handshake is a full one
  memory     RSS of the proxy idle at start (before any connection), idle after the load, with
             1,000 idle proxied redis connections (each PINGed once, then held), and idle again once
             those are closed: RSS/PSS added per connection. An idle figure is taken once it has
             settled (sampled each second from 8 s on until two samples agree within 0.25 MB, at most
             30 s): the JVM frees its compiler's memory and returns it to the kernel seconds after
             the work, and an idle sidecar stays idle far longer than that. The memory goal is
             read from a second tcp-ambassador with one plain route (the docs' ambassador:
             --listen/--upstream to redis), loaded by the redis cases only; the four-route one
             (TLS and a JSON route file among them) is shown beside it
Proxy CPU is read from /proc/<pid>/stat (utime+stime+cutime+cstime, over the process tree).

Warm-up, before the recorded rounds: each contender first takes COLD_CONNECTIONS new connections
right after its start (reported as their own row: the cold rate), then a short pass of each case.
A JVM's connection path needs about 20,000 connections before its CPU per connection settles
(each method on it runs once or twice per connection, so the JIT's thresholds take that long:
bench/tcp-ambassador/tuning.md), so tcp-ambassador's pass of the conn case is
JVM_WARM_CONNECTIONS connections; HAProxy's and socat's is 2,000. The same holds for the
pipelined GET: tcp-ambassador's CPU per request settles after about 2,000,000 requests, so its
pass of the get cases is JVM_WARM_REQUESTS requests (ten times that with -P 16); the others' is
20,000 (200,000). And TLS: tcp-ambassador's handshake rate rises for about 10,000 handshakes
(347 to ~1,600 a second over rounds of 1,500, then flat), so its pass of the tls case is
JVM_WARM_HANDSHAKES; the others' is 300.

Set-up (Debian bookworm, root): apt-get install -y haproxy socat iperf3 sockperf redis-server redis-tools
Usage: bench.py [--runs N] [--seconds S] [--only a,b] [--cases c,d] [--amb-flag=-X...] [--tls-full] [--update-readme]
(after `./mvnw -B -ntp package -pl tcp-ambassador -am -DskipTests`). A run of a subset (--only,
--cases) or with --variant, --amb-flag or --tls-full prints its table and leaves results.md, results.json and
the README alone, unless --out names another folder for the results.
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from image_args import JAVA, image_args  # noqa: E402
from readme_section import replace_section  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MOD = os.path.join(ROOT, "tcp-ambassador/target")
# Below the ephemeral range (32768+), so no client socket holds them: backends 23000+,
# tcp-ambassador 23100+, HAProxy 23200+, socat 23300+, tcp-ambassador variants 24000+.
IPERF, REDIS, TLS, SOCKPERF = 0, 1, 2, 3
PORTS = {"direct": 23000, "tcp-ambassador": 23100, "HAProxy": 23200, "socat": 23300, "tcp-ambassador plain": 23400}
PLAIN = "tcp-ambassador plain"  # one plain redis route, for the memory goal (see the cases above)
COLD_CONNECTIONS = 5000  # the first connections after start, measured (the cold row)
JVM_WARM_CONNECTIONS = 25000  # tcp-ambassador's warm-up pass of the conn case (see the doc above)
JVM_WARM_REQUESTS = 200000  # and of the get cases (x10 pipelined: 2,000,000 requests)
JVM_WARM_HANDSHAKES = 12000  # and of the tls case
PLAIN_CASES = ("get", "get16", "conn")
TERMINATOR = 23010  # TLS terminator port (in front of redis)
CLK = os.sysconf("SC_CLK_TCK")
CONTENDERS = ["tcp-ambassador", "HAProxy", "socat"]
VARIANTS = {}  # "tcp-ambassador NAME" -> extra JVM flags (--variant), an A/B of flags in the same run
CASES = ["iperf", "get", "get16", "latency", "conn", "tls", "memory"]


def sh(cmd, timeout, cpu=0):
    """Runs a load generator pinned to CPU 0, bounded by timeout; returns stdout (or None)."""
    try:
        p = subprocess.run(["taskset", "-c", str(cpu)] + cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        return p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        print(f"  timeout: {' '.join(cmd)}", file=sys.stderr)
        return None


def wait_port(port, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{what} never listened on 127.0.0.1:{port}")


class Procs:
    """Processes this script started, stopped by their own process group at the end."""

    def __init__(self):
        self.all = []

    def start(self, cmd, cpu, log):
        p = subprocess.Popen(["taskset", "-c", str(cpu)] + cmd, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        self.all.append(p)
        return p

    def stop(self):
        for p in self.all:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.all:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def tree(pid):
    """pid and its descendants."""
    out, todo = [], [pid]
    while todo:
        q = todo.pop()
        out.append(q)
        try:
            with open(f"/proc/{q}/task/{q}/children") as f:
                todo += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def cpu_ticks(pid):
    total = 0
    for q in tree(pid):
        try:
            with open(f"/proc/{q}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime (fields 14-17)
        except OSError:
            pass
    return total


def memory(pid):
    """(RSS kB, PSS kB) summed over the process tree."""
    rss = pss = 0
    for q in tree(pid):
        try:
            with open(f"/proc/{q}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def certs(d):
    """A CA and a server certificate for localhost (ECDSA P-256); the terminator's PEM."""
    def run(*a):
        subprocess.run(["openssl", *a], check=True, capture_output=True)
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=bench CA", "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.crt")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
        "-keyout", f"{d}/srv.key", "-out", f"{d}/srv.csr")
    with open(f"{d}/ext", "w") as f:
        f.write("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n")
    run("x509", "-req", "-in", f"{d}/srv.csr", "-CA", f"{d}/ca.crt", "-CAkey", f"{d}/ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", f"{d}/ext", "-out", f"{d}/srv.crt")
    with open(f"{d}/srv.pem", "w") as f:
        f.write(open(f"{d}/srv.crt").read() + open(f"{d}/srv.key").read())


def haproxy_cfg(d, name, sections, extra_global=""):
    path = f"{d}/{name}.cfg"
    with open(path, "w") as f:
        f.write("global\n  maxconn 7000\n  nbthread 1\n  tune.ssl.default-dh-param 2048\n" + extra_global
                + "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 1h\n  timeout server 1h\n"
                + sections)
    return path


def backends(procs, d, log, tls_full):
    """Starts the backends; returns the TLS terminator's stats socket."""
    b = PORTS["direct"]
    procs.start(["iperf3", "-s", "-B", "127.0.0.1", "-p", str(b + IPERF)], 0, log)
    procs.start(["redis-server", "--port", str(b + REDIS), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--maxclients", "5000"], 0, log)
    procs.start(["sockperf", "server", "--tcp", "-i", "127.0.0.1", "-p", str(b + SOCKPERF)], 0, log)
    # Its stats socket tells how many of the handshakes resumed a session. With tls_full it keeps
    # no session (no cache, no tickets), so every handshake through a proxy is a full one.
    stats = f"{d}/terminator.sock"
    term = haproxy_cfg(d, "terminator", f"listen tls\n  bind 127.0.0.1:{TERMINATOR} ssl crt {d}/srv.pem"
                                        + (" no-tls-tickets" if tls_full else "") + "\n"
                                        f"  server r 127.0.0.1:{b + REDIS}\n",
                       f"  stats socket {stats}\n" + ("  tune.ssl.cachesize 0\n" if tls_full else ""))
    procs.start(["haproxy", "-db", "-f", term], 0, log)
    for port in (b + IPERF, b + REDIS, b + SOCKPERF, TERMINATOR):
        wait_port(port, "backend")
    return stats


def upstream(route):
    return TERMINATOR if route == TLS else PORTS["direct"] + route


def start_proxy(name, procs, d, log, amb_flags):
    p = PORTS[name]
    if name.startswith("tcp-ambassador"):
        flags = amb_flags + VARIANTS.get(name, [])
        amb_flags, app_flags = [], []  # the JVM's; tcp-ambassador's own (--name [value]), after the jar
        for k, f in enumerate(flags):
            own = f.startswith("--") or (k > 0 and flags[k - 1].startswith("--") and not f.startswith("-"))
            (app_flags if own else amb_flags).append(f)
        args = image_args(MOD)
        jar = args.index("-jar")
        routes = {"routes": [{"listen": f"127.0.0.1:{p + r}", "upstream": f"127.0.0.1:{upstream(r)}"}
                             for r in (IPERF, REDIS, SOCKPERF)]}
        routes["routes"].append({"listen": f"127.0.0.1:{p + TLS}", "upstream": f"127.0.0.1:{TERMINATOR}",
                                 "tls": {"ca-file": f"{d}/ca.crt", "server-name": "localhost"}})
        with open(f"{d}/routes-{p}.json", "w") as f:
            json.dump(routes, f)
        gc = "gc.log" if name == "tcp-ambassador" else f"gc-{p}.log"
        cmd = [JAVA] + args[:jar] + amb_flags + [f"-Xlog:gc:file={d}/{gc}"] + args[jar:] + [
            "--config", f"{d}/routes-{p}.json", "--event-loops", "1", "--admin-address", "off"] + app_flags
        if name == PLAIN:
            cmd = [JAVA] + args[:jar] + amb_flags + args[jar:] + [
                "--listen", f"127.0.0.1:{p + REDIS}", "--upstream", f"127.0.0.1:{upstream(REDIS)}",
                "--event-loops", "1", "--admin-address", "off"] + app_flags
            proc = [procs.start(cmd, 1, log)]
            wait_port(p + REDIS, name)
            return [x.pid for x in proc]
        proc = [procs.start(cmd, 1, log)]
    elif name == "HAProxy":
        s = ""
        for r in (IPERF, REDIS, SOCKPERF):
            s += f"listen r{r}\n  bind 127.0.0.1:{p + r}\n  server s 127.0.0.1:{upstream(r)}\n"
        s += (f"listen tls\n  bind 127.0.0.1:{p + TLS}\n  server s 127.0.0.1:{TERMINATOR} ssl verify required "
              f"ca-file {d}/ca.crt sni str(localhost) verifyhost localhost\n")
        proc = [procs.start(["haproxy", "-db", "-f", haproxy_cfg(d, "haproxy", s)], 1, log)]
    else:
        proc = []
        for r in (IPERF, REDIS, SOCKPERF, TLS):
            target = (f"OPENSSL:localhost:{TERMINATOR},cafile={d}/ca.crt" if r == TLS
                      else f"TCP:127.0.0.1:{upstream(r)}")
            proc.append(procs.start(["socat", f"TCP-LISTEN:{p + r},bind=127.0.0.1,fork,reuseaddr,backlog=4096", target],
                                    1, log))
    for r in (IPERF, REDIS, TLS, SOCKPERF):
        wait_port(p + r, name)
    return [x.pid for x in proc]


def cpu_of(pids):
    return sum(cpu_ticks(x) for x in pids)


def redis_bench(port, extra, n, timeout):
    out = sh(["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "--csv", "-n", str(n)] + extra, timeout)
    if out is None:
        return None
    for line in out.splitlines():
        cells = [c.strip('"') for c in line.split(",")]
        if len(cells) >= 2 and cells[0] in ("GET", "PING_MBULK"):
            return float(cells[1])
    print(f"  redis-benchmark: no result: {out[-300:]}", file=sys.stderr)
    return None


def run_case(case, name, pids, a, stats=None):
    """One measurement: dict of figures, or None. `stats`: the TLS terminator's stats socket, read
    at the end of a tls case."""
    p = PORTS[name]
    t0 = cpu_of(pids)
    w0 = time.monotonic()
    r = {}
    if case == "iperf":
        out = sh(["iperf3", "-c", "127.0.0.1", "-p", str(p + IPERF), "-t", str(a.seconds), "-O", "1", "-J"],
                 a.seconds + 30)
        if out is None:
            return None
        j = json.loads(out)
        r["value"] = j["end"]["sum_received"]["bits_per_second"] / 1e9
    elif case in ("get", "get16"):
        pipe = ["-P", "16"] if case == "get16" else []
        v = redis_bench(p + REDIS, ["-t", "get", "-c", "50"] + pipe, a.requests * (10 if pipe else 1), 120)
        if v is None:
            return None
        r["value"] = v
    elif case == "latency":
        out = sh(["sockperf", "ping-pong", "--tcp", "-i", "127.0.0.1", "-p", str(p + SOCKPERF), "-t",
                  str(a.seconds), "-m", "64", "--full-rtt"], a.seconds + 30)
        if out is None:
            return None
        pct = {m.group(1): float(m.group(2)) for m in re.finditer(r"percentile (\d+\.\d+) =\s+([\d.]+)", out)}
        r["value"], r["p99"] = pct["50.000"], pct["99.000"]
    elif case == "conn":
        v = redis_bench(p + REDIS, ["-t", "ping_mbulk", "-k", "0", "-c", "50"], a.connections, 120)
        if v is None:
            return None
        r["value"] = v
    elif case == "tls":
        port = p + TLS if name != "direct" else TERMINATOR
        v = redis_bench(port, ["-t", "ping_mbulk", "-k", "0", "-c", "20"], a.handshakes, 120)
        if v is None:
            return None
        r["value"] = v
        reuse = terminator_reuse(stats) if stats and name != "direct" else None
        if reuse is not None:
            r["reuse_pct"] = reuse
    wall = time.monotonic() - w0
    time.sleep(0.3)  # socat's children of this run are reaped
    if name != "direct":
        r["cores"] = (cpu_of(pids) - t0) / CLK / wall
    return r


def fds(pids):
    n = 0
    for x in pids:
        for q in tree(x):
            try:
                n += len(os.listdir(f"/proc/{q}/fd"))
            except OSError:
                pass
    return n


def settled(pids, least=8, most=30):
    """[(RSS kB, PSS kB) per pid] once the RSS has stopped moving (idle figures; see the doc above)."""
    t0 = time.monotonic()
    last = None
    while True:
        time.sleep(1)
        now = [memory(x) for x in pids]
        total = sum(m[0] for m in now)
        waited = time.monotonic() - t0
        if waited >= most or (waited >= least and last is not None and abs(total - last) <= 256):
            return now
        last = total


def anon_kb(pids):
    anon = 0
    for x in pids:
        for q in tree(x):
            try:
                with open(f"/proc/{q}/status") as f:
                    anon += sum(int(line.split()[1]) for line in f if line.startswith("RssAnon:"))
            except OSError:
                pass
    return anon


def idle_memory(name, pids, n):
    """Idle memory after the load, with n idle connections through the redis route (each PINGed,
    then held), and idle again after they are closed and the proxy has closed its side."""
    before = settled(pids)
    anon_idle = anon_kb(pids)
    fds0 = fds(pids)
    socks = []
    try:
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", PORTS[name] + REDIS), timeout=10)
            socks.append(s)
        for s in socks:
            s.sendall(b"PING\r\n")
        for s in socks:
            if not s.recv(64).startswith(b"+PONG"):
                raise OSError("no PONG")
        time.sleep(2)
        after = [memory(x) for x in pids]
        anon = anon_kb(pids)
    finally:
        for s in socks:
            s.close()
    deadline = time.monotonic() + 30
    while fds(pids) > fds0 + 4 and time.monotonic() < deadline:  # the proxy has closed both sides
        time.sleep(0.2)
    closed = settled(pids)
    rss0, pss0 = sum(b[0] for b in before), sum(b[1] for b in before)
    rss1, pss1 = sum(x[0] for x in after), sum(x[1] for x in after)
    return {"rss_idle_kb": rss0, "anon_idle_kb": anon_idle, "anon_conns_kb": anon, "rss_conns_kb": rss1,
            "rss_per_conn_kb": (rss1 - rss0) / n, "pss_per_conn_kb": (pss1 - pss0) / n,
            "rss_closed_kb": sum(c[0] for c in closed), "anon_closed_kb": anon_kb(pids)}


def gc_pauses(d):
    try:
        text = open(f"{d}/gc.log").read()
    except OSError:
        return None
    ms = [float(x) for x in re.findall(r"Pause.*?([\d.]+)ms", text)]
    return {"count": len(ms), "max_ms": max(ms) if ms else 0.0, "over_1ms": sum(1 for x in ms if x > 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--requests", type=int, default=100000)
    ap.add_argument("--connections", type=int, default=10000)
    ap.add_argument("--handshakes", type=int, default=1500)
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--only", default=",".join(CONTENDERS))
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--amb-flag", action="append", default=[], help="extra JVM flag for tcp-ambassador")
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME=FLAG[ FLAG...]: also run tcp-ambassador with these extra flags, as a contender "
                         "(those starting with -- are tcp-ambassador's, the others the JVM's)")
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--update-readme", action="store_true")
    ap.add_argument("--tls-full", action="store_true",
                    help="the TLS terminator keeps no session, so the tls case measures full handshakes only")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    for tool in ("haproxy", "socat", "iperf3", "sockperf", "redis-server", "redis-benchmark", "openssl", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install -y haproxy socat iperf3 sockperf redis-server redis-tools")
    names = [n for n in CONTENDERS if n in a.only.split(",")]
    for k, v in enumerate(a.variant):
        vname, flags = v.split("=", 1)
        PORTS[f"tcp-ambassador {vname}"] = 24000 + 100 * k
        VARIANTS[f"tcp-ambassador {vname}"] = flags.split()
        names.append(f"tcp-ambassador {vname}")
    cases = [c for c in CASES if c in a.cases.split(",")]
    if "memory" in cases and "tcp-ambassador" in names:
        names.append(PLAIN)
    d = tempfile.mkdtemp(prefix="amb-bench-")
    log = open(f"{d}/procs.log", "wb")
    procs = Procs()
    data = {c: {n: [] for n in ["direct"] + names} for c in cases}
    mem = {n: [] for n in names}
    loads = []
    try:
        certs(d)
        stats = backends(procs, d, log, a.tls_full)
        pids = {"direct": []}
        start_mem = {}
        for n in names:
            pids[n] = start_proxy(n, procs, d, log, a.amb_flag)
        for n in names:  # idle, before any connection through it
            start_mem[n] = sum(m[0] for m in settled(pids[n]))
        print(f"RSS idle at start (kB): {start_mem}", file=sys.stderr)
        # Warm-up (the JVM compiles its hot paths): the cold connection rate first, recorded;
        # then a pass of each case, not recorded (see the doc above).
        cold = {}
        if "conn" in cases:
            for n in names:
                cold[n] = run_case("conn", n, pids[n], argparse.Namespace(connections=COLD_CONNECTIONS))
                print(f"cold conn {n:15} {cold[n]}", file=sys.stderr)
        for n in names:
            jvm = n.startswith("tcp-ambassador")
            for c in ("iperf", "get", "get16", "latency", "conn", "tls"):
                if c in cases and (n != PLAIN or c in PLAIN_CASES):
                    run_case(c, n, pids[n], argparse.Namespace(
                        seconds=2, requests=JVM_WARM_REQUESTS if jvm else 20000,
                        connections=JVM_WARM_CONNECTIONS if jvm else 2000,
                        handshakes=JVM_WARM_HANDSHAKES if jvm else 300))
        for i in range(a.runs):
            loads.append(os.getloadavg()[0])
            for c in cases:
                if c == "memory":
                    continue
                for n in ["direct"] + names:
                    if n == PLAIN and c not in PLAIN_CASES:
                        continue
                    r = run_case(c, n, pids[n], a, stats)
                    data[c][n].append(r)
                    print(f"run {i + 1} {c:8} {n:15} {r}", file=sys.stderr)
            if "memory" in cases:
                for n in names:
                    m = idle_memory(n, pids[n], a.idle)
                    mem[n].append(m)
                    print(f"run {i + 1} memory   {n:15} {m}", file=sys.stderr)
        gc = gc_pauses(d)
    finally:
        procs.stop()
        log.close()
    report(a, names, cases, data, mem, start_mem, loads, gc, cold)
    shutil.rmtree(d, ignore_errors=True)


def med(rows, key="value"):
    xs = [r[key] for r in rows if r is not None and key in r]
    return (statistics.median(xs), min(xs), max(xs)) if xs else None


def terminator_reuse(sock):
    """The share of the TLS terminator's handshakes that resumed a session, in %, or None.

    HAProxy computes it from its rates over the last second, so it is read right at the end of a
    tls case: it then speaks of that case's handshakes only."""
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(sock)
            s.sendall(b"show info\n")
            out = b""
            while chunk := s.recv(65536):
                out += chunk
    except OSError as e:
        print(f"  terminator stats: {e}", file=sys.stderr)
        return None
    m = re.search(rb"^SslFrontendSessionReuse_pct: (\d+)", out, re.M)
    return int(m.group(1)) if m else None


def report(a, names, cases, data, mem, start_mem, loads, gc, cold):
    def fmt(m, digits):
        if m is None:
            return "–"
        return f"{m[0]:,.{digits}f} ({m[1]:,.{digits}f}–{m[2]:,.{digits}f})" if a.runs > 1 else f"{m[0]:,.{digits}f}"
    rows, summary = [], {}
    titles = {"iperf": ("iperf3, 1 stream, Gbit/s", 2), "get": ("redis GET c=50, req/s", 0),
              "get16": ("redis GET c=50 -P 16, req/s", 0), "conn": ("new connections/s (redis -k 0, c=50)", 0),
              "tls": ("TLS handshakes/s (new TLS connections, c=20)", 0)}
    head = "| case | direct | " + " | ".join(names) + " |"
    rows += [head, "|---" * (2 + len(names)) + "|"]
    for c in cases:
        if c in titles:
            title, dg = titles[c]
            cells = [fmt(med(data[c]["direct"]), dg) if c != "tls" else "–"]
            for n in names:
                cells.append(fmt(med(data[c][n]), dg))
                summary.setdefault(c, {})[n] = med(data[c][n])
            summary.setdefault(c, {})["direct"] = med(data[c]["direct"])
            rows.append(f"| {title} | " + " | ".join(cells) + " |")
            if c in ("iperf", "get", "get16", "tls", "conn"):
                per = []
                for n in names:
                    xs = [r["value"] / r["cores"] for r in data[c][n] if r and r.get("cores")]
                    m = (statistics.median(xs), min(xs), max(xs)) if xs else None
                    summary[c][n + "/core"] = m
                    per.append(fmt(m, dg))
                    per[-1] += f" [{statistics.median([r['cores'] for r in data[c][n] if r]):.2f} core]" if m else ""
                rows.append(f"| … per proxy core [proxy cores used] | – | " + " | ".join(per) + " |")
            if c == "conn" and cold:
                rows.append(f"| … the first {COLD_CONNECTIONS:,} connections after start (no warm-up), conn/s | – | "
                            + " | ".join(f"{cold[n]['value']:,.0f}" if cold.get(n) else "–" for n in names) + " |")
        elif c == "latency":
            for key, label in (("value", "p50"), ("p99", "p99")):
                base = med(data[c]["direct"], key)
                cells = [fmt(base, 1)]
                for n in names:
                    m = med(data[c][n], key)
                    summary.setdefault("latency", {})[f"{n} {label}"] = m
                    cells.append(fmt(m, 1) + (f" (+{m[0] - base[0]:.1f})" if m and base else ""))
                summary["latency"][f"direct {label}"] = base
                rows.append(f"| sockperf RTT {label}, µs, c=1 (added over direct) | " + " | ".join(cells) + " |")
        elif c == "memory":
            rows.append("| RSS idle at start (no connection yet), MB | – | "
                        + " | ".join(f"{start_mem[n] / 1024:.1f}" for n in names) + " |")
            for key, label, scale, dg in (("rss_idle_kb", "RSS idle after the load, MB", 1024, 1),
                                          ("anon_idle_kb", "… of which anonymous (not file-backed), MB", 1024, 1),
                                          ("rss_closed_kb", f"RSS idle after {a.idle} connections closed, MB", 1024, 1),
                                          ("anon_closed_kb", "… of which anonymous (not file-backed), MB", 1024, 1),
                                          ("rss_conns_kb", f"RSS with {a.idle} idle connections, MB", 1024, 1),
                                          ("anon_conns_kb", "… of which anonymous (not file-backed), MB", 1024, 1),
                                          ("rss_per_conn_kb", "RSS added per idle connection, kB", 1, 1),
                                          ("pss_per_conn_kb", "PSS added per idle connection (process tree), kB", 1, 1)):
                cells = []
                for n in names:
                    xs = [m[key] / scale for m in mem[n]]
                    # in the key's own unit (kB), as rss_start_kb: the goal line compares them
                    summary.setdefault("memory", {})[f"{n} {key}"] = statistics.median(x * scale for x in xs) if xs else None
                    cells.append(fmt((statistics.median(xs), min(xs), max(xs)) if xs else None, dg))
                rows.append(f"| {label} | – | " + " | ".join(cells) + " |")
            for n in names:
                summary["memory"][f"{n} rss_start_kb"] = start_mem[n]
    goals = goal_lines(summary, names)
    reuse = ", ".join(f"{n} {statistics.median(xs):.0f} %" for n in names
                      if "tls" in data and (xs := [r["reuse_pct"] for r in data["tls"][n] if r and "reuse_pct" in r]))
    table = "\n".join(rows)
    text = (f"# tcp-ambassador against HAProxy and socat: latest results\n\n"
            f"`python3 bench/tcp-ambassador/bench.py --runs {a.runs} --seconds {a.seconds}` on {os.cpu_count()} CPUs, "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Each proxy pinned to CPU 1 (HAProxy 2.6 nbthread 1, "
            "tcp-ambassador --event-loops 1 with the image's JVM flags and AOT cache, socat 1.7.4 fork with "
            "backlog=4096), load generators and backends pinned to CPU 0; contenders interleaved, median (min–max) "
            f"of {a.runs} rounds. Load average (1 min) at the start of each round: "
            f"{', '.join(f'{x:.1f}' for x in loads)} (the benchmark's own processes keep both CPUs busy, so about "
            "3-4 is its own load; more means other work ran too). Absolute figures move between rounds; the "
            "ratios in the same round are what the goals use.\n\n"
            + table + "\n\n" + "\n".join(goals) + "\n"
            + (f"\nTLS: the terminator's share of handshakes that resumed a session, at the end of each "
               f"round's tls case (median): {reuse}"
               + (" (it keeps none: --tls-full, so the TLS figures are full handshakes)" if a.tls_full else
                  " (each proxy resumes its sessions to the upstream, as it does by default; --tls-full measures "
                  "full handshakes)") + ".\n" if reuse else "")
            + (f"\nGC of tcp-ambassador over the whole run (Serial GC): {gc['count']} pauses, longest "
               f"{gc['max_ms']:.2f} ms, {gc['over_1ms']} above 1 ms.\n" if gc else ""))
    print(text)
    full = (set(cases) == set(CASES) and set(CONTENDERS) <= set(names) and not a.variant and not a.amb_flag
            and not a.tls_full)
    if not full and a.out == HERE:
        print("(a subset run, or other flags: results.md, results.json and the README left alone; --out DIR "
              "writes them there)", file=sys.stderr)
        return
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"runs": a.runs, "loads": loads, "data": data, "cold_conn": cold, "memory": mem, "start_rss_kb": start_mem,
                   "gc": gc, "summary": summary}, f, indent=1)
    if a.update_readme and full:
        replace_section("tcp-ambassador", table + "\n\n" + "\n".join(goals) + "\n")


def goal_lines(s, names):
    if "tcp-ambassador" not in names or "HAProxy" not in names:
        return []
    out = ["Goals (tcp-ambassador against HAProxy in the same run, medians):", ""]

    def g(label, ok, detail):
        out.append(f"- {'met' if ok else 'NOT met'}: {label} ({detail})")

    def v(case, n):
        m = s.get(case, {}).get(n)
        return m[0] if m else None
    for case, label, ratio in (("iperf", "single-stream throughput ≥ HAProxy", 1.0),
                               ("get", "redis c=50 ≥ 0.9× HAProxy", 0.9),
                               ("get16", "redis c=50 -P 16 ≥ 0.9× HAProxy", 0.9),
                               ("conn", "new connections/s ≥ 0.8× HAProxy", 0.8),
                               ("tls", "TLS handshakes/s ≥ 0.8× HAProxy", 0.8)):
        x, h = v(case, "tcp-ambassador"), v(case, "HAProxy")
        if x and h:
            g(label, x >= ratio * h, f"{x / h:.2f}×")
    x, h = v("iperf", "tcp-ambassador/core"), v("iperf", "HAProxy/core")
    if x and h:
        g("throughput per proxy core ≥ HAProxy", x >= h, f"{x / h:.2f}×")
    x, so = v("conn", "tcp-ambassador"), v("conn", "socat")
    if x and so:
        g("new connections/s ≥ 3× socat", x >= 3 * so, f"{x / so:.1f}×")
    lat = s.get("latency", {})
    if lat.get("tcp-ambassador p50") and lat.get("HAProxy p50") and lat.get("direct p50"):
        a50, h50 = lat["tcp-ambassador p50"][0], lat["HAProxy p50"][0]
        g("added latency p50 ≤ HAProxy's + 10 µs", a50 <= h50 + 10, f"{a50:.1f} against {h50:.1f} µs RTT")
        a99, h99 = lat["tcp-ambassador p99"][0], lat["HAProxy p99"][0]
        g("latency p99 ≤ 1.5× HAProxy's", a99 <= 1.5 * h99, f"{a99:.1f} against {h99:.1f} µs RTT")
    m = s.get("memory", {})
    for n, what in ((PLAIN, "one plain route, the docs' ambassador"),
                    ("tcp-ambassador", "the four routes above, one with TLS, from a JSON route file")):
        if not m.get(f"{n} rss_idle_kb"):
            continue
        start, idle, closed = (m[f"{n} {k}"] / 1024 for k in ("rss_start_kb", "rss_idle_kb", "rss_closed_kb"))
        g(f"RSS ≤ 64 MB with no connection ({what})", max(start, idle, closed) <= 64,
          f"{start:.1f} MB idle at start, {idle:.1f} after load, {closed:.1f} after the connections closed")
        per = m[f"{n} rss_per_conn_kb"]
        g(f"≤ 10 kB per idle proxied connection at 1,000 ({what})", per <= 10, f"{per:.1f} kB RSS")
    return out


if __name__ == "__main__":
    main()
