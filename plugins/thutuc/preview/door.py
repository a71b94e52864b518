"""What the preview asks of the host (MkDocs today): read the site configuration, build a whole site,
reload the content. host/cli.py hands its implementation (host/build.py) to serve(), so the preview
imports nothing of the host and a change of host touches host/ only."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class ConfigInvalid(Exception):
    """mkdocs.yml could not be read; the host has logged what is wrong, key by key."""


class BuildStopped(Exception):
    """A build stopped on an error; the host has logged it (in English, after the plugin's message)."""


class ContentInvalid(Exception):
    """The content has errors; the message lists them, in Vietnamese, located."""


class HostDoor(Protocol):
    def load_site_config(self, config_file: Path, **overrides: Any) -> Any: ...

    def build_site(self, config: Any, serve_url: str) -> None: ...

    def reload_content(self, plugin: Any, config: Any) -> Any: ...
