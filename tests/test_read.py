"""read: raw CSV and XLSX files as string batches, with the encoding and dialect found."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

from opendata.errors import OpendataError
from opendata.models import Resource, Source
from opendata.read import encoding, read, sniff


def resource(path: Path, **options: str) -> Resource:
    return Resource(
        name=path.stem,
        path=path,
        relpath=f"data/{path.name}",
        format=path.suffix.lstrip("."),
        schema={"fields": []},
        **options,
    )


def load(path: Path, *, batch_rows: int = 65_536, **options: str) -> tuple[Source, tuple, list]:
    """Return the source sniffed, the labels and the rows as lists of cells."""
    res = resource(path, **options)
    source = sniff(res, place=res.relpath)
    table = read(res, source, batch_rows=batch_rows)
    rows = [list(row.values()) for batch in table.batches for row in batch.to_pylist()]
    return source, table.labels, rows


def failure(path: Path, **options: str) -> tuple[str, str]:
    """Return the slug and message of the one problem sniffing and reading raise."""
    with pytest.raises(OpendataError) as caught:
        load(path, **options)
    [found] = caught.value.problems
    assert found.file == f"data/{path.name}"
    return found.slug, found.message


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---- encodings


def test_utf8_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "nama,kota\nJosé,Bogor\nÑoño,Depok\n".encode())
    assert load(path) == (
        Source("csv", "utf-8", ",", ""),
        ("nama", "kota"),
        [["José", "Bogor"], ["Ñoño", "Depok"]],
    )


def test_utf8_bom_is_detected_and_not_part_of_the_first_label(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"\xef\xbb\xbf" + "nama,kota\nJosé,Bogor\n".encode())
    assert load(path) == (
        Source("csv", "utf-8-sig", ",", ""),
        ("nama", "kota"),
        [["José", "Bogor"]],
    )


def test_declared_utf8_with_a_bom_reads_as_utf8_sig(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"\xef\xbb\xbfnama\nx\n")
    assert load(path, encoding="UTF-8")[:2] == (Source("csv", "utf-8-sig", ",", ""), ("nama",))


def test_declared_utf8_sig_without_a_bom_reads_as_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"nama\nx\n")
    assert load(path, encoding="utf-8-sig") == (Source("csv", "utf-8", ",", ""), ("nama",), [["x"]])


def test_windows_1252_is_detected(tmp_path: Path) -> None:
    text = "nama;kota\nJosé – Ñ;Bogor\n"
    path = write(tmp_path, "a.csv", text.encode("cp1252"))
    assert load(path) == (
        Source("csv", "cp1252", ";", ""),
        ("nama", "kota"),
        [["José – Ñ", "Bogor"]],
    )


def test_windows_1252_is_detected_when_the_first_accent_is_far_down(tmp_path: Path) -> None:
    data = b"kode,nama\n" + b"1,Bogor\n" * 20_000 + "2,Cianjur – Ciléungsi\n".encode("cp1252")
    source, _, rows = load(write(tmp_path, "a.csv", data))
    assert source.encoding == "cp1252"
    assert rows[-1] == ["2", "Cianjur – Ciléungsi"]


def test_declared_windows_1252_is_normalised(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "nama\nJosé – A\n".encode("cp1252"))
    assert load(path, encoding="windows-1252") == (
        Source("csv", "cp1252", ",", ""),
        ("nama",),
        [["José – A"]],
    )


def test_utf16_with_a_bom_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "nama\tkota\r\nJosé\tBogor\r\n".encode("utf-16"))
    assert load(path) == (Source("csv", "utf-16", "\t", ""), ("nama", "kota"), [["José", "Bogor"]])


def test_undecodable_byte_in_a_declared_encoding_names_offset_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"nama\nJos\xe9\nx\x81y\n")
    assert failure(path, encoding="windows-1252") == (
        "encoding-error",
        "byte 0x81 at byte offset 11 (line 3) is not valid cp1252.",
    )


def test_encoding_error_as_the_user_sees_it(tmp_path: Path) -> None:
    res = resource(write(tmp_path, "a.csv", b"nama\n\x90\n"), encoding="cp1252")
    with pytest.raises(OpendataError) as caught:  # sniff checks the whole file decodes
        sniff(res, place="x.csv")
    assert caught.value.format_message() == (
        "1 problem found:\n"
        "- x.csv: byte 0x90 at byte offset 5 (line 2) is not valid cp1252. "
        "Save the file as UTF-8, or declare its encoding (for example encoding: windows-1252)."
    )


def test_damaged_utf8_is_reported_not_misread_as_windows_1252(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "nama\nJosé\n".encode() + b"Ren\xe9\n")
    assert failure(path) == (
        "encoding-error",
        "byte 0xE9 at byte offset 14 (line 3) is not valid utf-8.",
    )


def test_offsets_are_right_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "CHUNK", 4)  # "é" and "–" straddle chunk boundaries
    data = "nama\nJosé\nA – B\n".encode() + b"\xff\n"
    path = write(tmp_path, "a.csv", data)
    assert failure(path, encoding="utf-8") == (
        "encoding-error",
        f"byte 0xFF at byte offset {len(data) - 2} (line 4) is not valid utf-8.",
    )


def test_a_file_ending_inside_a_character_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"nama\nJos\xc3")
    assert failure(path, encoding="utf-8") == (
        "encoding-error",
        "byte 0xC3 at byte offset 8 (line 2) is not valid utf-8.",
    )


def test_unknown_declared_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"nama\nx\n")
    assert failure(path, encoding="klingon") == (
        "encoding-error",
        "'klingon' is not a known text encoding.",
    )


# ---- dialect


def test_semicolon_is_detected_despite_decimal_commas(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"kode;nilai\n1;12,5\n2;3,25\n")
    assert load(path) == (
        Source("csv", "utf-8", ";", ""),
        ("kode", "nilai"),
        [["1", "12,5"], ["2", "3,25"]],
    )


def test_tab_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"kode\tnama\n1\tBogor, Jawa Barat\n")
    assert load(path) == (
        Source("csv", "utf-8", "\t", ""),
        ("kode", "nama"),
        [["1", "Bogor, Jawa Barat"]],
    )


def test_a_single_column_defaults_to_comma(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"nama\nBogor\nDepok\n")
    assert load(path) == (Source("csv", "utf-8", ",", ""), ("nama",), [["Bogor"], ["Depok"]])


def test_declared_delimiter_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"a,b;c\n1,2;3\n")
    assert load(path, delimiter=";") == (
        Source("csv", "utf-8", ";", ""),
        ("a,b", "c"),
        [["1,2", "3"]],
    )


def test_quoted_fields_keep_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    data = b'kode;catatan;nilai\r\n1;"satu; dua";""\r\n2;"baris\r\nbaru ""kutip""";7\r\n'
    assert load(write(tmp_path, "a.csv", data)) == (
        Source("csv", "utf-8", ";", ""),
        ("kode", "catatan", "nilai"),
        [["1", "satu; dua", ""], ["2", 'baris\r\nbaru "kutip"', "7"]],
    )


def test_cells_stay_text_and_empty_cells_stay_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"kode,nilai,tanggal\n007,1e3,2023-12-31\n,,\n")
    res = resource(path)
    table = read(res, sniff(res, place="a.csv"))
    [batch] = list(table.batches)
    assert batch.schema == pa.schema([(name, pa.string()) for name in table.labels])
    assert batch.to_pylist() == [
        {"kode": "007", "nilai": "1e3", "tanggal": "2023-12-31"},
        {"kode": "", "nilai": "", "tanggal": ""},
    ]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    assert load(write(tmp_path, "a.csv", b"")) == (Source("csv", "utf-8", ",", ""), (), [])
    assert load(write(tmp_path, "b.csv", b"kode;nama")) == (
        Source("csv", "utf-8", ";", ""),
        ("kode", "nama"),
        [],
    )


def test_batches_have_exactly_batch_rows_rows(tmp_path: Path) -> None:
    data = b"n\n" + b"".join(b"%d\n" % i for i in range(25))
    res = resource(write(tmp_path, "a.csv", data))
    table = read(res, sniff(res, place="a.csv"), batch_rows=10)
    batches = list(table.batches)
    assert [batch.num_rows for batch in batches] == [10, 10, 5]
    assert [row["n"] for batch in batches for row in batch.to_pylist()] == [
        str(i) for i in range(25)
    ]


def test_a_row_with_too_many_cells_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"a,b\n1,2\n3,4,5\n")
    assert failure(path) == (
        "unreadable-file",
        "a row has 3 cells where the header has 2: '3,4,5'.",
    )


def test_other_formats_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ods", b"PK\x03\x04")
    assert failure(path) == ("unknown-format", "'ods' files cannot be read; only CSV and XLSX can.")


def test_a_zip_named_csv_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"PK\x03\x04\x14\x00\x00\x00")
    assert failure(path) == (
        "unreadable-file",
        "the file is a ZIP archive (an XLSX workbook is one), not CSV text.",
    )


# ---- XLSX


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    sheet.append(["catatan"])
    sheet.append(["lihat lembar Data"])
    data = book.create_sheet("Data")
    data.append(["kode", "nilai", "tanggal", "waktu", "nama", "aktif"])
    data.append(
        [1, 12.5, datetime.date(2023, 12, 31), datetime.datetime(2024, 1, 2, 8, 30), "Bogor", True]
    )
    data.append([2, 0.1, datetime.date(2024, 2, 29), datetime.time(7, 5), None, False])
    data.append([300, -1e20, None, None, "Depok", None])
    book.save(path)
    return path


def test_xlsx_first_sheet_by_default(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx")
    assert load(path) == (
        Source("xlsx", "", "", "Ringkasan"),
        ("catatan",),
        [["lihat lembar Data"]],
    )


def test_xlsx_named_sheet_with_cells_as_canonical_text(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx")
    assert load(path, sheet="Data", batch_rows=2) == (
        Source("xlsx", "", "", "Data"),
        ("kode", "nilai", "tanggal", "waktu", "nama", "aktif"),
        [
            ["1", "12.5", "2023-12-31", "2024-01-02T08:30:00", "Bogor", "true"],
            ["2", "0.1", "2024-02-29", "07:05:00", "", "false"],
            ["300", "-100000000000000000000", "", "", "Depok", ""],
        ],
    )


def test_xlsx_columns_start_at_a(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["B1"], book.active["C1"], book.active["B2"] = "kode", "nama", 7
    book.save(tmp_path / "a.xlsx")
    assert load(tmp_path / "a.xlsx")[1:] == (("", "kode", "nama"), [["", "7", ""]])


def test_xlsx_missing_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx")
    assert failure(path, sheet="Tabel 1") == (
        "sheet-not-found",
        "sheet 'Tabel 1' not found; the workbook has: 'Ringkasan', 'Data'.",
    )


def test_html_named_xlsx_is_unreadable(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>"
    path = write(tmp_path, "a.xlsx", page)
    assert failure(path) == (
        "unreadable-file",
        "the file is an HTML or XML page, not an XLSX workbook.",
    )


def test_csv_named_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, "a.xlsx", b"kode,nama\n1,Bogor\n")
    assert failure(path) == (
        "unreadable-file",
        "the file is text (perhaps CSV), not an XLSX workbook.",
    )


def test_broken_zip_named_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, "a.xlsx", b"PK\x03\x04" + b"\x00" * 40)
    slug, message = failure(path)
    assert slug == "unreadable-file"
    assert message.startswith("the file is a ZIP archive but not a readable XLSX workbook (")
