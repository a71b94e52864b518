"""Wrong public facts that used to pass `check`: each is now refused or warned, by `check` and `build` alike.

Refusals that fit the corpus format are in tests/bad_inputs/content-facts.toml; here are the warnings
(the site is built, the editor is told), the raw legacy-encoded files, the one-root-cause rule for a
broken file, and the promise that `check` and `build` report the same problems and the same count.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from sitecheck import problem_lines, tree_hashes
from support.legacy_text import cp1258_bytes, vni_bytes

from conftest import FIXTURES, Project

KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
TAM_TRU = "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"


def edit(project: Project, relative: str, old: str, new: str) -> None:
    file = project.content / relative
    text = file.read_text("utf-8")
    assert old in text, f"{relative} does not contain {old!r}"
    file.write_text(text.replace(old, new, 1), "utf-8")


def problem_output(stderr: str) -> list[str]:
    """The problem lines of a run (`path:line:col: key: …`), in printed order."""
    return [line for line in stderr.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


def count_of(text: str, word: str) -> int:
    found = re.search(rf"(\d+) {word}", text)
    assert found, text
    return int(found[1])


def check_and_build(project: Project):
    return project.run("check"), project.build()


# -- warnings: the site is built, and both commands tell the editor ---------------------------------------


def assert_warned(project: Project, path: str, line: int, key: str, words: list[str]) -> str:
    check, build = check_and_build(project)
    assert check.returncode == 0, check.stderr
    assert build.returncode == 0, build.stderr
    messages = []
    for run in (check, build):
        found = [text for text in problem_lines(run.stderr, f"content/{path}", line) if f": {key}: [cảnh báo] " in text]
        assert found, f"no warning at content/{path}:{line} {key}:\n{run.stderr}"
        messages.append(found[0])
    assert messages[0] == messages[1]
    for word in words:
        assert word in messages[0], f"{word!r} missing from: {messages[0]}"
    return messages[0]


@pytest.mark.parametrize(
    "old, new, line, key, words",
    [
        ("title: Đăng ký khai sinh", "title: Cấp giấy phép số #12", 2, "title", ["“#12”", "“Cấp giấy phép số”", "dấu nháy kép"]),
        ("        text: Miễn lệ phí khi đăng ký đúng hạn", "        text: Lệ phí 50.000đ # theo NQ 12", 26,
         "methods[0].fees[0].text", ["“# theo NQ 12”", "“Lệ phí 50.000đ”"]),
        ("  - title: Nộp hồ sơ", "  - title: Nộp hồ sơ #1 tại xã", 14, "steps[0].title", ["“#1 tại xã”"]),
    ],
    ids=["hash-number", "one-space-comment", "list-item"],
)
def test_value_cut_by_an_unquoted_hash_is_warned(project: Project, old, new, line, key, words):
    edit(project, KHAI_SINH, old, new)
    assert_warned(project, KHAI_SINH, line, key, words)


def test_deliberate_comments_are_not_warned(project: Project):
    """The documented rule: two spaces before "#" and one after is a comment; so are whole-line comments
    and comments after a key with no value, or after a quoted value."""
    edit(project, KHAI_SINH, "title: Đăng ký khai sinh", "title: Đăng ký khai sinh  # tên theo Quyết định 1872")
    edit(project, KHAI_SINH, "steps:\n", "# Các bước thực hiện\nsteps:  # ba bước\n")
    edit(project, KHAI_SINH, "requirements: Không", "requirements: \"Không\" # không có điều kiện")
    check, build = check_and_build(project)
    assert check.returncode == 0 and build.returncode == 0, check.stderr + build.stderr
    assert "YAML coi “ #”" not in check.stderr + build.stderr


def test_code_differing_from_the_file_name_is_warned(project: Project):
    edit(project, KHAI_SINH, 'code: "1.001193"', 'code: "1.001139"')
    # The published address of 1.001193 must lead somewhere (test_lifecycle.py): the new code names the old one.
    edit(project, KHAI_SINH, "updated: 2025-06-01", 'updated: 2025-06-01\nprevious_codes: ["1.001193"]')
    message = assert_warned(project, KHAI_SINH, 1, "code", ["“1.001139”", "“1.001193”", "1.001139-<tên>.yml"])
    assert "1.001193-dang-ky-khai-sinh.yml" in message


def test_file_names_without_the_code_convention_are_not_warned(project: Project):
    source = project.content / KHAI_SINH
    source.rename(source.with_name("dang-ky-khai-sinh.yml"))
    check, build = check_and_build(project)
    assert check.returncode == 0 and build.returncode == 0, check.stderr + build.stderr
    assert "tên tệp" not in check.stderr + build.stderr


# -- legacy encodings saved as such: refused at the first legacy byte, the encoding named -----------------------


@pytest.mark.parametrize("encode, name", [(vni_bytes, "VNI"), (cp1258_bytes, "Windows-1258")], ids=["vni", "cp1258"])
def test_whole_file_saved_in_a_legacy_encoding_is_refused(project: Project, published, encode, name):
    text = (FIXTURES / "minimal" / KHAI_SINH).read_text("utf-8")
    (project.content / KHAI_SINH).write_bytes(encode(text))
    build = project.build()
    assert build.returncode == 1, build.stderr
    found = problem_lines(build.stderr, f"content/{KHAI_SINH}", 2)  # the title: the first non-ASCII letter
    assert found and ": title: " in found[0], build.stderr
    assert f"giống bảng mã {name}" in found[0] and "Unikey" in found[0]
    assert tree_hashes(project.site) == published[1]


# -- one broken file: its own error once, nothing blamed on the files that refer to it --------------------------


@pytest.mark.parametrize(
    "old, new, line",
    [
        ("title: Đăng ký tạm trú", "\ttitle: Đăng ký tạm trú", 2),  # unreadable: the code cannot even be read
        ("code: 1.004194", 'code: "1.00419"', 1),  # the code itself is invalid
        ("title: Đăng ký tạm trú", 'title: "Đăng ký tạm trú', 2),  # an unclosed quote
    ],
    ids=["tab", "bad-code", "unclosed-quote"],
)
def test_broken_file_is_the_only_one_blamed(project: Project, published, old, new, line):
    edit(project, TAM_TRU, old, new)  # KHAI_SINH lists TAM_TRU's code in related
    for run in check_and_build(project):
        assert run.returncode == 1, run.stderr
        errors = [text for text in problem_output(run.stderr) if "[cảnh báo]" not in text]
        assert len(errors) == 1 and errors[0].startswith(f"content/{TAM_TRU}:{line}:"), run.stderr
        assert "có phải ý bạn là" not in run.stderr
    assert tree_hashes(project.site) == published[1]


# -- check and build: the same problems, the same count, errors last -----------------------------------------


def _add_warnings(project: Project) -> None:
    (project.content / "pages" / "gioi-thieu.md").write_text("# Giới thiệu\n\nXin chào <b>bạn</b>.\n", "utf-8")
    edit(project, TAM_TRU, "code: 1.004194", "code: 1.004149")  # the code differs from the file name
    path = project.content / TAM_TRU  # its published address leads to the new code (test_lifecycle.py)
    path.write_text(path.read_text("utf-8").rstrip("\n") + '\nprevious_codes: ["1.004194"]\n', "utf-8")
    edit(project, KHAI_SINH, "title: Đăng ký khai sinh", "title: Đăng ký khai sinh số #1")


def test_check_and_build_report_the_same_warnings_and_count(project: Project):
    _add_warnings(project)
    edit(project, KHAI_SINH, 'related: ["1.004194"]', 'related: ["1.004149"]')
    check, build = check_and_build(project)
    assert check.returncode == 0 and build.returncode == 0, check.stderr + build.stderr
    shown = problem_output(check.stderr)
    assert shown == problem_output(build.stderr)
    # Weak content (summary, keywords) was check-only, page HTML and mkdocs.yml warnings build-only.
    for expected in ("chưa có mô tả ngắn", "content/pages/gioi-thieu.md:1:1", "mkdocs.yml:1:1: plugins.thutuc.most_used",
                     "tên tệp", "YAML coi “ #”"):
        assert any(expected in line for line in shown), f"{expected!r} not reported:\n{check.stderr}"
    assert count_of(check.stdout, "cảnh báo") == count_of(build.stdout, "cảnh báo") == len(shown)


def test_with_errors_check_and_build_print_the_same_warnings_then_the_errors_last(project: Project, published):
    _add_warnings(project)
    edit(project, KHAI_SINH, "        amount: 0", "        amount: 50.000")
    check, build = check_and_build(project)
    assert check.returncode == build.returncode == 1, check.stderr + build.stderr
    shown = problem_output(check.stderr)
    assert shown == problem_output(build.stderr)
    kinds = ["[cảnh báo]" in line for line in shown]
    # Warnings, then errors: the errors stay on screen next to the summary, however many warnings came before.
    assert kinds == sorted(kinds, reverse=True) and kinds[0] and not kinds[-1], "\n".join(shown)
    first_error = shown[kinds.index(False)]
    for output in (check.stderr, build.stderr):
        summary = next(line for line in output.splitlines() if line.startswith("Có ") and "Lỗi đầu tiên" in line)
        path, line_number = first_error.split(":")[:2]
        assert f"Lỗi đầu tiên ở {path}, dòng {line_number} " in summary, summary
    assert build.stderr.rstrip().splitlines()[-1].startswith("Chưa xuất bản")
    assert count_of(check.stderr, "lỗi") == count_of(build.stderr, "lỗi") == kinds.count(False)
    assert count_of(check.stderr, "cảnh báo trong") == count_of(build.stderr, "cảnh báo trong") == kinds.count(True)
    assert "Chưa xuất bản" in build.stderr
    assert tree_hashes(project.site) == published[1]
    assert unicodedata.is_normalized("NFC", build.stderr)
