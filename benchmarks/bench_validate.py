"""Validation speed and peak memory: our engine against frictionless on the same files.

Government-style tables of 10 columns (integer id as primary key, integer with a minimum,
number, enum text, ISO date, boolean, required 10-digit code with a pattern, year, free
text, number) are generated with 1,000,000 and 5,000,000 rows, each valid and with 0.1%
bad cells (type errors, constraint violations, duplicate primary keys, missing required
values). Ours is timed from the raw file: detecting the encoding and delimiter is part
of it, as it is of frictionless's time. Each run happens in a fresh subprocess, so its
peak RSS is its own. Ours is timed as the best of a few runs (the machine is shared);
frictionless runs once on the 1M files, and its 5M rate is estimated from 1M unless
--frictionless-5m is given.

    .venv/bin/python benchmarks/bench_validate.py [--rows 1000000 5000000] [--frictionless-5m]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "validate.json"
BAD = 0.001  # the share of bad cells in the "bad" variant
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "anggaran", "type": "number"},
        {"name": "jenjang", "type": "string", "constraints": {"enum": ["SD", "SMP", "SMA", "SMK"]}},
        {"name": "tanggal", "type": "date"},
        {"name": "aktif", "type": "boolean"},
        {
            "name": "kode_desa",
            "type": "string",
            "constraints": {"required": True, "pattern": "[0-9]{10}"},
        },
        {"name": "tahun", "type": "year"},
        {"name": "keterangan", "type": "string"},
        {"name": "realisasi", "type": "number", "constraints": {"maximum": 100}},
    ],
    "primaryKey": ["id"],
}
BAD_CELLS = ["12x", "-5", "1,5", "SD ", "2023-02-30", "ya", "", "20x4", None, "101.5"]
# per column: a type error or a broken constraint; the id gets a duplicate; None: free text


def generate(path: Path, rows: int, bad: bool) -> int:
    """Write the table with pyarrow (fast) and return how many cells were made bad."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(42)
    ids = np.arange(1, rows + 1)
    days = np.datetime64("2015-01-01") + rng.integers(0, 3650, rows).astype("timedelta64[D]")
    words = np.array(["baik", "cukup", "perlu perbaikan", "rusak ringan", "Desa Sukamaju", ""])
    columns = [
        pa.array(ids),
        pa.array(rng.integers(0, 5000, rows)),
        pc.round(pa.array(rng.random(rows) * 1e7), 2),
        pa.array(np.array(["SD", "SMP", "SMA", "SMK"])[rng.integers(0, 4, rows)]),
        pa.array(days),
        pa.array(rng.integers(0, 2, rows).astype(bool)),
        pa.array(rng.integers(5200000000, 5299999999, rows)),
        pa.array(rng.integers(2015, 2025, rows)),
        pa.array(words[rng.integers(0, len(words), rows)]),
        pc.round(pa.array(rng.random(rows) * 100), 2),
    ]
    columns = [pc.cast(c, pa.string()) for c in columns]
    count = 0
    if bad:
        for index, value in enumerate(BAD_CELLS):
            if value is None:
                continue
            hits = rng.random(rows) < BAD
            hits[0] = False
            count += int(hits.sum())
            if index == 0:  # a duplicate primary key: the row repeats the previous id
                repeated = pa.array(np.maximum(ids - 1, 1)).cast(pa.string())
                columns[0] = pc.if_else(pa.array(hits), repeated, columns[0])
            else:
                columns[index] = pc.if_else(pa.array(hits), value, columns[index])
    names = [f["name"] for f in SCHEMA["fields"]]
    table = pa.Table.from_arrays(columns, names=names)
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))
    return count


def run_ours(path: Path) -> dict:
    from opendata.models import Resource
    from opendata.read import sniff
    from opendata.validate import validate

    res = Resource(name="data", path=path, relpath=path.name, format="csv", schema=SCHEMA)
    started = time.perf_counter()
    source = sniff(res, place=path.name)
    sniffed = time.perf_counter()
    report = validate(res, source, place=path.name, limit_errors=0)
    done = time.perf_counter()
    return {
        "seconds": done - started,  # what an officer waits for: detection included
        "seconds_validate_only": done - sniffed,
        "errors": len(report.errors),
        "rows": report.rows,
    }


def run_frictionless(path: Path) -> dict:
    import frictionless

    schema = frictionless.Schema.from_descriptor(SCHEMA)
    started = time.perf_counter()
    with frictionless.system.use_context(trusted=True):
        report = frictionless.Resource(path=str(path), schema=schema).validate(limit_errors=0)
    task = report.tasks[0]
    return {
        "seconds": time.perf_counter() - started,
        "errors": len(task.errors),
        "rows": task.stats["rows"],
    }


def peak_rss() -> int:
    """Return this process's peak RSS in bytes.

    VmHWM, not getrusage's ru_maxrss: Linux keeps ru_maxrss across exec, so a child would
    report the parent's peak (the table generation) instead of its own.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(engine: str, path: Path) -> None:
    result = (run_ours if engine == "ours" else run_frictionless)(path)
    result["peak_rss_bytes"] = peak_rss()
    print(json.dumps(result))


def measure(engine: str, path: Path, repeat: int) -> dict:
    """Run the engine in fresh subprocesses; keep the fastest run and the highest peak."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", engine, str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout))
    best = min(runs, key=lambda r: r["seconds"])
    best["peak_rss_bytes"] = max(r["peak_rss_bytes"] for r in runs)
    best["rows_per_second"] = best["rows"] / best["seconds"]
    best["runs"] = len(runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--frictionless-5m", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    results: dict = {"command": " ".join(["python", *sys.argv]), "tables": []}
    baseline: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            for bad in (False, True):
                variant = "bad-0.1%" if bad else "valid"
                path = Path(folder) / f"{rows}-{variant}.csv"
                bad_cells = generate(path, rows, bad)
                entry = {"rows": rows, "variant": variant, "bytes": path.stat().st_size}
                entry["bad_cells"] = bad_cells
                entry["ours"] = measure("ours", path, args.repeat)
                if rows == min(args.rows) or args.frictionless_5m:
                    entry["frictionless"] = measure("frictionless", path, 1)
                    baseline[variant] = entry["frictionless"]["rows_per_second"]
                    same = entry["frictionless"]["errors"] == entry["ours"]["errors"]
                    entry["same_error_count"] = same
                else:
                    rate = baseline[variant]
                    entry["frictionless"] = {
                        "estimated_from_rows": min(args.rows),
                        "rows_per_second": rate,
                        "seconds": rows / rate,
                    }
                ratio = entry["ours"]["rows_per_second"] / entry["frictionless"]["rows_per_second"]
                entry["speed_ratio_ours_to_frictionless"] = ratio
                print(json.dumps(entry), flush=True)
                results["tables"].append(entry)
                path.unlink()
    peaks = {(t["rows"], t["variant"]): t["ours"]["peak_rss_bytes"] for t in results["tables"]}
    small, large = min(args.rows), max(args.rows)
    results["peak_rss_ratio_largest_to_smallest"] = {
        v: peaks[(large, v)] / peaks[(small, v)] for v in ("valid", "bad-0.1%")
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
