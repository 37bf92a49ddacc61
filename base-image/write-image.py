"""Writes a one-layer docker-archive (the `docker save` format) from a root filesystem folder.

The layer is reproducible: entries sorted by name, one fixed modification time, numeric owners
(root, except /home/nonroot and /tmp's sticky bit kept), no host user names. The archive holds
manifest.json, repositories, the image config and the layer, as `docker load` and Jib's tar://
base images read them.
"""
import argparse
import hashlib
import io
import json
import os
import stat
import tarfile

FIXED_TIME = 1767225600  # 2026-01-01T00:00:00Z
NONROOT = 65532


def owner_of(rel):
    return NONROOT if rel == "home/nonroot" or rel.startswith("home/nonroot/") else 0


def layer_bytes(rootfs):
    entries = []
    for dirpath, dirnames, filenames in os.walk(rootfs):
        dirnames.sort()
        for name in dirnames + filenames:
            entries.append(os.path.relpath(os.path.join(dirpath, name), rootfs))
    entries.sort()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for rel in entries:
            path = os.path.join(rootfs, rel)
            st = os.lstat(path)
            info = tarfile.TarInfo(rel)
            info.mtime = FIXED_TIME
            info.uid = info.gid = owner_of(rel)
            info.uname = info.gname = ""
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(path)
                info.mode = 0o777
                tar.addfile(info)
            elif stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                info.mode = 0o1777 if rel == "tmp" else (mode | 0o755) & 0o7755
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                info.size = st.st_size
                info.mode = mode & 0o755 | 0o644
                with open(path, "rb") as f:
                    tar.addfile(info, f)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--tag", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    layer = layer_bytes(args.rootfs)
    diff_id = hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2026-01-01T00:00:00Z",
        "config": {
            "Env": [
                "PATH=/opt/java/bin:/usr/bin:/bin",
                "JAVA_HOME=/opt/java",
                "LANG=C.UTF-8",
            ],
            "User": "65532:65532",
            "WorkingDir": "/home/nonroot",
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff_id]},
        "history": [{"created": "2026-01-01T00:00:00Z", "created_by": "podkit base-image/build-base-image.sh"}],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_id = hashlib.sha256(config_bytes).hexdigest()
    repo, _, tag = args.tag.rpartition(":")
    manifest = [{"Config": config_id + ".json", "RepoTags": [args.tag], "Layers": [diff_id + "/layer.tar"]}]
    files = [
        (config_id + ".json", config_bytes),
        (diff_id + "/layer.tar", layer),
        ("manifest.json", json.dumps(manifest, separators=(",", ":")).encode()),
        ("repositories", json.dumps({repo: {tag: diff_id}}, separators=(",", ":")).encode()),
    ]
    tmp = args.out + ".tmp"
    with tarfile.open(tmp, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, data in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = FIXED_TIME
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
