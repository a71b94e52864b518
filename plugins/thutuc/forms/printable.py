"""Whether the form definitions a catalogue loaded can be printed, for `check` and `build` alike.

Content loads and validates definitions (definition.load_definitions); only this package knows the
fonts, so the host asks it right after loading content (drop_unprintable).
"""

from __future__ import annotations

from ..content.model import Catalogue
from ..content.problems import Problem, Problems
from .fonts import FontMissing, find_fonts
from .generate import printable_problems


def drop_unprintable(catalogue: Catalogue, problems: Problems) -> None:
    """Report the definitions the fonts cannot print, and keep them out of catalogue.form_definitions."""
    definitions = catalogue.form_definitions
    if not definitions:
        return
    try:
        find_fonts()
    except FontMissing as error:
        # One message, at the first definition, says it all: none can be generated.
        first = definitions[min(definitions)]
        problems.add(Problem(first.source, 1, 1, "", str(error)))
        definitions.clear()
        return
    for written in sorted(definitions):
        found = printable_problems(definitions[written], definitions[written].source)
        problems.extend(found)
        if found:
            del definitions[written]
