"""Parse many procedure files at once, on two cores when there are many to parse.

Parsing YAML is the largest share of loading a large catalogue and each file is independent, so
when hundreds of files are not in the parse cache, a helper process parses half of them while this
process parses the other half. Results are exactly what yamlsource.load_yaml_file gives one by one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .helper_process import start_helper
from .problems import Problem
from .yamlsource import YamlDocument, YamlProblem, load_yaml_file

# Below this many files a second process costs more to start than it saves.
PARALLEL_MIN = 400


def parse_batch(items: list[tuple[str, str]]) -> list[YamlDocument | Problem]:
    """(path, shown path) -> the document, or the Problem that refused it."""
    results: list[YamlDocument | Problem] = []
    for path, shown in items:
        try:
            results.append(load_yaml_file(Path(path), shown))
        except YamlProblem as error:
            results.append(error.problem)
    return results


def load_documents(files: list[tuple[Path, str]], cache: Any = None) -> dict[Path, YamlDocument | Problem]:
    """Every file's document or problem; unchanged files come from the parse cache when one is given."""
    results: dict[Path, YamlDocument | Problem] = {}
    missing: list[tuple[Path, str]] = []
    for file, shown in files:
        document = cache.lookup(file, shown) if cache is not None else None
        if document is None:
            missing.append((file, shown))
        else:
            results[file] = document
    items = [(str(file), shown) for file, shown in missing]
    if len(items) >= PARALLEL_MIN:
        half = len(items) // 2
        with start_helper() as helper:
            other = helper.submit(parse_batch, items[half:])
            parsed = parse_batch(items[:half]) + other.result()
    else:
        parsed = parse_batch(items)
    for (file, shown), result in zip(missing, parsed, strict=True):
        results[file] = result
        if cache is not None and isinstance(result, YamlDocument):
            cache.remember(file, shown, result)
    return results
