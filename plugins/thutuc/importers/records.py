"""What every import format shares: HTML to Markdown, dates, fees, levels, channels, the site-list
entries an import needs (Pending) and the refusal of a record (ImportError_).

The format converters (national.py, tables.py, the portal's JSON record in importer.py) build
on these; only importer.py imports the converters, so imports run one way.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

from markdownify import MarkdownConverter

from ..vi.text import fold, slug

PORTAL_URL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}"

CHANNEL_WORDS = [("buu chinh", "postal"), ("truc tuyen", "online"), ("qua mang", "online"), ("truc tiep", "direct"),
                 ("postal", "postal"), ("online", "online"), ("direct", "direct")]
LEVEL_WORDS = [("trung uong", "bo"), ("cap bo", "bo"), ("bo", "bo"), ("tinh", "tinh"), ("xa", "xa"), ("phuong", "xa")]


class ImportError_(Exception):
    """A record that cannot be converted, with a Vietnamese reason."""


@dataclass
class Pending:
    """Site-list entries an import needs: created in fields.yml / agencies.yml when missing."""

    fields: dict[str, str] = field(default_factory=dict)  # slug -> name
    agencies: dict[str, dict[str, str]] = field(default_factory=dict)  # slug -> {name, address?}
    known_fields: dict[str, str] = field(default_factory=dict)  # folded name or slug -> slug in fields.yml
    known_agencies: dict[str, str] = field(default_factory=dict)

    def field_slug(self, name: str) -> str:
        return self.known_fields.get(fold(name)) or self.known_fields.get(slug(name)) or slug(name)[:60].strip("-")

    def agency_slug(self, name: str) -> str:
        return self.known_agencies.get(fold(name)) or self.known_agencies.get(slug(name)) or slug(name)[:60].strip("-")

    def add_agency(self, agencies: dict[str, list[str]], role: str, name: str, address: str) -> None:
        """Put an agency under `role` of one record; a new one gets the receiving address if implementing."""
        agency_slug = self.agency_slug(name)
        entry = self.agencies.setdefault(agency_slug, {"name": name})
        if role == "implementing" and address and "address" not in entry:
            entry["address"] = address
        if agency_slug not in agencies.setdefault(role, []):
            agencies[role].append(agency_slug)


# -- small converters -------------------------------------------------------------------------------


class _Converter(MarkdownConverter):
    """markdownify with the portal's quirks: script/style/head content dropped, images dropped (no
    third-party requests), links kept only to http(s)/mailto, a line break outside lists and tables
    becomes a paragraph break (Markdown has no hard break that survives our YAML files)."""

    def convert_br(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags or "li" in parent_tags:
            return " "
        return "\n\n"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return ""

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if not re.match(r"^(https?://|mailto:)\S+$", str(el.get("href") or "")):
            return text
        return super().convert_a(el, text, parent_tags)

    def _drop(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return ""

    convert_script = convert_style = convert_head = convert_title = convert_noscript = convert_template = _drop
    convert_iframe = convert_object = convert_svg = convert_xml = _drop


class _PlainConverter(_Converter):
    """One-line plain text (names, titles): no Markdown markers, no escapes."""

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return text

    def _plain(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return text

    convert_b = convert_strong = convert_em = convert_i = convert_u = convert_code = _plain


_MARKDOWN = _Converter(heading_style="ATX", bullets="-", strip=["span", "font"], autolinks=False)
_PLAIN = _PlainConverter(heading_style="ATX", bullets="-", strip=["span", "font"], autolinks=False, escape_asterisks=False,
                         escape_underscores=False)
# HTML tags (and Word's "o:p", "w:…"): text such as "<tên cơ quan>" in a sentence is not a tag and stays.
_TAG = re.compile(
    r"<\s*/?\s*(?:!|[a-z]+:[a-z]+|(?:a|abbr|article|b|big|blockquote|body|br|button|caption|center|code|col|colgroup|dd"
    r"|del|div|dl|dt|em|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|label|li|link|meta|nav"
    r"|noscript|object|ol|option|p|pre|s|script|section|select|small|span|strike|strong|style|sub|sup|svg|table"
    r"|tbody|td|template|textarea|tfoot|th|thead|title|tr|u|ul|xml)\b)[^>]*>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]{2,8});")


def _from_html(text: str, converter: MarkdownConverter) -> str:
    # Exports are often escaped twice ("&amp;nbsp;", "&lt;p&gt;"): decode until no tag or entity is
    # left, so neither "&nbsp;" nor "<p>" ever reaches a published page as text.
    for _ in range(6):
        if _TAG.search(text):
            text = converter.convert(text)
        elif _ENTITY.search(text):
            text = html.unescape(text)
        else:
            break
    # Whatever is left after that many layers is not text anyone wrote: drop it.
    return _ENTITY.sub(" ", _TAG.sub(" ", text))


def html_to_markdown(value: Any) -> str:
    """Portal text is HTML; our text is Markdown (raw HTML would only be shown as text)."""
    if value is None:
        return ""
    text = _from_html(str(value).replace("\r\n", "\n").replace("\r", "\n"), _MARKDOWN)
    text = text.replace("\xa0", " ").replace("\u200b", "")
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    # A paragraph never starts with spaces (four would make it a code block).
    text = re.sub(r"\n\n[ \t]+", "\n\n", text)
    return text.strip()


def plain_text(value: Any) -> str:
    """One line of plain text from portal HTML (names, titles, amounts): tags and entities decoded away."""
    if value is None:
        return ""
    text = _from_html(str(value), _PLAIN).replace("\xa0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def one_line_text(value: Any) -> str:
    return plain_text(value)


def first_value(record: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in record and record[name] not in (None, "", []):
            return record[name]
    return None


def name_list(value: Any, *keys: str) -> list[str]:
    """A list of names from a list of strings, a list of objects, or a ;-separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;\n]", html_to_markdown(value)) if part.strip(" -")]
    result = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            text = first_value(item, *keys, "name", "ten", "title")
            if text:
                result.append(one_line_text(text))
        elif item not in (None, ""):
            result.append(one_line_text(item))
    return result


def parse_date(value: Any) -> str:
    """YYYY-MM-DD from the portal's "20/11/2014", "20-11-2014", "2014-11-20T00:00:00" or a date cell."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = match.groups()
    else:
        match = re.match(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if not match:
            return ""
        day, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def channel_of(text: str) -> str:
    folded = fold(text)
    for word, channel in CHANNEL_WORDS:
        if word in folded:
            return channel
    return ""


def authority_level_of(text: str, configured: dict[str, str]) -> str:
    folded = fold(text)
    for key, name in configured.items():
        if folded in (fold(key), fold(name)):
            return key
    for word, key in LEVEL_WORDS:
        if re.search(rf"\b{word}\b", folded) and key in configured:
            return key
    return ""


def authority_levels_of(texts: list[str], configured: dict[str, str], where: str, notes: list[str], source: str) -> list[str]:
    """The configured level slugs named in a record; a level we do not know is noted, none at all refuses
    the record: a guessed level would publish a wrong authority."""
    levels: list[str] = []
    for text in texts:
        key = authority_level_of(text, configured)
        if key and key not in levels:
            levels.append(key)
        elif not key:
            notes.append(f"{where}: bỏ qua cấp thực hiện “{text}” (không có trong cấu hình authority_levels).")
    if not levels:
        raise ImportError_(f"không nhận ra cấp thực hiện nào ({source}) trong cấu hình authority_levels.")
    return levels


def parse_amount(text: str) -> int | None:
    """200000 from "200.000 đồng" or "8.000 đồng/bản sao"; 0 from "Miễn phí"; None when the text is not
    exactly one sum: several amounts ("3.000.000…; 2.000.000…"), a percentage, a decimal, words."""
    folded = fold(text)
    if re.fullmatch(r"\s*(mien( phi| le phi)?|khong( thu)?( phi| le phi)?|0)\s*(dong)?\.?\s*", folded):
        return 0
    # One number (thousands grouped by ".", "," or spaces), a currency, then at most a "/unit" without digits.
    match = re.fullmatch(r"\s*(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s*(dong|d|vnd)?\s*(/[^\d;+]*)?\.?\s*", folded)
    if match:
        return int(re.sub(r"\D", "", match.group(1)))
    return None


def says_free(text: str) -> bool:
    """ "Miễn phí", "Miễn lệ phí đối với …", "Không", "Không thu": the text says nothing is paid."""
    folded = fold(text).strip(" .")
    return folded.startswith("mien") or bool(re.fullmatch(r"khong( thu| co)?( phi| le phi)?", folded))


def fee_of(kind_text: str, amount: Any, description: str = "") -> dict[str, Any]:
    """One fee. Never a made-up sum: a sum given only in words, or several sums, stays text with
    `amount: null`; a fee with neither sum nor description refuses the record."""
    kind = "charge" if fold(kind_text).strip() == "phi" else "fee"
    note = one_line_text(description)
    if isinstance(amount, (int, float)) and not isinstance(amount, bool):
        whole = amount >= 0 and float(amount).is_integer()
        value: int | None = int(amount) if whole else None
        text = "" if whole else str(amount)
    else:
        text = one_line_text(amount)
        value = parse_amount(text) if text else None
    if value is None and not text:
        if not note:
            raise ImportError_("một khoản phí, lệ phí không có số tiền cũng không có mô tả mức thu; "
                               "ghi số tiền (ví dụ 50000) hoặc mô tả (ví dụ “Theo Nghị quyết của HĐND tỉnh”).")
        text, note = note, ""
    bare = not text or bool(re.fullmatch(r"[\d.,\s]+(đồng|đ|VNĐ)?\.?", text, flags=re.IGNORECASE))
    if value == 0 and note and says_free(note) and bare:
        text, note = note, ""  # "0" and "Miễn lệ phí đối với …": the text says what the 0 means
    elif value == 0 and note and not says_free(note) and (bare or not says_free(text)):
        # "0" beside a described sum ("Theo Nghị quyết…", "50.000 đồng/hồ sơ") is not "free".
        value, text, note = None, (note if bare else f"{text}. {note}"), ""
    fee: dict[str, Any] = {"kind": kind, "amount": value}
    if value is None:
        fee["text"] = text
    elif text and not re.fullmatch(r"[\d.,\s]+(đồng|đ|VNĐ)?\.?", text, flags=re.IGNORECASE):
        fee["text"] = text
    if note and note != fee.get("text"):
        fee["note"] = note
    return fee


def split_steps(markdown: str) -> list[dict[str, str]]:
    """Steps from one block of text: a new step starts at each "Bước N"."""
    parts = [p.strip() for p in re.split(r"\n(?=\s*(?:[-*]\s*)?\**\s*Bước\s*\d)", "\n" + markdown) if p.strip()]
    steps = []
    for part in parts:
        clean = part.lstrip("-* ").replace("**", "", 2) if part.lstrip("-* ").startswith("**") else part.lstrip("-* ")
        first, _, rest = clean.partition("\n")
        match = re.match(r"(Bước\s*\d+)\s*[:.\-–]?\s*(.*)", first)
        if match:
            head, tail = match.group(1), match.group(2).strip(" *")
            title = f"{head}: {tail}" if tail and len(tail) <= 100 else head
            description = "\n\n".join(x for x in (tail if len(tail) > 100 else "", rest.strip()) if x)
        else:
            title, description = "Thực hiện", clean
        step = {"title": title.rstrip(".:; ")}
        if description.strip():
            step["description"] = description.strip()
        steps.append(step)
    return steps
