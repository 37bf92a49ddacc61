#!/usr/bin/env python3
"""Benchmark: init-waiter's image against the documented busybox `nc` loop, in the same run.

For each tool, N runs of `docker run --rm --network host <image> ...` waiting for a TCP port on
127.0.0.1 that this script opens after a random delay (1 to 3 s). Measured per run:
  * ready_to_exit: from the port being opened (listen) to the `docker run` process ending;
  * already_ready: a run against a port open from the start, `docker run` to exit (start cost).
  * run_to_first_probe: from `docker run` to the target's first accepted connection (port open
    from the start): the container's start plus, for init-waiter, the JVM's; measured for
    init-waiter also with its AOT cache switched off (JDK_JAVA_OPTIONS=-XX:AOTMode=off).
Image sizes from `docker image inspect`.
Only loopback is used; every loop is bounded by the run count and by timeouts.

Usage: bench.py [--runs N] [--out DIR]   (needs the images built: scripts/demo.sh or ./mvnw install)
"""
import argparse
import json
import os
import random
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

PODKIT = os.environ.get("PODKIT_IMAGE", "podkit/init-waiter:0.1.0")
BUSYBOX = "podkit-bench/busybox-nc-wait:local"
# The documented loop, with `nc HOST PORT </dev/null` for `nc -z`: Debian's busybox-static nc has
# no -z (it prints "invalid option" and the documented loop never ends). Without -z, nc returns
# only when the server closes, so the target below accepts and closes at once (as `nc -z`
# would itself); init-waiter closes its probe sockets itself either way.
LOOP = "until nc -w 1 127.0.0.1 {port} </dev/null >/dev/null 2>&1; do sleep 2; done"


def build_busybox_image():
    if subprocess.run(["docker", "image", "inspect", BUSYBOX], capture_output=True).returncode == 0:
        return
    with tempfile.TemporaryDirectory() as d:
        tar_path = os.path.join(d, "rootfs.tar")
        with tarfile.open(tar_path, "w") as tar:
            tar.add("/bin/busybox", arcname="bin/busybox")
            for applet in ("sh", "nc", "sleep"):
                info = tarfile.TarInfo("bin/" + applet)
                info.type = tarfile.SYMTYPE
                info.linkname = "busybox"
                tar.addfile(info)
        subprocess.run(["docker", "import", "-c", "ENV PATH=/bin", tar_path, BUSYBOX], check=True,
                       capture_output=True)


def serve(sock):
    """Accepts and closes connections until the socket is closed."""
    def loop():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.close()
    threading.Thread(target=loop, daemon=True).start()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(tool, port, env=None):
    base = ["docker", "run", "--rm", "--network", "host", "--read-only"]
    for k, v in (env or {}).items():
        base += ["-e", f"{k}={v}"]
    if tool == "podkit":
        return base + [PODKIT, "--admin-address", "off", f"tcp://127.0.0.1:{port}"]
    return base + [BUSYBOX, "sh", "-c", LOOP.format(port=port)]


def run_late(tool, rng):
    """One run: start the waiter, open the port after 1-3 s, time from listen() to exit."""
    port = free_port()
    proc = subprocess.Popen(command(tool, port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(rng.uniform(1.0, 3.0))
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(64)
    t_ready = time.monotonic()
    serve(server)
    try:
        out, _ = proc.communicate(timeout=60)
    finally:
        server.close()
    if proc.returncode != 0:
        raise SystemExit(f"{tool} exited {proc.returncode}: {out.decode()[-2000:]}")
    return time.monotonic() - t_ready, out.decode()


def run_ready(tool, env=None):
    """One run against a port open from the start: (docker run to first probe, to exit)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(60)
    port = server.getsockname()[1]
    t0 = time.monotonic()
    proc = subprocess.Popen(command(tool, port, env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        conn, _ = server.accept()
        first = time.monotonic() - t0
        conn.close()
        serve(server)
        out, _ = proc.communicate(timeout=60)
    finally:
        server.close()
    if proc.returncode != 0:
        raise SystemExit(f"{tool} exited {proc.returncode}: {out.decode()[-2000:]}")
    return first, time.monotonic() - t0


def image_size(image):
    out = subprocess.run(["docker", "image", "inspect", "-f", "{{.Size}}", image], capture_output=True,
                         text=True, check=True)
    return int(out.stdout.strip())


def summary(values):
    v = sorted(values)
    return {"median": statistics.median(v), "p90": v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))],
            "min": v[0], "max": v[-1], "n": len(v)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--update-readme", action="store_true",
                    help="also put the table into the README between the bench:init-waiter markers")
    args = ap.parse_args()
    build_busybox_image()
    rng = random.Random(7)
    results = {"runs": args.runs, "cpus": os.cpu_count(), "images": {}, "tools": {}}
    for tool, image in (("podkit", PODKIT), ("busybox", BUSYBOX)):
        results["images"][tool] = {"image": image, "bytes": image_size(image)}
    late = {"podkit": [], "busybox": []}
    ready = {"podkit": [], "busybox": []}
    first = {"podkit": [], "busybox": [], "podkit_no_aot": []}
    for i in range(args.runs):
        # Interleaved, so both tools see the same machine conditions.
        for tool in ("podkit", "busybox"):
            t, _ = run_late(tool, rng)
            late[tool].append(t)
            f, t = run_ready(tool)
            first[tool].append(f)
            ready[tool].append(t)
        f, _ = run_ready("podkit", {"JDK_JAVA_OPTIONS": "-XX:AOTMode=off"})
        first["podkit_no_aot"].append(f)
        print(f"run {i + 1}/{args.runs}: late podkit {late['podkit'][-1]:.3f}s busybox {late['busybox'][-1]:.3f}s",
              file=sys.stderr)
    for tool in ("podkit", "busybox"):
        results["tools"][tool] = {"ready_to_exit_s": summary(late[tool]), "already_ready_run_s": summary(ready[tool]),
                                  "run_to_first_probe_s": summary(first[tool])}
    results["podkit_no_aot_run_to_first_probe_s"] = summary(first["podkit_no_aot"])
    p, b = results["tools"]["podkit"], results["tools"]["busybox"]
    results["ratios"] = {
        "ready_to_exit_median_busybox_over_podkit": b["ready_to_exit_s"]["median"] / p["ready_to_exit_s"]["median"],
        "image_size_podkit_over_busybox": results["images"]["podkit"]["bytes"] / results["images"]["busybox"]["bytes"],
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    table = write_markdown(results, os.path.join(args.out, "results.md"))
    print(open(os.path.join(args.out, "results.md")).read())
    if args.update_readme:
        replace_section("init-waiter", table + "\n")


def write_markdown(r, path):
    p, b = r["tools"]["podkit"], r["tools"]["busybox"]
    na = r["podkit_no_aot_run_to_first_probe_s"]
    mb = lambda n: f"{n / 1e6:.1f} MB"
    rows = [
        "| | init-waiter (podkit) | busybox `nc` loop (docs) | ratio |",
        "|---|---:|---:|---:|",
        f"| target ready → container exit, median | {p['ready_to_exit_s']['median']:.2f} s | {b['ready_to_exit_s']['median']:.2f} s | "
        f"{r['ratios']['ready_to_exit_median_busybox_over_podkit']:.1f}× faster |",
        f"| target ready → container exit, p90 | {p['ready_to_exit_s']['p90']:.2f} s | {b['ready_to_exit_s']['p90']:.2f} s | |",
        f"| `docker run` → exit, target already up (median) | {p['already_ready_run_s']['median']:.2f} s | "
        f"{b['already_ready_run_s']['median']:.2f} s | |",
        f"| image size (uncompressed) | {mb(r['images']['podkit']['bytes'])} | {mb(r['images']['busybox']['bytes'])} | "
        f"{r['ratios']['image_size_podkit_over_busybox']:.0f}× larger |",
        f"| `docker run` → first probe (median) | {p['run_to_first_probe_s']['median'] * 1000:.0f} ms | "
        f"{b['run_to_first_probe_s']['median'] * 1000:.0f} ms | +{(p['run_to_first_probe_s']['median'] - b['run_to_first_probe_s']['median']) * 1000:.0f} ms JVM |",
        f"| `docker run` → first probe, AOT cache off (median) | {na['median'] * 1000:.0f} ms | | |",
    ]
    text = (f"# init-waiter benchmark: latest results\n\n{r['runs']} interleaved runs per tool on {r['cpus']} CPUs, "
            "`docker run --rm --network host --read-only`, target port opened 1-3 s after the start. "
            "Produced by `bench/init-waiter/bench.py`.\n\n" + "\n".join(rows) + "\n")
    with open(path, "w") as f:
        f.write(text)
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
