"""CSVW metadata beside each published CSV (`<name>.csv-metadata.json`), as W3C CSV on the Web reads it."""

from __future__ import annotations

import posixpath
from typing import Any

from opendata.load.schema import plain_schema
from opendata.models import Dataset, Output, Resource
from opendata.render.datapackage import published_schema

# Table Schema types as CSVW datatypes; the published CSV writes each in this form.
DATATYPES: dict[str, Any] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": {"base": "boolean", "format": "true|false"},
    "date": "date",
    "time": "time",
    "datetime": "datetime",
    "year": "gYear",
    "yearmonth": "gYearMonth",
    "duration": "duration",
}


def csvw_metadata(dataset: Dataset, resource: Resource, output: Output) -> dict[str, Any]:
    """Return the CSVW table description of one published CSV."""
    schema = plain_schema(published_schema(resource.schema))
    table: dict[str, Any] = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "id"}],
        "url": posixpath.basename(output.path),
        "dc:title": resource.title.get("id") or resource.name,
        "dc:isPartOf": dataset.title.get("id"),
        "dialect": {"encoding": "utf-8", "delimiter": ",", "header": True},
        "tableSchema": {"columns": [_column(field) for field in schema.get("fields", [])]},
    }
    key = schema.get("primaryKey")
    if key:
        table["tableSchema"]["primaryKey"] = key
    if resource.description.get("id"):
        table["dc:description"] = resource.description.get("id")
    return table


def _column(field: dict[str, Any]) -> dict[str, Any]:
    constraints = field.get("constraints") or {}
    datatype = DATATYPES.get(field.get("type", "string"), "string")
    if isinstance(datatype, str) and ("minimum" in constraints or "maximum" in constraints):
        datatype = {"base": datatype}
    if isinstance(datatype, dict):
        datatype = dict(datatype)
        for ours, theirs in (("minimum", "minimum"), ("maximum", "maximum")):
            if ours in constraints:
                datatype[theirs] = constraints[ours]
    column: dict[str, Any] = {"name": field["name"], "titles": field["name"], "datatype": datatype}
    if constraints.get("required"):
        column["required"] = True
    if field.get("title"):
        column["dc:title"] = str(field["title"])
    if field.get("description"):
        column["dc:description"] = str(field["description"])
    return column
