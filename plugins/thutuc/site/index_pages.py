"""Index pages of /thu-tuc/ (every procedure by field) and /bieu-mau/ (the forms library): without them
a host answers those addresses with 403 or a file listing. Both are in the sitemap and one click from
every page (portal menu), so every form download is within the three-click rule."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import urls
from .browse import Group, Listing, breadcrumbs_for, procedure_item
from .pages import FileLink, field_views, form_view, sort_key
from .specs import BuildInputs, PageSpec



@dataclass
class LibraryForm:
    """One form of the library: its files once, and every procedure it is used for."""

    heading: str
    files: list[FileLink]
    source: str
    source_url: str
    procedures: list[tuple[str, str]]  # (name, url)


@dataclass
class LibraryGroup:
    heading: str
    id: str
    forms: list[LibraryForm]


def forms_library(inputs: BuildInputs) -> list[LibraryGroup]:
    """Forms by field, in Vietnamese alphabetical order; a form used by several procedures is listed once."""
    groups = []
    for view in field_views(inputs.catalogue):
        found: dict[tuple, LibraryForm] = {}
        for procedure in view.procedures:
            for form in procedure.forms:
                shown = form_view(form, procedure)
                key = (shown.heading, tuple(f.url for f in shown.files))
                entry = found.setdefault(key, LibraryForm(shown.heading, shown.files, shown.source, shown.source_url, []))
                entry.procedures.append((procedure.display_title, procedure.url))
        if found:
            forms = sorted(found.values(), key=lambda f: sort_key(f.heading))
            groups.append(LibraryGroup(f"Lĩnh vực {view.field.name}", f"bieu-mau-{view.field.slug}", forms))
    return groups


def index_pages(inputs: BuildInputs) -> list[PageSpec]:
    catalogue = inputs.catalogue
    lastmod = max((inputs.updated(p) for p in catalogue.procedures), default="")
    owner = inputs.settings.owner_name or inputs.site_name
    procedures = Listing(
        title="Thủ tục hành chính",
        lead=f"Tất cả {len(catalogue.procedures)} thủ tục hành chính do {owner} công khai, xếp theo lĩnh vực.",
        groups=[Group(f"Lĩnh vực {view.field.name}", [procedure_item(p, catalogue) for p in view.procedures],
                      id=f"linh-vuc-{view.field.slug}", url=view.url) for view in field_views(catalogue) if view.procedures],
    )
    form_count = sum(len(p.forms) for p in catalogue.procedures)
    return [
        PageSpec(urls.PROCEDURES + "/", "list.html", "Thủ tục hành chính",
                 f"Danh sách đầy đủ {len(catalogue.procedures)} thủ tục hành chính của {owner} theo lĩnh vực: trình tự, hồ sơ, "
                 "thời hạn, phí, lệ phí và biểu mẫu.",
                 context=lambda: {"listing": procedures}, lastmod=lastmod, depends=inputs.listing_key,
                 breadcrumbs=breadcrumbs_for()),
        PageSpec(urls.FORMS, "forms.html", "Biểu mẫu, tờ khai",
                 f"Tải mẫu đơn, tờ khai của {len(catalogue.procedures)} thủ tục hành chính ({form_count} mẫu) của {owner}: "
                 "tệp Word, OpenDocument và PDF, kèm thủ tục sử dụng.",
                 context=lambda: {"library": forms_library(inputs)}, lastmod=lastmod, depends=None,
                 breadcrumbs=breadcrumbs_for()),
    ]
