"""The publish stage: a finished build swapped in atomically, earlier versions kept.

`swap` puts a staging folder in place of the site in one step; `release` and `record`
merge a build into a published site's history (versions never change, none is lost,
each new version gets a changelog); `verify` and `rollback` check and undo a release.
"""

from __future__ import annotations

from pathlib import Path

from opendata.publish.archive import archive, archive_dir, rollback, verify
from opendata.publish.history import HISTORY, SUMS, History, read_history
from opendata.publish.lock import site_lock
from opendata.publish.record import record
from opendata.publish.release import check_versions, release
from opendata.publish.swap import clean_stale, exchange, staging_dir, swap


def prepare(site: Path) -> History:
    """Repair what an interrupted run left beside `site`, then return its release history."""
    clean_stale(site)
    return read_history(site)


__all__ = [
    "HISTORY",
    "SUMS",
    "History",
    "archive",
    "archive_dir",
    "check_versions",
    "clean_stale",
    "exchange",
    "prepare",
    "read_history",
    "record",
    "release",
    "rollback",
    "site_lock",
    "staging_dir",
    "swap",
    "verify",
]
