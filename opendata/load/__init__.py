"""Load a catalogue's descriptors into a Catalogue, reporting every problem at once."""

from __future__ import annotations

import codecs
import copy
from pathlib import Path
from typing import Any

from opendata.errors import OpendataError, problem
from opendata.fetch import Remote, is_url
from opendata.i18n import _
from opendata.load.keys import AGENCY, DATASET, PORTAL, RESOURCE, SLUG, check_mapping
from opendata.load.paths import escapes, file_format, site_collision, unsafe_reason, unsafe_version
from opendata.load.remote import check_remote, download, url_format
from opendata.load.schema import check_schema
from opendata.load.yaml import Doc, read_yaml
from opendata.models import (
    Agency,
    Catalogue,
    Contact,
    Dataset,
    License,
    Portal,
    Problem,
    Resource,
    Text,
)

SCHEMA_SUFFIXES = (".yaml", ".yml", ".json")


def find_root(start: Path) -> Path | None:
    """Return the nearest folder at or above `start` that holds opendata.yaml."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if (folder / "opendata.yaml").is_file():
            return folder
    return None


def load(root: Path, *, remote: Remote | None = None) -> Catalogue:
    """Read and check every descriptor under `root`; raise OpendataError listing all problems.

    Resources given as URLs are downloaded when `remote` allows their host.
    """
    root = root.resolve()
    if not (root / "opendata.yaml").is_file():
        raise OpendataError(
            problem("no-catalogue", str(root), _("there is no opendata.yaml here."))
        )
    problems: list[Problem] = []
    portal = _load_portal(root, problems)
    schemas = _load_schemas(root, problems)
    agencies, datasets = [], []
    folder = root / "datasets"
    for agency_dir in _folders(folder, root, problems):
        agency = _load_agency(root, agency_dir, problems)
        if agency:
            agencies.append(agency)
        for dataset_dir in _folders(agency_dir, root, problems):
            dataset = _load_dataset(root, dataset_dir, schemas, problems, remote)
            if dataset:
                datasets.append(dataset)
    problems.extend(_check_references(root, datasets))
    if problems:
        raise OpendataError(problems)
    assert portal is not None
    return Catalogue(root, portal, tuple(agencies), tuple(datasets))


def _place(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read(root: Path, path: Path, problems: list[Problem]) -> Doc | None:
    if path.is_symlink():  # it could name any file of the machine, and be published
        message = _("the file is a symbolic link; a descriptor must be a real file here.")
        hint = _("Replace the link with a copy of the file it points to.")
        problems.append(problem("unsafe-path", _place(root, path), message, hint=hint))
        return None
    if not path.is_file():
        message = _("{name} is missing.", name=path.name)
        problems.append(problem("missing-file", _place(root, path.parent), message))
        return None
    doc = read_yaml(path, _place(root, path))
    if isinstance(doc, Problem):
        problems.append(doc)
        return None
    return doc


def _folders(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """Return the sub-folders whose names are valid slugs; report the others."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_dir():
            continue
        if path.is_symlink():
            message = _("the folder is a symbolic link; a catalogue's folders must be real ones.")
            hint = _("Replace the link with a copy of the folder it points to.")
            problems.append(problem("unsafe-path", _place(root, path), message, hint=hint))
            continue
        if not SLUG.match(path.name):
            message = _('the folder name "{name}" is not a valid name.', name=path.name)
            problems.append(problem("invalid-slug", _place(root, path), message))
            continue
        clash = site_collision(path.name) if folder == root / "datasets" else ""
        if clash:
            message = _(
                'the agency folder "{name}" cannot be used: {reason}.', name=path.name, reason=clash
            )
            problems.append(problem("duplicate-name", _place(root, path), message))
            continue
        found.append(path)
    return found


def _load_portal(root: Path, problems: list[Problem]) -> Portal | None:
    doc = _read(root, root / "opendata.yaml", problems)
    if doc is None:
        return None
    found = check_mapping(doc, doc.data, PORTAL)
    problems.extend(found)
    if found:
        return None
    data = doc.data
    return Portal(
        title=text(data["title"]),
        tagline=text(data.get("tagline")),
        base_url=str(data.get("base_url") or "").rstrip("/"),
        publisher=data.get("publisher") or "",
        license=License(**data["license"]) if data.get("license") else None,
        languages=tuple(data.get("languages") or ("id", "en")),
        sample=bool(data.get("sample", False)),
    )


def shared_schemas(root: Path) -> dict[str, dict[str, Any]]:
    """Return the catalogue's valid shared schemas by name; `load` reports the broken ones."""
    return {name: schema for name, schema in _load_schemas(root, []).items() if schema}


def _load_schemas(root: Path, problems: list[Problem]) -> dict[str, dict[str, Any] | None]:
    schemas: dict[str, dict[str, Any] | None] = {}
    folder = root / "schemas"
    paths = (
        sorted(p for p in folder.iterdir() if p.suffix in SCHEMA_SUFFIXES)
        if folder.is_dir()
        else []
    )
    for path in paths:
        place = _place(root, path)
        if not SLUG.match(path.stem):
            problems.append(
                problem(
                    "invalid-slug",
                    place,
                    _('"{name}" is not a valid schema name.', name=path.stem),
                )
            )
            continue
        if path.stem in schemas:
            problems.append(
                problem(
                    "duplicate-name", place, _('a schema "{name}" exists twice.', name=path.stem)
                )
            )
            continue
        doc = _read(root, path, problems)
        found = check_schema(doc, doc.data) if doc else []
        problems.extend(found)
        schemas[path.stem] = doc.data if doc and not found else None  # None: reported already
    return schemas


def _load_agency(root: Path, folder: Path, problems: list[Problem]) -> Agency | None:
    doc = _read(root, folder / "agency.yaml", problems)
    if doc is None:
        return None
    found = check_mapping(doc, doc.data, AGENCY)
    problems.extend(found)
    if found:
        return None
    data = doc.data
    return Agency(
        name=folder.name,
        title=text(data["title"]),
        description=text(data.get("description")),
        website=data.get("website") or "",
        contact=contact(data.get("contact")),
    )


def _load_dataset(
    root: Path, folder: Path, schemas: dict, problems: list[Problem], remote: Remote | None = None
) -> Dataset | None:
    doc = _read(root, folder / "datapackage.yaml", problems)
    if doc is None:
        return None
    data = doc.data
    found = check_mapping(doc, data, DATASET)
    if isinstance(data, dict) and data.get("name", folder.name) != folder.name:
        message = _(
            'name "{name}" differs from the folder name "{folder}".',
            name=data["name"],
            folder=folder.name,
        )
        hint = _("Write name: {folder}, or rename the folder.", folder=folder.name)
        found.append(
            problem("invalid-value", doc.place, message, line=doc.line(("name",)), hint=hint)
        )
    if isinstance(data, dict) and isinstance(data.get("version"), str):
        reason = unsafe_version(data["version"])
        if reason:
            message = _('version "{version}": {reason}.', version=data["version"], reason=reason)
            line = doc.line(("version",))
            found.append(problem("invalid-value", doc.place, message, line=line))
    resources = []
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        resources = _load_resources(root, folder, doc, schemas, found, remote)
    problems.extend(found)
    if found:
        return None
    temporal = data.get("temporal") or {}
    return Dataset(
        agency=folder.parent.name,
        name=folder.name,
        title=text(data["title"]),
        version=str(data["version"]),
        path=folder,
        descriptor_path=folder / "datapackage.yaml",
        resources=tuple(resources),
        description=text(data.get("description")),
        keywords=tuple(str(k) for k in data.get("keywords") or ()),
        themes=tuple(theme(t) for t in data.get("themes") or ()),
        contact=contact(data.get("contact")),
        licenses=tuple(License(**lic) for lic in data.get("licenses") or ()),
        frequency=data.get("frequency") or "",
        temporal=(temporal.get("start", ""), temporal.get("end", "")),
        spatial=tuple(str(s) for s in data.get("spatial") or ()),
        modified=data.get("modified") or "",
        descriptor=data,
    )


def _load_resources(
    root: Path, folder: Path, doc: Doc, schemas: dict, found: list, remote: Remote | None = None
) -> list[Resource]:
    items = doc.data["resources"]
    if not items:
        found.append(
            problem(
                "missing-field",
                doc.place,
                _("resources is empty."),
                line=doc.line(("resources",)),
            )
        )
    resources, names = [], set()
    for i, item in enumerate(items):
        path = ("resources", i)
        errors = check_mapping(doc, item, RESOURCE, path)
        if not errors and item["name"] in names:
            message = _('the resource name "{name}" is used twice.', name=item["name"])
            errors.append(
                problem("duplicate-name", doc.place, message, line=doc.line((*path, "name")))
            )
        remote_url = not errors and is_url(item["path"])
        if remote_url:
            errors = check_remote(doc, item, i, remote)
        elif not errors:
            errors = _check_resource_file(folder, doc, item, i)
        schema, ref, downloaded = ({}, "", None)
        if not errors:
            schema, ref, errors = _resolve_schema(doc, item["schema"], schemas, i)
        if not errors and remote_url:  # fetched last, once the descriptor is known to be good
            downloaded, errors = download(doc, item, i, remote)
        found.extend(errors)
        if errors:
            continue
        names.add(item["name"])
        resources.append(_resource(folder, item, schema, ref, downloaded))
    return resources


def _check_resource_file(folder: Path, doc: Doc, item: dict, i: int) -> list[Problem]:
    relpath = item["path"]
    line = doc.line(("resources", i, "path"))
    reason = unsafe_reason(relpath)
    if reason:
        message = _('path "{path}": {reason}.', path=relpath, reason=reason)
        return [problem("unsafe-path", doc.place, message, line=line)]
    if not (folder / relpath).exists() and not (folder / relpath).is_symlink():
        message = _(
            'the file "{path}" does not exist in {folder}/.', path=relpath, folder=folder.name
        )
        return [problem("missing-file", doc.place, message, line=line)]
    reason = escapes(folder, relpath)
    if reason:
        message = _('path "{path}": {reason}.', path=relpath, reason=reason)
        return [problem("unsafe-path", doc.place, message, line=line)]
    if not (item.get("format") or file_format(relpath)):
        message = _('"{path}" is neither a .csv nor an .xlsx file.', path=relpath)
        return [problem("unknown-format", doc.place, message, line=line)]
    encoding = item.get("encoding")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            message = _('"{encoding}" is not a known text encoding.', encoding=encoding)
            hint = _("Use utf-8, utf-8-sig or windows-1252.")
            return [
                problem(
                    "invalid-value",
                    doc.place,
                    message,
                    line=doc.line(("resources", i, "encoding")),
                    hint=hint,
                )
            ]
    return []


def _resolve_schema(doc: Doc, value: Any, schemas: dict, i: int) -> tuple[dict, str, list[Problem]]:
    path = ("resources", i, "schema")
    if isinstance(value, str):
        if schemas.get(value) is not None:
            return copy.deepcopy(schemas[value]), value, []
        if value in schemas:
            message = _(
                'the schema "{name}" cannot be used until its own problems are fixed.', name=value
            )
            hint = _("Fix schemas/{name}.yaml as reported.", name=value)
            return (
                {},
                "",
                [problem("invalid-schema", doc.place, message, line=doc.line(path), hint=hint)],
            )
        known = ", ".join(sorted(schemas)) or _("none yet")
        message = _(
            'the schema "{name}" is not in schemas/ (or has problems of its own).', name=value
        )
        hint = _("Name one of: {known}; or write the schema inline.", known=known)
        return (
            {},
            "",
            [problem("schema-not-found", doc.place, message, line=doc.line(path), hint=hint)],
        )
    return value, "", check_schema(doc, value, path)


def _resource(
    folder: Path, item: dict, schema: dict, ref: str, downloaded: Path | None = None
) -> Resource:
    dialect = item.get("dialect") or {}
    url = item["path"] if downloaded else ""
    return Resource(
        name=item["name"],
        path=downloaded or folder / item["path"],
        relpath=item["path"],
        url=url,
        format=item.get("format") or (url_format(url) if url else file_format(item["path"])),
        schema=schema,
        schema_ref=ref,
        title=text(item.get("title")),
        description=text(item.get("description")),
        encoding=item.get("encoding") or "",
        delimiter=dialect.get("delimiter") or "",
        sheet=str(item.get("sheet") or ""),
    )


def _check_references(root: Path, datasets: list[Dataset]) -> list[Problem]:
    """Check that every foreign key points at a resource and fields that exist."""
    targets = {f"{d.id}/{r.name}": r for d in datasets for r in d.resources}
    found = []
    for dataset in datasets:
        for resource in dataset.resources:
            for fk in resource.schema.get("foreignKeys") or []:
                name = fk["reference"].get("resource") or ""
                full = name if "/" in name else f"{dataset.id}/{name or resource.name}"
                target = targets.get(full)
                place = _place(root, dataset.descriptor_path)
                if target is None:
                    message = _(
                        'resource "{resource}": the foreign key points at "{target}", which does not exist.',
                        resource=resource.name,
                        target=name,
                    )
                    found.append(problem("foreign-key-target", place, message))
                    continue
                fields = [f["name"] for f in target.schema.get("fields", [])]
                ref_fields = fk["reference"]["fields"]
                for field in [ref_fields] if isinstance(ref_fields, str) else ref_fields:
                    if field not in fields:
                        message = _(
                            'resource "{resource}": the foreign key points at the field "{field}" of "{target}", which has no such field.',
                            resource=resource.name,
                            field=field,
                            target=full,
                        )
                        found.append(problem("foreign-key-target", place, message))
    return found


def text(value: Any) -> Text:
    """Return a Text from a plain string or an {id, en} mapping."""
    if isinstance(value, dict):
        return Text(id=str(value.get("id") or ""), en=str(value.get("en") or ""))
    return Text(id=str(value or ""), en=str(value or ""))


def theme(value: Any) -> Text:
    """Return a theme from an {id, en} mapping, or from a plain string in Bahasa Indonesia.

    A plain string has no English text of its own: English pages fall back to it, and the
    machine-readable exports do not claim it is English.
    """
    if isinstance(value, dict):
        return text(value)
    return Text(id=str(value or ""))


def contact(value: Any) -> Contact:
    value = value or {}
    return Contact(name=str(value.get("name") or ""), email=str(value.get("email") or ""))
