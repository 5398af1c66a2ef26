"""Swap a finished site in place of the published one, so readers never see half a build.

The swap is one system call where the kernel offers it: Linux's renameat2() with
RENAME_EXCHANGE atomically trades the staging folder and the published folder, so at
every instant the published path is a complete site, either the old or the new one.
Elsewhere (macOS, Windows, file systems without it) two renames are used and
clean_stale() repairs the state on the next run if the process died between them.
We chose this over a symlink layout (`_site -> .releases/7`) because the published
folder stays a plain folder that any web server, rsync or object-store sync copies as is.

Before the swap every file and folder of the new site is flushed to disk (one syncfs()
on Linux, an fsync() per file and folder elsewhere), and after it the parent folder, so
a power cut can never leave the published path naming a site whose files were not written.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2
TEMPORARY = (".tmp-", ".old-")  # the infixes of folders beside the site that may be removed


def staging_dir(out: Path) -> Path:
    """Return a fresh folder beside `out` (same file system, so the swap is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    path = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir()
    return path


def clean_stale(out: Path) -> None:
    """Remove what an interrupted earlier run left beside `out`, restoring `out` if needed."""
    old = sorted(out.parent.glob(f".{out.name}.old-*"))
    if old and not out.exists():
        os.replace(old[-1], out)  # killed between the two renames of the fallback: undo
        old = old[:-1]
    for path in [*old, *out.parent.glob(f".{out.name}.tmp-*")]:
        _remove(path)


def swap(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is, then remove the old site."""
    sync_tree(staging)
    if not out.exists():
        os.replace(staging, out)
        sync_dir(out.parent)
        return
    if exchange(staging, out):
        sync_dir(out.parent)
        _remove(staging)  # it now holds the old site
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    os.replace(staging, out)
    sync_dir(out.parent)
    _remove(old)


def sync_tree(path: Path) -> None:
    """Flush every file and folder under `path` to disk, and the folder holding `path`.

    Hard-linked files count too: a link made from an earlier run's file may still have
    unwritten pages in the cache.
    """
    if not _syncfs(path):
        for folder, _folders, files in os.walk(path):
            for name in files:
                _fsync(Path(folder, name), os.O_RDONLY)
            sync_dir(Path(folder))
    sync_dir(path.parent)


def sync_dir(path: Path) -> None:
    """Flush a folder's entries (names made or renamed in it) to disk."""
    _fsync(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))


def _fsync(path: Path, flags: int) -> None:
    try:
        fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EACCES, errno.EISDIR) or os.name == "nt":
            return  # a symlink (its target is flushed where it lives), or a folder on Windows
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):  # a file system without fsync
            raise
    finally:
        os.close(fd)


def _syncfs(path: Path) -> bool:
    """Flush the whole file system holding `path` in one call (Linux); False elsewhere."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return False
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if function(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(path))
    finally:
        os.close(fd)
    return True


def exchange(a: Path, b: Path) -> bool:
    """Trade the paths `a` and `b` in one atomic step; False when the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # an old kernel or a file system without the flag
    raise OSError(code, os.strerror(code), str(b))


def link_tree(source: Path, target: Path) -> None:
    """Recreate `source` at `target` with hard links (copies where links are impossible).

    Published files are never rewritten in place, so sharing their bytes is safe and a
    release archive costs only the pages that changed.
    """
    shutil.copytree(source, target, copy_function=link_file, symlinks=True)


def link_file(source: str | Path, target: str | Path) -> None:
    """Hard-link `source` at `target`, or copy it when the file system cannot link."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _renameat2():
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
