"""Check one chunk of rows cell by cell: types, constraints, row shape and blank rows.

Everything is computed over whole columns; Python only builds the Error of a cell found
wrong. Each finding carries a sort key that puts it where frictionless reports it: by
row, then field, then constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opendata.models import Error
from opendata.validate.constraints import active, broken
from opendata.validate.messages import error
from opendata.validate.rows import Chunk
from opendata.validate.types import equal_any, typed

Field = dict[str, Any]
Finding = tuple[tuple[int, int, int, int], Error]  # (row, phase, field, order), error
CELL, EXTRA, MISSING, UNIQUE, PRIMARY, FOREIGN = range(6)  # phases of a row's errors


@dataclass
class Checked:
    """A chunk's cell findings and its typed columns, which the key checks read."""

    findings: list[Finding]
    values: list[pa.Array]  # typed values, null where missing or not of the type
    blank: np.ndarray  # rows whose every cell is missing


def check_cells(chunk: Chunk, fields: list[Field], missing: list[list[str]]) -> Checked:
    """Return the findings of one chunk; `missing` holds each field's missing values."""
    batch, first = chunk.batch, chunk.first_row
    findings: list[Finding] = []
    values: list[pa.Array] = []
    empty: np.ndarray | None = np.ones(batch.num_rows, dtype=bool)  # None: no blank row
    for index, field in enumerate(fields):
        text = _without_missing(batch.column(index), missing[index])
        typed_values, bad = typed(text, field)
        if bad.true_count:
            typed_values = pc.if_else(bad, pa.scalar(None, typed_values.type), typed_values)
        values.append(typed_values)
        if empty is not None:
            empty = empty & _numpy(pc.is_null(text)) if text.null_count else None
        findings += _cell_errors(batch, chunk, index, field, text, typed_values, bad)
    findings += _shape_errors(batch, chunk, fields)
    blank = empty if fields and empty is not None else np.zeros(batch.num_rows, dtype=bool)
    if blank.any():
        rows = set((np.flatnonzero(blank) + first).tolist())
        findings = [f for f in findings if f[0][0] not in rows]
        for index in np.flatnonzero(blank).tolist():
            row = first + index
            cells = row_cells(batch, chunk, index)
            findings.append(((row, CELL, 0, 0), error("blank-row", row_number=row, cells=cells)))
    return Checked(findings, values, blank)


def _without_missing(column: pa.Array, missing: list[str]) -> pa.Array:
    """Return the column with its missing values (and absent cells) as nulls."""
    if not missing:
        return column
    gone = equal_any(column, missing)
    if not gone.true_count:
        return column
    return pc.if_else(gone, pa.scalar(None, pa.string()), column)


def _numpy(mask: pa.Array) -> np.ndarray:
    return mask.to_numpy(zero_copy_only=False)


def _cell_errors(
    batch: pa.RecordBatch,
    chunk: Chunk,
    index: int,
    field: Field,
    text: pa.Array,
    typed_values: pa.Array,
    bad: pa.Array,
) -> list[Finding]:
    found: list[Finding] = []
    number, name = index + 1, field["name"]
    masks = [("type", bad)] if bad.true_count else []
    for constraint in active(field):
        mask = broken(constraint, text, typed_values, bad, field)
        if mask.true_count:
            masks.append((constraint, mask))
    where = [np.flatnonzero(_numpy(mask)).tolist() for _, mask in masks]
    chunk.load([at for rows in where for at in rows])
    for order, ((kind, _), rows) in enumerate(zip(masks, where, strict=True)):
        for at in rows:
            row = chunk.first_row + at
            raw = batch.column(index)[at].as_py()
            cell = "None" if raw is None else raw
            cells = row_cells(batch, chunk, at)
            if kind == "type":
                fmt = field.get("format", "default")
                note = f'type is "{field.get("type", "string")}/{fmt}"'
                err = error("type-error", note, row_number=row, cell=cell, cells=cells,
                            field_name=name, field_number=number)  # fmt: skip
            else:
                note = f'constraint "{kind}" is "{field["constraints"][kind]}"'
                err = error("constraint-error", note, row_number=row, cell=cell, cells=cells,
                            field_name=name, field_number=number)  # fmt: skip
            found.append(((row, CELL, index, order), err))
    return found


def _shape_errors(batch: pa.RecordBatch, chunk: Chunk, fields: list[Field]) -> list[Finding]:
    """Return extra-cell and missing-cell errors of the rows whose length differs."""
    found: list[Finding] = []
    for at, extra in chunk.extra.items():
        row, cells = chunk.first_row + at, row_cells(batch, chunk, at)
        for offset, cell in enumerate(extra):
            number = len(fields) + offset + 1
            err = error("extra-cell", row_number=row, field_number=number, field_name="",
                        cell=cell, cells=cells)  # fmt: skip
            found.append(((row, EXTRA, number, 0), err))
    for at, length in chunk.short.items():
        row, cells = chunk.first_row + at, row_cells(batch, chunk, at)
        for index in range(length, len(fields)):
            err = error("missing-cell", row_number=row, field_number=index + 1,
                        field_name=fields[index]["name"], cell="", cells=cells)  # fmt: skip
            found.append(((row, MISSING, index, 0), err))
    return found


def row_cells(batch: pa.RecordBatch, chunk: Chunk, at: int) -> list[str]:
    """Return the row's cells as written, as frictionless lists them in an error."""
    return chunk.cells(at)
