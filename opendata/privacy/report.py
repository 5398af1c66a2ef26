"""Turn the guard's warnings into lines an officer reads: where, how many, and what to do."""

from __future__ import annotations

from collections.abc import Iterable

from opendata.i18n import N_, _
from opendata.models import Finding

LIMIT = 20  # findings listed; the rest are counted
FIXES = {
    "formula": N_(
        "Nothing to do if the text is meant: the CSV keeps it as written and the XLSX "
        "download stores it as text. Otherwise remove the leading = + - @ or tab."
    ),
    "small-count": N_(
        "Counts of 1 or 2 people can identify them: merge small groups, or publish "
        'such counts as "<3".'
    ),
}


def notices(findings: Iterable[Finding], *, limit: int | None = LIMIT) -> list[str]:
    """Return the lines for every finding that does not block publishing, the first `limit`."""
    shown = [f for f in findings if not f.blocks]
    limit = len(shown) if limit is None else limit
    lines: list[str] = []
    for finding in shown[:limit]:
        note = _("declared public ({reason})", reason=finding.public) if finding.public else ""
        lines.append(f"{note or _('warning')}: {finding}")
        if finding.warning and finding.rule in FIXES:
            lines.append("    " + _("Fix: {fix}", fix=_(FIXES[finding.rule])))
    if len(shown) > limit:
        more = len(shown) - limit
        lines.append(
            _("… and {n} more; run opendata validate on a dataset to see them all.", n=more)
        )
    return lines


def warning_count(findings: Iterable[Finding]) -> int:
    """Return the cells the warnings are about (a column of 40 formula cells counts 40)."""
    return sum(max(f.count, 1) for f in findings if f.warning)
