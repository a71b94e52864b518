"""Checks that a form file is safe to publish and really is the document format its name says."""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

import olefile

from ..vi.labels import file_size

ALLOWED_EXTENSIONS = (".docx", ".doc", ".odt", ".rtf", ".pdf", ".txt")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

FORMAT_NAMES = {
    ".docx": "Word (.docx)",
    ".doc": "Word 97–2003 (.doc)",
    ".odt": "OpenDocument (.odt)",
    ".rtf": "RTF (.rtf)",
    ".pdf": "PDF (.pdf)",
    ".txt": "văn bản thuần (.txt)",
}


def _zip_has(path: Path, required: tuple[str, ...]) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            return all(name in names for name in required)
    except (zipfile.BadZipFile, OSError):
        return False


def _is_odt(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text"
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _ole_word_problem(path: Path) -> str:
    """Why a .doc (OLE compound file) is refused: not a Word document, or it holds macros (VBA)."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # a damaged compound file fails in many ways (OSError, struct.error, IndexError): not a .doc
        return "not-word"
    if "worddocument" not in streams:
        return "not-word"
    # Word keeps VBA projects in the "Macros" storage (or "_VBA_PROJECT_CUR"); "vba/" streams under either.
    if any(name.startswith(("macros", "_vba_project")) or "/vba" in name or name == "vba" for name in streams):
        return "macros"
    return ""


def _zip_macros(path: Path) -> bool:
    """A .docx or .odt that carries macros: Word's vbaProject.bin (a .docm renamed) or OpenDocument Basic."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name.lower() for name in archive.namelist()]
    except (zipfile.BadZipFile, OSError):
        return False
    return any(name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/")) for name in names)


_RTF_OBJECT = re.compile(rb"\\obj(?:data|emb|link|autlink|ocx|update)\b")


def macro_problem(path: Path) -> str:
    """A Vietnamese reason when a form file carries code or embedded objects that run in office software, else ""."""
    extension = path.suffix.lower()
    if extension == ".doc" and _ole_word_problem(path) == "macros":
        return "tệp Word 97–2003 này chứa macro (VBA): macro có thể chạy mã độc trên máy người tải về."
    if extension in (".docx", ".odt") and _zip_macros(path):
        return "tệp này chứa macro (vbaProject.bin hoặc mã Basic): macro có thể chạy mã độc trên máy người tải về."
    if extension == ".rtf" and _RTF_OBJECT.search(path.read_bytes()):
        return "tệp RTF này nhúng đối tượng OLE (\\object): cách thường dùng để phát tán mã độc qua biểu mẫu."
    return ""


def content_matches_extension(path: Path) -> bool:
    """True when the bytes are what the extension promises (a renamed image or a fake PDF is not)."""
    extension = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".docx":
        return head.startswith(b"PK") and _zip_has(path, ("[Content_Types].xml", "word/document.xml"))
    if extension == ".odt":
        return head.startswith(b"PK") and _is_odt(path)
    if extension == ".rtf":
        return head.startswith(b"{\\rtf")
    if extension == ".doc":  # an OLE compound file that really holds a Word document (not .xls or .msg)
        return head == bytes.fromhex("D0CF11E0A1B11AE1") and _ole_word_problem(path) != "not-word"
    if extension == ".txt":
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return False
        return "\x00" not in text
    return False


# A form definition (`forms[].definition`) becomes one file of each of these, next to it.
DEFINITION_SUFFIX = ".form.yml"
GENERATED_EXTENSIONS = (".docx", ".odt", ".pdf")


def generated_paths(definition: str) -> tuple[str, ...]:
    """forms/ho-tich/to-khai.form.yml -> (forms/ho-tich/to-khai.docx, ….odt, ….pdf), relative to content/."""
    stem = definition[: -len(DEFINITION_SUFFIX)] if definition.endswith(DEFINITION_SUFFIX) else definition
    return tuple(stem + extension for extension in GENERATED_EXTENSIONS)


def _resolve_inside(content_dir: Path, written: str, extension_ok: bool, extension_hint: tuple[str, str]) -> tuple[Path | None, str, str]:
    """Path checks shared by uploaded files and definitions: relative, inside content/, existing, a file."""
    if written.startswith(("/", "\\")) or (len(written) > 1 and written[1] == ":"):
        return None, f"đường dẫn “{written}” phải tính từ thư mục content/, không phải đường dẫn tuyệt đối.", (
            "ví dụ: forms/ho-tich/to-khai.docx"
        )
    if ".." in Path(written).parts or "\\" in written:
        return None, f"đường dẫn “{written}” không được chứa “..” hay dấu \\.", "đặt tệp trong thư mục content/forms/."
    root = content_dir.resolve()
    candidate = content_dir / written
    if not extension_ok:
        return None, *extension_hint
    if not candidate.exists() and not candidate.is_symlink():
        return None, f"không tìm thấy tệp “{written}” trong thư mục content/.", (
            "kiểm tra tên tệp và thư mục (phân biệt chữ hoa, chữ thường)."
        )
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root):
        return None, f"tệp “{written}” trỏ ra ngoài thư mục content/ (liên kết tượng trưng).", "chép tệp thật vào content/forms/."
    if not resolved.is_file():
        return None, f"“{written}” không phải là tệp.", ""
    return resolved, "", ""


def check_definition_path(content_dir: Path, written: str) -> tuple[Path | None, str, str]:
    """Resolve a `forms[].definition` entry. Returns (path, "", "") or (None, message, hint)."""
    return _resolve_inside(
        content_dir, written, written.endswith(DEFINITION_SUFFIX),
        (f"định nghĩa biểu mẫu “{written}” phải là tệp có đuôi {DEFINITION_SUFFIX}.", "ví dụ: forms/ho-tich/to-khai-khai-sinh.form.yml"),
    )


@functools.lru_cache(maxsize=8192)
def _content_verdict(path: Path, size: int, mtime_ns: int) -> tuple[bool, str]:
    """(bytes match the extension, macro problem) of one file version: thousands of procedures share a
    few form files, and opening each archive again per procedure was a tenth of the load time."""
    if not content_matches_extension(path):
        return False, ""
    return True, macro_problem(path)


def check_form_file(content_dir: Path, written: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Path | None, str, str]:
    """Resolve a `forms[].files` entry. Returns (path, "", "") or (None, message, hint)."""
    suffix = Path(written).suffix
    resolved, message, hint = _resolve_inside(
        content_dir, written, suffix.lower() in ALLOWED_EXTENSIONS,
        (f"định dạng “{suffix}” không được chấp nhận.", "chỉ dùng " + " ".join(ALLOWED_EXTENSIONS) + " (Thông tư 39/2017/TT-BTTTT)."),
    )
    if resolved is None:
        return None, message, hint
    size = resolved.stat().st_size
    if size == 0:
        return None, f"tệp “{written}” rỗng (0 byte).", "tải lên lại tệp mẫu đầy đủ."
    if size > max_bytes:
        return None, f"tệp “{written}” quá lớn ({file_size(size)}; tối đa {file_size(max_bytes)}).", (
            "giảm dung lượng tệp (ví dụ xuất PDF với chất lượng ảnh thấp hơn)."
        )
    matches, macros = _content_verdict(resolved, size, resolved.stat().st_mtime_ns)
    if not matches:
        name = FORMAT_NAMES[resolved.suffix.lower()]
        return None, f"tệp “{written}” không phải là tệp {name} thật (nội dung không khớp đuôi tệp).", (
            "mở tệp bằng phần mềm văn phòng và lưu lại đúng định dạng."
        )
    if macros:
        return None, f"“{written}”: {macros}", (
            "mở tệp, xóa macro rồi lưu lại dạng .docx (Word Document, không phải .docm) hoặc xuất ra PDF."
        )
    return resolved, "", ""
