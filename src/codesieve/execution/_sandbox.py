"""Worker set-up: private namespaces, the job directory, and the framed pipe protocol.

Imported by path from `_worker.py` (stdlib only, no codesieve import).
"""

from __future__ import annotations

import ctypes
import json
import os
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


def recv(fd: int, object_hook=None) -> object | None:
    head = _read_exact(fd, 4)
    if head is None:
        return None
    body = _read_exact(fd, struct.unpack("<I", head)[0])
    return None if body is None else json.loads(body, object_hook=object_hook)


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
    covers: dict[str, set[str]] = {d: set() for d in ("/tmp", "/var/tmp", "/dev/shm") if os.path.isdir(d)}
    for path in _interpreter_paths():
        for d in covers:
            if path.startswith(d + "/"):  # a virtualenv or checkout under /tmp must stay importable
                covers[d].add(path[len(d) + 1:].split("/")[0])
        blocked = _private_ancestor(path)
        if blocked:
            covers.setdefault(blocked[0], set()).add(blocked[1])
    caps["fs"] = all(_cover(d, children) for d, children in covers.items())
    return caps


def _mount_tmpfs(path: str) -> bool:
    return _LIBC.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                       b"size=256m,nr_inodes=65536,mode=0755") == 0


def _interpreter_paths() -> set[str]:
    return {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, *sys.path) if p and os.path.isdir(p)}


def _private_ancestor(path: str) -> tuple[str, str] | None:
    """The first ancestor others cannot enter (pyenv under a 0700 /root), and the child of it on
    the way to `path`: that ancestor gets covered, and only that child is shown again."""
    parts = path.strip("/").split("/")
    for depth in range(1, len(parts)):
        ancestor = "/" + "/".join(parts[:depth])
        if not os.stat(ancestor).st_mode & 0o001:
            return ancestor, parts[depth]
    return None


def _cover(directory: str, keep: set[str]) -> bool:
    """Mount an empty root-owned tmpfs over `directory`, then bind back the entries in `keep`
    (reached through file descriptors opened before they were hidden)."""
    MS_BIND = 4096
    fds = {name: os.open(os.path.join(directory, name), os.O_PATH | os.O_DIRECTORY)
           for name in keep if os.path.isdir(os.path.join(directory, name))}
    try:
        if not _mount_tmpfs(directory):
            return False
        for name, fd in fds.items():
            target = os.path.join(directory, name)
            os.mkdir(target)
            if _LIBC.mount(f"/proc/self/fd/{fd}".encode(), target.encode(), None, MS_BIND | MS_REC, None):
                return False
        return True
    finally:
        for fd in fds.values():
            os.close(fd)


def job_root(caps: dict, slot: int) -> str:
    if caps["fs"]:
        return "/tmp"
    import tempfile

    root = tempfile.mkdtemp(prefix=f"codesieve-w{slot}-")
    os.chmod(root, 0o711)
    return root

