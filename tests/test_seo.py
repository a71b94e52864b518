"""What search engines and feedback senders get: sitemap, robots, head metadata, JSON-LD, mailto and rating."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from sitecheck import content_pages

from conftest import FIXTURES, RAW_TEXT_ELEMENTS, SAMPLE_CONTENT, Project, make_project
from thutuc.content.statistics import load_statistics
from thutuc.site.seo import fit_description, json_ld

SITE_URL = "https://thutuc.mau.example.vn/"


class Head(HTMLParser):
    """Title, meta tags, links, JSON-LD blocks, h1s and <a href>s of one page."""

    CDATA_CONTENT_ELEMENTS = RAW_TEXT_ELEMENTS

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self.h1 = 0
        self.links: list[tuple[str, str]] = []
        self.inputs: list[dict[str, str]] = []
        self.forms: list[dict[str, str]] = []
        self.buttons = 0
        self._in = ""
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.meta[key] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in = "ld"
            self.json_ld.append("")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a" and "href" in a:
            self._href, self._text = a["href"], ""
        elif tag == "input":
            self.inputs.append(a)
        elif tag == "form":
            self.forms.append(a)
        elif tag == "button":
            self.buttons += 1

    def handle_endtag(self, tag):
        if tag in ("title", "script"):
            self._in = ""
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "ld":
            self.json_ld[-1] += data
        if self._href is not None:
            self._text += data


def graph_nodes(page: Head) -> list[dict]:
    """Every node of every JSON-LD block, @graph flattened."""
    nodes = []
    for block in page.json_ld:
        data = json.loads(block)
        nodes += data.get("@graph", [data])
    return nodes


def head(html: str) -> Head:
    parser = Head()
    parser.feed(html)
    return parser


def sitemap(site: Path) -> dict[str, str]:
    xml = (site / "sitemap.xml").read_text("utf-8")
    entries = re.findall(r"<url><loc>([^<]+)</loc>(?:<lastmod>([^<]+)</lastmod>)?</url>", xml)
    return dict(entries)


def procedures_in(content: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted((content / "procedures").rglob("*.yml"))]


def page_url_of(site: Path, code: str) -> str:
    found = content_pages((site / "thu-tuc").glob(f"*-{code.replace('.', '-')}/index.html"))
    assert len(found) == 1, code
    return f"thu-tuc/{found[0].parent.name}/"


# --- the sample site --------------------------------------------------------------------------------------


def test_sitemap_lists_every_public_page_with_absolute_urls(sample_site: Project):
    site = sample_site.site
    entries = sitemap(site)
    pages = {"/" + p.parent.relative_to(site).as_posix() + "/": p for p in site.rglob("index.html")}
    pages = {"/" if url == "/./" else url: path for url, path in pages.items()}
    # Notices of abolished procedures and redirects of moved addresses are noindex and stay out (test_lifecycle.py).
    public = {url for url, path in pages.items() if not url.startswith("/bao-cao-noi-dung/")
              and not re.search(r"<meta[^>]*content=\"?noindex[^>]*name=\"?robots|<meta[^>]*name=\"?robots[^>]*noindex",
                                path.read_text("utf-8"))}
    assert any("retired__stamp" in path.read_text("utf-8") for path in pages.values())  # the sample has a notice
    assert {SITE_URL.rstrip("/") + p for p in public} == set(entries)
    assert not any("404" in url for url in entries)
    assert (site / "robots.txt").read_text("utf-8").strip().endswith(f"Sitemap: {SITE_URL}sitemap.xml")
    # MkDocs' own compressed copy (dated with the build time) is replaced by ours.
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_sitemap_lastmod_comes_from_the_content(sample_site: Project):
    entries = sitemap(sample_site.site)
    dated = 0
    # Pages showing year-to-date figures change with the data (content/thong-ke.csv, test_statistics.py).
    statistics = load_statistics(SAMPLE_CONTENT, None).statistics
    for data in procedures_in(SAMPLE_CONTENT):
        url = SITE_URL + page_url_of(sample_site.site, data["code"])
        if data.get("status") == "abolished":
            assert url not in entries  # a notice, not a procedure in force
            continue
        if data.get("updated"):
            # Lifecycle dates count too: an amendment newer than `updated` dates the page.
            expected = max([str(data["updated"]), *(str(c["date"]) for c in data.get("changes", []))])
            if statistics and data.get("online") in ("partial", "full"):
                expected = max(expected, statistics.as_of)
            assert entries[url] == expected, url
            dated += 1
    assert dated >= 20
    newest = max(str(d["updated"]) for d in procedures_in(SAMPLE_CONTENT) if d.get("updated"))
    assert entries[SITE_URL] == newest  # the home page changes when any procedure does


def test_every_procedure_page_has_seo_metadata_and_json_ld(sample_site: Project):
    site = sample_site.site
    titles: dict[str, str] = {}
    for data in procedures_in(SAMPLE_CONTENT):
        url = page_url_of(site, data["code"])
        page = head(sample_site.html(url))
        assert page.h1 == 1, url
        assert page.canonical == [SITE_URL + url]
        description = page.meta["description"]
        assert 50 <= len(description) <= 160, (url, description)
        assert page.meta["og:title"] == page.title and page.meta["og:url"] == SITE_URL + url
        assert page.meta["og:description"] == description and page.meta["og:locale"] == "vi_VN"
        nodes = graph_nodes(page)
        if data.get("status") == "abolished":  # a notice: no service is offered any more (test_lifecycle.py)
            assert not any(b["@type"] == "GovernmentService" for b in nodes), url
            titles[page.title] = url
            continue
        service = next(b for b in nodes if b["@type"] == "GovernmentService")
        assert service["identifier"]["value"] == data["code"] and service["name"] == data["title"]
        assert service["url"] == SITE_URL + url
        ids = {n["@id"]: n for n in nodes if "@id" in n}
        providers = [ids[ref["@id"]] for ref in service["provider"]]
        assert providers and all(p["@type"] == "GovernmentOrganization" and p["name"] and p["url"].startswith(SITE_URL + "co-quan/")
                                 for p in providers)
        assert service["serviceType"]  # the field's name
        assert service["areaServed"]["name"] == "Tỉnh Mẫu"
        channels = service["availableChannel"]
        assert len(channels) == len(data["methods"])
        assert all(c["@type"] == "ServiceChannel" and c["processingTime"] for c in channels)
        crumbs = next(b for b in nodes if b["@type"] == "BreadcrumbList")["itemListElement"]
        assert crumbs[0]["item"] == SITE_URL and crumbs[-1]["item"] == SITE_URL + url
        assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
        titles[page.title] = url
    assert len(titles) == len(procedures_in(SAMPLE_CONTENT)), "two procedure pages share a <title>"


def test_titles_are_unique_and_descriptions_fit_on_every_page(sample_site: Project):
    seen: dict[str, Path] = {}
    for file in content_pages(sorted(sample_site.site.rglob("*.html"))):
        page = head(file.read_text("utf-8"))
        assert page.title not in seen, f"{file} and {seen.get(page.title)} share the title {page.title!r}"
        seen[page.title] = file
        assert 50 <= len(page.meta.get("description", "")) <= 160, (file, page.meta.get("description"))


def test_feedback_mailto_carries_code_title_and_page_url(sample_site: Project):
    for data in procedures_in(SAMPLE_CONTENT):
        url = page_url_of(sample_site.site, data["code"])
        page = head(sample_site.html(url))
        feedback = [href for href, text in page.links if text == "Góp ý về thủ tục này"]
        assert len(feedback) == 1, url
        parts = urlsplit(feedback[0])
        assert parts.scheme == "mailto"
        assert unquote(parts.path) == (data.get("email") or "gopy@mau.example.vn")
        query = parse_qs(parts.query)
        assert query["subject"] == [f"[{data['code']}] {data['title']}"]
        assert SITE_URL + url in query["body"][0]
        ratings = {text: href for href, text in page.links if text in ("Rất hài lòng", "Hài lòng", "Chưa hài lòng")}
        assert len(ratings) == 3
        for grade, href in ratings.items():
            body = parse_qs(urlsplit(href).query)["body"][0]
            assert f"Mức đánh giá: {grade}" in body and SITE_URL + url in body


def test_pages_are_minified_without_joining_words(sample_site: Project):
    html = sample_site.html("thu-tuc/dang-ky-khai-sinh-1-001193/")
    assert "\n    <" not in html and "<!--" not in html
    assert "Góp ý về thủ tục này" in html


# --- fixtures with their own configuration -------------------------------------------------------------------


def test_lastmod_falls_back_to_the_files_last_commit(tmp_path: Path):
    project = make_project(tmp_path / "p", FIXTURES / "minimal")
    env = dict(os.environ, GIT_AUTHOR_DATE="2021-03-04T10:00:00+07:00", GIT_COMMITTER_DATE="2021-03-04T10:00:00+07:00",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.vn", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.vn")
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "content"]):
        subprocess.run(command, cwd=project.root, check=True, env=env, capture_output=True)
    assert project.build().returncode == 0
    entries = sitemap(project.site)
    assert entries[SITE_URL + "thu-tuc/dang-ky-tam-tru-1-004194/"] == "2021-03-04"  # no `updated`: git date
    assert entries[SITE_URL + "thu-tuc/dang-ky-khai-sinh-1-001193/"] == "2025-06-01"  # `updated` wins
    assert entries[SITE_URL] == "2025-06-01"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A title that tries to break out of the JSON-LD script, a very short summary, and a rating endpoint."""
    project = make_project(tmp_path_factory.mktemp("hostile") / "p", FIXTURES / "minimal",
                           extra_config="")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace('rating_endpoint: ""', 'rating_endpoint: "https://gopy.example.vn/danh-gia"'),
                      "utf-8")
    file = project.content / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
    text = file.read_text("utf-8")
    text = text.replace("title: Đăng ký khai sinh\n", "title: \"Đăng ký khai sinh </script><!-- <b>x</b> & y\"\n", 1)
    text = re.sub(r"^summary: .*$", "summary: Khai sinh.", text, count=1, flags=re.MULTILINE)
    file.write_text(text, "utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def test_json_ld_cannot_be_broken_out_of(hostile_site: Project):
    files = list((hostile_site.site / "thu-tuc").glob("dang-ky-khai-sinh*/index.html"))
    html = files[0].read_text("utf-8")
    page = head(html)
    assert len(page.json_ld) == 1
    service = next(n for n in graph_nodes(page) if n["@type"] == "GovernmentService")
    assert service["name"] == "Đăng ký khai sinh </script><!-- <b>x</b> & y"
    assert "</script><!--" not in page.json_ld[0] and "<" not in page.json_ld[0]
    assert 50 <= len(page.meta["description"]) <= 160
    assert page.meta["description"].startswith("Khai sinh.")


def test_rating_endpoint_renders_a_post_form_with_three_grades(hostile_site: Project):
    page = head(hostile_site.html("thu-tuc/dang-ky-tam-tru-1-004194/"))
    assert {"action": "https://gopy.example.vn/danh-gia", "method": "post", "class": "rating-form"} in page.forms
    radios = [i for i in page.inputs if i.get("type") == "radio"]
    assert [r["value"] for r in radios] == ["Rất hài lòng", "Hài lòng", "Chưa hài lòng"]
    assert {r["name"] for r in radios} == {"muc_do"}
    assert {"type": "hidden", "name": "ma_thu_tuc", "value": "1.004194"} in page.inputs
    assert page.buttons >= 1
    # The feedback e-mail stays; the mailto ratings are replaced by the form.
    texts = [t for _h, t in page.links]
    assert "Góp ý về thủ tục này" in texts and "Rất hài lòng" not in texts


# --- units ----------------------------------------------------------------------------------------------------


def test_json_ld_escapes_markup_characters():
    text = str(json_ld({"name": "</script><!-- a & b \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": "</script><!-- a & b \u2028"}


@pytest.mark.parametrize("text", ["Ngắn.", "", "x" * 400, "Một câu mô tả vừa đủ dài để không cần thêm phần nào khác vào sau nó."])
def test_fit_description_is_always_between_50_and_160(text: str):
    assert 50 <= len(fit_description(text, "Thủ tục hành chính tỉnh Mẫu.")) <= 160
