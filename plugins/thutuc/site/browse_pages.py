"""Page builders for the browse paths, the site map and the portal's default pages (appended to PAGE_BUILDERS)."""

from __future__ import annotations

from ..content.urls import FIELDS, doc_page_url
from ..content.urls import STATISTICS as STATISTICS_URL
from ..vi.collation import sort_vi
from .browse import (
    SITE_MAP_URL,
    BrowsePath,
    Group,
    Item,
    Listing,
    breadcrumbs_for,
    browse_paths,
    list_listing,
    overview_listing,
    procedure_item,
    site_map_listing,
)
from .formfill_pages import fill_links
from .specs import BuildInputs, PageSpec, items_key

LIST_TEMPLATE = "list.html"


def _lastmod(inputs: BuildInputs, procedures) -> str:
    return max((inputs.updated(p) for p in procedures), default="")


def _path_pages(inputs: BuildInputs, path: BrowsePath) -> list[PageSpec]:
    catalogue = inputs.catalogue
    # The overview shows each list's name and size, and so does an A–Z page's letter bar.
    lists_key = hash(tuple((b.name, b.url, len(b.procedures)) for b in path.lists))
    specs = [
        PageSpec(
            url=path.url,
            template=LIST_TEMPLATE,
            title=path.title,
            description=f"{path.lead} Danh mục thủ tục hành chính của {inputs.settings.owner_name or inputs.site_name}.",
            context=lambda path=path: {"listing": overview_listing(path)},
            lastmod=_lastmod(inputs, catalogue.procedures),
            depends=lists_key, breadcrumbs=breadcrumbs_for(),
        )
    ]
    for browse_list in path.lists:
        if path.key == FIELDS:
            continue  # field pages are built by plan._fields
        title = path.list_title(browse_list.name)
        specs.append(
            PageSpec(
                url=browse_list.url,
                template=LIST_TEMPLATE,
                title=title,
                description=f"{title}: danh sách {len(browse_list.procedures)} thủ tục hành chính, "
                f"xem trình tự, hồ sơ, thời hạn, phí, lệ phí và biểu mẫu.",
                context=lambda path=path, b=browse_list: {"listing": list_listing(path, b, catalogue)},
                lastmod=_lastmod(inputs, browse_list.procedures),
                depends=(lists_key, items_key(browse_list.procedures)), breadcrumbs=breadcrumbs_for((path.title, path.url)),
            )
        )
    return specs


def _portal_defaults(inputs: BuildInputs) -> list[PageSpec]:
    """Giới thiệu and Dịch vụ công trực tuyến from the owner's details, unless content/pages has them."""
    settings = inputs.settings
    catalogue = inputs.catalogue
    authored = {doc_page_url(uri) for uri in inputs.doc_pages}
    specs = []
    if "gioi-thieu/" not in authored:
        owner = settings.owner_name or inputs.site_name
        facts = [(label, value) for label, value in (
            ("Cơ quan chủ quản", settings.owner_name), ("Đơn vị chịu trách nhiệm", settings.responsible),
            ("Địa chỉ", settings.owner_address), ("Điện thoại", settings.owner_phone), ("Thư góp ý", settings.owner_email),
        ) if value]
        listing = Listing(
            title="Giới thiệu",
            lead=f"Cổng thông tin công khai {len(catalogue.procedures)} thủ tục hành chính do {owner} quản lý: "
            "trình tự, hồ sơ, thời hạn, phí, lệ phí, biểu mẫu tải về và căn cứ pháp lý của từng thủ tục.",
            facts=facts,
        )
        specs.append(PageSpec("gioi-thieu/", LIST_TEMPLATE, "Giới thiệu",
                              f"Giới thiệu cổng thông tin thủ tục hành chính của {owner}: đơn vị chịu trách nhiệm, địa chỉ, liên hệ.",
                              context=lambda listing=listing: {"listing": listing}, depends=inputs.listing_key,
                              breadcrumbs=breadcrumbs_for()))
    if "dich-vu-cong-truc-tuyen/" not in authored:
        online = sort_vi((p for p in catalogue.procedures if p.online_url), lambda p: p.display_title)
        listing = Listing(
            title="Dịch vụ công trực tuyến",
            lead="Các thủ tục dưới đây có thể nộp hồ sơ trực tuyến trên Cổng Dịch vụ công; mở trang thủ tục để xem hướng dẫn "
            "và nút “Nộp trực tuyến”. Các thủ tục khác được cung cấp thông tin đầy đủ và biểu mẫu tải về.",
            groups=[Group(f"{len(online)} thủ tục nộp trực tuyến", [procedure_item(p, catalogue) for p in online], id="danh-sach")],
            empty_text="Chưa có thủ tục nào nộp được trực tuyến.",
        )
        specs.append(PageSpec("dich-vu-cong-truc-tuyen/", LIST_TEMPLATE, "Dịch vụ công trực tuyến",
                              "Danh sách thủ tục hành chính nộp hồ sơ trực tuyến một phần hoặc toàn trình trên Cổng Dịch vụ công.",
                              context=lambda listing=listing: {"listing": listing}, lastmod=_lastmod(inputs, online),
                              depends=inputs.listing_key, breadcrumbs=breadcrumbs_for()))
    return specs


def _site_map(inputs: BuildInputs, paths: list[BrowsePath]) -> Listing:
    listing = site_map_listing(inputs.catalogue, paths, inputs.doc_pages)
    if inputs.statistics is not None:  # the statistics page (statistics_pages.py), before "Sơ đồ cổng"
        listing.groups[0].items.insert(-1, Item("Thống kê giải quyết hồ sơ", STATISTICS_URL))
    fill = fill_links(inputs.catalogue)
    if fill:  # the fill-in pages of forms (formfill_pages.py), after the main pages
        listing.groups.insert(1, Group("Tờ khai điền trực tuyến", [Item(title, url) for title, url in fill], id="to-khai-truc-tuyen"))
    return listing


def browse_pages(inputs: BuildInputs) -> list[PageSpec]:
    """Overview and list pages of every browse path, the HTML site map, and default portal pages."""
    paths = browse_paths(inputs.catalogue, inputs.settings.authority_levels)
    specs = [spec for path in paths for spec in _path_pages(inputs, path)]
    specs.append(
        PageSpec(
            url=SITE_MAP_URL,
            template=LIST_TEMPLATE,
            title="Sơ đồ cổng",
            description="Sơ đồ cổng thông tin: mọi mục, danh sách tra cứu và tất cả thủ tục hành chính xếp theo lĩnh vực.",
            context=lambda: {"listing": _site_map(inputs, paths)},
            lastmod=_lastmod(inputs, inputs.catalogue.procedures),
            depends=(inputs.listing_key, tuple(fill_links(inputs.catalogue))), breadcrumbs=breadcrumbs_for(),
        )
    )
    specs += _portal_defaults(inputs)
    return specs

