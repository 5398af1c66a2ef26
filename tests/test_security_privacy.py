"""The personal-data guard: every value scanned, findings masked, publishing refused."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from opendata.load import load
from opendata.models import Finding
from opendata.pipeline import check
from opendata.privacy import guard
from opendata.privacy.headers import personal
from opendata.privacy.values import RULES, matches
from opendata.read import sniff
from tests.conftest import run

ROOT = Path(__file__).parent.parent
PENERIMA = "datasets/dinsos/penerima-bantuan/data/penerima.csv"
FULL_NIKS = ("3171015708450001", "317101570845000", "5271044107990004", "198001012005011001")


def _rule(name: str):
    return next(rule for rule in RULES if rule.name == name)


def _findings(root: Path, dataset: str) -> list[Finding]:
    catalogue = load(root)
    chosen = [d for d in catalogue.datasets if d.name == dataset]
    return [f for result in check(catalogue, chosen) for f in result.findings]


@pytest.mark.parametrize(
    ("rule", "cell"),
    [
        ("nik", "3171015708450001"),
        ("nik", "3171-0157-0845-0001"),  # separators
        ("nik", "3171 0157 0845 0001"),
        ("nik", "317101 570845 0001"),
        ("nik", "31.71.01.570845.0001"),
        ("nik", "a.n. Budi, NIK 3171015708450001, RT 02"),  # inside free text
        ("nik", "9901017112990001"),  # a woman born 31-12-99 in a province no table knows yet
        ("nik", "3171015708450000"),  # Excel kept 15 digits: the serial ends in 0
        ("excel-number", "3.17102E+15"),
        ("excel-number", "3,17102E+15"),
        ("nip", "198001012005011001"),
        ("nip", "19800101 200501 1 001"),
        ("npwp", "01.312.166.0-091.000"),
        ("npwp", "013121660091000"),
        ("npwp", "0013121660091000"),  # the 16-digit form
        ("phone", "0812-3456-7890"),
        ("phone", "081234567890"),
        ("phone", "+62 812 3456 7890"),
        ("phone", "62 812-3456-7890"),
        ("phone", "(021) 555 1234"),
        ("phone", "telp. 0274-512345"),
        ("email", "siti.aminah@contoh.go.id"),
        ("email", "budi [at] contoh [dot] go [dot] id"),
        ("email", "Budi (AT) contoh.go.id"),
        ("email", "hubungi budi @ contoh.go.id"),  # spaces around the @
        ("nik", "catatan: 3171-0148-0808-0003 (ibu)"),  # a woman (day 48) in free text
    ],
)
def test_rule_finds_personal_value(rule: str, cell: str) -> None:
    assert matches(_rule(rule), pa.array([cell, "-"])).to_pylist() == [True, False]


@pytest.mark.parametrize(
    "cell",
    [
        "2024123299990001",  # an invoice number: day 32 does not exist
        "2024001399990002",  # district 00 does not exist
        "3171013002450001",  # 30 February
        "3171013104450001",  # 31 April
        "1234567890123456",
        "9900000000000000",
        "3325100000000000",  # a national budget in rupiah
        "123456789012345678",  # 18 digits without a birth date
        "202413330000000001",
        "31710157084500012",  # 17 digits: part of a longer number
        "00.000.000.0-000.000",  # the NPWP written for "none"
        "0000000000000000",
        "013121661091000",  # an NPWP-shaped number with a wrong check digit
        "5134381000000",
        "273487",
        "2024-09-14T00:00:00+08:00",
        "08/09/2021",
        "PH-5211-01",
        "4.1.01.01",
        "1.5E+03",
    ],
)
def test_no_rule_fires_on_trap(cell: str) -> None:
    assert [r.name for r in RULES if matches(r, pa.array([cell]))[0].as_py()] == []


@pytest.mark.parametrize(
    ("header", "word"),
    [
        *[("nama", "nama"), ("nama_pasien", "nama"), ("namaLengkap", "nama"), ("NIK", "nik")],
        *[("no_kk", "kk"), ("alamat", "alamat"), ("tgl_lahir", "lahir"), ("tempat_lahir", "lahir")],
        *[("no_hp", "hp"), ("telepon", "telepon"), ("email", "email"), ("agama", "agama")],
        *[("diagnosa", "diagnosa"), ("penghasilan", "penghasilan"), ("no_rekening", "no_rekening")],
        *[("full_name", "name"), ("date_of_birth", "birth"), ("Phone Number", "phone")],
        *[("religion", "religion"), ("bank_account", "bank_account"), ("total_gaji", "gaji")],
        *[("nama_ibu", "nama"), ("E-mail", "e_mail")],
    ],
)
def test_personal_header(header: str, word: str) -> None:
    assert personal(header) == word


@pytest.mark.parametrize(
    "header",
    [
        *("nama_fasyankes", "nama_provinsi", "nama_kabupaten", "nama_sekolah", "alamat_kantor"),
        *("kode_rekening", "jumlah_penduduk", "ibu_kota", "jenis_kelamin", "nama_komoditas"),
        *("rata_rata_penghasilan", "jumlah_lahir_hidup", "kode_wilayah", "uraian"),
    ],
)
def test_header_of_a_place_or_an_aggregate_passes(header: str) -> None:
    assert personal(header) == ""


def test_bare_name_takes_its_qualifier_from_title_or_resource() -> None:
    assert personal("nama", ["Nama kecamatan", "District name"]) == ""
    assert personal("nama", ["Nama", "Name", "kabupaten-kota"]) == ""
    assert personal("nama", ["Nama", "Name", "penerima-bantuan"]) == "nama"


@pytest.mark.parametrize(
    ("header", "context", "word"),
    [
        ("nik", "sekolah", "nik"),  # only people have these, whatever the resource
        ("NIK", "sekolah", "nik"),
        ("agama", "kecamatan", "agama"),
        ("religion", "schools", "religion"),
        ("diagnosa", "rs", "diagnosa"),
        ("no_kk", "desa", "kk"),
        ("alamat_rumah", "penduduk", "alamat"),  # a home address, not a hospital's
        ("nama", "siswa-sekolah", "nama"),  # the resource names people too
        ("alamat", "data-pasien-puskesmas", "alamat"),
    ],
)
def test_context_never_clears_a_word_only_people_have(header, context, word) -> None:
    assert personal(header, ["", "", context]) == word


def test_a_bare_word_things_have_too_passes_in_a_resource_of_things() -> None:
    assert personal("alamat", ["", "", "sekolah"]) == ""
    assert personal("email", ["Email sekolah", "School e-mail", "siswa-sekolah"]) == ""
    assert personal("nama_rumah_sakit") == ""


def test_guard_names_file_column_rows_rule_and_masks(catalogue) -> None:
    findings = _findings(catalogue("hostile-personal-data"), "penerima-bantuan")
    found = {(f.column, f.rule): f for f in findings}
    assert sorted(found) == [
        ("keterangan", "nik"),
        ("keterangan", "nip"),
        ("keterangan", "npwp"),
        ("kontak", "email"),
        ("kontak", "formula"),  # "+62 …" would be a formula in a spreadsheet: a warning
        ("kontak", "phone"),
        ("nik", "excel-number"),
        ("nik", "header"),
        ("nik", "nik"),
    ]
    assert found["nik", "nik"].rows == (2, 3, 5, 6)
    assert found["nik", "nik"].examples == (
        "3171********0001",
        "3171-****-****-0002",
        "5271********0004",
    )
    assert found["nik", "excel-number"].rows == (4,)
    assert found["kontak", "phone"].rows == (2, 3, 6)
    assert found["kontak", "email"].examples == (
        "b*** [at] c***** [dot] go [dot] id",
        "s**********@c*****.go.id",
    )
    assert found["keterangan", "nip"].examples == ("1980**** ****** 1 001",)
    assert found["kontak", "formula"].warning and found["kontak", "formula"].rows == (3,)
    assert all(f.place == PENERIMA and f.blocks for f in findings if f.rule != "formula")


def test_validate_refuses_with_a_masked_report(catalogue) -> None:
    root = catalogue("hostile-personal-data")
    result = run("validate", root)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        f'- {PENERIMA}: column "nik", rows 2, 3, 5, 6: 4 × NIK (nomor induk kependudukan), '
        "e.g. 3171********0001, 3171-****-****-0002, 5271********0004. Remove or aggregate the "
        'column, or mask its values; if it must be public, declare the field public: {reason: "…"} '
        "in the schema."
    ) in lines
    assert f'- {PENERIMA}: column "nik": the column\'s name says it holds personal data (nik).' in (
        line.split(" Remove")[0] for line in lines
    )
    assert not any(nik in result.output for nik in FULL_NIKS)
    assert not [line for line in lines if "tagihan.csv" in line and "column" in line]


def test_build_refuses_and_keep_going_publishes_nothing_personal(catalogue, tmp_path) -> None:
    root = catalogue("hostile-personal-data")
    out = tmp_path / "site"
    result = run("build", root, "--out", out)
    assert result.exit_code == 1
    assert "personal data" in result.output.lower() or "NIK" in result.output
    assert not out.exists()

    result = run("build", root, "--out", out, "--keep-going")
    assert result.exit_code == 1
    assert (out / "dinsos/tagihan").is_dir()
    assert not (out / "dinsos/penerima-bantuan").exists()
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(nik.encode() in data for nik in FULL_NIKS), path


def test_public_declaration_publishes_and_shows_the_reason(catalogue, tmp_path) -> None:
    root = catalogue("hostile-personal-data")
    dp = root / "datasets/dinsos/penerima-bantuan/datapackage.yaml"
    reason = "Daftar penerima bantuan wajib diumumkan (uji)."
    text = dp.read_text()
    for name in ("nik", "keterangan", "kontak"):
        text = text.replace(
            f"- name: {name}\n          type: string\n",
            f'- name: {name}\n          type: string\n          public: {{reason: "{reason}"}}\n',
        )
    dp.write_text(text)
    result = run("validate", root / "datasets/dinsos/penerima-bantuan")
    assert result.exit_code == 0, result.output
    assert f'declared public ({reason}): {PENERIMA}, column "nik", rows 2, 3, 5, 6' in result.output

    out = tmp_path / "site"
    assert run("build", root, "--out", out).exit_code == 0
    package = json.loads((out / "dinsos/penerima-bantuan/datapackage.json").read_text())
    fields = package["resources"][0]["schema"]["fields"]
    assert [f.get("public") for f in fields] == [
        None,
        {"reason": reason},
        {"reason": reason},
        {"reason": reason},
        None,
    ]
    page = (out / "dinsos/penerima-bantuan/index.html").read_text()
    assert reason in page


@pytest.mark.parametrize("declared", ['{reason: ""}', "true", '"yes"'])
def test_public_without_a_reason_is_refused(catalogue, declared: str) -> None:
    root = catalogue("hostile-personal-data")
    dp = root / "datasets/dinsos/penerima-bantuan/datapackage.yaml"
    dp.write_text(
        dp.read_text().replace("- name: nik\n", f"- name: nik\n          public: {declared}\n")
    )
    result = run("validate", root)
    assert result.exit_code == 2
    assert (
        '- datasets/dinsos/penerima-bantuan/datapackage.yaml, line 15: field "nik": public needs '
        'a reason: public: {reason: "…"}.'
    ) in result.output


def test_small_counts_of_people_are_a_warning(catalogue) -> None:
    root = catalogue("hostile-personal-data")
    data = root / "datasets/dinsos/tagihan/data/tagihan.csv"
    data.write_text(data.read_text().replace(",1204,", ",2,"))
    findings = _findings(root, "tagihan")
    assert [(f.rule, f.column, f.rows, f.warning) for f in findings] == [
        ("small-count", "jumlah_penduduk", (3,), True)
    ]
    result = run("validate", root / "datasets/dinsos/tagihan")
    assert result.exit_code == 0
    assert 'warning: datasets/dinsos/tagihan/data/tagihan.csv, column "jumlah_penduduk", row 3' in (
        result.output
    )


def test_every_row_is_scanned_not_a_sample(catalogue) -> None:
    root = catalogue("hostile-personal-data")
    data = root / "datasets/dinsos/tagihan/data/tagihan.csv"
    lines = data.read_text().splitlines()
    body = [lines[2]] * 200_000 + [lines[2].replace("Lembah Hijau", "Lembah Hijau 081234567890")]
    data.write_text("\n".join([lines[0], *body]) + "\n")
    findings = _findings(root, "tagihan")
    assert [(f.rule, f.column, f.rows) for f in findings] == [
        ("phone", "nama_kabupaten", (200_002,))
    ]


def test_nik_typed_as_a_number_in_xlsx_is_found(catalogue) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    root = catalogue("hostile-personal-data")
    folder = root / "datasets/dinsos/penerima-bantuan"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nomor_urut", "nomor"])
    sheet.append([1, 3171015708450000])  # 3171015708450001 as Excel keeps it: 15 digits
    book.save(folder / "data/penerima.xlsx")
    dp = folder / "datapackage.yaml"
    text = dp.read_text().split("    schema:")[0].replace("penerima.csv", "penerima.xlsx")
    dp.write_text(
        text + "    schema:\n      fields:\n        - {name: nomor_urut, type: integer}\n"
        "        - {name: nomor, type: number}\n"
    )
    findings = _findings(root, "penerima-bantuan")
    assert [(f.rule, f.column, f.rows, f.examples) for f in findings] == [
        ("nik", "nomor", (2,), ("3171********0000",))
    ]


def test_demo_catalogue_has_no_findings() -> None:
    catalogue = load(ROOT)
    results = check(catalogue, catalogue.datasets)
    assert [str(f) for r in results for f in r.findings] == []
    assert sum(len(d.resources) for d in catalogue.datasets) >= 17


def test_guard_reads_the_source_it_is_given(catalogue) -> None:
    root = catalogue("hostile-personal-data")
    catalogue_ = load(root)
    dataset = next(d for d in catalogue_.datasets if d.name == "penerima-bantuan")
    resource = dataset.resources[0]
    found = guard(resource, sniff(resource, place="x.csv"), place="x.csv")
    assert {f.place for f in found} == {"x.csv"}


def test_personal_column_in_a_resource_named_after_a_place_is_refused(catalogue) -> None:
    """A school's resource may still list people: nik, agama and tgl_lahir are theirs."""
    root = catalogue("minimal")
    data = root / "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"
    data.write_text("nama,nik,agama,alamat_rumah\nAni,-,Islam,Jl. Mawar 1\n")
    (root / "schemas/sekolah.yaml").write_text(
        "fields:\n" + "".join(f"  - {{name: {n}, type: string}}\n" for n in _COLUMNS)
    )
    result = run("validate", root)
    assert result.exit_code == 1
    place = "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"
    for column, word in (("nik", "nik"), ("agama", "agama"), ("alamat_rumah", "alamat")):
        assert (
            f'- {place}: column "{column}": the column\'s name says it holds personal data ({word}).'
            in result.output
        )
    assert 'column "nama":' not in result.output  # a bare name in a resource named "sekolah"


_COLUMNS = ("nama", "nik", "agama", "alamat_rumah")
