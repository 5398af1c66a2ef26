"""Turn reports into text a data officer can act on: grouped, counted, with the fix."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from opendata.errors import data_error
from opendata.models import Error, Report

EXAMPLES = 5  # examples shown per group; the count says how many more there are


def describe(report: Report, *, examples: int = EXAMPLES) -> list[str]:
    """Return the human lines for one report: valid, or its errors grouped by type and field."""
    schema = f', schema "{report.schema_ref}"' if report.schema_ref else ""
    head = f'{report.place} (resource "{report.resource}"{schema})'
    if report.valid:
        return [f"valid    {head}: {report.rows} rows"]
    count = len(report.errors)
    lines = [f"INVALID  {head}: {count} error{'s' if count != 1 else ''} in {report.rows} rows"]
    for (kind, field), errors in _groups(report.errors).items():
        info = data_error(kind)
        where = f', column "{field}"' if field else ""
        lines.append(f"  {kind}{where}: {info.title_en} ({len(errors)}×)")
        lines.extend(f"    {_example(error)}" for error in errors[:examples])
        if len(errors) > examples:
            lines.append(f"    … and {len(errors) - examples} more")
        lines.append(f"    Fix: {info.hint}")
    lines.extend(f"  warning: {warning}" for warning in report.warnings)
    return lines


def _groups(errors: tuple[Error, ...]) -> dict[tuple[str, str], list[Error]]:
    groups: dict[tuple[str, str], list[Error]] = defaultdict(list)
    for error in errors:
        groups[(error.type, error.field_name or "")].append(error)
    return dict(groups)


def _example(error: Error) -> str:
    parts = []
    if error.row_number is not None:
        parts.append(f"row {error.row_number}")
    if error.cell is not None:
        parts.append(f'"{error.cell}"')
    place = ", ".join(parts)
    note = error.note or error.message
    return f"{place}: {note}" if place else note


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
