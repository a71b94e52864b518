"""schema.org JSON-LD as one linked @graph per page: every node has an @id and refers to others by it.

Procedure pages: WebPage -> mainEntity GovernmentService -> provider/serviceOperator (agency pages),
offers (fees in VND per channel), availableChannel (ServiceChannel) and the BreadcrumbList.
The home page: WebSite and the portal owner's GovernmentOrganization. No MkDocs here.
"""

from __future__ import annotations

from ..content import urls
from ..content.model import Agency, Catalogue, Procedure
from ..vi import labels
from ..vi.text import plain_text
from .pages import SiteSettings

CONTEXT = "https://schema.org"
LANGUAGE = {"@type": "Language", "name": "Tiếng Việt", "alternateName": "vi"}
LOGO = "assets/images/logo.svg"


def agency_url(slug: str) -> str:
    """The agency's list page (browse.by_agency): where provider and serviceOperator point."""
    return f"co-quan/{slug}/"


def owner_id(settings: SiteSettings) -> str:
    return settings.absolute("") + "#co-quan-chu-quan"


def website_id(settings: SiteSettings) -> str:
    return settings.absolute("") + "#website"


def _contact(node: dict, address: str, phone: str, email: str) -> None:
    """The organisation's postal address, telephone and e-mail, each when known."""
    if address:
        node["address"] = {"@type": "PostalAddress", "streetAddress": address}
    if phone:
        node["telephone"] = phone
    if email:
        node["email"] = email


def owner_node(settings: SiteSettings, site_name: str) -> dict:
    """The portal owner (Circular 32/2017 Art. 16): publisher of every page."""
    node: dict = {"@type": "GovernmentOrganization", "@id": owner_id(settings), "name": settings.owner_name or site_name,
                  "url": settings.absolute(""), "logo": settings.absolute(LOGO)}
    _contact(node, settings.owner_address, settings.owner_phone, settings.owner_email)
    if settings.area_served:
        node["areaServed"] = {"@type": "AdministrativeArea", "name": settings.area_served}
    return node


def breadcrumb_node(trail: list[tuple[str, str]], current: str, current_url: str, settings: SiteSettings) -> dict:
    items = [(name, settings.absolute(url)) for name, url in trail] + [(current, settings.absolute(current_url))]
    return {
        "@type": "BreadcrumbList",
        "@id": settings.absolute(current_url) + "#duong-dan",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url} for index, (name, url) in enumerate(items, start=1)
        ],
    }


def graph(nodes: list[dict]) -> dict:
    return {"@context": CONTEXT, "@graph": nodes}


def home_graph(settings: SiteSettings, site_name: str, description: str) -> dict:
    site = {
        "@type": "WebSite", "@id": website_id(settings), "url": settings.absolute(""), "name": site_name,
        "description": description, "inLanguage": "vi", "publisher": {"@id": owner_id(settings)},
        "potentialAction": {"@type": "SearchAction", "target": settings.absolute(urls.SEARCH) + "?q={search_term_string}",
                            "query-input": "required name=search_term_string"},
    }
    return graph([site, owner_node(settings, site_name)])


def _agency_node(agency: Agency, settings: SiteSettings) -> dict:
    url = settings.absolute(agency_url(agency.slug))
    node: dict = {"@type": "GovernmentOrganization", "@id": url + "#co-quan", "name": agency.name, "url": url}
    _contact(node, agency.address, agency.phone, agency.email)
    if agency.url:
        node["sameAs"] = agency.url  # the agency's own website
    return node


def _channel(procedure: Procedure, method, first: Agency | None) -> dict:
    channel: dict = {
        "@type": "ServiceChannel",
        "name": f"{labels.CHANNELS[method.channel]}: {procedure.display_title}",
        "availableLanguage": LANGUAGE,
        "processingTime": plain_text(method.processing_time),
    }
    # Only the online channel has an address of its own: the real submission link, never this page.
    if method.channel == "online" and procedure.online_url:
        channel["serviceUrl"] = procedure.online_url
    if first is not None:
        if method.channel == "direct":
            channel["serviceLocation"] = {"@type": "Place", "name": first.name}
            if first.address:
                channel["serviceLocation"]["address"] = {"@type": "PostalAddress", "streetAddress": first.address}
        if method.channel == "postal" and first.address:
            channel["servicePostalAddress"] = {"@type": "PostalAddress", "name": first.name, "streetAddress": first.address}
        if first.phone:
            channel["servicePhone"] = {"@type": "ContactPoint", "telephone": first.phone, "name": first.name}
    return channel


def _offers(procedure: Procedure) -> list[dict]:
    """One Offer per fee whose amount is known, named after its channel."""
    offers = []
    for method in procedure.methods:
        for fee in method.fees:
            if fee.amount is None:
                continue
            offer = {"@type": "Offer", "name": f"{labels.FEE_KINDS[fee.kind]} ({labels.CHANNELS[method.channel].lower()})",
                     "price": fee.amount, "priceCurrency": "VND"}
            if fee.text or fee.note:
                offer["description"] = plain_text(" ".join(t for t in (fee.text, fee.note) if t))
            offers.append(offer)
    return offers


def national_page(procedure: Procedure, settings: SiteSettings) -> str:
    """The national portal's page for the code, from the configured pattern (plugins.thutuc.national_page_url)."""
    return settings.national_page_url.replace("{code}", procedure.code) if settings.national_page_url else ""


def procedure_graph(procedure: Procedure, catalogue: Catalogue, settings: SiteSettings, description: str, lastmod: str,
                    trail: list[tuple[str, str]], site_name: str) -> dict:
    """WebPage, GovernmentService, the agencies, the owner and the BreadcrumbList of one procedure page."""
    page_url = settings.absolute(procedure.url)
    service_id = page_url + "#thu-tuc"
    implementing = [catalogue.agencies[s] for s in procedure.agencies.get("implementing", ()) if s in catalogue.agencies]
    competent = [catalogue.agencies[s] for s in procedure.agencies.get("competent", ()) if s in catalogue.agencies]
    field = catalogue.fields.get(procedure.field)
    crumbs = breadcrumb_node(trail, procedure.display_title, procedure.url, settings)
    page: dict = {
        "@type": "WebPage", "@id": page_url, "url": page_url, "name": procedure.display_title, "description": description,
        "inLanguage": "vi", "isPartOf": {"@id": website_id(settings)}, "publisher": {"@id": owner_id(settings)},
        "breadcrumb": {"@id": crumbs["@id"]}, "mainEntity": {"@id": service_id},
    }
    if lastmod:
        page["dateModified"] = lastmod
    service: dict = {
        "@type": "GovernmentService", "@id": service_id, "name": procedure.title,
        "identifier": {"@type": "PropertyValue", "propertyID": "Mã thủ tục hành chính", "value": procedure.code},
        "description": description, "url": page_url, "mainEntityOfPage": {"@id": page_url},
        "serviceType": field.name if field else procedure.field,
        "availableChannel": [_channel(procedure, m, implementing[0] if implementing else None) for m in procedure.methods],
    }
    if procedure.short_title:
        service["alternateName"] = procedure.short_title
    # Competent agencies decide (provider); implementing ones receive and process the dossier (serviceOperator).
    providers = competent or implementing
    if providers:
        service["provider"] = [{"@id": settings.absolute(agency_url(a.slug)) + "#co-quan"} for a in providers]
    if implementing:
        service["serviceOperator"] = [{"@id": settings.absolute(agency_url(a.slug)) + "#co-quan"} for a in implementing]
    offers = _offers(procedure)
    if offers:
        service["offers"] = offers
    if settings.area_served:
        service["areaServed"] = {"@type": "AdministrativeArea", "name": settings.area_served}
    if procedure.audiences:
        service["audience"] = [{"@type": "Audience", "audienceType": labels.AUDIENCES[a]} for a in procedure.audiences]
    if national_page(procedure, settings):
        service["sameAs"] = national_page(procedure, settings)
    agencies = {a.slug: a for a in (*providers, *implementing)}
    nodes = [page, service, *(_agency_node(a, settings) for a in agencies.values()), owner_node(settings, site_name), crumbs]
    return graph(nodes)
