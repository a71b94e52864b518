"""Server configurations written by the build into `deploy/` beside the site, one per common host.

nginx server block, Apache `.htaccess`, IIS `web.config`, and `_headers` / `_redirects` (Netlify,
Cloudflare Pages). Every value comes from headers.py; every moved address of the register becomes a
301 rule. The folder is replaced as a whole (atomic.swap_in) only after every check of the build
passed, just before the site itself. No MkDocs imports.
"""

from __future__ import annotations

from pathlib import Path

from . import atomic
from .deploy_iis import web_config
from .headers import (
    ADMIN_PREFIX,
    ALLOWED_SOURCES,
    CACHE_HTML,
    CACHE_IMMUTABLE,
    CACHE_OTHER,
    COMPRESSIBLE_TYPES,
    DENIED_PATTERN,
    IMMUTABLE_DIRS,
    IMMUTABLE_PATTERN,
    NOT_FOUND_PAGE,
    Hosting,
)
from .redirect_register import Redirect

GENERATED = "Sinh tự động khi xây dựng trang (python3 build.py); sửa mkdocs.yml rồi xây dựng lại, đừng sửa tệp này."
NGINX_FILE = "nginx/thutuc.conf"
APACHE_FILE = "apache/.htaccess"
IIS_FILE = "iis/web.config"
NETLIFY_HEADERS = "netlify/_headers"
NETLIFY_REDIRECTS = "netlify/_redirects"
CLOUDFLARE_HEADERS = "cloudflare/_headers"
CLOUDFLARE_REDIRECTS = "cloudflare/_redirects"
# Placeholders the operator replaces (docs/trien-khai.md); tests replace them too.
SITE_ROOT = "/var/www/thutuc/site"
CERTIFICATE = "/etc/ssl/thutuc/fullchain.pem"
CERTIFICATE_KEY = "/etc/ssl/thutuc/privkey.pem"


def _quoted(value: str) -> str:
    """A double-quoted argument for nginx and Apache (values never hold quotes or backslashes to escape)."""
    assert '"' not in value and "\\" not in value.replace("\\.", ""), value
    return f'"{value}"'


def nginx_conf(hosting: Hosting, redirects: list[Redirect]) -> str:
    """An nginx configuration for conf.d/ (http context): HTTP → HTTPS and the HTTPS server."""
    add = "\n".join(f"    add_header {name} {_quoted(value)} always;" for name, value in hosting.headers())
    # add_header in a location replaces the server's: /admin/ repeats them all with its own policy.
    admin_add = "\n".join(f"        add_header {name} {_quoted(value)} always;" for name, value in hosting.headers(admin=True))
    moved = "\n".join(f"    {r.old} {r.new};\n    {r.old}index.html {r.new};" for r in redirects)
    return f"""# {GENERATED}
# Máy chủ nginx cho {hosting.site_url or "trang"}: đặt tệp này vào /etc/nginx/conf.d/, sửa đường dẫn root và chứng thư.
map $uri $thutuc_moved {{
    default "";
{moved}
}}

# One Cache-Control per kind of file, so no location needs its own add_header (which would drop the others).
map $uri $thutuc_cache_control {{
    default "{CACHE_OTHER}";
    "~{IMMUTABLE_PATTERN}" "{CACHE_IMMUTABLE}";
    "~(?:/|\\.html)$" "{CACHE_HTML}";
}}

server {{
    listen 80;
    listen [::]:80;
    server_name {hosting.host};
    # Let's Encrypt (certbot --webroot) proves the domain over plain HTTP.
    location ^~ /.well-known/acme-challenge/ {{
        root {SITE_ROOT};
        default_type text/plain;
    }}
    location / {{
        return 301 https://{hosting.host}$request_uri;
    }}
}}

server {{
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name {hosting.host};
    ssl_certificate {CERTIFICATE};
    ssl_certificate_key {CERTIFICATE_KEY};
    ssl_protocols TLSv1.2 TLSv1.3;
    root {SITE_ROOT};
    index index.html;
    charset utf-8;
    server_tokens off;
    autoindex off;

    gzip on;
    gzip_static on;
    gzip_vary on;
    gzip_comp_level 6;
    gzip_min_length 1024;
    gzip_types {" ".join(t for t in COMPRESSIBLE_TYPES if t != "text/html")};
    # brotli on; brotli_static on;   # chỉ khi máy chủ có mô-đun ngx_brotli

{add}
    add_header Cache-Control $thutuc_cache_control always;

    error_page 404 {NOT_FOUND_PAGE};

    if ($thutuc_moved) {{
        return 301 $thutuc_moved;
    }}
{"".join(f'''
    location = {allowed} {{
        default_type text/yaml;
{admin_add}
        add_header Cache-Control "no-cache" always;
    }}
''' for allowed in ALLOWED_SOURCES)}
    location ~ "{DENIED_PATTERN}" {{
        return 404;
    }}

    location {ADMIN_PREFIX} {{
{admin_add}
        add_header Cache-Control "no-cache" always;
        try_files $uri $uri/ =404;
    }}

    location = {NOT_FOUND_PAGE} {{
        internal;
    }}

    location / {{
        try_files $uri $uri/ =404;
    }}
}}
"""


def htaccess(hosting: Hosting, redirects: list[Redirect]) -> str:
    """An Apache .htaccess for the site's root folder (needs AllowOverride All, mod_rewrite, mod_headers)."""
    headers = "\n".join(f"    Header always set {name} {_quoted(value)}" for name, value in hosting.headers())
    admin = "\n".join(f"        Header always set {name} {_quoted(value)}" for name, value in hosting.headers(admin=True))
    index = "(?:index\\.html)?$"
    moved = "\n".join(f"RedirectMatch 301 {_quoted('^' + _pcre(r.old) + index)} {r.new}" for r in redirects)
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


def netlify_headers(hosting: Hosting, *, cloudflare: bool = False) -> str:
    """`_headers` for Netlify or Cloudflare Pages. Both apply every rule that matches a path; only
    Cloudflare can detach (`! Name`) what /* set, so only there /admin/ gets its own policy alone."""
    def block(path: str, pairs: list[tuple[str, str]], detach: tuple[str, ...] = ()) -> str:
        detached = [f"  ! {name}" for name in detach] if cloudflare else []
        return "\n".join([path, *detached, *(f"  {name}: {value}" for name, value in pairs)])

    # Netlify would join two Cache-Control values: there HTML keeps Netlify's own (revalidate every time).
    site_cache = [("Cache-Control", CACHE_HTML)] if cloudflare else []
    blocks = [
        f"# {GENERATED}",
        block("/*", [*hosting.headers(), *site_cache]),
        block(f"{ADMIN_PREFIX}*", [("Content-Security-Policy", hosting.admin_csp()), ("Cache-Control", "no-cache")],
              detach=("Content-Security-Policy", "Cache-Control")),
        *(block(f"/{folder}*", [("Cache-Control", CACHE_IMMUTABLE)], detach=("Cache-Control",) if cloudflare else ())
          for folder in IMMUTABLE_DIRS),
    ]
    return "\n".join(blocks) + "\n"


def netlify_redirects(hosting: Hosting, redirects: list[Redirect]) -> str:
    lines = [f"# {GENERATED}", *(f"{r.old} {r.new} 301" for r in redirects)]
    return "\n".join(lines) + "\n"


def configurations(hosting: Hosting, redirects: list[Redirect]) -> dict[str, str]:
    """Relative path in deploy/ -> text, for every host."""
    return {
        NGINX_FILE: nginx_conf(hosting, redirects),
        APACHE_FILE: htaccess(hosting, redirects),
        IIS_FILE: web_config(hosting, redirects),
        NETLIFY_HEADERS: netlify_headers(hosting),
        NETLIFY_REDIRECTS: netlify_redirects(hosting, redirects),
        CLOUDFLARE_HEADERS: netlify_headers(hosting, cloudflare=True),
        CLOUDFLARE_REDIRECTS: netlify_redirects(hosting, redirects),
    }


def write_deploy(target: Path, hosting: Hosting, redirects: list[Redirect]) -> None:
    """Write every configuration into a folder beside `target`, then swap it in as a whole."""
    atomic.clean_leftovers(target)
    staging = atomic.staging_dir(target)
    atomic.discard(staging)
    try:
        for relative, text in configurations(hosting, redirects).items():
            file = staging / relative
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, "utf-8", newline="\n")
        atomic.swap_in(staging, target)
    except BaseException:
        atomic.discard(staging)
        raise
