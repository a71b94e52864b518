"""The browse paths in headless Chromium: a visitor reaches procedures by clicking, with JavaScript off."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def no_js_page(chromium_browser, served_sample):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page, served_sample
    context.close()


@pytest.mark.parametrize(
    ("clicks", "h1"),
    [
        (["Hộ tịch", "Đăng ký khai sinh"], "Đăng ký khai sinh"),
        (["Sinh con", "Đăng ký khai sinh"], "Đăng ký khai sinh"),
        (["Doanh nghiệp", "Đăng ký thành lập hộ kinh doanh"], "Đăng ký thành lập hộ kinh doanh"),
        (["Đ", "Đăng ký kết hôn"], "Đăng ký kết hôn"),
        (["Sơ đồ cổng", "Cấp lại giấy phép lái xe"], "Cấp lại giấy phép lái xe"),
    ],
)
def test_procedures_are_reached_by_clicks_without_javascript(no_js_page, clicks: list[str], h1: str):
    page, base_url = no_js_page
    page.goto(base_url, wait_until="load")
    for label in clicks:
        page.get_by_role("link", name=label, exact=True).first.click()
        page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().strip() == h1
    assert len(clicks) <= 3
    # Breadcrumbs lead back home in one click.
    page.locator("nav.breadcrumbs").get_by_role("link", name="Trang chủ").click()
    page.wait_for_load_state("load")
    assert page.url.rstrip("/") == base_url.rstrip("/")


def test_a_to_z_bar_marks_the_current_letter(no_js_page):
    page, base_url = no_js_page
    page.goto(base_url + "a-z/dd/", wait_until="load")
    current = page.locator(".letter-bar [aria-current='page']")
    assert current.inner_text().strip() == "Đ"
    assert page.locator("h1").inner_text().strip() == "Thủ tục bắt đầu bằng chữ Đ"
