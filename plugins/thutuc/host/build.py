"""The MkDocs door for the preview: read mkdocs.yml and build a whole site, with MkDocs' public API only.

The preview (preview/server.py) renders single pages with the project's renderer (render/page_render.py, through
plugin.render_generated) and serves them itself (preview/http_server.py); a full build is the one thing
it asks MkDocs for, here, so that a change of host touches this module and plugin.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..preview.door import BuildStopped, ConfigInvalid, ContentInvalid


def load_site_config(config_file: Path, **overrides: Any) -> Any:
    try:
        return load_config(config_file=str(config_file), **overrides)
    except MkDocsException as error:
        raise ConfigInvalid(str(error)) from error


def build_site(config: Any, serve_url: str) -> None:
    """A full build into config.site_dir; links and canonical URLs point at serve_url."""
    try:
        build(config, serve_url=serve_url)
    except MkDocsException as error:
        raise BuildStopped(str(error)) from error


def reload_content(plugin: Any, config: Any) -> Any:
    """plugin.load_content (every problem at once; nothing written), its refusal as ContentInvalid."""
    try:
        return plugin.load_content(config)
    except MkDocsException as error:
        raise ContentInvalid(str(error)) from error
