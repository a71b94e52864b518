"""A cache of parsed YAML files for `build.py check`: unchanged files are not parsed again.

Editors run `check` after every small edit; on a catalogue of thousands of procedures parsing is most
of the time, and almost every file is unchanged. A file is reused only when its size, content hash
and path are the same and the parser's code has not changed; anything unreadable is simply parsed
again. The cache lives in .cache/ (never published, ignored by git).
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from . import problems, yamlsource
from .yamlsource import YamlDocument, load_yaml_file

_CODE_MODULES = (yamlsource, problems)


def _code_version() -> str:
    digest = hashlib.sha256()
    for module in _CODE_MODULES:
        # The module's name too: pickled documents name their classes by module path, so a moved module
        # must not find the old entries.
        digest.update(module.__name__.encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


class ParseCache:
    """load() like yamlsource.load_yaml_file, answered from disk when the file has not changed."""

    def __init__(self, folder: Path):
        self.file = folder / "parsed-yaml.pickle"
        self.version = _code_version()
        self.entries: dict[str, tuple[int, str, str, bytes]] = {}  # path -> (size, hash, shown path, pickled document)
        self.used: set[str] = set()
        self._seen: dict[str, tuple[int, str]] = {}  # key -> (size, hash) read by lookup, for remember
        self.dirty = False
        try:
            with self.file.open("rb") as handle:
                version, entries = pickle.load(handle)
            if version == self.version:
                self.entries = entries
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            self.entries = {}

    def load(self, file: Path, display: str) -> YamlDocument:
        document = self.lookup(file, display)
        if document is None:
            document = load_yaml_file(file, display)  # raises YamlProblem with the Vietnamese message
            self.remember(file, display, document)
        return document

    def lookup(self, file: Path, display: str) -> YamlDocument | None:
        """The cached parse of an unchanged file, or None (then parse it and `remember` the result)."""
        key = str(file.absolute())  # the content folder is already resolved: no per-file realpath
        self.used.add(key)
        try:
            stat = file.stat()
            # The content's hash as well as size and time: coarse file-system clocks must not hide an edit.
            digest = hashlib.blake2b(file.read_bytes(), digest_size=16).hexdigest() if stat.st_size <= 4 * 1024 * 1024 else ""
        except OSError:
            return None  # parsing it again reports the problem in Vietnamese
        self._seen[key] = (stat.st_size, digest)
        cached = self.entries.get(key)
        if digest and cached and cached[:3] == (stat.st_size, digest, display):
            return pickle.loads(cached[3])
        return None

    def keep(self, file: Path) -> None:
        """Keep the entry of a file answered elsewhere (the preview's memo): save() drops unused ones."""
        self.used.add(str(file.absolute()))

    def remember(self, file: Path, display: str, document: YamlDocument) -> None:
        # Stored as bytes now: validation later rewrites plain scalars in place, the cache keeps the parse.
        self.remember_parse(file, display, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))

    def remember_parse(self, file: Path, display: str, parse: bytes) -> None:
        """Store a parse already pickled (by the helper process that parsed the file)."""
        key = str(file.absolute())
        if key not in self._seen:
            return
        size, digest = self._seen[key]
        self.entries[key] = (size, digest, display, parse)
        self.dirty = True

    def save(self) -> None:
        """Write the cache (only entries seen in this run); failures only cost speed next time."""
        stale = set(self.entries) - self.used
        if not self.dirty and not stale:
            return
        for key in stale:
            del self.entries[key]
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_name(self.file.name + ".tmp")
            with temporary.open("wb") as handle:
                pickle.dump((self.version, self.entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.file)
        except OSError:
            pass
