"""Build Errors with frictionless's types, numbering and message templates."""

from __future__ import annotations

from typing import Any

from opendata.i18n import N_
from opendata.models import Error

TEMPLATES = {
    "extra-label": N_('There is an extra label "{label}" in header at position "{fieldNumber}"'),
    "missing-label": N_(
        'There is a missing label in the header\'s field "{fieldName}" at position "{fieldNumber}"'
    ),
    "blank-label": N_('Label in the header in field at position "{fieldNumber}" is blank'),
    "duplicate-label": N_(
        'Label "{label}" in the header at position "{fieldNumber}" is duplicated to a label: {note}'
    ),
    "incorrect-label": N_(
        'Label "{label}" in field {fieldName} at position "{fieldNumber}" does not match the field name in the schema'
    ),
    "blank-row": N_('Row at position "{rowNumber}" is completely blank'),
    "primary-key": N_('Row at position "{rowNumber}" violates the primary key: {note}'),
    "foreign-key": N_('Row at position "{rowNumber}" violates the foreign key: {note}'),
    "extra-cell": N_(
        'Row at position "{rowNumber}" has an extra value in field at position "{fieldNumber}"'
    ),
    "missing-cell": N_(
        'Row at position "{rowNumber}" has a missing cell in field "{fieldName}" at position "{fieldNumber}"'
    ),
    "type-error": N_(
        'Type error in the cell "{cell}" in row "{rowNumber}" and field "{fieldName}" at position "{fieldNumber}": {note}'
    ),
    "constraint-error": N_(
        'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}" at position "{fieldNumber}" does not conform to a constraint: {note}'
    ),
    "unique-error": N_(
        'Row at position "{rowNumber}" has unique constraint violation in field "{fieldName}" at position "{fieldNumber}": {note}'
    ),
    "encoding-error": N_("The data source could not be successfully decoded: {note}"),
    "source-error": N_("The data source has not supported or has inconsistent contents: {note}"),
}  # frictionless's own wording, so its readers recognise our reports; translated for people


def error(
    kind: str,
    note: str = "",
    *,
    row_number: int | None = None,
    field_number: int | None = None,
    field_name: str | None = None,
    cell: str | None = None,
    cells: list[str] | None = None,
    **extra: Any,
) -> Error:
    """Return an Error of frictionless type `kind`, its message filled in."""
    values = {
        "note": note,
        "rowNumber": row_number,
        "fieldNumber": field_number,
        "fieldName": field_name,
        "cell": cell,
        **extra,
    }
    message = TEMPLATES.get(kind, "{note}").format(**values)
    return Error(
        type=kind,
        message=message,
        note=note,
        row_number=row_number,
        field_number=field_number,
        field_name=field_name,
        cell=cell,
        cells=tuple(cells) if cells is not None else None,
        extra=extra,
    )
