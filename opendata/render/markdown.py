"""Markdown descriptions to sanitized HTML, and to plain-text excerpts."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_TAGS = {
    *("p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br", "hr"),
    *("h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td"),
}
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
LINK_REL = "noopener noreferrer nofollow"

# Raw HTML off: an agency's `<img onerror=…>` shows as text; nh3 is the second lock.
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown(text: str) -> Markup:
    """Render Markdown as sanitized HTML, safe to print unescaped."""
    if not text.strip():
        return Markup("")
    tokens = _MD.parse(text)
    for token in tokens:
        # The page title is the h1, so a description's headings start at h2.
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"
    html = _MD.renderer.render(tokens, _MD.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
    return Markup(clean.strip())


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """Drop relative and fragment links: they would point nowhere on the built site."""
    if tag == "a" and name == "href" and not value.lower().startswith(ALLOWED_SCHEMES):
        return None
    return value


def excerpt(text: str, *, limit: int = 160) -> str:
    """Return the Markdown's plain text, cut on a word boundary near `limit` characters."""
    plain = re.sub(r"\s+", " ", " ".join(_plain_parts(_MD.parse(text)))).strip()
    if len(plain) <= limit:
        return plain
    cut = plain[: limit + 1].rsplit(" ", 1)[0] if " " in plain[:limit] else plain[:limit]
    return cut.rstrip(" ,.;:–—-") + "…"


def _plain_parts(tokens: list[Token]) -> list[str]:
    """Return the text of each block; code blocks and markup are left out."""
    return ["".join(_plain_inline(child) for child in token.children or ()) for token in tokens]


def _plain_inline(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    return " " if token.type in ("softbreak", "hardbreak") else ""
