"""A Table Schema as a readable data dictionary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opendata.load import text
from opendata.privacy import public_reason
from opendata.render.context import FieldRow, Link
from opendata.render.locale import Translate
from opendata.render.markdown import markdown

# The order constraints are listed in; others (jsonSchema) are too technical to show.
CONSTRAINTS = (
    *("required", "unique", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"),
    *("minLength", "maxLength", "pattern", "enum"),
)
FLAGS = ("required", "unique")

Resolve = Callable[[str], str]  # a foreign key's reference.resource → href, or ""


def field_rows(
    schema: dict[str, Any], *, resource: str, lang: str, t: Translate, resolve: Resolve
) -> tuple[FieldRow, ...]:
    """Return one row per field, with its constraints and key notes in words."""
    notes = key_notes(schema, resource=resource, t=t, resolve=resolve)
    return tuple(
        FieldRow(
            name=str(field["name"]),
            title=text(field.get("title")).get(lang),
            type=type_text(field),
            unit=str(field.get("unit", "")),
            description=markdown(text(field.get("description")).get(lang)),
            constraints=constraints_text(field.get("constraints") or {}, t),
            keys=notes.get(str(field["name"]), ()),
            public=public_reason(field),
        )
        for field in schema.get("fields", [])
    )


def type_text(field: dict[str, Any]) -> str:
    """Return "date (%d/%m/%Y)", or just the type when its format is the default."""
    kind = str(field.get("type", "any"))
    fmt = str(field.get("format", "default"))
    return kind if fmt == "default" else f"{kind} ({fmt})"


def constraints_text(constraints: dict[str, Any], t: Translate) -> str:
    """Return e.g. "required, minimum 0, one of: A, B"."""
    parts: list[str] = []
    for key in CONSTRAINTS:
        value = constraints.get(key)
        if value is None or value is False:
            continue
        if key in FLAGS:
            parts.append(t(f"constraint.{key}"))
        else:
            parts.append(t(f"constraint.{key}", value=_value(value)))
    return ", ".join(parts)


def key_notes(
    schema: dict[str, Any], *, resource: str, t: Translate, resolve: Resolve
) -> dict[str, tuple[Link, ...]]:
    """Return each field's primary, unique-together and foreign key notes."""
    notes: dict[str, list[Link]] = {}
    for name in _names(schema.get("primaryKey")):
        notes.setdefault(name, []).append(Link(t("key.primary")))
    for unique in schema.get("uniqueKeys", []):
        names = _names(unique)
        for name in names if len(names) > 1 else ():
            notes.setdefault(name, []).append(Link(t("key.unique", fields=", ".join(names))))
    for key in schema.get("foreignKeys", []):
        reference = key.get("reference", {})
        target = reference.get("resource", "")
        fields = ", ".join(_names(reference.get("fields")))
        note = Link(t("key.foreign", target=f"{target or resource} ({fields})"), resolve(target))
        for name in _names(key.get("fields")):
            notes.setdefault(name, []).append(note)
    return {name: tuple(links) for name, links in notes.items()}


def _names(value: Any) -> list[str]:
    """Return a key's field names: Table Schema allows one string or a list."""
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(name) for name in value]


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
