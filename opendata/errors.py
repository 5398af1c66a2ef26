"""The problem catalogue and the one exception the CLI turns into a clean message.

Every kind of problem has a stable slug, a title in Bahasa Indonesia and English and
a fix; `docs/problems.md` lists them all and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from opendata import i18n
from opendata.i18n import _, ngettext
from opendata.models import Problem

EXIT_INVALID = 1  # the data breaks its schema
EXIT_USAGE = 2  # a usage or descriptor mistake


@dataclass(frozen=True)
class ProblemType:
    """A kind of problem or validation error: its titles and how to fix it."""

    title_id: str
    title_en: str
    hint: str  # in English, the msgid of its translation in locales/

    @property
    def title(self) -> str:
        """Return the title in the current language."""
        return self.title_id if i18n.current() == "id" else self.title_en

    @property
    def fix(self) -> str:
        """Return how to fix it, in the current language."""
        return _(self.hint)


PROBLEMS: dict[str, ProblemType] = {
    "broken-yaml": ProblemType(
        "YAML rusak",
        "Broken YAML",
        "Check the indentation and quoting on that line; a colon inside a value needs quotes.",
    ),
    "unsafe-yaml": ProblemType(
        "YAML tidak aman",
        "Unsafe YAML",
        "Remove tags such as !!python and deeply nested aliases; use plain values.",
    ),
    "duplicate-key": ProblemType(
        "Kunci ganda",
        "Duplicate key",
        "Keep one of the two lines and delete the other: a key may appear only once in the same mapping.",
    ),
    "unknown-key": ProblemType(
        "Kunci tidak dikenal",
        "Unknown key",
        "Fix the spelling or remove the key; docs/descriptors.md lists every key.",
    ),
    "missing-field": ProblemType(
        "Isian wajib kosong",
        "Missing required field",
        "Add the field; docs/descriptors.md shows an example.",
    ),
    "wrong-type": ProblemType(
        "Jenis isian salah",
        "Wrong type",
        "Write the value in the form docs/descriptors.md gives for this key.",
    ),
    "invalid-value": ProblemType(
        "Nilai tidak sah",
        "Invalid value",
        "Use one of the values docs/descriptors.md lists for this key.",
    ),
    "invalid-slug": ProblemType(
        "Nama tidak sah",
        "Invalid name",
        "Use lowercase letters a-z, digits and hyphens, starting with a letter or digit.",
    ),
    "duplicate-name": ProblemType(
        "Nama ganda",
        "Duplicate name",
        "Give each one its own name.",
    ),
    "missing-file": ProblemType(
        "Berkas tidak ditemukan",
        "File not found",
        "Check the path's spelling; paths are relative to the dataset folder.",
    ),
    "unsafe-path": ProblemType(
        "Jalur tidak aman",
        "Path outside the dataset folder",
        "Put the file inside the dataset folder (for example data/file.csv) and use that relative path.",
    ),
    "remote-not-allowed": ProblemType(
        "Sumber daring tidak diizinkan",
        "Remote resource not allowed",
        "Copy the file into the dataset folder, or run with --allow-remote HOST if you trust the host.",
    ),
    "remote-refused": ProblemType(
        "Unduhan ditolak",
        "Download refused",
        "Only public http(s) hosts are fetched; copy the file into the dataset folder instead.",
    ),
    "site-busy": ProblemType(
        "Situs sedang diterbitkan",
        "Site is being published",
        "Wait until the other publish or build into this folder has finished, then run again.",
    ),
    "schema-not-found": ProblemType(
        "Skema tidak ditemukan",
        "Schema not found",
        "Name a file in schemas/ (without .yaml), or write the schema inline.",
    ),
    "invalid-schema": ProblemType(
        "Skema tidak sah",
        "Invalid Table Schema",
        "Fix the schema as the message says; see https://specs.frictionlessdata.io/table-schema/.",
    ),
    "unknown-format": ProblemType(
        "Format berkas tidak didukung",
        "Unsupported file format",
        "Provide the data as .csv or .xlsx.",
    ),
    "encoding-error": ProblemType(
        "Pengodean salah",
        "Wrong text encoding",
        "Save the file as UTF-8, or declare its encoding (for example encoding: windows-1252).",
    ),
    "unreadable-file": ProblemType(
        "Berkas tidak terbaca",
        "Unreadable file",
        "Open the file in a spreadsheet program and save it again as CSV (UTF-8) or XLSX.",
    ),
    "no-data": ProblemType(
        "Tidak ada data",
        "No data",
        "Check that this is the right file (and sheet): a table needs a header row and at least one row of data.",
    ),
    "sheet-not-found": ProblemType(
        "Lembar tidak ditemukan",
        "Sheet not found",
        "Use one of the sheet names the message lists.",
    ),
    "no-catalogue": ProblemType(
        "Katalog tidak ditemukan",
        "No catalogue here",
        "Run the command in a catalogue folder (one with opendata.yaml), or name it.",
    ),
    "foreign-key-target": ProblemType(
        "Rujukan tidak ditemukan",
        "Referenced resource not found",
        "Name an existing resource, as agency/dataset/resource for another dataset.",
    ),
    "cannot-write": ProblemType(
        "Tidak dapat menulis",
        "Cannot write",
        "Free disk space or choose a writable folder; the published site was not changed.",
    ),
    "version-changed": ProblemType(
        "Versi sudah terbit dengan data lain",
        "Version already published with other data",
        "Published files never change: set a new version in datapackage.yaml, then publish again.",
    ),
    "release-mismatch": ProblemType(
        "Situs tidak sesuai rilisnya",
        "Site differs from its release manifest",
        "Run `opendata rollback` to restore the release before, or publish again; published files must never change.",
    ),
    "no-release": ProblemType(
        "Tidak ada rilis",
        "No release",
        "Publish with `opendata publish --to DIR` first; a rollback needs an earlier release.",
    ),
    "search-index": ProblemType(
        "Indeks pencarian gagal",
        "Search index failed",
        "Reinstall opendata (pip install opendata) so its pagefind program is present; the published site was not changed.",
    ),
    "invalid-data": ProblemType(
        "Data tidak sah",
        "Invalid data",
        "Fix the rows listed by `opendata validate`, then build again.",
    ),
    "personal-data": ProblemType(
        "Data pribadi",
        "Personal data",
        'Remove or aggregate the column, or mask its values; if it must be public, declare the field public: {reason: "…"} in the schema.',
    ),
}


def problem(
    slug: str, file: str, message: str, *, line: int | None = None, hint: str = ""
) -> Problem:
    """Return a Problem of a catalogued kind, with the catalogue's fix unless one is given."""
    return Problem(
        slug=slug, file=file, message=message, hint=hint or PROBLEMS[slug].fix, line=line
    )


class OpendataError(click.ClickException):
    """A user mistake: printed as its problems, never as a traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: list[Problem] | Problem, *, exit_code: int = EXIT_USAGE) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.exit_code = exit_code
        super().__init__(self.describe())

    def describe(self) -> str:
        lines = [f"- {p}" for p in self.problems]
        head = ngettext("{n} problem found:", "{n} problems found:", len(self.problems))
        return "\n".join([head, *lines])

    def format_message(self) -> str:
        return self.describe()


DATA_ERRORS: dict[str, ProblemType] = {
    "type-error": ProblemType(
        "Jenis nilai salah",
        "Wrong type of value",
        "Write the value as the field's type asks (numbers with '.' as decimal mark unless the schema sets decimalChar; dates as the schema's format).",
    ),
    "constraint-error": ProblemType(
        "Batasan dilanggar",
        "Constraint broken",
        "Correct the value so it meets the field's constraint (required, minimum, maximum, pattern, enum…).",
    ),
    "missing-cell": ProblemType(
        "Sel kurang",
        "Missing cell",
        "The row has fewer cells than the header: add the missing values or delimiters.",
    ),
    "extra-cell": ProblemType(
        "Sel berlebih",
        "Extra cell",
        "The row has more cells than the header: remove the extra values, or quote values that contain the delimiter.",
    ),
    "blank-row": ProblemType(
        "Baris kosong",
        "Blank row",
        "Delete the empty row.",
    ),
    "primary-key": ProblemType(
        "Kunci utama ganda",
        "Duplicate primary key",
        "Each row needs its own primary key value: correct or remove the duplicated row.",
    ),
    "unique-error": ProblemType(
        "Nilai ganda",
        "Duplicate value",
        "The field must be unique: correct or remove the duplicated value.",
    ),
    "foreign-key": ProblemType(
        "Rujukan tidak ditemukan",
        "Reference not found",
        "Use a value that exists in the referenced table (for example a valid region code).",
    ),
    "blank-label": ProblemType(
        "Judul kolom kosong",
        "Blank header",
        "Give every column a header.",
    ),
    "duplicate-label": ProblemType(
        "Judul kolom ganda",
        "Duplicate header",
        "Give every column its own header.",
    ),
    "missing-label": ProblemType(
        "Kolom hilang",
        "Missing column",
        "Add the column the schema declares, or remove the field from the schema.",
    ),
    "extra-label": ProblemType(
        "Kolom berlebih",
        "Extra column",
        "Remove the column, or declare it as a field in the schema.",
    ),
    "incorrect-label": ProblemType(
        "Judul kolom tidak cocok",
        "Header does not match the schema",
        "Rename the column to the field name the schema declares at that position.",
    ),
    "encoding-error": ProblemType(
        "Pengodean salah",
        "Wrong text encoding",
        "Save the file as UTF-8, or declare its encoding in the resource.",
    ),
    "source-error": ProblemType(
        "Sumber tidak terbaca",
        "Unreadable source",
        "Open the file in a spreadsheet program and save it again as CSV (UTF-8) or XLSX.",
    ),
}
DEFAULT_DATA_ERROR = ProblemType(
    "Galat data", "Data error", "Correct the data as the message says."
)


def data_error(kind: str) -> ProblemType:
    """Return the title and fix of a validation error type."""
    return DATA_ERRORS.get(kind, DEFAULT_DATA_ERROR)
