"""What each generated page shows, prepared in Python so templates hold only markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote

from ..content.formfiles import generated_paths
from ..content.lifecycle import LifecycleView, lifecycle_view
from ..content.model import Agency, Catalogue, Field, Form, Procedure
from ..content.urls import field_url, form_file_url, form_fill_url
from ..render.markdown import render_inline, render_markdown
from ..vi import labels
from ..vi.collation import collation_key


@dataclass(frozen=True)
class SiteSettings:
    """The portal owner and feedback details from mkdocs.yml (Circular 32/2017 Art. 16)."""

    site_url: str = ""
    owner_name: str = ""
    owner_address: str = ""
    owner_phone: str = ""
    owner_email: str = ""
    responsible: str = ""
    area_served: str = ""
    authority_levels: dict[str, str] = field(default_factory=dict)
    sample_data: bool = False
    most_used: tuple[str, ...] = ()  # codes shown as "most-used procedures" on the home page
    rating_endpoint: str = ""  # when set, the Art. 12 rating is a real POST form to this URL instead of mailto
    today: str = ""  # the day lifecycle dates are judged by (lifecycle.build_date)
    title_suffix: str = ""  # after the page name in <title>: the owner's short name, else the site name
    national_page_url: str = ""  # the national portal's page of a procedure, "{code}" replaced: JSON-LD sameAs
    statistics_license: str = ""  # URL of the statistics data set's licence (JSON-LD), "" for none

    def absolute(self, path: str) -> str:
        base = self.site_url.rstrip("/") + "/" if self.site_url else "/"
        return base + path.lstrip("/")


def mailto(address: str, subject: str, body: str) -> str:
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def sort_key(text: str) -> tuple:
    """Vietnamese alphabetical order (letters a ă â … đ …, then tones): see collation.py."""
    return collation_key(text)


@dataclass
class FileLink:
    url: str
    extension: str
    size_text: str
    label: str  # "Tải về (.docx, 38 KB)"


@dataclass
class FormView:
    id: str
    title: str
    code: str
    source: str
    files: list[FileLink]
    heading: str = ""  # "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)": shown beside every link
    source_url: str = ""  # the form on the national procedure database (imported records), linked
    fill_url: str = ""  # "Điền tờ khai trực tuyến rồi in" (a form written as a definition)


@dataclass
class MethodView:
    channel: str
    channel_label: str
    processing_time: str
    fees: list[str]
    description_html: str


@dataclass
class DocumentView:
    name: str
    original: int
    copy: int
    form: FormView | None
    note_html: str


@dataclass
class CaseView:
    name: str
    documents: list[DocumentView]


@dataclass
class ProcedureView:
    """Everything the procedure template prints, in the order the page shows it."""

    procedure: Procedure
    url: str
    absolute_url: str
    description: str
    field: Field
    level_label: str
    level_description: str
    online_label: str
    authority_levels: list[str]
    audiences: list[str]
    agencies: list[tuple[str, list[Agency], bool]]
    implementing: list[Agency]
    updated: str
    steps: list[tuple[str, str]]
    methods: list[MethodView]
    fee_summary: list[str]
    cases: list[CaseView]
    forms: list[FormView]
    requirements_html: str
    overview_html: str  # the full description, shown instead of the summary when there is one
    submit: list[str]
    return_: list[str]
    related: list[Procedure]
    life_events: list[str]
    feedback_href: str
    rating_links: list[tuple[str, str]]
    sections: list[tuple[str, str]]
    rating_endpoint: str = ""  # a POST form replaces the rating e-mails when set
    ratings: tuple[str, ...] = ()
    lifecycle: LifecycleView | None = None  # announced, amended, being or been abolished


SECTIONS = [
    ("trinh-tu", "Trình tự thực hiện"),
    ("cach-thuc", "Cách thức thực hiện"),
    ("ho-so", "Thành phần, số lượng hồ sơ"),
    ("thoi-han", "Thời hạn giải quyết"),
    ("phi-le-phi", "Phí, lệ phí"),
    ("doi-tuong", "Đối tượng thực hiện"),
    ("co-quan", "Cơ quan giải quyết"),
    ("ket-qua", "Kết quả thực hiện"),
    ("nhan-tra", "Hình thức nhận hồ sơ, trả kết quả"),
    ("mau-don", "Mẫu đơn, tờ khai"),
    ("yeu-cau", "Yêu cầu, điều kiện"),
    ("can-cu", "Căn cứ pháp lý"),
]
# Sections that only some pages have (ids used by procedure.html and partials/procedure-statistics.html).
STATISTICS_SECTION = "so-lieu"
RELATED_SECTION = ("lien-quan", "Thủ tục liên quan")
FEEDBACK_SECTION = ("gop-y-h", "Góp ý và đánh giá")  # the heading: the section is not printed

RATINGS = ("Rất hài lòng", "Hài lòng", "Chưa hài lòng")


def fee_text(kind: str, amount: int | None, text: str, note: str) -> str:
    label = labels.FEE_KINDS[kind]
    if amount is None:
        line = f"{label}: {text}"
    else:
        line = f"{label}: {labels.money(amount)}"
        if text:
            line += f" ({text})"
    if note:
        line += f". {note}"
    return line


def file_link(written: str, procedure: Procedure) -> FileLink:
    """A download of one form file with its real size: "Tải về (.docx, 38 KB)"."""
    resolved = procedure.form_files.get(written)
    size = labels.file_size(resolved.size) if resolved else ""
    extension = PurePosixPath(written).suffix.lower()
    label = f"Tải về ({extension}, {size})" if size else f"Tải về ({extension})"
    return FileLink(form_file_url(written), extension, size, label)


def form_heading(title: str, code: str) -> tuple[str, str]:
    """("Mẫu CT01", "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)") from a title and a code written with or without "Mẫu"."""
    code = code if not code or code.lower().startswith("mẫu") else f"Mẫu {code}"
    return code, f"{title} ({code})" if code else title


def fillable(form: Form, procedure: Procedure) -> bool:
    """A form written as a definition whose files were generated: it has a fill-in page."""
    return bool(form.definition) and all(path in procedure.form_files for path in generated_paths(form.definition))


def form_view(form: Form, procedure: Procedure, fillable: bool = False) -> FormView:
    files = [file_link(written, procedure) for written in form.downloads]
    code, heading = form_heading(form.title, form.code)
    # Editors write either "Thông tư số …" or a whole phrase "Mẫu ban hành kèm theo …": print one phrase.
    source = form.source if not form.source or "ban hành" in form.source.lower() else f"Ban hành kèm theo {form.source}"
    if form.source_url:
        source = ""
    fill_url = form_fill_url(form.definition) if fillable else ""
    return FormView(form.id, form.title, code, source, files, heading, form.source_url, fill_url)


def rating_body(page_url: str, grade: str) -> str:
    return f"Trang: {page_url}\n\nMức đánh giá: {grade}\nÝ kiến thêm (không bắt buộc):\n"


def procedure_view(procedure: Procedure, catalogue: Catalogue, settings: SiteSettings, updated: str = "",
                   statistics_heading: str = "") -> ProcedureView:
    """What procedure.html shows; statistics_heading names the figures section when the page has one."""
    forms = {form.id: form_view(form, procedure, fillable(form, procedure)) for form in procedure.forms}
    methods = [
        MethodView(
            channel=m.channel,
            channel_label=labels.CHANNELS[m.channel],
            processing_time=m.processing_time,
            fees=[fee_text(f.kind, f.amount, f.text, f.note) for f in m.fees] or ["Không mất phí, lệ phí."],
            description_html=render_markdown(m.description),
        )
        for m in procedure.methods
    ]
    fee_summary: list[str] = []
    for method in methods:
        for line in method.fees:
            entry = f"{method.channel_label}: {line}"
            if entry not in fee_summary:
                fee_summary.append(entry)
    # (role label, agencies, whether the file wrote the role): empty and written is "Không", not written is unknown.
    agencies = [
        (labels.AGENCY_ROLES[role], [catalogue.agencies[s] for s in slugs if s in catalogue.agencies],
         role in procedure.agency_roles_given)
        for role, slugs in procedure.agencies.items()
    ]
    by_code = catalogue.by_code()
    absolute_url = settings.absolute(procedure.url)
    feedback_to = procedure.email or settings.owner_email
    subject = f"[{procedure.code}] {procedure.title}"
    body = f"Trang: {absolute_url}\n\nNội dung góp ý:\n"
    related = [by_code[code] for code in procedure.related if code in by_code]
    rating_endpoint = settings.rating_endpoint if settings.rating_endpoint.startswith(("https://", "http://")) else ""
    # The contents list names every section the page has, the optional ones included.
    optional = ((STATISTICS_SECTION, statistics_heading), (RELATED_SECTION[0], RELATED_SECTION[1] if related else ""),
                (FEEDBACK_SECTION[0], FEEDBACK_SECTION[1] if feedback_to or rating_endpoint else ""))
    return ProcedureView(
        procedure=procedure,
        url=procedure.url,
        absolute_url=absolute_url,
        description=procedure.description(),
        field=catalogue.fields[procedure.field],
        level_label=labels.LEVELS[procedure.level],
        level_description=labels.LEVEL_DESCRIPTIONS[procedure.level],
        online_label=labels.ONLINE_KINDS[procedure.online],
        authority_levels=[settings.authority_levels.get(s, s) for s in procedure.authority_levels],
        audiences=[labels.AUDIENCES[a] for a in procedure.audiences],
        agencies=agencies,
        implementing=agencies[0][1],  # required by the schema: always written
        updated=labels.date_vi(updated or procedure.updated),
        steps=[(s.title, render_markdown(s.description)) for s in procedure.steps],
        methods=methods,
        fee_summary=fee_summary,
        cases=[
            CaseView(
                name=c.name,
                documents=[
                    DocumentView(d.name, d.original, d.copy, forms.get(d.form), render_inline(d.note)) for d in c.documents
                ],
            )
            for c in procedure.cases
        ],
        forms=list(forms.values()),
        requirements_html=render_markdown(procedure.requirements),
        overview_html=render_markdown(procedure.overview) if procedure.overview else "",
        submit=[labels.CHANNELS[c] for c in procedure.submit],
        return_=[labels.CHANNELS[c] for c in procedure.return_],
        related=related,
        life_events=[catalogue.life_events[s].name for s in procedure.life_events if s in catalogue.life_events],
        feedback_href=mailto(feedback_to, subject, body) if feedback_to else "",
        rating_links=[
            (grade, mailto(feedback_to, f"[{procedure.code}] Đánh giá: {grade} - {procedure.title}", rating_body(absolute_url, grade)))
            for grade in RATINGS
        ] if feedback_to else [],
        sections=SECTIONS + [(section_id, title) for section_id, title in optional if title],
        rating_endpoint=rating_endpoint,
        ratings=RATINGS,
        lifecycle=lifecycle_view(procedure, catalogue, settings.today),
    )


@dataclass
class FieldView:
    field: Field
    url: str
    procedures: list[Procedure]


def field_views(catalogue: Catalogue) -> list[FieldView]:
    """Fields in Vietnamese alphabetical order, each with its procedures sorted by title."""
    views = []
    for slug, item in catalogue.fields.items():
        procedures = sorted(catalogue.in_field(slug), key=lambda p: sort_key(p.display_title))
        views.append(FieldView(item, field_url(slug), procedures))
    return sorted(views, key=lambda v: sort_key(v.field.name))
