"""The published `datapackage.json` of a dataset: a Frictionless Data Package on its own."""

from __future__ import annotations

import copy
import json
from typing import Any

from opendata.load.schema import plain_schema
from opendata.models import (
    Agency,
    Conversion,
    Dataset,
    DatasetResult,
    License,
    Output,
    Portal,
    Resource,
)
from opendata.privacy import public_reason

# Data Package keys an agency may write that we pass through untouched.
PASSTHROUGH = ("created", "homepage", "id", "image", "profile", "sources", "contributors")
# Field options that say how to parse the raw file, not the normalized one.
RAW_OPTIONS = (
    "missingValues",
    "decimalChar",
    "groupChar",
    "bareNumber",
    "trueValues",
    "falseValues",
)
ISO_TYPES = ("date", "time", "datetime")


def datapackage(result: DatasetResult, agency: Agency, portal: Portal) -> dict[str, Any]:
    """Return the descriptor of the dataset's published CSV files."""
    dataset = result.dataset
    package = {key: dataset.descriptor[key] for key in PASSTHROUGH if key in dataset.descriptor}
    if len(package.get("created", "")) == 10:  # Data Package wants a datetime; we take a date
        package["created"] += "T00:00:00Z"
    package.update(
        name=dataset.name,
        title=dataset.title.get("id"),
        version=dataset.version,
        translations={"en": _translation(dataset, "en")},
        licenses=[_license(lic) for lic in licenses_of(dataset, portal)],
        resources=_resources(dataset, result.conversions),
    )
    package.setdefault("contributors", _contributors(dataset, agency))
    extras: dict[str, Any] = {
        "description": dataset.description.get("id"),
        "keywords": list(dataset.keywords),
        "themes": [theme.get("id") for theme in dataset.themes],
        "contact": _drop_empty({"name": dataset.contact.name, "email": dataset.contact.email}),
        "frequency": dataset.frequency,
        "modified": dataset.modified,
        "temporal": _drop_empty(dict(zip(("start", "end"), dataset.temporal, strict=True))),
        "spatial": list(dataset.spatial),
    }
    package.update(_drop_empty(extras))
    return package


def dumps(package: dict[str, Any]) -> str:
    """Return the descriptor as stable, readable JSON."""
    return json.dumps(package, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def licenses_of(dataset: Dataset, portal: Portal) -> tuple[License, ...]:
    """Return the dataset's licences, or the portal's default licence when it declares none."""
    if dataset.licenses:
        return dataset.licenses
    return (portal.license,) if portal.license else ()


def published_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the schema of the normalized CSV: without the raw file's parsing options.

    The convert stage writes ISO 8601 dates and times, "." decimals without grouping,
    true/false and empty cells for missing values, which are the Table Schema defaults;
    options describing the raw file (`format: "%d/%m/%Y"`, `decimalChar: ","`) would
    make the published file fail its own schema.
    """
    schema = copy.deepcopy(schema)
    schema.pop("missingValues", None)
    for field in schema.get("fields", []):
        raw = [field.pop(option) for option in RAW_OPTIONS if option in field]
        if field.get("type") in ISO_TYPES and "format" in field:
            raw.append(field.pop("format"))
        if raw:
            field.pop("example", None)  # written in the raw file's form, e.g. "31/12/2023"
    return schema


def split_foreign_keys(schema: dict[str, Any]) -> dict[str, Any]:
    """Move keys into other datasets to "opendata:foreignKeys": one package cannot hold them.

    Keeping them (under a custom key) preserves the information for readers and
    tools of ours, while `frictionless validate` checks only what the package contains.
    """
    schema = copy.deepcopy(schema)
    keys = schema.pop("foreignKeys", [])
    inside = [key for key in keys if "/" not in key.get("reference", {}).get("resource", "")]
    outside = [key for key in keys if key not in inside]
    if inside:
        schema["foreignKeys"] = inside
    if outside:
        schema["opendata:foreignKeys"] = outside
    return schema


def _resources(dataset: Dataset, conversions: tuple[Conversion, ...]) -> list[dict[str, Any]]:
    """Return a resource per published CSV, its path relative to the dataset folder."""
    prefix = f"{dataset.agency}/{dataset.name}/"
    by_name = {conversion.resource: conversion for conversion in conversions}
    resources = []
    for resource in dataset.resources:
        conversion = by_name.get(resource.name)
        for output in conversion.outputs if conversion else ():
            if output.format == "csv" and output.path.startswith(prefix):
                resources.append(_resource(resource, output.path.removeprefix(prefix), output))
    return resources


def _resource(resource: Resource, path: str, output: Output) -> dict[str, Any]:
    entry = {
        "name": resource.name,
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": output.bytes,
        "hash": f"sha256:{output.sha256}",
        "schema": _with_public(
            split_foreign_keys(plain_schema(published_schema(resource.schema))), resource.schema
        ),
        "title": resource.title.get("id"),
        "description": resource.description.get("id"),
    }
    if resource.url:  # a remote resource: where the raw file was downloaded from
        entry["sources"] = [{"title": resource.url, "path": resource.url}]
    english = _texts(resource.title.get("en"), resource.description.get("en"))
    if english:
        entry["translations"] = {"en": english}
    return _drop_empty(entry)


def _with_public(schema: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
    """Show, on each field declared public, the reason its personal data is published."""
    reasons = {str(f.get("name")): public_reason(f) for f in declared.get("fields", [])}
    for field in schema.get("fields", []):
        if reasons.get(str(field.get("name"))):
            field["public"] = {"reason": reasons[str(field["name"])]}
    return schema


def _contributors(dataset: Dataset, agency: Agency) -> list[dict[str, Any]]:
    """Return the agency as publisher and the dataset's contact as maintainer."""
    publisher = {"title": agency.title.get("id"), "path": agency.website, "role": "publisher"}
    contributors = [_drop_empty(publisher)]
    contact = dataset.contact
    if contact.name or contact.email:
        maintainer = {"title": contact.name or contact.email, "email": contact.email}
        contributors.append(_drop_empty({**maintainer, "role": "maintainer"}))
    return contributors


def _license(license: License) -> dict[str, str]:
    return _drop_empty({"name": license.name, "title": license.title, "path": license.path})


def _texts(title: str, description: str) -> dict[str, str]:
    return _drop_empty({"title": title, "description": description})


def _translation(dataset: Dataset, lang: str) -> dict[str, Any]:
    """Return the dataset's texts in `lang`; themes only when one has a name of its own in it."""
    texts: dict[str, Any] = _texts(dataset.title.get(lang), dataset.description.get(lang))
    if any(getattr(theme, lang) for theme in dataset.themes):
        texts["themes"] = [theme.get(lang) for theme in dataset.themes]
    return texts


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in ("", [], {}, None)}
