"""How to cite a dataset (APA, BibTeX) and how to load its files (pandas, R, curl)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# BibTeX's special characters, escaped so a title cannot break the entry.
_BIBTEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Work:
    """What a citation names."""

    author: str  # the publishing agency
    title: str
    version: str
    date: str  # YYYY-MM-DD: the last modification, else the build date
    publisher: str  # the portal
    url: str
    key: str  # BibTeX key: agency and dataset slugs


def apa(work: Work, *, kind: str, version: str) -> str:
    """Return an APA 7 reference: Author. (Year). Title (Version v) [Data set]. Publisher. URL

    `kind` and `version` ("Version 1.0", "Versi 1.0") come in the page's language; a
    dataset without a version has no parenthesis.
    """
    year = work.date[:4] or "n.d."
    edition = f" ({version})" if work.version else ""
    parts = [f"{work.author}. ({year}). {work.title}{edition} [{kind}]."]
    if work.publisher and work.publisher != work.author:
        parts.append(f"{work.publisher}.")
    if work.url:
        parts.append(work.url)
    return " ".join(parts)


def bibtex(work: Work) -> str:
    """Return a BibTeX @misc entry; the author is braced so it stays one corporate name."""
    fields = [
        ("author", "{" + bibtex_escape(work.author) + "}"),
        ("title", bibtex_escape(work.title)),
        ("year", work.date[:4]),
        ("date", work.date),
        ("version", bibtex_escape(work.version)),
        ("publisher", bibtex_escape(work.publisher)),
        ("url", work.url.replace("}", "%7D").replace("{", "%7B")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{bibtex_key(work.key)},\n{body}\n}}"


def bibtex_escape(text: str) -> str:
    """Escape BibTeX's special characters."""
    return "".join(_BIBTEX.get(char, char) for char in text)


def bibtex_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9:_-]+", "_", text).strip("_") or "dataset"


@dataclass(frozen=True)
class Snippet:
    label: str
    code: str


def snippets(csv_url: str, parquet_url: str, file: str) -> tuple[Snippet, ...]:
    """Return code that loads the resource: pandas, R and curl."""
    quoted, parquet = _quote(csv_url), _quote(parquet_url)
    pandas = f'import pandas as pd\n\ndf = pd.read_csv("{quoted}")'
    if parquet_url:
        pandas += f'\n# typed columns: pd.read_parquet("{parquet}")'
    r = f'df <- read.csv("{quoted}", encoding = "UTF-8")'
    curl = f"curl -L -o {_shell(file)} {_shell(csv_url)}"
    return (Snippet("pandas", pandas), Snippet("R", r), Snippet("curl", curl))


def _quote(text: str) -> str:
    """Escape a URL for a double-quoted Python or R string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _shell(text: str) -> str:
    """Quote a word for a POSIX shell."""
    return "'" + text.replace("'", "'\\''") + "'"
