"""Row checks across the table: unique fields, primaryKey, uniqueKeys and foreignKeys.

Each check keeps a KeySet of the keys seen (or, for a foreign key, of the referenced
resource's keys) and turns one chunk's typed columns into findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opendata.load.schema import plain_schema
from opendata.models import Resource, Source
from opendata.validate.cells import FOREIGN, PRIMARY, UNIQUE, Checked, Finding, row_cells
from opendata.validate.keys import KeySet, as_text, encode
from opendata.validate.messages import error
from opendata.validate.rows import Chunk, Ragged, open_rows
from opendata.validate.scalar import reader
from opendata.validate.types import arrow_type, typed

Field = dict[str, Any]
References = Mapping[str, tuple[Resource, Source]]


@dataclass
class KeyCheck:
    """One key: its kind, the columns it is made of and the keys seen or referenced."""

    kind: str  # "unique", "primary", "unique-keys" or "foreign"
    positions: list[int]
    fields: list[Field]
    order: int  # orders a row's errors of the same kind
    text: bool
    seen: KeySet
    foreign: dict[str, Any] | None = None  # the foreignKeys entry

    def run(self, chunk: Chunk, checked: Checked, budget: int) -> list[Finding]:
        """Return the chunk's findings of this key, the first `budget` of them at most."""
        columns = [checked.values[p] for p in self.positions]
        rows = np.arange(chunk.first_row, chunk.first_row + chunk.batch.num_rows)
        if any(c.null_count for c in columns):
            nulls = [pc.is_null(c).to_numpy(zero_copy_only=False) for c in columns]
            all_null = np.logical_and.reduce(nulls)
            use = ~np.logical_or.reduce(nulls) if self.kind == "unique-keys" else ~all_null
            mask = pa.array(use)
            keys = encode([c.filter(mask) for c in columns], self.text)
        else:  # the usual key, written on every row: nothing to leave out
            all_null, use = np.zeros(len(rows), dtype=bool), slice(None)
            keys = encode(columns, self.text)
        if self.kind == "foreign":
            missing = rows[use][~self.seen.contains(keys)][:budget].tolist()
            chunk.load([row - chunk.first_row for row in missing])
            return [self._foreign(chunk, row) for row in missing]
        repeated = self.seen.add(keys, rows[use])[:budget]
        chunk.load([row - chunk.first_row for row, _ in repeated])
        found = [self._repeated(chunk, row, earlier) for row, earlier in repeated]
        if self.kind == "primary":
            note = 'cells composing the primary keys are all "None"'
            for row in rows[all_null][:budget].tolist():
                cells = row_cells(chunk.batch, chunk, row - chunk.first_row)
                err = error("primary-key", note, row_number=row, cells=cells)
                found.append(((row, PRIMARY, 0, 0), err))
        return found

    def _repeated(self, chunk: Chunk, row: int, earlier: int) -> Finding:
        at = row - chunk.first_row
        cells = row_cells(chunk.batch, chunk, at)
        note = f"the same as in the row at position {earlier}"
        if self.kind == "primary":
            return ((row, PRIMARY, 0, 0), error("primary-key", note, row_number=row, cells=cells))
        position, field = self.positions[0], self.fields[0]
        if self.kind == "unique-keys":
            names = ", ".join(f["name"] for f in self.fields)
            note = f'the values of "{names}" are {note}'
        cell = _display(chunk.batch.column(position)[at].as_py(), field)
        err = error("unique-error", note, row_number=row, cells=cells, cell=cell,
                    field_name=field["name"], field_number=position + 1)  # fmt: skip
        return ((row, UNIQUE, self.order, 0), err)

    def _foreign(self, chunk: Chunk, row: int) -> Finding:
        at = row - chunk.first_row
        cells = row_cells(chunk.batch, chunk, at)
        fk = self.foreign or {}
        local = [f["name"] for f in self.fields]
        ref = fk["reference"]
        ref_fields = _names(ref["fields"])
        values = [
            _display(chunk.batch.column(p)[at].as_py(), f)
            for p, f in zip(self.positions, self.fields, strict=True)
        ]
        note = (
            f'for "{", ".join(local)}": values "{", ".join(values)}" not found in the lookup '
            f'table "{ref.get("resource", "")}" as "{", ".join(ref_fields)}"'
        )
        err = error("foreign-key", note, row_number=row, cells=cells, fieldNames=local,
                    fieldCells=values, referenceName=ref.get("resource", ""),
                    referenceFieldNames=ref_fields)  # fmt: skip
        return ((row, FOREIGN, self.order, 0), err)


def _display(text: str | None, field: Field) -> str:
    value = reader(field)(text) if text is not None else None
    return "" if value is None else str(value)


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def key_checks(
    schema: dict[str, Any],
    fields: list[Field],
    resource: Resource,
    source: Source,
    references: References,
) -> list[KeyCheck]:
    """Return the key checks the schema asks for, in frictionless's order."""
    names = [f["name"] for f in fields]
    checks: list[KeyCheck] = []

    def add(kind: str, wanted: list[str], order: int, **extra: Any) -> None:
        if all(n in names for n in wanted):
            positions = [names.index(n) for n in wanted]
            chosen = [fields[p] for p in positions]
            text = as_text([arrow_type(f) for f in chosen])
            checks.append(KeyCheck(kind, positions, chosen, order, text, KeySet(), **extra))

    for index, field in enumerate(fields):
        if (field.get("constraints") or {}).get("unique"):
            add("unique", [field["name"]], index)
    if schema.get("primaryKey"):
        add("primary", _names(schema["primaryKey"]), 0)
    for index, unique in enumerate(schema.get("uniqueKeys") or []):
        add("unique-keys", _names(unique), len(fields) + index)
    for index, fk in enumerate(schema.get("foreignKeys") or []):
        add("foreign", _names(fk["fields"]), index, foreign=fk)
    for check in checks:
        if check.kind == "foreign":
            _load_reference(check, resource, source, references)
    return checks


def _load_reference(
    check: KeyCheck, resource: Resource, source: Source, references: References
) -> None:
    """Fill the check's key set with the referenced resource's keys."""
    assert check.foreign is not None
    ref = check.foreign["reference"]
    name = ref.get("resource") or ""
    target, target_source = (resource, source) if not name else references[name]
    schema = plain_schema(target.schema)
    try:
        _read_keys(check, target, target_source, schema, _names(ref["fields"]), exact=False)
    except Ragged:
        _read_keys(check, target, target_source, schema, _names(ref["fields"]), exact=True)


def _read_keys(
    check: KeyCheck, target: Resource, source: Source, schema: dict, wanted: list[str], exact: bool
) -> None:
    check.seen = KeySet()
    table = open_rows(target, source, exact=exact)
    declared = schema["fields"]
    fields = [
        declared[i] if i < len(declared) else {"name": label, "type": "any"}
        for i, label in enumerate(table.labels)
    ]
    names = [f["name"] for f in fields]
    if not all(n in names for n in wanted):
        return
    positions = [names.index(n) for n in wanted]
    ref_types = [arrow_type(fields[p]) for p in positions]
    check.text = (
        check.text or as_text(ref_types) or ref_types != [arrow_type(f) for f in check.fields]
    )
    default = schema.get("missingValues", [""])
    for chunk in table.chunks:
        columns = []
        for p in positions:
            missing = [str(v) for v in fields[p].get("missingValues", default)]
            column = chunk.batch.column(p)
            gone = pc.is_in(column, value_set=pa.array(missing, pa.string()))
            text = pc.if_else(gone, pa.scalar(None, pa.string()), column)
            values, bad = typed(text, fields[p])
            columns.append(pc.if_else(bad, pa.scalar(None, values.type), values))
        nulls = np.logical_and.reduce(
            [pc.is_null(c).to_numpy(zero_copy_only=False) for c in columns]
        )
        mask = pa.array(~nulls)
        keys = encode([c.filter(mask) for c in columns], check.text)
        check.seen.add(keys, np.zeros(len(keys), dtype=np.int64))
