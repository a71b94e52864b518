"""The public record of changes: the page "Thủ tục mới và thay đổi" (/thay-doi/) and its Atom 1.0 feed.

Every date comes from the content (publishing decisions, `effective_from`, `changes[]`, `abolished.date`),
and the twelve months shown end at the newest of them, never at the build clock: a rebuild without
changes is byte-identical. Entries do not depend on the build day either ("Có hiệu lực từ …" is said
of an announced procedure whether or not the date has passed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..content.model import Catalogue, Procedure
from ..content.urls import CHANGES as CHANGES_URL
from ..content.urls import CHANGES_FEED as FEED_PATH
from ..vi.labels import date_vi
from .browse import HOME, Group, Item, Listing
from .specs import BuildInputs, PageSpec

TITLE = "Thủ tục mới và thay đổi"
MONTHS = 12
KIND_LABELS = {"new": "Thủ tục mới", "amended": "Sửa đổi, bổ sung", "abolished": "Bãi bỏ"}
_DECISION_DATE = re.compile(r"ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class ChangeEntry:
    date: str  # YYYY-MM-DD
    kind: str  # new, amended, abolished
    procedure: Procedure
    decision: str
    summary: str

    @property
    def ident(self) -> str:
        return f"{self.procedure.code}/{self.kind}/{self.date}"


def decision_date(decision: str) -> str:
    """The date written in a decision ("… ngày 04/9/2020 …") as YYYY-MM-DD, or ""."""
    found = _DECISION_DATE.search(decision or "")
    if not found:
        return ""
    day, month, year = (int(part) for part in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def _entries_of(procedure: Procedure, catalogue: Catalogue) -> list[ChangeEntry]:
    entries = []
    announced = procedure.effective_from or decision_date(procedure.decision)
    if announced:
        summary = f"Có hiệu lực từ {date_vi(procedure.effective_from)}." if procedure.effective_from else ""
        entries.append(ChangeEntry(announced, "new", procedure, procedure.decision, summary))
    for change in procedure.changes:
        entries.append(ChangeEntry(change.date, "amended", procedure, change.decision, change.summary))
    abolition = procedure.abolition
    if procedure.status == "abolished" and abolition is not None:
        by_code = catalogue.by_code()
        names = [f"{by_code[c].title} (mã {c})" for c in abolition.replaced_by if c in by_code]
        summary = " ".join(part for part in (abolition.reason.rstrip(".") + "." if abolition.reason else "",
                                             "Thay thế bằng: " + "; ".join(names) + "." if names else "") if part)
        entries.append(ChangeEntry(abolition.date, "abolished", procedure, abolition.decision, summary))
    return entries


def change_entries(catalogue: Catalogue, months: int = MONTHS) -> list[ChangeEntry]:
    """Every change of the last `months` months before the newest one, newest first (ties by code)."""
    entries = [e for p in catalogue.procedures + catalogue.abolished for e in _entries_of(p, catalogue)]
    if not entries:
        return []
    newest = max(e.date for e in entries)
    year, month = int(newest[:4]), int(newest[5:7]) - months + 1
    while month < 1:
        year, month = year - 1, month + 12
    start = f"{year:04d}-{month:02d}-01"
    kept = [e for e in entries if e.date >= start]
    return sorted(kept, key=lambda e: (e.date, e.procedure.code, e.kind), reverse=True)


def _meta(entry: ChangeEntry) -> str:
    parts = [KIND_LABELS[entry.kind], date_vi(entry.date), f"mã {entry.procedure.code}"]
    if entry.decision:
        parts.append(entry.decision)
    text = " · ".join(parts)
    return f"{text}. {entry.summary}" if entry.summary else text


def changes_listing(entries: list[ChangeEntry]) -> Listing:
    groups: dict[str, Group] = {}
    for entry in entries:
        key = entry.date[:7]
        group = groups.setdefault(key, Group(f"Tháng {int(key[5:7])}/{key[:4]}", [], id=f"thang-{key}"))
        group.items.append(Item(entry.procedure.title, entry.procedure.url, _meta(entry)))
    lead = ("Thủ tục hành chính mới công bố, được sửa đổi, bổ sung, sắp có hiệu lực hoặc bị bãi bỏ trong 12 tháng gần nhất, "
            "mới nhất trước. Theo dõi bằng trình đọc tin qua nguồn Atom của trang này.")
    return Listing(TITLE, lead, list(groups.values()), empty_text="Chưa có thay đổi nào.")


def atom_feed(entries: list[ChangeEntry], inputs: BuildInputs) -> bytes:
    """Atom 1.0 (RFC 4287): absolute URLs, one entry per change, dates from the content."""
    settings = inputs.settings
    page_url = settings.absolute(CHANGES_URL)
    author = settings.owner_name or inputs.site_name
    updated = f"{entries[0].date}T00:00:00+07:00" if entries else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"<title>{escape(TITLE)} - {escape(inputs.site_name)}</title>",
        f"<id>{escape(settings.absolute(FEED_PATH))}</id>",
        f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(settings.absolute(FEED_PATH))}/>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(page_url)}/>",
        f"<updated>{updated}</updated>",
        f"<author><name>{escape(author)}</name></author>",
    ]
    for entry in entries:
        procedure = entry.procedure
        lines += [
            "<entry>",
            f"<title>{escape(KIND_LABELS[entry.kind])}: {escape(procedure.title)}</title>",
            f"<id>{escape(page_url)}#{escape(entry.ident)}</id>",
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(settings.absolute(procedure.url))}/>",
            f"<updated>{entry.date}T00:00:00+07:00</updated>",
            f"<summary>{escape(_meta(entry))}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def changes_pages(inputs: BuildInputs) -> list[PageSpec]:
    entries = change_entries(inputs.catalogue)
    return [PageSpec(
        url=CHANGES_URL,
        template="list.html",
        title=TITLE,
        description="Thủ tục hành chính mới, được sửa đổi, bổ sung, sắp có hiệu lực hoặc bị bãi bỏ trong 12 tháng gần nhất, theo tháng.",
        context=lambda: {"listing": changes_listing(entries)},
        lastmod=entries[0].date if entries else "",
        breadcrumbs=[HOME],
        depends=("changes", tuple((e.ident, e.procedure.title, e.procedure.url, e.decision, e.summary) for e in entries)),
    )]


def changes_files(inputs: BuildInputs) -> dict[str, bytes]:
    """The Atom feed, only with an absolute site address (`site_url`): a feed's links must be absolute."""
    if not inputs.settings.site_url:
        return {}
    return {FEED_PATH: atom_feed(change_entries(inputs.catalogue), inputs)}
