"""Vietnamese site search: the token pipeline shared with the browser and the index built with lunr.py.

No MkDocs imports here: the adapter only writes what `build_search_files` returns.
"""

import ast
from pathlib import Path

from .index import SearchDoc, SitePage, build_search_files, search_docs
from .pipeline import fold, normalise, tokenize

__all__ = ["SearchDoc", "SitePage", "build_search_files", "code_fingerprint", "search_docs", "fold", "normalise", "tokenize"]


def code_fingerprint() -> bytes:
    """What the search files' format depends on: this package's code, without its import lines, so that
    moving a module it imports does not rename the published index (names are hashes: fingerprint.py)."""
    parts = []
    for source in sorted(Path(__file__).parent.glob("*.py")):
        tree = ast.parse(source.read_text("utf-8"))
        tree.body = [node for node in tree.body if not isinstance(node, ast.Import | ast.ImportFrom)]
        parts.append(ast.dump(tree))
    return "\n".join(parts).encode("utf-8")
