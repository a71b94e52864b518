"""Editors' workflow: check (warnings, exit codes), new (scaffold), import (JSON, CSV, XLSX), local
overlays, the Decap CMS config generated from the schema, the published schemas and the content report."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from support.browser import WAIT_MS
from support.required import missing_tool

from conftest import FIXTURES, REPO, Project, make_project
from thutuc.content.schema_check import load_schema
from thutuc.editor.admin import decap_config

IMPORTS = FIXTURES / "import"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


def _problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


# -- check -------------------------------------------------------------------------------------------


def test_check_passes_with_located_warnings(minimal_project: Project) -> None:
    result = minimal_project.run("check")
    assert result.returncode == 0, result.stderr
    lines = _problem_lines(result.stderr)
    # The minimal fixture's temporary-residence procedure has neither summary nor keywords.
    assert any("1.004194-dang-ky-tam-tru.yml:" in line and "[cảnh báo] chưa có mô tả ngắn (summary)" in line for line in lines)
    assert any("[cảnh báo] chưa có từ khóa (keywords)" in line for line in lines)
    # The birth registration form only has a .txt file: no editable document for citizens.
    assert any("forms[0].files: [cảnh báo]" in line and "Gợi ý:" in line for line in lines)
    assert len(lines) == len(set(lines)), "every problem is reported once"
    assert "cảnh báo" in result.stdout and "Nội dung hợp lệ" in result.stdout


def test_check_warns_about_stale_content(minimal_project: Project) -> None:
    file = minimal_project.content / "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
    file.write_text(file.read_text("utf-8") + "updated: 2001-02-03\n", "utf-8")
    result = minimal_project.run("check", "--all-warnings")
    assert result.returncode == 0, result.stderr
    stale = [line for line in _problem_lines(result.stderr) if "2001-02-03" in line]
    assert len(stale) == 1 and stale[0].split(":")[0].endswith("1.004194-dang-ky-tam-tru.yml")
    assert "updated: [cảnh báo]" in stale[0] and "hơn 12 tháng" in stale[0]


def test_warnings_that_depend_on_the_date_are_one_line_unless_asked(minimal_project: Project) -> None:
    files = [f for f in sorted((minimal_project.content / "procedures").rglob("*.yml")) if "updated:" not in f.read_text("utf-8")]
    for file in files[:3]:
        file.write_text(file.read_text("utf-8") + "updated: 2001-02-03\n", "utf-8")
    listed = minimal_project.run("check", "--all-warnings")
    stale = [line for line in _problem_lines(listed.stderr) if "hơn 12 tháng" in line]
    assert len(stale) >= 2, listed.stderr  # the fixture has a stale procedure already
    result = minimal_project.run("check")
    assert result.returncode == 0, result.stderr
    assert not [line for line in _problem_lines(result.stderr) if "hơn 12 tháng" in line]
    [summary] = [line for line in result.stderr.splitlines() if "hơn 12 tháng" in line]
    assert summary.startswith(f"[cảnh báo] {len(stale)} thủ tục") and "--all-warnings" in summary, summary
    # The count of warnings is the same either way.
    assert re.search(r"\d+ cảnh báo", result.stdout)[0] == re.search(r"\d+ cảnh báo", listed.stdout)[0]


def test_check_exits_1_on_errors_and_reports_each_once(minimal_project: Project) -> None:
    file = minimal_project.content / "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
    file.write_text(file.read_text("utf-8").replace("level: ", "levle: ", 1), "utf-8")
    result = minimal_project.run("check")
    assert result.returncode == 1
    lines = _problem_lines(result.stderr)
    errors = [line for line in lines if "[cảnh báo]" not in line]
    assert len(errors) == 1, errors  # the typo explains the missing key: one message, not two
    assert "levle" in errors[0] and "Gợi ý: có phải ý bạn là “level”" in errors[0]
    assert "Có 1 lỗi" in result.stderr


def test_check_cache_sees_every_edit(minimal_project: Project) -> None:
    """Unchanged files come from .cache/check/; any edit, even of the same length, is parsed again."""
    assert minimal_project.run("check").returncode == 0
    assert (minimal_project.root / ".cache/check/parsed-yaml.pickle").is_file()
    file = minimal_project.content / "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
    text = file.read_text("utf-8")
    file.write_text(text.replace("level: 1", "level: 7"), "utf-8")  # same size
    result = minimal_project.run("check")
    assert result.returncode == 1 and "level: Mức độ dịch vụ công trực tuyến: phải nhỏ hơn hoặc bằng 4." in result.stderr
    file.write_text(text, "utf-8")
    assert minimal_project.run("check").returncode == 0


def test_check_hints_the_closest_reference(minimal_project: Project) -> None:
    file = minimal_project.content / "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
    file.write_text(file.read_text("utf-8").replace("implementing: [cong-an-xa]", "implementing: [cong-an-xaa]"), "utf-8")
    result = minimal_project.run("check")
    assert result.returncode == 1
    errors = [line for line in _problem_lines(result.stderr) if "[cảnh báo]" not in line]
    assert len(errors) == 1 and "agencies.implementing[0]: cơ quan “cong-an-xaa” chưa được khai báo" in errors[0]
    assert "Gợi ý: có phải ý bạn là “cong-an-xa”?" in errors[0]


# -- new ---------------------------------------------------------------------------------------------


def _fill(data: object) -> object:
    """What an editor does with a scaffold: replace every TODO with real content."""
    replacements = {
        "decision": "Quyết định số 1872/QĐ-BTP ngày 04/9/2020 của Bộ trưởng Bộ Tư pháp",
        "fees": [],
        "issued": "2014-11-20",
        "files": ["forms/ho-tich/to-khai-dang-ky-khai-sinh.txt"],
        "quantity": 1,
    }

    def walk(value: object, key: str = "") -> object:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            if key in replacements:
                return replacements[key]
            if key == "authority_levels":
                return ["xa"]
            if key == "implementing":
                return ["ubnd-xa"]
            return [walk(v, key) for v in value]
        if isinstance(value, str) and value.startswith("TODO"):
            return replacements.get(key, "Nội dung thật của biên tập viên")
        return value

    return walk(data)


def test_new_scaffold_fails_check_until_filled(minimal_project: Project) -> None:
    result = minimal_project.run("new", "--code", "1.000894", "--title", "Đăng ký kết hôn", "--field", "ho-tich", "--level", "2")
    assert result.returncode == 0, result.stderr
    file = minimal_project.content / "procedures/ho-tich/1.000894-dang-ky-ket-hon.yml"
    text = file.read_text("utf-8")
    match = SCHEMA_LINE.match(text)
    assert match, text[:200]
    assert (file.parent / match.group(1)).resolve() == (REPO / "plugins/thutuc/schema/procedure.schema.json").resolve()

    check = minimal_project.run("check")
    assert check.returncode == 1
    todo = [line for line in _problem_lines(check.stderr) if "1.000894-dang-ky-ket-hon.yml" in line and "TODO" in line]
    assert len(todo) >= 10
    assert any("decision: mục này chưa được điền (còn chữ TODO)" in line for line in todo)
    assert any("dossier.quantity: mục này chưa được điền" in line for line in todo)  # no made-up "1 bộ"
    # A placeholder is reported once, not again as a schema error at the same place.
    assert not any("methods[0].fees: Phí, lệ phí: phải là" in line for line in _problem_lines(check.stderr))
    build = minimal_project.build()
    assert build.returncode != 0 and not minimal_project.site.exists(), "an unfilled scaffold never publishes"

    data = yaml.safe_load(text)
    file.write_text(match.group(0) + yaml.safe_dump(_fill(data), allow_unicode=True, sort_keys=False), "utf-8")
    check = minimal_project.run("check")
    assert check.returncode == 0, check.stderr
    assert not any("1.000894" in line for line in _problem_lines(check.stderr) if "[cảnh báo]" not in line)


def test_new_refuses_existing_code_and_explains(minimal_project: Project) -> None:
    before = sorted(p.name for p in (minimal_project.content / "procedures").rglob("*.yml"))
    taken = minimal_project.run("new", "--code", "1.001193", "--title", "Thủ tục khác", "--field", "ho-tich", "--level", "1")
    assert taken.returncode == 1
    assert "mã thủ tục “1.001193” đã có trong tệp" in taken.stderr
    unknown = minimal_project.run("new", "--code", "1.999999", "--title", "Thủ tục", "--field", "khong-co", "--level", "1")
    assert unknown.returncode == 1 and "lĩnh vực “khong-co” chưa có" in unknown.stderr
    missing = minimal_project.run("new", "--code", "1.999999")
    assert missing.returncode == 2 and "--title" in missing.stderr and "--level" in missing.stderr
    assert sorted(p.name for p in (minimal_project.content / "procedures").rglob("*.yml")) == before

    first = minimal_project.run("new", "--code", "1.999998", "--title", "Thủ tục mới", "--field", "ho-tich", "--level", "1")
    assert first.returncode == 0
    file = next((minimal_project.content / "procedures").rglob("1.999998-*.yml"))
    written = file.read_bytes()
    again = minimal_project.run("new", "--code", "1.999998", "--title", "Thủ tục mới", "--field", "ho-tich", "--level", "1")
    assert again.returncode == 1 and file.read_bytes() == written


# -- import, overlays --------------------------------------------------------------------------------


OVERLAY = """\
# Phí và cơ quan phối hợp riêng của tỉnh Mẫu.
agencies:
  coordinating: [ubnd-xa]
methods:
  - channel: direct
    processing_time: 05 ngày làm việc
    fees:
      - kind: fee
        amount: 15000
        text: Theo Nghị quyết của HĐND tỉnh Mẫu
  - channel: online
    processing_time: 05 ngày làm việc
    fees:
      - kind: fee
        amount: 7500
        text: Theo Nghị quyết của HĐND tỉnh Mẫu
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The minimal project with the fixture exports imported, an overlay, then re-imported and built once."""
    project = make_project(tmp_path_factory.mktemp("imported") / "project", FIXTURES / "minimal")
    first = project.run("import", *(str(p) for p in sorted(IMPORTS.iterdir()) if p.is_file()))
    assert first.returncode == 0, first.stdout + first.stderr
    overlays = project.content / "overlays"
    overlays.mkdir()
    (overlays / "1.004222.yml").write_text(OVERLAY, "utf-8")
    again = project.run("import", str(IMPORTS / "portal-records.json"))
    assert again.returncode == 0, again.stdout + again.stderr
    project.import_output = first.stdout + again.stdout  # type: ignore[attr-defined]
    build = project.build()
    assert build.returncode == 0, build.stdout + build.stderr
    return project


def test_import_writes_files_that_pass_check(imported: Project) -> None:
    files = {p.name: p for p in (imported.content / "procedures").rglob("*.yml")}
    for code in ("1.000894", "1.004222", "2.000488", "1.004873"):
        name = next(n for n in files if n.startswith(code + "-"))
        text = files[name].read_text("utf-8")
        assert SCHEMA_LINE.match(text), name
        assert "Nhập tự động từ" in text.splitlines()[1]
    check = imported.run("check")
    assert check.returncode == 0, check.stderr
    # Unknown field and agency were added to the site lists and reported; known ones were reused.
    fields = yaml.safe_load((imported.content / "fields.yml").read_text("utf-8"))
    agencies = yaml.safe_load((imported.content / "agencies.yml").read_text("utf-8"))
    assert {"slug": "ly-lich-tu-phap", "name": "Lý lịch tư pháp"} in fields
    assert [a["slug"] for a in agencies].count("ubnd-xa") == 1
    assert any(a["name"] == "Sở Tư pháp tỉnh Mẫu" for a in agencies)
    assert "Đã thêm lĩnh vực mới" in imported.import_output  # type: ignore[attr-defined]


def test_imported_record_mapping(imported: Project) -> None:
    file = next((imported.content / "procedures").rglob("1.000894-*.yml"))
    data = yaml.safe_load(file.read_text("utf-8"))
    assert data["decision"] == "Quyết định số 1872/QĐ-BTP ngày 04/09/2020"
    assert data["authority_levels"] == ["xa"] and data["agencies"]["implementing"] == ["ubnd-xa"]
    assert [m["channel"] for m in data["methods"]] == ["direct", "online"]
    assert data["methods"][0]["fees"] == [{"kind": "fee", "amount": 0, "text": "Miễn lệ phí"}]
    assert data["legal_basis"][0]["issued"] == "2014-11-20" and data["legal_basis"][1]["issued"] == "2015-11-15"
    assert "*cùng có mặt*" in data["steps"][0]["description"]  # <em> became Markdown
    assert "<" not in json.dumps(data, ensure_ascii=False)
    assert data["dossier"]["cases"][0]["documents"][0]["form"] == data["forms"][0]["id"]
    fee = yaml.safe_load(next((imported.content / "procedures").rglob("2.000488-*.yml")).read_text("utf-8"))["methods"][0]["fees"][0]
    assert fee["kind"] == "charge" and fee["amount"] == 200000
    csv_row = yaml.safe_load(next((imported.content / "procedures").rglob("1.004873-*.yml")).read_text("utf-8"))
    assert csv_row["methods"][1]["channel"] == "postal" and csv_row["methods"][0]["fees"][0]["amount"] == 8000
    assert csv_row["dossier"]["cases"][0]["documents"][1] == {"name": "Giấy tờ tùy thân", "original": 0, "copy": 1}


def test_imported_procedures_render(imported: Project) -> None:
    html = imported.html("thu-tuc/dang-ky-ket-hon-1-000894/")
    assert "<h1" in html and "Đăng ký kết hôn" in html
    assert "<em>cùng có mặt</em>" in html
    assert "Giấy chứng nhận kết hôn" in html


def test_overlay_is_merged_and_survives_reimport(imported: Project) -> None:
    overlay = imported.content / "overlays/1.004222.yml"
    assert overlay.read_text("utf-8") == OVERLAY, "import never writes overlays"
    assert "được giữ nguyên" in imported.import_output  # type: ignore[attr-defined]
    national = yaml.safe_load(next((imported.content / "procedures").rglob("1.004222-*.yml")).read_text("utf-8"))
    assert national["methods"][0]["fees"][0]["amount"] == 20000  # the national file keeps the national fee
    html = imported.html("thu-tuc/dang-ky-thuong-tru-1-004222/")
    assert "Theo Nghị quyết của HĐND tỉnh Mẫu" in html and "15.000" in html
    assert "20.000 đồng/lần đăng ký" not in html, "the overlay's list replaces the national list"
    assert "Công an cấp xã" in html and "Ủy ban nhân dân cấp xã" in html  # mappings merged: implementing kept, coordinating added


def test_overlay_errors_point_at_the_overlay(imported: Project, tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", imported.content)
    (project.content / "overlays/1.004222.yml").write_text(OVERLAY.replace("kind: fee", "kind: fe", 1), "utf-8")
    (project.content / "overlays/9.999999.yml").write_text("summary: Không có thủ tục này\n", "utf-8")
    result = project.run("check")
    assert result.returncode == 1
    errors = [line for line in _problem_lines(result.stderr) if "[cảnh báo]" not in line]
    assert any(line.startswith("content/overlays/1.004222.yml:8:") and "methods[0].fees[0].kind" in line for line in errors), errors
    assert any(line.startswith("content/overlays/9.999999.yml:1:1:") for line in errors)
    assert len(errors) == 2, errors


def test_reimport_refuses_hand_written_file(minimal_project: Project, tmp_path: Path) -> None:
    record = json.loads((IMPORTS / "portal-record-wrapped.json").read_text("utf-8"))["data"]
    record["code"] = "1.001193"  # the minimal fixture's hand-written birth registration
    export = tmp_path / "one.json"
    export.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    file = minimal_project.content / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
    before = file.read_bytes()
    result = minimal_project.run("import", str(export))
    assert result.returncode == 1 and "không ghi đè" in result.stderr
    assert file.read_bytes() == before


def test_import_xlsx(minimal_project: Project, tmp_path: Path) -> None:
    from openpyxl import Workbook

    rows = list(csv.reader((IMPORTS / "procedures.csv").read_text("utf-8").splitlines(keepends=True)))
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    rows_file = tmp_path / "thu-tuc.xlsx"
    workbook.save(rows_file)
    result = minimal_project.run("import", str(rows_file))
    assert result.returncode == 0, result.stdout + result.stderr
    file = next((minimal_project.content / "procedures").rglob("1.004873-*.yml"))
    data = yaml.safe_load(file.read_text("utf-8"))
    assert data["title"] == "Cấp bản sao trích lục hộ tịch" and data["keywords"] == ["trích lục", "bản sao"]
    assert minimal_project.run("check").returncode == 0


def test_import_reports_unusable_input(minimal_project: Project, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"code": "1.000001", "name": "Thiếu gần hết"', "utf-8")
    incomplete = tmp_path / "incomplete.json"
    incomplete.write_text('{"code": "1.000001", "name": "Thiếu cơ quan", "implementationLevels": ["Cấp xã"]}', "utf-8")
    result = minimal_project.run("import", str(broken), str(incomplete))
    assert result.returncode == 1
    assert "tệp JSON không hợp lệ (dòng 1" in result.stderr
    assert "không có cơ quan thực hiện" in result.stderr
    assert not list((minimal_project.content / "procedures").rglob("1.000001-*.yml"))


# -- Decap CMS config, schemas, content report -------------------------------------------------------


def _schema_keys(schema: dict, root: dict, prefix: str = "", optional: bool = False) -> dict[str, bool]:
    """{dotted key: required} for every property of the schema, nested objects and list items included.
    Children of an optional object are optional in Decap (it demands them even when the object is absent)."""
    found: dict[str, bool] = {}
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        resolved = root["$defs"][prop["$ref"].rsplit("/", 1)[1]] | prop if "$ref" in prop else prop
        key = prefix + name
        nullable = isinstance(resolved.get("type"), list) and "null" in resolved["type"]
        may_be_empty = resolved.get("type") == "array" and not resolved.get("minItems")  # fees: [] is valid
        found[key] = name in required and not nullable and not may_be_empty and not optional
        target = resolved.get("items", resolved) if resolved.get("type") == "array" else resolved
        if target.get("type") == "object":
            found.update(_schema_keys(target, root, key + ".", optional or (resolved.get("type") == "object" and not found[key])))
    return found


def _config_keys(fields: list[dict], prefix: str = "") -> dict[str, bool]:
    found: dict[str, bool] = {}
    for field in fields:
        if field["name"] in ("_header", "_source"):
            continue
        key = prefix + field["name"]
        found[key] = field["required"]
        if "fields" in field:
            found.update(_config_keys(field["fields"], key + "."))
    return found


def test_decap_config_matches_schema() -> None:
    config = decap_config({"bo": "Cấp Bộ", "tinh": "Cấp tỉnh", "xa": "Cấp xã"})
    assert config["locale"] == "vi" and "local_backend" not in config  # only `build.py admin` has one
    assert config["media_folder"] == "content/forms"
    procedures = next(c for c in config["collections"] if c["name"] == "procedures")
    assert procedures["folder"] == "content/procedures" and procedures["path"].startswith("{{field}}/")
    schema = load_schema("procedure")
    assert _config_keys(procedures["fields"]) == _schema_keys(schema, schema)
    by_name = {f["name"]: f for f in procedures["fields"]}
    assert by_name["title"]["label"] == "Tên thủ tục" and by_name["title"]["hint"].startswith("Tên thủ tục đúng như")
    assert by_name["requirements"]["widget"] == "markdown"
    forms = next(f for f in by_name["forms"]["fields"] if f["name"] == "files")
    assert forms["field"]["widget"] == "file" and forms["field"]["media_folder"] == "/content/forms"
    site = load_schema("site-data")
    for name in ("fields", "agencies", "life_events"):
        collection = next(c for c in config["collections"] if c["name"] == name)
        items = next(f for f in collection["files"][0]["fields"] if f["name"] == "items")
        assert _config_keys(items["fields"]) == _schema_keys(site["$defs"][name]["items"], site)


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A build with Decap's files present (real ones when build.py fetched them, else stand-ins)."""
    base = tmp_path_factory.mktemp("admin")
    real = REPO / ".cache" / "admin-assets"
    assets = base / "project" / ".cache" / "admin-assets"
    if real.is_dir() and any(real.glob("decap-cms-*/.complete")):
        shutil.copytree(real, assets)
    else:
        for package, file in (("decap-cms-0", "decap-cms.js"), ("js-yaml-0", "js-yaml.umd.min.js")):
            (assets / package).mkdir(parents=True)
            (assets / package / file).write_text("/* stand-in */\n", "utf-8")
            (assets / package / ".complete").write_text("test", "utf-8")
    project = make_project(base / "project", FIXTURES / "minimal")
    result = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_admin_and_schemas_are_published(admin_site: Project) -> None:
    site = admin_site.site
    config = yaml.safe_load((site / "admin/config.yml").read_text("utf-8"))
    assert config["locale"] == "vi"
    index = (site / "admin/index.html").read_text("utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', index)
    assert scripts and all("//" not in src for src in scripts), "nothing external"
    assert all((site / "admin" / src).is_file() for src in scripts)
    assert "<script>" not in index  # no inline script either
    # Saved files keep the schema's key order: the order is written into admin.js at build time.
    shape = json.loads(re.search(r"var SHAPE = (\{.*\});\n", (site / "admin/admin.js").read_text("utf-8")).group(1))
    assert shape["keys"] == list(load_schema("procedure")["properties"])
    published = json.loads((site / "schema/procedure.json").read_text("utf-8"))
    assert published == load_schema("procedure")
    fields_schema = json.loads((site / "schema/fields.json").read_text("utf-8"))
    assert fields_schema["$ref"] == "#/$defs/fields" and "fields" in fields_schema["$defs"]


def test_admin_needs_fetched_assets(minimal_project: Project) -> None:
    result = minimal_project.build()
    assert result.returncode == 0, result.stderr
    assert not (minimal_project.site / "admin").exists(), "without Decap's files there is no broken /admin/"
    assert (minimal_project.site / "schema/procedure.json").is_file()


def test_content_report_page(admin_site: Project) -> None:
    html = admin_site.html("bao-cao-noi-dung/")
    assert re.search(r'<meta (content="?noindex"? name="?robots"?|name="?robots"? content="?noindex"?)>', html)
    assert "Báo cáo nội dung" in html and "1.004194" in html and "Mô tả ngắn" in html
    assert "bao-cao-noi-dung" not in (admin_site.site / "sitemap.xml").read_text("utf-8")
    home = admin_site.html("")
    assert "bao-cao-noi-dung" not in home
    search_files = [p for p in admin_site.site.rglob("*.json") if "schema" not in p.parts]
    assert all("bao-cao-noi-dung" not in p.read_text("utf-8") for p in search_files)


def test_admin_page_loads_in_browser(admin_site: Project, chromium_browser) -> None:
    """Decap itself (when fetched) starts in Vietnamese with our config and asks nothing from outside."""
    if (admin_site.site / "admin/decap-cms.js").stat().st_size < 1000:
        missing_tool("Decap CMS chưa được tải (python3 build.py tải bằng npm): chỉ kiểm tra với tệp thật.")
    from support.site_server import serve_site

    with serve_site(admin_site.site) as base:
        page = chromium_browser.new_page()
        external: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith((base, "http://localhost:8081/")) else None)
        page.on("console", lambda m: errors.append(m.text) if "config" in m.text.lower() and m.type == "error" else None)
        page.goto(base + "admin/")
        page.get_by_text("Vào trình biên tập").first.wait_for(timeout=WAIT_MS)
        assert not errors, errors
        assert not external, external
        page.close()
