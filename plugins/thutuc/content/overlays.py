"""Local overlays: a province's own fees, addresses or agencies laid over an imported national record.

`content/overlays/<code>.yml` has the same keys as a procedure file. At load time it is deep-merged over
the procedure with that code: mappings are merged key by key, lists and plain values are replaced.
Re-importing the national record rewrites the procedure file but never the overlay, so local edits
survive. Every problem in a value that came from the overlay points at the overlay file.

Summary values written beside the details follow the overlay: when it changes the per-channel processing
times in `methods` without writing `processing_time` itself, the summary (summary box, "Thời hạn giải
quyết" section, meta description) is derived from the overlaid methods instead of repeating the
national totals the overlay replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..vi import labels
from .ascii_codes import foreign_digit_message
from .pages_source import link_problem
from .placeholders import is_placeholder
from .problems import Problem, Problems, Severity, display_path
from .yamlsource import Location, YamlDocument, YamlProblem, load_yaml_file

OVERLAY_DIR = "overlays"


def deep_merge(base: Any, over: Any) -> Any:
    """Mappings merge recursively; anything else (lists included) is replaced by the overlay's value."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return over


def _longest_prefix(positions: dict[Location, tuple[int, int]], location: Location) -> int:
    for length in range(len(location), 0, -1):
        if location[:length] in positions:
            return length
    return 0


def _channel_times(methods: Any) -> list[tuple[str, str]] | None:
    """(channel, processing time) of each method, or None when any is not plain, filled-in text."""
    if not isinstance(methods, list) or not methods:
        return None
    pairs = []
    for method in methods:
        time = method.get("processing_time") if isinstance(method, dict) else None
        if not isinstance(time, str) or not time.strip() or is_placeholder(time):
            return None
        pairs.append((str(method.get("channel", "")), time.strip()))
    return pairs


def processing_time_summary(pairs: list[tuple[str, str]]) -> str:
    """One time when every channel has it, else "Trực tiếp, Dịch vụ bưu chính: …; Trực tuyến: …"."""
    by_time: dict[str, list[str]] = {}
    for channel, time in pairs:
        name = labels.CHANNELS.get(channel, channel)
        if name not in by_time.setdefault(time, []):
            by_time[time].append(name)
    if len(by_time) == 1:
        return next(iter(by_time))
    return "; ".join(f"{', '.join(names)}: {time}" for time, names in by_time.items())


def derived_processing_time(base: Any, overlay: Any, merged: Any) -> str | None:
    """The summary the overlay implies, or None when the base file's own summary still holds.

    Only when the overlay replaced `methods` with other times and wrote no `processing_time`: a
    national summary stays as written while the times it summarises are unchanged (e.g. an overlay that
    only changes fees).
    """
    if not (isinstance(base, dict) and isinstance(overlay, dict)) or "processing_time" in overlay or "methods" not in overlay:
        return None
    new = _channel_times(merged.get("methods"))
    if new is None or _channel_times(base.get("methods")) == new:
        return None
    return processing_time_summary(new)


def stale_channel_warnings(overlay: YamlDocument, merged: Any) -> list[Problem]:
    """A warning when the overlay's methods offer other channels than "Nhận hồ sơ" still lists.

    The national file's `receive_return.submit` was written for the national methods; it is a fact of its
    own (Art. 5.1.k), so it is not rewritten, but the overlay can say it: `receive_return: {submit: […]}`.
    """
    over = overlay.data
    if not (isinstance(over, dict) and isinstance(merged, dict)) or not isinstance(over.get("methods"), list):
        return []
    if isinstance(over.get("receive_return"), dict) and "submit" in over["receive_return"]:
        return []
    channels = list(dict.fromkeys(m["channel"] for m in over["methods"] if isinstance(m, dict) and isinstance(m.get("channel"), str)))
    received = merged.get("receive_return")
    submit = received.get("submit") if isinstance(received, dict) else None
    if not channels or not isinstance(submit, list) or set(submit) == set(channels):
        return []

    def names(values: list[Any]) -> str:
        return ", ".join(labels.CHANNELS.get(v, str(v)) for v in values)

    line, column = overlay.position(("methods",))
    return [Problem(
        overlay.path, line, column, "methods",
        f"tệp bổ sung ghi cách thức nộp {names(channels)}, nhưng mục Nhận hồ sơ (receive_return.submit) của tệp "
        f"thủ tục vẫn là {names(submit)}.",
        Severity.WARNING,
        hint=f"nếu địa phương chỉ nhận hồ sơ theo các cách thức này, ghi thêm vào tệp bổ sung: "
             f"\"receive_return: {{submit: [{', '.join(channels)}]}}\".",
    )]


# Words that tell people to use a channel, looked for in text the overlay leaves from the procedure file.
_CHANNEL_WORDS = {"online": ("trực tuyến", "dịch vụ công quốc gia", "vneid"), "postal": ("bưu chính", "bưu điện")}


def _channels(methods: Any) -> list[str]:
    if not isinstance(methods, list):
        return []
    return list(dict.fromkeys(m["channel"] for m in methods if isinstance(m, dict) and isinstance(m.get("channel"), str)))


def _mentions(value: Any, words: tuple[str, ...]) -> bool:
    if isinstance(value, dict):
        return any(_mentions(v, words) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, words) for v in value)
    return isinstance(value, str) and any(word in value.lower() for word in words)


def dropped_channel_problems(base: YamlDocument, overlay: YamlDocument, merged: Any) -> list[Problem]:
    """Errors when an overlay's `methods` leaves out a channel of the procedure and the page would still offer it.

    Lists are replaced whole, so an overlay written to change one fee silently drops every channel it did not
    copy. Dropping one on purpose is allowed when the overlay also says what follows from it: the channels
    that receive dossiers (`receive_return.submit`), `online: info` when the online channel goes (no
    "Nộp trực tuyến" button), and its own `steps` and `summary` when the procedure's text speaks of the channel.
    """
    over, national = overlay.data, base.data
    if not (isinstance(over, dict) and isinstance(national, dict) and isinstance(merged, dict)) or "methods" not in over:
        return []
    kept = _channels(over.get("methods"))
    dropped = [c for c in _channels(national.get("methods")) if c not in kept]
    if not dropped:
        return []
    names = ", ".join(labels.CHANNELS.get(c, c) for c in dropped)
    line, column = overlay.position(("methods",))
    keep_hint = (f"nếu chỉ muốn đổi phí hoặc thời hạn, chép cả cách thức {names} từ tệp thủ tục vào danh sách "
                 "methods của tệp bổ sung; nếu địa phương thật sự không nhận hồ sơ theo cách này, ")
    problems = []

    def add(message: str, hint: str) -> None:
        problems.append(Problem(overlay.path, line, column, "methods",
                                f"tệp bổ sung bỏ cách thức {names} của thủ tục, nhưng {message}", hint=keep_hint + hint))

    received = over.get("receive_return")
    submit = received.get("submit") if isinstance(received, dict) else None
    if not isinstance(submit, list) or any(c in submit for c in dropped):
        add("mục Nhận hồ sơ vẫn ghi cách thức đó.", f"ghi thêm \"receive_return: {{submit: [{', '.join(kept)}]}}\".")
    if "online" in dropped and merged.get("online") in ("partial", "full"):
        add("trang vẫn hiện nút “Nộp trực tuyến”.", "ghi thêm \"online: info\".")
    for channel in dropped:
        words = _CHANNEL_WORDS.get(channel, ())
        for key, label in (("steps", "Trình tự thực hiện (steps)"), ("summary", "Mô tả ngắn (summary)")):
            if words and key not in over and _mentions(national.get(key), words):
                add(f"mục {label} của tệp thủ tục vẫn nói đến cách thức đó.",
                    f"ghi lại mục {key} trong tệp bổ sung cho đúng các cách thức còn lại.")
    return problems


@dataclass
class OverlaidDocument(YamlDocument):
    """A procedure document with an overlay merged in; knows which file each value came from."""

    base: YamlDocument | None = None
    overlay: YamlDocument | None = None
    # Top-level values computed from the overlay, with the overlay location they come from.
    derived: dict[Location, Location] = field(default_factory=dict)
    # Errors of the combination (a channel dropped while the page still offers it), at the overlay's lines.
    conflicts: list[Problem] = field(default_factory=list)
    _owner_cache: dict[Location, YamlDocument] = field(default_factory=dict, repr=False)

    def owner(self, location: Location) -> YamlDocument:
        assert self.base is not None and self.overlay is not None
        location = tuple(location)
        if location[:1] in self.derived:
            return self.overlay
        # The overlay wins where it wrote the value itself or a parent of it (a replaced list).
        from_overlay = _longest_prefix(self.overlay.positions, location)
        from_base = _longest_prefix(self.base.positions, location)
        return self.overlay if from_overlay and from_overlay >= from_base else self.base

    def position(self, location: Location) -> tuple[int, int]:
        location = tuple(location)
        if location[:1] in self.derived:
            return self.owner(location).position(self.derived[location[:1]])
        return self.owner(location).position(location)

    def locate(self, location: Location) -> tuple[str, int, int]:
        line, column = self.position(location)
        return self.owner(location).path, line, column


def apply_overlay(base: YamlDocument, overlay: YamlDocument) -> OverlaidDocument:
    merged = OverlaidDocument(base.path, deep_merge(base.data, overlay.data), base=base, overlay=overlay)
    merged.positions = {**base.positions, **overlay.positions}  # membership only; position() picks the file
    summary = derived_processing_time(base.data, overlay.data, merged.data)
    if summary is not None:
        merged.data["processing_time"] = summary
        merged.derived[("processing_time",)] = ("methods",)
    merged.conflicts = dropped_channel_problems(base, overlay, merged.data)
    over = overlay.data if isinstance(overlay.data, dict) else {}
    national = base.data if isinstance(base.data, dict) else {}
    if (isinstance(merged.data, dict) and "methods" in over and "online_url" not in over
            and "online" in _channels(national.get("methods"))
            and "online" not in _channels(over.get("methods"))):
        merged.data.pop("online_url", None)  # no online channel left: no "Nộp trực tuyến" button either
    merged.warnings = [] if merged.conflicts else stale_channel_warnings(overlay, merged.data)
    # Plain scalars are re-read as text where the schema wants text: keep those that survived the merge.
    merged.raw_scalars = {loc: raw for loc, raw in base.raw_scalars.items() if merged.owner(loc) is base}
    merged.raw_scalars.update(overlay.raw_scalars)
    return merged


def _code_of(document: YamlDocument) -> str | None:
    data = document.data
    if not isinstance(data, dict) or "code" not in data:
        return None
    return document.raw_scalars.get(("code",), str(data["code"]))


def load_overlays(content_dir: Path, problems: Problems) -> dict[str, YamlDocument]:
    """Every overlay file, keyed by the procedure code in its file name."""
    folder = content_dir / OVERLAY_DIR
    if not folder.is_dir():
        return {}
    found: dict[str, YamlDocument] = {}
    for file in sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file()):
        shown = display_path(file)
        outside = link_problem(file, [content_dir.resolve()], "content/overlays/")
        if outside is not None:  # a link out of content/ is never read
            problems.add(outside)
            continue
        try:
            document = load_yaml_file(file, shown)
        except YamlProblem as error:
            problems.add(error.problem)
            continue
        if not isinstance(document.data, dict):
            problems.add(Problem(shown, 1, 1, "", "tệp bổ sung địa phương phải là bảng khóa: giá trị như một tệp thủ tục.",
                                 hint="chỉ ghi các khóa cần thay, ví dụ methods, agencies."))
            continue
        code = file.stem
        if foreign := foreign_digit_message(code):
            problems.add(Problem(shown, 1, 1, "", f"tên tệp {foreign}",
                                 hint="tên tệp bổ sung phải là mã thủ tục gõ bằng chữ số 0–9, ví dụ 1.001193.yml."))
            continue
        written = _code_of(document)
        if written is not None and written != code:
            line, column = document.position(("code",))
            problems.add(Problem(shown, line, column, "code", f"mã “{written}” khác với tên tệp “{file.name}”.",
                                 hint=f"tên tệp bổ sung phải là mã thủ tục: {written}.yml; có thể xóa khóa code."))
            continue
        found[code] = document
    return found


def report_unused(overlays: dict[str, YamlDocument], used: set[str], problems: Problems) -> None:
    for code, document in overlays.items():
        if code not in used:
            problems.add(Problem(document.path, 1, 1, "", f"không có thủ tục nào mang mã “{code}” để bổ sung.",
                                 hint="tên tệp phải đúng mã thủ tục, ví dụ 1.001193.yml."))


def code_of(document: YamlDocument) -> str | None:
    """The code written in a procedure file, as the editor typed it."""
    return _code_of(document)
