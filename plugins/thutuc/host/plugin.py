"""The MkDocs adapter: feeds the core's catalogue into MkDocs as generated pages and files.

Everything that decides what a page says lives in the core modules; this module only maps it onto
MkDocs events, so that a change of host touches this file alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..checks.findings import collect_problems
from ..content import address_register, urls
from ..content.catalogue import LoadResult, load_catalogue
from ..content.lifecycle import build_date
from ..content.load_memo import LoadMemo
from ..content.model import Catalogue, FormFile
from ..content.pages_source import is_publishable_name, page_title_and_text
from ..content.parse_cache import ParseCache
from ..content.problems import Problem, Problems, display_path
from ..content.redirect_register import Redirect, RegisterError, checked_redirects
from ..content.site_addresses import LATE_OUTPUTS, shared_destinations, shared_message
from ..content.statistics import Statistics, load_statistics
from ..content.urls import STATISTICS as STATISTICS_URL
from ..content.urls import form_file_url
from ..editor.admin import published_files
from ..forms.generate import generate_catalogue_forms
from ..forms.printable import drop_unprintable
from ..render import budget as render_budget
from ..render import markdown as markdown_render
from ..render.fingerprint import fingerprint_assets, is_fingerprinted, precompress, search_names
from ..render.headers import Hosting
from ..render.helper_process import start_helper
from ..render.linkgraph import check_site, format_report, page_path
from ..render.markdown import MarkdownTooSlow, NoRawHtml, sanitize_page
from ..render.minify import minify_page, minify_script, minify_scripts
from ..render.page_output import PageIn, finish_pages, write_finished
from ..render.page_render import base_context, render, write_outputs
from ..search import SearchDoc, SitePage, build_search_files, search_docs
from ..search import code_fingerprint as search_code_fingerprint
from ..site.changes import FEED_PATH, changes_files
from ..site.deploy import write_deploy
from ..site.gitdates import last_commit_dates
from ..site.navigation import doc_lastmod, page_seo, sitemap_entries
from ..site.og_image import ImageCache, page_images
from ..site.pages import SiteSettings
from ..site.plan import procedure_paths, site_pages
from ..site.plan import redirect_pages as _redirect_specs
from ..site.seo import write_sitemap
from ..site.specs import BuildInputs, PageSpec
from ..site.statistics_pages import statistics_files
from ..vi.labels import date_vi
from .config import ThutucConfig
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
        self.share_images: dict[str, bytes] = {}  # og:image files by site-relative URL (og_image.py)
        self._image_cache: ImageCache | None = None
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
        self.hosting = Hosting()
        self.redirects: list[Redirect] = []  # moved addresses of the register (server 301 rules)
        self.asset_names: dict[str, str] = {}  # logical asset path -> fingerprinted name
        self._cache_root = Path(".cache")
        self._page_guard = ExitStack()  # the time limit of the ordinary page MkDocs is rendering
        self._page_source = ""
        self.today = ""  # the day lifecycle dates are judged by (lifecycle.build_date), fixed per build
        self.register_path: Path | None = None  # content/published-addresses.txt (address_register.py)
        self.next_register: address_register.Register | None = None  # written by the build command once published

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
        render_budget.start_build()
        self.today = build_date()
        self.next_register = None
        result = self.load_content(config)
        self.catalogue = result.catalogue
        self.settings = self.site_settings(config)
        self.hosting = self.hosting_settings(config)
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
            today=self.today or build_date(),
            title_suffix=owner.short_name or config.site_name,
            national_page_url=self.config.national_page_url,
            statistics_license=self.config.statistics_license,
        )

    def hosting_settings(self, config) -> Hosting:
        """What the server configurations and the page head need."""
        options = self.config.hosting
        if options.emc_site_id and not options.emc_script:
            raise PluginError("mkdocs.yml: plugins.thutuc.hosting.emc_script: cần địa chỉ https:// của tệp script giám sát (EMC) "
                              "do Bộ cấp khi đã đặt emc_site_id. Gợi ý: xem docs/trien-khai.md.")
        hosting = Hosting(site_url=config.site_url or "", emc_site_id=options.emc_site_id, emc_script=options.emc_script,
                          rating_endpoint=self.config.rating_endpoint, meta_csp=options.meta_csp)
        return hosting

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
        self._cache_root = root / ".cache"
        options = self.config.content_options(
            # The same cache as `check`: a rebuild after editing one file parses only that file.
            parse_cache=ParseCache(root / ".cache" / "check"),
            memo=self.load_memo,
            pages_dir=Path(config.docs_dir),  # only checked pages and images leave content/pages
            today=self.today,
        )
        with self._phase("load+validate"):
            result = load_catalogue((root / self.config.content_dir).resolve(), options)
            drop_unprintable(result.catalogue, result.problems)  # the forms package judges what it can print
            if result.ok:  # a broken file's code is unknown: "deleted without notice" would blame the wrong thing
                result.problems.extend(self.register_problems(result))
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

    def register_problems(self, result: LoadResult) -> list[Problem]:
        """Published procedure addresses whose procedure is gone without notice (build and `check`)."""
        catalogue = result.catalogue
        self.register_path = catalogue.content_dir / address_register.REGISTER_NAME
        register = address_register.read_register(self.register_path)
        return address_register.gone_problems(self.register_path, register, catalogue.procedures + catalogue.abolished)

    def plan_redirects(self, specs: list[PageSpec], doc_pages: dict[str, Path]) -> dict[str, str]:
        """Every address published before that is not live now, and the live address it moves to."""
        assert self.catalogue is not None and self.register_path is not None
        live = {"/" + spec.url for spec in specs if spec.in_sitemap or spec.template == "procedure.html"}
        live |= {"/" + (uri[: -len("index.md")] if uri.endswith("index.md") else uri[:-3] + "/").lstrip("/") for uri in doc_pages}
        register = address_register.read_register(self.register_path)
        outcome = address_register.update(register, live,
                                          address_register.code_targets(self.catalogue.procedures + self.catalogue.abolished))
        self.next_register = outcome.register
        try:  # this build's moved addresses, new ones included, become the server configurations' 301 rules
            self.redirects = checked_redirects(outcome.redirects, self.register_path)
        except RegisterError as error:
            raise PluginError(str(error)) from None
        return outcome.redirects

    def write_register(self) -> bool:
        """After the site was published: record its addresses (atomically). True when the register changed."""
        if self.next_register is None or self.register_path is None:
            return False
        return address_register.write_register(self.register_path, self.next_register)

    def statistics_problems(self, result: LoadResult) -> Problems:
        """Check content/thong-ke.* against the catalogue (build, preview and `check`); keep it for the pages."""
        # With broken procedure files their codes are missing: "unknown code" would blame the statistics.
        catalogue = result.catalogue
        codes = {p.code for p in catalogue.procedures + catalogue.abolished} if result.ok else None
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
        replaced: list[tuple[str, str]] = []  # authored files a generated page would silently replace
        for spec in self.plan_pages(config, files):
            existing = files.get_file_from_path(spec.src_uri)
            if existing is not None:
                if not existing.generated_by:
                    replaced.append((existing.dest_uri, display_path(Path(existing.abs_src_path))))
                files.remove(existing)
            files.append(self.page_file(config, spec))
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        # A second process draws half of the share cards, then builds the search index and result data
        # (fetched by search.js on demand; lunr.py is slow and single-threaded) while pages render here,
        # then minifies and scans rendered pages (page_output.py); its files are written in on_post_build.
        self._stop_helper()
        self.page_scans = {}
        self._helper = start_helper()
        for path, data in self.share_image_files(config, self._helper).items():
            files.append(File.generated(config, path, content=data))
        docs = self.search_documents()
        self._search_job = self._helper.submit(build_search_files, docs)
        self.asset_names = self.fingerprint(config, files, docs, self.config.minify) if self.config.hosting.fingerprint else {}
        # Editors' tools: JSON Schemas at /schema/ and, when Decap was fetched, the browser editor at /admin/.
        editor_files, with_admin = published_files(dict(self.config.authority_levels), admin=self.config.admin,
                                                   assets_option=self.config.admin_assets, root=root,
                                                   site_url=config.site_url or "",
                                                   fields={slug: f.name for slug, f in self.catalogue.fields.items()})
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
        for url, data in {**statistics_files(self.build_inputs), **changes_files(self.build_inputs)}.items():
            # the statistics page's CSV download, the Atom feed of changes
            files.append(File.generated(config, url, content=data))
        self.stats.pages = len(self.page_specs)
        self.stats.form_files = len(form_outputs)
        # Two written paths can name one address ("forms/x/a.pdf" and "x/a.pdf"): form_outputs keeps one, so
        # every written path is compared with its file here.
        written_forms = [(url, display_path(form_file.source)) for url, form_file in self.form_links()]
        self._refuse_shared_destinations(files, config, replaced + written_forms, skip=set(form_outputs))
        self.site_files = files
        return files

    def _refuse_shared_destinations(self, files: Files, config, known: list[tuple[str, str]], skip: set[str]) -> None:
        """Two files never write one address (site_addresses.py): the build stops naming both.

        known: (destination, source) pairs decided before (files already replaced, form files); skip: the
        files they stand for."""
        docs_dir = Path(config.docs_dir)
        outputs = list(known) + [(path, "tệp do hệ thống tạo") for path in LATE_OUTPUTS]
        for file in files:
            if file.src_uri in skip:
                continue
            spec = self.page_specs.get(file.src_uri)
            if spec is not None:
                source = spec.source or f"trang /{spec.url} do hệ thống tạo"
            elif file.generated_by or not file.abs_src_path:
                source = "tệp do hệ thống tạo"
            elif Path(file.abs_src_path).is_relative_to(docs_dir):
                source = display_path(Path(file.abs_src_path))
                # MkDocs leaves out a theme file that a content/pages file shadows (the favicon): name both.
                if any((Path(folder) / file.src_uri).is_file() for folder in config.theme.dirs):
                    outputs.append((file.dest_uri, f"tệp giao diện {file.src_uri}"))
            else:
                source = f"tệp giao diện {file.src_uri}"
            outputs.append((file.dest_uri, source))
        shared = shared_destinations(outputs)
        if shared:
            raise PluginError(f"Nội dung có {len(shared)} lỗi, chưa xuất bản:\n"
                              + "\n".join(shared_message(destination, sources) for destination, sources in shared))

    @staticmethod
    def fingerprint(config, files: Files, docs: list, minify: bool) -> dict[str, str]:
        """Publish CSS, JS and fonts under content-hashed names (scripts minified first, so the name is the
        hash of what is served); returns logical path -> published name."""
        assets = {}
        for file in list(files):
            if not file.generated_by and is_fingerprinted(file.src_uri):
                assets[file.src_uri] = minify_script(file.src_uri, file.content_bytes) if minify else file.content_bytes
                files.remove(file)
        names, published = fingerprint_assets(assets, search_names(docs, search_code_fingerprint()))
        for name, data in published.items():
            files.append(File.generated(config, name, content=data))
        return names

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
        self.build_inputs.redirects = self.plan_redirects(specs, doc_pages)
        specs += _redirect_specs(self.build_inputs)
        self.page_specs = {spec.src_uri: spec for spec in specs}
        return specs

    def share_image_files(self, config, helper=None) -> dict[str, bytes]:
        """og:image cards of the current catalogue by site-relative URL (og_image.py); also what pages link to.
        helper: the build's second process, which draws half of the missing cards."""
        assert self.catalogue is not None
        if self._image_cache is None:
            root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
            self._image_cache = ImageCache(root / ".cache" / "og")
        with self._phase("share images"):
            titles = {p.slug: p.display_title for p in self.catalogue.procedures}
            self.share_images = page_images(config.site_name, titles, self._image_cache, helper)
        return self.share_images

    def search_documents(self) -> list[SearchDoc]:
        """What search finds: every procedure, the statistics page and the ordinary pages (after plan_pages)."""
        assert self.catalogue is not None
        pages = [SitePage(spec.title, spec.url, spec.description) for spec in self.page_specs.values()
                 if spec.url in urls.SEARCHABLE]
        for uri, path in sorted(self.build_inputs.doc_pages.items()) if self.build_inputs else ():
            title, text = page_title_and_text(path)
            pages.append(SitePage(title, urls.doc_page_url(uri), text))
        return search_docs(self.catalogue, pages)

    def form_links(self) -> list[tuple[str, FormFile]]:
        """(public URL, file) for every path a procedure writes a form file under, duplicates included:
        the one walk form_outputs (one file per URL) and the shared-destination check both read."""
        assert self.catalogue is not None
        return [(form_file_url(written), form_file)
                for procedure in self.catalogue.procedures for written, form_file in procedure.form_files.items()]

    def form_outputs(self) -> dict[str, bytes | Path]:
        """Public URL -> the bytes of a generated form file or the path of an uploaded one (the first
        procedure's, when several link one URL): what the build hands MkDocs (so Markdown pages' links
        to them resolve) and the preview writes."""
        found: dict[str, bytes | Path] = {}
        for url, form_file in self.form_links():
            found.setdefault(url, form_file.data if form_file.data is not None else Path(form_file.source))
        return found

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        spec = self.page_specs.get(page.file.src_uri)
        if spec is not None:
            page.meta["template"] = spec.template
            page.meta["title"] = spec.title
            if spec.description:
                page.meta["description"] = spec.description
        else:
            # MkDocs renders an ordinary page between this event and on_page_content: the same time limits
            # as procedure fields (a text, a file, the build), released in on_page_content or on_build_error.
            self._release_page_guard()
            self._page_source = display_path(Path(page.file.abs_src_path)) if page.file.abs_src_path else page.file.src_uri
            self._page_guard.enter_context(render_budget.file_budget())
            self._page_guard.enter_context(render_budget.guard(markdown, markdown_render.RENDER_SECONDS))
        # Raw HTML in ordinary pages is warned about with all other problems (findings.page_warnings).
        return markdown

    def _release_page_guard(self) -> None:
        self._page_guard.close()
        self._page_guard = ExitStack()
        self._page_source = ""

    def on_page_content(self, html: str, page, config, files) -> str:
        self._release_page_guard()
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
        env.globals["urls"] = urls  # every public address, from the one module that owns them
        # Fingerprinted names (fingerprint.py): {{ 'assets/css/site.css' | asset | url }}.
        env.filters["asset"] = lambda path: self.asset_names.get(path, path)
        env.globals["meta_csp"] = self.hosting.csp(meta=True) if self.hosting.meta_csp else ""
        env.globals["emc"] = {"script": self.hosting.emc_script, "site_id": self.hosting.emc_site_id} \
            if self.hosting.emc_site_id else None
        # Announced on every page (<link rel="alternate">): the Atom feed of new and changed procedures.
        env.globals["feed_url"] = self.settings.absolute(FEED_PATH) if self.settings.site_url else ""
        # One page shell everywhere: 404.html gets no page context, so the header title, sample-data
        # banner and owner footer read the portal settings from here (pages get them again in their context).
        env.globals["portal"] = self.settings
        self.env = env
        return env

    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page, config, nav) -> dict[str, Any]:
        assert self.catalogue is not None
        context["portal"] = self.settings
        spec = self.page_specs.get(page.file.src_uri)
        if spec is not None:
            try:
                with render_budget.file_budget():  # a procedure's fields share one budget
                    context.update(spec.context())
            except MarkdownTooSlow as error:  # a slow construct validation missed: stop, name the file (cli.py)
                raise error.located(spec.source or f"/{page.url}") from None
        context.update(page_seo(page, spec, config, self.settings, context.get("json_ld"), self.share_images))
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
            self._page_jobs.append(self._helper.submit(finish_pages, self._page_batch, self.config.hosting.precompress))
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
        if isinstance(error, MarkdownTooSlow) and not error.source and self._page_source:
            error.source = self._page_source  # stopped while MkDocs rendered an ordinary page: name its file
        self._release_page_guard()
        self._stop_helper()
        self.build_error = error  # MkDocs re-raises a plugin's error as an English "Aborted…": the preview shows this one

    def on_post_build(self, config) -> None:
        site_dir = Path(config.site_dir)
        with self._phase("waiting for helper process"):
            if self._helper is not None:
                self._queue_page(None)
            search_files = self._search_job.result() if self._search_job else {}
        self._stop_helper()
        # The preview writes its later indexes with the same function (it fingerprints nothing).
        write_outputs(site_dir, {self.asset_names.get(path, path): content for path, content in search_files.items()})
        write_sitemap(site_dir, sitemap_entries(self.sitemap_items, self.settings), config.site_url or "")
        if self.config.minify and not self.asset_names:
            minify_scripts(site_dir)
        procedures = procedure_paths(self.page_specs.values())
        with self._phase("link check"):
            report = check_site(site_dir, config.site_url or "", procedures, self.config.max_clicks, scans=self.page_scans)
        if not report.ok:
            raise PluginError(format_report(report, self.config.max_clicks))
        self.stats.deepest_procedure, self.stats.deepest_clicks = report.deepest
        self.publish_hosting(site_dir)
        self.stats.timings = dict(self._timings)

    def publish_hosting(self, site_dir: Path) -> None:
        """Precompress large text files, then write the server configurations into deploy/ beside the site."""
        unknown = [r for r in self.redirects if not (site_dir / r.new.lstrip("/") / "index.html").is_file()]
        if unknown:
            raise PluginError(f"{address_register.REGISTER_NAME}: địa chỉ mới không có trang trong bản xây dựng: "
                              + ", ".join(f"{r.old} -> {r.new}" for r in unknown[:10]))
        if self.config.hosting.precompress:
            with self._phase("precompress"):
                precompress(site_dir, self._cache_root / "precompressed")
        if self.config.hosting.deploy:
            write_deploy(site_dir.parent / "deploy", self.hosting, self.redirects)
