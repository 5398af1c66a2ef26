"""Keep every path a descriptor names inside its dataset folder."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from opendata.i18n import _

FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx"}
RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
MAX_NAME = 255
# Site folders an agency's folder would collide with, and dataset folders a version would.
SITE_FOLDERS = frozenset(
    ("en", "id", "static", "browse", "search", "quality", "pagefind", "latest", "api", "assets")
)
DATASET_FOLDERS = frozenset(("validation", "latest", "versions", "static"))
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")


def unsafe_reason(relpath: str) -> str:
    """Say why a descriptor path may not be used, or return "" when it is fine.

    Checked on the text alone, before anything is opened, so a hostile path never
    reaches the file system.
    """
    if "://" in relpath or relpath.startswith("//"):
        return _("remote resources are not supported; copy the file into the dataset folder")
    if "\\" in relpath:
        return _('backslashes are not allowed; use "/" between folders')
    if unquote(relpath) != relpath:
        return _("percent-encoded characters are not allowed in paths")
    if relpath.startswith("/") or re.match(r"^[A-Za-z]:", relpath):
        return _("absolute paths are not allowed")
    parts = PurePosixPath(relpath).parts
    if any(part == ".." for part in parts):
        return _('".." leads out of the dataset folder')
    for part in parts:
        if part.startswith("."):
            return _('hidden names such as "{name}" are not allowed', name=part)
        if RESERVED.match(part):
            return _('"{name}" is a reserved name on Windows', name=part)
        if len(part.encode()) > MAX_NAME:
            return _("a name in the path is longer than 255 bytes")
    if "\x00" in relpath or not parts:
        return _("the path is empty or has a NUL character")
    return ""


def escapes(folder: Path, relpath: str) -> str:
    """Say whether the existing path leaves `folder` through a symlink, or return ""."""
    current = folder
    for part in PurePosixPath(relpath).parts:
        current = current / part
        if current.is_symlink():
            return _('"{path}" is a symbolic link', path=current.relative_to(folder))
    try:
        (folder / relpath).resolve().relative_to(folder.resolve())
    except ValueError:
        return _("the path leads out of the dataset folder")
    return ""


def file_format(relpath: str) -> str:
    """Return "csv" or "xlsx" from the file's extension, or "" when unknown."""
    return FORMATS.get(PurePosixPath(relpath).suffix.lower(), "")


def unsafe_version(version: str) -> str:
    """Say why a dataset version cannot be a folder of download URLs, or return ""."""
    if not VERSION.match(version) or ".." in version:
        return _("use letters, digits, dots and hyphens only (for example 2024.1 or 1.2.0)")
    if version.lower() in DATASET_FOLDERS or RESERVED.match(version):
        return _('"{version}" is a name the site itself uses', version=version)
    return ""


def site_collision(agency: str) -> str:
    """Say why an agency folder's name would collide with the site's own folders, or ""."""
    if agency in SITE_FOLDERS:
        return _(
            '"{agency}" is a folder of the site itself (the English pages, assets, search)',
            agency=agency,
        )
    return ""
