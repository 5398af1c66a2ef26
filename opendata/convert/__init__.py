"""Write a validated resource as normalized CSV and typed Parquet, with their checksums.

Cells are parsed by the Table Schema with vectorized pyarrow operations, batch by batch,
so memory does not grow with the file. Identical inputs give identical bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pyarrow as pa

from opendata.convert.parse import ARROW_TYPES, Field, offsets_in, typed
from opendata.convert.write import WRITERS
from opendata.convert.zones import zone_of
from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.models import Conversion, Dataset, Output, Resource, Source
from opendata.read import read


def convert(
    resource: Resource,
    dataset: Dataset,
    source: Source,
    *,
    out_dir: Path,
    site_root: Path,
    batch_rows: int = 65_536,
) -> Conversion:
    """Write `out_dir/<resource>.csv`, `.parquet`, …; return their site paths, sizes and sha256.

    A value the schema cannot read raises OpendataError ("invalid-data"): validation
    should have caught it first, so this is a safety net, and partial outputs are removed.
    """
    place = _place(resource, dataset)
    fields: list[Field] = list(resource.schema.get("fields", []))
    table = read(resource, source, place=place, batch_rows=batch_rows)
    if len(table.labels) != len(fields):
        message = _(
            "the file has {columns} columns but the schema has {fields} fields.",
            columns=len(table.labels),
            fields=len(fields),
        )
        raise OpendataError(problem("invalid-data", place, message))
    zones = time_zones(resource, source, place=place, batch_rows=batch_rows)
    schema = arrow_schema(resource, dataset, zones=zones)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{resource.name}.{name}" for name in WRITERS}
    try:
        cells = source.format == "xlsx"
        rows = _write(table.batches, resource.schema, schema, paths, place, cells)
    except BaseException:
        for path in paths.values():
            path.unlink(missing_ok=True)
        raise
    # A writer may leave its format out (XLSX beyond Excel's row limit).
    outputs = tuple(_output(n, path, site_root) for n, path in paths.items() if path.exists())
    return Conversion(resource=resource.name, rows=rows, outputs=outputs)


def time_zones(
    resource: Resource, source: Source, *, place: str, batch_rows: int = 65_536
) -> dict[str, str | None]:
    """Return the zone of each datetime field: None, a fixed offset ("+08:00") or "UTC".

    The Parquet schema is fixed before the first batch is written, so the raw file is
    read once more beforehand, only when the table has a datetime field.
    """
    fields: list[Field] = list(resource.schema.get("fields", []))
    missing = resource.schema.get("missingValues", [""])
    wanted = [i for i, field in enumerate(fields) if field.get("type") == "datetime"]
    if not wanted:
        return {}
    found: dict[int, set[int]] = {i: set() for i in wanted}
    for batch in read(resource, source, place=place, batch_rows=batch_rows).batches:
        for i in wanted:
            if len(found[i]) < 2:  # two offsets already make the column UTC
                found[i] |= offsets_in(batch.column(i), fields[i], missing)
    return {fields[i]["name"]: zone_of(found[i]) for i in wanted}


def arrow_schema(
    resource: Resource, dataset: Dataset, *, zones: Mapping[str, str | None] | None = None
) -> pa.Schema:
    """Return the typed Arrow schema, carrying the Table Schema and the dataset's metadata.

    `zones` gives datetime fields their time zone (from `time_zones`); others stay naive.
    """
    fields = []
    for field in resource.schema.get("fields", []):
        kind = ARROW_TYPES.get(field.get("type", "string"), pa.string())
        if pa.types.is_timestamp(kind) and (zone := (zones or {}).get(field["name"])):
            kind = pa.timestamp("s", zone)
        fields.append(pa.field(field["name"], kind))
    about = {
        "id": dataset.id,
        "name": dataset.name,
        "agency": dataset.agency,
        "title": {"id": dataset.title.id, "en": dataset.title.en},
        "version": dataset.version,
        "licenses": [{"name": x.name, "title": x.title, "path": x.path} for x in dataset.licenses],
        "modified": dataset.modified,
    }
    metadata = {b"opendata.schema": _json(resource.schema), b"opendata.dataset": _json(about)}
    return pa.schema(fields, metadata=metadata)


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _place(resource: Resource, dataset: Dataset) -> str:
    """Return the raw file's path from the catalogue root (datasets/<agency>/<dataset>/…)."""
    try:
        return resource.path.relative_to(dataset.path.parents[2]).as_posix()
    except (IndexError, ValueError):
        return resource.relpath


def _write(
    batches: Iterable[pa.RecordBatch],
    descriptor: dict[str, Any],
    schema: pa.Schema,
    paths: dict[str, Path],
    place: str,
    cells: bool,
) -> int:
    rows = 0
    with ExitStack() as stack:
        writers = [stack.enter_context(WRITERS[name](path, schema)) for name, path in paths.items()]
        for batch in batches:
            out = typed(batch, descriptor, schema, first_row=rows + 2, place=place, cells=cells)
            for writer in writers:
                writer.write(out)
            rows += batch.num_rows
    return rows


def _output(name: str, path: Path, site_root: Path) -> Output:
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    relpath = path.resolve().relative_to(site_root.resolve()).as_posix()
    return Output(format=name, path=relpath, bytes=path.stat().st_size, sha256=digest)
