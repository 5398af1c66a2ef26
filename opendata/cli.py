"""The `opendata` command: thin wrappers that parse options, call the library and print."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console

from opendata import __version__, i18n
from opendata.add import Sheet, default_sheet
from opendata.add import add as add_file
from opendata.errors import EXIT_INVALID, OpendataError, problem
from opendata.fetch import MAX_BYTES, Remote
from opendata.i18n import _, ngettext
from opendata.init import init as init_catalogue
from opendata.load import find_root, load
from opendata.pipeline import BuildRefused, check, failures, personal_data
from opendata.pipeline import build as build_site
from opendata.privacy.report import notices
from opendata.progress import progress_bar, summary
from opendata.publish import read_history, site_lock
from opendata.publish import rollback as rollback_site
from opendata.publish import verify as verify_site
from opendata.validate import DEFAULT_LIMIT
from opendata.validate.file import validate_file
from opendata.validate.summary import describe, frictionless_report


def _set_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Set the messages' language first: the flag, an earlier --lang, or the environment."""
    if value is not None:
        ctx.meta["opendata.lang"] = value
    i18n.use(ctx.meta.get("opendata.lang") or i18n.language_from_env(os.environ))


def lang_option(command: Callable) -> Callable:
    """Add --lang id|en, read before any other option so every message follows it."""
    return click.option(
        "--lang",
        type=click.Choice(i18n.LANGUAGES),
        default=None,
        is_eager=True,
        expose_value=False,
        callback=_set_language,
        help="Language of the messages: id (Bahasa Indonesia) or en.  [default: from LANG]",
    )(command)


def remote_options(command: Callable) -> Callable:
    """Add --allow-remote and --max-download, for catalogues whose resources are URLs."""
    command = click.option(
        "--max-download",
        default=MAX_BYTES >> 20,
        show_default=True,
        type=click.IntRange(min=1),
        help="Largest download of a URL resource, in MB.",
    )(command)
    return click.option(
        "--allow-remote",
        "allow_remote",
        multiple=True,
        metavar="HOST",
        help="Fetch resources given as URLs from HOST (repeatable); private addresses never.",
    )(command)


def _remote(allow_remote: tuple[str, ...], max_download: int) -> Remote:
    return Remote.allowing(allow_remote, max_bytes=max_download << 20)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opendata")
@lang_option
def cli() -> None:
    """Validate, convert and publish an open-data catalogue as a static site."""


@cli.command()
@lang_option
@click.argument("target", default=".", type=click.Path(path_type=Path))
@click.option(
    "--schema",
    type=click.Path(path_type=Path),
    help="Table Schema (YAML or JSON) for a single file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a frictionless-style JSON report.")
@click.option(
    "--limit-errors",
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Stop a resource after N errors; 0 for all.",
)
@remote_options
def validate(
    target: Path,
    schema: Path | None,
    as_json: bool,
    limit_errors: int,
    allow_remote: tuple[str, ...],
    max_download: int,
) -> None:
    """Check datasets, or one CSV/XLSX file, against their Table Schemas.

    TARGET is the catalogue root (default), an agency folder, a dataset folder, or a
    single CSV/XLSX file (then give --schema, or a schema is inferred).

    Example: opendata validate datasets/dinkes/fasilitas-kesehatan
    """
    started = time.monotonic()
    try:
        if target.is_file():
            reports, problems = (
                [validate_file(target, schema=schema, limit_errors=limit_errors)],
                [],
            )
        else:
            remote = _remote(allow_remote, max_download)
            reports, problems = _check_folder(target, limit_errors, remote)
    except OpendataError as exc:
        if as_json:
            click.echo(json.dumps(_problems_json(exc), indent=2, ensure_ascii=False))
            raise SystemExit(exc.exit_code) from None
        raise
    if as_json:
        result = frictionless_report(reports, seconds=time.monotonic() - started)
        result["errors"] = [_problem_json(p) for p in problems]
        result["valid"] = result["valid"] and not problems
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            click.echo("\n".join(describe(report)))
    if problems:
        raise OpendataError(problems, exit_code=EXIT_INVALID)
    invalid = sum(not r.valid for r in reports)
    if invalid:
        if not as_json:
            message = _(
                "{invalid} of {total} resources are invalid.", invalid=invalid, total=len(reports)
            )
            click.echo("\n" + message, err=True)
        raise SystemExit(EXIT_INVALID)
    if not as_json:
        click.echo("\n" + _("All {total} resources are valid.", total=len(reports)))


@cli.command()
@lang_option
@click.argument("root", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path), help="Site folder.  [default: ROOT/_site]")
@click.option(
    "--keep-going", is_flag=True, help="Publish the valid datasets even when others are invalid."
)
@click.option("--jobs", "-j", default=1, show_default=True, help="Datasets processed in parallel.")
@click.option(
    "--no-cache", is_flag=True, help="Reprocess every dataset, ignoring .opendata-cache/."
)
@remote_options
def build(
    root: Path,
    out: Path | None,
    keep_going: bool,
    jobs: int,
    no_cache: bool,
    allow_remote: tuple[str, ...],
    max_download: int,
) -> None:
    """Validate, convert and render the catalogue into a static site.

    The site is built beside --out and swapped in only when complete: a failed build
    leaves the published site as it was.

    Example: opendata build --out _site
    """
    out = out or root / "_site"
    try:
        with site_lock(out), progress_bar() as progress:
            result = build_site(
                root,
                out=out,
                keep_going=keep_going,
                jobs=jobs,
                use_cache=not no_cache,
                progress=progress,
                remote=_remote(allow_remote, max_download),
            )
    except BuildRefused as refused:  # nothing published: the summary says what was checked
        Console().print(summary(refused.build))
        _warn(refused.build)
        raise
    Console().print(summary(result))
    _warn(result)
    count = len(result.published)
    click.echo(
        ngettext("Built {n} dataset into {out}.", "Built {n} datasets into {out}.", count, out=out)
    )
    click.echo(_("Open {page} in a browser, or run: make serve", page=out / "index.html"))
    if result.skipped:
        count = len(result.skipped)
        refused = ngettext(
            "{n} invalid dataset was not published:",
            "{n} invalid datasets were not published:",
            count,
        )
        click.echo("\n" + refused, err=True)
        raise OpendataError(failures(result.skipped), exit_code=EXIT_INVALID)


@cli.command()
@lang_option
@click.argument("root", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--to",
    "site",
    required=True,
    type=click.Path(path_type=Path),
    help="The published site folder; created by the first release.",
)
@click.option(
    "--keep-going", is_flag=True, help="Publish the valid datasets even when others are invalid."
)
@remote_options
def publish(
    root: Path, site: Path, keep_going: bool, allow_remote: tuple[str, ...], max_download: int
) -> None:
    """Build the catalogue as the next release of a published site, keeping every version.

    Files live under <agency>/<dataset>/<version>/ and never change; a version whose
    data changed is refused until it is bumped. The release is swapped in atomically.

    Example: opendata publish --to /srv/www/data
    """
    remote = _remote(allow_remote, max_download)
    with site_lock(site):  # one publish at a time: a second is refused, not interleaved
        result = build_site(
            root, out=site, keep_going=keep_going, keep_releases=True, remote=remote
        )
    count = len(result.published)
    datasets = ngettext("{n} dataset", "{n} datasets", count)
    _warn(result)
    click.echo(
        _(
            "Published release {release} of {site}: {datasets}.",
            release=result.release,
            site=site,
            datasets=datasets,
        )
    )
    for dataset in result.published:
        newest = dataset.versions[0] if dataset.versions else None
        if newest is not None and newest.release == result.release:
            click.echo(
                "  "
                + _(
                    "new version {dataset} {version}",
                    dataset=dataset.dataset.id,
                    version=newest.version,
                )
            )
    if result.skipped:
        count = len(result.skipped)
        refused = ngettext(
            "{n} invalid dataset was not published:",
            "{n} invalid datasets were not published:",
            count,
        )
        click.echo("\n" + refused, err=True)
        raise OpendataError(failures(result.skipped), exit_code=EXIT_INVALID)


@cli.command()
@lang_option
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True))
def verify(site: Path) -> None:
    """Check every file of a published site against its recorded sha256.

    Exit 0 when every file is as released, 1 when any is missing, changed or unknown.

    Example: opendata verify /srv/www/data
    """
    problems = verify_site(site)
    if problems:
        raise OpendataError(problems, exit_code=EXIT_INVALID)
    click.echo(
        _("All files of release {release} match their sha256.", release=read_history(site).number)
    )


@cli.command()
@lang_option
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True))
def rollback(site: Path) -> None:
    """Put the release before the current one back in place, in one atomic step.

    Example: opendata rollback /srv/www/data
    """
    with site_lock(site):
        number = rollback_site(site)
    click.echo(_("Rolled {site} back to release {release}.", site=site, release=number))


@cli.command()
@lang_option
@click.argument("folder", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--agency", required=True, help="The first agency's folder name, e.g. dinkes.")
@click.option("--title", default="", help="The portal's title.  [default: the agency name]")
def init(folder: Path, agency: str, title: str) -> None:
    """Start a new catalogue: settings, one agency, a README and a CI workflow.

    Existing files are never overwritten.

    Example: opendata init portal-data --agency dinkes --title "Satu Data Kabupaten Contoh"
    """
    result = init_catalogue(folder, agency=agency, title=title or agency)
    for path in result.written:
        click.echo(_("created  {path}", path=path))
    for path in result.kept:
        click.echo(_("kept     {path} (it already existed)", path=path))
    click.echo(
        "\n"
        + _(
            "Next: fill the TODO marks, then add data with: opendata add FILE --agency {agency}",
            agency=agency,
        )
    )


@cli.command()
@lang_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--agency", required=True, help="The agency folder to add the dataset to.")
@click.option("--name", default="", help="The dataset's name.  [default: from the file name]")
@click.option(
    "--sheet",
    default="",
    help="The XLSX sheet to use.  [default: asked in a terminal, else the first with a table]",
)
@click.option(
    "--root",
    default=".",
    type=click.Path(path_type=Path, file_okay=False),
    help="The catalogue folder.",
)
def add(file: Path, agency: str, name: str, sheet: str, root: Path) -> None:
    """Turn a raw CSV or XLSX file into a draft dataset with an inferred schema.

    A workbook with several sheets of data: in a terminal, add asks which one holds the
    table; otherwise it takes the first with a table and says how to choose another.

    Example: opendata add laporan-2024.xlsx --agency dinkes --name jumlah-puskesmas
    """
    catalogue_root = find_root(root)
    if catalogue_root is None:
        raise OpendataError(
            problem("no-catalogue", str(root), _("no opendata.yaml in this folder or above it."))
        )
    choose = _ask_sheet if _stdin_is_terminal() else None
    draft = add_file(catalogue_root, file, agency=agency, name=name, sheet=sheet, choose=choose)
    where = draft.descriptor.relative_to(catalogue_root).as_posix()
    click.echo(_("Draft written: {where}", where=where))
    for line in draft.detected:
        click.echo("  " + _("found   {line}", line=line))
    for line in draft.skipped:
        click.echo("  " + _("skipped {line}", line=line))
    schema = (
        _('the shared schema "{name}"', name=draft.schema_ref)
        if draft.schema_ref
        else _("an inferred schema")
    )
    columns = ngettext(
        "{n} column, described by {schema}",
        "{n} columns, described by {schema}",
        len(draft.fields),
        schema=schema,
    )
    click.echo("  " + columns)
    click.echo(
        "\n"
        + _(
            "Next: fill the TODO lines in {where}, then run: opendata validate && opendata build",
            where=where,
        )
    )
    if draft.problems:
        message = _(
            "The draft does not validate yet. Fix what follows in the data or in {where}, "
            "then run: opendata validate",
            where=where,
        )
        click.echo("\n" + message, err=True)
        for line in draft.problems:
            click.echo(f"  {line}", err=True)
        raise SystemExit(EXIT_INVALID)


def _stdin_is_terminal() -> bool:
    """Say whether someone can answer a question: not in CI, a pipe or a script."""
    return sys.stdin.isatty()


def _ask_sheet(choices: list[Sheet]) -> str:
    """Ask which sheet holds the table, by its number in a list."""
    click.echo(_("The workbook has {n} sheets with data:", n=len(choices)))
    for number, sheet in enumerate(choices, start=1):
        rows = ngettext("{n} row", "{n} rows", sheet.rows)
        click.echo(f"  {number}. {sheet.name} ({rows})")
    number = click.prompt(
        _("Which sheet holds the table? Its number"),
        type=click.IntRange(1, len(choices)),
        default=choices.index(default_sheet(choices)) + 1,
    )
    return choices[number - 1].name


def _check_folder(target: Path, limit_errors: int, remote: Remote | None = None):
    if not target.exists():
        raise OpendataError(
            problem("missing-file", str(target), _("there is no such file or folder."))
        )
    root = find_root(target)
    if root is None:
        raise OpendataError(
            problem("no-catalogue", str(target), _("no opendata.yaml in this folder or above it."))
        )
    catalogue = load(root, remote=remote)
    folder = target.resolve()
    datasets = [d for d in catalogue.datasets if folder == d.path or folder in d.path.parents]
    results = check(catalogue, datasets, limit_errors=limit_errors)
    reports = [report for result in results for report in result.reports]
    problems = [p for result in results for p in result.problems]
    findings = [f for result in results for f in result.findings]
    problems.extend(personal_data(findings))
    for line in notices(findings, limit=None):  # warnings, and personal data declared public
        click.echo(line, err=True)
    return reports, problems


def _warn(result) -> None:
    """Print the guard's warnings (formula-like cells, small counts) with row and column."""
    findings = [f for r in (*result.published, *result.skipped) for f in r.findings]
    for line in notices(findings):
        click.echo(line, err=True)


def _problem_json(p) -> dict:
    return {"type": p.slug, "place": p.file, "line": p.line, "message": p.message, "hint": p.hint}


def _problems_json(exc: OpendataError) -> dict:
    errors = [_problem_json(p) for p in exc.problems]
    return {
        "valid": False,
        "stats": {"tasks": 0, "errors": len(errors)},
        "errors": errors,
        "tasks": [],
    }
