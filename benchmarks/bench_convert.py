"""Convert speed and peak memory: our converter against bare pyarrow on the same file.

The baseline is what a hand-written script would do: pyarrow reads the CSV with type
inference and writes Parquet. Ours also decodes strictly, applies the Table Schema
(decimal commas, day-first dates, missing values), writes the normalized CSV and the
JSON and XLSX downloads besides the Parquet file, and hashes every output. Each run happens in a fresh subprocess so peak RSS belongs to that run.

    .venv/bin/python benchmarks/bench_convert.py [ROWS]
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "convert.json"
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "kode_wilayah", "type": "string", "constraints": {"pattern": "^[0-9]{4}$"}},
        {"name": "tahun", "type": "year"},
        {"name": "tanggal", "type": "date", "format": "%d/%m/%Y"},
        {"name": "nilai", "type": "number", "decimalChar": ","},
        {"name": "jumlah", "type": "integer"},
        {"name": "aktif", "type": "boolean", "trueValues": ["Ya"], "falseValues": ["Tidak"]},
        {"name": "keterangan", "type": "string"},
    ]
}


def generate(path: Path, rows: int) -> None:
    rng = random.Random(42)
    with path.open("w", encoding="utf-8") as file:
        file.write(";".join(f["name"] for f in SCHEMA["fields"]) + "\n")
        for i in range(rows):
            day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2019, 2024)}"
            value = f"{rng.randint(0, 99999)},{rng.randint(0, 99)}"
            note = rng.choice(["baik", "cukup", "perlu perbaikan", ""])
            file.write(
                f"{i};{rng.randint(1101, 9471)};{rng.randint(2019, 2024)};{day};{value};"
                f"{rng.randint(0, 10**6)};{rng.choice(['Ya', 'Tidak'])};{note}\n"
            )


def run_ours(path: Path, out: Path) -> None:
    from opendata.convert import convert
    from opendata.models import Dataset, Resource, Text
    from opendata.read import sniff

    res = Resource(
        name="data", path=path, relpath=path.name, format="csv", schema=SCHEMA, delimiter=";"
    )
    dataset = Dataset(
        agency="bench",
        name="bench",
        title=Text("Bench", "Bench"),
        version="1",
        path=path.parent,
        descriptor_path=path,
        resources=(res,),
    )
    convert(res, dataset, sniff(res, place=path.name), out_dir=out, site_root=out)


def run_pyarrow(path: Path, out: Path) -> None:
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    reader = pv.open_csv(path, parse_options=pv.ParseOptions(delimiter=";"))
    with pq.ParquetWriter(out / "data.parquet", reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)


def child(kind: str, path: str, out: str) -> None:
    started = time.perf_counter()
    (run_ours if kind == "ours" else run_pyarrow)(Path(path), Path(out))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak}))


def measure(kind: str, path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(path), str(out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        generate(path, rows)
        ours = measure("ours", path, Path(tmp) / "ours")
        base = measure("pyarrow", path, Path(tmp) / "pyarrow")
        size = path.stat().st_size
    result = {
        "command": f"python benchmarks/bench_convert.py {rows}",
        "rows": rows,
        "input_bytes": size,
        "ours": {**ours, "rows_per_second": rows / ours["seconds"]},
        "pyarrow": {**base, "rows_per_second": rows / base["seconds"]},
        "time_ratio_ours_to_pyarrow": ours["seconds"] / base["seconds"],
        "peak_rss_ratio_ours_to_pyarrow": ours["peak_rss_bytes"] / base["peak_rss_bytes"],
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
