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
    for parquet in sorted(out.rglob("*.parquet")):
        _normalize(out, parquet)


def _normalize(out: Path, parquet: Path) -> None:
    data = parquet.read_bytes()
    digest, size = hashlib.sha256(data).hexdigest(), str(len(data))
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
    size_value = re.compile(rf'<data value="{size}">[^<]*</data>')
    for page in out.rglob("*"):
        if page.suffix in TEXT and page.is_file():
            text = page.read_text(encoding="utf-8")
            new = size_value.sub('<data value="PARQUET-BYTES">PARQUET-SIZE</data>', text)
            new = new.replace(digest, "PARQUET-SHA256")
            if new != text:
                page.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    shutil.rmtree(GOLDEN, ignore_errors=True)
    build_golden(GOLDEN)
    print(f"Wrote {GOLDEN}; review with: git diff --stat {GOLDEN}")
