"""Regenerate tests/golden/ from the `minimal` fixture catalogue (`make golden`).

Review the diff before committing it: it is every byte the site generator changed.
Parquet bytes depend on the installed pyarrow and zstd, so each Parquet file is kept as
a JSON dump of its schema, metadata and rows, and its checksum and size in the pages are
replaced by placeholders; everything else is compared byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq

from opendata.pipeline import build

HERE = Path(__file__).parent
FIXTURE = HERE / "catalogues" / "minimal"
GOLDEN = HERE / "golden"
EPOCH = "1717200000"  # 2024-06-01, the same as the tests use
TEXT = {".html", ".json", ".css", ".csv", ".xml", ".txt", ".jsonld", ".ttl", ".js"}


def build_golden(out: Path) -> None:
    """Build the fixture catalogue into `out` with a fixed clock, then normalize Parquet."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "minimal"
        shutil.copytree(FIXTURE, root)  # build from a copy: the fixture stays clean
        build(root, out=out)
    # The search index's bytes depend on the Pagefind version (its WebAssembly, its
    # hashes); tests/test_search.py checks it is byte-stable and what it holds.
    shutil.rmtree(out / "pagefind", ignore_errors=True)
    for parquet in sorted(out.rglob("*.parquet")):
        _normalize(out, parquet)
    for workbook in sorted(out.rglob("*.xlsx")):
        _normalize_xlsx(out, workbook)


def _normalize_xlsx(out: Path, workbook: Path) -> None:
    """Keep an XLSX file as its cells' values and types: its bytes depend on zlib."""
    data = workbook.read_bytes()
    book = openpyxl.load_workbook(workbook, read_only=True)
    rows = [[[cell.data_type, str(cell.value)] for cell in row] for row in book.active.iter_rows()]
    book.close()
    dump = json.dumps({"sheets": book.sheetnames, "rows": rows}, indent=1, sort_keys=True)
    workbook.with_suffix(".xlsx.json").write_text(dump)
    workbook.unlink()
    _placeholders(out, data, "XLSX")


def _placeholders(out: Path, data: bytes, name: str) -> None:
    """Replace a normalized file's size and sha256 in the pages by placeholders."""
    digest, size = hashlib.sha256(data).hexdigest(), str(len(data))
    size_value = re.compile(rf'<data value="{size}">[^<]*</data>')
    for page in out.rglob("*"):
        if page.suffix in TEXT and page.is_file():
            text = page.read_text(encoding="utf-8")
            new = size_value.sub(f'<data value="{name}-BYTES">{name}-SIZE</data>', text)
            new = new.replace(digest, f"{name}-SHA256")
            if new != text:
                page.write_text(new, encoding="utf-8")


def _normalize(out: Path, parquet: Path) -> None:
    data = parquet.read_bytes()
    table = pq.read_table(parquet)
    dump = {
        "schema": [f"{field.name}: {field.type}" for field in table.schema],
        "metadata": {
            k.decode(): v.decode()
            for k, v in (table.schema.metadata or {}).items()
            if k != b"ARROW:schema"
        },
        "rows": table.to_pylist(),
    }
    parquet.with_suffix(".parquet.json").write_text(
        json.dumps(dump, indent=1, sort_keys=True, default=str)
    )
    parquet.unlink()
    _placeholders(out, data, "PARQUET")


if __name__ == "__main__":
    shutil.rmtree(GOLDEN, ignore_errors=True)
    build_golden(GOLDEN)
    print(f"Wrote {GOLDEN}; review with: git diff --stat {GOLDEN}")
