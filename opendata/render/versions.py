"""The dataset page's list of versions: when each was published, its files, its changes."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from opendata.models import Change, DatasetResult, Version
from opendata.render.links import href
from opendata.render.locale import Translate
from opendata.render.numbers import human_size, number


@dataclass(frozen=True)
class VersionFile:
    name: str
    href: str
    size: str
    sha256: str


@dataclass(frozen=True)
class VersionView:
    """One published version, newest first on the page."""

    version: str
    anchor: str  # the id the dataset's latest/ page links to
    published: str  # YYYY-MM-DD
    latest: bool
    changes: tuple[str, ...]  # sentences in the page's language
    files: tuple[VersionFile, ...]


def version_views(
    result: DatasetResult, *, path: str, lang: str, t: Translate
) -> tuple[VersionView, ...]:
    """Return the dataset's versions as the page shows them; empty for a plain build."""
    return tuple(
        VersionView(
            version=v.version,
            anchor=f"version-{v.version}",
            published=v.published,
            latest=v.version == result.dataset.version,
            changes=changes_text(v, lang=lang, t=t),
            files=tuple(
                VersionFile(
                    posixpath.basename(o.path),
                    href(path, o.path),
                    human_size(o.bytes, lang),
                    o.sha256,
                )
                for o in v.outputs
            ),
        )
        for v in result.versions
    )


def changes_text(version: Version, *, lang: str, t: Translate) -> tuple[str, ...]:
    """Describe a version's changes from the one before, one sentence per fact."""
    if version.changes is None:
        return (t("versions.first"),)
    lines: list[str] = []
    for change in version.changes:
        lines.extend(_change_text(change, lang, t))
    return tuple(lines)


def _change_text(change: Change, lang: str, t: Translate) -> list[str]:
    name = change.resource
    if change.status == "added":
        return [t("change.added", resource=name, rows=number(change.rows_added, lang))]
    if change.status == "removed":
        return [t("change.removed", resource=name)]
    counts = {
        "added": number(change.rows_added, lang),
        "removed": number(change.rows_removed, lang),
    }
    if change.rows_changed is None:
        lines = [t("change.rows_unkeyed", resource=name, **counts)]
    else:
        changed = number(change.rows_changed, lang)
        lines = [t("change.rows", resource=name, changed=changed, **counts)]
    if change.columns_added:
        columns = ", ".join(change.columns_added)
        lines.append(t("change.columns_added", resource=name, columns=columns))
    if change.columns_removed:
        columns = ", ".join(change.columns_removed)
        lines.append(t("change.columns_removed", resource=name, columns=columns))
    for column, old, new in change.columns_retyped:
        lines.append(t("change.column_retyped", resource=name, column=column, old=old, new=new))
    return lines
