"""Check one chunk of rows cell by cell: types, constraints, row shape and blank rows.

Everything is computed over whole columns; Python only builds the Error of a cell found
wrong. Each finding carries a sort key that puts it where frictionless reports it: by
row, then field, then constraint.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
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
_POOLS: dict[int, ThreadPoolExecutor] = {}  # by process: a forked worker has no threads


def _pool() -> ThreadPoolExecutor:
    """Return this process's pool; pyarrow compute releases the GIL, so columns are
    checked on every core at once."""
    pid = os.getpid()
    if pid not in _POOLS:
        _POOLS[pid] = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="columns")
    return _POOLS[pid]


@dataclass
class Checked:
    """A chunk's cell findings and its typed columns, which the key checks read."""

    findings: list[Finding]
    values: list[pa.Array]  # typed values, null where missing or not of the type
    blank: np.ndarray  # rows whose every cell is missing


def check_cells(chunk: Chunk, fields: list[Field], missing: list[list[str]]) -> Checked:
    """Return the findings of one chunk; `missing` holds each field's missing values."""
    batch, first = chunk.batch, chunk.first_row
    wrong: list[tuple[int, int, str, list[int]]] = []  # (field, order, kind, rows)
    values: list[pa.Array] = []
    empty: np.ndarray | None = None  # rows blank so far; None before the first column
    columns = _pool().map(
        lambda i: _column(batch.column(i), i, fields[i], missing[i]), range(len(fields))
    )
    for index, (typed_values, blank, found) in enumerate(columns):
        values.append(typed_values)
        if index == 0 or (empty is not None and empty.any()):
            empty = blank if index == 0 else (empty & blank if blank is not None else None)
        wrong += found
    chunk.load([at for *_, rows in wrong for at in rows])
    findings = [f for spec in wrong for f in _cell_errors(chunk, fields, *spec)]
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


def _column(
    column: pa.Array, index: int, field: Field, missing: list[str]
) -> tuple[pa.Array, np.ndarray | None, list[tuple[int, int, str, list[int]]]]:
    """Type and check one column: its typed values, blank cells and wrong cells."""
    text = _without_missing(column, missing)
    typed_values, bad = typed(text, field)
    found = _wrong_cells(index, field, text, typed_values, bad)
    if bad.true_count:
        typed_values = pc.if_else(bad, pa.scalar(None, typed_values.type), typed_values)
    blank = _numpy(pc.is_null(text)) if text.null_count else None
    return typed_values, blank, found


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


def _wrong_cells(
    index: int, field: Field, text: pa.Array, typed_values: pa.Array, bad: pa.Array
) -> list[tuple[int, int, str, list[int]]]:
    """Return the rows of the column's type errors and of each broken constraint."""
    masks = [("type", bad)] if bad.true_count else []
    for constraint in active(field):
        mask = broken(constraint, text, typed_values, bad, field)
        if mask.true_count:
            masks.append((constraint, mask))
    return [
        (index, order, kind, np.flatnonzero(_numpy(mask)).tolist())
        for order, (kind, mask) in enumerate(masks)
    ]


def _cell_errors(
    chunk: Chunk, fields: list[Field], index: int, order: int, kind: str, rows: list[int]
) -> list[Finding]:
    found: list[Finding] = []
    field = fields[index]
    number, name = index + 1, field["name"]
    if kind == "type":
        kind_, note = (
            "type-error",
            f'type is "{field.get("type", "string")}/{field.get("format", "default")}"',
        )
    else:
        kind_, note = "constraint-error", f'constraint "{kind}" is "{field["constraints"][kind]}"'
    for at in rows:
        row = chunk.first_row + at
        cells = chunk.cells(at)
        absent = index >= chunk.short.get(at, len(fields))
        cell = "None" if absent else cells[index]
        err = error(kind_, note, row_number=row, cell=cell, cells=cells,
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
