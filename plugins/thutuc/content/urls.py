"""Every public address of the site, in one place.

Site-relative, without a leading slash, with a trailing slash for pages ("thu-tuc/x/"); "" is the home
page. Published addresses are a promise to citizens and search engines: change them only here, and
only on purpose. Templates read these through the `urls` Jinja global (host/plugin.py).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .formfiles import DEFINITION_SUFFIX

HOME = ""
PROCEDURES = "thu-tuc"  # thu-tuc/<slug>/
SEARCH = "tim-kiem/"  # the results page; search.js reads ?q=
SITE_MAP = "so-do-cong/"  # the HTML site map (sitemap.xml is SITEMAP_XML)
STATISTICS = "thong-ke/"  # Art. 11.3 figures, and the CSV download beside it
CHANGES = "thay-doi/"  # "Thủ tục mới và thay đổi" (changes.py), linked from the home page and the site map
CHANGES_FEED = CHANGES + "feed.xml"  # its Atom feed, announced on every page
CONTENT_REPORT = "bao-cao-noi-dung/"  # for editors, not linked, noindex
FORMS = "bieu-mau/"  # form files: content/forms/<field>/<x>.docx -> bieu-mau/<field>/<x>.docx
SEARCH_INDEX = "assets/search/index.json"
SEARCH_DOCS = "assets/search/docs.json"
SITEMAP_XML = "sitemap.xml"
SITEMAP_GZ = "sitemap.xml.gz"
ROBOTS_TXT = "robots.txt"
ERROR_PAGE = "404.html"
INDEX_PAGES = {PROCEDURES + "/": "Thủ tục hành chính", FORMS: "Biểu mẫu, tờ khai"}  # index_pages.py
PORTAL_PAGES = {"gioi-thieu/": "Giới thiệu", "dich-vu-cong-truc-tuyen/": "Dịch vụ công trực tuyến"}

# Browse paths: the first part of the address of the overview page and of its lists (<key>/<slug>/).
FIELDS = "linh-vuc"
AGENCIES = "co-quan"
LEVELS = "cap"
AUDIENCES = "danh-cho"
LIFE_EVENTS = "su-kien"
A_TO_Z = "a-z"

# The error page stays out of sitemap.xml (it is noindex); the search page is listed (seo.md says why).
NOT_IN_SITEMAP = (ERROR_PAGE,)


def procedure_url(slug: str) -> str:
    return f"{PROCEDURES}/{slug}/"


def browse_url(key: str) -> str:
    """The overview page of a browse path: "co-quan/"."""
    return f"{key}/"


def list_url(key: str, slug: str) -> str:
    """One list of a browse path: "co-quan/ubnd-xa/", "a-z/b/"."""
    return f"{key}/{slug}/"


def field_url(slug: str) -> str:
    return list_url(FIELDS, slug)


def doc_page_url(src_uri: str) -> str:
    """The address of an authored page of content/pages: "gioi-thieu.md" -> "gioi-thieu/"."""
    if src_uri == "index.md" or src_uri.endswith("/index.md"):
        return src_uri[: -len("index.md")]
    return src_uri[: -len(".md")] + "/"


# Generated pages that search finds besides the procedures (with every authored page).
SEARCHABLE = (STATISTICS, SITE_MAP, browse_url(A_TO_Z), browse_url(FIELDS))


def statistics_excel_csv_url(csv_name: str) -> str:
    """The same figures for Excel set to Vietnamese: "thong-ke-2026.csv" -> "thong-ke/thong-ke-2026-excel.csv"."""
    return STATISTICS + csv_name.removesuffix(".csv") + "-excel.csv"


def form_file_url(written: str) -> str:
    """Stable public URL of a form file: content/forms/ho-tich/x.docx -> bieu-mau/ho-tich/x.docx."""
    path = PurePosixPath(written)
    parts = path.parts[1:] if path.parts and path.parts[0] == "forms" else path.parts
    return FORMS + "/".join(parts)


def form_fill_url(definition: str) -> str:
    """The fill-in page of a form definition: forms/ho-tich/x.form.yml -> bieu-mau/ho-tich/x/dien/."""
    return form_file_url(definition.removesuffix(DEFINITION_SUFFIX)) + "/dien/"


def statistics_csv_url(csv_name: str) -> str:
    return STATISTICS + csv_name
