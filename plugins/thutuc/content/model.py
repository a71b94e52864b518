"""The catalogue as plain data: what was validated, in a shape templates and indexes can rely on."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..vi import labels
from ..vi.text import plain_text, procedure_slug, shorten
from .formfiles import generated_paths
from .urls import procedure_url
from .yamlsource import YamlDocument

if TYPE_CHECKING:
    from .form_definition import FormDefinition


@dataclass(frozen=True)
class Field:
    slug: str
    name: str
    sector: str = ""
    description: str = ""


@dataclass(frozen=True)
class Agency:
    slug: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class LifeEvent:
    slug: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Fee:
    kind: str
    amount: int | None
    text: str = ""
    note: str = ""


@dataclass(frozen=True)
class Method:
    channel: str
    processing_time: str
    fees: tuple[Fee, ...]
    description: str = ""


@dataclass(frozen=True)
class Step:
    title: str
    description: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    original: int
    copy: int
    form: str = ""
    note: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class FormFile:
    """A downloadable file of a form, resolved against `content/`."""

    path: str  # as written, relative to content/
    source: Path  # the uploaded file, or the definition a generated file comes from
    size: int
    data: bytes | None = field(default=None, repr=False, compare=False)  # generated in memory, not on disk

    @property
    def extension(self) -> str:
        return Path(self.path).suffix.lower()


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    files: tuple[str, ...]
    code: str = ""
    source: str = ""
    definition: str = ""  # a *.form.yml the .docx/.odt/.pdf are generated from

    @property
    def source_url(self) -> str:
        """The source when it is a link (a form published on the national database), else ""."""
        return self.source if re.match(r"^https?://[^\s<>\"]+$", self.source) else ""

    @property
    def downloads(self) -> tuple[str, ...]:
        """Uploaded files, then the generated ones (.docx, .odt, .pdf), as paths relative to content/."""
        return self.files + (generated_paths(self.definition) if self.definition else ())


@dataclass(frozen=True)
class LegalDoc:
    number: str
    title: str
    issued: str  # "" when unknown (an imported record without it): the page says so, never a made-up date
    issuer: str  # "" when unknown
    url: str = ""


@dataclass(frozen=True)
class Change:
    """One amendment of a procedure: `changes[]` in the file."""

    date: str
    decision: str
    summary: str


@dataclass(frozen=True)
class Abolition:
    """`abolished:` of a procedure whose `status` is `abolished`."""

    date: str
    decision: str
    reason: str = ""
    replaced_by: tuple[str, ...] = ()


_revisions = itertools.count(1)


def next_revision() -> int:
    return next(_revisions)


@dataclass
class Procedure:
    code: str
    title: str
    decision: str
    field: str
    level: int
    online: str
    online_url: str
    procedure_type: str
    authority_levels: tuple[str, ...]
    agencies: dict[str, tuple[str, ...]]
    subjects: tuple[str, ...]
    audiences: tuple[str, ...]
    summary: str
    steps: tuple[Step, ...]
    methods: tuple[Method, ...]
    processing_time: str
    dossier_quantity: int | None  # None: no source gave it; the page says "Chưa có thông tin"
    cases: tuple[Case, ...]
    result: tuple[str, ...]
    requirements: str
    submit: tuple[str, ...]
    return_: tuple[str, ...]
    forms: tuple[Form, ...]
    legal_basis: tuple[LegalDoc, ...]
    keywords: tuple[str, ...]
    life_events: tuple[str, ...]
    related: tuple[str, ...]
    updated: str
    email: str
    source_path: str
    short_title: str = ""  # for very long official names: <title>, lists and breadcrumbs; the h1 keeps `title`
    status: str = "active"
    abolition: Abolition | None = None
    effective_from: str = ""  # YYYY-MM-DD or ""
    changes: tuple[Change, ...] = ()  # newest first
    previous_codes: tuple[str, ...] = ()
    overview: str = ""  # the full description when the summary is its shortened form (Markdown)
    # Agency roles the file writes, even as []: a written empty role means "none" ("Không"), a role not
    # written is unknown ("Chưa có thông tin"), like every other missing fact (docs/nhap-du-lieu.md).
    agency_roles_given: tuple[str, ...] = ()
    source_file: Path = field(default_factory=Path, compare=False)
    document: YamlDocument | None = field(default=None, repr=False, compare=False)
    form_files: dict[str, FormFile] = field(default_factory=dict, repr=False, compare=False)
    # "Có hiệu lực từ dd/mm/yyyy" while announced but not in force; set on every load (lifecycle.split_abolished).
    upcoming_note: str = field(default="", repr=False, compare=False)
    # A new number for every Procedure made: the preview re-renders a page when one it shows is new.
    revision: int = field(default_factory=next_revision, repr=False, compare=False)

    @property
    def submission(self) -> str:
        """Whether the dossier can be sent online, as lists and search results show it."""
        return labels.submission_label(self.online, [method.channel for method in self.methods])

    @cached_property
    def slug(self) -> str:
        # Cached: every list and link to the procedure asks for it, and slugifying is not cheap.
        return procedure_slug(self.title, self.code)

    @property
    def display_title(self) -> str:
        """The name shown in lists, breadcrumbs and the page's <title>."""
        return self.short_title or self.title

    @property
    def url(self) -> str:
        """Site-relative URL of the procedure page, with a trailing slash."""
        return procedure_url(self.slug)

    @property
    def last_change(self) -> str:
        """The newest lifecycle date written in the file (amendment, entry into force, abolition), or ""."""
        dates = [c.date for c in self.changes] + [self.effective_from, self.abolition.date if self.abolition else ""]
        return max(dates)

    def description(self, limit: int = 160) -> str:
        """The summary, or one derived from the result and processing time: always 50 to limit characters."""
        parts = [f"Thủ tục {self.title} (mã {self.code})"]
        if self.result:
            parts.append("kết quả: " + ", ".join(self.result))
        parts.append("thời hạn giải quyết: " + plain_text(self.processing_time))
        derived = "; ".join(parts) + "."
        text = plain_text(self.summary) if self.summary else derived
        # Search engines want 50+ characters: a very short summary is completed by the derived sentence.
        if len(text) < 50 and self.summary:
            text = f"{text.rstrip()} {derived}"
        if len(text) < 50:
            text += " Hướng dẫn trình tự, hồ sơ, phí, lệ phí và biểu mẫu."
        return shorten(text, limit)

    def position(self, *location: str | int) -> tuple[int, int]:
        return self.document.position(location) if self.document else (1, 1)


def _tuple(items: list[Any] | None) -> tuple[Any, ...]:
    return tuple(items or ())


def _abolition(data: dict[str, Any] | None) -> Abolition | None:
    if not data:
        return None
    return Abolition(data["date"], data["decision"], data.get("reason", ""), _tuple(data.get("replaced_by")))


def procedure_from_data(
    data: dict[str, Any], source_path: str, document: YamlDocument | None, source_file: Path | None = None
) -> Procedure:
    """Build the model from data that already passed the schema."""
    agencies = data["agencies"]
    dossier = data["dossier"]
    level = data["level"]
    return Procedure(
        code=data["code"],
        title=data["title"].strip(),
        short_title=data.get("short_title", "").strip(),
        decision=data.get("decision", ""),  # "" when unknown: the page says "Chưa có thông tin"
        field=data["field"],
        level=level,
        online=data.get("online", "info"),
        online_url=data.get("online_url", ""),
        procedure_type=data.get("procedure_type", ""),
        authority_levels=_tuple(data["authority_levels"]),
        agencies={
            role: _tuple(agencies.get(role))
            for role in ("implementing", "competent", "authorized", "coordinating")
        },
        subjects=_tuple(data["subjects"]),
        audiences=_tuple(data.get("audiences")),
        summary=data.get("summary", ""),
        steps=tuple(Step(s["title"], s.get("description", "")) for s in data["steps"]),
        methods=tuple(
            Method(
                channel=m["channel"],
                processing_time=m["processing_time"],
                fees=tuple(Fee(f["kind"], f["amount"], f.get("text", ""), f.get("note", "")) for f in m["fees"]),
                description=m.get("description", ""),
            )
            for m in data["methods"]
        ),
        processing_time=data["processing_time"],
        dossier_quantity=dossier.get("quantity"),
        overview=data.get("overview", ""),
        agency_roles_given=tuple(agencies),
        cases=tuple(
            Case(
                name=c.get("name", ""),
                documents=tuple(
                    Document(d["name"], d["original"], d["copy"], d.get("form", ""), d.get("note", ""))
                    for d in c["documents"]
                ),
            )
            for c in dossier["cases"]
        ),
        result=_tuple(data["result"]),
        requirements=data["requirements"],
        submit=_tuple(data["receive_return"]["submit"]),
        return_=_tuple(data["receive_return"]["return"]),
        forms=tuple(
            Form(f["id"], f["title"], _tuple(f.get("files")), f.get("code", ""), f.get("source", ""), f.get("definition", ""))
            for f in data.get("forms", [])
        ),
        legal_basis=tuple(
            LegalDoc(b["number"], b["title"], b.get("issued", ""), b.get("issuer", ""), b.get("url", ""))
            for b in data["legal_basis"]
        ),
        keywords=_tuple(data.get("keywords")),
        life_events=_tuple(data.get("life_events")),
        related=_tuple(data.get("related")),
        updated=data.get("updated", ""),
        email=data.get("email", ""),
        source_path=source_path,
        status=data.get("status", "active"),
        abolition=_abolition(data.get("abolished")),
        effective_from=data.get("effective_from", ""),
        changes=tuple(sorted((Change(c["date"], c["decision"], c["summary"]) for c in data.get("changes", [])),
                             key=lambda c: c.date, reverse=True)),
        previous_codes=_tuple(data.get("previous_codes")),
        source_file=source_file or Path(source_path),
        document=document,
    )


@dataclass
class Catalogue:
    """Everything the site is built from."""

    procedures: list[Procedure]
    fields: dict[str, Field]
    agencies: dict[str, Agency]
    life_events: dict[str, LifeEvent]
    content_dir: Path
    # Procedures whose abolition is in force (lifecycle.py): notice pages only, never in lists or search.
    abolished: list[Procedure] = field(default_factory=list)
    today: str = ""  # the day lifecycle dates were judged by (lifecycle.build_date)
    # Valid form definitions by their path relative to content/ (see thutuc.forms).
    form_definitions: dict[str, FormDefinition] = field(default_factory=dict)

    def by_code(self) -> dict[str, Procedure]:
        # Every procedure page asks for this map: build it once per list of procedures, not per page.
        key = (id(self.procedures), len(self.procedures))
        cached = self.__dict__.get("_by_code")
        if cached is None or cached[0] != key:
            cached = (key, {p.code: p for p in self.procedures})
            self.__dict__["_by_code"] = cached
        return cached[1]

    def in_field(self, slug: str) -> list[Procedure]:
        return [p for p in self.procedures if p.field == slug]
