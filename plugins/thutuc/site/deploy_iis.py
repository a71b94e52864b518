"""The IIS `web.config` (needs the URL Rewrite module), built as XML so every value is escaped. No MkDocs imports."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..content import urls
from ..content.redirect_register import Redirect
from ..render.headers import (
    ADMIN_PREFIX,
    ALLOWED_SOURCES,
    DENIED_EXTENSIONS,
    HTML_SECONDS,
    IMMUTABLE_DIRS,
    IMMUTABLE_SECONDS,
    NOT_FOUND_PAGE,
    OTHER_SECONDS,
    Hosting,
)

REDIRECT_MAP = "ThutucMovedAddresses"
MIME_TYPES = {".json": "application/json", ".js": "text/javascript", ".webmanifest": "application/manifest+json",
              ".woff2": "font/woff2", ".svg": "image/svg+xml", ".xml": "application/xml"}


def _max_age(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days}.{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, {key.rstrip("_"): value for key, value in attributes.items()})


def _client_cache(parent: ET.Element, seconds: int, custom: str = "public") -> ET.Element:
    static = _sub(parent, "staticContent")
    _sub(static, "clientCache", cacheControlMode="UseMaxAge", cacheControlMaxAge=_max_age(seconds),
         cacheControlCustom=custom)
    return static


def _location(root: ET.Element, path: str) -> ET.Element:
    location = _sub(root, "location", path=path)
    return _sub(location, "system.webServer")


def web_config(hosting: Hosting, redirects: list[Redirect]) -> str:
    root = ET.Element("configuration")
    server = _sub(root, "system.webServer")
    rewrite = _sub(server, "rewrite")
    maps = _sub(rewrite, "rewriteMaps")
    moved = _sub(maps, "rewriteMap", name=REDIRECT_MAP)
    for redirect in redirects:
        _sub(moved, "add", key=redirect.old, value=redirect.new)
        _sub(moved, "add", key=redirect.old + "index.html", value=redirect.new)
    rules = _sub(rewrite, "rules")
    https = _sub(rules, "rule", name="HTTPS", stopProcessing="true")
    _sub(https, "match", url="(.*)")
    https_conditions = _sub(https, "conditions")
    _sub(https_conditions, "add", input="{HTTPS}", pattern="^OFF$")
    _sub(https_conditions, "add", input="{URL}", pattern="^/\\.well-known/acme-challenge/", negate="true")
    _sub(https, "action", type="Redirect", url=f"https://{hosting.host}/{{R:1}}", redirectType="Permanent")
    register = _sub(rules, "rule", name="Moved addresses", stopProcessing="true")
    _sub(register, "match", url=".*")
    _sub(_sub(register, "conditions"), "add", input=f"{{{REDIRECT_MAP}:{{URL}}}}", pattern="(.+)")
    _sub(register, "action", type="Redirect", url="{C:1}", redirectType="Permanent")
    outbound = _sub(rewrite, "outboundRules")
    admin_rule = _sub(outbound, "rule", name="Admin CSP")
    _sub(admin_rule, "match", serverVariable="RESPONSE_Content_Security_Policy", pattern=".*")
    _sub(_sub(admin_rule, "conditions"), "add", input="{URL}", pattern=f"^{ADMIN_PREFIX}")
    _sub(admin_rule, "action", type="Rewrite", value=hosting.admin_csp())

    custom = _sub(_sub(server, "httpProtocol"), "customHeaders")
    for name, value in hosting.headers():
        _sub(custom, "remove", name=name)
        _sub(custom, "add", name=name, value=value)
    errors = _sub(server, "httpErrors", errorMode="Custom", existingResponse="Replace")
    _sub(errors, "remove", statusCode="404")
    _sub(errors, "error", statusCode="404", path=NOT_FOUND_PAGE, responseMode="ExecuteURL")
    static = _client_cache(server, HTML_SECONDS)
    for extension, mime in MIME_TYPES.items():
        _sub(static, "remove", fileExtension=extension)
        _sub(static, "mimeMap", fileExtension=extension, mimeType=mime)
    _sub(server, "urlCompression", doStaticCompression="true", doDynamicCompression="false")
    filtering = _sub(_sub(server, "security"), "requestFiltering")
    extensions = _sub(filtering, "fileExtensions")
    for extension in DENIED_EXTENSIONS:
        _sub(extensions, "add", fileExtension=f".{extension}", allowed="false")
    segments = _sub(filtering, "hiddenSegments")
    for segment in (".git", ".cache", ".env", ".htaccess"):
        _sub(segments, "add", segment=segment)

    for folder in IMMUTABLE_DIRS:
        _client_cache(_location(root, folder.rstrip("/")), IMMUTABLE_SECONDS, "public, immutable")
    for folder in (urls.FORMS.rstrip("/"), "assets/images", "schema"):
        _client_cache(_location(root, folder), OTHER_SECONDS)
    for allowed in ALLOWED_SOURCES:
        allowed_server = _location(root, allowed.lstrip("/"))
        allowed_extensions = _sub(_sub(_sub(allowed_server, "security"), "requestFiltering"), "fileExtensions")
        _sub(allowed_extensions, "remove", fileExtension="." + allowed.rsplit(".", 1)[1])
        yaml_static = _sub(allowed_server, "staticContent")
        _sub(yaml_static, "mimeMap", fileExtension="." + allowed.rsplit(".", 1)[1], mimeType="text/yaml")
    ET.indent(root)
    comment = ("<!-- Sinh tự động khi xây dựng trang (python3 build.py); sửa mkdocs.yml rồi xây dựng lại. "
               "Cần mô-đun URL Rewrite của IIS. -->\n")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + comment + ET.tostring(root, encoding="unicode") + "\n"
