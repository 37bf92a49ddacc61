"""Shared by the bench scripts: an image's JVM command line, run on the host from the build."""
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
# The base image's own runtime, as the images run it.
JAVA = os.path.join(ROOT, "base-image/target/rootfs/opt/java/bin/java")


def image_args(target):
    """The arguments of the image's java.args (flags, AOT cache, native libraries, -jar and the jar),
    with /app moved to the build's staged copy under `target` (a module's target directory, or a
    copy of its image-extra and image-stage)."""
    with open(os.path.join(target, "image-extra/app/java.args")) as f:
        args = [a.strip() for a in f if a.strip()]
    return [a.replace("/app/aot/", os.path.join(target, "image-extra/app/aot/"))
            .replace("/app/native", os.path.join(target, "image-extra/app/native"))
            .replace("/app/classpath/", os.path.join(target, "image-stage/app/classpath/")) for a in args]
