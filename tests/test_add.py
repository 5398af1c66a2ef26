"""`opendata add`: from a messy spreadsheet to a dataset that validates and publishes exactly."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from opendata.add.infer import Style, infer_field, style_of
from opendata.cli import cli
from tests.conftest import run

ROWS = [  # kode, kecamatan, laki-laki, perempuan, luas, tanggal
    ("0052010100000001", "Praya", "41.234", "42.001", "61,26", "31/12/2023"),
    ("0052010200000002", "Jonggat", "38.112", "39.540", "1.234,5", "30/06/2023"),
    ("0052010300000003", "Batukliang", "7.009", "7.310", "50", "01/01/2024"),
]


def messy_workbook(path: Path) -> None:
    """A workbook as agencies send them: title rows, a merged header, a totals row, notes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Catatan"
    sheet["A1"] = "Lembar ini berisi catatan."
    data = book.create_sheet("Penduduk")
    data.append(["JUMLAH PENDUDUK MENURUT KECAMATAN"])
    data.append(["Kabupaten Contoh, Tahun 2023"])
    data.append([])
    data.append(
        ["Kode Wilayah", "Kecamatan", None, "Jumlah Penduduk", None, "Luas (km²)", "Tanggal Data"]
    )
    data.append([None, None, None, "Laki-laki", "Perempuan", None, None])
    for kode, name, male, female, area, day in ROWS:
        data.append([kode, name, None, male, female, area, day])
    data.append([None, "Jumlah", None, "86.355", "88.851", "1.345,76", None])
    data.append([])
    data.append(["Sumber: Dinas Kependudukan, data contoh fiktif"])
    book.save(path)


# What an officer writes on the lines `add` marks TODO, in the order it marks them.
METADATA = [
    '"Jumlah Penduduk per Kecamatan 2023"',
    '"Population by District 2023"',
    '"Jumlah penduduk menurut kecamatan, data contoh fiktif."',
    '"Population by district, fictional sample data."',
    "[penduduk, kecamatan]",
    "[kependudukan]",
    '"Bidang Statistik"',
    '"data@dukcapil.example.go.id"',
    "annual",
    '{start: "2023-01-01", end: "2023-12-31"}',
    '["5202"]',
]


def fill_metadata(descriptor: Path) -> None:
    """Fill every line marked TODO, and nothing else, as the draft asks the officer to."""
    values = iter(METADATA)
    lines = [
        re.sub(r"^(\s*[\w-]+:) .*# TODO.*$", lambda m: f"{m.group(1)} {next(values)}", line)
        for line in descriptor.read_text(encoding="utf-8").splitlines()
    ]
    assert next(values, None) is None, "the draft marks fewer lines than the officer fills"
    descriptor.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    assert run("init", root, "--agency", "dukcapil").exit_code == 0
    return root


def test_messy_xlsx_to_published_values(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "Penduduk Kecamatan 2023.xlsx"
    messy_workbook(source)
    result = run("add", source, "--agency", "dukcapil", "--sheet", "Penduduk", "--root", portal)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Draft written: datasets/dukcapil/penduduk-kecamatan-2023/datapackage.yaml"
    assert '  skipped row 1 (title: "JUMLAH PENDUDUK MENURUT KECAMATAN")' in lines
    assert "  skipped row 5 (second header row, joined to row 4)" in lines
    assert '  skipped row 11 (note: "Sumber: Dinas Kependudukan, data contoh fiktif")' in lines
    assert '  skipped row 9 (totals: "Jumlah 86.355 88.851 1.345,76")' in lines
    assert "  skipped empty column C" in lines
    descriptor = portal / "datasets/dukcapil/penduduk-kecamatan-2023/datapackage.yaml"
    fields = yaml.safe_load(descriptor.read_text())["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in fields] == [
        ("kode_wilayah", "string"),
        ("kecamatan", "string"),
        ("jumlah_penduduk_laki_laki", "number"),
        ("jumlah_penduduk_perempuan", "number"),
        ("luas_km", "number"),
        ("tanggal_data", "date"),
    ]
    assert fields[0]["constraints"] == {"pattern": "^[0-9]{16}$"}
    assert fields[4]["decimalChar"] == "," and fields[4]["groupChar"] == "."
    assert fields[5]["format"] == "%d/%m/%Y"

    draft = descriptor.read_text().splitlines()
    fill_metadata(descriptor)
    filled = descriptor.read_text().splitlines()
    assert len(filled) == len(draft)
    assert [a for a, b in zip(draft, filled, strict=True) if a != b and "# TODO" not in a] == []
    validated = run("validate", portal)
    assert validated.exit_code == 0, validated.output
    assert "All 1 resources are valid." in validated.output
    out = tmp_path / "site"
    built = run("build", portal, "--out", out)
    assert built.exit_code == 0, built.output
    assert "Built 1 dataset into" in built.output
    [parquet] = out.glob("dukcapil/penduduk-kecamatan-2023/*/*.parquet")
    published = pq.read_table(parquet).to_pylist()
    expected = [
        {
            "kode_wilayah": kode,
            "kecamatan": name,
            "jumlah_penduduk_laki_laki": float(male.replace(".", "")),
            "jumlah_penduduk_perempuan": float(female.replace(".", "")),
            "luas_km": float(area.replace(".", "").replace(",", ".")),
            "tanggal_data": dt.datetime.strptime(day, "%d/%m/%Y").date(),
        }
        for kode, name, male, female, area, day in ROWS
    ]
    assert published == expected


def test_windows_1252_semicolon_csv(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "rumah sakit.csv"
    text = "Nama RS;Kelas;Tempat Tidur;BOR (%);Tanggal Izin;IGD\r\nRS St. Élisabeth;B;1.120;82,5;31/12/2023;Ya\r\nRSUD Praya – Lombok;C;156;71,25;01/02/2022;Tidak\r\n"
    source.write_bytes(text.encode("cp1252"))
    result = run("add", source, "--agency", "dukcapil", "--name", "rumah-sakit", "--root", portal)
    assert result.exit_code == 0, result.output
    assert "  found   encoding: cp1252" in result.output
    assert "  found   delimiter: semicolon" in result.output
    fill_metadata(portal / "datasets/dukcapil/rumah-sakit/datapackage.yaml")
    validated = run("validate", portal)
    assert validated.exit_code == 0, validated.output
    out = tmp_path / "site"
    assert run("build", portal, "--out", out).exit_code == 0
    [parquet] = out.glob("dukcapil/rumah-sakit/*/*.parquet")
    assert pq.read_table(parquet).to_pylist() == [
        {
            "nama_rs": "RS St. Élisabeth",
            "kelas": "B",
            "tempat_tidur": 1120.0,
            "bor": 82.5,
            "tanggal_izin": dt.date(2023, 12, 31),
            "igd": True,
        },
        {
            "nama_rs": "RSUD Praya – Lombok",
            "kelas": "C",
            "tempat_tidur": 156.0,
            "bor": 71.25,
            "tanggal_izin": dt.date(2022, 2, 1),
            "igd": False,
        },
    ]


def test_unknown_agency_suggests_the_nearest(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("a,b\n1,2\n")
    result = run("add", source, "--agency", "dukcapl", "--root", portal)
    assert result.exit_code == 2
    assert (
        '- datasets/dukcapl: there is no agency "dukcapl". Did you mean "dukcapil"?'
        in result.output
    )


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        (
            "nik",
            ["3171015708450001", "3171015708450002"],
            {"type": "string", "constraints": {"pattern": "^[0-9]{16}$"}},
        ),
        (
            "kode_pos",
            ["08123", "83511"],
            {"type": "string", "constraints": {"pattern": "^[0-9]{5}$"}},
        ),
        (
            "no_hp",
            ["081234567890", "0819876543"],
            {"type": "string", "constraints": {"pattern": "^[0-9]{10,12}$"}},
        ),
        ("tahun", ["2023", "2024"], {"type": "year"}),
        ("jumlah", ["12", "-3"], {"type": "integer"}),
        ("nilai", ["12,5", "7"], {"type": "number", "decimalChar": ","}),
        ("tanggal", ["2024-01-31"], {"type": "date"}),
        ("tanggal", ["12/31/2023", "01/15/2024"], {"type": "date", "format": "%m/%d/%Y"}),
        ("tanggal", ["05-01-2024"], {"type": "date", "format": "%d-%m-%Y"}),
        (
            "status",
            ["Ya", "Tidak", "ya"],
            {"type": "boolean", "trueValues": ["Ya", "ya"], "falseValues": ["Tidak"]},
        ),
        ("catatan", ["baik", "-", ""], {"type": "string"}),
    ],
)
def test_inference_rules(name: str, values: list[str], expected: dict) -> None:
    style = Style(decimal_comma=True) if name == "nilai" else style_of([values])
    assert infer_field(name, values, style) == {"name": name, **expected}


def test_file_style_decides_what_a_dot_means() -> None:
    assert style_of([["1.234", "12,5"]]) == Style(decimal_comma=True)
    assert style_of([["1.234", "12.5"]]) == Style(decimal_comma=False)
    assert style_of([["1.234.567"]]) == Style(decimal_comma=True)


def two_tables(path: Path) -> None:
    """A workbook with an empty sheet, a notes sheet and two tables."""
    book = openpyxl.Workbook()
    book.active.title = "Kosong"
    book.create_sheet("Catatan")["A1"] = "Data contoh fiktif."
    for title, kind in (("Puskesmas", "puskesmas"), ("Rumah Sakit", "rumah sakit")):
        sheet = book.create_sheet(title)
        sheet.append(["Kecamatan", "Jenis", "Jumlah"])
        sheet.append(["Praya", kind, 3])
        sheet.append(["Jonggat", kind, 2])
    book.save(path)


def test_without_a_terminal_the_first_table_sheet_is_used_and_named(
    portal: Path, tmp_path: Path
) -> None:
    source = tmp_path / "fasilitas.xlsx"
    two_tables(source)
    result = run("add", source, "--agency", "dukcapil", "--root", portal)
    assert result.exit_code == 0, result.output
    assert (
        "  found   sheet: Puskesmas, chosen for you (the workbook has: Kosong, Catatan, "
        'Puskesmas, Rumah Sakit); to use another, run add again with --sheet "NAME"'
    ) in result.output.splitlines()
    assert "Which sheet" not in result.output
    table = portal / "datasets/dukcapil/fasilitas/data/fasilitas.csv"
    assert table.read_text() == "kecamatan,jenis,jumlah\nPraya,puskesmas,3\nJonggat,puskesmas,2\n"


def test_in_a_terminal_add_asks_which_sheet(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CliRunner's stdin is never a terminal; the prompt and the answer are real.
    monkeypatch.setattr("opendata.cli._stdin_is_terminal", lambda: True)
    source = tmp_path / "fasilitas.xlsx"
    two_tables(source)
    args = ("add", source, "--agency", "dukcapil", "--root", portal)
    result = CliRunner().invoke(cli, [str(a) for a in args], input="3\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "The workbook has 3 sheets with data:\n"
        "  1. Catatan (1 row)\n"
        "  2. Puskesmas (3 rows)\n"
        "  3. Rumah Sakit (3 rows)\n"
        "Which sheet holds the table? Its number [2]: 3\n"
        "Draft written: datasets/dukcapil/fasilitas/datapackage.yaml\n"
        "  found   sheet: Rumah Sakit (the workbook has: Kosong, Catatan, Puskesmas, Rumah Sakit)\n"
    )
    descriptor = yaml.safe_load(
        (portal / "datasets/dukcapil/fasilitas/datapackage.yaml").read_text()
    )
    assert (
        "Praya,rumah sakit,3"
        in (portal / "datasets/dukcapil/fasilitas/data/fasilitas.csv").read_text()
    )
    assert descriptor["resources"][0]["path"] == "data/fasilitas.csv"
    again = CliRunner().invoke(
        cli, [*map(str, args), "--name", "lagi", "--lang", "id"], input="9\n\n"
    )
    assert again.exit_code == 0, again.output
    assert "Buku kerja ini memiliki 3 lembar berisi data:" in again.output
    assert "  2. Puskesmas (3 baris)" in again.output
    assert "Error: 9 is not in the range 1<=x<=3." in again.output
    assert "ditemukan  lembar: Puskesmas (buku kerja ini berisi:" in again.output


def test_a_real_terminal_gets_the_question(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "fasilitas.xlsx"
    two_tables(source)
    controller, terminal = os.openpty()
    os.write(controller, b"3\n")
    opendata = Path(sys.executable).with_name("opendata")  # the installed command
    done = subprocess.run(
        [opendata, "add", source, "--agency", "dukcapil", "--root", portal, "--lang", "en"],
        stdin=terminal,
        capture_output=True,
        text=True,
        timeout=60,
    )
    os.close(terminal)
    os.close(controller)
    assert done.returncode == 0, done.stderr
    assert "  3. Rumah Sakit (3 rows)" in done.stdout
    assert "found   sheet: Rumah Sakit (the workbook has:" in done.stdout


def empty_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    book.create_sheet("Lembar2")
    book.save(path)


HOSTILE = [  # file name, how to write it, extra arguments, the message
    ("kosong.csv", lambda p: p.write_bytes(b""), (), "kosong.csv: the file is empty."),
    (
        "judul.csv",
        lambda p: p.write_text("Kecamatan;Jumlah\r\n", encoding="utf-8"),
        (),
        "judul.csv: row 1 looks like the header, but no rows of data follow it. Check that "
        "this is the right file (and sheet): a table needs a header row",
    ),
    (
        "kosong.xlsx",
        empty_workbook,
        (),
        "kosong.xlsx: every sheet of the workbook is empty.",
    ),
    (
        "ganda.csv",
        lambda p: p.write_text("Kecamatan,Jumlah,jumlah\nPraya,1,2\n"),
        (),
        'ganda.csv: columns B, C have the same header "Jumlah". Give each column its own '
        "header in the file",
    ),
    (
        "data.csv",
        lambda p: p.write_text("a,b\n1,2\n"),
        ("--agency", "dinsos"),
        'datasets/dinsos: there is no agency "dinsos". The catalogue has: dukcapil. A new '
        "agency needs its own folder: copy datasets/dukcapil/agency.yaml to "
        "datasets/dinsos/agency.yaml and edit it.",
    ),
    (
        "data.csv",
        lambda p: p.write_text("a,b\n1,2\n"),
        ("--name", "Data Penduduk"),
        '--name: "Data Penduduk" is not a valid dataset name. Use lowercase letters a-z, '
        'digits and hyphens, for example --name "data-penduduk".',
    ),
    (
        "laporan.xls",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100)),
        (),
        'laporan.xls: only .csv and .xlsx files can be added, not ".xls". Open the file in a '
        "spreadsheet program and save it as Excel Workbook (.xlsx) or CSV",
    ),
    (
        "laporan.pdf",
        lambda p: p.write_bytes(b"%PDF-1.4\n"),
        (),
        'only .csv and .xlsx files can be added, not ".pdf".',
    ),
    (
        "palsu.xlsx",
        lambda p: p.write_text("a,b\n1,2\n"),
        (),
        "palsu.xlsx: the file is text (perhaps CSV), not an XLSX workbook.",
    ),
    (
        "hilang.csv",
        lambda p: None,
        (),
        "hilang.csv: the file does not exist. Check the file's name and the folder you run "
        "the command in",
    ),
    (
        "penduduk.csv",
        lambda p: p.write_text("a,b\n1,2\n"),
        ("--name", "ada"),
        "datasets/dukcapil/ada: the dataset folder datasets/dukcapil/ada exists already. "
        "Choose another name with --name.",
    ),
]


@pytest.mark.parametrize(
    ("name", "write", "extra", "message"), HOSTILE, ids=[f"{h[0]}{h[2]}" for h in HOSTILE]
)
def test_a_file_add_cannot_use_leaves_nothing_behind(
    portal: Path, tmp_path: Path, name: str, write, extra: tuple[str, ...], message: str
) -> None:
    (portal / "datasets/dukcapil/ada").mkdir()
    source = tmp_path / name
    write(source)
    before = sorted(portal.rglob("*"))
    args = ["add", source, "--root", portal, *extra]
    result = run(*args, *([] if "--agency" in extra else ["--agency", "dukcapil"]))
    assert result.exit_code == 2, result.output
    assert "Error: 1 problem found:\n- " in result.output
    assert message in " ".join(result.output.split())
    assert sorted(portal.rglob("*")) == before


def test_row_and_column_numbers_are_excels_when_the_table_starts_lower(
    portal: Path, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"] = "REKAPITULASI SEKOLAH"
    sheet.append([])
    for row in (["Kecamatan", "Sekolah"], ["Praya", 12], ["Jonggat", 9], ["Total", 21]):
        sheet.append([None, None, *row])
    book.save(tmp_path / "sekolah.xlsx")
    result = run("add", tmp_path / "sekolah.xlsx", "--agency", "dukcapil", "--root", portal)
    assert result.exit_code == 0, result.output
    assert '  skipped row 3 (title: "REKAPITULASI SEKOLAH")' in result.output
    assert '  skipped row 8 (totals: "Total 21")' in result.output
    assert "  skipped empty columns A, B" in result.output
    table = portal / "datasets/dukcapil/sekolah/data/sekolah.csv"
    assert table.read_text() == "kecamatan,sekolah\nPraya,12\nJonggat,9\n"


def test_a_draft_that_does_not_validate_says_why(portal: Path, tmp_path: Path) -> None:
    source = tmp_path / "penerima.csv"
    source.write_text("NIK,Kecamatan\n3171015708450001,Praya\n3171015708450002,Jonggat\n")
    result = run("add", source, "--agency", "dukcapil", "--root", portal)
    assert result.exit_code == 1
    assert "Draft written: datasets/dukcapil/penerima/datapackage.yaml" in result.output
    assert (
        "The draft does not validate yet. Fix what follows in the data or in "
        "datasets/dukcapil/penerima/datapackage.yaml, then run: opendata validate"
    ) in result.output
    assert (
        '  datasets/dukcapil/penerima/data/penerima-tabel.csv: column "nik": '
        "the column's name says it holds personal data (nik)."
    ) in result.output
    assert run("validate", portal).exit_code == 1


def test_a_shared_schema_no_dataset_uses_yet_is_reused(portal: Path, tmp_path: Path) -> None:
    standard = {
        "fields": [
            {"name": "kecamatan", "type": "string"},
            {"name": "jumlah", "type": "integer"},
        ]
    }
    (portal / "schemas/rekap-kecamatan.yaml").write_text(yaml.safe_dump(standard))
    source = tmp_path / "rekap.csv"
    source.write_text("Kecamatan,Jumlah\nPraya,3\nJonggat,2\n")
    result = run("add", source, "--agency", "dukcapil", "--root", portal)
    assert result.exit_code == 0, result.output
    assert '  2 columns, described by the shared schema "rekap-kecamatan"' in result.output
    descriptor = portal / "datasets/dukcapil/rekap/datapackage.yaml"
    assert yaml.safe_load(descriptor.read_text())["resources"][0]["schema"] == "rekap-kecamatan"
    assert run("validate", portal).exit_code == 0
