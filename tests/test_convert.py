"""convert: typed Parquet and normalized CSV, read back and compared with the raw values."""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import struct
from datetime import UTC
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from opendata.convert import convert
from opendata.convert.write import WRITERS
from opendata.convert.zones import iso_text
from opendata.errors import OpendataError
from opendata.models import Conversion, Dataset, License, Output, Resource, Text
from opendata.read import sniff

FIELDS = [
    {"name": "kode", "type": "integer", "groupChar": "."},
    {"name": "nama", "type": "string"},
    {"name": "persen", "type": "number", "decimalChar": ",", "groupChar": "."},
    {"name": "aktif", "type": "boolean", "trueValues": ["ya"], "falseValues": ["tidak"]},
    {"name": "tanggal", "type": "date", "format": "%d/%m/%Y"},
    {"name": "waktu", "type": "datetime"},
    {"name": "tahun", "type": "year"},
    {"name": "jam", "type": "time"},
    {"name": "catatan", "type": "string", "missingValues": []},
]
RAW = (
    "kode;nama;persen;aktif;tanggal;waktu;tahun;jam;catatan\n"
    '1.234;"Bogor, Kab.";12,5;ya;31/12/2023;2023-12-31T08:00:00+07:00;2023;08:30:00;-\n'
    '-;Depok;1.234,5;tidak;01/02/2024;2024-02-01T00:00:00Z;-;;"kata ""baku"""\n'
    '7;Ciléungsi – Bekasi;-0,25;-;29/02/2024;2024-02-29T23:59:59;2024;-;"dua\nbaris"\n'
)


def dataset(tmp_path: Path, name: str, data: bytes, fields: list[dict], **schema: Any):
    """Return a resource over `data` and its dataset, laid out as in a catalogue."""
    folder = tmp_path / "datasets" / "dinkes" / "imunisasi"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    path = folder / "data" / name
    path.write_bytes(data)
    resource = Resource(
        name=path.stem,
        path=path,
        relpath=f"data/{name}",
        format=path.suffix.lstrip("."),
        schema={"fields": fields, **schema},
    )
    licence = License("CC-BY-4.0", "Creative Commons Attribution 4.0", "https://cc.org/by/4.0/")
    return resource, Dataset(
        agency="dinkes",
        name="imunisasi",
        title=Text("Cakupan imunisasi", "Immunisation coverage"),
        version="2024-06",
        path=folder,
        descriptor_path=folder / "datapackage.yaml",
        resources=(resource,),
        licenses=(licence,),
        modified="2024-06-01",
    )


def run(resource: Resource, ds: Dataset, site: Path, **options: Any) -> Conversion:
    source = sniff(resource, place=resource.relpath)
    out_dir = site / "dinkes" / "imunisasi" / "2024-06"
    return convert(resource, ds, source, out_dir=out_dir, site_root=site, **options)


def outputs(site: Path, name: str) -> tuple[bytes, pa.Table]:
    folder = site / "dinkes" / "imunisasi" / "2024-06"
    return (folder / f"{name}.csv").read_bytes(), pq.read_table(folder / f"{name}.parquet")


@pytest.fixture
def cakupan(tmp_path: Path) -> tuple[Resource, Dataset]:
    return dataset(tmp_path, "cakupan.csv", RAW.encode("cp1252"), FIELDS, missingValues=["", "-"])


def test_every_type_is_parsed_into_parquet(tmp_path: Path, cakupan) -> None:
    conversion = run(*cakupan, tmp_path / "_site")
    _, table = outputs(tmp_path / "_site", "cakupan")
    assert conversion.rows == 3
    assert table.schema.names == [field["name"] for field in FIELDS]
    assert [field.type for field in table.schema] == [
        pa.int64(),
        pa.string(),
        pa.float64(),
        pa.bool_(),
        pa.date32(),
        pa.timestamp("ms", "UTC"),  # Parquet has no seconds unit; +07:00 and Z make it UTC
        pa.int64(),
        pa.string(),
        pa.string(),
    ]
    assert all(field.nullable for field in table.schema)
    assert table.to_pylist() == [
        {
            "kode": 1234,
            "nama": "Bogor, Kab.",
            "persen": 12.5,
            "aktif": True,
            "tanggal": datetime.date(2023, 12, 31),
            "waktu": datetime.datetime(2023, 12, 31, 1, 0, 0, tzinfo=UTC),  # 08:00+07:00
            "tahun": 2023,
            "jam": "08:30:00",
            "catatan": "-",  # the field's own missingValues override the schema's
        },
        {
            "kode": None,
            "nama": "Depok",
            "persen": 1234.5,
            "aktif": False,
            "tanggal": datetime.date(2024, 2, 1),
            "waktu": datetime.datetime(2024, 2, 1, 0, 0, 0, tzinfo=UTC),
            "tahun": None,
            "jam": None,
            "catatan": 'kata "baku"',
        },
        {
            "kode": 7,
            "nama": "Ciléungsi – Bekasi",
            "persen": -0.25,
            "aktif": None,
            "tanggal": datetime.date(2024, 2, 29),
            "waktu": datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),  # naive: UTC
            "tahun": 2024,
            "jam": None,
            "catatan": "dua\nbaris",
        },
    ]


def test_normalized_csv_bytes(tmp_path: Path, cakupan) -> None:
    run(*cakupan, tmp_path / "_site")
    text, _ = outputs(tmp_path / "_site", "cakupan")
    assert (
        text
        == (
            "kode,nama,persen,aktif,tanggal,waktu,tahun,jam,catatan\n"
            '1234,"Bogor, Kab.",12.5,true,2023-12-31,2023-12-31T01:00:00+00:00,2023,08:30:00,-\n'
            ',Depok,1234.5,false,2024-02-01,2024-02-01T00:00:00+00:00,,,"kata ""baku"""\n'
            '7,Ciléungsi – Bekasi,-0.25,,2024-02-29,2024-02-29T23:59:59+00:00,2024,,"dua\nbaris"\n'
        ).encode()
    )  # UTF-8, no BOM


def test_outputs_are_described_by_path_size_and_sha256(tmp_path: Path, cakupan) -> None:
    site = tmp_path / "_site"
    conversion = run(*cakupan, site)
    folder = site / "dinkes" / "imunisasi" / "2024-06"
    assert conversion.resource == "cakupan"
    assert conversion.outputs == tuple(
        Output(
            fmt,
            f"dinkes/imunisasi/2024-06/cakupan.{fmt}",
            (folder / f"cakupan.{fmt}").stat().st_size,
            hashlib.sha256((folder / f"cakupan.{fmt}").read_bytes()).hexdigest(),
        )
        for fmt in ("csv", "parquet", "json", "xlsx")
    )


def test_parquet_carries_the_schema_and_dataset_metadata(tmp_path: Path, cakupan) -> None:
    run(*cakupan, tmp_path / "_site")
    parquet = tmp_path / "_site" / "dinkes" / "imunisasi" / "2024-06" / "cakupan.parquet"
    metadata = pq.read_metadata(parquet)
    assert set(metadata.metadata) == {b"ARROW:schema", b"opendata.schema", b"opendata.dataset"}
    assert json.loads(metadata.metadata[b"opendata.schema"]) == cakupan[0].schema
    assert json.loads(metadata.metadata[b"opendata.dataset"]) == {
        "id": "dinkes/imunisasi",
        "name": "imunisasi",
        "agency": "dinkes",
        "title": {"id": "Cakupan imunisasi", "en": "Immunisation coverage"},
        "version": "2024-06",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://cc.org/by/4.0/",
            }
        ],
        "modified": "2024-06-01",
    }
    assert metadata.row_group(0).column(0).compression == "ZSTD"


def test_same_inputs_give_identical_bytes(tmp_path: Path, cakupan) -> None:
    first = run(*cakupan, tmp_path / "one")
    second = run(*cakupan, tmp_path / "two")
    assert [o.sha256 for o in first.outputs] == [o.sha256 for o in second.outputs]
    for fmt in ("csv", "parquet"):
        name = f"dinkes/imunisasi/2024-06/cakupan.{fmt}"
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_many_small_batches_give_the_same_result(tmp_path: Path) -> None:
    lines = ["kode,nilai,tanggal,nama"]
    lines += [f'{i},{i / 8},2024-01-{1 + i % 28:02d},"desa {i}, kec"' for i in range(1000)]
    fields = [
        {"name": "kode", "type": "integer"},
        {"name": "nilai", "type": "number"},
        {"name": "tanggal", "type": "date"},
        {"name": "nama", "type": "string"},
    ]
    resource, ds = dataset(tmp_path, "desa.csv", "\n".join(lines).encode(), fields)
    small = run(resource, ds, tmp_path / "small", batch_rows=10)
    large = run(resource, ds, tmp_path / "large")
    small_csv, small_table = outputs(tmp_path / "small", "desa")
    large_csv, large_table = outputs(tmp_path / "large", "desa")
    assert small.rows == large.rows == 1000
    assert small_csv == large_csv
    assert small_table.equals(large_table)
    assert small_table.column("nilai")[999].as_py() == 124.875
    parquet = "dinkes/imunisasi/2024-06/desa.parquet"
    assert pq.read_metadata(tmp_path / "small" / parquet).num_row_groups == 100
    assert pq.read_metadata(tmp_path / "large" / parquet).num_row_groups == 1


def test_numbers_with_units_defaults_and_special_values(tmp_path: Path) -> None:
    raw = (
        "anggaran,persen,jumlah,sah,tanggal,waktu\n"
        "Rp 1.250.000.000.000,45,+12,TRUE,2024-02-29,2024-02-29 08:00:00\n"
        "Rp 0,0.1,-3,0,2024-03-01,2024-03-01T10:00:00-02:00\n"
        "Rp 7,1e20,0,1,2024-03-02,2024-03-02\n"
        "Rp 8,-INF,1,false,2024-03-03,2024-03-03T00:00:00Z\n"
        "Rp 9,NaN,2,True,2024-03-04,2024-03-04T00:00:00+0700\n"
    )
    fields = [
        {"name": "anggaran", "type": "number", "bareNumber": False, "groupChar": "."},
        {"name": "persen", "type": "number"},
        {"name": "jumlah", "type": "integer"},
        {"name": "sah", "type": "boolean"},
        {"name": "tanggal", "type": "date"},
        {"name": "waktu", "type": "datetime"},
    ]
    resource, ds = dataset(tmp_path, "anggaran.csv", raw.encode(), fields)
    run(resource, ds, tmp_path / "_site")
    text, table = outputs(tmp_path / "_site", "anggaran")
    assert table.column("anggaran").to_pylist() == [1.25e12, 0.0, 7.0, 8.0, 9.0]
    assert table.column("persen").to_pylist()[:4] == [45.0, 0.1, 1e20, float("-inf")]
    assert table.column("jumlah").to_pylist() == [12, -3, 0, 1, 2]
    assert table.column("sah").to_pylist() == [True, False, True, False, True]
    assert text.decode() == (
        "anggaran,persen,jumlah,sah,tanggal,waktu\n"
        "1250000000000,45,12,true,2024-02-29,2024-02-29T08:00:00+00:00\n"
        "0,0.1,-3,false,2024-03-01,2024-03-01T12:00:00+00:00\n"
        "7,1e+20,0,true,2024-03-02,2024-03-02T00:00:00+00:00\n"
        "8,-INF,1,false,2024-03-03,2024-03-03T00:00:00+00:00\n"
        "9,NaN,2,true,2024-03-04,2024-03-03T17:00:00+00:00\n"
    )


def test_datetime_patterns_and_any_dates(tmp_path: Path) -> None:
    raw = "waktu,tanggal\n31/12/2023 08:05,31 Dec 2023\n2024-01-02T03:04:05,2024-01-02\n"
    fields = [
        {"name": "waktu", "type": "datetime", "format": "%d/%m/%Y %H:%M"},
        {"name": "tanggal", "type": "date", "format": "any"},
    ]
    resource, ds = dataset(tmp_path, "waktu.csv", raw.encode(), fields)
    run(resource, ds, tmp_path / "_site")
    _, table = outputs(tmp_path / "_site", "waktu")
    assert table.schema.field("waktu").type == pa.timestamp("ms")  # no offset: stays naive
    assert table.to_pylist() == [
        {"waktu": datetime.datetime(2023, 12, 31, 8, 5), "tanggal": datetime.date(2023, 12, 31)},
        {"waktu": datetime.datetime(2024, 1, 2, 3, 4, 5), "tanggal": datetime.date(2024, 1, 2)},
    ]


def test_xlsx_cells_convert_whatever_the_fields_text_conventions(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["kode", "nilai", "tanggal", "aktif", "nama"])
    book.active.append([1, 12.5, datetime.date(2023, 12, 31), True, "Bogor"])
    book.active.append([2, "1.234,5", datetime.date(2024, 1, 5), "tidak", None])
    book.active.append([3, None, "05/02/2024", False, "Depok"])
    folder = tmp_path / "raw"
    folder.mkdir()
    book.save(folder / "a.xlsx")
    fields = [
        {"name": "kode", "type": "integer"},
        {"name": "nilai", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "tanggal", "type": "date", "format": "%d/%m/%Y"},
        {"name": "aktif", "type": "boolean", "trueValues": ["ya"], "falseValues": ["tidak"]},
        {"name": "nama", "type": "string"},
    ]
    resource, ds = dataset(tmp_path, "sekolah.xlsx", (folder / "a.xlsx").read_bytes(), fields)
    run(resource, ds, tmp_path / "_site")
    text, table = outputs(tmp_path / "_site", "sekolah")
    # Numeric, date and boolean cells are read as such; text cells by the field's rules.
    assert table.to_pylist() == [
        {
            "kode": 1,
            "nilai": 12.5,
            "tanggal": datetime.date(2023, 12, 31),
            "aktif": True,
            "nama": "Bogor",
        },
        {
            "kode": 2,
            "nilai": 1234.5,
            "tanggal": datetime.date(2024, 1, 5),
            "aktif": False,
            "nama": None,
        },
        {
            "kode": 3,
            "nilai": None,
            "tanggal": datetime.date(2024, 2, 5),
            "aktif": False,
            "nama": "Depok",
        },
    ]
    assert text == (
        b"kode,nilai,tanggal,aktif,nama\n"
        b"1,12.5,2023-12-31,true,Bogor\n"
        b"2,1234.5,2024-01-05,false,\n"
        b"3,,2024-02-05,false,Depok\n"
    )


def test_header_only_file_gives_empty_outputs(tmp_path: Path) -> None:
    fields = [{"name": "kode", "type": "integer"}, {"name": "nama", "type": "string"}]
    resource, ds = dataset(tmp_path, "kosong.csv", b"kode,nama\n", fields)
    assert run(resource, ds, tmp_path / "_site").rows == 0
    text, table = outputs(tmp_path / "_site", "kosong")
    assert text == b"kode,nama\n"
    assert table.num_rows == 0
    assert table.schema.types == [pa.int64(), pa.string()]


def test_an_unreadable_value_names_file_row_and_column(tmp_path: Path) -> None:
    lines = ["kode;jumlah"] + [f"{i};{i}" for i in range(30)] + ["30;12,5"]
    fields = [{"name": "kode", "type": "integer"}, {"name": "jumlah", "type": "integer"}]
    resource, ds = dataset(tmp_path, "data.csv", "\n".join(lines).encode(), fields)
    with pytest.raises(OpendataError) as caught:
        run(resource, ds, tmp_path / "_site", batch_rows=8)
    [found] = caught.value.problems
    assert (found.slug, found.file, found.message) == (
        "invalid-data",
        "datasets/dinkes/imunisasi/data/data.csv",
        'row 32, column "jumlah": "12,5" is not a valid integer.',
    )
    assert not list((tmp_path / "_site" / "dinkes" / "imunisasi" / "2024-06").iterdir())


def test_an_unreadable_date_names_its_format(tmp_path: Path) -> None:
    fields = [{"name": "tanggal", "type": "date", "format": "%d/%m/%Y"}]
    resource, ds = dataset(tmp_path, "data.csv", b"tanggal\n31/12/2023\n12/31/2023\n", fields)
    with pytest.raises(OpendataError) as caught:
        run(resource, ds, tmp_path / "_site")
    assert caught.value.problems[0].message == (
        'row 3, column "tanggal": "12/31/2023" is not a valid date in the format "%d/%m/%Y".'
    )


def test_columns_and_fields_must_match(tmp_path: Path) -> None:
    resource, ds = dataset(tmp_path, "data.csv", b"a,b\n1,2\n", [{"name": "a"}])
    with pytest.raises(OpendataError) as caught:
        run(resource, ds, tmp_path / "_site")
    [found] = caught.value.problems
    assert (found.slug, found.message) == (
        "invalid-data",
        "the file has 2 columns but the schema has 1 fields.",
    )


def published(site: Path, name: str) -> dict[str, Any]:
    """Return the datetime column `waktu` as each download gives it back."""
    folder = site / "dinkes" / "imunisasi" / "2024-06"
    csv_text = (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    column = csv_text[0].split(",").index("waktu")
    sheet = openpyxl.load_workbook(folder / f"{name}.xlsx").active
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    return {
        "parquet": pq.read_table(folder / f"{name}.parquet").column("waktu"),
        "csv": [line.split(",")[column] for line in csv_text[1:]],
        "json": [row["waktu"] for row in json.loads((folder / f"{name}.json").read_text())],
        "xlsx": [(cell.value, cell.number_format) for cell in cells],
    }


def zone(hours: int, minutes: int = 0) -> datetime.timezone:
    return datetime.timezone(datetime.timedelta(hours=hours, minutes=minutes))


WITA = zone(8)


def test_one_offset_is_kept_in_every_download(tmp_path: Path) -> None:
    # The first batch has no offset: the zone is found over the whole file before writing.
    raw = (
        "waktu,stasiun\n"
        "2026-09-14T05:00:00,AQMS-01\n"
        ",AQMS-02\n"
        "2026-09-14T00:00:00+08:00,AQMS-01\n"
        "2026-09-14T23:30:00+0800,AQMS-02\n"
        "2026-09-15T07:00:00+08,AQMS-01\n"
    )
    fields = [{"name": "waktu", "type": "datetime"}, {"name": "stasiun", "type": "string"}]
    resource, ds = dataset(tmp_path, "ispu.csv", raw.encode(), fields)
    first = run(resource, ds, tmp_path / "one", batch_rows=2)
    out = published(tmp_path / "one", "ispu")
    assert out["parquet"].type == pa.timestamp("ms", "+08:00")
    assert out["parquet"].to_pylist() == [
        datetime.datetime(2026, 9, 14, 5, tzinfo=WITA),  # naive: local time in the column's zone
        None,
        datetime.datetime(2026, 9, 14, 0, tzinfo=WITA),
        datetime.datetime(2026, 9, 14, 23, 30, tzinfo=WITA),
        datetime.datetime(2026, 9, 15, 7, tzinfo=WITA),
    ]
    assert out["parquet"][2].value == 1789315200_000  # the instant: 2026-09-13T16:00:00Z
    written = [
        "2026-09-14T05:00:00+08:00",
        "",
        "2026-09-14T00:00:00+08:00",
        "2026-09-14T23:30:00+08:00",
        "2026-09-15T07:00:00+08:00",
    ]
    assert out["csv"] == written
    assert out["json"] == [text or None for text in written]
    shown = 'yyyy-mm-dd hh:mm:ss"+08:00"'  # a real date-time cell, its offset in the format
    assert out["xlsx"][:1] + out["xlsx"][2:] == [
        (datetime.datetime(2026, 9, 14, 5), shown),
        (datetime.datetime(2026, 9, 14, 0), shown),
        (datetime.datetime(2026, 9, 14, 23, 30), shown),
        (datetime.datetime(2026, 9, 15, 7), shown),
    ]
    second = run(resource, ds, tmp_path / "two", batch_rows=2)
    assert [o.sha256 for o in first.outputs] == [o.sha256 for o in second.outputs]


def test_several_offsets_make_the_column_utc(tmp_path: Path) -> None:
    raw = (
        "waktu;nilai\n"
        "2026-09-14T08:00:00+08:00;1\n"
        "2026-09-14T07:00:00+07:00;2\n"
        "2026-09-14T09:30:00+09:30;3\n"
        "2026-09-14T00:00:00Z;4\n"
        "2026-09-14T02:00:00;5\n"  # naive in a UTC column: taken as UTC
        "2026-09-13T20:00:00-04:00;6\n"
        "-;7\n"
    )
    fields = [{"name": "waktu", "type": "datetime"}, {"name": "nilai", "type": "integer"}]
    resource, ds = dataset(tmp_path, "campur.csv", raw.encode(), fields, missingValues=["-"])
    run(resource, ds, tmp_path / "_site")
    out = published(tmp_path / "_site", "campur")
    assert out["parquet"].type == pa.timestamp("ms", "UTC")
    midnight = datetime.datetime(2026, 9, 14, tzinfo=UTC)
    assert out["parquet"].to_pylist() == [midnight] * 4 + [midnight.replace(hour=2)] + [
        midnight,
        None,
    ]
    assert out["csv"] == ["2026-09-14T00:00:00+00:00"] * 4 + [
        "2026-09-14T02:00:00+00:00",
        "2026-09-14T00:00:00+00:00",
        "",
    ]
    assert out["json"] == [*out["csv"][:-1], None]
    # Every instant equals the source's, whatever offset it was written with.
    for text, value in zip(raw.splitlines()[1:4], out["parquet"].to_pylist(), strict=False):
        assert datetime.datetime.fromisoformat(text.split(";")[0]) == value
    shown = 'yyyy-mm-dd hh:mm:ss"+00:00"'
    assert out["xlsx"][4] == (datetime.datetime(2026, 9, 14, 2), shown)
    assert out["xlsx"][6][0] is None


def test_any_format_and_patterns_keep_their_offsets(tmp_path: Path) -> None:
    raw = (
        "waktu,pola\n"
        '"14 Sep 2026 07:00 +0530",14/09/2026 07:00 +0700\n'
        "2026-09-15 10:15:00+05:30,2026-09-15T08:00:00+07:00\n"
        '"16 September 2026, 06:00",15/09/2026 09:00 +0700\n'
    )
    fields = [
        {"name": "waktu", "type": "datetime", "format": "any"},
        {"name": "pola", "type": "datetime", "format": "%d/%m/%Y %H:%M %z"},
    ]
    resource, ds = dataset(tmp_path, "pola.csv", raw.encode(), fields)
    run(resource, ds, tmp_path / "_site")
    text, table = outputs(tmp_path / "_site", "pola")
    india, wib = zone(5, 30), zone(7)
    assert table.schema.types == [pa.timestamp("ms", "+05:30"), pa.timestamp("ms", "+07:00")]
    assert table.to_pylist() == [
        {
            "waktu": datetime.datetime(2026, 9, 14, 7, tzinfo=india),
            "pola": datetime.datetime(2026, 9, 14, 7, tzinfo=wib),
        },
        {
            "waktu": datetime.datetime(2026, 9, 15, 10, 15, tzinfo=india),
            "pola": datetime.datetime(2026, 9, 15, 8, tzinfo=wib),  # ISO, the pattern's fallback
        },
        {
            "waktu": datetime.datetime(2026, 9, 16, 6, tzinfo=india),  # naive: local time
            "pola": datetime.datetime(2026, 9, 15, 9, tzinfo=wib),
        },
    ]
    assert text.decode() == (
        "waktu,pola\n"
        "2026-09-14T07:00:00+05:30,2026-09-14T07:00:00+07:00\n"
        "2026-09-15T10:15:00+05:30,2026-09-15T08:00:00+07:00\n"
        "2026-09-16T06:00:00+05:30,2026-09-15T09:00:00+07:00\n"
    )


def test_xlsx_source_with_offsets_in_text_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["waktu", "nilai"])
    book.active.append([datetime.datetime(2026, 9, 14, 6, 30), 1])  # a date-time cell: naive
    book.active.append(["2026-09-14T07:00:00-03:00", 2])
    book.active.append(["2026-09-14T08:00:00-03:00", 3])
    folder = tmp_path / "raw"
    folder.mkdir()
    book.save(folder / "a.xlsx")
    fields = [{"name": "waktu", "type": "datetime"}, {"name": "nilai", "type": "integer"}]
    resource, ds = dataset(tmp_path, "udara.xlsx", (folder / "a.xlsx").read_bytes(), fields)
    run(resource, ds, tmp_path / "_site")
    out = published(tmp_path / "_site", "udara")
    brazil = zone(-3)
    assert out["parquet"].type == pa.timestamp("ms", "-03:00")
    assert out["parquet"].to_pylist() == [
        datetime.datetime(2026, 9, 14, 6, 30, tzinfo=brazil),
        datetime.datetime(2026, 9, 14, 7, tzinfo=brazil),
        datetime.datetime(2026, 9, 14, 8, tzinfo=brazil),
    ]
    assert (
        out["csv"]
        == out["json"]
        == [
            "2026-09-14T06:30:00-03:00",
            "2026-09-14T07:00:00-03:00",
            "2026-09-14T08:00:00-03:00",
        ]
    )
    assert out["xlsx"] == [
        (datetime.datetime(2026, 9, 14, 6, 30), 'yyyy-mm-dd hh:mm:ss"-03:00"'),
        (datetime.datetime(2026, 9, 14, 7), 'yyyy-mm-dd hh:mm:ss"-03:00"'),
        (datetime.datetime(2026, 9, 14, 8), 'yyyy-mm-dd hh:mm:ss"-03:00"'),
    ]


# The JSON writer as it was, row by row through json.dumps: the bytes the vectorized one
# must give, so that published checksums do not change.
def old_json_ready(values: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(values.type):
        return iso_text(values)
    if pa.types.is_date(values.type):
        return pc.cast(values, pa.string())
    if pa.types.is_floating(values.type):
        return pc.if_else(pc.is_finite(values), values, None)
    return values


def old_json(path: Path, batches: list[pa.RecordBatch]) -> bytes:
    with path.open("w", encoding="utf-8", newline="\n") as file:
        file.write("[")
        first = True
        for batch in batches:
            columns = [old_json_ready(column) for column in batch.columns]
            table = pa.RecordBatch.from_arrays(columns, names=batch.schema.names)
            for row in table.to_pylist():
                file.write("\n" if first else ",\n")
                file.write(json.dumps(row, ensure_ascii=False, allow_nan=False))
                first = False
        file.write("\n]\n" if not first else "]\n")
    return path.read_bytes()


def new_json(path: Path, schema: pa.Schema, batches: list[pa.RecordBatch]) -> bytes:
    with WRITERS["json"](path, schema) as writer:
        for batch in batches:
            writer.write(batch)
    return path.read_bytes()


TEXT_PIECES = [
    *map(chr, range(0x20)),
    *"\"\\/'ab Z{}[]:,",
    *"\x7f\x80\x9f\xa0\xad\u2028\u2029\ufeff\ufffd\U0010ffff",
    *["é", "Ciléungsi – Bekasi", "中文", "🎉", "👩‍👩‍👧", "\\u0041", "\\n", "null", "</script>"],
]
SPECIAL_FLOATS = [
    *[0.0, -0.0, 1.0, -1.0, 0.1, 0.1 + 0.2, 1e16, -1e16, 1e15, 9999999999999998.0, 1e-7],
    *[1.5e-7, 1e-4, 1e-5, 0.00012345, 123456789012345.6, 2.0**53, 2.0**53 + 2, 2.0**63],
    *[2.0**64, 1e21, 1e22, 1e100, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308],
    *[-1.7976931348623157e308, float("nan"), float("inf"), float("-inf"), None],
]
FIRST_SECOND, LAST_SECOND = -62_135_596_800, 253_402_300_799  # 0001-01-01, 9999-12-31T23:59:59
FIRST_DAY, LAST_DAY = -719_162, 2_932_896


def random_float(rng: random.Random) -> float | None:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(SPECIAL_FLOATS)
    if kind == 1:  # any bit pattern: subnormals, huge, NaN payloads
        return struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
    if kind == 2:  # what a table holds: a few decimals
        return rng.randint(-(10**9), 10**9) / 10 ** rng.randint(0, 9)
    if kind == 3:
        return float(f"{rng.choice('-+')}1e{rng.randint(-330, 310)}")  # 1e-330 is 0, 1e310 inf
    if kind == 4:
        return float(rng.randint(-(2**60), 2**60))
    return rng.uniform(-1e6, 1e6)


def random_column(rng: random.Random, kind: pa.DataType, rows: int) -> pa.Array:
    def value() -> Any:
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            return "".join(rng.choices(TEXT_PIECES, k=rng.choice([0, 1, 2, 5, 20])))
        if pa.types.is_floating(kind):
            return random_float(rng)
        if pa.types.is_boolean(kind):
            return rng.random() < 0.5
        if pa.types.is_date(kind):
            return rng.choice([FIRST_DAY, LAST_DAY, rng.randint(FIRST_DAY, LAST_DAY)])
        if pa.types.is_timestamp(kind):  # a day inside the ends: any offset stays in 1-9999
            first, last = FIRST_SECOND + 86_400, LAST_SECOND - 86_400
            second = rng.choice([first, last, rng.randint(first, last)])
            return second * {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[kind.unit]
        if pa.types.is_null(kind):
            return None
        bits = kind.bit_width
        low, high = (
            (0, 2**bits - 1)
            if pa.types.is_unsigned_integer(kind)
            else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        )
        return rng.choice([low, high, 0, -1 if low else 1, rng.randint(low, high)])

    values = [None if rng.random() < 0.1 else value() for _ in range(rows)]
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return (
            pa.array(values, pa.int64())
            .cast(pa.int32() if kind == pa.date32() else pa.int64())
            .view(kind)
        )
    if pa.types.is_float32(kind):
        return pc.cast(pa.array(values, pa.float64()), kind, safe=False)
    return pa.array(values, kind)


CONVERTED_TYPES = [  # what convert/parse.py gives
    ("kode", pa.int64()),
    ('nama "lengkap"\t\\', pa.string()),
    ("nilai", pa.float64()),
    ("aktif", pa.bool_()),
    ("tanggal", pa.date32()),
    ("waktu", pa.timestamp("s")),
    ("waktu wita", pa.timestamp("s", "+08:00")),
    ("waktu -02:30", pa.timestamp("s", "-02:30")),
    ("waktu utc", pa.timestamp("s", "UTC")),
    ("kétérangan 🎉", pa.string()),
]
OTHER_TYPES = [
    ("f32", pa.float32()),
    ("i8", pa.int8()),
    ("u64", pa.uint64()),
    ("i32", pa.int32()),
    ("large", pa.large_string()),
    ("nothing", pa.null()),
    ("ms", pa.timestamp("ms")),
    ("us", pa.timestamp("us", "+05:45")),
]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("fields", [CONVERTED_TYPES, OTHER_TYPES], ids=["converted", "other"])
def test_json_is_byte_identical_to_json_dumps_per_row(tmp_path: Path, seed: int, fields) -> None:
    rng = random.Random(seed)
    schema = pa.schema(fields)
    batches = []
    for rows in [1, 0, 700, 3, 1500]:
        columns = [random_column(rng, kind, rows + 7) for _, kind in fields]
        batch = pa.RecordBatch.from_arrays(columns, schema=schema)
        batches.append(batch.slice(5, rows))  # arrays that start inside their buffers
    new = new_json(tmp_path / "new.json", schema, batches)
    assert new == old_json(tmp_path / "old.json", batches)
    assert len(json.loads(new)) == 2204


def test_json_edge_tables_are_byte_identical(tmp_path: Path) -> None:
    twice = pa.schema([("a", pa.int64()), ("b", pa.string()), ("a", pa.float64())])
    floats = pa.array([float("nan"), None, -0.0], pa.float64())
    texts = [*TEXT_PIECES, "".join(TEXT_PIECES), "", None]
    specials = pa.schema([("text", pa.string()), ("float", pa.float64())])
    padded = [*SPECIAL_FLOATS, *[2.5] * len(texts)][: len(texts)]
    every = pa.RecordBatch.from_pydict({"text": texts, "float": padded}, schema=specials)
    tables = {
        "no rows": (twice, []),
        "a name twice": (
            twice,
            [
                pa.RecordBatch.from_arrays(
                    [pa.array([1, None, 3]), pa.array(["x", "y", None]), floats], schema=twice
                )
            ],
        ),
        "every special text and float": (specials, [every.slice(0, 30), every.slice(30)]),
        "no columns": (
            pa.schema([]),
            [pa.RecordBatch.from_struct_array(pa.array([{}] * 3, pa.struct([])))],
        ),
    }
    for name, (schema, batches) in tables.items():
        new = new_json(tmp_path / "new.json", schema, batches)
        assert new == old_json(tmp_path / "old.json", batches), name
