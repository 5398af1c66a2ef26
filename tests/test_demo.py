"""The demonstration catalogue: valid, complete, and published with the source's values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from opendata.load import load
from opendata.pipeline import build
from tests.conftest import run
from tests.test_pipeline import tree

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    with pytest.MonkeyPatch.context() as patch:  # the autouse clock fixture is per test
        patch.setenv("SOURCE_DATE_EPOCH", "1717200000")
        build(ROOT, out=out, use_cache=False)  # never write a cache into the repository
    return out


def test_demo_catalogue_validates() -> None:
    result = run("validate", ROOT)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("All 19 resources are valid.\n")


def test_demo_catalogue_has_what_the_portal_promises() -> None:
    catalogue = load(ROOT)
    assert catalogue.portal.sample is True
    assert len(catalogue.agencies) >= 4
    assert len(catalogue.datasets) >= 12
    uses: dict[str, set[str]] = {}
    for dataset in catalogue.datasets:
        assert dataset.title.id and dataset.title.en and dataset.description.en
        for resource in dataset.resources:
            if resource.schema_ref:
                uses.setdefault(resource.schema_ref, set()).add(dataset.id)
    assert len([name for name, users in uses.items() if len(users) > 1]) >= 5
    formats = {(r.format, r.encoding, r.delimiter) for d in catalogue.datasets for r in d.resources}
    assert ("csv", "windows-1252", ";") in formats
    assert any(kind == "xlsx" for kind, _, _ in formats)
    assert max(len(d.resources) for d in catalogue.datasets) >= 3
    provinces = next(d for d in catalogue.datasets if d.id == "referensi/kode-wilayah").resources[0]
    with provinces.path.open(encoding="utf-8") as file:
        assert len(list(csv.DictReader(file))) == 38


def test_windows_1252_values_are_published_exactly(site: Path) -> None:
    raw = ROOT / "datasets/dinkes/rumah-sakit/data"
    [source] = raw.glob("*.csv")
    rows = list(csv.DictReader(io.StringIO(source.read_bytes().decode("cp1252")), delimiter=";"))
    table = pq.read_table(next(site.glob("dinkes/rumah-sakit/*/rumah-sakit.parquet"))).to_pylist()
    assert len(table) == len(rows)
    for ours, theirs in zip(table, rows, strict=True):
        assert ours["nama_fasyankes"] == theirs["nama_fasyankes"]
        assert ours["bor_persen"] == float(theirs["bor_persen"].replace(",", "."))
        assert ours["jumlah_tempat_tidur"] == int(theirs["jumlah_tempat_tidur"])
        day = dt.datetime.strptime(theirs["tanggal_izin_operasional"], "%d/%m/%Y").date()
        assert ours["tanggal_izin_operasional"] == day
        assert ours["layanan_igd_24_jam"] is (theirs["layanan_igd_24_jam"] == "Ya")
    assert any("É" in row["nama_fasyankes"] for row in table)


def test_xlsx_values_are_published_exactly(site: Path) -> None:
    book = CalamineWorkbook.from_path(
        str(ROOT / "datasets/bpkad/apbd-2024/data/realisasi-apbd-2024.xlsx")
    )
    header, *rows = book.get_sheet_by_name("realisasi").to_python()
    table = pq.read_table(next(site.glob("bpkad/apbd-2024/*/realisasi-apbd-2024.parquet")))
    assert table.column_names == [str(h) for h in header]
    published = table.to_pylist()
    assert len(published) == len(rows)
    for ours, theirs in zip(published, rows, strict=True):
        for name, value in zip(header, theirs, strict=True):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, dt.datetime):
                value = value.date() if isinstance(ours[name], dt.date) else value
            assert ours[name] == value, (name, ours[name], value)


def test_zoned_times_are_published_as_the_source_writes_them(site: Path) -> None:
    raw = ROOT / "datasets/dlh/kualitas-udara/data/ispu-per-jam-2026-09.csv"
    times = [row["waktu"] for row in csv.DictReader(io.StringIO(raw.read_text(encoding="utf-8")))]
    assert times[0] == "2026-09-14T00:00:00+08:00"  # WITA, as the description says
    folder = next(site.glob("dlh/kualitas-udara/*/ispu-per-jam.csv")).parent
    with (folder / "ispu-per-jam.csv").open(encoding="utf-8") as file:
        assert [row["waktu"] for row in csv.DictReader(file)] == times
    rows = json.loads((folder / "ispu-per-jam.json").read_text(encoding="utf-8"))
    assert [row["waktu"] for row in rows] == times
    column = pq.read_table(folder / "ispu-per-jam.parquet").column("waktu")
    assert column.type.tz == "+08:00"
    assert column.to_pylist() == [dt.datetime.fromisoformat(text) for text in times]


def test_demo_builds_twice_byte_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(ROOT, out=again, use_cache=False)
    assert tree(site) == tree(again)


def test_every_published_datapackage_is_valid_frictionless(site: Path) -> None:
    import frictionless

    packages = sorted(site.glob("*/*/datapackage.json"))
    assert len(packages) == len(load(ROOT).datasets)
    for path in packages:
        report = frictionless.Package(str(path)).validate()
        assert report.valid, (path, report.flatten(["rowNumber", "fieldName", "type", "note"]))
