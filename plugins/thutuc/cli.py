"""Commands for editors, run by build.py inside the project's virtual environment.

Output is Vietnamese: editors read it. Exit codes: 0 success, 1 content errors, 2 usage or system errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path

from . import atomic
from .catalogue import ContentOptions, load_catalogue
from .parse_cache import ParseCache
from .problems import Problem


class _HideReraisedErrors(logging.Filter):
    """MkDocs logs "Error building page …" in English and re-raises; the build command reports it in
    Vietnamese first and shows these lines (they name the page) with the developer details."""

    held: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Error building page"):
            self.held.append(record.getMessage())
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


def _print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.column)):
        print(problem.format(), file=sys.stderr)


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " giây"


def command_check(config_file: Path) -> int:
    """Validate all content without building."""
    started = time.perf_counter()
    config = _load_mkdocs_config(config_file)
    options = _plugin(config).config
    root = config_file.parent
    result = load_catalogue(
        (root / options.content_dir).resolve(),
        ContentOptions(
            code_pattern=options.code_pattern,
            authority_levels=dict(options.authority_levels),
            max_form_bytes=options.max_form_size_mb * 1024 * 1024,
            parse_cache=ParseCache(root / ".cache" / "check"),
        ),
    )
    if result.catalogue.procedures:
        # Weak-content warnings are for editors only (never in the site): relative to today.
        from .editorial import catalogue_warnings
        from .gitdates import last_commit_dates

        result.problems.extend(catalogue_warnings(result.catalogue, dt.date.today(), last_commit_dates(root / options.content_dir)))
    _print_problems(result.problems.items)
    errors, warnings = len(result.problems.errors), len(result.problems.warnings)
    elapsed = _seconds(time.perf_counter() - started)
    if errors:
        print(f"Có {errors} lỗi và {warnings} cảnh báo trong nội dung ({elapsed}). Sửa các lỗi trên rồi chạy lại.", file=sys.stderr)
        return 1
    catalogue = result.catalogue
    print(
        f"Nội dung hợp lệ: {len(catalogue.procedures)} thủ tục, {len(catalogue.fields)} lĩnh vực, "
        f"{len(catalogue.agencies)} cơ quan, {warnings} cảnh báo ({elapsed})."
    )
    return 0


def command_build(config_file: Path, site_dir: Path | None = None) -> int:
    """Build into a temporary folder next to the site and swap it in only when everything succeeded.

    Any failure (content, configuration, template, plugin, Ctrl+C, SIGTERM) removes the temporary
    folder and leaves the published site exactly as it was; editors get a Vietnamese line first.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    kept = "Chưa xuất bản: trang web cũ (nếu có) được giữ nguyên."
    staging: Path | None = None
    with atomic.sigterm_as_interrupt():
        try:
            config = _load_mkdocs_config(config_file)
            target = Path(site_dir or config.site_dir).resolve()
            atomic.clean_leftovers(target)
            staging = atomic.staging_dir(target)
            config = _load_mkdocs_config(config_file, site_dir=str(staging))
            build(config)
            atomic.swap_in(staging, target)
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
            if message:
                print(message, file=sys.stderr)
            print(kept, file=sys.stderr)
            return 1
        except KeyboardInterrupt:
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
    _print_problems(stats.warnings)
    shown = os.path.relpath(target)
    if os.environ.get("THUTUC_STATS_JSON"):  # read by benchmarks/build_bench.py
        Path(os.environ["THUTUC_STATS_JSON"]).write_text(json.dumps({"timings": stats.timings}), "utf-8")
    print(
        f"Đã xây dựng trang web: {stats.procedures} thủ tục, {stats.fields} lĩnh vực, {stats.pages} trang, "
        f"{stats.form_files} tệp biểu mẫu, {len(stats.warnings)} cảnh báo.\n"
        + (f"Thủ tục xa trang chủ nhất: {stats.deepest_procedure} ({stats.deepest_clicks} lần nhấp).\n" if stats.deepest_procedure else "")
        + f"Thư mục kết quả: {shown}/ (thời gian {_seconds(time.perf_counter() - started)})."
    )
    return 0


def command_serve(config_file: Path, address: str) -> int:
    from .preview import serve

    return serve(config_file, address)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description="Xây dựng danh mục thủ tục hành chính.")
    parser.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình (mặc định: mkdocs.yml)")
    sub = parser.add_subparsers(dest="command")
    build_parser = sub.add_parser("build", help="kiểm tra nội dung và xây dựng trang web vào site/")
    build_parser.add_argument("--site-dir", default=None, help="thư mục kết quả (mặc định: site/)")
    sub.add_parser("check", help="chỉ kiểm tra nội dung, không xây dựng")
    from .editor_cli import add_editor_commands

    add_editor_commands(sub)
    serve_parser = sub.add_parser("serve", help="xem trước, tự tải lại khi sửa")
    serve_parser.add_argument("--address", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    _configure_logging()
    config_file = Path(args.config).resolve()
    if not config_file.exists():
        print(f"Không tìm thấy tệp cấu hình {args.config}.", file=sys.stderr)
        return 2
    if args.command == "check":
        return command_check(config_file)
    if args.command in ("new", "import"):
        from .editor_cli import run_editor_command

        return run_editor_command(args, config_file)
    if args.command == "serve":
        return command_serve(config_file, args.address)
    return command_build(config_file, Path(args.site_dir) if getattr(args, "site_dir", None) else None)


if __name__ == "__main__":
    sys.exit(main())
