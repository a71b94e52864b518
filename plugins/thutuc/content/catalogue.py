"""Load the whole content tree into a Catalogue, collecting every problem of every file in one run."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..render.markdown import has_raw_html, markdown_hazard
from .ascii_codes import FOREIGN_DIGIT_HINT, ecma_pattern, foreign_digit_message
from .bulk_load import judge_files
from .form_definition import load_definitions
from .formfiles import DEFAULT_MAX_BYTES, check_definition_path, check_form_file, generated_paths
from .lifecycle import build_date, lifecycle_problems, split_abolished
from .load_memo import FileOutcome, content_stamp
from .model import Agency, Catalogue, Field, FormFile, LifeEvent, Procedure, next_revision, procedure_from_data
from .overlays import apply_overlay, load_overlays, report_unused
from .overlays import code_of as overlay_code
from .pages_source import check_pages, irregular_problem, link_problem
from .placeholders import drop_covered, placeholder_problems
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
    # parse_cache.ParseCache for `check`: unchanged procedure files are not parsed again.
    parse_cache: Any = None
    # load_memo.LoadMemo for `serve`: unchanged procedure files are not even validated or modelled again.
    memo: Any = None
    # The day lifecycle dates are judged by (lifecycle.build_date()); "" asks the clock.
    today: str = ""
    # MkDocs' docs_dir (content/pages): only pages and checked images may be published from it (pages_source.py).
    pages_dir: Path | None = None


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
            problems.add(Problem(shown, 1, 1, "", f"thiếu tệp {name} trong thư mục nội dung.",
                                 hint=f"tạo tệp theo mẫu của bộ dữ liệu mẫu trong kho mã (content/{name})."))
        return [], None
    outside = link_problem(file, [content_dir.resolve()], f"content/{name}")
    if outside is not None:  # a link to /etc/passwd or another site's list is never read
        problems.add(outside)
        return [], None
    try:
        document = load_yaml_file(file, shown)
    except YamlProblem as error:
        problems.add(error.problem)
        return [], None
    problems.extend(document.warnings)
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
                    hint="mỗi phần tử cần một mã (slug) riêng: đổi mã hoặc gộp hai phần tử.",
                )
            )
        seen[item["slug"]] = index
    return document.data, document


def _procedure_files(content_dir: Path, problems: Problems) -> list[Path]:
    folder = content_dir / "procedures"
    if not folder.is_dir():
        return []
    files: list[Path] = []
    roots = [content_dir.resolve()]
    for path in folder.rglob("*"):  # rglob does not enter linked folders: a link out of content/ is named here
        if path.is_symlink() and path.is_dir():
            problem = link_problem(path, roots, "content/procedures/")
            if problem is not None:
                problems.add(problem)
        # Case-insensitive: an editor's "X.YML" must not silently drop a procedure from the site.
        elif path.suffix.lower() in (".yml", ".yaml"):
            if path.is_file():
                files.append(path)
            elif not path.is_dir():  # a FIFO would block the read forever
                problems.add(irregular_problem(path, "content/procedures/"))
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _problem_at(
    procedure: Procedure,
    location: tuple[str | int, ...],
    message: str,
    hint: str = "",
    severity: Severity = Severity.ERROR,
) -> Problem:
    if procedure.document is not None:
        path, line, column = procedure.document.locate(location)
    else:
        (line, column), path = procedure.position(*location), procedure.source_path
    return Problem(path, line, column, location_text(location), message, severity, hint)


def _close_hint(value: str, known, action: str) -> str:
    """A hint for an unknown reference: the closest existing one, if any, else what to do."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"có phải ý bạn là “{close[0]}”? Nếu không, {action}." if close else f"{action}."


def _check_references(catalogue: Catalogue, options: ContentOptions, problems: Problems, invalid_codes: set[str]) -> None:
    """Checks between files: these run on every load, while each file's own checks may come from the memo."""
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
                            procedure, ("agencies", role, index), f"cơ quan “{slug}” chưa được khai báo trong content/agencies.yml.",
                            _close_hint(slug, catalogue.agencies, "thêm cơ quan vào content/agencies.yml hoặc sửa lại mã"),
                        )
                    )
        for index, slug in enumerate(procedure.life_events):
            if slug not in catalogue.life_events:
                problems.add(
                    _problem_at(procedure, ("life_events", index), f"sự kiện “{slug}” chưa được khai báo trong content/life-events.yml.",
                                _close_hint(slug, catalogue.life_events, "thêm sự kiện vào content/life-events.yml hoặc sửa lại mã"))
                )
        for index, code in enumerate(procedure.related):
            if code == procedure.code:
                problems.add(_problem_at(procedure, ("related", index), "thủ tục không thể liên quan đến chính nó.",
                                         "xóa mã này khỏi related."))
            elif foreign := foreign_digit_message(code):
                problems.add(_problem_at(procedure, ("related", index), foreign, FOREIGN_DIGIT_HINT))
            elif code not in by_code and code not in invalid_codes:  # an invalid file already has its own error
                problems.add(_problem_at(procedure, ("related", index), f"không có thủ tục nào mang mã “{code}”.",
                                         _close_hint(code, by_code, "kiểm tra lại mã, hoặc xóa mã này khỏi related")))
    _check_addresses(catalogue, problems)


def _check_addresses(catalogue: Catalogue, problems: Problems) -> None:
    """Two procedures never share a page address (the slug of title and code): the second would replace the first."""
    by_url: dict[str, list[Procedure]] = defaultdict(list)
    for procedure in catalogue.procedures:
        by_url[procedure.url].append(procedure)
    for url, owners in by_url.items():
        codes = {p.code for p in owners}
        if len(owners) < 2 or len(codes) < len(owners):
            continue  # the same code twice is reported above
        files = ", ".join(p.source_path for p in owners)
        for procedure in owners:
            problems.add(_problem_at(
                procedure, ("code",), f"trang /{url} sẽ được ghi từ nhiều tệp: {files}; một trang sẽ thay thế trang kia.",
                "mỗi thủ tục cần tên và mã riêng: sửa mã (chỉ chữ số 0–9) hoặc tên thủ tục của một tệp.",
            ))


def _check_forms(
    procedure: Procedure, content_dir: Path, max_form_bytes: int, problems: Problems, definitions: dict[str, Path]
) -> None:
    form_ids: dict[str, int] = {}
    for index, form in enumerate(procedure.forms):
        if form.id in form_ids:
            problems.add(_problem_at(procedure, ("forms", index, "id"), f"mã mẫu “{form.id}” bị trùng trong thủ tục này.",
                                     "đặt cho mỗi mẫu một id riêng."))
        form_ids[form.id] = index
        if form.definition:
            resolved, message, hint = check_definition_path(content_dir, form.definition)
            if resolved is None:
                problems.add(_problem_at(procedure, ("forms", index, "definition"), message, hint))
            else:
                definitions[form.definition] = resolved
            for generated in generated_paths(form.definition):
                # The generated file takes this URL: an uploaded file of the same name would be shadowed.
                if (content_dir / generated).exists():
                    problems.add(_problem_at(
                        procedure, ("forms", index, "definition"),
                        f"tệp “{generated}” đã có trong content/ nhưng cũng sẽ được sinh từ định nghĩa “{form.definition}”.",
                        "xóa tệp tải lên cũ (và bỏ khỏi files), để trang web dùng tệp sinh tự động.",
                    ))
        for file_index, written in enumerate(form.files):
            resolved, message, hint = check_form_file(content_dir, written, max_form_bytes)
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
            elif procedure.level >= 2 and not procedure.forms[form_ids[document.form]].downloads:
                problems.add(
                    _problem_at(procedure, location,
                                f"thủ tục mức {procedure.level} phải có tệp tải về cho mẫu “{document.form}” (giấy tờ “{document.name}”).",
                                "thêm ít nhất một tệp .docx hoặc .pdf vào forms[].files, hoặc viết định nghĩa biểu mẫu "
                                "(forms[].definition), hoặc hạ mức độ xuống 1.")
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
        hazard = markdown_hazard(text) if text else None
        if hazard is not None:  # Python-Markdown would take minutes: refuse before rendering
            problems.add(_problem_at(procedure, location, f"dòng {hazard[0]} của đoạn văn: {hazard[1]}", hazard[2]))
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
    problems.extend(check_pages(options.pages_dir, content_dir, options.max_form_bytes))
    catalogue = Catalogue(
        procedures=[],
        fields={f["slug"]: Field(f["slug"], f["name"], f.get("sector", ""), f.get("description", "")) for f in site_lists["fields"]},
        agencies={a["slug"]: Agency(a["slug"], a["name"], a.get("address", ""), a.get("phone", ""), a.get("email", ""), a.get("url", ""))
                  for a in site_lists["agencies"]},
        life_events={e["slug"]: LifeEvent(e["slug"], e["name"], e.get("description", "")) for e in site_lists["life_events"]},
        content_dir=content_dir,
    )
    schema = procedure_schema(options.code_pattern)
    files = _procedure_files(content_dir, problems)
    invalid_codes: set[str] = set()
    overlays = load_overlays(content_dir, problems)
    overlaid: set[str] = set()
    unreadable = 0
    if not files:
        problems.add(Problem(display_path(content_dir / "procedures"), 1, 1, "", "không có tệp thủ tục nào (*.yml) trong thư mục này."))
    eligible: list[Path] = []
    real_content_dir = content_dir.resolve()
    for file in files:
        if not file.resolve().is_relative_to(real_content_dir):
            problems.add(Problem(display_path(file), 1, 1, "", "tệp trỏ ra ngoài thư mục content/ (liên kết tượng trưng).",
                                 hint="chép tệp thật vào content/procedures/."))
            continue
        eligible.append(file)
    memo = options.memo
    if memo is not None:
        memo.start(content_stamp(content_dir, options))
    outcomes: dict[Path, FileOutcome] = {}
    digests: dict[Path, str | None] = {}
    for file in eligible:
        if memo is not None:
            outcome, digests[file] = memo.lookup(file)
            if outcome is not None:
                outcomes[file] = outcome
                if options.parse_cache is not None:
                    options.parse_cache.keep(file)
    missing = [(file, display_path(file)) for file in eligible if file not in outcomes]
    context = FileContext(content_dir, schema, overlays, options.max_form_bytes)
    for file, outcome in judge_files(missing, context, file_outcome, options.parse_cache).items():
        if outcome.procedure is not None:
            outcome.procedure.revision = next_revision()  # made here: a helper process has its own counter
        outcomes[file] = outcome
        if memo is not None:
            memo.remember(file, digests.get(file), outcome)
    if memo is not None:
        memo.forget_missing(set(eligible))
    definitions: dict[str, Path] = {}  # form definitions used by any procedure, loaded once below
    for file in eligible:
        outcome = outcomes[file]
        problems.extend(outcome.problems)
        unreadable += outcome.unreadable
        if outcome.procedure is not None:
            catalogue.procedures.append(outcome.procedure)
        if outcome.invalid_code is not None:
            invalid_codes.add(outcome.invalid_code)
        if outcome.procedure is None:
            invalid_codes |= _codes_of_failed_file(file, schema["properties"]["code"]["pattern"])
        if outcome.overlay is not None:
            overlaid.add(outcome.overlay)
        definitions.update(outcome.definitions)
    if not unreadable:  # an unreadable procedure file may be the overlay's owner: its own error suffices
        report_unused(overlays, overlaid, problems)
    if options.parse_cache:
        options.parse_cache.save()
    _check_references(catalogue, options, problems, invalid_codes)
    today = options.today or build_date()
    problems.extend(lifecycle_problems(catalogue, today, invalid_codes, _problem_at))
    catalogue.today = today
    split_abolished(catalogue, today)
    catalogue.form_definitions = load_definitions(catalogue.content_dir, definitions, problems)
    return LoadResult(catalogue, problems)


@dataclass
class FileContext:
    """What a procedure file's outcome depends on besides the file; sent to the helper process."""

    content_dir: Path
    schema: dict
    overlays: dict[str, YamlDocument]
    max_form_bytes: int


def file_outcome(document: YamlDocument | Problem, file: Path, shown: str, context: FileContext) -> FileOutcome:
    """Everything that depends on this one file: parse result, overlay, schema, its forms and Markdown."""
    if isinstance(document, Problem):
        return FileOutcome(problems=[document], unreadable=True)
    outcome = FileOutcome()
    read_warnings = list(getattr(document, "warnings", []))  # e.g. a value cut short by " #"
    code = overlay_code(document)
    if code in context.overlays:
        document = apply_overlay(document, context.overlays[code])
        outcome.overlay = code
        read_warnings += getattr(context.overlays[code], "warnings", []) + document.warnings
    unfilled = placeholder_problems(document)
    found = [problem for _, problem in unfilled] + list(getattr(document, "conflicts", []))
    found += drop_covered(validate_document(document, context.schema), [location for location, _ in unfilled])
    if found:
        outcome.problems = found + read_warnings
        if isinstance(document.data, dict) and isinstance(document.data.get("code"), str):
            outcome.invalid_code = document.data["code"]
        return outcome
    procedure = procedure_from_data(document.data, shown, document, file.resolve())
    # The model now holds the content; keep only the positions (for located messages), so memory
    # stays flat at 10,000 procedures.
    document.data, document.raw_scalars = None, {}
    own = Problems()
    _check_forms(procedure, context.content_dir, context.max_form_bytes, own, outcome.definitions)
    _check_markdown(procedure, own)
    own.extend(read_warnings)
    _check_code_in_name(procedure, file, context.schema["properties"]["code"]["pattern"], own)
    outcome.procedure, outcome.problems = procedure, own.items
    return outcome


def code_in_file_name(name: str, code_pattern: str) -> str | None:
    """The code a file name starts with, when it follows the `<code>-<slug>.yml` convention."""
    # ASCII: a file named "１.001193-….yml" carries no code in the `\d` sense of the site's pattern.
    inner = ecma_pattern(code_pattern).removeprefix("(?a)").removeprefix("^").removesuffix("$")
    found = re.match(f"(?:{inner})(?=-|\\.ya?ml$)", name, re.IGNORECASE | re.ASCII)
    return found[0] if found else None


def _check_code_in_name(procedure: Procedure, file: Path, code_pattern: str, problems: Problems) -> None:
    """A code typed differently inside the file and in its name: one of them is a typo, maybe published."""
    foreign = foreign_digit_message(file.name)
    if foreign:
        problems.add(Problem(procedure.source_path, 1, 1, "", f"tên tệp {foreign}",
                             hint=f"đổi tên tệp thành {procedure.code}-<tên>.yml, gõ mã bằng chữ số 0–9."))
        return
    named = code_in_file_name(file.name, code_pattern)
    if named is None or named == procedure.code:
        return
    problems.add(_problem_at(
        procedure, ("code",),
        f"mã thủ tục trong tệp là “{procedure.code}” nhưng tên tệp “{file.name}” mang mã “{named}”; "
        f"trang web công bố mã “{procedure.code}”.",
        "đối chiếu mã với Cơ sở dữ liệu quốc gia về thủ tục hành chính, rồi sửa code trong tệp hoặc đổi tên tệp "
        f"thành {procedure.code}-<tên>.yml cho khớp.",
        Severity.WARNING,
    ))


def _codes_of_failed_file(file: Path, code_pattern: str) -> set[str]:
    """Codes a file that could not be read or validated was meant to have: from its name and its code line.

    Other files' references to them are not reported again: the file's own error is the root cause.
    """
    codes = {code_in_file_name(file.name, code_pattern)}
    try:
        text = file.read_bytes()[:65536].decode("utf-8", errors="replace")
    except OSError:
        text = ""
    found = re.search(r"^code\s*:\s*[\"']?([^\"'\s#]+)", text, re.MULTILINE)
    if found:
        codes.add(found[1])
    return {code for code in codes if code}
