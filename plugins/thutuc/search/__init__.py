"""Vietnamese site search: the token pipeline shared with the browser and the index built with lunr.py.

No MkDocs imports here: the adapter only writes what `build_search_files` returns.
"""

from .index import SearchDoc, SitePage, build_search_files, search_docs
from .pipeline import fold, normalise, tokenize

__all__ = ["SearchDoc", "SitePage", "build_search_files", "search_docs", "fold", "normalise", "tokenize"]
