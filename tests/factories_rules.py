"""Build and evaluate the examples that rule catalogs name.

An example is a path under examples/ or `factory:NAME` for a case that cannot live in git (a
FIFO, a symbolic link, a validator that crashes).  Families add their factories to FACTORIES.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from conftest import EXAMPLES
from factories import make_jpeg


def _fifo(workdir: Path, monkeypatch) -> Path:
    path = workdir / "管道"
    os.mkfifo(path)
    return path


def _symlink(workdir: Path, monkeypatch) -> Path:
    target = make_jpeg(workdir / "real.jpg", (400, 300))
    link = workdir / "link.jpg"
    link.symlink_to(target)
    return link


def _crash(workdir: Path, monkeypatch) -> Path:
    """A validator that raises: the runner must turn it into FMT006, not a traceback."""
    import hnsubmit.checks.validators.registry as registry

    def boom(ctx):
        raise RuntimeError("simulated validator bug")
        yield  # pragma: no cover

    original = registry.validators_for
    monkeypatch.setattr(registry, "validators_for", lambda kind: [boom] if kind == "jpeg" else original(kind))
    import hnsubmit.checks.run as check_module

    monkeypatch.setattr(check_module, "validators_for", registry.validators_for)
    return make_jpeg(workdir / "photo.jpg", (400, 300))


FACTORIES: dict[str, Callable[[Path, object], Path]] = {
    "fifo": _fifo,
    "symlink": _symlink,
    "crash": _crash,
}


def _collect_family_factories() -> None:
    """Each family keeps its own `tests/factories_<family>.py` with a FACTORIES dict of its own."""
    import importlib

    for module_path in sorted(Path(__file__).parent.glob("factories_*.py")):
        name = module_path.stem
        if name == "factories_rules":
            continue
        module = importlib.import_module(name)
        for key, func in getattr(module, "FACTORIES", {}).items():
            assert key not in FACTORIES, f"factory {key} defined twice"
            FACTORIES[key] = func


_collect_family_factories()


def build_example(spec: str, workdir: Path, monkeypatch) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    if spec.startswith("factory:"):
        return FACTORIES[spec.split(":", 1)[1]](workdir, monkeypatch)
    path = EXAMPLES / spec
    assert path.exists() or path.is_symlink(), f"example {spec} is missing"
    return path


def evaluate(spec: str, workdir: Path, policy: str, monkeypatch) -> list[str]:
    from hnsubmit.checks.run import CheckOptions, run_check, selection_from
    from hnsubmit.policy.model import load_policy

    with monkeypatch.context() as patch:  # a factory's patches end with its example
        path = build_example(spec, workdir, patch)
        pol = load_policy(EXAMPLES / policy) if policy else load_policy()
        report = run_check([path], CheckOptions(pol, selection_from(pol)))
    return [f.code for f in report.findings]
