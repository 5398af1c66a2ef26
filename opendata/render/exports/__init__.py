"""Machine-readable exports: the catalogue for harvesters, crawlers and feed readers.

DCAT-AP 3 (`catalog.jsonld`, `catalog.ttl`), DCAT-US 1.1 (`data.json`), CSVW metadata
beside each CSV, `sitemap.xml`, Atom feeds and `robots.txt`. Files that must give
absolute URLs are written only when the portal declares its `base_url`.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from opendata.models import Catalogue, DatasetResult
from opendata.render.exports.csvw import csvw_metadata
from opendata.render.exports.dcat import catalog_jsonld, turtle
from opendata.render.exports.dcatus import data_json
from opendata.render.exports.feeds import atom, robots, sitemap
from opendata.render.exports.urls import Urls
from opendata.render.links import PREFIXES

__all__ = ["export", "feed_paths"]


def export(
    catalogue: Catalogue, results: Sequence[DatasetResult], *, out: Path, build_time: datetime
) -> None:
    """Write the machine-readable files into the site at `out`, after its pages."""
    ordered = tuple(sorted(results, key=lambda result: result.dataset.id))
    _write_csvw(ordered, out)
    base = catalogue.portal.base_url
    urls = Urls(base) if base else None
    _write(out / "robots.txt", robots(urls))
    if urls is None:
        return
    document = catalog_jsonld(catalogue, ordered, urls, build_time)
    _write(out / "catalog.jsonld", _json(document))
    _write(out / "catalog.ttl", turtle(document))
    _write(out / "data.json", _json(data_json(catalogue, ordered, urls)))
    _write_feeds(catalogue, ordered, urls, out, build_time.strftime("%Y-%m-%d"))
    _write(out / "sitemap.xml", sitemap(out, urls))


def feed_paths(lang: str, agency: str = "") -> str:
    """Return the site-root path of the site's feed, or of an agency's, in `lang`."""
    return posixpath.join(PREFIXES[lang] + agency, "feed.xml")


def _write_feeds(
    catalogue: Catalogue, results: tuple[DatasetResult, ...], urls: Urls, out: Path, built: str
) -> None:
    languages = [lang for lang in PREFIXES if lang == "id" or lang in catalogue.portal.languages]
    for lang in languages:
        portal = catalogue.portal.title.get(lang)
        path = feed_paths(lang)
        _write(out / path, atom(results, urls, lang=lang, title=portal, path=path, built=built))
        for agency in catalogue.agencies:
            mine = [r for r in results if r.dataset.agency == agency.name]
            path = feed_paths(lang, agency.name)
            title = f"{agency.title.get(lang)} — {portal}"
            _write(out / path, atom(mine, urls, lang=lang, title=title, path=path, built=built))


def _write_csvw(results: tuple[DatasetResult, ...], out: Path) -> None:
    for result in results:
        resources = {resource.name: resource for resource in result.dataset.resources}
        for conversion in result.conversions:
            for output in conversion.outputs:
                if output.format == "csv":
                    metadata = csvw_metadata(result.dataset, resources[conversion.resource], output)
                    _write(out / f"{output.path}-metadata.json", _json(metadata))


def _json(data: Any) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
