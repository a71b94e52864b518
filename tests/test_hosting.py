"""What the build writes for hosts: deploy/ beside the site, fingerprinted assets, precompressed files.

The nginx configuration is proved on a real server in test_nginx.py; here the Apache `.htaccess`
passes `apache2 -t` (included in a minimal server configuration), the IIS `web.config` is parsed as
XML and its rules read back, and every format carries the same values from headers.py.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitecheck import published_asset, set_plugin_option, tree_hashes
from support.apache_server import apache_binary, modules_conf, run_apache
from support.browser import PageLog, watched_context
from support.nginx_server import fetch
from support.site_server import serve_site

from conftest import FIXTURES, Project, make_project
from thutuc.render.fingerprint import fingerprint_assets
from thutuc.render.headers import Hosting

SITE_URL = "https://thutuc.mau.example.vn/"
PROCEDURE = "/thu-tuc/dang-ky-khai-sinh-1-001193/"
REGISTER = f"# sổ địa chỉ\n/\n{PROCEDURE}\n/thu-tuc/khai-sinh-cu/ -> {PROCEDURE}\n/trang.cu/ -> /\n"
HOST = "thutuc.mau.example.vn"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, str]]:
    """The minimal fixture with a register of published addresses, built once."""
    project = make_project(tmp_path_factory.mktemp("hosting") / "project", FIXTURES / "minimal")
    (project.content / "published-addresses.txt").write_text(REGISTER, "utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr + result.stdout
    return project, tree_hashes(project.site)


@pytest.fixture(scope="module")
def built(published) -> Project:
    return published[0]


def deployed(project: Project, name: str) -> str:
    return (project.root / "deploy" / name).read_text("utf-8")


def test_every_host_gets_a_configuration_with_the_same_values(built):
    hosting = Hosting(site_url=SITE_URL)
    texts = {name: deployed(built, name) for name in
             ("nginx/thutuc.conf", "apache/.htaccess", "iis/web.config", "netlify/_headers")}
    for name, text in texts.items():
        for header, value in hosting.headers():
            shown = value.replace("'", "&apos;") if name.endswith(".config") and "&apos;" in text else value
            assert header in text and shown in text, f"{name}: {header}"
    assert "default-src 'self'; script-src 'self'; style-src 'self'" in hosting.csp()
    assert "frame-ancestors 'none'" in hosting.csp() and "unsafe" not in hosting.csp()
    assert "/thu-tuc/khai-sinh-cu/ /thu-tuc/dang-ky-khai-sinh-1-001193/ 301" in deployed(built, "netlify/_redirects")
    assert not (built.site / "nginx").exists() and not (built.site / "thutuc.conf").exists()
    # Only Cloudflare can detach the site's policy from /admin/; Netlify would join both values.
    assert "/admin/*\n  ! Content-Security-Policy\n" in deployed(built, "cloudflare/_headers")
    assert "! " not in deployed(built, "netlify/_headers")
    assert deployed(built, "cloudflare/_redirects") == deployed(built, "netlify/_redirects")


def test_web_config_is_xml_with_the_rules(built):
    root = ET.fromstring(deployed(built, "iis/web.config"))
    server = root.find("system.webServer")
    https = server.find("rewrite/rules/rule[@name='HTTPS']")
    assert [c.get("input") for c in https.iterfind("conditions/add")] == ["{HTTPS}", "{URL}"]
    assert https.find("action").attrib == {"type": "Redirect", "url": "https://thutuc.mau.example.vn/{R:1}",
                                            "redirectType": "Permanent"}
    moved = {a.get("key"): a.get("value") for a in server.iterfind("rewrite/rewriteMaps/rewriteMap/add")}
    assert moved == {"/thu-tuc/khai-sinh-cu/": PROCEDURE, "/thu-tuc/khai-sinh-cu/index.html": PROCEDURE,
                     "/trang.cu/": "/", "/trang.cu/index.html": "/"}
    assert server.find("rewrite/rules/rule[@name='Moved addresses']/action").get("redirectType") == "Permanent"
    error = server.find("httpErrors/error")
    assert (error.get("statusCode"), error.get("path"), error.get("responseMode")) == ("404", "/404.html", "ExecuteURL")
    headers = {a.get("name"): a.get("value") for a in server.iterfind("httpProtocol/customHeaders/add")}
    assert headers == dict(Hosting(site_url=SITE_URL).headers())
    assert server.find("staticContent/clientCache").get("cacheControlMaxAge") == "0.00:05:00"
    denied = {a.get("fileExtension") for a in server.iterfind("security/requestFiltering/fileExtensions/add")
              if a.get("allowed") == "false"}
    assert {".yml", ".yaml", ".py", ".md"} <= denied
    caches = {loc.get("path"): loc.find("system.webServer/staticContent/clientCache") for loc in root.iterfind("location")}
    assert caches["assets/css"].get("cacheControlMaxAge") == "365.00:00:00"
    assert caches["assets/css"].get("cacheControlCustom") == "public, immutable"
    assert root.find("location[@path='admin/config.yml']/system.webServer/security/requestFiltering/fileExtensions/remove") \
        .get("fileExtension") == ".yml"


def test_htaccess_passes_apache_syntax_check(built, tmp_path):
    htaccess = built.root / "deploy" / "apache" / ".htaccess"
    config = tmp_path / "apache.conf"
    config.write_text(f"""ServerRoot {tmp_path}
ServerName localhost
Listen 127.0.0.1:8
PidFile {tmp_path}/apache.pid
ErrorLog {tmp_path}/error.log
TypesConfig /etc/mime.types
{modules_conf()}
DocumentRoot {built.site}
<Directory {built.site}>
    AllowOverride All
    Require all granted
    Include {htaccess}
</Directory>
""", "utf-8")
    checked = subprocess.run([apache_binary(), "-t", "-f", str(config)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "Syntax OK" in checked.stderr, checked.stderr
    text = htaccess.read_text("utf-8")
    assert "ErrorDocument 404 /404.html" in text
    assert 'RedirectMatch 301 "^/trang\\.cu/(?:index\\.html)?$" /' in text


def test_htaccess_on_a_real_apache(built):
    """The .htaccess in the site's root on Apache with TLS: what nginx is checked for, in short."""
    css = published_asset(built.site, "assets/css/site.css")
    css_path = "/" + css.relative_to(built.site).as_posix()
    with run_apache(built.site, built.root / "deploy" / "apache" / ".htaccess", HOST) as server:
        status, headers, _ = fetch(server, PROCEDURE, tls=False)
        assert (status, headers["location"]) == (301, f"https://{HOST}{PROCEDURE}")
        status, headers, body = fetch(server, PROCEDURE, {"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        assert gzip.decompress(body) == (built.site / PROCEDURE.strip("/") / "index.html").read_bytes()
        for name, value in Hosting(site_url=SITE_URL).headers():
            assert headers.get(name.lower()) == value, name
        assert headers["cache-control"] == "public, max-age=300"
        status, headers, body = fetch(server, css_path, {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
        assert headers["content-type"].startswith("text/css") and gzip.decompress(body) == css.read_bytes()
        status, headers, body = fetch(server, "/khong-co-trang-nay/")
        assert status == 404 and body == (built.site / "404.html").read_bytes()
        assert fetch(server, "/.htaccess")[0] == 404
        for old, new in (("/thu-tuc/khai-sinh-cu/", PROCEDURE), ("/trang.cu/index.html", "/")):
            status, headers, _ = fetch(server, old)
            assert status == 301 and urlsplit(headers["location"]).path == new, old


def test_assets_have_content_hashed_names_referenced_from_every_page(built):
    site = built.site
    for unhashed in ("assets/css/site.css", "assets/js/site.js", "assets/js/search.js",
                     "assets/vendor/lunr/lunr.min.js", "assets/search/index.json", "assets/search/docs.json"):
        assert not (site / unhashed).exists(), unhashed
    hashed = re.compile(r"assets/(?:css|js|vendor/lunr)/[\w.-]+\.([0-9a-f]{10})\.(?:css|js)")
    for page in [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("admin/")]:
        html = page.read_text("utf-8")
        references = re.findall(r'(?:href|src)="?([^" >]*assets/(?:css|js)/[^" >]+)', html)
        redirect = re.search(r'http-equiv="?refresh', html, re.I)  # redirect pages (address_register) load the stylesheet only
        assert len(references) >= (1 if redirect else 3), page
        for reference in references:
            match = hashed.search(reference)
            assert match, f"{page}: {reference}"
            data = (site / match.group(0)).read_bytes()
            assert hashlib.sha256(data).hexdigest()[:10] == match.group(1), reference
    search_js = next((site / "assets" / "js").glob("search.*.js")).read_text("utf-8")
    for loaded in re.findall(r'"(assets/(?:search|vendor)/[^"]+)"', search_js):
        assert re.search(r"\.[0-9a-f]{10}\.(?:js|json)$", loaded) and (site / loaded).is_file(), loaded


def test_stylesheets_and_scripts_load_the_fingerprinted_names():
    names, published = fingerprint_assets({
        "assets/fonts/a.woff2": b"font",
        "assets/css/site.css": b"@font-face{src:url('../fonts/a.woff2?v=1#x')} .x{background:url(../images/logo.svg)}",
        "assets/js/search.js": b'load("assets/vendor/lunr/lunr.min.js", "assets/search/index.json")',
        "assets/vendor/lunr/lunr.min.js": b"lunr",
    }, {"assets/search/index.json": "assets/search/index.0123456789.json"})
    font = names["assets/fonts/a.woff2"].rpartition("/")[2]
    assert published[names["assets/css/site.css"]].decode() == \
        f"@font-face{{src:url('../fonts/{font}?v=1#x')}} .x{{background:url(../images/logo.svg)}}"
    assert published[names["assets/js/search.js"]].decode() == \
        'load("{}", "assets/search/index.0123456789.json")'.format(names["assets/vendor/lunr/lunr.min.js"])
    assert set(published) == set(names.values()) - {"assets/search/index.0123456789.json"}


def test_large_text_files_are_precompressed_reproducibly(built):
    site = built.site
    compressed = sorted(site.rglob("*.gz"))
    assert site / "index.html.gz" in compressed
    for gz in compressed:
        original = gz.with_suffix("")
        data = gz.read_bytes()
        assert gzip.decompress(data) == original.read_bytes(), gz
        assert data[4:8] == b"\0\0\0\0" and data[3] & 0x08 == 0, f"{gz}: mtime or file name in the header"
        assert len(data) < original.stat().st_size
    small = [p for p in site.rglob("*.html") if p.stat().st_size < 1024]
    assert all(not Path(f"{p}.gz").exists() for p in small)


def test_register_mistakes_stop_the_build(project: Project):
    register = project.content / "published-addresses.txt"
    before = tree_hashes(project.site)
    # A line that could end a server configuration's rule is refused where it stands (address_register.py
    # reads the register; chains, merges and dead targets are resolved by the build: see test_lifecycle.py).
    for text, expected in (
        ('/cu/ -> /moi/"; return 200;\n', "published-addresses.txt:1:1:"),
        ("/cu/ -> /moi/ ; rewrite ^ http://x/;\n", "không phải một địa chỉ"),
    ):
        register.write_text(text, "utf-8")
        result = project.build()
        assert result.returncode == 1, result.stderr
        assert expected in result.stderr + result.stdout
        assert tree_hashes(project.site) == before


def test_monitoring_needs_its_script_address(project: Project):
    set_plugin_option(project, "hosting: {emc_site_id: tinh-mau}")
    result = project.build()
    assert result.returncode == 1
    assert "hosting.emc_script" in result.stderr + result.stdout


def test_meta_csp_for_hosts_without_headers(project: Project, chromium_browser):
    assert "http-equiv" not in project.html("/")  # default: the host sends the header
    set_plugin_option(project, "hosting: {meta_csp: true}")
    result = project.build()
    assert result.returncode == 0, result.stderr + result.stdout
    policy = Hosting(site_url=SITE_URL).csp(meta=True)
    assert "frame-ancestors" not in policy  # browsers ignore it in a meta tag, and say so in the console
    for page in project.site.rglob("*.html"):
        if not page.relative_to(project.site).as_posix().startswith("admin/"):
            tags = re.findall(r"<meta [^>]*http-equiv=\"?Content-Security-Policy[^>]*>", page.read_text("utf-8"))
            assert len(tags) == 1 and f'content="{policy}"' in tags[0], page
    context = watched_context(chromium_browser)
    with serve_site(project.site, csp=False) as base_url:
        page = context.new_page()
        log = PageLog(base_url)
        log.attach(page)
        page.goto(base_url + PROCEDURE.lstrip("/"), wait_until="load")
        blocked = page.evaluate("""() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
            const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s);
            setTimeout(() => resolve(window.ran ? 'ran' : 'none'), 2000);
        })""")
        log.collect_csp(page)
        context.close()
    assert blocked == "script-src-elem"  # the meta policy is in force: an inline script is refused
    assert not log.errors or all("Content Security Policy" in e for e in log.errors), log.errors


def test_deploy_can_be_turned_off(project: Project):
    shutil.rmtree(project.root / "deploy", ignore_errors=True)
    set_plugin_option(project, "hosting: {deploy: false, precompress: false, fingerprint: false}")
    result = project.build()
    assert result.returncode == 0, result.stderr + result.stdout
    assert not (project.root / "deploy").exists()
    assert [p.name for p in project.site.rglob("*.gz")] == ["sitemap.xml.gz"]  # MkDocs' own
    assert (project.site / "assets" / "css" / "site.css").is_file()
