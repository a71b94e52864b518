"""The page shell in headless Chromium: one search box on a phone's home page, and what a printed page says."""

from __future__ import annotations

import pytest
from test_page_shell import BIRTH, procedure_path

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def phone(chromium_browser):
    context = chromium_browser.new_context(viewport=PHONE)
    yield context
    context.close()


def test_home_on_a_phone_shows_one_search_box_with_a_placeholder_that_fits(phone, served_sample):
    page = phone.new_page()
    page.goto(served_sample, wait_until="load")
    visible = [box for box in page.locator("input[type=search]").all() if box.is_visible()]
    assert len(visible) == 1, len(visible)
    # The placeholder's width in the box's own font, against the room inside the box.
    room, needed = visible[0].evaluate(
        """input => {
             const style = getComputedStyle(input);
             const ctx = document.createElement("canvas").getContext("2d");
             ctx.font = style.font;
             const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
             return [room, ctx.measureText(input.placeholder).width];
           }"""
    )
    assert needed <= room, (needed, room)
    # Other pages keep the header search box.
    page.goto(served_sample + "tim-kiem/", wait_until="load")
    assert page.locator("#q-header").is_visible()
    page.close()


def test_a_printed_procedure_names_the_agency_and_the_address(chromium_browser, served_sample, sample_site):
    context = chromium_browser.new_context()
    page = context.new_page()
    path = procedure_path(sample_site.site, BIRTH)
    page.goto(served_sample + path, wait_until="load")
    footer = page.locator(".print-footer")
    assert not footer.is_visible()  # on screen the portal footer says it
    page.emulate_media(media="print")
    assert footer.is_visible()
    text = footer.inner_text()
    owner = page.locator(".portal-footer__owner").text_content().strip()
    assert owner in text and "https://thutuc.mau.example.vn/" + path in text, text
    assert page.pdf()[:4] == b"%PDF"  # Chromium prints the page (the footer is markup, not CSS content)
    context.close()
