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
    """Return `target` (a site-root path) relative to the folder of `page`.

    posixpath.relpath's answer for the plain paths a site is made of, without its
    absolute-path round trip: a large catalogue's listings make tens of thousands of links.
    """
    folder = [part for part in posixpath.dirname(page).split("/") if part]
    parts = [part for part in target.split("/") if part]
    if target.startswith("/") or {".", ".."} & {*folder, *parts}:
        return posixpath.relpath(target, posixpath.dirname(page) or ".")
    common = 0
    for mine, theirs in zip(folder, parts, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(folder) - common) + parts[common:]) or "."


def external(url: str) -> str:
    """Return `url` when it is http(s) or mailto, else "" so it is shown unlinked."""
    return url if url.strip().lower().startswith(SAFE_SCHEMES) else ""


def mailto(email: str) -> str:
    """Return a mailto link for `email`, or "" when there is none."""
    return f"mailto:{quote(email, safe='@.+-_')}" if email else ""
