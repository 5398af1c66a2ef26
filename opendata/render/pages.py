"""Every page of one language, computed: home, browse, search, quality, agencies, datasets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from markupsafe import Markup

from opendata.models import Agency, DatasetResult
from opendata.render.browse import browse_pages, by_title, theme_values
from opendata.render.context import (
    AgencyItem,
    AgencyPage,
    IndexPage,
    Link,
    Meta,
    NotFoundPage,
    Page,
    SearchPage,
    Stat,
)
from opendata.render.dataset import dataset_page
from opendata.render.frame import (
    SECTIONS,
    Site,
    agency_link,
    contact_view,
    dataset_items,
    meta,
)
from opendata.render.links import external, href, page_path
from opendata.render.locale import count_datasets
from opendata.render.markdown import excerpt, markdown
from opendata.render.numbers import number
from opendata.render.pager import chunks, pager
from opendata.render.quality import score
from opendata.render.report import report_pages
from opendata.render.scores import quality_page, scorecard
from opendata.render.search import filter_values

RECENT = 5  # datasets in the home page's "recently updated" list


def pages(
    site: Site, *, style: str = "", datasets: Sequence[DatasetResult] | None = None
) -> list[Page]:
    """Return every page of the site in the site's language; `style` is the 404 page's CSS.

    `datasets` limits the dataset pages to those (the others' are reused from the cache).
    """
    found: list[Page] = [index_page(site), *browse_pages(site), search_page(site)]
    found.append(quality_page(site))
    found.extend(agency_page(site, agency) for agency in site.agencies())
    for result in site.results if datasets is None else datasets:
        found.append(dataset_page(site, result))
        found.extend(report_pages(site, result))
    found.append(not_found_page(site, style))
    return found


def index_page(site: Site) -> IndexPage:
    portal, lang, t = site.catalogue.portal, site.lang, site.t
    path = page_path(lang)
    counts = Counter(result.dataset.agency for result in site.results)
    recent = sorted(site.results, key=lambda r: (r.dataset.modified, r.dataset.id), reverse=True)
    browse = href(path, page_path(lang, "browse"))
    stats = (
        Stat(t("index.stat.datasets"), number(len(site.results), lang), browse),
        Stat(t("index.stat.agencies"), number(len(counts), lang), "#agencies"),
        Stat(
            t("index.stat.tables"),
            number(sum(len(r.dataset.resources) for r in site.results), lang),
        ),
    )
    return IndexPage(
        meta=meta(site, (), "", portal.tagline.get(lang) or portal.title.get(lang)),
        tagline=portal.tagline.get(lang),
        stats=stats,
        recent=dataset_items(site, path, recent[:RECENT], order=False),
        agencies=tuple(
            AgencyItem(agency_link(site, path, a), count_datasets(t, counts[a.name]))
            for a in site.agencies()
        ),
        themes=theme_values(site, path),
        browse=browse,
    )


def search_page(site: Site) -> SearchPage:
    """Return the search page: a form, and the browse listing's first page for browsers without JS."""
    path = page_path(site.lang, "search")
    title = site.t("search.title")
    frame = meta(site, ("search",), title, title, section="search")
    groups = chunks(by_title(site, site.results))
    first = groups[0]  # the rest: the browse listing's further pages
    return SearchPage(
        meta=replace(frame, scripts=(f"{frame.static}search.js",)),  # Pagefind's JS API
        datasets=dataset_items(site, path, first, order=False),
        filters=filter_values(site),
        pager=pager(site.t, site.lang, path, ("browse",), 1, len(groups)),
    )


def agency_page(site: Site, agency: Agency) -> AgencyPage:
    lang, t = site.lang, site.t
    path = page_path(lang, agency.name)
    title = agency.title.get(lang)
    description = agency.description.get(lang)
    published = [r for r in site.results if r.dataset.agency == agency.name]
    refused = [r for r in site.skipped if r.dataset.agency == agency.name]
    summary = excerpt(description) or t("agency.meta", agency=title)
    return AgencyPage(
        meta=meta(site, (agency.name,), title, summary),
        title=title,
        description=markdown(description),
        website=Link(agency.website, external(agency.website)) if agency.website else None,
        contact=contact_view(agency.contact),
        datasets=dataset_items(site, path, published),
        scorecard=scorecard(
            site, score([*published, *refused], site.today, portal=site.catalogue.portal)
        ),
    )


def not_found_page(site: Site, style: str) -> NotFoundPage:
    """Return the 404 page: hosts serve it at any depth, so its CSS is inline.

    Its links are absolute when the portal's base_url is known, else relative to the
    site root, where static hosts look for 404.html.
    """
    lang, t = site.lang, site.t
    base = site.catalogue.portal.base_url.rstrip("/")
    path = page_path(lang).removesuffix("index.html") + "404.html"

    def url(target: str) -> str:
        return f"{base}/{target}" if base else href(path, target)

    frame = meta(site, (), t("notfound.title"), t("notfound.title"))
    alternates = tuple(
        replace(a, href=url(page_path(a.lang).removesuffix("index.html") + "404.html"))
        for a in frame.alternates
    )
    frame = replace(
        frame,
        path=path,
        home=url(page_path(lang)),
        alternates=alternates,
        switch=tuple(a for a in alternates if not a.current),
        nav=tuple(replace(link, href=url(page_path(lang, n))) for link, n in _sections(frame)),
        search=url(page_path(lang, "search")),
        style=Markup(style),
    )
    links = (Link(t("nav.home"), frame.home), *frame.nav)
    return NotFoundPage(meta=frame, links=links)


def _sections(frame: Meta) -> list[tuple[Link, str]]:
    """Return the header's links with the folder each points at."""
    return [(link, name) for link, (name, _) in zip(frame.nav, SECTIONS, strict=True)]
