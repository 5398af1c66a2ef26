"""Build the typed context of every page of one language: the site's content, computed."""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from opendata.models import Agency, Catalogue, Contact, Conversion, DatasetResult, Report, Resource
from opendata.render.context import (
    AgencyItem,
    AgencyPage,
    Alternate,
    ContactView,
    DatasetItem,
    DatasetPage,
    Download,
    IndexPage,
    Link,
    Meta,
    Page,
    ResourceView,
    Validation,
)
from opendata.render.datapackage import licenses_of, published_schema
from opendata.render.links import external, href, mailto, page_path
from opendata.render.locale import LANGUAGE_NAMES, Translate, count_datasets
from opendata.render.markdown import excerpt, markdown
from opendata.render.numbers import human_size, number
from opendata.render.schema import field_rows

FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")
FORMAT_LABELS = {"csv": "CSV", "parquet": "Parquet", "json": "JSON", "xlsx": "XLSX"}


@dataclass(frozen=True)
class Site:
    """What every page of one language is built from."""

    catalogue: Catalogue
    results: tuple[DatasetResult, ...]  # sorted by dataset id
    lang: str
    languages: tuple[str, ...]
    t: Translate
    build_date: str


def pages(site: Site) -> list[Page]:
    """Return the home page, every agency's page and every published dataset's page."""
    agencies = sorted(site.catalogue.agencies, key=lambda agency: agency.name)
    return [
        index_page(site),
        *(agency_page(site, agency) for agency in agencies),
        *(dataset_page(site, result) for result in site.results),
    ]


def index_page(site: Site) -> IndexPage:
    portal, lang = site.catalogue.portal, site.lang
    path = page_path(lang)
    counts = Counter(result.dataset.agency for result in site.results)
    agencies = sorted(site.catalogue.agencies, key=lambda a: (a.title.get(lang).casefold(), a.name))
    return IndexPage(
        meta=meta(site, (), "", portal.tagline.get(lang) or portal.title.get(lang)),
        tagline=portal.tagline.get(lang),
        datasets=dataset_items(site, path, site.results),
        agencies=tuple(
            AgencyItem(agency_link(site, path, a), count_datasets(site.t, counts[a.name]))
            for a in agencies
        ),
    )


def agency_page(site: Site, agency: Agency) -> AgencyPage:
    lang, t = site.lang, site.t
    path = page_path(lang, agency.name)
    title = agency.title.get(lang)
    description = agency.description.get(lang)
    published = [result for result in site.results if result.dataset.agency == agency.name]
    return AgencyPage(
        meta=meta(
            site, (agency.name,), title, excerpt(description) or t("agency.meta", agency=title)
        ),
        title=title,
        description=markdown(description),
        website=Link(agency.website, external(agency.website)) if agency.website else None,
        contact=contact_view(agency.contact),
        datasets=dataset_items(site, path, published),
    )


def dataset_page(site: Site, result: DatasetResult) -> DatasetPage:
    dataset, lang = result.dataset, site.lang
    path = page_path(lang, dataset.agency, dataset.name)
    title = dataset.title.get(lang)
    description = dataset.description.get(lang)
    licenses = licenses_of(dataset, site.catalogue.portal)
    return DatasetPage(
        meta=meta(site, (dataset.agency, dataset.name), title, excerpt(description) or title),
        title=title,
        description=markdown(description),
        agency=agency_link(site, path, site.catalogue.agency(dataset.agency)),
        contact=contact_view(dataset.contact),
        licenses=tuple(
            Link(lic.title or lic.name or lic.path, external(lic.path)) for lic in licenses
        ),
        frequency=frequency_text(site.t, dataset.frequency),
        version=dataset.version,
        modified=dataset.modified,
        temporal=period(*dataset.temporal),
        spatial=dataset.spatial,
        keywords=dataset.keywords,
        themes=dataset.themes,
        resources=tuple(resource_view(site, path, result, res) for res in dataset.resources),
        datapackage=href(path, f"{dataset.agency}/{dataset.name}/datapackage.json"),
    )


def meta(site: Site, parts: tuple[str, ...], title: str, description: str) -> Meta:
    """Return the page frame; `parts` are the page's folders below the language root."""
    portal, lang = site.catalogue.portal.title.get(site.lang), site.lang
    path = page_path(lang, *parts)
    alternates = tuple(
        Alternate(other, LANGUAGE_NAMES[other], href(path, page_path(other, *parts)), other == lang)
        for other in site.languages
    )
    # Breadcrumbs: home, then each folder above this page.
    crumbs = [Link(site.t("nav.home"), href(path, page_path(lang)))] if parts else []
    if len(parts) > 1:
        crumbs.append(agency_link(site, path, site.catalogue.agency(parts[0])))
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
        crumbs=tuple(crumbs),
        sample=site.catalogue.portal.sample,
        publisher=site.catalogue.portal.publisher,
        build_date=site.build_date,
    )


def dataset_items(
    site: Site, path: str, results: Iterable[DatasetResult]
) -> tuple[DatasetItem, ...]:
    """Return the datasets as list entries, sorted by title in the page's language."""
    lang = site.lang
    ordered = sorted(results, key=lambda r: (r.dataset.title.get(lang).casefold(), r.dataset.id))
    return tuple(
        DatasetItem(
            title=Link(
                r.dataset.title.get(lang),
                href(path, page_path(lang, r.dataset.agency, r.dataset.name)),
            ),
            agency=agency_link(site, path, site.catalogue.agency(r.dataset.agency)),
            excerpt=excerpt(r.dataset.description.get(lang)),
            modified=r.dataset.modified,
        )
        for r in ordered
    )


def resource_view(site: Site, path: str, result: DatasetResult, resource: Resource) -> ResourceView:
    lang = site.lang
    conversion = next((c for c in result.conversions if c.resource == resource.name), None)
    report = next((r for r in result.reports if r.resource == resource.name), None)

    def resolve(reference: str) -> str:
        return reference_href(site, path, reference)

    return ResourceView(
        name=resource.name,
        anchor=f"resource-{resource.name}",
        title=resource.title.get(lang) or resource.name,
        description=markdown(resource.description.get(lang)),
        fields=field_rows(
            published_schema(resource.schema),
            resource=resource.name,
            lang=lang,
            t=site.t,
            resolve=resolve,
        ),
        downloads=downloads(site, path, conversion),
        validation=validation(site, resource, report),
    )


def reference_href(site: Site, path: str, reference: str) -> str:
    """Link a foreign key's target: a table on this page, or a published dataset's page."""
    if not reference:
        return ""  # the resource itself
    if "/" not in reference:
        return f"#resource-{reference}"
    agency, name, resource = reference.split("/", 2)
    if not any(r.dataset.id == f"{agency}/{name}" for r in site.results):
        return ""
    return f"{href(path, page_path(site.lang, agency, name))}#resource-{resource}"


def downloads(site: Site, path: str, conversion: Conversion | None) -> tuple[Download, ...]:
    outputs = conversion.outputs if conversion else ()
    return tuple(
        Download(
            label=FORMAT_LABELS.get(output.format, output.format.upper()),
            file=posixpath.basename(output.path),
            href=href(path, output.path),
            size=human_size(output.bytes, site.lang),
            bytes=output.bytes,
            sha256=output.sha256,
        )
        for output in outputs
    )


def validation(site: Site, resource: Resource, report: Report | None) -> Validation | None:
    if report is None:
        return None
    return Validation(
        valid=report.valid,
        status=site.t("validation.valid" if report.valid else "validation.invalid"),
        rows=number(report.rows, site.lang),
        schema=resource.schema_ref or report.schema_ref or site.t("validation.schema_inline"),
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
