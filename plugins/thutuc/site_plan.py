"""The list of pages the generator adds to the site: one PageSpec per page, built from the catalogue.

Each kind of page (home, field lists, procedures, and more as the site grows) contributes its specs
here; the MkDocs adapter only turns specs into MkDocs pages, so adding a page kind never touches it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from .browse import HOME, home_context
from .browse_pages import browse_pages
from .editorial import content_report
from .pages import field_views, procedure_view
from .seo import procedure_json_ld
from .site_specs import BuildInputs, PageSpec, items_key
from .statistics_pages import statistics_pages
from .statistics_view import procedure_lastmod, procedure_statistics
from .urls import CONTENT_REPORT as REPORT_URL
from .urls import FIELDS, SEARCH, browse_url, field_url


def _home(inputs: BuildInputs) -> list[PageSpec]:
    catalogue = inputs.catalogue
    return [
        PageSpec(
            url="",
            template="home.html",
            title=inputs.site_name,
            description=f"Tra cứu {len(catalogue.procedures)} thủ tục hành chính: trình tự, hồ sơ, thời hạn, phí, lệ phí, biểu mẫu.",
            context=lambda: {
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
                breadcrumbs=[HOME, ("Lĩnh vực", browse_url(FIELDS))],
                depends=items_key(view.procedures),
            )
        )
    return specs


def _procedures(inputs: BuildInputs) -> list[PageSpec]:
    specs = []
    catalogue = inputs.catalogue
    # Two procedures may share a legal name (different levels): their <title> then carries the code.
    shared_titles = {t for t, n in Counter(p.title for p in catalogue.procedures).items() if n > 1}
    by_code = catalogue.by_code()
    statistics = inputs.statistics
    for procedure in catalogue.procedures:
        updated = inputs.updated(procedure)
        figures = procedure_statistics(procedure, statistics)
        field_item = catalogue.fields.get(procedure.field)
        trail = [HOME, ("Lĩnh vực", browse_url(FIELDS))]
        if field_item:
            trail.append((field_item.name, field_url(field_item.slug)))
        specs.append(
            PageSpec(
                url=procedure.url,
                template="procedure.html",
                title=f"{procedure.title} (mã {procedure.code})" if procedure.title in shared_titles else procedure.title,
                description=procedure.description(),
                context=lambda p=procedure, u=updated, trail=trail, figures=figures: {
                    "tt": procedure_view(p, catalogue, inputs.settings, u, figures.heading if figures else ""),
                    "json_ld": procedure_json_ld(p, catalogue, inputs.settings, trail),
                    "statistics": figures,
                },
                lastmod=procedure_lastmod(procedure, statistics, updated),
                breadcrumbs=trail,
                depends=tuple(p.revision for p in (procedure, *(by_code[c] for c in procedure.related if c in by_code)))
                + ((figures.heading, figures.figures) if figures else ()),
            )
        )
    return specs


def _browse(inputs: BuildInputs) -> list[PageSpec]:
    return browse_pages(inputs)


def _search(inputs: BuildInputs) -> list[PageSpec]:
    # The results page: search.js runs the query from ?q= on load; without JavaScript it offers the
    # field lists. Results differ per query, so it stays out of the sitemap.
    catalogue = inputs.catalogue
    return [
        PageSpec(
            url=SEARCH,
            template="search.html",
            title="Tìm kiếm thủ tục",
            description=f"Tìm trong {len(catalogue.procedures)} thủ tục hành chính theo tên, mã hoặc từ khóa, có dấu hoặc không dấu.",
            context=lambda: {"fields": field_views(catalogue)},
            in_sitemap=False,
            breadcrumbs=[HOME],
            depends=inputs.listing_key,
        )
    ]


def _content_report(inputs: BuildInputs) -> list[PageSpec]:
    # For editors: not linked from the public navigation, not in the sitemap or search, noindex.
    return [
        PageSpec(
            url=REPORT_URL,
            template="content-report.html",
            title="Báo cáo nội dung",
            description="Mức độ đầy đủ của từng thủ tục, nội dung cũ, biểu mẫu còn thiếu và cảnh báo cho biên tập viên.",
            context=lambda: {"report": content_report(inputs.catalogue, inputs.dates)},
            in_sitemap=False,
        )
    ]


def _statistics(inputs: BuildInputs) -> list[PageSpec]:
    return statistics_pages(inputs)


def procedure_paths(specs) -> list[str]:
    """Site paths of the procedure pages ("/thu-tuc/x/") and of the statistics page (Art. 11.3 figures):
    what the three-click check must reach."""
    return ["/" + spec.url for spec in specs if spec.template in ("procedure.html", "statistics.html")]


# Page builders, in the order their pages are added. Append new kinds here.
PAGE_BUILDERS: list[Callable[[BuildInputs], list[PageSpec]]] = [_home, _fields, _procedures, _browse, _search, _content_report,
                                                                 _statistics]


def site_pages(inputs: BuildInputs) -> list[PageSpec]:
    return [spec for builder in PAGE_BUILDERS for spec in builder(inputs)]
