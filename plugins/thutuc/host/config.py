"""Options of the `thutuc` MkDocs plugin, as written under `plugins: - thutuc:` in mkdocs.yml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..content.catalogue import DEFAULT_AUTHORITY_LEVELS, ContentOptions

# Values that templates put inside href="mailto:…" or a form's action: a "?", "&", quote, space or line
# break would add recipients or headers to every feedback e-mail, or break out of the attribute.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[A-Za-z0-9._+-]+@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,}}$")
_HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"'`\\]*)?$")


class _Checked(c.Type):
    """A text option whose value must match a pattern; the message is Vietnamese and names mkdocs.yml and the key."""

    def __init__(self, key: str, pattern: re.Pattern, example: str, default: str = "", **kwargs) -> None:
        super().__init__(str, default=default, **kwargs)
        self.key, self.pattern, self.example = key, pattern, example

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        if value and not self.pattern.fullmatch(value):
            raise c.ValidationError(
                f"mkdocs.yml: plugins.thutuc.{self.key}: giá trị “{value!s:.80}” không hợp lệ (không được có dấu cách, "
                f"xuống dòng, dấu nháy, “?” hay “&”). Gợi ý: ví dụ {self.example}."
            )
        return value


class OwnerConfig(base.Config):
    """The agency that owns the portal (Circular 32/2017 Art. 16: header and footer)."""

    name = c.Type(str, default="")
    # A short name ("UBND tỉnh Mẫu") ending every page title: titles stay within about 60 characters.
    short_name = c.Type(str, default="")
    address = c.Type(str, default="")
    phone = c.Type(str, default="")
    email = _Checked("owner.email", _EMAIL, "gopy@tinh.gov.vn")
    responsible = c.Type(str, default="")
    area_served = c.Type(str, default="Việt Nam")


_EMC_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class HostingConfig(base.Config):
    """How the site is served (plugins/thutuc/render/headers.py, deploy.py; docs/trien-khai.md)."""

    # The ministry's monitoring system (EMC): its script on every page when a site id is set.
    emc_site_id = _Checked("hosting.emc_site_id", _EMC_ID, "ma-do-Bo-cap")
    emc_script = _Checked("hosting.emc_script", _HTTPS_URL, "https://giamsat.example.gov.vn/emc.js")
    # Hosts that cannot send headers (GitHub Pages): the Content-Security-Policy goes into a meta tag.
    meta_csp = c.Type(bool, default=False)
    fingerprint = c.Type(bool, default=True)  # content-hashed names for CSS, JS, fonts and the search index
    precompress = c.Type(bool, default=True)  # .gz beside large text files
    deploy = c.Type(bool, default=True)  # server configurations in deploy/ beside the site


class ThutucConfig(base.Config):
    content_dir = c.Type(str, default="content")
    code_pattern = c.Optional(c.Type(str))
    authority_levels = c.Type(dict, default=dict(DEFAULT_AUTHORITY_LEVELS))
    max_clicks = c.Type(int, default=3)
    # Codes of the "most-used procedures" block on the home page; empty: derived from related links.
    most_used = c.Type(list, default=[])
    # A form endpoint (https://…) that receives the satisfaction rating by POST; empty: prefilled e-mails.
    rating_endpoint = _Checked("rating_endpoint", _HTTPS_URL, "https://tinh.gov.vn/danh-gia")
    # The national portal's page of a procedure, {code} replaced by its code: linked as sameAs in JSON-LD.
    national_page_url = _Checked("national_page_url", re.compile(r"^https://[^\s<>\"'`\\]*\{code\}[^\s<>\"'`\\]*$"),
                                 "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}")
    minify = c.Type(bool, default=True)  # off only to read the raw HTML or benchmark minifiers
    max_form_size_mb = c.Type(int, default=10)
    # Browser editor (Decap CMS) at /admin/: published when build.py could fetch it with npm.
    admin = c.Type(bool, default=True)
    admin_assets = c.Type(str, default=".cache/admin-assets")
    sample_data = c.Type(bool, default=False)
    # The licence of the statistics data set (schema.org Dataset "license"): a URL; empty leaves it out.
    statistics_license = _Checked("statistics_license", _HTTPS_URL, "https://creativecommons.org/licenses/by/4.0/",
                                  default="https://creativecommons.org/licenses/by/4.0/")
    owner = c.SubConfig(OwnerConfig)
    hosting = c.SubConfig(HostingConfig)

    def content_options(self, *, parse_cache: Any = None, memo: Any = None, pages_dir: Path | None = None,
                        today: str = "") -> ContentOptions:
        """The one place that turns these options into what loading content needs (build, check, import)."""
        return ContentOptions(
            code_pattern=self.code_pattern,
            authority_levels=dict(self.authority_levels),
            max_form_bytes=self.max_form_size_mb * 1024 * 1024,
            parse_cache=parse_cache,
            memo=memo,
            pages_dir=pages_dir,
            today=today,
        )
