"""The package keeps the promises of docs/architecture.md: every module lives in a subpackage named after
its concern, imports between subpackages run one way (top to bottom, no circle), and only host/ imports
MkDocs or Material. Read from the source with ast: nothing is imported or built."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "thutuc"

# Top (may import anything below it) to bottom (imports nothing of ours). Packages on one floor do not
# import each other. Keep in step with docs/architecture.md.
FLOORS: list[tuple[str, ...]] = [
    ("host",),
    ("preview",),
    ("editor",),
    ("importers",),
    ("checks",),
    ("site",),
    ("search", "forms"),
    ("content",),
    ("render",),
    ("vi",),
]
FLOOR = {package: level for level, packages in enumerate(FLOORS) for package in packages}

TEMPORARY_UPWARD: set[tuple[str, str]] = set()  # none: the preview gets the host's build handed in (preview/door.py)

HOST_LIBRARIES = ("mkdocs", "material")
HOST_LIBRARY_EXCEPTIONS: set[str] = set()  # none: only host/ imports mkdocs and material


def _modules() -> dict[str, Path]:
    """{"site.plan": file, …} for every module of the package (package __init__ files as "site")."""
    found = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = list(file.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = file
    return found


def _imports(name: str, file: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, relative ones made absolute ("thutuc.x")."""
    is_package = file.name == "__init__.py"
    here = ["thutuc", *name.split(".")] if name else ["thutuc"]
    base = here if is_package else here[:-1]
    found = []
    for node in ast.walk(ast.parse(file.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - node.level + 1]
                module = ".".join(parent + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            # `from . import x` imports the submodule x: count it as an import of x.
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "thutuc" and parts[1] in FLOOR else None


def _edges() -> list[tuple[str, str, str, int]]:
    """(importing subpackage, imported subpackage, file, line) for imports across subpackages."""
    edges = []
    for name, file in _modules().items():
        source = name.split(".")[0] if name else ""
        for module, line in _imports(name, file):
            target = _package_of(module)
            if target and source and target != source and (source, target) not in TEMPORARY_UPWARD:
                edges.append((source, target, str(file.relative_to(PACKAGE)), line))
    return edges


def test_every_module_lives_in_a_subpackage_of_the_map():
    loose = [name for name in _modules() if name and "." not in name and name not in FLOOR]
    assert not loose, f"modules or folders outside the map of docs/architecture.md: {loose}"


def test_imports_run_one_way():
    upward = sorted({f"{file}:{line}: {source} imports {target}" for source, target, file, line in _edges()
                     if FLOOR[target] <= FLOOR[source]})
    assert not upward, "imports against the order of docs/architecture.md:\n" + "\n".join(upward)


def test_no_import_circle_between_subpackages():
    graph: dict[str, set[str]] = {}
    for source, target, _, _ in _edges():
        graph.setdefault(source, set()).add(target)
    state: dict[str, str] = {}

    def circle_from(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for child in sorted(graph.get(node, ())):
            if state.get(child) == "open":
                return path + [node, child]
            if child not in state and (found := circle_from(child, path + [node])):
                return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := circle_from(node, [])):
            raise AssertionError("import circle: " + " -> ".join(found))


def test_only_host_imports_mkdocs_or_material():
    outside = []
    for name, file in _modules().items():
        package = name.split(".")[0]
        if package == "host" or package in HOST_LIBRARY_EXCEPTIONS:
            continue
        for module, line in _imports(name, file):
            if module.split(".")[0] in HOST_LIBRARIES:
                outside.append(f"{file.relative_to(PACKAGE)}:{line}: imports {module}")
    assert not outside, "only host/ may import MkDocs or Material:\n" + "\n".join(outside)
