"""Search: the Vietnamese pipeline (Python and JavaScript agree), the compact index, and what the build writes."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from lunr.index import Index
from lunr.query import Query
from sitecheck import published_asset
from support.required import missing_tool

from conftest import FIXTURES, REPO, Project
from thutuc.content.catalogue import ContentOptions, load_catalogue
from thutuc.search import build_search_files, fold, normalise, search_docs, tokenize
from thutuc.search.index import DOCS_PATH, INDEX_PATH, SearchDoc, build_index, compact_index, expand_compact
from thutuc.search.pipeline import index_terms, query_terms

SEARCH_JS = REPO / "theme" / "assets" / "js" / "search.js"
LUNR_JS = REPO / "theme" / "assets" / "vendor" / "lunr" / "lunr.min.js"
NODE = shutil.which("node") or "/usr/bin/node"

TRICKY = [
    "Đăng ký khai sinh",
    unicodedata.normalize("NFD", "Đăng ký khai sinh cho trẻ em"),
    "DANG KY KHAI SINH",
    "hoà hòa Hoà HÒA hoá xoá toà khoẻ khỏe",
    "Ủy ban Uỷ ban UỶ BAN thuỷ thủy đại uý quý Quỹ",
    "hoàng khuya xoắn thuyền ngoài quà",
    "Đ đ ĐĐ Đồng Tháp",
    "Mã 1.001193; mã 2.000635, (3.000347).",
    "1.001193. 12/2025/TT-BCA Nghị định 42/2022/NĐ-CP",
    "GPLX, CCCD; LLTP / ĐKKD - XNTTHN",
    "TNHH 1TV & TNHH MTV",
    "“Giấy tờ” — bản sao… (bản chính)!?",
    "e-mail: gopy@mau.example.vn",
    "  \t\n ",
    "",
    "İstanbul Straße ÆØÅ ñandú",
    "日本語 ελληνικά 😀 ﬁ",
    unicodedata.normalize("NFD", "Nghệ An, Thừa Thiên Huế, Bà Rịa – Vũng Tàu"),
]


# -- the pipeline ------------------------------------------------------------------------------------


def test_tokenize_lowercases_splits_punctuation_and_keeps_codes_whole() -> None:
    assert tokenize("Đăng ký khai sinh (mã 1.001193).") == ["đăng", "ký", "khai", "sinh", "mã", "1.001193"]
    assert tokenize("GPLX, ĐKKD; 12/2025/TT-BCA") == ["gplx", "đkkd", "12", "2025", "tt", "bca"]


def test_nfd_input_gives_the_same_tokens_as_nfc() -> None:
    text = "Đăng ký kết hôn có yếu tố nước ngoài"
    assert tokenize(unicodedata.normalize("NFD", text)) == tokenize(text)


def test_old_and_new_tone_placement_are_one_word() -> None:
    assert normalise("hoà") == normalise("hòa") == "hòa"
    assert normalise("Uỷ") == normalise("Ủy") == "ủy"
    assert normalise("khoẻ") == normalise("khỏe")
    assert normalise("thuỷ") == normalise("thủy")
    # "qu" is a consonant and closed syllables have one spelling: left as they are.
    assert normalise("quý") == "quý"
    assert normalise("hoàng") == "hoàng"


def test_fold_removes_tones_and_diacritics_including_d_stroke() -> None:
    assert fold("Đăng ký") == "dang ky"
    assert fold("Ủy") == fold("Uỷ") == "uy"
    assert [fold(w) for w in tokenize("Thừa Thiên Huế")] == ["thua", "thien", "hue"]


def test_index_stores_exact_and_folded_words_and_whole_codes_but_no_english_stemming() -> None:
    assert index_terms("Đăng ký") == ["đăng", "dang", "ký", "ky"]
    assert index_terms("1.001193") == ["1.001193"]
    # lunr's English stemmer would cut these; the ASCII trimmer would drop toned vowels.
    assert index_terms("licences được") == ["licences", "được", "duoc"]
    assert query_terms("Hoà GIẢI") == ["hòa", "giải"]


def _node(script: str, *args: str) -> str:
    if not Path(NODE).exists():
        missing_tool("node is not installed: apt-get install nodejs")
    result = subprocess.run([NODE, "-e", script, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


NODE_PRELUDE = f"""
const lunr = require({json.dumps(str(LUNR_JS))});
require({json.dumps(str(SEARCH_JS))});
const S = globalThis.ThutucSearch;
S.registerPipeline(lunr);
"""


def test_python_and_javascript_pipelines_give_identical_tokens() -> None:
    script = NODE_PRELUDE + """
const inputs = JSON.parse(process.argv[1]);
const out = inputs.map((text) => ({
  tokens: S.tokenize(text),
  query: S.queryTerms(text),
  index: S.indexTerms(text),
  folded: S.tokenize(text).map(S.fold),
  lunrIndex: lunr.Pipeline.load(["vi-normalise", "vi-expand"]).run(S.tokenize(text).map((t) => new lunr.Token(t))).map(String),
  lunrSearch: lunr.Pipeline.load(["vi-normalise"]).run(S.tokenize(text).map((t) => new lunr.Token(t))).map(String),
}));
process.stdout.write(JSON.stringify(out));
"""
    from lunr.pipeline import Pipeline
    from lunr.token import Token

    javascript = json.loads(_node(script, json.dumps(TRICKY)))
    python = [
        {
            "tokens": tokenize(text),
            "query": query_terms(text),
            "index": index_terms(text),
            "folded": [fold(w) for w in tokenize(text)],
            "lunrIndex": [str(t) for t in Pipeline.load(["vi-normalise", "vi-expand"]).run([Token(w) for w in tokenize(text)])],
            "lunrSearch": [str(t) for t in Pipeline.load(["vi-normalise"]).run([Token(w) for w in tokenize(text)])],
        }
        for text in TRICKY
    ]
    for text, py, js in zip(TRICKY, python, javascript, strict=True):
        assert py == js, text
    assert python[3]["query"][:4] == ["hòa"] * 4  # the comparison covers the hard cases, not empty lists


# -- the index ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def minimal_docs() -> list[SearchDoc]:
    result = load_catalogue((FIXTURES / "minimal").resolve(), ContentOptions())
    assert result.ok
    return search_docs(result.catalogue)


def test_search_docs_carry_what_results_show(minimal_docs: list[SearchDoc]) -> None:
    birth = next(d for d in minimal_docs if d.code == "1.001193")
    assert birth.title == "Đăng ký khai sinh"
    assert birth.url.startswith("thu-tuc/dang-ky-khai-sinh-1-001193")
    assert birth.field_name == "Hộ tịch"
    assert birth.level in (1, 2)
    files = build_search_files(minimal_docs)
    data = json.loads(files[DOCS_PATH])
    row = data["docs"][minimal_docs.index(birth)]
    assert row[:3] == [birth.title, birth.url, "1.001193"]
    assert data["fields"][row[3]] == "Hộ tịch"
    assert data["levels"][str(row[4])].startswith("Mức độ")


def test_compact_index_expands_to_exactly_what_lunr_py_built(minimal_docs: list[SearchDoc]) -> None:
    builder, index = build_index(minimal_docs)
    expanded = expand_compact(compact_index(builder, index))
    original = index.serialize()
    assert expanded["pipeline"] == original["pipeline"] == ["vi-normalise"]
    assert expanded["version"] == original["version"]
    assert [t for t, _ in expanded["invertedIndex"]] == [t for t, _ in original["invertedIndex"]]
    for (_, ours), (_, theirs) in zip(expanded["invertedIndex"], original["invertedIndex"], strict=True):
        assert {k: v for k, v in ours.items() if k != "_index"} == {k: dict(v) for k, v in theirs.items() if k != "_index"}
    # Field vectors use different term numbers: compare them by term.
    def by_term(serialised: dict) -> dict[str, dict[str, float]]:
        names = {posting["_index"]: term for term, posting in serialised["invertedIndex"]}
        return {ref: {names[v[i]]: v[i + 1] for i in range(0, len(v), 2)} for ref, v in serialised["fieldVectors"]}

    # lunr.py also lists empty vectors (fields a procedure leaves empty); they never score.
    ours, theirs = by_term(expanded), {ref: v for ref, v in by_term(original).items() if v}
    assert ours.keys() == theirs.keys()
    for ref in theirs:
        assert ours[ref] == pytest.approx(theirs[ref], abs=0.0011), ref
    assert "1.001193" in dict(expanded["invertedIndex"]) and "dang" in dict(expanded["invertedIndex"])


def test_javascript_expands_the_compact_index_like_python(minimal_docs: list[SearchDoc], tmp_path: Path) -> None:
    builder, index = build_index(minimal_docs)
    compact = compact_index(builder, index)
    path = tmp_path / "index.json"
    path.write_text(json.dumps(compact), "utf-8")
    script = NODE_PRELUDE + """
const fs = require("fs");
const expanded = S.expandIndex(JSON.parse(fs.readFileSync(process.argv[1], "utf8")));
lunr.Index.load(expanded);  // must load without errors (registered pipeline, sorted terms)
process.stdout.write(JSON.stringify(expanded));
"""
    javascript = json.loads(_node(script, str(path)))
    python = expand_compact(compact)
    assert javascript["invertedIndex"] == json.loads(json.dumps(python["invertedIndex"]))
    js_vectors, py_vectors = dict(javascript["fieldVectors"]), dict(python["fieldVectors"])
    assert js_vectors.keys() == py_vectors.keys()
    for ref, vector in py_vectors.items():
        assert js_vectors[ref] == pytest.approx(vector, abs=0.0011)


def test_an_empty_catalogue_gets_an_empty_index_not_a_crash() -> None:
    files = build_search_files([])
    data = json.loads(files[INDEX_PATH])
    assert data["count"] == 0 and data["terms"] == []
    assert json.loads(files[DOCS_PATH])["docs"] == []
    assert expand_compact(data)["invertedIndex"] == []


def test_lunr_py_answers_from_the_expanded_index(minimal_docs: list[SearchDoc]) -> None:
    builder, index = build_index(minimal_docs)
    loaded = Index.load(expand_compact(compact_index(builder, index)))
    birth = str(next(i for i, d in enumerate(minimal_docs) if d.code == "1.001193"))
    for term in ("dang", "đăng", "1.001193", "sinh"):
        query = loaded.create_query()
        query.term(term, use_pipeline=False, wildcard=Query.WILDCARD_NONE)
        assert birth in [hit["ref"] for hit in loaded.query(query)], term


def _js_search(docs: list[SearchDoc], queries: list[str], tmp_path: Path, prefix: bool = False) -> list[list[str]]:
    """Titles in result order for each query, ranked by search.js in node."""
    files = build_search_files(docs)
    (tmp_path / "index.json").write_bytes(files[INDEX_PATH])
    (tmp_path / "docs.json").write_bytes(files[DOCS_PATH])
    script = NODE_PRELUDE + """
const fs = require("fs");
const dir = process.argv[1];
const index = lunr.Index.load(S.expandIndex(JSON.parse(fs.readFileSync(dir + "/index.json", "utf8"))));
const data = JSON.parse(fs.readFileSync(dir + "/docs.json", "utf8"));
const titles = data.docs.map((d) => d[0]);
const titleWords = S.titleWordsOf(titles);
const prefix = process.argv[3] === "1";
const out = JSON.parse(process.argv[2]).map((q) => S.search(lunr, index, q, prefix, titleWords).map((h) => titles[Number(h.ref)]));
process.stdout.write(JSON.stringify(out));
"""
    return json.loads(_node(script, str(tmp_path), json.dumps(queries), "1" if prefix else "0"))


def _doc(title: str, code: str, keywords: tuple[str, ...] = ()) -> SearchDoc:
    return SearchDoc(title=title, url=f"thu-tuc/{code}/", code=code, field_name="Hộ tịch", level=2, keywords=keywords)


def test_ranking_rules(tmp_path: Path) -> None:
    docs = [
        _doc("Đang ký gửi hồ sơ", "1.000001"),
        _doc("Đăng ký gửi hồ sơ", "1.000002"),
        _doc("Hòa giải ở cơ sở", "1.000003"),
        _doc("Hoa giải thưởng", "1.000004"),
        _doc("Đăng ký lại khai sinh", "1.000005", ("khai sinh", "đăng ký khai sinh")),
        _doc("Đăng ký khai sinh", "1.000006"),
        _doc("Đổi giấy phép lái xe", "3.000347", ("GPLX", "bằng lái")),
        _doc("Cấp giấy chứng nhận", "2.000001"),
        _doc("Cấp bản sao có chứng thực từ sổ gốc giấy tờ khai sinh", "2.000002"),
    ]
    queries = ["đăng ký gửi", "đang ký gửi", "hoà giải", "Đăng ký khai sinh", "dang ky khai sinh",
               "gplx", "1.000006", "000006", "khai sinhh", "sinh giấy khai"]
    results = _js_search(docs, queries, tmp_path)
    first = {q: r[0] if r else None for q, r in zip(queries, results, strict=True)}
    assert first["đăng ký gửi"] == "Đăng ký gửi hồ sơ"  # exact diacritics above folded-only
    assert first["đang ký gửi"] == "Đang ký gửi hồ sơ"
    assert first["hoà giải"] == "Hòa giải ở cơ sở"  # old tone placement is the same word
    assert first["Đăng ký khai sinh"] == first["dang ky khai sinh"] == "Đăng ký khai sinh"
    assert first["gplx"] == "Đổi giấy phép lái xe"
    assert first["1.000006"] == first["000006"] == "Đăng ký khai sinh"
    assert first["khai sinhh"] in ("Đăng ký khai sinh", "Đăng ký lại khai sinh")  # one-letter typo
    # All query words present ranks above some: only this long title has all three, while short
    # titles with two of them score higher in lunr alone.
    assert first["sinh giấy khai"] == "Cấp bản sao có chứng thực từ sổ gốc giấy tờ khai sinh"
    # The cut: when one result has every word, results with only some of them are left out.
    assert len(results[queries.index("sinh giấy khai")]) == 1
    typing = _js_search(docs, ["đăng ký kh", "giấy ph"], tmp_path, prefix=True)
    assert typing[0][0] in ("Đăng ký khai sinh", "Đăng ký lại khai sinh")
    assert typing[1][0] == "Đổi giấy phép lái xe"


def test_results_need_most_of_the_words_in_what_names_them(tmp_path: Path) -> None:
    docs = [
        _doc("Cấp giấy chứng nhận", "2.000001"),
        _doc("Đăng ký hộ kinh doanh", "2.000003"),
        SearchDoc(title="Đăng ký thường trú", url="thu-tuc/x/", code="1.000007", field_name="Cư trú", level=2,
                  summary="Cấp thông tin cho hộ gia đình"),
    ]
    queries = ["cấp hộ chiếu phổ thông", "passport", "đăng ký kinh doanh xe", "đăng ký kinh doanh"]
    results = dict(zip(queries, _js_search(docs, queries, tmp_path), strict=True))
    # "cấp", "hộ" and "thông" are each somewhere (the summary), but no title holds most of the words.
    assert results["cấp hộ chiếu phổ thông"] == [] and results["passport"] == []
    assert results["đăng ký kinh doanh xe"] == ["Đăng ký hộ kinh doanh"]  # 3 of 4 words, in the title
    assert results["đăng ký kinh doanh"] == ["Đăng ký hộ kinh doanh"]  # all words: the others are cut


def test_payload_for_2000_procedures_fits_the_budget() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from search_synthetic import synthetic_docs
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    files = build_search_files(synthetic_docs(2000))
    gzipped = sum(len(gzip.compress(content, 9)) for content in files.values())
    assert gzipped <= 150 * 1024, gzipped


# -- the built site ----------------------------------------------------------------------------------


def test_build_publishes_index_data_lunr_and_the_search_page(sample_site: Project) -> None:
    site = sample_site.site
    data = json.loads(published_asset(site, DOCS_PATH).read_text("utf-8"))
    index = json.loads(published_asset(site, INDEX_PATH).read_text("utf-8"))
    # Abolished procedures keep a notice page but leave the search index (lifecycle.py).
    procedures = [p for p in (sample_site.content / "procedures").rglob("*.yml") if "\nstatus: abolished" not in p.read_text("utf-8")]
    rows = [row for row in data["docs"] if row[2]]  # procedures have a code; findable pages do not
    assert len(rows) == len(procedures) and index["count"] == len(data["docs"])
    for _title, url, code, _field, _level, online in rows:
        assert (site / url / "index.html").is_file(), url
        assert code in url.replace("-", ".")
        assert online in ("Nộp trực tuyến được", "Chưa nộp trực tuyến")
    pages = {row[1]: row[0] for row in data["docs"] if not row[2]}
    assert "thong-ke/" in pages and "gioi-thieu/" in pages, pages
    assert all((site / url / "index.html").is_file() for url in pages)
    assert index["pipeline"] == ["vi-normalise"]
    # lunr.js from the npm package, the version lunr.py targets, with its licence.
    assert f"lunr - http://lunrjs.com - A bit like Solr, but much smaller and not as bright - {index['version']}" in (
        published_asset(site, "assets/vendor/lunr/lunr.min.js")
    ).read_text("utf-8")[:200]
    assert index["version"] == "2.3.9"
    assert "Permission is hereby granted" in (site / "assets/vendor/lunr/LICENSE").read_text("utf-8")
    page = sample_site.html("tim-kiem/")
    assert 'data-search-page' in page and re.search(r'id="?search-results"?', page)
    # Without JavaScript the page still leads to every field list.
    for slug in [p.parent.name for p in (site / "linh-vuc").glob("*/index.html")]:
        assert f"linh-vuc/{slug}/" in page
    # Indexable and listed (docs/seo.md): its canonical URL has no query, so ?q= variants fold into it.
    assert "https://thutuc.mau.example.vn/tim-kiem/</loc>" in (site / "sitemap.xml").read_text("utf-8")
    assert re.search(r'<link href="?https://thutuc\.mau\.example\.vn/tim-kiem/"? rel="?canonical"?>', page)
    assert "noindex" not in page


def test_pages_load_no_search_bytes(sample_site: Project) -> None:
    home = sample_site.html("")
    assert re.search(r"assets/js/search\.[0-9a-f]{10}\.js", home)
    for page in (home, sample_site.html("tim-kiem/")):
        assert "index.json" not in page and "lunr" not in page and "docs.json" not in page
