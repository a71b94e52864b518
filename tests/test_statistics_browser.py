"""The statistics page's charts as Chromium renders them on a phone and on a desktop."""

from __future__ import annotations

import pytest

# Every chart text as rendered: its font size in CSS pixels and whether it is cut (wider than its box or
# clipped by an ancestor). Zoom-independent: the viewport is the phone's own width.
CHART_TEXT = """() => [...document.querySelectorAll('.chart__label, .chart__value, .chart__measure, .chart__title')].map(el => {
  const box = el.getBoundingClientRect();
  const figure = el.closest('figure').getBoundingClientRect();
  return {text: el.textContent, size: parseFloat(getComputedStyle(el).fontSize),
          cut: el.scrollWidth > el.clientWidth + 1 || box.right > figure.right + 1 || box.left < figure.left - 1,
          visible: box.width > 0 && box.height > 0};
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_chart_labels_are_readable_and_never_cut(chromium_browser, served_sample, sample_site, width):
    context = chromium_browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(served_sample + "thong-ke/", wait_until="load")
    texts = page.evaluate(CHART_TEXT)
    page.close()
    context.close()
    assert len(texts) > 10
    small = [(t["text"], t["size"]) for t in texts if t["size"] < 12]
    assert not small, small
    cut = [t["text"] for t in texts if t["cut"] or not t["visible"]]
    assert not cut, cut
    # The long agency names are drawn whole (the table after the chart names them the same way).
    assert not [t["text"] for t in texts if t["text"].endswith("…")]
