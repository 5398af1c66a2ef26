"""The differential cases: small files and schemas, each checked by us and by frictionless.

Every case is generated here from lists of values, so that each type, format, constraint,
key kind and structural problem is met in valid and invalid forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """One file (CSV text, CSV bytes or XLSX rows) with its schema."""

    name: str
    schema: dict[str, Any]
    text: str | bytes | list[list[Any]] = ""
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ","
    limit: int = 1000
    others: dict[str, tuple[dict[str, Any], str]] = field(
        default_factory=dict
    )  # name → (schema, text)


def _column(name: str, kind: str, values: list[str], **options: Any) -> Case:
    """A table of an id and one field of `kind` holding `values`."""
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": kind, **options}]}
    lines = ["id,v", *(f"{i},{_quote(v)}" for i, v in enumerate(values, start=1))]
    return Case(name, schema, "\n".join(lines) + "\n")


def _quote(value: str) -> str:
    if any(c in value for c in ',"\n') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


TYPES: list[tuple[str, str, dict[str, Any], list[str], list[str]]] = [
    # (case, type, options, valid values, invalid values)
    ("string", "string", {}, ["a", "Ä b", " x "], []),
    (
        "email",
        "string",
        {"format": "email"},
        ["ana@dinas.go.id"],
        ["ana@", "dinas.go.id", "a b@c.id"],
    ),
    (
        "uri",
        "string",
        {"format": "uri"},
        ["https://data.go.id/x?a=1", "mailto:a@b.id"],
        ["data.go.id", "://x"],
    ),
    (
        "uuid",
        "string",
        {"format": "uuid"},
        ["0b9a4c2e-6f4e-4d3a-9b8e-2f6c1d0e5a7b"],
        ["0b9a4c2e", "xyz-uuid"],
    ),
    ("binary", "string", {"format": "binary"}, ["aGVsbG8=", "YQ=="], ["a", "!!!"]),
    (
        "integer",
        "integer",
        {},
        ["1", "-7", "007", " 12 ", "+5", "1_000", "123456789012345678901"],
        ["1.5", "x", "1e3", "0x1F", "12,5", "٣x"],
    ),
    (
        "integer-units",
        "integer",
        {"bareNumber": False},
        ["Rp 1000", "50%", "-3 jiwa"],
        ["Rp", "1.5 kg x"],
    ),
    (
        "number",
        "number",
        {},
        ["1.5", "-0.25", "1e3", ".5", "5.", "NaN", "inf", " 2 ", "+1.25"],
        ["1,5", "abc", "1.2.3", "--1"],
    ),
    ("number-comma", "number", {"decimalChar": ","}, ["1,5", "-0,25", "12"], ["1.5", "1,2,3"]),
    ("number-group", "number", {"groupChar": ","}, ["1,234.5", "1,000,000", "12"], ["1.2.3", "x"]),
    (
        "number-both",
        "number",
        {"decimalChar": ",", "groupChar": "."},
        ["1.234,5", "1.000.000", "3,14"],
        ["1,2,3", "1.5.x"],
    ),
    ("number-units", "number", {"bareNumber": False}, ["Rp 1.5", "12%", "€ -3.25"], ["Rp", "kg"]),
    ("boolean", "boolean", {}, ["true", "False", "TRUE", "1", "0"], ["yes", "Ya", "t", "2"]),
    (
        "boolean-custom",
        "boolean",
        {"trueValues": ["Ya"], "falseValues": ["Tidak"]},
        ["Ya", "Tidak"],
        ["true", "ya", "0"],
    ),
    (
        "date",
        "date",
        {},
        ["2024-01-31", "2024-02-29", "2000-02-29", "2023-1-5"],
        [
            *("2023-02-29", "2023-02-30", "1900-02-29", "2023-04-31", "2023-00-10"),
            *("31/01/2024", "2024-13-01", "0000-01-01", "2024-01-31T00:00"),
            *("２０２４-01-31", "2024-01-3x"),
        ],
    ),
    (
        "date-pattern",
        "date",
        {"format": "%d/%m/%Y"},
        ["31/01/2024", "1/2/2024"],
        ["2024-01-31", "30/02/2024", "31-01-2024"],
    ),
    ("date-month-name", "date", {"format": "%d %B %Y"}, ["17 August 1945"], ["17 Agustus 1945"]),
    (
        "time",
        "time",
        {},
        ["08:30:00", "23:59:59", "08:30:00+07:00"],
        ["8:30", "24:00:00", "08:30", "noon"],
    ),
    ("time-pattern", "time", {"format": "%H.%M"}, ["08.30", "23.05"], ["08:30", "25.00"]),
    (
        "datetime",
        "datetime",
        {},
        [
            "2024-01-31T08:30:00",
            "2024-01-31T08:30:00Z",
            "2024-01-31T08:30:00+07:00",
            "2024-01-31 08:30:00",
        ],
        ["2024-01-31", "2024-01-31T8:30", "31/01/2024 08:30:00"],
    ),
    (
        "datetime-pattern",
        "datetime",
        {"format": "%d/%m/%Y %H:%M"},
        ["31/01/2024 08:30"],
        ["2024-01-31T08:30:00", "31/01/2024"],
    ),
    ("year", "year", {}, ["2024", "1945", "0001"], ["24", "20245", "-202", "year", "2024.0"]),
    (
        "yearmonth",
        "yearmonth",
        {},
        ["2024-01", "1945-8", "2024-12"],
        ["2024-13", "2024", "2024-00", "2024/01"],
    ),
    ("duration", "duration", {}, ["P1Y2M", "PT30M", "P3DT4H"], ["1 hari", "P", "30M"]),
    ("geopoint", "geopoint", {}, ["116.1,-8.6", "0, 0", "-180,90"], ["181,0", "0,91", "a,b", "1"]),
    (
        "geopoint-array",
        "geopoint",
        {"format": "array"},
        ["[116.1, -8.6]"],
        ["[200, 0]", "116.1,-8.6", "[1]"],
    ),
    (
        "geopoint-object",
        "geopoint",
        {"format": "object"},
        ['{"lon": 116.1, "lat": -8.6}'],
        ['{"lon": 1}', '{"x": 1, "y": 2}'],
    ),
    (
        "geojson",
        "geojson",
        {},
        ['{"type": "Point", "coordinates": [116.1, -8.6]}'],
        ['{"type": "Nope"}', "[1, 2]", "x"],
    ),
    ("object", "object", {}, ['{"a": 1}', "{}"], ["[1]", "x", '"a"']),
    ("array", "array", {}, ["[1, 2]", "[]"], ['{"a": 1}', "x"]),
    ("list", "list", {}, ["a,b,c", "x"], []),
    (
        "list-integer",
        "list",
        {"itemType": "integer", "delimiter": ";"},
        ["1;2;3", "4"],
        ["1;x", "1,2"],
    ),
    ("any", "any", {}, ["anything", "1", "{"], []),
]

CONSTRAINTS: list[tuple[str, str, dict[str, Any], list[str]]] = [
    # (case, type, constraints, values: some break the constraint)
    ("required", "string", {"required": True}, ["a", "", "b"]),
    ("required-integer", "integer", {"required": True}, ["1", "", "x"]),
    ("unique-string", "string", {"unique": True}, ["a", "b", "a", "", "", "b", "a"]),
    ("unique-integer", "integer", {"unique": True}, ["1", "01", "2", "x", "x", "+2"]),
    ("unique-number", "number", {"unique": True}, ["1.5", "1.50", "2", "2.0", "3"]),
    ("unique-date", "date", {"unique": True}, ["2024-01-01", "2024-01-02", "2024-01-01"]),
    ("min-length", "string", {"minLength": 3}, ["abcd", "ab", "", "abc", "éé"]),
    ("max-length", "string", {"maxLength": 3}, ["abcd", "ab", "abc", "éééé"]),
    ("lengths-array", "array", {"minLength": 1, "maxLength": 2}, ["[1]", "[]", "[1, 2, 3]"]),
    ("lengths-object", "object", {"minLength": 1}, ['{"a": 1}', "{}"]),
    ("lengths-list", "list", {"maxLength": 2}, ["a,b", "a,b,c"]),
    ("minimum-integer", "integer", {"minimum": 0}, ["0", "-1", "5", "x"]),
    ("maximum-number", "number", {"maximum": 100}, ["100", "100.5", "-1", "NaN"]),
    ("minimum-string-value", "integer", {"minimum": "10"}, ["9", "10"]),
    ("exclusive-minimum", "number", {"exclusiveMinimum": 0}, ["0", "0.1", "-1"]),
    ("exclusive-maximum", "integer", {"exclusiveMaximum": 10}, ["10", "9", "11"]),
    ("minimum-date", "date", {"minimum": "2024-01-01"}, ["2023-12-31", "2024-01-01"]),
    (
        "maximum-datetime",
        "datetime",
        {"maximum": "2024-01-01T00:00:00"},
        ["2024-01-01T00:00:01", "2023-06-01T10:00:00"],
    ),
    ("minimum-time", "time", {"minimum": "08:00:00"}, ["07:59:59", "08:00:00"]),
    ("minimum-year", "year", {"minimum": 2000}, ["1999", "2000"]),
    ("maximum-yearmonth", "yearmonth", {"maximum": "2024-06"}, ["2024-07", "2024-06", "2023-12"]),
    ("pattern", "string", {"pattern": "[0-9]{4}"}, ["5201", "520", "52010", "abcd", "５２０１"]),
    (
        "pattern-digits",
        "string",
        {"pattern": "[0-9]{2,3}"},
        ["12", "123", "1", "1234", "12\n", "1a"],
    ),
    (
        "pattern-digits-fullwidth",
        "string",
        {"pattern": "[0-9]{4}"},
        ["5201\n", "５２０１", " 5201"],
    ),
    ("pattern-alternation", "string", {"pattern": "SD|SMP"}, ["SD", "SMP", "SDX", "XSMP", "SM"]),
    ("pattern-unicode", "string", {"pattern": "\\w+"}, ["Bandung", "Sumbawa Besar", "José", "é"]),
    ("pattern-lookahead", "string", {"pattern": "(?!x).+"}, ["abc", "xbc"]),
    ("pattern-newline", "string", {"pattern": "a+"}, ["aa", "aa\n", "a\nb"]),
    ("enum-string", "string", {"enum": ["SD", "SMP", "SMA"]}, ["SD", "sd", "SMK", ""]),
    ("enum-integer", "integer", {"enum": [1, 2, 3]}, ["1", "01", "4"]),
    ("enum-number", "number", {"enum": [1.5, 2]}, ["1.5", "2.0", "3"]),
    ("enum-boolean", "boolean", {"enum": [True]}, ["true", "false"]),
    ("enum-date", "date", {"enum": ["2024-01-01"]}, ["2024-01-01", "2024-01-02"]),
    ("enum-object", "object", {"enum": [{"a": 1}]}, ['{"a": 1}', '{"a": 2}']),
    (
        "several",
        "integer",
        {"required": True, "minimum": 5, "maximum": 3, "enum": [1, 2]},
        ["4", "1", "", "9"],
    ),
]


V2 = "https://datapackage.org/profiles/2.0/tableschema.json"  # exclusive bounds are v2


def _constraint(name: str, kind: str, constraints: dict[str, Any], values: list[str]) -> Case:
    case = _column(name, kind, values)
    case.schema["fields"][1]["constraints"] = constraints
    if any(key.startswith("exclusive") for key in constraints):
        case.schema["$schema"] = V2
    return case


SCHOOLS = {
    "fields": [
        {"name": "kode", "type": "string"},
        {"name": "tahun", "type": "year"},
        {"name": "jumlah", "type": "integer"},
    ]
}
REGIONS = {"fields": [{"name": "kode", "type": "string"}, {"name": "nama", "type": "string"}]}
REGION_ROWS = "kode,nama\n5201,Lombok Barat\n5202,Lombok Tengah\n,Tanpa kode\n"


def _with(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**schema, **extra}


def _keys() -> list[Case]:
    rows = "kode,tahun,jumlah\n5201,2023,1\n5202,2023,2\n5201,2023,3\n5201,2024,4\n,2023,5\n,,6\n5202,2023,7\n"
    to_regions = {
        "fields": ["kode"],
        "reference": {"resource": "wilayah", "fields": ["kode"]},
    }
    other_dataset = {
        "fields": ["kode"],
        "reference": {"resource": "bps/wilayah/kode", "fields": ["kode"]},
    }
    return [
        Case("pk-single", _with(SCHOOLS, primaryKey=["jumlah"]), rows + "5203,2025,7\n"),
        Case("pk-single-string", _with(SCHOOLS, primaryKey="kode"), rows),
        Case("pk-composite", _with(SCHOOLS, primaryKey=["kode", "tahun"]), rows),
        Case(
            "pk-missing-field", _with(SCHOOLS, primaryKey=["kode"]), "kode,tahun\n1,2023\n1,2024\n"
        ),
        Case(
            "fk-same-dataset",
            _with(SCHOOLS, foreignKeys=[to_regions]),
            rows + "5299,2023,8\n",
            others={"wilayah": (REGIONS, REGION_ROWS)},
        ),
        Case(
            "fk-other-dataset",
            _with(SCHOOLS, foreignKeys=[other_dataset]),
            rows + "5299,2023,8\n",
            others={"bps/wilayah/kode": (REGIONS, REGION_ROWS)},
        ),
        Case(
            "fk-composite",
            _with(
                SCHOOLS,
                foreignKeys=[
                    {
                        "fields": ["kode", "tahun"],
                        "reference": {"resource": "target", "fields": ["kode", "tahun"]},
                    }
                ],
            ),
            rows,
            others={"target": (SCHOOLS, "kode,tahun,jumlah\n5201,2023,0\n5202,2024,0\n")},
        ),
        Case(
            "fk-self",
            {
                "fields": [{"name": "id", "type": "integer"}, {"name": "induk", "type": "integer"}],
                "foreignKeys": [
                    {"fields": ["induk"], "reference": {"resource": "", "fields": ["id"]}}
                ],
            },
            "id,induk\n1,\n2,1\n3,2\n4,9\n5,x\n",
        ),
        Case(
            "fk-typed",
            _with(
                {"fields": [{"name": "kode", "type": "integer"}]},
                foreignKeys=[
                    {"fields": ["kode"], "reference": {"resource": "ints", "fields": ["kode"]}}
                ],
            ),
            "kode\n1\n01\n3\n",
            others={"ints": ({"fields": [{"name": "kode", "type": "integer"}]}, "kode\n1\n2\n")},
        ),
        Case(
            "unique-and-pk",
            _with(
                {
                    "fields": [
                        {"name": "a", "type": "integer", "constraints": {"unique": True}},
                        {"name": "b", "type": "string", "constraints": {"unique": True}},
                    ]
                },
                primaryKey=["a", "b"],
            ),
            "a,b\n1,x\n1,y\n2,x\n1,x\n",
        ),
    ]


def _structure() -> list[Case]:
    two = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]}
    three = {
        "fields": [
            *two["fields"],
            {"name": "c", "type": "string", "constraints": {"required": True}},
        ]
    }
    return [
        Case("blank-label", two, "a,\n1,x\n"),
        Case("duplicate-label", two, "a,a\n1,x\n"),
        Case("missing-label", three, "a,b\n1,x\n2,y\n"),
        Case("extra-label", two, "a,b,c\n1,x,z\n2,y\n"),
        Case("incorrect-label", two, "a,B\n1,x\n"),
        Case("labels-all", three, "b,b,,d\n1,2,3,4\n"),
        Case("blank-rows", two, "a,b\n1,x\n\n,\n2,y\n\n"),
        Case("extra-cells", two, "a,b\n1,x,9,10\n2,y\n"),
        Case("missing-cells", three, "a,b,c\n1\n2,y\n3,y,z\n"),
        Case("ragged-and-types", three, "a,b,c\nx\n2,y,z,extra\n\n4,,\n"),
        Case("quoted-newlines", two, 'a,b\n1,"line one\nline two"\nx,"a ""quoted"" word"\n'),
        Case("quoted-newline-ragged", two, 'a,b\n1,"one\ntwo",3\n2\n'),
        Case("header-only", two, "a,b\n"),
        Case("no-final-newline", two, "a,b\n1,x\nz,y"),
        Case("crlf", two, "a,b\r\n1,x\r\nz,y\r\n"),
        Case("semicolons", two, "a;b\n1;x,y\nz;w\n", delimiter=";"),
        Case("tabs", two, "a\tb\n1\tx\nz\tw\n", delimiter="\t"),
        Case("bom", two, "\ufeffa,b\n1,x\nz,y\n".encode()),
        Case("windows-1252", two, "a,b\n1,café\nz,Rp€\n".encode("cp1252"), encoding="cp1252"),
        Case("utf-8-declared-bad-byte", two, b"a,b\n1,ok\n2,caf\xe9\n", encoding="utf-8"),
        Case(
            "empty-strings-not-missing",
            _with(three, missingValues=["NA"]),
            "a,b,c\n1,,\n\nNA,NA,NA\n2,x,\n",
        ),
    ]


def _missing() -> list[Case]:
    field = {"name": "v", "type": "integer", "constraints": {"required": True}}
    base = {"fields": [{"name": "id", "type": "string"}, field]}
    rows = "id,v\na,1\nb,\nc,NA\nd,-\ne,x\n"
    own = {"fields": [{"name": "id", "type": "string"}, {**field, "missingValues": ["-"]}]}
    return [
        Case("missing-default", base, rows),
        Case("missing-schema-level", _with(base, missingValues=["", "NA", "-"]), rows),
        Case("missing-field-level", _with(own, missingValues=["NA"]), rows),
        Case("missing-none", _with(base, missingValues=[]), rows),
    ]


def _limits() -> list[Case]:
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}
    rows = "a,b\n" + "".join(f"x{i},y{i}\n" for i in range(6))
    cases = [Case(f"limit-{n}", schema, rows, limit=n) for n in (1, 2, 3, 5, 0)]
    # The limit falls among several kinds of errors in one row, then between rows: the
    # engine builds only the errors that can come first, and must pick the same ones.
    minimum = {**schema["fields"][1], "constraints": {"minimum": 0}}
    keyed = _with(schema, fields=[schema["fields"][0], minimum], primaryKey=["a"])
    mixed = "a,b\n1,5\n1,x\n,\nz,-2\n4,4\n4,y\n5,-1\n5,q\n"
    ragged = "a,b\n1,5\n1,x\n,\n2,-1,9\n3\nz,-2\n4,4\n4,y\n"
    for name, text in (("mixed", mixed), ("ragged", ragged)):
        cases += [Case(f"limit-{name}-{n}", keyed, text, limit=n) for n in (1, 2, 3, 4, 6)]
    return cases


def _workbooks() -> list[Case]:
    schema = {
        "fields": [
            {"name": "kode", "type": "string"},
            {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0}},
        ]
    }
    return [
        Case("xlsx-valid", schema, [["kode", "jumlah"], ["5201", 4], ["5202", 0]], format="xlsx"),
        Case(
            "xlsx-errors",
            schema,
            [["kode", "jumlah"], ["5201", "empat"], ["5202", -1], [None, None], ["5203", 7]],
            format="xlsx",
        ),
        Case("xlsx-labels", schema, [["kode", "Jumlah", "x"], ["5201", 4, "a"]], format="xlsx"),
    ]


def cases() -> list[Case]:
    """Return every differential case."""
    found: list[Case] = []
    for name, kind, options, good, bad in TYPES:
        found.append(_column(f"type-{name}-valid", kind, good, **options))
        if bad:
            found.append(_column(f"type-{name}-invalid", kind, [*good[:1], *bad], **options))
    found += [_constraint(f"constraint-{n}", k, c, v) for n, k, c, v in CONSTRAINTS]
    return found + _repeated() + _keys() + _structure() + _missing() + _limits() + _workbooks()


def _repeated() -> list[Case]:
    """Bad values repeated among good ones: the engine casts around the value Arrow names,
    a few distinct ones at most, then finds the rest cell by cell. Values quote the very
    words of Arrow's message, which must not confuse it."""
    tricky = ["1,5", "x'y", "a' as a scalar of type double", "1,5", "2.5e", "١٢"]
    many = [f"{n},5" for n in range(7)]  # more distinct mistakes than are cast around
    good = ["1.5", "2", "-3.25", "1e3", "NaN", "INF", "0.5"]
    whole = ["1", "-2", "+3", "0x1F"]
    days = ["2024-02-29", "2023-02-30", "2023-02-29", "2023-02-30", "2023-13-01", "0000-01-01"]
    return [
        _column("repeated-number", "number", [*good, *tricky, *good, *tricky]),
        _column("repeated-number-many", "number", [*good, *many, *good, *many]),
        _column("repeated-integer", "integer", [*whole, "1.0", "x'y", "1.0", *whole, "1 000"]),
        _column("repeated-year", "year", ["2024", "20x4", "2024", "20x4", "-123", "12345"]),
        _column("repeated-date", "date", ["2024-01-31", *days, "2024-01-31", *days]),
    ]
