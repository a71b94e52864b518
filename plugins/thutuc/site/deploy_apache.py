"""The Apache `.htaccess` for the site's root folder (mod_rewrite, mod_headers; mod_deflate if present).

Values from headers.py, like every other host's configuration (deploy.py). No MkDocs imports.
"""

from __future__ import annotations

from ..content.redirect_register import Redirect
from ..render.headers import (
    ADMIN_PREFIX,
    ALLOWED_SOURCES,
    CACHE_HTML,
    CACHE_IMMUTABLE,
    CACHE_OTHER,
    COMPRESSIBLE_TYPES,
    DENIED_PATTERN,
    IMMUTABLE_PATTERN,
    NOT_FOUND_PAGE,
    Hosting,
)

GENERATED = "Sinh tự động khi xây dựng trang (python3 build.py); sửa mkdocs.yml rồi xây dựng lại, đừng sửa tệp này."


def quoted(value: str) -> str:
    """A double-quoted argument for nginx and Apache (values never hold quotes or backslashes to escape)."""
    assert '"' not in value and "\\" not in value.replace("\\.", ""), value
    return f'"{value}"'


def htaccess(hosting: Hosting, redirects: list[Redirect]) -> str:
    """An Apache .htaccess for the site's root folder (needs AllowOverride All, mod_rewrite, mod_headers)."""
    headers = "\n".join(f"    Header always set {name} {quoted(value)}" for name, value in hosting.headers())
    admin = "\n".join(f"        Header always set {name} {quoted(value)}" for name, value in hosting.headers(admin=True))
    index = "(?:index\\.html)?$"
    moved = "\n".join(f"RedirectMatch 301 {quoted('^' + _pcre(r.old) + index)} {r.new}" for r in redirects)
    allowed = "|".join(_pcre(a) for a in ALLOWED_SOURCES)
    immutable, html = gz_aware(IMMUTABLE_PATTERN), gz_aware(r"(?:/|\.html)$")
    return f"""# {GENERATED}
Options -Indexes
DirectoryIndex index.html
AddDefaultCharset utf-8
ErrorDocument 404 {NOT_FOUND_PAGE}
AddType application/manifest+json .webmanifest
AddType text/javascript .js

<IfModule mod_rewrite.c>
    RewriteEngine On
    RewriteCond %{{HTTPS}} !=on
    RewriteCond %{{REQUEST_URI}} !^/\\.well-known/acme-challenge/
    RewriteRule ^ https://{hosting.host}%{{REQUEST_URI}} [R=301,L]
    RewriteCond %{{REQUEST_URI}} !^(?:{allowed})$
    RewriteRule "{DENIED_PATTERN}" - [R=404,L]
    # Tệp .gz nén sẵn khi trình duyệt nhận gzip.
    RewriteCond %{{HTTP:Accept-Encoding}} gzip
    RewriteCond %{{REQUEST_FILENAME}}.gz -f
    RewriteRule ^(.*)$ $1.gz [L]
    RewriteCond %{{HTTP:Accept-Encoding}} gzip
    RewriteCond %{{REQUEST_FILENAME}}index.html.gz -f
    RewriteRule ^(.*/)?$ $1index.html.gz [L]
</IfModule>
{moved}

<FilesMatch "\\.html\\.gz$">
    ForceType "text/html; charset=utf-8"
</FilesMatch>
<FilesMatch "\\.css\\.gz$">
    ForceType text/css
</FilesMatch>
<FilesMatch "\\.js\\.gz$">
    ForceType text/javascript
</FilesMatch>
<FilesMatch "\\.json\\.gz$">
    ForceType application/json
</FilesMatch>
<FilesMatch "\\.xml\\.gz$">
    ForceType application/xml
</FilesMatch>
<FilesMatch "\\.svg\\.gz$">
    ForceType image/svg+xml
</FilesMatch>
<FilesMatch "\\.gz$">
    <IfModule mod_headers.c>
        Header set Content-Encoding gzip
        Header append Vary Accept-Encoding
    </IfModule>
    SetEnv no-gzip 1
</FilesMatch>
<IfModule mod_deflate.c>
    AddOutputFilterByType DEFLATE {" ".join(COMPRESSIBLE_TYPES)}
</IfModule>

<IfModule mod_headers.c>
{headers}
    Header set Cache-Control "{CACHE_OTHER}"
    <If "%{{REQUEST_URI}} =~ m#^{ADMIN_PREFIX}#">
{admin}
        Header set Cache-Control "no-cache"
    </If>
    <ElseIf "%{{REQUEST_URI}} =~ m#{immutable}#">
        Header set Cache-Control "{CACHE_IMMUTABLE}"
    </ElseIf>
    <ElseIf "%{{REQUEST_URI}} =~ m#{html}#">
        Header set Cache-Control "{CACHE_HTML}"
    </ElseIf>
</IfModule>
"""


def gz_aware(pattern: str) -> str:
    """Apache sees the precompressed file's name after the rewrite to `.gz`: match it as well."""
    assert pattern.endswith("$")
    return pattern[:-1] + r"(?:\.gz)?$"


def _pcre(path: str) -> str:
    """A register path as a regular expression (paths hold only slug characters, see redirect_register)."""
    return path.replace(".", "\\.")
