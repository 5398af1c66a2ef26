"""Small inline SVG charts of a column's profile, each with a text alternative.

One `<path>` draws every bar, so a chart weighs a few hundred bytes; the chart is an
image (`role="img"`) labelled by the same words a screen reader user would need.
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 120, 32  # the viewBox; CSS scales the chart to its box


def bar_chart(counts: tuple[int, ...], label: str) -> Markup:
    """Return an SVG bar chart of `counts` (left to right), labelled `label`."""
    if not counts or max(counts) <= 0:
        return Markup("")
    top = max(counts)
    step = WIDTH / len(counts)
    gap = min(1.0, step / 4)
    bars = []
    for i, count in enumerate(counts):
        height = round(HEIGHT * count / top, 1)
        if height:
            x = round(i * step + gap / 2, 1)
            bars.append(f"M{x:g} {HEIGHT}v-{height:g}h{round(step - gap, 1):g}v{height:g}z")
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" '
        f'role="img" aria-label="{escape(label)}"><path d="{"".join(bars)}"/></svg>'
    )


def describe(pairs: tuple[tuple[str, str], ...]) -> str:
    """Return the chart's text alternative: "2025: 20; 2026: 20"."""
    return "; ".join(f"{name}: {value}" for name, value in pairs)
