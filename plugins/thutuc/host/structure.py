"""MkDocs page objects for the pages the plugin generates (as Material's blog plugin has its own Post).

A generated page's HTML comes from a theme template and a site.specs.PageSpec, never from Markdown.
MkDocs would still read an empty source and build a Markdown converter for each page, which is
about a fifth of a 10,000-procedure build; these pages skip both.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc


class GeneratedPage(Page):
    def read_source(self, config) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config, files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}
