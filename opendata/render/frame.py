"""What every page is built from: the site of one language, the page frame, dataset lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from opendata.models import Agency, Catalogue, Contact, DatasetResult
from opendata.render.context import NO_MARKUP, Alternate, ContactView, DatasetItem, Link, Meta
from opendata.render.links import href, mailto, page_path
from opendata.render.locale import LANGUAGE_NAMES, Translate
from opendata.render.markdown import excerpt
from opendata.render.quality import freshness

FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")
SECTIONS = (("browse", "nav.browse"), ("quality", "nav.quality"))  # the header's links
TOP_LEVEL = ("browse", "search", "quality")  # page folders that are not agencies


@dataclass(frozen=True)
class Site:
    """What every page of one language is built from."""

    catalogue: Catalogue
    results: tuple[DatasetResult, ...]  # published, sorted by dataset id
    lang: str
    languages: tuple[str, ...]
    t: Translate
    build_date: str
    skipped: tuple[DatasetResult, ...] = ()  # refused by validation, not published

    @property
    def today(self) -> date:
        return date.fromisoformat(self.build_date)

    def agencies(self) -> list[Agency]:
        """Return the agencies sorted by their name in the page's language."""
        lang = self.lang
        return sorted(self.catalogue.agencies, key=lambda a: (a.title.get(lang).casefold(), a.name))

    def result(self, dataset_id: str) -> DatasetResult:
        return next(r for r in self.results if r.dataset.id == dataset_id)


def meta(
    site: Site, parts: tuple[str, ...], title: str, description: str, *, section: str = ""
) -> Meta:
    """Return the page frame; `parts` are the page's folders below the language root."""
    portal, lang = site.catalogue.portal.title.get(site.lang), site.lang
    path = page_path(lang, *parts)
    alternates = tuple(
        Alternate(other, LANGUAGE_NAMES[other], href(path, page_path(other, *parts)), other == lang)
        for other in site.languages
    )
    return Meta(
        lang=lang,
        path=path,
        title=f"{title} — {portal}" if title else portal,
        description=description,
        portal=portal,
        home=href(path, page_path(lang)),
        static=href(path, "static") + "/",
        alternates=alternates,
        switch=tuple(alternate for alternate in alternates if not alternate.current),
        crumbs=crumbs(site, path, parts),
        sample=site.catalogue.portal.sample,
        publisher=site.catalogue.portal.publisher,
        build_date=site.build_date,
        nav=tuple(
            Link(site.t(key), "" if name == section else href(path, page_path(lang, name)))
            for name, key in SECTIONS
        ),
        search=href(path, page_path(lang, "search")),
        style=NO_MARKUP,
    )


def crumbs(site: Site, path: str, parts: tuple[str, ...]) -> tuple[Link, ...]:
    """Return the links to the pages above this one: home, agency, dataset."""
    lang = site.lang
    found = [Link(site.t("nav.home"), href(path, page_path(lang)))] if parts else []
    if parts and parts[0] in TOP_LEVEL:
        if len(parts) > 1:
            found.append(Link(site.t(f"nav.{parts[0]}"), href(path, page_path(lang, parts[0]))))
        return tuple(found)
    if len(parts) > 1:
        found.append(agency_link(site, path, site.catalogue.agency(parts[0])))
    if len(parts) > 2:  # a validation report: its dataset
        dataset = site.result("/".join(parts[:2])).dataset
        found.append(Link(dataset.title.get(lang), href(path, page_path(lang, *parts[:2]))))
    return tuple(found)


def dataset_items(
    site: Site, path: str, results: Iterable[DatasetResult], *, order: bool = True
) -> tuple[DatasetItem, ...]:
    """Return the datasets as list entries, by title in the page's language unless `order`."""
    lang = site.lang
    if order:
        results = sorted(
            results, key=lambda r: (r.dataset.title.get(lang).casefold(), r.dataset.id)
        )
    return tuple(dataset_item(site, path, result) for result in results)


def dataset_item(site: Site, path: str, result: DatasetResult) -> DatasetItem:
    dataset, lang = result.dataset, site.lang
    state = freshness(dataset, site.today).state
    return DatasetItem(
        title=Link(
            dataset.title.get(lang), href(path, page_path(lang, dataset.agency, dataset.name))
        ),
        agency=agency_link(site, path, site.catalogue.agency(dataset.agency)),
        excerpt=excerpt(dataset.description.get(lang)),
        modified=dataset.modified,
        freshness=state,
        freshness_label=site.t(f"freshness.{state}"),
    )


def agency_link(site: Site, path: str, agency: Agency) -> Link:
    return Link(agency.title.get(site.lang), href(path, page_path(site.lang, agency.name)))


def contact_view(contact: Contact) -> ContactView | None:
    if not (contact.name or contact.email):
        return None
    return ContactView(name=contact.name, email=contact.email, href=mailto(contact.email))


def frequency_text(t: Translate, frequency: str) -> str:
    return t(f"frequency.{frequency}") if frequency in FREQUENCIES else frequency


def period(start: str, end: str) -> str:
    """Return "start – end", keeping the dash when one end is open."""
    return f"{start} – {end}".strip(" ") if start or end else ""
