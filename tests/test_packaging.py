"""The regular (non-editable) install ships every subpackage and every data file the code reads."""
import tomllib

from conftest import ROOT


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_subpackage_is_listed_for_the_wheel():
    listed = set(_config()["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bilingual_registry").rglob("__init__.py")}
    assert on_disk - listed == set()


def test_every_glossary_file_is_package_data():
    patterns = _config()["package-data"]["bilingual_registry.glossary_data"]
    suffixes = {p.removeprefix("*") for p in patterns}
    data = [p.name for p in (ROOT / "glossary").iterdir() if p.is_file()]
    assert data and [n for n in data if not any(n.endswith(s) for s in suffixes)] == []


def test_every_library_the_package_imports_is_a_dependency():
    """An import that works here only because a package happens to be installed fails on a fresh machine."""
    import ast
    import re
    import sys
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in project["dependencies"]}
    dists = packages_distributions()
    missing = set()
    for path in (ROOT / "bilingual_registry").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "bilingual_registry":
                    continue
                if not {d.lower().replace("_", "-") for d in dists.get(top, [top])} & declared:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert sorted(missing) == []
