"""Check Table Schemas, shared or inline, before any data is read."""

from __future__ import annotations

import difflib
import re
from typing import Any

from opendata.errors import problem
from opendata.i18n import _
from opendata.load.keys import SLUG, Spec, check_mapping, unknown_key
from opendata.load.yaml import Doc, Key
from opendata.models import Problem

TYPES = [
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "list",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
]
ANY = Spec("any")
SCHEMA = {
    "fields": Spec("list", required=True),
    "primaryKey": ANY,
    "foreignKeys": Spec("list"),
    "uniqueKeys": Spec("list"),
    "missingValues": Spec("list"),
    "name": Spec("str"),
    "title": Spec("text"),
    "description": Spec("text"),
    "$schema": Spec("str"),
    "fieldsMatch": Spec("str"),
}
FIELD = {
    "name": Spec("str", required=True),
    "type": Spec("str"),
    "format": Spec("str"),
    "title": Spec("text"),
    "description": Spec("text"),
    "example": ANY,
    "unit": Spec("str"),
    "constraints": Spec("dict"),
    "missingValues": Spec("list"),
    "trueValues": Spec("list"),
    "falseValues": Spec("list"),
    "decimalChar": Spec("str"),
    "groupChar": Spec("str"),
    "bareNumber": Spec("bool"),
    "rdfType": Spec("str"),
    "arrayItem": Spec("dict"),
    "delimiter": Spec("str"),
    "itemType": Spec("str"),
    "floatNumber": Spec("bool"),
    "public": ANY,  # a personal-data field declared public, with its reason
}
CONSTRAINTS = [
    "required",
    "unique",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "pattern",
    "enum",
    "jsonSchema",
]


def check_schema(doc: Doc, schema: Any, path: Key = ()) -> list[Problem]:
    """Return every problem of a Table Schema descriptor, each with its line."""
    found = check_mapping(doc, schema, SCHEMA, path)
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if found or not isinstance(fields, list):
        return found
    names: list[str] = []
    for i, field in enumerate(fields):
        found.extend(_check_field(doc, field, (*path, "fields", i)))
        if isinstance(field, dict) and isinstance(field.get("name"), str):
            if field["name"] in names:
                message = _('the field "{name}" is declared twice.', name=field["name"])
                found.append(_at("duplicate-name", doc, (*path, "fields", i), message))
            names.append(field["name"])
    found.extend(_check_keys(doc, schema, names, path))
    return found


def _check_field(doc: Doc, field: Any, path: Key) -> list[Problem]:
    found = check_mapping(doc, field, FIELD, path)
    if found:
        return found
    kind = field.get("type", "string")
    if kind not in TYPES:
        hint = _suggest(kind, TYPES)
        message = _(
            'field "{name}": "{type}" is not a Table Schema type.', name=field["name"], type=kind
        )
        found.append(_at("invalid-schema", doc, (*path, "type"), message, hint))
    if "public" in field and not _has_reason(field["public"]):
        message = _(
            'field "{name}": public needs a reason: public: {{reason: "…"}}.', name=field["name"]
        )
        found.append(_at("wrong-type", doc, (*path, "public"), message))
    constraints = field.get("constraints", {})
    for key, value in constraints.items():
        where = (*path, "constraints", key)
        if key not in CONSTRAINTS:
            found.append(unknown_key(doc, where, tuple(CONSTRAINTS)))
        elif key == "pattern" and not _compiles(value):
            message = _(
                'field "{name}": the pattern {pattern} is not a valid regular expression.',
                name=field["name"],
                pattern=repr(value),
            )
            found.append(_at("invalid-schema", doc, where, message))
        elif key == "enum" and not isinstance(value, list):
            found.append(_at("wrong-type", doc, where, _("constraints.enum must be a list.")))
        elif key in ("required", "unique") and not isinstance(value, bool):
            message = _("constraints.{key} must be true or false.", key=key)
            found.append(_at("wrong-type", doc, where, message))
    return found


def _check_keys(doc: Doc, schema: dict, names: list[str], path: Key) -> list[Problem]:
    found = []
    for where, fields in _key_fields(schema, path):
        for name in fields:
            if name not in names:
                message = _(
                    'the key names the field "{name}", which the schema does not declare.',
                    name=name,
                )
                found.append(_at("invalid-schema", doc, where, message, _suggest(name, names)))
    for i, fk in enumerate(schema.get("foreignKeys") or []):
        where = (*path, "foreignKeys", i)
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(ref, dict) or "fields" not in fk or "fields" not in ref:
            message = _("a foreign key needs fields and reference: {{resource: …, fields: …}}.")
            found.append(_at("invalid-schema", doc, where, message))
        elif len(_as_list(fk["fields"])) != len(_as_list(ref["fields"])):
            message = _("a foreign key's fields and reference fields differ in number.")
            found.append(_at("invalid-schema", doc, where, message))
    return found


def _key_fields(schema: dict, path: Key) -> list[tuple[Key, list[str]]]:
    keys = []
    if "primaryKey" in schema:
        keys.append(((*path, "primaryKey"), _as_list(schema["primaryKey"])))
    for i, unique in enumerate(schema.get("uniqueKeys") or []):
        keys.append(((*path, "uniqueKeys", i), _as_list(unique)))
    for i, fk in enumerate(schema.get("foreignKeys") or []):
        if isinstance(fk, dict) and "fields" in fk:
            keys.append(((*path, "foreignKeys", i), _as_list(fk["fields"])))
    return keys


def _has_reason(public: Any) -> bool:
    """Say whether a field's `public` declaration gives its reason, as text or {id, en}."""
    reason = public.get("reason") if isinstance(public, dict) else None
    if isinstance(reason, dict):
        reason = reason.get("id") or reason.get("en")
    return isinstance(reason, str) and bool(reason.strip())


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _compiles(pattern: Any) -> bool:
    try:
        re.compile(str(pattern))
    except re.error:
        return False
    return isinstance(pattern, str)


def _suggest(value: str, options: list[str]) -> str:
    nearest = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
    if nearest:
        return _('Did you mean "{name}"?', name=nearest[0])
    return _("Use one of: {options}.", options=", ".join(options))


def _at(slug: str, doc: Doc, path: Key, message: str, hint: str = "") -> Problem:
    return problem(slug, doc.place, message, line=doc.line(path), hint=hint)


def schema_name_ok(name: str) -> bool:
    return bool(SLUG.match(name))


def plain_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the schema as plain Table Schema: texts given as {id, en} become their id text.

    Our schemas may carry bilingual titles; frictionless and other readers want strings.
    """
    plain = {key: _plain(key, value) for key, value in schema.items()}
    plain["fields"] = [
        {key: _plain(key, value) for key, value in field.items() if key != "public"}
        for field in schema.get("fields", [])
    ]
    return plain


def _plain(key: str, value: Any) -> Any:
    if key in ("title", "description") and isinstance(value, dict):
        return value.get("id") or value.get("en") or ""
    return value
