"""The MkDocs adapter: feeds the core's catalogue into MkDocs as generated pages and files.

Everything that decides what a page says lives in the core modules; this module only maps it onto
MkDocs events, so that a change of host touches this file alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from .admin import published_files
from .catalogue import ContentOptions, LoadResult, load_catalogue
from .config import ThutucConfig
from .findings import collect_problems
from .formgen.generate import generate_catalogue_forms
from .gitdates import last_commit_dates
from .helper_process import start_helper
from .labels import date_vi
from .linkgraph import check_site, format_report, page_path
from .load_memo import LoadMemo
from .markdown_render import MarkdownTooSlow, NoRawHtml, sanitize_page
from .minify import minify_page
from .model import Catalogue, FormFile
from .navigation import doc_lastmod, page_seo, sitemap_entries
from .page_output import PageIn, finish_pages, write_finished
from .page_render import base_context, render, write_outputs
from .pages import SiteSettings, form_file_url
from .pages_source import is_publishable_name
from .parse_cache import ParseCache
from .problems import Problem, Problems
from .search import build_search_files, search_docs
from .seo import write_sitemap
from .site_plan import BuildInputs, PageSpec, procedure_paths, site_pages
from .statistics import STATISTICS_URL, Statistics, load_statistics
from .statistics_pages import statistics_files
from .structure import GeneratedPage

log = logging.getLogger("mkdocs.plugins.thutuc")

UNUSED_THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")
PAGE_BATCH = 64  # pages per message to the helper process: fewer, larger messages
HELPER_BACKLOG = 4  # batches waiting in the helper beyond which this process minifies pages itself


@dataclass
class BuildStats:
    procedures: int = 0
    fields: int = 0
    pages: int = 0
    form_files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    deepest_procedure: str = ""  # site path of the procedure with the most clicks from the home page
    deepest_clicks: int = 0
    # Seconds per build phase, for the benchmark (benchmarks/build_bench.py): the per-phase share of time.
    timings: dict[str, float] = field(default_factory=dict)


class _HandedOverPages(logging.Filter):
    """MkDocs logs "Page skipped … empty output" (at INFO, which `mkdocs build` shows) for every page
    on_post_page hands to the helper process; those pages are written, so the line is wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Page skipped: ")


_HANDED_OVER = _HandedOverPages()


class ThutucPlugin(BasePlugin[ThutucConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.settings = SiteSettings()
        self.stats = BuildStats()
        self.page_specs: dict[str, PageSpec] = {}
        self._dates: dict[Path, str] = {}
        self.sitemap_items: list[tuple[str, str]] = []
        self._timings: dict[str, float] = {}
        self._render_started = 0.0
        self._helper: ProcessPoolExecutor | None = None  # a second process: the machine has more than one core
        self._search_job: Future | None = None
        self._page_jobs: list[Future] = []
        self._page_batch: list[PageIn] = []
        self._rendered: list[tuple[str, str]] = []  # without a helper (the preview): (site path, HTML)
        # Set by the preview (preview.py) before it builds: keeps unchanged files' outcomes between loads.
        self.load_memo: LoadMemo | None = None
        # What MkDocs built from, kept so the preview can render single pages again later.
        self.site_files: Files | None = None
        self.site_nav: Any = None
        self.env: Any = None
        self.build_error: Exception | None = None
        self.page_scans: dict[str, Any] = {}  # the link check's scan of every page written, by site path
        self.problems = Problems()  # every error and warning of the last load (findings.collect_problems)
        self.statistics: Statistics | None = None  # content/thong-ke.* of the last load (statistics.py)
        self._statistics_problems = Problems()
        self.build_inputs: BuildInputs | None = None  # what the last plan_pages planned from

    @contextmanager
    def _phase(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self._timings[name] = self._timings.get(name, 0.0) + time.perf_counter() - started

    # -- configuration and content -------------------------------------------------------------

    def on_config(self, config):
        # Ordinary pages (content/pages/*.md) follow the content rule too: raw HTML is shown as text.
        config.markdown_extensions.append(NoRawHtml())
        logging.getLogger("mkdocs.commands.build").addFilter(_HANDED_OVER)  # adding it twice keeps one
        if config.nav is None:
            # MkDocs turns an absent (or empty) nav into one over every page, with previous/next and
            # parent links for thousands of procedures. The menu is in the theme (Art. 16): give MkDocs
            # the home page only, so its navigation costs nothing however large the catalogue.
            config.nav = ["index.md"]
        self._timings = {}
        self.problems = Problems()
        result = self.load_content(config)
        self.catalogue = result.catalogue
        self.settings = self.site_settings(config)
        with self._phase("load+validate"):
            self._dates = last_commit_dates(result.catalogue.content_dir)
        self.problems = self.collect_problems(config, result, self._dates)
        self.stats = BuildStats(
            procedures=len(self.catalogue.procedures),
            fields=len(self.catalogue.fields),
            warnings=self.problems.warnings,
        )
        return config

    def site_settings(self, config) -> SiteSettings:
        """What templates need from mkdocs.yml: the portal owner, levels, options."""
        owner = self.config.owner
        return SiteSettings(
            site_url=config.site_url or "",
            owner_name=owner.name,
            owner_address=owner.address,
            owner_phone=owner.phone,
            owner_email=owner.email,
            responsible=owner.responsible,
            area_served=owner.area_served,
            authority_levels=dict(self.config.authority_levels),
            sample_data=self.config.sample_data,
            most_used=tuple(str(code) for code in self.config.most_used),
            rating_endpoint=self.config.rating_endpoint,
        )

    def collect_problems(self, config, result: LoadResult, dates: dict[Path, str] | None = None) -> Problems:
        """Every error and warning editors are told about: the same list `build.py check` prints.

        Includes the statistics file's problems: call statistics_problems(result) first."""
        if dates is None:
            dates = last_commit_dates(result.catalogue.content_dir)
        problems = collect_problems(
            result.problems, result.catalogue, self.site_settings(config),
            Path(config.config_file_path or "mkdocs.yml").name, Path(config.docs_dir), dates, dt.date.today(),
        )
        problems.extend(self._statistics_problems)
        return problems

    def load_content(self, config) -> LoadResult:
        """Load and check content/ and generate its forms; raise PluginError (Vietnamese) on any error."""
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        options = ContentOptions(
            code_pattern=self.config.code_pattern,
            authority_levels=dict(self.config.authority_levels),
            max_form_bytes=self.config.max_form_size_mb * 1024 * 1024,
            # The same cache as `check`: a rebuild after editing one file parses only that file.
            parse_cache=ParseCache(root / ".cache" / "check"),
            memo=self.load_memo,
            pages_dir=Path(config.docs_dir),  # only checked pages and images leave content/pages
        )
        with self._phase("load+validate"):
            result = load_catalogue((root / self.config.content_dir).resolve(), options)
        for problem in result.problems.warnings:
            log.info(problem.format())
        with self._phase("load+validate"):
            statistics_problems = self.statistics_problems(result)
        if not result.ok:
            # Kept for the build command, which prints them with every warning, as `check` does.
            self.problems = self.collect_problems(config, result)
            errors = result.problems.sorted()
            raise PluginError(
                f"Nội dung có {len([p for p in errors if p.is_error])} lỗi, chưa xuất bản:\n"
                + "\n".join(p.format() for p in errors if p.is_error)
            )
        if statistics_problems.errors:
            self.problems = self.collect_problems(config, result)
            raise PluginError(f"Nội dung có {len(statistics_problems.errors)} lỗi, chưa xuất bản:\n"
                              + "\n".join(p.format() for p in statistics_problems.sorted() if p.is_error))
        # Forms written as definitions become .docx/.odt/.pdf now, so pages can show their real sizes.
        with self._phase("forms"):
            generation_problems = generate_catalogue_forms(result.catalogue, cache_dir=root / ".cache" / "forms")
        if generation_problems:
            raise PluginError("Không sinh được biểu mẫu, chưa xuất bản:\n" + "\n".join(p.format() for p in generation_problems))
        return result

    def statistics_problems(self, result: LoadResult) -> Problems:
        """Check content/thong-ke.* against the catalogue (build, preview and `check`); keep it for the pages."""
        # With broken procedure files their codes are missing: "unknown code" would blame the statistics.
        codes = {p.code for p in result.catalogue.procedures} if result.ok else None
        loaded = load_statistics(result.catalogue.content_dir, codes)
        self.statistics = loaded.statistics
        self._statistics_problems = loaded.problems
        return loaded.problems

    # -- generated pages and files ---------------------------------------------------------------

    def on_files(self, files: Files, config) -> Files:
        assert self.catalogue is not None
        # Material's own scripts, styles and search languages are not used by our templates:
        # leave them out of the site so nothing unused is published.
        docs_dir = Path(config.docs_dir)
        for file in list(files):
            if file.src_uri.startswith(UNUSED_THEME_ASSETS) and not file.generated_by:
                files.remove(file)
            elif not file.generated_by and file.abs_src_path and Path(file.abs_src_path).is_relative_to(docs_dir) \
                    and not is_publishable_name(file.src_uri):
                files.remove(file)  # content/pages was checked (pages_source.py); this only guards the way out
        self.sitemap_items = []
        for spec in self.plan_pages(config, files):
            existing = files.get_file_from_path(spec.src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(self.page_file(config, spec))
        # Search index and result data, built from the same catalogue (fetched by search.js on demand).
        # lunr.py is slow and single-threaded: a helper process builds the index while pages render here
        # (then minifies and scans rendered pages, see page_output.py); its files are written in on_post_build.
        self._stop_helper()
        self.page_scans = {}
        self._helper = start_helper()
        self._search_job = self._helper.submit(build_search_files, search_docs(self.catalogue))
        # Editors' tools: JSON Schemas at /schema/ and, when Decap was fetched, the browser editor at /admin/.
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        editor_files, with_admin = published_files(dict(self.config.authority_levels), admin=self.config.admin,
                                                   assets_option=self.config.admin_assets, root=root,
                                                   site_url=config.site_url or "")
        for path, source in editor_files.items():
            if isinstance(source, Path):
                files.append(File.generated(config, path, abs_src_path=str(source)))
            else:
                files.append(File.generated(config, path, content=source))
        if self.config.admin and not with_admin:
            log.info("Chưa có tệp Decap CMS (chạy python3 build.py để tải bằng npm): bỏ qua trang /admin/.")
        form_outputs = self.form_outputs()
        for url, source in form_outputs.items():
            if isinstance(source, Path):
                files.append(File.generated(config, url, abs_src_path=str(source)))
            else:  # generated from a form definition
                files.append(File.generated(config, url, content=source))
        for url, data in statistics_files(self.build_inputs).items():  # the statistics page's CSV download
            files.append(File.generated(config, url, content=data))
        self.stats.pages = len(self.page_specs)
        self.stats.form_files = len(form_outputs)
        self.site_files = files
        return files

    @staticmethod
    def page_file(config, spec: PageSpec) -> File:
        """The MkDocs file of a generated page, with its page object (no Markdown to read or convert)."""
        file = File.generated(config, spec.src_uri, content="")
        GeneratedPage(None, file, config)  # sets file.page
        return file

    def render_generated(self, config, spec: PageSpec) -> tuple[str, str]:
        """Render one generated page outside MkDocs' build loop (the preview), with the project's
        renderer and the context on_page_context gives in a full build. The page replaces the one of
        the same source in site_files. Returns (file path in the site, HTML)."""
        self.forget_page(spec.src_uri)
        file = self.page_file(config, spec)
        self.site_files.append(file)
        page = file.page
        page.read_source(config)  # what MkDocs' page loop does before the template, for a generated page
        self.on_page_markdown("", page, config, self.site_files)
        page.render(config, self.site_files)
        context = self.on_page_context(base_context(page, config), page, config, self.site_nav)
        return file.dest_uri, self.on_post_page(render(self.env, page.meta["template"], context), page, config)

    def forget_page(self, src_uri: str) -> tuple[str, str] | None:
        """Drop a generated page from site_files (the preview): (its file path, its URL) if it was there."""
        file = self.site_files.get_file_from_path(src_uri)
        if file is None:
            return None
        self.site_files.remove(file)
        return file.dest_uri, file.url

    def plan_pages(self, config, files: Files) -> list[PageSpec]:
        """Every generated page of the current catalogue; also what on_page_* look pages up in."""
        assert self.catalogue is not None
        doc_pages = {f.src_uri: Path(f.abs_src_path) for f in files.documentation_pages() if f.abs_src_path and not f.generated_by}
        self.build_inputs = BuildInputs(self.catalogue, self.settings, config.site_name, self._dates, doc_pages, self.statistics)
        specs = site_pages(self.build_inputs)
        self.page_specs = {spec.src_uri: spec for spec in specs}
        return specs

    def form_files(self) -> dict[str, FormFile]:
        """Public URL -> file, for every form file a procedure links to (uploaded or generated)."""
        assert self.catalogue is not None
        found: dict[str, FormFile] = {}
        for procedure in self.catalogue.procedures:
            for written, form_file in procedure.form_files.items():
                found.setdefault(form_file_url(written), form_file)
        return found

    def form_outputs(self) -> dict[str, bytes | Path]:
        """Public URL -> the bytes of a generated form file or the path of an uploaded one: what the
        build hands MkDocs (so Markdown pages' links to them resolve) and the preview writes."""
        return {url: form_file.data if form_file.data is not None else Path(form_file.source)
                for url, form_file in self.form_files().items()}

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        spec = self.page_specs.get(page.file.src_uri)
        if spec is not None:
            page.meta["template"] = spec.template
            page.meta["title"] = spec.title
            if spec.description:
                page.meta["description"] = spec.description
        # Raw HTML in ordinary pages is warned about with all other problems (findings.page_warnings).
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        # Ordinary Markdown pages go through MkDocs' Markdown, which keeps raw HTML: clean it.
        return html if page.file.src_uri in self.page_specs else sanitize_page(html)

    def on_nav(self, nav, config, files):
        self.site_nav = nav  # kept for the preview, which renders single pages later
        return nav

    def on_env(self, env, config, files):
        # MkDocs creates its Jinja environment without autoescape; every value from content must be
        # escaped, so turn it on for all templates. Sanitised HTML reaches templates as Markup.
        env.autoescape = True
        env.filters["date_vi"] = date_vi
        # The footer links the statistics page from every page (also 404.html, which gets no page context).
        env.globals["statistics_url"] = STATISTICS_URL if self.statistics is not None else ""
        self.env = env
        return env

    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page, config, nav) -> dict[str, Any]:
        assert self.catalogue is not None
        context["portal"] = self.settings
        spec = self.page_specs.get(page.file.src_uri)
        if spec is not None:
            try:
                context.update(spec.context())
            except MarkdownTooSlow as error:  # a slow construct validation missed: stop, name the page
                raise PluginError(f"Trang /{page.url}: {error}") from None
        context.update(page_seo(page, spec, config, self._dates))
        if spec is None or spec.in_sitemap:
            lastmod = spec.lastmod if spec is not None else doc_lastmod(page.meta, page.file.abs_src_path, self._dates)
            self.sitemap_items.append((page.url, lastmod))
        self._render_started = time.perf_counter()
        return context

    @event_priority(-100)  # last: it may hand the page to the helper process and return nothing to write
    def on_post_page(self, output: str, page, config) -> str:
        self._timings["render"] = self._timings.get("render", 0.0) + time.perf_counter() - self._render_started
        path = page_path(page.file.dest_uri)
        if self._helper is None:  # the preview: no minifying, the caller scans (take_rendered)
            self._rendered.append((path, output))
            return output
        if not self.config.minify:
            self._queue_page((None, path, output))
            return output
        if len(self._page_jobs) > HELPER_BACKLOG:
            # The helper is busy (first with the search index): minify here and let it only scan.
            with self._phase("minify"):
                output = minify_page(output)
            self._queue_page((None, path, output))
            return output
        # Minified and written by finish_pages/write_finished; an empty result tells MkDocs not to write.
        self._queue_page((page.file.abs_dest_path, path, output))
        return ""

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        # The theme's own pages (404.html) are minified like the others.
        if self.config.minify and template_name.endswith(".html") and output_content.strip():
            return minify_page(output_content)
        return output_content

    def _queue_page(self, item: PageIn | None) -> None:
        """Hand rendered pages to the helper in batches (fewer, larger messages); write what came back."""
        if item is not None:
            self._page_batch.append(item)
        if self._page_batch and (item is None or len(self._page_batch) >= PAGE_BATCH):
            self._page_jobs.append(self._helper.submit(finish_pages, self._page_batch))
            self._page_batch = []
        # Finished batches are written as they arrive, so memory does not hold the whole site.
        while self._page_jobs and (item is None or self._page_jobs[0].done()):
            write_finished(self._page_jobs.pop(0).result(), self.page_scans)

    def take_rendered(self) -> list[tuple[str, str]]:
        """Pages rendered without a helper process since the last call, as (site path, HTML)."""
        rendered, self._rendered = self._rendered, []
        return rendered

    def _stop_helper(self) -> None:
        if self._helper is not None:
            self._helper.shutdown(wait=True, cancel_futures=True)
        self._helper = self._search_job = None
        self._page_jobs, self._page_batch = [], []

    def on_build_error(self, error) -> None:
        self._stop_helper()
        self.build_error = error  # MkDocs re-raises a plugin's error as an English "Aborted…": the preview shows this one

    def on_post_build(self, config) -> None:
        site_dir = Path(config.site_dir)
        with self._phase("waiting for helper process"):
            if self._helper is not None:
                self._queue_page(None)
            search_files = self._search_job.result() if self._search_job else {}
        self._stop_helper()
        write_outputs(site_dir, search_files)  # the preview writes its later indexes with the same function
        write_sitemap(site_dir, sitemap_entries(self.sitemap_items, self.settings), config.site_url or "")
        procedures = procedure_paths(self.page_specs.values())
        with self._phase("link check"):
            report = check_site(site_dir, config.site_url or "", procedures, self.config.max_clicks, scans=self.page_scans)
        if not report.ok:
            raise PluginError(format_report(report, self.config.max_clicks))
        self.stats.deepest_procedure, self.stats.deepest_clicks = report.deepest
        self.stats.timings = dict(self._timings)
