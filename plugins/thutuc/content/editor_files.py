"""Where the editor tools write procedure files, and how: paths, the schema line, YAML text."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..vi.text import slug
from .schema_check import load_schema
from .yamlsource import YamlProblem, load_yaml_file

SCHEMA_LINE_PREFIX = "# yaml-language-server: $schema="
PROCEDURE_KEY_ORDER = list(load_schema("procedure")["properties"])


def schema_file(name: str = "procedure") -> Path:
    return Path(str(resources.files("thutuc").joinpath("schema").joinpath(f"{name}.schema.json")))


def schema_line(target: Path, name: str = "procedure") -> str:
    """The first line of every YAML file the tools write: a relative path works offline in VS Code."""
    relative = os.path.relpath(schema_file(name).resolve(), target.parent.resolve())
    return SCHEMA_LINE_PREFIX + Path(relative).as_posix()


def procedure_path(content_dir: Path, field: str, code: str, title: str) -> Path:
    """content/procedures/<field>/<code>-<slug>.yml, the naming convention of the content model."""
    return content_dir / "procedures" / field / f"{code}-{slug(title)[:80].strip('-')}.yml"


_CODE_LINE = re.compile(r"""^code:\s*["']?([^"'\s#]+)""", re.MULTILINE)


def existing_codes(content_dir: Path) -> dict[str, Path]:
    """{code: file} for every procedure file, read cheaply; unreadable files are skipped (check reports them)."""
    found: dict[str, Path] = {}
    folder = content_dir / "procedures"
    if not folder.is_dir():
        return found
    for file in sorted(folder.rglob("*.y*ml")):
        try:
            text = file.read_text("utf-8", errors="replace")
        except OSError:
            continue
        match = _CODE_LINE.search(text)
        if match:
            found.setdefault(match.group(1), file)
    return found


def field_slugs(content_dir: Path) -> dict[str, str]:
    """{slug: name} from fields.yml; {} when it cannot be read (check explains why)."""
    try:
        document = load_yaml_file(content_dir / "fields.yml", "fields.yml")
    except (YamlProblem, OSError):
        return {}
    if not isinstance(document.data, list):
        return {}
    return {str(f.get("slug")): str(f.get("name", "")) for f in document.data if isinstance(f, dict)}


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (Markdown lists, paragraphs) reads best as a literal block.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.rstrip() + "\n" if value.endswith("\n") else value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Keys in the schema's order (the national portal's order), unknown keys last."""
    known = {k: data[k] for k in PROCEDURE_KEY_ORDER if k in data}
    known.update({k: v for k, v in data.items() if k not in known})
    return known


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)


def write_yaml(target: Path, data: Any, header: list[str], schema: str = "procedure",
               notes: dict[str, str] | None = None) -> None:
    """Write a YAML file that starts with the schema line and a few comment lines for editors.

    notes: a comment added at the end of every line that starts with a given text (e.g. "summary:")."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [schema_line(target, schema), *(f"# {line}" for line in header)]
    body = dump_yaml(data).splitlines()
    for prefix, note in (notes or {}).items():
        body = [line + note if line.startswith(prefix) and "\n" not in line else line for line in body]
    text = "\n".join(lines + body) + "\n"
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, "utf-8")
    temporary.replace(target)
