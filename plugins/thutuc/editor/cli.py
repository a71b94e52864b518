"""The editor commands `new` and `import` (Vietnamese output), wired into cli.py's argument parser."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

from ..content.problems import display_path

# The answers `new` needs, in the order it asks for them (and reads them from piped input).
NEW_ANSWERS = (
    ("code", "--code", "Mã thủ tục (ví dụ 1.000894): ", "mã thủ tục"),
    ("title", "--title", "Tên thủ tục (ví dụ Đăng ký kết hôn): ", "tên thủ tục"),
    ("field", "--field", "Mã lĩnh vực (ví dụ ho-tich): ", "mã lĩnh vực"),
    ("level", "--level", "Mức độ (1, 2, 3 hoặc 4; trang này cung cấp mức 1 hoặc 2): ", "mức độ"),
)
NEW_EXAMPLE = "python3 build.py new --code 1.000894 --title \"Đăng ký kết hôn\" --field ho-tich --level 2"


def add_editor_commands(sub: argparse._SubParsersAction) -> None:
    text = "tạo tệp thủ tục mới theo mẫu (hỏi những gì còn thiếu)"
    new = sub.add_parser(
        "new", help=text,
        description=text + ".\nChạy trong tập lệnh (không gõ được): ghi đủ các tham số, hoặc chuyển vào đầu vào chuẩn\n"
        "mỗi giá trị còn thiếu một dòng, theo thứ tự: mã, tên, lĩnh vực, mức độ.",
        epilog=f"Ví dụ: {NEW_EXAMPLE}\n   hoặc: printf '1.000894\\nĐăng ký kết hôn\\nho-tich\\n2\\n' | python3 build.py new",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("--code", "--ma", dest="code", metavar="MÃ", help="mã thủ tục, ví dụ 1.000894")
    new.add_argument("--title", "--ten", dest="title", metavar="TÊN", help="tên thủ tục, ví dụ \"Đăng ký kết hôn\"")
    new.add_argument("--field", "--linh-vuc", dest="field", metavar="LĨNH_VỰC",
                     help="mã lĩnh vực trong content/fields.yml, ví dụ ho-tich")
    new.add_argument("--level", "--muc-do", dest="level", type=int, metavar="MỨC", help="mức độ 1 hoặc 2")
    new.add_argument("--authority-level", "--cap", dest="authority_level", default="", metavar="CẤP",
                     help="mã cấp thực hiện, ví dụ xa (không bắt buộc)")
    new.add_argument("--agency", "--co-quan", dest="agency", default="", metavar="CƠ_QUAN",
                     help="mã cơ quan thực hiện trong content/agencies.yml (không bắt buộc)")
    text = "nhập thủ tục từ Cổng Dịch vụ công quốc gia (.json) hoặc bảng (.csv, .xlsx)"
    imp = sub.add_parser("import", help=text, description=text)
    imp.add_argument("files", nargs="+", metavar="TỆP", help="các tệp cần nhập")
    imp.add_argument("--level", type=int, default=None, metavar="MỨC", help="mức độ ghi cho các thủ tục được nhập (mặc định 1)")
    imp.add_argument("--force", action="store_true", help="cho phép thay cả tệp do biên tập viên viết tay")


def _clean(text: str) -> str:
    # Piped text may start with a byte-order mark (Windows) and come in NFD (macOS): store what check expects.
    return unicodedata.normalize("NFC", text.replace("\ufeff", "")).strip()


def _answer(question: str, current: object, interactive: bool) -> str | None:
    """The value given as a flag, else one line typed (or piped); None when piped input has run out."""
    if current not in (None, ""):
        return _clean(str(current))
    if interactive:
        return _clean(input(question))
    line = sys.stdin.readline() if sys.stdin is not None else ""
    line.encode("utf-8")  # bytes that were not UTF-8 arrive as surrogates: refuse them here, not when writing
    return _clean(line) if line else None


def command_new(args: argparse.Namespace, content_dir: Path, options: Any) -> int:
    from ..content.editor_files import field_slugs
    from .scaffold import NewProcedure, ScaffoldError, answer_reason, create_procedure

    interactive = sys.stdin is not None and sys.stdin.isatty()
    missing = [name for name, *_ in NEW_ANSWERS if getattr(args, name) in (None, "")]
    if missing and interactive:
        print("Tạo thủ tục mới. Nhấn Ctrl+C để hủy.")
        fields = field_slugs(content_dir)
        print("Các lĩnh vực hiện có: " + ", ".join(f"{s} ({n})" for s, n in sorted(fields.items())))
    values: dict[str, str] = {}
    unanswered: list[str] = []
    try:
        for name, flag, question, what in NEW_ANSWERS:
            while True:
                value = _answer(question, getattr(args, name), interactive)
                if not value and not interactive:  # piped input ran out or gave an empty line
                    unanswered.append(f"{flag} ({what})")
                values[name] = value or ""
                # A typed answer is checked at once and asked again, before the next question.
                reason = answer_reason(content_dir, name, values[name], options.code_pattern) if interactive else None
                if reason is None or name not in missing:
                    break
                print(f"Chưa dùng được: {reason} Gõ lại.", file=sys.stderr)
    except (EOFError, KeyboardInterrupt):
        print("\nĐã hủy, không tạo tệp nào.", file=sys.stderr)
        return 2
    except (UnicodeDecodeError, UnicodeEncodeError):
        print("Dữ liệu chuyển vào không phải văn bản UTF-8: lưu lại bằng UTF-8 rồi chạy lại. Chưa tạo tệp nào.",
              file=sys.stderr)
        return 2
    if unanswered:
        print(f"Thiếu thông tin: {', '.join(unanswered)}. Ghi bằng tham số, ví dụ: {NEW_EXAMPLE}; hoặc chuyển vào "
              "đầu vào chuẩn mỗi giá trị còn thiếu một dòng, theo thứ tự: mã, tên, lĩnh vực, mức độ. "
              "Chưa tạo tệp nào.", file=sys.stderr)
        return 2
    level = values["level"]
    answers = NewProcedure(values["code"], values["title"], values["field"], int(level) if level.isdigit() else 0,
                           _clean(args.authority_level), _clean(args.agency))
    try:
        target = create_procedure(content_dir, answers, options.code_pattern)
    except ScaffoldError as error:
        for line in str(error).splitlines():
            print(f"Không tạo được tệp: {line}", file=sys.stderr)
        return 1
    print(f"Đã tạo {display_path(target)}.\n"
          "Mở tệp, thay mọi giá trị bắt đầu bằng TODO bằng nội dung thật (dòng ghi “không bắt buộc” xóa được), "
          "rồi chạy: python3 build.py check")
    return 0


def command_import(args: argparse.Namespace, content_dir: Path, options: Any) -> int:
    from ..content.catalogue import load_catalogue
    from ..content.overlays import OVERLAY_DIR
    from ..importers.importer import import_files
    from ..importers.summary import summary_lines

    files = [Path(f) for f in args.files]
    for file in files:
        if not file.is_file():
            print(f"Không tìm thấy tệp {file}.", file=sys.stderr)
            return 2
    report = import_files(files, content_dir, dict(options.authority_levels), force=args.force, level=args.level,
                          code_pattern=options.code_pattern)
    for path in report.written:
        print(f"Đã tạo {display_path(path)}")
    for path in report.updated:
        print(f"Đã cập nhật {display_path(path)} (tệp bổ sung địa phương, nếu có, được giữ nguyên)")
    if report.new_fields:
        print("Đã thêm lĩnh vực mới vào content/fields.yml (kiểm tra lại tên): " + ", ".join(report.new_fields))
    if report.new_agencies:
        print("Đã thêm cơ quan mới vào content/agencies.yml (kiểm tra tên, bổ sung địa chỉ, điện thoại): "
              + ", ".join(report.new_agencies))
    for note in report.notes:
        print(f"Lưu ý: {note}")
    for reason in report.skipped:
        print(f"Bỏ qua: {reason}", file=sys.stderr)
    for line in report.missing:
        print(f"Không còn: {line}")
    imported = {display_path(p) for p in report.written + report.updated}
    # An existing overlay of a re-imported procedure may no longer fit the new national record.
    codes = {p.name.split("-", 1)[0] for p in report.written + report.updated}
    imported |= {display_path(content_dir / OVERLAY_DIR / f"{code}.yml") for code in codes}
    result = load_catalogue(content_dir, options.content_options())
    own = [p for p in result.problems.errors if p.path in imported or p.path.endswith(("fields.yml", "agencies.yml"))]
    for problem in own:
        print(problem.format(), file=sys.stderr)
    total = len(report.written) + len(report.updated)
    print("\n".join(summary_lines(report)))
    print(f"Nhập xong: {total} thủ tục, {len(report.skipped)} bỏ qua, {len(own)} lỗi cần sửa.")
    return 1 if own or report.skipped else 0


def run_editor_command(args: argparse.Namespace, content_dir: Path, options: Any) -> int:
    """`new` and `import`. The host reads mkdocs.yml and hands over the content folder and the plugin's
    options (host.config.ThutucConfig): editor commands never touch MkDocs themselves."""
    if args.command == "new":
        return command_new(args, content_dir, options)
    return command_import(args, content_dir, options)
