"""A resource's column profiles as figures, top values and charts in the page's language."""

from __future__ import annotations

import math

from opendata.models import Bin, ColumnProfile, Profile
from opendata.profile import day_text
from opendata.render.charts import bar_chart, describe
from opendata.render.context import ColumnView, Stat
from opendata.render.frame import Site
from opendata.render.numbers import number

MAX_DECIMALS = 6  # a profile's figures are rounded beyond this


def column_views(site: Site, profile: Profile) -> tuple[ColumnView, ...]:
    return tuple(column_view(site, column) for column in profile.columns)


def column_view(site: Site, column: ColumnProfile) -> ColumnView:
    """Return one column's figures and chart, with the chart's text alternative."""
    t, lang = site.t, site.lang
    distinct = (
        number(column.distinct, lang)
        if column.distinct is not None
        else t("profile.many", n=number(100_000, lang))
    )
    stats = [
        Stat(t("profile.count"), number(column.count, lang)),
        Stat(t("profile.missing"), number(column.missing, lang)),
        Stat(t("profile.distinct"), distinct),
    ]
    if column.kind in ("integer", "number") and column.minimum is not None:
        stats += [
            Stat(t("profile.min"), figure(column.minimum, lang)),
            Stat(t("profile.max"), figure(column.maximum, lang)),
            Stat(t("profile.mean"), figure(column.mean, lang, decimals=2)),
        ]
    elif column.kind in ("date", "datetime") and column.minimum is not None:
        stats += [
            Stat(t("profile.earliest"), str(column.minimum)),
            Stat(t("profile.latest"), str(column.maximum)),
        ]
    top = tuple(Stat(value or t("profile.empty"), number(n, lang)) for value, n in column.top)
    if column.bins:
        pairs = tuple((bin_label(b, column, lang), number(b.count, lang)) for b in column.bins)
        counts = tuple(b.count for b in column.bins)
        text = t("profile.histogram", bars=describe(pairs))
    else:
        pairs = tuple((s.label, s.value) for s in top)
        counts = tuple(n for _, n in column.top)
        text = t("profile.top", bars=describe(pairs)) if pairs else ""
    chart = bar_chart(counts, text) if len(counts) > 1 else bar_chart((), "")
    return ColumnView(column.name, column.kind, tuple(stats), top, chart, text)


def figure(value: float | str | None, lang: str, *, decimals: int | None = None) -> str:
    """Return a data value with the language's separators, as a reader would check it.

    Without `decimals` the value keeps its own digits (up to six decimals), so a minimum
    or maximum can be found in the file as written. Numbers of four digits or fewer are
    not grouped (ISO 80000-1), so a year reads 2024, never 2,024 or 2.024.
    """
    if not isinstance(value, int | float):
        return "" if value is None else str(value)
    if decimals is None:
        digits = f"{value:.{MAX_DECIMALS}f}".rstrip("0")
        decimals = len(digits) - digits.index(".") - 1
    elif value and abs(value) < 1:  # keep two significant digits of a small mean
        decimals = min(MAX_DECIMALS, max(decimals, 1 - math.floor(math.log10(abs(value)))))
    return number(value, lang, decimals=decimals, grouped=abs(value) >= 10_000)


def bin_label(b: Bin, column: ColumnProfile, lang: str) -> str:
    """Return a histogram bar's range: "2019", "1–2", "0,0–55,4", "2024-01-01–2024-02-06"."""
    if column.kind == "date":
        low, high = day_text(b.low), day_text(max(b.low, b.high - 1))
    elif column.kind == "integer":  # bars cover whole numbers, the upper edge excluded
        low, high = figure(b.low, lang), figure(b.high - 1, lang)
    else:
        low, high = figure(b.low, lang, decimals=1), figure(b.high, lang, decimals=1)
    return low if low == high else f"{low}–{high}"
