"""Seed data: the portal's columns, the 海南州 units and the 分工表, loaded into an empty store."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from hnsubmit.errors import ConfigError
from hnsubmit.exchange.freshness import DEFAULT_MAX_DAYS, freshness_problem
from hnsubmit.exchange.store.storage import Column, Storage, Unit
from hnsubmit.tomlcompat import tomllib


@dataclass(frozen=True)
class Seed:
    columns: tuple[Column, ...]
    units: tuple[Unit, ...]


def _parse(data: dict, source: str) -> Seed:
    try:
        # a column's kind alone gives its default days (exchange/freshness.py)
        columns = tuple(Column(c["id"], c["zh"], c["en"], c.get("description", ""), c.get("kind", "other"),
                               c.get("max_days", DEFAULT_MAX_DAYS.get(c.get("kind", "other"), 0)))
                        for c in data.get("columns", []))
        units = tuple(
            Unit(u["code"], u["name"], u["kind"], bool(u.get("active", True)), tuple(u.get("columns", [])))
            for u in data.get("units", [])
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError("The seed file {source} is missing a field: {problems}", source=source, problems=str(exc)) from None
    for column in columns:
        problem = freshness_problem(column.kind, column.max_days)
        if problem:
            raise ConfigError("The seed file {source} is not valid: {problems}", source=source,
                              problems=f"column {column.id}: {problem}")
    known = {c.id for c in columns}
    for unit in units:
        if unit.kind not in ("county", "department"):
            raise ConfigError("The seed file {source} is not valid: {problems}", source=source,
                              problems=f"unit {unit.code}: kind must be county or department")
        unknown = [c for c in unit.columns if c not in known]
        if unknown:
            raise ConfigError("The seed file {source} is not valid: {problems}", source=source,
                              problems=f"unit {unit.code} feeds unknown columns {', '.join(unknown)}")
    return Seed(columns, units)


def load_seed(path: Path | None = None) -> Seed:
    """The built-in seed (seed.toml beside this module) or the office's own file."""
    if path is None:
        text = (resources.files("hnsubmit.exchange") / "seed.toml").read_text(encoding="utf-8")
        return _parse(tomllib.loads(text), "built-in")
    try:
        return _parse(tomllib.loads(Path(path).read_text(encoding="utf-8")), str(path))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("The seed file {source} cannot be read: {problems}", source=str(path), problems=str(exc)) from None


def apply_seed(storage: Storage, seed: Seed) -> bool:
    """Load the seed into a store that has no units yet; an existing office's data is never touched."""
    if storage.list_units():
        return False
    for column in seed.columns:
        storage.put_column(column)
    for unit in seed.units:
        storage.add_unit(unit)
    return True
