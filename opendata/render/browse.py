"""The browse pages: every dataset with facet counts, and one listing per facet value.

The listings are prerendered, 50 datasets a page, so browsing works without JavaScript;
`static/browse.js` then filters every dataset in place and combines facets, from a
compact JSON of the whole listing (`browse/datasets.json`, written by `browse_data`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from opendata.models import DatasetResult
from opendata.render.context import BrowsePage, Facet, FacetValue
from opendata.render.facets import FACETS, item_facets
from opendata.render.frame import Site, dataset_items, meta
from opendata.render.links import PREFIXES, href, page_path
from opendata.render.locale import count_datasets
from opendata.render.pager import chunks, listing_parts, listing_path, pager
from opendata.render.quality import FRESHNESS

Index = dict[str, dict[str, tuple[str, list[DatasetResult]]]]  # facet → slug → (label, results)


def browse_pages(site: Site) -> list[BrowsePage]:
    """Return the full listing's pages, then those of every facet value's listing."""
    index = facet_index(site)
    pages = listing(site, index, None)
    for key in FACETS:
        for value in sorted(index[key]):
            pages.extend(listing(site, index, (key, value)))
    return pages


def listing(site: Site, index: Index, current: tuple[str, str] | None) -> list[BrowsePage]:
    """Return the pages of the listing of every dataset, or of those filed under `current`."""
    results = index[current[0]][current[1]][1] if current else site.results
    groups = chunks(by_title(site, results))
    return [
        browse_page(site, index, current, group, number=n, count=len(groups), total=len(results))
        for n, group in enumerate(groups, 1)
    ]


def browse_page(
    site: Site,
    index: Index,
    current: tuple[str, str] | None,
    results: Sequence[DatasetResult],
    *,
    number: int,
    count: int,
    total: int,
) -> BrowsePage:
    """Return page `number` of `count` of a listing."""
    t, lang = site.t, site.lang
    parts = ("browse", *current) if current else ("browse",)
    path = listing_path(lang, parts, number)
    if current:
        heading = t(
            "browse.filtered",
            facet=t(f"facet.{current[0]}"),
            value=index[current[0]][current[1]][0],
        )
    else:
        heading = t("browse.title")
    title = f"{heading} ({t('pager.status', page=number, pages=count)})" if number > 1 else heading
    section = "browse" if not current and number == 1 else ""
    frame = meta(site, listing_parts(parts, number), title, heading, section=section)
    if not current:  # the full listing filters in place, from the listing's JSON
        frame = replace(frame, scripts=(f"{frame.static}browse.js",))
    return BrowsePage(
        meta=frame,
        heading=heading,
        facets=facets(site, index, path, current),
        datasets=dataset_items(site, path, results, order=False),
        total=count_datasets(t, total),
        clear=href(path, page_path(lang, "browse")) if current else "",
        pager=pager(t, lang, path, parts, number, count),
        data="" if current else href(path, data_path(lang)),
    )


def by_title(site: Site, results: Iterable[DatasetResult]) -> list[DatasetResult]:
    """Return the datasets by title in the page's language, as every listing orders them."""
    lang = site.lang
    return sorted(results, key=lambda r: (r.dataset.title.get(lang).casefold(), r.dataset.id))


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


def data_path(lang: str) -> str:
    """Return the site-root path of the listing's JSON for `lang`."""
    return PREFIXES[lang] + "browse/datasets.json"


def browse_data(site: Site) -> str:
    """Return every dataset as compact JSON for browse.js: values as numbers, no excerpts.

    Each facet's values are listed once; a dataset is `[title, agency/name, modified,
    then per facet the numbers of its values]`, by title. Links are relative to the file.
    """
    index = facet_index(site)
    values = {key: {value: n for n, value in enumerate(sorted(index[key]))} for key in FACETS}
    items = []
    for result in by_title(site, site.results):
        dataset = result.dataset
        facet_values = item_facets(site, result)
        items.append(
            [dataset.title.get(site.lang), dataset.id, dataset.modified]
            + [[values[key][slug] for slug, _ in facet_values[key]] for key in FACETS]
        )
    agencies = {a.name: a.title.get(site.lang) for a in site.catalogue.agencies}
    labels = {state: site.t(f"freshness.{state}") for state in FRESHNESS}
    data = {
        "facets": {key: list(values[key]) for key in FACETS},
        "agencies": agencies,
        "freshness": labels,
        "datasets": items,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
