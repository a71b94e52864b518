"""What search engines read on every built page: titles, descriptions, robots and sitemap, JSON-LD parsed
with extruct (a structured-data extractor, as crawlers' tools read it), og:image cards, index pages."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import extruct
import pytest
import yaml
from PIL import Image
from sitecheck import content_pages, published_asset

from conftest import REPO, SAMPLE_CONTENT, Project
from thutuc.render.helper_process import start_helper
from thutuc.site.og_image import ImageCache, page_images, render
from thutuc.site.seo import cut_clauses
from thutuc.vi.text import procedure_slug

SITE_URL = "https://thutuc.mau.example.vn/"


def pages(site: Path) -> dict[str, str]:
    """Site path ("thu-tuc/x/", "" for home, "404.html") -> HTML, for every HTML file of the site."""
    found = {}
    for file in content_pages(sorted(site.rglob("*.html"))):
        relative = file.relative_to(site).as_posix()
        found[relative[: -len("index.html")] if relative.endswith("index.html") else relative] = file.read_text("utf-8")
    return found


def meta(html: str, key: str) -> str | None:
    """A <meta name|property=key content=…> value, whatever the attribute order and quoting."""
    for tag in re.findall(r"<meta\b[^>]*>", html):
        attrs = dict((k, unescape(v1 or v2 or v3)) for k, v1, v2, v3 in
                     re.findall(r'([\w:-]+)=(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+))', tag))
        if attrs.get("name") == key or attrs.get("property") == key:
            return attrs.get("content", "")
    return None


def title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def sitemap_urls(site: Path) -> set[str]:
    return set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8")))


def nodes_of(html: str, url: str) -> list[dict]:
    """Every JSON-LD node of the page, as extruct reads it, @graph flattened."""
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
    out = []
    for block in data:
        out += block.get("@graph", [block])
    return out


@pytest.fixture(scope="module")
def site_pages(sample_site: Project) -> dict[str, str]:
    return pages(sample_site.site)


def procedures() -> list[dict]:
    """The sample's procedures in force; abolished ones are notices without a service (test_lifecycle.py)."""
    found = [yaml.safe_load(p.read_text("utf-8")) for p in sorted((SAMPLE_CONTENT / "procedures").rglob("*.yml"))]
    return [data for data in found if data.get("status") != "abolished"]


def test_one_rule_indexable_pages_are_in_the_sitemap_all_others_noindex(sample_site: Project, site_pages: dict[str, str]):
    listed = sitemap_urls(sample_site.site)
    dated = re.findall(r"<url><loc>[^<]+</loc><lastmod>\d{4}-\d\d-\d\d</lastmod></url>", (sample_site.site / "sitemap.xml").read_text())
    assert len(dated) == len(listed), "every sitemap entry has a lastmod"
    for path, html in site_pages.items():
        robots = meta(html, "robots") or ""
        if SITE_URL + path in listed:
            assert "noindex" not in robots, path
        else:
            assert "noindex" in robots, f"/{path} is neither in sitemap.xml nor noindex"
    assert meta(site_pages["bao-cao-noi-dung/"], "robots") == "noindex"
    # The search page is listed (Lighthouse's SEO audit fails any noindex page), canonical without ?q=.
    assert {SITE_URL + "thu-tuc/", SITE_URL + "bieu-mau/", SITE_URL + "tim-kiem/"} <= listed


def test_titles_fit_and_descriptions_follow_the_rules(site_pages: dict[str, str]):
    for path, html in site_pages.items():
        if path.startswith("admin/"):  # the editors' tool (Decap CMS), noindex
            continue
        assert len(title(html)) <= 60, (path, title(html))
        description = meta(html, "description")
        assert description and 50 <= len(description) <= 160 and not description.endswith(".."), (path, description)
    procedure_pages = {p: h for p, h in site_pages.items() if p.startswith("thu-tuc/") and p != "thu-tuc/"}
    suffixed = [title(h) for h in procedure_pages.values() if title(h).endswith(" - UBND tỉnh Mẫu")]
    assert len(suffixed) > len(procedure_pages) / 2  # the suffix is left out only where it would pass 60
    for data in procedures():
        html = procedure_pages[f"thu-tuc/{procedure_slug(data['title'], data['code'])}/"]
        description = meta(html, "description")
        assert len(description) <= 155
        # The official name stays the h1; a short_title names the page in <title> and the breadcrumb.
        assert unescape(re.search(r"<h1>(.*?)</h1>", html).group(1)) == data["title"]
        name = data.get("short_title") or data["title"]
        assert title(html) in (f"{name} - UBND tỉnh Mẫu", name), title(html)
        if not data.get("summary"):  # the facts a searcher wants instead of the name again
            assert "thời hạn" in description and "phí" in description and description.endswith("."), description


def test_long_official_names_have_a_short_title_in_the_sample():
    for data in procedures():
        if len(data["title"]) > 60:
            assert data.get("short_title"), data["code"]


def test_every_page_has_parsable_json_ld_and_procedures_one_linked_graph(site_pages: dict[str, str]):
    by_path = {f"thu-tuc/{procedure_slug(d['title'], d['code'])}/": d for d in procedures()}
    for path, html in site_pages.items():
        if path in ("404.html",) or path.startswith("admin/"):
            continue
        nodes = nodes_of(html, SITE_URL + path)
        types = {n.get("@type") for n in nodes}
        if path == "":
            assert {"WebSite", "GovernmentOrganization"} <= types
            continue
        assert "BreadcrumbList" in types, path  # every page but home shows a breadcrumb
        if path not in by_path:
            continue
        data = by_path[path]
        assert "broker" not in html
        ids = {n["@id"]: n for n in nodes if "@id" in n}
        page = next(n for n in nodes if n["@type"] == "WebPage")
        assert page["@id"] == SITE_URL + path and re.fullmatch(r"\d{4}-\d\d-\d\d", page["dateModified"])
        service = ids[page["mainEntity"]["@id"]]
        assert service["@type"] == "GovernmentService" and ids[page["publisher"]["@id"]]["@type"] == "GovernmentOrganization"
        assert ids[page["breadcrumb"]["@id"]]["@type"] == "BreadcrumbList"
        assert service["identifier"] == {"@type": "PropertyValue", "propertyID": "Mã thủ tục hành chính", "value": data["code"]}
        assert service["sameAs"].endswith("ma_thu_tuc=" + data["code"])
        for role in ("provider", "serviceOperator"):
            for ref in service[role]:
                agency = ids[ref["@id"]]
                assert agency["@type"] == "GovernmentOrganization" and agency["url"].startswith(SITE_URL + "co-quan/")
        channels = {c["name"].split(":")[0]: c for c in service["availableChannel"]}
        submit = re.search(r'<a class="?button"? href="?([^" >]+)"?[^>]*>Nộp trực tuyến', html)
        for channel in service["availableChannel"]:
            assert channel["processingTime"]
            if channel["name"].startswith("Trực tuyến") and submit:
                assert channel["serviceUrl"] == unescape(submit.group(1))
            else:  # in-person and postal channels never point at the page itself
                assert "serviceUrl" not in channel or not channel["serviceUrl"].startswith(SITE_URL)
        if "Trực tiếp" in channels:
            assert channels["Trực tiếp"]["serviceLocation"]["@type"] == "Place"
        amounts = [f["amount"] for m in data["methods"] for f in m["fees"] if f["amount"] is not None]
        assert [o["price"] for o in service.get("offers", [])] == amounts
        assert all(o["priceCurrency"] == "VND" for o in service.get("offers", []))


def test_og_image_is_a_1200x630_png_of_the_page(sample_site: Project, site_pages: dict[str, str]):
    for path in ("", "thu-tuc/dang-ky-khai-sinh-1-001193/", "tim-kiem/"):
        html = site_pages[path]
        url = meta(html, "og:image")
        assert url and url.startswith(SITE_URL + "assets/og/"), path
        assert meta(html, "twitter:card") == "summary_large_image"
        assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630") and meta(html, "og:image:alt")
        image = Image.open(io.BytesIO((sample_site.site / url[len(SITE_URL):]).read_bytes()))
        assert image.format == "PNG" and image.size == (1200, 630)
    assert meta(site_pages["thu-tuc/dang-ky-khai-sinh-1-001193/"], "og:image").endswith("/dang-ky-khai-sinh-1-001193.png")
    # Reproducible: the same text always gives the same bytes.
    assert render("Tỉnh Mẫu", "Đăng ký khai sinh") == render("Tỉnh Mẫu", "Đăng ký khai sinh")


def test_index_pages_list_every_procedure_and_every_form(sample_site: Project, site_pages: dict[str, str]):
    def targets(path: str) -> set[str]:
        hrefs = re.findall(r'href="?([^" >]+)', site_pages[path])
        return {urljoin(SITE_URL + path, unescape(h))[len(SITE_URL):] for h in hrefs}

    listed = targets("thu-tuc/")
    for data in procedures():
        if data.get("status") == "abolished":  # a notice, left out of lists (test_lifecycle.py)
            continue
        assert f"thu-tuc/{procedure_slug(data['title'], data['code'])}/" in listed
    downloads = {p.relative_to(sample_site.site).as_posix() for p in (sample_site.site / "bieu-mau").rglob("*") if p.suffix
                 in (".docx", ".odt", ".pdf", ".doc", ".xlsx")}
    assert downloads and downloads <= targets("bieu-mau/")
    menu = re.search(r'class="?portal-menu"?.*?</nav>', site_pages["gioi-thieu/"], re.S).group(0)
    assert "../thu-tuc/" in menu and "../bieu-mau/" in menu


def test_search_js_is_minified(sample_site: Project):
    shipped = published_asset(sample_site.site, "assets/js/search.js").read_text("utf-8")
    source = (REPO / "theme/assets/js/search.js").read_text("utf-8")
    assert len(shipped) < 0.8 * len(source) and "\n// " not in shipped and "NORMALISE_LABEL" in shipped


# --- units ----------------------------------------------------------------------------------------------------


def test_slugs_are_cut_at_a_word_boundary():
    title = "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu"
    slug = procedure_slug(title, "1.012787")
    # Whole words, in order, from the start of the title: never "…gan-lie", never skipping a word.
    assert slug == "cap-giay-chung-nhan-quyen-su-dung-dat-quyen-so-huu-nha-o-va-tai-san-khac-gan-1-012787"
    assert procedure_slug("Đăng ký khai sinh", "1.001193") == "dang-ky-khai-sinh-1-001193"


@pytest.mark.parametrize("text", ["Một. Hai..", "a; " * 80 + "b.", "Câu rất dài " * 30])
def test_cut_clauses_never_ends_in_two_dots(text: str):
    cut = cut_clauses(text, 155)
    assert len(cut) <= 155 and not cut.endswith("..")


def test_cards_drawn_in_the_helper_process_are_the_cards_drawn_here(tmp_path: Path):
    titles = {f"thu-tuc-{i}": f"Thủ tục số {i} về hộ tịch" for i in range(20)}
    alone = page_images("Tỉnh Mẫu", titles, ImageCache(None))
    submitted = []
    cache = ImageCache(tmp_path / "og")
    with start_helper() as pool:
        class Counting:  # the build's helper process, counting what it is given
            def submit(self, fn, *args):
                submitted.append(len(args[1]))
                return pool.submit(fn, *args)

        shared = page_images("Tỉnh Mẫu", titles, cache, Counting())
    assert shared == alone  # the same bytes, whichever process drew them
    assert submitted == [10] and cache.drawn == 21  # half of the 20 missing cards there, the rest and the site card here
    assert len(list((tmp_path / "og").glob("*.png"))) == 21
    again = ImageCache(tmp_path / "og")
    assert page_images("Tỉnh Mẫu", titles, again, Counting()) == alone and again.drawn == 0 and submitted == [10]
