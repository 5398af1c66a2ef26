"""XLSX: open the workbook, pick the sheet and write every cell as canonical text."""

from __future__ import annotations

import datetime
import functools
import itertools
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineError, CalamineWorkbook

from opendata.errors import OpendataError, problem
from opendata.i18n import N_, _
from opendata.models import Table
from opendata.read.archive import check_archive
from opendata.read.signature import head, kind


def sheet(path: Path, wanted: str, start: bytes, place: str) -> str:
    """Return the sheet to read: the one named, or the first."""
    with open_workbook(path, start, place) as workbook:
        names = workbook.sheet_names
    if not wanted:
        return names[0] if names else ""
    if wanted not in names:
        listed = ", ".join(f"'{name}'" for name in names)
        message = _(
            "sheet '{sheet}' not found; the workbook has: {listed}.", sheet=wanted, listed=listed
        )
        raise OpendataError(problem("sheet-not-found", place, message))
    return wanted


def open_workbook(path: Path, start: bytes, place: str) -> CalamineWorkbook:
    """Open the workbook, or say what the file is instead."""
    if not start.startswith(b"PK\x03\x04"):
        what = kind(start)
        what = N_("text (perhaps CSV)") if what == "text" else what
        message = _("the file is {what}, not an XLSX workbook.", what=_(what))
        raise OpendataError(problem("unreadable-file", place, message))
    _checked(path, path.stat().st_mtime_ns, path.stat().st_size, place)
    try:
        return CalamineWorkbook.from_path(path)
    except CalamineError as error:
        message = _(
            "the file is a ZIP archive but not a readable XLSX workbook ({error}).", error=error
        )
        raise OpendataError(problem("unreadable-file", place, message)) from None


@functools.lru_cache(maxsize=64)
def _checked(path: Path, mtime: int, size: int, place: str) -> None:
    """Check the archive once per version of the file: sniffing and reading both open it."""
    check_archive(path, place)


def read_xlsx(path: Path, name: str, place: str, batch_rows: int) -> Table:
    """Return the sheet's first row as labels and the rows below it in batches."""
    workbook = open_workbook(path, head(path), place)
    found = workbook.get_sheet_by_name(name) if name else None
    # calamine starts the rows at row 1 but the columns at the first one used; pad them so
    # that, as in Excel and frictionless, the first column is always column A.
    pad = [""] * (found.start[1] if found is not None and found.start else 0)
    rows = ([*pad, *map(cell_text, row)] for row in (found.iter_rows() if found else ()))
    header = next(rows, None)
    if header is None:
        workbook.close()
        return Table((), iter(()))
    labels = tuple(header)
    return Table(labels, _batches(workbook, rows, labels, batch_rows))


def _batches(
    workbook: CalamineWorkbook, rows: Iterator[list[str]], labels: tuple[str, ...], size: int
) -> Iterator[pa.RecordBatch]:
    try:
        while block := list(itertools.islice(rows, size)):
            arrays = [pa.array(column, pa.string()) for column in zip(*block, strict=True)]
            yield pa.RecordBatch.from_arrays(arrays, names=list(labels))
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """Write a cell as the text a CSV export would hold, as the schema's types read it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return f"PT{value.total_seconds():g}S"  # an ISO 8601 duration
    return str(value)
