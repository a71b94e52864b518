"""What the statistics pages show: figures on online procedure pages, the statistics page's SVG bar
charts, tables, CSV download and JSON-LD, from the checked data of statistics.py. No MkDocs here."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..content.statistics import COUNTS, ONLINE_KINDS, Figures, Statistics, number_vi, share_csv, share_vi
from ..content.urls import AGENCIES, field_url, list_url, statistics_excel_csv_url
from ..content.urls import STATISTICS as STATISTICS_URL
from ..vi.collation import sort_vi


def has_online_submission(procedure) -> bool:
    """Online partial or full service (Decree 42/2022): the services Art. 11.3 asks figures for."""
    return procedure.online in ONLINE_KINDS


@dataclass
class FigureRow:
    label: str
    value: str


@dataclass
class ProcedureStatistics:
    """The "Số liệu năm YYYY (đến dd/mm/yyyy)" section of an online procedure page."""

    heading: str
    caption: str
    rows: list[FigureRow]  # empty: no data for this procedure
    figures: Figures | None
    empty_text: str = ""


def figure_rows(figures: Figures) -> list[FigureRow]:
    rows = [FigureRow(COUNTS[key], number_vi(value)) for key, value in zip(COUNTS, figures.counts(), strict=True)]
    rows.append(FigureRow("Tỷ lệ giải quyết đúng hạn", share_vi(figures.on_time_share)))
    return rows


def procedure_statistics(procedure, statistics: Statistics | None) -> ProcedureStatistics | None:
    """The section for an online procedure; None for others and when the site has no statistics file."""
    if statistics is None or not has_online_submission(procedure):
        return None
    figures = statistics.by_code.get(procedure.code)
    return ProcedureStatistics(
        heading=f"Số liệu năm {statistics.year} (đến {statistics.as_of_vi})",
        caption=f"Kết quả giải quyết hồ sơ từ 01/01/{statistics.year} đến {statistics.as_of_vi}",
        rows=figure_rows(figures) if figures else [],
        figures=figures,
        empty_text=f"Chưa có số liệu giải quyết hồ sơ của thủ tục này từ 01/01/{statistics.year} đến {statistics.as_of_vi}.",
    )


def procedure_lastmod(procedure, statistics: Statistics | None, updated: str) -> str:
    """A page showing figures changes when the data does: its sitemap date is the later of the two."""
    if statistics is None or not has_online_submission(procedure):
        return updated
    return max(updated, statistics.as_of)


@dataclass
class Bar:
    label: str  # the full name: HTML text that wraps, never cut
    value: int
    value_text: str
    percent: float  # bar length, share of the largest value (0-100)


@dataclass
class Chart:
    """A horizontal bar chart drawn by theme/partials/bar-chart.html (no script).

    Labels and values are HTML text, so they render at body size on a phone and wrap instead of being
    cut; each bar is a one-rectangle SVG (a length the strict CSP allows without a style attribute).
    The caption names what is measured; bars go from the largest to the smallest."""

    id: str
    title: str
    measure: str  # what the bars count, in visible text: "Đơn vị: hồ sơ tiếp nhận từ 01/01/2026 đến …"
    description: str
    bars: list[Bar]


def bar_chart(chart_id: str, title: str, measure: str, description: str, items: list[tuple[str, int]]) -> Chart:
    """Bars scaled to the largest value, sorted by size (ties keep their order)."""
    largest = max((value for _, value in items), default=0)
    ordered = sorted(items, key=lambda item: -item[1])
    bars = [Bar(label, value, number_vi(value), round(100 * value / largest, 1) if largest else 0.0)
            for label, value in ordered]
    return Chart(chart_id, title, measure, description, bars)


@dataclass
class GroupRow:
    name: str
    url: str
    figures: Figures
    cells: list[str]  # formatted counts and share, in COUNTS order


@dataclass
class Group:
    id: str
    heading: str
    caption: str
    name_header: str
    rows: list[GroupRow]
    chart: Chart


@dataclass
class StatisticsPage:
    year: int
    as_of: str
    as_of_vi: str
    lead: str
    total: Figures
    total_rows: list[FigureRow]
    total_chart: Chart
    groups: list[Group]
    headers: list[str]
    csv_url: str
    csv_name: str
    excel_csv_url: str
    covered: int  # procedures with figures
    online_covered: int
    online_count: int
    procedures: list[tuple[str, str, Figures]]  # (code, title, figures) of every procedure with figures


def _cells(figures: Figures) -> list[str]:
    return [number_vi(v) for v in figures.counts()] + [share_vi(figures.on_time_share)]


def _group(group_id: str, heading: str, name_header: str, totals: dict[str, tuple[str, str, Figures]], measure: str) -> Group:
    ordered = sort_vi(totals.values(), lambda item: item[0])
    rows = [GroupRow(name, url, figures, _cells(figures)) for name, url, figures in ordered]
    chart = bar_chart(
        f"bieu-do-{group_id}",
        f"Số hồ sơ tiếp nhận theo {heading.lower()}",
        measure,
        "Biểu đồ thanh ngang, mỗi thanh là số hồ sơ tiếp nhận từ đầu năm của một "
        + ("lĩnh vực: " if group_id == "linh-vuc" else "cơ quan: ")
        + "; ".join(f"{row.name} {number_vi(row.figures.received)}" for row in rows) + ".",
        [(row.name, row.figures.received) for row in rows],
    )
    return Group(f"theo-{group_id}", f"Theo {heading.lower()}", f"Kết quả giải quyết hồ sơ theo {heading.lower()}",
                 name_header, rows, chart)


def _lead(statistics: Statistics, covered: int, online_covered: int, online: int) -> str:
    """The intro: each number says what it counts (never "15 …, 12/15 …" with two different 15)."""
    others = covered - online_covered
    parts = [f"{online_covered} dịch vụ công trực tuyến"] + ([f"{others} thủ tục khác"] if others else [])
    missing = online - online_covered
    tail = (f" Còn {missing} dịch vụ công trực tuyến chưa có số liệu." if missing
            else " Mọi dịch vụ công trực tuyến đều có số liệu." if online else "")
    return (f"Kết quả giải quyết hồ sơ thủ tục hành chính từ 01/01/{statistics.year} đến {statistics.as_of_vi}, "
            f"theo số liệu của hệ thống một cửa điện tử. Có số liệu của {covered} thủ tục: {' và '.join(parts)}.{tail}")


def statistics_page(catalogue, statistics: Statistics) -> StatisticsPage:
    """Province totals, by field and by agency. A procedure counts for its field and for its first
    implementing agency (where the dossier is received), so each table adds up to the province total."""
    by_code = catalogue.by_code()
    total = Figures()
    fields: dict[str, tuple[str, str, Figures]] = {}
    agencies: dict[str, tuple[str, str, Figures]] = {}
    for code, figures in statistics.by_code.items():
        procedure = by_code.get(code)
        if procedure is None:
            continue
        total = total + figures
        field_item = catalogue.fields.get(procedure.field)
        if field_item is not None:
            name, url, sum_ = fields.get(field_item.slug, (field_item.name, field_url(field_item.slug), Figures()))
            fields[field_item.slug] = (name, url, sum_ + figures)
        implementing = [s for s in procedure.agencies.get("implementing", ()) if s in catalogue.agencies]
        if implementing:
            slug = implementing[0]
            name, url, sum_ = agencies.get(slug, (catalogue.agencies[slug].name, list_url(AGENCIES, slug), Figures()))
            agencies[slug] = (name, url, sum_ + figures)
    procedures = [(code, by_code[code].title, figures) for code, figures in statistics.by_code.items() if code in by_code]
    online = [p for p in catalogue.procedures if has_online_submission(p)]
    covered = sum(1 for code in statistics.by_code if code in by_code)
    online_covered = sum(1 for p in online if p.code in statistics.by_code)
    parts = [("Đã giải quyết đúng hạn", total.on_time), ("Đã giải quyết quá hạn", total.late),
             ("Đang giải quyết", total.in_progress), ("Trả lại, rút hồ sơ", total.returned)]
    period = f"từ 01/01/{statistics.year} đến {statistics.as_of_vi}"
    total_chart = bar_chart(
        "bieu-do-tong-so", "Tình trạng các hồ sơ tiếp nhận từ đầu năm",
        f"Đơn vị: số hồ sơ, {period}, theo tình trạng giải quyết.",
        f"Biểu đồ thanh ngang, {number_vi(total.received)} hồ sơ tiếp nhận chia theo tình trạng: "
        + "; ".join(f"{label} {number_vi(value)}" for label, value in parts) + ".",
        parts,
    )
    return StatisticsPage(
        year=statistics.year,
        as_of=statistics.as_of,
        as_of_vi=statistics.as_of_vi,
        lead=_lead(statistics, covered, online_covered, len(online)),
        total=total,
        total_rows=figure_rows(total),
        total_chart=total_chart,
        groups=[_group("linh-vuc", "Lĩnh vực", "Lĩnh vực", fields, f"Đơn vị: số hồ sơ tiếp nhận {period}."),
                _group("co-quan", "Cơ quan", "Cơ quan tiếp nhận", agencies, f"Đơn vị: số hồ sơ tiếp nhận {period}.")],
        procedures=procedures,
        headers=[*COUNTS.values(), "Tỷ lệ đúng hạn"],
        csv_url=statistics.csv_url,
        csv_name=statistics.csv_name,
        excel_csv_url=statistics_excel_csv_url(statistics.csv_name),
        covered=covered,
        online_covered=online_covered,
        online_count=len(online),
    )


CSV_HEADER = ["Nhóm", "Tên", *COUNTS.values(), "Tỷ lệ đúng hạn (%)", "Mã thủ tục"]
PROCEDURE_GROUP = "Thủ tục"


# A cell starting with one of these is a formula to Excel and LibreOffice (=HYPERLINK(…) sends data out,
# =cmd|… ran programs): the OWASP rule is to start such text with a quote, which shows it as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """A CSV cell that spreadsheets show as text: text from content that starts like a formula gets a leading quote."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value


def statistics_csv(page: StatisticsPage, excel_vi: bool = False) -> bytes:
    """The numbers of the statistics page as CSV: UTF-8 with BOM (Excel then reads Vietnamese), CRLF lines;
    the totals, one row per field and agency, then one row per procedure.

    excel_vi: the form Excel set to Vietnamese opens in columns: ";" between fields and a decimal comma
    ("97,7"), because there "," is the decimal mark and would be taken for one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", delimiter=";" if excel_vi else ",")

    def write(row: list) -> None:  # text from content that starts like a formula is shown as text
        writer.writerow([csv_text(cell) for cell in row])

    def share(figures: Figures) -> str:
        text = share_csv(figures.on_time_share)
        return text.replace(".", ",") if excel_vi else text

    write(CSV_HEADER)
    write(["Tổng cộng", f"Từ 01/01/{page.year} đến {page.as_of_vi}", *page.total.counts(), share(page.total), ""])
    for group in page.groups:
        for row in group.rows:
            write([group.heading.removeprefix("Theo ").capitalize(), row.name, *row.figures.counts(), share(row.figures), ""])
    for code, title, figures in page.procedures:
        write([PROCEDURE_GROUP, title, *figures.counts(), share(figures), code])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def statistics_json_ld(page: StatisticsPage, settings, title: str, description: str) -> dict:
    """A schema.org Dataset: the CSV as its distribution and the province totals as variableMeasured values."""
    url = settings.absolute(STATISTICS_URL)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": "vi",
        "temporalCoverage": f"{page.year}-01-01/{page.as_of}",
        "dateModified": page.as_of,
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": settings.absolute(page.csv_url)},
            {"@type": "DataDownload", "encodingFormat": "text/csv", "name": "Cho Excel tiếng Việt (dấu chấm phẩy, dấu phẩy thập phân)",
             "contentUrl": settings.absolute(page.excel_csv_url)},
        ],
        "variableMeasured": [
            {"@type": "PropertyValue", "name": label, "value": value, "unitText": "hồ sơ"}
            for label, value in zip(COUNTS.values(), page.total.counts(), strict=True)
        ],
    }
    if page.total.on_time_share is not None:
        data["variableMeasured"].append(
            {"@type": "PropertyValue", "name": "Tỷ lệ giải quyết đúng hạn", "value": round(page.total.on_time_share, 1), "unitText": "%"}
        )
    if settings.area_served:
        data["spatialCoverage"] = {"@type": "AdministrativeArea", "name": settings.area_served}
    if settings.statistics_license:
        data["license"] = settings.statistics_license
    if settings.owner_name:
        data["creator"] = {"@type": "GovernmentOrganization", "name": settings.owner_name}
    return data
