"""Page builder for the statistics page /thong-ke/ (appended to PAGE_BUILDERS) and its CSV download."""

from __future__ import annotations

from ..content.statistics import Statistics
from ..content.urls import STATISTICS as STATISTICS_URL
from .browse import breadcrumbs_for
from .specs import BuildInputs, PageSpec
from .statistics_view import statistics_csv, statistics_json_ld, statistics_page

TITLE = "Thống kê giải quyết hồ sơ"


def _description(statistics: Statistics) -> str:
    return (f"Kết quả giải quyết hồ sơ thủ tục hành chính năm {statistics.year} đến {statistics.as_of_vi}: "
            "tiếp nhận, trực tuyến, đúng hạn, quá hạn, theo lĩnh vực và cơ quan.")


def statistics_pages(inputs: BuildInputs) -> list[PageSpec]:
    statistics = inputs.statistics
    if statistics is None:
        return []
    catalogue = inputs.catalogue
    title = f"{TITLE} năm {statistics.year}"
    description = _description(statistics)

    def context() -> dict:
        page = statistics_page(catalogue, statistics)
        return {"stats_page": page, "json_ld": [statistics_json_ld(page, inputs.settings, title, description)]}

    return [
        PageSpec(
            url=STATISTICS_URL,
            template="statistics.html",
            title=title,
            description=description,
            context=context,
            lastmod=statistics.as_of,
            breadcrumbs=breadcrumbs_for(),
            # Totals by field and agency read each procedure's code, field and first agency, and their names.
            depends=(statistics.digest, inputs.listing_key),
        )
    ]


def statistics_files(inputs: BuildInputs) -> dict[str, bytes]:
    """The CSV downloads of the statistics page, plain and for Excel set to Vietnamese: site path -> bytes
    (nothing without a statistics file)."""
    statistics = inputs.statistics
    if statistics is None:
        return {}
    page = statistics_page(inputs.catalogue, statistics)
    return {statistics.csv_url: statistics_csv(page), page.excel_csv_url: statistics_csv(page, excel_vi=True)}
