"""Build real sites and read the generated HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitecheck import content_pages, published_asset

from conftest import RAW_TEXT_ELEMENTS, Project

# Art. 5.1 items, as (section id, heading) on every procedure page.
ART_5_1_SECTIONS = [
    ("trinh-tu", "Trình tự thực hiện"),  # b
    ("cach-thuc", "Cách thức thực hiện"),  # c
    ("ho-so", "Thành phần, số lượng hồ sơ"),  # d
    ("thoi-han", "Thời hạn giải quyết"),  # đ
    ("phi-le-phi", "Phí, lệ phí"),  # i
    ("doi-tuong", "Đối tượng thực hiện"),  # e
    ("co-quan", "Cơ quan giải quyết"),  # g
    ("ket-qua", "Kết quả thực hiện"),  # h
    ("nhan-tra", "Hình thức nhận hồ sơ, trả kết quả"),  # k
    ("mau-don", "Mẫu đơn, tờ khai"),  # i
    ("yeu-cau", "Yêu cầu, điều kiện"),  # i
    ("can-cu", "Căn cứ pháp lý"),  # l
]


class Sections(HTMLParser):
    """Collects the text of each <section id=…> and the h1, ignoring markup."""

    CDATA_CONTENT_ELEMENTS = RAW_TEXT_ELEMENTS

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.h1: list[str] = []
        self._stack: list[str] = []
        self._in_h1 = False
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and attributes.get("id"):
            self._stack.append(attributes["id"])
            self.sections[attributes["id"]] = ""
        elif tag == "section":
            self._stack.append("")
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "section" and self._stack:
            self._stack.pop()
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        for section in self._stack:
            if section:
                self.sections[section] += data
        if self._in_h1:
            self.h1[-1] += data


def parse(html: str) -> Sections:
    parser = Sections()
    parser.feed(html)
    return parser


def text_of(section: str) -> str:
    return re.sub(r"\s+", " ", section).strip()


def test_minimal_site_shows_every_item_with_its_content(minimal_project: Project):
    result = minimal_project.build()
    assert result.returncode == 0, result.stderr
    assert "2 thủ tục" in result.stdout
    html = minimal_project.html("thu-tuc/dang-ky-khai-sinh-1-001193/")
    page = parse(html)
    assert page.h1 == ["Đăng ký khai sinh"]
    assert re.search(r'<html lang="?vi"?>', html)
    sections = {key: text_of(value) for key, value in page.sections.items()}
    expected = {
        "trinh-tu": ["Nộp hồ sơ", "Tiếp nhận và giải quyết", "Công chức tư pháp - hộ tịch kiểm tra hồ sơ"],
        "cach-thuc": ["Trực tiếp", "Trực tuyến", "Ngay trong ngày tiếp nhận", "Lệ phí: 0 đồng (Miễn lệ phí khi đăng ký đúng hạn)",
                      "Không mất phí, lệ phí."],
        "ho-so": ["Số lượng hồ sơ: 1 bộ", "Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh", "Tải về (.txt,"],
        "thoi-han": ["Ngay trong ngày tiếp nhận hồ sơ."],
        "phi-le-phi": ["Trực tiếp: Lệ phí: 0 đồng", "Trực tuyến: Không mất phí, lệ phí."],
        "doi-tuong": ["Công dân Việt Nam"],
        # Roles the file does not write are unknown, like every missing fact (test_written_empty_role_says_none).
        "co-quan": ["Cơ quan thực hiện", "Ủy ban nhân dân cấp xã", "Số 1 đường Mẫu", "Cơ quan phối hợpChưa có thông tin",
                    "Cơ quan có thẩm quyềnChưa có thông tin", "Cơ quan được ủy quyềnChưa có thông tin"],
        "ket-qua": ["Giấy khai sinh"],
        "nhan-tra": ["Nhận hồ sơ", "Trực tiếp, Trực tuyến", "Trả kết quả", "Trực tiếp, Dịch vụ bưu chính"],
        "mau-don": ["Tờ khai đăng ký khai sinh", "Tải về (.txt, 83 byte)"],
        "yeu-cau": ["Không"],
        "can-cu": ["60/2014/QH13", "Luật Hộ tịch", "20/11/2014", "Quốc hội", "Quyết định số 1872/QĐ-BTP ngày 04/9/2020"],
    }
    for section_id, needles in expected.items():
        for needle in needles:
            assert needle in sections[section_id], f"{needle!r} missing from section {section_id}: {sections[section_id]!r}"
    # The form file is published byte for byte at the URL the page links to.
    assert "../../bieu-mau/ho-tich/to-khai-dang-ky-khai-sinh.txt" in page.links
    published = minimal_project.site / "bieu-mau/ho-tich/to-khai-dang-ky-khai-sinh.txt"
    assert published.read_bytes() == (minimal_project.content / "forms/ho-tich/to-khai-dang-ky-khai-sinh.txt").read_bytes()


def test_level_1_page_says_when_items_do_not_apply(minimal_project: Project):
    assert minimal_project.build().returncode == 0
    page = parse(minimal_project.html("thu-tuc/dang-ky-tam-tru-1-004194/"))
    sections = {key: text_of(value) for key, value in page.sections.items()}
    assert "Chưa có tệp tải về" in sections["mau-don"]
    assert "Lệ phí: Theo Nghị quyết của Hội đồng nhân dân tỉnh" in sections["phi-le-phi"]
    assert "Trường hợp thông thường" in sections["ho-so"] and "Người chưa thành niên" in sections["ho-so"]
    assert "30 ngày" in sections["yeu-cau"]
    assert "<strong>30 ngày</strong>" in minimal_project.html("thu-tuc/dang-ky-tam-tru-1-004194/")


def test_field_and_home_pages_link_to_procedures(minimal_project: Project):
    assert minimal_project.build().returncode == 0
    home = parse(minimal_project.html(""))
    assert "linh-vuc/ho-tich/" in home.links and "linh-vuc/cu-tru/" in home.links
    field = parse(minimal_project.html("linh-vuc/ho-tich/"))
    assert field.h1 == ["Lĩnh vực Hộ tịch"]
    assert "../../thu-tuc/dang-ky-khai-sinh-1-001193/" in field.links


def test_broken_content_fails_with_location_and_keeps_previous_site(minimal_project: Project):
    assert minimal_project.build().returncode == 0
    index = minimal_project.site / "index.html"
    before = index.read_bytes()
    file = minimal_project.content / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
    file.write_text(file.read_text("utf-8").replace("level: 2", "level: [2"), "utf-8")
    result = minimal_project.build()
    assert result.returncode == 1
    assert "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml:" in result.stderr
    assert "Chưa xuất bản" in result.stderr
    assert "Traceback" not in result.stderr
    assert index.read_bytes() == before
    assert not list(minimal_project.root.glob("site.building-*"))


def test_check_command_reports_errors_and_exit_codes(minimal_project: Project):
    ok = minimal_project.run("check")
    assert ok.returncode == 0 and "Nội dung hợp lệ: 2 thủ tục" in ok.stdout
    file = minimal_project.content / "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
    file.write_text(file.read_text("utf-8").replace("field: cu-tru", "field: cư-trú"), "utf-8")
    bad = minimal_project.run("check")
    assert bad.returncode == 1
    assert re.search(r"1\.004194-dang-ky-tam-tru\.yml:4:1: field: .*chữ thường không dấu", bad.stderr), bad.stderr
    assert not (minimal_project.site).exists()


def test_written_empty_role_says_none_and_a_missing_one_is_unknown(minimal_project: Project):
    file = next((minimal_project.content / "procedures").rglob("1.001193-*.yml"))
    written = file.read_text("utf-8").replace("  implementing: [ubnd-xa]\n", "  implementing: [ubnd-xa]\n  coordinating: []\n", 1)
    file.write_text(written, "utf-8")
    assert minimal_project.build().returncode == 0
    html = minimal_project.html("thu-tuc/dang-ky-khai-sinh-1-001193/")
    assert "<dt>Cơ quan phối hợp</dt><dd>Không</dd>" in html
    assert "<dt>Cơ quan có thẩm quyền</dt><dd>Chưa có thông tin</dd>" in html


def test_editing_a_procedure_shows_up_after_rebuild(minimal_project: Project):
    assert minimal_project.build().returncode == 0
    file = minimal_project.content / "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
    file.write_text(file.read_text("utf-8").replace("3 ngày làm việc kể từ", "02 ngày làm việc kể từ"), "utf-8")
    assert minimal_project.build().returncode == 0
    assert "02 ngày làm việc kể từ" in minimal_project.html("thu-tuc/dang-ky-tam-tru-1-004194/")


# --- the sample catalogue that ships with the repository -------------------------------------------


def procedure_pages(site: Path) -> list[Path]:
    return content_pages(sorted((site / "thu-tuc").glob("*/index.html")))


def test_sample_catalogue_is_big_and_varied_enough(sample_site: Project):
    pages = procedure_pages(sample_site.site)
    assert len(pages) >= 30
    fields = list((sample_site.site / "linh-vuc").glob("*/index.html"))
    assert len(fields) >= 6
    levels = {re.search(r"Mức độ (\d)", p.read_text("utf-8")).group(1) for p in pages}
    assert {"1", "2"} <= levels


def test_every_sample_procedure_shows_all_art_5_1_items(sample_site: Project):
    for file in procedure_pages(sample_site.site):
        page = parse(file.read_text("utf-8"))
        assert len(page.h1) == 1 and page.h1[0].strip(), file
        for section_id, heading in ART_5_1_SECTIONS:
            text = text_of(page.sections.get(section_id, ""))
            assert text.startswith(heading), f"{file}: section {section_id} missing"
            assert len(text) > len(heading) + 1, f"{file}: section {section_id} is empty"


def test_sample_khai_sinh_page(sample_site: Project):
    html = sample_site.html("thu-tuc/dang-ky-khai-sinh-1-001193/")
    page = parse(html)
    assert page.h1 == ["Đăng ký khai sinh"]
    assert "Luật Hộ tịch" in page.sections["can-cu"]
    assert "Dữ liệu mẫu" in html


@pytest.mark.parametrize("name", ["sitemap.xml", "404.html", "index.html"])
def test_site_files_exist(sample_site: Project, name: str):
    assert (sample_site.site / name).exists()


def test_no_unused_theme_assets_are_published(sample_site: Project):
    assert not (sample_site.site / "assets/javascripts").exists()
    assert published_asset(sample_site.site, "assets/css/site.css").exists()
