"""Remember each dataset's checked and converted result, keyed by everything it depends on.

A rebuild then redoes only the datasets whose raw files, descriptor, schemas, referenced
tables or toolkit changed. Results are stored as pickles of our own frozen dataclasses
under `.opendata-cache/`, a folder only this tool writes; the converted files are kept
beside them and copied back, so a cached build gives the same bytes as a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from dataclasses import replace
from pathlib import Path

from opendata import __version__, i18n
from opendata.models import Catalogue, Dataset, DatasetResult

FOLDER = ".opendata-cache"
STAT_INDEX = "files.json"  # path → [size, mtime_ns, sha256], so unchanged files are not re-read


def toolkit_hash() -> str:
    """Hash the toolkit's own source, so a code change invalidates every cached result."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    # The message catalogues too: cached problems carry their translated text.
    for path in sorted([*package.rglob("*.py"), *package.glob("locales/*/LC_MESSAGES/*.po")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Cache:
    """A content-addressed store of DatasetResults and their output folders."""

    def __init__(self, catalogue: Catalogue, folder: Path | None = None, toolkit: str = "") -> None:
        self.folder = folder or catalogue.root / FOLDER
        self.catalogue = catalogue
        self.toolkit = toolkit or toolkit_hash()  # hashing the source costs ~5 ms: pass it on
        self.resources = {f"{d.id}/{r.name}": r for d in catalogue.datasets for r in d.resources}
        self.index: dict[str, list] = self._read_index()

    def key(self, dataset: Dataset) -> str:
        """Return the hash of everything the dataset's result depends on."""
        parts = {
            "toolkit": self.toolkit,
            "language": i18n.current(),  # problems are stored in the language of the build
            "descriptor": self.file_hash(dataset.descriptor_path),
            "resources": [
                {
                    "schema": r.schema,
                    "file": self.file_hash(r.path),
                    "refs": self._references(dataset, r.schema),
                }
                for r in dataset.resources
            ],
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def get(self, key: str, dataset: Dataset) -> DatasetResult | None:
        """Return the cached result, its `files` pointing into the cache, or None on a miss."""
        entry = self.folder / key
        try:
            result = pickle.loads((entry / "result.pickle").read_bytes())
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            return None
        files = entry / "files"
        if result.files and not files.is_dir():
            return None
        return replace(result, dataset=dataset, files=str(files) if result.files else "")

    def entry_files(self, key: str) -> Path:
        """Return a fresh folder to convert into; put() moves it into place."""
        folder = self.folder / f".{key}.{os.getpid()}" / "files"
        shutil.rmtree(folder.parent, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def put(self, key: str, result: DatasetResult) -> DatasetResult:
        """Store a fresh result with its files; return it pointing at the stored files.

        A failure to store only costs a miss next time.
        """
        entry = self.folder / key
        temporary = self.folder / f".{key}.{os.getpid()}"
        try:
            temporary.mkdir(parents=True, exist_ok=True)
            (temporary / "result.pickle").write_bytes(pickle.dumps(result))
            shutil.rmtree(entry, ignore_errors=True)
            os.replace(temporary, entry)
        except OSError:
            return result
        return replace(result, files=str(entry / "files") if result.files else "")

    def file_hash(self, path: Path) -> str:
        """Return the file's sha256, reusing the last one when size and mtime are unchanged."""
        stat = path.stat()
        name = str(path)
        known = self.index.get(name)
        if known and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            return known[2]
        digest = hashlib.sha256()
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                digest.update(chunk)
        self.index[name] = [stat.st_size, stat.st_mtime_ns, digest.hexdigest()]
        return digest.hexdigest()

    def save_index(self) -> None:
        """Write the stat index (after a build) so the next build skips re-reading files."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / STAT_INDEX).write_text(json.dumps(self.index, sort_keys=True))
        except OSError:
            pass

    def _read_index(self) -> dict[str, list]:
        try:
            return json.loads((self.folder / STAT_INDEX).read_text())
        except (OSError, ValueError):
            return {}

    def _references(self, dataset: Dataset, schema: dict) -> list[str]:
        hashes = []
        for fk in schema.get("foreignKeys") or []:
            name = fk["reference"].get("resource") or ""
            if name:
                target = self.resources.get(name if "/" in name else f"{dataset.id}/{name}")
                schema_text = json.dumps(target.schema, sort_keys=True) if target else ""
                hashes.append(self.file_hash(target.path) + schema_text if target else name)
        return sorted(hashes)
