"""Build benchmark: generated catalogues of realistic size, built like an editor builds them.

    .venv/bin/python benchmarks/build_bench.py                 # 2,000 and 10,000 procedures
    .venv/bin/python benchmarks/build_bench.py --sizes 500     # a quick run
    python3 build.py bench                                     # the same, through the entry point

Prints, per size: wall time, procedures per second, peak memory, site size, HTML bytes per procedure
page, search payload (gzip), the share of time per phase, and the same content built as plain Markdown
pages with stock MkDocs Material (for sizes up to --stock-max) with the ratio. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue_gen import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _tree_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _peak_child_mb() -> float:
    # ru_maxrss is in KiB on Linux and covers the largest child waited for so far.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed, result


def generated_project(project: Path, count: int, with_statistics: bool = False) -> Path:
    """A project folder with a generated catalogue of `count` procedures and the repository's settings
    (and content/thong-ke.csv, a row per procedure and month, when with_statistics is set)."""
    generate(project / "content", count, statistics=with_statistics)
    (project / "content" / "pages").mkdir(exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8").replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    (project / "mkdocs.yml").write_text(config, "utf-8")
    return project


def _gzip_bytes(file: Path) -> int:
    """What a server sends with gzip: the build's precompressed file, else gzip -9 of the file."""
    gz = Path(f"{file}.gz")
    return gz.stat().st_size if gz.is_file() else len(gzip.compress(file.read_bytes(), 9))


def transfer(site: Path, page: Path) -> dict:
    """A page's size on the wire with gzip: its HTML alone, and with the CSS and JavaScript of a first visit."""
    html = page.read_text("utf-8")
    assets = set()
    for reference in re.findall(r'(?:href|src)="?([^" >]*assets/(?:css|js)/[^" >]+)', html):
        assets.add(site / reference.lstrip("/") if reference.startswith("/") else (page.parent / reference).resolve())
    html_gzip = _gzip_bytes(page)
    return {"html": page.stat().st_size, "html_gzip": html_gzip,
            "first_visit_gzip": html_gzip + sum(_gzip_bytes(a) for a in assets if a.is_file())}


def our_build(workdir: Path, count: int, with_statistics: bool = True) -> dict:
    project = generated_project(workdir / "ours", count, with_statistics)
    stats_file = workdir / "stats.json"
    env = dict(os.environ, THUTUC_STATS_JSON=str(stats_file))
    elapsed, _ = _run([sys.executable, "-m", "thutuc.host.cli", "build"], project, env)
    peak = _peak_child_mb()
    site = project / "site"
    pages = sorted((site / "thu-tuc").glob("*/index.html"))
    sizes = [p.stat().st_size for p in pages]
    search = site / "assets" / "search"
    search_gzip = sum(len(gzip.compress(f.read_bytes(), 9)) for f in search.glob("*.json")) if search.exists() else 0
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return {
        "count": count,
        "seconds": elapsed,
        "peak_mb": peak,
        "site_mb": _tree_bytes(site) / 1e6,
        "page_median": statistics.median(sizes) if sizes else 0,
        "page_max": max(sizes) if sizes else 0,
        "search_gzip_kb": search_gzip / 1024,
        "transfer": {"home": transfer(site, site / "index.html"),
                     "procedure": transfer(site, pages[len(pages) // 2]) if pages else None},
        "phases": stats.get("timings", {}),
    }


def _markdown_for(data: dict) -> str:
    """The same procedure as a plain Markdown page, as a stock MkDocs site would hold it."""
    lines = [f"# {data['title']}", "", f"**Mã thủ tục:** {data['code']}", "", "## Trình tự thực hiện", ""]
    lines += [f"{i}. **{s['title']}** {s.get('description', '')}" for i, s in enumerate(data["steps"], 1)]
    lines += ["", "## Cách thức thực hiện", "", "| Hình thức | Thời hạn | Phí, lệ phí |", "|---|---|---|"]
    for m in data["methods"]:
        fees = "; ".join(f"{f.get('amount')} {f.get('text', '')}" for f in m["fees"]) or "Không"
        lines.append(f"| {m['channel']} | {m['processing_time']} | {fees} |")
    lines += ["", "## Thành phần hồ sơ", ""]
    for case in data["dossier"]["cases"]:
        lines += [f"### {case.get('name', 'Hồ sơ')}", ""]
        lines += [f"- {d['name']} (bản chính: {d['original']}, bản sao: {d['copy']})" for d in case["documents"]]
    lines += ["", "## Thời hạn giải quyết", "", data["processing_time"], "", "## Yêu cầu, điều kiện", "", data["requirements"]]
    lines += ["", "## Căn cứ pháp lý", ""] + [f"- {b['number']} {b['title']}" for b in data["legal_basis"]]
    return "\n".join(lines) + "\n"


def stock_build(workdir: Path) -> dict:
    """Stock MkDocs + Material (search plugin on, automatic navigation) over the same procedures."""
    project = workdir / "stock"
    docs = project / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Thủ tục hành chính\n", "utf-8")
    for file in sorted((workdir / "ours" / "content" / "procedures").rglob("*.yml")):
        data = yaml.safe_load(file.read_text("utf-8"))
        target = docs / data["field"] / f"{data['code']}.md"
        target.parent.mkdir(exist_ok=True)
        target.write_text(_markdown_for(data), "utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Stock\nsite_url: https://example.vn/\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n", "utf-8"
    )
    elapsed, _ = _run([sys.executable, "-m", "mkdocs", "build", "-q"], project)
    site = project / "site"
    pages = sorted(p for p in site.rglob("index.html") if p.parent != site)
    return {
        "seconds": elapsed,
        "site_mb": _tree_bytes(site) / 1e6,
        "page_median": statistics.median(p.stat().st_size for p in pages) if pages else 0,
    }


def report(ours: dict, stock: dict | None) -> None:
    n = ours["count"]
    print(f"\n== {n:,} thủ tục ==".replace(",", "."))
    print(f"  wall time            {ours['seconds']:.1f} s  ({n / ours['seconds']:.0f} procedures/s)")
    print(f"  peak memory          {ours['peak_mb']:.0f} MB")
    print(f"  site size            {ours['site_mb']:.1f} MB")
    print(f"  procedure page HTML  median {ours['page_median'] / 1024:.1f} KB, max {ours['page_max'] / 1024:.1f} KB")
    print(f"  search payload gzip  {ours['search_gzip_kb']:.0f} KB")
    for name, sizes in ours.get("transfer", {}).items():
        if sizes:
            print(f"  {name + ' page, gzip':<20} HTML {sizes['html'] / 1024:.1f} KB -> {sizes['html_gzip'] / 1024:.1f} KB; "
                  f"first visit with CSS and JS {sizes['first_visit_gzip'] / 1024:.1f} KB")
    phases = ours["phases"]
    if phases:
        total = sum(phases.values()) or 1
        shares = ", ".join(f"{name} {seconds:.1f} s ({100 * seconds / total:.0f} %)" for name, seconds in phases.items())
        print(f"  phases               {shares}")
    if stock:
        print(f"  stock Material       {stock['seconds']:.1f} s, site {stock['site_mb']:.0f} MB, "
              f"page median {stock['page_median'] / 1024:.0f} KB  ->  ours is {stock['seconds'] / ours['seconds']:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--stock-max", type=int, default=2000, help="largest size also built with stock Material")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--no-statistics", action="store_true",
                        help="build without content/thong-ke.csv (by default a row per procedure and month is generated)")
    args = parser.parse_args()
    for count in sorted(args.sizes):
        workdir = Path(tempfile.mkdtemp(prefix=f"thutuc-bench-{count}-"))
        try:
            ours = our_build(workdir, count, with_statistics=not args.no_statistics)
            stock = stock_build(workdir) if count <= args.stock_max else None
            report(ours, stock)
        finally:
            if args.keep:
                print(f"  kept in {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
