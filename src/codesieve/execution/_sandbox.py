"""Worker set-up: private namespaces, the job directory, and the framed pipe protocol.

Imported by path from `_worker.py` (stdlib only, no codesieve import).
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import struct
import sys

_LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 2, 4, 0x4000, 0x40000


def prctl(option: int, arg: int) -> None:
    _LIBC.prctl(option, arg)

def send(fd: int, obj: object) -> None:
    data = json.dumps(obj, separators=(",", ":")).encode()
    view = memoryview(struct.pack("<I", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def recv(fd: int) -> object | None:
    head = _read_exact(fd, 4)
    if head is None:
        return None
    body = _read_exact(fd, struct.unpack("<I", head)[0])
    return None if body is None else json.loads(body)


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)

def isolate(uid: int | None) -> dict:
    """Enter private network and mount namespaces (root only). Returns what was achieved."""
    caps = {"uid": uid, "net": False, "fs": False, "why": ""}
    if os.geteuid() != 0:
        caps["why"] = "not root: no uid drop, no network namespace"
        return caps
    if _LIBC.unshare(CLONE_NEWNET | CLONE_NEWNS) != 0:
        caps["why"] = f"unshare failed: {os.strerror(ctypes.get_errno())}"
        return caps
    caps["net"] = True
    if _LIBC.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        caps["why"] = f"mount --make-rprivate failed: {os.strerror(ctypes.get_errno())}"
        return caps
    ok = True
    for path in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(path):
            ok &= _mount_tmpfs(path)
    caps["fs"] = ok and _expose_python(uid)
    return caps


def _mount_tmpfs(path: str) -> bool:
    return _LIBC.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                       b"size=256m,nr_inodes=65536,mode=0755") == 0


def _expose_python(uid: int | None) -> bool:
    """Let the dropped uid import the interpreter's modules when they live under a private
    directory (pyenv under a 0700 /root): cover that directory with an empty tmpfs and bind
    back only the interpreter's own paths. Everything else in it stays hidden."""
    MS_BIND = 4096
    MNT_DETACH = 2
    needed = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, *sys.path) if p and os.path.isdir(p)}
    blocked: dict[str, set[str]] = {}
    for path in needed:
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts)):
            ancestor = "/" + "/".join(parts[:depth])
            if not os.stat(ancestor).st_mode & 0o001:
                blocked.setdefault(ancestor, set()).add(parts[depth])
                break
    for n, (directory, children) in enumerate(sorted(blocked.items())):
        stash = f"/tmp/.stash{n}"
        os.mkdir(stash)
        keep = []
        for k, child in enumerate(sorted(children)):
            os.mkdir(f"{stash}/{k}")
            if _LIBC.mount(f"{directory}/{child}".encode(), f"{stash}/{k}".encode(), None, MS_BIND | MS_REC, None):
                return False
            keep.append((child, f"{stash}/{k}"))
        if not _mount_tmpfs(directory):
            return False
        for child, src in keep:
            os.mkdir(f"{directory}/{child}")
            if _LIBC.mount(src.encode(), f"{directory}/{child}".encode(), None, MS_BIND | MS_REC, None):
                return False
            _LIBC.umount2(src.encode(), MNT_DETACH)
        shutil.rmtree(stash, ignore_errors=True)
    return True


def job_root(caps: dict, slot: int) -> str:
    if caps["fs"]:
        return "/tmp"
    import tempfile

    root = tempfile.mkdtemp(prefix=f"codesieve-w{slot}-")
    os.chmod(root, 0o711)
    return root

