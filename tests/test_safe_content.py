"""Safe content: whatever editors type is shown as text, never run as code.

Each payload is written into EVERY text field of a procedure (found by walking the JSON Schema), the
names of fields, agencies and life events, an ordinary Markdown page and the portal owner's name; the
real site is built and every generated HTML file is parsed with html.parser to check elements and
attributes, not substrings: no script but our own, no on* handler, no javascript:/data:/vbscript: URL,
JSON-LD that is valid JSON holding the payload as data, `{{ 7*7 }}` not evaluated, and rel="noopener"
on every link to another host.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from support.browser import WAIT_MS
from support.site_server import serve_site

from conftest import FIXTURES, RAW_TEXT_ELEMENTS, Project, make_project
from thutuc.content.schema_check import load_schema
from thutuc.content.yamlsource import parse_yaml

KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
OPEN, CLOSE = "⟦", "⟧"  # mark where a payload sits, to find it again in the output

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(1)",
    "close-script": "</script><script>alert(1)</script>",
    "jinja": "{{ 7*7 }}",
    "comment": "<!--",
    "single-quote-attr": "' onmouseover='alert(1)' x='",
}
# Markdown fields also get links and raw tags that Markdown itself would turn into elements.
MARKDOWN_EXTRAS = (
    " [bấm vào đây](javascript:alert(1)) <a href=\"javascript:alert(1)\">x</a> <javascript:alert(1)>"
    " [văn bản](https://luatvietnam.vn/van-ban) ![ảnh](x \"onerror=alert(1)\")"
)
# URL fields only take http(s) (script schemes are refused, see test_bad_inputs.py); quotes are still legal.
TRICKY_URL = "https://dichvucong.gov.vn/p?a=1&b='onmouseover='alert(1)'"
OWN_SCRIPTS = re.compile(r"^(\.\./)*(/)?assets/(js|vendor)/[\w./-]+\.js$")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background"}


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _is_free_text(schema: dict) -> bool:
    """A string field without pattern, enum or format other than "any non-blank text"."""
    if schema.get("type") != "string" or "enum" in schema or "format" in schema:
        return False
    return schema.get("pattern", "\\S") == "\\S"


def inject(value, schema: dict, root: dict, payload: str, markdown_extra: str = ""):
    """The value with the payload appended to every free-text string the schema allows there."""
    schema = _resolve(schema, root)
    if isinstance(value, dict):
        return {k: inject(v, schema.get("properties", {}).get(k, {}), root, payload, markdown_extra) for k, v in value.items()}
    if isinstance(value, list):
        return [inject(v, schema.get("items", {}), root, payload, markdown_extra) for v in value]
    if isinstance(value, str) and _is_free_text(schema):
        extra = markdown_extra if schema.get("maxLength", 0) > 10000 else ""  # the markdown definition
        return f"{value} {OPEN}{payload}{CLOSE}{extra}"
    return value


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000)


def _load(path: Path):
    return parse_yaml(path.read_text("utf-8"), path.name).data


def write_payload_project(destination: Path, payload: str) -> Project:
    project = make_project(destination, FIXTURES / "minimal")
    content = project.content
    procedure_schema = load_schema("procedure")
    data = inject(_load(content / KHAI_SINH), procedure_schema, procedure_schema, payload, MARKDOWN_EXTRAS)
    data["summary"] = f"Tóm tắt {OPEN}{payload}{CLOSE}"
    data["online"] = "full"
    data["online_url"] = TRICKY_URL
    data["legal_basis"][0]["url"] = TRICKY_URL.replace("dichvucong", "vbpl")
    data["forms"][0]["code"] = f"Mẫu {OPEN}{payload}{CLOSE}"
    (content / KHAI_SINH).write_text(_dump(data), "utf-8")
    site_schema = load_schema("site-data")
    for name, kind in (("fields.yml", "fields"), ("agencies.yml", "agencies"), ("life-events.yml", "life_events")):
        listing = inject(_load(content / name), {"$ref": f"#/$defs/{kind}"}, site_schema, payload)
        if kind == "agencies":
            listing[0]["url"] = TRICKY_URL.replace("dichvucong", "ubnd")
        (content / name).write_text(_dump(listing), "utf-8")
    (content / "pages" / "dich-vu-cong-truc-tuyen.md").write_text(
        f"# Dịch vụ công trực tuyến {OPEN}{payload}{CLOSE}\n\nVăn bản {OPEN}{payload}{CLOSE}{MARKDOWN_EXTRAS.split(' ![')[0]}\n\n"
        "<script>alert('trang')</script>\n\n<div onclick=\"alert(1)\">khối HTML</div>\n\n[Cổng quốc gia](https://dichvucong.gov.vn/)\n",
        "utf-8",
    )
    config = project.root / "mkdocs.yml"
    text = config.read_text("utf-8")
    owner = "        name: Ủy ban nhân dân tỉnh Mẫu\n"
    assert owner in text
    owner_name = json.dumps(f"Ủy ban nhân dân tỉnh Mẫu {OPEN}{payload}{CLOSE}")  # JSON is YAML
    config.write_text(text.replace(owner, f"        name: {owner_name}\n", 1), "utf-8")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Project]:
    projects = {}
    for name, payload in PAYLOADS.items():
        project = write_payload_project(tmp_path_factory.mktemp(name) / "project", payload)
        result = project.build()
        assert result.returncode == 0, f"{name}: {result.stderr}"
        projects[name] = project
    return projects


class Page(HTMLParser):
    """Elements, attributes, script bodies, comments and text of one HTML document."""

    CDATA_CONTENT_ELEMENTS = RAW_TEXT_ELEMENTS

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attributes, body = self.scripts[-1]
            self.scripts[-1] = (attributes, body + data)
        else:
            self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    return page


def procedure_page(project: Project) -> Path:
    """The birth registration page (its URL carries the folded title, payload included, and the code)."""
    (found,) = project.site.glob("thu-tuc/*-1-001193/index.html")
    return found


def _pages(project: Project) -> list[Path]:
    pages = sorted(project.site.rglob("*.html"))
    assert len(pages) > 5
    return pages


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_no_script_but_our_own(name: str, built):
    for path in _pages(built[name]):
        page = parse(path)
        for attributes, body in page.scripts:
            if attributes.get("type") == "application/ld+json":
                json.loads(body)  # still one valid JSON document: nothing broke out of it
                continue
            assert attributes.get("src") and OWN_SCRIPTS.match(attributes["src"]), f"{path}: foreign script {attributes} {body[:80]!r}"
            assert not body.strip(), f"{path}: inline script body {body[:80]!r}"


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_no_event_handlers_and_no_script_urls(name: str, built):
    for path in _pages(built[name]):
        for tag, attributes in parse(path).elements:
            for attribute, value in attributes.items():
                assert not attribute.startswith("on"), f"{path}: <{tag} {attribute}={value!r}>"
                if attribute in URL_ATTRIBUTES and value:
                    compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                    assert not compact.startswith(("javascript:", "vbscript:", "data:")), f"{path}: <{tag} {attribute}={value!r}>"
            assert tag not in ("iframe", "object", "embed", "img") or attributes.get("src", "").endswith(".svg"), f"{path}: <{tag}>"


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_payload_is_shown_as_text(name: str, built):
    """Escaped, not removed: the editor's text is on the page, character for character, as text."""
    page = parse(procedure_page(built[name]))
    text = "".join(page.text)
    marked = f"{OPEN}{PAYLOADS[name]}{CLOSE}"
    assert text.count(marked) >= 10, f"payload shown {text.count(marked)} times"
    assert all(OPEN not in comment for comment in page.comments)
    # Every Art. 5.1 section survives the payload (a stray "<!--" would swallow what follows).
    ids = {attributes.get("id") for _, attributes in page.elements}
    assert {"trinh-tu", "ho-so", "can-cu", "mau-don", "yeu-cau"} <= ids


def test_jinja_in_content_is_not_evaluated(built):
    for path in _pages(built["jinja"]):
        page = parse(path)
        text = "".join(page.text)
        assert f"{OPEN}49{CLOSE}" not in text, path
    text = "".join(parse(procedure_page(built["jinja"])).text)
    assert f"{OPEN}{{{{ 7*7 }}}}{CLOSE}" in text


@pytest.mark.parametrize("name", ["close-script", "script", "comment"])
def test_json_ld_holds_the_title_as_data(name: str, built):
    page = parse(procedure_page(built[name]))
    blocks = [json.loads(body) for attributes, body in page.scripts if attributes.get("type") == "application/ld+json"]
    assert blocks, "procedure pages carry JSON-LD (test_seo.py): the payload must be checked inside it"
    assert any(f"{OPEN}{PAYLOADS[name]}{CLOSE}" in json.dumps(block, ensure_ascii=False) for block in blocks)
    for attributes, body in page.scripts:
        if attributes.get("type") == "application/ld+json":
            assert "</" not in body and "<!--" not in body


def test_raw_html_in_markdown_pages_is_shown_as_text(built):
    """content/pages/*.md go through MkDocs' Markdown, which would pass raw HTML: it is escaped too."""
    page = parse(built["script"].site / "dich-vu-cong-truc-tuyen" / "index.html")
    text = "".join(page.text)
    assert "<script>alert('trang')</script>" in text
    assert '<div onclick="alert(1)">' in text
    assert not any(tag == "div" and "onclick" in attributes for tag, attributes in page.elements)
    links = {attributes.get("href") for tag, attributes in page.elements if tag == "a"}
    assert "https://dichvucong.gov.vn/" in links  # ordinary Markdown still works


@pytest.mark.parametrize("name", ["script", "single-quote-attr"])
def test_links_to_other_hosts_open_without_opener(name: str, built):
    project = built[name]
    own_host = urlsplit("https://thutuc.mau.example.vn/").hostname
    checked = set()
    for path in _pages(project):
        for tag, attributes in parse(path).elements:
            href = attributes.get("href") or ""
            if tag != "a" or not href.startswith(("http://", "https://")) or urlsplit(href).hostname == own_host:
                continue
            assert "noopener" in (attributes.get("rel") or "").split(), f"{path}: <a href={href!r} rel={attributes.get('rel')!r}>"
            checked.add(urlsplit(href).hostname)
    # online_url, legal_basis url, the agency's url and a Markdown link point to other hosts; each was checked.
    assert {"dichvucong.gov.vn", "vbpl.gov.vn", "ubnd.gov.vn", "luatvietnam.vn"} <= checked, checked
    procedure = parse(procedure_page(project))
    hrefs = {attributes.get("href") for tag, attributes in procedure.elements if tag == "a"}
    assert TRICKY_URL in hrefs  # kept whole inside its attribute: the quote did not open a new one


# -- in a real browser, without the CSP (so escaping itself is tested, not the policy behind it) ------------

SUGGESTIONS_SHOWN = """q => {
  const form = document.querySelector('#q-header').form;
  const status = form.querySelector('.search-suggest__status');
  return status && status.textContent.includes('kết quả cho “' + q + '”') && form.querySelectorAll('.search-suggest__list li').length > 0;
}"""
ALERT_SPY = "window.__alerts = []; window.alert = window.confirm = window.prompt = (m) => { window.__alerts.push(String(m)); };"


@pytest.mark.parametrize("name", ["script", "img-onerror", "close-script", "single-quote-attr"])
def test_nothing_runs_in_the_browser(name: str, built, chromium_browser):
    project = built[name]
    context = chromium_browser.new_context()
    context.add_init_script(ALERT_SPY)
    dialogs: list[str] = []
    with serve_site(project.site, csp=False) as base:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        procedure = procedure_page(project).relative_to(project.site).parent.as_posix() + "/"
        for url in ("", procedure, "linh-vuc/ho-tich/", "dich-vu-cong-truc-tuyen/", "tim-kiem/?q=khai+sinh"):
            page.goto(base + url, wait_until="load")
            # Any inline handler a payload managed to create would fire on these events.
            page.evaluate(
                "() => document.querySelectorAll('*').forEach(el => ['mouseover', 'mouseenter', 'focus', 'error', 'load']"
                ".forEach(type => el.dispatchEvent(new Event(type))))"
            )
        box = page.locator("#q-header")
        if box.count():
            box.click()
            box.press_sequentially("khai sinh")
            # The payload titles must really be in the suggestions before we look for alerts.
            page.wait_for_function(SUGGESTIONS_SHOWN, arg="khai sinh", timeout=WAIT_MS)
        alerts = page.evaluate("window.__alerts")
    context.close()
    assert not alerts and not dialogs, (alerts, dialogs)
