"""Turn reports into text a data officer can act on: grouped, counted, with the fix."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from opendata.errors import data_error
from opendata.i18n import N_, _, ngettext
from opendata.models import Error, Report
from opendata.validate.messages import TEMPLATES

EXAMPLES = 5  # examples shown per group; the count says how many more there are

# The notes validation writes in frictionless's words (kept so in --json), as patterns
# whose parts fill the note's translation in the human report.
NOTES = [
    (re.compile(pattern), template)
    for pattern, template in (
        (r'type is "(?P<type>[^"/]*)/(?P<format>[^"]*)"', N_('type is "{type}/{format}"')),
        (
            r'constraint "(?P<name>[^"]*)" is "(?P<value>.*)"',
            N_('constraint "{name}" is "{value}"'),
        ),
        (
            r"the same as in the row at position (?P<row>\d+)",
            N_("the same as in the row at position {row}"),
        ),
        (
            r'the values of "(?P<names>.*)" are the same as in the row at position (?P<row>\d+)',
            N_('the values of "{names}" are the same as in the row at position {row}'),
        ),
        (
            r'for "(?P<fields>.*)": values "(?P<values>.*)" not found in the lookup '
            r'table "(?P<table>.*)" as "(?P<reference>.*)"',
            N_(
                'for "{fields}": values "{values}" not found in the lookup table "{table}" '
                'as "{reference}"'
            ),
        ),
        (r'at position "(?P<positions>[^"]*)"', N_('at position "{positions}"')),
        (
            r"byte 0x(?P<byte>[0-9A-F]+) at byte offset (?P<offset>\d+) \(line (?P<line>\d+)\) "
            r"is not valid (?P<encoding>\S+)",
            N_("byte 0x{byte} at byte offset {offset} (line {line}) is not valid {encoding}"),
        ),
        (r"the file is not valid (?P<encoding>\S+)", N_("the file is not valid {encoding}")),
        (r"reached error limit: (?P<limit>\d+)", N_("reached error limit: {limit}")),
    )
]
STATIC_NOTES = (N_('cells composing the primary keys are all "None"'), N_("the source is empty"))


def describe(report: Report, *, examples: int = EXAMPLES) -> list[str]:
    """Return the human lines for one report: valid, or its errors grouped by type and field."""
    values = {"place": report.place, "resource": report.resource, "rows": report.rows}
    head = (
        _('{place} (resource "{resource}", schema "{schema}")', schema=report.schema_ref, **values)
        if report.schema_ref
        else _('{place} (resource "{resource}")', **values)
    )
    if report.valid:
        return [_("valid    {head}: {rows} rows", head=head, rows=report.rows)]
    count = len(report.errors)
    lines = [
        ngettext(
            "INVALID  {head}: {n} error in {rows} rows",
            "INVALID  {head}: {n} errors in {rows} rows",
            count,
            head=head,
            rows=report.rows,
        )
    ]
    for (kind, field), errors in _groups(report.errors).items():
        info = data_error(kind)
        where = _(', column "{column}"', column=field) if field else ""
        lines.append(f"  {kind}{where}: {info.title} ({len(errors)}×)")
        lines.extend(f"    {_example(error)}" for error in errors[:examples])
        if len(errors) > examples:
            lines.append("    " + _("… and {count} more", count=len(errors) - examples))
        lines.append("    " + _("Fix: {fix}", fix=info.fix))
    lines.extend("  " + _("warning: {warning}", warning=note(w)) for w in report.warnings)
    return lines


def _groups(errors: tuple[Error, ...]) -> dict[tuple[str, str], list[Error]]:
    groups: dict[tuple[str, str], list[Error]] = defaultdict(list)
    for error in errors:
        groups[(error.type, error.field_name or "")].append(error)
    return dict(groups)


def _example(error: Error) -> str:
    parts = []
    if error.row_number is not None:
        parts.append(_("row {row}", row=error.row_number))
    if error.cell is not None:
        parts.append(f'"{error.cell}"')
    place = ", ".join(parts)
    text = note(error.note) if error.note else _message(error)
    return f"{place}: {text}" if place else text


def note(text: str) -> str:
    """Return a note in frictionless's words in the current language, when its pattern is known."""
    for pattern, template in NOTES:
        match = pattern.fullmatch(text)
        if match:
            return _(template, **match.groupdict())
    return _(text)


def _message(error: Error) -> str:
    """Return frictionless's message for the error in the current language."""
    template = TEMPLATES.get(error.type)
    if template is None:
        return error.message
    values = {
        "note": error.note,
        "rowNumber": error.row_number,
        "fieldNumber": error.field_number,
        "fieldName": error.field_name,
        "cell": error.cell,
        **error.extra,
    }
    try:
        return _(template, **values)
    except (KeyError, IndexError):
        return error.message


def frictionless_report(reports: list[Report], *, seconds: float = 0.0) -> dict[str, Any]:
    """Return reports in frictionless's report layout, so tools that read it read ours."""
    tasks = [report.to_task() for report in reports]
    errors = sum(len(report.errors) for report in reports)
    warnings = sum(len(report.warnings) for report in reports)
    return {
        "valid": all(report.valid for report in reports),
        "stats": {
            "tasks": len(tasks),
            "errors": errors,
            "warnings": warnings,
            "seconds": round(seconds, 3),
        },
        "warnings": [],
        "errors": [],
        "tasks": tasks,
    }
