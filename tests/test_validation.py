"""Schema and cross-reference validation: every mistake located at file, line and key, in Vietnamese."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from thutuc.content.catalogue import load_catalogue

KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
TAM_TRU = "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def edit(content: Path, relative: str, old: str, new: str) -> None:
    file = content / relative
    text = file.read_text("utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    file.write_text(text.replace(old, new, 1), "utf-8")


def errors_of(content: Path):
    return [p for p in load_catalogue(content).problems.errors]


def only_error(content: Path):
    errors = errors_of(content)
    assert len(errors) == 1, "\n".join(p.format() for p in errors)
    return errors[0]


def test_fixture_is_valid(content: Path):
    result = load_catalogue(content)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    by_code = result.catalogue.by_code()
    assert set(by_code) == {"1.001193", "1.004194"}
    # An unquoted code keeps its written text.
    assert by_code["1.004194"].legal_basis[0].issued == "2020-11-13"


@pytest.mark.parametrize(
    "old, new, line, key, words",
    [
        ("title: Đăng ký khai sinh", "titel: Đăng ký khai sinh", 2, "titel", "có phải ý bạn là “title”"),
        ("    fees: []\n", "", 27, "methods[1].fees", "fees: []"),
        ("level: 2", "level: hai", 5, "level", "số nguyên"),
        ('code: "1.001193"', 'code: "1001193"', 1, "code", "1.001193"),
        ("  - channel: online", "  - channel: mail", 27, "methods[1].channel", "direct, online, postal"),
        ("        amount: 0\n        text: Miễn lệ phí khi đăng ký đúng hạn\n", "        amount: null\n", 25,
         "methods[0].fees[0].text", "amount là null"),
        ("subjects: [Công dân Việt Nam]", "subjects: []", 9, "subjects", "không được để trống"),
        ("subjects: [Công dân Việt Nam]", "subjects: Công dân Việt Nam", 9, "subjects", "danh sách"),
        ("issued: 2014-11-20", "issued: 2014-13-45", 54, "legal_basis[0].issued", "ngày"),
        ("updated: 2025-06-01", "updated: 01/06/2025", 58, "updated", "YYYY-MM-DD"),
        ("updated: 2025-06-01", "email: not-an-address", 58, "email", "thư điện tử"),
        ("title: Đăng ký khai sinh", "title: '  '", 2, "title", "để trống"),
        ("level: 2", "level: 2\nonline: full", 6, "online_url", "online_url"),
        ("level: 2", "level: 2\nonline: partial\nonline_url: javascript:alert(1)", 7, "online_url", "https://"),
        ("    issuer: Quốc hội", "    issuer: Quốc hội\n    url: data:text/html,x", 56, "legal_basis[0].url", "http"),
    ],
)
def test_schema_errors_are_located_and_explained(content, old, new, line, key, words):
    edit(content, KHAI_SINH, old, new)
    problem = only_error(content)
    assert problem.path.endswith(KHAI_SINH)
    assert (problem.line, problem.key) == (line, key), problem.format()
    if words:
        assert words in problem.format()


def test_amount_null_requires_text(content):
    edit(content, TAM_TRU, "        text: Theo Nghị quyết của Hội đồng nhân dân tỉnh\n", "")
    problem = only_error(content)
    assert problem.key == "methods[0].fees[0].text"
    assert "amount là null" in problem.hint


def test_several_cases_need_names(content):
    edit(content, TAM_TRU, "    - name: Trường hợp thông thường\n      documents:", "    - documents:")
    problem = only_error(content)
    assert problem.key == "dossier.cases[0].name"


def test_all_errors_of_all_files_in_one_run(content):
    edit(content, KHAI_SINH, "level: 2", "level: hai")
    edit(content, TAM_TRU, "requirements: |", "requirement: |")
    keys = {(Path(p.path).name, p.key) for p in errors_of(content)}
    assert ("1.001193-dang-ky-khai-sinh.yml", "level") in keys
    # The typo is reported once, with the right key suggested, not also as a missing "requirements".
    assert ("1.004194-dang-ky-tam-tru.yml", "requirement") in keys
    assert ("1.004194-dang-ky-tam-tru.yml", "requirements") not in keys


@pytest.mark.parametrize(
    "old, new, key, words",
    [
        ("field: ho-tich", "field: ho-tich-cu", "field", "fields.yml"),
        ("  implementing: [ubnd-xa]", "  implementing: [ubnd-huyen]", "agencies.implementing[0]", "agencies.yml"),
        ("life_events: [sinh-con]", "life_events: [ket-hon]", "life_events[0]", "life-events.yml"),
        ("authority_levels: [xa]", "authority_levels: [huyen]", "authority_levels[0]", "cấu hình"),
        ('related: ["1.004194"]', 'related: ["1.999999"]', "related[0]", "1.999999"),
        ("          form: to-khai-khai-sinh", "          form: to-khai-khac", "dossier.cases[0].documents[0].form", "to-khai-khac"),
        ("    files: [forms/ho-tich/to-khai-dang-ky-khai-sinh.txt]", "    files: []",
         "dossier.cases[0].documents[0].form", "mức 2"),
        ("forms/ho-tich/to-khai-dang-ky-khai-sinh.txt", "forms/../../secret.txt", "forms[0].files[0]", ".."),
        ("forms/ho-tich/to-khai-dang-ky-khai-sinh.txt", "/etc/passwd.txt", "forms[0].files[0]", "tuyệt đối"),
        ("forms/ho-tich/to-khai-dang-ky-khai-sinh.txt", "forms/ho-tich/khong-co.pdf", "forms[0].files[0]", "không tìm thấy"),
        ("forms/ho-tich/to-khai-dang-ky-khai-sinh.txt", "forms/ho-tich/anh.png", "forms[0].files[0]", "định dạng"),
    ],
)
def test_cross_references_are_checked(content, old, new, key, words):
    edit(content, KHAI_SINH, old, new)
    problem = only_error(content)
    assert problem.key == key, problem.format()
    assert words in problem.format()
    assert problem.line > 1


def test_duplicate_code_names_every_file(content):
    edit(content, TAM_TRU, "code: 1.004194", 'code: "1.001193"')
    edit(content, KHAI_SINH, 'related: ["1.004194"]', "related: []")
    errors = errors_of(content)
    assert len(errors) == 2
    for problem in errors:
        assert KHAI_SINH in problem.message and TAM_TRU in problem.message


def test_fake_pdf_is_refused(content):
    (content / "forms/ho-tich/gia.pdf").write_bytes(b"<html>not a pdf</html>")
    edit(content, KHAI_SINH, "forms/ho-tich/to-khai-dang-ky-khai-sinh.txt", "forms/ho-tich/gia.pdf")
    assert "không phải là tệp PDF" in only_error(content).message


def test_symlink_out_of_content_is_refused(content, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("bí mật")
    (content / "forms/ho-tich/link.txt").symlink_to(outside)
    edit(content, KHAI_SINH, "forms/ho-tich/to-khai-dang-ky-khai-sinh.txt", "forms/ho-tich/link.txt")
    assert "ngoài thư mục content" in only_error(content).message


def test_raw_html_in_markdown_is_a_warning_not_an_error(content):
    edit(content, TAM_TRU, "  - Sinh sống", "  - <b>Sinh sống</b>")
    result = load_catalogue(content)
    assert result.ok
    assert [p.key for p in result.problems.warnings] == ["requirements"]


@pytest.mark.parametrize(
    "written, digits, words",
    [
        ("50.000", "50000", "số thập phân 50,0"),
        ("2.000", "2000", "số thập phân 2,0"),
        ("1.500.000", "1500000", "dấu chấm"),
        ("'1.500.000'", "1500000", "dấu chấm"),
        ("200,000", "200000", "dấu phẩy"),
        ("50.000đ", "50000", "dấu chấm"),
    ],
)
def test_amounts_with_thousands_separators_are_refused_with_the_digits(content, written, digits, words):
    edit(content, KHAI_SINH, "        amount: 0", f"        amount: {written}")
    problem = only_error(content)
    assert (problem.line, problem.key) == (25, "methods[0].fees[0].amount")
    assert words in problem.message
    assert problem.hint.startswith(f"viết {digits} (không dùng")


@pytest.mark.parametrize("written", ["50000", "0", "1500000"])
def test_plain_amounts_are_accepted(content, written):
    edit(content, KHAI_SINH, "        amount: 0", f"        amount: {written}")
    assert not errors_of(content)


def test_code_in_file_name_follows_the_configured_pattern():
    from thutuc.content.catalogue import code_in_file_name

    assert code_in_file_name("1.001193-dang-ky-khai-sinh.yml", r"^\d\.\d{6}$") == "1.001193"
    assert code_in_file_name("1.001193.yml", r"^\d\.\d{6}$") == "1.001193"
    assert code_in_file_name("dang-ky-khai-sinh.yml", r"^\d\.\d{6}$") is None
    assert code_in_file_name("1.0011934-x.yml", r"^\d\.\d{6}$") is None  # not the convention: nothing to compare
    assert code_in_file_name("HT-01-khai-sinh.yml", r"^[A-Z]{2}-\d{2}$") == "HT-01"


def test_broken_file_does_not_make_errors_in_files_referring_to_it(content):
    edit(content, TAM_TRU, "title: Đăng ký tạm trú", "\ttitle: Đăng ký tạm trú")
    problem = only_error(content)
    assert problem.path.endswith(TAM_TRU)
