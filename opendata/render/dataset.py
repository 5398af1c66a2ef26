"""The dataset page: metadata, freshness, and per table its dictionary, preview and profile."""

from __future__ import annotations

import posixpath

from opendata.convert.xlsx import XLSX_MAX_ROWS
from opendata.models import Conversion, DatasetResult, Profile, Report, Resource
from opendata.render.cite import Work, apa, bibtex, snippets
from opendata.render.context import (
    Code,
    DatasetPage,
    Download,
    Link,
    Preview,
    ResourceView,
    Validation,
)
from opendata.render.datapackage import licenses_of, published_schema
from opendata.render.facets import FORMAT_LABELS, theme_slug
from opendata.render.frame import Site, agency_link, contact_view, frequency_text, meta, period
from opendata.render.links import external, href, page_path
from opendata.render.markdown import excerpt, markdown
from opendata.render.numbers import human_size, number
from opendata.render.profiles import column_views
from opendata.render.quality import freshness, is_open
from opendata.render.schema import field_rows
from opendata.render.versions import version_views


def dataset_page(site: Site, result: DatasetResult) -> DatasetPage:
    dataset, lang, t = result.dataset, site.lang, site.t
    path = page_path(lang, dataset.agency, dataset.name)
    title = dataset.title.get(lang)
    description = dataset.description.get(lang)
    licenses = licenses_of(dataset, site.catalogue.portal)
    fresh = freshness(dataset, site.today)
    work = citation(site, result)
    state = "open" if any(map(is_open, licenses)) else "closed"
    return DatasetPage(
        meta=meta(site, (dataset.agency, dataset.name), title, excerpt(description) or title),
        title=title,
        description=markdown(description),
        agency=agency_link(site, path, site.catalogue.agency(dataset.agency)),
        contact=contact_view(dataset.contact),
        licenses=tuple(
            Link(lic.title or lic.name or lic.path, external(lic.path)) for lic in licenses
        ),
        frequency=frequency_text(t, dataset.frequency),
        version=dataset.version,
        modified=dataset.modified,
        temporal=period(*dataset.temporal),
        spatial=dataset.spatial,
        keywords=dataset.keywords,
        themes=tuple(theme.get(lang) for theme in dataset.themes),
        theme_links=tuple(
            Link(theme.get(lang), href(path, page_path(lang, "browse", "theme", theme_slug(theme))))
            for theme in dataset.themes
        ),
        resources=tuple(resource_view(site, path, result, res) for res in dataset.resources),
        datapackage=href(path, f"{dataset.agency}/{dataset.name}/datapackage.json"),
        open_licence=t(f"licence.{state}") if licenses else "",
        licence_state=state if licenses else "",
        freshness=fresh.state,
        freshness_label=t(f"freshness.{fresh.state}"),
        freshness_note=t(f"freshness.note.{fresh.state}", date=fresh.due) if fresh.due else "",
        apa=apa(work, kind=t("cite.kind"), version=t("cite.version", version=work.version)),
        bibtex=bibtex(work),
        versions=version_views(result, path=path, lang=lang, t=t),
    )


def citation(site: Site, result: DatasetResult) -> Work:
    """Return what a citation of the dataset names, in the page's language."""
    dataset, lang = result.dataset, site.lang
    portal = site.catalogue.portal
    base = portal.base_url.rstrip("/")
    folder = page_path(lang, dataset.agency, dataset.name).removesuffix("index.html")
    return Work(
        author=site.catalogue.agency(dataset.agency).title.get(lang),
        title=dataset.title.get(lang),
        version=dataset.version,
        date=dataset.modified or site.build_date,
        publisher=portal.title.get(lang),
        url=f"{base}/{folder}" if base else "",
        key=f"{dataset.agency}-{dataset.name}-{dataset.version}",
    )


def resource_view(site: Site, path: str, result: DatasetResult, resource: Resource) -> ResourceView:
    lang = site.lang
    conversion = next((c for c in result.conversions if c.resource == resource.name), None)
    report = next((r for r in result.reports if r.resource == resource.name), None)
    profile = next((p for p in result.profiles if p.resource == resource.name), None)
    files = downloads(site, path, conversion)

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
        downloads=files,
        validation=validation(site, path, result, resource, report),
        preview=preview(site, profile),
        columns=column_views(site, profile) if profile else (),
        snippets=code(site, path, conversion),
        no_xlsx=no_xlsx(site, conversion),
    )


def no_xlsx(site: Site, conversion: Conversion | None) -> str:
    """Say why a table has no XLSX file: the convert stage leaves it out beyond Excel's rows."""
    if conversion is None or conversion.rows < XLSX_MAX_ROWS:  # the header takes a row
        return ""
    if "xlsx" in {output.format for output in conversion.outputs}:
        return ""
    lang = site.lang
    return site.t(
        "download.no_xlsx",
        rows=number(conversion.rows, lang),
        limit=number(XLSX_MAX_ROWS - 1, lang),
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


def validation(
    site: Site, path: str, result: DatasetResult, resource: Resource, report: Report | None
) -> Validation | None:
    if report is None:
        return None
    dataset = result.dataset
    target = page_path(site.lang, dataset.agency, dataset.name, "validation", resource.name)
    return Validation(
        valid=report.valid,
        status=site.t("validation.valid" if report.valid else "validation.invalid"),
        rows=number(report.rows, site.lang),
        schema=resource.schema_ref or report.schema_ref or site.t("validation.schema_inline"),
        href=href(path, target),
    )


def preview(site: Site, profile: Profile | None) -> Preview | None:
    """Return the first rows as the profile stage kept them, with a caption saying how many."""
    if profile is None or not profile.columns:
        return None
    shown, lang = len(profile.preview), site.lang
    caption = site.t("preview.caption", shown=number(shown, lang), total=number(profile.rows, lang))
    return Preview(tuple(c.name for c in profile.columns), profile.preview, caption)


def code(site: Site, path: str, conversion: Conversion | None) -> tuple[Code, ...]:
    """Return pandas, R and curl snippets loading the CSV, by absolute URL when known."""
    files = {o.format: o.path for o in conversion.outputs} if conversion else {}
    if "csv" not in files:
        return ()
    base = site.catalogue.portal.base_url.rstrip("/")

    def url(target: str) -> str:
        return f"{base}/{target}" if base else href(path, target)

    parquet = url(files["parquet"]) if "parquet" in files else ""
    found = snippets(url(files["csv"]), parquet, posixpath.basename(files["csv"]))
    return tuple(Code(s.label, s.code) for s in found)
