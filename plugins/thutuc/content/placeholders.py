"""Placeholders left by `build.py new`: text starting with TODO is an error until an editor replaces it.

A scaffold therefore never publishes unfilled; the message repeats the instruction written after TODO.
"""

from __future__ import annotations

from typing import Any

from .problems import Problem
from .yamlsource import Location, YamlDocument, location_text

MARKER = "TODO"


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip().startswith(MARKER)


def placeholder(instruction: str) -> str:
    return f"{MARKER}: {instruction}"


def _walk(value: Any, location: Location):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, location + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, location + (index,))
    elif is_placeholder(value):
        yield location, value


def placeholder_problems(document: YamlDocument) -> list[tuple[Location, Problem]]:
    """One error per unfilled placeholder, located where it is written."""
    found: list[tuple[Location, Problem]] = []
    if MARKER not in repr(document.data):  # one C-speed scan instead of a Python walk for most files
        return found
    for location, value in _walk(document.data, ()):
        instruction = value.strip()[len(MARKER):].lstrip(" :")
        path, line, column = document.locate(location)
        found.append(
            (
                location,
                Problem(path, line, column, location_text(location), "mục này chưa được điền (còn chữ TODO).",
                        hint=f"ghi {instruction}." if instruction else "thay chữ TODO bằng nội dung thật."),
            )
        )
    return found


def drop_covered(problems: list[Problem], locations: list[Location]) -> list[Problem]:
    """Schema errors at or under a placeholder say the same thing less clearly: keep the placeholder's."""
    keys = [location_text(loc) for loc in locations]
    return [p for p in problems if not any(p.key == k or p.key.startswith(k + ".") or p.key.startswith(k + "[") for k in keys)]
