"""Load every form definition of the content tree once, for `check` and `build` alike."""

from __future__ import annotations

from pathlib import Path

from ..formfiles import DEFINITION_SUFFIX
from ..problems import Problem, Problems, display_path
from .definition import FormDefinition, load_definition
from .fonts import FontMissing, find_fonts
from .generate import printable_problems


def load_definitions(content_dir: Path, referenced: dict[str, Path], problems: Problems) -> dict[str, FormDefinition]:
    """Valid definitions by their path relative to content/; problems of every definition are reported.

    Definitions under content/forms/ that no procedure uses yet are checked too, so an editor sees
    mistakes before linking one.
    """
    files = dict(referenced)
    forms_dir = content_dir / "forms"
    if forms_dir.is_dir():
        for file in sorted(forms_dir.rglob("*" + DEFINITION_SUFFIX)):
            if file.is_file() and not file.is_symlink():
                files.setdefault(file.relative_to(content_dir).as_posix(), file)
    definitions: dict[str, FormDefinition] = {}
    font_missing, reported = "", False
    if files:
        try:
            find_fonts()
        except FontMissing as error:
            font_missing = str(error)
    for written, file in sorted(files.items()):
        shown = display_path(file)
        definition, found = load_definition(file, written, shown)
        if definition is not None and font_missing:
            # One message, at the first definition, says it all: none can be generated.
            found = [] if reported else [Problem(shown, 1, 1, "", font_missing)]
            reported, definition = True, None
        elif definition is not None:
            found = printable_problems(definition, shown)
        problems.extend(found)
        if definition is not None and not found:
            definitions[written] = definition
    return definitions
