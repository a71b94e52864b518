"""End-to-end bad-input corpus: every broken input stops the real build and leaves the site untouched.

Each case runs `python -m thutuc.host.cli build` on a copy of a project whose site is already published and
asserts: exit code 1, a Vietnamese line `content/<file>:<line>:<col>: <key>: …` naming the file, line
and key, no traceback, and a `site/` that is byte-for-byte the previous one with nothing left next to
it. The corpus is data (tests/bad_inputs/*.toml, see its README); cases made of bytes rather than text,
and the ones derived from the schema, are generated here.
"""

from __future__ import annotations

import copy
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from sitecheck import VIETNAMESE, problem_lines, set_plugin_option, siblings, tree_hashes

from conftest import FIXTURES, Project, make_project
from thutuc.content.schema_check import load_schema
from thutuc.content.yamlsource import MAX_DEPTH, parse_yaml

CORPUS = Path(__file__).parent / "bad_inputs"
KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
TAM_TRU = "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
FORM = "forms/ho-tich/to-khai-dang-ky-khai-sinh.txt"
MAX_FORM_MB = 1  # configured small in the test site so the oversized case needs no 10 MB file


@dataclass
class Case:
    id: str
    path: str
    line: int
    key: str
    words: list[str]
    edits: list[dict] = field(default_factory=list)


def _corpus_cases() -> list[Case]:
    cases = []
    for file in sorted(CORPUS.glob("*.toml")):
        for entry in tomllib.loads(file.read_text("utf-8"))["case"]:
            edits = list(entry.get("edit", []))
            if "file" in entry:
                own = {k: entry[k] for k in ("file", "old", "new", "write", "delete") if k in entry}
                edits.insert(0, own)
            path = entry.get("path") or edits[0]["file"]
            cases.append(Case(f"{file.stem}:{entry['id']}", path, entry["line"], entry["key"], entry["words"], edits))
    return cases


def apply_edits(content: Path, edits: list[dict]) -> None:
    for edit in edits:
        target = content / edit["file"]
        if edit.get("delete"):
            target.unlink()
        elif "copy" in edit:
            target.write_bytes((content / edit["copy"]).read_bytes())
        elif "write" in edit:
            target.parent.mkdir(parents=True, exist_ok=True)
            data = edit["write"]
            target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        else:
            text = target.read_text("utf-8")
            assert edit["old"] in text, f"{edit['file']} does not contain {edit['old']!r}"
            target.write_text(text.replace(edit["old"], edit["new"], 1), "utf-8")


# -- the published site each case starts from ---------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, str]]:
    project = make_project(tmp_path_factory.mktemp("published") / "project", FIXTURES / "minimal")
    set_plugin_option(project, f"max_form_size_mb: {MAX_FORM_MB}")
    result = project.build()
    assert result.returncode == 0, result.stderr
    hashes = tree_hashes(project.site)
    assert any(name.startswith("thu-tuc/") for name in hashes)
    return project, hashes


def assert_refused(project: Project, before: dict[str, str], path: str, line: int, key: str, words: list[str]) -> str:
    """The build fails with one located Vietnamese message and the published site is untouched."""
    result = project.build()
    output = result.stderr + result.stdout
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    shown = f"content/{path}"
    found = problem_lines(result.stderr, shown, line)
    assert found, f"no message for {shown}:{line}:\n{output}"
    expected_key = key or "(tệp)"
    # Errors are printed after warnings; the refusal is the error line when a warning shares its place.
    matching = sorted((text for text in found if f": {expected_key}: " in text), key=lambda text: "[cảnh báo]" in text)
    assert matching, f"no message naming key {expected_key!r}:\n{output}"
    message = matching[0]
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"
    assert VIETNAMESE.search(message.split(f": {expected_key}: ", 1)[1]), message
    assert unicodedata.is_normalized("NFC", output)
    assert "Chưa xuất bản" in output
    assert tree_hashes(project.site) == before, "the published site changed"
    assert siblings(project) == ["content", "mkdocs.yml", "site"]
    return message


# -- the corpus ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _corpus_cases(), ids=lambda c: c.id)
def test_corpus_case_is_refused(case: Case, project: Project, published):
    apply_edits(project.content, case.edits)
    assert_refused(project, published[1], case.path, case.line, case.key, case.words)


# -- each required key, top level and nested, derived from the schema -------------------------------------


def _required_keys(schema: dict, data, location: tuple = ()) -> list[tuple[tuple, str]]:
    """(location of an object in data, required key) for every `required` the schema applies there."""
    root = schema
    found: list[tuple[tuple, str]] = []

    def walk(node: dict, value, where: tuple) -> None:
        while "$ref" in node:
            target = root
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        if isinstance(value, dict):
            found.extend((where, key) for key in node.get("required", []) if key in value)
            for key, sub in node.get("properties", {}).items():
                if key in value:
                    walk(sub, value[key], where + (key,))
        elif isinstance(value, list) and isinstance(node.get("items"), dict) and value:
            walk(node["items"], value[0], where + (0,))

    walk(schema, data, location)
    return found


def _fixture_data(relative: str):
    return parse_yaml((FIXTURES / "minimal" / relative).read_text("utf-8"), relative).data


def _without(data, location: tuple, key: str):
    data = copy.deepcopy(data)
    target = data
    for part in location:
        target = target[part]
    del target[key]
    return data


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


def _location_text(location: tuple) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


PROCEDURE_REQUIRED = _required_keys(load_schema("procedure"), _fixture_data(KHAI_SINH))
SITE_LISTS = {"fields.yml": "fields", "agencies.yml": "agencies", "life-events.yml": "life_events"}
SITE_REQUIRED = [
    (name, location, key)
    for name, kind in SITE_LISTS.items()
    for location, key in _required_keys(
        {"$defs": load_schema("site-data")["$defs"], "$ref": f"#/$defs/{kind}"}, _fixture_data(name)
    )
]


def test_every_required_key_of_the_schema_is_covered():
    """The parametrisation below really walks the schema: top level and the nested objects."""
    top = set(load_schema("procedure")["required"])
    assert {key for location, key in PROCEDURE_REQUIRED if location == ()} == top
    nested = {(_location_text(location), key) for location, key in PROCEDURE_REQUIRED if location}
    assert {("agencies", "implementing"), ("methods[0].fees[0]", "amount"), ("dossier.cases[0].documents[0]", "copy"),
            ("legal_basis[0]", "title"), ("forms[0]", "title"), ("receive_return", "return")} <= nested
    assert {(name, key) for name, _, key in SITE_REQUIRED} == {(name, k) for name in SITE_LISTS for k in ("slug", "name")}


def _expected_span(text: str, location: tuple) -> tuple[int, int]:
    """First and last line of the mapping at location in text: the message must point inside it."""
    positions = parse_yaml(text, "x").positions
    lines = [line for loc, (line, _) in positions.items() if loc[: len(location)] == location]
    return min(lines), max(lines)


@pytest.mark.parametrize(
    "location, key", PROCEDURE_REQUIRED, ids=[_location_text(loc + (key,)) for loc, key in PROCEDURE_REQUIRED]
)
def test_each_missing_required_procedure_key_is_refused(location, key, project: Project, published):
    text = _dump(_without(_fixture_data(KHAI_SINH), location, key))
    (project.content / KHAI_SINH).write_text(text, "utf-8")
    first, last = _expected_span(text, location) if location else (1, 1)
    result = project.build()
    wanted = f": {_location_text(location + (key,))}: thiếu mục bắt buộc “{key}”"
    lines = [line for line in result.stderr.splitlines() if wanted in line]
    assert lines, result.stderr
    line_number = int(lines[0].split(":")[1])
    assert first <= line_number <= last, lines[0]
    assert_refused(project, published[1], KHAI_SINH, line_number, _location_text(location + (key,)), ["thiếu mục bắt buộc"])


@pytest.mark.parametrize("name, location, key", SITE_REQUIRED, ids=[f"{n}:{k}" for n, _, k in SITE_REQUIRED])
def test_each_missing_required_site_list_key_is_refused(name, location, key, project: Project, published):
    data = _without(_fixture_data(name), location, key)
    (project.content / name).write_text(_dump(data), "utf-8")
    first, _ = _expected_span(_dump(data), location)
    assert_refused(project, published[1], name, first, _location_text(location + (key,)), ["thiếu mục bắt buộc"])


# -- every URL field refuses script-bearing schemes; e-mail fields refuse non-addresses ---------------------

SCHEMES = ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
           "vbscript:msgbox(1)"]
URL_FIELDS = {
    "online_url": (KHAI_SINH, "level: 2", "level: 2\nonline: full\nonline_url: '{url}'", 7, "online_url"),
    "legal_basis.url": (KHAI_SINH, "    issuer: Quốc hội", "    issuer: Quốc hội\n    url: '{url}'", 56, "legal_basis[0].url"),
    "agency.url": ("agencies.yml", "  email: ubnd@xa-mau.example.vn", "  email: ubnd@xa-mau.example.vn\n  url: '{url}'", 6, "[0].url"),
}


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.split(":")[0])
@pytest.mark.parametrize("url_field", list(URL_FIELDS))
def test_script_url_schemes_are_refused_in_every_url_field(url_field, scheme, project: Project, published):
    file, old, new, line, key = URL_FIELDS[url_field]
    apply_edits(project.content, [{"file": file, "old": old, "new": new.format(url=scheme)}])
    assert_refused(project, published[1], file, line, key, ["http"])


@pytest.mark.parametrize(
    "file, old, new, line, key",
    [
        (KHAI_SINH, "updated: 2025-06-01", "updated: 2025-06-01\nemail: gopy@", 59, "email"),
        (KHAI_SINH, "updated: 2025-06-01", "updated: 2025-06-01\nemail: 'gop y@mau.example.vn'", 59, "email"),
        ("agencies.yml", "  email: ubnd@xa-mau.example.vn", "  email: ubnd.xa-mau.example.vn", 5, "[0].email"),
        ("agencies.yml", "  email: ubnd@xa-mau.example.vn", "  email: '<script>@x.vn'", 5, "[0].email"),
    ],
    ids=["procedure-no-domain", "procedure-space", "agency-no-at", "agency-markup"],
)
def test_invalid_email_addresses_are_refused(file, old, new, line, key, project: Project, published):
    apply_edits(project.content, [{"file": file, "old": old, "new": new}])
    assert_refused(project, published[1], file, line, key, ["thư điện tử"])


# -- bytes: legacy encodings, sizes, symlinks, empty and oversized form files --------------------------------


def _khai_sinh_text() -> str:
    return (FIXTURES / "minimal" / KHAI_SINH).read_text("utf-8")


def _legacy_bytes(kind: str) -> bytes:
    text = _khai_sinh_text()
    if kind == "cp1258":  # Windows-1258 writes tones as combining marks after the base letter
        return unicodedata.normalize("NFD", text).encode("cp1258", errors="replace")
    if kind == "tcvn3":  # TCVN3 (ABC): "Đăng ký" is bytes A7 A8 "ng k" FD
        return text.replace("title: Đăng ký khai sinh", "@@TITLE@@").encode("ascii", errors="replace").replace(
            b"@@TITLE@@", b"title: \xa7\xa8ng k\xfd khai sinh")
    if kind == "vni":  # VNI-Windows: "Đăng ký" is "Ñaêng kyù" in Windows-1252 bytes
        return text.replace("title: Đăng ký khai sinh", "@@TITLE@@").encode("ascii", errors="replace").replace(
            b"@@TITLE@@", b"title: \xd1a\xeang ky\xf9 khai sinh")
    return text.encode("utf-16")


@pytest.mark.parametrize(
    "kind, line, key", [("cp1258", 2, "title"), ("tcvn3", 2, "title"), ("vni", 2, "title"), ("utf16", 1, "")]
)
def test_legacy_encodings_are_refused(kind, line, key, project: Project, published):
    (project.content / KHAI_SINH).write_bytes(_legacy_bytes(kind))
    message = assert_refused(project, published[1], KHAI_SINH, line, key, ["UTF-8", "Unikey"])
    assert "TCVN3" in message or "UTF-16" in message


def test_ten_megabyte_yaml_is_refused_without_reading_it(project: Project, published):
    big = project.content / "procedures/ho-tich/1.999999-rat-lon.yml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write('code: "1.999999"\nsummary: "')
        chunk = "Đăng ký khai sinh " * 1000
        while handle.tell() < 10 * 1024 * 1024:
            handle.write(chunk)
        handle.write('"\n')
    assert big.stat().st_size > 10 * 1024 * 1024
    assert_refused(project, published[1], "procedures/ho-tich/1.999999-rat-lon.yml", 1, "", ["quá lớn", "KB"])


def test_deep_nesting_is_refused(project: Project, published):
    apply_edits(project.content, [{"file": KHAI_SINH, "old": "keywords: [khai sinh, giấy khai sinh, hộ tịch]",
                                   "new": "keywords: " + "[" * 100 + "x" + "]" * 100}])
    assert_refused(project, published[1], KHAI_SINH, 56, "keywords" + "[0]" * MAX_DEPTH, ["lồng nhau"])


def test_form_symlink_out_of_content_is_refused(project: Project, published, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu", "utf-8")
    (project.content / "forms/ho-tich/lien-ket.txt").symlink_to(secret)
    apply_edits(project.content, [{"file": KHAI_SINH, "old": FORM, "new": "forms/ho-tich/lien-ket.txt"}])
    assert_refused(project, published[1], KHAI_SINH, 50, "forms[0].files[0]", ["ngoài thư mục content/"])


def test_form_folder_symlink_out_of_content_is_refused(project: Project, published, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "to-khai.txt").write_text("ngoài", "utf-8")
    (project.content / "forms/ngoai").symlink_to(outside, target_is_directory=True)
    apply_edits(project.content, [{"file": KHAI_SINH, "old": FORM, "new": "forms/ngoai/to-khai.txt"}])
    assert_refused(project, published[1], KHAI_SINH, 50, "forms[0].files[0]", ["ngoài thư mục content/"])


def test_procedure_file_symlinked_from_outside_content_is_refused(project: Project, published, tmp_path: Path):
    outside = tmp_path / "1.999998-ngoai.yml"
    outside.write_text(_khai_sinh_text().replace('code: "1.001193"', 'code: "1.999998"'), "utf-8")
    (project.content / "procedures/ho-tich/1.999998-ngoai.yml").symlink_to(outside)
    assert_refused(project, published[1], "procedures/ho-tich/1.999998-ngoai.yml", 1, "", ["ngoài thư mục content/"])


def test_empty_form_file_is_refused(project: Project, published):
    (project.content / "forms/ho-tich/rong.pdf").write_bytes(b"")
    apply_edits(project.content, [{"file": KHAI_SINH, "old": FORM, "new": "forms/ho-tich/rong.pdf"}])
    assert_refused(project, published[1], KHAI_SINH, 50, "forms[0].files[0]", ["rỗng"])


def test_oversized_form_file_is_refused(project: Project, published):
    (project.content / "forms/ho-tich/lon.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * (MAX_FORM_MB * 1024 * 1024 + 1))
    apply_edits(project.content, [{"file": KHAI_SINH, "old": FORM, "new": "forms/ho-tich/lon.pdf"}])
    assert_refused(project, published[1], KHAI_SINH, 50, "forms[0].files[0]", ["quá lớn", f"tối đa {MAX_FORM_MB} MB"])


def test_several_broken_files_are_all_reported_in_one_run(project: Project, published):
    apply_edits(project.content, [
        {"file": KHAI_SINH, "old": "level: 2", "new": "level: hai"},
        {"file": TAM_TRU, "old": "title: Đăng ký tạm trú", "new": "title: \"Đăng ký tạm trú"},
        {"file": "fields.yml", "old": "  name: Hộ tịch\n", "new": ""},
    ])
    result = project.build()
    assert result.returncode == 1, result.stderr
    assert problem_lines(result.stderr, f"content/{KHAI_SINH}", 5)
    assert problem_lines(result.stderr, f"content/{TAM_TRU}", 2)
    assert problem_lines(result.stderr, "content/fields.yml", 1)
    assert tree_hashes(project.site) == published[1]


# -- accepted odd inputs: NFD text, a UTF-8 BOM, Windows line endings --------------------------------------


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_nfd_text_is_accepted_and_published_as_nfc(project: Project):
    for relative in (KHAI_SINH, "fields.yml", "agencies.yml"):
        file = project.content / relative
        file.write_text(unicodedata.normalize("NFD", file.read_text("utf-8")), "utf-8")
    assert unicodedata.normalize("NFD", "Đăng ký").encode() in (project.content / KHAI_SINH).read_bytes()
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = (project.site / "thu-tuc/dang-ky-khai-sinh-1-001193/index.html").read_bytes()
    assert "Đăng ký khai sinh".encode() in page  # NFC bytes: "ă" is C4 83, "ý" is C3 BD
    assert "Ủy ban nhân dân cấp xã".encode() in page
    for html in _html_files(project.site):
        text = html.read_bytes().decode("utf-8")
        assert unicodedata.is_normalized("NFC", text), html


def test_utf8_bom_is_accepted(project: Project):
    for relative in (KHAI_SINH, "fields.yml"):
        file = project.content / relative
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = (project.site / "thu-tuc/dang-ky-khai-sinh-1-001193/index.html").read_bytes()
    assert "Đăng ký khai sinh".encode() in page
    for html in _html_files(project.site):
        assert b"\xef\xbb\xbf" not in html.read_bytes(), html


def test_upper_case_extension_is_accepted(project: Project):
    """A file saved as X.YML by a Windows editor is still a procedure, not silently left out."""
    file = project.content / KHAI_SINH
    file.rename(file.with_suffix(".YML"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "Đăng ký khai sinh" in project.html("thu-tuc/dang-ky-khai-sinh-1-001193/")


def test_windows_line_endings_are_accepted(project: Project):
    file = project.content / KHAI_SINH
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "Đăng ký khai sinh" in project.html("thu-tuc/dang-ky-khai-sinh-1-001193/")
