"""Run the stages in order: load, read, validate, convert, render, publish."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from opendata import i18n
from opendata.cache import Cache
from opendata.convert import convert
from opendata.errors import EXIT_INVALID, OpendataError, problem
from opendata.fetch import Remote
from opendata.i18n import _, ngettext
from opendata.load import load
from opendata.models import (
    Catalogue,
    Dataset,
    DatasetResult,
    Finding,
    Problem,
    Report,
    Resource,
    Source,
)
from opendata.privacy import guard
from opendata.profile import profile
from opendata.publish import (
    HISTORY,
    archive,
    check_versions,
    prepare,
    record,
    release,
    staging_dir,
    swap,
)
from opendata.publish.swap import link_file
from opendata.read import sniff
from opendata.render import DEFAULT_THEME, render
from opendata.render.reuse import Reuse, reuse
from opendata.validate import DEFAULT_LIMIT, validate

Progress = Callable[[str, int, int], None]  # stage, done, total
MARKER = ".opendata-site"  # marks a folder this tool built, so only such a folder is replaced


@dataclass(frozen=True)
class Build:
    """What a build published and what it left out."""

    out: Path
    published: tuple[DatasetResult, ...]
    skipped: tuple[DatasetResult, ...]
    release: int = 0  # the release number `publish` gave the site; 0 for a plain build
    seconds: tuple[tuple[str, float], ...] = ()  # time per stage, in order
    cached: int = 0  # datasets taken from the cache, unchanged since an earlier build
    held: tuple[DatasetResult, ...] = ()  # valid, but held back because others were invalid


def check(
    catalogue: Catalogue,
    datasets: Iterable[Dataset],
    *,
    limit_errors: int = DEFAULT_LIMIT,
    sources: _Sources | None = None,
) -> list[DatasetResult]:
    """Read and validate every resource of `datasets`; return one result per dataset."""
    sources = sources or _Sources(catalogue)
    return [_check_dataset(catalogue, d, sources, limit_errors) for d in datasets]


def build(
    root: Path,
    *,
    out: Path,
    keep_going: bool = False,
    limit_errors: int = DEFAULT_LIMIT,
    keep_releases: bool = False,
    jobs: int = 1,
    use_cache: bool = True,
    progress: Progress | None = None,
    remote: Remote | None = None,
) -> Build:
    """Build the catalogue at `root` into `out`, replacing it only when everything is done.

    With `keep_releases` (opendata publish) `out` is a published site whose earlier
    versions are kept, and the build becomes its next release.
    """
    clock = _Clock()
    # Load and check: nothing is written to the site before every dataset is known to be good.
    catalogue = load(root, remote=remote)  # URL resources downloaded when their host is allowed
    _check_out(out, catalogue.root, keep_releases)
    cache = Cache(catalogue) if use_cache else None
    # Check, guard, convert and profile each dataset; unchanged ones come from the cache.
    work = Work(
        catalogue, limit_errors, cache.folder if cache else None, cache.toolkit if cache else ""
    )
    keys = {d.id: cache.key(d) for d in catalogue.datasets} if cache else {}
    try:
        results = _process(work, cache, keys, jobs=jobs, progress=progress)
    except OSError as exc:  # converting needs room too: the site is not touched yet
        raise _cannot_write(exc, out) from None
    if cache:
        cache.save_index()
    clock.lap("check and convert")
    good = tuple(r for r in results if r.valid)
    bad = tuple(r for r in results if not r.valid)
    if bad and not keep_going:
        checked = Build(out, (), bad, 0, tuple(clock.laps), _cached(results), held=good)
        raise BuildRefused(checked)
    # Versions: a published version's raw files must not have changed.
    history = prepare(out) if keep_releases else None
    if history is not None and (changed := check_versions(history, good)):
        raise OpendataError(changed)

    step = progress or _quiet  # rendering is one step on its bar: its pages are not counted
    try:
        # Convert and render into a staging folder beside `out`.
        step("render", 0, 1)
        staging = staging_dir(out)
        try:
            when = build_time(catalogue)
            published = tuple(
                _place_outputs(work, r, keys.get(r.dataset.id, ""), staging) for r in good
            )
            if history is not None:
                # Release: earlier versions' files kept, each new version's changelog computed.
                published = release(history, published, site=out, staging=staging, when=when)
            # Render: the pages of datasets unchanged since the last build are reused.
            pages = _reuse(catalogue, published, cache, keys, when) if cache else None
            render(catalogue, published, out=staging, build_time=when, skipped=bad, reuse=pages)
            (staging / MARKER).write_text("built by opendata\n", encoding="utf-8")
            clock.lap("render")
            step("render", 1, 1)
            if history is not None:
                # Record: latest/ pages, releases.json, SHA256SUMS; a copy kept for rollback.
                theme = catalogue.root / "site_templates"
                history = record(
                    history, published, site=out, staging=staging, theme=theme, when=when
                )
                archive(staging, out, history.number)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

        # Publish: the finished site replaces the old one in one step.
        step("publish", 0, 1)
        swap(staging, out)
        clock.lap("publish")
        step("publish", 1, 1)
    except OSError as exc:  # a full disk, a read-only folder: the old site is still there
        raise _cannot_write(exc, out) from None
    number = history.number if history is not None else 0
    return Build(out, published, bad, number, tuple(clock.laps), _cached(results))


def _quiet(_stage: str, _done: int, _total: int) -> None:
    """Report no progress: the build has no terminal to draw on."""


def _cached(results: Iterable[DatasetResult]) -> int:
    return sum(1 for r in results if r.cached)


class BuildRefused(OpendataError):
    """Invalid datasets stopped the build before anything was written; what was checked."""

    def __init__(self, checked: Build) -> None:
        super().__init__(failures(checked.skipped), exit_code=EXIT_INVALID)
        self.build = checked


def _reuse(
    catalogue: Catalogue,
    results: Sequence[DatasetResult],
    cache: Cache,
    keys: dict[str, str],
    when: datetime,
) -> Reuse:
    """Return what lets render reuse the pages of datasets that did not change."""
    themes = (DEFAULT_THEME, catalogue.root / "site_templates")
    return reuse(
        catalogue,
        results,
        cache=cache.folder,
        keys=keys,
        toolkit=cache.toolkit,
        themes=themes,
        build_time=when,
    )


def _cannot_write(exc: OSError, out: Path) -> OpendataError:
    where = exc.filename or out
    message = _("cannot write the site ({reason}).", reason=exc.strerror or exc)
    hint = _(
        "Free disk space or choose a writable folder with --out; "
        "the published site was not changed."
    )
    return OpendataError(problem("cannot-write", str(where), message, hint=hint))


def failures(results: Iterable[DatasetResult]) -> list[Problem]:
    """Return one problem per invalid resource or descriptor, for the build's error message."""
    found: list[Problem] = []
    for result in results:
        found.extend(result.problems)
        found.extend(personal_data(result.findings))
        for report in result.reports:
            if not report.valid:
                kinds = sorted({e.type for e in report.errors})
                message = ngettext(
                    "{n} validation error ({kinds}).",
                    "{n} validation errors ({kinds}).",
                    len(report.errors),
                    kinds=", ".join(kinds),
                )
                hint = _("Run: opendata validate datasets/{dataset}", dataset=result.dataset.id)
                found.append(problem("invalid-data", report.place, message, hint=hint))
    return found


def personal_data(findings: Iterable[Finding]) -> list[Problem]:
    """Return one problem per finding that blocks publishing, its values masked."""
    return [
        problem("personal-data", f.place, str(f).removeprefix(f"{f.place}, ") + ".")
        for f in findings
        if f.blocks
    ]


def build_time(catalogue: Catalogue) -> datetime:
    """Return SOURCE_DATE_EPOCH, or the newest input's modification time.

    Never the clock: the same inputs must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    paths = [catalogue.root / "opendata.yaml"]
    for dataset in catalogue.datasets:
        paths.append(dataset.descriptor_path)
        paths.extend(r.path for r in dataset.resources)
    newest = max(int(p.stat().st_mtime) for p in paths)
    return datetime.fromtimestamp(newest, UTC)


class _Sources:
    """Sniff each raw file once, and find the resources foreign keys point at."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.by_id = {f"{d.id}/{r.name}": r for d in catalogue.datasets for r in d.resources}
        self.cache: dict[Path, Source] = {}

    def source(self, resource: Resource) -> Source:
        if resource.path not in self.cache:
            self.cache[resource.path] = sniff(resource, place=self.place(resource))
        return self.cache[resource.path]

    def place(self, resource: Resource) -> str:
        if resource.url:  # downloaded into a temporary file: the officer knows it by its URL
            return resource.url
        return resource.path.relative_to(self.catalogue.root).as_posix()

    def references(
        self, dataset: Dataset, resource: Resource
    ) -> dict[str, tuple[Resource, Source]]:
        found = {}
        for fk in resource.schema.get("foreignKeys") or []:
            name = fk["reference"].get("resource") or ""
            if not name:
                continue  # the resource itself
            target = self.by_id[name if "/" in name else f"{dataset.id}/{name}"]
            found[name] = (target, self.source(target))
        return found


def _check_dataset(
    catalogue: Catalogue, dataset: Dataset, sources: _Sources, limit_errors: int
) -> DatasetResult:
    reports: list[Report] = []
    problems: list[Problem] = []
    findings: list[Finding] = []
    for resource in dataset.resources:
        place = sources.place(resource)
        try:
            source = sources.source(resource)
            references = sources.references(dataset, resource)
            report = validate(
                resource, source, place=place, references=references, limit_errors=limit_errors
            )
        except OpendataError as exc:  # a file no parser can read: named with its line
            problems.extend(exc.problems)
            continue
        reports.append(report)
        # Guard: personal data blocks the dataset unless its field is declared public.
        findings.extend(_guard(resource, source, place))
    return DatasetResult(
        dataset=dataset,
        reports=tuple(reports),
        problems=tuple(problems),
        findings=tuple(findings),
    )


def _guard(resource: Resource, source: Source, place: str) -> list[Finding]:
    """Return the guard's findings; a file that cannot be read is validation's to report."""
    try:
        return guard(resource, source, place=place)
    except OpendataError:
        return []


@dataclass(frozen=True)
class Work:
    """What a worker process needs to handle one dataset on its own."""

    catalogue: Catalogue
    limit_errors: int
    cache: Path | None  # the cache folder; None to convert into a temporary folder
    toolkit: str = ""  # the toolkit's source hash, computed once for every worker


def _process(
    work: Work,
    cache: Cache | None,
    keys: dict[str, str],
    *,
    jobs: int,
    progress: Progress | None,
) -> list[DatasetResult]:
    """Handle every dataset, `jobs` at a time, keeping the catalogue's order.

    Cached results are read here: sending them through a worker would only pickle
    them twice more.
    """
    datasets = work.catalogue.datasets
    done: dict[str, DatasetResult] = {}
    for dataset in datasets:
        found = cache.get(keys[dataset.id], dataset) if cache else None
        if found is not None:
            done[dataset.id] = replace(found, cached=True)
    todo = [(d, keys.get(d.id, "")) for d in datasets if d.id not in done]

    def report(result: DatasetResult) -> None:
        done[result.dataset.id] = result
        if progress:
            progress("check and convert", len(done), len(datasets))

    if jobs <= 1 or len(todo) <= 1:
        for dataset, key in todo:
            report(_handle(work, cache, dataset, key))
        return [done[d.id] for d in datasets]
    # The catalogue goes to each worker once, not with every task; workers speak the
    # officer's language too, since their problems are written in it.
    start = (work, i18n.current())
    # forkserver: forking this process could copy a lock held by one of validation's
    # threads into the worker, which then waits on it forever.
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=start
    ) as pool:
        for result in pool.map(_handle_in_worker, todo):
            report(result)
    return [done[d.id] for d in datasets]


_WORKER: tuple[Work, Cache | None] | None = None  # a worker process's work and cache


def _start_worker(work: Work, language: str) -> None:
    """Keep the work and open the cache once per worker process."""
    global _WORKER
    i18n.use(language)
    cache = Cache(work.catalogue, work.cache, work.toolkit) if work.cache else None
    _WORKER = (work, cache)


def _handle_in_worker(task: tuple[Dataset, str]) -> DatasetResult:
    assert _WORKER is not None
    return _handle(*_WORKER, *task)


def _handle(work: Work, cache: Cache | None, dataset: Dataset, key: str) -> DatasetResult:
    """Check one dataset and, when valid, convert and profile it into its cache entry."""
    cache = cache if key else None
    sources = _Sources(work.catalogue)
    result = _check_dataset(work.catalogue, dataset, sources, work.limit_errors)
    if result.valid:
        folder = cache.entry_files(key) if cache else Path(tempfile.mkdtemp(prefix="opendata-"))
        try:
            result = _convert_dataset(result, sources, folder)
        except BaseException:
            shutil.rmtree(folder.parent if cache else folder, ignore_errors=True)
            raise
        result = replace(result, files=str(folder))
    return cache.put(key, result) if cache else result


def _convert_dataset(result: DatasetResult, sources: _Sources, site: Path) -> DatasetResult:
    dataset = result.dataset
    folder = site / dataset.agency / dataset.name / dataset.version
    conversions, profiles = [], []
    for resource in dataset.resources:
        source = sources.source(resource)
        conversions.append(convert(resource, dataset, source, out_dir=folder, site_root=site))
        # Profile: column statistics from the typed Parquet just written.
        profiles.append(profile(resource, path=folder / f"{resource.name}.parquet"))
    return replace(result, conversions=tuple(conversions), profiles=tuple(profiles))


def _place_outputs(work: Work, result: DatasetResult, key: str, staging: Path) -> DatasetResult:
    """Link a dataset's converted files into the staging site (copies where links fail).

    Links are safe: neither the cache nor a site ever rewrites a data file in place.
    """
    files = Path(result.files)
    if result.files and files.is_dir():
        shutil.copytree(files, staging, dirs_exist_ok=True, copy_function=link_file)
        if work.cache is None:
            shutil.rmtree(files, ignore_errors=True)
    return result


class _Clock:
    """Time each stage for the build summary."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append((stage, now - self.start))
        self.start = now


def _check_out(out: Path, root: Path, keep_releases: bool = False) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    out = out.resolve()
    if not keep_releases and (out / HISTORY).is_file():
        message = _(
            "the output folder is a published site with earlier releases; a build drops them."
        )
        hint = _("Publish into it with: opendata publish --to {out}", out=out)
        raise OpendataError(problem("unsafe-path", str(out), message, hint=hint))
    if out == root or out in root.parents or out == Path.home():
        message = _("the output folder {out} would replace the catalogue itself.", out=out)
        raise OpendataError(problem("unsafe-path", str(out), message, hint=_("Use --out _site.")))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        message = _(
            "the output folder exists and was not built by opendata, so it is not replaced."
        )
        hint = _("Choose an empty or new folder with --out, or remove this one.")
        raise OpendataError(problem("unsafe-path", str(out), message, hint=hint))
    if out.exists() and not out.is_dir():
        raise OpendataError(
            problem(
                "unsafe-path",
                str(out),
                _("the output path is a file."),
                hint=_("Use --out _site."),
            )
        )
