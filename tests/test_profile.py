"""The profile stage and the JSON/XLSX downloads, on files the real convert stage writes."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import opendata.profile
from opendata.convert.write import WRITERS
from opendata.models import Resource
from opendata.profile import profile

RESOURCE = Resource("t", Path("t.csv"), "t.csv", "csv", {})


def parquet(tmp_path: Path, columns: dict[str, pa.Array]) -> Path:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table(columns), path)
    return path


def test_numbers_dates_and_text_are_profiled(tmp_path: Path) -> None:
    values = [3, 1, None, 4, 1, 5, 9, 2, 6, None]
    floats = [0.5, float("nan"), 2.25, None, 1.0, 7.5, 3.0, 3.0, 8.0, 9.5]
    days = pa.array([f"2024-01-{d:02d}" for d in (5, 1, 31, 2, 2, 9, 17, 3, 4, 6)]).cast(
        pa.date32()
    )
    text = ["a", "b", "a", None, "c", "a", "b", "=1+1", "a", "c"]
    path = parquet(
        tmp_path,
        {"n": pa.array(values), "x": pa.array(floats), "d": days, "s": pa.array(text)},
    )
    n, x, d, s = profile(RESOURCE, path=path, batch_rows=3, bins=4).columns
    present = [v for v in values if v is not None]
    assert (n.kind, n.count, n.missing, n.distinct) == ("integer", 8, 2, 7)
    assert (n.minimum, n.maximum) == (1, 9)
    assert n.mean == pytest.approx(statistics.mean(present))
    assert sum(b.count for b in n.bins) == 8 and n.bins[0].low == 1
    assert x.kind == "number" and x.count == 9 and x.missing == 1  # NaN is a value, not missing
    finite = [v for v in floats if v is not None and not math.isnan(v)]
    assert (x.minimum, x.maximum) == (min(finite), max(finite))
    assert sum(b.count for b in x.bins) == len(finite)
    assert (d.kind, d.minimum, d.maximum) == ("date", "2024-01-01", "2024-01-31")
    assert sum(b.count for b in d.bins) == 10
    assert s.top[:2] == (("a", 4), ("b", 2)) and s.distinct == 4 and s.missing == 1


def test_same_profile_whatever_the_batch_size(tmp_path: Path) -> None:
    path = parquet(tmp_path, {"v": pa.array([i * 7 % 101 for i in range(5000)])})
    small = profile(RESOURCE, path=path, batch_rows=17)
    large = profile(RESOURCE, path=path, batch_rows=100_000)
    assert small == large
    assert len(small.preview) == 50 and small.preview[0] == ("0",) and small.rows == 5000


def test_datetimes_read_as_the_csv_writes_them_with_their_offset(tmp_path: Path) -> None:
    seconds = pa.array([1789315200, None, 1789574400, 1789329600])  # 2026-09-13T16:00:00Z, …
    columns = {
        "wita": pc.cast(seconds, pa.timestamp("s", "+08:00")),
        "utc": pc.cast(seconds, pa.timestamp("s", "UTC")),
        "naive": pc.cast(seconds, pa.timestamp("s")),
        "nepal": pc.cast(seconds, pa.timestamp("s", "+05:45")),
    }
    result = profile(RESOURCE, path=parquet(tmp_path, columns))
    csv_path = tmp_path / "t.csv"
    with WRITERS["csv"](csv_path, pa.schema([(n, a.type) for n, a in columns.items()])) as out:
        out.write(pa.record_batch(list(columns.values()), names=list(columns)))
    lines = csv_path.read_text(encoding="utf-8").splitlines()[1:]
    assert [",".join(row) for row in result.preview] == lines
    assert lines[0] == (
        "2026-09-14T00:00:00+08:00,2026-09-13T16:00:00+00:00,"
        "2026-09-13T16:00:00,2026-09-13T21:45:00+05:45"
    )
    wita, utc, naive, nepal = result.columns
    assert (wita.kind, wita.minimum, wita.maximum) == (
        "datetime",
        "2026-09-14T00:00:00+08:00",
        "2026-09-17T00:00:00+08:00",
    )
    assert (utc.minimum, naive.minimum) == ("2026-09-13T16:00:00+00:00", "2026-09-13T16:00:00")
    assert nepal.maximum == "2026-09-16T21:45:00+05:45"


def test_distinct_values_beyond_the_cap_are_not_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opendata.profile, "DISTINCT_CAP", 10)
    path = parquet(tmp_path, {"s": pa.array([f"v{i}" for i in range(50)])})
    (column,) = profile(RESOURCE, path=path).columns
    assert column.distinct is None and column.top == ()


def schema() -> pa.Schema:
    about = json.dumps({"modified": "2024-05-31"}).encode()
    fields = [("s", pa.string()), ("n", pa.int64()), ("x", pa.float64()), ("d", pa.date32())]
    return pa.schema(fields, metadata={b"opendata.dataset": about})


def batch() -> pa.RecordBatch:
    return pa.record_batch(
        [
            pa.array(['=HYPERLINK("http://x")', "+1", None]),
            pa.array([1, None, 3]),
            pa.array([1.5, float("inf"), None]),
            pa.array(["2024-01-02", None, "2023-12-31"]).cast(pa.date32()),
        ],
        schema=schema(),
    )


def write(fmt: str, path: Path) -> Path:
    with WRITERS[fmt](path, schema()) as writer:
        writer.write(batch())
    return path


def test_xlsx_writes_formulas_as_text_deterministically(tmp_path: Path) -> None:
    first, second = write("xlsx", tmp_path / "a.xlsx"), write("xlsx", tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    sheet = openpyxl.load_workbook(first).active
    rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [("s", "s"), ("n", "s"), ("x", "s"), ("d", "s")]
    assert rows[1][0] == ('=HYPERLINK("http://x")', "s") and rows[2][0] == ("+1", "s")
    assert rows[1][1] == (1, "n") and rows[2][2] == ("INF", "s")
    assert rows[1][3][0].date().isoformat() == "2024-01-02"
    assert openpyxl.load_workbook(first).properties.created.year == 2024


def test_xlsx_is_left_out_beyond_the_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WRITERS["xlsx"], "max_rows", 3)  # the header and two rows fit
    assert not write("xlsx", tmp_path / "big.xlsx").exists()
    monkeypatch.setattr(WRITERS["xlsx"], "max_rows", 4)
    assert write("xlsx", tmp_path / "fits.xlsx").exists()


def test_json_is_an_array_of_rows(tmp_path: Path) -> None:
    rows = json.loads(write("json", tmp_path / "t.json").read_text(encoding="utf-8"))
    assert rows == [
        {"s": '=HYPERLINK("http://x")', "n": 1, "x": 1.5, "d": "2024-01-02"},
        {"s": "+1", "n": None, "x": None, "d": None},
        {"s": None, "n": 3, "x": None, "d": "2023-12-31"},
    ]
