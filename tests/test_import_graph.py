"""The import graph of hnsubmit/ keeps the shape docs/architecture.md describes.

The graph is built with `ast` from every `import` and `from … import …` anywhere in a module
(top level, inside functions and methods, under `if TYPE_CHECKING:`), relative imports included.
`from X import Y` is an edge to module X.Y when X.Y is a module of the package, else to X.  Only
imports of the package itself are edges; `importlib.import_module("…")` calls (the validator,
fixer, reporter and command registries) are not seen.

The graph functions take the package folder as an argument, so the self-tests at the end can run
them over a small package written to a temporary folder and prove that each check can fail.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "hnsubmit"

# Layer order, top to bottom: a module may import its own layer or a lower one (a larger number).
# Each prefix is a module name relative to the package (an empty string is the package itself);
# a module belongs to the layer of its longest matching prefix.
LAYERS: dict[str, tuple[str, ...]] = {
    "1 cli": ("cli", "__main__"),
    "2 render": ("render",),
    "3 client, exchange": ("client", "exchange"),
    "4 checks, guide, submission": ("checks", "guide", "submission"),
    "5 rules, policy": ("rules", "policy"),
    "6 config, errors, i18n, tomlcompat": ("config", "errors", "i18n", "tomlcompat", ""),
}

# Folders with an __init__.py that hold data, not code of their own.
DATA_FOLDERS = {"locale", "catalog", "LC_MESSAGES"}

# The lowest layer whose modules may import the check runner (checks.run, checks.fix); below it
# only checks/ itself may, and everything else reaches nested checks through ctx.check_nested.
RUNNER_LAYER = "3 client, exchange"

MAX_TOP_LEVEL_ENTRIES = 14


# --------------------------------------------------------------------------------------------
# Building the graph


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the package in `root` by dotted name (`pkg`, `pkg.a`, `pkg.a.b`)."""
    root = Path(root)
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        parts = rel.parts
        if "__pycache__" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def _resolve_relative(source: str, level: int, module: str | None, modules: dict[str, Path]) -> str:
    # The package a relative import starts from: the module's own package, or the module itself
    # when it is a package's __init__.py.
    base = source.split(".") if _is_package(source, modules) else source.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + (module.split(".") if module else []))


def imports_of(source: str, modules: dict[str, Path], package: str) -> dict[str, list[int]]:
    """The package modules that module `source` imports, each with the lines that import it."""
    path = modules[source]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    edges: dict[str, list[int]] = {}

    def add(target: str, line: int) -> None:
        if target == package or target.startswith(package + "."):
            lines = edges.setdefault(target, []) if target != source else []
            if line not in lines:
                lines.append(line)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(source, node.level, node.module, modules)
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                add(candidate if alias.name != "*" and candidate in modules else base, node.lineno)
    return edges


def build_graph(root: Path) -> dict[str, dict[str, list[int]]]:
    """The import graph of the package folder `root`: module -> {imported module: [lines]}."""
    root = Path(root)
    modules = module_files(root)
    return {name: imports_of(name, modules, root.name) for name in modules}


def strongly_connected_components(graph: dict[str, dict[str, list[int]]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit), over the modules of `graph`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0

    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(t for t in graph[start] if t in graph)))]
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(t for t in graph[succ] if t in graph))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def a_cycle_through(start: str, component: list[str], graph: dict[str, dict[str, list[int]]]) -> list[str]:
    """A shortest import cycle from `start` back to itself inside one strongly connected component."""
    members = set(component)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for succ in sorted(graph[node]):
            if succ not in members:
                continue
            if succ == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return path[::-1] + [start]
            if succ not in previous:
                previous[succ] = node
                queue.append(succ)
    return [start]


def import_cycles(graph: dict[str, dict[str, list[int]]]) -> list[str]:
    """One readable line per strongly connected component larger than one module."""
    out = []
    for component in strongly_connected_components(graph):
        if len(component) < 2:
            continue
        cycle = a_cycle_through(component[0], component, graph)
        hops = " -> ".join(
            f"{a} (line {','.join(map(str, graph[a][b]))})" for a, b in zip(cycle, cycle[1:])
        )
        out.append(f"{len(component)} modules {component}; for example {hops} -> {cycle[-1]}")
    return out


# --------------------------------------------------------------------------------------------
# Layers and the extra rules


def layer_of(module: str, package: str, layers: dict[str, tuple[str, ...]] = LAYERS) -> int | None:
    """The index (0 = top) of the layer `module` belongs to, by its longest matching prefix."""
    rel = module[len(package) + 1 :] if module != package else ""
    best: tuple[int, int] | None = None  # (prefix length, layer index)
    for number, prefixes in enumerate(layers.values()):
        for prefix in prefixes:
            if rel == prefix or (prefix and rel.startswith(prefix + ".")):
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), number)
    return None if best is None else best[1]


def upward_imports(
    graph: dict[str, dict[str, list[int]]], package: str, layers: dict[str, tuple[str, ...]] = LAYERS
) -> list[str]:
    """Edges to a higher layer, modules in no layer, and imports of modules that do not exist."""
    names = list(layers)
    offenders = []
    for source in sorted(graph):
        here = layer_of(source, package, layers)
        if here is None:
            offenders.append(f"{source}: in no layer (add it to LAYERS and docs/architecture.md)")
            continue
        for target, lines in sorted(graph[source].items()):
            there = layer_of(target, package, layers)
            where = f"{source} (line {','.join(map(str, lines))})"
            if target not in graph:
                offenders.append(f"{where} imports {target}, which is no module of the package")
            elif there is None:
                continue  # reported as a source of its own
            elif there < here:
                offenders.append(f"{where} [{names[here]}] imports {target} [{names[there]}]")
    return offenders


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def forbidden_edges(graph: dict[str, dict[str, list[int]]], forbidden) -> list[str]:
    """`source (line n) imports target` for every edge for which `forbidden(source, target)`."""
    return [
        f"{source} (line {','.join(map(str, lines))}) imports {target}"
        for source in sorted(graph)
        for target, lines in sorted(graph[source].items())
        if forbidden(source, target)
    ]


def client_exchange_crossings(graph, package: str = "hnsubmit") -> list[str]:
    client, exchange = f"{package}.client", f"{package}.exchange"
    allowed = {(f"{exchange}.embedded", f"{client}.credentials")}

    def forbidden(source, target):
        if (source, target) in allowed:
            return False
        return (_under(source, client) and _under(target, exchange)) or (
            _under(source, exchange) and _under(target, client)
        )

    return forbidden_edges(graph, forbidden)


def command_to_command(graph, package: str = "hnsubmit") -> list[str]:
    commands = f"{package}.cli.commands"
    return forbidden_edges(graph, lambda s, t: _under(s, commands) and _under(t, commands))


def runner_importers(graph, package: str = "hnsubmit") -> list[str]:
    runner = {f"{package}.checks.run", f"{package}.checks.fix"}
    checks = f"{package}.checks"
    lowest_allowed = list(LAYERS).index(RUNNER_LAYER)

    def forbidden(source, target):
        if target not in runner or _under(source, checks):
            return False
        here = layer_of(source, package)
        return here is None or here > lowest_allowed

    return forbidden_edges(graph, forbidden)


def exchange_inner_boundaries(graph, package: str = "hnsubmit") -> list[str]:
    exchange, store, api = f"{package}.exchange", f"{package}.exchange.store", f"{package}.exchange.api"
    assembler = f"{exchange}.app"  # builds the ASGI app from the routers: the one module outside api/ that imports it

    def forbidden(source, target):
        if _under(source, store):
            return _under(target, exchange) and not _under(target, store)
        if _under(source, exchange) and not _under(source, api) and source != assembler:
            return _under(target, api)
        return False

    return forbidden_edges(graph, forbidden)


# --------------------------------------------------------------------------------------------
# The tests over hnsubmit/


@pytest.fixture(scope="module")
def graph():
    return build_graph(PKG)


def _report(title: str, offenders: list[str]) -> str:
    return title + ":\n  " + "\n  ".join(offenders)


def test_graph_sees_the_package(graph):
    # A guard against a graph that is silently empty (every other test would then pass).
    assert len(graph) > 100, sorted(graph)
    assert "hnsubmit.cli.app" in graph
    assert sum(len(t) for t in graph.values()) > 200


def test_no_import_cycles(graph):
    cycles = import_cycles(graph)
    assert not cycles, _report("import cycles (strongly connected components)", cycles)


def test_no_upward_imports(graph):
    offenders = upward_imports(graph, "hnsubmit")
    order = " > ".join(LAYERS)
    assert not offenders, _report(f"imports against the layer order ({order})", offenders)


def test_client_and_exchange_stay_apart(graph):
    offenders = client_exchange_crossings(graph)
    assert not offenders, _report(
        "client/ and exchange/ import each other (only exchange/embedded.py may import client.credentials)",
        offenders,
    )


def test_command_modules_never_import_each_other(graph):
    offenders = command_to_command(graph)
    assert not offenders, _report(
        "cli/commands/ modules import other cli/commands/ modules (share code through cli/ instead)",
        offenders,
    )


def test_only_the_top_imports_the_runner(graph):
    offenders = runner_importers(graph)
    assert not offenders, _report(
        "layers 4-6 outside checks/ import the runner checks.run / checks.fix (use ctx.check_nested)",
        offenders,
    )


def test_exchange_store_and_api_boundaries(graph):
    offenders = exchange_inner_boundaries(graph)
    assert not offenders, _report(
        "exchange/store/ imports the exchange above it, or the exchange outside api/ imports api/",
        offenders,
    )


def test_top_level_is_small():
    dunder = {"__init__.py", "__main__.py", "__pycache__"}
    entries = sorted(p.name for p in PKG.iterdir() if p.name not in dunder)
    assert len(entries) <= MAX_TOP_LEVEL_ENTRIES, (
        f"hnsubmit/ has {len(entries)} entries besides the dunder files (at most {MAX_TOP_LEVEL_ENTRIES}): "
        f"{entries}; put new code into one of the rooms"
    )


def test_every_package_says_what_it_may_import():
    offenders = []
    for init in sorted(PKG.rglob("*/__init__.py")):  # the folders under hnsubmit/, not hnsubmit/ itself
        folder = init.parent
        rel = folder.relative_to(PKG.parent)
        if DATA_FOLDERS & set(folder.relative_to(PKG).parts) or "__pycache__" in rel.parts:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        if not doc:
            offenders.append(f"{rel}/__init__.py: no module docstring")
        elif "import" not in doc.lower():
            offenders.append(f"{rel}/__init__.py: the docstring does not say what the package may import")
    assert not offenders, _report("packages that do not say what lives there and what they may import", offenders)


# --------------------------------------------------------------------------------------------
# Self-tests: the graph code finds what it is meant to find


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def tiny(tmp_path):
    root = tmp_path / "hnsubmit"
    _write(
        root,
        {
            "__init__.py": '"""Tiny."""\n',
            "errors.py": "",
            "rules/__init__.py": "",
            # a -> b at the top level, b -> a inside a function, through a relative import
            "rules/a.py": "from hnsubmit.rules import b\n",
            "rules/b.py": "def late():\n    from . import a\n    return a\n",
            # upward: rules (layer 5) imports cli (layer 1), inside a method
            "rules/up.py": "class C:\n    def m(self):\n        from ..cli import app\n        return app\n",
            "rules/fine.py": "from ..errors import *\nimport hnsubmit.rules.a\n",
            "cli/__init__.py": "",
            "cli/app.py": "from hnsubmit.rules.a import something\n",
            "cli/commands/__init__.py": "",
            "cli/commands/one.py": "from hnsubmit.cli.commands import two\n",
            "cli/commands/two.py": "",
            "checks/__init__.py": "",
            "checks/run.py": "",
            "guide/__init__.py": "",
            "guide/check.py": "def f():\n    import hnsubmit.checks.run\n",
            "client/__init__.py": "",
            "client/credentials.py": "",
            "client/push.py": "from hnsubmit.exchange import app\n",
            "exchange/__init__.py": "",
            "exchange/app.py": "from hnsubmit.exchange.api import routes\n",
            "exchange/uploads.py": "from hnsubmit.exchange.api import routes\n",
            "exchange/embedded.py": "from hnsubmit.client import credentials\n",
            "exchange/api/__init__.py": "",
            "exchange/api/routes.py": "from hnsubmit.exchange.store import sqlite\n",
            "exchange/store/__init__.py": "",
            "exchange/store/sqlite.py": "from hnsubmit.exchange import embedded\n",
            "stray.py": "",
        },
    )
    return build_graph(root)


def test_self_graph_resolves_imports(tiny):
    assert tiny["hnsubmit.rules.a"] == {"hnsubmit.rules.b": [1]}
    assert tiny["hnsubmit.rules.b"] == {"hnsubmit.rules.a": [2]}  # function-level, relative
    assert tiny["hnsubmit.rules.up"] == {"hnsubmit.cli.app": [3]}  # method-level, two dots
    assert tiny["hnsubmit.rules.fine"] == {"hnsubmit.errors": [1], "hnsubmit.rules.a": [2]}
    assert tiny["hnsubmit.cli.app"] == {"hnsubmit.rules.a": [1]}  # a name, not a module


def test_self_cycle_is_detected(tiny):
    cycles = import_cycles(tiny)
    assert len(cycles) == 1, cycles
    assert "['hnsubmit.rules.a', 'hnsubmit.rules.b']" in cycles[0]
    assert "hnsubmit.rules.a (line 1) -> hnsubmit.rules.b (line 2) -> hnsubmit.rules.a" in cycles[0]


def test_self_longer_cycle_is_detected(tmp_path):
    root = tmp_path / "pkg"
    _write(
        root,
        {"__init__.py": "", "x.py": "import pkg.y\n", "y.py": "import pkg.z\n", "z.py": "def f():\n    import pkg.x\n"},
    )
    cycles = import_cycles(build_graph(root))
    assert len(cycles) == 1 and "3 modules" in cycles[0], cycles


def test_self_upward_import_is_detected(tiny):
    offenders = upward_imports(tiny, "hnsubmit")
    upward = "hnsubmit.rules.up (line 3) [5 rules, policy] imports hnsubmit.cli.app [1 cli]"
    assert upward in offenders, offenders
    assert "hnsubmit.stray: in no layer (add it to LAYERS and docs/architecture.md)" in offenders
    assert not [o for o in offenders if o.startswith(("hnsubmit.rules.fine", "hnsubmit.cli.app "))], offenders


def test_self_missing_module_is_detected(tmp_path):
    root = tmp_path / "hnsubmit"
    _write(root, {"__init__.py": "", "rules/__init__.py": "", "rules/a.py": "import hnsubmit.rules.gone\n"})
    offenders = upward_imports(build_graph(root), "hnsubmit")
    assert offenders == [
        "hnsubmit.rules.a (line 1) imports hnsubmit.rules.gone, which is no module of the package"
    ]


def test_self_extra_rules_are_detected(tiny):
    assert client_exchange_crossings(tiny) == ["hnsubmit.client.push (line 1) imports hnsubmit.exchange.app"]
    assert command_to_command(tiny) == ["hnsubmit.cli.commands.one (line 1) imports hnsubmit.cli.commands.two"]
    assert runner_importers(tiny) == ["hnsubmit.guide.check (line 2) imports hnsubmit.checks.run"]
    assert exchange_inner_boundaries(tiny) == [
        "hnsubmit.exchange.store.sqlite (line 1) imports hnsubmit.exchange.embedded",
        "hnsubmit.exchange.uploads (line 1) imports hnsubmit.exchange.api.routes",
    ]
