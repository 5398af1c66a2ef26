"""Check a resource against its Table Schema, with frictionless's error codes and numbering.

The checks run over Arrow batches streamed from the file (see `rows.py`): cells are typed
and constrained column by column (`cells.py`), keys go into compact sets (`keys.py`),
and findings are ordered as frictionless orders them and cut at `limit_errors`, as it
does. References to other resources, in this dataset or another, are resolved by the
caller and handed over as `references`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opendata.load.schema import plain_schema
from opendata.models import Error, Report, Resource, Source
from opendata.validate.cells import check_cells, type_ahead
from opendata.validate.header import expected_fields, label_errors
from opendata.validate.integrity import KeyCheck, key_checks
from opendata.validate.keys import KeySet
from opendata.validate.messages import error
from opendata.validate.rows import Ragged, Unreadable, needs_exact, open_rows

DEFAULT_LIMIT = 1000
NO_LIMIT = 10**12
__all__ = ["DEFAULT_LIMIT", "KeySet", "validate"]


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
    schema = plain_schema(resource.schema)
    exact = needs_exact(resource, source) or not _blank_is_missing(schema)
    try:
        try:
            labels, rows, errors = _run(resource, source, schema, references, limit, exact, place)
        except Ragged:
            labels, rows, errors = _run(resource, source, schema, references, limit, True, place)
    except Unreadable as exc:
        labels, rows, errors = [], 0, [error(exc.kind, exc.note)]
    warnings = (f"reached error limit: {limit_errors}",) if len(errors) >= limit else ()
    return Report(
        place=place,
        resource=resource.name,
        schema_ref=resource.schema_ref,
        rows=rows,
        labels=tuple(labels),
        errors=tuple(errors[:limit]),
        warnings=warnings,
        encoding=source.encoding,
        delimiter=source.delimiter,
    )


def _blank_is_missing(schema: dict[str, Any]) -> bool:
    """Tell whether an empty cell is a missing value in every field.

    Only then is an empty line (a blank row) the same as a row of empty cells, which is
    all pyarrow can tell.
    """
    default = schema.get("missingValues", [""])
    return all("" in field.get("missingValues", default) for field in schema["fields"])


def _run(
    resource: Resource,
    source: Source,
    schema: dict[str, Any],
    references: Mapping[str, tuple[Resource, Source]] | None,
    limit: int,
    exact: bool,
    place: str,
) -> tuple[list[str], int, list[Error]]:
    """Check every row; return the labels, the rows read and the errors in report order."""
    table = open_rows(resource, source, exact=exact, place=place)
    if not table.labels:
        return [], 0, [error("source-error", "the source is empty")]
    fields = expected_fields(table.labels, schema["fields"])
    default = schema.get("missingValues", [""])
    missing = [[str(v) for v in f.get("missingValues", default)] for f in fields]
    keys: list[KeyCheck] = key_checks(schema, fields, resource, source, references or {})
    errors = label_errors(table.labels, schema["fields"])
    rows = 0
    try:
        for chunk, columns in type_ahead(table.chunks, fields, missing):
            budget = limit - len(errors)
            checked = check_cells(chunk, fields, columns, budget)
            findings = checked.findings
            for check in keys:
                findings += check.run(chunk, checked, budget)
            found = [e for _, e in sorted(findings, key=lambda f: f[0])]
            rows = chunk.first_row + chunk.batch.num_rows - 2
            if len(errors) + len(found) >= limit:
                cut = found[: limit - len(errors)]
                errors += cut
                rows = cut[-1].row_number - 1 if cut and cut[-1].row_number else rows
                break
            errors += found
    finally:
        table.close()
    return table.labels, rows, errors
