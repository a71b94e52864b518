"""Load the whole content tree into a Catalogue, collecting every problem of every file in one run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .formfiles import DEFAULT_MAX_BYTES, check_form_file
from .markdown_render import has_raw_html
from .model import Agency, Catalogue, Field, FormFile, LifeEvent, Procedure, procedure_from_data
from .problems import Problem, Problems, Severity, display_path
from .schema_check import procedure_schema, site_data_schema, validate_document
from .yamlsource import YamlDocument, YamlProblem, load_yaml_file, location_text

DEFAULT_AUTHORITY_LEVELS = {"bo": "Cấp Bộ / Trung ương", "tinh": "Cấp tỉnh", "xa": "Cấp xã"}

SITE_DATA_FILES = {
    "fields": ("fields.yml", True),
    "agencies": ("agencies.yml", True),
    "life_events": ("life-events.yml", False),
}


@dataclass
class ContentOptions:
    """What a site may configure about its content (from the plugin options in mkdocs.yml)."""

    code_pattern: str | None = None
    authority_levels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_AUTHORITY_LEVELS))
    max_form_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class LoadResult:
    catalogue: Catalogue
    problems: Problems

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def _load_site_list(
    content_dir: Path, kind: str, problems: Problems
) -> tuple[list[dict[str, Any]], YamlDocument | None]:
    name, required = SITE_DATA_FILES[kind]
    file = content_dir / name
    shown = display_path(file)
    if not file.exists():
        if required:
            problems.add(Problem(shown, 1, 1, "", f"thiếu tệp {name} trong thư mục nội dung.", hint="tạo tệp theo mẫu trong README."))
        return [], None
    try:
        document = load_yaml_file(file, shown)
    except YamlProblem as error:
        problems.add(error.problem)
        return [], None
    found = validate_document(document, site_data_schema(kind))
    problems.extend(found)
    if found:
        return [], document
    seen: dict[str, int] = {}
    for index, item in enumerate(document.data):
        if item["slug"] in seen:
            line, column = document.position((index, "slug"))
            problems.add(
                Problem(
                    shown, line, column, f"[{index}].slug",
                    f"mã “{item['slug']}” bị trùng với phần tử thứ {seen[item['slug']] + 1}.",
                )
            )
        seen[item["slug"]] = index
    return document.data, document


def _procedure_files(content_dir: Path) -> list[Path]:
    folder = content_dir / "procedures"
    if not folder.is_dir():
        return []
    files = [p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _problem_at(
    procedure: Procedure,
    location: tuple[str | int, ...],
    message: str,
    hint: str = "",
    severity: Severity = Severity.ERROR,
) -> Problem:
    line, column = procedure.position(*location)
    return Problem(procedure.source_path, line, column, location_text(location), message, severity, hint)


def _check_references(catalogue: Catalogue, options: ContentOptions, problems: Problems, invalid_codes: set[str]) -> None:
    by_code: dict[str, list[Procedure]] = defaultdict(list)
    for procedure in catalogue.procedures:
        by_code[procedure.code].append(procedure)
    for code, owners in by_code.items():
        if len(owners) > 1:
            files = ", ".join(p.source_path for p in owners)
            for procedure in owners:
                problems.add(
                    _problem_at(
                        procedure, ("code",), f"mã thủ tục “{code}” bị trùng trong các tệp: {files}.",
                        "mỗi thủ tục phải có một mã riêng.",
                    )
                )

    for procedure in catalogue.procedures:
        if procedure.field not in catalogue.fields:
            problems.add(
                _problem_at(procedure, ("field",), f"lĩnh vực “{procedure.field}” chưa được khai báo trong content/fields.yml.",
                            "các mã hiện có: " + ", ".join(sorted(catalogue.fields)) + ".")
            )
        for index, level in enumerate(procedure.authority_levels):
            if level not in options.authority_levels:
                problems.add(
                    _problem_at(procedure, ("authority_levels", index), f"cấp thực hiện “{level}” không có trong cấu hình.",
                                "các mã hiện có: " + ", ".join(options.authority_levels) + ".")
                )
        for role, slugs in procedure.agencies.items():
            for index, slug in enumerate(slugs):
                if slug not in catalogue.agencies:
                    problems.add(
                        _problem_at(
                            procedure, ("agencies", role, index), f"cơ quan “{slug}” chưa được khai báo trong content/agencies.yml."
                        )
                    )
        for index, slug in enumerate(procedure.life_events):
            if slug not in catalogue.life_events:
                problems.add(
                    _problem_at(procedure, ("life_events", index), f"sự kiện “{slug}” chưa được khai báo trong content/life-events.yml.")
                )
        for index, code in enumerate(procedure.related):
            if code == procedure.code:
                problems.add(_problem_at(procedure, ("related", index), "thủ tục không thể liên quan đến chính nó."))
            elif code not in by_code and code not in invalid_codes:  # an invalid file already has its own error
                problems.add(_problem_at(procedure, ("related", index), f"không có thủ tục nào mang mã “{code}”."))
        _check_forms(procedure, catalogue.content_dir, options, problems)
        _check_markdown(procedure, problems)


def _check_forms(procedure: Procedure, content_dir: Path, options: ContentOptions, problems: Problems) -> None:
    form_ids: dict[str, int] = {}
    for index, form in enumerate(procedure.forms):
        if form.id in form_ids:
            problems.add(_problem_at(procedure, ("forms", index, "id"), f"mã mẫu “{form.id}” bị trùng trong thủ tục này."))
        form_ids[form.id] = index
        for file_index, written in enumerate(form.files):
            resolved, message, hint = check_form_file(content_dir, written, options.max_form_bytes)
            if resolved is None:
                problems.add(_problem_at(procedure, ("forms", index, "files", file_index), message, hint))
            else:
                procedure.form_files[written] = FormFile(written, resolved, resolved.stat().st_size)
    for case_index, case in enumerate(procedure.cases):
        for doc_index, document in enumerate(case.documents):
            if not document.form:
                continue
            location = ("dossier", "cases", case_index, "documents", doc_index, "form")
            if document.form not in form_ids:
                problems.add(
                    _problem_at(procedure, location, f"mẫu “{document.form}” không có trong forms của thủ tục này.",
                                "thêm mẫu vào forms hoặc sửa lại mã mẫu.")
                )
            elif procedure.level >= 2 and not procedure.forms[form_ids[document.form]].files:
                problems.add(
                    _problem_at(procedure, location,
                                f"thủ tục mức {procedure.level} phải có tệp tải về cho mẫu “{document.form}” (giấy tờ “{document.name}”).",
                                "thêm ít nhất một tệp .docx hoặc .pdf vào forms[].files, hoặc hạ mức độ xuống 1.")
                )


def _markdown_locations(procedure: Procedure):
    yield ("requirements",), procedure.requirements
    for i, step in enumerate(procedure.steps):
        yield ("steps", i, "description"), step.description
    for i, method in enumerate(procedure.methods):
        yield ("methods", i, "description"), method.description
    for c, case in enumerate(procedure.cases):
        for d, document in enumerate(case.documents):
            yield ("dossier", "cases", c, "documents", d, "note"), document.note


def _check_markdown(procedure: Procedure, problems: Problems) -> None:
    for location, text in _markdown_locations(procedure):
        if text and has_raw_html(text):
            problems.add(
                _problem_at(procedure, location, "có mã HTML; mã này được hiển thị như chữ thường, không được dùng làm định dạng.",
                            "dùng cú pháp Markdown (ví dụ **đậm**, danh sách \"- \") thay cho thẻ HTML.", Severity.WARNING)
            )


def load_catalogue(content_dir: Path, options: ContentOptions | None = None) -> LoadResult:
    """Load, validate and cross-check everything under content_dir."""
    options = options or ContentOptions()
    problems = Problems()
    site_lists = {kind: _load_site_list(content_dir, kind, problems)[0] for kind in SITE_DATA_FILES}
    catalogue = Catalogue(
        procedures=[],
        fields={f["slug"]: Field(f["slug"], f["name"], f.get("sector", ""), f.get("description", "")) for f in site_lists["fields"]},
        agencies={a["slug"]: Agency(a["slug"], a["name"], a.get("address", ""), a.get("phone", ""), a.get("email", ""), a.get("url", ""))
                  for a in site_lists["agencies"]},
        life_events={e["slug"]: LifeEvent(e["slug"], e["name"], e.get("description", "")) for e in site_lists["life_events"]},
        content_dir=content_dir,
    )
    schema = procedure_schema(options.code_pattern)
    files = _procedure_files(content_dir)
    invalid_codes: set[str] = set()
    if not files:
        problems.add(Problem(display_path(content_dir / "procedures"), 1, 1, "", "không có tệp thủ tục nào (*.yml) trong thư mục này."))
    for file in files:
        shown = display_path(file)
        try:
            document = load_yaml_file(file, shown)
        except YamlProblem as error:
            problems.add(error.problem)
            continue
        found = validate_document(document, schema)
        problems.extend(found)
        if not found:
            catalogue.procedures.append(procedure_from_data(document.data, shown, document, file.resolve()))
        elif isinstance(document.data, dict) and isinstance(document.data.get("code"), str):
            invalid_codes.add(document.data["code"])
    _check_references(catalogue, options, problems, invalid_codes)
    return LoadResult(catalogue, problems)
