"""Search benchmark (not a test): index build time, payload size and query latency in Chromium.

Generates synthetic catalogues of realistic Vietnamese procedures (benchmarks/search_synthetic.py), builds
the search files exactly as the site build does, then loads them in headless Debian Chromium with
lunr.js and theme/assets/js/search.js and times 20 typical queries.

Then measures result quality on the sample site (site/, built by `python3 build.py`): hit@1 of queries
with a known answer, queries with no right answer (expect 0 results) and specific queries (expect at
most 5 results, the right one first). `--script` compares another search.js (for example the one of
an earlier commit: `git show REV:theme/assets/js/search.js > /tmp/old.js`).

    .venv/bin/python benchmarks/search_bench.py [--sizes 2000 10000] [--script FILE] [--quality-only]
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
# Quality on the sample catalogue: query -> codes of which one must come first (as typed: prefix on).
KNOWN = [
    ("Đăng ký khai sinh", {"1.001193"}), ("dang ky khai sinh", {"1.001193"}), ("khai tu", {"1.000656"}),
    ("GPLX", {"3.000347", "3.000348", "3.000349", "3.000350"}), ("1.001193", {"1.001193"}),
    ("001193", {"1.001193"}), ("1.0011", {"1.001193"}), ("dang ky khai s", {"1.001193"}),
    ("khai sinhh", {"1.001193"}), ("đăg ký kết hôn", {"1.000894"}),
    ("đổi bằng lái", {"3.000347", "3.000349"}), ("tam tru", {"1.004194", "1.002755", "1.010028"}),
    ("ho kinh doanh", {"1.001612", "1.001266", "1.001570", "2.000720"}), ("thong ke", {""}),
]
# Services this catalogue does not have: the right answer is "not found".
NO_ANSWER = ["cấp hộ chiếu phổ thông", "ho chieu", "passport", "xin visa", "đăng ký xe máy", "cấp thẻ căn cước",
             "bảo hiểm thất nghiệp"]
# Specific queries: at most 5 results, the right one first.
SPECIFIC = [
    ("dang ky khai sinh", "1.001193"), ("đăng ký kết hôn", "1.000894"), ("giay phep lai xe quoc te", "3.000350"),
    ("ly lich tu phap cong dan", "2.000488"), ("chung thuc ban sao tu ban chinh", "2.000815"),
    ("xoa dang ky tam tru", "1.010028"), ("đăng ký giám hộ", "1.004837"), ("đăng ký nuôi con nuôi trong nước", "2.001263"),
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


# Runs in the page: the codes of the results of each query, in order.
RESULTS = """
async (queries) => {
  const [compact, data] = await Promise.all([
    fetch("assets/search/index.json").then((r) => r.json()),
    fetch("assets/search/docs.json").then((r) => r.json()),
  ]);
  const S = window.ThutucSearch;
  S.registerPipeline(window.lunr);
  const index = window.lunr.Index.load(S.expandIndex(compact));
  const titleWords = S.titleWordsOf(data.docs.map((d) => d[0]));
  return queries.map((q) => S.search(window.lunr, index, q, true, titleWords).map((h) => data.docs[Number(h.ref)][2]));
}
"""


def measure_in_chromium(folder: Path, script: str = MEASURE, queries: list[str] = QUERIES) -> dict | list:
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
            result = page.evaluate(script, queries)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return result


def quality(search_js: Path) -> None:
    """hit@1, no-answer and specific queries on the sample site (site/ from `python3 build.py`)."""
    site = REPO / "site"
    if not (site / DOCS_PATH).is_file():
        sys.exit("Chưa có site/: chạy python3 build.py trước.")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(site / "assets", folder / "assets")
        shutil.copy(search_js, folder / "assets/js/search.js")
        (folder / "bench.html").write_text("<!doctype html><title>bench</title>", "utf-8")
        queries = [q for q, _ in KNOWN] + NO_ANSWER + [q for q, _ in SPECIFIC]
        results = dict(zip(queries, measure_in_chromium(folder, RESULTS, queries), strict=True))
    hits = sum(1 for q, codes in KNOWN if results[q] and results[q][0] in codes)
    empty = sum(1 for q in NO_ANSWER if not results[q])
    specific = sum(1 for q, code in SPECIFIC if results[q][:1] == [code] and len(results[q]) <= 5)
    print(f"== quality on the sample site ({search_js.relative_to(REPO) if search_js.is_relative_to(REPO) else search_js}) ==")
    print(f"hit@1: {hits}/{len(KNOWN)}")
    print(f"no right answer, 0 results: {empty}/{len(NO_ANSWER)} "
          f"(results listed: {', '.join(f'{q!r} {len(results[q])}' for q in NO_ANSWER)})")
    print(f"specific, right one first and at most 5 results: {specific}/{len(SPECIFIC)} "
          f"(counts: {', '.join(f'{q!r} {len(results[q])}' for q, _ in SPECIFIC)})")


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
    parser.add_argument("--script", type=Path, default=REPO / "theme/assets/js/search.js", help="the search.js to judge")
    parser.add_argument("--quality-only", action="store_true", help="skip the synthetic timing runs")
    args = parser.parse_args()
    quality(args.script.resolve())
    for count in [] if args.quality_only else args.sizes:
        bench(count)


if __name__ == "__main__":
    main()
