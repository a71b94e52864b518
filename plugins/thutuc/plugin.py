"""The MkDocs adapter: feeds the core's catalogue into MkDocs as generated pages and files.

Everything that decides what a page says lives in the core modules; this module only maps it onto
MkDocs events, so that a change of host touches this file alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from .catalogue import ContentOptions, load_catalogue
from .config import ThutucConfig
from .gitdates import last_commit_dates
from .labels import date_vi
from .model import Catalogue
from .pages import SiteSettings, field_url, field_views, form_file_url, procedure_view
from .problems import Problem

log = logging.getLogger("mkdocs.plugins.thutuc")

UNUSED_THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")


@dataclass
class BuildStats:
    procedures: int = 0
    fields: int = 0
    pages: int = 0
    form_files: int = 0
    warnings: list[Problem] = field(default_factory=list)


class ThutucPlugin(BasePlugin[ThutucConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.settings = SiteSettings()
        self.stats = BuildStats()
        self._pages: dict[str, tuple[str, Any]] = {}
        self._dates: dict[Path, str] = {}

    # -- configuration and content -------------------------------------------------------------

    def on_config(self, config):
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        content_dir = (root / self.config.content_dir).resolve()
        options = ContentOptions(
            code_pattern=self.config.code_pattern,
            authority_levels=dict(self.config.authority_levels),
            max_form_bytes=self.config.max_form_size_mb * 1024 * 1024,
        )
        result = load_catalogue(content_dir, options)
        for problem in result.problems.warnings:
            log.info(problem.format())
        if not result.ok:
            errors = result.problems.sorted()
            raise PluginError(
                f"Nội dung có {len([p for p in errors if p.is_error])} lỗi, chưa xuất bản:\n"
                + "\n".join(p.format() for p in errors if p.is_error)
            )
        self.catalogue = result.catalogue
        owner = self.config.owner
        self.settings = SiteSettings(
            site_url=config.site_url or "",
            owner_name=owner.name,
            owner_address=owner.address,
            owner_phone=owner.phone,
            owner_email=owner.email,
            responsible=owner.responsible,
            area_served=owner.area_served,
            authority_levels=dict(self.config.authority_levels),
            sample_data=self.config.sample_data,
        )
        self._dates = last_commit_dates(content_dir)
        self.stats = BuildStats(
            procedures=len(self.catalogue.procedures),
            fields=len(self.catalogue.fields),
            warnings=result.problems.warnings,
        )
        return config

    # -- generated pages and files ---------------------------------------------------------------

    def _add_page(self, files: Files, config, src_uri: str, kind: str, obj: Any) -> None:
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=""))
        self._pages[src_uri] = (kind, obj)

    def on_files(self, files: Files, config) -> Files:
        assert self.catalogue is not None
        # Material's own scripts, styles and search languages are not used by our templates:
        # leave them out of the site so nothing unused is published.
        for file in list(files):
            if file.src_uri.startswith(UNUSED_THEME_ASSETS) and not file.generated_by:
                files.remove(file)
        self._pages = {}
        self._add_page(files, config, "index.md", "home", None)
        for view in field_views(self.catalogue):
            self._add_page(files, config, field_url(view.field.slug) + "index.md", "field", view)
        copied: set[str] = set()
        for procedure in self.catalogue.procedures:
            self._add_page(files, config, procedure.url + "index.md", "procedure", procedure)
            for written, form_file in procedure.form_files.items():
                url = form_file_url(written)
                if url not in copied:
                    copied.add(url)
                    files.append(File.generated(config, url, abs_src_path=str(form_file.source)))
        self.stats.pages = len(self._pages)
        self.stats.form_files = len(copied)
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        entry = self._pages.get(page.file.src_uri)
        if entry is None:
            return markdown
        kind, obj = entry
        page.meta["template"] = f"{kind}.html"
        if kind == "procedure":
            page.meta["title"] = obj.title
            page.meta["description"] = obj.description()
        elif kind == "field":
            page.meta["title"] = obj.field.name
        else:
            page.meta["title"] = config.site_name
        return markdown

    def on_env(self, env, config, files):
        env.filters["date_vi"] = date_vi
        return env

    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page, config, nav) -> dict[str, Any]:
        assert self.catalogue is not None
        context["portal"] = self.settings
        entry = self._pages.get(page.file.src_uri)
        if entry is None:
            return context
        kind, obj = entry
        if kind == "procedure":
            updated = obj.updated or self._dates.get(obj.source_file, "")
            context["tt"] = procedure_view(obj, self.catalogue, self.settings, updated)
        elif kind == "field":
            context["field_view"] = obj
        elif kind == "home":
            context["fields"] = field_views(self.catalogue)
            context["procedure_count"] = len(self.catalogue.procedures)
        return context

