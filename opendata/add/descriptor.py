"""Write a draft datapackage.yaml: every catalogue field present, the ones to fill marked."""

from __future__ import annotations

from typing import Any

import yaml

TODO = "# TODO"


def draft_descriptor(
    *, name: str, title: str, resource: dict[str, Any], detected: list[str], skipped: list[str]
) -> str:
    """Return the draft descriptor's text, with comments saying what was found and skipped."""
    notes = [f"#   {line}" for line in detected] + [f"#   skipped {line}" for line in skipped]
    head = [
        f"# Draft written by `opendata add`. Fill every line marked {TODO}, then run",
        "# `opendata validate` and `opendata build`. Every key: docs/descriptors.md.",
        "# What add found in the file:",
        *notes,
        f"name: {name}",
        "title:",
        f"  id: {_quote(title)}  {TODO}: the dataset's title",
        f"  en: {_quote(title)}  {TODO}: the title in English",
        "description:",
        f'  id: ""  {TODO}: what the data is, where it comes from, how it is collected',
        f'  en: ""  {TODO}: the same in English',
        'version: "1.0.0"  # raise it whenever the data changes',
        f"keywords: []  {TODO}: a few words people would search for",
        f"themes: []  {TODO}: e.g. kesehatan, pendidikan, kependudukan",
        "contact:",
        f'  name: ""  {TODO}: an office or role, not a person',
        f'  email: ""  {TODO}: an office e-mail address',
        "licenses:",
        "  - name: CC-BY-4.0",
        "    title: Creative Commons Attribution 4.0 International",
        "    path: https://creativecommons.org/licenses/by/4.0/",
        f"frequency: annual  {TODO}: daily, weekly, monthly, quarterly, semiannual, annual or irregular",
        f'temporal: {{start: "", end: ""}}  {TODO}: the period the data covers, YYYY-MM-DD',
        f'spatial: []  {TODO}: Kemendagri region codes covered, e.g. ["3171"]',
        "resources:",
    ]
    body = yaml.safe_dump([resource], sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + _indent(body, 2)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))
