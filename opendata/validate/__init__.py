"""Check a resource against its Table Schema, with frictionless's error codes and numbering.

frictionless does the checking for now (a faster engine will replace it behind this same
function); references to other resources, in this dataset or another, are resolved by
the caller and handed over as `references`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frictionless import Dialect, FrictionlessException, Package, Schema, formats, system
from frictionless import Resource as FrictionlessResource

from opendata.load.schema import plain_schema
from opendata.models import Error, Report, Resource, Source

DEFAULT_LIMIT = 1000
NO_LIMIT = 10**12
KNOWN = {"type", "message", "note", "rowNumber", "fieldNumber", "fieldName", "cell", "cells"}
DROPPED = {"title", "description", "tags"}


def validate(
    resource: Resource,
    source: Source,
    *,
    place: str,
    references: Mapping[str, tuple[Resource, Source]] | None = None,
    limit_errors: int = DEFAULT_LIMIT,
) -> Report:
    """Validate one resource's raw file and return its Report."""
    limit = limit_errors or NO_LIMIT
    try:
        with system.use_context(trusted=True):  # paths were already confined by load
            target = _frictionless(resource, source, resource.name)
            others = [
                _frictionless(r, s, name) for name, (r, s) in sorted((references or {}).items())
            ]
            Package(resources=[target, *others])
            result = target.validate(limit_errors=limit)
    except FrictionlessException as exc:
        error = Error(type=exc.error.type, message=exc.error.message, note=exc.error.note)
        return _report(resource, source, place, (), 0, (error,), ())
    task = result.tasks[0]
    errors = tuple(_error(e.to_descriptor()) for e in task.errors)
    labels = tuple(str(label) for label in (task.labels or ()))
    warnings = tuple(str(w) for w in [*result.warnings, *task.warnings])
    return _report(resource, source, place, labels, task.stats.get("rows") or 0, errors, warnings)


def _report(resource, source, place, labels, rows, errors, warnings) -> Report:
    return Report(
        place=place,
        resource=resource.name,
        schema_ref=resource.schema_ref,
        rows=rows,
        labels=labels,
        errors=errors,
        warnings=warnings,
        encoding=source.encoding,
        delimiter=source.delimiter,
    )


def _frictionless(resource: Resource, source: Source, name: str) -> FrictionlessResource:
    if resource.format == "xlsx":
        control: Any = formats.ExcelControl(sheet=source.sheet or 1)
    else:
        control = formats.CsvControl(delimiter=source.delimiter or ",")
    return FrictionlessResource(
        path=str(resource.path),
        name=name,
        format=resource.format,
        encoding=source.encoding or None,
        schema=Schema.from_descriptor(plain_schema(resource.schema)),
        dialect=Dialect(controls=[control]),
    )


def _error(descriptor: dict[str, Any]) -> Error:
    cells = descriptor.get("cells")
    return Error(
        type=descriptor["type"],
        message=descriptor.get("message", ""),
        note=descriptor.get("note", ""),
        row_number=descriptor.get("rowNumber"),
        field_number=descriptor.get("fieldNumber"),
        field_name=descriptor.get("fieldName"),
        cell=descriptor.get("cell"),
        cells=tuple(str(c) for c in cells) if cells is not None else None,
        extra={k: v for k, v in descriptor.items() if k not in KNOWN | DROPPED},
    )
