"""The package's shape: no import cycle between its modules (a module's top-level imports only; an import
inside a function is a deliberate late binding and is not followed)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bilingual_registry"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `path` imports at its top level (under `if`/`try` too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    nodes = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, (ast.If, ast.Try)):
            nodes.extend(ast.iter_child_nodes(node))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:  # `from . import options` imports the module options, not only its package
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
    found.discard(name)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(p, modules) for p in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the path that closes it."""
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [node, nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_the_walk_finds_a_cycle_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}})
    assert not cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()})


def test_no_import_cycle_in_the_package():
    graph = import_graph()
    assert "bilingual_registry.cli.output" in graph["bilingual_registry.cli.parse"]
    assert "bilingual_registry.api" in graph["bilingual_registry.cli.reading"]
    assert cycles(graph) == []


def test_every_problem_code_the_package_writes_is_catalogued():
    """Codes are written as the first argument of problem()/problem_part()/problem_data(); a code spelt anywhere else
    (a Problem(code=...) or a {"code": ...} dict) bypasses the catalogue."""
    import re

    from bilingual_registry.problems import CATALOGUE

    bypass, used = [], set()
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("problems.py", "model.py"):
            continue
        text = path.read_text(encoding="utf-8")
        bypass += [f"{path.name}: {m[0]}" for m in re.finditer(r'Problem\(code=|\{"code": "', text)]
        used |= set(re.findall(r'\bproblem(?:_data|_part)?\(\s*"([a-z0-9-]+)"', text))
    assert bypass == []
    assert used and used <= set(CATALOGUE)
    assert all(c.doc and c.severity in ("info", "warning", "error") for c in CATALOGUE.values())
