"""Turn every form definition the catalogue uses into downloadable files, once per definition."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
from pathlib import Path

from ..content import form_definition
from ..content.form_definition import FormDefinition
from ..content.formfiles import GENERATED_EXTENSIONS, generated_paths
from ..content.model import Catalogue, FormFile
from ..content.problems import Problem
from .fonts import FontMissing, find_fonts, missing_glyphs

# Process-wide, keyed by content digest: `serve` rebuilds reuse unchanged forms; several procedures
# sharing a definition (CT01) generate it once.
_CACHE: dict[str, dict[str, bytes]] = {}
generation_count = 0  # how many definitions were actually rendered in this process (for tests and stats)
_LIBRARIES = ("python-docx", "odfpy", "reportlab")


@functools.cache
def generator_version() -> str:
    """Changes with anything besides the definition that shapes the files: this package's code, the
    writing libraries' versions and the font files (the PDF embeds them)."""
    digest = hashlib.sha256()
    # form_definition.py is content's, but its constants (national name, motto, date line) are printed.
    for source in [*sorted(Path(__file__).parent.glob("*.py")), Path(form_definition.__file__)]:
        digest.update(source.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={importlib.metadata.version(library)};".encode())
    fonts = find_fonts()
    for font in (fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic):
        stat = font.stat()
        digest.update(f"{font}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:20]


class DiskCache:
    """Generated files kept between builds in .cache/forms/ (never published): the files are identical
    for identical inputs, and rendering a form takes tens of milliseconds per format."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, definition: FormDefinition) -> Path:
        return self.folder / self._file_name(definition.digest)

    def get(self, definition: FormDefinition) -> dict[str, bytes] | None:
        try:
            with self._file(definition).open("rb") as handle:
                files = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return None
        valid = isinstance(files, dict) and tuple(files) == GENERATED_EXTENSIONS
        return files if valid and all(isinstance(v, bytes) for v in files.values()) else None

    def put(self, definition: FormDefinition, files: dict[str, bytes]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self._file(definition)
            temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(target)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def prune(self, keep: set[str]) -> None:
        """Remove files of definitions no longer used, or of an older generator."""
        wanted = {self._file_name(digest) for digest in keep}
        for stale in self.folder.glob("*.pickle") if self.folder.is_dir() else ():
            if stale.name not in wanted:
                stale.unlink(missing_ok=True)

    def _file_name(self, digest: str) -> str:
        return f"{digest[:32]}-{generator_version()}.pickle"


def printable_problems(definition: FormDefinition, shown: str) -> list[Problem]:
    """The font must exist and cover every character the form prints."""
    try:
        missing = missing_glyphs(definition.all_text())
    except FontMissing as error:
        return [Problem(shown, 1, 1, "", str(error))]
    if missing:
        return [Problem(shown, 1, 1, "", f"phông chữ Liberation Serif không có các ký tự “{missing}”, tệp PDF sẽ in sai.",
                        hint="thay bằng ký tự thông dụng hoặc kiểm tra lỗi gõ.")]
    return []


def render_all(definition: FormDefinition, disk: DiskCache | None = None) -> dict[str, bytes]:
    """{".docx": …, ".odt": …, ".pdf": …} for one definition, from the caches when unchanged."""
    global generation_count
    cached = _CACHE.get(definition.digest)
    if cached is None and disk is not None:
        cached = disk.get(definition)
        if cached is not None:
            _CACHE[definition.digest] = cached
    if cached is not None:
        return cached
    from .docx_writer import render_docx
    from .odt_writer import render_odt
    from .pdf_writer import render_pdf

    pdf, pages = render_pdf(definition)  # first: its page count decides the page-number footers
    files = {".docx": render_docx(definition, pages), ".odt": render_odt(definition, pages), ".pdf": pdf}
    assert tuple(files) == GENERATED_EXTENSIONS
    _CACHE[definition.digest] = files
    generation_count += 1
    if disk is not None:
        disk.put(definition, files)
    return files


def generate_catalogue_forms(catalogue: Catalogue, cache_dir: Path | None = None) -> list[Problem]:
    """Render each definition used by a procedure and attach the files, with their real sizes, to it.

    With cache_dir, files generated by an earlier build with the same definition, code, libraries and
    fonts are read back instead of rendered again."""
    disk = DiskCache(cache_dir) if cache_dir is not None else None
    rendered: dict[str, dict[str, FormFile]] = {}
    problems: list[Problem] = []
    for procedure in catalogue.procedures:
        for form in procedure.forms:
            definition = catalogue.form_definitions.get(form.definition)
            if definition is None:
                continue
            if form.definition not in rendered:
                try:
                    files = render_all(definition, disk)
                except Exception as error:  # noqa: BLE001 - a writer's failure must name the file, not crash the build
                    message = str(error) if isinstance(error, FontMissing) else (
                        f"không sinh được tệp .docx/.odt/.pdf từ định nghĩa biểu mẫu này ({type(error).__name__}: {error}); "
                        "kiểm tra ký tự lạ hoặc nội dung quá dài trong tệp."
                    )
                    problems.append(Problem(definition.source, 1, 1, "", message))
                    files = {}
                rendered[form.definition] = {
                    path: FormFile(path, catalogue.content_dir / form.definition, len(files[ext]), data=files[ext])
                    for path, ext in zip(generated_paths(form.definition), GENERATED_EXTENSIONS, strict=True)
                } if files else {}
            procedure.form_files.update(rendered[form.definition])
    # Keep only this build's forms: a long `serve` session with many edits must not grow without bound.
    used = {catalogue.form_definitions[path].digest for path in rendered}
    for digest in [d for d in _CACHE if d not in used]:
        del _CACHE[digest]
    if disk is not None and rendered:
        disk.prune(used)
    return problems
