"""What every host sends with the site: the one source of truth for header values, caching and denied paths.

Each server configuration (deploy.py) and the meta tag for hosts without headers take their values
from here, so nginx, Apache, IIS and Netlify/Cloudflare Pages all say the same. No MkDocs imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

HSTS = "max-age=31536000; includeSubDomains"
NOSNIFF = "nosniff"
REFERRER_POLICY = "strict-origin-when-cross-origin"
# Only features Chromium and Firefox know: an unknown name is a console error on every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Fingerprinted files (fingerprint.py) never change under their name; HTML and other files are re-checked soon.
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_HTML = "public, max-age=300"
CACHE_OTHER = "public, max-age=3600"
IMMUTABLE_SECONDS = 31536000
HTML_SECONDS = 300
OTHER_SECONDS = 3600

HASH_LENGTH = 10  # hex digits of sha256 in a fingerprinted name: site.3f9a1c0b2d.css
# Folders that hold nothing but fingerprinted files (fingerprint.FINGERPRINTED_DIRS).
IMMUTABLE_DIRS = ("assets/css/", "assets/js/", "assets/vendor/", "assets/search/", "assets/fonts/")
IMMUTABLE_EXTENSIONS = ("css", "js", "json", "woff2", "woff", "ttf", "otf")
# A server-side pattern (PCRE) for a fingerprinted file's path.
IMMUTABLE_PATTERN = (r"^/assets/(?:css|js|vendor|search|fonts)/.+\.[0-9a-f]{" + str(HASH_LENGTH) + r"}\.(?:"
                     + "|".join(IMMUTABLE_EXTENSIONS) + r")$")

# Never served even if they reach the site folder: sources, caches, VCS data; hidden files except /.well-known/.
DENIED_EXTENSIONS = ("yml", "yaml", "py", "md", "cache", "git")
DENIED_PATTERN = r"(?:^|/)\.(?!well-known/)|\.(?:" + "|".join(DENIED_EXTENSIONS) + r")$"
# Decap CMS reads its own configuration: the one source-like file that is published on purpose.
ALLOWED_SOURCES = ("/admin/config.yml",)
ADMIN_PREFIX = "/admin/"
NOT_FOUND_PAGE = "/404.html"
# Text files the build precompresses (gzip -9) and servers may compress on the fly.
COMPRESSIBLE_TYPES = ("text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                      "application/xml", "text/xml", "image/svg+xml", "text/plain", "text/csv",
                      "application/manifest+json")


def origin(url: str) -> str:
    """scheme://host[:port] of an address ('' for an empty or relative one)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@dataclass(frozen=True)
class Hosting:
    """What the configurations need from mkdocs.yml: the canonical address and the optional third parties."""

    site_url: str = ""
    emc_site_id: str = ""  # the ministry's monitoring system (EMC): off unless a site id is set
    emc_script: str = ""  # https address of its script, as the Ministry gives it
    rating_endpoint: str = ""  # the satisfaction form posts there when set (form-action)
    meta_csp: bool = False  # hosts without headers: the policy goes into a <meta http-equiv> tag

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).hostname or "localhost"

    @property
    def emc_origin(self) -> str:
        return origin(self.emc_script) if self.emc_site_id else ""

    def csp(self, *, meta: bool = False) -> str:
        """The site's policy: only the site itself, plus exactly the EMC host when monitoring is on.

        In a meta tag browsers ignore frame-ancestors (and Chromium logs an error), so it is left out there."""
        third = f" {self.emc_origin}" if self.emc_origin else ""
        form = f" {origin(self.rating_endpoint)}" if origin(self.rating_endpoint) else ""
        parts = [
            "default-src 'self'",
            f"script-src 'self'{third}",
            "style-src 'self'",
            f"img-src 'self'{third}",
            "font-src 'self'",
            f"connect-src 'self'{third}",
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action 'self'{form}",
        ]
        if not meta:
            parts.append("frame-ancestors 'none'")
        return "; ".join(parts)

    @staticmethod
    def admin_csp() -> str:
        """/admin/ only: Decap CMS injects styles and compiles its validator with new Function (docs/security.md)."""
        return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")

    def headers(self, *, admin: bool = False) -> list[tuple[str, str]]:
        """Every security header, in the order the configurations write them."""
        return [
            ("Strict-Transport-Security", HSTS),
            ("Content-Security-Policy", self.admin_csp() if admin else self.csp()),
            ("X-Content-Type-Options", NOSNIFF),
            ("Referrer-Policy", REFERRER_POLICY),
            ("Permissions-Policy", PERMISSIONS_POLICY),
        ]
