"""Our engine against frictionless, the reference, on the same small files and schemas.

Each case in tests/validate_cases.py is validated by both in the same test and the
flattened reports must be equal. Where we differ on purpose, a test below asserts our
behaviour and says why (see docs/validation.md).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import frictionless
import openpyxl
import pytest
from frictionless import formats

from opendata.load.schema import plain_schema
from opendata.models import Report, Resource, Source
from opendata.validate import validate
from tests.validate_cases import Case, cases

KEYS = ("type", "rowNumber", "fieldNumber", "fieldName", "cell")


def write(case: Case, folder: Path, name: str, text: Any) -> Path:
    path = folder / f"{name.replace('/', '-')}.{case.format}"
    if case.format == "xlsx":
        book = openpyxl.Workbook()
        for row in text:
            book.active.append(row)
        book.save(path)
    else:
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def resource(case: Case, path: Path, name: str, schema: dict) -> tuple[Resource, Source]:
    res = Resource(
        name=name, path=path, relpath=path.name, format=case.format, schema=schema,
        encoding=case.encoding, delimiter=case.delimiter,
    )  # fmt: skip
    if case.format == "xlsx":
        return res, Source("xlsx", "", "", "Sheet")
    encoding = case.encoding or (
        "utf-8-sig" if path.read_bytes()[:3] == b"\xef\xbb\xbf" else "utf-8"
    )
    return res, Source("csv", encoding, case.delimiter, "")


def ours(case: Case, folder: Path) -> Report:
    path = write(case, folder, "data", case.text)
    target = resource(case, path, "data", copy.deepcopy(case.schema))
    references = {
        name: resource(case, write(case, folder, name, text), name, schema)
        for name, (schema, text) in case.others.items()
    }
    return validate(*target, place=path.name, references=references, limit_errors=case.limit)


def theirs(case: Case, folder: Path) -> list[tuple]:
    def make(name: str, schema: dict) -> frictionless.Resource:
        path = str(folder / f"{name.replace('/', '-')}.{case.format}")
        plain = plain_schema(copy.deepcopy(schema))
        if "$schema" in plain:  # a v2 schema is only honoured inside a v2 resource
            profile = "https://datapackage.org/profiles/2.0/dataresource.json"
            descriptor = {"$schema": profile, "name": name, "path": path, "schema": plain}
            return frictionless.Resource.from_descriptor(descriptor)
        options: dict[str, Any] = {}
        if case.format == "csv":
            control = formats.CsvControl(delimiter=case.delimiter)
            options["dialect"] = frictionless.Dialect(controls=[control])
            options["encoding"] = case.encoding or None
        schema_ = frictionless.Schema.from_descriptor(plain)
        return frictionless.Resource(path=path, name=name, schema=schema_, **options)

    with frictionless.system.use_context(trusted=True):
        target = make("data", case.schema)
        others = [make(n, s) for n, (s, _) in case.others.items()]
        frictionless.Package(resources=[target, *others])
        report = target.validate(limit_errors=case.limit)
    return [tuple(e.to_descriptor().get(k) for k in KEYS) for e in report.tasks[0].errors]


ALL = cases()


def test_there_are_at_least_a_hundred_cases() -> None:
    assert len(ALL) >= 100
    assert len({case.name for case in ALL}) == len(ALL)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.name)
def test_same_findings_as_frictionless(case: Case, tmp_path: Path) -> None:
    found = ours(case, tmp_path).flatten(*KEYS)  # writes the files
    assert found == theirs(case, tmp_path)
