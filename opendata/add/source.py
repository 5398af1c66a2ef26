"""Read a raw CSV or XLSX file as rows of text, and say what was detected on the way."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from opendata.errors import OpendataError, problem
from opendata.i18n import N_, _
from opendata.models import Resource
from opendata.read import sniff
from opendata.read.signature import head
from opendata.read.workbook import cell_text, open_workbook


@dataclass(frozen=True)
class Sheet:
    """A worksheet holding data, for the officer to choose from."""

    name: str
    rows: int  # rows with at least one filled cell


@dataclass(frozen=True)
class Raw:
    """The file's cells as text, what was detected, and the resource keys that record it."""

    rows: list[list[str]]
    detected: list[str]
    options: dict[str, Any]
    others: tuple[str, ...] = ()  # the workbook's other sheets with data


def sheets(file: Path, *, place: str) -> list[Sheet]:
    """Return the workbook's sheets that hold data, in the workbook's order."""
    with open_workbook(file, head(file), place) as workbook:
        found = [Sheet(name, _filled(_sheet_rows(workbook, name))) for name in workbook.sheet_names]
    return [s for s in found if s.rows]


def default_sheet(choices: list[Sheet]) -> Sheet:
    """Return the first sheet that can hold a table (a header and a row), else the first."""
    return next((s for s in choices if s.rows >= 2), choices[0])


Choose = Callable[[list[Sheet]], str]  # asks the officer which sheet holds the table


def raw_rows(file: Path, *, kind: str, sheet: str, place: str, choose: Choose | None = None) -> Raw:
    """Return every row of the file (or of the sheet) as text.

    Without `sheet`, `choose` picks among a workbook's sheets with data, when it has several.
    """
    probe = Resource(
        name="draft", path=file.resolve(), relpath=file.name, format=kind, schema={}, sheet=sheet
    )
    source = sniff(probe, place=place)  # a wrong --sheet is named here, with the sheets there are
    if kind == "xlsx":
        return _workbook(file, sheet, place, choose)
    with file.open(encoding=source.encoding, newline="") as text:
        rows = list(csv.reader(text, delimiter=source.delimiter))
    if not _filled(rows):
        raise OpendataError(problem("no-data", place, _("the file is empty.")))
    shown = {"\t": N_("tab"), ",": N_("comma"), ";": N_("semicolon")}.get(source.delimiter)
    detected = [
        _("encoding: {encoding}", encoding=source.encoding),
        _("delimiter: {delimiter}", delimiter=_(shown) if shown else source.delimiter),
    ]
    return Raw(
        rows, detected, {"encoding": source.encoding, "dialect": {"delimiter": source.delimiter}}
    )


def _workbook(file: Path, wanted: str, place: str, choose: Choose | None) -> Raw:
    """Read the sheet asked for, or else the first sheet that holds a table."""
    with open_workbook(file, head(file), place) as workbook:
        names = workbook.sheet_names
        filled = [Sheet(n, _filled(_sheet_rows(workbook, n))) for n in names]
        filled = [s for s in filled if s.rows]
        if not filled:
            raise OpendataError(
                problem("no-data", place, _("every sheet of the workbook is empty."))
            )
        if wanted and wanted not in [s.name for s in filled]:
            message = _('the sheet "{sheet}" is empty.', sheet=wanted)
            hint = _("Choose a sheet with data: {names}.", names=_listed(filled))
            raise OpendataError(problem("no-data", place, message, hint=hint))
        if not wanted and choose and len(filled) > 1:
            wanted = choose(filled)
        sheet = wanted or default_sheet(filled).name
        rows = _sheet_rows(workbook, sheet)
    listed = ", ".join(names)
    if len(names) == 1:
        detected = _("sheet: {sheet}", sheet=sheet)
    elif wanted or len(filled) == 1:
        detected = _("sheet: {sheet} (the workbook has: {names})", sheet=sheet, names=listed)
    else:
        detected = _(
            "sheet: {sheet}, chosen for you (the workbook has: {names}); "
            'to use another, run add again with --sheet "NAME"',
            sheet=sheet,
            names=listed,
        )
    others = tuple(s.name for s in filled if s.name != sheet)
    return Raw(rows, [detected], {"sheet": sheet}, others)


def _listed(choices: list[Sheet]) -> str:
    return ", ".join(f'--sheet "{s.name}"' for s in choices)


def _sheet_rows(workbook: CalamineWorkbook, name: str) -> list[list[str]]:
    """Return the sheet's rows from row 1 and column A, as in Excel, whatever is empty."""
    found = workbook.get_sheet_by_name(name)
    # calamine starts the rows at row 1 but the columns at the first one used.
    pad = [""] * (found.start[1] if found.start else 0)
    return [[*pad, *map(cell_text, row)] for row in found.iter_rows()]


def _filled(rows: list[list[str]]) -> int:
    return sum(1 for row in rows if any(cell.strip() for cell in row))
