"""Find personal data in a resource before it is published; scan every value, not a sample.

A finding blocks the dataset unless the schema field declares the column public with a
reason (`public: {reason: "…"}`), which the published metadata then shows. Small counts
of people and cells a spreadsheet would run as formulas are warnings only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from opendata.i18n import N_, _
from opendata.load import text
from opendata.models import Finding, Resource, Source
from opendata.privacy.headers import counts_people, personal
from opendata.privacy.values import RULES, Rule, mask, matches
from opendata.read import read

__all__ = ["guard", "public_reason"]

MAX_ROWS = 10  # rows named per finding
MAX_EXAMPLES = 3
NUMERIC = frozenset(("number", "integer", "year", "boolean", "yearmonth", "duration"))
TYPED = NUMERIC | {"date", "time", "datetime", "geopoint", "geojson", "object", "array"}
# What Excel and LibreOffice may run as a formula: they trim leading spaces first.
FORMULA = r"^ *[=+\-@\t\r]"
# A lone "-" (the usual mark of a missing value) or a negative number: shown as written.
NOT_FORMULA = r"^ *-(?:[0-9]+(?:[.,][0-9]+)*)? *$"
SMALL = ("1", "2")


@dataclass
class _Found:
    """What one rule found in one column so far."""

    rows: list[int] = field(default_factory=list)
    count: int = 0
    examples: list[str] = field(default_factory=list)


def guard(resource: Resource, source: Source, *, place: str) -> list[Finding]:
    """Return every personal value, personal column header and risky cell in the resource.

    Reads the raw file as text, batch by batch; a reading error raises OpendataError.
    """
    table = read(resource, source, place=place)
    fields = {str(f.get("name")): f for f in resource.schema.get("fields", [])}
    context = (resource.name, resource.title.id, resource.title.en)
    found: dict[tuple[str, str], _Found] = {}
    offset = 2  # the first data row is row 2
    for batch in table.batches:
        for label, column in zip(table.labels, batch.columns, strict=True):
            kind = str(fields.get(label, {}).get("type", "string"))
            for rule in _rules(label, kind):
                _scan(rule, column, offset, found.setdefault((rule.name, label), _Found()))
        offset += batch.num_rows
    findings = _headers(table.labels, fields, context, place)
    for (name, label), seen in found.items():
        if seen.count:
            rule = next(r for r in (*RULES, *_EXTRA) if r.name == name)
            findings.append(_finding(rule, place, label, seen, fields.get(label, {})))
    return sorted(findings, key=lambda f: (table.labels.index(f.column), f.rule))


def public_reason(field: dict[str, Any]) -> str:
    """Return the reason a field is declared public with, or "" when it is not."""
    declared = field.get("public")
    if isinstance(declared, dict):
        return text(declared.get("reason")).get("id").strip()
    return ""


_FORMULA = Rule("formula", N_("starts with = + - @ or a tab: a spreadsheet may run it"), FORMULA)
_SMALL = Rule("small-count", N_("a count of 1 or 2 people can identify them"), "^[12]$")
_EXTRA = (_FORMULA, _SMALL)


def _rules(label: str, kind: str) -> Iterable[Rule]:
    """Return the rules that apply to a column of this type."""
    for rule in RULES:
        if not (rule.text_only and kind in TYPED):
            yield rule
    if kind not in TYPED:
        yield _FORMULA
    if counts_people(label, kind):
        yield _SMALL


def _scan(rule: Rule, column: pa.Array, offset: int, seen: _Found) -> None:
    hits = _formula_hits(column) if rule is _FORMULA else matches(rule, column)
    if not pc.any(hits).as_py():
        return
    indices = pc.indices_nonzero(hits)
    seen.count += len(indices)
    for index in indices[: MAX_ROWS - len(seen.rows)].to_pylist():
        seen.rows.append(offset + index)
        if len(seen.examples) < MAX_EXAMPLES:
            cell = column[index].as_py()
            seen.examples.append(
                repr(cell) if rule.name in ("formula", "small-count") else mask(rule, cell)
            )


def _formula_hits(column: pa.Array) -> pa.Array:
    """Cells starting like a formula, after any spaces; not a lone "-" or a negative number."""
    hits = pc.fill_null(pc.match_substring_regex(column, FORMULA), False)
    if not pc.any(hits).as_py():
        return hits
    harmless = pc.fill_null(pc.match_substring_regex(column, NOT_FORMULA), False)
    return pc.and_(hits, pc.invert(harmless))


def _headers(
    labels: tuple[str, ...], fields: dict[str, dict], context: tuple[str, ...], place: str
) -> list[Finding]:
    findings = []
    for label in labels:
        schema_field = fields.get(label, {})
        titles = text(schema_field.get("title"))
        word = personal(label, (titles.id, titles.en, *context))
        if word:
            what = _("the column's name says it holds personal data ({word})", word=word)
            reason = public_reason(schema_field)
            findings.append(Finding("header", what, place, label, (), 0, public=reason))
    return findings


def _finding(rule: Rule, place: str, label: str, seen: _Found, schema_field: dict) -> Finding:
    warning = rule.name in ("formula", "small-count")
    return Finding(
        rule=rule.name,
        label=f"{seen.count} × {_(rule.label)}",
        place=place,
        column=label,
        rows=tuple(seen.rows),
        count=seen.count,
        examples=tuple(seen.examples),
        warning=warning,
        public="" if warning else public_reason(schema_field),
    )
