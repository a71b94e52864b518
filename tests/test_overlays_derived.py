"""Summary values follow a local overlay: the page never repeats national totals the overlay replaced."""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest

from conftest import Project

PROCEDURE = "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
PAGE = "thu-tuc/dang-ky-tam-tru-1-004194/"

# What the importer writes for a national record with two channels: the summary joins their times.
NATIONAL_METHODS = """\
methods:
  - channel: direct
    processing_time: 12 ngày làm việc
    fees: []
  - channel: online
    processing_time: 15 ngày làm việc
    fees: []
processing_time: 12 ngày làm việc; 15 ngày làm việc
"""

LOCAL_TEN_DAYS = """\
methods:
  - channel: direct
    processing_time: 10 ngày làm việc
    fees: []
  - channel: online
    processing_time: 10 ngày làm việc
    fees: []
"""


def _nationalise(project: Project) -> None:
    file = project.content / PROCEDURE
    text = file.read_text("utf-8")
    start, end = text.index("methods:\n"), text.index("dossier:\n")
    file.write_text(text[:start] + NATIONAL_METHODS + text[end:], "utf-8")


def _overlay(project: Project, text: str) -> None:
    folder = project.content / "overlays"
    folder.mkdir(exist_ok=True)
    (folder / "1.004194.yml").write_text(text, "utf-8")


def _summary_box(page: str) -> str:
    return re.search(r'<section[^>]*\bclass="?summary-box"?[^>]*>.*?</section>', page, re.S).group(0)


def _section(page: str, section_id: str) -> str:
    return re.search(rf'<section[^>]*\bid="?{section_id}"?[^>]*>.*?</section>', page, re.S).group(0)


def _meta_description(page: str) -> str:
    match = re.search(r'<meta content="([^"]*)" name="?description"?>', page)
    return htmllib.unescape(match.group(1))


def test_overlay_that_replaces_methods_updates_every_summary(minimal_project: Project) -> None:
    _nationalise(minimal_project)
    _overlay(minimal_project, "# Tỉnh Mẫu giải quyết nhanh hơn.\n" + LOCAL_TEN_DAYS)
    check = minimal_project.run("check")
    assert check.returncode == 0, check.stderr
    result = minimal_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    page = minimal_project.html(PAGE)
    for shown in (_summary_box(page), _section(page, "thoi-han"), _section(page, "cach-thuc"), _meta_description(page)):
        assert "10 ngày làm việc" in shown, shown
        assert "12 ngày" not in shown and "15 ngày" not in shown, shown
    # The structured data for search engines says the same as the page.
    data = [json.loads(block) for block in re.findall(r'<script[^>]*application/ld\+json"?>(.*?)</script>', page, re.S)]
    assert "10 ngày làm việc" in json.dumps(data, ensure_ascii=False)
    assert "12 ngày" not in json.dumps(data, ensure_ascii=False)


def test_different_local_times_are_named_by_channel(minimal_project: Project) -> None:
    _nationalise(minimal_project)
    _overlay(minimal_project, LOCAL_TEN_DAYS.replace("10 ngày làm việc", "08 ngày làm việc", 1))
    result = minimal_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    box = _summary_box(minimal_project.html(PAGE))
    assert "Trực tiếp: 08 ngày làm việc; Trực tuyến: 10 ngày làm việc" in box, box


def test_overlay_can_write_its_own_summary(minimal_project: Project) -> None:
    _nationalise(minimal_project)
    _overlay(minimal_project, LOCAL_TEN_DAYS + "processing_time: 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ\n")
    result = minimal_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    box = _summary_box(minimal_project.html(PAGE))
    assert "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ" in box and "12 ngày" not in box


def test_overlay_that_keeps_the_times_keeps_the_national_summary(minimal_project: Project) -> None:
    """An overlay that changes only fees must not replace a national summary that still holds."""
    _nationalise(minimal_project)
    _overlay(minimal_project, NATIONAL_METHODS.split("processing_time: 12 ngày làm việc;")[0].replace(
        "fees: []", "fees:\n      - {kind: fee, amount: 15000}", 1))
    result = minimal_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    page = minimal_project.html(PAGE)
    assert "12 ngày làm việc; 15 ngày làm việc" in _summary_box(page)
    assert "15.000" in _summary_box(page)


def test_problem_in_a_derived_value_points_at_the_overlay(minimal_project: Project) -> None:
    """A derived summary is the overlay's doing: its problems are reported there, not in the national file."""
    _nationalise(minimal_project)
    long_times = LOCAL_TEN_DAYS.replace("10 ngày làm việc", "10 ngày làm việc " + "x" * 2600, 1).replace(
        "10 ngày làm việc\n", "11 ngày làm việc " + "y" * 2600 + "\n", 1)
    _overlay(minimal_project, long_times)
    result = minimal_project.run("check")
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/") and "[cảnh báo]" not in line]
    assert len(lines) == 1 and lines[0].startswith("content/overlays/1.004194.yml:1:1: processing_time:"), lines


@pytest.mark.parametrize(("pairs", "expected"), [
    ([("direct", "05 ngày"), ("online", "05 ngày")], "05 ngày"),
    ([("direct", "05 ngày"), ("postal", "05 ngày"), ("online", "03 ngày")], "Trực tiếp, Dịch vụ bưu chính: 05 ngày; Trực tuyến: 03 ngày"),
])
def test_processing_time_summary(pairs: list[tuple[str, str]], expected: str) -> None:
    from thutuc.content.overlays import processing_time_summary

    assert processing_time_summary(pairs) == expected


def _warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if "[cảnh báo]" in line and "receive_return" in line]


def test_overlay_with_other_channels_warns_about_receive_return(minimal_project: Project) -> None:
    """"Nhận hồ sơ" is a fact of its own: not rewritten, but check says the overlay left it behind."""
    _nationalise(minimal_project)  # the national file receives directly only
    _overlay(minimal_project, LOCAL_TEN_DAYS)  # the overlay offers direct and online
    result = minimal_project.run("check")
    assert result.returncode == 0, result.stderr
    [warning] = _warnings(result.stderr)
    assert warning.startswith("content/overlays/1.004194.yml:1:1: methods: [cảnh báo]")
    assert "Trực tiếp, Trực tuyến" in warning and "receive_return: {submit: [direct, online]}" in warning

    _overlay(minimal_project, LOCAL_TEN_DAYS + "receive_return:\n  submit: [direct, online]\n")
    again = minimal_project.run("check")
    assert again.returncode == 0, again.stderr
    assert _warnings(again.stderr) == []
    result = minimal_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Trực tuyến" in _section(minimal_project.html(PAGE), "nhan-tra")


# -- an overlay that leaves out a channel ----------------------------------------------------------------

KHAI_SINH_OVERLAY = "overlays/1.001193.yml"
DIRECT_ONLY = """\
methods:
  - channel: direct
    processing_time: 02 ngày làm việc
    fees: []
"""


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("content/overlays/") and "[cảnh báo]" not in line]


def test_overlay_that_drops_a_channel_is_an_error_with_a_hint(minimal_project: Project) -> None:
    """The guide's old example: only the direct row, so the online row and its fee vanish while the page
    still offers online submission ("Nộp trực tuyến" button, "Nhận hồ sơ: Trực tuyến")."""
    folder = minimal_project.content / "overlays"
    folder.mkdir()
    procedure = minimal_project.content / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
    procedure.write_text(procedure.read_text("utf-8").replace("level: 2\n", "level: 2\nonline: full\n"
                         "online_url: https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html\n"), "utf-8")
    (folder / "1.001193.yml").write_text(DIRECT_ONLY, "utf-8")
    result = minimal_project.run("check")
    assert result.returncode == 1
    errors = _errors(result.stderr)
    assert len(errors) == 2, result.stderr
    assert all(e.startswith("content/overlays/1.001193.yml:1:1: methods: tệp bổ sung bỏ cách thức Trực tuyến") for e in errors)
    assert "Nhận hồ sơ" in errors[0] and "receive_return: {submit: [direct]}" in errors[0]
    assert "chép cả cách thức Trực tuyến từ tệp thủ tục" in errors[0]
    assert "nút “Nộp trực tuyến”" in errors[1] and '"online: info"' in errors[1]

    # Said on purpose, with what follows from it: the page offers only what remains.
    (folder / "1.001193.yml").write_text(DIRECT_ONLY + "online: info\nreceive_return:\n  submit: [direct]\n", "utf-8")
    built = minimal_project.build()
    assert built.returncode == 0, built.stderr
    page = minimal_project.html("thu-tuc/dang-ky-khai-sinh-1-001193/")
    assert "Nộp trực tuyến" not in page
    assert "Trực tuyến" not in _section(page, "nhan-tra") and "Trực tuyến" not in _summary_box(page)


def test_dropping_a_channel_named_in_the_steps_asks_for_the_steps(minimal_project: Project) -> None:
    folder = minimal_project.content / "overlays"
    folder.mkdir()
    procedure = minimal_project.content / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
    procedure.write_text(procedure.read_text("utf-8").replace("nộp hồ sơ tại Ủy ban nhân dân cấp xã.",
                                                              "nộp hồ sơ tại Ủy ban nhân dân cấp xã hoặc nộp trực tuyến."), "utf-8")
    (folder / "1.001193.yml").write_text(DIRECT_ONLY + "receive_return:\n  submit: [direct]\n", "utf-8")
    result = minimal_project.run("check")
    [error] = _errors(result.stderr)
    assert "Trình tự thực hiện (steps) của tệp thủ tục vẫn nói đến cách thức đó" in error and "ghi lại mục steps" in error
    (folder / "1.001193.yml").write_text(DIRECT_ONLY + "receive_return:\n  submit: [direct]\n"
                                         "steps:\n  - title: Nộp hồ sơ tại Ủy ban nhân dân cấp xã\n", "utf-8")
    assert minimal_project.run("check").returncode == 0
