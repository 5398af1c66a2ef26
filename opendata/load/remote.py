"""Resources given as URLs: refused unless --allow-remote names the host, then downloaded."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from opendata.errors import problem
from opendata.fetch import Refused, Remote, check_url, fetch
from opendata.i18n import _
from opendata.load.paths import file_format
from opendata.load.yaml import Doc
from opendata.models import Problem


def check_remote(doc: Doc, item: dict, i: int, remote: Remote | None) -> list[Problem]:
    """Return the problems of a URL resource before anything is fetched."""
    url = item["path"]
    line = doc.line(("resources", i, "path"))
    try:
        check_url(url, remote or Remote())
    except Refused as exc:
        return [_problem(doc, url, line, exc)]
    if not (item.get("format") or url_format(url)):
        message = _('"{url}" does not end in .csv or .xlsx.', url=url)
        hint = _("Add format: csv (or xlsx) to the resource.")
        return [problem("unknown-format", doc.place, message, line=line, hint=hint)]
    return []


def download(
    doc: Doc, item: dict, i: int, remote: Remote | None
) -> tuple[Path | None, list[Problem]]:
    """Fetch a URL resource into a temporary file; return it, or the reason it was refused."""
    url = item["path"]
    name = f"{item['name']}.{item.get('format') or url_format(url)}"
    try:
        return fetch(url, remote or Remote(), name=name), []
    except Refused as exc:
        return None, [_problem(doc, url, doc.line(("resources", i, "path")), exc)]


def url_format(url: str) -> str:
    """Return "csv" or "xlsx" from the extension of the URL's path, or ""."""
    return file_format(urlsplit(url).path)


def _problem(doc: Doc, url: str, line: int | None, exc: Refused) -> Problem:
    slug = "remote-refused" if exc.allowed else "remote-not-allowed"
    message = _('path "{url}": {reason}', url=url, reason=exc.message)
    return problem(slug, doc.place, message, line=line, hint=exc.hint)
