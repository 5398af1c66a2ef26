"""Each resource's validation report page: what was checked, against what, when, the result."""

from __future__ import annotations

from opendata.models import DatasetResult, Report, Resource
from opendata.render.context import ErrorRow, Link, ReportPage, Stat
from opendata.render.frame import Site, meta
from opendata.render.links import href, page_path
from opendata.render.numbers import number

SHOWN_ERRORS = 100  # the page lists the first errors; the JSON report has them all


def report_pages(site: Site, result: DatasetResult) -> list[ReportPage]:
    resources = {resource.name: resource for resource in result.dataset.resources}
    return [report_page(site, result, resources[r.resource], r) for r in result.reports]


def report_page(
    site: Site, result: DatasetResult, resource: Resource, report: Report
) -> ReportPage:
    dataset, lang, t = result.dataset, site.lang, site.t
    parts = (dataset.agency, dataset.name, "validation", resource.name)
    path = page_path(lang, *parts)
    name = resource.title.get(lang) or resource.name
    title = t("report.title", resource=name)
    schema = resource.schema_ref or report.schema_ref or t("validation.schema_inline")
    facts = [
        Stat(t("report.file"), report.place),
        Stat(
            t("validation.schema"),
            schema,
            href(path, f"{dataset.agency}/{dataset.name}/datapackage.json"),
        ),
        Stat(t("report.checked"), site.build_date),
        Stat(t("validation.rows"), number(report.rows, lang)),
    ]
    if report.encoding:
        facts.append(Stat(t("report.encoding"), report.encoding))
    if report.delimiter:
        facts.append(Stat(t("report.delimiter"), delimiter_name(site, report.delimiter)))
    return ReportPage(
        meta=meta(site, parts, title, title),
        title=title,
        dataset=Link(
            dataset.title.get(lang), href(path, page_path(lang, dataset.agency, dataset.name))
        ),
        valid=report.valid,
        status=t("validation.valid" if report.valid else "validation.invalid"),
        facts=tuple(facts),
        checks=checks(site, resource),
        errors=tuple(
            ErrorRow(
                row=str(error.row_number or ""),
                field=error.field_name or "",
                type=error.type,
                message=error.message,
            )
            for error in report.errors[:SHOWN_ERRORS]
        ),
        warnings=report.warnings,
    )


def delimiter_name(site: Site, char: str) -> str:
    """Return the column separator by its name in the page's language, then the character."""
    t = site.t
    names = {
        ",": t("report.delimiter.comma"),
        ";": t("report.delimiter.semicolon"),
        "\t": t("report.delimiter.tab"),
        "|": t("report.delimiter.pipe"),
    }
    return names.get(char, char)


def checks(site: Site, resource: Resource) -> tuple[str, ...]:
    """Return what validation checked for this schema, in words."""
    t, schema = site.t, resource.schema
    fields = schema.get("fields", [])
    found = [
        t("check.encoding"),
        t("check.header", n=len(fields)),
        t("check.rows"),
        t("check.types", types=", ".join(sorted({str(f.get("type", "string")) for f in fields}))),
    ]
    constrained = [f["name"] for f in fields if f.get("constraints")]
    if constrained:
        found.append(t("check.constraints", fields=", ".join(constrained)))
    if schema.get("primaryKey"):
        found.append(t("check.primary", fields=_names(schema["primaryKey"])))
    for unique in schema.get("uniqueKeys", []):
        found.append(t("check.unique", fields=_names(unique)))
    for key in schema.get("foreignKeys", []):
        target = key.get("reference", {}).get("resource") or resource.name
        found.append(t("check.foreign", fields=_names(key.get("fields")), target=target))
    return tuple(found)


def _names(value: object) -> str:
    return value if isinstance(value, str) else ", ".join(map(str, value or ()))
