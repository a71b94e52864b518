"""Commands for editors, run by build.py inside the project's virtual environment.

Output is Vietnamese: editors read it. Exit codes: 0 success, 1 content errors, 2 usage or system errors.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from .catalogue import ContentOptions, load_catalogue
from .problems import Problem


def _configure_logging() -> None:
    # MkDocs' own English progress lines are noise for editors; keep its warnings and errors.
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


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
        ),
    )
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


def _swap_in(built: Path, target: Path) -> None:
    """Replace target with built in two renames, so a reader never sees a half-written site."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    built.rename(target)
    if old.exists():
        shutil.rmtree(old)


def command_build(config_file: Path, site_dir: Path | None = None) -> int:
    """Build into a temporary folder next to the site and swap it in only when everything succeeded."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    started = time.perf_counter()
    config = _load_mkdocs_config(config_file)
    target = Path(site_dir or config.site_dir).resolve()
    staging = target.with_name(f"{target.name}.building-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    config = _load_mkdocs_config(config_file, site_dir=str(staging))
    try:
        build(config)
    except (MkDocsException, Abort) as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(str(error), file=sys.stderr)
        print("Chưa xuất bản: trang web cũ (nếu có) được giữ nguyên.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, target)
    stats = _plugin(config).stats
    _print_problems(stats.warnings)
    shown = os.path.relpath(target)
    print(
        f"Đã xây dựng trang web: {stats.procedures} thủ tục, {stats.fields} lĩnh vực, {stats.pages} trang, "
        f"{stats.form_files} tệp biểu mẫu, {len(stats.warnings)} cảnh báo.\n"
        f"Thư mục kết quả: {shown}/ (thời gian {_seconds(time.perf_counter() - started)})."
    )
    return 0


def command_serve(config_file: Path, address: str) -> int:
    from mkdocs.commands.serve import serve

    print(f"Xem trước tại http://{address}/ (trang tự tải lại khi bạn lưu tệp; nhấn Ctrl+C để dừng).")
    try:
        serve(config_file=str(config_file), dev_addr=address, livereload=True)
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description="Xây dựng danh mục thủ tục hành chính.")
    parser.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình (mặc định: mkdocs.yml)")
    sub = parser.add_subparsers(dest="command")
    build_parser = sub.add_parser("build", help="kiểm tra nội dung và xây dựng trang web vào site/")
    build_parser.add_argument("--site-dir", default=None, help="thư mục kết quả (mặc định: site/)")
    sub.add_parser("check", help="chỉ kiểm tra nội dung, không xây dựng")
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
    if args.command == "serve":
        return command_serve(config_file, args.address)
    return command_build(config_file, Path(args.site_dir) if getattr(args, "site_dir", None) else None)


if __name__ == "__main__":
    sys.exit(main())
