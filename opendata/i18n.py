"""Messages in the officer's language: English msgids, Indonesian from a gettext catalogue.

The catalogue `locales/id/LC_MESSAGES/opendata.po` is read directly with Babel (no
compiled .mo file to keep in step); English needs no catalogue, the msgid is the text.
`make messages` re-extracts every `_()`/`N_()` string and updates the .po.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("id", "en")
DEFAULT = "en"
LOCALES = Path(__file__).parent / "locales"
DOMAIN = "opendata"
# The variables gettext consults, most specific first.
ENV_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

_current = DEFAULT


def catalogue_path(lang: str) -> Path:
    """Return where the messages of `lang` live."""
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def messages(lang: str) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    """Return `lang`'s translations by msgid; fuzzy and empty entries are left out."""
    path = catalogue_path(lang)
    if lang == DEFAULT or not path.is_file():
        return {}
    with path.open("rb") as file:
        catalogue = read_po(file, abort_invalid=True)
    return {
        message.id: message.string
        for message in catalogue
        if message.id and message.string and not message.fuzzy and all(message.string)
    }


def use(lang: str) -> None:
    """Make `lang` the language of every message from now on."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _current = lang


def current() -> str:
    """Return the language messages are in now."""
    return _current


def language_from_env(environ: Mapping[str, str]) -> str:
    """Return "id" when the first set locale variable is Indonesian, else "en"."""
    for name in ENV_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "id" if value.lower().startswith("id") else DEFAULT
    return DEFAULT


def _(message: str, **values: object) -> str:
    """Return `message` in the current language, with `{placeholders}` filled from values."""
    text = messages(_current).get(message, message)
    assert isinstance(text, str)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """Return the form of a counted message that fits `n`; `{n}` is filled in."""
    forms = messages(_current).get((singular, plural))
    if isinstance(forms, tuple):
        # Indonesian has one form for every count.
        text = forms[0] if len(forms) == 1 or n == 1 else forms[1]
    else:
        text = singular if n == 1 else plural
    return text.format(n=n, **values)


def N_(message: str) -> str:
    """Mark a module-level message for extraction; `_()` translates it when shown."""
    return message
