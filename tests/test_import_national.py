"""`build.py import` of the national procedure database's own records (upper-case keys, and the
officers' camel-case spelling): a golden-file comparison of every imported procedure, the pages they
make, and the facts the importer used to invent (issue 14), each now marked unknown or refused.

Golden files: tests/fixtures/import/national/expected/<code>.yml hold the imported data (the YAML
after the comment header). After an intended change of the conversion, regenerate them with
    THUTUC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_import_national.py
and review the diff like any other change of published content.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, SAMPLE_CONTENT, Project, make_project
from thutuc.content.editor_files import dump_yaml, ordered
from thutuc.importers.importer import convert_portal_record
from thutuc.importers.national import convert_national_record, count_unknown, normalize_keys
from thutuc.importers.records import ImportError_, Pending, html_to_markdown, parse_amount, plain_text

NATIONAL = FIXTURES / "import" / "national"
EXPECTED = NATIONAL / "expected"
UPDATE = os.environ.get("THUTUC_UPDATE_GOLDEN") == "1"
LEVELS = {"bo": "Cấp Bộ / Trung ương", "tinh": "Cấp tỉnh", "xa": "Cấp xã"}


def _imported_files(project: Project) -> dict[str, Path]:
    """{code: file} of the procedures an import wrote (they start with the import marker)."""
    found = {}
    for file in (project.content / "procedures").rglob("*.yml"):
        text = file.read_text("utf-8")
        if "Nhập tự động từ" in text[:400]:
            found[yaml.safe_load(text)["code"]] = file
    return found


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample content with the fixture's 23 national records imported, then built once."""
    project = make_project(tmp_path_factory.mktemp("national") / "project", SAMPLE_CONTENT)
    result = project.run("import", str(NATIONAL / "records.json"), str(NATIONAL / "camel-case.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    project.import_output = result.stdout  # type: ignore[attr-defined]
    build = project.build()
    assert build.returncode == 0, build.stdout + build.stderr
    return project


def test_every_record_imports_and_passes_check(national: Project) -> None:
    records = json.loads((NATIONAL / "records.json").read_text("utf-8"))["result"]
    camel = json.loads((NATIONAL / "camel-case.json").read_text("utf-8"))
    assert len(records) >= 20 and len(camel) == 3
    imported = _imported_files(national)
    assert len(imported) == len(records) + len(camel), national.import_output  # type: ignore[attr-defined]
    check = national.run("check")
    assert check.returncode == 0, check.stderr
    assert "Nhập xong: 23 thủ tục, 0 bỏ qua, 0 lỗi cần sửa." in national.import_output  # type: ignore[attr-defined]
    # The summary counts every value marked unknown in the written files.
    unknown = sum(count_unknown(yaml.safe_load(file.read_text("utf-8"))) for file in imported.values())
    assert unknown >= 20 and f"được đánh dấu chưa rõ: {unknown} " in national.import_output  # type: ignore[attr-defined]


def test_imported_yaml_matches_golden_files(national: Project) -> None:
    imported = _imported_files(national)
    if UPDATE:
        EXPECTED.mkdir(exist_ok=True)
        for old in EXPECTED.glob("*.yml"):
            old.unlink()
        for code, file in imported.items():
            (EXPECTED / f"{code}.yml").write_text(dump_yaml(ordered(yaml.safe_load(file.read_text("utf-8")))), "utf-8")
    expected = {file.stem: file for file in EXPECTED.glob("*.yml")}
    assert sorted(imported) == sorted(expected), "an imported procedure without golden file, or the reverse"
    for code, file in sorted(imported.items()):
        got = yaml.safe_load(file.read_text("utf-8"))
        want = yaml.safe_load(expected[code].read_text("utf-8"))
        assert got == want, f"{code}: imported data differs from {expected[code].name} (THUTUC_UPDATE_GOLDEN=1 regenerates)"


def _data(national: Project, code: str) -> dict:
    return yaml.safe_load(_imported_files(national)[code].read_text("utf-8"))


def test_cases_channels_and_forms_by_url(national: Project) -> None:
    data = _data(national, "1.000689")
    assert [m["channel"] for m in data["methods"]] == ["direct", "online", "postal"]  # KENH 1, 2, 3
    assert [c["name"] for c in data["dossier"]["cases"]] == ["Trường hợp hai bên cư trú ở trong nước",
                                                             "Trường hợp một bên cư trú ở nước ngoài"]
    assert [s["title"].split(":")[0] for s in data["steps"]] == ["Trường hợp hai bên cư trú ở trong nước"] * 2 + [
        "Trường hợp một bên cư trú ở nước ngoài"] * 2
    form = data["forms"][0]
    assert form["files"] == [] and form["source"].startswith("https://csdl.dichvucong.gov.vn/") and data["level"] == 1
    assert data["dossier"]["cases"][1]["documents"][1] == {
        "name": "Bản sao hộ chiếu hoặc giấy tờ có giá trị thay hộ chiếu", "original": 0, "copy": 1}
    assert data["related"] == ["1.000894", "1.004873"]  # 2.999999 is not in the catalogue: noted, not written
    assert "2.999999 chưa có trong danh mục" in national.import_output  # type: ignore[attr-defined]
    camel = _data(national, "2.000748")
    assert camel["agencies"]["implementing"] == ["ubnd-xa"] and camel["methods"][0]["fees"][0]["amount"] == 2000
    assert camel["dossier"]["cases"][0]["documents"][0] == {"name": "Phiếu yêu cầu cấp bản sao", "original": 1, "copy": 0}


def test_unknown_values_are_shown_as_unknown(national: Project) -> None:
    data = _data(national, "1.001695")
    assert "decision" not in data
    undated = data["legal_basis"][1]
    assert undated["number"] == "04/2020/TT-BTP" and "issued" not in undated and "issuer" not in undated
    assert "issued" not in data["legal_basis"][2]  # 31/02/2022 is no date
    output = national.import_output  # type: ignore[attr-defined]
    assert "văn bản “04/2020/TT-BTP”: chưa có thông tin ngày ban hành." in output
    assert "ghi “31/02/2022”, không phải ngày hợp lệ" in output
    html = national.html("thu-tuc/dang-ky-khai-tu-luu-dong-1-001695/")
    row = re.search(r"04/2020/TT-BTP</th>(.*?)</tr>", html, re.S).group(1)
    assert row.count("Chưa có thông tin") == 2
    assert re.search(r"<dt>Quyết định công bố</dt><dd>Chưa có thông tin</dd>", html)
    for text in ("1970", "01/01/1970", "Không rõ", "Theo quy định hiện hành"):
        assert text not in html
    # `check` keeps asking editors for what the record did not say.
    result = national.run("check")
    check = result.stdout + result.stderr
    assert re.search(r"1\.001695-[^:]*\.yml:\d+:\d+: title: \[cảnh báo\] chưa có quyết định công bố", check), check
    assert re.search(r"legal_basis\[1\]\.number: \[cảnh báo\] văn bản 04/2020/TT-BTP chưa có ngày ban hành \(issued\) "
                     r"và cơ quan ban hành \(issuer\)", check), check


def test_fees_are_never_made_up(national: Project) -> None:
    several = _data(national, "2.000994")["methods"]
    assert several[0]["fees"][0]["amount"] is None
    assert several[0]["fees"][0]["text"].startswith("200.000 đồng/lần/người; 100.000 đồng/lần/người")
    assert several[1]["fees"] == [{"kind": "charge", "amount": None, "text": several[1]["fees"][0]["text"]}]
    assert several[2]["fees"][0]["amount"] == 200000 and "100.000" in several[2]["fees"][0]["note"]
    set_locally = _data(national, "1.000689")["methods"][0]["fees"]
    assert set_locally == [{"kind": "fee", "amount": None, "text": "Theo Nghị quyết của Hội đồng nhân dân tỉnh"}]
    percentage = _data(national, "1.012791")["methods"][0]["fees"][0]
    assert percentage["amount"] is None and percentage["text"] == "0,5 %"
    assert _data(national, "1.010036")["methods"][0]["fees"] == []  # PHILEPHI: [] is "no fee"
    html = national.html("thu-tuc/cap-phieu-ly-lich-tu-phap-so-2-cho-ca-nhan-2-000994/")
    assert "Phí: 200.000 đồng/lần/người; 100.000 đồng/lần/người đối với sinh viên" in html


def test_html_is_clean_markdown(national: Project) -> None:
    requirements = _data(national, "2.000913")["requirements"]
    assert requirements == ("Người dịch phải có bằng cử nhân ngoại ngữ trở lên.\n\n"
                            "Xem hướng dẫn và [văn bản](https://vbpl.vn/).")
    word = _data(national, "1.003583")
    assert word["requirements"] == "Trẻ em sinh ra mà cha, mẹ bị khuyết tật, ốm bệnh không thể đi đăng ký khai sinh cho con"
    assert word["summary"].startswith("Đăng ký khai sinh tại nơi cư trú")
    assert word["steps"][0]["title"] == "Công chức tư pháp - hộ tịch đến nơi cư trú để tiếp nhận hồ sơ đăng ký khai sinh"
    for code, file in _imported_files(national).items():
        text = file.read_text("utf-8")
        for leftover in ("&nbsp;", "&amp;", "&lt;", "<p", "<br", "<script", "alert(", "color: red", "<o:p>", "mso"):
            assert leftover not in text, (code, leftover)
    html = national.html("thu-tuc/chung-thuc-chu-ky-nguoi-dich-ma-nguoi-dich-la-cong-tac-vien-dich-thuat-2-000913/")
    assert "alert(" not in html and "track.gif" not in html and "javascript:" not in html


def test_form_links_to_the_national_database(national: Project) -> None:
    html = national.html("thu-tuc/dang-ky-ket-hon-co-yeu-to-nuoc-ngoai-1-000689/")
    section = re.search(r"id=\"?mau-don\"?(.*?)id=\"?yeu-cau", html, re.S).group(1)
    assert re.search(r'href="?https://csdl\.dichvucong\.gov\.vn/web/jsp/download_file\.jsp\?ma=1000689-1"?[ >]', section)
    assert "Ban hành kèm theo https" not in section


def test_refused_records_say_why_and_write_nothing(minimal_project: Project) -> None:
    before = sorted(p.name for p in (minimal_project.content / "procedures").rglob("*.yml"))
    result = minimal_project.run("import", str(NATIONAL / "refused.json"))
    assert result.returncode == 1
    reasons = {
        "1.900001": "trạng thái “0” (TRANGTHAI), không còn áp dụng",
        "1.900002": "không ghi rõ số bản chính (SOBANCHINH) và số bản sao (SOBANSAO)",
        "1.900003": "không rõ khoản thu là phí hay lệ phí (MAPHILEPHI “PLP-01”)",
        "1.900004": "không có căn cứ pháp lý (CANCUPHAPLY)",
        "1.900005": "không có số tiền cũng không có mô tả mức thu",
        "1.900006": "không có thông tin phí, lệ phí (PHILEPHI)",
        "1.900007": "cấp thực hiện",
        "1.900008": "không có kết quả thực hiện (KETQUATHUCHIEN)",
        "1.900009": "không có số ký hiệu (SOVANBAN)",
        "1.900010": "“MaTTHC” xuất hiện hai lần",
    }
    lines = [line for line in result.stderr.splitlines() if line.startswith("Bỏ qua:")]
    assert len(lines) == len(reasons), result.stderr
    for code, reason in reasons.items():
        assert any(f"mã {code}" in line and reason in line for line in lines), (code, result.stderr)
    assert sorted(p.name for p in (minimal_project.content / "procedures").rglob("*.yml")) == before


# -- the facts the importer used to invent (issue 14), in-process ------------------------------------


def _portal(**changes: object) -> dict:
    record = json.loads((FIXTURES / "import" / "portal-record-wrapped.json").read_text("utf-8"))["data"]
    record.update(changes)
    return record


def _national(**changes: object) -> dict:
    record = json.loads((NATIONAL / "records.json").read_text("utf-8"))["result"][1]
    record.update(changes)
    return record


def _convert(record: dict) -> tuple[dict, list[str]]:
    notes: list[str] = []
    return convert_portal_record(record, LEVELS, Pending(), notes), notes


def test_no_made_up_date_issuer_or_decision() -> None:
    legal = [{"number": "28/2009/QH12", "summary": "Luật Lý lịch tư pháp", "issuedDate": "", "issuingAgency": ""}]
    data, notes = _convert(_portal(legalBasisesDetails=legal, decisionNumber=""))
    assert data["legal_basis"] == [{"number": "28/2009/QH12", "title": "Luật Lý lịch tư pháp"}]
    assert "decision" not in data and count_unknown(data) == 3
    assert any("chưa có thông tin ngày ban hành" in n for n in notes)
    text = json.dumps(data, ensure_ascii=False)
    assert "1970" not in text and "Không rõ" not in text and "Chưa có thông tin quyết định" not in text
    national, _ = _convert(_national(CANCUPHAPLY=[{"SOVANBAN": "23/2015/NĐ-CP", "TENVANBAN": "Nghị định"}], QUYETDINH=""))
    assert national["legal_basis"] == [{"number": "23/2015/NĐ-CP", "title": "Nghị định"}] and "decision" not in national


def test_no_made_up_fee() -> None:
    methods = [{"submissionMethod": "Trực tiếp", "processingTime": "10 ngày", "fees": [{"feeType": "Phí", "amount": ""}]}]
    with pytest.raises(ImportError_, match="không có số tiền cũng không có mô tả"):
        _convert(_portal(executionMethods=methods))
    methods[0]["fees"] = [{"feeType": "Phí", "amount": "3.000.000 đồng/hồ sơ; 2.000.000 đồng/hồ sơ"}]
    data, _ = _convert(_portal(executionMethods=methods))
    assert data["methods"][0]["fees"] == [{"kind": "charge", "amount": None, "text": "3.000.000 đồng/hồ sơ; 2.000.000 đồng/hồ sơ"}]
    methods[0]["fees"] = [{"feeType": "Lệ phí", "amount": 0, "description": "Theo Nghị quyết của HĐND tỉnh"}]
    data, _ = _convert(_portal(executionMethods=methods))
    assert data["methods"][0]["fees"] == [{"kind": "fee", "amount": None, "text": "Theo Nghị quyết của HĐND tỉnh"}]
    del methods[0]["fees"]
    with pytest.raises(ImportError_, match="không có thông tin phí, lệ phí"):
        _convert(_portal(executionMethods=methods))
    assert parse_amount("3.000.000 đồng; 2.000.000 đồng") is None and parse_amount("8.000 đồng/bản sao") == 8000
    assert parse_amount("1.500.000") == 1500000 and parse_amount("0,5%") is None


def test_no_made_up_subjects_steps_or_results() -> None:
    for key, reason in (("implementingSubjects", "đối tượng thực hiện"), ("executionSteps", "trình tự thực hiện"),
                        ("resultsDetails", "kết quả thực hiện")):
        with pytest.raises(ImportError_, match=reason):
            _convert(_portal(**{key: []}))


@pytest.mark.parametrize(("source", "expected"), [
    ("a&nbsp;b", "a b"),
    ("x&amp;nbsp;y", "x y"),
    ("&lt;p&gt;Đoạn &lt;strong&gt;đậm&lt;/strong&gt;&lt;/p&gt;", "Đoạn **đậm**"),
    ("<p>A<script>alert(1)</script>B</p><style>p{color:red}</style>", "AB"),
    ("<p>Dòng 1<br/>Dòng 2</p>", "Dòng 1\n\nDòng 2"),
    ('<a href="javascript:alert(1)">chữ</a> <img src="https://x/y.gif">', "chữ"),
    ("Tuổi < 18 và a*b", "Tuổi < 18 và a*b"),
])
def test_html_to_markdown(source: str, expected: str) -> None:
    assert html_to_markdown(source) == expected


def test_plain_text_has_no_markdown_escapes() -> None:
    assert plain_text("<b>Mẫu_số 01*</b>&nbsp;") == "Mẫu_số 01*"


def test_keys_are_matched_without_case() -> None:
    record = normalize_keys({"MaTTHC": "1.000001", "Ten_TTHC": "X", "CoQuanThucHien": [{"TenDonVi": "UBND"}]})
    assert record == {"MATTHC": "1.000001", "TENTTHC": "X", "COQUANTHUCHIEN": [{"TENDONVI": "UBND"}]}
    with pytest.raises(ImportError_, match="xuất hiện hai lần"):
        normalize_keys({"MATTHC": "1.000001", "MaTTHC": "1.000002"})
    assert normalize_keys({"MATTHC": "1.000001", "MaTTHC": ""}) == {"MATTHC": "1.000001"}


def test_steps_per_case_are_titled_by_case() -> None:
    record = _national(TRINHTUTHUCHIEN=[
        {"TRUONGHOP": "Trường hợp A", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ"}]},
        {"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "<p>Bước 1: Nhận kết quả.</p><p>Bước 2: Lưu hồ sơ.</p>"}]},
    ])
    data = convert_national_record(record, LEVELS, Pending(), [])
    assert [s["title"] for s in data["steps"]] == ["Trường hợp A: Nộp hồ sơ", "Bước 1: Nhận kết quả", "Bước 2: Lưu hồ sơ"]


def test_a_long_description_is_kept_whole() -> None:
    sentence = "Công dân nộp hồ sơ tại Ủy ban nhân dân cấp xã nơi cư trú và nhận kết quả trong ngày làm việc. "
    long_text = (sentence * 8).strip()
    assert len(long_text) > 400
    data, notes = _convert(_national(MOTA=long_text))
    assert len(data["summary"]) <= 400 and data["summary"].endswith("…")
    assert data["overview"] == long_text  # every word kept
    assert any("giữ nguyên văn" in note for note in notes)
    short, _ = _convert(_national(MOTA=sentence))
    assert short["summary"] == sentence.strip() and "overview" not in short


def test_quantity_comes_from_the_record_or_is_unknown() -> None:
    assert _convert(_national(SOBOHOSO="02 bộ"))[0]["dossier"]["quantity"] == 2
    record = _national()
    for key in ("SOBOHOSO", "SOLUONGHOSO", "SOLUONGBOHOSO"):
        record.pop(key, None)
    assert "quantity" not in _convert(record)[0]["dossier"]


def test_long_description_quantity_and_agency_roles_on_the_page(national: Project) -> None:
    html = national.html("thu-tuc/dang-ky-khai-tu-luu-dong-1-001695/")
    assert "Số lượng hồ sơ: <strong>Chưa có thông tin</strong>" in html  # the record did not say
    # One rule: a role the record left out is unknown, like every other missing fact; never "Không".
    roles = dict(re.findall(r"<dt>(Cơ quan [^<]+)</dt><dd>(Chưa có thông tin|Không)</dd>", html))
    assert roles and set(roles.values()) == {"Chưa có thông tin"}, roles
