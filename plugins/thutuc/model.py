"""The catalogue as plain data: what was validated, in a shape templates and indexes can rely on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import plain_text, procedure_slug, shorten
from .yamlsource import YamlDocument


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
    source: Path
    size: int

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


@dataclass(frozen=True)
class LegalDoc:
    number: str
    title: str
    issued: str
    issuer: str
    url: str = ""


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
    dossier_quantity: int
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
    source_file: Path = field(default_factory=Path, compare=False)
    document: YamlDocument | None = field(default=None, repr=False, compare=False)
    form_files: dict[str, FormFile] = field(default_factory=dict, repr=False, compare=False)

    @property
    def slug(self) -> str:
        return procedure_slug(self.title, self.code)

    @property
    def url(self) -> str:
        """Site-relative URL of the procedure page, with a trailing slash."""
        return f"thu-tuc/{self.slug}/"

    @property
    def has_summary(self) -> bool:
        return bool(self.summary)

    def description(self, limit: int = 160) -> str:
        """The summary, or one derived from the first step and the result, for meta descriptions."""
        if self.summary:
            return shorten(plain_text(self.summary), limit)
        parts = [f"Thủ tục {self.title} (mã {self.code})"]
        if self.result:
            parts.append("kết quả: " + ", ".join(self.result))
        parts.append("thời hạn giải quyết: " + plain_text(self.processing_time))
        return shorten("; ".join(parts) + ".", limit)

    def position(self, *location: str | int) -> tuple[int, int]:
        return self.document.position(location) if self.document else (1, 1)


def _tuple(items: list[Any] | None) -> tuple[Any, ...]:
    return tuple(items or ())


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
        decision=data["decision"],
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
        dossier_quantity=dossier["quantity"],
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
            Form(f["id"], f["title"], _tuple(f["files"]), f.get("code", ""), f.get("source", ""))
            for f in data.get("forms", [])
        ),
        legal_basis=tuple(
            LegalDoc(b["number"], b["title"], b["issued"], b["issuer"], b.get("url", ""))
            for b in data["legal_basis"]
        ),
        keywords=_tuple(data.get("keywords")),
        life_events=_tuple(data.get("life_events")),
        related=_tuple(data.get("related")),
        updated=data.get("updated", ""),
        email=data.get("email", ""),
        source_path=source_path,
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

    def by_code(self) -> dict[str, Procedure]:
        return {p.code: p for p in self.procedures}

    def in_field(self, slug: str) -> list[Procedure]:
        return [p for p in self.procedures if p.field == slug]
