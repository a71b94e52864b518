"""The generated nginx configuration, proved on a real nginx (TLS with a throwaway certificate).

The sample catalogue is built with a register of published addresses, then served by Debian's
nginx on 127.0.0.1 with deploy/nginx/thutuc.conf: HTTP → HTTPS, every security header, the 404
page, caching, refused sources, gzip, the register's 301s, and the browser quality checks (axe,
no other host, console, CSP) once through it. With the ministry's monitoring (EMC) on, its host is
the only other one a page contacts, and the policy allows exactly it.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.browser import watched_context
from support.nginx_server import Nginx, fetch, run_nginx
from support.quality import all_problems, check, visit_all
from support.site_pages import discover

from conftest import FIXTURES, REPO, SAMPLE_CONTENT, Project, make_project

HOST = "thutuc.mau.example.vn"  # site_url's host in mkdocs.yml
PROCEDURE = "/thu-tuc/dang-ky-khai-sinh-1-001193/"
MOVED = {
    "/thu-tuc/dang-ky-khai-sinh-1001193/": PROCEDURE,
    "/linh-vuc/ho-tich-cu/": "/linh-vuc/ho-tich/",
}
REGISTER = "\n".join([
    "# Sổ địa chỉ đã công bố (do bài kiểm thử viết)",
    "/",
    PROCEDURE,
    "/linh-vuc/ho-tich/",
    *(f"{old} -> {new}" for old, new in sorted(MOVED.items())),
]) + "\n"
EXPECTED_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                                "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
EMC_SCRIPT = "https://giamsat.example.gov.vn/emc.js"


def build_with_register(root: Path, content: Path, extra_config: str = "") -> Project:
    project = make_project(root, content, extra_config=extra_config)
    (project.content / "published-addresses.txt").write_text(REGISTER, "utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr + result.stdout
    return project


@pytest.fixture(scope="module")
def hosted(tmp_path_factory) -> tuple[Project, Nginx]:
    root = tmp_path_factory.mktemp("nginx")
    # The editors' app too, when build.py has fetched it, so /admin/'s own policy is proved.
    admin = f"      admin_assets: {REPO / '.cache' / 'admin-assets'}\n"
    project = build_with_register(root / "project", SAMPLE_CONTENT, admin)
    # Files that must never be served even if they reach the site folder.
    (project.site / "probe.yml").write_text("secret: yml\n", "utf-8")
    (project.site / ".git").mkdir()
    (project.site / ".git" / "config").write_text("[secret]\n", "utf-8")
    with run_nginx(project.site, project.root / "deploy", root / "server", HOST) as server:
        yield project, server


def get(server: Nginx, path: str, headers: dict[str, str] | None = None, *, tls: bool = True):
    return fetch(server, path, headers, tls=tls)


def stylesheet(project: Project) -> str:
    match = re.search(r'<link [^>]*href="?(/?assets/css/site\.[0-9a-f]{10}\.css)', project.html("/"))
    assert match, "the home page links no fingerprinted stylesheet"
    return "/" + match.group(1).lstrip("/")


def test_http_redirects_to_https(hosted):
    _, server = hosted
    status, headers, _ = get(server, PROCEDURE + "?q=khai+sinh", tls=False)
    assert status == 301
    assert headers["location"] == f"https://{HOST}{PROCEDURE}?q=khai+sinh"


@pytest.mark.parametrize("path", ["/", PROCEDURE, "/khong-co-trang-nay/", "asset"])
def test_every_security_header(hosted, path):
    project, server = hosted
    status, headers, _ = get(server, stylesheet(project) if path == "asset" else path)
    assert status in (200, 404)
    for name, value in EXPECTED_HEADERS.items():
        assert headers.get(name.lower()) == value, f"{path}: {name}"


def test_admin_gets_its_own_policy(hosted):
    project, server = hosted
    if not (project.site / "admin" / "index.html").is_file():
        pytest.skip("no /admin/ in this build: build.py could not fetch Decap CMS")
    status, headers, body = get(server, "/admin/config.yml")
    assert status == 200 and body == (project.site / "admin" / "config.yml").read_bytes()
    assert "'unsafe-eval'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    status, headers, _ = get(server, "/admin/")
    assert status == 200 and "'unsafe-inline'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-cache"
    status, headers, _ = get(server, PROCEDURE)
    assert "unsafe" not in headers["content-security-policy"]


def test_unknown_path_is_the_projects_404_page(hosted):
    project, server = hosted
    status, headers, body = get(server, "/thu-tuc/khong-co-thu-tuc-nay/")
    assert status == 404
    assert headers["content-type"].startswith("text/html")
    assert body == (project.site / "404.html").read_bytes()
    assert "Không tìm thấy" in body.decode("utf-8")


def test_fingerprinted_assets_are_immutable_and_html_is_short(hosted):
    project, server = hosted
    status, headers, body = get(server, stylesheet(project))
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    assert body == (project.site / stylesheet(project).lstrip("/")).read_bytes()
    for page in ("/", PROCEDURE):
        assert get(server, page)[1]["cache-control"] == "public, max-age=300"


@pytest.mark.parametrize("path", ["/probe.yml", "/.git/config", "/.git/", "/mkdocs.yml"])
def test_sources_and_hidden_files_are_refused(hosted, path):
    _, server = hosted
    status, _, body = get(server, path)
    assert status == 404
    assert b"secret" not in body


@pytest.mark.parametrize("path", ["/", PROCEDURE, "css"])
def test_gzip_is_served_from_the_precompressed_files(hosted, path):
    project, server = hosted
    path = stylesheet(project) if path == "css" else path
    file = project.site / path.lstrip("/")
    file = file / "index.html" if path.endswith("/") else file
    status, headers, body = get(server, path, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert gzip.decompress(body) == file.read_bytes()
    assert body == Path(f"{file}.gz").read_bytes()  # gzip_static: the build's -9 file, not on-the-fly
    assert "accept-encoding" in headers.get("vary", "").lower()
    assert "content-encoding" not in get(server, path)[1]  # clients without gzip get the plain file


@pytest.mark.parametrize("old", sorted(MOVED))
def test_register_redirects_answer_301(hosted, old):
    _, server = hosted
    for path in (old, old + "index.html"):
        status, headers, _ = get(server, path)
        assert status == 301, path
        assert urlsplit(headers["location"]).path == MOVED[old]
    assert get(server, MOVED[old])[0] == 200


def test_browser_quality_checks_through_nginx(hosted, chromium_browser):
    project, server = hosted
    context = watched_context(chromium_browser, ignore_https_errors=True)
    try:
        visits = visit_all(context, server.base_url, discover(project.site))
    finally:
        context.close()
    assert len(visits) > 10
    check(all_problems(visits), "browser quality checks through nginx")


# -- the ministry's monitoring (EMC), opt-in ------------------------------------------------------------------

@pytest.fixture(scope="module")
def monitored(tmp_path_factory) -> tuple[Project, Nginx]:
    root = tmp_path_factory.mktemp("nginx-emc")
    extra = f"      hosting:\n        emc_site_id: tinh-mau-01\n        emc_script: {EMC_SCRIPT}\n"
    project = make_project(root / "project", FIXTURES / "minimal")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      owner:\n", extra + "      owner:\n", 1), "utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr + result.stdout
    with run_nginx(project.site, project.root / "deploy", root / "server", HOST) as server:
        yield project, server


def test_monitoring_script_on_every_page_and_allowed_exactly(monitored):
    project, server = monitored
    pages = sorted(project.site.rglob("*.html"))
    pages = [p for p in pages if not p.relative_to(project.site).as_posix().startswith("admin/")]
    missing = [p for p in pages if f'src="{EMC_SCRIPT}"' not in p.read_text("utf-8")
               and f"src={EMC_SCRIPT}" not in p.read_text("utf-8")]
    assert pages and not missing
    _, headers, _ = get(server, "/")
    policy = headers["content-security-policy"]
    assert "script-src 'self' https://giamsat.example.gov.vn;" in policy
    assert set(re.findall(r"https?://[^\s;']+", policy)) == {"https://giamsat.example.gov.vn"}
    for name in ("nginx/thutuc.conf", "apache/.htaccess", "iis/web.config", "netlify/_headers", "cloudflare/_headers"):
        text = (project.root / "deploy" / name).read_text("utf-8")
        assert "script-src 'self' https://giamsat.example.gov.vn;" in text, name
        assert "connect-src 'self' https://giamsat.example.gov.vn;" in text, name
        policies = [line for line in text.splitlines() if "default-src 'self'; script-src 'self'" in line]
        assert policies, name  # the site's policy, and no other host anywhere in it
        assert {o for line in policies for o in re.findall(r"https?://[^\s;'\"]+", line)} == {"https://giamsat.example.gov.vn"}


def test_with_monitoring_only_its_host_is_contacted(monitored, chromium_browser):
    project, server = monitored
    context = watched_context(chromium_browser, ignore_https_errors=True)
    # The monitoring host is not reachable from tests: answer its script here, as the real one would load.
    context.route(EMC_SCRIPT, lambda route: route.fulfill(
        status=200, content_type="text/javascript",
        body="window.__emc = document.currentScript && document.currentScript.dataset.siteId;"))
    try:
        visits = visit_all(context, server.base_url, [p for p in discover(project.site) if p.status == 200][:4])
        page = context.new_page()
        page.goto(server.base_url, wait_until="load")
        page.wait_for_function("window.__emc !== undefined", timeout=10_000)
        site_id = page.evaluate("window.__emc")
        page.close()
    finally:
        context.close()
    assert site_id == "tinh-mau-01"
    for visit in visits:
        assert visit.log.foreign_requests() == [EMC_SCRIPT], visit.page.url
        assert not visit.log.csp, visit.log.csp
