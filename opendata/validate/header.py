"""Compare the header's labels with the schema's fields, as frictionless does by position."""

from __future__ import annotations

from typing import Any

from opendata.models import Error
from opendata.validate.messages import error

Field = dict[str, Any]


def expected_fields(labels: list[str], fields: list[Field]) -> list[Field]:
    """Return the field each column is read with: the schema's at that position, else `any`."""
    if not labels:
        return fields
    return [
        fields[i] if i < len(fields) else {"name": label, "type": "any"}
        for i, label in enumerate(labels)
    ]


def label_errors(labels: list[str], fields: list[Field]) -> list[Error]:
    """Return extra, missing, blank, duplicate and incorrect labels, in frictionless's order."""
    if not labels:
        return []
    found = [
        error("extra-label", field_number=n, field_name="", label=label)
        for n, label in enumerate(labels, start=1)
        if n > len(fields)
    ]
    found += [
        error("missing-label", field_number=n, field_name=field["name"], label="")
        for n, field in enumerate(fields[len(labels) :], start=len(labels) + 1)
    ]
    for n, (field, label) in enumerate(zip(fields, labels, strict=False), start=1):
        name = field["name"]
        if not label:
            found.append(error("blank-label", field_number=n, field_name=name, label=""))
            continue
        earlier = [str(i) for i, seen in enumerate(labels[: n - 1], start=1) if seen == label]
        if earlier:
            note = f'at position "{", ".join(earlier)}"'
            found.append(
                error("duplicate-label", note, field_number=n, field_name=name, label=label)
            )
        elif label != name:
            found.append(error("incorrect-label", field_number=n, field_name=name, label=label))
    return found
