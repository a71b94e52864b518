"""The editor commands `new` and `import` (Vietnamese output), wired into cli.py's argument parser."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import display_path


def add_editor_commands(sub: argparse._SubParsersAction) -> None:
    new = sub.add_parser("new", help="tạo tệp thủ tục mới theo mẫu (hỏi những gì còn thiếu)")
    new.add_argument("--code", help="mã thủ tục, ví dụ 1.000894")
    new.add_argument("--title", help="tên thủ tục, ví dụ \"Đăng ký kết hôn\"")
    new.add_argument("--field", help="mã lĩnh vực trong content/fields.yml, ví dụ ho-tich")
    new.add_argument("--level", type=int, help="mức độ 1 hoặc 2")
    new.add_argument("--authority-level", default="", help="mã cấp thực hiện, ví dụ xa (không bắt buộc)")
    new.add_argument("--agency", default="", help="mã cơ quan thực hiện trong content/agencies.yml (không bắt buộc)")
    imp = sub.add_parser("import", help="nhập thủ tục từ Cổng Dịch vụ công quốc gia (.json) hoặc bảng (.csv, .xlsx)")
    imp.add_argument("files", nargs="+", help="các tệp cần nhập")
    imp.add_argument("--level", type=int, default=None, help="mức độ ghi cho các thủ tục được nhập (mặc định 1)")
    imp.add_argument("--force", action="store_true", help="cho phép thay cả tệp do biên tập viên viết tay")


def _plugin_options(config_file: Path):
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file))
    options = config.plugins["thutuc"].config
    return (config_file.parent / options.content_dir).resolve(), options


def _ask(question: str, current: str | None) -> str:
    if current not in (None, ""):
        return str(current)
    return input(question).strip()


def command_new(args: argparse.Namespace, config_file: Path) -> int:
    from .editor_files import field_slugs
    from .scaffold import NewProcedure, ScaffoldError, create_procedure, validate_answers

    content_dir, options = _plugin_options(config_file)
    missing = [name for name in ("code", "title", "field", "level") if getattr(args, name) in (None, "")]
    if missing and not sys.stdin.isatty():
        flags = ", ".join("--" + name for name in missing)
        print(f"Thiếu thông tin: {flags}. Ví dụ: python3 build.py new --code 1.000894 --title \"Đăng ký kết hôn\" "
              "--field ho-tich --level 2", file=sys.stderr)
        return 2
    if missing:
        print("Tạo thủ tục mới. Nhấn Ctrl+C để hủy.")
        fields = field_slugs(content_dir)
        print("Các lĩnh vực hiện có: " + ", ".join(f"{s} ({n})" for s, n in sorted(fields.items())))
    while True:
        try:
            code = _ask("Mã thủ tục (ví dụ 1.000894): ", args.code)
            title = _ask("Tên thủ tục (ví dụ Đăng ký kết hôn): ", args.title)
            field = _ask("Mã lĩnh vực (ví dụ ho-tich): ", args.field)
            level_text = _ask("Mức độ (1 hoặc 2): ", None if args.level is None else str(args.level))
        except (EOFError, KeyboardInterrupt):
            print("\nĐã hủy, không tạo tệp nào.", file=sys.stderr)
            return 2
        answers = NewProcedure(code, title, field, int(level_text) if level_text.isdigit() else 0,
                               args.authority_level, args.agency)
        reasons = validate_answers(content_dir, answers, options.code_pattern)
        if not reasons or not missing:
            break
        for reason in reasons:
            print(f"Chưa dùng được: {reason}", file=sys.stderr)
        # Ask again only for what was typed interactively.
        args.code = args.title = args.field = args.level = None
    try:
        target = create_procedure(content_dir, answers, options.code_pattern)
    except ScaffoldError as error:
        for line in str(error).splitlines():
            print(f"Không tạo được tệp: {line}", file=sys.stderr)
        return 1
    print(f"Đã tạo {display_path(target)}.\n"
          "Mở tệp, thay mọi giá trị bắt đầu bằng TODO bằng nội dung thật, rồi chạy: python3 build.py check")
    return 0


def command_import(args: argparse.Namespace, config_file: Path) -> int:
    from .catalogue import ContentOptions, load_catalogue
    from .importer import import_files
    from .overlays import OVERLAY_DIR

    content_dir, options = _plugin_options(config_file)
    files = [Path(f) for f in args.files]
    for file in files:
        if not file.is_file():
            print(f"Không tìm thấy tệp {file}.", file=sys.stderr)
            return 2
    report = import_files(files, content_dir, dict(options.authority_levels), force=args.force, level=args.level)
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
    imported = {display_path(p) for p in report.written + report.updated}
    # An existing overlay of a re-imported procedure may no longer fit the new national record.
    codes = {p.name.split("-", 1)[0] for p in report.written + report.updated}
    imported |= {display_path(content_dir / OVERLAY_DIR / f"{code}.yml") for code in codes}
    result = load_catalogue(content_dir, ContentOptions(options.code_pattern, dict(options.authority_levels),
                                                        options.max_form_size_mb * 1024 * 1024))
    own = [p for p in result.problems.errors if p.path in imported or p.path.endswith(("fields.yml", "agencies.yml"))]
    for problem in own:
        print(problem.format(), file=sys.stderr)
    total = len(report.written) + len(report.updated)
    print(f"Nhập xong: {total} thủ tục, {len(report.skipped)} bỏ qua, {len(own)} lỗi cần sửa.")
    return 1 if own or report.skipped else 0


def run_editor_command(args: argparse.Namespace, config_file: Path) -> int:
    if args.command == "new":
        return command_new(args, config_file)
    return command_import(args, config_file)
