"""Parse and judge many procedure files at once, on two cores when there are many of them.

Parsing the YAML and then judging each file (overlay, schema, model, its own checks) is most of the
time of loading a large catalogue, and every file is independent. When hundreds of files are not in
the parse cache, a helper process takes a share of them while this process does the rest. The
results are exactly what judging the files one by one gives.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..render.helper_process import start_helper
from .problems import Problem
from .yamlsource import YamlDocument, YamlProblem, load_yaml_file

# Below this many files a second process costs more to start than it saves.
PARALLEL_MIN = 400
# The helper's share, measured on 2,000 files: the helper first spends a few tenths of a second starting.
HELPER_SHARE = 0.45

# (parsed document or the Problem that refused it, file, shown path, context) -> the file's outcome.
Judge = Callable[[YamlDocument | Problem, Path, str, Any], Any]


def judge_batch(items: list[tuple[str, str]], context: Any, judge: Judge, keep_parse: bool) -> list[tuple[Any, bytes | None]]:
    """(path, shown path) -> (outcome, the pickled parse for the parse cache when keep_parse)."""
    results: list[tuple[Any, bytes | None]] = []
    for path, shown in items:
        file = Path(path)
        try:
            document = load_yaml_file(file, shown)
        except YamlProblem as error:
            results.append((judge(error.problem, file, shown, context), None))
            continue
        # Pickled before judging: validation rewrites plain scalars in place, the cache keeps the parse.
        parse = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL) if keep_parse else None
        results.append((judge(document, file, shown, context), parse))
    return results


def judge_files(files: list[tuple[Path, str]], context: Any, judge: Judge, cache: Any = None) -> dict[Path, Any]:
    """Every file's outcome; unchanged files are not parsed again when a parse cache is given."""
    results: dict[Path, Any] = {}
    unparsed: list[tuple[Path, str]] = []
    for file, shown in files:
        document = cache.lookup(file, shown) if cache is not None else None
        if document is None:
            unparsed.append((file, shown))
        else:
            results[file] = judge(document, file, shown, context)
    items = [(str(file), shown) for file, shown in unparsed]
    keep = cache is not None
    if len(items) >= PARALLEL_MIN:
        split = round(len(items) * (1 - HELPER_SHARE))
        with start_helper() as helper:
            other = helper.submit(judge_batch, items[split:], context, judge, keep)
            judged = judge_batch(items[:split], context, judge, keep) + other.result()
    else:
        judged = judge_batch(items, context, judge, keep)
    for (file, shown), (outcome, parse) in zip(unparsed, judged, strict=True):
        results[file] = outcome
        if cache is not None and parse is not None:
            cache.remember_parse(file, shown, parse)
    return results
