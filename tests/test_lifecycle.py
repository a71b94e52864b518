"""Procedures over time, walked on real builds: new, amended, renamed, moved to another field, abolished with
a replacement, announced then in force by date, deleted without notice (refused), merged under a new code.
After each step every address in the register must resolve in the built site (page, redirect or notice)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from sitecheck import VIETNAMESE, published_asset, tree_hashes

from conftest import FIXTURES, Project, make_project
from thutuc.content.address_register import read_register, redirects

KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
TAM_TRU = "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
KHAI_SINH_URL = "/thu-tuc/dang-ky-khai-sinh-1-001193/"
TAM_TRU_URL = "/thu-tuc/dang-ky-tam-tru-1-004194/"
REGISTER = "published-addresses.txt"


def _edit(project: Project, name: str, old: str, new: str) -> None:
    path = project.content / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _append(project: Project, name: str, text: str) -> None:
    path = project.content / name
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + text, "utf-8")


def _build(project: Project) -> None:
    result = project.build()
    assert result.returncode == 0, result.stderr + result.stdout


def _page(project: Project, address: str) -> str:
    return (project.site / address.strip("/") / "index.html").read_text("utf-8")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


def _assert_register_resolves(project: Project) -> dict[str, str]:
    """Every address ever published is a page, a notice or a redirect to a live page of this site."""
    register = read_register(project.content / REGISTER)
    assert not register.problems
    text = (project.content / REGISTER).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == sorted(lines, key=lambda line: line.split(" -> ")[0])
    assert text.startswith("# ") and "không sửa bằng tay" in text.lower()
    for address in register.live:
        assert (project.site / address.strip("/") / "index.html").is_file() or address == "/", address
    moved = dict(redirects(register))
    for old, new in moved.items():
        assert new in register.live, (old, new)  # chains are collapsed: the target is always live
        html = _page(project, old)
        assert re.search(r'http-equiv="?refresh"?', html) and "noindex" in html, old
        assert f"https://thutuc.mau.example.vn{new}" in html  # rel=canonical and the visible link
        assert "Trang đã chuyển địa chỉ" in html
    return moved


@pytest.fixture
def walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("THUTUC_TODAY", "2026-12-06")
    project = make_project(tmp_path / "project", FIXTURES / "minimal")
    _build(project)
    return project


def test_transitions(walk: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project = walk
    assert {KHAI_SINH_URL, TAM_TRU_URL} <= read_register(project.content / REGISTER).live
    _assert_register_resolves(project)

    # New: a procedure added is published and recorded; it is on the record of changes (its decision's date).
    new_file = project.content / "procedures/ho-tich/1.000656-dang-ky-khai-tu.yml"
    text = (project.content / KHAI_SINH).read_text("utf-8")
    text = text.replace('code: "1.001193"', 'code: "1.000656"').replace("title: Đăng ký khai sinh", "title: Đăng ký khai tử")
    text = re.sub(r"decision: .*", "decision: Quyết định số 100/QĐ-BTP ngày 10/11/2026 của Bộ trưởng Bộ Tư pháp", text)
    new_file.write_text(text.replace('related: ["1.004194"]', "related: []"), "utf-8")
    _build(project)
    khai_tu = "/thu-tuc/dang-ky-khai-tu-1-000656/"
    assert khai_tu in read_register(project.content / REGISTER).live
    assert "Đăng ký khai tử" in _text(_page(project, "/thay-doi/"))

    # Amended: the history shows on the page, newest first, and each change is one feed entry.
    _append(project, TAM_TRU, "changes:\n"
            "  - date: 2026-03-01\n    decision: Quyết định số 1/QĐ-BCA ngày 20/02/2026\n    summary: Thay đổi thứ nhất.\n"
            "  - date: 2026-10-15\n    decision: Quyết định số 2/QĐ-BCA ngày 01/10/2026\n    summary: Rút thời hạn giải quyết.\n")
    _build(project)
    page = _text(_page(project, TAM_TRU_URL))
    assert "Lịch sử thay đổi" in page
    assert page.index("Rút thời hạn giải quyết") < page.index("Thay đổi thứ nhất")
    feed = feedparser.parse((project.site / "thay-doi/feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10", feed.get("bozo_exception")
    amended = [e for e in feed.entries if e.link == "https://thutuc.mau.example.vn" + TAM_TRU_URL and "Sửa đổi" in e.title]
    assert len(amended) == 2
    assert all(e.link.startswith("https://") and e.id for e in feed.entries)
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert feed.feed.links and any(link.rel == "self" for link in feed.feed.links)
    assert re.search(r'<link[^>]*type="?application/atom\+xml', _page(project, "/so-do-cong/"))

    # Renamed, twice: both old addresses redirect straight to the newest one.
    _edit(project, TAM_TRU, "title: Đăng ký tạm trú", "title: Đăng ký tạm trú cho công dân")
    _build(project)
    second = "/thu-tuc/dang-ky-tam-tru-cho-cong-dan-1-004194/"
    _edit(project, TAM_TRU, "title: Đăng ký tạm trú cho công dân", "title: Đăng ký tạm trú tại xã")
    _build(project)
    third = "/thu-tuc/dang-ky-tam-tru-tai-xa-1-004194/"
    moved = _assert_register_resolves(project)
    assert moved[TAM_TRU_URL] == third and moved[second] == third
    assert f"{TAM_TRU_URL} -> {third}" in (project.content / REGISTER).read_text("utf-8")
    sitemap = (project.site / "sitemap.xml").read_text("utf-8")
    assert second not in sitemap and third in sitemap

    # An ordinary page renamed: its old address goes to the nearest live section (here the home page).
    (project.content / "pages/huong-dan.md").write_text("# Hướng dẫn nộp hồ sơ\n\nNội dung.\n", "utf-8")
    _build(project)
    assert "/huong-dan/" in read_register(project.content / REGISTER).live
    (project.content / "pages/huong-dan.md").rename(project.content / "pages/huong-dan-nop-ho-so.md")
    _build(project)
    assert _assert_register_resolves(project)["/huong-dan/"] == "/"

    # Moved to another field: the address does not depend on the field, the lists follow.
    _edit(project, TAM_TRU, "field: cu-tru", "field: ho-tich")
    _build(project)
    assert third in _page(project, "/linh-vuc/ho-tich/") and third not in _page(project, "/linh-vuc/cu-tru/")
    assert (project.site / third.strip("/") / "index.html").is_file()
    _assert_register_resolves(project)


def test_abolished_with_replacement_keeps_its_address(walk: Project) -> None:
    project = walk
    # The replacement must not list the abolished procedure as related: check says so, naming the replacement.
    _append(project, TAM_TRU, "status: abolished\nabolished:\n  date: 2026-07-01\n"
            "  decision: Quyết định số 9/QĐ-BCA ngày 20/6/2026\n  reason: Gộp vào thủ tục khác.\n  replaced_by: [\"1.001193\"]\n")
    failed = project.build()
    assert failed.returncode == 1
    assert "related[0]" in failed.stderr and "đã bị bãi bỏ" in failed.stderr and "“1.001193”" in failed.stderr, failed.stderr
    _edit(project, KHAI_SINH, 'related: ["1.004194"]', "related: []")
    _build(project)
    html = _page(project, TAM_TRU_URL)
    page = _text(html)
    assert "Thủ tục này đã bị bãi bỏ từ ngày 01/07/2026 theo Quyết định số 9/QĐ-BCA" in page
    # The replacement is linked before the old facts, which are marked as no longer in force (also on paper).
    replacement = html.index("dang-ky-khai-sinh-1-001193/")
    assert replacement < html.index("không còn hiệu lực") < html.index("Trình tự thực hiện")
    assert "retired__stamp" in html
    assert any("noindex" in tag for tag in re.findall(r'<meta[^>]*name="?robots[^>]*>', html))
    assert "GovernmentService" not in html
    assert TAM_TRU_URL not in (project.site / "sitemap.xml").read_text("utf-8")
    assert "1.004194" not in published_asset(project.site, "assets/search/docs.json").read_text("utf-8")
    assert TAM_TRU_URL.strip("/").split("/")[-1] not in _page(project, "/linh-vuc/cu-tru/")
    assert "Bãi bỏ" in _text(_page(project, "/thay-doi/"))
    assert TAM_TRU_URL in read_register(project.content / REGISTER).live  # still a live address: the notice
    _assert_register_resolves(project)


def test_upcoming_then_in_force_by_date(walk: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project = walk
    _append(project, TAM_TRU, "effective_from: 2027-01-01\n")
    _build(project)
    assert "Có hiệu lực từ 01/01/2027" in _text(_page(project, TAM_TRU_URL))
    assert "Có hiệu lực từ 01/01/2027" in _text(_page(project, "/linh-vuc/cu-tru/"))
    changes = (project.site / "thay-doi/index.html").read_bytes(), (project.site / "thay-doi/feed.xml").read_bytes()
    before = tree_hashes(project.site)
    _build(project)  # the same day: byte for byte the same site
    assert tree_hashes(project.site) == before
    monkeypatch.setenv("THUTUC_TODAY", "2027-01-02")  # no edit: the date has passed
    _build(project)
    assert "Có hiệu lực từ" not in _text(_page(project, TAM_TRU_URL)).split("Lịch sử")[0].split("Tóm tắt")[0]
    assert "Có hiệu lực từ" not in _text(_page(project, "/linh-vuc/cu-tru/"))
    # The record of changes never depends on the build day.
    assert changes == ((project.site / "thay-doi/index.html").read_bytes(), (project.site / "thay-doi/feed.xml").read_bytes())


def test_deleted_without_notice_is_refused_then_merged(walk: Project) -> None:
    project = walk
    register_before = (project.content / REGISTER).read_bytes()
    site_before = tree_hashes(project.site)
    _edit(project, KHAI_SINH, 'related: ["1.004194"]', "related: []")
    (project.content / TAM_TRU).unlink()
    for command in ("build", "check"):
        failed = project.run(command)
        assert failed.returncode == 1, failed.stdout
        lines = [line for line in failed.stderr.splitlines() if TAM_TRU_URL in line]
        assert lines and lines[0].startswith(f"content/{REGISTER}:"), failed.stderr
        assert "status: abolished" in lines[0] and 'previous_codes: ["1.004194"]' in lines[0]
        assert VIETNAMESE.search(lines[0])
    assert tree_hashes(project.site) == site_before
    assert (project.content / REGISTER).read_bytes() == register_before  # a failed build never writes the register
    # The second way out: the procedure that took over names the old code; the old address redirects to it.
    _edit(project, KHAI_SINH, "updated: 2025-06-01", 'updated: 2025-06-01\nprevious_codes: ["1.004194"]')
    _build(project)
    assert _assert_register_resolves(project)[TAM_TRU_URL] == KHAI_SINH_URL


def test_register_format_and_merge_conflicts(tmp_path: Path) -> None:
    path = tmp_path / REGISTER
    path.write_text("# đầu tệp\n/a/\n<<<<<<< HEAD\n/b/ -> /a/\n=======\n/c/\n>>>>>>> nhanh\n/d/ -> /a/\n", "utf-8")
    register = read_register(path)
    assert register.live == {"/a/", "/c/"} and not register.problems
    assert redirects(register) == [("/b/", "/a/"), ("/d/", "/a/")]
    path.write_text("/a/\nkhông phải địa chỉ\n", "utf-8")
    problem = read_register(path).problems[0]
    assert problem.line == 2 and "git checkout" in problem.format()


def test_schema_and_admin_know_the_lifecycle_keys() -> None:
    from thutuc.editor.admin import decap_config

    fields = {f["name"]: f for f in decap_config({"xa": "Cấp xã"})["collections"][0]["fields"]}
    assert fields["status"]["widget"] == "select" and {o["value"] for o in fields["status"]["options"]} == {"active", "abolished"}
    assert {o["label"] for o in fields["status"]["options"]} == {"Đang áp dụng", "Đã bãi bỏ"}
    abolished = {f["name"]: f for f in fields["abolished"]["fields"]}
    assert abolished["replaced_by"]["widget"] == "relation" and abolished["date"]["widget"] == "datetime"
    assert fields["effective_from"]["widget"] == "datetime" and fields["changes"]["widget"] == "list"
    assert fields["previous_codes"]["widget"] == "list"
    assert all(VIETNAMESE.search(fields[k]["label"] + fields[k]["hint"]) for k in ("status", "abolished", "changes", "effective_from"))


def test_sample_shows_every_state(sample_site: Project) -> None:
    site = sample_site.site
    notice = next(p for p in site.glob("thu-tuc/*/index.html") if "retired__stamp" in p.read_text("utf-8"))
    assert "Thủ tục thay thế" in _text(notice.read_text("utf-8"))
    assert any("Lịch sử thay đổi" in p.read_text("utf-8") for p in site.glob("thu-tuc/*/index.html"))
    changes = _text((site / "thay-doi/index.html").read_text("utf-8"))
    assert {"Thủ tục mới", "Sửa đổi, bổ sung", "Bãi bỏ"} <= set(re.findall(r"Thủ tục mới|Sửa đổi, bổ sung|Bãi bỏ", changes))
    assert 'href="thay-doi/"' in (site / "index.html").read_text("utf-8").replace("href=thay-doi/", 'href="thay-doi/"')
    docs = json.loads(published_asset(site, "assets/search/docs.json").read_text("utf-8"))
    assert "1.002804" not in json.dumps(docs)



# --- import: the national record's status, and records that a later import lacks ---------------------------

NATIONAL = FIXTURES / "import" / "national"


def _national_record(**changes: object) -> dict:
    record = json.loads((NATIONAL / "records.json").read_text("utf-8"))["result"][1]
    record.update(changes)
    return record


def test_import_maps_status_abolishing_decision_and_entry_into_force() -> None:
    from thutuc.importers.importer import ImportError_, Pending, convert_portal_record

    levels = {"bo": "Cấp Bộ", "tinh": "Cấp tỉnh", "xa": "Cấp xã"}
    notes: list[str] = []
    data = convert_portal_record(_national_record(TRANGTHAI="Đã bãi bỏ", QUYETDINHBAIBO="1234/QĐ-BTP ngày 01/7/2025",
                                                  TTHCTHAYTHE="1.001193; 1.004194", NGAYHIEULUC="01/01/2021"),
                                 levels, Pending(), notes)
    assert data["status"] == "abolished"
    assert data["abolished"] == {"date": "2025-07-01", "decision": "Quyết định số 1234/QĐ-BTP ngày 01/7/2025",
                                 "replaced_by": ["1.001193", "1.004194"]}
    assert data["effective_from"] == "2021-01-01"
    assert any("bãi bỏ" in note for note in notes)
    active = convert_portal_record(_national_record(TRANGTHAI="Đang áp dụng"), levels, Pending(), [])
    assert "status" not in active and "abolished" not in active
    with pytest.raises(ImportError_, match="không đoán ngày"):  # an abolition date is never made up
        convert_portal_record(_national_record(TRANGTHAI="Hết hiệu lực", QUYETDINHBAIBO="1234/QĐ-BTP"), levels, Pending(), [])
    with pytest.raises(ImportError_, match="không nhập"):  # nothing says when or by what: never published, refused
        convert_portal_record(_national_record(TRANGTHAI="Hết hiệu lực"), levels, Pending(), [])


def test_a_record_missing_from_a_later_import_is_named_not_deleted(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "minimal")
    records = json.loads((NATIONAL / "records.json").read_text("utf-8"))["result"]
    source = tmp_path / "dot-1.json"
    source.write_text(json.dumps({"result": records[:3]}, ensure_ascii=False), "utf-8")
    first = project.run("import", str(source))
    assert first.returncode == 0, first.stdout + first.stderr
    gone = str(records[2]["MATTHC"])
    before = {p.name for p in (project.content / "procedures").rglob("*.yml")}
    source.write_text(json.dumps({"result": records[:2]}, ensure_ascii=False), "utf-8")
    second = project.run("import", str(source))
    lines = [line for line in second.stdout.splitlines() if line.startswith("Không còn:")]
    assert len(lines) == 1 and gone in lines[0] and "status: abolished" in lines[0], second.stdout
    assert {p.name for p in (project.content / "procedures").rglob("*.yml")} == before  # nothing deleted
