"""What search engines read: head metadata, JSON-LD, sitemap.xml and robots.txt. No MkDocs here."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from ..content.model import Catalogue, Procedure
from ..content.urls import NOT_IN_SITEMAP, ROBOTS_TXT, SITEMAP_GZ, SITEMAP_XML
from ..vi import labels
from ..vi.text import fold, plain_text, shorten

DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 160
PROCEDURE_DESCRIPTION_MAX = 155  # what a search result shows before it cuts the snippet itself
TITLE_MAX = 60
GENERIC_TAIL = "Hướng dẫn trình tự, hồ sơ, thời hạn, phí, lệ phí và biểu mẫu thủ tục hành chính."


def fit_description(text: str, tail: str = "") -> str:
    """A meta description of 50–160 characters: too short gets the tail (then a generic one), too long is cut."""
    result = re.sub(r"\s+", " ", plain_text(text or "")).strip()
    for extra in (tail, GENERIC_TAIL):
        if len(result) >= DESCRIPTION_MIN:
            break
        if extra:
            result = f"{result.rstrip()} {extra}".strip() if result else extra
    return shorten(result, DESCRIPTION_MAX)


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json">: nothing in the data can close the script or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # U+2028/2029 are valid JSON but were line terminators in older JavaScript parsers.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def cut_clauses(text: str, limit: int) -> str:
    """At most limit characters: whole clauses ("; ") while they fit, else cut at a word with "…"; never "..".
    """
    text = re.sub(r"\.{2,}$", ".", text.strip())
    if len(text) <= limit:
        return text
    clauses = text.rstrip(".").split("; ")
    while len(clauses) > 1 and len("; ".join(clauses)) + 1 > limit:
        clauses.pop()
    kept = "; ".join(clauses).rstrip(",;: ") + "."
    return kept if len(kept) <= limit else shorten(text, limit)


def _repeats_name(summary: str, title: str) -> bool:
    """A summary that is the name again, or the name cut off ("Đăng ký đất đai, tài sản gắn…")."""
    folded, name = fold(summary).strip(" .…"), fold(title).strip(" .…")
    return not folded or name.startswith(folded) or (folded.startswith(name) and len(folded) < len(name) + 15)


def _fee_fact(procedure: Procedure) -> str:
    fees = [f for m in procedure.methods for f in m.fees]
    paid = sorted({f.amount for f in fees if f.amount})
    if len(paid) == 1:
        return f"phí, lệ phí {labels.money(paid[0])}"
    if paid:
        return f"phí, lệ phí từ {labels.money(paid[0])} đến {labels.money(paid[-1])}"
    if any(f.amount is None for f in fees):
        return "phí, lệ phí theo quy định"
    return "không mất phí, lệ phí"


def _time_fact(text: str, limit: int = 45) -> str:
    """The time limit's first clause without its usual tail ("kể từ ngày nhận đủ hồ sơ hợp lệ")."""
    clause = re.split(r"[;.](?:\s|$)", plain_text(text), maxsplit=1)[0]
    clause = re.split(r",? kể từ | tính từ ", clause, maxsplit=1)[0].strip()
    if clause[:1].isupper() and not clause[1:2].isupper():
        clause = clause[:1].lower() + clause[1:]
    return shorten(clause, limit)


HOW = {"direct": "trực tiếp", "postal": "qua bưu chính", "online": "trực tuyến"}


def fact_description(procedure: Procedure, catalogue: Catalogue) -> str:
    """What a searcher wants before clicking, most wanted first (cut_clauses drops from the end): the time
    limit, the fee, how and where to submit, and online submission."""
    where = [catalogue.agencies[s].name for s in procedure.agencies.get("implementing", ()) if s in catalogue.agencies]
    channels = [HOW[m.channel] for m in procedure.methods]
    how = ", ".join(channels[:-1]) + f" hoặc {channels[-1]}" if len(channels) > 1 else "".join(channels)
    parts = [f"{procedure.display_title}: thời hạn {_time_fact(procedure.processing_time)}", _fee_fact(procedure),
             f"nộp hồ sơ {how}" + (f" tại {where[0]}" if where else "")]
    if procedure.online_url:
        parts.append("nộp trực tuyến trên Cổng Dịch vụ công")
    return "; ".join(parts) + "."


def procedure_description(procedure: Procedure, catalogue: Catalogue) -> str:
    """The page's meta description: the summary when it says something, else the facts; within 155 characters."""
    summary = plain_text(procedure.summary)
    if summary and not _repeats_name(summary, procedure.title):
        text = summary if len(summary) >= DESCRIPTION_MIN else f"{summary.rstrip()} {fact_description(procedure, catalogue)}"
    else:
        text = fact_description(procedure, catalogue)
    return cut_clauses(text, PROCEDURE_DESCRIPTION_MAX)


def page_title(name: str, suffix: str) -> str:
    """"Name - suffix" within 60 characters; a longer name goes without the suffix, cut at a word if need be
    (procedures with very long official names have a short_title)."""
    full = f"{name} - {suffix}" if suffix else name
    return full if len(full) <= TITLE_MAX else shorten(name, TITLE_MAX)


@dataclass
class HeadMeta:
    """The <head> of one page: unique title, description, canonical URL, robots and Open Graph."""

    title: str
    description: str
    canonical: str
    og_type: str
    site_name: str
    locale: str = "vi_VN"
    robots: str = ""  # "noindex,follow" on pages left out of sitemap.xml
    image: str = ""  # absolute URL of the 1200x630 og:image
    image_alt: str = ""


def head_meta(page_title_: str, site_name: str, description: str, canonical: str, *, is_home: bool, suffix: str = "",
              og_type: str = "website") -> HeadMeta:
    title = site_name if is_home or not page_title_ else page_title(page_title_, suffix or site_name)
    return HeadMeta(title, fit_description(description, f"{page_title_}. {site_name}." if page_title_ else site_name), canonical,
                    og_type, site_name)


def sitemap_xml(entries: list[tuple[str, str]]) -> str:
    """<urlset> with one <url> per (absolute URL, lastmod); lastmod is omitted when the content has no date."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in entries:
        line = f"<url><loc>{xml_escape(url)}</loc>"
        if lastmod:
            line += f"<lastmod>{xml_escape(lastmod[:10])}</lastmod>"
        lines.append(line + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(site_dir: Path, entries: list[tuple[str, str]], site_url: str) -> None:
    """Replace MkDocs' sitemap (which dates every page with the build time) with ours, plus robots.txt."""
    xml = sitemap_xml(entries).encode("utf-8")
    (site_dir / SITEMAP_XML).write_bytes(xml)
    # mtime=0: the same content always gives the same bytes.
    (site_dir / SITEMAP_GZ).write_bytes(gzip.compress(xml, mtime=0))
    base = site_url.rstrip("/") + "/" if site_url else "/"
    (site_dir / ROBOTS_TXT).write_text(f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP_XML}\n", "utf-8")


def in_sitemap(url: str) -> bool:
    return not url.startswith(NOT_IN_SITEMAP)
