"""Statistics per service from 1 January (content/thong-ke.*, Circular 32/2017 Art. 11.3), read back from real builds:
the figures on online procedure pages, the statistics page's tables, SVG charts and CSV download, its JSON-LD,
sitemap dates and reachability, and bad statistics files refused with located Vietnamese messages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import lxml.html
import pytest
import yaml
from sitecheck import tree_hashes
from test_bad_inputs import assert_refused

from conftest import FIXTURES, SAMPLE_CONTENT, Project, make_project
from thutuc.content.catalogue import load_catalogue
from thutuc.content.statistics import Figures, Statistics, load_statistics
from thutuc.render.linkgraph import check_site
from thutuc.site.pages import SiteSettings
from thutuc.site.plan import procedure_paths, site_pages
from thutuc.site.specs import BuildInputs

SITE_URL = "https://thutuc.mau.example.vn/"
COUNT_KEYS = ["tiep_nhan", "truc_tuyen", "dung_han", "tre_han", "dang_giai_quyet", "tra_lai"]
ROW_LABELS = ["Số hồ sơ tiếp nhận", "Trong đó nộp trực tuyến", "Đã giải quyết đúng hạn", "Đã giải quyết quá hạn",
              "Đang giải quyết", "Trả lại, rút hồ sơ"]


def number(text: str) -> int:
    """ "16.733" -> 16733 (Vietnamese thousands separator)."""
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text.strip()), text
    return int(text.strip().replace(".", ""))


def share(on_time: int, late: int) -> str:
    return f"{100 * on_time / (on_time + late):.1f}".replace(".", ",") + " %"


def sample_rows() -> tuple[dict[str, list[int]], str]:
    """Sums per code straight from content/thong-ke.csv (not through the code under test), and the date."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    dates = set()
    with (SAMPLE_CONTENT / "thong-ke.csv").open(encoding="utf-8-sig", newline="") as file:
        for row in csv.DictReader(file):
            for i, key in enumerate(COUNT_KEYS):
                sums[row["ma_thu_tuc"]][i] += int(row[key])
            dates.add(row["den_ngay"])
    assert len(dates) == 1
    return dict(sums), dates.pop()


def sample_procedures() -> dict[str, dict]:
    found = {}
    for file in (SAMPLE_CONTENT / "procedures").rglob("*.yml"):
        data = yaml.safe_load(file.read_text("utf-8"))
        found[str(data["code"])] = data
    return found


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path.strip("/") / "index.html").read_bytes())


def url_of(site: Path, code: str) -> str:
    slug = code.replace(".", "-")
    found = [p.parent.name for p in (site / "thu-tuc").glob(f"*-{slug}/index.html")]
    assert len(found) == 1, code
    return f"thu-tuc/{found[0]}/"


def table_values(table) -> dict[str, str]:
    return {row.findtext("th").strip(): row.find("td").text_content().strip() for row in table.iter("tr") if row.find("td") is not None}


# --- procedure pages -------------------------------------------------------------------------------------


def test_online_procedure_pages_show_the_year_to_date_figures(sample_site: Project):
    sums, as_of = sample_rows()
    procedures = sample_procedures()
    heading = f"Số liệu năm {as_of[:4]} (đến {as_of[8:10]}/{as_of[5:7]}/{as_of[:4]})"
    shown = 0
    for code, data in procedures.items():
        if data.get("online") not in ("partial", "full") or code not in sums:
            continue
        section = page(sample_site.site, url_of(sample_site.site, code)).get_element_by_id("so-lieu")
        assert section.findtext("h2") == heading
        table = section.find(".//table")
        assert table.findtext("caption").startswith("Kết quả giải quyết hồ sơ từ 01/01/")
        assert [th.get("scope") for th in table.iter("th")] == ["col", "col"] + ["row"] * 7
        values = table_values(table)
        assert [number(values[label]) for label in ROW_LABELS] == sums[code], code
        assert values["Tỷ lệ giải quyết đúng hạn"] == share(sums[code][2], sums[code][3])
        shown += 1
    assert shown >= 10  # most online services of the sample have figures


def test_online_procedures_without_data_say_so_and_others_are_unchanged(sample_site: Project):
    sums, _ = sample_rows()
    procedures = sample_procedures()
    missing = [c for c, d in procedures.items() if d.get("online") in ("partial", "full") and c not in sums]
    assert missing, "the sample should keep an online procedure without figures"
    for code in missing:
        section = page(sample_site.site, url_of(sample_site.site, code)).get_element_by_id("so-lieu")
        assert "Chưa có số liệu giải quyết hồ sơ của thủ tục này" in section.text_content()
        assert section.find(".//table") is None
    offline_with_data = [c for c, d in procedures.items() if d.get("online") not in ("partial", "full") and c in sums]
    assert offline_with_data
    for code in offline_with_data:
        html = (sample_site.site / url_of(sample_site.site, code) / "index.html").read_text("utf-8")
        assert 'id=so-lieu' not in html and 'id="so-lieu"' not in html and "Số liệu năm" not in html


# --- the statistics page ---------------------------------------------------------------------------------


def chart_bars(figure) -> list[tuple[str, int, float, str]]:
    """(label, data-value, bar length in % of the largest, value text) of each bar of one chart, in order."""
    bars = []
    for row in figure.iter("li"):
        label = row.find("span[@class='chart__label']").text_content()
        rect = next(row.iter("rect"))
        bars.append((label, int(rect.get("data-value")), float(rect.get("width")), row.find("span[@class='chart__value']").text))
    return bars


def by_size(items: list) -> list:
    return sorted(items, key=lambda item: -item[1])


def test_statistics_page_tables_and_charts_hold_the_same_numbers(sample_site: Project):
    sums, as_of = sample_rows()
    procedures = sample_procedures()
    root = page(sample_site.site, "thong-ke/")
    total = [sum(values[i] for values in sums.values()) for i in range(6)]
    # Province totals: table and chart.
    section = root.get_element_by_id("tong-so")
    values = table_values(section.find(".//table"))
    assert [number(values[label]) for label in ROW_LABELS] == total
    bars = chart_bars(section.find(".//figure"))
    assert [(label, value) for label, value, _, _ in bars] == by_size([
        ("Đã giải quyết đúng hạn", total[2]), ("Đã giải quyết quá hạn", total[3]), ("Đang giải quyết", total[4]),
        ("Trả lại, rút hồ sơ", total[5])])
    # By field: every field with figures, each row the sum of its procedures; the chart draws the same numbers.
    fields = {f["slug"]: f["name"] for f in yaml.safe_load((SAMPLE_CONTENT / "fields.yml").read_text("utf-8"))}
    expected: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for code, counts in sums.items():
        name = fields[procedures[code]["field"]]
        expected[name] = [a + b for a, b in zip(expected[name], counts, strict=True)]
    section = root.get_element_by_id("theo-linh-vuc")
    table = section.find(".//table")
    rows = {tr.find("th").text_content().strip(): [td.text_content().strip() for td in tr.findall("td")]
            for tr in table.find("tbody").findall("tr")}
    assert set(rows) == set(expected)
    for name, cells in rows.items():
        assert [number(c) for c in cells[:6]] == expected[name], name
        assert cells[6] == share(expected[name][2], expected[name][3])
    bars = chart_bars(section.find(".//figure"))
    # Bars from the largest to the smallest, each with the full name (never shortened) and its value.
    assert [(label, value, number(text)) for label, value, _, text in bars] == \
        by_size([(n, number(c[0]), number(c[0])) for n, c in rows.items()])
    assert bars[0][2] == 100
    for _label, value, width, _text in bars:  # lengths proportional to the values
        assert width == pytest.approx(100 * value / bars[0][1], abs=0.1)
    # By agency: the rows add up to the province total.
    table = root.get_element_by_id("theo-co-quan").find(".//table")
    agency_rows = [[number(td.text_content()) for td in tr.findall("td")[:6]] for tr in table.find("tbody").findall("tr")]
    assert [sum(column) for column in zip(*agency_rows, strict=True)] == total


def test_charts_have_text_alternatives_name_the_measure_and_no_script(sample_site: Project):
    root = page(sample_site.site, "thong-ke/")
    figures = root.xpath("//figure[@class='chart']")
    assert len(figures) == 3
    for figure in figures:
        title = root.get_element_by_id(figure.get("aria-labelledby"))
        assert title.text_content() and title.getparent().tag == "figcaption"
        # The measure is visible text, not only in the accessible description.
        measure = figure.find(".//span[@class='chart__measure']").text_content()
        assert measure.startswith("Đơn vị: số hồ sơ") and "01/01/" in measure, measure
        described = root.get_element_by_id(figure.get("aria-describedby")).text_content()
        for label, value, _, _ in chart_bars(figure):  # the description reads every bar
            assert f"{label} " + f"{value:,}".replace(",", ".") in described
        for svg in figure.iter("svg"):  # the bars are decoration: the text beside them says it all
            assert svg.get("aria-hidden") == "true"
        assert figure.getnext().get("class") == "table-wrap"  # a data table follows each chart
    assert not root.xpath("//main//script")


def test_the_intro_says_what_each_number_counts(sample_site: Project):
    lead = " ".join(page(sample_site.site, "thong-ke/").find(".//p[@class='lead']").text_content().split())
    procedures = sample_procedures()
    sums, _ = sample_rows()
    online = [code for code, data in procedures.items() if data.get("online") in ("partial", "full")]
    online_covered = sum(1 for code in online if code in sums)
    assert f"Có số liệu của {len(sums)} thủ tục: {online_covered} dịch vụ công trực tuyến" in lead, lead
    assert "/" not in lead.split("điện tử", 1)[1]  # no "12/15" beside another 15 meaning something else
    if len(online) > online_covered:
        assert f"Còn {len(online) - online_covered} dịch vụ công trực tuyến chưa có số liệu." in lead


def test_csv_download_has_the_numbers_of_the_page(sample_site: Project):
    root = page(sample_site.site, "thong-ke/")
    link = next(a for a in root.iter("a") if a.get("href", "").endswith(".csv") and "excel" not in a.get("href"))
    assert link.get("download") is not None
    data = (sample_site.site / "thong-ke" / link.get("href")).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens Vietnamese correctly
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nhóm", "Tên", "Số hồ sơ tiếp nhận"]
    total = table_values(root.get_element_by_id("tong-so").find(".//table"))
    assert [int(v) for v in rows[1][2:8]] == [number(total[label]) for label in ROW_LABELS]
    for group, section in (("Lĩnh vực", "theo-linh-vuc"), ("Cơ quan", "theo-co-quan")):
        html_rows = [[tr.find("th").text_content().strip()] + [number(td.text_content()) for td in tr.findall("td")[:6]]
                     for tr in root.get_element_by_id(section).find(".//tbody").findall("tr")]
        csv_rows = [[r[1]] + [int(v) for v in r[2:8]] for r in rows if r[0] == group]
        assert csv_rows == html_rows
    # One row per procedure with figures, named and coded, with the sums of content/thong-ke.csv.
    sums, _ = sample_rows()
    procedures = sample_procedures()
    per_procedure = {r[9]: (r[1], [int(v) for v in r[2:8]]) for r in rows if r[0] == "Thủ tục"}
    assert {code: counts for code, (_, counts) in per_procedure.items()} == sums
    assert all(title == procedures[code]["title"] for code, (title, _) in per_procedure.items())


def test_csv_for_excel_set_to_vietnamese(sample_site: Project):
    root = page(sample_site.site, "thong-ke/")
    links = {a.get("href"): a.text_content() for a in root.iter("a") if a.get("href", "").endswith(".csv")}
    excel = next(href for href, text in links.items() if "Excel tiếng Việt" in text)
    plain = next(href for href in links if href != excel)
    data = (sample_site.site / "thong-ke" / excel).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    plain_rows = list(csv.reader(io.StringIO((sample_site.site / "thong-ke" / plain).read_bytes().decode("utf-8-sig"))))
    assert len(rows) == len(plain_rows) and all(len(row) == len(rows[0]) for row in rows)
    for row, plain_row in zip(rows, plain_rows, strict=True):
        assert row[:8] + row[9:] == plain_row[:8] + plain_row[9:]
        assert row[8] == plain_row[8].replace(".", ",")  # decimal comma: "97,7"
    assert any(re.fullmatch(r"\d+,\d", row[8]) for row in rows[1:])
    # Read as Excel set to Vietnamese reads it (";" separates, "," is the decimal mark): columns, not one.
    assert len(data.decode("utf-8-sig").splitlines()[1].split(";")) == len(rows[0])


def test_statistics_page_is_linked_within_three_clicks_and_checked_by_the_build(sample_site: Project):
    home = page(sample_site.site, "")
    assert "thong-ke/" in [a.get("href") for a in home.find(".//footer").iter("a")]
    site_map = page(sample_site.site, "so-do-cong/")
    assert "../thong-ke/" in [a.get("href") for a in site_map.get_element_by_id("trang-chinh").iter("a")]
    report = check_site(sample_site.site, SITE_URL, ["/thong-ke/"], 3)
    assert report.ok and report.depths["/thong-ke/"] <= 3
    # The build's own three-click check gets the statistics page along with the procedures.
    catalogue = load_catalogue(SAMPLE_CONTENT).catalogue
    statistics = load_statistics(SAMPLE_CONTENT, {p.code for p in catalogue.procedures}).statistics
    specs = site_pages(BuildInputs(catalogue, SiteSettings(), "x", statistics=statistics))
    assert "/thong-ke/" in procedure_paths(specs)


def test_json_ld_dataset_and_sitemap_dates_follow_the_data(sample_site: Project):
    sums, as_of = sample_rows()
    root = page(sample_site.site, "thong-ke/")
    blocks = [json.loads(s.text) for s in root.iter("script") if s.get("type") == "application/ld+json"]
    dataset = next(b for b in blocks if b["@type"] == "Dataset")
    assert dataset["temporalCoverage"] == f"{as_of[:4]}-01-01/{as_of}"
    assert [d["encodingFormat"] for d in dataset["distribution"]] == ["text/csv", "text/csv"]
    assert [d["contentUrl"] for d in dataset["distribution"]] == [
        f"{SITE_URL}thong-ke/thong-ke-{as_of[:4]}.csv", f"{SITE_URL}thong-ke/thong-ke-{as_of[:4]}-excel.csv"]
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"  # the default of statistics_license
    measured = {v["name"]: v["value"] for v in dataset["variableMeasured"]}
    assert measured["Số hồ sơ tiếp nhận"] == sum(v[0] for v in sums.values())
    sitemap = (sample_site.site / "sitemap.xml").read_text("utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc><lastmod>([^<]+)</lastmod>", sitemap))
    assert entries[SITE_URL + "thong-ke/"] == as_of
    online_with_data = [c for c, d in sample_procedures().items() if d.get("online") in ("partial", "full") and c in sums]
    for code in online_with_data:
        assert entries[SITE_URL + url_of(sample_site.site, code)] >= as_of


def test_page_keys_follow_the_figures():
    """The preview renders again only pages whose key changed: new figures must change online pages' keys."""
    catalogue = load_catalogue(SAMPLE_CONTENT).catalogue
    online = next(p for p in catalogue.procedures if p.online == "full")
    offline = next(p for p in catalogue.procedures if p.online == "info")

    def keys(figures: Figures) -> dict[str, object]:
        statistics = Statistics(2026, "2026-11-30", "content/thong-ke.csv", {online.code: figures, offline.code: figures}, str(figures))
        return {spec.url: spec.key() for spec in site_pages(BuildInputs(catalogue, SiteSettings(), "x", statistics=statistics))}

    before, after = keys(Figures(10, 5, 8, 1, 1, 0)), keys(Figures(11, 5, 9, 1, 1, 0))
    assert before[online.url] != after[online.url]
    assert before["thong-ke/"] != after["thong-ke/"]
    assert before[offline.url] == after[offline.url]


# --- bad statistics files ------------------------------------------------------------------------------------

HEADER = "ma_thu_tuc,ky,den_ngay,tiep_nhan,truc_tuyen,dung_han,tre_han,dang_giai_quyet,tra_lai\n"
GOOD = HEADER + "1.001193,2026-01,2026-03-31,10,4,8,1,0,1\n1.004194,2026-01,2026-03-31,5,5,5,0,0,0\n"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, str]]:
    project = make_project(tmp_path_factory.mktemp("published") / "project", FIXTURES / "minimal")
    (project.content / "thong-ke.csv").write_text(GOOD, "utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (project.site / "thong-ke" / "index.html").is_file()
    return project, tree_hashes(project.site)


TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()

CSV_CASES = [
    # (id, file text, line, key, words)
    ("unknown-code", GOOD + "1.001139,2026-02,2026-03-31,1,0,1,0,0,0\n", 4, "ma_thu_tuc", ["1.001139", "1.001193"]),
    ("totals-do-not-add-up", HEADER + "1.001193,2026-01,2026-03-31,10,4,8,1,0,0\n", 2, "tiep_nhan", ["10", "8 + 1 + 0 + 0 = 9"]),
    ("online-above-received", HEADER + "1.001193,2026-01,2026-03-31,10,12,8,1,0,1\n", 2, "truc_tuyen", ["12", "10"]),
    ("negative", HEADER + "1.001193,2026-01,2026-03-31,10,4,11,-1,0,0\n", 2, "tre_han", ["-1", "số âm"]),
    ("not-a-number", HEADER + "1.001193,2026-01,2026-03-31,10,bốn,8,1,0,1\n", 2, "truc_tuyen", ["bốn"]),
    ("duplicate-row", GOOD + "1.001193,2026-01,2026-03-31,1,0,1,0,0,0\n", 4, "ma_thu_tuc", ["1.001193", "dòng 2"]),
    ("future-date", HEADER + f"1.001193,,{TOMORROW},1,0,1,0,0,0\n", 2, "den_ngay", ["tương lai"]),
    ("period-outside-the-year", HEADER + "1.001193,2025-12,2026-03-31,1,0,1,0,0,0\n", 2, "ky", ["2025", "2026"]),
    ("period-after-the-date", HEADER + "1.001193,2026-05,2026-03-31,1,0,1,0,0,0\n", 2, "ky", ["05/2026"]),
    ("two-dates", GOOD.replace("1.004194,2026-01,2026-03-31", "1.004194,2026-01,2026-02-28"), 3, "den_ngay", ["28/02/2026", "dòng 2"]),
    ("misspelt-column", GOOD.replace("dung_han", "dung_hn", 1), 1, "dung_hn", ["dung_han"]),
    ("semicolons-and-bom", "\ufeff" + GOOD.replace(",", ";").replace("10;4;8;1;0;1", "10;4;8;1;0;2"), 2, "tiep_nhan", ["10"]),
]


@pytest.mark.parametrize("case", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_bad_csv_is_refused_and_the_site_kept(case, project: Project, published):
    _id, text, line, key, words = case
    (project.content / "thong-ke.csv").write_text(text, "utf-8")
    message = assert_refused(project, published[1], "thong-ke.csv", line, key, words)
    assert message  # the same message from `check`, which builds nothing
    checked = project.run("check")
    assert checked.returncode == 1 and message in checked.stderr, checked.stderr


def test_legacy_encoding_is_refused(project: Project, published):
    (project.content / "thong-ke.csv").write_bytes(GOOD.replace("ky", "đăng").encode("cp1258"))
    assert_refused(project, published[1], "thong-ke.csv", 1, "", ["UTF-8"])


def test_bad_xlsx_names_the_sheet_row(project: Project, published):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã thủ tục", "Kỳ", "Đến ngày", "Tiếp nhận", "Trực tuyến", "Đúng hạn", "Trễ hạn", "Đang giải quyết", "Trả lại"])
    sheet.append(["1.001193", "2026-01", dt.date(2026, 3, 31), 10, 4, 8, 1, 0, 1])
    sheet.append(["1.004194", "2026-01", dt.date(2026, 3, 31), 5, 5, 5, 0, 1, 0])
    (project.content / "thong-ke.csv").unlink()
    workbook.save(project.content / "thong-ke.xlsx")
    assert_refused(project, published[1], "thong-ke.xlsx", 3, "tiep_nhan", ["5 + 0 + 1 + 0 = 6"])


def test_bad_json_names_the_line_of_the_value(project: Project, published):
    (project.content / "thong-ke.csv").unlink()
    (project.content / "thong-ke.json").write_text(json.dumps({
        "den_ngay": "2026-03-31",
        "so_lieu": [
            {"ma_thu_tuc": "1.001193", "tiep_nhan": 3, "truc_tuyen": 1, "dung_han": 3, "tre_han": 0, "dang_giai_quyet": 0, "tra_lai": 0},
            {"ma_thu_tuc": "1.004194", "tiep_nhan": 3, "truc_tuyen": 1, "dung_han": 3, "tre_han": -2, "dang_giai_quyet": 2, "tra_lai": 0},
        ],
    }, ensure_ascii=False, indent=2), "utf-8")
    # json.dumps(indent=2): line 18 is "tre_han" of the second record.
    assert_refused(project, published[1], "thong-ke.json", 18, "so_lieu[1].tre_han", ["số âm"])


def test_valid_xlsx_and_json_build_the_same_figures(tmp_path: Path):
    from openpyxl import Workbook

    pages = []
    for kind in ("xlsx", "json"):
        project = make_project(tmp_path / kind, FIXTURES / "minimal")
        if kind == "xlsx":
            workbook = Workbook()
            for row in csv.reader(io.StringIO(GOOD)):
                workbook.active.append([int(c) if c.isdigit() else c for c in row])
            workbook.save(project.content / "thong-ke.xlsx")
        else:
            rows = list(csv.DictReader(io.StringIO(GOOD)))
            records = [{k: (int(v) if v.isdigit() else v) for k, v in r.items() if k != "den_ngay"} for r in rows]
            (project.content / "thong-ke.json").write_text(json.dumps({"den_ngay": "2026-03-31", "so_lieu": records}), "utf-8")
        result = project.build()
        assert result.returncode == 0, result.stderr
        root = page(project.site, "thong-ke/")
        pages.append(table_values(root.get_element_by_id("tong-so").find(".//table")))
    assert pages[0] == pages[1]
    assert number(pages[0]["Số hồ sơ tiếp nhận"]) == 15


# --- the preview ------------------------------------------------------------------------------------------------


def test_preview_updates_the_statistics_page_and_refuses_figures_of_a_removed_procedure(tmp_path: Path):
    from test_preview import SERVE_URL, _check_against_full_build, _edit

    from thutuc.host import build
    from thutuc.preview.server import PreviewSession

    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    # A procedure nothing else refers to, with figures: removing it later breaks only the statistics file.
    source = (project.content / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml").read_text("utf-8")
    added = project.content / "procedures/ho-tich/1.009999-dang-ky-khai-sinh-co-yeu-to-nuoc-ngoai.yml"
    added.write_text(source.replace('code: "1.001193"', 'code: "1.009999"', 1).replace(
        "title: Đăng ký khai sinh", "title: Đăng ký khai sinh có yếu tố nước ngoài", 1), "utf-8")
    with (project.content / "thong-ke.csv").open("a", encoding="utf-8") as file:
        file.write("1.009999,,2026-01,2026-11-30,3,3,3,0,0,0\n")
    (tmp_path / "preview").mkdir()
    session = PreviewSession(project.root / "mkdocs.yml", tmp_path / "preview", SERVE_URL, build)
    try:
        session.rebuild()
        assert session.last_kind == "full", session.problem
        csv_file = next((session.site_dir / "thong-ke").glob("*.csv"))
        before = csv_file.read_bytes()
        # Khai sinh moves to another agency: the by-agency totals (page and CSV) follow, as a full build gives.
        _edit(project.root / "content/procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml",
              "  implementing: [ubnd-xa]", "  implementing: [so-tu-phap]")
        session.rebuild()
        assert session.last_kind == "update", session.problem
        assert "thong-ke/index.md" in session.last_rendered
        assert csv_file.read_bytes() != before
        _check_against_full_build(session, project.root, tmp_path, "agency")
        # A procedure that has figures is removed: the figures now name an unknown code; the last good preview stays.
        added.unlink()
        session.rebuild()
        assert session.last_kind == "error"
        assert "thong-ke.csv" in session.problem[1] and "1.009999" in session.problem[1], session.problem
    finally:
        session.close()


def test_a_file_full_of_unknown_codes_is_reported_row_by_row_with_few_suggestions(tmp_path: Path):
    """Another province's file: every row named, but "did you mean" (difflib over the catalogue) only for
    the first codes, so thousands of unknown codes cannot stall the build for minutes."""
    from thutuc.content.statistics import MAX_HINTS

    rows = "".join(f"1.00{i:04d},,2026-03-31,1,0,1,0,0,0\n" for i in range(MAX_HINTS + 15))
    (tmp_path / "thong-ke.csv").write_text(HEADER + rows, "utf-8")
    known = {f"1.10{i:04d}" for i in range(200)}  # close to every unknown code
    problems = load_statistics(tmp_path, known, today=dt.date(2026, 12, 1)).problems
    unknown = [p for p in problems if p.key == "ma_thu_tuc"]
    assert len(unknown) == MAX_HINTS + 15
    assert sum("có phải ý bạn là" in p.hint for p in unknown) == MAX_HINTS


def test_dataset_license_is_configurable():
    from thutuc.site.statistics_view import statistics_json_ld

    figures = Figures()
    stats_page = type("P", (), {"year": 2026, "as_of": "2026-11-30", "csv_url": "thong-ke/a.csv",
                                "excel_csv_url": "thong-ke/a-excel.csv", "total": figures})()
    chosen = statistics_json_ld(stats_page, SiteSettings(statistics_license="https://opendata.tinh.gov.vn/giay-phep"), "t", "d")
    assert chosen["license"] == "https://opendata.tinh.gov.vn/giay-phep"
    assert "license" not in statistics_json_ld(stats_page, SiteSettings(statistics_license=""), "t", "d")


def test_a_thousands_separator_is_named_and_the_hint_says_to_remove_the_dot(tmp_path: Path):
    (tmp_path / "thong-ke.csv").write_text(HEADER + "1.001193,,2026-03-31,1.053,0,1053,0,0,0\n", "utf-8")
    problems = load_statistics(tmp_path, {"1.001193"}, today=dt.date(2026, 12, 1)).problems
    [problem] = [p for p in problems if "1.053" in p.message]
    assert "bỏ dấu chấm" in problem.hint and "ghi 1053" in problem.hint, problem.hint
