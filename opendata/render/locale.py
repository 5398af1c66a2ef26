"""UI strings: one lookup function per language, layered like the templates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

# Each language's own name, shown on the language switch whatever the page's language.
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

Translate = Callable[..., str]


def translator(lang: str, dirs: tuple[Path, ...]) -> Translate:
    """Return `t(key, **values)` for `lang`, reading `locales/<lang>.json` in each dir.

    Later dirs win, so a catalogue can reword a few strings without copying the table;
    an unknown key raises, so a typo in a template fails the build instead of hiding.
    """
    table: dict[str, str] = {}
    for folder in dirs:
        path = folder / "locales" / f"{lang}.json"
        if path.is_file():
            table.update(json.loads(path.read_text(encoding="utf-8")))

    def t(key: str, **values: object) -> str:
        text = table[key]
        return text.format(**values) if values else text

    return t


def count_datasets(t: Translate, n: int) -> str:
    """Return "1 dataset" / "3 datasets" in the page's language."""
    return t("count.datasets.one" if n == 1 else "count.datasets.other", n=n)
