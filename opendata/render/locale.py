"""UI strings from gettext catalogues (`locales/<lang>/LC_MESSAGES/messages.po`), layered.

The .po files are read directly with Babel at build time: no compiled .mo files to keep
in step, and the same sources give the same pages on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

# Each language's own name, shown on the language switch whatever the page's language.
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

Translate = Callable[..., str]


def catalogue_path(folder: Path, lang: str) -> Path:
    """Return where a theme keeps the messages of `lang`."""
    return folder / "locales" / lang / "LC_MESSAGES" / "messages.po"


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def messages(lang: str, dirs: tuple[Path, ...]) -> dict[str, str]:
    """Return the translated messages of `lang`; later dirs win, fuzzy entries are skipped."""
    table: dict[str, str] = {}
    for folder in dirs:
        path = catalogue_path(folder, lang)
        if path.is_file():
            for message in read_catalogue(path):
                if message.id and message.string and not message.fuzzy:
                    table[str(message.id)] = str(message.string)
    return table


def translator(lang: str, dirs: tuple[Path, ...]) -> Translate:
    """Return `t(key, **values)` for `lang`, reading each dir's catalogue of `lang`.

    Later dirs win, so a catalogue can reword a few strings without copying the table;
    an unknown key raises, so a typo in a template fails the build instead of hiding.
    """
    table = messages(lang, dirs)

    def t(key: str, **values: object) -> str:
        text = table[key]
        return text.format(**values) if values else text

    return t


def count_datasets(t: Translate, n: int) -> str:
    """Return "1 dataset" / "3 datasets" in the page's language."""
    return t("count.datasets.one" if n == 1 else "count.datasets.other", n=n)
