"""Show long work as it goes and sum a build up in a table (rich), quiet when piped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from opendata.i18n import N_, _
from opendata.pipeline import Build
from opendata.privacy.report import warning_count

# The pipeline's stage names, shown in the officer's language on bars and in the summary.
STAGES = (N_("check and convert"), N_("render"), N_("publish"))


@contextmanager
def progress_bar(*, enabled: bool | None = None) -> Iterator:
    """Yield a `progress(stage, done, total)` callback drawing one bar per stage on stderr.

    Without a terminal (CI logs, pipes) it draws nothing, so logs stay readable.
    """
    console = Console(stderr=True)
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bars:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(_(stage), total=total)
            bars.update(tasks[stage], completed=done)

        yield update


def summary(build: Build) -> Table:
    """Return the build's summary: datasets, rows, errors, warnings and time per stage."""
    results = [*build.published, *build.held, *build.skipped]
    reports = [report for result in results for report in result.reports]
    findings = [finding for result in results for finding in result.findings]
    warnings = sum(len(r.warnings) for r in reports) + warning_count(findings)
    # Unreadable files and personal data stop a dataset as surely as a bad cell does.
    errors = sum(len(r.errors) for r in reports) + sum(len(r.problems) for r in results)
    errors += sum(1 for finding in findings if finding.blocks)
    table = Table(title=_("Build summary"), show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row(_("datasets published"), str(len(build.published)))
    table.add_row(_("datasets refused"), str(len(build.skipped)))
    if build.held:
        table.add_row(_("valid datasets held back"), str(len(build.held)))
    table.add_row(_("datasets unchanged (cache)"), str(build.cached))
    table.add_row(_("rows"), f"{sum(r.rows for r in reports):,}")
    table.add_row(_("errors"), str(errors))
    table.add_row(_("warnings"), str(warnings))
    for stage, seconds in build.seconds:
        table.add_row(_("time: {stage}", stage=_(stage)), f"{seconds:.2f} s")
    return table
