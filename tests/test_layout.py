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


def _layout_bullets() -> list[str]:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    return ["- " + b for b in section.split("\n- ")[1:]]


def test_the_readme_layout_names_every_module_where_its_package_is_described():
    """Each module is named (`name.py`) in a Layout bullet that names its package (`sources/`, `checks/`)."""
    bullets = _layout_bullets()
    unnamed = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        package = f"`{parts[-2]}/`" if len(parts) > 1 else ""
        if not any(f"`{path.name}`" in b and package in b or f"`{'/'.join(parts)}`" in b for b in bullets):
            unnamed.append("/".join(parts))
    assert unnamed == []


def test_old_import_paths_are_one_line_shims_the_package_itself_does_not_use():
    shims = {_module_name(p): p for p in PACKAGE.rglob("*.py")
             if [n for n in ast.parse(p.read_text(encoding="utf-8")).body
                 if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))] and
             all(isinstance(n, ast.ImportFrom) and n.names[0].name == "*"
                 for n in ast.parse(p.read_text(encoding="utf-8")).body
                 if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)))}
    assert {"bilingual_registry.tbx", "bilingual_registry.glossary_learn", "bilingual_registry.glossary_cli",
            "bilingual_registry.repair.cli", "bilingual_registry.damage"} <= set(shims)
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    users = []
    for path in PACKAGE.rglob("*.py"):
        if _module_name(path) in shims:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # late imports inside functions too
            if isinstance(node, ast.ImportFrom) and node.level:
                name = _module_name(path)
                anchor = (name if path.name == "__init__.py" else name.rsplit(".", 1)[0]).split(".")
                base = ".".join(anchor[: len(anchor) - node.level + 1] + ([node.module] if node.module else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            else:
                continue
            users += [f"{path.relative_to(PACKAGE)} imports {t}" for t in targets if t in shims and t in modules]
    assert users == []
