"""The list of pages the generator adds to the site: one PageSpec per page, built from the catalogue.

Each kind of page (home, field lists, procedures, and more as the site grows) contributes its specs
here; the MkDocs adapter only turns specs into MkDocs pages, so adding a page kind never touches it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .browse import HOME, home_context
from .model import Catalogue
from .og_image import image_url
from .pages import SiteSettings, field_url, field_views, procedure_view
from .seo import procedure_description
from .statistics import Statistics
from .statistics_view import procedure_lastmod, procedure_statistics
from .structured_data import home_graph, procedure_graph


@dataclass
class PageSpec:
    """One generated page: where it lives, which template renders it, and what the template gets."""

    url: str  # site-relative with trailing slash ("thu-tuc/x/"), "" for the home page
    template: str  # file name in theme/, e.g. "procedure.html"
    title: str
    description: str = ""
    # Called once when the page renders: keeps memory flat for large catalogues.
    # "json_ld" in it is a list of schema.org dicts; navigation.page_seo adds the BreadcrumbList.
    context: Callable[[], dict[str, Any]] = field(default=lambda: {})
    in_sitemap: bool = True  # False: the page carries noindex instead (one rule, tested on every page)
    robots: str = "noindex,follow"  # the robots meta of a page left out of the sitemap
    image: str = ""  # its own og:image (og_image.image_url); "" shares the site's card
    lastmod: str = ""  # YYYY-MM-DD from content or git, never the build time
    # Ancestors shown in the breadcrumbs partial, home first: [("Trang chủ", ""), ("Lĩnh vực", "linh-vuc/")].
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    # What the page shows of the catalogue besides the fields above, as a value that changes when that
    # does: the revisions of a procedure and its related ones, or the listing key of list pages.
    # None: the page reads everything (the content report) and is always rendered again.
    depends: Hashable | None = None

    def key(self) -> tuple | None:
        """Equal keys mean equal pages while settings, site lists, forms and templates stay the same: the
        preview renders again only pages whose key changed."""
        if self.depends is None:
            return None
        return (self.template, self.title, self.description, self.lastmod, self.in_sitemap, tuple(self.breadcrumbs), self.depends)

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"


def items_key(procedures) -> int:
    """Changes when what a list shows of these procedures changes (browse.procedure_item and field.html:
    title, link, code, level, field) or their order. Valid within one process."""
    return hash(tuple((p.code, p.title, p.short_title, p.url, p.level, p.field) for p in procedures))


@dataclass
class BuildInputs:
    """Everything page builders may read."""

    catalogue: Catalogue
    settings: SiteSettings
    site_name: str
    dates: dict[Path, str] = field(default_factory=dict)  # last commit date per content file
    doc_pages: dict[str, Path] = field(default_factory=dict)  # authored Markdown pages: src_uri -> file
    statistics: Statistics | None = None  # content/thong-ke.*: figures on online procedure pages and /thong-ke/

    def updated(self, procedure) -> str:
        return procedure.updated or self.dates.get(procedure.source_file, "")

    @cached_property
    def listing_key(self) -> int:
        """Changes when anything list pages show of any procedure changes (names, links, groupings,
        dates), not when only a procedure's own page content does. Valid within one process."""
        return hash(tuple(
            (p.code, p.title, p.short_title, p.url, p.field, p.level, p.online, p.online_url, p.authority_levels, tuple(p.agencies.items()),
             p.audiences, p.life_events, p.related, self.updated(p))
            for p in self.catalogue.procedures
        ))


def _home(inputs: BuildInputs) -> list[PageSpec]:
    catalogue = inputs.catalogue
    description = f"Tra cứu {len(catalogue.procedures)} thủ tục hành chính: trình tự, hồ sơ, thời hạn, phí, lệ phí, biểu mẫu."
    return [
        PageSpec(
            url="",
            template="home.html",
            title=inputs.site_name,
            description=description,
            context=lambda: {
                "json_ld": [home_graph(inputs.settings, inputs.site_name, description)],
                "fields": field_views(catalogue),
                "procedure_count": len(catalogue.procedures),
                **home_context(catalogue, inputs.settings.authority_levels, inputs.settings.most_used),
            },
            lastmod=max((inputs.updated(p) for p in catalogue.procedures), default=""),
            depends=inputs.listing_key,
        )
    ]


def _fields(inputs: BuildInputs) -> list[PageSpec]:
    specs = []
    for view in field_views(inputs.catalogue):
        specs.append(
            PageSpec(
                url=view.url,
                template="field.html",
                title=view.field.name,
                description=f"Danh sách {len(view.procedures)} thủ tục hành chính lĩnh vực {view.field.name}.",
                context=lambda view=view: {"field_view": view},
                lastmod=max((inputs.updated(p) for p in view.procedures), default=""),
                breadcrumbs=[HOME, ("Lĩnh vực", "linh-vuc/")],
                depends=items_key(view.procedures),
            )
        )
    return specs


def _procedures(inputs: BuildInputs) -> list[PageSpec]:
    specs = []
    catalogue = inputs.catalogue
    # Two procedures may share a legal name (different levels): their <title> then carries the code.
    shared_titles = {t for t, n in Counter(p.display_title for p in catalogue.procedures).items() if n > 1}
    by_code = catalogue.by_code()
    statistics = inputs.statistics
    # A procedure with no `updated` outside git still gets a date (sitemap lastmod, JSON-LD dateModified).
    newest = max((inputs.updated(p) for p in catalogue.procedures), default="")
    for procedure in catalogue.procedures:
        updated = inputs.updated(procedure)
        figures = procedure_statistics(procedure, statistics)
        field_item = catalogue.fields.get(procedure.field)
        trail = [HOME, ("Lĩnh vực", "linh-vuc/")]
        if field_item:
            trail.append((field_item.name, field_url(field_item.slug)))
        title = procedure.display_title
        description = procedure_description(procedure, catalogue)
        lastmod = procedure_lastmod(procedure, statistics, updated) or newest
        specs.append(
            PageSpec(
                url=procedure.url,
                template="procedure.html",
                title=f"{title} (mã {procedure.code})" if title in shared_titles else title,
                description=description,
                context=lambda p=procedure, u=updated, trail=trail, figures=figures, d=description, m=lastmod: {
                    "tt": procedure_view(p, catalogue, inputs.settings, u),
                    "json_ld": [procedure_graph(p, catalogue, inputs.settings, d, m, trail, inputs.site_name)],
                    "statistics": figures,
                },
                lastmod=lastmod,
                image=image_url(procedure.slug),
                breadcrumbs=trail,
                depends=tuple(p.revision for p in (procedure, *(by_code[c] for c in procedure.related if c in by_code)))
                + ((figures.heading, figures.figures) if figures else ()),
            )
        )
    return specs


def _browse(inputs: BuildInputs) -> list[PageSpec]:
    # Imported here: browse_pages builds on PageSpec and BuildInputs defined above.
    from .browse_pages import browse_pages

    return browse_pages(inputs)


def _index_pages(inputs: BuildInputs) -> list[PageSpec]:
    # Imported here like browse_pages: index_pages builds on PageSpec and BuildInputs defined above.
    from .index_pages import index_pages

    return index_pages(inputs)


def _search(inputs: BuildInputs) -> list[PageSpec]:
    # The results page: search.js runs the query from ?q= on load; without JavaScript it offers the
    # field lists. Listed in the sitemap and indexable: without a query it is a real landing page (the
    # search box and every field), its canonical URL has no query so ?q= variants fold into it, and
    # Lighthouse's SEO audit fails any noindex page.
    catalogue = inputs.catalogue
    return [
        PageSpec(
            url="tim-kiem/",
            template="search.html",
            title="Tìm kiếm thủ tục",
            description=f"Tìm trong {len(catalogue.procedures)} thủ tục hành chính theo tên, mã hoặc từ khóa, có dấu hoặc không dấu.",
            context=lambda: {"fields": field_views(catalogue)},
            lastmod=max((inputs.updated(p) for p in catalogue.procedures), default=""),
            breadcrumbs=[HOME],
            depends=inputs.listing_key,
        )
    ]


def _content_report(inputs: BuildInputs) -> list[PageSpec]:
    # For editors: not linked from the public navigation, not in the sitemap or search, noindex.
    from .editorial import REPORT_URL, content_report

    return [
        PageSpec(
            url=REPORT_URL,
            template="content-report.html",
            title="Báo cáo nội dung",
            description="Mức độ đầy đủ của từng thủ tục, nội dung cũ, biểu mẫu còn thiếu và cảnh báo cho biên tập viên.",
            context=lambda: {"report": content_report(inputs.catalogue, inputs.dates)},
            in_sitemap=False,
            robots="noindex",
        )
    ]


def _statistics(inputs: BuildInputs) -> list[PageSpec]:
    # Imported here like browse_pages: the statistics page builds on PageSpec and BuildInputs above.
    from .statistics_pages import statistics_pages

    return statistics_pages(inputs)


def procedure_paths(specs) -> list[str]:
    """Site paths of the procedure pages ("/thu-tuc/x/") and of the statistics page (Art. 11.3 figures):
    what the three-click check must reach."""
    return ["/" + spec.url for spec in specs if spec.template in ("procedure.html", "statistics.html")]


# Page builders, in the order their pages are added. Append new kinds here.
PAGE_BUILDERS: list[Callable[[BuildInputs], list[PageSpec]]] = [_home, _fields, _procedures, _browse, _index_pages, _search,
                                                                 _content_report,
                                                                 _statistics]


def site_pages(inputs: BuildInputs) -> list[PageSpec]:
    return [spec for builder in PAGE_BUILDERS for spec in builder(inputs)]
