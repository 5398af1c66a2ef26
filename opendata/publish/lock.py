"""One publish at a time per site: a lock file beside the site, never inside it.

Two builds into one folder would each stage, swap and record a release; the second
would silently drop what the first published. `.<site>.lock` is held with flock() for
the whole run, so a second run is refused at once with a clear message. The kernel
releases the lock when a process dies, so a crash never leaves the site locked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from opendata.errors import OpendataError, problem
from opendata.i18n import _

try:
    import fcntl
except ImportError:  # Windows: the lock file's existence is the lock
    fcntl = None  # type: ignore[assignment]


def lock_path(site: Path) -> Path:
    """Return the lock file of a site folder (beside it, so it is never published)."""
    return site.parent / f".{site.name}.lock"


@contextmanager
def site_lock(site: Path) -> Iterator[None]:
    """Hold the site's lock while the block runs; raise OpendataError if another run holds it."""
    path = lock_path(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _acquire(path)
    if descriptor is None:
        message = _("another opendata build or publish is writing this site right now.")
        raise OpendataError(problem("site-busy", str(site), message, hint=_hint(path)))
    try:
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        path.unlink(missing_ok=True)  # removed while still held: no one can take a stale file
        os.close(descriptor)


def _acquire(path: Path) -> int | None:
    """Return an open, locked descriptor of `path`, or None when another process holds it."""
    if fcntl is None:
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return None
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # The holder may have removed the file between our open and our lock.
        if os.fstat(descriptor).st_ino != os.stat(path).st_ino:
            raise BlockingIOError
    except (BlockingIOError, FileNotFoundError):
        os.close(descriptor)
        return None
    os.ftruncate(descriptor, 0)
    return descriptor


def _hint(path: Path) -> str:
    hint = _("Wait until the other run has finished, then run again.")
    if fcntl is None:
        hint += " " + _("If no other run is going on, remove {path}.", path=path)
    return hint
