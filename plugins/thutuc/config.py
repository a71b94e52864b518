"""Options of the `thutuc` MkDocs plugin, as written under `plugins: - thutuc:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from .catalogue import DEFAULT_AUTHORITY_LEVELS


class OwnerConfig(base.Config):
    """The agency that owns the portal (Circular 32/2017 Art. 16: header and footer)."""

    name = c.Type(str, default="")
    address = c.Type(str, default="")
    phone = c.Type(str, default="")
    email = c.Type(str, default="")
    responsible = c.Type(str, default="")
    area_served = c.Type(str, default="Việt Nam")


class ThutucConfig(base.Config):
    content_dir = c.Type(str, default="content")
    code_pattern = c.Optional(c.Type(str))
    authority_levels = c.Type(dict, default=dict(DEFAULT_AUTHORITY_LEVELS))
    max_clicks = c.Type(int, default=3)
    # Codes of the "most-used procedures" block on the home page; empty: derived from related links.
    most_used = c.Type(list, default=[])
    # A form endpoint (https://…) that receives the satisfaction rating by POST; empty: prefilled e-mails.
    rating_endpoint = c.Type(str, default="")
    minify = c.Type(bool, default=True)  # off only to read the raw HTML or benchmark minifiers
    max_form_size_mb = c.Type(int, default=10)
    # Browser editor (Decap CMS) at /admin/: published when build.py could fetch it with npm.
    admin = c.Type(bool, default=True)
    admin_assets = c.Type(str, default=".cache/admin-assets")
    sample_data = c.Type(bool, default=False)
    owner = c.SubConfig(OwnerConfig)
