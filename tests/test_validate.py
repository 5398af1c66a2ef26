"""`opendata validate`: human and frictionless-layout reports, exit codes, single files."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless

from opendata.load import load
from opendata.load.schema import plain_schema
from tests.conftest import CATALOGUES, run

CSV = "datasets/dinas-uji/jumlah-sekolah/data/sekolah.csv"


def test_valid_catalogue_exits_zero() -> None:
    result = run("validate", CATALOGUES / "minimal")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f'valid    {CSV} (resource "sekolah", schema "sekolah"): 4 rows',
        "",
        "All 1 resources are valid.",
    ]


def test_invalid_data_is_grouped_with_row_cell_and_fix() -> None:
    result = run("validate", CATALOGUES / "invalid-data")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:4] == [
        f'INVALID  {CSV} (resource "sekolah", schema "sekolah"): 1 error in 4 rows',
        '  type-error, column "jumlah": Wrong type of value (1×)',
        '    row 3, "12.5": type is "integer/default"',
        "    Fix: Write the value as the field's type asks (numbers with '.' as decimal mark unless the schema sets decimalChar; dates as the schema's format).",
    ]


def test_json_report_matches_frictionless(catalogue) -> None:
    root = catalogue("invalid-data")
    result = run("validate", root, "--json")
    assert result.exit_code == 1
    ours = json.loads(result.output)
    assert ours["valid"] is False
    assert ours["stats"]["errors"] == 1
    [task] = ours["tasks"]
    assert task["place"] == CSV
    schema = frictionless.Schema.from_descriptor(
        plain_schema(load(root).datasets[0].resources[0].schema)
    )
    theirs = frictionless.Resource(path=CSV, basepath=str(root), schema=schema).validate()
    keys = ["type", "rowNumber", "fieldNumber", "fieldName", "cell", "message"]
    expected = [[e[k] for k in keys] for e in theirs.to_descriptor()["tasks"][0]["errors"]]
    assert [[e[k] for k in keys] for e in task["errors"]] == expected


def test_scope_to_a_dataset_folder(catalogue) -> None:
    root = catalogue("invalid-data")
    result = run("validate", root / "datasets/dinas-uji/jumlah-sekolah")
    assert result.exit_code == 1
    assert "1 of 1 resources are invalid." in result.output


def test_single_file_with_schema(tmp_path: Path) -> None:
    data = tmp_path / "sekolah.csv"
    data.write_text("kode_wilayah,tahun,jenjang,jumlah\n5201,2023,SD,-4\n52,2023,TK,7\n")
    result = run(
        "validate", data, "--schema", CATALOGUES / "minimal/schemas/sekolah.yaml", "--json"
    )
    assert result.exit_code == 1
    [task] = json.loads(result.output)["tasks"]
    found = [(e["rowNumber"], e["fieldName"], e["type"], e["cell"]) for e in task["errors"]]
    assert found == [
        (2, "jumlah", "constraint-error", "-4"),
        (3, "kode_wilayah", "constraint-error", "52"),
        (3, "jenjang", "constraint-error", "TK"),
    ]


def test_single_file_without_schema_checks_structure(tmp_path: Path) -> None:
    data = tmp_path / "x.csv"
    data.write_text("a,b\n1,2\n3,4,5\n")
    result = run("validate", data)
    assert result.exit_code == 1
    assert '  extra-cell, column "": Extra cell (1×)' not in result.output
    assert "extra-cell" in result.output
    assert "row 3" in result.output


def test_missing_schema_file_is_a_usage_error(tmp_path: Path) -> None:
    data = tmp_path / "x.csv"
    data.write_text("a\n1\n")
    result = run("validate", data, "--schema", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: the schema file does not exist." in result.output


def test_json_descriptor_problems(catalogue) -> None:
    result = run("validate", CATALOGUES / "unknown-key", "--json")
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert report["valid"] is False
    assert report["errors"][0]["type"] == "unknown-key"
    assert report["errors"][0]["line"] == 17


def test_undecodable_byte_names_offset_and_line(catalogue) -> None:
    root = catalogue("minimal")
    data = root / CSV
    data.write_bytes(b"kode_wilayah,tahun,jenjang,jumlah\n5201,2023,SD,412\n5201,2023,SMP,1\xe9\n")
    dp = root / "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
    dp.write_text(dp.read_text().replace("schema: sekolah", "schema: sekolah\n    encoding: utf-8"))
    result = run("validate", root)
    assert result.exit_code == 1
    assert (
        f"- {CSV}: byte 0xE9 at byte offset 66 (line 3) is not valid utf-8. "
        "Save the file as UTF-8, or declare its encoding (for example encoding: windows-1252)."
    ) in result.output


def test_windows_1252_semicolon_file_is_detected(catalogue) -> None:
    root = catalogue("minimal")
    (root / CSV).write_bytes(
        "kode_wilayah;tahun;jenjang;jumlah\r\n5201;2023;SD;412\r\n".encode("cp1252")
    )
    result = run("validate", root, "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["tasks"][0]["stats"]["rows"] == 1


def test_html_saved_as_xlsx_is_a_clear_error(catalogue) -> None:
    root = catalogue("minimal")
    (root / CSV).with_name("sekolah.xlsx").write_text("<html><body>Laporan</body></html>")
    dp = root / "datasets/dinas-uji/jumlah-sekolah/datapackage.yaml"
    dp.write_text(dp.read_text().replace("data/sekolah.csv", "data/sekolah.xlsx"))
    result = run("validate", root)
    assert result.exit_code == 1
    assert "sekolah.xlsx: the file is an HTML or XML page, not an XLSX workbook." in result.output
