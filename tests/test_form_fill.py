"""Fill-in pages and fillable PDFs from form definitions, read back from a real build.

The pages (bieu-mau/<path>/dien/) are checked as HTML here; test_form_fill_browser.py uses them in
Chromium. The PDF's AcroForm fields are read back with pypdf.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader
from sitecheck import content_pages

from conftest import SAMPLE_CONTENT, Project
from thutuc.content.form_definition import load_definition
from thutuc.content.formfiles import generated_paths
from thutuc.site.pages import form_file_url, form_fill_url
from thutuc.vi.text import slug

DEFINITIONS = sorted((SAMPLE_CONTENT / "forms").rglob("*.form.yml"))
KHAI_SINH = "forms/ho-tich/to-khai-dang-ky-khai-sinh.form.yml"
CT01 = "forms/cu-tru/ct01-to-khai-thay-doi-thong-tin-cu-tru.form.yml"
GPLX = "forms/duong-bo/don-de-nghi-doi-cap-lai-giay-phep-lai-xe.form.yml"


class Elements(HTMLParser):
    """Start tags with their attributes, and the text of each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {k: v or "" for k, v in attrs}
        self.tags.append((tag, names))
        if tag not in ("input", "br", "meta", "link", "img"):
            self._open.append(names.get("id", ""))

    def handle_endtag(self, tag):
        if self._open and tag not in ("input", "br", "meta", "link", "img"):
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.text_by_id[element_id] = self.text_by_id.get(element_id, "") + data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def definition(path: str):
    loaded, problems = load_definition(SAMPLE_CONTENT / path, path, path)
    assert loaded is not None, [p.format() for p in problems]
    return loaded


def page_of(site: Path, path: str) -> Elements:
    parser = Elements()
    parser.feed((site / form_fill_url(path) / "index.html").read_text("utf-8"))
    return parser


def test_every_used_definition_has_a_fill_page_linked_beside_its_downloads(sample_site: Project):
    site = sample_site.site
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / "bieu-mau").rglob("dien/index.html"))
    assert pages == sorted(form_fill_url(p.relative_to(SAMPLE_CONTENT).as_posix()) for p in DEFINITIONS)
    linked = 0
    for procedure in content_pages((site / "thu-tuc").glob("*/index.html")):
        html = procedure.read_text("utf-8")
        if "retired__stamp" in html:  # an abolished procedure's notice offers no form to fill in
            continue
        section = html[re.search(r'id="?mau-don"?', html).start():]
        for path in DEFINITIONS:
            pdf = form_file_url(generated_paths(path.relative_to(SAMPLE_CONTENT).as_posix())[2])
            if pdf in section:
                fill = form_fill_url(path.relative_to(SAMPLE_CONTENT).as_posix())
                assert re.search(rf'href="?[./]*{re.escape(fill)}"?[^>]*>Điền tờ khai trực tuyến rồi in', section), procedure
                linked += 1
    assert linked >= len(DEFINITIONS)


def test_fill_page_offers_the_downloads_without_javascript(sample_site: Project):
    page = page_of(sample_site.site, KHAI_SINH)
    downloads = [a["href"] for a in page.find("a") if "download" in a]
    assert [Path(h).suffix for h in downloads] == [".docx", ".odt", ".pdf"]
    # The tools need JavaScript: hidden in the markup, shown by form-fill.js; the note says what works without it.
    tools = [a for _, a in page.tags if "data-fill-tools" in a]
    assert tools and all("hidden" in a for a in tools)
    assert not [a for _, a in page.tags if "data-fill-nojs" in a and "hidden" in a]
    # No submit button: without JavaScript nothing can send the form anywhere.
    buttons = [a for a in page.find("button") if any(k.startswith("data-fill-") for k in a)]
    assert len(buttons) == 5 and all(a.get("type") == "button" for a in buttons)
    form = next(a for a in page.find("form") if "data-form-fill" in a)
    assert "action" not in form and "novalidate" in form


def test_every_input_has_a_label_and_its_hint_is_linked(sample_site: Project):
    for path in DEFINITIONS:
        page = page_of(sample_site.site, path.relative_to(SAMPLE_CONTENT).as_posix())
        labelled = {a["for"] for a in page.find("label") if "for" in a}
        controls = [a for t, a in page.tags if t in ("input", "textarea") and a.get("name")]
        assert controls
        for control in controls:
            assert control["id"] in labelled, (path.name, control)
            for described in control.get("aria-describedby", "").split():
                assert page.text_by_id.get(described, "").strip(), (path.name, described)


def test_inputs_fit_what_is_asked(sample_site: Project):
    ct01 = page_of(sample_site.site, CT01)
    cccd = ct01.find("input", name="so-dinh-danh-ca-nhan")[0]
    assert (cccd["inputmode"], cccd["data-digits"], cccd.get("type", "text")) == ("numeric", "12", "text")
    assert ct01.find("input", name="so-dien-thoai-lien-he")[0]["type"] == "tel"
    assert ct01.find("input", name="email")[0]["type"] == "email"
    assert ct01.find("textarea", name="noi-dung-de-nghi")[0]["rows"] == "3"
    birth = ct01.find("input", name="ngay-thang-nam-sinh")[0]
    assert birth["inputmode"] == "numeric" and birth["aria-required"] == "true"
    assert "25/08/1990" in ct01.text_by_id[birth["aria-describedby"]]
    # Required: marked in the label, and the message the check shows is Vietnamese and names the field.
    box = next(a for t, a in ct01.tags if a.get("data-entry") is not None and a.get("data-kind") == "cccd")
    assert box["data-required"] == "Nhập số định danh cá nhân." and "12 chữ số" in box["data-format"]
    khai_sinh = page_of(sample_site.site, KHAI_SINH)
    radios = khai_sinh.find("input", name="de-nghi-cap-ban-sao")
    assert [(r["type"], r["value"]) for r in radios] == [("radio", "co"), ("radio", "khong")]
    # A numbered note "(2)" after a label becomes the hint under that field.
    residence = khai_sinh.find("input", name="noi-cu-tru")[0]
    assert "nơi đăng ký thường trú" in khai_sinh.text_by_id[residence["aria-describedby"]]
    gplx = page_of(sample_site.site, GPLX)
    assert {r["type"] for r in gplx.find("input", name="hinh-thuc-nhan-ket-qua")} == {"checkbox"}
    assert gplx.find("input", name="so-dinh-danh-ca-nhan")[0]["data-digits"] == "12"  # type: cccd without boxes


def test_fillable_pdf_fields_are_named_from_the_definition(sample_site: Project):
    for path in DEFINITIONS:
        written = path.relative_to(SAMPLE_CONTENT).as_posix()
        form = definition(written)
        pdf = (sample_site.site / form_file_url(generated_paths(written)[2])).read_bytes()
        fields = PdfReader(io.BytesIO(pdf)).get_fields()
        assert fields, path.name
        for block in form.blocks:
            for entry in block.entries:
                if block.kind == "choice" and entry.type == "checkbox":
                    names = [f"{entry.name}-{slug(option)}" for option in block.labels]
                    assert all(fields[n]["/FT"] == "/Btn" for n in names), (path.name, names)
                elif block.kind == "choice":
                    assert fields[entry.name]["/FT"] == "/Btn", (path.name, entry.name)
                elif block.kind == "table":
                    assert fields[f"{entry.name}-{block.rows}-{len(block.labels)}"]["/FT"] == "/Tx"
                else:
                    assert fields[entry.name]["/FT"] == "/Tx", (path.name, entry.name)
    ct01 = PdfReader(io.BytesIO((sample_site.site / "bieu-mau/cu-tru/ct01-to-khai-thay-doi-thong-tin-cu-tru.pdf").read_bytes()))
    widgets = {a.get_object()["/T"]: a.get_object() for page in ct01.pages for a in page.get("/Annots", [])
               if "/T" in a.get_object()}
    cccd = widgets["so-dinh-danh-ca-nhan"]
    assert cccd["/MaxLen"] == 12 and int(cccd["/Ff"]) & (1 << 24)  # one digit per printed box (comb)
    assert int(ct01.get_fields()["noi-dung-de-nghi-tiep"]["/Ff"]) & (1 << 12)  # the extra lines: multi-line


def test_a_filled_pdf_keeps_its_values(sample_site: Project, tmp_path: Path):
    """What a PDF reader does when someone types: the values are stored under the definition's names."""
    from pypdf import PdfWriter

    source = sample_site.site / "bieu-mau/ho-tich/to-khai-dang-ky-khai-sinh.pdf"
    writer = PdfWriter(clone_from=str(source))
    writer.update_page_form_field_values(writer.pages[0], {"ho-chu-dem-ten": "NGUYỄN THỊ BÌNH", "que-quan": "Nam Định"},
                                         auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    values = {name: field.get("/V") for name, field in PdfReader(filled).get_fields().items()}
    assert values["ho-chu-dem-ten"] == "NGUYỄN THỊ BÌNH" and values["que-quan"] == "Nam Định"


def test_entry_names_are_unique_and_stable():
    form = definition(KHAI_SINH)
    names = [entry.name for entry in form.entries()]
    assert len(names) == len(set(names))
    assert names[:3] == ["ho-chu-dem-ten-nguoi-yeu-cau", "noi-cu-tru", "giay-to-tuy-than"]
    assert {"noi-cu-tru-2", "noi-cu-tru-3", "nam-sinh-2"} <= set(names)


def test_markup_in_a_definition_is_shown_as_text(minimal_project: Project):
    from test_forms import SHORT_FORM, with_definition

    hinted = SHORT_FORM.replace("  - field: Họ, chữ đệm, tên người yêu cầu\n", (
        "  - field: Họ, chữ đệm, tên người yêu cầu\n"
        "    hint: \"<script>alert(1)</script> <b onclick='x()'>in hoa</b>\"\n    required: true\n"))
    result = with_definition(minimal_project, hinted).build()
    assert result.returncode == 0, result.stderr
    html = (minimal_project.site / "bieu-mau/ho-tich/to-khai/dien/index.html").read_text("utf-8")
    assert "<script>alert" not in html and "<b onclick" not in html and "&lt;script" in html
    assert "Kính gửi: Ủy ban nhân dân xã Mẫu" in html  # a recipient without dots to fill is printed as it is
    page = Elements()
    page.feed(html)
    name = page.find("input", name="ho-chu-dem-ten-nguoi-yeu-cau")[0]
    assert name["aria-required"] == "true" and "in hoa" in page.text_by_id[name["aria-describedby"]]
