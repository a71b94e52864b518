"""Local overlays: a province's own fees, addresses or agencies laid over an imported national record.

`content/overlays/<code>.yml` has the same keys as a procedure file. At load time it is deep-merged over
the procedure with that code: mappings are merged key by key, lists and plain values are replaced.
Re-importing the national record rewrites the procedure file but never the overlay, so local edits
survive. Every problem in a value that came from the overlay points at the overlay file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem, Problems, display_path
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


@dataclass
class OverlaidDocument(YamlDocument):
    """A procedure document with an overlay merged in; knows which file each value came from."""

    base: YamlDocument | None = None
    overlay: YamlDocument | None = None
    _owner_cache: dict[Location, YamlDocument] = field(default_factory=dict, repr=False)

    def owner(self, location: Location) -> YamlDocument:
        assert self.base is not None and self.overlay is not None
        location = tuple(location)
        # The overlay wins where it wrote the value itself or a parent of it (a replaced list).
        from_overlay = _longest_prefix(self.overlay.positions, location)
        from_base = _longest_prefix(self.base.positions, location)
        return self.overlay if from_overlay and from_overlay >= from_base else self.base

    def position(self, location: Location) -> tuple[int, int]:
        return self.owner(location).position(location)

    def locate(self, location: Location) -> tuple[str, int, int]:
        document = self.owner(location)
        line, column = document.position(location)
        return document.path, line, column


def apply_overlay(base: YamlDocument, overlay: YamlDocument) -> OverlaidDocument:
    merged = OverlaidDocument(base.path, deep_merge(base.data, overlay.data), base=base, overlay=overlay)
    merged.positions = {**base.positions, **overlay.positions}  # membership only; position() picks the file
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
