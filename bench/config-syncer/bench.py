#!/usr/bin/env python3
"""Benchmark: config-syncer's image, measured from outside, against a documented busybox loop.

Three parts, all against servers this script runs on loopback, every loop bounded in count and time:

(a) propagation: a change at an HTTP origin (and at a git remote served by `git daemon`) until
    the new content is readable in the published folder (a host folder the container writes,
    read by this script every 2 ms). Goal: within the poll period + 100 ms. The peer, in the same
    run and interleaved: git-sync is not packaged by Debian (and nothing can be pulled here), so
    the peer is the loop people write into a busybox sidecar,
        while true; do wget -q -O /site/.tmp URL && mv /site/.tmp /site/index.html; sleep 1; done
    in an image made from Debian's busybox-static (wget, no ETag: it downloads every time).
(b) idle RSS of the running image after a few unchanged polls (VmRSS from /proc, and what the
    mappings hold: the AOT cache, libjvm, anonymous memory), as built and with other JVM flags
    (`--rss-variants`), to see what each costs. Goal: <= 48 MiB.
(c) a large archive (a tar of --large-mib MiB) synced by the image with a small heap (-Xmx16m):
    the peak RSS (VmHWM) shows whether the body is streamed or held in memory.

Usage: bench.py [--changes N] [--rss-runs N] [--rss-variants] [--large-mib N] [--update-readme]
(needs the image built: ./mvnw -o package -pl config-syncer -am; PODKIT_IMAGE picks another tag)
"""
import argparse
import hashlib
import http.server
import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from readme_section import replace_section  # noqa: E402

PODKIT = os.environ.get("PODKIT_IMAGE", "podkit/config-syncer:0.1.0")
BUSYBOX = "podkit-bench/busybox-wget-loop:local"
PERIOD_S = 1.0
LOOP = "while true; do wget -q -O /site/.tmp {url} && mv /site/.tmp /site/index.html; sleep 1; done"
ROOT = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- origin

class Origin:
    """An HTTP origin on 127.0.0.1 serving one body, with an ETag answered 304 when unchanged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.body, self.etag, self.path = b"", '"0"', None
        self.full = self.not_modified = 0
        origin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with origin.lock:
                    body, etag, path = origin.body, origin.etag, origin.path
                if self.headers.get("If-None-Match") == etag:
                    with origin.lock:
                        origin.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                with origin.lock:
                    origin.full += 1
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(os.path.getsize(path) if path else len(body)))
                self.end_headers()
                try:
                    if path:
                        with open(path, "rb") as f:
                            shutil.copyfileobj(f, self.wfile, 1 << 20)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def set(self, body=None, path=None):
        with self.lock:
            self.body, self.path = body or b"", path
            self.etag = '"' + hashlib.sha256(self.body + (path or "").encode()).hexdigest()[:16] + '"'

    def counts(self):
        with self.lock:
            return self.full, self.not_modified

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def tar_gz(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# ---------------------------------------------------------------- containers

def build_busybox_image():
    if subprocess.run(["docker", "image", "inspect", BUSYBOX], capture_output=True).returncode == 0:
        return
    with tempfile.TemporaryDirectory() as d:
        tar_path = os.path.join(d, "rootfs.tar")
        with tarfile.open(tar_path, "w") as tar:
            tar.add("/bin/busybox", arcname="bin/busybox")
            for applet in ("sh", "wget", "mv", "sleep"):
                info = tarfile.TarInfo("bin/" + applet)
                info.type, info.linkname = tarfile.SYMTYPE, "busybox"
                tar.addfile(info)
        subprocess.run(["docker", "import", "-c", "ENV PATH=/bin", tar_path, BUSYBOX], check=True,
                       capture_output=True)


def shared_folder(parent, name):
    d = os.path.join(parent, name)
    os.makedirs(d)
    os.chmod(d, 0o777)
    return d


def docker_run(image, folder, args, entrypoint=None, env=None, cpus="0", volumes=()):
    cmd = ["docker", "run", "-d", "--network", "host", "--read-only", "--user", "65532:65532",
           "--cpuset-cpus", cpus, "-v", f"{folder}:/site"]
    for v in volumes:
        cmd += ["-v", v]
    for k, v in (env or {}).items():
        cmd += ["-e", f"{k}={v}"]
    if entrypoint:
        cmd += ["--entrypoint", entrypoint]
    out = subprocess.run(cmd + [image] + args, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def docker_stop(cid):
    subprocess.run(["docker", "rm", "-f", cid], capture_output=True)


def container_pid(cid):
    out = subprocess.run(["docker", "inspect", "-f", "{{.State.Pid}}", cid], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def syncer_args(source, extra=()):
    return ["--period", f"{PERIOD_S:g}s", "--admin-address", "off", "--log-level", "warn",
            "--source", source, "--target", "/site", *extra]


def java_flags():
    """The image's JVM flags, from the java.args the build wrote (without -jar and the jar)."""
    path = os.path.join(ROOT, "..", "..", "config-syncer", "target", "image-extra", "app", "java.args")
    lines = [l.strip() for l in open(path) if l.strip()]
    i = lines.index("-jar")
    return lines[:i], lines[i:]


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def wait_for(cond, timeout, what, step=0.002):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    raise SystemExit(f"timed out waiting for {what}")


# ---------------------------------------------------------------- (a) propagation

def propagation_http(tool, changes, rng, tmp):
    origin = Origin()
    origin.set(tar_gz({"index.html": "v0"}) if tool == "podkit" else b"v0")
    folder = shared_folder(tmp, f"http-{tool}")
    if tool == "podkit":
        cid = docker_run(PODKIT, folder, syncer_args(origin.url("/site.tar.gz")))
    else:
        cid = docker_run(BUSYBOX, folder, ["sh", "-c", LOOP.format(url=origin.url("/index.html"))])
    index = os.path.join(folder, "index.html")
    delays = []
    try:
        wait_for(lambda: read_file(index) == b"v0", 60, f"{tool}: first version")
        for i in range(1, changes + 1):
            time.sleep(rng.uniform(0, PERIOD_S))  # a change at a random point of the poll cycle
            want = f"v{i}".encode()
            t0 = time.monotonic()
            origin.set(tar_gz({"index.html": want.decode()}) if tool == "podkit" else want)
            wait_for(lambda: read_file(index) == want, 30, f"{tool}: change {i}")
            delays.append(time.monotonic() - t0)
    finally:
        docker_stop(cid)
        origin.close()
    return delays


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)


def propagation_git(changes, rng, tmp):
    repo = os.path.join(tmp, "repos", "site")
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@localhost")
    git(repo, "config", "user.name", "bench")

    def commit(text):
        with open(os.path.join(repo, "index.html"), "w") as f:
            f.write(text)
        git(repo, "add", "index.html")
        git(repo, "commit", "-q", "-m", text)

    commit("v0")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    daemon = subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={tmp}/repos",
                               "--listen=127.0.0.1", f"--port={port}", f"{tmp}/repos"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = shared_folder(tmp, "git")
    index = os.path.join(folder, "index.html")
    delays = []
    cid = None
    try:
        wait_for(lambda: socket.create_connection(("127.0.0.1", port), 0.2).close() or True
                 if port_open(port) else None, 20, "git daemon")
        cid = docker_run(PODKIT, folder, syncer_args(f"git://127.0.0.1:{port}/site", ["--git-ref", "main"]))
        wait_for(lambda: read_file(index) == b"v0", 60, "git: first version")
        for i in range(1, changes + 1):
            time.sleep(rng.uniform(0, PERIOD_S))
            want = f"v{i}".encode()
            t0 = time.monotonic()
            commit(want.decode())
            wait_for(lambda: read_file(index) == want, 30, f"git: change {i}")
            delays.append(time.monotonic() - t0)
    finally:
        if cid:
            docker_stop(cid)
        daemon.terminate()
        daemon.wait(10)
    return delays


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


# ---------------------------------------------------------------- (b) idle RSS

def memory(pid):
    """VmRSS, VmHWM, threads, and the resident KiB by what is mapped (from /proc/PID/smaps)."""
    status = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        status[k] = v.strip()
    parts = {"aot cache": 0, "libjvm": 0, "other anonymous": 0, "other files": 0}
    name, dirty = None, 0
    for line in open(f"/proc/{pid}/smaps"):
        head = line.split()
        if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            name = head[5] if len(head) >= 6 else ""
            continue
        if head[0] == "Private_Dirty:":
            dirty += int(head[1])
        if head[0] == "Rss:":
            kib = int(head[1])
            if name.endswith(".aot"):
                parts["aot cache"] += kib
            elif name.endswith("libjvm.so"):
                parts["libjvm"] += kib
            elif name.startswith("/"):
                parts["other files"] += kib
            else:
                parts["other anonymous"] += kib
    return {"rss_kib": int(status["VmRSS"].split()[0]), "hwm_kib": int(status["VmHWM"].split()[0]),
            "threads": int(status["Threads"]), "by_mapping_kib": parts, "private_dirty_kib": dirty}


def idle_rss(flags, tmp, tag, env=None, volumes=()):
    """Starts the image with these JVM flags on an unchanged HTTP source, reads memory after 5 idle polls."""
    origin = Origin()
    origin.set(tar_gz({"index.html": "<h1>idle</h1>", "app.json": '{"a": 1}'}))
    folder = shared_folder(tmp, "rss-" + "".join(c if c.isalnum() else "_" for c in tag))
    jvm, jar = java_flags()
    args = (flags if flags is not None else jvm) + jar + syncer_args(origin.url("/site.tar.gz"))
    cid = docker_run(PODKIT, folder, args, entrypoint="/opt/java/bin/java", env=env, volumes=volumes)
    try:
        wait_for(lambda: origin.counts()[1] >= 5, 60, f"{tag}: five unchanged polls", step=0.05)
        return memory(container_pid(cid))
    finally:
        docker_stop(cid)
        origin.close()


def variants():
    jvm, _ = java_flags()

    def without(*prefixes):
        return [f for f in jvm if not f.startswith(prefixes)]

    return [
        ("as built", jvm, None),
        ("-Xss256k", without("-Xss") + ["-Xss256k"], None),
        ("-Xms4m", without("-Xms") + ["-Xms4m"], None),
        ("-XX:ReservedCodeCacheSize=8m", without("-XX:ReservedCodeCacheSize") + ["-XX:ReservedCodeCacheSize=8m"], None),
        ("MALLOC_ARENA_MAX=2", jvm, {"MALLOC_ARENA_MAX": "2"}),
        ("-XX:TrimNativeHeapInterval=5000", jvm + ["-XX:TrimNativeHeapInterval=5000"], None),
        ("-XX:ArchiveRelocationMode=0", jvm + ["-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"], None),
        ("AOT cache off", without("-XX:AOTCache") + ["-XX:AOTMode=off"], None),
        ("-Xint (no JIT)", without("-XX:TieredStopAtLevel", "-XX:ReservedCodeCacheSize") + ["-Xint"], None),
    ]


# ---------------------------------------------------------------- (c) large archive

def large_archive(mib, tmp):
    path = os.path.join(tmp, "large.tar")
    rng = random.Random(3)
    with tarfile.open(path, "w") as tar:
        for i in range(mib // 16):
            data = rng.randbytes(16 << 20)
            info = tarfile.TarInfo(f"blob-{i:03d}.bin")
            info.size, info.mtime = len(data), 0
            tar.addfile(info, io.BytesIO(data))
    origin = Origin()
    origin.set(path=path)
    folder = shared_folder(tmp, "large")
    jvm, jar = java_flags()
    flags = [f for f in jvm if not f.startswith(("-Xms", "-Xmx"))] + ["-Xmx16m"]
    args = flags + jar + syncer_args(origin.url("/large.tar"), ["--max-bytes", f"{mib + 16}MiB", "--once",
                                                                "--timeout", "10m"])
    t0 = time.monotonic()
    cid = docker_run(PODKIT, folder, args, entrypoint="/opt/java/bin/java")
    peak = 0
    try:
        pid = container_pid(cid)
        while True:
            try:
                peak = max(peak, memory(pid)["hwm_kib"])
            except (OSError, ValueError):
                break
            out = subprocess.run(["docker", "inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", cid],
                                 capture_output=True, text=True).stdout.split()
            if out and out[0] == "false":
                break
            if time.monotonic() - t0 > 600:
                raise SystemExit("large archive: no exit after 10 minutes")
            time.sleep(0.05)
        seconds = time.monotonic() - t0
        code = int(subprocess.run(["docker", "inspect", "-f", "{{.State.ExitCode}}", cid], capture_output=True,
                                  text=True).stdout.strip())
        published = sum(os.path.getsize(os.path.join(folder, "..data", n))
                        for n in os.listdir(os.path.join(folder, "..data"))) if code == 0 else 0
        logs = subprocess.run(["docker", "logs", cid], capture_output=True, text=True)
    finally:
        docker_stop(cid)
        origin.close()
    if code != 0:
        raise SystemExit(f"large archive: exit {code}: {(logs.stdout + logs.stderr)[-2000:]}")
    return {"mib": mib, "heap": "-Xmx16m", "exit": code, "seconds": seconds, "peak_rss_kib": peak,
            "published_bytes": published, "archive_bytes": os.path.getsize(path)}


# ---------------------------------------------------------------- report

def summary(values):
    v = sorted(values)
    return {"median": statistics.median(v), "p90": v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))],
            "min": v[0], "max": v[-1], "n": len(v),
            "within_goal": sum(1 for x in v if x <= PERIOD_S + 0.1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=20, help="changes per contender and source (bounded)")
    ap.add_argument("--rss-runs", type=int, default=3)
    ap.add_argument("--rss-variants", action="store_true", help="also measure idle RSS with other JVM flags")
    ap.add_argument("--large-mib", type=int, default=192)
    ap.add_argument("--out", default=ROOT)
    ap.add_argument("--update-readme", action="store_true",
                    help="also put the table into the README between the bench:config-syncer markers")
    args = ap.parse_args()
    build_busybox_image()
    rng = random.Random(11)
    load = os.getloadavg()
    r = {"cpus": os.cpu_count(), "period_s": PERIOD_S, "image": PODKIT, "load_at_start": load[0]}
    tmp = tempfile.mkdtemp(prefix="bench-config-syncer-")
    os.chmod(tmp, 0o755)
    try:
        # (a) Interleaved in rounds of a few changes, so both contenders see the same machine.
        prop = {"podkit": [], "busybox": []}
        rounds = max(1, args.changes // 5)
        for n in range(rounds):
            for tool in ("podkit", "busybox"):
                prop[tool] += propagation_http(tool, args.changes // rounds, rng, tempfile.mkdtemp(dir=tmp))
            print(f"round {n + 1}/{rounds}: podkit {statistics.median(prop['podkit']):.3f}s "
                  f"busybox {statistics.median(prop['busybox']):.3f}s", file=sys.stderr)
        r["http"] = {tool: summary(v) for tool, v in prop.items()}
        r["git"] = summary(propagation_git(max(5, args.changes // 2), rng, tempfile.mkdtemp(dir=tmp)))
        print(f"git: median {r['git']['median']:.3f}s", file=sys.stderr)
        # (b)
        todo = variants() if args.rss_variants else variants()[:1]
        r["rss"] = []
        for name, flags, env in todo:
            runs = [idle_rss(flags, tempfile.mkdtemp(dir=tmp), f"{len(r['rss'])}-{k}", env) for k in range(args.rss_runs)]
            best = sorted(runs, key=lambda m: m["rss_kib"])[len(runs) // 2]
            r["rss"].append({"variant": name, "median": best, "all_rss_kib": [m["rss_kib"] for m in runs]})
            print(f"rss {name}: {best['rss_kib'] / 1024:.1f} MiB {best['by_mapping_kib']}", file=sys.stderr)
        # (c)
        if args.large_mib > 0:
            r["large"] = large_archive(args.large_mib, tempfile.mkdtemp(dir=tmp))
            print(f"large: {r['large']}", file=sys.stderr)
        r["load_at_end"] = os.getloadavg()[0]
    finally:
        subprocess.run(["rm", "-rf", tmp])
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(r, f, indent=2)
    table = write_markdown(r, os.path.join(args.out, "results.md"))
    print(open(os.path.join(args.out, "results.md")).read())
    if args.update_readme:
        replace_section("config-syncer", table + "\n")


def write_markdown(r, path):
    p, b, g = r["http"]["podkit"], r["http"]["busybox"], r["git"]
    ms = lambda s: f"{s * 1000:.0f} ms"
    mib = lambda k: f"{k / 1024:.1f} MiB"
    built = r["rss"][0]["median"]
    rows = [
        f"| period {r['period_s']:g} s | config-syncer (podkit) | busybox `wget` loop | ratio |",
        "|---|---:|---:|---:|",
        f"| HTTP change → published, median | {ms(p['median'])} | {ms(b['median'])} | {b['median'] / p['median']:.2f}× |",
        f"| HTTP change → published, p90 / max | {ms(p['p90'])} / {ms(p['max'])} | {ms(b['p90'])} / {ms(b['max'])} | |",
        f"| within period + 100 ms | {p['within_goal']} of {p['n']} | {b['within_goal']} of {b['n']} | |",
        f"| git commit → published, median / max | {ms(g['median'])} / {ms(g['max'])} ({g['within_goal']} of {g['n']} within goal) | — | |",
        f"| idle RSS (goal ≤ 48 MiB) | {mib(built['rss_kib'])} | | |",
    ]
    if "large" in r:
        lg = r["large"]
        rows.append(f"| {lg['mib']} MiB tar, `-Xmx16m`: time / peak RSS | {lg['seconds']:.1f} s / {mib(lg['peak_rss_kib'])} | | |")
    text = (f"# config-syncer benchmark: latest results\n\nProduced by `bench/config-syncer/bench.py` on {r['cpus']} CPUs "
            f"(load average {r['load_at_start']:.1f} at the start, {r['load_at_end']:.1f} at the end: other builds ran on "
            "the machine). Containers are `docker run --network host --read-only --user 65532 --cpuset-cpus 0`; the "
            "origin and the reader of the published folder are this script, on loopback and on the host.\n\n"
            + "\n".join(rows) + "\n\n## Idle RSS by JVM flags\n\nVmRSS after five unchanged polls (median of "
            + "the runs), and where it lies (resident KiB of the mappings: the AOT cache file, libjvm.so, other "
            + "files, anonymous memory including the Java heap, metaspace, stacks and malloc).\n\n"
            + "| variant | VmRSS | runs (MiB) | private dirty | threads | AOT cache | libjvm | other files | anonymous |\n"
            + "|---|---:|---|---:|---:|---:|---:|---:|---:|\n")
    for v in r["rss"]:
        m, parts = v["median"], v["median"]["by_mapping_kib"]
        text += (f"| {v['variant']} | {mib(m['rss_kib'])} | {', '.join(f'{k / 1024:.1f}' for k in v['all_rss_kib'])} "
                 f"| {mib(m['private_dirty_kib'])} | {m['threads']} | {mib(parts['aot cache'])} | {mib(parts['libjvm'])} | {mib(parts['other files'])} "
                 f"| {mib(parts['other anonymous'])} |\n")
    if "large" in r:
        lg = r["large"]
        text += (f"\n## Large archive\n\nA {lg['archive_bytes'] / 2**20:.0f} MiB tar of random data, `--once`, the image's "
                 f"flags with `-Xmx16m`: exit {lg['exit']} after {lg['seconds']:.1f} s, {lg['published_bytes'] / 2**20:.0f} MiB "
                 f"published, peak RSS (VmHWM) {mib(lg['peak_rss_kib'])}.\n")
    with open(path, "w") as f:
        f.write(text)
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
