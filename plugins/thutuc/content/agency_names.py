"""Match agency names written in different ways ("UBND cấp xã", "Ủy ban nhân dân xã") to one agency.

Officers' files abbreviate agency names; the importer must reuse the agency already in agencies.yml
instead of adding a twin. `agency_key` reduces a name to a comparison key; the rules (documented in
docs/nhap-du-lieu.md, section "Tệp CSV và Excel") are deliberately few so that two different agencies
never get the same key:

1. lower case without tones ("Ủy" → "uy"), text in parentheses removed ("(xã, phường, đặc khu)");
2. "&" and "." inside abbreviations dropped ("GD&ĐT" → "gddt"), other punctuation becomes a space;
3. common abbreviations expanded: UBND, HĐND, TAND, VKSND, "CA" at the start (Công an), TP (thành
   phố), and the usual short names of provincial departments after "Sở" (Sở TP → Sở Tư pháp);
4. the word "cấp" removed ("cấp xã" → "xã");
5. a trailing place name ("tỉnh Mẫu", "thành phố Hà Nội") removed; for bodies that exist at every level
   (Ủy ban nhân dân, Hội đồng nhân dân, Công an, Tòa án, Viện kiểm sát) the level word "tỉnh" is kept,
   so "Công an tỉnh Mẫu" matches "Công an tỉnh" but never "Công an xã".
"""

from __future__ import annotations

import re
from typing import Any

from ..vi.text import fold, nfc

# (pattern on the folded, punctuation-normalised name, replacement). Order matters: longer first.
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bhdnd\b", "hoi dong nhan dan"),
    (r"\btand\b", "toa an nhan dan"),
    (r"\bvksnd\b", "vien kiem sat nhan dan"),
    (r"^ca\b", "cong an"),  # only at the start: "cả"/"cá" fold to "ca" too
    (r"\bso tp\b", "so tu phap"),
    (r"\bso tc\b", "so tai chinh"),
    (r"\bso yt\b", "so y te"),
    (r"\bso nv\b", "so noi vu"),
    (r"\bso xd\b", "so xay dung"),
    (r"\bso ct\b", "so cong thuong"),
    (r"\bgddt\b", "giao duc va dao tao"),
    (r"\bkhcn\b", "khoa hoc va cong nghe"),
    (r"\bnnmt\b", "nong nghiep va moi truong"),
    (r"\bnnptnt\b", "nong nghiep va phat trien nong thon"),
    (r"\btnmt\b", "tai nguyen va moi truong"),
    (r"\bld ?tbxh\b", "lao dong thuong binh va xa hoi"),
    (r"\bgtvt\b", "giao thong van tai"),
    (r"\bvhttdl\b", "van hoa the thao va du lich"),
    (r"\btttt\b", "thong tin va truyen thong"),
    (r"\bkhdt\b", "ke hoach va dau tu"),
    (r"\btp\b", "thanh pho"),
]

# Bodies that exist at several levels: "tỉnh" after them names the level, not only the place.
_LEVELLED_BODIES = {"uy ban nhan dan", "hoi dong nhan dan", "cong an", "toa an nhan dan", "vien kiem sat nhan dan"}


def agency_key(name: str) -> str:
    """The comparison key of an agency name (see the module docstring for the rules)."""
    text = fold(nfc(str(name)))
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"(?<=\w)[&.](?=\w)", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    for pattern, replacement in _ABBREVIATIONS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"\bcap\b", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    place = re.match(r"^(.*?) (?:tinh|thanh pho)(?: .*)?$", text)
    if place:
        head = place.group(1)
        text = f"{head} tinh" if head in _LEVELLED_BODIES else head
    return text


class AgencyNames(dict):
    """{folded name or slug: slug} of agencies.yml whose `get` also matches by `agency_key`.

    Passed as `Pending.known_agencies`, so every converter that looks agencies up by name reuses the
    existing agency for an abbreviated or differently written name. A key shared by two agencies is
    ambiguous and matches neither (a new entry is then added and reported, never a wrong one reused).
    `new_entries` (the importer's {slug: {name}} of agencies being added) is searched last, so two spellings
    of one new agency in the same import become one entry.
    """

    new_entries: dict[str, dict[str, str]] | None = None

    def __init__(self, names: dict[str, str], agency_names: dict[str, str] | None = None):
        super().__init__(names)
        self._by_key: dict[str, str] = {}
        ambiguous: set[str] = set()
        for agency_slug, name in (agency_names or {}).items():
            key = agency_key(name)
            if not key:
                continue
            if key in self._by_key and self._by_key[key] != agency_slug:
                ambiguous.add(key)
            self._by_key.setdefault(key, agency_slug)
        for key in ambiguous:
            del self._by_key[key]

    def get(self, name: Any, default: Any = None) -> Any:
        found = super().get(name)
        if found is None and isinstance(name, str):
            key = agency_key(name)
            found = self._by_key.get(key)
            if found is None and key:
                found = next((s for s, e in (self.new_entries or {}).items() if agency_key(e.get("name", "")) == key), None)
        return default if found is None else found
