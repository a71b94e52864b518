"""The browser editor (Decap CMS at /admin/): its form fits our files, and saving them makes no noise.

The form checks run on the generated config.yml. The save checks run admin.js, the code Decap calls to
read and write every file, under Node with the pinned js-yaml that /admin/ serves (fetched by build.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.browser import WAIT_MS
from support.required import missing_tool

from conftest import FIXTURES, REPO, SAMPLE_CONTENT, Project
from thutuc.content.schema_check import load_schema
from thutuc.editor.admin import admin_asset_files, admin_files, decap_config
from thutuc.vi import labels

HIDDEN = {"_header", "_source"}
SAMPLES = sorted((SAMPLE_CONTENT / "procedures").rglob("*.yml"))
SITE_LISTS = [SAMPLE_CONTENT / name for name in ("fields.yml", "agencies.yml", "life-events.yml")]
ASSETS = REPO / ".cache" / "admin-assets"


def _procedure_fields() -> list[dict[str, Any]]:
    config = decap_config({"bo": "Cấp Bộ", "tinh": "Cấp tỉnh", "xa": "Cấp xã"})
    return next(c for c in config["collections"] if c["name"] == "procedures")["fields"]


def _walk(fields: list[dict[str, Any]], prefix: str = ""):
    for field in fields:
        if field["name"] in HIDDEN:
            continue
        yield prefix + field["name"], field
        if "fields" in field:
            yield from _walk(field["fields"], prefix + field["name"] + ".")


def _out_of_order(value: Any, fields: list[dict[str, Any]], where: str) -> list[str]:
    """Keys of the file that come in another order than the form's fields, at every level."""
    found: list[str] = []
    if isinstance(value, list):
        for index, item in enumerate(value):
            found += _out_of_order(item, fields, f"{where}[{index}]")
        return found
    if not isinstance(value, dict):
        return found
    names = [f["name"] for f in fields if f["name"] not in HIDDEN]
    keys = [k for k in value if k in names]
    if keys != sorted(keys, key=names.index):
        found.append(f"{where or '.'}: {keys}")
    for field in fields:
        if field["name"] in value and "fields" in field:
            found += _out_of_order(value[field["name"]], field["fields"], f"{where}.{field['name']}")
    return found


@pytest.mark.parametrize("file", SAMPLES, ids=lambda p: p.name[:8])
def test_sample_files_follow_the_form_order(file: Path) -> None:
    """Decap writes keys in the form's order: files in the same order are saved without reordering."""
    data = yaml.safe_load(file.read_text("utf-8"))
    fields = _procedure_fields()
    known = {name for name, _ in _walk(fields)}
    assert _out_of_order(data, fields, "") == []
    assert set(data) <= known


def test_choices_show_vietnamese_labels() -> None:
    by_path = dict(_walk(_procedure_fields()))
    channels = [labels.CHANNELS[c] for c in ("direct", "online", "postal")]
    for path in ("methods.channel", "receive_return.submit", "receive_return.return"):
        options = by_path[path]["options"]
        assert [o["value"] for o in options] == ["direct", "online", "postal"], path
        assert [o["label"] for o in options] == channels, path
    for path, field in by_path.items():
        for option in field.get("options", []):
            assert option["label"] != option["value"], f"{path}: “{option['value']}” shown without a Vietnamese label"


def test_lists_that_may_be_empty_can_be_saved_empty() -> None:
    """`fees: []` (free) must pass Decap's own validation; a list that needs an item says so with min."""
    by_path = dict(_walk(_procedure_fields()))
    fees = by_path["methods.fees"]
    assert fees["required"] is False and fees["default"] == [] and "min" not in fees
    for path, field in by_path.items():
        if field["widget"] == "list" and "min" not in field:
            assert field["required"] is False, path
    # A fee "set locally" has no amount: the number may be left empty; check asks for the text.
    assert by_path["methods.fees.amount"]["required"] is False
    assert by_path["updated"]["format"] == "YYYY-MM-DD" and by_path["legal_basis.issued"]["format"] == "YYYY-MM-DD"
    assert by_path["level"]["widget"] == "number" and by_path["level"]["value_type"] == "int"


# -- saving through admin.js ----------------------------------------------------------------------------

HARNESS = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
globalThis.jsyaml = require(input.jsyaml);
const formats = require(input.admin);

function reversed(value) {  // what Decap's Immutable maps do to key order: anything
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === "object") {
    const result = {};
    Object.keys(value).reverse().forEach(k => { result[k] = reversed(value[k]); });
    return result;
  }
  return value;
}

function at(data, path) {
  return path.slice(0, -1).reduce((node, key) => node[key], data);
}

const results = input.cases.map(c => {
  const format = formats[c.format] || formats.lists[c.format];
  let data = format.fromFile(c.text);
  for (const edit of c.edits) {
    if (edit.op === "reverse") data = reversed(data);
    if (edit.op === "set") at(data, edit.path)[edit.path[edit.path.length - 1]] = edit.value;
    if (edit.op === "push") at(data, edit.path.concat([0])).push(edit.value);
    if (edit.op === "insert") at(data, edit.path).splice(edit.path[edit.path.length - 1], 0, edit.value);
  }
  return format.toFile(data);
});
process.stdout.write(JSON.stringify(results));
"""


@pytest.fixture(scope="module")
def save(tmp_path_factory: pytest.TempPathFactory):
    """save(text, edits, format) -> the text admin.js writes after Decap read the file and the edits were made."""
    node = shutil.which("node")
    if node is None:
        missing_tool("Không có Node.js: chỉ kiểm tra cấu hình, không chạy admin.js.")
    assets = admin_asset_files(ASSETS) if ASSETS.is_dir() else None
    if assets is None:
        missing_tool("Chưa tải js-yaml của trang /admin/ (python3 build.py test tải bằng npm).")
    folder = tmp_path_factory.mktemp("admin-js")
    published = admin_files(ASSETS, decap_config({"xa": "Cấp xã"}))
    assert published is not None
    (folder / "admin.js").write_text(str(published["admin/admin.js"]), "utf-8")
    (folder / "harness.js").write_text(HARNESS, "utf-8")
    js_yaml = next(p for p in assets if p.name == "js-yaml.umd.min.js")

    def run(cases: list[tuple[str, list[dict[str, Any]], str]]) -> list[str]:
        payload = {"jsyaml": str(js_yaml), "admin": str(folder / "admin.js"),
                   "cases": [{"text": t, "edits": e, "format": f} for t, e, f in cases]}
        result = subprocess.run([node, str(folder / "harness.js")], input=json.dumps(payload), capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return run


def test_unchanged_files_are_saved_byte_for_byte(save) -> None:
    files = [(p, "procedure") for p in SAMPLES] + [(p, "yml-" + p.stem) for p in SITE_LISTS]
    texts = [p.read_text("utf-8") for p, _ in files]
    saved = save([(t, [], f) for t, (_, f) in zip(texts, files, strict=True)])
    # Decap keeps the form's values in maps that do not keep key order: the file must not care.
    shuffled = save([(t, [{"op": "reverse"}], f) for t, (_, f) in zip(texts, files, strict=True)])
    for (path, _), text, plain, reordered in zip(files, texts, saved, shuffled, strict=True):
        assert plain == text, path.name
        assert reordered == text, path.name


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    return [(op, line) for line in difflib.ndiff(before.splitlines(), after.splitlines()) for op in [line[:1]] if op in "+-"]


def test_an_edit_changes_only_its_lines(save) -> None:
    file = SAMPLE_CONTENT / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
    text = file.read_text("utf-8")
    [retitled] = save([(text, [{"op": "reverse"}, {"op": "set", "path": ["title"], "value": "Đăng ký khai sinh cho trẻ em"}],
                        "procedure")])
    assert _changed_lines(text, retitled) == [("-", "- title: Đăng ký khai sinh"), ("+", "+ title: Đăng ký khai sinh cho trẻ em")]


def _only_added(before: str, after: str) -> list[str]:
    changes = _changed_lines(before, after)
    assert [line for op, line in changes if op == "-"] == [], "lines the officer did not touch were rewritten"
    return [line[2:] for _, line in changes]


def test_adding_a_step_leaves_the_other_steps_as_they_were(save) -> None:
    """Every sample: a step inserted second adds its own lines only (no other step is re-wrapped)."""
    texts = [p.read_text("utf-8") for p in SAMPLES]
    step = {"title": "Bước mới", "description": "Mô tả bước mới."}
    saved = save([(t, [{"op": "reverse"}, {"op": "insert", "path": ["steps", 1], "value": step}], "procedure") for t in texts])
    for path, text, after in zip(SAMPLES, texts, saved, strict=True):
        added = _only_added(text, after)
        assert "".join(added).replace(" ", "") == "-title:Bướcmớidescription:Môtảbướcmới.", path.name
        assert yaml.safe_load(after)["steps"][1] == step, path.name


def test_editing_one_fee_changes_one_line(save) -> None:
    """Every sample with a fee: its amount changed, one line changes; other methods and keys stay."""
    cases = []
    for path in SAMPLES:
        text = path.read_text("utf-8")
        data = yaml.safe_load(text)
        for m, method in enumerate(data["methods"]):
            if method["fees"] and isinstance(method["fees"][0].get("amount"), int):
                cases.append((path, text, m, method["fees"][0]["amount"] + 1000))
                break
    assert len(cases) >= 10
    saved = save([(text, [{"op": "reverse"}, {"op": "set", "path": ["methods", m, "fees", 0, "amount"], "value": amount}],
                   "procedure") for _, text, m, amount in cases])
    for (path, text, _, amount), after in zip(cases, saved, strict=True):
        changes = _changed_lines(text, after)
        assert len(changes) == 2 and changes[1][1].strip().endswith(f"amount: {amount}"), (path.name, changes)


@pytest.mark.parametrize("file", SITE_LISTS, ids=lambda p: p.stem)
def test_site_list_edits_keep_the_other_items(save, file: Path) -> None:
    text = file.read_text("utf-8")
    items = yaml.safe_load(text)
    renamed = items[1]["name"] + " (mới)"
    new_item = {"slug": "muc-moi", "name": "Mục mới"}
    [changed, added] = save([
        (text, [{"op": "reverse"}, {"op": "set", "path": ["items", 1, "name"], "value": renamed}], "yml-" + file.stem),
        (text, [{"op": "reverse"}, {"op": "push", "path": ["items"], "value": new_item}], "yml-" + file.stem),
    ])
    changes = _changed_lines(text, changed)
    assert len(changes) == 2 and changes[1][1].endswith(f"name: {renamed}"), changes
    assert "".join(_only_added(text, added)).replace(" ", "") == "-slug:muc-moiname:Mụcmới"


OVERLAY = """\
# Bổ sung địa phương: lệ phí theo Nghị quyết của HĐND tỉnh Mẫu
methods:
  - channel: direct
    processing_time: 02 ngày làm việc
    fees:
      - kind: fee
        amount: 15000
        text: Theo Nghị quyết của HĐND tỉnh
  - channel: online
    processing_time: 02 ngày làm việc
    fees: []
agencies:
  coordinating: [ubnd-xa]
"""


def test_overlay_edits_keep_the_rest(save) -> None:
    """An overlay keeps its comment and has no schema line added; an edit or a new key adds only its lines."""
    [unchanged, fee, added] = save([
        (OVERLAY, [{"op": "reverse"}], "overlay"),
        (OVERLAY, [{"op": "set", "path": ["methods", 0, "fees", 0, "amount"], "value": 20000}], "overlay"),
        (OVERLAY, [{"op": "set", "path": ["level"], "value": 2}], "overlay"),
    ])
    assert unchanged == OVERLAY
    assert _changed_lines(OVERLAY, fee) == [("-", "-         amount: 15000"), ("+", "+         amount: 20000")]
    assert _only_added(OVERLAY, added) == ["level: 2"]


def test_fee_set_locally_saves_a_valid_file(save, minimal_project: Project) -> None:
    """Decap's number widget gives "" for an empty amount: the file gets `amount: null` and passes check."""
    file = minimal_project.content / "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
    text = file.read_text("utf-8")
    local_fee = {"text": "Theo Nghị quyết của HĐND tỉnh", "kind": "charge"}  # typed text first, no amount
    [saved] = save([(text, [
        {"op": "set", "path": ["methods", 0, "fees", 0, "amount"], "value": ""},
        {"op": "push", "path": ["methods", 1, "fees"], "value": local_fee},
    ], "procedure")])
    data = yaml.safe_load(saved)
    assert data["methods"][0]["fees"][0] == {"kind": "fee", "amount": None, "text": "Miễn lệ phí khi đăng ký đúng hạn"}
    assert list(data["methods"][1]["fees"][0].items()) == [("kind", "charge"), ("amount", None), ("text", local_fee["text"])]
    assert all(not line.startswith(("+ title", "- title", "+ dossier", "- dossier")) for _, line in _changed_lines(text, saved))
    file.write_text(saved, "utf-8")
    result = minimal_project.run("check")
    assert result.returncode == 0, result.stderr


def test_free_method_keeps_its_empty_fee_list(save) -> None:
    text = (FIXTURES / "minimal/procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml").read_text("utf-8")
    new_method = {"channel": "postal", "processing_time": "Ngay trong ngày tiếp nhận.", "fees": [], "description": ""}
    [saved] = save([(text, [{"op": "push", "path": ["methods"], "value": new_method}], "procedure")])
    methods = yaml.safe_load(saved)["methods"]
    assert methods[2] == {"channel": "postal", "processing_time": "Ngay trong ngày tiếp nhận.", "fees": []}


def test_new_file_is_written_in_the_content_model_order(save) -> None:
    """A procedure created in the form (no file yet) gets the schema's order, as `new` and import write."""
    order = list(load_schema("procedure")["properties"])
    data = {"title": "Thủ tục mới", "code": "1.999999", "updated": "2026-01-02", "level": 1, "field": "ho-tich"}
    harness_text = "# yaml-language-server: $schema=../../../plugins/thutuc/schema/procedure.schema.json\n"
    edits = [{"op": "set", "path": [k], "value": v} for k, v in data.items()]
    [saved] = save([(harness_text, edits, "procedure")])
    keys = list(yaml.safe_load(saved))
    assert keys == sorted(keys, key=order.index) and saved.startswith(harness_text)
    assert "updated: 2026-01-02\n" in saved and "code: '1.999999'\n" in saved


# -- saving in Decap itself ----------------------------------------------------------------------------


def _top_level_blocks(text: str) -> dict[str, str]:
    blocks: dict[str, str] = {}
    key = ""
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha() and ":" in line:
            key = line.split(":", 1)[0]
        blocks[key] = blocks.get(key, "") + line
    return blocks


def test_decap_saves_only_what_the_editor_changed(chromium_browser, tmp_path: Path) -> None:
    """Open a sample procedure in the real Decap, change the summary and empty a fee amount, publish.

    Decap's test backend keeps the files in the page (window.repoFiles) and cannot open entries of a
    nested collection, so the collection points at one field's folder; forms, widgets and the file
    format are the ones /admin/ serves.
    """
    from support.site_server import serve_site

    assets = admin_asset_files(ASSETS) if ASSETS.is_dir() else None
    if assets is None or not any(p.name == "decap-cms.js" and p.stat().st_size > 1000 for p in assets):
        missing_tool("Decap CMS chưa được tải (python3 build.py test tải bằng npm).")
    config = decap_config({"bo": "Cấp Bộ", "tinh": "Cấp tỉnh", "xa": "Cấp xã"}, backend={"name": "test-repo"})
    config.pop("local_backend", None)
    procedures = config["collections"][0]
    procedures["folder"] = "content/procedures/ho-tich"
    del procedures["path"]
    site = tmp_path / "site"
    for path, source in admin_files(ASSETS, config).items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(source, "utf-8")
    name = "1.001193-dang-ky-khai-sinh.yml"
    original = (SAMPLE_CONTENT / "procedures/ho-tich" / name).read_text("utf-8")
    folder = {name: {"content": original, "path": f"content/procedures/ho-tich/{name}"}}
    files: dict[str, Any] = {"content": {"procedures": {"ho-tich": folder}}, "content/procedures/ho-tich": folder}
    for site_list in SITE_LISTS:
        files["content"][site_list.name] = {"content": site_list.read_text("utf-8"), "path": f"content/{site_list.name}"}

    summary = "Đăng ký khai sinh cho trẻ em sinh ra tại Việt Nam và cấp Giấy khai sinh."
    with serve_site(site) as base:
        page = chromium_browser.new_page()
        try:
            page.add_init_script("window.repoFiles = " + json.dumps(files) + ";")
            page.goto(base + "admin/")
            page.get_by_text("Vào trình biên tập").first.click()
            page.goto(base + "admin/#/collections/procedures/entries/" + name.removesuffix(".yml"))
            page.get_by_label("Mô tả ngắn", exact=False).first.fill(summary)
            # A fee "set locally": the officer empties the amount (typed into the collapsed list item's input
            # as React sees typing, without clicking the list open).
            page.get_by_label("Số tiền (đồng)", exact=False).first.evaluate(
                "input => { Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, '');"
                " input.dispatchEvent(new Event('input', {bubbles: true})); }")
            page.get_by_role("button", name="Lưu", exact=True).first.click()
            page.get_by_text("Lưu vào tệp").first.click()
            page.get_by_text("Đã lưu", exact=True).first.wait_for(timeout=WAIT_MS)
            saved = page.evaluate(f"window.repoFiles.content.procedures['ho-tich']['{name}'].content")
        finally:
            page.close()

    expected = yaml.safe_load(original)
    expected["summary"] = summary
    expected["methods"][0]["fees"][0]["amount"] = None
    assert yaml.safe_load(saved) == expected
    before, after = _top_level_blocks(original), _top_level_blocks(saved)
    assert list(after) == list(before), "keys keep their place"
    assert [key for key in before if before[key] != after[key]] == ["summary", "methods"]
    assert after["summary"] == f"summary: {summary}\n"


def test_new_scaffold_follows_the_form_order() -> None:
    """Files made by `build.py new` are saved by Decap without reordering, like the samples."""
    import datetime as dt

    from thutuc.editor.scaffold import NewProcedure, scaffold_data

    for level in (1, 2):
        data = scaffold_data(NewProcedure("1.999999", "Thủ tục mới", "ho-tich", level, "xa", "ubnd-xa"), dt.date(2026, 1, 2))
        assert _out_of_order(data, _procedure_fields(), "") == []
