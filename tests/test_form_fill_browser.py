"""The fill-in pages in headless Chromium on a 360 px phone, served with the production CSP.

Fill a form, save it to a file, open that file in a fresh page, print to PDF and read the values
back; nothing may leave the browser (no request at all after load); opt-in draft; Vietnamese
validation linked to its fields; keyboard only; axe; no sideways scrolling; JavaScript off.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader
from support.browser import PageLog, watched_context
from support.waiting import wait_until

from conftest import SAMPLE_CONTENT
from thutuc.site.pages import form_fill_url

PHONE = {"width": 360, "height": 740}
MM = 72 / 25.4
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
CT01 = form_fill_url("forms/cu-tru/ct01-to-khai-thay-doi-thong-tin-cu-tru.form.yml")
KHAI_SINH = form_fill_url("forms/ho-tich/to-khai-dang-ky-khai-sinh.form.yml")
FILL_PAGES = [form_fill_url(p.relative_to(SAMPLE_CONTENT).as_posix()) for p in sorted((SAMPLE_CONTENT / "forms").rglob("*.form.yml"))]
# What a citizen types into CT01: name -> value (the citizen ID with the spaces people type).
ENTRIES = {
    "ho-chu-dem-va-ten": "NGUYỄN THỊ THU HƯƠNG",
    "ngay-thang-nam-sinh": "25/08/1990",
    "so-dinh-danh-ca-nhan": "001190012345",
    "so-dien-thoai-lien-he": "0912 345 678",
    "email": "huong.nguyen@example.com",
    "noi-dung-de-nghi": "Đăng ký thường trú tại số 12 phố Hàng Bạc, phường Hoàn Kiếm",
    "nhung-thanh-vien-trong-ho-gia-dinh-cung-1-2": "Trần Minh Khôi",
    "ky-dia-danh": "Hà Nội",
    "ky-ngay": "06",
    "ky-thang": "12",
    "ky-nam": "2026",
    "ky-ho-ten-3": "Nguyễn Thị Thu Hương",
}


def nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_edges(page) -> tuple[float, float]:
    """Leftmost start and highest baseline of the text on a PDF page, in points."""
    xs, ys = [], []

    def visit(text, cm, tm, font, size):
        if text.strip():
            xs.append(cm[4] + tm[4] * cm[0])
            ys.append(cm[5] + tm[5] * cm[3])

    page.extract_text(visitor_text=visit)
    return min(xs), max(ys)


@pytest.fixture
def phone(chromium_browser):
    context = watched_context(chromium_browser, width=PHONE["width"], height=PHONE["height"], accept_downloads=True)
    yield context
    context.close()


def open_page(context, base_url: str, url: str):
    page = context.new_page()
    log = PageLog(base_url)
    log.attach(page)
    # "networkidle": Chromium fetches the favicon just after load; counting requests starts after it.
    page.goto(base_url + url, wait_until="networkidle")
    page.locator("[data-fill-tools]").first.wait_for(state="visible")
    return page, log


def field(page, name: str):
    return page.locator(f"[data-form-fill] [name='{name}']")


def test_fill_save_reopen_and_print_with_no_request(phone, served_sample, tmp_path: Path):
    page, log = open_page(phone, served_sample, CT01)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))  # from here on, nothing may be fetched
    for name, value in ENTRIES.items():
        field(page, name).fill(value)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Lưu vào máy").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert re.fullmatch(r"ct01-to-khai-thay-doi-thong-tin-cu-tru-\d{4}-\d{2}-\d{2}\.json", saved.name)
    data = json.loads(saved.read_text("utf-8"))
    assert data["format"] == "thutuc-to-khai" and data["form"] == "cu-tru/ct01-to-khai-thay-doi-thong-tin-cu-tru"
    assert data["values"] == ENTRIES
    assert "vào máy" in page.locator("[data-fill-status='end']").inner_text()
    assert [url for url in requests if not url.startswith("blob:")] == [], requests
    assert not log.errors and not log.failed, (log.errors, log.failed)
    page.close()

    # A fresh page (nothing kept in the browser): open the file and see every value again.
    fresh, fresh_log = open_page(phone, served_sample, CT01)
    fresh.on("request", lambda request: requests.append(request.url))  # opening the file and printing fetch nothing either
    assert field(fresh, "ho-chu-dem-va-ten").input_value() == ""
    fresh.locator("[data-fill-file]").set_input_files(str(saved))
    wait_until(lambda: field(fresh, "email").input_value() == ENTRIES["email"], "the saved file to be applied")
    for name, value in ENTRIES.items():
        assert field(fresh, name).input_value() == value, name
    assert "Đã mở tệp" in fresh.locator("[data-fill-status='top']").inner_text()

    # Print as Chromium prints (page.pdf uses print media) and read the entered values back.
    reader = PdfReader(io.BytesIO(fresh.pdf(prefer_css_page_size=True)))
    text = nfc(" ".join(p.extract_text() for p in reader.pages))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, (width, height)
    left, top = text_edges(reader.pages[0])
    assert abs(left - 30 * MM) < 3, left  # Decree 30/2020 margins: left 30 mm…
    assert height - 20 * MM - 20 < top < height - 20 * MM, top  # …top 20 mm (the first line's baseline just below)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",
                     "NGUYỄN THỊ THU HƯƠNG", "25/08/1990", "0912 345 678", "huong.nguyen@example.com",
                     "Đăng ký thường trú tại số 12 phố Hàng Bạc", "Trần Minh Khôi", "NGƯỜI KÊ KHAI", "Nguyễn Thị Thu Hương"):
        assert expected in text, (expected, text[:3000])
    assert "001190012345" in text.replace(" ", "")  # one digit per printed box
    # The site around the form stays off the paper.
    assert "Lưu vào máy" not in text and "Tải mẫu" not in text and "Bỏ qua" not in text
    assert not fresh_log.csp and not fresh_log.errors, (fresh_log.csp, fresh_log.errors)
    assert [url for url in requests if not url.startswith("blob:")] == [], requests


def test_a_file_that_is_not_ours_is_refused(phone, served_sample, tmp_path: Path):
    page, _ = open_page(phone, served_sample, CT01)
    field(page, "ho-chu-dem-va-ten").fill("TRẦN VĂN BA")
    status = page.locator("[data-fill-status='top']")
    cases = [
        ("anh.json", '{"ten": "không phải tờ khai"}', "không phải tệp tờ khai đã lưu từ trang web này"),
        ("hong.json", "{không phải JSON", "không phải tệp tờ khai đã lưu từ trang web này"),
        ("khac.json", json.dumps({"format": "thutuc-to-khai", "version": 1, "form": "ho-tich/to-khai-dang-ky-khai-sinh",
                                  "title": "Tờ khai đăng ký khai sinh", "values": {"ho-chu-dem-va-ten": "X"}}),
         "lưu tờ khai “Tờ khai đăng ký khai sinh”"),
        ("sua.json", json.dumps({"format": "thutuc-to-khai", "version": 1, "form": "cu-tru/ct01-to-khai-thay-doi-thong-tin-cu-tru",
                                 "values": {"ho-chu-dem-va-ten": {"html": "<b>x</b>"}}}), "bị hỏng"),
    ]
    for name, content, words in cases:
        file = tmp_path / name
        file.write_text(content, "utf-8")
        page.locator("[data-fill-file]").set_input_files(str(file))
        wait_until(lambda name=name: name in status.inner_text(), f"the refusal of {name}")
        assert "Không mở được tệp" in status.inner_text() and words in status.inner_text(), status.inner_text()
        assert field(page, "ho-chu-dem-va-ten").input_value() == "TRẦN VĂN BA"  # nothing was applied


def test_a_draft_is_kept_only_when_ticked_and_cleared_on_request(phone, served_sample):
    page, _ = open_page(phone, served_sample, KHAI_SINH)
    field(page, "que-quan").fill("Nam Định")
    assert page.evaluate("window.localStorage.length") == 0
    page.reload(wait_until="load")
    assert field(page, "que-quan").input_value() == ""
    page.get_by_label("Giữ bản nháp trên trình duyệt này").check()
    field(page, "que-quan").fill("Thái Bình")
    page.get_by_label("Có", exact=True).check()
    page.reload(wait_until="load")
    wait_until(lambda: field(page, "que-quan").input_value() == "Thái Bình", "the draft to be restored")
    assert page.get_by_label("Giữ bản nháp trên trình duyệt này").is_checked()
    assert page.get_by_label("Có", exact=True).is_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa dữ liệu đã nhập").click()
    wait_until(lambda: field(page, "que-quan").input_value() == "", "the form to be cleared")
    assert page.evaluate("window.localStorage.length") == 0
    assert not page.get_by_label("Giữ bản nháp trên trình duyệt này").is_checked()
    page.reload(wait_until="load")
    assert field(page, "que-quan").input_value() == ""


def test_errors_are_listed_linked_and_announced_before_printing(phone, served_sample):
    page, log = open_page(phone, served_sample, CT01)
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    field(page, "so-dinh-danh-ca-nhan").fill("12345")
    field(page, "email").fill("huong@")
    page.get_by_role("button", name="In hoặc lưu PDF").click()
    summary = page.locator("[data-fill-errors]")
    summary.wait_for(state="visible")
    assert page.evaluate("document.activeElement.hasAttribute('data-fill-errors')")
    assert page.evaluate("window.__printed") == 0
    links = {a.inner_text(): a.get_attribute("href") for a in summary.locator("a").all()}
    assert links == {
        "Nhập họ, chữ đệm và tên.": "#f-ho-chu-dem-va-ten",
        "Nhập ngày, tháng, năm sinh.": "#f-ngay-thang-nam-sinh",
        "Số định danh cá nhân phải gồm đúng 12 chữ số.": "#f-so-dinh-danh-ca-nhan",
        "Email chưa đúng: nhập địa chỉ thư điện tử, ví dụ ten@example.com.": "#f-email",
    }, links
    cccd = page.locator("#f-so-dinh-danh-ca-nhan")
    error_id = "f-so-dinh-danh-ca-nhan-loi"
    assert error_id in cccd.get_attribute("aria-describedby").split() and cccd.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{error_id}").inner_text().endswith("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    summary.get_by_role("button", name="In dù còn thiếu").click()  # to write the rest by hand
    wait_until(lambda: page.evaluate("window.__printed") == 1, "window.print() despite the errors")
    summary.locator("a[href='#f-email']").click()
    assert page.evaluate("document.activeElement.id") == "f-email"
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]  # with the errors shown
    assert violations == [], [v["id"] for v in violations]
    for name, value in (("ho-chu-dem-va-ten", "LÊ VĂN TÁM"), ("ngay-thang-nam-sinh", "29/02/2000"),
                        ("so-dinh-danh-ca-nhan", "001 200 012 345"), ("email", "tam@example.com")):
        field(page, name).fill(value)
        field(page, name).dispatch_event("change")
    assert page.locator(".entry--error").count() == 0  # fixed fields lose their message at once
    page.get_by_role("button", name="In hoặc lưu PDF").click()
    wait_until(lambda: page.evaluate("window.__printed") == 2, "window.print()")
    assert summary.is_hidden()
    field(page, "ngay-thang-nam-sinh").fill("31/02/2000")  # no such day
    page.get_by_role("button", name="In hoặc lưu PDF").click()
    summary.wait_for(state="visible")
    assert "ngày có thật" in summary.inner_text()
    assert not log.errors, log.errors


def test_keyboard_only(phone, served_sample):
    """Tab reaches every control of the form in order and the buttons; typing, Space and Enter work."""
    page, _ = open_page(phone, served_sample, KHAI_SINH)
    page.locator("[data-fill-open]").focus()
    order: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        active = page.evaluate("[document.activeElement.id || '', document.activeElement.name || '', "
                               "document.activeElement.getAttribute('data-fill-print') !== null]")
        if active[2]:
            break
        order.append(active[1] or active[0])
        if active[1] == "que-quan":
            page.keyboard.type("Ninh Bình")
        if active[0] == "f-de-nghi-cap-ban-sao-co":
            page.keyboard.press("Space")
    else:
        pytest.fail(f"the print button was never reached: {order[-10:]}")
    controls = page.evaluate("Array.from(document.querySelectorAll('[data-form-fill] [name]'))"
                             ".filter(e => e.type !== 'radio' || e.value === 'co').map(e => e.name)")
    reached = [name for name in order if name in controls]
    assert reached == controls, set(controls) - set(reached)
    assert field(page, "que-quan").input_value() == "Ninh Bình"
    assert page.locator("#f-de-nghi-cap-ban-sao-co").is_checked()
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.keyboard.press("Enter")  # on "In hoặc lưu PDF": the required fields are empty
    page.locator("[data-fill-errors]").wait_for(state="visible")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first error link goes to its field
    assert page.evaluate("document.activeElement.id") == "f-ho-chu-dem-ten-nguoi-yeu-cau"


@pytest.mark.parametrize("url", FILL_PAGES, ids=lambda u: u.split("/")[-3])
def test_fill_pages_at_360px_have_no_sideways_scroll_and_no_axe_violations(phone, served_sample, url):
    page, log = open_page(phone, served_sample, url)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wide = page.evaluate("Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > "
                         f"{PHONE['width']} + 1).map(e => e.tagName + '.' + e.className).slice(0, 5)")
    assert wide == [], wide
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    log.collect_csp(page)
    assert not log.csp and not log.errors and not log.foreign_requests(), (log.csp, log.errors)


def test_without_javascript_the_downloads_and_a_blank_printable_form_remain(chromium_browser, served_sample):
    context = watched_context(chromium_browser, width=PHONE["width"], height=PHONE["height"], java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_sample + KHAI_SINH, wait_until="load")
        for extension in (".docx", ".odt", ".pdf"):
            assert page.locator(f"a[download][href$='{extension}']").is_visible(), extension
        assert page.locator("[data-fill-nojs]").is_visible()
        assert page.locator("[data-fill-tools]").first.is_hidden()
        assert field(page, "que-quan").is_editable()
        text = nfc(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages))
        for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỜ KHAI ĐĂNG KÝ KHAI SINH", "Quê quán", "NGƯỜI YÊU CẦU", "Ghi chú"):
            assert expected in text, expected
        assert "JavaScript" not in text
    finally:
        context.close()
