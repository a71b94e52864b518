"""The YAML reader: safety, encodings, duplicate keys and source positions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from thutuc.problems import Problem
from thutuc.yamlsource import YamlProblem, load_yaml_file, parse_yaml


def problem_of(text: str):
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, "x.yml")
    return caught.value.problem


def test_positions_point_at_keys_and_items():
    document = parse_yaml("title: A\nsteps:\n  - title: B\n  - title: C\n", "x.yml")
    assert document.position(("title",)) == (1, 1)
    assert document.position(("steps", 1, "title")) == (4, 5)
    # An unknown location falls back to its nearest known parent.
    assert document.position(("steps", 1, "description")) == (4, 5)


def test_duplicate_key_names_both_lines():
    problem = problem_of("code: '1'\ntitle: a\ncode: '2'\n")
    assert (problem.line, problem.key) == (3, "code")
    assert "dòng 1" in problem.message


@pytest.mark.parametrize(
    "text, words",
    [
        ("a: &x [1]\nb: *x\n", "bí danh"),
        ("a: !!python/object/apply:os.system [ls]\n", "thẻ YAML"),
        ("a: !custom 1\n", "thẻ YAML"),
        ("title: a\n\tb: 1\n", "Tab"),
        ("title: \"abc\nx: 1\n", "dấu nháy"),
        ("a:\n  b: 1\n c: 2\n", "thụt lề"),
        ("", "rỗng"),
        ("a: 1\n---\nb: 2\n", "nhiều tài liệu"),
        ("<<: {a: 1}\n", "gộp"),
    ],
)
def test_refused_yaml_is_explained_in_vietnamese(text, words):
    problem = problem_of(text)
    assert words in problem.message + problem.hint
    assert problem.line >= 1


def test_billion_laughs_is_refused_before_expansion():
    lines = ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    assert "bí danh" in problem_of("\n".join(lines)).message


def test_deep_nesting_is_refused():
    assert "lồng nhau" in problem_of("a: " + "[" * 200 + "]" * 200).message


def test_unquoted_scalars_keep_their_text():
    document = parse_yaml("code: 1.001190\nissued: 2014-11-20\n", "x.yml")
    assert document.data == {"code": 1.00119, "issued": "2014-11-20"}
    assert document.raw_scalars[("code",)] == "1.001190"


def test_nfd_text_is_normalised_to_nfc(tmp_path: Path):
    file = tmp_path / "x.yml"
    file.write_bytes(unicodedata.normalize("NFD", "title: Đăng ký khai sinh\n").encode())
    document = load_yaml_file(file, "x.yml")
    assert document.data["title"] == unicodedata.normalize("NFC", "Đăng ký khai sinh")


def test_utf8_bom_is_accepted(tmp_path: Path):
    file = tmp_path / "x.yml"
    file.write_bytes(b"\xef\xbb\xbf" + "title: Hộ tịch\n".encode())
    assert load_yaml_file(file, "x.yml").data == {"title": "Hộ tịch"}


@pytest.mark.parametrize("raw", [b"title: \xd0\xe3ng k\xfd\n", "title: Đăng ký\n".encode("utf-16")])
def test_legacy_encodings_are_refused_with_a_conversion_hint(tmp_path: Path, raw: bytes):
    file = tmp_path / "x.yml"
    file.write_bytes(raw)
    with pytest.raises(YamlProblem) as caught:
        load_yaml_file(file, "x.yml")
    assert "UTF-8" in caught.value.problem.message + caught.value.problem.hint
    assert "Unikey" in caught.value.problem.hint


@pytest.mark.parametrize("text", ["title: §¨ng ký khai sinh\n", "title: Ä‘Äƒng kÃ½\n"])
def test_mojibake_is_detected(text):
    problem = problem_of(text)
    assert "lỗi mã hóa" in problem.message
    assert problem.key == "title"


def test_oversized_file_is_refused(tmp_path: Path):
    file = tmp_path / "x.yml"
    file.write_text("a: '" + "x" * (2 * 1024 * 1024) + "'\n")
    with pytest.raises(YamlProblem) as caught:
        load_yaml_file(file, "x.yml")
    assert "quá lớn" in caught.value.problem.message


def _parse_of(document, file, shown, context):
    """A judge that keeps the parse itself, to compare with load_yaml_file."""
    return document if isinstance(document, Problem) else (document.data, document.positions)


def test_bulk_loading_on_two_processes_gives_what_one_by_one_gives(tmp_path: Path):
    from thutuc.bulk_load import PARALLEL_MIN, judge_files
    from thutuc.parse_cache import ParseCache

    files = []
    for number in range(PARALLEL_MIN + 10):
        file = tmp_path / f"{number}.yml"
        text = f"code: '1.{number:06d}'\ntitle: Thủ tục số {number}\nsteps:\n  - title: Nộp hồ sơ\n"
        if number == PARALLEL_MIN + 5:  # in the share judged by the helper process
            text = "title: \"chưa đóng nháy\nx: 1\n"
        file.write_text(text, "utf-8")
        files.append((file, file.name))
    cache = ParseCache(tmp_path / "cache")
    results = judge_files(files, None, _parse_of, cache)
    for file, shown in files:
        result = results[file]
        try:
            expected = load_yaml_file(file, shown)
        except YamlProblem as error:
            assert isinstance(result, Problem) and result == error.problem
        else:
            assert result == (expected.data, expected.positions)
    # The parses made in both processes went into the parse cache: a second run parses nothing.
    cache.save()
    again = ParseCache(tmp_path / "cache")
    assert all(again.lookup(file, shown) is not None for file, shown in files if file.name != f"{PARALLEL_MIN + 5}.yml")
