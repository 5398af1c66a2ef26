"""Validate one loose CSV/XLSX file, outside any catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Schema

from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.load.paths import file_format
from opendata.load.schema import check_schema
from opendata.load.yaml import read_yaml
from opendata.models import Problem, Report, Resource
from opendata.read import sniff
from opendata.validate import DEFAULT_LIMIT, validate


def validate_file(
    path: Path, *, schema: Path | None = None, limit_errors: int = DEFAULT_LIMIT
) -> Report:
    """Validate `path` against the schema file, or against a schema inferred from it."""
    place = path.as_posix()
    kind = file_format(path.name)
    if not kind:
        raise OpendataError(
            problem(
                "unknown-format",
                place,
                _('"{path}" is neither a .csv nor an .xlsx file.', path=path.name),
            )
        )
    descriptor = _schema(schema) if schema else {}
    resource = Resource(
        name=_name(path), path=path.resolve(), relpath=path.name, format=kind, schema=descriptor
    )
    source = sniff(resource, place=place)
    if not schema:
        resource = Resource(**{**resource.__dict__, "schema": _infer(resource, source, place)})
    return validate(resource, source, place=place, limit_errors=limit_errors)


def _schema(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise OpendataError(
            problem("schema-not-found", path.as_posix(), _("the schema file does not exist."))
        )
    doc = read_yaml(path, path.as_posix())
    if isinstance(doc, Problem):
        raise OpendataError(doc)
    found = check_schema(doc, doc.data)
    if found:
        raise OpendataError(found)
    if doc.data.get("foreignKeys"):
        doc.data.pop("foreignKeys")  # references need a catalogue to resolve
    return doc.data


def _infer(resource: Resource, source, place: str) -> dict[str, Any]:
    """Infer a schema as frictionless does, so the file's structure can still be checked."""
    try:
        options: dict[str, Any] = {"format": resource.format}
        if source.encoding:
            options["encoding"] = source.encoding
        return Schema.describe(str(resource.path), **options).to_descriptor()
    except FrictionlessException as exc:
        raise OpendataError(problem("unreadable-file", place, f"{exc.error.note}.")) from None


def _name(path: Path) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-")
    return slug or "data"
