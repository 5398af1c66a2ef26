"""Whether a dataset keeps its promises: freshness, open licences and agency scorecards.

Freshness follows data.gouv.fr: the next update is due one declared period after the
last modification, and a dataset counts as late only after one more day of grace.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from opendata.models import Dataset, DatasetResult, License, Portal
from opendata.render.datapackage import licenses_of

GRACE = timedelta(days=1)
PERIODS = {"daily": 0, "weekly": 0, "monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
DAYS = {"daily": 1, "weekly": 7}
FRESHNESS = ("fresh", "due", "overdue", "unknown")

# Licences the Open Definition lists as conformant (https://opendefinition.org/licenses/),
# by SPDX identifier, plus the Open Government Licences many governments use.
OPEN_LICENCES = frozenset(
    {
        *("CC0-1.0", "CC-BY-4.0", "CC-BY-3.0", "CC-BY-2.5", "CC-BY-2.0"),
        *("CC-BY-SA-4.0", "CC-BY-SA-3.0", "CC-BY-SA-2.5", "CC-BY-SA-2.0"),
        *("ODbL-1.0", "ODC-By-1.0", "PDDL-1.0", "OGL-UK-3.0", "OGL-UK-2.0"),
        *("OGL-Canada-2.0", "etalab-2.0", "DL-DE-BY-2.0", "DL-DE-ZERO-2.0", "NLOD-2.0"),
    }
)


@dataclass(frozen=True)
class Freshness:
    state: str  # one of FRESHNESS
    due: str  # the next update's due date, YYYY-MM-DD, or ""


@dataclass(frozen=True)
class Score:
    """How one agency (or the whole catalogue) keeps its promises."""

    datasets: int  # declared, published or not
    valid: int  # datasets whose every resource passed validation
    scheduled: int  # datasets with a regular frequency and a modification date
    fresh: int  # of those, not overdue
    licensed: int  # datasets published under a licence, their own or the portal's default


def freshness(dataset: Dataset, today: date) -> Freshness:
    """Return fresh, due or overdue from the declared frequency and last modification."""
    due = next_due(dataset.frequency, dataset.modified)
    if due is None:
        return Freshness("unknown", "")
    if today <= due:
        state = "fresh"
    elif today <= due + GRACE:
        state = "due"
    else:
        state = "overdue"
    return Freshness(state, due.isoformat())


def next_due(frequency: str, modified: str) -> date | None:
    """Return the date one period after `modified`, or None when there is no schedule."""
    if frequency not in PERIODS or not modified:
        return None
    try:
        last = date.fromisoformat(modified[:10])
    except ValueError:
        return None
    if frequency in DAYS:
        return last + timedelta(days=DAYS[frequency])
    return add_months(last, PERIODS[frequency])


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the month's end (31 Jan → 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_open(licence: License) -> bool:
    """Return whether the licence is an open licence by the Open Definition."""
    return licence.name.strip().casefold() in {name.casefold() for name in OPEN_LICENCES}


def score(results: Iterable[DatasetResult], today: date, *, portal: Portal) -> Score:
    """Return the scorecard of `results`: published and refused datasets alike.

    A dataset without licences of its own is published under the portal's default licence,
    and its page shows it: it counts as licensed.
    """
    results = list(results)
    states = [freshness(r.dataset, today).state for r in results]
    return Score(
        datasets=len(results),
        valid=sum(r.valid for r in results),
        scheduled=sum(state != "unknown" for state in states),
        fresh=sum(state in ("fresh", "due") for state in states),
        licensed=sum(bool(licenses_of(r.dataset, portal)) for r in results),
    )


def share(part: int, whole: int) -> int | None:
    """Return `part` of `whole` in whole percent, or None when there is nothing to count."""
    return round(100 * part / whole) if whole else None
