"""The YAML reader: safety, encodings, duplicate keys and source positions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from thutuc.content.problems import Problem
from thutuc.content.yamlsource import YamlProblem, load_yaml_file, parse_yaml


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
    from thutuc.content.bulk_load import PARALLEL_MIN, judge_files
    from thutuc.content.parse_cache import ParseCache

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


# -- legacy text pasted into UTF-8, bidi controls, values cut by " #" ---------------------------------------

SENTENCES = [
    "Đăng ký khai sinh",
    "Thủ tục hành chính",
    "Giấy chứng nhận quyền sử dụng đất",
    "Lệ phí 50.000 đồng",
    "ĐĂNG KÝ THƯỜNG TRÚ",
    "Những người được ủy quyền",
    "Miễn",
    "Hộ tịch",
]


def _vietnamese_syllables() -> set[str]:
    """Every written Vietnamese syllable (onset, rhyme, tone, old and new tone placement) in three cases."""
    import itertools

    onsets = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
              "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
    open_rhymes = ["ia", "ya", "ua", "ưa", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "iu", "oi", "ôi", "ơi", "ui",
                   "ưi", "ưu", "uôi", "ươi", "ươu", "iêu", "yêu", "oai", "oay", "uây", "uyu", "oao", "oeo", "uya"]
    closed = ["iê", "yê", "uô", "ươ", "uyê", "oă", "uâ"]
    free = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy"]
    codas = ["c", "ch", "m", "n", "ng", "nh", "p", "t"]
    rhymes = [(n, "") for n in open_rhymes + free] + [(n, c) for n in closed + free for c in codas]
    found = set()
    for onset, (nucleus, coda), tone in itertools.product(onsets, rhymes, ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]):
        if onset == "qu" and nucleus[0] in "oôơuư":  # the u of qu is the glide: no "quo", "quu"
            continue
        shaped = [i for i, ch in enumerate(nucleus) if ch in "ăâêôơư"]
        # The tone sits on the shaped vowel; else on the first vowel, or the second in oa, oe, uy (new
        # style) and before a final consonant ("hoàn", "thuyết" have shapes; "toán", "khoát" not).
        second = nucleus in ("oa", "oe", "uy", "oai", "oay", "uya", "uyu", "oao", "oeo") or (len(nucleus) > 1 and coda)
        places = {shaped[-1]} if shaped else ({0, 1} if second else {0})
        for i in places:
            word = unicodedata.normalize("NFC", onset + nucleus[: i + 1] + tone + nucleus[i + 1 :] + coda)
            found |= {word, word.upper(), word.capitalize()}
    return found


def test_no_vietnamese_syllable_looks_like_legacy_text():
    from thutuc.content.yamlsource import _CP1258, _VNI

    syllables = _vietnamese_syllables()
    assert {"giò", "quì", "hoà", "khoá", "thuê", "người", "ĐƯỜNG"} <= syllables
    flagged = sorted(word for word in syllables if _VNI.search(word) or _CP1258.search(word))
    assert not flagged, flagged[:20]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("kind", ["VNI", "Windows-1258"])
def test_legacy_text_pasted_into_utf8_is_refused(sentence: str, kind: str):
    from support.legacy_text import cp1258_as_cp1252, vni_as_cp1252

    pasted = vni_as_cp1252(sentence) if kind == "VNI" else cp1258_as_cp1252(sentence)
    assert pasted != sentence
    problem = problem_of(f"code: '1.000001'\nsteps:\n  - description: |\n      Dòng đúng.\n      {pasted}\n")
    assert (problem.line, problem.key) == (5, "steps[0].description")
    assert "lỗi mã hóa" in problem.message and kind in problem.message
    assert "Unikey" in problem.hint and "Chuyển mã" in problem.hint


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidi_controls_are_refused_where_they_are(char: str):
    problem = problem_of(f"title: ok\nfees:\n  - text: Lệ phí {char}000.05 đồng\n")
    assert (problem.line, problem.column, problem.key) == (3, 18, "fees[0].text")
    assert "hướng chữ" in problem.message


def test_escaped_bidi_control_in_double_quotes_is_refused_at_the_value():
    problem = problem_of('title: ok\nsummary: "abc \\u202e def"\n')
    assert (problem.line, problem.column, problem.key) == (2, 10, "summary")


@pytest.mark.parametrize(
    "line, warned",
    [
        ("title: Cấp giấy phép số #12", True),  # no space after "#": part of the text
        ("title: Lệ phí 50.000đ # theo NQ 12", True),  # one space before "#": written as one phrase
        ("title: Lệ phí\t# theo NQ 12", True),
        ("title: Lệ phí  # ghi chú của biên tập viên", False),  # the usual comment: two spaces, "# "
        ("title: Lệ phí  #", False),
        ("title: 'Lệ phí' # trong nháy", False),  # quoted: nothing is cut
        ("title: \"Cấp giấy phép số #12\"", False),
        ("title: Giấy phép số#12", False),  # no space before "#": YAML keeps it in the text
        ("level: 2 # số", False),  # not text: a number cannot be cut into another meaning
        ("steps: # các bước\n  - a", False),  # a key with no value on its line
        ("# chú thích cả dòng\ntitle: x", False),
    ],
)
def test_values_cut_by_a_comment_are_warned(line: str, warned: bool):
    document = parse_yaml(line + "\n", "x.yml")
    assert bool(document.warnings) is warned, document.warnings
    if warned:
        warning = document.warnings[0]
        assert (warning.line, warning.key, warning.severity.value) == (1, "title", "cảnh báo")
        assert line[warning.column - 1] == "#"
        assert "dấu nháy kép" in warning.hint


def test_whole_file_screen_agrees_with_the_precise_patterns():
    """The fast screen of a whole file (mark first, reversed) finds exactly what the patterns find."""
    from support.legacy_text import cp1258_as_cp1252, vni_as_cp1252

    from thutuc.content.yamlsource import _CP1258, _VNI, looks_like_legacy_text

    samples = set(SENTENCES) | _vietnamese_syllables() | {"giò lụa", "quì gối", "Ðã", "España", "Müller", "Søren"}
    samples |= {vni_as_cp1252(s) for s in SENTENCES} | {cp1258_as_cp1252(s) for s in SENTENCES}
    samples |= {f"x{a}{b}y" for a in "aeiouyöÖñÑðÐýÝgqAEIOUYGQ" for b in "âêåäÂÊÅÄáàãÁÀÃéèúüëÉÈÚÜËùøûõïÙØÛÕÏôÔÌìÒòÞ"}
    samples |= {f"{g}i{t}" for g in "gGxq" for t in "ÌìÒòÞ"} | {f"{q}u{t}" for q in "qQxg" for t in "ÌìÒòÞ"}
    for text in samples:
        assert looks_like_legacy_text(text) == bool(_VNI.search(text) or _CP1258.search(text)), text


@pytest.mark.parametrize("indent", ["   ", "    "])
def test_a_step_indented_too_far_is_named_as_the_new_step(indent: str):
    """"- title:" indented under the previous step's text opens the third step: the message names steps[2],
    not a key inside steps[1].description."""
    text = ("steps:\n  - title: Nộp hồ sơ\n  - title: Tiếp nhận\n    description: Kiểm tra hồ sơ.\n"
            f"{indent}- title: Trả kết quả\n")
    problem = problem_of(text)
    assert (problem.line, problem.key) == (5, "steps[2].title")
