"""What may be published from content/pages (MkDocs' docs_dir) and from the site lists: the way in is checked.

MkDocs copies every file of its docs_dir as it is and follows symbolic links. Here only Markdown pages
and images of a few raster formats (their bytes checked against the extension) get through; HTML,
scripts, SVG (it can carry script), styles and anything else are refused, and so is every link that
resolves outside content/. Page front matter obeys the procedure files' YAML rules (no aliases or tags,
size, nesting depth): MkDocs would read it with PyYAML alone, aliases expanded. Images must come from the
site itself: a picture from another host would make every reader's browser call that host.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from ..render.markdown import is_outside_url, markdown_hazard
from .image_end import image_end
from .problems import Problem, display_path
from .site_addresses import reserved_reason
from .yamlsource import MAX_BYTES, NOT_REGULAR, YamlProblem, decode_text, parse_yaml, text_hazard

PAGE_EXTENSIONS = (".md",)
# Raster images only: an SVG is an XML document that may hold <script> and runs it when opened directly.
IMAGE_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
}
FRONT_MATTER_KEYS = {"title": "tiêu đề trang", "description": "mô tả trang cho máy tìm kiếm", "updated": "ngày cập nhật (YYYY-MM-DD)"}
# MkDocs' own rule for front matter (mkdocs.utils.meta): "---" on the first line, closed by "---" or "...".
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_PLAIN_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_PLAIN_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_INLINE_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]*)")
_REFERENCE_IMAGE = re.compile(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?")
_REFERENCE = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
_RAW_IMAGE = re.compile(r"<\s*img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]*)", re.IGNORECASE)
_OUTSIDE_HINT = ("tải ảnh về, đặt vào content/pages/ (.png, .jpg, .gif, .webp) và dẫn bằng đường dẫn tương đối, "
                 "ví dụ ![Sơ đồ](anh/so-do.png).")


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _inside(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root) for root in roots)


def link_problem(file: Path, roots: list[Path], where: str) -> Problem | None:
    """A refusal when file is a symbolic link (or sits in a linked folder) that resolves outside the roots."""
    if _inside(file, roots):
        return None
    return Problem(display_path(file), 1, 1, "", "tệp trỏ ra ngoài thư mục content/ (liên kết tượng trưng).",
                   hint=f"chép tệp thật vào {where} thay cho liên kết.")


def _image_problem(file: Path, shown: str, max_bytes: int) -> Problem | None:
    size = file.stat().st_size
    if size > max_bytes:
        return Problem(shown, 1, 1, "", f"ảnh quá lớn ({size // 1024} KB; tối đa {max_bytes // 1024} KB).",
                       hint="giảm kích thước hoặc chất lượng ảnh.")
    data = file.read_bytes()
    extension = file.suffix.lower()
    real = any(data.startswith(signature) for signature in IMAGE_SIGNATURES[extension])
    if extension == ".webp":
        real = real and data[8:12] == b"WEBP"
    end = image_end(data, extension) if real else None
    if end is None or end > len(data):
        return Problem(shown, 1, 1, "", f"tệp “{file.name}” không phải là ảnh {extension} thật (nội dung không khớp đuôi tệp "
                       "hoặc ảnh bị cắt cụt).", hint="mở ảnh bằng phần mềm xem ảnh và lưu lại đúng định dạng.")
    if end < len(data):  # a polyglot: HTML or script after valid image data
        return Problem(shown, 1, 1, "", f"ảnh “{file.name}” có {len(data) - end} byte dữ liệu lạ sau phần ảnh (có thể là mã "
                       "chạy được giấu trong ảnh).", hint="mở ảnh bằng phần mềm xem ảnh và lưu lại thành tệp mới.")
    return None


def _key_problem(shown: str, line: int, column: int, key: str) -> Problem:
    allowed = ", ".join(f"{name} ({meaning})" for name, meaning in FRONT_MATTER_KEYS.items())
    return Problem(shown, line, column, key, f"khóa “{key}” không dùng được ở phần đầu trang.", hint=f"chỉ dùng {allowed}.")


def _plain_meta_problems(text: str, shown: str) -> tuple[list[Problem], int]:
    """MkDocs also reads "key: value" lines at the very top as page settings (MultiMarkdown style): same keys."""
    found: list[Problem] = []
    offset, key = 0, None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        if match := _PLAIN_META.match(line):
            key = match["key"].lower()
            if key not in FRONT_MATTER_KEYS:
                found.append(_key_problem(shown, number, match.start("key") + 1, key))
        elif not (key and _PLAIN_META_MORE.match(line)):
            break
        offset += len(line) + 1
    return found, offset


def _front_matter_problems(text: str, shown: str) -> tuple[list[Problem], int]:
    """Problems of the `---` block at the top of a page, and the offset where the body starts."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return _plain_meta_problems(text, shown)
    try:
        document = parse_yaml(match.group(1), shown)
    except YamlProblem as error:  # lines are counted from the block: the page's line is one more ("---")
        return [dataclasses.replace(error.problem, line=error.problem.line + 1)], match.end()
    found: list[Problem] = []
    if not isinstance(document.data, dict):
        found.append(Problem(shown, 2, 1, "", "phần đầu trang (giữa hai dòng ---) phải là các cặp khóa: giá trị.",
                             hint="ví dụ: title: Giới thiệu"))
        return found, match.end()
    for key, value in document.data.items():
        line, column = document.position((key,))
        if key not in FRONT_MATTER_KEYS:
            found.append(_key_problem(shown, line + 1, column, key))
        elif not isinstance(value, str) or not value.strip():
            found.append(Problem(shown, line + 1, column, key, f"“{key}” phải là một dòng chữ.",
                                 hint="ví dụ: title: Giới thiệu"))
    return found, match.end()


def _image_problems(text: str, shown: str) -> list[Problem]:
    found: list[Problem] = []

    def refuse(url: str, offset: int) -> None:
        found.append(Problem(shown, _line_at(text, offset), 1, "",
                             f"ảnh “{url}” lấy từ trang web khác: trình duyệt của người đọc sẽ gửi yêu cầu tới đó.",
                             hint=_OUTSIDE_HINT))

    references = {label.strip().lower(): url for label, url in _REFERENCE.findall(text)}
    for match in _INLINE_IMAGE.finditer(text):
        if is_outside_url(match.group(1)):
            refuse(match.group(1), match.start())
    for match in _REFERENCE_IMAGE.finditer(text):
        if text.startswith("(", match.end()) and match.group(2) is None:
            continue  # an inline image, checked above
        label = (match.group(2) or match.group(1)).strip().lower()
        url = references.get(label)
        if url is not None and is_outside_url(url):
            refuse(url, match.start())
    for match in _RAW_IMAGE.finditer(text):
        if is_outside_url(match.group(1)):
            refuse(match.group(1), match.start())
    return found


def _page_problems(file: Path, shown: str) -> list[Problem]:
    size = file.stat().st_size
    if size > MAX_BYTES:
        return [Problem(shown, 1, 1, "", f"trang quá lớn ({size // 1024} KB; tối đa {MAX_BYTES // 1024} KB).",
                        hint="tách thành nhiều trang.")]
    try:
        text = decode_text(file.read_bytes(), shown).replace("\r\n", "\n")
    except YamlProblem as error:
        return [error.problem]
    found, body_start = _front_matter_problems(text, shown)
    wrong_text = text_hazard(text[body_start:])  # front matter had the same check as YAML
    if wrong_text is not None:
        pattern, message, hint = wrong_text
        found.append(Problem(shown, _line_at(text, pattern.search(text, body_start).start()), 1, "", message, hint=hint))
    hazard = markdown_hazard(text[body_start:])
    if hazard is not None:
        line, message, hint = hazard
        found.append(Problem(shown, _line_at(text, body_start) + line - 1, 1, "", message, hint=hint))
    found += _image_problems(text, shown)
    return found


def _walk(folder: Path, roots: list[Path], found: list[Problem], seen: set[Path]) -> list[Path]:
    """Every file MkDocs would publish from folder (hidden names are left out, as MkDocs does)."""
    files: list[Path] = []
    real = folder.resolve()
    if real in seen:  # a link back to a folder already walked
        return files
    seen.add(real)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        problem = link_problem(path, roots, "content/pages/")
        if problem is not None:
            found.append(problem)
        elif path.is_dir():
            files += _walk(path, roots, found, seen)
        elif path.is_file():
            files.append(path)
        else:  # MkDocs would open a FIFO or device and wait forever
            found.append(irregular_problem(path, "content/pages/"))
    return files


def irregular_problem(path: Path, where: str) -> Problem:
    """A refusal for what is neither a regular file nor a folder."""
    return Problem(display_path(path), 1, 1, "", NOT_REGULAR, hint=f"xóa nó khỏi {where}.")


def is_publishable_name(name: str) -> bool:
    """Pages and the allowed image formats: what may leave content/pages for the site."""
    suffix = Path(name).suffix.lower()
    return suffix in PAGE_EXTENSIONS or suffix in IMAGE_SIGNATURES


def check_pages(pages_dir: Path | None, content_dir: Path, max_image_bytes: int) -> list[Problem]:
    """Every problem of content/pages: refused files, links out of content/, page front matter and text, images."""
    if pages_dir is None or not (pages_dir.is_dir() or pages_dir.is_symlink()):
        return []
    roots = [content_dir.resolve()]
    if not pages_dir.absolute().is_relative_to(content_dir.absolute()):
        roots.append(pages_dir.resolve())  # a docs_dir configured elsewhere: its own files are allowed
    found: list[Problem] = []
    problem = link_problem(pages_dir, roots, "content/pages/")
    if problem is not None:
        return [problem]
    for file in _walk(pages_dir, roots, found, set()):
        shown = display_path(file)
        suffix = file.suffix.lower()
        reserved = reserved_reason(file.relative_to(pages_dir).as_posix()) if is_publishable_name(file.name) else None
        if reserved is not None:
            found.append(Problem(shown, 1, 1, "", reserved, hint="đổi tên tệp hoặc chuyển nó sang thư mục khác trong content/pages/."))
        elif suffix in PAGE_EXTENSIONS:
            found += _page_problems(file, shown)
        elif suffix in IMAGE_SIGNATURES:
            problem = _image_problem(file, shown, max_image_bytes)
            if problem is not None:
                found.append(problem)
        else:
            kind = "SVG (có thể chứa mã chạy được)" if suffix == ".svg" else f"“{suffix or file.name}”"
            found.append(Problem(shown, 1, 1, "", f"tệp {kind} không được xuất bản từ content/pages/.",
                                 hint="thư mục này chỉ nhận trang .md và ảnh .png, .jpg, .jpeg, .gif, .webp; "
                                      "xóa tệp này hoặc chuyển nội dung thành trang .md."))
    return found


_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def page_title_and_text(file: Path) -> tuple[str, str]:
    """An ordinary page's title (front matter `title`, else its first heading, else its name) and text.

    For search only: the text is the Markdown as written; the index takes its first words folded."""
    try:
        text = decode_text(file.read_bytes(), file.name)
    except (OSError, YamlProblem):
        text = ""  # check_pages has refused it already
    title = ""
    match = _FRONT_MATTER.match(text)
    if match:
        titles = [line.split(":", 1)[1].strip().strip("\"'") for line in match.group(1).splitlines()
                  if line.startswith("title:")]
        title = titles[0] if titles else ""
        text = text[match.end():]
    heading = _HEADING.search(text)
    if not title and heading:
        title = heading.group(1)
    return title or file.stem.replace("-", " ").capitalize(), text
