"""The preview (`build.py serve`) renders only what an edit touches, and the result is exactly the site
a full build of the same content gives: every file, byte for byte, including search and sitemap."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, make_project
from thutuc.host import build
from thutuc.preview.server import PreviewSession

SERVE_URL = "http://127.0.0.1:8765/"
KHAI_SINH = "content/procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _full_build_of(project_root: Path, site_dir: Path) -> dict[str, bytes]:
    reference = PreviewSession(project_root / "mkdocs.yml", site_dir, SERVE_URL, build)
    try:
        reference.rebuild()
        assert reference.last_kind == "full", reference.problem
        return _tree(site_dir)
    finally:
        reference.close()


def _assert_same_site(actual: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(actual) == sorted(expected), (set(actual) ^ set(expected))
    different = [name for name in expected if actual[name] != expected[name]]
    assert not different, f"{len(different)} files differ from a full build, e.g. {different[:5]}"


@pytest.fixture
def preview(tmp_path: Path):
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    session = PreviewSession(project.root / "mkdocs.yml", tmp_path / "preview", SERVE_URL, build)
    (tmp_path / "preview").mkdir()
    session.rebuild()
    assert session.last_kind == "full", session.problem
    yield session, project.root, tmp_path
    session.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _check_against_full_build(session: PreviewSession, root: Path, tmp_path: Path, name: str) -> None:
    session.settle()
    _assert_same_site(_tree(session.site_dir), _full_build_of(root, tmp_path / f"reference-{name}"))


def test_body_edit_renders_only_the_pages_that_show_it(preview):
    session, root, tmp_path = preview
    file = root / KHAI_SINH
    _edit(file, "processing_time:", "processing_time: Ngay trong ngày làm việc; nếu nhận hồ sơ sau 15 giờ thì")
    session.rebuild()
    assert session.last_kind == "update", session.problem
    rendered = set(session.last_rendered)
    assert "thu-tuc/dang-ky-khai-sinh-1-001193/index.md" in rendered
    # Pages that list khai sinh as related show its title and link only: rendered again all the same.
    assert "thu-tuc/dang-ky-lai-khai-sinh-1-004884/index.md" in rendered
    # Lists show no processing time: untouched. Unrelated procedures: untouched.
    assert "linh-vuc/ho-tich/index.md" not in rendered
    assert "index.md" not in rendered
    assert "thu-tuc/cap-giay-phep-lai-xe-quoc-te-3-000350/index.md" not in rendered
    assert len(rendered) < 10
    page = (session.site_dir / "thu-tuc/dang-ky-khai-sinh-1-001193/index.html").read_text("utf-8")
    assert "nếu nhận hồ sơ sau 15 giờ thì" in page
    _check_against_full_build(session, root, tmp_path, "body")


def test_title_edit_moves_the_page_and_updates_every_list(preview):
    session, root, tmp_path = preview
    _edit(root / KHAI_SINH, "title: Đăng ký khai sinh", "title: Đăng ký khai sinh cho trẻ em")
    session.rebuild()
    assert session.last_kind == "update", session.problem
    # The published address stays, as a redirect to the new one (content/published-addresses.txt, test_lifecycle.py).
    old_address = (session.site_dir / "thu-tuc/dang-ky-khai-sinh-1-001193/index.html").read_text("utf-8")
    assert "http-equiv" in old_address and "dang-ky-khai-sinh-cho-tre-em-1-001193/" in old_address
    assert "linh-vuc/ho-tich/index.md" in session.last_rendered
    # Lists without khai sinh keep their pages; the overview of fields shows only names and sizes.
    assert "linh-vuc/duong-bo/index.md" not in session.last_rendered
    assert "linh-vuc/index.md" not in session.last_rendered
    home = (session.site_dir / "index.html").read_text("utf-8")
    assert "thu-tuc/dang-ky-khai-sinh-cho-tre-em-1-001193/" in home
    _check_against_full_build(session, root, tmp_path, "title")


def test_added_and_removed_procedures(preview):
    session, root, tmp_path = preview
    source = (root / KHAI_SINH).read_text("utf-8")
    added = root / "content/procedures/ho-tich/1.009999-dang-ky-khai-sinh-co-yeu-to-nuoc-ngoai.yml"
    text = source.replace('code: "1.001193"', 'code: "1.009999"', 1).replace(
        "title: Đăng ký khai sinh", "title: Đăng ký khai sinh có yếu tố nước ngoài", 1)
    added.write_text(text, "utf-8")
    session.rebuild()
    assert session.last_kind == "update", session.problem
    assert (session.site_dir / "thu-tuc/dang-ky-khai-sinh-co-yeu-to-nuoc-ngoai-1-009999/index.html").is_file()
    _check_against_full_build(session, root, tmp_path, "added")
    added.unlink()
    session.rebuild()
    assert session.last_kind == "update", session.problem
    assert not (session.site_dir / "thu-tuc/dang-ky-khai-sinh-co-yeu-to-nuoc-ngoai-1-009999").exists()
    _check_against_full_build(session, root, tmp_path, "removed")


def test_an_error_keeps_the_last_good_preview_and_says_where(preview, capsys):
    session, root, tmp_path = preview
    before = _tree(session.site_dir)
    file = root / KHAI_SINH
    good = file.read_text("utf-8")
    file.write_text(good.replace("level: 2", "level: 7", 1), "utf-8")
    session.rebuild()
    assert session.last_kind == "error"
    summary, details = session.problem
    assert "lỗi" in summary
    line = next(i for i, text in enumerate(good.splitlines(), 1) if text.startswith("level:"))
    assert re.search(rf"1\.001193-dang-ky-khai-sinh\.yml:{line}:\d+: level:", details), details
    assert "Bản xem trước giữ nguyên" in capsys.readouterr().err
    assert _tree(session.site_dir) == before
    file.write_text(good, "utf-8")
    session.rebuild()
    assert session.last_kind == "update" and session.problem == ("", "")
    _check_against_full_build(session, root, tmp_path, "fixed")


def test_other_content_changes_rebuild_everything(preview):
    session, root, tmp_path = preview
    _edit(root / "content/fields.yml", "name: Hộ tịch", "name: Hộ tịch và chứng thực cá nhân")
    session.rebuild()
    assert session.last_kind == "full", session.problem
    assert "Hộ tịch và chứng thực cá nhân" in (session.site_dir / "thu-tuc/dang-ky-khai-sinh-1-001193/index.html").read_text("utf-8")
    # Unchanged files are not even stat-ed again by the next update: it is still incremental.
    _edit(root / KHAI_SINH, "processing_time:", "processing_time: Ngay;")
    session.rebuild()
    assert session.last_kind == "update", session.problem
    _check_against_full_build(session, root, tmp_path, "fields")


def test_nothing_changed_does_nothing(preview):
    session, _, _ = preview
    stamp = {p: p.stat().st_mtime_ns for p in session.site_dir.rglob("*.html")}
    session.rebuild()
    assert session.last_kind == "unchanged"
    assert {p: p.stat().st_mtime_ns for p in session.site_dir.rglob("*.html")} == stamp


def test_a_broken_theme_is_reported_and_the_preview_recovers(tmp_path: Path, capsys):
    theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).resolve().parent.parent / "theme", theme)
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    config = project.root / "mkdocs.yml"
    config.write_text(re.sub(r"custom_dir: .*", f"custom_dir: {theme}", config.read_text("utf-8")), "utf-8")
    session = PreviewSession(config, tmp_path / "preview", SERVE_URL, build)
    try:
        session.rebuild()
        assert session.last_kind == "full", session.problem
        before = _tree(session.site_dir)
        template = theme / "procedure.html"
        good = template.read_text("utf-8")
        template.write_text(good.replace("{% block content %}", "{% block content %}{{ tt.no_such_thing() }}", 1), "utf-8")
        session.rebuild()
        assert session.last_kind == "error"
        assert "theme/" in session.problem[0]
        assert _tree(session.site_dir) == before
        template.write_text(good, "utf-8")
        session.rebuild()
        assert session.last_kind == "full" and session.problem == ("", "")
    finally:
        session.close()


def test_a_save_during_a_build_is_built_next(tmp_path: Path):
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    file = project.root / KHAI_SINH

    class SaveDuringBuild:  # the host's door, with an editor saving while the full build runs
        load_site_config = staticmethod(build.load_site_config)
        reload_content = staticmethod(build.reload_content)

        @staticmethod
        def build_site(config, serve_url):
            build.build_site(config, serve_url)
            _edit(file, "processing_time:", "processing_time: Lưu trong lúc đang xây dựng;")

    session = PreviewSession(project.root / "mkdocs.yml", tmp_path / "preview", SERVE_URL, SaveDuringBuild())
    try:
        session.rebuild()
        assert session.last_kind == "full", session.problem
        session.rebuild()
        assert session.last_kind == "update", "the save made during the build was missed"
        page = (session.site_dir / "thu-tuc/dang-ky-khai-sinh-1-001193/index.html").read_text("utf-8")
        assert "Lưu trong lúc đang xây dựng" in page
    finally:
        session.close()


def test_a_broken_link_is_shown_but_does_not_stop_the_preview(preview):
    session, root, _ = preview
    _edit(root / KHAI_SINH, "\nrequirements: ", "\nrequirements: Xem [hướng dẫn](../khong-co-trang-nay/). ")
    session.rebuild()
    assert session.last_kind == "update", session.problem
    assert "Kiểm tra liên kết không đạt (khi xuất bản, bản dựng sẽ dừng):" in session.last_report
    assert "khong-co-trang-nay" in session.last_report
    page = (session.site_dir / "thu-tuc/dang-ky-khai-sinh-1-001193/index.html").read_text("utf-8")
    assert "khong-co-trang-nay" in page


def test_open_pages_are_told_once_per_save_what_to_show(preview):
    session, root, _ = preview
    shown: list[tuple[str, str]] = []
    session.on_visible = shown.append  # the server reloads open pages on each call
    file = root / KHAI_SINH
    good = file.read_text("utf-8")
    file.write_text(good.replace("processing_time:", "processing_time: Ngay;", 1), "utf-8")
    session.rebuild()
    assert shown == [("", "")]  # once: before the link check, not again after it
    file.write_text(good.replace("level: 2", "level: 7", 1), "utf-8")
    session.rebuild()
    assert len(shown) == 2 and "lỗi" in shown[1][0] and "1.001193-dang-ky-khai-sinh.yml" in shown[1][1]
    session.rebuild()
    assert session.last_kind == "unchanged" and len(shown) == 2  # nothing saved: no reload
    file.write_text(good, "utf-8")
    session.rebuild()
    assert shown[2:] == [("", "")]
