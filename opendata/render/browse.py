"""The browse pages: every dataset with facet counts, and one listing per facet value.

The listings are prerendered so browsing works without JavaScript; `static/browse.js`
then filters the full listing in place and combines facets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from opendata.models import DatasetResult
from opendata.render.context import BrowsePage, Facet, FacetValue
from opendata.render.facets import FACETS, item_facets
from opendata.render.frame import Site, dataset_items, meta
from opendata.render.links import href, page_path
from opendata.render.locale import count_datasets
from opendata.render.quality import FRESHNESS

Index = dict[str, dict[str, tuple[str, list[DatasetResult]]]]  # facet → slug → (label, results)


def browse_pages(site: Site) -> list[BrowsePage]:
    """Return the full listing, then one page per value of every facet."""
    index = facet_index(site)
    pages = [browse_page(site, index, None)]
    for key in FACETS:
        pages.extend(browse_page(site, index, (key, value)) for value in sorted(index[key]))
    return pages


def browse_page(site: Site, index: Index, current: tuple[str, str] | None) -> BrowsePage:
    """Return the listing of every dataset, or of those filed under `current`."""
    t, lang = site.t, site.lang
    parts = ("browse", *current) if current else ("browse",)
    path = page_path(lang, *parts)
    if current:
        label, results = index[current[0]][current[1]]
        heading = t("browse.filtered", facet=t(f"facet.{current[0]}"), value=label)
    else:
        results, heading = list(site.results), t("browse.title")
    frame = meta(site, parts, heading, heading, section="" if current else "browse")
    if not current:  # the full listing filters in place
        frame = replace(frame, scripts=(f"{frame.static}browse.js",))
    return BrowsePage(
        meta=frame,
        heading=heading,
        facets=facets(site, index, path, current),
        datasets=dataset_items(site, path, results),
        total=count_datasets(t, len(results)),
        clear=href(path, page_path(lang, "browse")) if current else "",
    )


def facets(
    site: Site, index: Index, path: str, current: tuple[str, str] | None
) -> tuple[Facet, ...]:
    """Return each facet with its values, counted over the whole catalogue."""
    found = []
    for key in FACETS:
        values = tuple(
            FacetValue(
                label=label,
                slug=value,
                count=len(results),
                href=href(path, page_path(site.lang, "browse", key, value)),
                current=current == (key, value),
            )
            for value, (label, results) in _ordered(key, index[key])
        )
        if values:
            found.append(Facet(key, site.t(f"facet.{key}"), values))
    return tuple(found)


def facet_index(site: Site) -> Index:
    """Return, for each facet and value, its label and datasets."""
    index: Index = {key: {} for key in FACETS}
    labels: dict[tuple[str, str], str] = {}
    members: dict[tuple[str, str], list[DatasetResult]] = defaultdict(list)
    for result in site.results:
        for key, values in item_facets(site, result).items():
            for value, label in values:
                labels.setdefault((key, value), label)
                members[key, value].append(result)
    for (key, value), label in labels.items():
        index[key][value] = (label, members[key, value])
    return index


def theme_values(site: Site, path: str) -> tuple[FacetValue, ...]:
    """Return the themes with their counts and listing pages, for the home page."""
    themes = facet_index(site)["theme"]
    return tuple(
        FacetValue(
            label, value, len(results), href(path, page_path(site.lang, "browse", "theme", value))
        )
        for value, (label, results) in _ordered("theme", themes)
    )


def _ordered(
    key: str, values: dict[str, tuple[str, list[DatasetResult]]]
) -> Iterable[tuple[str, tuple[str, list[DatasetResult]]]]:
    """Return years newest first, freshness in its own order, the rest by count then name."""
    items = list(values.items())
    if key == "year":
        return sorted(items, reverse=True)
    if key == "freshness":
        return sorted(items, key=lambda item: FRESHNESS.index(item[0]))
    return sorted(items, key=lambda item: (-len(item[1][1]), item[1][0].casefold(), item[0]))
