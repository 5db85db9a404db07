"""The layout the README's "Architecture" section draws, checked.

import-linter (``make lint``) keeps imports pointing down between apps. This test keeps the other
half of the rule: no import of our own code hidden inside a function, the usual way to dodge a
cycle that the layering should have removed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("raa", "children", "adopters", "scorecard", "tracking", "home")


def _own(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in APPS


def hidden_imports() -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if path.name == "apps.py" and func.name == "ready":
                    continue  # Django's place to connect signal receivers once apps are loaded
                for node in ast.walk(func):
                    names = []
                    if isinstance(node, ast.Import):
                        names = [alias.name for alias in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.level == 0:
                        names = [node.module]
                    if any(_own(name) for name in names):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {', '.join(names)}")
    return sorted(set(found))


def test_no_import_of_our_own_code_is_hidden_inside_a_function():
    assert hidden_imports() == []


def test_the_check_finds_an_import_hidden_in_a_function(tmp_path, monkeypatch):
    # The scanner itself must be able to fail: a module with a hidden import is reported.
    app = tmp_path / "home"
    app.mkdir()
    (app / "late.py").write_text(
        "def f():\n    from children.models import Child\n    return Child\n"
    )
    for other in APPS[:-1]:
        (tmp_path / other).mkdir()
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert hidden_imports() == ["home/late.py:2 children.models"]
