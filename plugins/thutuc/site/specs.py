"""What a generated page is (PageSpec) and what page builders read (BuildInputs).

Kept apart from plan.py (the site plan) so that the page builders (browse_pages, statistics_pages) import these
and only the site plan imports the builders: imports run one way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..content.model import Catalogue
from ..content.statistics import Statistics
from .pages import SiteSettings


@dataclass
class PageSpec:
    """One generated page: where it lives, which template renders it, and what the template gets."""

    url: str  # site-relative with trailing slash ("thu-tuc/x/"), "" for the home page
    template: str  # file name in theme/, e.g. "procedure.html"
    title: str
    description: str = ""
    # Called once when the page renders: keeps memory flat for large catalogues.
    # "json_ld" in it is a list of schema.org dicts; navigation.page_seo adds the BreadcrumbList.
    context: Callable[[], dict[str, Any]] = field(default=lambda: {})
    in_sitemap: bool = True  # False: the page carries noindex instead (one rule, tested on every page)
    robots: str = "noindex,follow"  # the robots meta of a page left out of the sitemap
    image: str = ""  # its own og:image (og_image.image_url); "" shares the site's card
    lastmod: str = ""  # YYYY-MM-DD from content or git, never the build time
    # Ancestors shown in the breadcrumbs partial, home first: [("Trang chủ", ""), ("Lĩnh vực", "linh-vuc/")].
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    # What the page shows of the catalogue besides the fields above, as a value that changes when that
    # does: the revisions of a procedure and its related ones, or the listing key of list pages.
    # None: the page reads everything (the content report) and is always rendered again.
    depends: Hashable | None = None
    source: str = ""  # the content file the page shows, when it is one (named when two pages claim one address)

    def key(self) -> tuple | None:
        """Equal keys mean equal pages while settings, site lists, forms and templates stay the same: the
        preview renders again only pages whose key changed."""
        if self.depends is None:
            return None
        return (self.template, self.title, self.description, self.lastmod, self.in_sitemap, tuple(self.breadcrumbs), self.depends)

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"


def items_key(procedures) -> int:
    """Changes when what a list shows of these procedures changes (browse.procedure_item and field.html:
    title, link, code, level, field) or their order. Valid within one process."""
    return hash(tuple((p.code, p.title, p.short_title, p.url, p.level, p.field, p.upcoming_note) for p in procedures))


@dataclass
class BuildInputs:
    """Everything page builders may read."""

    catalogue: Catalogue
    settings: SiteSettings
    site_name: str
    dates: dict[Path, str] = field(default_factory=dict)  # last commit date per content file
    doc_pages: dict[str, Path] = field(default_factory=dict)  # authored Markdown pages: src_uri -> file
    statistics: Statistics | None = None  # content/thong-ke.*: figures on online procedure pages and /thong-ke/
    redirects: dict[str, str] = field(default_factory=dict)  # earlier address -> live one (address_register.py)

    def updated(self, procedure) -> str:
        """The procedure's last change: `updated` (or its file's last commit), an amendment, its entry into force."""
        written = procedure.updated or self.dates.get(procedure.source_file, "")
        lifecycle = [c.date for c in procedure.changes]
        if procedure.effective_from and procedure.effective_from <= self.settings.today:
            lifecycle.append(procedure.effective_from)
        return max([written, *lifecycle])

    @cached_property
    def listing_key(self) -> int:
        """Changes when anything list pages show of any procedure changes (names, links, groupings,
        dates), not when only a procedure's own page content does. Valid within one process."""
        return hash(tuple(
            (p.code, p.title, p.short_title, p.url, p.field, p.level, p.online, p.online_url, p.authority_levels, tuple(p.agencies.items()),
             p.audiences, p.life_events, p.related, self.updated(p), p.upcoming_note)
            for p in self.catalogue.procedures
        ))
