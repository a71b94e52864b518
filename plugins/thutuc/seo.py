"""What search engines read: head metadata, JSON-LD, sitemap.xml and robots.txt. No MkDocs here."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from . import labels
from .model import Catalogue, Procedure
from .pages import SiteSettings
from .text import plain_text, shorten
from .urls import NOT_IN_SITEMAP, ROBOTS_TXT, SITEMAP_GZ, SITEMAP_XML

DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 160
# Pages that are not content: search results and the error page stay out of sitemap.xml.
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


def breadcrumb_list(trail: list[tuple[str, str]], current: str, current_url: str, settings: SiteSettings) -> dict:
    items = [(name, settings.absolute(url)) for name, url in trail] + [(current, settings.absolute(current_url))]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url} for index, (name, url) in enumerate(items, start=1)
        ],
    }


LANGUAGE = {"@type": "Language", "name": "Tiếng Việt", "alternateName": "vi"}


def _organization(agency) -> dict:
    data: dict = {"@type": "GovernmentOrganization", "name": agency.name}
    if agency.address:
        data["address"] = agency.address
    if agency.phone:
        data["telephone"] = agency.phone
    if agency.email:
        data["email"] = agency.email
    if agency.url:
        data["url"] = agency.url
    return data


def _channel(procedure: Procedure, method, page_url: str, implementing) -> dict:
    channel: dict = {
        "@type": "ServiceChannel",
        "name": f"{labels.CHANNELS[method.channel]}: {procedure.title}",
        "availableLanguage": LANGUAGE,
        "description": f"Thời hạn giải quyết: {plain_text(method.processing_time)}",
    }
    if method.channel == "online":
        channel["serviceUrl"] = procedure.online_url or page_url
    else:
        channel["serviceUrl"] = page_url
    first = implementing[0] if implementing else None
    if method.channel == "direct" and first is not None and first.address:
        channel["serviceLocation"] = {"@type": "Place", "name": first.name, "address": first.address}
    if method.channel == "postal" and first is not None and first.address:
        channel["servicePostalAddress"] = {"@type": "PostalAddress", "name": first.name, "streetAddress": first.address}
    if first is not None and first.phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": first.phone}
    return channel


def procedure_json_ld(procedure: Procedure, catalogue: Catalogue, settings: SiteSettings, trail: list[tuple[str, str]]) -> list[Markup]:
    """GovernmentService and BreadcrumbList for one procedure page."""
    page_url = settings.absolute(procedure.url)
    implementing = [catalogue.agencies[s] for s in procedure.agencies.get("implementing", ()) if s in catalogue.agencies]
    field = catalogue.fields.get(procedure.field)
    service: dict = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": procedure.title,
        "identifier": procedure.code,
        "description": procedure.description(),
        "url": page_url,
        "serviceType": field.name if field else procedure.field,
        "availableChannel": [_channel(procedure, m, page_url, implementing) for m in procedure.methods],
    }
    if implementing:
        providers = [_organization(a) for a in implementing]
        service["provider"] = providers[0] if len(providers) == 1 else providers
    if settings.area_served:
        service["areaServed"] = {"@type": "AdministrativeArea", "name": settings.area_served}
    if procedure.audiences:
        service["audience"] = [{"@type": "Audience", "audienceType": labels.AUDIENCES[a]} for a in procedure.audiences]
    if settings.owner_name:
        service["broker"] = {"@type": "GovernmentOrganization", "name": settings.owner_name}
    return [json_ld(service), json_ld(breadcrumb_list(trail, procedure.title, procedure.url, settings))]


@dataclass
class HeadMeta:
    """The <head> of one page: unique title, description, canonical URL and Open Graph."""

    title: str
    description: str
    canonical: str
    og_type: str
    site_name: str
    locale: str = "vi_VN"


def head_meta(page_title: str, site_name: str, description: str, canonical: str, *, is_home: bool, og_type: str = "website") -> HeadMeta:
    title = site_name if is_home or not page_title else f"{page_title} - {site_name}"
    return HeadMeta(title, fit_description(description, f"{page_title}. {site_name}." if page_title else site_name), canonical, og_type,
                    site_name)


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
