"""The package order of wardtrack, read from the code: which package imports which, and whether any import
runs upward or any module reads another package's table through an `sa.table()` stand-in.

    python tools/import_graph.py            print the Mermaid picture of the import graph
    python tools/import_graph.py --write    put it into docs/architecture.md (between the graph markers)
    python tools/import_graph.py --check    exit 1 when the order is broken or the picture is stale

tests/test_layering.py runs --check, so the picture in docs/architecture.md cannot go stale.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wardtrack"
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- import-graph:begin -->", "<!-- import-graph:end -->"

#: Lowest first. A package may import only itself and packages before it; one level may hold several
#: packages that do not import each other. `config` and `extensions` are the app's own core.
ORDER = [
    ("core", "config", "extensions"), ("audit",), ("auth",), ("organisation",), ("patients",), ("access",),
    ("crisisplans",), ("contacts",), ("reminders",), ("checkins",),
    ("continuity",), ("notifications", "adt", "fhir", "backup"), ("web",), ("demo",),
]
#: The factory and the table registry import every package on purpose (migrations, create_app).
ABOVE_ALL = {"__init__", "models"}
LEVEL = {name: rank for rank, names in enumerate(ORDER) for name in names}


def _package(path: Path) -> str:
    part = path.relative_to(PACKAGE).parts[0]
    return part.removesuffix(".py")


def _imported(path: Path, tree: ast.AST):
    """(line, module) for every wardtrack module the file imports, relative imports resolved."""
    here = path.relative_to(ROOT).with_suffix("").parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[:-node.level] + ((base,) if base else ()))
            yield node.lineno, base
            if base == "wardtrack":  # `from wardtrack import models`, or a name of the factory module
                for alias in node.names:
                    module = alias.name if _is_module(alias.name) else "__init__"
                    yield node.lineno, f"wardtrack.{module}"


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def _stand_ins(tree: ast.AST):
    """Lines that build a table by name (`sa.table(...)`, `sqlalchemy.table(...)`, `table(...)`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "table":
                yield node.lineno


def scan():
    """The package graph {package: {imported packages}} and the list of problems found."""
    edges, problems = defaultdict(set), []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # Alembic's scripts describe tables as they were, by name, on purpose
        source = _package(path)
        tree = ast.parse(path.read_text(), str(path))
        where = path.relative_to(ROOT)
        for line in _stand_ins(tree):
            problems.append(f"{where}:{line}: a table read by name (sa.table stand-in)")
        for line, module in _imported(path, tree):
            parts = module.split(".")
            if parts[0] != "wardtrack" or len(parts) < 2 or parts[1] == source:
                continue
            target = parts[1]
            edges[source].add(target)
            if source in ABOVE_ALL:
                continue
            if source not in LEVEL or target not in LEVEL:
                problems.append(f"{where}:{line}: {source} or {target} has no place in ORDER")
            elif LEVEL[target] > LEVEL[source]:
                problems.append(f"{where}:{line}: {source} imports {module}, which sits above it")
    return edges, problems


def _node(name: str) -> str:
    return "core" if LEVEL.get(name) == 0 else name


def _reduced(edges) -> dict[str, set[str]]:
    """The graph on packages (config and extensions counted as core) without the arrows that a longer
    path already implies: A → C is left out when A → B → … → C exists."""
    graph = defaultdict(set)
    for source, targets in edges.items():
        if source not in ABOVE_ALL:
            graph[_node(source)] |= {_node(t) for t in targets if t not in ABOVE_ALL} - {_node(source)}

    def reachable(start: str, skip: str) -> set[str]:
        seen, todo = set(), [t for t in graph[start] if t != skip]
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo += graph[node]
        return seen

    return {source: {t for t in targets if t not in reachable(source, t)} for source, targets in graph.items()}


def mermaid(edges) -> str:
    """The import graph as a Mermaid flowchart, highest package on top (arrows implied by others left out)."""
    reduced, lines = _reduced(edges), ["```mermaid", "flowchart TD"]
    for names in reversed(ORDER):
        for name in dict.fromkeys(_node(n) for n in names):  # every package of the level, once
            lines += [f"  {name} --> {target}" for target in sorted(reduced.get(name, ()), key=lambda t: -LEVEL[t])]
    lines.append("```")
    return "\n".join(lines)


def _with_picture(text: str, picture: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{picture}\n{END}{tail}"


def main(argv: list[str]) -> int:
    edges, problems = scan()
    picture = mermaid(edges)
    if "--write" in argv:
        DOC.write_text(_with_picture(DOC.read_text(), picture))
    elif "--check" in argv:
        if _with_picture(DOC.read_text(), picture) != DOC.read_text():
            stale = "the import graph is stale; run python tools/import_graph.py --write"
            problems.append(f"{DOC.relative_to(ROOT)}: {stale}")
    else:
        print(picture)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
