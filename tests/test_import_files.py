"""`build.py import` with the files officers really have, and with files made to do harm.

Every test runs the real CLI on a copy of the sample content. A refused input must give a Vietnamese
reason, a non-zero exit, write nothing outside content/procedures (nor any invalid file inside), and
leave `check` passing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, SAMPLE_CONTENT, Project, make_project

FILES = FIXTURES / "import" / "files"
HEADER = ["Mã thủ tục", "Tên thủ tục", "Quyết định công bố", "Lĩnh vực", "Cấp thực hiện", "Cơ quan thực hiện",
          "Đối tượng thực hiện", "Trình tự thực hiện", "Cách thức thực hiện", "Thời hạn giải quyết", "Phí, lệ phí",
          "Thành phần hồ sơ", "Kết quả thực hiện", "Yêu cầu, điều kiện", "Căn cứ pháp lý"]


def _row(code: object, title: str, *, level: str = "Cấp xã", agency: str = "Ủy ban nhân dân cấp xã") -> list[object]:
    return [code, title, "Quyết định số 1872/QĐ-BTP ngày 04/9/2020", "Hộ tịch", level, agency, "Cá nhân",
            "Nộp hồ sơ: nộp tờ khai\nTrả kết quả: nhận kết quả", "Trực tiếp", "03 ngày làm việc", "Lệ phí: Miễn lệ phí",
            "Tờ khai | 1 | 0", "Giấy xác nhận", "Không", "60/2014/QH13 | Luật Hộ tịch | 20/11/2014 | Quốc hội"]


def _csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def _portal_record(code: str, **changes: object) -> dict:
    record = json.loads((FIXTURES / "import" / "portal-record-wrapped.json").read_text("utf-8"))["data"]
    record["code"] = code
    record.update(changes)
    return record


def _snapshot(root: Path) -> dict[str, str]:
    """{relative path: content hash} of every file under root (symlinks not followed)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "project", SAMPLE_CONTENT)


def _imported(project: Project, code: str) -> dict:
    files = list((project.content / "procedures").rglob(f"{code}-*.yml"))
    assert len(files) == 1, files
    return yaml.safe_load(files[0].read_text("utf-8"))


def _assert_refused(project: Project, result, before: dict[str, str], *phrases: str) -> None:
    """Non-zero exit, a Vietnamese reason, no traceback, nothing written, and `check` still passes."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    for phrase in phrases:
        assert phrase in output, output
    assert _changed(before, _snapshot(project.root)) == set(), "a refused import wrote files"
    check = project.run("check")
    assert check.returncode == 0, check.stderr


# -- CSV and Excel files as officers have them ---------------------------------------------------------


def test_excel_semicolon_cp1258_csv_imports_and_matches_agency(project: Project) -> None:
    raw = (FILES / "excel-semicolon-cp1258.csv").read_bytes()
    assert b";" in raw and b"\xcc" in raw  # semicolons and a CP1258 combining tone mark, as Excel writes them
    agencies_before = (project.content / "agencies.yml").read_bytes()
    result = project.run("import", str(FILES / "excel-semicolon-cp1258.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    data = _imported(project, "1.000890")
    assert data["title"] == "Đăng ký lại khai tử"  # NFC, not mojibake
    assert data["agencies"]["implementing"] == ["ubnd-xa"]  # "UBND cấp xã" is the existing agency
    assert [m["channel"] for m in data["methods"]] == ["direct", "postal"]
    assert _imported(project, "1.005001")["agencies"]["implementing"] == ["ubnd-xa"]  # "Ủy ban nhân dân xã"
    assert (project.content / "agencies.yml").read_bytes() == agencies_before, "no twin agency added"
    assert project.run("check").returncode == 0


def test_utf8_bom_csv_with_title_rows(project: Project) -> None:
    result = project.run("import", str(FILES / "excel-utf8-bom.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    data = _imported(project, "2.005002")
    assert data["code"] == "2.005002" and data["field"] == "chung-thuc"
    assert data["agencies"]["implementing"] == ["ubnd-xa"]  # "UBND xã"
    assert project.run("check").returncode == 0


def test_excel_unicode_text_utf16_tabs(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "danh-muc.txt.csv"
    export.write_bytes(_csv_text([_row("1.000111", "Thủ tục thử nghiệm một")], "\t").encode("utf-16"))
    result = project.run("import", str(export))
    assert result.returncode == 0, result.stdout + result.stderr
    assert _imported(project, "1.000111")["title"] == "Thủ tục thử nghiệm một"


def test_csv_that_is_no_text_is_refused_in_vietnamese(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "hong.csv"
    export.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)  # undefined in UTF-8 and in Windows-1258
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before, "không đọc được tệp CSV")


def test_xlsx_title_rows_and_number_formatted_codes(project: Project, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND CẤP XÃ"])
    sheet.merge_cells("A1:F1")
    sheet.append(["(Ban hành kèm theo Quyết định số 123/QĐ-UBND của Chủ tịch UBND tỉnh Mẫu)"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(_row("1.000222", "Thủ tục có mã dạng văn bản"))
    sheet.append(_row(1.00089, "Thủ tục có mã bị định dạng số"))  # typed 1.000890 in a Number column
    sheet.append(_row(1.000333, "Thủ tục có mã số còn đủ chữ số"))  # a number cell is refused all the same
    export = tmp_path / "danh-muc.xlsx"
    workbook.save(export)
    before = _snapshot(project.content / "procedures")
    result = project.run("import", str(export))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert _imported(project, "1.000222")["title"] == "Thủ tục có mã dạng văn bản"
    assert "danh-muc.xlsx (dòng 6, mã 1.00089)" in result.stderr and "Văn bản (Text)" in result.stderr, output
    assert "danh-muc.xlsx (dòng 7" in result.stderr, output
    # Each message says what happened to that cell: a lost zero only where one was lost.
    line6 = next(line for line in result.stderr.splitlines() if "dòng 6" in line)
    line7 = next(line for line in result.stderr.splitlines() if "dòng 7" in line)
    assert "mất 1 chữ số 0" in line6 and "1.000890" in line6, line6
    assert "1.000333" in line7 and "đọc được đủ" in line7 and "đã mất" not in line7, line7
    written = _changed(before, _snapshot(project.content / "procedures"))
    assert len(written) == 1 and all("1.000222" in p for p in written), written
    assert project.run("check").returncode == 0


def test_legacy_encoded_text_is_refused_and_every_written_file_passes_check(project: Project, tmp_path: Path) -> None:
    # "Đăng ký khai tử" typed with the VNI-Windows font, saved as UTF-8 (what `check` calls mojibake).
    vni_title = "Ñaêng kyù khai töû"
    export = tmp_path / "danh-muc.csv"
    export.write_text(_csv_text([_row("1.000444", "Thủ tục gõ đúng Unicode"), _row("1.000555", vni_title)]), "utf-8")
    result = project.run("import", str(export))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    refused = next(line for line in result.stderr.splitlines() if "1.000555" in line)
    assert "VNI" in refused and "title" in refused and "không ghi tệp" in refused, refused
    assert not list((project.content / "procedures").rglob("1.000555-*.yml"))
    assert _imported(project, "1.000444")["title"] == "Thủ tục gõ đúng Unicode"
    check = project.run("check")  # the import never writes a file that fails check
    assert check.returncode == 0, check.stdout + check.stderr


def test_quantity_is_never_made_up(project: Project, tmp_path: Path) -> None:
    given = _portal_record("1.000666", profileQuantity="02")
    absent = _portal_record("1.000777")
    absent.pop("profileQuantity", None)
    absent.pop("soBoHoSo", None)
    export = tmp_path / "ban-ghi.json"
    export.write_text(json.dumps([given, absent], ensure_ascii=False), "utf-8")
    result = project.run("import", str(export))
    assert result.returncode == 0, result.stdout + result.stderr
    assert _imported(project, "1.000666")["dossier"]["quantity"] == 2
    assert "quantity" not in _imported(project, "1.000777")["dossier"]
    assert project.run("build").returncode == 0
    pages = {code: next((project.site / "thu-tuc").glob(f"*-{code.replace('.', '-')}/index.html")).read_text("utf-8")
             for code in ("1.000666", "1.000777")}
    assert "Số lượng hồ sơ: <strong>2 bộ</strong>" in pages["1.000666"]
    assert "Số lượng hồ sơ: <strong>Chưa có thông tin</strong>" in pages["1.000777"]


def test_unknown_authority_level_is_refused_not_guessed(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "cap.csv"
    export.write_text(_csv_text([_row("1.000444", "Thủ tục cấp lạ", level="Cấp thôn, tổ dân phố"),
                                 _row("1.000555", "Thủ tục không ghi cấp", level="")]), "utf-8")
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before,
                    "cap.csv (dòng 2, mã 1.000444)", "“Cấp thôn”", "không khớp cấp nào",
                    "cap.csv (dòng 3, mã 1.000555)", "không ghi cấp thực hiện")


def test_agency_name_normalisation() -> None:
    from thutuc.content.agency_names import agency_key

    sample = "Ủy ban nhân dân cấp xã (xã, phường, đặc khu) tỉnh Mẫu"
    for written in ("UBND cấp xã", "Ủy ban nhân dân cấp xã", "UBND xã", "ubnd  Cấp Xã"):
        assert agency_key(written) == agency_key(sample), written
    assert agency_key("CA xã") == agency_key("Công an cấp xã (xã, phường, đặc khu) tỉnh Mẫu")
    assert agency_key("Công an tỉnh") == agency_key("Công an tỉnh Mẫu (Phòng Cảnh sát giao thông)")
    assert agency_key("Công an tỉnh") != agency_key("Công an cấp xã")
    assert agency_key("UBND tỉnh") != agency_key("UBND xã")
    assert agency_key("Sở TP") == agency_key("Sở Tư pháp tỉnh Mẫu")
    assert agency_key("Sở GD&ĐT") == agency_key("Sở Giáo dục và Đào tạo")
    assert agency_key("HĐND xã") == agency_key("Hội đồng nhân dân cấp xã")
    assert agency_key("Sở Tư pháp") != agency_key("Sở Tài chính")


def test_two_spellings_of_one_new_agency_become_one(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "moi.csv"
    export.write_text(_csv_text([_row("1.000666", "Thủ tục một", agency="HĐND cấp xã"),
                                 _row("1.000777", "Thủ tục hai", agency="Hội đồng nhân dân xã")]), "utf-8")
    result = project.run("import", str(export))
    assert result.returncode == 0, result.stdout + result.stderr
    agencies = yaml.safe_load((project.content / "agencies.yml").read_text("utf-8"))
    added = [a for a in agencies if "hoi-dong" in a["slug"] or "hdnd" in a["slug"]]
    assert len(added) == 1, added
    assert _imported(project, "1.000777")["agencies"]["implementing"] == [added[0]["slug"]]


def test_same_code_twice_in_one_import_writes_one_file(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "trung.csv"
    export.write_text(_csv_text([_row("1.000246", "Tên thứ nhất"), _row("1.000246", "Tên thứ hai")]), "utf-8")
    result = project.run("import", str(export))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "trung.csv (dòng 3, mã 1.000246): mã 1.000246 trùng với " in result.stderr
    assert "trung.csv (dòng 2, mã 1.000246) trong lần nhập này" in result.stderr
    assert _imported(project, "1.000246")["title"] == "Tên thứ nhất"
    assert project.run("check").returncode == 0


# -- attacks and oversized input ----------------------------------------------------------------------


def test_path_traversal_codes_write_nothing(project: Project) -> None:
    # The absolute-path record would have been written here (the fixture's code is "/tmp/…").
    absolute = Path("/tmp/thutuc-duong-dan-tuyet-doi-ban-ghi-doc-hai-tmp-thutuc-duong-dan-tuyet-doi.yml")
    absolute_before = absolute.stat().st_mtime_ns if absolute.exists() else None
    before = _snapshot(project.root.parent)
    result = project.run("import", str(FILES / "path-traversal.json"))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert output.count("không đúng dạng mã") == 3, output
    assert _changed(before, _snapshot(project.root.parent)) == set()
    assert (absolute.stat().st_mtime_ns if absolute.exists() else None) == absolute_before
    assert project.run("check").returncode == 0


def test_custom_code_pattern_cannot_open_a_path(tmp_path: Path) -> None:
    # A permissive local pattern still never lets a code become a path.
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - thutuc:\n", "  - thutuc:\n      code_pattern: '.+'\n", 1),
                      "utf-8")
    assert "code_pattern: '.+'" in config.read_text("utf-8")
    export = tmp_path / "x.json"
    export.write_text(json.dumps([_portal_record("../../x"), _portal_record("a/b")], ensure_ascii=False), "utf-8")
    before = _snapshot(project.root.parent)
    result = project.run("import", str(export))
    assert result.returncode == 1 and result.stderr.count("không đúng dạng mã") == 2, result.stdout + result.stderr
    assert _changed(before, _snapshot(project.root.parent)) == set()


def test_target_folder_symlinked_outside_content_is_refused(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (project.content / "procedures/linh-vuc-thu-nghiem").symlink_to(outside, target_is_directory=True)
    export = tmp_path / "mot.json"
    record = _portal_record("1.000654", categoriesDetails=[{"name": "Lĩnh vực thử nghiệm"}])
    export.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    result = project.run("import", str(export))
    assert result.returncode == 1 and "nằm ngoài content/procedures" in result.stderr, result.stdout + result.stderr
    assert list(outside.iterdir()) == []


def test_file_name_cannot_inject_yaml_through_the_header_comment(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "ban-ghi\ncode: 9.999999\n#.json"
    export.write_text(json.dumps(_portal_record("1.000888"), ensure_ascii=False), "utf-8")
    result = project.run("import", str(export))
    assert result.returncode == 0, result.stdout + result.stderr
    file = next((project.content / "procedures").rglob("1.000888-*.yml"))
    lines = file.read_text("utf-8").splitlines()
    assert not any(line.startswith("code: 9") for line in lines)
    assert yaml.safe_load(file.read_text("utf-8"))["code"] == "1.000888"
    assert project.run("check").returncode == 0


def test_nested_json_bomb_is_refused_in_vietnamese(project: Project) -> None:
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(FILES / "nested-bomb.json")), before,
                    "nested-bomb.json", "lồng nhau quá sâu")


def test_moderately_nested_json_is_refused_too(project: Project, tmp_path: Path) -> None:
    # Below Python's recursion limit, so json.loads succeeds: the depth limit still refuses it.
    export = tmp_path / "sau.json"
    export.write_text(json.dumps(_portal_record("1.000999", subjects=json.loads("[" * 200 + "]" * 200))), "utf-8")
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before, "lồng nhau quá sâu")


def test_oversize_file_is_refused_before_reading(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "qua-lon.json"
    with export.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: no disk space used, never read
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before, "tệp quá lớn", "chia thành nhiều tệp")


def test_xlsx_with_too_many_rows_stops_at_the_limit(project: Project, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Mã thủ tục", "Tên thủ tục"])
    for number in range(20_001):
        sheet.append([f"9.{number:06d}", "Thủ tục"])
    export = tmp_path / "nhieu-dong.xlsx"
    workbook.save(export)
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before, "nhieu-dong.xlsx", "hơn 20.000", "chia thành")


def test_value_over_schema_limit_is_refused_naming_record_and_field(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "dai.json"
    export.write_text(json.dumps([_portal_record("1.000123", name="Tên rất dài " * 500)], ensure_ascii=False), "utf-8")
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before,
                    "dai.json (bản ghi 1, mã 1.000123)", "title", "quá dài (tối đa 5000 ký tự)")


def test_huge_raw_value_is_refused_before_conversion(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "khong-lo.json"
    steps = "<p>Bước 1: nộp hồ sơ.</p>" * 10_000  # 250.000 characters of HTML
    export.write_text(json.dumps([_portal_record("1.000124", executionSteps=steps)], ensure_ascii=False), "utf-8")
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before,
                    "khong-lo.json (bản ghi 1, mã 1.000124): executionSteps: giá trị dài", "quá giới hạn 200.000 ký tự")


# -- re-import and the summary ------------------------------------------------------------------------


def test_reimport_keeps_hand_edited_file_unless_forced(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "mot.json"
    export.write_text(json.dumps(_portal_record("1.000321"), ensure_ascii=False), "utf-8")
    assert project.run("import", str(export)).returncode == 0
    again = project.run("import", str(export))
    assert again.returncode == 0 and "1 tệp cập nhật" in again.stdout, again.stdout + again.stderr
    file = next((project.content / "procedures").rglob("1.000321-*.yml"))
    edited = file.read_text("utf-8").replace("Phiếu lý lịch tư pháp\n", "Phiếu lý lịch tư pháp (sửa tay)\n", 1)
    assert edited != file.read_text("utf-8")
    file.write_text(edited, "utf-8")
    kept = project.run("import", str(export))
    assert kept.returncode == 1, kept.stdout + kept.stderr
    assert "đã được sửa tay" in kept.stderr and file.name in kept.stderr
    assert "Giữ nguyên vì đã sửa tay" in kept.stdout
    assert file.read_text("utf-8") == edited
    forced = project.run("import", "--force", str(export))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "(sửa tay)" not in file.read_text("utf-8")


def test_import_prints_a_vietnamese_summary(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "tom-tat.csv"
    export.write_text(_csv_text([_row("1.000432", "Thủ tục được nhập", agency="Ban Chỉ huy quân sự cấp xã"),
                                 _row("../x", "Thủ tục bị bỏ qua")]), "utf-8")
    result = project.run("import", str(export))
    assert result.returncode == 1
    assert "Tóm tắt lần nhập:" in result.stdout
    assert "- Đã nhập: 1 thủ tục (1 tệp mới, 0 tệp cập nhật)." in result.stdout
    assert "- Bỏ qua: 1" in result.stdout and "tom-tat.csv (dòng 3, mã ../x)" in result.stderr
    assert "- Cơ quan thêm mới: 1: ban-chi-huy-quan-su-cap-xa (Ban Chỉ huy quân sự cấp xã)." in result.stdout
    assert "- Thông tin bản ghi không có, được đánh dấu chưa rõ: " in result.stdout
    assert project.run("check").returncode == 0


# -- spreadsheets that would take gigabytes or minutes (issue 19) ------------------------------------------


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Mã thủ tục</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>Tên thủ tục</t></is></c></row>')


def _xlsx_with_sheet(tmp_path: Path, name: str, rows_xml: str | None = None) -> Path:
    """A real .xlsx (header "Mã thủ tục", "Tên thủ tục") whose rows below the header are then replaced."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Mã thủ tục", "Tên thủ tục"])
    workbook.active.append(["1.000555", "Thủ tục"])
    plain = tmp_path / f"plain-{name}"
    workbook.save(plain)
    export = tmp_path / name
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if rows_xml is not None and info.filename == "xl/worksheets/sheet1.xml":
                data = f'<worksheet xmlns="{_SHEET_NS}"><sheetData>{_HEADER_ROW}{rows_xml}</sheetData></worksheet>'.encode()
            target.writestr(info.filename, data)
    return export


@pytest.mark.parametrize("length, phrase", [(30_000_000, "dài hơn 200.000 ký tự"), (1_000_000, "ô C2 dài 1.000.000 ký tự")],
                         ids=["beyond-the-xml-parser-cap", "under-it"])
def test_xlsx_with_a_huge_cell_is_refused_while_streaming(length, phrase, project: Project, tmp_path: Path) -> None:
    cells = ('<c r="A2" t="inlineStr"><is><t>1.000555</t></is></c><c r="B2" t="inlineStr"><is><t>Thủ tục</t></is></c>'
             f'<c r="C2" t="inlineStr"><is><t>{"a" * length}</t></is></c>')
    export = _xlsx_with_sheet(tmp_path, "o-lon.xlsx", f'<row r="2">{cells}</row>')
    assert export.stat().st_size < 200_000  # a small file: the size limits alone let it through
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before, "o-lon.xlsx", phrase, "rút gọn")


def test_xlsx_with_millions_of_cells_is_refused_early(project: Project, tmp_path: Path) -> None:
    rows = "".join(f'<row r="{n}">' + "<c/>" * 150 + "</row>" for n in range(2, 15_000))
    export = _xlsx_with_sheet(tmp_path, "nhieu-o.xlsx", rows)
    before = _snapshot(project.root)
    _assert_refused(project, project.run("import", str(export)), before, "nhieu-o.xlsx", "hơn 2.000.000 ô")


def test_xlsx_reading_stops_after_the_time_limit(tmp_path: Path, monkeypatch) -> None:
    from thutuc.importers import tables as import_tables
    from thutuc.importers import xlsx_limits
    from thutuc.importers.safety import ImportRefused

    export = _xlsx_with_sheet(tmp_path, "cham.xlsx")
    assert import_tables.read_rows(export, lambda header: {"Mã thủ tục": "code", "Tên thủ tục": "title"}.get(header, ""))
    monkeypatch.setattr(xlsx_limits, "MAX_SECONDS", -1.0)
    with pytest.raises(ImportRefused, match="giây nên bị dừng"):
        import_tables.read_rows(export, lambda header: {"Mã thủ tục": "code", "Tên thủ tục": "title"}.get(header, ""))
