"""The release history a published site carries: releases.json and SHA256SUMS.

`releases.json` is the machine-readable manifest: every release (number, time, the
version of each dataset), every version of every dataset (its files with sha256 and
size, the sha256 of the raw files it came from, its changelog), and every file of the
current release with sha256 and size. `SHA256SUMS` lists the same files plus
releases.json in the format `sha256sum -c` checks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.models import Change, Output, Version

HISTORY = "releases.json"
SUMS = "SHA256SUMS"
FORMAT = "opendata-releases/1"


@dataclass(frozen=True)
class Release:
    """One publication of the site."""

    number: int
    published: str  # ISO 8601 UTC time, from SOURCE_DATE_EPOCH when set
    datasets: dict[str, str] = field(default_factory=dict)  # dataset id → version


@dataclass(frozen=True)
class History:
    """Everything a published site records about its releases; empty before the first."""

    releases: tuple[Release, ...] = ()
    versions: dict[str, tuple[Version, ...]] = field(default_factory=dict)  # oldest first
    files: dict[str, tuple[str, int]] = field(default_factory=dict)  # path → (sha256, bytes)
    # Versions a rollback took back: their files were public, so they never return changed.
    withdrawn: dict[str, tuple[Version, ...]] = field(default_factory=dict)

    @property
    def number(self) -> int:
        """Return the current release's number, 0 before the first release."""
        return self.releases[-1].number if self.releases else 0


def read_history(site: Path) -> History:
    """Return the history recorded in `site`, or an empty one for a site never published."""
    path = site / HISTORY
    if not path.is_file():
        return History()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        return _history(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        message = _("the release history cannot be read ({reason}).", reason=exc)
        hint = _("Restore it with `opendata rollback`, or from a backup of the published site.")
        raise OpendataError(problem("release-mismatch", str(path), message, hint=hint)) from None


def write_history(site: Path, history: History) -> None:
    """Write releases.json and SHA256SUMS into `site`."""
    data = {
        "format": FORMAT,
        "release": history.number,
        "releases": [asdict(release) for release in history.releases],
        "versions": {
            key: [_version_json(v) for v in versions]
            for key, versions in sorted(history.versions.items())
        },
        "files": {
            path: {"sha256": digest, "bytes": size}
            for path, (digest, size) in sorted(history.files.items())
        },
    }
    if history.withdrawn:
        data["withdrawn"] = {
            key: [_version_json(v) for v in versions]
            for key, versions in sorted(history.withdrawn.items())
        }
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (site / HISTORY).write_text(text, encoding="utf-8", newline="\n")
    files = {**history.files, HISTORY: (sha256(site / HISTORY), 0)}
    lines = [f"{digest}  {path}\n" for path, (digest, _) in sorted(files.items())]
    (site / SUMS).write_text("".join(lines), encoding="utf-8", newline="\n")


def hash_tree(
    site: Path, known: dict[str, tuple[str, int]] | None = None
) -> dict[str, tuple[str, int]]:
    """Return every file of `site` but the two history files, with its sha256 and size.

    `known` gives the sha256 of files just converted (path → (sha256, bytes)), so the
    data files, most of a site's bytes, are not read again when their size matches.
    """
    known = known or {}
    found = {}
    for path in sorted(site.rglob("*")):
        relpath = path.relative_to(site).as_posix()
        if path.is_file() and not path.is_symlink() and relpath not in (HISTORY, SUMS):
            size = path.stat().st_size
            digest, expected = known.get(relpath, ("", -1))
            found[relpath] = (digest if expected == size else sha256(path), size)
    return found


def sha256(path: Path) -> str:
    """Return the hex sha256 of a file, read in chunks."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _version_json(version: Version) -> dict[str, Any]:
    data = asdict(version)
    data["inputs"] = dict(version.inputs)
    data["outputs"] = [asdict(output) for output in version.outputs]
    return data


def _history(data: dict[str, Any]) -> History:
    releases = tuple(
        Release(int(r["number"]), str(r["published"]), dict(r["datasets"]))
        for r in data["releases"]
    )
    versions = {
        key: tuple(_version(item) for item in items) for key, items in data["versions"].items()
    }
    files = {path: (str(f["sha256"]), int(f["bytes"])) for path, f in data["files"].items()}
    withdrawn = {
        key: tuple(_version(item) for item in items)
        for key, items in data.get("withdrawn", {}).items()
    }
    return History(releases=releases, versions=versions, files=files, withdrawn=withdrawn)


def _version(data: dict[str, Any]) -> Version:
    changes = data.get("changes")
    return Version(
        version=str(data["version"]),
        release=int(data["release"]),
        published=str(data["published"]),
        outputs=tuple(Output(**output) for output in data["outputs"]),
        inputs=tuple(sorted(data.get("inputs", {}).items())),
        changes=None if changes is None else tuple(_change(c) for c in changes),
    )


def _change(data: dict[str, Any]) -> Change:
    return Change(
        resource=data["resource"],
        status=data["status"],
        rows_added=data["rows_added"],
        rows_removed=data["rows_removed"],
        rows_changed=data["rows_changed"],
        columns_added=tuple(data["columns_added"]),
        columns_removed=tuple(data["columns_removed"]),
        columns_retyped=tuple(tuple(item) for item in data["columns_retyped"]),
    )
