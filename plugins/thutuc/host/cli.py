"""Commands for editors, run by build.py inside the project's virtual environment.

Output is Vietnamese: editors read it. Exit codes: 0 success, 1 content errors, 2 usage or system errors.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path

from ..checks.findings import report_lines, report_order
from ..content.catalogue import load_catalogue
from ..content.parse_cache import ParseCache
from ..content.problems import Problem, Problems
from ..forms.printable import drop_unprintable
from ..render import atomic
from ..render.budget import MarkdownTooSlow


class _HideReraisedErrors(logging.Filter):
    """MkDocs logs "Error building page …" in English and re-raises; the build command reports it in
    Vietnamese first and shows these lines (they name the page) with the developer details."""

    held: list[str] = []
    # The plugin's "Nội dung có N lỗi…" (its PluginError): the build command prints those errors itself,
    # with the warnings, exactly as `check` does; kept here in case it cannot.
    content_errors: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith(("Error building page", "Error reading page")):
            self.held.append(record.getMessage())
            return False
        if record.getMessage().startswith("Nội dung có ") and " lỗi, chưa xuất bản:" in record.getMessage():
            self.content_errors.append(record.getMessage())
            return False
        return True


def _configure_logging() -> None:
    # MkDocs' own English progress lines are noise for editors; keep its warnings and errors.
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_HideReraisedErrors())


def _load_mkdocs_config(config_file: Path, **overrides):
    from mkdocs.config import load_config

    return load_config(config_file=str(config_file), **overrides)


def _plugin(config):
    return config.plugins["thutuc"]


def _print_problems(problems: list[Problem] | Problems, all_warnings: bool = False) -> None:
    """Warnings, then errors: the same lines for `check` and `build` (findings.report_lines)."""
    for line in report_lines(problems, all_dated=all_warnings):
        print(line, file=sys.stderr)


def _error_summary(problems: Problems, elapsed: str) -> str:
    """The last line: the counts and the first error, so it is on screen however many lines came before."""
    first = report_order(problems.errors)[0]
    return (f"Có {len(problems.errors)} lỗi và {len(problems.warnings)} cảnh báo trong nội dung ({elapsed}). "
            f"Lỗi đầu tiên ở {first.path}, dòng {first.line} ({first.key or 'tệp'}): {first.message} "
            "Sửa các lỗi trên rồi chạy lại.")


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " giây"


def command_check(config_file: Path, all_warnings: bool = False) -> int:
    """Validate all content without building."""
    started = time.perf_counter()
    config = _load_mkdocs_config(config_file)
    plugin = _plugin(config)
    options = plugin.config
    root = config_file.parent
    result = load_catalogue(
        (root / options.content_dir).resolve(),
        options.content_options(
            parse_cache=ParseCache(root / ".cache" / "check"),
            pages_dir=Path(config.docs_dir),  # content/pages: checked as the build checks it
        ),
    )
    drop_unprintable(result.catalogue, result.problems)  # as the build does (plugin.load_content)
    # The same collection as the build's (plugin.collect_problems): the two commands never disagree.
    plugin.statistics_problems(result)  # content/thong-ke.*, checked as the build does
    if result.ok:
        result.problems.extend(plugin.register_problems(result))  # published addresses that would 404
    problems = plugin.collect_problems(config, result)
    _print_problems(problems, all_warnings)
    warnings = len(problems.warnings)
    elapsed = _seconds(time.perf_counter() - started)
    if problems.errors:
        print(_error_summary(problems, elapsed), file=sys.stderr)
        return 1
    catalogue = result.catalogue
    print(
        f"Nội dung hợp lệ: {len(catalogue.procedures)} thủ tục, {len(catalogue.fields)} lĩnh vực, "
        f"{len(catalogue.agencies)} cơ quan, {warnings} cảnh báo ({elapsed})."
    )
    return 0


def command_build(config_file: Path, site_dir: Path | None = None, all_warnings: bool = False) -> int:
    """Build into a temporary folder next to the site and swap it in only when everything succeeded.

    Any failure (content, configuration, template, plugin, Ctrl+C, SIGTERM) removes the temporary
    folder and leaves the published site exactly as it was; editors get a Vietnamese line first.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    kept = "Chưa xuất bản: trang web cũ (nếu có) được giữ nguyên."
    staging: Path | None = None
    config = None
    _HideReraisedErrors.content_errors.clear()
    with atomic.sigterm_as_interrupt():
        try:
            config = _load_mkdocs_config(config_file)
            target = Path(site_dir or config.site_dir).resolve()
            atomic.clean_leftovers(target)
            staging = atomic.staging_dir(target)
            config = _load_mkdocs_config(config_file, site_dir=str(staging))
            build(config)
            atomic.swap_in(staging, target)
            # Only a published site's addresses are recorded: a failed build never touches the register.
            _plugin(config).write_register()
        except MkDocsException as error:
            if staging is not None:
                atomic.discard(staging)
            message = str(error)  # MkDocs' "Aborted with …" lines follow errors it has already logged
            if "BuildError" in message:
                message = ""
            elif "configuration" in message:
                message = f"Tệp cấu hình {config_file.name} có lỗi (xem các dòng phía trên)."
            elif "strict mode" in message:
                message = f"Có cảnh báo khi xây dựng mà {config_file.name} đặt strict: true (xem các dòng phía trên)."
            problems = _plugin(config).problems if config is not None else Problems()
            if problems.errors:  # content errors: every problem, then the count, exactly as `check` prints them
                _print_problems(problems, all_warnings)
                message = _error_summary(problems, _seconds(time.perf_counter() - started))
            else:
                for held in _HideReraisedErrors.content_errors:
                    print(held, file=sys.stderr)
            if message:
                print(message, file=sys.stderr)
            print(kept, file=sys.stderr)
            return 1
        except MarkdownTooSlow as error:  # content that takes too long to render: a content error
            if staging is not None:
                atomic.discard(staging)
            print(error.line(), file=sys.stderr)
            print(kept, file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            if staging is not None and atomic.swapped(staging, target):
                # The stop arrived during the swap, which finishes first: say what really happened.
                print(f"Đã nhận lệnh dừng khi đang thay trang web: trang web mới đã được xuất bản đầy đủ vào "
                      f"{os.path.relpath(target)}/ (không còn thư mục tạm hay bản cũ nào).", file=sys.stderr)
                return 130
            if staging is not None:
                atomic.discard(staging)
            print(f"Đã dừng xây dựng. {kept}", file=sys.stderr)
            return 130
        except Exception as error:
            if staging is not None:
                atomic.discard(staging)
            print(
                "Lỗi hệ thống khi xây dựng (không phải lỗi nội dung: có thể do mẫu giao diện trong theme/ "
                f"hoặc phần mềm): {type(error).__name__}: {error}. {kept} Hãy gửi phần chi tiết dưới đây "
                "cho người phát triển.",
                file=sys.stderr,
            )
            print("--- Chi tiết cho người phát triển ---", file=sys.stderr)
            for line in _HideReraisedErrors.held:
                print(line, file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            return 2
    stats = _plugin(config).stats
    _print_problems(stats.warnings, all_warnings)
    shown = os.path.relpath(target)
    deployed = target.parent / "deploy"  # written by the plugin when hosting.deploy is on (deploy.py)
    if os.environ.get("THUTUC_STATS_JSON"):  # read by benchmarks/build_bench.py
        Path(os.environ["THUTUC_STATS_JSON"]).write_text(json.dumps({"timings": stats.timings}), "utf-8")
    print(
        f"Đã xây dựng trang web: {stats.procedures} thủ tục, {stats.fields} lĩnh vực, {stats.pages} trang, "
        f"{stats.form_files} tệp biểu mẫu, {len(stats.warnings)} cảnh báo.\n"
        + (f"Thủ tục xa trang chủ nhất: {stats.deepest_procedure} ({stats.deepest_clicks} lần nhấp).\n" if stats.deepest_procedure else "")
        + f"Thư mục kết quả: {shown}/ (thời gian {_seconds(time.perf_counter() - started)})."
        + (f"\nCấu hình máy chủ: {os.path.relpath(deployed)}/ (xem docs/trien-khai.md)." if _plugin(config).config.hosting.deploy else "")
    )
    return 0


def command_serve(config_file: Path, address: str) -> int:
    from ..preview.server import serve
    from . import build

    return serve(config_file, address, build)


LOOPBACK = ("127.0.0.1", "localhost")


def command_admin(config_file: Path, address: str, open_browser: bool) -> int:
    """The browser editor with its local backend and the preview, on this machine only."""
    from ..preview.server import serve
    from . import build

    host = address.rpartition(":")[0]
    if host not in LOOPBACK:
        print(f"Trình biên tập chỉ chạy trên địa chỉ 127.0.0.1 (chỉ máy này mở được), không phải “{host}”: "
              "ai mở được nó cũng sửa được nội dung. Ví dụ: python3 build.py admin --address 127.0.0.1:8001",
              file=sys.stderr)
        return 2
    return serve(config_file, address.replace("localhost:", "127.0.0.1:", 1), build, admin=True, open_browser=open_browser)


def build_parser() -> argparse.ArgumentParser:
    """The command line, in Vietnamese (build it and parse inside argparse_vi.vietnamese())."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="Xây dựng danh mục thủ tục hành chính.",
        epilog="Xem hướng dẫn của từng lệnh: python3 build.py LỆNH -h (ví dụ python3 build.py new -h).",
    )
    parser.add_argument("--config", default="mkdocs.yml", metavar="TỆP", help="tệp cấu hình (mặc định: mkdocs.yml)")
    sub = parser.add_subparsers(dest="command", title="lệnh", metavar="LỆNH")
    text = "kiểm tra nội dung và xây dựng trang web vào site/ (lệnh mặc định)"
    build_command = sub.add_parser("build", help=text, description=text)
    build_command.add_argument("--site-dir", default=None, metavar="THƯ_MỤC", help="thư mục kết quả (mặc định: site/)")
    text = "chỉ kiểm tra nội dung, không xây dựng"
    check_command = sub.add_parser("check", help=text, description=text)
    for command in (build_command, check_command):
        command.add_argument("--all-warnings", action="store_true",
                             help="liệt kê từng cảnh báo phụ thuộc ngày hôm nay (nội dung đã hơn 12 tháng), "
                                  "thay vì một dòng tóm tắt")
    from ..editor.cli import add_editor_commands

    add_editor_commands(sub)
    text = "xem trước, tự tải lại khi sửa"
    serve_parser = sub.add_parser("serve", help=text, description=text)
    serve_parser.add_argument("--address", default="127.0.0.1:8000", metavar="ĐỊA_CHỈ",
                              help="địa chỉ và cổng (mặc định: 127.0.0.1:8000)")
    text = "mở trình biên tập trên trình duyệt (/admin/) cùng bản xem trước, chỉ trên máy này"
    admin_parser = sub.add_parser("admin", help=text, description=text + ". Nút “Lưu” ghi tệp vào content/.")
    admin_parser.add_argument("--address", default="127.0.0.1:8000", metavar="ĐỊA_CHỈ",
                              help="cổng trên 127.0.0.1 (mặc định: 127.0.0.1:8000)")
    admin_parser.add_argument("--khong-mo-trinh-duyet", "--no-browser", dest="open_browser", action="store_false",
                              help="không tự mở trình duyệt, chỉ in địa chỉ")
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..vi.argparse_vi import vietnamese

    with vietnamese():
        args = build_parser().parse_args(argv)
    _configure_logging()
    config_file = Path(args.config).resolve()
    if not config_file.exists():
        print(f"Không tìm thấy tệp cấu hình {args.config}.", file=sys.stderr)
        return 2
    if args.command == "check":
        return command_check(config_file, args.all_warnings)
    if args.command in ("new", "import"):
        from ..editor.cli import run_editor_command

        options = _plugin(_load_mkdocs_config(config_file)).config
        return run_editor_command(args, (config_file.parent / options.content_dir).resolve(), options)
    if args.command == "serve":
        return command_serve(config_file, args.address)
    if args.command == "admin":
        return command_admin(config_file, args.address, args.open_browser)
    return command_build(config_file, Path(args.site_dir) if getattr(args, "site_dir", None) else None,
                         getattr(args, "all_warnings", False))


if __name__ == "__main__":
    sys.exit(main())
