"""Find the table inside a spreadsheet as people lay it out: title rows, notes, totals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from opendata.convert.xlsx import column_letters
from opendata.i18n import _, ngettext

TOTAL = re.compile(
    r"^(jumlah|total|jumlah total|grand total|total keseluruhan)\s*:?$", re.IGNORECASE
)
NOTE = re.compile(r"^(sumber|catatan|keterangan|ket\.|source|note|notes)\b", re.IGNORECASE)
NUMBER = re.compile(r"^-?[\d.,]+$")


@dataclass(frozen=True)
class Layout:
    """Where the table is: its header, its columns and its data rows (0-based, end excluded)."""

    header: tuple[str, ...]  # one label per kept column, merged headers joined with " "
    columns: tuple[int, ...]
    first: int
    last: int
    skipped: tuple[str, ...]  # what was left out, in words, with 1-based row numbers

    @property
    def trivial(self) -> bool:
        """True when the file is already a plain table: header on row 1, nothing skipped."""
        return not self.skipped and self.first == 1


def layout(rows: Sequence[Sequence[str]]) -> Layout:
    """Locate the table: the first wide row is the header; what surrounds it is skipped."""
    width = max((_width(row) for row in rows), default=0)
    top = next((i for i, row in enumerate(rows) if _width(row) >= max(2, width * 0.6)), 0)
    skipped = [
        _("row {row} (title: {text})", row=i + 1, text=_text(rows[i]))
        for i in range(top)
        if _width(rows[i])
    ]
    header = [cell.strip() for cell in rows[top]] if rows else []
    first = top + 1
    if first < len(rows) and _is_subheader(rows[first], rows[first + 1 : first + 6]):
        header = _merge(header, rows[first])
        skipped.append(
            _("row {row} (second header row, joined to row {top})", row=first + 1, top=top + 1)
        )
        first += 1
    last = _end(rows, first, skipped)
    columns = [
        c for c in range(len(header)) if header[c] or any(_cell(r, c) for r in rows[first:last])
    ]
    blank = [c for c in range(len(header)) if c not in columns]
    if blank:
        letters = ", ".join(column_letters(c) for c in blank)
        skipped.append(
            ngettext(
                "empty column {letters}", "empty columns {letters}", len(blank), letters=letters
            )
        )
    labels = tuple(header[c] or f"kolom_{column_letters(c).lower()}" for c in columns)
    return Layout(labels, tuple(columns), first, last, tuple(skipped))


def _end(rows: Sequence[Sequence[str]], first: int, skipped: list[str]) -> int:
    """Return where the data ends: before blank rows, notes and a totals row."""
    last = first
    for i in range(first, len(rows)):
        if _width(rows[i]) and not NOTE.match(_first(rows[i])):
            last = i + 1
        elif _width(rows[i]):
            break
    notes = [i for i in range(last, len(rows)) if _width(rows[i])]
    totals = last > first and TOTAL.match(_first(rows[last - 1]))
    end = last - 1 if totals else last
    blanks = [i for i in range(first, end) if not _width(rows[i])]
    # Said in the order of the rows: blank rows, the totals row, then the notes below.
    if blanks:
        skipped.append(_("blank rows {rows}", rows=", ".join(str(i + 1) for i in blanks)))
    if totals:
        skipped.append(_("row {row} (totals: {text})", row=last, text=_text(rows[last - 1])))
    for i in notes:
        skipped.append(_("row {row} (note: {text})", row=i + 1, text=_text(rows[i])))
    return end


def rows_of(rows: Sequence[Sequence[str]], table: Layout) -> list[list[str]]:
    """Return the table's data rows, kept columns only, blank rows dropped."""
    return [
        [_cell(row, c) for c in table.columns]
        for row in rows[table.first : table.last]
        if _width(row)
    ]


def _is_subheader(row: Sequence[str], below: Sequence[Sequence[str]]) -> bool:
    """A second header row: text only, above rows whose cells under it hold numbers."""
    cells = [(c, v.strip()) for c, v in enumerate(row) if v.strip()]
    if not cells or any(NUMBER.match(v) for _, v in cells):
        return False
    return any(NUMBER.match(_cell(r, c)) for r in below for c, _ in cells)


def _merge(header: list[str], sub: Sequence[str]) -> list[str]:
    """Join a merged header cell (written once, spanning columns) with the labels below it."""
    merged, parent = [], ""
    for c in range(max(len(header), len(sub))):
        top = _cell(header, c)
        parent = top or parent
        below = _cell(sub, c)
        merged.append(f"{parent} {below}".strip() if below else top)
    return merged


def _cell(row: Sequence[str], c: int) -> str:
    return row[c].strip() if c < len(row) else ""


def _width(row: Sequence[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _first(row: Sequence[str]) -> str:
    return next((cell.strip() for cell in row if cell.strip()), "")


def _text(row: Sequence[str]) -> str:
    text = " ".join(cell.strip() for cell in row if cell.strip())
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'
