"""Browse paths of the catalogue: lists by field, agency, authority level, audience, life event and A–Z.

Every list links straight to procedures and never paginates, so a procedure is at most two clicks from
the home page (home -> list -> procedure); linkgraph.py proves it on the built HTML. This module
decides what each list holds; the page builders at the bottom turn that into PageSpecs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content.model import Catalogue, Procedure
from ..content.urls import (
    A_TO_Z,
    AGENCIES,
    AUDIENCES,
    FIELDS,
    INDEX_PAGES,
    LEVELS,
    LIFE_EVENTS,
    PORTAL_PAGES,
    SEARCH,
    browse_url,
    field_url,
    list_url,
)
from ..content.urls import CHANGES as CHANGES_URL
from ..content.urls import SITE_MAP as SITE_MAP_URL
from ..vi import labels
from ..vi.collation import alphabet_letters, collation_key, first_letter, letter_label, letter_slug, sort_vi
from .pages import field_views

HOME: tuple[str, str] = ("Trang chủ", "")
AUDIENCE_SLUGS = {"citizen": "cong-dan", "business": "doanh-nghiep"}
# Roles that make an agency a place where a citizen deals with the procedure (coordinating ones do not).
AGENCY_ROLES = ("implementing", "competent", "authorized")
MOST_USED_LIMIT = 8  # size of the derived "most-used procedures" block when mkdocs.yml names none


@dataclass
class Item:
    """One link in a list: a procedure, a list page or a section."""

    label: str
    url: str
    meta: str = ""


@dataclass
class Group:
    heading: str
    items: list[Item]
    id: str = ""
    url: str = ""  # the heading links here when set


@dataclass
class Listing:
    """What list.html prints: a heading, an optional lead and facts, then groups of links."""

    title: str
    lead: str = ""
    groups: list[Group] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    letters: list[Item] = field(default_factory=list)  # the A–Z bar on A–Z pages
    current_letter: str = ""
    empty_text: str = "Chưa có thủ tục nào."


@dataclass
class BrowseList:
    """One list page of a browse path, e.g. the procedures of one agency."""

    slug: str
    url: str
    name: str
    description: str
    procedures: list[Procedure]


@dataclass
class BrowsePath:
    """One way into the catalogue (Cơ quan, Cấp thực hiện, …) with its list pages."""

    key: str  # URL prefix and anchor id: "co-quan"
    title: str  # "Cơ quan giải quyết"
    heading: str  # on the home page: "Thủ tục theo cơ quan"
    lead: str
    lists: list[BrowseList]
    list_title: Callable[[str], str] = field(default=lambda name: name)  # h1 of a list page, from the list's name

    @property
    def url(self) -> str:
        return browse_url(self.key)

    def item(self, browse_list: BrowseList) -> Item:
        return Item(browse_list.name, browse_list.url, f"{len(browse_list.procedures)} thủ tục")


def procedure_item(procedure: Procedure, catalogue: Catalogue) -> Item:
    field_item = catalogue.fields.get(procedure.field)
    meta = f"Mã {procedure.code} · {labels.LEVELS.get(procedure.level, procedure.level)} · {procedure.submission}"
    if field_item:
        meta += f" · {field_item.name}"
    if procedure.upcoming_note:
        meta += f" · {procedure.upcoming_note}"
    return Item(procedure.display_title, procedure.url, meta)


def _sorted_procedures(procedures) -> list[Procedure]:
    return sorted(procedures, key=lambda p: collation_key(p.display_title))


# -- the browse paths ---------------------------------------------------------------------------------


def by_field(catalogue: Catalogue) -> BrowsePath:
    lists = [
        BrowseList(view.field.slug, view.url, view.field.name, view.field.description, view.procedures)
        for view in field_views(catalogue)
    ]
    return BrowsePath(FIELDS, "Lĩnh vực", "Thủ tục theo lĩnh vực", "Các lĩnh vực có thủ tục hành chính được công khai.", lists,
                      lambda name: f"Lĩnh vực {name}")


def by_agency(catalogue: Catalogue) -> BrowsePath:
    members: dict[str, list[Procedure]] = {slug: [] for slug in catalogue.agencies}
    for procedure in catalogue.procedures:
        seen = {slug for role in AGENCY_ROLES for slug in procedure.agencies.get(role, ()) if slug in members}
        for slug in seen:
            members[slug].append(procedure)
    lists = [
        BrowseList(slug, list_url(AGENCIES, slug), agency.name, _agency_description(agency), _sorted_procedures(members[slug]))
        for slug, agency in catalogue.agencies.items()
        if members[slug]
    ]
    return BrowsePath(AGENCIES, "Cơ quan giải quyết", "Thủ tục theo cơ quan",
                      "Các cơ quan thực hiện, có thẩm quyền hoặc được ủy quyền giải quyết thủ tục.", sort_vi(lists, lambda b: b.name))


def _agency_description(agency) -> str:
    parts = []
    if agency.address:
        parts.append(f"Địa chỉ: {agency.address}")
    if agency.phone:
        parts.append(f"Điện thoại: {agency.phone}")
    return ". ".join(parts)


def by_level(catalogue: Catalogue, authority_levels: dict[str, str]) -> BrowsePath:
    # Levels keep the order of the configuration (central to local), not the alphabet.
    lists = []
    for slug, name in authority_levels.items():
        procedures = [p for p in catalogue.procedures if slug in p.authority_levels]
        if procedures:
            lists.append(BrowseList(slug, list_url(LEVELS, slug), name, "", _sorted_procedures(procedures)))
    return BrowsePath(LEVELS, "Cấp thực hiện", "Thủ tục theo cấp thực hiện", "Thủ tục theo cấp chính quyền giải quyết.", lists,
                      lambda name: f"Thủ tục {name[:1].lower() + name[1:]}")


def by_audience(catalogue: Catalogue) -> BrowsePath:
    lists = []
    for value, slug in AUDIENCE_SLUGS.items():
        procedures = [p for p in catalogue.procedures if value in p.audiences]
        if procedures:
            lists.append(BrowseList(slug, list_url(AUDIENCES, slug), labels.AUDIENCES[value], "", _sorted_procedures(procedures)))
    return BrowsePath(AUDIENCES, "Dành cho", "Thủ tục dành cho công dân, doanh nghiệp", "Thủ tục theo đối tượng thực hiện.", lists,
                      lambda name: f"Thủ tục dành cho {name[:1].lower() + name[1:]}")


def by_life_event(catalogue: Catalogue) -> BrowsePath:
    members: dict[str, list[Procedure]] = {slug: [] for slug in catalogue.life_events}
    for procedure in catalogue.procedures:
        for slug in dict.fromkeys(procedure.life_events):
            if slug in members:
                members[slug].append(procedure)
    lists = [
        BrowseList(slug, list_url(LIFE_EVENTS, slug), event.name, event.description, _sorted_procedures(members[slug]))
        for slug, event in catalogue.life_events.items()
        if members[slug]
    ]
    return BrowsePath(LIFE_EVENTS, "Sự kiện cuộc sống", "Thủ tục theo sự kiện cuộc sống",
                      "Các thủ tục cần làm khi gặp một sự kiện trong cuộc sống.", sort_vi(lists, lambda b: b.name),
                      lambda name: f"Sự kiện: {name}")


def a_to_z(catalogue: Catalogue) -> BrowsePath:
    members: dict[str, list[Procedure]] = {}
    for procedure in catalogue.procedures:
        members.setdefault(first_letter(procedure.display_title), []).append(procedure)
    order = [*alphabet_letters(), "f", "j", "w", "z", "#"]
    lists = [
        BrowseList(letter_slug(letter), list_url(A_TO_Z, letter_slug(letter)), letter_label(letter), "",
                   _sorted_procedures(members[letter]))
        for letter in order
        if letter in members
    ]
    return BrowsePath(A_TO_Z, "Tra cứu theo vần A–Z", "Thủ tục theo vần A–Z",
                      "Tất cả thủ tục theo thứ tự chữ cái tiếng Việt của tên thủ tục.", lists,
                      lambda name: f"Thủ tục bắt đầu bằng chữ {name}" if name != "Khác" else "Thủ tục bắt đầu bằng chữ số, ký hiệu")


def browse_paths(catalogue: Catalogue, authority_levels: dict[str, str]) -> list[BrowsePath]:
    """All browse paths, in the order the home page shows them."""
    return [by_field(catalogue), by_agency(catalogue), by_level(catalogue, authority_levels), by_audience(catalogue),
            by_life_event(catalogue), a_to_z(catalogue)]


def letter_bar(path: BrowsePath, current: str = "") -> list[Item]:
    """Every letter of the alphabet; letters without procedures get no link (url "")."""
    present = {b.name: b for b in path.lists}
    bar = []
    for letter in alphabet_letters():
        label = letter_label(letter)
        found = present.get(label)
        bar.append(Item(label, found.url if found and label != current else "", "hiện tại" if label == current else ""))
    for extra in ("F", "J", "W", "Z", "Khác"):
        if extra in present:
            bar.append(Item(extra, present[extra].url if extra != current else "", "hiện tại" if extra == current else ""))
    return bar


# -- most-used procedures --------------------------------------------------------------------------------


def most_used(catalogue: Catalogue, codes: list[str] | tuple[str, ...], limit: int = MOST_USED_LIMIT) -> tuple[list[Procedure], list[str]]:
    """The configured most-used procedures (unknown codes returned separately), or a derived default.

    The default ranks procedures by how many other procedures name them as related and how many life
    events they belong to: the ones people meet most often on their way through the catalogue.
    """
    by_code = catalogue.by_code()
    unknown = [code for code in codes if code not in by_code]
    chosen = [by_code[code] for code in dict.fromkeys(codes) if code in by_code]
    if chosen:
        return chosen, unknown
    score: Counter[str] = Counter()
    for procedure in catalogue.procedures:
        for code in procedure.related:
            score[code] += 2
        score[procedure.code] += len(procedure.life_events)
    ranked = sorted(catalogue.procedures, key=lambda p: (-score[p.code], collation_key(p.display_title)))
    return ranked[:limit], unknown


# -- view models for the templates -----------------------------------------------------------------------


@dataclass
class HomeSection:
    id: str
    heading: str
    url: str
    items: list[Item]


def home_context(catalogue: Catalogue, authority_levels: dict[str, str], most_used_codes: tuple[str, ...] = ()) -> dict:
    """What home.html shows besides the search box: a section per browse path and the most-used block."""
    sections = []
    for path in browse_paths(catalogue, authority_levels):
        if path.key == FIELDS:
            continue  # home.html already prints the fields with their counts
        if path.key == A_TO_Z:
            continue  # printed as a letter bar
        sections.append(HomeSection(f"theo-{path.key}", path.heading, path.url, [path.item(b) for b in path.lists]))
    procedures, _unknown = most_used(catalogue, most_used_codes)
    return {
        "browse_sections": sections,
        "most_used": [procedure_item(p, catalogue) for p in procedures],
        "letters": letter_bar(a_to_z(catalogue)),
    }


def list_listing(path: BrowsePath, browse_list: BrowseList, catalogue: Catalogue) -> Listing:
    listing = Listing(
        title=path.list_title(browse_list.name),
        lead=browse_list.description,
        groups=[Group(f"{len(browse_list.procedures)} thủ tục", [procedure_item(p, catalogue) for p in browse_list.procedures],
                      id="danh-sach")],
    )
    if path.key == "a-z":
        listing.letters = letter_bar(path, browse_list.name)
        listing.current_letter = browse_list.name
    return listing


def overview_listing(path: BrowsePath) -> Listing:
    listing = Listing(title=path.title, lead=path.lead, groups=[Group(path.heading, [path.item(b) for b in path.lists], id="danh-sach")],
                      empty_text="Chưa có danh sách nào.")
    if path.key == "a-z":
        listing.letters = letter_bar(path)
    return listing


def _doc_page_title(source: Path) -> str:
    """Title of an authored Markdown page: front matter `title:`, else its first heading."""
    try:
        text = source.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    found = re.search(r"^title:\s*(.+)$", text, re.MULTILINE) if text.startswith("---") else None
    if found:
        return found.group(1).strip().strip("\"'")
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return heading.group(1).strip() if heading else ""


def site_map_listing(catalogue: Catalogue, paths: list[BrowsePath], doc_pages: dict[str, Path]) -> Listing:
    """The HTML site map of Art. 16: every section, every list page, and every procedure by field."""
    main = [Item("Trang chủ", "")]
    main += [Item(title, url) for url, title in (PORTAL_PAGES | INDEX_PAGES).items()]
    for src_uri, source in sorted(doc_pages.items()):
        url = "" if src_uri == "index.md" else re.sub(r"(index)?\.md$", "", src_uri).rstrip("/") + "/"
        if url and url not in PORTAL_PAGES and url not in INDEX_PAGES:
            main.append(Item(_doc_page_title(source) or url.strip("/"), url))
    main.append(Item("Thủ tục mới và thay đổi", CHANGES_URL))
    main.append(Item("Tìm kiếm thủ tục", SEARCH))
    main.append(Item("Sơ đồ cổng", SITE_MAP_URL))
    groups = [Group("Các trang chính", main, id="trang-chinh")]
    for path in paths:
        groups.append(Group(path.title, [path.item(b) for b in path.lists], id=f"so-do-{path.key}", url=path.url))
    for view in field_views(catalogue):
        groups.append(Group(f"Lĩnh vực {view.field.name}", [procedure_item(p, catalogue) for p in view.procedures],
                            id=f"thu-tuc-{view.field.slug}", url=field_url(view.field.slug)))
    lead = f"Tất cả các trang của cổng thông tin: {len(catalogue.procedures)} thủ tục hành chính và các danh sách tra cứu."
    return Listing("Sơ đồ cổng", lead, groups)


def breadcrumbs_for(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [HOME, *trail]
