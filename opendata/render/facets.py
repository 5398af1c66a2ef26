"""The facets a dataset is filed under on the browse pages: agency, theme, format, …"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from opendata.models import DatasetResult, Text
from opendata.render.datapackage import licenses_of
from opendata.render.quality import freshness

if TYPE_CHECKING:
    from opendata.render.frame import Site

FACETS = ("agency", "theme", "format", "license", "freshness", "year")
FORMAT_LABELS = {"csv": "CSV", "parquet": "Parquet", "json": "JSON", "xlsx": "XLSX"}
MAX_YEARS = 30  # a coverage longer than this is filed under its last years only

Values = tuple[tuple[str, str], ...]  # (slug, label) pairs


def item_facets(site: Site, result: DatasetResult) -> dict[str, Values]:
    """Return the (slug, label) values of each facet for one dataset."""
    dataset, lang = result.dataset, site.lang
    agency = site.catalogue.agency(dataset.agency)
    formats = sorted({o.format for c in result.conversions for o in c.outputs}, key=_format_order)
    licences = licenses_of(dataset, site.catalogue.portal)
    state = freshness(dataset, site.today).state
    return {
        "agency": ((agency.name, agency.title.get(lang)),),
        "theme": _unique((theme_slug(theme), theme.get(lang)) for theme in dataset.themes),
        "format": tuple((f, FORMAT_LABELS.get(f, f.upper())) for f in formats),
        "license": _unique(
            (slug(lic.name or lic.title or lic.path), lic.name or lic.title) for lic in licences
        ),
        "freshness": ((state, site.t(f"freshness.{state}")),),
        "year": tuple((year, year) for year in years(dataset.temporal, dataset.modified)),
    }


def years(temporal: tuple[str, str], modified: str) -> tuple[str, ...]:
    """Return the years a dataset covers, or the year it was modified when it says none."""
    start, end = (value[:4] for value in temporal)
    if not start.isdigit():
        start = end if end.isdigit() else modified[:4]
    if not end.isdigit():
        end = start
    if not start.isdigit():
        return ()
    first, last = sorted((int(start), int(end)))
    return tuple(str(year) for year in range(max(first, last - MAX_YEARS + 1), last + 1))


def slug(text: str) -> str:
    """Return a URL-safe name for a facet value: "Kesehatan Ibu" → "kesehatan-ibu"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")[:60]
    return name or "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def theme_slug(theme: Text) -> str:
    """Return a theme's slug, from its Indonesian text.

    So a theme's browse page has the same address in both languages, and keeps it when a
    plain-string theme is given an English name.
    """
    return slug(theme.get("id"))


def _unique(pairs: Iterable[tuple[str, str]]) -> Values:
    seen: dict[str, str] = {}
    for key, label in pairs:
        seen.setdefault(key, label)
    return tuple(seen.items())


def _format_order(name: str) -> int:
    order = list(FORMAT_LABELS)
    return order.index(name) if name in order else len(order)
