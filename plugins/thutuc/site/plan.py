"""The list of pages the generator adds to the site: one PageSpec per page, built from the catalogue.

Each kind of page (home, field lists, procedures, and more as the site grows) contributes its specs
here; the MkDocs adapter only turns specs into MkDocs pages, so adding a page kind never touches it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..content.editorial import content_report
from ..content.urls import CHANGES as CHANGES_URL
from ..content.urls import CONTENT_REPORT as REPORT_URL
from ..content.urls import FIELDS, SEARCH, browse_url, field_url
from .browse import HOME, home_context
from .browse_pages import browse_pages
from .index_pages import index_pages
from .og_image import image_url
from .pages import field_views, procedure_view
from .seo import procedure_description
from .specs import BuildInputs, PageSpec, items_key
from .statistics_pages import statistics_pages
from .statistics_view import procedure_lastmod, procedure_statistics
from .structured_data import home_graph, procedure_graph


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
                breadcrumbs=[HOME, ("Lĩnh vực", browse_url(FIELDS))],
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
        trail = [HOME, ("Lĩnh vực", browse_url(FIELDS))]
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
                    "tt": procedure_view(p, catalogue, inputs.settings, u, figures.heading if figures else ""),
                    "json_ld": [procedure_graph(p, catalogue, inputs.settings, d, m, trail, inputs.site_name)],
                    "statistics": figures,
                },
                lastmod=lastmod,
                image=image_url(procedure.slug),
                breadcrumbs=trail,
                source=procedure.source_path,
                depends=tuple(p.revision for p in (procedure, *(by_code[c] for c in procedure.related if c in by_code)))
                + ((figures.heading, figures.figures) if figures else ()) + (procedure.upcoming_note,),
            )
        )
    for procedure in catalogue.abolished:
        specs.append(_notice(inputs, procedure))
    return specs


def _notice(inputs: BuildInputs, procedure) -> PageSpec:
    """An abolished procedure keeps its address: a notice naming the decision and linking the replacements,
    then the old facts for reference. Out of the sitemap, noindex, no GovernmentService JSON-LD."""
    catalogue = inputs.catalogue
    by_code = catalogue.by_code()
    replacements = procedure.abolition.replaced_by if procedure.abolition else ()
    return PageSpec(
        url=procedure.url,
        template="procedure.html",
        title=f"{procedure.title} (đã bãi bỏ)",
        description=f"Thủ tục {procedure.title} (mã {procedure.code}) đã bị bãi bỏ; xem thủ tục thay thế và thông tin cũ để tham khảo.",
        context=lambda p=procedure: {"tt": procedure_view(p, catalogue, inputs.settings, inputs.updated(p)), "noindex": True},
        in_sitemap=False,
        breadcrumbs=[HOME, ("Thủ tục mới và thay đổi", CHANGES_URL)],
        depends=tuple(p.revision for p in (procedure, *(by_code[c] for c in replacements if c in by_code))),
    )


def _browse(inputs: BuildInputs) -> list[PageSpec]:
    return browse_pages(inputs)


def _index_pages(inputs: BuildInputs) -> list[PageSpec]:
    return index_pages(inputs)


def _search(inputs: BuildInputs) -> list[PageSpec]:
    # The results page: search.js runs the query from ?q= on load; without JavaScript it offers the
    # field lists. Listed in the sitemap and indexable: without a query it is a real landing page (the
    # search box and every field), its canonical URL has no query so ?q= variants fold into it, and
    # Lighthouse's SEO audit fails any noindex page.
    catalogue = inputs.catalogue
    return [
        PageSpec(
            url=SEARCH,
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


def _changes(inputs: BuildInputs) -> list[PageSpec]:
    from .changes import changes_pages

    return changes_pages(inputs)


def redirect_pages(inputs: BuildInputs) -> list[PageSpec]:
    # An address published earlier that moved (a new title, a merged code): a page that sends readers on.
    return [
        PageSpec(url=old.lstrip("/"), template="redirect.html", title="Trang đã chuyển địa chỉ",
                 description=f"Trang này đã chuyển sang địa chỉ mới {new}.", context=lambda new=new: {"redirect_to": new.lstrip("/")},
                 in_sitemap=False, depends=("redirect", new))
        for old, new in sorted(inputs.redirects.items())
    ]


def _statistics(inputs: BuildInputs) -> list[PageSpec]:
    return statistics_pages(inputs)


def procedure_paths(specs) -> list[str]:
    """Site paths of the procedure pages ("/thu-tuc/x/") and of the statistics page (Art. 11.3 figures):
    what the three-click check must reach. Notices of abolished procedures are not in force: left out."""
    return ["/" + spec.url for spec in specs if spec.template in ("procedure.html", "statistics.html") and spec.in_sitemap]


def _form_fill(inputs: BuildInputs) -> list[PageSpec]:
    # Imported here like browse_pages: the fill-in pages build on PageSpec and BuildInputs above.
    from .formfill_pages import formfill_pages

    return formfill_pages(inputs)


# Page builders, in the order their pages are added. Append new kinds here.
PAGE_BUILDERS: list[Callable[[BuildInputs], list[PageSpec]]] = [_home, _fields, _procedures, _browse, _index_pages, _search,
                                                                 _content_report, _statistics, _form_fill, _changes]


def site_pages(inputs: BuildInputs) -> list[PageSpec]:
    return [spec for builder in PAGE_BUILDERS for spec in builder(inputs)]
