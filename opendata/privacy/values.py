"""Cell rules: Indonesian identity numbers, phone numbers and e-mail addresses.

Each rule is a regular expression run by pyarrow over a whole column at once (RE2), so
every value is checked, not a sample. Structure is checked inside the pattern (a NIK's
birth date, a NIP's dates) or, for the NPWP check digit, with vectorized arithmetic:
no table of known region codes, so a new province is still caught.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from opendata.i18n import N_

D = "[0-9]"
SEP = r"[ .\-]"
BEFORE = "(?:^|[^0-9])"  # a number never starts inside a longer one
AFTER = "(?:[^0-9]|$)"


def _day_month(days: tuple[str, str, str], sep: str) -> str:
    """Return day then month, where day 30 and 31 only come with months that have them."""
    upto29, d30, d31 = days
    return (
        f"(?:(?:{upto29}){sep}(?:0[1-9]|1[0-2])"
        f"|{d30}{sep}(?:0[13-9]|1[0-2])"
        f"|{d31}{sep}(?:0[13578]|1[02]))"
    )


def _nik(sep: tuple[str, str, str, str, str]) -> str:
    """A NIK: province, regency, district, birth day (+40 for women), month, year, serial.

    `sep` gives the separator allowed after the province, the regency, the district, the
    day and the year: "3171-0157-0845-0001" puts them after the regency, day and year.
    """
    region = f"[1-9]{D}{sep[0]}(?:0[1-9]|[1-9]{D}){sep[1]}(?:0[1-9]|[1-9]{D}){sep[2]}"
    men = _day_month(("0[1-9]|[12][0-9]", "30", "31"), sep[3])
    women = _day_month(("4[1-9]|[56][0-9]", "70", "71"), sep[3])
    # Any serial, 0000 included: Excel keeps 15 digits, so a damaged NIK ends in 0.
    return f"{region}(?:{men}|{women}){D}{D}{sep[4]}{D}{{4}}"


_S = f"{SEP}?"
NIK = "|".join(
    f"(?:{_nik(seps)})"
    for seps in (
        ("", "", "", "", ""),  # 3171015708450001
        ("", _S, "", _S, _S),  # 3171-0157-0845-0001
        ("", "", _S, "", _S),  # 317101 570845 0001
        (_S, _S, _S, "", _S),  # 31.71.01.570845.0001
    )
)
NIP = (
    f"(?:19[4-9]{D}|200{D})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]{D}|3[01]){_S}"  # birth date
    f"(?:19[6-9]{D}|20[0-4]{D})(?:0[1-9]|1[0-2]){_S}"  # appointment month
    f"[12]{_S}{D}{{3}}"  # sex and serial
)
NPWP = (
    r"0?(?P<d1>[0-9])(?P<d2>[0-9])\.?(?P<d3>[0-9])(?P<d4>[0-9])(?P<d5>[0-9])\.?"
    r"(?P<d6>[0-9])(?P<d7>[0-9])(?P<d8>[0-9])\.?(?P<d9>[0-9])[.\-]?[0-9]{3}\.?[0-9]{3}"
)
EXCEL = r"^\s*[1-9][.,][0-9]{1,14}[eE]\+?1[57]\s*$"  # a 16 or 18-digit number as a float
MOBILE = rf"(?:\+62|62|0){_S}8[1-9]{D}(?:{_S}{D}){{6,9}}"
LANDLINE = (
    rf"\(0[2-9]{D}{{1,2}}\){_S}{D}{{2,4}}{_S}{D}{{3,4}}"  # (021) 555 1234
    rf"|0[2-9]{D}{{1,2}}[ \-]{D}{{2,4}}{_S}{D}{{3,4}}"  # 0274-512345
    rf"|\+62{_S}\(?[2-9]{D}{{1,2}}\)?{_S}{D}{{2,4}}{_S}{D}{{3,4}}"  # +62 21 555 1234
)
_LOCAL = r"[A-Za-z0-9._%+\-]+"
_AT = r"\s*[\[({<]\s*(?:at|et|@)\s*[\])}>]\s*"  # budi [at] example.go.id (budi @ x.id above)
_DOT = r"(?:\.|\s*[\[({<]\s*dot\s*[\])}>]\s*)"
EMAIL = (
    rf"{_LOCAL} ?@ ?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{{2,}}"
    rf"|{_LOCAL}{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}[A-Za-z]{{2,}}"
)


@dataclass(frozen=True)
class Rule:
    """One kind of personal value and how to find it."""

    name: str
    label: str  # what the officer reads: "NIK (nomor induk kependudukan)"
    pattern: str  # RE2, searched anywhere in the cell unless anchored
    text_only: bool = False  # only in text columns: digits typed as numbers lose their form
    verify: Callable[[pa.Array], pa.Array] | None = None  # a further vectorized check


def _luhn(cells: pa.Array) -> pa.Array:
    """Return whether the NPWP in each cell has a valid check digit (Luhn over 9 digits)."""
    parts = pc.extract_regex(cells, NPWP)
    total = pa.scalar(0, pa.int64())
    for index in range(1, 10):
        digit = pc.cast(pc.struct_field(parts, f"d{index}"), pa.int64())
        if index % 2 == 0:
            digit = pc.multiply(digit, 2)
            digit = pc.if_else(pc.greater(digit, 9), pc.subtract(digit, 9), digit)
        total = pc.add(total, digit)
    remainder = pc.subtract(total, pc.multiply(pc.divide(total, 10), 10))
    valid = pc.and_(pc.equal(remainder, 0), pc.greater(total, 0))  # 00.000.000.0-000.000: none
    return pc.fill_null(valid, False)


RULES = (
    Rule("nik", "NIK (nomor induk kependudukan)", f"{BEFORE}(?:{NIK}){AFTER}"),
    Rule("nip", "NIP (nomor induk pegawai)", f"{BEFORE}(?:{NIP}){AFTER}"),
    Rule("npwp", "NPWP", f"{BEFORE}{NPWP}{AFTER}", text_only=True, verify=_luhn),
    Rule("excel-number", N_("NIK or NIP damaged by Excel (written as 3.17102E+15)"), EXCEL),
    Rule("phone", N_("phone number"), f"{BEFORE}(?:{MOBILE}|{LANDLINE}){AFTER}", text_only=True),
    Rule("email", N_("e-mail address"), f"(?i)(?:{EMAIL})", text_only=True),
)


def matches(rule: Rule, cells: pa.Array) -> pa.Array:
    """Return a boolean array: which cells hold a value of this rule."""
    found = pc.fill_null(pc.match_substring_regex(cells, rule.pattern), False)
    if rule.verify is None or not pc.any(found).as_py():
        return found
    verified = rule.verify(pc.filter(cells, found))
    return pc.replace_with_mask(found, found, verified)


def mask(rule: Rule, cell: str) -> str:
    """Return the matched value with its middle hidden: 3171********0001, b***@d*****.go.id."""
    found = re.search(rule.pattern.removeprefix("(?i)"), cell, flags=re.IGNORECASE)
    value = found.group(0) if found else cell
    value = value[1:] if value[:1] not in "+(" and not value[:1].isalnum() else value
    value = value[:-1] if value and not value[-1].isalnum() else value
    if rule.name == "email":
        return _mask_email(value)
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    hidden = set(digits[4:-4]) if len(digits) > 8 else set(digits[2:])
    return "".join("*" if i in hidden else c for i, c in enumerate(value))


def _mask_email(value: str) -> str:
    """Keep the first letter of the name and of the domain, and the domain's last part."""
    local, at, domain = re.split(
        r"( ?@ ?|\s*[\[({<]\s*(?:at|et)\s*[\])}>]\s*)", value, maxsplit=1, flags=re.I
    )
    labels = re.split(r"(\.|\s*[\[({<]\s*dot\s*[\])}>]\s*)", domain, flags=re.I)
    first = labels[0][:1] + "*" * (len(labels[0]) - 1)
    return local[:1] + "*" * (len(local) - 1) + at + first + "".join(labels[1:])
