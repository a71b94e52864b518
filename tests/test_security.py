"""Attacks at the way in (issue 14): every one is refused with a located Vietnamese message, exit 1, and
the published site/ stays byte for byte as it was.

content/pages (MkDocs' docs_dir) publishes only Markdown pages and sniffed raster images; nothing links
out of content/; page front matter obeys the YAML rules; pages take no images from other hosts;
Markdown that Python-Markdown renders in super-linear time is refused; mkdocs.yml's e-mail and endpoint
cannot inject into mailto:/action; form files with macros are refused; and SIGTERM to `python3 build.py`
never lets a build publish later.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sitecheck import VIETNAMESE, problem_lines, tree_hashes
from support.pausing import add_pause_hook, wait_until_paused
from support.waiting import wait_until
from test_bad_inputs import FORM, KHAI_SINH, apply_edits, assert_refused, published  # noqa: F401 - fixture (its site, with a small form limit)

from conftest import REPO, SAMPLE_CONTENT, Project, make_project
from thutuc.render import markdown as markdown_render

# Smallest real images: a 1×1 PNG and GIF.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def _page(site_project: Project, name: str, data: bytes | str) -> None:
    target = site_project.content / "pages" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


# -- content/pages: only pages and real raster images ----------------------------------------------------


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("xss.html", "<script>alert(1)</script>", ["“.html”", "content/pages/"]),
        ("app.js", "alert(document.cookie)", ["“.js”"]),
        ("logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', ["SVG"]),
        ("style.css", "body{background:url(https://ngoai.example/x.png)}", ["“.css”"]),
        ("passwd", "root:x:0:0", ["“passwd”"]),
        ("anh/logo.png", "<script>alert(1)</script>", ["không phải là ảnh .png thật"]),
        ("anh.webp", b"RIFF\x00\x00\x00\x00WAVE", ["không phải là ảnh .webp thật"]),
    ],
    ids=["html", "js", "svg", "css", "no-extension", "fake-png", "fake-webp"],
)
def test_files_other_than_pages_and_images_are_refused(name, data, words, project: Project, published):  # noqa: F811
    _page(project, name, data)
    assert_refused(project, published[1], f"pages/{name}", 1, "", words)


def test_pages_and_real_images_are_published(project: Project):  # noqa: F811
    _page(project, "anh/so-do.png", PNG)
    _page(project, "anh/nut.gif", GIF)
    _page(project, "huong-dan.md", "---\ntitle: Hướng dẫn\nupdated: '2025-01-02'\n---\n# Hướng dẫn\n\n![Sơ đồ](anh/so-do.png)\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (project.site / "anh/so-do.png").read_bytes() == PNG
    assert (project.site / "anh/nut.gif").read_bytes() == GIF
    assert "Hướng dẫn" in project.html("huong-dan/")


def test_page_symlinked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):  # noqa: F811
    secret = tmp_path / "passwd.md"
    secret.write_text("root:x:0:0:bí mật", "utf-8")
    (project.content / "pages/passwd.md").symlink_to(secret)
    assert_refused(project, published[1], "pages/passwd.md", 1, "", ["ngoài thư mục content/"])


def test_image_symlinked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):  # noqa: F811
    outside = tmp_path / "anh.png"
    outside.write_bytes(PNG)
    (project.content / "pages/anh.png").symlink_to(outside)
    assert_refused(project, published[1], "pages/anh.png", 1, "", ["ngoài thư mục content/"])


def test_folder_symlinked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):  # noqa: F811
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "passwd.md").write_text("# bí mật", "utf-8")
    (project.content / "pages/ngoai").symlink_to(outside, target_is_directory=True)
    assert_refused(project, published[1], "pages/ngoai", 1, "", ["ngoài thư mục content/"])


def test_pages_folder_itself_symlinked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):  # noqa: F811
    """content/pages as a whole is a link to a folder elsewhere: refused, and nothing from there is published."""
    outside = tmp_path / "ngoai"
    shutil.copytree(project.content / "pages", outside)
    (outside / "bi-mat.md").write_text("---\ntitle: Bí mật\n---\n# Bí mật ngoài content\n", "utf-8")
    shutil.rmtree(project.content / "pages")
    (project.content / "pages").symlink_to(outside, target_is_directory=True)
    assert_refused(project, published[1], "pages", 1, "", ["ngoài thư mục content/"])
    assert not list(project.site.rglob("bi-mat*"))


@pytest.mark.parametrize("name", ["fields.yml", "agencies.yml", "life-events.yml"])
def test_site_list_symlinked_from_outside_content_is_refused(name, project: Project, published, tmp_path: Path):  # noqa: F811
    outside = tmp_path / name
    shutil.copy(project.content / name, outside)
    (project.content / name).unlink()
    (project.content / name).symlink_to(outside)
    assert_refused(project, published[1], name, 1, "", ["ngoài thư mục content/"])


def test_overlay_symlinked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):  # noqa: F811
    outside = tmp_path / "1.001193.yml"
    outside.write_text("requirements: Có\n", "utf-8")
    (project.content / "overlays").mkdir()
    (project.content / "overlays/1.001193.yml").symlink_to(outside)
    assert_refused(project, published[1], "overlays/1.001193.yml", 1, "", ["ngoài thư mục content/"])


# -- page front matter obeys the YAML rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    "front, line, key, words",
    [
        ("title: &t Giới thiệu\ndescription: *t\n", 2, "title", ["neo và bí danh"]),
        ("title: !!python/object:os.system Giới thiệu\n", 2, "title", ["thẻ YAML"]),
        ("title: Giới thiệu\ntemplate: procedure.html\n", 3, "template", ["không dùng được", "title"]),
        ("title:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 30)) + "  " * 30 + "x: 1\n", 27,
         "title." + ".".join(f"k{i}" for i in range(1, 25)), ["lồng nhau"]),
        ("title: [Giới thiệu\n", 2, "title", ["[...]"]),
    ],
    ids=["alias", "tag", "template-key", "depth", "syntax"],
)
def test_page_front_matter_follows_the_yaml_rules(front, line, key, words, project: Project, published):  # noqa: F811
    _page(project, "gioi-thieu.md", f"---\n{front}---\n# Giới thiệu\n")
    message = assert_refused(project, published[1], "pages/gioi-thieu.md", line, key, [])
    assert any(word in message for word in words), message


def test_billion_laughs_front_matter_is_refused(project: Project, published):  # noqa: F811
    laughs = "a: &a [\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\"]\n"
    laughs += "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))
    _page(project, "cuoi.md", f"---\n{laughs}---\n# Cười\n")
    assert_refused(project, published[1], "pages/cuoi.md", 2, "a", ["neo và bí danh"])


# -- images in pages come from the site itself --------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "![Theo dõi](https://ngoai.example/pixel.png)",
        "![Theo dõi](//ngoai.example/pixel.png)",
        "![Theo dõi](/\\ngoai.example/pixel.png)",
        "![Theo dõi][anh]\n\n[anh]: http://ngoai.example/pixel.png",
        '<img src="https://ngoai.example/pixel.png" alt="">',
    ],
    ids=["https", "protocol-relative", "backslash", "reference", "raw-img"],
)
def test_images_from_other_hosts_are_refused(body, project: Project, published):  # noqa: F811
    _page(project, "anh-ngoai.md", f"# Ảnh\n\nĐoạn đầu.\n\n{body}\n")
    assert_refused(project, published[1], "pages/anh-ngoai.md", 5, "", ["ngoai.example", "trang web khác"])


def test_sanitiser_drops_outside_images_that_reach_html():
    html = markdown_render.sanitize_page('<p><img src="https://ngoai.example/a.png" alt="x"><img src="anh/a.png" alt="y"></p>')
    assert "ngoai.example" not in html
    assert 'src="anh/a.png"' in html


def test_check_reads_content_pages_too(project: Project):  # noqa: F811
    _page(project, "xss.html", "<script>alert(1)</script>")
    _page(project, "anh-ngoai.md", "# Ảnh\n\n![x](https://ngoai.example/a.png)\n")
    result = project.run("check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert problem_lines(result.stderr, "content/pages/xss.html", 1), result.stderr
    assert problem_lines(result.stderr, "content/pages/anh-ngoai.md", 3), result.stderr


# -- Markdown that would take minutes to render ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("[" * 20000, ["20000 dấu “[”"]),
        ("[a](" * 2000, ["thiếu dấu “)”"]),
        ("[" * 10 + "a" + "]" * 10, ["lồng nhau quá"]),
        ("1. " * 400 + "a", ["lồng nhau quá"]),
        ("> " * 2000 + "a", ["lồng nhau quá"]),
    ],
    ids=["unclosed-brackets", "unclosed-links", "nested-brackets", "nested-lists", "nested-quotes"],
)
def test_super_linear_markdown_is_refused(text, words, project: Project, published):  # noqa: F811
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    apply_edits(project.content, [{"file": KHAI_SINH, "old": "requirements: Không", "new": f'requirements: "{quoted}"'}])
    assert_refused(project, published[1], KHAI_SINH, 43, "requirements", words)


def test_super_linear_markdown_in_a_page_is_refused(project: Project, published):  # noqa: F811
    _page(project, "ngoac.md", "# Ngoặc\n\nĐoạn đầu.\n\n" + "[" * 20000 + "\n")
    assert_refused(project, published[1], "pages/ngoac.md", 5, "", ["dấu “[”"])


def test_ordinary_markdown_is_not_refused():
    text = "Xem [Nghị định 123](https://x.vn) và [[1]](#a); ![ảnh](a.png)\n\n- a\n    - b\n        - c\n\n> trích dẫn"
    assert markdown_render.markdown_hazard(text) is None
    assert markdown_render.markdown_hazard("\\[" * 5000) is None  # escaped brackets are text


def test_rendering_that_runs_too_long_is_stopped(monkeypatch):
    """The time guard behind validation: a slow text stops with a Vietnamese message instead of running minutes."""
    monkeypatch.setattr(markdown_render, "RENDER_SECONDS", 0.05)
    with pytest.raises(markdown_render.MarkdownTooSlow, match="giây"):
        markdown_render.render_markdown("[" * 30000)


# -- mkdocs.yml: values that go into mailto: and a form's action ---------------------------------------------------


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("email: gopy@mau.example.vn", "email: \"gopy@mau.example.vn?bcc=ke-gian@ngoai.example\"", "owner.email"),
        ("email: gopy@mau.example.vn", "email: \"gopy@mau.example.vn&cc=ke-gian@ngoai.example\"", "owner.email"),
        ("email: gopy@mau.example.vn", "email: 'gopy\"@mau.example.vn'", "owner.email"),
        ("email: gopy@mau.example.vn", "email: \"gop y@mau.example.vn\"", "owner.email"),
        ("email: gopy@mau.example.vn", "email: \"gopy@mau.example.vn\\n\"", "owner.email"),
        ('rating_endpoint: ""', 'rating_endpoint: "javascript:alert(1)"', "rating_endpoint"),
        ('rating_endpoint: ""', "rating_endpoint: 'https://x.vn/\" onmouseover=\"alert(1)'", "rating_endpoint"),
    ],
    ids=["question-mark", "ampersand", "quote", "space", "newline", "endpoint-script", "endpoint-quote"],
)
def test_unsafe_owner_email_and_endpoint_are_refused(old, new, key, project: Project, published):  # noqa: F811
    config = project.root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), "utf-8")
    result = project.build()
    output = result.stderr + result.stdout
    assert result.returncode == 1, output
    lines = [line for line in output.splitlines() if f"mkdocs.yml: plugins.thutuc.{key}:" in line]
    assert lines, output
    assert VIETNAMESE.search(lines[0]), lines[0]
    assert "Traceback" not in output
    assert tree_hashes(project.site) == published[1]


# -- form files that run code in office software ---------------------------------------------------------------------

END, FREE, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF


def ole_word_file(macros: bool) -> bytes:
    """A minimal OLE compound file (Word 97–2003) with a 4 KB WordDocument stream and, if asked, Macros/VBA."""
    def entry(name: str, kind: int, right: int = NOSTREAM, child: int = NOSTREAM, start: int = END, size: int = 0) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, NOSTREAM, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, child=1), entry("WordDocument", 2, right=2 if macros else NOSTREAM, start=2, size=4096)]
    entries += [entry("Macros", 1, child=3), entry("VBA", 1)] if macros else [entry("", 0), entry("", 0)]
    fat = [0xFFFFFFFD, END, *range(3, 10), END]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", FREE) * (128 - len(fat))
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<9I", 0, 1, 1, 0, 4096, END, 0, END, 0) + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    return header + fat_sector + b"".join(entries) + b"W" * 4096


def _docx(with_macros: bool) -> bytes:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"thutuc-test-{os.getpid()}.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if with_macros:
            archive.writestr("word/vbaProject.bin", ole_word_file(True))
    data = path.read_bytes()
    path.unlink()
    return data


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("to-khai.doc", ole_word_file(True), ["macro"]),
        ("to-khai.docx", _docx(True), ["macro", "vbaProject.bin"]),
        ("to-khai.rtf", b"{\\rtf1 {\\object\\objemb {\\*\\objdata 0105}}}", ["OLE"]),
    ],
    ids=["doc-vba", "docm-renamed", "rtf-object"],
)
def test_form_files_with_macros_are_refused(name, data, words, project: Project, published):  # noqa: F811
    (project.content / "forms/ho-tich" / name).write_bytes(data)
    apply_edits(project.content, [{"file": KHAI_SINH, "old": FORM, "new": f"forms/ho-tich/{name}"}])
    assert_refused(project, published[1], KHAI_SINH, 50, "forms[0].files[0]", words)


def test_form_files_without_macros_are_published(project: Project):  # noqa: F811
    (project.content / "forms/ho-tich/to-khai.doc").write_bytes(ole_word_file(False))
    apply_edits(project.content, [{"file": KHAI_SINH, "old": FORM, "new": "forms/ho-tich/to-khai.doc"}])
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert list(project.site.rglob("to-khai.doc"))


# -- SIGTERM to the launcher never publishes ------------------------------------------------------------------------


def _processes_in(folder: Path) -> list[int]:
    """Processes whose working directory is inside folder (the build and its helper process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")).is_relative_to(folder):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(os.name != "posix", reason="signals as on Linux")
def test_sigterm_to_build_py_leaves_the_site_as_it_was(tmp_path: Path):
    root = tmp_path / "project"
    big = make_project(root, SAMPLE_CONTENT)
    # The launcher as editors run it, using this checkout's installed environment and no admin download.
    shutil.copy(REPO / "build.py", root / "build.py")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "tools").mkdir()
    (root / "tools/admin-assets.json").write_text('{"packages": {}}', "utf-8")
    # A .venv that points at this checkout's packages, stamped as installed for this pyproject.toml: the
    # launcher must not run pip here (that would reinstall the shared environment from the copy).
    venv = root / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin/python").symlink_to(REPO / ".venv/bin/python")
    (venv / "lib").symlink_to(REPO / ".venv/lib", target_is_directory=True)
    shutil.copy(REPO / ".venv/pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / ".thutuc-installed").write_text(hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest())
    assert big.build().returncode == 0
    before = tree_hashes(big.site)
    first = sorted((big.content / "procedures").rglob("*.yml"))[0]
    first.write_text(first.read_text("utf-8").replace("title: ", "title: Đã sửa ", 1), "utf-8")
    paused = add_pause_hook(root)  # the build waits mid-way until stopped: it cannot finish first

    launcher = subprocess.Popen([sys.executable, str(root / "build.py"), "build"], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_until_paused(launcher, paused)
    launcher.send_signal(signal.SIGTERM)
    output, _ = launcher.communicate(timeout=300)
    assert launcher.returncode != 0, output
    assert "Chưa xuất bản" in output, output
    # Anything left running would go on to publish: every process of this project must be gone.
    wait_until(lambda: not _processes_in(root), "every build process ends with the launcher", deadline=120)
    assert tree_hashes(big.site) == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("site")) == ["site"]


@pytest.mark.parametrize(
    "file, old, new, line, key",
    [
        (KHAI_SINH, "updated: 2025-06-01", "updated: 2025-06-01\nemail: 'gopy?bcc=ke-gian%40ngoai.example@mau.example.vn'", 59, "email"),
        ("agencies.yml", "  email: ubnd@xa-mau.example.vn", "  email: 'ubnd&cc=ke-gian@xa-mau.example.vn'", 5, "[0].email"),
    ],
    ids=["procedure-question-mark", "agency-ampersand"],
)
def test_content_emails_cannot_add_recipients(file, old, new, line, key, project: Project, published):  # noqa: F811
    """A "?" or "&" in an address would add recipients or headers to the mailto: links built from it."""
    apply_edits(project.content, [{"file": file, "old": old, "new": new}])
    assert_refused(project, published[1], file, line, key, ["thư điện tử"])
