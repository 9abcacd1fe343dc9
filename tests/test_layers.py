"""The library never prints, prompts or exits: only cli/ and render/ may use Typer or Rich."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "hnsubmit"
PRESENTATION = {"cli", "render"}
# the one place a library module ends a process: a worker forked by `serve --workers` must leave by
# os._exit, never return into the parent's code (the parent, the caller, is never exited)
FORKED_CHILD_EXITS = {("exchange/workers.py", "os._exit")}
FORBIDDEN_IMPORTS = ("typer", "rich", "click")


def _library_modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG)
        if rel.parts[0] in PRESENTATION or rel.name == "__main__.py":
            continue
        yield rel, ast.parse(path.read_text(encoding="utf-8"))


def test_library_modules_exist():
    assert len(list(_library_modules())) >= 15


def test_library_never_imports_presentation():
    offenders = []
    for rel, tree in _library_modules():
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_IMPORTS:
                    offenders.append(f"{rel}: imports {name}")
    assert offenders == []


def test_library_never_prints_prompts_or_exits():
    offenders = []
    for rel, tree in _library_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
                if name in ("print", "input") and not owner:
                    offenders.append(f"{rel}:{node.lineno}: {name}()")
                if (owner, name) in (("sys", "exit"), ("os", "_exit")) or (name == "exit" and not owner):
                    if (rel.as_posix(), f"{owner}.{name}") not in FORKED_CHILD_EXITS:
                        offenders.append(f"{rel}:{node.lineno}: exit")
    assert offenders == []


def test_every_module_has_a_docstring():
    missing = [str(rel) for rel, tree in _library_modules() if not ast.get_docstring(tree)]
    assert missing == []
