"""Swap a finished site in place of the published one, so readers never see half a build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


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
        os.replace(old[-1], out)  # killed between the two renames of swap(): undo
        old = old[:-1]
    for path in [*old, *out.parent.glob(f".{out.name}.tmp-*")]:
        shutil.rmtree(path, ignore_errors=True)


def swap(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is, then remove the old site.

    Two renames on one file system; clean_stale() repairs the state if the process dies
    between them, so the published site is always either the old one or the new one.
    """
    if not out.exists():
        os.replace(staging, out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)
