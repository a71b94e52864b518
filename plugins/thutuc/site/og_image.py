"""The 1200×630 PNG that Zalo, Facebook and others show when a page is shared (og:image).

Drawn at build time with Pillow from the site name and the page's title, in the Liberation Serif the
form PDFs already use (formgen.fonts.find_fonts: it covers Vietnamese). The same text always gives the
same bytes (no PNG metadata, fixed compression), and images are kept in .cache/og/ between builds like
generated forms: only new or renamed titles are drawn again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import os
from concurrent.futures import Executor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..forms.fonts import FontMissing, find_fonts

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BRAND, WHITE = (155, 17, 17), (255, 255, 255)  # --brand of site.css, and white text on it
TEXT, LIGHT = 255, 215  # grey levels of the drawing: 0 is the brand colour, 255 white
# Drawn in grey levels (anti-aliased text) and stored as a palette PNG: level g is the colour g/255 of
# the way from the brand colour to white. Small files, and several times faster than quantizing RGB.
PALETTE = [round(b + (w - b) * g / 255) for g in range(256) for b, w in zip(BRAND, WHITE, strict=True)]
IMAGES_URL = "assets/og/"
SITE_IMAGE = "trang-chu"


def image_url(name: str) -> str:
    """Site-relative URL of one image: assets/og/<page slug>.png."""
    return f"{IMAGES_URL}{name}.png"


@functools.cache
def _version() -> str:
    """Changes with this module, Pillow or the font file: cached images are then drawn again."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(importlib.metadata.version("pillow").encode())
    font = find_fonts().bold
    digest.update(f"{font}:{font.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(",;:.") + "…"
    return lines


def render(site_name: str, title: str) -> bytes:
    """One card: the site name above, the title large below, on the site's brand colour."""
    fonts = find_fonts()
    image = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(image)
    small = ImageFont.truetype(str(fonts.regular), 40)
    draw.text((MARGIN, MARGIN), site_name, font=small, fill=LIGHT)
    draw.line((MARGIN, MARGIN + 70, WIDTH - MARGIN, MARGIN + 70), fill=LIGHT, width=3)
    size = 72 if len(title) <= 60 else 56
    big = ImageFont.truetype(str(fonts.bold), size)
    lines = _wrap(draw, title, big, WIDTH - 2 * MARGIN, 4)
    y = MARGIN + 110
    for line in lines:
        draw.text((MARGIN, y), line, font=big, fill=TEXT)
        y += int(size * 1.25)
    card = Image.frombytes("P", image.size, image.tobytes())
    card.putpalette(PALETTE)
    out = io.BytesIO()
    card.save(out, "PNG", optimize=False, compress_level=3)  # 3: a third of level 6's time, 20 % larger
    return out.getvalue()


class ImageCache:
    """Drawn images by their text, in memory and in .cache/og/ (never published)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.drawn = 0  # images actually rendered (tests and build statistics)
        self.memory: dict[str, bytes] = {}  # the preview asks again after every edit

    @staticmethod
    def _key(site_name: str, title: str) -> str:
        return hashlib.sha256(f"{_version()}\n{site_name}\n{title}".encode()).hexdigest()[:32]

    def get(self, site_name: str, title: str) -> bytes:
        key = self._key(site_name, title)
        if key in self.memory:
            return self.memory[key]
        file = self.folder / f"{key}.png" if self.folder else None
        if file is not None and file.is_file():
            self.memory[key] = file.read_bytes()
            return self.memory[key]
        return self.put(site_name, title, render(site_name, title))

    def missing(self, site_name: str, titles: list[str]) -> list[str]:
        """The titles whose card is neither in memory nor in the cache folder, each once, in order."""
        found = []
        for title in dict.fromkeys(titles):
            key = self._key(site_name, title)
            if key not in self.memory and not (self.folder and (self.folder / f"{key}.png").is_file()):
                found.append(title)
        return found

    def put(self, site_name: str, title: str, data: bytes) -> bytes:
        """Keep a card drawn here or in the helper process, in memory and in the cache folder."""
        key = self._key(site_name, title)
        file = self.folder / f"{key}.png" if self.folder else None
        self.memory[key] = data
        self.drawn += 1
        if file is not None:
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
                temporary = file.with_name(f"{file.name}.{os.getpid()}.tmp")
                temporary.write_bytes(data)
                temporary.replace(file)
            except OSError:
                pass  # a cache that cannot be written only costs time
        return data


def draw_cards(site_name: str, titles: list[str]) -> list[bytes]:
    """Cards drawn in the helper process (render/helper_process.py) while this one draws the others."""
    return [render(site_name, title) for title in titles]


def page_images(site_name: str, titles: dict[str, str], cache: ImageCache, helper: Executor | None = None) -> dict[str, bytes]:
    """{site-relative URL: PNG} for the site card and each named page; {} when no font can draw Vietnamese
    (the build already reports the missing font for the form PDFs). With a helper process, half of the
    cards the cache lacks are drawn there (drawing is CPU-bound: a cold 2,000-procedure build spent 1.8 s)."""
    try:
        missing = cache.missing(site_name, list(titles.values())) if helper is not None else []
        if len(missing) >= 16:
            there = missing[len(missing) // 2:]
            job = helper.submit(draw_cards, site_name, there)
            for title in missing[: len(missing) // 2]:
                cache.get(site_name, title)
            for title, data in zip(there, job.result(), strict=True):
                cache.put(site_name, title, data)
        images = {image_url(SITE_IMAGE): cache.get(site_name, "Tra cứu thủ tục hành chính")}
        images.update({image_url(name): cache.get(site_name, title) for name, title in titles.items()})
    except FontMissing:
        return {}
    return images
