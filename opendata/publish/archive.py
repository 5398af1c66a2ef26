"""Check a published site against its manifest, and roll it back to the release before.

Each release's complete tree is kept beside the site in `.<site>.releases/<n>/`, hard
linked to the published files (which are never rewritten in place), so keeping every
release costs only the pages that changed. It is beside the site, not in it, so it is
never uploaded; rolling back swaps a copy of it in, in one atomic step (see swap.py).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.models import Problem
from opendata.publish.history import (
    HISTORY,
    SUMS,
    History,
    hash_tree,
    read_history,
    sha256,
    write_history,
)
from opendata.publish.swap import clean_stale, link_tree, staging_dir, swap


def archive_dir(site: Path) -> Path:
    """Return the folder beside `site` that holds every release's tree."""
    return site.parent / f".{site.name}.releases"


def archive(staging: Path, site: Path, number: int) -> None:
    """Keep a hard-linked copy of the release being published, for rollback."""
    folder = archive_dir(site)
    folder.mkdir(exist_ok=True)
    for stale in [*folder.glob("*.tmp"), folder / str(number)]:
        shutil.rmtree(stale, ignore_errors=True)  # a partial copy, or a release never swapped in
    partial = folder / f"{number}.tmp"
    try:
        link_tree(staging, partial)
        partial.rename(folder / str(number))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def verify(site: Path, *, shown: Path | None = None) -> list[Problem]:
    """Return a problem per file that is missing, changed or unknown to the release manifest.

    `shown` names the files in the problems: the site a staged tree is about to become,
    since the officer never gave the staging folder's name.
    """
    shown = shown or site
    if not (site / HISTORY).is_file():
        message = _("this folder has no release manifest (releases.json).")
        raise OpendataError(problem("no-release", str(shown), message))
    history = read_history(site)
    found = hash_tree(site)
    problems = []
    for path, (digest, size) in sorted(history.files.items()):
        if path not in found:
            problems.append(_mismatch(shown, path, _("the file is missing.")))
        elif found[path] != (digest, size):
            actual = found[path][0]
            problems.append(
                _mismatch(
                    shown,
                    path,
                    _(
                        "the file has sha256 {actual}, recorded {digest}.",
                        actual=actual,
                        digest=digest,
                    ),
                )
            )
    for path in sorted(found.keys() - history.files.keys()):
        problems.append(_mismatch(shown, path, _("the file is not part of the release.")))
    files = {**history.files, HISTORY: (sha256(site / HISTORY), 0)}
    problems.extend(_check_sums(site, files, shown))
    return problems


def rollback(site: Path) -> int:
    """Put the release before the current one back in place; return its number."""
    clean_stale(site)
    history = read_history(site)
    folder = archive_dir(site)
    kept = (
        sorted(
            int(p.name)
            for p in folder.glob("*")
            if p.name.isdigit() and int(p.name) < history.number
        )
        if folder.is_dir()
        else []
    )
    if not kept:
        message = _(
            "there is no earlier release to go back to (current release: {number}).",
            number=history.number,
        )
        raise OpendataError(problem("no-release", str(site), message))
    previous = folder / str(kept[-1])
    staging = staging_dir(site)
    try:
        staging.rmdir()
        link_tree(previous, staging)
        _record_withdrawn(staging, read_history(previous), history)
        problems = verify(staging, shown=site)
        if problems:
            hint = _(
                "Release {number} as kept in {folder} no longer matches its manifest (its files "
                "are hard links to the published ones, so a file changed in place changes both): "
                "put the file back by hand, for example from an `opendata build` of the same raw "
                "files, then roll back again.",
                number=kept[-1],
                folder=previous,
            )
            raise OpendataError([replace(p, hint=hint) for p in problems])
        swap(staging, site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for newer in folder.glob("*"):
        if newer.name.isdigit() and int(newer.name) > kept[-1]:
            shutil.rmtree(newer, ignore_errors=True)  # withdrawn (recorded in releases.json)
    return kept[-1]


def _record_withdrawn(staging: Path, restored: History, current: History) -> None:
    """Record in the restored manifest every version the rollback takes back.

    Those files were public, maybe downloaded and cited: the version's name must never
    come back with other data (check_versions refuses it).
    """
    withdrawn = {key: list(versions) for key, versions in restored.withdrawn.items()}
    for key, versions in current.withdrawn.items():
        known = withdrawn.setdefault(key, [])
        known.extend(v for v in versions if v not in known)
    for key, versions in current.versions.items():
        kept = {v.version for v in restored.versions.get(key, ())}
        known = withdrawn.setdefault(key, [])
        known.extend(v for v in versions if v.version not in kept and v not in known)
    withdrawn = {key: versions for key, versions in withdrawn.items() if versions}
    if withdrawn == {k: list(v) for k, v in restored.withdrawn.items()}:
        return
    for name in (HISTORY, SUMS):  # hard links to the archive: replace, never rewrite in place
        (staging / name).unlink(missing_ok=True)
    frozen = {key: tuple(versions) for key, versions in withdrawn.items()}
    write_history(staging, replace(restored, withdrawn=frozen))


def _check_sums(site: Path, files: dict[str, tuple[str, int]], shown: Path) -> list[Problem]:
    path = site / SUMS
    if not path.is_file():
        return [_mismatch(shown, SUMS, _("the file is missing."))]
    listed = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _sep, name = line.partition("  ")
        listed[name] = digest
    if listed != {name: digest for name, (digest, _size) in files.items()}:
        return [
            _mismatch(shown, SUMS, _("the file does not list the recorded files and checksums."))
        ]
    return []


def _mismatch(site: Path, path: str, message: str) -> Problem:
    hint = _("Run `opendata rollback` or publish again; a published file must never change.")
    return problem("release-mismatch", (site / path).as_posix(), message, hint=hint)
