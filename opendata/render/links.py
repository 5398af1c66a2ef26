"""Site paths and relative links, so the site works from file:// and any sub-path."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

# Bahasa Indonesia is the site root; other languages live under their code.
PREFIXES = {"id": "", "en": "en/"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def page_path(lang: str, *parts: str) -> str:
    """Return the site-root path of a page: `en/dinkes/index.html`."""
    return PREFIXES[lang] + "/".join([*parts, "index.html"])


def href(page: str, target: str) -> str:
    """Return `target` (a site-root path) relative to the folder of `page`."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def external(url: str) -> str:
    """Return `url` when it is http(s) or mailto, else "" so it is shown unlinked."""
    return url if url.strip().lower().startswith(SAFE_SCHEMES) else ""


def mailto(email: str) -> str:
    """Return a mailto link for `email`, or "" when there is none."""
    return f"mailto:{quote(email, safe='@.+-_')}" if email else ""
