"""Which keys each descriptor may hold, and the checks of their presence and type."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from opendata.errors import problem
from opendata.i18n import N_, _
from opendata.load.yaml import Doc, Key
from opendata.models import Problem

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A web address with nothing a link, an IRI or a page could be broken by (quotes, spaces,
# angle brackets): it is written into HTML, JSON-LD, Turtle and data.json as is.
URL = re.compile(r"^https?://[^\s/?#<>\"'`{}|\\^@]+(?:[/?#][^\s<>\"'`{}|\\^]*)?$")
EMAIL = re.compile(
    r"^[^\s@<>\"'`(),;:\\\[\]]+@[^\s@<>\"'`(),;:\\\[\]/]+\.[^\s@<>\"'`(),;:\\\[\]/]+$"
)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")


@dataclass(frozen=True)
class Spec:
    kind: str  # text, texts (list of text), str, bool, date, slug, url, email, list, dict, …
    required: bool = False
    choices: tuple[str, ...] = ()


PORTAL = {
    "title": Spec("text", required=True),
    "tagline": Spec("text"),
    "base_url": Spec("url"),
    "publisher": Spec("str"),
    "license": Spec("license"),
    "languages": Spec("list"),
    "sample": Spec("bool"),
}
AGENCY = {
    "title": Spec("text", required=True),
    "description": Spec("text"),
    "website": Spec("url"),
    "contact": Spec("contact"),
}
DATASET = {
    "name": Spec("slug"),
    "title": Spec("text", required=True),
    "description": Spec("text"),
    "version": Spec("str", required=True),
    "keywords": Spec("list"),
    "themes": Spec("texts"),
    "contact": Spec("contact"),
    "licenses": Spec("licenses"),
    "frequency": Spec("str", choices=FREQUENCIES),
    "temporal": Spec("dict"),
    "spatial": Spec("list"),
    "modified": Spec("date"),
    "created": Spec("date"),
    "resources": Spec("resources", required=True),
    "homepage": Spec("url"),
    "sources": Spec("any"),
    "contributors": Spec("any"),
    "profile": Spec("str"),
    "id": Spec("str"),
    "image": Spec("str"),
    "$schema": Spec("str"),
}
RESOURCE = {
    "name": Spec("slug", required=True),
    "path": Spec("str", required=True),
    "schema": Spec("schema", required=True),
    "title": Spec("text"),
    "description": Spec("text"),
    "format": Spec("str", choices=("csv", "xlsx")),
    "encoding": Spec("str"),
    "dialect": Spec("dialect"),
    "sheet": Spec("str"),
    "mediatype": Spec("str"),
    "profile": Spec("str"),
    "licenses": Spec("licenses"),
    "sources": Spec("any"),
    "type": Spec("str"),
    "scheme": Spec("str"),
}
TEMPORAL = {"start": Spec("date"), "end": Spec("date")}
CONTACT = {"name": Spec("str"), "email": Spec("email"), "title": Spec("str")}
LICENSE = {"name": Spec("str"), "title": Spec("str"), "path": Spec("licence-path")}
DIALECT = {
    "delimiter": Spec("str", choices=(",", ";", "\t", "|")),
    "quoteChar": Spec("str"),
    "doubleQuote": Spec("bool"),
    "header": Spec("bool"),
    "lineTerminator": Spec("str"),
    "skipInitialSpace": Spec("bool"),
}
TEXT = {"id": Spec("str"), "en": Spec("str")}
SHAPES = {"list": list, "dict": dict, "resources": list, "licenses": list, "bool": bool}
NESTED = {"contact": CONTACT, "license": LICENSE, "dialect": DIALECT}
# What a value of each shape is called in a message.
KINDS = {
    "list": N_("a list"),
    "dict": N_("a mapping of keys to values"),
    "resources": N_("a list"),
    "licenses": N_("a list"),
    "bool": N_("true or false"),
}


def check_mapping(doc: Doc, value: Any, specs: dict[str, Spec], path: Key = ()) -> list[Problem]:
    """Check a mapping's keys against `specs`: unknown, missing and wrongly typed ones."""
    if not isinstance(value, dict):
        where = _name(path) or _("the file")
        return [_wrong(doc, path, _("{key} must be a mapping of keys to values.", key=where))]
    found: list[Problem] = []
    for key in value:
        if key not in specs:
            found.append(unknown_key(doc, (*path, key), specs))
    for key, spec in specs.items():
        if key not in value or value[key] is None or value[key] == "":  # "" is a blank to fill
            if spec.required:
                found.append(missing(doc, path, key))
            continue
        found.extend(check_value(doc, value[key], spec, (*path, key)))
    return found


def check_value(doc: Doc, value: Any, spec: Spec, path: Key) -> list[Problem]:
    """Check one value against its spec."""
    kind = spec.kind
    if kind in NESTED:
        return check_mapping(doc, value, NESTED[kind], path)
    if kind == "text":
        if isinstance(value, dict):
            return check_mapping(doc, value, TEXT, path)
        return (
            []
            if isinstance(value, str)
            else [_wrong(doc, path, _("{key} must be text or {{id: …, en: …}}.", key=_name(path)))]
        )
    if kind == "texts":
        if not isinstance(value, list):
            return [
                _wrong(
                    doc, path, _("{key} must be {kind}.", key=_name(path), kind=_(KINDS["list"]))
                )
            ]
        text = Spec("text")
        return [p for i, item in enumerate(value) for p in check_value(doc, item, text, (*path, i))]
    if kind == "licenses":
        if not isinstance(value, list):
            return [_wrong(doc, path, _("{key} must be a list of licences.", key=_name(path)))]
        return [
            p for i, item in enumerate(value) for p in check_mapping(doc, item, LICENSE, (*path, i))
        ]
    if kind == "dict" and path[-1] == "temporal":
        return check_mapping(doc, value, TEMPORAL, path)
    if kind in SHAPES:
        expected = SHAPES[kind]
        if isinstance(value, expected):
            return []
        return [_wrong(doc, path, _("{key} must be {kind}.", key=_name(path), kind=_(KINDS[kind])))]
    if kind in ("str", "slug", "date", "url", "email", "licence-path"):
        return _check_str(doc, value, spec, path)
    return []


def _check_str(doc: Doc, value: Any, spec: Spec, path: Key) -> list[Problem]:
    if not isinstance(value, str) or isinstance(value, bool):
        if spec.kind == "str" and isinstance(value, int | float) and not isinstance(value, bool):
            hint = _('Write it in quotes: "{value}".', value=value)
            message = _("{key} must be text, not a number.", key=_name(path))
            return [_wrong(doc, path, message, hint)]
        return [_wrong(doc, path, _("{key} must be text.", key=_name(path)))]
    if spec.kind == "slug" and not SLUG.match(value):
        message = _('{key} "{value}" is not a valid name.', key=_name(path), value=value)
        return [problem("invalid-slug", doc.place, message, line=doc.line(path))]
    linked = spec.kind == "url" or (spec.kind == "licence-path" and SCHEME.match(value))
    if linked and not URL.match(value):
        message = _('{key} "{value}" is not a web address.', key=_name(path), value=value)
        hint = _("Write the whole address, starting with https:// (or http://).")
        return [problem("invalid-value", doc.place, message, line=doc.line(path), hint=hint)]
    if spec.kind == "email" and not EMAIL.match(value):
        message = _('{key} "{value}" is not an e-mail address.', key=_name(path), value=value)
        hint = _("Write it as name@domain, for example data@dinas.go.id.")
        return [problem("invalid-value", doc.place, message, line=doc.line(path), hint=hint)]
    if spec.kind == "date" and not DATE.match(value):
        message = _(
            '{key} "{value}" must be a date written YYYY-MM-DD.', key=_name(path), value=value
        )
        return [_wrong(doc, path, message)]
    if spec.choices and value not in spec.choices:
        options = ", ".join(repr(c) for c in spec.choices)
        message = _(
            '{key}: "{value}" is not one of {options}.',
            key=_name(path),
            value=value,
            options=options,
        )
        return [problem("invalid-value", doc.place, message, line=doc.line(path))]
    return []


def unknown_key(doc: Doc, path: Key, specs: dict[str, Spec] | tuple[str, ...]) -> Problem:
    """Report an unknown key, suggesting the nearest known one."""
    key = str(path[-1])
    nearest = difflib.get_close_matches(key, list(specs), n=1, cutoff=0.6)
    hint = _('Did you mean "{name}"?', name=nearest[0]) if nearest else ""
    known = ", ".join(sorted(specs))
    hint = hint + " " + _("Known keys here: {known}.", known=known).strip()
    parent = _name(path[:-1])
    message = (
        _('unknown key "{key}" in {parent}.', key=key, parent=parent)
        if parent
        else _('unknown key "{key}".', key=key)
    )
    return problem("unknown-key", doc.place, message, line=doc.line(path), hint=hint)


def missing(doc: Doc, path: Key, key: str) -> Problem:
    message = (
        _('the required key "{key}" is missing in {parent}.', key=key, parent=_name(path))
        if _name(path)
        else _('the required key "{key}" is missing.', key=key)
    )
    return problem("missing-field", doc.place, message, line=doc.line(path))


def _wrong(doc: Doc, path: Key, message: str, hint: str = "") -> Problem:
    return problem("wrong-type", doc.place, message, line=doc.line(path), hint=hint)


def _name(path: Key) -> str:
    """Write a key path as people read it: resources[1].schema.fields[2]."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
