"""Turn a raw CSV or XLSX file into a draft dataset that validates."""

from __future__ import annotations

import csv
import difflib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opendata.add.descriptor import draft_descriptor
from opendata.add.infer import infer_field, style_of
from opendata.add.source import Choose, Sheet, default_sheet, raw_rows, sheets
from opendata.add.table import Layout, layout, rows_of
from opendata.convert.xlsx import column_letters
from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.load import load, shared_schemas
from opendata.load.keys import SLUG
from opendata.load.paths import file_format
from opendata.pipeline import check, personal_data
from opendata.validate.summary import describe

__all__ = ["Draft", "Sheet", "add", "default_sheet", "field_names", "sheets", "slugify"]


@dataclass(frozen=True)
class Draft:
    """What `add` wrote and what it found, for the officer to read."""

    descriptor: Path
    data: str  # the resource's path inside the dataset folder
    fields: tuple[dict[str, Any], ...]
    schema_ref: str
    detected: tuple[str, ...]
    skipped: tuple[str, ...]
    problems: tuple[str, ...]  # validation findings on the draft; empty when it validates


def add(
    root: Path,
    file: Path,
    *,
    agency: str,
    name: str = "",
    sheet: str = "",
    choose: Choose | None = None,
) -> Draft:
    """Copy `file` into datasets/<agency>/<name>/data/ and write a draft descriptor for it.

    Without `sheet`, `choose` is asked which of a workbook's sheets holds the table;
    without it, the first sheet with a table is used and the draft says so.

    Everything is read and checked before anything is written: a file `add` cannot use
    leaves no dataset folder behind.
    """
    place = file.as_posix()
    kind = _kind(file, place)
    folder = _dataset_folder(root, agency, name or slugify(file.stem))
    raw = raw_rows(file, kind=kind, sheet=sheet, place=place, choose=choose)
    table = layout(raw.rows)
    _check_table(table, place, raw.others)
    names = field_names(table.header)
    data = rows_of(raw.rows, table)
    style = style_of([[row[c] for row in data] for c in range(len(names))])
    fields = [
        {**infer_field(n, [row[c] for row in data], style), "title": label}
        for c, (n, label) in enumerate(zip(names, table.header, strict=True))
    ]
    detected = list(raw.detected)
    schema_ref = _shared_schema(root, fields)
    try:
        (folder / "data").mkdir(parents=True)
        original = folder / "data" / _file_name(file)
        shutil.copyfile(file, original)
        resource = {"name": folder.name, "path": f"data/{original.name}", **raw.options}
        if not table.trivial or list(names) != list(table.header):
            resource = _extract(folder, data, names, original, detected)
        resource["schema"] = schema_ref or {"fields": fields}
        text = draft_descriptor(
            name=folder.name,
            title=file.stem,
            resource=resource,
            detected=detected,
            skipped=list(table.skipped),
        )
        (folder / "datapackage.yaml").write_text(text, encoding="utf-8")
    except BaseException:  # a full disk, Ctrl-C: no half-written dataset to trip validate
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Draft(
        descriptor=folder / "datapackage.yaml",
        data=resource["path"],
        fields=tuple(fields),
        schema_ref=schema_ref,
        detected=tuple(detected),
        skipped=table.skipped,
        problems=tuple(_check(root, folder)),
    )


def _kind(file: Path, place: str) -> str:
    """Return "csv" or "xlsx", or say why the file cannot be added."""
    if not file.is_file():
        message = _("the file does not exist.")
        hint = _(
            "Check the file's name and the folder you run the command in; "
            "put quotes around a name with spaces."
        )
        raise OpendataError(problem("missing-file", place, message, hint=hint))
    kind = file_format(file.name)
    if not kind:
        message = _(
            'only .csv and .xlsx files can be added, not "{suffix}".',
            suffix=file.suffix or file.name,
        )
        hint = _(
            "Open the file in a spreadsheet program and save it as Excel Workbook (.xlsx) "
            "or CSV, then add that file."
        )
        raise OpendataError(problem("unknown-format", place, message, hint=hint))
    return kind


def _check_table(table: Layout, place: str, others: tuple[str, ...]) -> None:
    """Refuse a table without data rows, or with two columns of the same header."""
    if table.first >= table.last:
        message = _(
            "row {row} looks like the header, but no rows of data follow it.",
            row=table.first,
        )
        hint = (
            _(
                "Choose the sheet that holds the table: {names}.",
                names=", ".join(f'--sheet "{name}"' for name in others),
            )
            if others
            else ""
        )
        raise OpendataError(problem("no-data", place, message, hint=hint))
    seen: dict[str, list[int]] = {}
    for column, label in zip(table.columns, table.header, strict=True):
        seen.setdefault(label.casefold(), []).append(column)
    twice = {label: columns for label, columns in seen.items() if len(columns) > 1}
    if twice:
        label, columns = next(iter(twice.items()))
        message = _(
            'columns {columns} have the same header "{label}".',
            columns=", ".join(column_letters(c) for c in columns),
            label=table.header[table.columns.index(columns[0])],
        )
        hint = _(
            "Give each column its own header in the file (for example add the year or "
            "the unit), then run add again."
        )
        raise OpendataError(problem("duplicate-label", place, message, hint=hint))


def _dataset_folder(root: Path, agency: str, name: str) -> Path:
    """Return the new dataset's folder, or say why it cannot be there."""
    agencies = sorted(p.parent.name for p in (root / "datasets").glob("*/agency.yaml"))
    if agency not in agencies:
        nearest = difflib.get_close_matches(agency, agencies, n=1)
        if nearest:
            hint = _('Did you mean "{name}"?', name=nearest[0])
        elif agencies:
            hint = _(
                "The catalogue has: {agencies}. A new agency needs its own folder: copy "
                "datasets/{example}/agency.yaml to datasets/{agency}/agency.yaml and edit it.",
                agencies=", ".join(agencies),
                example=agencies[0],
                agency=agency,
            )
        else:
            hint = _(
                "Create datasets/{agency}/agency.yaml first (docs/descriptors.md).", agency=agency
            )
        message = _('there is no agency "{agency}".', agency=agency)
        raise OpendataError(problem("missing-file", f"datasets/{agency}", message, hint=hint))
    if not SLUG.match(name):
        message = _('"{name}" is not a valid dataset name.', name=name)
        hint = _(
            'Use lowercase letters a-z, digits and hyphens, for example --name "{slug}".',
            slug=slugify(name),
        )
        raise OpendataError(problem("invalid-slug", "--name", message, hint=hint))
    folder = root / "datasets" / agency / name
    if folder.exists():
        message = _(
            "the dataset folder datasets/{agency}/{name} exists already.", agency=agency, name=name
        )
        hint = _("Choose another name with --name.")
        raise OpendataError(
            problem("duplicate-name", f"datasets/{agency}/{name}", message, hint=hint)
        )
    return folder


def _extract(
    folder: Path,
    data: list[list[str]],
    names: list[str],
    original: Path,
    detected: list[str],
) -> dict[str, Any]:
    """Write the table alone as UTF-8 CSV beside the original, which stays as the source."""
    target = original.with_name(f"{folder.name}.csv")
    if target == original:
        target = original.with_name(f"{folder.name}-tabel.csv")
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(data)
    detected.append(
        _(
            "the table was copied to data/{table}; the original stays in data/{original}",
            table=target.name,
            original=original.name,
        )
    )
    return {
        "name": folder.name,
        "path": f"data/{target.name}",
        "encoding": "utf-8",
        "sources": [{"title": "Original file", "path": f"data/{original.name}"}],
    }


def _shared_schema(root: Path, fields: list[dict[str, Any]]) -> str:
    """Return the shared schema whose fields have these names in this order, if one does."""
    names = [f["name"] for f in fields]
    return next(
        (
            ref
            for ref, schema in sorted(shared_schemas(root).items())
            if [f.get("name") for f in schema.get("fields") or []] == names
        ),
        "",
    )


def _check(root: Path, folder: Path) -> list[str]:
    """Validate the draft with the catalogue: what a later `opendata validate` would say."""
    try:
        catalogue = load(root)
    except OpendataError as exc:
        return [str(p) for p in exc.problems]
    dataset = next(d for d in catalogue.datasets if d.path == folder.resolve())
    [result] = check(catalogue, [dataset])
    found = [str(p) for p in [*result.problems, *personal_data(result.findings)]]
    for report in result.reports:
        if not report.valid:
            found.extend(describe(report))
    return found


def field_names(labels: tuple[str, ...]) -> list[str]:
    """Turn header labels into unique snake_case field names: "Jumlah Penduduk" → jumlah_penduduk."""
    names: list[str] = []
    for label in labels:
        base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "kolom"
        base = f"k_{base}" if base[0].isdigit() else base
        name, n = base, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def slugify(text: str) -> str:
    """Return a dataset name from a file name: "Data Penduduk 2024" → data-penduduk-2024."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-") or "dataset"


def _file_name(file: Path) -> str:
    return f"{slugify(file.stem)}{file.suffix.lower()}"
