"""Engine behaviour beyond the differential suite: deliberate differences, streaming, keys."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from opendata.models import Resource, Source
from opendata.validate import validate
from opendata.validate.keys import KeySet
from opendata.validate.rows import BLOCK
from tests.test_validate_differential import KEYS, ours, theirs
from tests.validate_cases import Case


def _number(value: str, **options: object) -> Case:
    schema = {
        "fields": [{"name": "v", "type": "number", **options, "constraints": {"maximum": 100}}]
    }
    return Case("n", schema, f"v\n{value}\n")


def test_group_char_equal_to_decimal_char_keeps_decimals(tmp_path: Path) -> None:
    # frictionless removes every groupChar, so with groupChar "." it reads "12.34" as 1234
    # and breaks maximum 100; a "." is a group mark only between groups of three digits.
    case = _number("12.34", groupChar=".")
    assert ours(case, tmp_path).flatten(*KEYS) == []
    assert theirs(case, tmp_path) == [("constraint-error", 2, 1, "v", "12.34")]
    grouped = _number("1.234", groupChar=".")
    assert ours(grouped, tmp_path).flatten("type", "cell") == [("constraint-error", "1.234")]


def test_any_dates_are_read_day_first(tmp_path: Path) -> None:
    # frictionless reads "03/04/2024" month-first (4 March); Indonesian dates are day-first.
    field = {"name": "d", "type": "date", "format": "any", "constraints": {"minimum": "2024-04-01"}}
    case = Case("d", {"fields": [field]}, "d\n03/04/2024\n")
    assert ours(case, tmp_path).flatten(*KEYS) == []
    assert theirs(case, tmp_path) == [("constraint-error", 2, 1, "d", "03/04/2024")]


def test_unique_keys_are_checked(tmp_path: Path) -> None:
    # frictionless 5 does not check uniqueKeys at all; Table Schema asks for it. Rows with a
    # missing part are not compared, as the specification says.
    schema = {
        "fields": [{"name": "kode", "type": "string"}, {"name": "tahun", "type": "year"}],
        "uniqueKeys": [["kode", "tahun"]],
    }
    case = Case("u", schema, "kode,tahun\n5201,2023\n5201,2024\n5201,2023\n,2023\n,2023\n")
    report = ours(case, tmp_path)
    assert theirs(case, tmp_path) == []  # frictionless reports nothing
    assert report.flatten(*KEYS) == [("unique-error", 4, 1, "kode", "5201")]
    assert "row at position 2" in report.errors[0].message


def _big(tmp_path: Path, rows: int, ragged_at: int | None) -> tuple[Resource, Source]:
    """A file larger than one parsing block, with duplicate ids and optionally a ragged row."""
    lines = ["id,kode"]
    for i in range(1, rows + 1):
        ident = i - 1 if i % 50_000 == 0 else i  # a duplicate now and then, across blocks
        lines.append(f"{ident},{'52' + str(i % 97).zfill(2)}")
    if ragged_at:
        lines[ragged_at - 1] += ",extra"
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "kode", "type": "string", "constraints": {"pattern": "52[0-9]{2}"}},
        ],
        "primaryKey": ["id"],
    }
    res = Resource(name="big", path=path, relpath="big.csv", format="csv", schema=schema)
    return res, Source("csv", "utf-8", ",", "")


@pytest.mark.parametrize("ragged_at", [None, 400_000])
def test_streams_large_files_in_batches(tmp_path: Path, ragged_at: int | None) -> None:
    res, source = _big(tmp_path, 450_000, ragged_at)
    assert res.path.stat().st_size > BLOCK  # more than one pyarrow block
    report = validate(res, source, place="big.csv", limit_errors=0)
    expected = [(row + 1, "primary-key") for row in range(50_000, 450_001, 50_000)]
    if ragged_at:
        expected.append((ragged_at, "extra-cell"))
    assert sorted(report.flatten("rowNumber", "type")) == sorted(expected)
    assert report.rows == 450_000


def test_limit_stops_early_and_says_so(tmp_path: Path) -> None:
    res, source = _big(tmp_path, 450_000, None)
    report = validate(res, source, place="big.csv", limit_errors=2)
    assert report.flatten("rowNumber", "type") == [
        (50_001, "primary-key"),
        (100_001, "primary-key"),
    ]
    assert report.warnings == ("reached error limit: 2",)
    assert report.rows == 100_000


@pytest.mark.parametrize("kind", ["int", "float", "bytes"])
def test_key_set_finds_exactly_the_repeated_keys(kind: str) -> None:
    rng = random.Random(7)
    keys, first_seen, expected, found = KeySet(), {}, [], []
    row = 2
    for _ in range(60):
        values = [rng.randint(0, 5000) for _ in range(rng.randint(0, 400))]
        if kind == "int":
            batch = np.array(values, dtype=np.int64)
        elif kind == "float":
            batch = np.array(values, dtype=np.float64) / 4
        else:
            batch = np.array([str(v).encode() for v in values], dtype=np.bytes_)
        rows = np.arange(row, row + len(values))
        found += keys.add(batch, rows)
        for value, at in zip(values, rows.tolist(), strict=True):
            if value in first_seen:
                expected.append((at, first_seen[value]))
            else:
                first_seen[value] = at
        row += len(values)
    assert found == expected
    assert len(keys) == len(first_seen)
    assert len(keys.runs) <= 12  # runs merge: lookups stay logarithmic


def test_stopping_at_the_limit_ends_the_reading_threads(tmp_path: Path) -> None:
    # Stopping early used to leave pyarrow's background reader inside our Python file
    # while the interpreter exited: "Fatal Python error" and exit 134 instead of 1.
    # Larger than all pyarrow reads ahead (32 blocks), so its reader is busy at exit.
    (tmp_path / "big.csv").write_bytes(b"id,kode\n" + b"1,x\n" * 36_000_000)
    schema = tmp_path / "schema.json"
    schema.write_text(
        '{"fields": [{"name": "id", "type": "integer"}, {"name": "kode", "type": "integer"}]}'
    )
    opendata = Path(sys.executable).with_name("opendata")  # the installed command
    command = [str(opendata), "validate", str(tmp_path / "big.csv")]
    for _ in range(3):  # the crash came at three exits in four
        run = subprocess.run(
            [*command, "--schema", str(schema), "--limit-errors", "3", "--lang", "en"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Fatal Python error" not in run.stderr
        assert run.returncode == 1, run.stderr
        assert "reached error limit: 3" in run.stdout
