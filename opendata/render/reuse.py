"""Reuse an earlier build's dataset pages when nothing they show has changed.

A dataset's pages (its page and validation reports in every language, and its
datapackage.json) are a function of its checked result and of what every page shares:
the toolkit, the theme (templates, static files, translations), the portal and agency
settings, the published datasets' ids (foreign keys link to them) and the build date.
Their hash names a folder under `.opendata-cache/render/` that keeps the files, hard
linked into the next site instead of rendered again. Pages are never rewritten in place,
so sharing their bytes is safe.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from opendata.models import Catalogue, DatasetResult
from opendata.publish.swap import link_file
from opendata.render.links import PREFIXES

FOLDER = "render"  # inside the cache folder
SEARCH = "search"  # the last search index, beside it


@dataclass(frozen=True)
class Reuse:
    """Where rendered dataset pages are kept, and what every one of them depends on."""

    folder: Path  # .opendata-cache/render
    shared: str  # the hash of what all pages share
    keys: dict[str, str]  # dataset id → the cache key of its checked result

    def key(self, result: DatasetResult) -> str:
        """Return the hash naming the dataset's rendered files; "" when it has no cache key."""
        dataset = result.dataset
        if not self.keys.get(dataset.id):
            return ""
        parts = (self.shared, self.keys[dataset.id], repr(dataset), repr(result.versions))
        return _digest(part.encode() for part in parts)

    def fresh(self, results: Sequence[DatasetResult]) -> tuple[DatasetResult, ...]:
        """Return the results whose pages must be rendered: no stored copy of them."""
        return tuple(r for r in results if not (key := self.key(r)) or not self._stored(key))

    def place(self, results: Sequence[DatasetResult], out: Path) -> None:
        """Link the stored files of every result that has them into the site at `out`."""
        for result in results:
            key = self.key(result)
            if key and self._stored(key):
                shutil.copytree(self.folder / key, out, dirs_exist_ok=True, copy_function=link_file)

    def keep(self, results: Sequence[DatasetResult], out: Path, written: Iterable[str]) -> None:
        """Store the files just rendered for `results` (site paths in `written`).

        A failure to store only costs rendering the pages again next time.
        """
        owned: dict[str, list[str]] = {}
        for path in sorted(written):
            owned.setdefault(_owner(path), []).append(path)
        for result in results:
            key = self.key(result)
            if not key:
                continue
            try:
                _store(self.folder / key, out, owned.get(result.dataset.id, []))
            except OSError:
                continue

    @property
    def search(self) -> Path:
        """Return where the search index of the last build is kept."""
        return self.folder.parent / SEARCH

    def _stored(self, key: str) -> bool:
        return (self.folder / key).is_dir()


def reuse(
    catalogue: Catalogue,
    results: Sequence[DatasetResult],
    *,
    cache: Path,
    keys: dict[str, str],
    toolkit: str,
    themes: Sequence[Path],
    build_time: datetime,
) -> Reuse:
    """Return the reuse of rendered pages for this build, its shared part hashed once."""
    parts = [
        toolkit.encode(),
        build_time.isoformat().encode(),
        repr(catalogue.portal).encode(),
        repr(sorted(catalogue.agencies, key=lambda a: a.name)).encode(),
        "\n".join(sorted(r.dataset.id for r in results)).encode(),
    ]
    for theme in themes:
        parts.extend(_tree(theme))
    return Reuse(cache / FOLDER, _digest(parts), keys)


def _owner(path: str) -> str:
    """Return the id of the dataset whose folder holds the site path, or ""."""
    for prefix in PREFIXES.values():
        if prefix and path.startswith(prefix):
            path = path.removeprefix(prefix)
            break
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else ""


def _store(entry: Path, out: Path, paths: list[str]) -> None:
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    for path in paths:
        target = temporary / path
        target.parent.mkdir(parents=True, exist_ok=True)
        link_file(out / path, target)
    if not paths:
        temporary.mkdir(parents=True)
    shutil.rmtree(entry, ignore_errors=True)
    os.replace(temporary, entry)


def _tree(folder: Path) -> list[bytes]:
    """Return every file's relative path and bytes under `folder`, in a stable order."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found.extend([path.relative_to(folder).as_posix().encode(), path.read_bytes()])
    return found


def _digest(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()
