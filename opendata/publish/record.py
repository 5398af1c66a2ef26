"""Write what a release adds beside the pages: each dataset's latest/ page and the manifest.

`<agency>/<dataset>/latest/index.html` is the stable "latest" link. It is a small page
that redirects to the newest version on the dataset page and lists that version's files
by their versioned URLs. We chose a redirect page over copying the newest files into
latest/: object stores have no symlinks, and a copy would be a file whose bytes change
under one URL, the very thing releases promise never happens. Only this page changes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from opendata.errors import OpendataError, problem
from opendata.models import DatasetResult, Output, Problem
from opendata.publish.history import History, Release, hash_tree, write_history
from opendata.publish.release import LATEST
from opendata.publish.swap import link_file, link_tree

THEME = Path(__file__).resolve().parent.parent / "site_templates"


@dataclass(frozen=True)
class LatestFile:
    name: str
    href: str  # relative to the latest/ page
    sha256: str


@dataclass(frozen=True)
class LatestPage:
    """The context of a dataset's latest/index.html."""

    title: str
    version: str
    target: str  # the newest version's section of the dataset page
    files: tuple[LatestFile, ...]


def record(
    history: History,
    results: Sequence[DatasetResult],
    *,
    site: Path,
    staging: Path,
    theme: Path,
    when: datetime,
) -> History:
    """Freeze published versions, write latest/ pages, releases.json and SHA256SUMS."""
    problems = _freeze(history, site, staging, {r.dataset.id for r in results})
    if problems:
        raise OpendataError(problems)
    _write_latest(results, staging, theme)
    files = hash_tree(staging, _converted(history, results))
    versions = dict(history.versions)
    for result in results:
        versions[result.dataset.id] = tuple(
            replace(v, outputs=_files_of(files, f"{result.dataset.id}/{v.version}/"))
            for v in sorted(result.versions, key=lambda v: v.release)
        )
    shown = {r.dataset.id: r.dataset.version for r in results}
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    releases = (*history.releases, Release(history.number + 1, stamp, shown))
    new = History(releases, versions, files, withdrawn=history.withdrawn)
    problems = _unchanged(history, files)
    if problems:
        raise OpendataError(problems)
    write_history(staging, new)
    return new


def _freeze(history: History, site: Path, staging: Path, built: set[str]) -> list[Problem]:
    """Put every recorded file of every published version into `staging`, as published.

    A version folder is frozen at its first release: a sidecar rendered again today
    (with a corrected title, say) must not replace the bytes already published.
    Datasets no longer built keep their whole folder and pages.
    """
    found = []
    for dataset_id, versions in sorted(history.versions.items()):
        if dataset_id not in built:
            for folder in (dataset_id, f"en/{dataset_id}"):
                if (site / folder).is_dir() and not (staging / folder).exists():
                    link_tree(site / folder, staging / folder)
        for version in versions:
            for output in version.outputs:
                source, target = site / output.path, staging / output.path
                if not source.is_file():
                    found.append(_mismatch(output.path, version.version, "is missing"))
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.unlink(missing_ok=True)
                link_file(source, target)
    return found


def _write_latest(results: Sequence[DatasetResult], staging: Path, theme: Path) -> None:
    loader = FileSystemLoader([theme, THEME])  # a catalogue's own template first
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined)
    template = env.get_template("latest.html")
    for result in results:
        folder = staging / result.dataset.agency / result.dataset.name / LATEST
        folder.mkdir(parents=True, exist_ok=True)
        text = template.render(page=latest_page(result))
        (folder / "index.html").write_text(text, encoding="utf-8", newline="\n")


def _converted(history: History, results: Sequence[DatasetResult]) -> dict[str, tuple[str, int]]:
    """Return the sha256 of the files this build converted, so they are not read again.

    Files of versions already published are left out: those were linked from the site,
    and hashing them again is what proves they did not change.
    """
    frozen = {o.path for versions in history.versions.values() for v in versions for o in v.outputs}
    return {
        o.path: (o.sha256, o.bytes)
        for r in results
        for c in r.conversions
        for o in c.outputs
        if o.path not in frozen
    }


def _files_of(files: dict[str, tuple[str, int]], prefix: str) -> tuple[Output, ...]:
    """Return the files under a version's folder as outputs; the format is the suffix."""
    return tuple(
        Output(path.rsplit("/", 1)[1].split(".", 1)[-1], path, size, digest)
        for path, (digest, size) in sorted(files.items())
        if path.startswith(prefix)
    )


def latest_page(result: DatasetResult) -> LatestPage:
    """Return the latest/ page's context: the dataset's current version and its files."""
    dataset = result.dataset
    version = next(v for v in result.versions if v.version == dataset.version)
    here = f"{dataset.id}/{LATEST}"
    return LatestPage(
        title=dataset.title.get("id"),
        version=dataset.version,
        target=f"../index.html#version-{dataset.version}",
        files=tuple(
            LatestFile(posixpath.basename(o.path), posixpath.relpath(o.path, here), o.sha256)
            for o in version.outputs
        ),
    )


def _unchanged(history: History, files: dict[str, tuple[str, int]]) -> list[Problem]:
    """Return a problem for every recorded version file the release would not carry as is."""
    found = []
    for versions in history.versions.values():
        for version in versions:
            for output in version.outputs:
                if files.get(output.path) != (output.sha256, output.bytes):
                    found.append(_mismatch(output.path, version.version, "no longer matches"))
    return found


def _mismatch(path: str, version: str, what: str) -> Problem:
    message = f"version {version}'s file {what} its recorded sha256."
    if what == "is missing":
        message = f"version {version}'s file is missing from the published site."
    hint = "Run `opendata verify` on the published site, then `opendata rollback`; nothing was published."
    return problem("release-mismatch", path, message, hint=hint)
