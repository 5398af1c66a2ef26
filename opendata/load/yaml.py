"""Read YAML safely and remember the line of every key, so problems can name it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from opendata.errors import problem
from opendata.i18n import N_, _
from opendata.models import Problem

MAX_BYTES = 1024 * 1024  # descriptors are small; a larger file is a mistake or an attack
MAX_NODES = 100_000  # expanding aliases past this many values is an alias bomb
MAX_DEPTH = 64

PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Doc:
    """A parsed descriptor file: its data and the line of each key path."""

    place: str  # the file, as shown to users
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, path: Key) -> int | None:
        """Return the line of `path`, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


# PyYAML's most common complaints, so they can be shown in the officer's language.
YAML_PROBLEMS = (
    N_("the YAML cannot be read"),
    N_("mapping values are not allowed here"),
    N_("could not find expected ':'"),
    N_("found character '\\t' that cannot start any token"),
    N_("found undefined alias"),
    N_("found duplicate anchor; first occurrence"),
    N_("found unexpected end of stream"),
    N_("found unknown escape character"),
    N_("expected <block end>, but found '-'"),
    N_("expected <block end>, but found '<block mapping start>'"),
    N_("expected <block end>, but found '<scalar>'"),
    N_("expected ',' or ']', but got '<stream end>'"),
    N_("expected ',' or '}', but got '<stream end>'"),
    N_("while scanning a quoted scalar"),
    N_("while parsing a block mapping"),
    N_("while scanning a simple key"),
)


MERGE_TAG = "tag:yaml.org,2002:merge"


class _TooBig(Exception):
    pass


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: int, second: int) -> None:
        super().__init__(key)
        self.key, self.first, self.second = key, first, second


def read_yaml(path: Path, place: str) -> Doc | Problem:
    """Parse a YAML (or JSON) file without running any of its tags, or say what is wrong."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # never more, whatever the size claims
        if len(data) > MAX_BYTES:
            message = _("the file is larger than 1 MiB.")
            hint = _("A descriptor holds metadata only: keep long texts and tables in data files.")
            return problem("unsafe-yaml", place, message, hint=hint)
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _("byte offset {offset} is not valid UTF-8.", offset=exc.start)
        return problem("encoding-error", place, message)
    except OSError as exc:
        message = _("cannot read the file ({reason}).", reason=exc.strerror)
        return problem("missing-file", place, message)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Key, int] = {}
        counter = [0]
        data = _build(loader, node, (), lines, counter) if node is not None else None
        return Doc(place, data, lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or N_("the YAML cannot be read")
        slug = "unsafe-yaml" if "tag" in what else "broken-yaml"
        return problem(slug, place, _(what) + ".", line=line)
    except yaml.YAMLError as exc:
        return problem("broken-yaml", place, f"{exc}.")
    except _TooBig as exc:
        return problem("unsafe-yaml", place, str(exc))
    except _DuplicateKey as exc:
        message = _(
            'the key "{key}" appears twice, on lines {first} and {second}.',
            key=exc.key,
            first=exc.first,
            second=exc.second,
        )
        return problem("duplicate-key", place, message, line=exc.second)
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Key, lines: dict, counter: list) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES or len(path) > MAX_DEPTH:
        raise _TooBig(_("the YAML expands to too many values (aliases nested too deeply)."))
    lines.setdefault(path, node.start_mark.line + 1)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(
            None, None, _("the tag {tag} is not allowed", tag=node.tag), node.start_mark
        )
    if isinstance(node, yaml.MappingNode):
        _refuse_duplicate_keys(loader, node)
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, _("a key must be a plain value"), key_node.start_mark
                )
            key = str(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(loader, value_node, (*path, key), lines, counter)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, i), lines, counter) for i, item in enumerate(node.value)
        ]
    value = loader.construct_object(node, deep=True)
    if hasattr(value, "isoformat"):  # YAML turns 2024-01-31 into a date; descriptors keep text
        return value.isoformat()
    return value


def _refuse_duplicate_keys(loader: yaml.SafeLoader, node: yaml.MappingNode) -> None:
    """Raise _DuplicateKey for a key written twice in this mapping.

    PyYAML keeps the last value without a word, so `title: x` then `title: y` would
    publish y. Keys brought in by a merge (`<<: *base`) may be overridden on purpose.
    """
    seen: dict[str, int] = {}
    for key_node, _value in node.value:
        if key_node.tag == MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = str(loader.construct_object(key_node, deep=True))
        line = key_node.start_mark.line + 1
        if key in seen:
            raise _DuplicateKey(key, seen[key], line)
        seen[key] = line
