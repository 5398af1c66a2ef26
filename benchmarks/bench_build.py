"""Build speed on a catalogue of 1,000 datasets: full, unchanged, one changed, --jobs 2.

Generates the catalogue (mixed sizes, 100 to 100,000 rows), then times `opendata build`
runs, each in its own subprocess so peak RSS belongs to that run, and writes the figures
with their ratios to benchmarks/results/build.json. Targets: an unchanged rebuild takes at
most 5% of the full build, a rebuild after changing one dataset at most 10%.

The runs use a snapshot of the toolkit's source taken at the start (on PYTHONPATH), so
an edit in the working tree during the benchmark does not invalidate the cache (the
cache key includes the toolkit's source hash). The load average before and after each
run is recorded: on a shared machine the figures are only as good as the load allows.

    .venv/bin/python benchmarks/bench_build.py [DATASETS]
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "build.json"
SIZES = (100, 1_000, 10_000, 100_000)
WEIGHTS = (50, 30, 15, 5)
SCHEMA = """fields:
  - {name: kode_wilayah, type: string, constraints: {required: true, pattern: "^[0-9]{4}$"}}
  - {name: tahun, type: year}
  - {name: tanggal, type: date, format: "%d/%m/%Y"}
  - {name: kategori, type: string, constraints: {enum: [A, B, C, D]}}
  - {name: nilai, type: number, decimalChar: ","}
  - {name: jumlah, type: integer, constraints: {minimum: 0}}
  - {name: aktif, type: boolean, trueValues: ["Ya"], falseValues: ["Tidak"]}
  - {name: keterangan, type: string}
"""


def generate(root: Path, count: int) -> int:
    """Write a catalogue of `count` datasets over 10 agencies; return the total rows."""
    rng = random.Random(7)
    (root / "schemas").mkdir(parents=True)
    (root / "schemas/tabel.yaml").write_text(SCHEMA)
    (root / "opendata.yaml").write_text("title: {id: Katalog Uji, en: Benchmark Catalogue}\n")
    total = 0
    for i in range(count):
        agency = f"dinas-{i % 10:02d}"
        folder = root / "datasets" / agency / f"data-{i:04d}"
        (folder / "data").mkdir(parents=True)
        if not (root / "datasets" / agency / "agency.yaml").exists():
            (root / "datasets" / agency / "agency.yaml").write_text(f"title: Dinas {i % 10}\n")
        rows = rng.choices(SIZES, WEIGHTS)[0]
        total += rows
        (folder / "datapackage.yaml").write_text(
            f'title: Data {i}\nversion: "1.0"\nmodified: "2024-01-01"\nfrequency: annual\n'
            "resources:\n  - {name: tabel, path: data/tabel.csv, schema: tabel}\n"
        )
        write_table(folder / "data/tabel.csv", rows, rng)
    return total


def write_table(path: Path, rows: int, rng: random.Random) -> None:
    lines = ["kode_wilayah;tahun;tanggal;kategori;nilai;jumlah;aktif;keterangan"]
    for _ in range(rows):
        lines.append(
            f"{rng.randint(1101, 9471)};{rng.randint(2019, 2024)};{rng.randint(1, 28):02d}/"
            f"{rng.randint(1, 12):02d}/2023;{rng.choice('ABCD')};{rng.randint(0, 9999)},{rng.randint(0, 99)};"
            f"{rng.randint(0, 10**6)};{rng.choice(['Ya', 'Tidak'])};{rng.choice(['baik', 'cukup', ''])}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def snapshot(folder: Path) -> Path:
    """Copy the toolkit's package into `folder`; return the folder to put on PYTHONPATH."""
    shutil.copytree(HERE.parent / "opendata", folder / "opendata")
    # The editable install's import hook would find the working tree first: drop it in
    # every interpreter started with this PYTHONPATH (--jobs workers too).
    (folder / "sitecustomize.py").write_text(
        "import sys\n"
        "sys.meta_path[:] = [f for f in sys.meta_path"
        ' if "__editable__" not in getattr(f, "__module__", "")]\n'
    )
    return folder


def run_build(root: Path, *args: str, code: Path) -> dict:
    """Time one build in a subprocess; return seconds, the child's peak RSS and the load."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1717200000", "PYTHONPATH": str(code)}
    load_before = os.getloadavg()
    command = [
        str(Path(sys.executable).with_name("opendata")),
        "build",
        str(root),
        "--out",
        str(root / "_site"),
        *args,
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, cwd=code)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not all children's
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"build failed ({child.returncode}): {' '.join(command)}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "loadavg_1_5_15_before": [round(x, 2) for x in load_before],
        "loadavg_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
    }


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        code = snapshot(Path(tmp) / "code")
        root = Path(tmp) / "catalogue"
        total = generate(root, count)
        full = run_build(root, "--no-cache", code=code)
        first = run_build(root, code=code)  # fills the cache
        unchanged = run_build(root, code=code)
        table = root / "datasets/dinas-00/data-0000/data/tabel.csv"
        table.write_text(table.read_text() + "5201;2024;01/01/2024;A;1,5;3;Ya;baru\n")
        one_changed = run_build(root, code=code)
        pagefind = index_seconds(root / "_site")
        shutil.rmtree(root / ".opendata-cache")
        # --jobs 1 and 2 back to back, so both see about the same load.
        jobs1 = run_build(root, "--no-cache", code=code)
        jobs2 = run_build(root, "--no-cache", "--jobs", "2", code=code)
    result = {
        "command": f"python benchmarks/bench_build.py {count}",
        "commit": commit(),
        "cpus": os.cpu_count(),
        "datasets": count,
        "rows": total,
        "full_build_no_cache": full,
        "first_build_filling_cache": first,
        "rebuild_unchanged": unchanged,
        "rebuild_one_changed": one_changed,
        "pagefind_whole_index_seconds": pagefind,
        "full_build_jobs_1_paired": jobs1,
        "full_build_jobs_2": jobs2,
        "unchanged_share_of_full": round(unchanged["seconds"] / full["seconds"], 4),
        "one_changed_share_of_full": round(one_changed["seconds"] / full["seconds"], 4),
        "jobs_2_speedup": round(jobs1["seconds"] / jobs2["seconds"], 2),
        "targets": {"unchanged_share_of_full": 0.05, "one_changed_share_of_full": 0.10},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def index_seconds(site: Path) -> float:
    """Time Pagefind indexing the whole site once: what a rebuild pays when a page changed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--keep-index-url"]
    started = time.perf_counter()
    subprocess.run([*command, "--output-subdir", "pagefind-bench", "--quiet"], check=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(site / "pagefind-bench")
    return round(seconds, 2)


def commit() -> str:
    """Return the checked-out commit, with "+changes" when the tree differs from it."""
    git = ["git", "-C", str(HERE.parent)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "opendata"], check=False)
    return head.stdout.strip() + ("+changes" if dirty.returncode else "")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
