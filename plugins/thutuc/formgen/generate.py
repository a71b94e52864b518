"""Turn every form definition the catalogue uses into downloadable files, once per definition."""

from __future__ import annotations

from ..formfiles import GENERATED_EXTENSIONS, generated_paths
from ..model import Catalogue, FormFile
from ..problems import Problem
from .definition import FormDefinition
from .fonts import FontMissing, missing_glyphs

# Process-wide, keyed by content digest: `serve` rebuilds reuse unchanged forms; several procedures
# sharing a definition (CT01) generate it once.
_CACHE: dict[str, dict[str, bytes]] = {}
generation_count = 0  # how many definitions were actually rendered in this process (for tests and stats)


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


def render_all(definition: FormDefinition) -> dict[str, bytes]:
    """{".docx": …, ".odt": …, ".pdf": …} for one definition, from the cache when unchanged."""
    global generation_count
    cached = _CACHE.get(definition.digest)
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
    return files


def generate_catalogue_forms(catalogue: Catalogue) -> list[Problem]:
    """Render each definition used by a procedure and attach the files, with their real sizes, to it."""
    rendered: dict[str, dict[str, FormFile]] = {}
    problems: list[Problem] = []
    for procedure in catalogue.procedures:
        for form in procedure.forms:
            definition = catalogue.form_definitions.get(form.definition)
            if definition is None:
                continue
            if form.definition not in rendered:
                try:
                    files = render_all(definition)
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
    return problems
