"""What every page shares and what lists and contents show: read back from the built sample site."""

from __future__ import annotations

import lxml.html
import pytest

from conftest import Project

BIRTH = "1.001193"  # online, with figures in content/thong-ke.csv, related procedures and feedback


def page(site, path: str) -> lxml.html.HtmlElement:
    file = site / path if path.endswith(".html") else site / path.strip("/") / "index.html"
    return lxml.html.fromstring(file.read_bytes())


def procedure_path(site, code: str) -> str:
    found = [p.parent.name for p in (site / "thu-tuc").glob(f"*-{code.replace('.', '-')}/index.html")]
    assert len(found) == 1, code
    return f"thu-tuc/{found[0]}/"


def test_contents_list_names_every_section_the_page_has(sample_site: Project):
    doc = page(sample_site.site, procedure_path(sample_site.site, BIRTH))
    links = {a.get("href").lstrip("#"): a.text_content() for a in doc.xpath("//nav[@class='toc']//a")}
    for section_id in links:
        assert doc.get_element_by_id(section_id) is not None, section_id
    assert links["so-lieu"].startswith("Số liệu năm ")
    assert links["lien-quan"] == "Thủ tục liên quan"
    assert links["gop-y-h"].startswith("Góp ý")
    # and every section the page has is in the list
    assert {s.get("id") for s in doc.xpath("//main//section[@id]")} - {"tom-tat"} <= set(links)


@pytest.mark.parametrize("path", ["linh-vuc/ho-tich/", "a-z/dd/"])
def test_lists_say_whether_the_dossier_can_be_sent_online(sample_site: Project, path: str):
    metas = [m.text_content() for m in page(sample_site.site, path).xpath("//*[@class='procedure-list__meta']")]
    assert metas and all(("Nộp trực tuyến được" in m) != ("Chưa nộp trực tuyến" in m) for m in metas), metas


def _shell(doc: lxml.html.HtmlElement) -> dict[str, str]:
    def text(xpath: str) -> str:
        found = doc.xpath(xpath)
        return " ".join(found[0].text_content().split()) if found else ""

    return {
        "owner": text("//*[@class='portal-brand__owner']"),
        "site": text("//*[@class='portal-brand__site']"),
        "banner": text("//*[@class='sample-banner']"),
        "footer": text("//*[@class='portal-footer__owner']"),
        "print": text("//*[contains(@class, 'print-footer')]"),
    }


def test_the_404_page_has_the_same_shell_as_every_page(sample_site: Project):
    home = _shell(page(sample_site.site, ""))
    missing = _shell(page(sample_site.site, "404.html"))
    assert home["owner"] and home["banner"] and home["footer"], home
    for part in ("owner", "site", "banner", "footer"):
        assert missing[part] == home[part], part
    assert missing["print"].startswith(home["footer"])


def test_printed_pages_carry_the_agency_and_the_page_address(sample_site: Project):
    path = procedure_path(sample_site.site, BIRTH)
    shell = _shell(page(sample_site.site, path))
    assert shell["footer"] in shell["print"]
    assert f"Địa chỉ trang: https://thutuc.mau.example.vn/{path}" in shell["print"]
