"""Time the post-build link and three-click check on a built site (prints figures, asserts nothing).

Usage: python benchmarks/linkgraph_bench.py path/to/site [site_url]
Shows that the pass is linear: time per page stays flat from the sample (~90 pages) to 2,000 procedures.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from thutuc.render.linkgraph import check_site


def main(site: Path, site_url: str) -> None:
    procedures = [f"/thu-tuc/{p.parent.name}/" for p in sorted((site / "thu-tuc").glob("*/index.html"))]
    size = sum(f.stat().st_size for f in site.rglob("*.html"))
    started = time.perf_counter()
    report = check_site(site, site_url, procedures)
    elapsed = time.perf_counter() - started
    print(f"{report.pages} pages ({size / 1e6:.1f} MB of HTML), {len(procedures)} procedures: {elapsed:.2f} s, "
          f"{1000 * elapsed / max(report.pages, 1):.2f} ms per page; deepest {report.deepest[1]} clicks; "
          f"{'ok' if report.ok else 'PROBLEMS'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "https://thutuc.mau.example.vn/")
