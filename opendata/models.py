"""Plain frozen dataclasses passed between the pipeline stages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opendata.i18n import _, ngettext

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Text:
    """A text in Bahasa Indonesia and English; either may fall back to the other."""

    id: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        """Return the text in `lang`, or in the other language when missing."""
        if lang == "en":
            return self.en or self.id
        return self.id or self.en

    def __bool__(self) -> bool:
        return bool(self.id or self.en)


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class License:
    """A licence as Data Package `licenses` entries give it."""

    name: str = ""  # an SPDX identifier such as CC-BY-4.0
    title: str = ""
    path: str = ""  # the licence text's URL


@dataclass(frozen=True)
class Portal:
    """Portal settings from `opendata.yaml`."""

    title: Text
    tagline: Text = Text()
    base_url: str = ""
    publisher: str = ""
    license: License | None = None
    languages: tuple[str, ...] = ("id", "en")
    sample: bool = False  # every page then says the data is sample data


@dataclass(frozen=True)
class Agency:
    """A publishing agency: one folder under `datasets/`."""

    name: str  # slug, the folder name
    title: Text
    description: Text = Text()
    website: str = ""
    contact: Contact = Contact()


@dataclass(frozen=True)
class Resource:
    """One raw table of a dataset, with its schema already resolved and inlined."""

    name: str
    path: Path  # absolute path of the raw file, checked to be inside the dataset folder
    relpath: str  # the path as written in the descriptor, relative to the dataset folder
    format: str  # "csv" or "xlsx"
    schema: dict[str, Any]  # a Frictionless Table Schema descriptor
    schema_ref: str = ""  # the shared schema's name in schemas/, when one is used
    title: Text = Text()
    description: Text = Text()
    encoding: str = ""  # declared encoding; empty means detect
    delimiter: str = ""  # declared delimiter; empty means detect
    sheet: str = ""  # XLSX sheet name; empty means the first sheet
    url: str = ""  # where a remote resource was downloaded from; `path` is the download


@dataclass(frozen=True)
class Dataset:
    """A dataset: one `datapackage.yaml` and its resources."""

    agency: str
    name: str
    title: Text
    version: str
    path: Path  # the dataset folder
    descriptor_path: Path
    resources: tuple[Resource, ...]
    description: Text = Text()
    keywords: tuple[str, ...] = ()
    themes: tuple[Text, ...] = ()  # a plain string is Indonesian; pages fall back to it
    contact: Contact = Contact()
    licenses: tuple[License, ...] = ()
    frequency: str = ""
    temporal: tuple[str, str] = ("", "")
    spatial: tuple[str, ...] = ()
    modified: str = ""
    descriptor: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.agency}/{self.name}"


@dataclass(frozen=True)
class Catalogue:
    """Everything a catalogue repository declares, loaded and checked."""

    root: Path
    portal: Portal
    agencies: tuple[Agency, ...]
    datasets: tuple[Dataset, ...]

    def agency(self, name: str) -> Agency:
        return next(a for a in self.agencies if a.name == name)


@dataclass(frozen=True)
class Problem:
    """A descriptor or input problem: what, where and how to fix it."""

    slug: str
    file: str  # path relative to the catalogue root when possible
    message: str
    hint: str = ""
    line: int | None = None

    @property
    def place(self) -> str:
        return _("{file}, line {line}", file=self.file, line=self.line) if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.place}: {self.message}"
        return f"{text} {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Error:
    """One validation finding, with frictionless's names and numbering."""

    type: str
    message: str
    note: str = ""
    row_number: int | None = None  # the header is row 1
    field_number: int | None = None
    field_name: str | None = None
    cell: str | None = None
    cells: tuple[str, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # e.g. foreign-key details

    def to_dict(self) -> dict[str, Any]:
        """Return the error in frictionless's report layout."""
        out: dict[str, Any] = {"type": self.type, "message": self.message, "note": self.note}
        names = {
            "rowNumber": self.row_number,
            "fieldNumber": self.field_number,
            "fieldName": self.field_name,
            "cell": self.cell,
            "cells": list(self.cells) if self.cells is not None else None,
        }
        out.update({key: value for key, value in names.items() if value is not None})
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class Report:
    """The validation result of one resource."""

    place: str  # the raw file, relative to the catalogue root
    resource: str
    schema_ref: str
    rows: int
    labels: tuple[str, ...]
    errors: tuple[Error, ...]
    warnings: tuple[str, ...] = ()
    encoding: str = ""
    delimiter: str = ""

    @property
    def valid(self) -> bool:
        return not self.errors

    def flatten(self, *keys: str) -> list[tuple[Any, ...]]:
        """Return the errors as tuples of the given frictionless keys, as in frictionless."""
        return [tuple(error.to_dict().get(key) for key in keys) for error in self.errors]

    def to_task(self) -> dict[str, Any]:
        """Return the report as one task of a frictionless report."""
        return {
            "name": self.resource,
            "type": "table",
            "valid": self.valid,
            "place": self.place,
            "labels": list(self.labels),
            "stats": {
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "rows": self.rows,
            },
            "warnings": list(self.warnings),
            "errors": [error.to_dict() for error in self.errors],
        }


@dataclass(frozen=True)
class Output:
    """One published file."""

    format: str  # "csv", "parquet", …
    path: str  # relative to the site root, with "/" separators
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Conversion:
    """The normalized outputs of one resource."""

    resource: str
    rows: int
    outputs: tuple[Output, ...]


@dataclass(frozen=True)
class Bin:
    """One bar of a histogram: values from `low` up to `high` (the last bar includes it)."""

    low: float  # for dates: days since 1970-01-01
    high: float
    count: int


@dataclass(frozen=True)
class ColumnProfile:
    """Statistics of one published column, for the dataset page."""

    name: str
    kind: str  # "integer", "number", "date", "datetime", "boolean" or "text"
    count: int  # values present
    missing: int
    distinct: int | None  # None: more distinct values than the profile stage counts
    minimum: float | str | None = None  # numbers; ISO text for dates
    maximum: float | str | None = None
    mean: float | None = None  # numbers only
    top: tuple[tuple[str, int], ...] = ()  # most frequent values, text and booleans
    bins: tuple[Bin, ...] = ()  # histogram, numbers and dates


@dataclass(frozen=True)
class Profile:
    """Column statistics and the first rows of one published resource."""

    resource: str
    rows: int
    columns: tuple[ColumnProfile, ...]
    preview: tuple[tuple[str, ...], ...] = ()  # the first rows, each cell as CSV text


@dataclass(frozen=True)
class Change:
    """How one resource of a dataset version differs from the version before, from the data."""

    resource: str
    status: str  # "added", "removed" or "changed"
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int | None = 0  # None: no primary key, so a changed row counts as -1 +1
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    columns_retyped: tuple[tuple[str, str, str], ...] = ()  # (column, old type, new type)


@dataclass(frozen=True)
class Version:
    """One published version of a dataset, as the site's release history records it."""

    version: str
    release: int  # the release that first published it
    published: str  # YYYY-MM-DD
    outputs: tuple[Output, ...]  # its files; they never change
    inputs: tuple[tuple[str, str], ...] = ()  # (raw file relative to the dataset, sha256)
    changes: tuple[Change, ...] | None = None  # None for a dataset's first version


@dataclass(frozen=True)
class Finding:
    """Personal data, or a risky value, that the guard found in one column of a resource."""

    rule: str  # "nik", "nip", "npwp", "phone", "email", "header", "small-count", "formula"
    label: str  # the rule in words: "NIK (nomor induk kependudukan)"
    place: str  # the raw file, relative to the catalogue root
    column: str
    rows: tuple[int, ...]  # the first rows found (the header is row 1); empty for a header
    count: int  # cells found in all
    examples: tuple[str, ...] = ()  # masked: 3171********0001
    warning: bool = False  # reported but never blocks publishing
    public: str = ""  # the schema's reason when the field is declared public

    @property
    def blocks(self) -> bool:
        """Say whether the finding stops the dataset from being published."""
        return not self.warning and not self.public

    def __str__(self) -> str:
        where = _('{place}, column "{column}"', place=self.place, column=self.column)
        if self.rows:
            rows = ", ".join(map(str, self.rows))
            where += ngettext(", row {rows}", ", rows {rows}", len(self.rows), rows=rows)
            if self.count > len(self.rows):
                where += _(" (and {count} more)", count=self.count - len(self.rows))
        text = f"{where}: {self.label}"
        examples = ", ".join(self.examples)
        return _("{text}, e.g. {examples}", text=text, examples=examples) if examples else text


@dataclass(frozen=True)
class DatasetResult:
    """What the pipeline learnt about one dataset: its reports and, when valid, its outputs."""

    dataset: Dataset
    reports: tuple[Report, ...]
    conversions: tuple[Conversion, ...] = ()
    problems: tuple[Problem, ...] = ()
    profiles: tuple[Profile, ...] = ()  # one per converted resource
    versions: tuple[Version, ...] = ()  # published versions, newest first (opendata publish)
    findings: tuple[Finding, ...] = ()  # what the personal-data guard found
    files: str = ""  # the folder holding the converted files, laid out as in the site
    cached: bool = False  # taken unchanged from an earlier build's cache

    @property
    def valid(self) -> bool:
        clean = not any(finding.blocks for finding in self.findings)
        return clean and not self.problems and all(report.valid for report in self.reports)


@dataclass(frozen=True)
class Source:
    """How a raw file is to be read, as declared or detected."""

    format: str  # "csv" or "xlsx"
    encoding: str  # the Python codec used, such as "utf-8", "utf-8-sig", "cp1252"; "" for XLSX
    delimiter: str  # ",", ";" or "\t"; "" for XLSX
    sheet: str  # the XLSX sheet read; "" for CSV


@dataclass(frozen=True)
class Table:
    """A raw table as read: its header as written, then its data rows in string batches."""

    labels: tuple[str, ...]
    batches: Iterator[pa.RecordBatch]  # columns named by the labels, all pa.string(); one pass
