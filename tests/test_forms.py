"""Forms: downloadable files on procedure pages, and forms generated from one YAML definition.

Generated files are opened with real readers (python-docx, odfpy, pypdf) and searched for the
labels with their diacritics; bad forms must stop the build with a message naming the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from odf import teletype
from odf import text as odf_text
from odf.opendocument import load as load_odt
from pypdf import PdfReader

from conftest import SAMPLE_CONTENT, Project
from thutuc.content.catalogue import load_catalogue
from thutuc.content.form_definition import NATIONAL_MOTTO, NATIONAL_NAME, FormDefinition, load_definition
from thutuc.content.formfiles import generated_paths
from thutuc.forms import generate
from thutuc.site.pages import form_file_url
from thutuc.vi.labels import file_size

DEFINITIONS = sorted((SAMPLE_CONTENT / "forms").rglob("*.form.yml"))
KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
UPLOADED = "    files: [forms/ho-tich/to-khai-dang-ky-khai-sinh.txt]"
A4 = (595.28, 841.89)


def nfc(text: str) -> str:
    """NFC with all whitespace (line breaks, no-break spaces) collapsed: labels may wrap."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


def definition_of(path: Path) -> FormDefinition:
    written = path.relative_to(SAMPLE_CONTENT).as_posix()
    definition, problems = load_definition(path, written, written)
    assert definition is not None, [p.format() for p in problems]
    return definition


def printed_labels(definition: FormDefinition, with_columns: bool = True) -> list[str]:
    """What any reader must find: header, title, every label, options, signature titles."""
    labels = [NATIONAL_NAME, NATIONAL_MOTTO, definition.title.upper()]
    for block in definition.blocks:
        if block.kind in ("field", "choice", "heading") or (block.kind == "table" and block.label):
            labels.append(block.label)
        if block.kind == "row" or block.kind == "choice" or (block.kind == "table" and with_columns):
            labels.extend(block.labels)
    labels += [s.title.upper() for s in definition.signatures]
    return [nfc(label) for label in labels]


def generated(site: Path, definition: FormDefinition, extension: str) -> bytes:
    path = next(p for p in generated_paths(definition.path) if p.endswith(extension))
    return (site / form_file_url(path)).read_bytes()


def test_sample_has_enough_generated_forms_and_keeps_uploaded_ones():
    assert len(DEFINITIONS) >= 8
    uploaded = [p for p in (SAMPLE_CONTENT / "forms").rglob("*") if p.suffix in (".docx", ".pdf")]
    assert uploaded, "a few sample forms stay plain uploaded files"
    for path in DEFINITIONS:  # the hand-made files they replace are gone
        for generated_path in generated_paths(path.relative_to(SAMPLE_CONTENT).as_posix()):
            assert not (SAMPLE_CONTENT / generated_path).exists(), generated_path


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.name)
def test_docx_is_a_real_word_form(sample_site: Project, path: Path):
    definition = definition_of(path)
    document = docx.Document(io.BytesIO(generated(sample_site.site, definition, ".docx")))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = nfc("\n".join(parts))
    for label in printed_labels(definition):
        assert label in text, label
    # Writing lines are dot-leader tabs: the last ends at the margin; on a shared line the earlier ones are
    # left stops, so the next label starts there instead of being pushed against the stop.
    for paragraph in document.paragraphs:
        stops = list(paragraph.paragraph_format.tab_stops)
        if stops:
            assert all(stop.leader == WD_TAB_LEADER.DOTS for stop in stops)
            assert stops[-1].alignment == WD_TAB_ALIGNMENT.RIGHT and round(stops[-1].position.mm) == 160
            assert all(stop.alignment == WD_TAB_ALIGNMENT.LEFT for stop in stops[:-1])
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:ascii")) == "Times New Roman"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.title == definition.title


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.name)
def test_odt_is_a_real_opendocument_form(sample_site: Project, path: Path):
    definition = definition_of(path)
    document = load_odt(io.BytesIO(generated(sample_site.site, definition, ".odt")))
    text = nfc("\n".join(teletype.extractText(p) for p in document.getElementsByType(odf_text.P)))
    for label in printed_labels(definition):
        assert label in text, label
    faces = [f.getAttribute("name") for f in document.fontfacedecls.childNodes]
    assert "Times New Roman" in faces


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.name)
def test_pdf_is_a4_embeds_its_fonts_and_prints_every_label(sample_site: Project, path: Path):
    definition = definition_of(path)
    reader = PdfReader(io.BytesIO(generated(sample_site.site, definition, ".pdf")))
    pages = [nfc(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    # Table headers wrap inside narrow cells, so the PDF is read for everything else.
    for label in printed_labels(definition, with_columns=False):
        assert label in text, label
    fonts = 0
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4[0]) <= 1 and abs(float(page.mediabox.height) - A4[1]) <= 1
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            assert "LiberationSerif" in font["/BaseFont"]
            fonts += 1
    assert fonts >= 2
    if len(pages) > 1:
        for number, page_text in enumerate(pages, start=1):
            assert f"Trang {number}/{len(pages)}" in page_text


def test_procedure_pages_link_every_generated_file_with_its_real_size(sample_site: Project):
    catalogue = load_catalogue(SAMPLE_CONTENT).catalogue
    users = [p for p in catalogue.procedures if any(f.definition for f in p.forms)]
    assert len(users) > len({f.definition for p in users for f in p.forms if f.definition})  # some share one
    for procedure in users:
        html = sample_site.html(procedure.url)
        for form in procedure.forms:
            if not form.definition:
                continue
            for path in generated_paths(form.definition):
                published = sample_site.site / form_file_url(path)
                extension = Path(path).suffix
                assert form_file_url(path) in html, (procedure.code, path)
                assert f"Tải về ({extension}, {file_size(published.stat().st_size)})" in html


def test_dossier_and_forms_section_show_code_and_title(sample_site: Project):
    procedure = next(p for p in load_catalogue(SAMPLE_CONTENT).catalogue.procedures if p.code == "1.004194")
    html = sample_site.html(procedure.url)
    def at(element_id: str) -> int:  # attribute quotes are optional in minified HTML
        return re.search(rf'id="?{element_id}"?[ >]', html).start()

    dossier = html[at("ho-so"):at("thoi-han")]
    section = html[at("mau-don"):at("yeu-cau")]
    for part in (dossier, section):
        assert "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)" in part
        assert part.count("bieu-mau/cu-tru/ct01-to-khai-thay-doi-thong-tin-cu-tru.") >= 3


def test_each_definition_is_generated_once_per_build():
    catalogue = load_catalogue(SAMPLE_CONTENT).catalogue
    used = {f.definition for p in catalogue.procedures for f in p.forms if f.definition}
    generate._CACHE.clear()
    before = generate.generation_count
    assert generate.generate_catalogue_forms(catalogue) == []
    assert generate.generation_count - before == len(used)
    sizes = {path: f.size for p in catalogue.procedures for path, f in p.form_files.items() if f.data is not None}
    assert len(sizes) == 3 * len(used) and all(size > 1000 for size in sizes.values())


def _generated_data(catalogue) -> dict[str, bytes]:
    return {path: f.data for p in catalogue.procedures for path, f in p.form_files.items() if f.data is not None}


def test_later_builds_read_generated_forms_back_from_the_disk_cache(tmp_path: Path):
    cache = tmp_path / "forms"
    cache.mkdir()
    (cache / "0123-older-generator.pickle").write_bytes(b"stale")
    catalogue = load_catalogue(SAMPLE_CONTENT).catalogue
    used = {f.definition for p in catalogue.procedures for f in p.forms if f.definition}
    generate._CACHE.clear()
    assert generate.generate_catalogue_forms(catalogue, cache_dir=cache) == []
    expected = _generated_data(catalogue)
    stored = sorted(cache.glob("*.pickle"))
    assert len(stored) == len(used), "one file per definition; the stale one is removed"

    generate._CACHE.clear()  # as in a new build process
    before = generate.generation_count
    again = load_catalogue(SAMPLE_CONTENT).catalogue
    assert generate.generate_catalogue_forms(again, cache_dir=cache) == []
    assert generate.generation_count == before, "nothing rendered: every form came from the cache"
    assert _generated_data(again) == expected

    stored[0].write_bytes(b"damaged")  # a broken cache file is rendered again, never published
    generate._CACHE.clear()
    third = load_catalogue(SAMPLE_CONTENT).catalogue
    assert generate.generate_catalogue_forms(third, cache_dir=cache) == []
    assert generate.generation_count == before + 1
    assert _generated_data(third) == expected


def test_sizes_are_written_the_vietnamese_way():
    assert [file_size(n) for n in (512, 2560, 38 * 1024 + 100, int(1.2 * 1048576))] == ["512 byte", "2,5 KB", "38 KB", "1,2 MB"]


# -- a small project: one short definition, and every way a form can be wrong -------------------------

SHORT_FORM = """\
title: Tờ khai thử nghiệm
recipient: Ủy ban nhân dân xã Mẫu
body:
  - field: Họ, chữ đệm, tên người yêu cầu
  - choice: Giới tính
    options: [Nam, Nữ]
signatures:
  - title: Người yêu cầu
    guidance: (Ký, ghi rõ họ, chữ đệm, tên)
"""


def with_definition(project: Project, definition: str = SHORT_FORM, written: str = "forms/ho-tich/to-khai.form.yml") -> Project:
    (project.content / "forms/ho-tich/to-khai.form.yml").write_text(definition, "utf-8")
    procedure = project.content / KHAI_SINH
    text = procedure.read_text("utf-8")
    assert UPLOADED in text
    procedure.write_text(text.replace(UPLOADED, f"    definition: {written}"), "utf-8")
    return project


def test_a_level_2_form_may_be_only_a_definition(minimal_project: Project):
    result = with_definition(minimal_project).build()
    assert result.returncode == 0, result.stderr
    pdf = PdfReader(minimal_project.site / "bieu-mau/ho-tich/to-khai.pdf")
    assert len(pdf.pages) == 1 and "Trang" not in pdf.pages[0].extract_text()  # no page numbers on one page
    text = nfc(pdf.pages[0].extract_text())
    assert "Kính gửi: Ủy ban nhân dân xã Mẫu" in text and "□ Nam" in text
    assert (minimal_project.site / "bieu-mau/ho-tich/to-khai.docx").stat().st_size > 0


BAD_DEFINITION = """\
title: Tờ khai lỗi
body:
  - field: Họ và tên
    lable: sai khóa
  - row: [A, B, C, D, E]
  - field: Nơi cư trú
    choice: Hai loại
signatures: []
"""


@pytest.mark.parametrize(
    ("definition", "written", "upload", "where", "words"),
    [
        (SHORT_FORM, "forms/ho-tich/../../../bi-mat.form.yml", None, f"{KHAI_SINH}:", ["forms[0].definition", ".."]),
        (SHORT_FORM, "forms/ho-tich/khong-co.form.yml", None, f"{KHAI_SINH}:", ["forms[0].definition", "không tìm thấy"]),
        (SHORT_FORM, "forms/ho-tich/to-khai.yml", None, f"{KHAI_SINH}:", ["forms[0].definition", ".form.yml"]),
        (SHORT_FORM, "forms/ho-tich/to-khai.form.yml", ("forms/ho-tich/to-khai.pdf", b"%PDF-1.4\n"), f"{KHAI_SINH}:",
         ["forms[0].definition", "forms/ho-tich/to-khai.pdf", "đã có"]),
        (BAD_DEFINITION, "forms/ho-tich/to-khai.form.yml", None, "forms/ho-tich/to-khai.form.yml:4:5:", ["body[0].lable"]),
    ],
    ids=["dotdot", "missing", "not-form-yml", "name-clash", "invalid-definition"],
)
def test_bad_definitions_stop_the_build_with_a_located_message(minimal_project, definition, written, upload, where, words):
    project = with_definition(minimal_project, definition, written)
    if upload:
        (project.content / upload[0]).write_bytes(upload[1])
    result = project.build()
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if where in line]
    assert any(all(word in line for word in words) for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.site / "bieu-mau").exists()


def test_every_mistake_of_a_definition_is_reported_in_one_run(minimal_project):
    result = with_definition(minimal_project, BAD_DEFINITION).build()
    messages = [line for line in result.stderr.splitlines() if "to-khai.form.yml:" in line]
    keys = {re.search(r"\.form\.yml:\d+:\d+: (\S+):", line).group(1) for line in messages}
    assert {"body[0].lable", "body[1].row", "signatures"} <= keys, result.stderr


def test_block_with_two_kinds_is_explained(minimal_project):
    broken = SHORT_FORM.replace("  - choice: Giới tính\n", "  - field: Nơi ở\n    choice: Giới tính\n")
    result = with_definition(minimal_project, broken).build()
    assert result.returncode == 1
    assert re.search(r"to-khai\.form\.yml:5:5: body\[1\]: một phần chỉ được có một trong các khóa “field”, “choice”", result.stderr)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("anh.png", b"\x89PNG\r\n", ["forms[0].files[0]", "định dạng"]),
        ("gia.pdf", b"<html>not a pdf</html>", ["forms[0].files[0]", "gia.pdf", "PDF"]),
    ],
)
def test_bad_uploaded_files_stop_the_build(minimal_project, name, content, words):
    (minimal_project.content / "forms/ho-tich" / name).write_bytes(content)
    procedure = minimal_project.content / KHAI_SINH
    procedure.write_text(procedure.read_text("utf-8").replace("to-khai-dang-ky-khai-sinh.txt", name), "utf-8")
    result = minimal_project.build()
    assert result.returncode == 1
    assert any(KHAI_SINH in line and all(w in line for w in words) for line in result.stderr.splitlines()), result.stderr


def test_missing_font_says_what_to_install(minimal_project, monkeypatch, tmp_path):
    monkeypatch.setenv("THUTUC_FONT_DIR", str(tmp_path / "khong-co-phong"))
    result = with_definition(minimal_project).build()
    assert result.returncode == 1
    assert "forms/ho-tich/to-khai.form.yml:1:1:" in result.stderr and "fonts-liberation2" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "location", "words"),
    [
        ("  - field: Họ, chữ đệm, tên người yêu cầu\n", "  - field: Số định danh\n    boxes: 12\n    lines: 2\n", ":5:5: body[0].boxes:",
         ["lines", "boxes"]),
        ("    options: [Nam, Nữ]\n", "", ":5:5: body[1].options:", ["thiếu", "options"]),
        ("  - choice: Giới tính\n    options: [Nam, Nữ]\n", "  - row: [A, B, C, D, E]\n", ":5:5: body[1].row:", ["5 phần tử", "tối đa 4"]),
        ("  - choice: Giới tính\n    options: [Nam, Nữ]\n", "  - table: {columns: [TT, Họ tên], widths: [1], rows: 3}\n",
         ":5:36: body[1].table.widths:", ["1 độ rộng", "2 cột"]),
        ("signatures:\n", "signature:\n", ":7:1: signature:", ["signatures"]),
        # The fill-in page's keys (test_form_fill.py): input types, citizen ID boxes, row parts with hints.
        ("  - field: Họ, chữ đệm, tên người yêu cầu\n", "  - field: Số định danh\n    type: cmnd\n", ":5:5: body[0].type:",
         ["giá trị “cmnd” không hợp lệ", "cccd"]),
        ("  - field: Họ, chữ đệm, tên người yêu cầu\n", "  - field: Số định danh\n    type: cccd\n    boxes: 9\n",
         ":6:5: body[0].boxes:", ["12 chữ số", "boxes” là 9"]),
        ("  - choice: Giới tính\n    options: [Nam, Nữ]\n", "  - row:\n      - {field: Năm sinh, hnit: Bốn chữ số}\n      - Dân tộc\n",
         ":6:27: body[1].row[0].hnit:", ["không có trong mẫu", "có phải ý bạn là “hint”?"]),
        ("  - choice: Giới tính\n", "  - choice: Giới tính\n    type: date\n", ":6:5: body[1].type:", ["“type” chỉ dùng cùng với “field”"]),
    ],
    ids=["boxes-and-lines", "choice-without-options", "row-too-long", "widths-mismatch", "typo", "unknown-type", "cccd-boxes",
         "row-part-typo", "type-on-choice"],
)
def test_definition_mistakes_are_located(tmp_path, old, new, location, words):
    file = tmp_path / "to-khai.form.yml"
    assert old in SHORT_FORM
    file.write_text(SHORT_FORM.replace(old, new), "utf-8")
    definition, problems = load_definition(file, "forms/x/to-khai.form.yml", "to-khai.form.yml")
    assert definition is None
    lines = [p.format() for p in problems]
    assert any(location in line and all(w in line for w in words) for line in lines), lines


def test_form_schema_is_documented_in_vietnamese():
    import json

    schema = json.loads((Path(__file__).parent.parent / "plugins/thutuc/schema/form.schema.json").read_text("utf-8"))
    block = schema["$defs"]["block"]["properties"]
    for node in [*schema["properties"].values(), *block.values()]:
        assert node.get("title") and node.get("description"), node
