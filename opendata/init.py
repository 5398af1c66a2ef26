"""Scaffold a new catalogue: the few files an agency needs before its first dataset."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from opendata import __version__
from opendata.errors import OpendataError, problem
from opendata.i18n import _
from opendata.load.keys import SLUG

STARTER = Path(__file__).parent / "starter"
# Starter template → path in the new catalogue; `{agency}` is the agency's folder name.
FILES = {
    "opendata.yaml.j2": "opendata.yaml",
    "agency.yaml.j2": "datasets/{agency}/agency.yaml",
    "README.md.j2": "README.md",
    "gitignore.j2": ".gitignore",
    "workflow.yml.j2": ".github/workflows/opendata.yml",
    "schemas-README.md.j2": "schemas/README.md",
}


@dataclass(frozen=True)
class Scaffold:
    """What init wrote, and what it left alone because it existed."""

    root: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]


def init(folder: Path, *, agency: str, title: str) -> Scaffold:
    """Write a new catalogue into `folder`, never overwriting an existing file."""
    if not SLUG.match(agency):
        message = _('"{agency}" is not a valid agency name.', agency=agency)
        raise OpendataError(problem("invalid-slug", "--agency", message))
    if (folder / "opendata.yaml").exists():
        message = _("this folder is already a catalogue (it has opendata.yaml).")
        hint = _("Add a dataset with: opendata add FILE --agency NAME")
        raise OpendataError(problem("invalid-value", str(folder), message, hint=hint))
    env = Environment(
        loader=FileSystemLoader(STARTER), undefined=StrictUndefined, keep_trailing_newline=True
    )
    env.filters["yaml"] = _yaml_string
    written, kept = [], []
    for template, target in FILES.items():
        path = folder / target.format(agency=agency)
        relative = path.relative_to(folder).as_posix()
        if path.exists():
            kept.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        text = env.get_template(template).render(agency=agency, title=title, version=__version__)
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    return Scaffold(folder, tuple(written), tuple(kept))


def _yaml_string(value: str) -> str:
    """Quote a value for YAML so that any title, colons and quotes included, stays text."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
