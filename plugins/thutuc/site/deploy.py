"""Server configurations written by the build into `deploy/` beside the site, one per common host.

nginx server block, Apache `.htaccess`, IIS `web.config`, and `_headers` / `_redirects` (Netlify,
Cloudflare Pages). Every value comes from headers.py; every moved address of the register becomes a
301 rule. The folder is replaced as a whole (atomic.swap_in) only after every check of the build
passed, just before the site itself. No MkDocs imports.
"""

from __future__ import annotations

from pathlib import Path

from ..content.redirect_register import Redirect
from ..render import atomic
from ..render.headers import (
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
from .deploy_apache import GENERATED, htaccess, quoted
from .deploy_iis import web_config

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


def nginx_conf(hosting: Hosting, redirects: list[Redirect]) -> str:
    """An nginx configuration for conf.d/ (http context): HTTP → HTTPS and the HTTPS server."""
    add = "\n".join(f"    add_header {name} {quoted(value)} always;" for name, value in hosting.headers())
    # add_header in a location replaces the server's: /admin/ repeats them all with its own policy.
    admin_add = "\n".join(f"        add_header {name} {quoted(value)} always;" for name, value in hosting.headers(admin=True))
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
        atomic.swap_in(staging, target, site=False)
    except BaseException:
        atomic.discard(staging)
        raise
