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
from opendata.add.table import Layout, layout, rows_of
from opendata.errors import OpendataError, problem
from opendata.i18n import N_, _
from opendata.load import load
from opendata.load.keys import SLUG
from opendata.load.paths import file_format
from opendata.models import Resource
from opendata.pipeline import check
from opendata.read import sniff
from opendata.read.signature import head
from opendata.read.workbook import cell_text, open_workbook


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


def add(root: Path, file: Path, *, agency: str, name: str = "", sheet: str = "") -> Draft:
    """Copy `file` into datasets/<agency>/<name>/data/ and write a draft descriptor for it."""
    place = file.as_posix()
    kind = file_format(file.name)
    if not file.is_file() or not kind:
        message = (
            _("the file does not exist.")
            if not file.is_file()
            else _("only .csv and .xlsx files can be added.")
        )
        raise OpendataError(
            problem("missing-file" if not file.is_file() else "unknown-format", place, message)
        )
    folder = _dataset_folder(root, agency, name or slugify(file.stem))
    rows, detected, options = _rows(file, kind, sheet, place)
    table = layout(rows)
    names = field_names(table.header)
    data = rows_of(rows, table)
    style = style_of([[row[c] for row in data] for c in range(len(names))])
    fields = [
        {**infer_field(n, [row[c] for row in data], style), "title": label}
        for c, (n, label) in enumerate(zip(names, table.header, strict=True))
    ]
    (folder / "data").mkdir(parents=True)
    original = folder / "data" / _file_name(file)
    shutil.copyfile(file, original)
    resource = {"name": folder.name, "path": f"data/{original.name}", **options}
    if not table.trivial or list(names) != list(table.header):
        resource = _extract(folder, data, names, original, table, detected)
    schema_ref = _shared_schema(root, fields)
    resource["schema"] = schema_ref or {"fields": fields}
    text = draft_descriptor(
        name=folder.name,
        title=file.stem,
        resource=resource,
        detected=detected,
        skipped=list(table.skipped),
    )
    (folder / "datapackage.yaml").write_text(text, encoding="utf-8")
    return Draft(
        descriptor=folder / "datapackage.yaml",
        data=resource["path"],
        fields=tuple(fields),
        schema_ref=schema_ref,
        detected=tuple(detected),
        skipped=table.skipped,
        problems=tuple(_check(root, folder)),
    )


def _dataset_folder(root: Path, agency: str, name: str) -> Path:
    agencies = sorted(p.name for p in (root / "datasets").glob("*/agency.yaml") for p in [p.parent])
    if agency not in agencies:
        nearest = difflib.get_close_matches(agency, agencies, n=1)
        hint = (
            _('Did you mean "{name}"?', name=nearest[0])
            if nearest
            else _("Create it with opendata init, or add datasets/<agency>/agency.yaml.")
        )
        raise OpendataError(
            problem(
                "missing-file",
                f"datasets/{agency}",
                _('there is no agency "{agency}".', agency=agency),
                hint=hint,
            )
        )
    if not SLUG.match(name):
        raise OpendataError(
            problem("invalid-slug", "--name", _('"{name}" is not a valid dataset name.', name=name))
        )
    folder = root / "datasets" / agency / name
    if folder.exists():
        message = _(
            "the dataset folder datasets/{agency}/{name} exists already.", agency=agency, name=name
        )
        raise OpendataError(
            problem(
                "duplicate-name",
                f"datasets/{agency}/{name}",
                message,
                hint=_("Choose another name with --name."),
            )
        )
    return folder


def _rows(
    file: Path, kind: str, sheet: str, place: str
) -> tuple[list[list[str]], list[str], dict[str, Any]]:
    """Return every row as text, what was detected, and the resource options that say so."""
    probe = Resource(
        name="draft", path=file.resolve(), relpath=file.name, format=kind, schema={}, sheet=sheet
    )
    source = sniff(probe, place=place)
    if kind == "xlsx":
        with open_workbook(file, head(file), place) as workbook:
            names = workbook.sheet_names
            rows = [
                [cell_text(v) for v in row]
                for row in workbook.get_sheet_by_name(source.sheet).to_python()
            ]
        detected = [
            _(
                "sheet: {sheet} (the workbook has: {names})",
                sheet=source.sheet,
                names=", ".join(names),
            )
            if len(names) > 1
            else _("sheet: {sheet}", sheet=source.sheet)
        ]
        return rows, detected, {"sheet": source.sheet}
    with file.open(encoding=source.encoding, newline="") as text:
        rows = list(csv.reader(text, delimiter=source.delimiter))
    shown = {"\t": N_("tab"), ",": N_("comma"), ";": N_("semicolon")}.get(source.delimiter)
    detected = [
        _("encoding: {encoding}", encoding=source.encoding),
        _("delimiter: {delimiter}", delimiter=_(shown) if shown else source.delimiter),
    ]
    return rows, detected, {"encoding": source.encoding, "dialect": {"delimiter": source.delimiter}}


def _extract(
    folder: Path,
    data: list[list[str]],
    names: list[str],
    original: Path,
    table: Layout,
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
        f"the table was copied to data/{target.name}; the original stays in data/{original.name}"
    )
    return {
        "name": folder.name,
        "path": f"data/{target.name}",
        "encoding": "utf-8",
        "sources": [{"title": "Original file", "path": f"data/{original.name}"}],
    }


def _shared_schema(root: Path, fields: list[dict[str, Any]]) -> str:
    """Return the shared schema whose fields have these names in this order, if one does."""
    try:
        catalogue_schemas = _schemas(root)
    except OpendataError:
        return ""
    names = [f["name"] for f in fields]
    return next(
        (
            ref
            for ref, schema in catalogue_schemas.items()
            if [f["name"] for f in schema["fields"]] == names
        ),
        "",
    )


def _schemas(root: Path) -> dict[str, dict[str, Any]]:
    catalogue = load(root)
    found = {}
    for dataset in catalogue.datasets:
        for resource in dataset.resources:
            if resource.schema_ref:
                found[resource.schema_ref] = resource.schema
    return found


def _check(root: Path, folder: Path) -> list[str]:
    """Validate the draft with the catalogue: what a later `opendata validate` would say."""
    try:
        catalogue = load(root)
    except OpendataError as exc:
        return [str(p) for p in exc.problems]
    dataset = next(d for d in catalogue.datasets if d.path == folder.resolve())
    [result] = check(catalogue, [dataset])
    found = [str(p) for p in result.problems]
    for report in result.reports:
        found.extend(f"{report.place}, row {e.row_number}: {e.message}" for e in report.errors)
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
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "dataset"


def _file_name(file: Path) -> str:
    return f"{slugify(file.stem)}{file.suffix.lower()}"
