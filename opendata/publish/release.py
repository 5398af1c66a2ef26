"""Merge a fresh build into a published site's history: versions never change.

A dataset's files live under `<agency>/<dataset>/<version>/`. A version already
published must come from the same raw files and give the same data files again, or the
release is refused with a request to bump the version. A new version gets a changelog
computed from the data against the version the site showed until now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.models import Change, Dataset, DatasetResult, Output, Problem, Version
from opendata.publish.changelog import changelog
from opendata.publish.history import History, sha256

VERSION_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
LATEST = "latest"  # the folder of each dataset that points to its newest version


def check_versions(history: History, results: Iterable[DatasetResult]) -> list[Problem]:
    """Return a problem per unusable version name or raw file changed under a published version."""
    found = []
    for result in results:
        dataset = result.dataset
        place = _place(dataset)
        if not VERSION_NAME.fullmatch(dataset.version) or dataset.version == LATEST:
            message = _(
                'version "{version}" cannot be a folder name of the site.', version=dataset.version
            )
            hint = _(
                'Use letters, digits, ".", "-" and "_" only (for example 2024.1), not "latest".'
            )
            found.append(problem("invalid-value", place, message, hint=hint))
            continue
        recorded = _recorded(history, dataset)
        withdrawn = _withdrawn(history, dataset) if recorded is None else None
        earlier = recorded or withdrawn
        if earlier is None:
            continue
        before, now = dict(earlier.inputs), dict(inputs(dataset))
        changed = sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n))
        if changed:
            files = ", ".join(changed)
            message = _(
                'version "{version}" is already published, but the raw files changed ({files}).',
                version=dataset.version,
                files=files,
            )
            if withdrawn is not None:
                message = _(
                    'version "{version}" is already published, but it was withdrawn by a '
                    "rollback after release {release}, and the raw files changed ({files}).",
                    version=dataset.version,
                    release=withdrawn.release,
                    files=files,
                )
            found.append(_version_changed(dataset, message))
    return found


def inputs(dataset: Dataset) -> tuple[tuple[str, str], ...]:
    """Return each raw file of the dataset, relative to its folder, with its sha256."""
    return tuple(sorted((r.relpath, sha256(r.path)) for r in dataset.resources))


def release(
    history: History,
    results: Sequence[DatasetResult],
    *,
    site: Path,
    staging: Path,
    when: datetime,
) -> tuple[DatasetResult, ...]:
    """Return the results with their versions, newest first, each new one with its changelog."""
    number, date = history.number + 1, when.strftime("%Y-%m-%d")
    done, found = [], []
    for result in results:
        dataset = result.dataset
        outputs = tuple(o for c in result.conversions for o in c.outputs)
        recorded = _recorded(history, dataset)
        if recorded is not None:
            found.extend(_changed_outputs(dataset, recorded, outputs))
            version = recorded
        else:
            if (withdrawn := _withdrawn(history, dataset)) is not None:
                found.extend(_changed_outputs(dataset, withdrawn, outputs))
            previous = _latest(history, dataset.id)
            changes = _changes(dataset, previous, outputs, site, staging) if previous else None
            version = Version(dataset.version, number, date, outputs, inputs(dataset), changes)
        earlier = [v for v in history.versions.get(dataset.id, ()) if v.version != version.version]
        ordered = sorted([*earlier, version], key=lambda v: v.release, reverse=True)
        done.append(replace(result, versions=tuple(ordered)))
    if found:
        raise OpendataError(found)
    return tuple(done)


def _recorded(history: History, dataset: Dataset) -> Version | None:
    versions = history.versions.get(dataset.id, ())
    return next((v for v in versions if v.version == dataset.version), None)


def _withdrawn(history: History, dataset: Dataset) -> Version | None:
    """Return the version of this name a rollback withdrew, the most recent one, if any."""
    versions = history.withdrawn.get(dataset.id, ())
    return next((v for v in reversed(versions) if v.version == dataset.version), None)


def _latest(history: History, dataset_id: str) -> Version | None:
    """Return the version the current release shows, which the new one is compared with."""
    versions = history.versions.get(dataset_id, ())
    shown = history.releases[-1].datasets.get(dataset_id) if history.releases else None
    return next((v for v in versions if v.version == shown), versions[-1] if versions else None)


def _changed_outputs(
    dataset: Dataset, recorded: Version, outputs: tuple[Output, ...]
) -> list[Problem]:
    """Refuse a data file of this version that would now get other bytes.

    A new file (a format added to the tool) is allowed: no published URL changes.
    """
    before = {o.path: o.sha256 for o in recorded.outputs}
    changed = sorted(
        PurePosixPath(o.path).name
        for o in outputs
        if o.path in before and before[o.path] != o.sha256
    )
    if not changed:
        return []
    message = _(
        'version "{version}" is already published, but its published files would change ({files}).',
        version=dataset.version,
        files=", ".join(changed),
    )
    return [_version_changed(dataset, message)]


def _version_changed(dataset: Dataset, message: str) -> Problem:
    hint = _(
        "Published files never change under their link: set a new version in "
        "datapackage.yaml (for example {next}), then publish again.",
        next=_next(dataset.version),
    )
    return problem("version-changed", _place(dataset), message, hint=hint)


def _next(version: str) -> str:
    """Suggest the version after `version`: its last number plus one."""
    match = re.search(r"(\d+)(\D*)$", version)
    if not match:
        return f"{version}.1"
    start, end = match.span(1)
    return f"{version[:start]}{int(match.group(1)) + 1}{version[end:]}"


def _changes(
    dataset: Dataset, previous: Version, outputs: tuple[Output, ...], site: Path, staging: Path
) -> tuple[Change, ...]:
    """Compare each resource's Parquet file with the previous version's."""
    old = {_resource(o): site / o.path for o in previous.outputs if o.format == "parquet"}
    new = {_resource(o): staging / o.path for o in outputs if o.format == "parquet"}
    keys = {r.name: r.schema.get("primaryKey") or [] for r in dataset.resources}
    changes = []
    for name in sorted(old.keys() | new.keys()):
        key = keys.get(name, [])
        key = [key] if isinstance(key, str) else list(key)
        changes.append(changelog(old.get(name), new.get(name), resource=name, key=key))
    return tuple(changes)


def _resource(output: Output) -> str:
    return PurePosixPath(output.path).name.rsplit(".", 1)[0]


def _place(dataset: Dataset) -> str:
    """Return the descriptor's path as the user knows it: datasets/<agency>/<dataset>/…."""
    return PurePosixPath(*dataset.descriptor_path.parts[-4:]).as_posix()
