"""Search benchmark (not a test): index build time, payload size and query latency in Chromium.

Generates synthetic catalogues of realistic Vietnamese procedures (benchmarks/search_synthetic.py), builds
the search files exactly as the site build does, then loads them in headless Debian Chromium with
lunr.js and theme/assets/js/search.js and times 20 typical queries.

    .venv/bin/python benchmarks/search_bench.py [--sizes 2000 10000]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from search_synthetic import synthetic_docs  # noqa: E402

from thutuc.search.index import DOCS_PATH, INDEX_PATH, build_search_files  # noqa: E402

QUERIES = [
    "dang ky khai sinh", "giấy phép lái xe", "cap lai", "GPLX", "1.001500", "giay phep xay dung",
    "hộ kinh doanh", "chứng thực", "thẻ bảo hiểm y tế", "đăng ký kinh doanh", "xac nhan tinh trang hon nhan",
    "cap doi giay phep", "gia han giay phep", "dang k", "moi truong", "giay chung nhan quyen su dung dat",
    "lao dong nuoc ngoai", "khai sinhh", "an toan thuc pham", "bien so xe",
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]

# Runs in the page: load the payload as search.js does, then time each query (as typed: prefix on).
MEASURE = """
async (queries) => {
  const t0 = performance.now();
  const [compact, data] = await Promise.all([
    fetch("assets/search/index.json").then((r) => r.json()),
    fetch("assets/search/docs.json").then((r) => r.json()),
  ]);
  const S = window.ThutucSearch;
  S.registerPipeline(window.lunr);
  const index = window.lunr.Index.load(S.expandIndex(compact));
  const titles = data.docs.map((d) => d[0]);
const titleWords = S.titleWordsOf(titles);
  const loadMs = performance.now() - t0;
  const times = [], counts = [];
  for (const q of queries) {
    const start = performance.now();
    const hits = S.search(window.lunr, index, q, true, titleWords);
    times.push(performance.now() - start);
    counts.push(hits.length);
  }
  return { loadMs, times, counts };
}
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def measure_in_chromium(folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + "bench.html")
            page.add_script_tag(url=base + "assets/vendor/lunr/lunr.min.js")
            page.add_script_tag(url=base + "assets/js/search.js")
            result = page.evaluate(MEASURE, QUERIES)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return result


def bench(count: int) -> None:
    docs = synthetic_docs(count)
    start = time.perf_counter()
    files = build_search_files(docs)
    build_s = time.perf_counter() - start
    raw = {path: len(content) for path, content in files.items()}
    gz = {path: len(gzip.compress(content, 9)) for path, content in files.items()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path, content in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)
        (folder / "assets/vendor/lunr").mkdir(parents=True)
        shutil.copy(REPO / "theme/assets/vendor/lunr/lunr.min.js", folder / "assets/vendor/lunr/")
        (folder / "assets/js").mkdir(parents=True)
        shutil.copy(REPO / "theme/assets/js/search.js", folder / "assets/js/")
        (folder / "bench.html").write_text("<!doctype html><title>bench</title>", "utf-8")
        result = measure_in_chromium(folder)
    times = result["times"]
    print(f"== {count} procedures ==")
    print(f"index build (lunr.py + compact encoding): {build_s:.2f} s")
    for path in (INDEX_PATH, DOCS_PATH):
        print(f"{path}: {raw[path] / 1024:.1f} KB raw, {gz[path] / 1024:.1f} KB gzip")
    print(f"search payload total: {sum(raw.values()) / 1024:.1f} KB raw, {sum(gz.values()) / 1024:.1f} KB gzip (budget 150 KB at 2,000)")
    print(f"Chromium: fetch + expand + lunr.Index.load: {result['loadMs']:.0f} ms")
    print(f"Chromium: query latency over {len(times)} queries: median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms ({QUERIES[times.index(max(times))]!r})")
    print(f"results per query: median {statistics.median(result['counts']):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    for count in parser.parse_args().sizes:
        bench(count)


if __name__ == "__main__":
    main()
